"""A raw-socket HTTP/1.1 server that misbehaves on purpose, for the fault matrix.

Strategy: no HTTP library on the server side, so it can break HTTP in every way a real peer
does. One accept thread plus one thread per connection, on blocking sockets bound to
``127.0.0.1`` port 0. Each connection reads a request (head and a ``Content-Length`` body), asks
the *script* what to do with it, and runs that :data:`Behaviour`: a function that writes to the
socket and returns True to keep the connection for another request. Request number ``n``
(counted over the whole server, from 0) gets ``script[min(n, len(script) - 1)]``, so
``[status(429, ...), json_reply(...)]`` answers the first request with a 429 and every later one
with success: a retry is observable as a second request.

Every wait (stall, drip, the pause between stream chunks) is on :func:`_wait`, which returns
early when the client closes its end (the thread then ends and counts the connection closed)
or when the server stops. So :attr:`FaultServer.open_connections` falls to 0 as soon as the
client has let go of every socket, which is how tests see that nothing was left open.

Shutdown is prompt: the accept loop is woken by a throwaway connection, open connections by
``shutdown(SHUT_RDWR)``; every thread is joined and every socket closed (no ResourceWarning).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

import attrs

__all__ = [
    "Behaviour",
    "Conn",
    "FaultServer",
    "RawRequest",
    "chunked",
    "declared_huge",
    "drip",
    "gzipped",
    "gzipped_json",
    "json_reply",
    "raw",
    "refused_url",
    "reply",
    "reset",
    "stall",
    "status",
]

_STEP = 0.02  # how often a wait looks at the client's end and at shutdown


@attrs.frozen
class RawRequest:
    """One request as received: header names lower-cased, body read to its Content-Length."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    connection: int  # 1 for the first connection accepted

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name.lower()), None)


class Conn:
    """The server's side of one connection, as a :data:`Behaviour` sees it."""

    def __init__(self, sock: socket.socket, server: FaultServer) -> None:
        self.sock = sock
        self.server = server
        self.peer_closed = False

    def send(self, data: bytes) -> bool:
        """Send ``data``; False (and stop) once the client is gone."""
        try:
            self.sock.sendall(data)
        except OSError:
            self.peer_closed = True
            return False
        with self.server.lock:
            self.server.bytes_sent += len(data)
        return True

    def wait(self, seconds: float) -> bool:
        """Wait ``seconds``; False as soon as the client closes or the server stops."""
        if not self.peer_closed and _wait(self.sock, seconds, self.server.stopping):
            return True
        self.peer_closed = True
        return False

    def reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0) instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.peer_closed = True  # the connection is over: the thread closes the socket


Behaviour = Callable[[Conn, RawRequest], bool]
"""Answer one request on a connection; return True to keep the connection for the next one."""


class FaultServer:
    """A threaded raw-socket server on ``127.0.0.1`` running a script of behaviours.

    Attributes:
        url: ``"http://127.0.0.1:PORT"``, set once started.
        requests: every request received, in arrival order.
        accepted / closed: connections accepted, and connections whose socket is closed.
        bytes_sent: body and head bytes written, over all connections.
    """

    def __init__(self, script: Sequence[Behaviour]) -> None:
        assert script, "a script needs at least one behaviour"
        self.script = list(script)
        self.url = ""
        self.requests: list[RawRequest] = []
        self.accepted = 0
        self.closed = 0
        self.bytes_sent = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()

    @property
    def open_connections(self) -> int:
        with self.lock:
            return self.accepted - self.closed

    def wait_all_closed(self, timeout: float = 3.0) -> bool:
        """Wait until every accepted connection is closed; True if they all were in time."""
        end = time.monotonic() + timeout
        while self.open_connections and time.monotonic() < end:
            time.sleep(_STEP)
        return self.open_connections == 0

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", 0))
        self._listener = listener
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        self._spawn(self._accept_loop, listener)

    def close(self) -> None:
        """Stop promptly: wake and join every thread, close every socket. Idempotent."""
        listener, self._listener = self._listener, None
        if listener is None:
            return
        self.stopping.set()
        with socket.create_connection(listener.getsockname()):
            self._threads[0].join()
        listener.close()
        with self.lock:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join()

    def __enter__(self) -> FaultServer:
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
            if self.stopping.is_set():
                sock.close()
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self._open.add(sock)
                self.accepted += 1
                self._spawn(self._serve, sock, self.accepted)

    def _serve(self, sock: socket.socket, number: int) -> None:
        conn = Conn(sock, self)
        buffer = bytearray()
        try:
            while not self.stopping.is_set():
                request = _read_request(sock, buffer, number)
                if request is None:
                    return
                with self.lock:
                    behaviour = self.script[min(len(self.requests), len(self.script) - 1)]
                    self.requests.append(request)
                if not behaviour(conn, request) or conn.peer_closed:
                    return
        except OSError:
            return
        finally:
            with self.lock:
                self._open.discard(sock)
                sock.close()
                self.closed += 1


def _wait(sock: socket.socket, seconds: float, stopping: threading.Event) -> bool:
    """Sleep up to ``seconds`` in short steps; False if the peer closed or the server stops."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if stopping.is_set():
            return False
        readable, _, _ = select.select([sock], [], [], min(left, _STEP))
        if readable:
            try:
                if not sock.recv(1, socket.MSG_PEEK):
                    return False
            except OSError:
                return False
            stopping.wait(min(left, _STEP))  # the client sent more: not a close; keep waiting
    return not stopping.is_set()


def _read_request(sock: socket.socket, buffer: bytearray, number: int) -> RawRequest | None:
    """Read one request from ``sock`` (``buffer`` keeps bytes past it); None at a clean EOF."""
    while b"\r\n\r\n" not in buffer:
        data = sock.recv(65536)
        if not data:
            return None
        buffer += data
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = tuple(
        (name.strip().lower(), value.strip())
        for name, _, value in (line.partition(":") for line in lines[1:])
    )
    length = int(next((v for k, v in headers if k == "content-length"), "0"))
    body = bytearray(rest)
    while len(body) < length:
        data = sock.recv(65536)
        if not data:
            return None
        body += data
    buffer[:] = body[length:]
    return RawRequest(method, target, headers, bytes(body[:length]), number)


# Behaviours. Each factory returns a Behaviour; responses that complete keep the connection.


def _head(code: int, headers: Sequence[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {code} Fault\r\n", *(f"{k}: {v}\r\n" for k, v in headers), "\r\n"]
    return "".join(lines).encode("latin-1")


def reply(code: int, headers: Sequence[tuple[str, str]], body: bytes) -> Behaviour:
    """A well-formed response with Content-Length; the connection stays open."""
    data = _head(code, [*headers, ("content-length", str(len(body)))]) + body
    return lambda conn, _: conn.send(data)


def json_reply(obj: Any, code: int = 200, headers: Sequence[tuple[str, str]] = ()) -> Behaviour:
    return reply(code, [("content-type", "application/json"), *headers], json.dumps(obj).encode())


def status(code: int, *headers: tuple[str, str], body: Any = None) -> Behaviour:
    """An error status with a JSON body (``{"error": ...}`` unless given)."""
    return json_reply({"error": f"status {code}"} if body is None else body, code, headers)


def gzipped_json(obj: Any) -> Behaviour:
    return gzipped(json.dumps(obj).encode())


def gzipped(data: bytes) -> Behaviour:
    """``data`` gzip-encoded (``Content-Encoding: gzip``), declared as JSON."""
    body = gzip.compress(data)
    return reply(200, [("content-type", "application/json"), ("content-encoding", "gzip")], body)


def raw(data: bytes, *, then: str = "close", wait: float = 30.0) -> Behaviour:
    """Send ``data`` as is, then ``"close"`` (FIN), ``"reset"`` (RST) or ``"wait"`` for the
    client to close (at most ``wait`` seconds)."""

    def behave(conn: Conn, _: RawRequest) -> bool:
        if data and not conn.send(data):
            return False
        if then == "reset":
            conn.reset()
        elif then == "wait":
            conn.wait(wait)
        return False

    return behave


def reset() -> Behaviour:
    """Read the request, then reset the connection without a byte of response."""
    return raw(b"", then="reset")


def stall(seconds: float = 30.0, prefix: bytes = b"") -> Behaviour:
    """Send ``prefix`` (maybe nothing), then nothing more until the client gives up."""
    return raw(prefix, then="wait", wait=seconds)


def drip(
    body: bytes, interval: float, headers: Sequence[tuple[str, str]] = ()
) -> Behaviour:
    """Send the head at once, then ``body`` one byte every ``interval`` seconds."""
    head = _head(200, [*headers, ("content-length", str(len(body)))])

    def behave(conn: Conn, _: RawRequest) -> bool:
        if not conn.send(head):
            return False
        for index in range(len(body)):
            if not (conn.wait(interval) and conn.send(body[index : index + 1])):
                return False
        return True

    return behave


def chunked(
    chunks: Sequence[bytes],
    *,
    delay: float = 0.0,
    headers: Sequence[tuple[str, str]] = (("content-type", "text/event-stream"),),
    end: str = "clean",
    code: int = 200,
) -> Behaviour:
    """A chunked response, each chunk flushed ``delay`` seconds apart, ending ``"clean"`` (the
    zero chunk), ``"close"`` (FIN without it), ``"cut"`` (FIN inside a chunk: the last one's
    size is declared larger than sent), ``"reset"`` or ``"stall"`` (no end; wait for the
    client)."""
    head = _head(code, [*headers, ("transfer-encoding", "chunked")])

    def behave(conn: Conn, _: RawRequest) -> bool:
        if not conn.send(head):
            return False
        for index, chunk in enumerate(chunks):
            if index and delay and not conn.wait(delay):
                return False
            size = len(chunk) + 100 if end == "cut" and index == len(chunks) - 1 else len(chunk)
            if not conn.send(b"%x\r\n%s" % (size, chunk) + (b"" if size > len(chunk) else b"\r\n")):
                return False
        if end == "clean":
            return conn.send(b"0\r\n\r\n")
        if end == "reset":
            conn.reset()
        elif end == "stall":
            conn.wait(30)
        return False

    return behave


def declared_huge(size: int, *, as_chunks: bool = False) -> Behaviour:
    """A ``size``-byte body of zeros (declared up front, or chunked), sent 64 KiB at a time
    until done or until the client closes."""
    block = bytes(65536)
    framing = ("transfer-encoding", "chunked") if as_chunks else ("content-length", str(size))
    head = _head(200, [("content-type", "application/json"), framing])
    piece = b"%x\r\n%s\r\n" % (len(block), block) if as_chunks else block

    def behave(conn: Conn, _: RawRequest) -> bool:
        if not conn.send(head):
            return False
        for _index in range(size // len(block)):
            if conn.server.stopping.is_set() or not conn.send(piece):
                return False
        return conn.send(b"0\r\n\r\n") if as_chunks else True

    return behave


@contextlib.contextmanager
def refused_url() -> Any:
    """A loopback URL whose port is bound but not listening: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
