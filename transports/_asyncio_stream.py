"""asyncio's own transports for :class:`~transports.anyio.AnyioTransport` when it runs on asyncio.

Strategy: anyio's asyncio ``SocketStream`` costs about 20 µs a request (``send`` always yields
once more; ``receive`` turns socket reading on and off each call), so on asyncio a connection is
``loop.create_connection`` with :class:`_Protocol`, which buffers what arrives and wakes the one
waiting reader through a future. Reading pauses above 256 KiB buffered and resumes once drained;
a ``send`` writes at once and waits (under the timeout) only while the transport has paused
writing. EOF and errors come from ``eof_received``/``connection_lost``, which is also how an idle
connection is known to be stale. ``start_tls`` upgrades a CONNECT tunnel in place. Timeouts are
``anyio.fail_after`` scopes, only when the connection's ``timeout`` (set per request) is not
None; close aborts (no TLS close_notify).
"""

from __future__ import annotations

import asyncio
import ssl

import anyio

from inference_core.transport import InferenceTimeoutError, ReadError

from ._h11 import Connection, translate

__all__ = ["AsyncioConnection", "alpn_protocol", "open_connection", "start_tls"]

_HIGH_WATER = 1 << 18  # pause reading with this much buffered


class _Protocol(asyncio.Protocol):
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop, self.chunks, self.size = loop, list[bytes](), 0
        self.transport: asyncio.Transport | None = None
        self.reader: asyncio.Future[None] | None = None  # the waiting receive, if any
        self.drain: asyncio.Future[None] | None = None  # set while writing is paused
        self.eof = self.paused = False
        self.error: Exception | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)
        self.size += len(data)
        if self.size > _HIGH_WATER and not self.paused and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof, self.error = True, exc
        self._wake()
        self.resume_writing()

    def pause_writing(self) -> None:
        if self.drain is None:
            self.drain = self.loop.create_future()

    def resume_writing(self) -> None:
        drain, self.drain = self.drain, None
        if drain is not None and not drain.done():
            drain.set_result(None)

    def _wake(self) -> None:
        reader = self.reader
        if reader is not None and not reader.done():
            reader.set_result(None)


class AsyncioConnection(Connection):
    __slots__ = ("protocol", "transport")

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol, timeout: float | None):
        super().__init__(None, timeout, transport.get_extra_info("ssl_object") is not None)
        self.transport, self.protocol = transport, protocol

    async def send_all(self, data: bytes) -> None:
        p = self.protocol
        try:
            if p.eof or self.transport.is_closing():
                raise p.error or ConnectionResetError("the connection was closed")
            self.transport.write(data)
            if p.drain is not None:  # the write buffer is above its high-water mark
                timeout = self.wait_limit()
                if timeout is None:
                    await p.drain
                else:
                    with anyio.fail_after(timeout):
                        await p.drain
        except TimeoutError as exc:
            raise translate(exc, InferenceTimeoutError, self.url) from exc
        except OSError as exc:
            raise translate(exc, ReadError, self.url) from exc

    async def receive(self) -> bytes:
        p = self.protocol
        while not p.chunks:
            if p.error is not None:
                raise translate(p.error, ReadError, self.url) from p.error
            if p.eof:
                return b""
            timeout = self.wait_limit()
            p.reader = p.loop.create_future()
            try:
                if timeout is None:
                    await p.reader
                else:
                    with anyio.fail_after(timeout):
                        await p.reader
            except TimeoutError as exc:
                raise translate(exc, InferenceTimeoutError, self.url) from exc
            finally:
                p.reader = None
        data = p.chunks[0] if len(p.chunks) == 1 else b"".join(p.chunks)
        p.chunks.clear()
        p.size = 0
        if p.paused:
            p.paused = False
            self.transport.resume_reading()
        return data

    def has_expired(self) -> bool:
        p = self.protocol
        return p.eof or bool(p.chunks) or self.transport.is_closing()

    async def aclose(self) -> None:
        self.transport.abort()  # never waits on the peer
        await asyncio.sleep(0)  # the loop closes the socket in the callback abort() queued


async def open_connection(
    host: str, port: int, tls: ssl.SSLContext | None, timeout: float | None
) -> AsyncioConnection:
    """Connect (and shake hands), raising OSError / ssl.SSLError as the loop does."""
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_connection(
        lambda: _Protocol(loop), host, port, ssl=tls, server_hostname=host if tls else None
    )
    return AsyncioConnection(transport, protocol, timeout)


async def start_tls(conn: AsyncioConnection, tls: ssl.SSLContext, host: str) -> AsyncioConnection:
    """Wrap an open connection (a CONNECT tunnel) in TLS; the same protocol stays attached."""
    p = conn.protocol
    transport = await p.loop.start_tls(conn.transport, p, tls, server_hostname=host)
    if transport is None:  # pragma: no cover (only when the loop is closing)
        raise ConnectionResetError("the connection was closed during the TLS handshake")
    assert isinstance(transport, asyncio.Transport)
    p.transport = transport
    return AsyncioConnection(transport, p, conn.timeout)


def alpn_protocol(conn: AsyncioConnection) -> str | None:
    tls = conn.transport.get_extra_info("ssl_object")
    return None if tls is None else tls.selected_alpn_protocol()
