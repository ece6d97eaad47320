"""What is specific to :class:`AiohttpTransport`: asyncio only, one lazy session bound to one
loop, native asyncio cancellation, proxies, the environment, and the optional dependency.
Everything else is in ``test_contract.py``."""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import sys
import warnings

import aiohttp
import pytest

import transports
from fake_service import LoopbackServer
from inference_core._boundary import Request
from inference_core._errors import ConnectError
from transports.aiohttp import AiohttpTransport

from .conftest import seen_headers


@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.anyio
async def test_under_trio_a_clear_runtime_error(server: LoopbackServer) -> None:
    transport = AiohttpTransport()
    with pytest.raises(RuntimeError, match="asyncio only"):
        await transport.send(Request("GET", server.url + "/binary"))
    with pytest.raises(RuntimeError, match="asyncio only"):
        async with transport.stream(Request("GET", server.url + "/binary")):
            pass
    await transport.aclose()
    assert server.requests == []


def test_one_lazy_session_closed_without_warnings(server: LoopbackServer) -> None:
    transport = AiohttpTransport(timeout=5)
    assert transport._session is None  # nothing is created outside the event loop

    async def main() -> aiohttp.ClientSession | None:
        async with transport:
            calls = [transport.send(Request("GET", server.url + "/binary")) for _ in range(8)]
            await asyncio.gather(*calls)
            session = transport._session
            await transport.send(Request("GET", server.url + "/binary"))
            assert transport._session is session  # one session for every call
        return session

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        session = asyncio.run(main())
        assert session is not None and session.closed
        del session
        gc.collect()
    assert [str(w.message) for w in caught] == []  # no "Unclosed client session/connector"


def test_bound_to_the_first_event_loop(server: LoopbackServer) -> None:
    transport = AiohttpTransport(timeout=5)
    request = Request("GET", server.url + "/binary")
    first = asyncio.new_event_loop()
    try:
        assert first.run_until_complete(transport.send(request)).status == 200
        with pytest.raises(RuntimeError, match="event loop it first ran on"):
            asyncio.run(transport.send(request))
        first.run_until_complete(transport.aclose())
    finally:
        first.close()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_task_cancel_mid_stream_releases_the_connection(server: LoopbackServer) -> None:
    received: list[bytes] = []
    async with AiohttpTransport(timeout=10) as transport:

        async def consume() -> None:
            async with transport.stream(Request("GET", server.url + "/stream-then-stall")) as r:
                async for chunk in r.chunks:
                    received.append(chunk)

        task = asyncio.ensure_future(consume())
        while not received:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert (await transport.send(Request("GET", server.url + "/binary"))).status == 200
    assert server.connections_opened == 2


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_passed_session_is_used_as_configured_and_left_open(
    server: LoopbackServer,
) -> None:
    async with aiohttp.ClientSession(headers={"X-Session": "mine"}) as session:
        async with AiohttpTransport(session=session, timeout=5) as transport:
            response = await transport.send(Request("POST", server.url + "/echo", (), b""))
            assert seen_headers(response.body)["x-session"] == "mine"
        assert not session.closed
    with pytest.raises(ValueError, match="as configured"):
        AiohttpTransport(session=session, trust_env=True)


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_explicit_proxy_with_credentials(server: LoopbackServer, refused_url: str) -> None:
    proxy = server.url.replace("http://", "http://user:pw@")
    async with AiohttpTransport(proxies={"http": proxy}, timeout=5) as transport:
        response = await transport.send(Request("GET", refused_url + "echo?q=1"))
    assert json.loads(response.body)["target"] == refused_url + "echo?q=1"  # absolute form
    assert seen_headers(response.body)["proxy-authorization"] == "Basic dXNlcjpwdw=="


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_environment_proxies_only_with_trust_env(
    server: LoopbackServer, refused_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.setenv("http_proxy", server.url)
    async with AiohttpTransport(timeout=5) as transport:
        with pytest.raises(ConnectError):
            await transport.send(Request("GET", refused_url))  # default: environment ignored
    async with AiohttpTransport(timeout=5, trust_env=True) as transport:
        response = await transport.send(Request("GET", refused_url + "echo"))
    assert json.loads(response.body)["target"] == refused_url + "echo"


def test_bad_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="proxies"):
        AiohttpTransport(proxies={"ftp": "http://proxy:3128"})
    with pytest.raises(FileNotFoundError):
        AiohttpTransport(verify="/no/such/bundle.pem")
    with pytest.raises(ValueError, match="timeout"):
        AiohttpTransport(timeout=-1)


def test_module_imports_without_aiohttp_and_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # makes `import aiohttp` fail
    monkeypatch.delitem(sys.modules, "transports.aiohttp")
    monkeypatch.setattr(transports, "aiohttp", transports.aiohttp)  # restored afterwards
    module = importlib.import_module("transports.aiohttp")
    with pytest.raises(ImportError, match=r"pip install 'hf-inference-core\[aiohttp\]'"):
        module.AiohttpTransport()
