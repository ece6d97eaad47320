"""The h11 transports against real loopback sockets: AnyioTransport on asyncio and trio,
TrioTransport on trio. TLS and CONNECT tests make a throwaway certificate with the openssl CLI."""

from __future__ import annotations

import importlib
import select
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Union

import anyio
import h11
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
from transports import AsyncTransport
from transports.anyio import AnyioTransport
from transports.trio import TrioTransport

Transport = Union[AnyioTransport, TrioTransport]


@pytest.fixture(
    params=[("asyncio", AnyioTransport), ("trio", AnyioTransport), ("trio", TrioTransport)],
    ids=["anyio-asyncio", "anyio-trio", "trio"],
)
def case(request: pytest.FixtureRequest) -> tuple[str, type[Transport]]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def anyio_backend(case: tuple[str, type[Transport]]) -> str:
    return case[0]


@pytest.fixture
def make(case: tuple[str, type[Transport]]) -> Callable[..., Transport]:
    return case[1]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(route) as server:
        yield server


def get(server: LoopbackServer, path: str, *headers: tuple[str, str]) -> Request:
    return Request("GET", server.url + path, headers)


def idle_count(transport: Transport) -> int:
    return sum(len(stack) for stack in transport._free._stacks.values())


pytestmark = pytest.mark.anyio


async def test_json_round_trip(server: LoopbackServer, make: Callable[..., Transport]) -> None:
    request = Request(
        "POST",
        server.url + "/echo?a=1&b=two",
        (("Content-Type", "application/json"), ("X-Test", "yes")),
        b'{"x": 1}',
    )
    async with make(timeout=5) as transport:
        assert isinstance(transport, AsyncTransport)
        response = await transport.send(request)
    assert (response.status, response.header("x-reply")) == (200, "Yes")
    assert ("x-reply", "Yes") in response.headers  # names lower-cased
    seen = response.json()
    assert (seen["method"], seen["target"], seen["body"]) == ("POST", "/echo?a=1&b=two", '{"x": 1}')
    assert seen["headers"]["content-type"] == "application/json"
    assert seen["headers"]["x-test"] == "yes"
    assert seen["headers"]["content-length"] == "8"
    assert seen["headers"]["host"] == server.url.removeprefix("http://")


async def test_large_binary_body(server: LoopbackServer, make: Callable[..., Transport]) -> None:
    payload = bytes(range(256)) * 2000  # 512 KB: head and body are written separately
    async with make() as transport:
        response = await transport.send(Request("POST", server.url + "/binary", (), payload))
    assert response.body == payload


async def test_sequential_calls_reuse_one_connection(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make() as transport:
        for i in range(20):
            response = await transport.send(Request("PUT", f"{server.url}/echo?i={i}", (), b"b"))
            assert response.json()["target"] == f"/echo?i={i}"
        assert idle_count(transport) == 1
    assert server.connections_opened == 1


async def test_64_concurrent_calls_then_reuse(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    results: dict[int, bytes] = {}

    async def call(transport: Transport, i: int) -> None:
        response = await transport.send(Request("POST", server.url + "/slow", (), b"%d" % i))
        results[i] = response.body

    async with make(timeout=10) as transport:
        async with anyio.create_task_group() as group:
            for i in range(64):
                group.start_soon(call, transport, i)
        assert results == {i: b"%d" % i for i in range(64)}
        opened = server.connections_opened
        assert idle_count(transport) == opened  # all kept: the next burst opens none
        async with anyio.create_task_group() as group:
            for i in range(64):
                group.start_soon(call, transport, i)
        assert server.connections_opened == opened
        for i in range(10):
            await call(transport, i)
        assert server.connections_opened == opened
    async with make(timeout=10, max_idle_per_host=16) as transport:
        async with anyio.create_task_group() as group:
            for i in range(64):
                group.start_soon(call, transport, i)
        assert idle_count(transport) == 16  # the rest were closed, not pooled


async def test_stream_chunks_arrive_separately_and_release_once(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    arrivals = []
    async with make() as transport:
        async with transport.stream(get(server, "/stream", ("x-delay", "0.2"))) as response:
            assert response.status == 200
            assert ("content-type", "text/event-stream") in response.headers
            async for chunk in response.chunks:
                arrivals.append((chunk, time.monotonic()))
            assert idle_count(transport) == 1  # released as soon as the chunks ran out
        assert idle_count(transport) == 1  # and not a second time on exit
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert [chunk for chunk, _ in arrivals] == EVENTS
    assert arrivals[-1][1] - arrivals[0][1] > 0.3
    assert server.connections_opened == 1


async def test_stream_early_exit_and_error_close_the_connection(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make() as transport:
        async with transport.stream(get(server, "/stream", ("x-delay", "0.05"))) as response:
            assert await response.chunks.__anext__() == EVENTS[0]
        assert idle_count(transport) == 0
        assert [chunk async for chunk in response.chunks] == []  # released: nothing more
        async with transport.stream(get(server, "/cut")) as response:
            assert await response.chunks.__anext__() == b"partial"
            with pytest.raises(RemoteProtocolError):
                await response.chunks.__anext__()
            assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert server.connections_opened == 3


async def test_stall_times_out_and_the_next_call_works(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make(timeout=0.5) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError, match="timed out") as info:
            await transport.send(get(server, "/stall"))
        assert time.monotonic() - started < 0.5 + 1.5
        assert isinstance(info.value, TimeoutError)
        assert server.url in str(info.value)
        assert (await transport.send(get(server, "/echo"))).status == 200


async def test_timeout_is_per_receive_not_per_stream(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make(timeout=0.5) as transport:
        async with transport.stream(get(server, "/stream", ("x-delay", "0.3"))) as response:
            assert [chunk async for chunk in response.chunks] == EVENTS  # 0.6 s in all
        async with transport.stream(get(server, "/stream-then-stall")) as response:
            assert await response.chunks.__anext__() == b"first"
            with pytest.raises(InferenceTimeoutError):
                await response.chunks.__anext__()


async def test_connection_refused(make: Callable[..., Transport]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))  # bound, not listening: connecting is refused
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        async with make(timeout=5) as transport:
            with pytest.raises(ConnectError, match="Could not connect") as info:
                await transport.send(Request("GET", url))
    assert isinstance(info.value.__cause__, OSError)


@pytest.fixture
def never_accepts() -> Iterator[str]:
    """A listening socket nobody accepts from: connects succeed, nothing is ever read."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield f"127.0.0.1:{listener.getsockname()[1]}"


async def test_write_and_tls_handshake_timeouts(
    never_accepts: str, make: Callable[..., Transport]
) -> None:
    async with make(timeout=0.3) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):  # 32 MB cannot fit the kernel buffers
            await transport.send(Request("POST", f"http://{never_accepts}/", (), bytes(1 << 25)))
        with pytest.raises(InferenceTimeoutError):  # no ServerHello ever comes
            await transport.send(Request("GET", f"https://{never_accepts}/"))
        assert time.monotonic() - started < 2 * 0.3 + 1.5
        assert idle_count(transport) == 0


async def test_close_mid_body_is_a_remote_protocol_error(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make() as transport:
        with pytest.raises(RemoteProtocolError) as info:
            await transport.send(get(server, "/cut"))
        assert isinstance(info.value, TransportError)
        assert isinstance(info.value.__cause__, h11.RemoteProtocolError)
        assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200


async def test_connection_close_reply_is_not_reused(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make() as transport:
        assert (await transport.send(get(server, "/close"))).body == b"bye"
        assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert server.connections_opened == 2


async def test_cancelled_call_closes_its_connection(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make() as transport:
        await transport.send(get(server, "/echo"))
        with anyio.move_on_after(0.2) as scope:
            await transport.send(get(server, "/stall"))  # on the idle connection
        assert scope.cancelled_caught
        assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert server.connections_opened == 2


async def test_cancelled_stream_closes_its_connection(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make() as transport:
        with anyio.move_on_after(0.3) as scope:
            async with transport.stream(get(server, "/stream-then-stall")) as response:
                async for _ in response.chunks:
                    pass
        assert scope.cancelled_caught
        assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200
    assert server.connections_opened == 2


@pytest.fixture
def closes_when_idle() -> Iterator[tuple[str, list[int]]]:
    """A raw server answering one request per connection, then closing it while the client
    is idle: what a server's keep-alive timeout does."""
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


async def test_connection_closed_by_the_server_while_idle_is_not_reused(
    closes_when_idle: tuple[str, list[int]], make: Callable[..., Transport]
) -> None:
    url, accepted = closes_when_idle
    async with make(timeout=5) as transport:
        for _ in range(3):
            assert (await transport.send(Request("GET", url))).body == b"ok"
            await anyio.sleep(0.2)
    assert len(accepted) == 3


async def test_close_twice_then_use_raises(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    transport = make()
    await transport.send(get(server, "/echo"))
    await transport.aclose()
    await transport.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await transport.send(get(server, "/echo"))
    with pytest.raises(RuntimeError, match="closed"):
        async with transport.stream(get(server, "/echo")):
            pass


async def test_bad_requests_fail_before_any_io(make: Callable[..., Transport]) -> None:
    async with make() as transport:
        for url in ("ftp://example.com/", "/relative", "http://example.com/é"):
            with pytest.raises(RequestError):
                await transport.send(Request("GET", url))
        with pytest.raises(RequestError):
            await transport.send(Request("GET", "http://example.invalid/", (("x", "a\r\nb"),)))


async def test_body_longer_than_its_content_length_is_a_request_error(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    async with make() as transport:
        with pytest.raises(RequestError, match="Content-Length"):
            await transport.send(
                Request("POST", server.url + "/echo", (("Content-Length", "1"),), b"12")
            )
        assert idle_count(transport) == 0
        assert (await transport.send(get(server, "/echo"))).status == 200


async def test_sleep(make: Callable[..., Transport]) -> None:
    started = time.monotonic()
    await make().sleep(0.05)
    assert time.monotonic() - started >= 0.05


async def test_http_proxy_gets_absolute_form_and_credentials(
    server: LoopbackServer, make: Callable[..., Transport]
) -> None:
    proxy = server.url.replace("http://", "http://user:p%40ss@")
    async with make(proxies={"http": proxy}) as transport:
        for _ in range(3):
            seen = (
                await transport.send(Request("GET", "http://inference.invalid/echo?q=1"))
            ).json()
    assert seen["target"] == "http://inference.invalid/echo?q=1"
    assert seen["headers"]["proxy-authorization"] == "Basic dXNlcjpwQHNz"  # user:p@ss
    assert server.connections_opened == 1


def test_importing_without_trio_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trio", None)  # makes `import trio` fail
    monkeypatch.delitem(sys.modules, "transports.trio")
    with pytest.raises(ImportError, match=r"pip install 'hf-inference-core\[trio\]'"):
        importlib.import_module("transports.trio")
    monkeypatch.undo()
    importlib.import_module("transports.trio")


# ---- TLS and CONNECT, on loopback relays in threads ---------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A self-signed certificate for 127.0.0.1 (key and cert in one PEM file)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    pem = tmp_path_factory.mktemp("tls") / "server.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-keyout", str(pem), "-out",
         str(pem.with_suffix(".crt")), "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    pem.write_text(pem.read_text() + pem.with_suffix(".crt").read_text())
    return pem


class Relay:
    """Accepts connections and pumps bytes to ``upstream``: TLS-terminating when given a
    context, or as an HTTP CONNECT proxy when ``upstream`` is None."""

    def __init__(self, upstream: tuple[str, int] | None, context: ssl.SSLContext | None) -> None:
        self.upstream, self.context = upstream, context
        self.tunnels: list[bytes] = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.address = self.listener.getsockname()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.accept_loop)]
        self.threads[0].start()

    def accept_loop(self) -> None:
        while not self.stop.is_set():
            try:
                sock, _ = self.listener.accept()
            except TimeoutError:
                continue
            thread = threading.Thread(target=self.serve, args=(sock,))
            self.threads.append(thread)
            thread.start()

    def serve(self, sock: socket.socket) -> None:
        sock.settimeout(5)
        with sock:
            try:
                if self.context is not None:
                    sock = self.context.wrap_socket(sock, server_side=True)
                upstream = self.upstream
                if upstream is None:
                    head = b""
                    while b"\r\n\r\n" not in head:
                        head += sock.recv(4096)
                    self.tunnels.append(head.split(b"\r\n")[0])
                    host, port = head.split()[1].rsplit(b":", 1)
                    upstream = (host.decode(), int(port))
                    sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                with socket.create_connection(upstream) as other:
                    self.pump(sock, other)
            except OSError:
                pass
            finally:
                sock.close()

    def pump(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        while not self.stop.is_set():
            ready: list[socket.socket] = [
                s for s in peers if isinstance(s, ssl.SSLSocket) and s.pending()
            ]
            ready = ready or select.select(list(peers), [], [], 0.05)[0]
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                peers[sock].sendall(data)

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()
        self.listener.close()


@pytest.fixture
def tls_server(server: LoopbackServer, certificate: Path) -> Iterator[str]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate)
    port = int(server.url.rsplit(":", 1)[1])
    relay = Relay(("127.0.0.1", port), context)
    yield f"https://127.0.0.1:{relay.address[1]}"
    relay.close()


async def test_https_with_a_ca_bundle_and_verify_off(
    server: LoopbackServer, tls_server: str, certificate: Path, make: Callable[..., Transport]
) -> None:
    for verify in (str(certificate), False):
        async with make(timeout=5, verify=verify) as transport:
            for _ in range(2):
                response = await transport.send(Request("POST", tls_server + "/echo", (), b"hi"))
                assert response.json()["body"] == "hi"
    async with make(timeout=5) as transport:  # certifi's bundle does not know our certificate
        with pytest.raises(ConnectError) as info:
            await transport.send(Request("GET", tls_server + "/echo"))
        assert isinstance(info.value.__cause__, ssl.SSLError)
    assert server.connections_opened == 2  # one per transport: TLS connections are reused


async def test_https_through_a_connect_proxy(
    tls_server: str, certificate: Path, make: Callable[..., Transport]
) -> None:
    proxy = Relay(None, None)
    try:
        proxy_url = f"http://u:p@127.0.0.1:{proxy.address[1]}"
        async with make(timeout=5, verify=str(certificate), proxies=proxy_url) as transport:
            for i in range(3):
                request = Request("GET", f"{tls_server}/echo?i={i}")
                assert (await transport.send(request)).json()["target"] == f"/echo?i={i}"
            async with transport.stream(Request("GET", tls_server + "/stream")) as response:
                chunks = [chunk async for chunk in response.chunks]  # may arrive together
                assert b"".join(chunks) == b"".join(EVENTS)
    finally:
        proxy.close()
    authority = tls_server.removeprefix("https://").encode()
    assert proxy.tunnels == [b"CONNECT " + authority + b" HTTP/1.1"]  # one tunnel, reused
