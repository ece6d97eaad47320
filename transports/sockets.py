"""The blocking socket transport: :class:`SocketTransport`, HTTP/1.1 on stdlib sockets and h11.

Strategy: ``_h11_sync.py`` (generated from ``_h11.py``, the code the async transports run) owns
HTTP/1.1, connection reuse, proxies, bounds and clean-up; this module adds only what touches a
socket. Connections are ``socket.create_connection`` sockets with ``TCP_NODELAY``, wrapped with
the ``ssl`` module for ``https`` (no closing handshake, like browsers). A wait is bounded by the
socket's own timeout, set only when it changes (``settimeout`` toggles the socket between
blocking and polled mode); with no timeout a receive is one plain ``recv``. Connecting, the TLS
handshake and any proxy tunnel share one connect budget, kept per thread while they run.
``socket`` and ``ssl`` exceptions become our ``TransportError`` family in ``except`` branches
only.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager

from inference_core.transport import InferenceTimeoutError, ReadError

from ._h11_sync import RECEIVE_SIZE, Connection, H11Transport, translate

__all__ = ["SocketTransport"]

_UNSET = -1.0  # no timeout set yet on a new connection's socket


class _SocketConnection(Connection):
    __slots__ = ("_timeout_set",)

    def __init__(self, sock: socket.socket, timeout: float | None) -> None:
        super().__init__(sock, timeout, isinstance(sock, ssl.SSLSocket))
        self._timeout_set: float | None = _UNSET

    def _bound(self, sock: socket.socket) -> None:
        limit = self.wait_limit()
        if limit != self._timeout_set:
            sock.settimeout(limit)
            self._timeout_set = limit

    def send_all(self, data: bytes) -> None:
        sock: socket.socket = self.sock  # type: ignore[assignment]
        try:
            self._bound(sock)
            sock.sendall(data)
        except TimeoutError as exc:
            raise translate(exc, InferenceTimeoutError, self.url) from exc
        except OSError as exc:
            raise translate(exc, ReadError, self.url) from exc

    def receive(self) -> bytes:
        sock: socket.socket = self.sock  # type: ignore[assignment]
        try:
            self._bound(sock)
            return sock.recv(RECEIVE_SIZE)
        except TimeoutError as exc:
            raise translate(exc, InferenceTimeoutError, self.url) from exc
        except OSError as exc:
            raise translate(exc, ReadError, self.url) from exc

    def close(self) -> None:
        sock: socket.socket = self.sock  # type: ignore[assignment]
        with contextlib.suppress(OSError):
            sock.close()  # never waits on the peer (no TLS close_notify)


class SocketTransport(H11Transport):
    """A :class:`~transports.SyncTransport` on stdlib sockets and h11, with keep-alive reuse.

    The sync default: the least client CPU per call of the blocking transports (bench/run.py)
    and no dependency beyond h11. Thread-safe: threads may share one transport; each request
    uses its own connection. Never follows redirects.

    Args:
        timeout: the default seconds allowed for connecting (with the TLS handshake and any
            proxy tunnel) and for each send and receive (an idle timeout: a stream that keeps
            sending is never cut); None waits forever. A request's own ``timeout`` replaces it
            for that request.
        proxies: one proxy URL for every request, or a mapping with ``http``, ``https`` or
            ``all`` keys (and ``no_proxy``). ``https`` targets are tunnelled with ``CONNECT``.
        verify: True (certifi's CA bundle), False (no verification), a CA bundle path, or an
            ``ssl.SSLContext`` used as given.
        trust_env: also take proxies from ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY`` and
            honour ``NO_PROXY``. Off by default.
        max_idle_per_host: how many idle connections to keep per origin (256: as many as a
            program running that many calls at once uses, so the cost per call stays flat
            up to that concurrency; bench/scale.py).
    """

    _connect_budget = threading.local()  # .deadline: the connect in progress on this thread

    def _open(self, host: str, port: int, tls: ssl.SSLContext | None) -> Connection:
        sock = socket.create_connection((host, port), timeout=self._connect_left())
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls is not None:
                sock = self._handshake(sock, tls, host)
        except BaseException:
            sock.close()
            raise
        return _SocketConnection(sock, self._timeout)

    def _start_tls(self, conn: Connection, tls: ssl.SSLContext, host: str) -> Connection:
        assert isinstance(conn, _SocketConnection)
        sock: socket.socket = conn.sock  # type: ignore[assignment]
        return _SocketConnection(self._handshake(sock, tls, host), self._timeout)

    def _handshake(self, sock: socket.socket, tls: ssl.SSLContext, host: str) -> socket.socket:
        sock.settimeout(self._connect_left())
        wrapped = tls.wrap_socket(sock, server_hostname=host, suppress_ragged_eofs=True)
        try:
            self._check_alpn(wrapped.selected_alpn_protocol())
        except ssl.SSLError:
            wrapped.close()
            raise
        return wrapped

    def _connect_left(self) -> float | None:
        """Seconds left of the connect budget on this thread (None: unbounded)."""
        deadline: float | None = getattr(self._connect_budget, "deadline", None)
        if deadline is None:
            return None
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        return left

    def _fail_after(self, seconds: float) -> AbstractContextManager[object]:
        return self._budget(seconds)

    @contextlib.contextmanager
    def _budget(self, seconds: float) -> Iterator[None]:
        budget = self._connect_budget
        outer = getattr(budget, "deadline", None)
        budget.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            budget.deadline = outer

    def _shield(self) -> AbstractContextManager[object]:
        return contextlib.nullcontext()

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (``time.sleep``)."""
        time.sleep(seconds)
