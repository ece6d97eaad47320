"""Provider resolution, stepped by hand: the auto policy, mapping checks, keys, routing, auth."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from inference_core import (
    PreparedCall,
    Provider,
    Request,
    RequestError,
    Response,
    Route,
    register_provider,
)
from inference_core._config import ClientConfig, build_config
from inference_core._resolve import resolve as resolve_route
from inference_core.providers import CONVERSATIONAL, TASK_KEYS, unregister_provider
from tests.core._support import client_config

MAPPING_URL = "https://huggingface.co/api/models/org/m?expand=inferenceProviderMapping"


def config(**kwargs: Any) -> ClientConfig:
    return client_config(**{"provider": "cerebras", "token": "hf_abc", **kwargs})


def hub(mapping: Any) -> Response:
    body = {"id": "org/m", "inferenceProviderMapping": mapping}
    return Response(200, (), json.dumps(body).encode())


def resolve(cfg: ClientConfig, model: str | None, task: str, *answers: Response) -> Any:
    """Run the resolution, answering its requests in order; return (route, requests)."""
    plan = resolve_route(cfg, model, TASK_KEYS[task])
    requests: list[Request] = []
    try:
        effect = next(plan)
        for answer in answers:
            assert isinstance(effect, Request)
            requests.append(effect)
            effect = plan.send(answer)
        raise AssertionError(f"unanswered request {effect}")
    except StopIteration as stop:
        return stop.value, requests


def live(task: str = "conversational", **extra: Any) -> dict[str, Any]:
    return {"status": "live", "providerId": "prov-m", "task": task, **extra}


@pytest.fixture
def test_providers() -> Iterator[None]:
    def chat(route: Route[Any], messages: Any, parameters: Any) -> PreparedCall:
        return PreparedCall(route.post_json("/chat", {}))

    extra = [
        Provider("key-style", "https://key.example", [CONVERSATIONAL.use(chat)], auth="fal-key"),
        Provider("xkey-style", "https://x.example/", [CONVERSATIONAL.use(chat)], auth="x-key"),
    ]
    for provider in extra:
        register_provider(provider)
    yield
    for provider in extra:
        unregister_provider(provider.name)


def test_url_model_goes_to_the_url_whatever_the_provider() -> None:
    route, requests = resolve(config(provider="together"), "http://h/v1", "conversational")
    assert requests == []
    assert (route.provider.name, route.model_url, route.base_url) == (
        "hf-inference",
        "http://h/v1",
        "http://h/v1",
    )
    assert dict(route.headers)["authorization"] == "Bearer hf_abc"


def test_no_model_means_hf_inference_with_the_recommended_model() -> None:
    tasks = Response(200, (), b'{"conversational": {"widgetModels": ["org/rec"]}}')
    for provider in (None, "auto", "hf-inference"):
        route, requests = resolve(config(provider=provider), None, "conversational", tasks)
        assert [r.url for r in requests] == ["https://huggingface.co/api/tasks"]
        assert (route.provider.name, route.model_id) == ("hf-inference", "org/rec")
        assert route.base_url == "https://router.huggingface.co/hf-inference"


def test_explicit_hf_inference_needs_no_hub_lookup_and_no_token() -> None:
    route, requests = resolve(config(provider="hf-inference", token=None), "org/m", "fill-mask")
    assert requests == [] and route.api_key is None
    assert "authorization" not in {name for name, _ in route.headers}
    assert (route.provider_id, route.mapping) == ("org/m", None)


def test_auto_reaches_hf_inference_from_the_mapping() -> None:
    mapping = {"hf-inference": live("text-generation"), "together": live()}
    route, requests = resolve(config(provider=None), "org/m", "text-generation", hub(mapping))
    assert [r.url for r in requests] == [MAPPING_URL]
    assert (route.provider.name, route.provider_id) == ("hf-inference", "org/m")


def test_routed_and_direct_bearer_routes() -> None:
    route, requests = resolve(config(), "org/m", "conversational", hub({"cerebras": live()}))
    assert requests[0].url == MAPPING_URL
    assert requests[0].header("authorization") == "Bearer hf_abc"
    assert (route.routed, route.base_url, route.provider_id) == (
        True,
        "https://router.huggingface.co/cerebras",
        "prov-m",
    )
    assert dict(route.headers)["authorization"] == "Bearer hf_abc"
    route, requests = resolve(
        config(token="csk-1"), "org/m", "conversational", hub({"cerebras": live()})
    )
    assert requests[0].header("authorization") is None  # provider keys never go to the Hub
    assert (route.routed, route.base_url) == (False, "https://api.cerebras.ai")
    assert dict(route.headers)["authorization"] == "Bearer csk-1"


def test_direct_auth_styles(test_providers: None) -> None:
    entry = {"key-style": live(), "xkey-style": live()}
    route, _ = resolve(
        config(provider="key-style", token="k1"), "org/m", "conversational", hub(entry)
    )
    assert dict(route.headers)["authorization"] == "Key k1"
    route, _ = resolve(
        config(provider="xkey-style", token="k2"), "org/m", "conversational", hub(entry)
    )
    headers = dict(route.headers)
    assert headers["X-Key"] == "k2" and "authorization" not in headers
    assert route.base_url == "https://x.example"
    routed, _ = resolve(config(provider="xkey-style"), "org/m", "conversational", hub(entry))
    assert dict(routed.headers)["authorization"] == "Bearer hf_abc" and "X-Key" not in dict(
        routed.headers
    )


def test_auto_takes_the_first_entry_and_caches_the_mapping_per_client() -> None:
    cfg = config(provider=None)
    mapping = [{"provider": "cerebras", **live()}, {"provider": "together", **live()}]
    route, requests = resolve(cfg, "org/m", "conversational", hub(mapping))
    assert route.provider.name == "cerebras" and len(requests) == 1
    again, requests = resolve(cfg, "org/m", "conversational")
    assert again.provider.name == "cerebras" and requests == []


def test_resolution_errors_are_clear() -> None:
    with pytest.raises(RequestError, match=r"Provider 'nope' not supported.*cerebras"):
        resolve(config(provider="nope"), "org/m", "conversational")
    with pytest.raises(
        RequestError,
        match=r"Task 'text-to-image' not supported for provider 'cerebras'. Available tasks: \[",
    ):
        resolve(config(), "org/m", "text-to-image")
    with pytest.raises(RequestError, match="No inference provider serves model 'org/m'"):
        resolve(config(provider="auto"), "org/m", "conversational", hub({}))
    with pytest.raises(RequestError, match="No provider mapping found for model org/m"):
        resolve(config(provider="auto"), "org/m", "conversational", hub(None))
    with pytest.raises(RequestError, match="Model org/m is not supported by provider cerebras"):
        resolve(config(), "org/m", "conversational", hub({"together": live()}))
    with pytest.raises(RequestError, match="Supported task: text-to-image"):
        resolve(config(), "org/m", "conversational", hub({"cerebras": live("text-to-image")}))
    with pytest.raises(RequestError, match="You must provide an api_key to work with cerebras"):
        resolve(
            build_config(
                environ={},
                model=None,
                provider="cerebras",
                token=None,
                timeout=None,
                headers=None,
                cookies=None,
                proxies=None,
                bill_to=None,
                base_url=None,
                api_key=None,
            ),
            "org/m",
            "conversational",
        )


def test_staging_and_error_statuses_warn() -> None:
    with pytest.warns(UserWarning, match="staging mode"):
        resolve(config(), "org/m", "conversational", hub({"cerebras": live(status="staging")}))
    with pytest.warns(UserWarning, match="health check"):
        resolve(config(), "org/m", "conversational", hub({"cerebras": live(status="error")}))


def test_routes_are_reused_until_headers_or_cookies_change() -> None:
    cfg = config(provider="hf-inference", cookies={"s": "1"})
    first, _ = resolve(cfg, "org/m", "fill-mask")
    again, _ = resolve(cfg, "org/m", "fill-mask")
    assert again is first
    cfg.headers["X-Trace"] = "t1"
    traced, _ = resolve(cfg, "org/m", "fill-mask")
    assert dict(traced.headers)["X-Trace"] == "t1"
    assert cfg.cookies is not None
    cfg.cookies["s"] = "2"
    cookied, _ = resolve(cfg, "org/m", "fill-mask")
    assert dict(cookied.headers)["cookie"] == "s=2"
    other, _ = resolve(cfg, "org/m", "text-classification")
    assert other.task == "text-classification"


@pytest.mark.parametrize("bad", [5, ["org/m"], {"id": "org/m"}, b"org/m"])
@pytest.mark.parametrize("task", sorted(TASK_KEYS))
def test_a_model_that_is_not_a_string_is_a_request_error_before_any_io(
    bad: Any, task: str
) -> None:
    with pytest.raises(RequestError, match="`model` must be a model id or a URL string"):
        resolve(config(provider=None), bad, task)


def test_a_provider_that_is_not_a_string_is_a_request_error() -> None:
    with pytest.raises(RequestError, match="`provider` must be a provider name, got list"):
        resolve(config(provider=["together"]), "org/m", "conversational")


def test_chat_with_a_non_string_model_is_a_request_error_not_an_attribute_error() -> None:
    from inference_core import InferenceClient
    from transports import MockTransport

    def refuse(request: Request) -> Response:
        raise AssertionError(f"nothing may be sent: {request}")

    client = InferenceClient(transport=MockTransport(refuse))
    with pytest.raises(RequestError, match="got int"):
        client.chat_completion([{"role": "user", "content": "Hi"}], model=5)  # type: ignore[arg-type]
    client.close()
