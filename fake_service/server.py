"""A loopback HTTP/1.1 server for tests and demos: threads, blocking sockets, h11's server side.

Strategy: one accept thread plus one thread per connection, all on blocking sockets bound to
127.0.0.1 port 0. Each connection loops over requests (keep-alive) and asks the handler what to
do with each one: a whole :class:`Reply`, a chunked :class:`StreamReply`, a :class:`Stall`, or a
:class:`CloseMidBody`. A handler exception becomes a 500.

Shutdown is prompt: every wait is on one ``threading.Event``, the accept loop is woken by a
throwaway connection, and open connections are woken by ``shutdown(SHUT_RDWR)``; then every
thread is joined and every socket closed, so nothing leaks a ``ResourceWarning``.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import traceback
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any, Union

import attrs
import h11

__all__ = [
    "Action",
    "CloseMidBody",
    "Delayed",
    "Handler",
    "LoopbackServer",
    "Reply",
    "ServerRequest",
    "Stall",
    "StreamReply",
]

Headers = tuple[tuple[str, str], ...]


@attrs.frozen
class ServerRequest:
    """One request as the server received it (header names lower-cased, body fully read)."""

    method: str
    target: str
    headers: Headers
    body: bytes
    connection_id: int  # 1 for the first connection accepted, 2 for the next...

    def header(self, name: str) -> str | None:
        """Return the first value of header ``name`` (case-insensitive), or None."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key == lowered), None)

    def json(self) -> Any:
        """Decode the body as JSON."""
        return json.loads(self.body)


@attrs.frozen
class Reply:
    """A whole response, sent with Content-Length."""

    status: int = 200
    headers: Headers = ()
    body: bytes = b""

    @classmethod
    def json(cls, obj: Any, status: int = 200, headers: Headers = ()) -> Reply:
        """A JSON reply (``content-type: application/json``)."""
        body = json.dumps(obj).encode()
        return cls(status, (("content-type", "application/json"), *headers), body)


@attrs.frozen
class StreamReply:
    """A chunked response: each chunk is flushed separately, ``delay`` seconds apart.

    ``cut``: close the connection after the last chunk instead of ending the body properly
    (the client sees a body cut short).
    """

    chunks: Iterable[bytes]
    status: int = 200
    headers: Headers = (("content-type", "text/event-stream"),)
    delay: float = 0.0
    cut: bool = False


@attrs.frozen
class Stall:
    """Read the request, send nothing for ``seconds`` (cut short by shutdown), then close."""

    seconds: float


@attrs.frozen
class Delayed:
    """Wait ``seconds`` (cut short by shutdown), then carry out ``action``."""

    seconds: float
    action: Action


@attrs.frozen
class CloseMidBody:
    """Send headers with ``Content-Length: declared_length``, then ``partial``, then close."""

    declared_length: int
    partial: bytes
    status: int = 200


Action = Union[Reply, StreamReply, Stall, CloseMidBody, Delayed]
Handler = Callable[[ServerRequest], Action]


class LoopbackServer:
    """A threaded HTTP/1.1 server on ``127.0.0.1``; a context manager that starts and stops it.

    Attributes:
        url: ``"http://127.0.0.1:PORT"``, set once started.
        requests: every request received, in arrival order.
        connections_opened: how many client connections were accepted.
    """

    def __init__(self, handler: Handler, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.url = ""
        self._address = (host, port)
        self.requests: list[ServerRequest] = []
        self.connections_opened = 0
        self._handler = handler
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()

    def start(self) -> None:
        """Bind, listen and start accepting connections."""
        listener = socket.create_server(self._address)
        self._listener = listener
        self.url = f"http://{self._address[0]}:{listener.getsockname()[1]}"
        self._spawn(self._accept_loop, listener)

    def close(self) -> None:
        """Stop promptly: wake every thread, join them all, close every socket. Idempotent."""
        listener, self._listener = self._listener, None
        if listener is None:
            return
        self._stopping.set()
        with socket.create_connection(listener.getsockname()):  # wakes the blocking accept()
            self._threads[0].join()
        listener.close()
        with self._lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> LoopbackServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _spawn(self, target: Callable[..., None], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            sock, _ = listener.accept()
            if self._stopping.is_set():
                sock.close()
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._open.add(sock)
                self.connections_opened += 1
                self._spawn(self._serve, sock, self.connections_opened)

    def _serve(self, sock: socket.socket, connection_id: int) -> None:
        conn = h11.Connection(h11.SERVER)
        try:
            while not self._stopping.is_set():
                request = _read_request(sock, conn, connection_id)
                if request is None:
                    return
                self.requests.append(request)
                try:
                    action = self._handler(request)
                except Exception:
                    action = Reply(
                        500, (("content-type", "text/plain"),), traceback.format_exc().encode()
                    )
                if not self._respond(sock, conn, action) or conn.our_state is not h11.DONE:
                    return
                conn.start_next_cycle()
        except (OSError, h11.ProtocolError):
            return
        finally:
            with self._lock:
                self._open.discard(sock)
                sock.close()

    def _respond(self, sock: socket.socket, conn: h11.Connection, action: Action) -> bool:
        """Send the reply for ``action``; return False when the connection must close."""
        if isinstance(action, Delayed):
            if self._stopping.wait(action.seconds):
                return False
            return self._respond(sock, conn, action.action)
        if isinstance(action, Stall):
            self._stopping.wait(action.seconds)
            return False
        if isinstance(action, CloseMidBody):
            headers = [("content-length", str(action.declared_length))]
            sock.sendall(_send(conn, h11.Response(status_code=action.status, headers=headers)))
            sock.sendall(action.partial)
            return False
        if isinstance(action, Reply):
            headers = [*action.headers, ("content-length", str(len(action.body)))]
            response = h11.Response(status_code=action.status, headers=headers)
            sock.sendall(
                _send(conn, response)
                + _send(conn, h11.Data(data=action.body))
                + _send(conn, h11.EndOfMessage())
            )
            return True
        headers = [*action.headers, ("transfer-encoding", "chunked")]
        sock.sendall(_send(conn, h11.Response(status_code=action.status, headers=headers)))
        for index, chunk in enumerate(action.chunks):
            if index and action.delay and self._stopping.wait(action.delay):
                return False
            if chunk:
                sock.sendall(_send(conn, h11.Data(data=chunk)))
        if action.cut:
            return False
        sock.sendall(_send(conn, h11.EndOfMessage()))
        return True


def _send(conn: h11.Connection, event: h11.Event) -> bytes:
    data = conn.send(event)
    assert data is not None
    return data


def _read_request(
    sock: socket.socket, conn: h11.Connection, connection_id: int
) -> ServerRequest | None:
    """Read one whole request; None if the client closed the connection cleanly first."""
    head: h11.Request | None = None
    body = bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(sock.recv(65536))
        elif isinstance(event, h11.Request):
            head = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage) and head is not None:
            headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in head.headers)
            return ServerRequest(
                head.method.decode("ascii"),
                head.target.decode("latin-1"),
                headers,
                bytes(body),
                connection_id,
            )
        elif isinstance(event, h11.ConnectionClosed):
            return None
