"""The transport contract: every scenario on every transport, through real loopback sockets.

Blocking transports come from ``make_sync``; async ones from ``make_async``, on asyncio and on
trio wherever the transport can run (see ``conftest.py``). A new transport joins the suite by
adding a line to one of those fixtures. Run with ``python -X dev -W error::ResourceWarning``.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from fake_service import LoopbackServer, Reply, ServerRequest
from fake_service.tgi import reply_words, tgi_handler
from inference_core import AsyncInferenceClient, InferenceClient
from inference_core.transport import (
    AsyncTransport,
    ConnectError,
    InferenceTimeoutError,
    RemoteProtocolError,
    Request,
    RequestError,
    SyncTransport,
    TransportError,
)

from .conftest import (
    BIG,
    LATE_CHUNKS,
    SLOW_EVENTS,
    SSE_CHUNKS,
    AsyncFactory,
    SyncFactory,
    seen_headers,
)

pytestmark = pytest.mark.timeout(60)

ECHO_REQUEST_HEADERS = (
    ("Content-Type", "application/json"),
    ("X-Test", "yes"),
    ("X-Multi", "a"),
    ("X-Multi", "b"),
)
INVALID_URLS = ["ftp://example.com/", "/relative", "http:///nohost", "http://example.com/é"]
MESSAGES = [{"role": "user", "content": "hi"}]


def get(server: LoopbackServer, path: str) -> Request:
    return Request("GET", server.url + path)


def check_echo(server: LoopbackServer, status: int, headers: Any, body: bytes) -> None:
    assert status == 200
    assert ("x-reply", "Yes") in headers  # names lower-cased, values as sent
    echoed = json.loads(body)
    assert (echoed["method"], echoed["target"]) == ("POST", "/echo?a=1&b=two")
    sent = seen_headers(body)
    assert sent["content-type"] == "application/json"
    assert sent["x-test"] == "yes"
    assert sent["x-multi"] == "a, b"  # repeated names arrive, separately or joined
    assert sent["content-length"] == "8"
    assert sent["host"] == server.url.removeprefix("http://")
    assert "cookie" not in sent  # the Set-Cookie of an earlier reply is never sent back
    assert echoed["body"] == '{"x": 1}'


@pytest.fixture
def redirect_pair() -> Any:
    """Server A (127.0.0.1) answers 307 to server B on ``localhost``, another origin."""
    with LoopbackServer(tgi_handler) as server_b:
        location = f"http://localhost:{server_b.url.rsplit(':', 1)[1]}/v1/chat/completions"

        def redirect(_: ServerRequest) -> Reply:
            return Reply(307, (("location", location),))

        with LoopbackServer(redirect) as server_a:
            yield server_a, server_b


# (the transport's own timeout, the request's timeout): each pair must expire after 0.3 s.
EXPIRING = [
    pytest.param(None, 0.3, id="request-timeout-no-default"),
    pytest.param(0.3, None, id="no-request-timeout-default-applies"),
    pytest.param(30, 0.3, id="request-timeout-beats-longer-default"),
]


def built_with(default: float | None) -> dict[str, float]:
    """A factory's keyword arguments: no ``timeout`` at all for None (the constructor default)."""
    return {} if default is None else {"timeout": default}


@contextlib.contextmanager
def times_out_quickly() -> Iterator[None]:
    """The block raises InferenceTimeoutError, well before a 30 s stall would end."""
    started = time.monotonic()
    with pytest.raises(InferenceTimeoutError, match="timed out"):
        yield
    assert time.monotonic() - started < 3


def check_redirected(server_a: LoopbackServer, server_b: LoopbackServer, out: Any) -> None:
    assert out.choices[0].message.content == "".join(reply_words("hi"))
    assert server_a.requests[0].header("authorization") == "Bearer hf_secret"
    (seen,) = server_b.requests
    assert (seen.method, seen.target) == ("POST", "/v1/chat/completions")
    assert seen.header("authorization") is None  # dropped on the cross-origin hop
    assert seen.json()["messages"] == MESSAGES


# ---- blocking transports ----------------------------------------------------------------------


def test_sync_json_round_trip(make_sync: SyncFactory, server: LoopbackServer) -> None:
    request = Request("POST", server.url + "/echo?a=1&b=two", ECHO_REQUEST_HEADERS, b'{"x": 1}')
    with make_sync(timeout=5) as transport:
        assert isinstance(transport, SyncTransport)
        for _ in range(2):
            response = transport.send(request)
            check_echo(server, response.status, response.headers, response.body)


def test_sync_binary_and_10mb_bodies(make_sync: SyncFactory, server: LoopbackServer) -> None:
    payload = bytes(range(256)) * 4
    with make_sync(timeout=5) as transport:
        response = transport.send(Request("POST", server.url + "/binary", (), payload))
        assert response.body == payload
        assert response.header("content-length") == str(len(payload))
        assert transport.send(get(server, "/big")).body == BIG
        with transport.stream(get(server, "/big")) as streamed:
            assert b"".join(streamed.chunks) == BIG


def test_sync_stream_chunks_arrive_separately(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    arrivals = []
    with make_sync(timeout=5) as transport:
        with transport.stream(get(server, "/sse")) as response:
            assert response.status == 200
            assert ("content-type", "text/event-stream") in response.headers
            for chunk in response.chunks:
                arrivals.append((chunk, time.monotonic()))
        assert [chunk for chunk, _ in arrivals] == SSE_CHUNKS
        assert b"".join(chunk for chunk, _ in arrivals) == b"".join(SSE_CHUNKS)
        assert arrivals[-1][1] - arrivals[0][1] > 0.2  # the first came long before the last


def test_sync_sequential_calls_and_streams_reuse_one_connection(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=5) as transport:
        for i in range(10):
            assert transport.send(Request("POST", server.url + "/binary", (), b"%d" % i)).body
            with transport.stream(get(server, "/sse")) as response:
                assert b"".join(response.chunks) == b"".join(SSE_CHUNKS)
    assert server.connections_opened == 1


def test_sync_stream_early_exit_closes_the_connection(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=5) as transport:
        with transport.stream(get(server, "/stream-then-stall")) as response:
            assert next(response.chunks) == b"first"
        assert list(response.chunks) == []  # released: nothing more
        assert transport.send(get(server, "/binary")).status == 200
    assert server.connections_opened == 2


def test_sync_transport_returns_redirects_as_is(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=5) as transport:
        response = transport.send(Request("POST", server.url + "/redirect", (), b"{}"))
    assert response.status == 307
    assert response.header("location") == "http://localhost:9/elsewhere"
    assert len(server.requests) == 1


def test_sync_client_redirect_drops_authorization(
    make_sync: SyncFactory, redirect_pair: tuple[LoopbackServer, LoopbackServer]
) -> None:
    server_a, server_b = redirect_pair
    with make_sync(timeout=5) as transport:
        client = InferenceClient(server_a.url, token="hf_secret", transport=transport)
        check_redirected(server_a, server_b, client.chat_completion(MESSAGES))


def test_sync_connection_refused(make_sync: SyncFactory, refused_url: str) -> None:
    with make_sync(timeout=5) as transport, pytest.raises(ConnectError):
        transport.send(Request("GET", refused_url))


def test_sync_read_timeout_on_a_stall(make_sync: SyncFactory, server: LoopbackServer) -> None:
    with make_sync(timeout=0.5) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError, match="timed out") as info:
            transport.send(get(server, "/stall"))
        assert time.monotonic() - started < 0.5 + 1.5
        assert isinstance(info.value, TimeoutError)
        assert transport.send(get(server, "/binary")).status == 200


def test_sync_timeout_is_per_read_not_per_stream(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=0.5) as transport:
        with transport.stream(get(server, "/sse-slow")) as response:
            assert list(response.chunks) == SLOW_EVENTS  # 0.6 s in all, never 0.5 s idle
        with transport.stream(get(server, "/stream-then-stall")) as response:
            assert next(response.chunks) == b"first"
            with pytest.raises(InferenceTimeoutError):
                next(response.chunks)
        assert transport.send(get(server, "/binary")).status == 200


@pytest.mark.parametrize(("default", "timeout"), EXPIRING)
def test_sync_stall_expires_on_the_request_timeout_else_the_default(
    make_sync: SyncFactory, server: LoopbackServer, default: float | None, timeout: float | None
) -> None:
    with make_sync(**built_with(default)) as transport:
        with times_out_quickly():
            transport.send(Request("GET", server.url + "/stall", timeout=timeout))
        with (
            times_out_quickly(),
            transport.stream(Request("GET", server.url + "/stall", timeout=timeout)),
        ):
            pass  # stalled before the headers
        stalling = Request("GET", server.url + "/stream-then-stall", timeout=timeout)
        with transport.stream(stalling) as response:
            assert next(response.chunks) == b"first"
            with times_out_quickly():
                next(response.chunks)  # stalled mid-body
        assert transport.send(get(server, "/binary")).status == 200


def test_sync_request_timeout_beats_a_shorter_default(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    late = Request("GET", server.url + "/late", timeout=5)
    with make_sync(timeout=0.2) as transport:
        assert transport.send(late).body == b"late"  # 0.6 s before the headers
        with transport.stream(late) as response:
            assert b"".join(response.chunks) == b"late"
        with transport.stream(Request("GET", server.url + "/late-stream", timeout=5)) as response:
            assert list(response.chunks) == LATE_CHUNKS  # 0.6 s between chunks
        with times_out_quickly():  # the next request without its own gets the default back
            transport.send(get(server, "/late"))


def test_sync_peer_breaking_http(make_sync: SyncFactory, server: LoopbackServer) -> None:
    with make_sync(timeout=5) as transport:
        with pytest.raises(RemoteProtocolError):
            transport.send(get(server, "/cut"))  # closed mid-body
        with pytest.raises(RemoteProtocolError):
            transport.send(get(server, "/hang-up"))  # closed before answering
        with transport.stream(get(server, "/cut")) as response:
            assert next(response.chunks) == b"partial"  # bytes arrive before the error
            with pytest.raises(RemoteProtocolError):
                next(response.chunks)
        assert transport.send(get(server, "/binary")).status == 200


@pytest.mark.parametrize("url", INVALID_URLS)
def test_sync_invalid_url_is_a_request_error(make_sync: SyncFactory, url: str) -> None:
    with make_sync() as transport, pytest.raises(RequestError):
        transport.send(Request("GET", url))


def test_sync_close_twice_then_use_raises(make_sync: SyncFactory, server: LoopbackServer) -> None:
    transport = make_sync()
    transport.send(get(server, "/binary"))
    transport.close()
    transport.close()
    with pytest.raises(RuntimeError, match="closed"):
        transport.send(get(server, "/binary"))
    with pytest.raises(RuntimeError, match="closed"), transport.stream(get(server, "/binary")):
        pass


# ---- async transports (asyncio and trio) ------------------------------------------------------


@pytest.mark.anyio
async def test_async_json_round_trip(make_async: AsyncFactory, server: LoopbackServer) -> None:
    request = Request("POST", server.url + "/echo?a=1&b=two", ECHO_REQUEST_HEADERS, b'{"x": 1}')
    async with make_async(timeout=5) as transport:
        assert isinstance(transport, AsyncTransport)
        for _ in range(2):
            response = await transport.send(request)
            check_echo(server, response.status, response.headers, response.body)


@pytest.mark.anyio
async def test_async_binary_and_10mb_bodies(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    payload = bytes(range(256)) * 4
    async with make_async(timeout=5) as transport:
        response = await transport.send(Request("POST", server.url + "/binary", (), payload))
        assert response.body == payload
        assert (await transport.send(get(server, "/big"))).body == BIG
        async with transport.stream(get(server, "/big")) as streamed:
            assert b"".join([chunk async for chunk in streamed.chunks]) == BIG


@pytest.mark.anyio
async def test_async_stream_chunks_arrive_separately(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with (
        make_async(timeout=5) as transport,
        transport.stream(get(server, "/sse")) as response,
    ):
        assert response.status == 200
        assert ("content-type", "text/event-stream") in response.headers
        arrivals = [(chunk, time.monotonic()) async for chunk in response.chunks]
    assert [chunk for chunk, _ in arrivals] == SSE_CHUNKS
    assert arrivals[-1][1] - arrivals[0][1] > 0.2


@pytest.mark.anyio
async def test_async_sequential_calls_and_streams_reuse_one_connection(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=5) as transport:
        for i in range(10):
            assert (
                await transport.send(Request("POST", server.url + "/binary", (), b"%d" % i))
            ).body
            async with transport.stream(get(server, "/sse")) as response:
                assert b"".join([c async for c in response.chunks]) == b"".join(SSE_CHUNKS)
    assert server.connections_opened == 1


@pytest.mark.anyio
async def test_async_64_concurrent_calls(make_async: AsyncFactory, server: LoopbackServer) -> None:
    results: dict[int, bytes] = {}

    async def call(transport: AsyncTransport, i: int) -> None:
        response = await transport.send(Request("POST", server.url + "/slow", (), b"%d" % i))
        results[i] = response.body

    async with make_async(timeout=10) as transport:
        async with anyio.create_task_group() as group:
            for i in range(64):
                group.start_soon(call, transport, i)
        assert results == {i: b"%d" % i for i in range(64)}
        opened = server.connections_opened
        for i in range(10):
            await call(transport, i)
        assert server.connections_opened == opened  # the pool kept connections for reuse


@pytest.mark.anyio
async def test_async_stream_early_exit_closes_the_connection(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=5) as transport:
        async with transport.stream(get(server, "/stream-then-stall")) as response:
            async for chunk in response.chunks:
                assert chunk == b"first"
                break
        assert [chunk async for chunk in response.chunks] == []
        assert (await transport.send(get(server, "/binary"))).status == 200
    assert server.connections_opened == 2


@pytest.mark.anyio
async def test_async_transport_returns_redirects_as_is(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=5) as transport:
        response = await transport.send(Request("POST", server.url + "/redirect", (), b"{}"))
    assert (response.status, response.header("location")) == (307, "http://localhost:9/elsewhere")
    assert len(server.requests) == 1


@pytest.mark.anyio
async def test_async_client_redirect_drops_authorization(
    make_async: AsyncFactory, redirect_pair: tuple[LoopbackServer, LoopbackServer]
) -> None:
    server_a, server_b = redirect_pair
    async with make_async(timeout=5) as transport:
        client = AsyncInferenceClient(server_a.url, token="hf_secret", transport=transport)
        check_redirected(server_a, server_b, await client.chat_completion(MESSAGES))


@pytest.mark.anyio
async def test_async_connection_refused(make_async: AsyncFactory, refused_url: str) -> None:
    async with make_async(timeout=5) as transport:
        with pytest.raises(ConnectError):
            await transport.send(Request("GET", refused_url))


@pytest.mark.anyio
async def test_async_read_timeout_on_a_stall(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=0.5) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError, match="timed out") as info:
            await transport.send(get(server, "/stall"))
        assert time.monotonic() - started < 0.5 + 1.5
        assert isinstance(info.value, TimeoutError)
        assert (await transport.send(get(server, "/binary"))).status == 200


@pytest.mark.anyio
async def test_async_timeout_is_per_read_not_per_stream(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=0.5) as transport:
        async with transport.stream(get(server, "/sse-slow")) as response:
            assert [chunk async for chunk in response.chunks] == SLOW_EVENTS
        async with transport.stream(get(server, "/stream-then-stall")) as response:
            assert await response.chunks.__anext__() == b"first"
            with pytest.raises(InferenceTimeoutError):
                await response.chunks.__anext__()
        assert (await transport.send(get(server, "/binary"))).status == 200


@pytest.mark.anyio
@pytest.mark.parametrize(("default", "timeout"), EXPIRING)
async def test_async_stall_expires_on_the_request_timeout_else_the_default(
    make_async: AsyncFactory, server: LoopbackServer, default: float | None, timeout: float | None
) -> None:
    async with make_async(**built_with(default)) as transport:
        with times_out_quickly():
            await transport.send(Request("GET", server.url + "/stall", timeout=timeout))
        with times_out_quickly():
            async with transport.stream(Request("GET", server.url + "/stall", timeout=timeout)):
                pass  # stalled before the headers
        stalling = Request("GET", server.url + "/stream-then-stall", timeout=timeout)
        async with transport.stream(stalling) as response:
            assert await response.chunks.__anext__() == b"first"
            with times_out_quickly():
                await response.chunks.__anext__()  # stalled mid-body
        assert (await transport.send(get(server, "/binary"))).status == 200


@pytest.mark.anyio
async def test_async_request_timeout_beats_a_shorter_default(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    late = Request("GET", server.url + "/late", timeout=5)
    async with make_async(timeout=0.2) as transport:
        assert (await transport.send(late)).body == b"late"  # 0.6 s before the headers
        async with transport.stream(late) as response:
            assert b"".join([chunk async for chunk in response.chunks]) == b"late"
        late_stream = Request("GET", server.url + "/late-stream", timeout=5)
        async with transport.stream(late_stream) as response:
            assert [chunk async for chunk in response.chunks] == LATE_CHUNKS
        with times_out_quickly():  # the next request without its own gets the default back
            await transport.send(get(server, "/late"))


@pytest.mark.anyio
async def test_async_peer_breaking_http(make_async: AsyncFactory, server: LoopbackServer) -> None:
    async with make_async(timeout=5) as transport:
        with pytest.raises(RemoteProtocolError):
            await transport.send(get(server, "/cut"))
        with pytest.raises(RemoteProtocolError):
            await transport.send(get(server, "/hang-up"))
        async with transport.stream(get(server, "/cut")) as response:
            assert await response.chunks.__anext__() == b"partial"
            with pytest.raises(RemoteProtocolError):
                await response.chunks.__anext__()
        assert (await transport.send(get(server, "/binary"))).status == 200


@pytest.mark.anyio
async def test_async_cancelled_call_releases_its_connection(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=10) as transport:
        await transport.send(get(server, "/binary"))
        with anyio.move_on_after(0.3) as scope:
            await transport.send(get(server, "/stall"))  # on the idle connection
        assert scope.cancelled_caught
        assert (await transport.send(get(server, "/binary"))).status == 200
    assert server.connections_opened == 2


@pytest.mark.anyio
async def test_async_cancelled_stream_releases_its_connection(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    received = []
    async with make_async(timeout=10) as transport:
        with anyio.move_on_after(0.5) as scope:
            async with transport.stream(get(server, "/stream-then-stall")) as response:
                async for chunk in response.chunks:
                    received.append(chunk)
        assert scope.cancelled_caught
        assert received == [b"first"]
        assert [chunk async for chunk in response.chunks] == []
        assert (await transport.send(get(server, "/binary"))).status == 200
    assert server.connections_opened == 2


@pytest.mark.anyio
@pytest.mark.parametrize("url", INVALID_URLS)
async def test_async_invalid_url_is_a_request_error(make_async: AsyncFactory, url: str) -> None:
    async with make_async() as transport:
        with pytest.raises(RequestError):
            await transport.send(Request("GET", url))


@pytest.mark.anyio
async def test_async_close_twice_then_use_raises_and_sleep(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    transport: Any = make_async()
    await transport.send(get(server, "/binary"))
    await transport.aclose()
    await transport.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await transport.send(get(server, "/binary"))
    with pytest.raises(RuntimeError, match="closed"):
        async with transport.stream(get(server, "/binary")):
            pass
    started = time.monotonic()
    await transport.sleep(0.05)
    assert time.monotonic() - started >= 0.05


def test_sync_close_from_another_thread_ends_a_blocked_read(
    server: LoopbackServer, make_sync: SyncFactory
) -> None:
    outcome: list[BaseException] = []
    transport = make_sync(timeout=30)

    def read() -> None:
        try:
            with transport.stream(Request("GET", server.url + "/stream-then-stall")) as response:
                for _ in response.chunks:
                    pass
        except BaseException as exc:  # the outcome is the test's subject
            outcome.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.3)  # the reader now waits for a chunk the server never sends
    started = time.monotonic()
    transport.close()
    reader.join(5)
    assert not reader.is_alive() and time.monotonic() - started < 2
    assert len(outcome) == 1 and isinstance(outcome[0], TransportError)
