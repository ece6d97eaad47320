"""The anyio transport: :class:`AnyioTransport`, HTTP/1.1 on anyio byte streams (asyncio, trio).

Strategy: ``_h11.py`` owns HTTP/1.1, connection reuse, proxies and cancellation; this module adds
only what touches anyio. Connections are ``anyio.connect_tcp`` streams, wrapped in
``anyio.streams.tls.TLSStream`` for ``https`` (without the closing handshake, like browsers).
Timeouts (the request's, else the transport's) use an ``anyio.fail_after`` scope per receive,
per connect and per large or TLS send, and none at all when the timeout is None (a scope costs
CPU). anyio's exceptions become our
``TransportError`` family in ``except`` branches only. On asyncio (a running asyncio loop, at
connect time), connections are asyncio's own transports instead (``_asyncio_stream.py``):
anyio's asyncio socket stream costs about 20 µs a request more.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from contextlib import AbstractContextManager

import anyio
from anyio.abc import ByteStream, SocketAttribute
from anyio.streams.tls import TLSAttribute, TLSStream

from inference_core.transport import InferenceTimeoutError, ReadError

from . import _asyncio_stream
from ._h11 import RECEIVE_SIZE, Connection, H11Transport, translate

__all__ = ["AnyioTransport"]

_BROKEN = (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError)


def _on_asyncio() -> bool:
    """True inside a running asyncio event loop (False under trio, which has none)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class _AnyioConnection(Connection):
    __slots__ = ("stream",)

    def __init__(self, stream: ByteStream, timeout: float | None) -> None:
        sock = stream.extra(SocketAttribute.raw_socket, None)
        super().__init__(sock, timeout, isinstance(stream, TLSStream))
        self.stream = stream

    async def send_all(self, data: bytes) -> None:
        timeout = self.wait_limit()
        try:
            if timeout is None or len(data) <= self.small_write:
                await self.stream.send(data)
            else:
                with anyio.fail_after(timeout):
                    await self.stream.send(data)
        except TimeoutError as exc:
            raise translate(exc, InferenceTimeoutError, self.url) from exc
        except _BROKEN as exc:
            raise translate(exc, ReadError, self.url) from exc

    async def receive(self) -> bytes:
        timeout = self.wait_limit()
        try:
            if timeout is None:
                return await self.stream.receive(RECEIVE_SIZE)
            with anyio.fail_after(timeout):
                return await self.stream.receive(RECEIVE_SIZE)
        except anyio.EndOfStream:
            return b""
        except TimeoutError as exc:
            raise translate(exc, InferenceTimeoutError, self.url) from exc
        except _BROKEN as exc:
            raise translate(exc, ReadError, self.url) from exc

    async def aclose(self) -> None:
        with contextlib.suppress(*_BROKEN):
            await self.stream.aclose()  # aborts the socket: never waits on the peer


class AnyioTransport(H11Transport):
    """A :class:`~transports.AsyncTransport` on anyio streams and h11, with keep-alive reuse.

    Runs on asyncio and on trio. Never follows redirects.

    Args:
        timeout: the default seconds allowed for connecting and for each send and receive
            (an idle timeout: a stream that keeps sending is never cut); None waits forever.
            A request's own ``timeout`` replaces it for that request.
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

    _connect_errors = (anyio.BrokenResourceError, anyio.EndOfStream, OSError)

    async def _open(self, host: str, port: int, tls: ssl.SSLContext | None) -> Connection:
        if _on_asyncio():
            conn = await _asyncio_stream.open_connection(host, port, tls, self._timeout)
            return await self._checked_asyncio(conn) if tls is not None else conn
        if tls is None:
            return _AnyioConnection(await anyio.connect_tcp(host, port), self._timeout)
        stream = await anyio.connect_tcp(
            host, port, ssl_context=tls, tls_hostname=host, tls_standard_compatible=False
        )
        return await self._checked(stream)

    async def _start_tls(self, conn: Connection, tls: ssl.SSLContext, host: str) -> Connection:
        if isinstance(conn, _asyncio_stream.AsyncioConnection):
            return await self._checked_asyncio(await _asyncio_stream.start_tls(conn, tls, host))
        assert isinstance(conn, _AnyioConnection)
        stream = await TLSStream.wrap(
            conn.stream, hostname=host, ssl_context=tls, standard_compatible=False
        )
        return await self._checked(stream)

    async def _checked(self, stream: TLSStream) -> Connection:
        try:
            self._check_alpn(stream.extra(TLSAttribute.alpn_protocol))
        except ssl.SSLError:
            with self._shield():
                await stream.aclose()
            raise
        return _AnyioConnection(stream, self._timeout)

    async def _checked_asyncio(self, conn: _asyncio_stream.AsyncioConnection) -> Connection:
        try:
            self._check_alpn(_asyncio_stream.alpn_protocol(conn))
        except ssl.SSLError:
            with self._shield():
                await conn.aclose()
            raise
        return conn

    def _shield(self) -> AbstractContextManager[object]:
        return anyio.CancelScope(shield=True)

    def _fail_after(self, seconds: float) -> AbstractContextManager[object]:
        return anyio.fail_after(seconds)

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on the running event loop."""
        await anyio.sleep(seconds)
