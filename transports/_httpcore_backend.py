"""httpcore network backends for our httpcore transports: deadline-clamped waits, tracked sockets.

Strategy: httpcore takes one timeout per operation and reads it once per response body, so it
cannot bound a whole call. Its public backend interface can: :class:`Backend` and
:class:`AsyncBackend` wrap httpcore's own (``SyncBackend``; ``AutoBackend``, which picks anyio
or trio per connection) and every stream they open clamps each connect, read, write and TLS
handshake to the time left before the deadline in :data:`DEADLINE`. The transport sets that
context variable around the part of a call the deadline covers (all of ``send``; ``stream``
up to the head); a context variable is per thread and per task, so concurrent calls never see
each other's. Past the deadline a wait raises httpcore's own timeout, mapped as usual.

Cancelled mid-TLS-handshake, httpcore leaves the TCP socket open (it closes it on
``Exception`` only); the streams here close it on any exception, cancellation included.

Each backend also remembers (weakly) every stream it opened, so the transport's ``_abandon``
can close their sockets synchronously, without an event loop (see :mod:`~transports._abandon`).
"""

from __future__ import annotations

import ssl
import threading
import time
import weakref
from collections.abc import Iterable
from contextvars import ContextVar, Token
from typing import Any

import anyio
from httpcore._backends.auto import AutoBackend

from inference_core.transport import Request

from ._abandon import close_now
from ._httpcore import httpcore

__all__ = ["DEADLINE", "AsyncBackend", "Backend", "within_deadline"]

DEADLINE: ContextVar[float | None] = ContextVar("transports_deadline", default=None)
SocketOptions = Iterable[Any] | None


class within_deadline:  # lower-case: used like a function, ``with within_deadline(request):``
    """Set :data:`DEADLINE` to the request's for the block (nothing to do without one)."""

    __slots__ = ("_deadline", "_token")

    def __init__(self, request: Request) -> None:
        self._deadline = request.deadline
        self._token: Token[float | None] | None = None

    def __enter__(self) -> None:
        if self._deadline is not None:
            self._token = DEADLINE.set(self._deadline)

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            DEADLINE.reset(self._token)


def _clamp(timeout: float | None, error: type[httpcore.TimeoutException]) -> float | None:
    deadline = DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise error("the call's deadline passed")
    return left if timeout is None or left < timeout else timeout


class _Tracked:
    """The streams a backend opened and that are still alive (threads may share a backend)."""

    def __init__(self) -> None:
        self.streams: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lock = threading.RLock()  # reentrant: a finalizer may run inside track()

    def track(self, stream: Any) -> None:
        with self._lock:
            self.streams.add(stream)

    def close_all_now(self) -> None:
        """Close every tracked stream's socket at once, without an event loop. Best effort."""
        with self._lock:
            streams = list(self.streams)
            self.streams.clear()
        for stream in streams:
            close_now(stream)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.inner = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        try:
            self.inner = self.inner.start_tls(ssl_context, server_hostname, timeout)
        except BaseException:  # httpcore closes the TCP stream on Exception only
            self.inner.close()
            raise
        return self

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class Backend(httpcore.NetworkBackend, _Tracked):
    """httpcore's blocking backend, with deadline-clamped waits and tracked streams."""

    def __init__(self) -> None:
        _Tracked.__init__(self)
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: SocketOptions = None,
    ) -> httpcore.NetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        stream = _Stream(
            self._backend.connect_tcp(host, port, timeout, local_address, socket_options)
        )
        self.track(stream)
        return stream


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, stream: httpcore.AsyncNetworkStream) -> None:
        self.inner = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self.inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self.inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self.inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        try:
            self.inner = await self.inner.start_tls(ssl_context, server_hostname, timeout)
        except BaseException:  # cancelled mid-handshake: httpcore would leave the socket open
            with anyio.CancelScope(shield=True):
                await self.inner.aclose()
            raise
        return self

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class AsyncBackend(httpcore.AsyncNetworkBackend, _Tracked):
    """httpcore's anyio or trio backend (chosen per connection), clamped and tracked."""

    def __init__(self) -> None:
        _Tracked.__init__(self)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: SocketOptions = None,
    ) -> httpcore.AsyncNetworkStream:
        timeout = _clamp(timeout, httpcore.ConnectTimeout)
        inner = await AutoBackend().connect_tcp(host, port, timeout, local_address, socket_options)
        stream = _AsyncStream(inner)
        self.track(stream)
        return stream

    async def sleep(self, seconds: float) -> None:
        await AutoBackend().sleep(seconds)
