"""Client attributes are settable, as on huggingface_hub's clients, and apply to later calls.

Each scenario runs on the sync client and on the async client (asyncio and trio), against a
``MockTransport`` unless it needs the default transport (proxies, timeouts over a socket).
Routes are cached per client, so each test checks that a call after the change sees it.
"""

from __future__ import annotations

import inspect
import json
import time
import types
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import anyio
import pytest

from fake_service.server import LoopbackServer, Reply, ServerRequest, Stall, StreamReply
from inference_core import (
    AsyncInferenceClient,
    InferenceClient,
    InferenceTimeoutError,
    Request,
    RequestError,
    Response,
)
from transports import MockTransport

T = TypeVar("T")
MODES = ["sync", "asyncio", "trio"]
ROUTER = "https://router.huggingface.co/hf-inference/models"
LABELS = json.dumps([{"label": "POSITIVE", "score": 0.9}]).encode()
REFERENCE_ATTRIBUTES = ["model", "token", "headers", "provider", "cookies", "timeout", "proxies"]


@pytest.fixture(autouse=True)
def no_saved_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_DISABLE_IMPLICIT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "no-token"))


async def result(value: Any) -> Any:
    """The value of a client call: awaited for the async client."""
    return await value if inspect.isawaitable(value) else value


def run(mode: str, scenario: Callable[[Any], Awaitable[T]], **arguments: Any) -> T:
    """Run ``scenario(client)`` with the client of ``mode`` built from ``arguments``, then close
    it. (The sync client runs inside an event loop too; its calls simply block.)"""
    kind = InferenceClient if mode == "sync" else AsyncInferenceClient

    async def main() -> T:
        client = kind(**arguments)
        try:
            return await scenario(client)
        finally:
            await result(client.close())

    return anyio.run(main, backend="asyncio" if mode == "sync" else mode)


def labels(request: Request) -> Response:
    return Response(200, (("content-type", "application/json"),), LABELS)


def hub_and_labels(request: Request) -> Response:
    """The Hub's provider mapping (hf-inference), endpoint info, else labels."""
    body = LABELS
    if request.url.startswith("https://huggingface.co/api/models/"):
        model = request.url.split("/api/models/")[1].split("?")[0]
        mapping = {"hf-inference": {"providerId": model, "task": "text-classification"}}
        body = json.dumps({"id": model, "inferenceProviderMapping": mapping}).encode()
    elif request.url.endswith("/info"):
        body = b"{}"
    return Response(200, (("content-type", "application/json"),), body)


@pytest.mark.parametrize("kind", [InferenceClient, AsyncInferenceClient])
def test_the_reference_attributes_are_readable_and_settable(kind: type) -> None:
    client = kind(transport=MockTransport(labels))
    for name in REFERENCE_ATTRIBUTES:
        getattr(client, name)
        setattr(client, name, getattr(client, name))
    assert (client.model, client.provider, client.timeout, client.headers) == (None, None, None, {})
    if kind is AsyncInferenceClient:
        assert client.trust_env is False


# -- model and provider --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_setting_model_changes_where_the_next_call_goes(mode: str) -> None:
    transport = MockTransport(hub_and_labels)

    async def scenario(client: Any) -> None:
        await result(client.text_classification("hi"))
        client.model = "http://127.0.0.1:9/second"
        assert repr(client).endswith("(model='http://127.0.0.1:9/second', timeout=None)>")
        await result(client.text_classification("hi"))
        client.model = "org/third"
        await result(client.text_classification("hi"))
        await result(client.text_classification("hi", model="org/call"))

    run(mode, scenario, model="http://127.0.0.1:9/first", transport=transport)
    assert [r.url for r in transport.requests] == [
        "http://127.0.0.1:9/first",
        "http://127.0.0.1:9/second",
        # no provider: the Hub mapping of org/third is looked up first
        "https://huggingface.co/api/models/org/third?expand=inferenceProviderMapping",
        f"{ROUTER}/org/third",
        "https://huggingface.co/api/models/org/call?expand=inferenceProviderMapping",
        f"{ROUTER}/org/call",
    ]


@pytest.mark.parametrize("mode", MODES)
def test_setting_provider_applies_to_tasks_and_helpers(mode: str) -> None:
    transport = MockTransport(hub_and_labels)

    async def scenario(client: Any) -> None:
        await result(client.text_classification("hi"))
        client.provider = "no-such-provider"
        with pytest.raises(RequestError, match="Provider 'no-such-provider' not supported"):
            await result(client.text_classification("hi"))
        client.provider = "together"
        with pytest.raises(
            ValueError, match="Getting endpoint info is not supported on 'together'"
        ):
            await result(client.get_endpoint_info())
        client.provider = None
        assert await result(client.get_endpoint_info()) == {}
        client.provider = "hf-inference"
        await result(client.text_classification("hi"))

    run(mode, scenario, model="org/m", provider="hf-inference", transport=transport)
    assert [r.url for r in transport.requests] == [
        f"{ROUTER}/org/m",
        "https://api-inference.huggingface.co/models/org/m/info",
        f"{ROUTER}/org/m",
    ]


# -- token ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_setting_token_changes_the_authorization_of_later_calls(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    transport = MockTransport(labels)
    monkeypatch.setenv("HF_TOKEN", "hf_saved")

    async def scenario(client: Any) -> None:
        await result(client.text_classification("hi"))
        client.token = "hf_second"
        assert client.token == "hf_second"
        await result(client.text_classification("hi"))
        client.token = None  # the saved token, read again
        assert client.token == "hf_saved"
        await result(client.text_classification("hi"))
        with pytest.raises(RequestError, match="Cannot use `token=False`"):
            client.token = False
        with pytest.warns(DeprecationWarning, match="token=True"):
            client.token = True
        assert client.token == "hf_saved"
        with pytest.raises(RequestError, match="must be a string"):
            client.token = 42

    run(
        mode,
        scenario,
        model="org/m",
        provider="hf-inference",
        token="hf_first",
        transport=transport,
    )
    assert [r.header("authorization") for r in transport.requests] == [
        "Bearer hf_first",
        "Bearer hf_second",
        "Bearer hf_saved",
    ]


@pytest.mark.parametrize("mode", MODES)
def test_a_new_token_forgets_what_the_hub_said(mode: str) -> None:
    transport = MockTransport(hub_and_labels)

    async def scenario(client: Any) -> None:
        await result(client.text_classification("hi"))
        await result(client.text_classification("hi"))  # mapping and route remembered
        client.token = "hf_first"  # the same value: nothing to forget
        await result(client.text_classification("hi"))
        client.token = "hf_second"
        await result(client.text_classification("hi"))

    run(mode, scenario, model="org/m", token="hf_first", transport=transport)
    hub = [r for r in transport.requests if r.url.startswith("https://huggingface.co/")]
    assert [r.header("authorization") for r in hub] == ["Bearer hf_first", "Bearer hf_second"]
    assert len(transport.requests) == 6


# -- timeout -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_setting_timeout_travels_with_later_requests(mode: str) -> None:
    transport = MockTransport(labels)

    async def scenario(client: Any) -> None:
        await result(client.text_classification("hi"))
        client.timeout = 2
        assert repr(client).endswith("timeout=2)>")  # kept as given, as huggingface_hub does
        await result(client.text_classification("hi"))
        for bad in (0, -1, "10"):
            with pytest.raises(RequestError, match="`timeout` must be a positive number"):
                client.timeout = bad
        assert client.timeout == 2
        client.timeout = None
        await result(client.text_classification("hi"))

    run(mode, scenario, model="http://127.0.0.1:9", timeout=30, transport=transport)
    assert [r.timeout for r in transport.requests] == [30.0, 2.0, None]


def slow_service(request: ServerRequest) -> Reply | StreamReply | Stall:
    if request.target == "/stall/health":
        return Stall(30)
    return StreamReply([b"o", b"k"], headers=(), delay=0.6)  # the body's end comes late


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.timeout(30)
def test_a_timeout_set_later_governs_the_default_transport(mode: str) -> None:
    async def scenario(client: Any) -> None:
        assert await result(client.health_check()) is True  # no timeout: waits for the body
        client.timeout = 0.2
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            await result(client.health_check(client.model + "/stall"))
        assert time.monotonic() - started < 5
        with pytest.raises(InferenceTimeoutError):
            await result(client.health_check())  # 0.6 s between chunks is too slow now
        client.timeout = 5  # longer than the constructor's: the transport keeps no default
        assert await result(client.health_check()) is True

    with LoopbackServer(slow_service) as server:
        run(mode, scenario, model=server.url)


# -- headers and cookies -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_assigning_headers_replaces_them(mode: str) -> None:
    transport = MockTransport(hub_and_labels)
    assigned = {"X-New": "1"}

    async def scenario(client: Any) -> None:
        await result(client.text_classification("hi"))
        client.headers = assigned
        assert client.headers is assigned
        await result(client.text_classification("hi"))
        assigned["X-Later"] = "2"  # the assigned dict is the client's, as in huggingface_hub
        await result(client.text_classification("hi"))
        client.headers = types.MappingProxyType({"X-Proxy": "3"})
        assert client.headers == {"X-Proxy": "3"}
        await result(client.get_endpoint_info())
        client.headers = None
        assert client.headers == {}
        await result(client.text_classification("hi"))
        with pytest.raises(RequestError, match="`headers` must be a mapping"):
            client.headers = [("X-A", "1")]

    run(
        mode,
        scenario,
        model="http://127.0.0.1:9",
        headers={"X-Old": "0"},
        bill_to="org",
        transport=transport,
    )
    custom = [
        tuple(name for name, _ in r.headers if name.lower().startswith("x-"))
        for r in transport.requests
    ]
    assert custom == [
        ("X-Old", "X-HF-Bill-To"),
        ("X-New",),
        ("X-New", "X-Later"),
        ("X-Proxy",),
        (),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_setting_cookies_applies_to_later_calls(mode: str) -> None:
    transport = MockTransport(labels)

    async def scenario(client: Any) -> None:
        await result(client.text_classification("hi"))
        client.cookies = {"session": "abc", "theme": "dark"}
        await result(client.text_classification("hi"))
        client.cookies["theme"] = "light"
        await result(client.text_classification("hi"))
        client.cookies = None
        await result(client.text_classification("hi"))

    run(mode, scenario, model="http://127.0.0.1:9", transport=transport)
    assert [r.header("cookie") for r in transport.requests] == [
        None,
        "session=abc; theme=dark",
        "session=abc; theme=light",
        None,
    ]


# -- proxies -------------------------------------------------------------------------------------


def forward_proxy(request: ServerRequest) -> Reply:
    return Reply.json({"proxied": request.target})


@pytest.mark.parametrize("mode", MODES)
def test_setting_proxies_gives_the_client_a_transport_through_them(mode: str) -> None:
    async def scenario(client: Any) -> list[Any]:
        first = client._transport
        client.proxies = proxy.url
        assert client.proxies == proxy.url
        assert await result(client.get_endpoint_info()) == {
            "proxied": "http://example.invalid:81/tgi/info"
        }
        client.proxies = {"http": proxy.url}
        await result(client.get_endpoint_info())
        client.proxies = None
        assert client._retired_transports[0] is first
        assert len({id(t) for t in [*client._retired_transports, client._transport]}) == 4
        return [*client._retired_transports, client._transport]

    with LoopbackServer(forward_proxy) as proxy:
        transports = run(mode, scenario, model="http://example.invalid:81/tgi", timeout=5)
    assert len(proxy.requests) == 2
    for transport in transports:  # every transport built was closed with the client
        with pytest.raises(RuntimeError):
            if mode == "sync":
                transport.send(Request("GET", "http://127.0.0.1:9"))
            else:

                async def closed(transport: Any = transport) -> None:
                    await transport.send(Request("GET", "http://127.0.0.1:9"))

                anyio.run(closed, backend=mode)


@pytest.mark.parametrize("kind", [InferenceClient, AsyncInferenceClient])
def test_a_transport_given_to_the_constructor_keeps_its_own_settings(kind: type) -> None:
    transport = MockTransport(labels)
    client = kind(transport=transport)
    client.proxies = "http://127.0.0.1:9"
    assert client.proxies == "http://127.0.0.1:9"
    assert client._retired_transports == []
    assert getattr(client._transport, "_mock", client._transport) is transport


def test_proxies_set_after_close_build_nothing() -> None:
    client = InferenceClient()
    client.close()
    client.proxies = "http://127.0.0.1:9"
    assert client._retired_transports == []


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_setting_trust_env_replaces_the_async_default_transport(backend: str) -> None:
    async def main() -> None:
        async with AsyncInferenceClient(trust_env=False) as client:
            first = client._transport
            client.trust_env = True
            assert client.trust_env is True
            assert client._transport is not first
            assert client._retired_transports == [first]

    anyio.run(main, backend=backend)
