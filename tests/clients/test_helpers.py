"""The non-task helpers on both clients: get_endpoint_info, health_check, get_model_status and
list_deployed_models (spec client.md §3), sync, asyncio and trio.

Exact requests, headers, warnings and errors go through ``MockTransport``; each helper also
runs once per mode over a real loopback socket with the client's default transport.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest.mock import create_autospec

import anyio
import pytest

from fake_service.server import LoopbackServer, Reply, ServerRequest
from inference_core import (
    AsyncInferenceClient,
    BadRequestError,
    ConnectError,
    HfHubHTTPError,
    InferenceClient,
    ModelStatus,
    Request,
    RequestError,
    Response,
)
from inference_core._tasks.helpers import ALL_FRAMEWORKS, MAIN_FRAMEWORKS
from transports import MockTransport

MODES = ["sync", "asyncio", "trio"]
ENDPOINT = "https://api-inference.huggingface.co"
URL = "https://my-endpoint.example"
STATUS = {
    "loaded": True,
    "state": "Loaded",
    "compute_type": {"gpu": {"gpu": "a100", "count": 8}},
    "framework": "text-generation-inference",
}
STATUS_WARNING = r".*'get_model_status'.*"
LIST_WARNING = r".*'list_deployed_models'.*"
Handler = Callable[[Request], Response]


@pytest.fixture(autouse=True)
def no_saved_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No token or endpoint from the machine running the tests."""
    for name in (
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "HF_INFERENCE_ENDPOINT",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "no-token"))


def call(mode: str, name: str, *args: Any, client: dict[str, Any], **kwargs: Any) -> Any:
    """Build the client of ``mode`` with ``client`` arguments, call helper ``name``, close."""
    if mode == "sync":
        with InferenceClient(**client) as sync_client:
            return getattr(sync_client, name)(*args, **kwargs)

    async def main() -> Any:
        async with AsyncInferenceClient(**client) as async_client:
            return await getattr(async_client, name)(*args, **kwargs)

    return anyio.run(main, backend=mode)


def json_reply(payload: Any, status: int = 200) -> Handler:
    body = json.dumps(payload).encode()
    return lambda request: Response(status, (("content-type", "application/json"),), body)


def mock(handler: Handler, **client: Any) -> tuple[MockTransport, dict[str, Any]]:
    transport = MockTransport(handler)
    return transport, {"transport": transport, **client}


# -- get_endpoint_info ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_endpoint_info_of_a_url_sends_the_client_headers_cookies_and_timeout(mode: str) -> None:
    info = {"model_id": "org/m", "max_total_tokens": 8192, "version": "2.0.2"}
    transport, client = mock(
        json_reply(info),
        model=URL + "/",
        token="hf_secret",
        headers={"X-Custom": "1"},
        cookies={"session": "abc"},
        bill_to="my-org",
        timeout=7,
    )
    assert call(mode, "get_endpoint_info", client=client) == info
    [request] = transport.requests
    assert (request.method, request.url, request.body) == ("GET", URL + "/info", None)
    assert request.timeout == 7.0
    assert request.header("authorization") == "Bearer hf_secret"
    assert (request.header("user-agent") or "").startswith("hf-inference-core/")
    assert request.header("x-custom") == "1"
    assert request.header("cookie") == "session=abc"
    assert request.header("X-HF-Bill-To") == "my-org"


@pytest.mark.parametrize("mode", MODES)
def test_endpoint_info_of_a_model_id_asks_the_inference_api(mode: str) -> None:
    transport, client = mock(json_reply({}), model="org/client-model")
    assert call(mode, "get_endpoint_info", client=client) == {}
    assert call(mode, "get_endpoint_info", model="org/call-model", client=client) == {}
    assert [r.url for r in transport.requests] == [
        f"{ENDPOINT}/models/org/client-model/info",
        f"{ENDPOINT}/models/org/call-model/info",
    ]
    assert transport.requests[0].header("authorization") is None  # no token anywhere
    assert transport.requests[0].timeout is None


@pytest.mark.parametrize("mode", MODES)
def test_the_inference_endpoint_comes_from_the_environment_at_construction(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", "http://127.0.0.1:9/api/")
    transport, client = mock(json_reply({}), model="org/m")
    call(mode, "get_endpoint_info", client=client)
    assert transport.requests[0].url == "http://127.0.0.1:9/api/models/org/m/info"


@pytest.mark.parametrize("mode", MODES)
def test_endpoint_info_errors_are_typed(mode: str) -> None:
    _, client = mock(json_reply({"error": "Bad input"}, status=400), model=URL)
    with pytest.raises(BadRequestError, match="Bad input"):
        call(mode, "get_endpoint_info", client=client)
    _, client = mock(json_reply(["not", "an", "object"]), model=URL)
    with pytest.raises(HfHubHTTPError, match="not a JSON object") as caught:
        call(mode, "get_endpoint_info", client=client)
    assert isinstance(caught.value, ValueError)


def test_endpoint_info_takes_model_by_keyword_only() -> None:
    client = InferenceClient(transport=MockTransport(json_reply({})))
    with pytest.raises(TypeError):
        client.get_endpoint_info(URL)  # type: ignore[call-arg]


def test_autospec_checks_helper_calls() -> None:
    fake: Any = create_autospec(InferenceClient, instance=True)
    fake.get_endpoint_info(model=URL)
    fake.health_check(URL)
    fake.get_model_status("org/m")
    fake.list_deployed_models(frameworks="all")
    with pytest.raises(TypeError):
        fake.get_endpoint_info(URL)
    with pytest.raises(TypeError):
        fake.health_check(URL, "extra")
    with pytest.raises(TypeError):
        fake.list_deployed_models(model="org/m")


# -- health_check --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "healthy"), [(200, True), (204, False), (404, False)])
def test_health_check_is_true_only_for_200(mode: str, status: int, healthy: bool) -> None:
    transport, client = mock(json_reply({"error": "x"}, status=status), cookies={"c": "1"})
    assert call(mode, "health_check", "http://127.0.0.1:9/tgi/", client=client) is healthy
    [request] = transport.requests
    assert (request.method, request.url) == ("GET", "http://127.0.0.1:9/tgi/health")
    assert request.header("cookie") == "c=1"


@pytest.mark.parametrize("mode", MODES)
def test_health_check_answers_false_on_server_errors_and_follows_redirects(mode: str) -> None:
    def handler(request: Request) -> Response:
        if request.url.endswith("/old/health"):
            return Response(302, (("location", "/new/health"),))
        if request.url.endswith("/new/health"):
            return Response(200)
        return Response(503, body=b"loading")

    transport, client = mock(handler, model=URL + "/old")
    assert call(mode, "health_check", client=client) is True
    assert [r.url for r in transport.requests] == [URL + "/old/health", URL + "/new/health"]
    assert call(mode, "health_check", URL + "/down", client=client) is False


@pytest.mark.parametrize("mode", MODES)
def test_health_check_lets_transport_errors_through(mode: str) -> None:
    def handler(request: Request) -> Response:
        raise ConnectError("connection refused")

    _, client = mock(handler, model=URL)
    with pytest.raises(ConnectError):
        call(mode, "health_check", client=client)


@pytest.mark.parametrize("mode", MODES)
def test_health_check_needs_a_url(mode: str) -> None:
    transport, client = mock(json_reply({}), model="org/m")
    with pytest.raises(RequestError, match="Model must be an Inference Endpoint URL"):
        call(mode, "health_check", client=client)
    assert transport.requests == []


# -- get_model_status ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_model_status_warns_and_returns_a_model_status(mode: str) -> None:
    transport, client = mock(json_reply(STATUS), model="org/m", token="hf_t")
    with pytest.warns(FutureWarning, match=STATUS_WARNING) as caught:
        status = call(mode, "get_model_status", client=client)
    assert len(caught) == 1
    assert "is deprecated and will be removed from version '0.35.0'." in str(caught[0].message)
    assert status == ModelStatus(
        loaded=True,
        state="Loaded",
        compute_type={"gpu": {"gpu": "a100", "count": 8}},
        framework="text-generation-inference",
    )
    assert dataclasses.asdict(status) == STATUS
    [request] = transport.requests
    assert (request.method, request.url) == ("GET", f"{ENDPOINT}/status/org/m")
    assert request.header("authorization") == "Bearer hf_t"


@pytest.mark.parametrize("mode", MODES)
def test_deprecation_warnings_point_at_the_caller(mode: str) -> None:
    _, client = mock(json_reply(STATUS), model="org/m")
    with pytest.warns(FutureWarning, match=STATUS_WARNING) as caught:
        call(mode, "get_model_status", client=client)
    assert caught[0].filename == __file__  # the line of ``call`` that calls or awaits
    _, client = mock(json_reply([]))
    with pytest.warns(FutureWarning, match=LIST_WARNING) as caught:
        call(mode, "list_deployed_models", "keras", client=client)
    assert caught[0].filename == __file__


@pytest.mark.parametrize("mode", MODES)
def test_model_status_with_an_error_body_raises_its_message(mode: str) -> None:
    _, client = mock(json_reply({"error": "Model org/m does not exist"}))
    with (
        pytest.warns(FutureWarning, match=STATUS_WARNING),
        pytest.raises(ValueError, match=r"^Model org/m does not exist$"),
    ):
        call(mode, "get_model_status", "org/m", client=client)
    _, client = mock(json_reply({"loaded": False, "state": "TooBig"}))
    with (
        pytest.warns(FutureWarning, match=STATUS_WARNING),
        pytest.raises(ValueError, match="has no compute_type, framework"),
    ):
        call(mode, "get_model_status", "org/m", client=client)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("url", ["https://x.example", "http://127.0.0.1:8080"])
def test_model_status_refuses_urls(mode: str, url: str) -> None:
    transport, client = mock(json_reply(STATUS), model=url)
    with (
        pytest.warns(FutureWarning, match=STATUS_WARNING),
        pytest.raises(NotImplementedError, match="only available for Inference API"),
    ):
        call(mode, "get_model_status", client=client)
    assert transport.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_model_status_http_errors_are_typed(mode: str) -> None:
    _, client = mock(json_reply({"error": "boom"}, status=500))
    with (
        pytest.warns(FutureWarning, match=STATUS_WARNING),
        pytest.raises(HfHubHTTPError, match="boom") as caught,
    ):
        call(mode, "get_model_status", "org/m", client=client)
    assert caught.value.status == 500


# -- list_deployed_models ------------------------------------------------------------------------


def framework_handler(request: Request) -> Response:
    framework = request.url.rsplit("/", 1)[1]
    items: list[dict[str, str]] = {
        "transformers": [
            {"model_id": "b/model", "task": "text-classification"},
            {"model_id": "A/model", "task": "text-classification"},
            {"model_id": "a/other", "task": "text-classification"},
            {"model_id": "b/model", "task": "text-classification"},
            {"model_id": "gpt2", "task": "text-generation"},
        ],
        "sentence-transformers": [{"model_id": "st/mini", "task": "whatever"}],
        "text-generation-inference": [{"model_id": "Org/llm", "task": "text-generation"}],
    }.get(framework, [])
    return json_reply(items)(request)


@pytest.mark.parametrize("mode", MODES)
def test_list_deployed_models_by_default_asks_the_4_main_frameworks(mode: str) -> None:
    transport, client = mock(framework_handler, headers={"X-Custom": "1"})
    with pytest.warns(FutureWarning, match=LIST_WARNING):
        models = call(mode, "list_deployed_models", client=client)
    assert [r.url for r in transport.requests] == [
        f"{ENDPOINT}/framework/{name}" for name in MAIN_FRAMEWORKS
    ]
    assert all(r.header("x-custom") == "1" for r in transport.requests)
    assert models == {
        "feature-extraction": ["st/mini"],
        "sentence-similarity": ["st/mini"],
        "text-generation": ["gpt2", "Org/llm"],
        "text-classification": ["A/model", "a/other", "b/model"],
    }
    assert list(models) == [  # tasks in the order they were first seen
        "feature-extraction",
        "sentence-similarity",
        "text-generation",
        "text-classification",
    ]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("frameworks", "asked"),
    [
        ("all", list(ALL_FRAMEWORKS)),
        ("transformers", ["transformers"]),
        (["keras", "timm", "keras"], ["keras", "timm"]),
        ([], []),
    ],
)
def test_list_deployed_models_frameworks(mode: str, frameworks: Any, asked: list[str]) -> None:
    transport, client = mock(framework_handler)
    with pytest.warns(FutureWarning, match=LIST_WARNING):
        call(mode, "list_deployed_models", frameworks, client=client)
    assert [r.url.rsplit("/", 1)[1] for r in transport.requests] == asked


def test_all_means_28_frameworks() -> None:
    assert len(ALL_FRAMEWORKS) == len(set(ALL_FRAMEWORKS)) == 28
    assert ALL_FRAMEWORKS[:4] == MAIN_FRAMEWORKS


@pytest.mark.parametrize("mode", MODES)
def test_list_deployed_models_refuses_bad_frameworks_and_bad_answers(mode: str) -> None:
    transport, client = mock(json_reply({"not": "a list"}))
    with (
        pytest.warns(FutureWarning, match=LIST_WARNING),
        pytest.raises(RequestError, match="`frameworks` must be"),
    ):
        call(mode, "list_deployed_models", [1], client=client)
    assert transport.requests == []
    with (
        pytest.warns(FutureWarning, match=LIST_WARNING),
        pytest.raises(HfHubHTTPError, match="not a list of objects"),
    ):
        call(mode, "list_deployed_models", "keras", client=client)
    _, client = mock(json_reply({"error": "nope"}, status=404))
    with (
        pytest.warns(FutureWarning, match=LIST_WARNING),
        pytest.raises(HfHubHTTPError, match="nope"),
    ):
        call(mode, "list_deployed_models", "keras", client=client)


# -- shared guards -------------------------------------------------------------------------------

GUARDED = [
    ("get_endpoint_info", "Getting endpoint info", None),
    ("health_check", "Health check", None),
    ("get_model_status", "Getting model status", STATUS_WARNING),
    ("list_deployed_models", "Listing deployed models", LIST_WARNING),
]


def guarded_call(mode: str, name: str, warning: str | None, client: dict[str, Any]) -> Any:
    if warning is None:
        return call(mode, name, client=client)
    with pytest.warns(FutureWarning, match=warning):
        return call(mode, name, client=client)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("name", "action", "warning"), GUARDED)
def test_other_providers_are_refused_with_the_reference_message(
    mode: str, name: str, action: str, warning: str | None
) -> None:
    transport, client = mock(json_reply({}), model=URL, provider="together")
    with pytest.raises(ValueError, match=f"^{action} is not supported on 'together'.$"):
        guarded_call(mode, name, warning, client)
    assert transport.requests == []


@pytest.mark.parametrize("provider", [None, "auto", "hf-inference"])
@pytest.mark.parametrize(("name", "action", "warning"), GUARDED)
def test_the_default_auto_and_hf_inference_providers_are_accepted(
    provider: str | None, name: str, action: str, warning: str | None
) -> None:
    """Unlike huggingface_hub, which refuses its own default ``provider=None`` here."""

    def handler(request: Request) -> Response:
        if "/framework/" in request.url:
            return framework_handler(request)
        return json_reply(STATUS if "/status/" in request.url else {})(request)

    transport, client = mock(handler, model=URL, provider=provider)
    if name == "get_model_status":
        client["model"] = "org/m"
    if name == "list_deployed_models":
        client["model"] = None
    guarded_call("sync", name, warning, client)
    assert len(transport.requests) == (4 if name == "list_deployed_models" else 1)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("name", "warning"),
    [("get_endpoint_info", None), ("health_check", None), ("get_model_status", STATUS_WARNING)],
)
def test_a_model_is_required(mode: str, name: str, warning: str | None) -> None:
    transport, client = mock(json_reply({}))
    with pytest.raises(ValueError, match=r"^Model id not provided\.$"):
        guarded_call(mode, name, warning, client)
    assert transport.requests == []


@pytest.mark.parametrize("mode", MODES)
def test_a_model_id_must_be_valid(mode: str) -> None:
    transport, client = mock(json_reply({}), model="../../etc")
    with pytest.raises(RequestError, match="invalid model id"):
        call(mode, "get_endpoint_info", client=client)
    assert transport.requests == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("disabled", "given", "sent"),
    [
        ("1", None, None),
        ("true", "hf_given", "Bearer hf_given"),
        ("", None, "Bearer hf_saved"),
    ],
)
def test_disabling_the_implicit_token_keeps_the_saved_token_at_home(
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
    disabled: str,
    given: str | None,
    sent: str | None,
) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_saved")
    monkeypatch.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", disabled)
    transport, client = mock(json_reply({}), model=URL, token=given)
    call(mode, "get_endpoint_info", client=client)
    assert transport.requests[0].header("authorization") == sent


# -- loopback: the default transport over a real socket ------------------------------------------


def service(request: ServerRequest) -> Reply:
    path = request.target
    if path == "/tgi/info":
        return Reply.json({"model_id": "org/m", "seen_cookie": request.header("cookie")})
    if path == "/tgi/health":
        return Reply(200)
    if path == "/api/status/org/m":
        return Reply.json({**STATUS, "loaded": False, "compute_type": "cpu", "state": "TooBig"})
    if path.startswith("/api/framework/"):
        framework = path.rsplit("/", 1)[1]
        return Reply.json([{"model_id": f"{framework}/m", "task": "text-generation"}])
    return Reply.json({"error": f"no route {path}"}, status=404)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    with LoopbackServer(service) as running:
        monkeypatch.setenv("HF_INFERENCE_ENDPOINT", running.url + "/api")
        yield running


@pytest.mark.parametrize("mode", MODES)
def test_loopback_get_endpoint_info(mode: str, server: LoopbackServer) -> None:
    client = {"model": server.url + "/tgi", "cookies": {"k": "v"}, "timeout": 5}
    info = call(mode, "get_endpoint_info", client=client)
    assert info == {"model_id": "org/m", "seen_cookie": "k=v"}
    with pytest.raises(HfHubHTTPError, match="no route /api/models/org/x/info"):
        call(mode, "get_endpoint_info", model="org/x", client=client)


@pytest.mark.parametrize("mode", MODES)
def test_loopback_health_check(mode: str, server: LoopbackServer) -> None:
    client = {"token": "hf_t", "headers": {"X-Custom": "1"}}
    assert call(mode, "health_check", server.url + "/tgi", client=client) is True
    assert call(mode, "health_check", server.url + "/down", client=client) is False
    seen = server.requests[0]
    assert (seen.method, seen.target) == ("GET", "/tgi/health")
    assert (seen.header("authorization"), seen.header("x-custom")) == ("Bearer hf_t", "1")


@pytest.mark.parametrize("mode", MODES)
def test_loopback_get_model_status(mode: str, server: LoopbackServer) -> None:
    with pytest.warns(FutureWarning, match=STATUS_WARNING):
        status = call(mode, "get_model_status", "org/m", client={})
    assert status == ModelStatus(False, "TooBig", "cpu", "text-generation-inference")
    assert server.requests[0].target == "/api/status/org/m"


@pytest.mark.parametrize("mode", MODES)
def test_loopback_list_deployed_models(mode: str, server: LoopbackServer) -> None:
    with pytest.warns(FutureWarning, match=LIST_WARNING):
        models = call(mode, "list_deployed_models", ["timm", "keras"], client={})
    assert models == {"text-generation": ["keras/m", "timm/m"]}
    assert [r.target for r in server.requests] == ["/api/framework/timm", "/api/framework/keras"]
    assert server.connections_opened == 1  # one client, one kept-alive connection
