"""The httpcore transports against a real loopback server, async ones on asyncio and trio."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import anyio
import certifi
import httpcore
import pytest

from fake_service import LoopbackServer
from inference_core._boundary import Request
from inference_core._errors import (
    ConnectError,
    InferenceTimeoutError,
    RemoteProtocolError,
    RequestError,
    TransportError,
)
from tests.transports._routes import EVENTS, route
from transports import AsyncHttpcoreTransport, AsyncTransport, HttpcoreTransport, SyncTransport
from transports._pooling import make_ssl_context


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(route) as server:
        yield server


def get(server: LoopbackServer, path: str, *headers: tuple[str, str]) -> Request:
    return Request("GET", server.url + path, headers)


def idle_count(transport: HttpcoreTransport | AsyncHttpcoreTransport) -> int:
    return sum(len(stack) for stack in transport._free._stacks.values())


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"


# ---- sync -------------------------------------------------------------------------------------


def test_is_a_sync_transport() -> None:
    with HttpcoreTransport() as transport:
        assert isinstance(transport, SyncTransport)


def test_json_round_trip(server: LoopbackServer) -> None:
    request = Request(
        "POST",
        server.url + "/echo?a=1&b=two",
        (("Content-Type", "application/json"), ("X-Test", "yes")),
        b'{"x": 1}',
    )
    with HttpcoreTransport(timeout=5) as transport:
        response = transport.send(request)
    assert response.status == 200
    assert response.header("x-reply") == "Yes"
    assert ("x-reply", "Yes") in response.headers  # names lower-cased
    seen = response.json()
    assert seen["method"] == "POST"
    assert seen["target"] == "/echo?a=1&b=two"
    assert seen["headers"]["content-type"] == "application/json"
    assert seen["headers"]["x-test"] == "yes"
    assert seen["headers"]["content-length"] == "8"
    assert seen["headers"]["host"] == server.url.removeprefix("http://")
    assert json.loads(seen["body"]) == {"x": 1}


def test_binary_body(server: LoopbackServer) -> None:
    payload = bytes(range(256)) * 1000
    with HttpcoreTransport() as transport:
        response = transport.send(Request("POST", server.url + "/binary", (), payload))
    assert response.body == payload
    assert response.header("content-length") == str(len(payload))


def test_sequential_calls_reuse_one_connection(server: LoopbackServer) -> None:
    with HttpcoreTransport() as transport:
        for _ in range(20):
            assert transport.send(get(server, "/echo")).status == 200
    assert server.connections_opened == 1


def test_threads_share_one_transport(server: LoopbackServer) -> None:
    with HttpcoreTransport() as transport, ThreadPoolExecutor(8) as pool:
        bodies = list(
            pool.map(
                lambda i: transport.send(Request("POST", server.url + "/slow", (), b"%d" % i)).body,
                range(64),
            )
        )
        assert bodies == [b"%d" % i for i in range(64)]
        assert server.connections_opened <= 8


def test_stream_chunks_arrive_separately_and_release_on_exhaustion(server: LoopbackServer) -> None:
    arrivals = []
    with HttpcoreTransport() as transport:
        with transport.stream(get(server, "/stream", ("x-delay", "0.2"))) as response:
            assert response.status == 200
            assert ("content-type", "text/event-stream") in response.headers
            for chunk in response.chunks:
                arrivals.append((chunk, time.monotonic()))
            assert idle_count(transport) == 1  # released as soon as the chunks ran out
        assert transport.send(get(server, "/echo")).status == 200
    assert [chunk for chunk, _ in arrivals] == EVENTS
    assert arrivals[-1][1] - arrivals[0][1] > 0.3  # the first came long before the last
    assert server.connections_opened == 1


def test_stream_early_exit_closes_the_connection(server: LoopbackServer) -> None:
    with HttpcoreTransport() as transport:
        with transport.stream(get(server, "/stream", ("x-delay", "0.05"))) as response:
            assert next(response.chunks) == EVENTS[0]
        assert idle_count(transport) == 0
        assert list(response.chunks) == []  # released: nothing more
        assert transport.send(get(server, "/echo")).status == 200
    assert server.connections_opened == 2


def test_stream_error_releases_and_the_next_call_works(server: LoopbackServer) -> None:
    with HttpcoreTransport() as transport:
        with transport.stream(get(server, "/cut")) as response:
            assert next(response.chunks) == b"partial"
            with pytest.raises(RemoteProtocolError):
                next(response.chunks)
        assert transport.send(get(server, "/echo")).status == 200
    assert server.connections_opened == 2


def test_read_timeout_on_a_stall(server: LoopbackServer) -> None:
    with HttpcoreTransport(timeout=0.5) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError, match="timed out") as info:
            transport.send(get(server, "/stall"))
        assert time.monotonic() - started < 0.5 + 1.5
        assert isinstance(info.value, TimeoutError)
        assert isinstance(info.value.__cause__, httpcore.ReadTimeout)
        assert transport.send(get(server, "/echo")).status == 200


def test_timeout_is_per_read_not_per_stream(server: LoopbackServer) -> None:
    with HttpcoreTransport(timeout=0.5) as transport:
        with transport.stream(get(server, "/stream", ("x-delay", "0.3"))) as response:
            assert list(response.chunks) == EVENTS  # 0.6 s in all, never 0.5 s idle
        with transport.stream(get(server, "/stream-then-stall")) as response:
            assert next(response.chunks) == b"first"
            with pytest.raises(InferenceTimeoutError):
                next(response.chunks)


def test_connection_refused(refused_url: str) -> None:
    with HttpcoreTransport(timeout=5) as transport, pytest.raises(ConnectError) as info:
        transport.send(Request("GET", refused_url))
    assert isinstance(info.value.__cause__, httpcore.ConnectError)


def test_close_mid_body_is_a_remote_protocol_error(server: LoopbackServer) -> None:
    with HttpcoreTransport() as transport:
        with pytest.raises(RemoteProtocolError) as info:
            transport.send(get(server, "/cut"))
        assert isinstance(info.value, TransportError)
        assert isinstance(info.value.__cause__, httpcore.RemoteProtocolError)
        assert idle_count(transport) == 0
        assert transport.send(get(server, "/echo")).status == 200


def test_connection_close_reply_is_not_reused(server: LoopbackServer) -> None:
    with HttpcoreTransport() as transport:
        assert transport.send(get(server, "/close")).body == b"bye"
        assert idle_count(transport) == 0
        assert transport.send(get(server, "/echo")).status == 200
    assert server.connections_opened == 2


def test_close_twice_then_use_raises(server: LoopbackServer) -> None:
    transport = HttpcoreTransport()
    transport.send(get(server, "/echo"))
    transport.close()
    transport.close()
    with pytest.raises(RuntimeError, match="closed"):
        transport.send(get(server, "/echo"))
    with pytest.raises(RuntimeError, match="closed"), transport.stream(get(server, "/echo")):
        pass


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "/relative",
        "http:///nohost",
        "http://example.com:notaport/",
        "http://example.com/é",
    ],
)
def test_invalid_url_is_a_request_error(url: str) -> None:
    with HttpcoreTransport() as transport, pytest.raises(RequestError):
        transport.send(Request("GET", url))


def test_proxy_receives_absolute_form_requests(server: LoopbackServer) -> None:
    with HttpcoreTransport(proxies={"http": server.url}) as transport:
        response = transport.send(Request("GET", "http://inference.invalid/echo?q=1"))
    assert response.json()["target"] == "http://inference.invalid/echo?q=1"


def test_bad_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="proxies"):
        HttpcoreTransport(proxies={"ftp": "http://proxy:3128"})
    with pytest.raises(ValueError, match="proxy URL"):
        HttpcoreTransport(proxies="socks5://proxy:1080")
    with pytest.raises(FileNotFoundError):
        HttpcoreTransport(verify="/no/such/bundle.pem")
    with pytest.raises(ValueError, match="timeout"):
        HttpcoreTransport(timeout=0)


def test_verify_choices() -> None:
    assert make_ssl_context(False).verify_mode == ssl.CERT_NONE
    assert make_ssl_context(True).verify_mode == ssl.CERT_REQUIRED
    context = ssl.create_default_context()
    assert make_ssl_context(context) is context
    assert make_ssl_context(certifi.where()).check_hostname


def test_sleep_blocks() -> None:
    started = time.monotonic()
    HttpcoreTransport().sleep(0.05)
    assert time.monotonic() - started >= 0.05


# ---- async (asyncio and trio) -----------------------------------------------------------------


@pytest.mark.anyio
async def test_async_json_round_trip_and_reuse(server: LoopbackServer) -> None:
    async with AsyncHttpcoreTransport(timeout=5) as transport:
        assert isinstance(transport, AsyncTransport)
        for i in range(5):
            request = Request("PUT", f"{server.url}/echo?i={i}", (("X-I", str(i)),), b"body")
            seen = (await transport.send(request)).json()
            assert (seen["method"], seen["target"]) == ("PUT", f"/echo?i={i}")
            assert (seen["headers"]["x-i"], seen["body"]) == (str(i), "body")
    assert server.connections_opened == 1


@pytest.mark.anyio
async def test_async_64_concurrent_calls_then_reuse(server: LoopbackServer) -> None:
    results: dict[int, bytes] = {}

    async def call(transport: AsyncHttpcoreTransport, i: int) -> None:
        response = await transport.send(Request("POST", server.url + "/slow", (), b"%d" % i))
        results[i] = response.body

    async with AsyncHttpcoreTransport(timeout=10) as transport:
        async with anyio.create_task_group() as group:
            for i in range(64):
                group.start_soon(call, transport, i)
        assert results == {i: b"%d" % i for i in range(64)}
        opened = server.connections_opened
        assert idle_count(transport) == 16  # max_idle_per_host
        for i in range(10):
            await call(transport, i)
        assert server.connections_opened == opened


@pytest.mark.anyio
async def test_async_stream_exhaustion_early_exit_and_error(server: LoopbackServer) -> None:
    async with AsyncHttpcoreTransport() as transport:
        async with transport.stream(get(server, "/stream", ("x-delay", "0.05"))) as response:
            assert [chunk async for chunk in response.chunks] == EVENTS
            assert idle_count(transport) == 1
        async with transport.stream(get(server, "/stream", ("x-delay", "0.05"))) as response:
            assert await response.chunks.__anext__() == EVENTS[0]
        assert idle_count(transport) == 0
        async with transport.stream(get(server, "/cut")) as response:
            with pytest.raises(RemoteProtocolError):
                async for _ in response.chunks:
                    pass
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert server.connections_opened == 3


@pytest.mark.anyio
async def test_async_read_timeout_on_a_stall(server: LoopbackServer) -> None:
    async with AsyncHttpcoreTransport(timeout=0.5) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            await transport.send(get(server, "/stall"))
        assert time.monotonic() - started < 0.5 + 1.5


@pytest.mark.anyio
async def test_async_connection_refused_and_close_mid_body(
    server: LoopbackServer, refused_url: str
) -> None:
    async with AsyncHttpcoreTransport(timeout=5) as transport:
        with pytest.raises(ConnectError):
            await transport.send(Request("GET", refused_url))
        with pytest.raises(RemoteProtocolError):
            await transport.send(get(server, "/cut"))


@pytest.mark.anyio
async def test_async_cancelled_call_closes_its_connection(server: LoopbackServer) -> None:
    async with AsyncHttpcoreTransport() as transport:
        await transport.send(get(server, "/echo"))
        with anyio.move_on_after(0.2) as scope:
            await transport.send(get(server, "/stall"))  # reuses the idle connection
        assert scope.cancelled_caught
        assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert server.connections_opened == 2


@pytest.mark.anyio
async def test_async_cancelled_stream_closes_its_connection(server: LoopbackServer) -> None:
    async with AsyncHttpcoreTransport() as transport:
        with anyio.move_on_after(0.3) as scope:
            async with transport.stream(get(server, "/stream-then-stall")) as response:
                async for _ in response.chunks:
                    pass
        assert scope.cancelled_caught
        assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert server.connections_opened == 2


@pytest.mark.anyio
async def test_async_close_twice_then_use_raises(server: LoopbackServer) -> None:
    transport = AsyncHttpcoreTransport()
    await transport.send(get(server, "/echo"))
    await transport.aclose()
    await transport.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await transport.send(get(server, "/echo"))


@pytest.mark.anyio
async def test_async_sleep() -> None:
    started = time.monotonic()
    await AsyncHttpcoreTransport().sleep(0.05)
    assert time.monotonic() - started >= 0.05


@pytest.fixture
def closes_when_idle() -> Iterator[tuple[str, list[int]]]:
    """A raw server that answers one request per connection, keeps it open, then closes it
    without a word once the client is idle: what a keep-alive timeout on the server does."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[int] = []

    def serve() -> None:
        while True:
            conn, _ = listener.accept()
            with conn:
                if not conn.recv(65536):
                    return
                accepted.append(1)
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
                time.sleep(0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", accepted
    socket.create_connection(listener.getsockname()).close()  # wakes accept(): recv gives b""
    thread.join()
    listener.close()


def test_connection_closed_by_the_server_while_idle_is_not_reused(
    closes_when_idle: tuple[str, list[int]],
) -> None:
    url, accepted = closes_when_idle
    with HttpcoreTransport(timeout=5) as transport:
        for _ in range(3):
            assert transport.send(Request("GET", url)).body == b"ok"
            time.sleep(0.2)
    assert len(accepted) == 3


@pytest.mark.anyio
async def test_async_connection_closed_by_the_server_while_idle_is_not_reused(
    closes_when_idle: tuple[str, list[int]],
) -> None:
    url, accepted = closes_when_idle
    async with AsyncHttpcoreTransport(timeout=5) as transport:
        for _ in range(3):
            assert (await transport.send(Request("GET", url))).body == b"ok"
            await anyio.sleep(0.2)
    assert len(accepted) == 3
