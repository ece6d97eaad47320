"""SocketTransport (the sync default) beyond the shared contract: threads sharing it, HTTPS and a
CONNECT tunnel through a proxy, the connect budget, and body pieces joined per receive."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fake_service import LoopbackServer
from inference_core import InferenceClient
from inference_core._boundary import Request
from inference_core._errors import ConnectError, InferenceTimeoutError
from tests.transports._routes import EVENTS, route
from transports import SocketTransport

from .test_native import Relay, certificate

__all__ = ["certificate"]  # a fixture, imported to be found


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(route) as server:
        yield server


@pytest.fixture
def tls_server(server: LoopbackServer, certificate: Path) -> Iterator[str]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate)
    relay = Relay(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), context)
    yield f"https://127.0.0.1:{relay.address[1]}"
    relay.close()


def test_the_sync_client_uses_it_by_default(server: LoopbackServer) -> None:
    with InferenceClient(server.url) as client:
        assert isinstance(client._transport, SocketTransport)


def test_threads_share_one_transport(server: LoopbackServer) -> None:
    with SocketTransport() as transport, ThreadPoolExecutor(8) as pool:
        bodies = list(
            pool.map(
                lambda i: transport.send(Request("POST", server.url + "/slow", (), b"%d" % i)).body,
                range(64),
            )
        )
    assert bodies == [b"%d" % i for i in range(64)]
    assert server.connections_opened <= 8


def test_https_is_verified_and_reused(
    server: LoopbackServer, tls_server: str, certificate: Path
) -> None:
    with SocketTransport(timeout=5, verify=str(certificate)) as transport:
        for _ in range(3):
            response = transport.send(Request("POST", tls_server + "/echo", (), b"hi"))
            assert response.json()["body"] == "hi"
    with SocketTransport(timeout=5) as transport:  # certifi's bundle does not know it
        with pytest.raises(ConnectError) as info:
            transport.send(Request("GET", tls_server + "/echo"))
        assert isinstance(info.value.__cause__, ssl.SSLError)
    assert server.connections_opened == 1  # the verified connection was reused


def test_https_through_a_connect_proxy(tls_server: str, certificate: Path) -> None:
    proxy = Relay(None, None)
    try:
        proxy_url = f"http://u:p@127.0.0.1:{proxy.address[1]}"
        with SocketTransport(timeout=5, verify=str(certificate), proxies=proxy_url) as transport:
            for i in range(3):
                request = Request("GET", f"{tls_server}/echo?i={i}")
                assert transport.send(request).json()["target"] == f"/echo?i={i}"
            with transport.stream(Request("GET", tls_server + "/stream")) as response:
                assert b"".join(response.chunks) == b"".join(EVENTS)
    finally:
        proxy.close()
    authority = tls_server.removeprefix("https://").encode()
    assert proxy.tunnels == [b"CONNECT " + authority + b" HTTP/1.1"]  # one tunnel, reused


def test_a_tls_handshake_that_never_comes_is_bounded_by_the_connect_timeout() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:  # accepts, never answers TLS
        url = f"https://127.0.0.1:{listener.getsockname()[1]}/"
        with SocketTransport(timeout=0.3, verify=False) as transport:
            started = time.monotonic()
            with pytest.raises(InferenceTimeoutError):
                transport.send(Request("GET", url))
            assert time.monotonic() - started < 2


def _one_write_server(listener: socket.socket) -> None:
    """Answer one request with a chunked body of three chunks, all in one write."""
    conn, _ = listener.accept()
    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            head += conn.recv(4096)
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(event), event) for event in EVENTS)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks + b"0\r\n\r\n"
        )
        conn.recv(1)  # until the client closes


def test_pieces_received_together_are_handed_on_together(server: LoopbackServer) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        thread = threading.Thread(target=_one_write_server, args=(listener,))
        thread.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        with (
            SocketTransport(timeout=5) as transport,
            transport.stream(Request("GET", url)) as response,
        ):
            assert list(response.chunks) == [b"".join(EVENTS)]  # one piece per receive
        thread.join()
    with SocketTransport() as transport:
        spaced = Request("GET", server.url + "/stream", (("x-delay", "0.1"),))
        with transport.stream(spaced) as response:
            assert list(response.chunks) == EVENTS  # pieces apart in time stay apart
