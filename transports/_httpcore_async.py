"""The async httpcore transport: :class:`AsyncHttpcoreTransport`, on asyncio and trio alike.

Strategy: the same design as ``_httpcore_sync.py`` (a per-origin LIFO free-list of
``httpcore.AsyncHTTPConnection``, proxies through ``httpcore.AsyncHTTPProxy``), sharing its URL
cache, request building, options, free-list and error mapping from ``_pooling.py`` and
``_errors.py``. Only the I/O calls differ. httpcore picks the backend (anyio or trio) per
connection. Acquiring a connection is O(1): there is no waiter queue and no connection limit.

Cancellation: every cleanup ``await`` runs inside ``anyio.CancelScope(shield=True)``. A request
or stream interrupted before its body was fully read leaves the connection mid-response, so it
is closed, never put back on the free-list.

Bounds and decoding as in ``_httpcore_sync.py``: connections come from
:class:`~transports._httpcore_backend.AsyncBackend` (deadline-clamped waits, tracked streams),
``send`` collects its body through :class:`~transports._limits.Body`, ``stream`` decodes
through :class:`~transports._decoding.AsyncDecodedChunks`. :meth:`AsyncHttpcoreTransport._abandon`
closes every socket synchronously, for a finalizer that has no event loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator, Iterable
from types import TracebackType
from typing import cast

import anyio

from inference_core.transport import AsyncStreamResponse, Request, Response

from ._decoding import AsyncDecodedChunks, decoded_headers, decoder_for
from ._errors import map_exceptions, translated
from ._httpcore import HTTP11ConnectionByteStream as _HTTP11Body
from ._httpcore import enable_trio, httpcore
from ._httpcore_backend import AsyncBackend, within_deadline
from ._limits import Body, check_deadline
from ._pooling import (
    FreeList,
    Options,
    OriginKey,
    Proxies,
    Verify,
    build_request,
    httpcore_url,
    to_headers,
)

enable_trio()  # this transport runs on trio too: give httpcore the trio it was imported without

__all__ = ["AsyncHttpcoreTransport"]


class AsyncHttpcoreTransport:
    """A :class:`~transports.AsyncTransport` on httpcore, with keep-alive connection reuse.

    Works under asyncio and trio. Takes the same arguments as
    :class:`~transports.HttpcoreTransport` (proxy environment variables only with
    ``trust_env=True``).
    """

    def __init__(
        self,
        *,
        timeout: float | None = None,
        proxies: Proxies = None,
        verify: Verify = True,
        trust_env: bool = False,
        max_idle_per_host: int = 16,
    ) -> None:
        self._options = Options(timeout, proxies, verify, trust_env)
        self._backend = AsyncBackend()
        self._free: FreeList[httpcore.AsyncHTTPConnection] = FreeList(
            type(self).__name__, max_idle_per_host
        )
        self._proxy_pools = {
            spec: httpcore.AsyncHTTPProxy(
                spec.url,
                proxy_auth=spec.auth,
                ssl_context=self._options.ssl_context("https"),
                network_backend=self._backend,
            )
            for spec in set(self._options.proxies.values())
        }

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        check_deadline(request)
        with within_deadline(request):
            hresp, conn, key = await self._begin(request)
            chunks = _body(hresp)
            try:
                body = Body(request, hresp.status, to_headers(hresp.headers))
                with map_exceptions(request.url):
                    async for chunk in chunks:
                        body.feed(chunk)
                response = body.response()
            except BaseException:
                with anyio.CancelScope(shield=True):
                    await chunks.aclose()  # never left for the garbage collector (trio warns)
                await _abandon(hresp, conn)
                raise
            await self._release(hresp, conn, key)
            return response

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        check_deadline(request)
        with within_deadline(request):  # the head only
            hresp, conn, key = await self._begin(request)
        chunks = _Chunks(self, hresp, conn, key, request.url)
        headers = to_headers(hresp.headers)
        decoder = decoder_for(headers, request.url)
        try:
            if decoder is None:
                yield AsyncStreamResponse(hresp.status, headers, chunks)
            else:
                decoded = AsyncDecodedChunks(chunks, decoder)
                yield AsyncStreamResponse(hresp.status, decoded_headers(headers), decoded)
        finally:
            await chunks.aclose()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on the running event loop (``anyio.sleep``)."""
        await anyio.sleep(seconds)

    async def aclose(self) -> None:
        """Close every connection, idle or still held by a stream, and every proxy pool.
        Idempotent; later sends raise."""
        with anyio.CancelScope(shield=True):
            await _close_all(self._free.drain())
            for pool in self._proxy_pools.values():
                await pool.aclose()
            if self._backend.streams:  # a stream still held: cut it, its reads now fail
                self._backend.close_all_now()
                await anyio.sleep(0)  # asyncio closes an aborted socket on its next turn

    def _abandon(self) -> None:
        """Close every socket now, synchronously and without an event loop; then closed.

        For a finalizer (the client's ``weakref.finalize``, at garbage collection or at
        interpreter exit) when ``aclose`` can no longer be awaited: idle and in-use connections
        alike are cut, with no goodbye to the server. Best effort, never raises, idempotent;
        later sends raise ``RuntimeError``. Hold no reference to the client in the finalizer.
        """
        idle = self._free.drain()  # held until their sockets are closed
        self._backend.close_all_now()
        del idle

    async def __aenter__(self) -> AsyncHttpcoreTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _begin(
        self, request: Request
    ) -> tuple[httpcore.Response, httpcore.AsyncHTTPConnection | None, OriginKey]:
        """Send the request head and body; return the response with its body still unread."""
        target, hreq = build_request(request, self._options.extensions(request.timeout))
        self._free.check_open()
        proxy = self._options.proxy_for(target.key)
        if proxy is not None:
            with map_exceptions(request.url):
                return await self._proxy_pools[proxy].handle_async_request(hreq), None, target.key
        conn, stale = self._free.take(target.key)
        if stale:
            with anyio.CancelScope(shield=True):
                await _close_all(stale)
        if conn is None:
            conn = httpcore.AsyncHTTPConnection(
                httpcore_url(request.url).origin,
                ssl_context=self._options.ssl_context(target.key[0]),
                network_backend=self._backend,
            )
        try:
            with map_exceptions(request.url):
                hresp = await conn.handle_async_request(hreq)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await conn.aclose()
            raise
        return hresp, conn, target.key

    async def _release(
        self, hresp: httpcore.Response, conn: httpcore.AsyncHTTPConnection | None, key: OriginKey
    ) -> None:
        """After a fully read body: close the response, then keep or close the connection."""
        try:
            await hresp.aclose()  # marks an HTTP/1.1 connection idle again
        except BaseException:  # cancelled while closing: the connection state is unknown
            await _abandon(hresp, conn)
            raise
        if conn is not None and not self._free.put(key, conn):
            with anyio.CancelScope(shield=True):
                await conn.aclose()


def _body(hresp: httpcore.Response) -> AsyncGenerator[bytes, None]:
    """The body chunks, as an async generator we can close ourselves.

    httpcore's body iterator wraps an inner generator (``_receive_response_body``) that closing
    the wrapper mid-body leaves suspended, and trio warns when such a generator is collected
    (encode/httpcore#1019). So iterate that inner generator directly (also under the proxy
    pool's wrapper) and close it ourselves; ``hresp.aclose()`` still does the bookkeeping.
    """
    stream = hresp.stream
    inner = getattr(stream, "_stream", stream)  # the proxy pool's PoolByteStream wraps it
    if isinstance(inner, _HTTP11Body):
        body = inner._connection._receive_response_body(request=inner._request)
    else:
        body = cast(AsyncIterable[bytes], stream).__aiter__()
    return cast(AsyncGenerator[bytes, None], body)


async def _abandon(hresp: httpcore.Response, conn: httpcore.AsyncHTTPConnection | None) -> None:
    """Close the response and its connection, shielded from cancellation."""
    with anyio.CancelScope(shield=True):
        try:
            await hresp.aclose()
        finally:
            if conn is not None:
                await conn.aclose()


async def _close_all(conns: Iterable[httpcore.AsyncHTTPConnection]) -> None:
    for conn in conns:
        await conn.aclose()


class _Chunks(AsyncIterator[bytes]):
    """The body iterator of a stream: releases its connection exactly once, on exhaustion,
    on error or on :meth:`aclose`, whichever comes first."""

    def __init__(
        self,
        transport: AsyncHttpcoreTransport,
        hresp: httpcore.Response,
        conn: httpcore.AsyncHTTPConnection | None,
        key: OriginKey,
        url: str,
    ) -> None:
        self._transport, self._hresp, self._conn, self._key, self._url = (
            transport,
            hresp,
            conn,
            key,
            url,
        )
        self._body = _body(hresp)
        self._released = False
        self._exhausted = False

    async def __anext__(self) -> bytes:
        if self._released:
            raise StopAsyncIteration
        try:
            chunk = await self._body.__anext__()
            while not chunk:
                chunk = await self._body.__anext__()
            return chunk
        except StopAsyncIteration:
            self._exhausted = True
            await self.aclose()
            raise
        except BaseException as exc:
            await self.aclose()
            mapped = translated(exc, self._url)
            if mapped is not None:
                raise mapped from exc
            raise

    async def aclose(self) -> None:
        """Release the connection now (closing it unless the body was fully read)."""
        if self._released:
            return
        self._released = True
        if self._exhausted:
            await self._transport._release(self._hresp, self._conn, self._key)
            return
        with anyio.CancelScope(shield=True):
            try:
                await self._body.aclose()
            finally:
                await _abandon(self._hresp, self._conn)
