"""The trio transport: :class:`TrioTransport`, HTTP/1.1 on native trio (trio only).

Strategy: ``_h11.py`` owns HTTP/1.1, connection reuse, proxies and cancellation; this module adds
only what touches trio. Connections come from ``trio.open_tcp_stream``, wrapped in
``trio.SSLStream`` for ``https``. On plain TCP, reads and writes go straight to the trio socket
under the ``SocketStream``: the stream's per-call context managers cost more than the socket
calls. Timeouts (the request's, else the transport's) use a ``trio.fail_after`` scope per
receive, per connect and per large or TLS send, and none at all when the timeout is None.
trio's exceptions become our ``TransportError`` family in ``except`` branches only.
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import cast

try:
    import trio
except ImportError as exc:  # pragma: no cover (trio is a test dependency)
    raise ImportError("TrioTransport needs trio: pip install 'hf-inference-core[trio]'") from exc

from inference_core.transport import InferenceTimeoutError, ReadError

from ._h11 import RECEIVE_SIZE, Connection, H11Transport, translate

__all__ = ["TrioTransport"]

_BROKEN = (trio.BrokenResourceError, trio.ClosedResourceError, OSError)
_Stream = trio.abc.Stream


class _TrioConnection(Connection):
    """The trio socket's ``recv``/``send`` on plain TCP; the stream's methods over TLS."""

    __slots__ = ("_receive", "_socket", "stream")

    def __init__(self, stream: _Stream, timeout: float | None) -> None:
        raw = stream
        while isinstance(raw, trio.SSLStream):
            raw = raw.transport_stream
        sock = raw.socket if isinstance(raw, trio.SocketStream) else None
        super().__init__(sock, timeout, stream is not raw)
        self.stream = stream
        self._socket = sock if stream is raw else None
        if self._socket is not None:
            self._receive: Callable[[int], Awaitable[bytes]] = self._socket.recv
        else:
            self._receive = cast(Callable[[int], Awaitable[bytes]], stream.receive_some)

    async def _send(self, data: bytes) -> None:
        sock = self._socket
        if sock is None:
            await self.stream.send_all(data)
            return
        sent = await sock.send(data)
        while sent < len(data):  # rare: the kernel took only part of it
            sent += await sock.send(memoryview(data)[sent:])

    async def send_all(self, data: bytes) -> None:
        timeout = self.wait_limit()
        try:
            if timeout is None or len(data) <= self.small_write:
                await self._send(data)
            else:
                with trio.fail_after(timeout):
                    await self._send(data)
        except trio.TooSlowError as exc:
            raise translate(exc, InferenceTimeoutError, self.url) from exc
        except _BROKEN as exc:
            raise translate(exc, ReadError, self.url) from exc

    async def receive(self) -> bytes:
        timeout = self.wait_limit()
        try:
            if timeout is None:
                return await self._receive(RECEIVE_SIZE)
            with trio.fail_after(timeout):
                return await self._receive(RECEIVE_SIZE)
        except trio.TooSlowError as exc:
            raise translate(exc, InferenceTimeoutError, self.url) from exc
        except _BROKEN as exc:
            raise translate(exc, ReadError, self.url) from exc

    async def aclose(self) -> None:
        with contextlib.suppress(*_BROKEN):
            await trio.aclose_forcefully(self.stream)  # never waits on the peer


class TrioTransport(H11Transport):
    """A :class:`~transports.AsyncTransport` on trio streams and h11, with keep-alive reuse.

    Trio only; takes the same arguments as :class:`~transports.anyio.AnyioTransport`. Never
    follows redirects; proxy environment variables only with ``trust_env=True``.
    """

    _timeout_errors = (trio.TooSlowError,)
    _connect_errors = (trio.BrokenResourceError, OSError)

    async def _open(self, host: str, port: int, tls: ssl.SSLContext | None) -> Connection:
        stream = await trio.open_tcp_stream(host, port)
        if tls is None:
            return _TrioConnection(stream, self._timeout)
        return await self._handshake(stream, tls, host)

    async def _start_tls(self, conn: Connection, tls: ssl.SSLContext, host: str) -> Connection:
        assert isinstance(conn, _TrioConnection)
        return await self._handshake(conn.stream, tls, host)

    async def _handshake(self, stream: _Stream, tls: ssl.SSLContext, host: str) -> Connection:
        wrapped = trio.SSLStream(stream, tls, server_hostname=host, https_compatible=True)
        try:
            await wrapped.do_handshake()
            self._check_alpn(wrapped.selected_alpn_protocol())
        except BaseException as exc:
            with self._shield():
                await trio.aclose_forcefully(stream)
            if isinstance(exc, trio.BrokenResourceError) and isinstance(
                exc.__cause__, ssl.SSLError
            ):
                raise exc.__cause__ from None  # the certificate error, not "BrokenResourceError"
            raise
        return _TrioConnection(wrapped, self._timeout)

    def _shield(self) -> AbstractContextManager[object]:
        return trio.CancelScope(shield=True)

    def _fail_after(self, seconds: float) -> AbstractContextManager[object]:
        return trio.fail_after(seconds)

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (``trio.sleep``)."""
        await trio.sleep(seconds)
