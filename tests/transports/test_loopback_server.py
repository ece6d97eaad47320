"""Self-tests of ``fake_service.LoopbackServer``, driven by the stdlib ``http.client`` alone."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from fake_service import CloseMidBody, LoopbackServer, Reply, ServerRequest, Stall, StreamReply


def route(request: ServerRequest) -> Reply | StreamReply | Stall | CloseMidBody:
    if request.target == "/stream":
        return StreamReply([b"one", b"", b"two"], delay=0.01)
    if request.target == "/stall":
        return Stall(30)
    if request.target == "/cut":
        return CloseMidBody(declared_length=10, partial=b"abc")
    if request.target == "/boom":
        raise ValueError("handler bug")
    return Reply.json(
        {"target": request.target, "body": request.body.decode()},
        headers=(("x-served-by", "loopback"),),
    )


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(route) as server:
        yield server


def connect(server: LoopbackServer, timeout: float = 5.0) -> http.client.HTTPConnection:
    host, port = server.url.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=timeout)


def test_url_is_loopback_with_a_real_port(server: LoopbackServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert int(server.url.rsplit(":", 1)[1]) > 0


def test_reply_json_and_recorded_request(server: LoopbackServer) -> None:
    conn = connect(server)
    try:
        conn.request("POST", "/x?y=1", body=b'{"a": 1}', headers={"X-Test": "Yes"})
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("content-type") == "application/json"
        assert response.getheader("x-served-by") == "loopback"
        assert response.read() == b'{"target": "/x?y=1", "body": "{\\"a\\": 1}"}'
    finally:
        conn.close()
    (seen,) = server.requests
    assert (seen.method, seen.target, seen.body) == ("POST", "/x?y=1", b'{"a": 1}')
    assert seen.header("X-TEST") == "Yes"
    assert ("x-test", "Yes") in seen.headers
    assert seen.json() == {"a": 1}
    assert seen.connection_id == 1


def test_keep_alive_reuses_one_connection(server: LoopbackServer) -> None:
    conn = connect(server)
    try:
        for _ in range(3):
            conn.request("GET", "/again")
            assert conn.getresponse().read()
    finally:
        conn.close()
    assert server.connections_opened == 1
    assert [r.connection_id for r in server.requests] == [1, 1, 1]


def test_stream_reply_is_chunked(server: LoopbackServer) -> None:
    conn = connect(server)
    try:
        conn.request("GET", "/stream")
        response = conn.getresponse()
        assert response.getheader("transfer-encoding") == "chunked"
        assert response.getheader("content-type") == "text/event-stream"
        assert response.read() == b"onetwo"
    finally:
        conn.close()


def test_handler_exception_is_a_500(server: LoopbackServer) -> None:
    conn = connect(server)
    try:
        conn.request("GET", "/boom")
        response = conn.getresponse()
        assert response.status == 500
        assert b"handler bug" in response.read()
    finally:
        conn.close()


def test_close_mid_body_sends_partial_then_closes(server: LoopbackServer) -> None:
    conn = connect(server)
    try:
        conn.request("GET", "/cut")
        response = conn.getresponse()
        assert response.getheader("content-length") == "10"
        with pytest.raises(http.client.IncompleteRead) as info:
            response.read()
        assert info.value.partial == b"abc"
    finally:
        conn.close()


def test_shutdown_is_prompt_with_a_stall_and_idle_connections() -> None:
    threads_before = threading.active_count()
    server = LoopbackServer(route)
    server.start()
    stalled, idle = connect(server), connect(server)
    try:
        stalled.request("GET", "/stall")
        idle.request("GET", "/idle")
        idle.getresponse().read()
        while len(server.requests) < 2:
            time.sleep(0.01)
        started = time.monotonic()
        server.close()
        assert time.monotonic() - started < 1.0
        assert threading.active_count() == threads_before
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            stalled.getresponse()
        server.close()  # idempotent
    finally:
        stalled.close()
        idle.close()


def test_stopped_server_refuses_connections() -> None:
    with LoopbackServer(route) as server:
        host, port = server.url.removeprefix("http://").split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=2).close()
