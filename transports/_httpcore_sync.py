"""The blocking httpcore transport: :class:`HttpcoreTransport`.

Strategy: requests go straight to an ``httpcore.HTTPConnection`` taken from a per-origin LIFO
free-list (:class:`~transports._pooling.FreeList`), not through ``httpcore.ConnectionPool``,
whose bookkeeping costs more than the request itself on a fast local server. A connection goes
back on the free-list only once its response is fully read and closed and it is idle again;
otherwise it is closed. Proxied requests take the slow path through ``httpcore.HTTPProxy``;
``NO_PROXY`` hosts go direct (:meth:`~transports._pooling.Options.proxy_for`).

Bounds: every connection comes from :class:`~transports._httpcore_backend.Backend`, which
clamps each wait to the request's deadline while :data:`~transports._httpcore_backend.DEADLINE`
is set (all of ``send``, the head of ``stream``). ``send`` collects the body through
:class:`~transports._limits.Body` (``max_bytes``, gzip/deflate); ``stream`` decodes through
:class:`~transports._decoding.DecodedChunks`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Generator, Iterable, Iterator
from types import TracebackType
from typing import cast

from inference_core.transport import Request, Response, StreamResponse

from ._decoding import DecodedChunks, decoded_headers, decoder_for
from ._errors import map_exceptions, translated
from ._httpcore import httpcore
from ._httpcore_backend import Backend, within_deadline
from ._limits import Body, check_deadline
from ._pooling import FreeList, Options, OriginKey, Proxies, Verify, build_request, httpcore_url
from ._pooling import to_headers as _to_headers

__all__ = ["HttpcoreTransport"]


class HttpcoreTransport:
    """A :class:`~transports.SyncTransport` on httpcore, with keep-alive connection reuse.

    Thread-safe: threads may share one transport; each request uses its own connection.

    Args:
        timeout: the default seconds allowed for connecting, for waiting on a pooled (proxy)
            connection, for each write and for each read (an idle timeout: a slow but steady
            stream is never cut). None waits forever. A request's own ``timeout`` replaces it
            for that request.
        proxies: a proxy URL for every request, or a requests-style mapping
            ``{"http": url, "https": url}`` (``"all"`` also accepted, and ``"no_proxy"``: a
            ``NO_PROXY``-style list of hosts to reach directly).
        verify: True to verify TLS with certifi's CA bundle, False not to verify, a CA bundle
            file or directory path, or a ready ``ssl.SSLContext``.
        trust_env: also take proxies from ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY`` and
            honour ``NO_PROXY`` (see :mod:`transports._proxy_env`). Off by default.
        max_idle_per_host: idle keep-alive connections kept per origin; extras are closed.
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
        self._backend = Backend()
        self._free: FreeList[httpcore.HTTPConnection] = FreeList(
            type(self).__name__, max_idle_per_host
        )
        self._proxy_pools = {
            spec: httpcore.HTTPProxy(
                spec.url,
                proxy_auth=spec.auth,
                ssl_context=self._options.ssl_context("https"),
                network_backend=self._backend,
            )
            for spec in set(self._options.proxies.values())
        }

    def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        check_deadline(request)
        with within_deadline(request):
            hresp, conn, key = self._begin(request)
            try:
                body = Body(request, hresp.status, _to_headers(hresp.headers))
                with map_exceptions(request.url):
                    for chunk in cast(Iterable[bytes], hresp.stream):
                        body.feed(chunk)
                response = body.response()
            except BaseException:
                self._abandon_response(hresp, conn)
                raise
            self._release(hresp, conn, key)
            return response

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        check_deadline(request)
        with within_deadline(request):  # the head only
            hresp, conn, key = self._begin(request)
        chunks = _Chunks(self, hresp, conn, key, request.url)
        headers = _to_headers(hresp.headers)
        decoder = decoder_for(headers, request.url)
        try:
            if decoder is None:
                yield StreamResponse(hresp.status, headers, chunks)
            else:
                decoded = DecodedChunks(chunks, decoder)
                yield StreamResponse(hresp.status, decoded_headers(headers), decoded)
        finally:
            chunks.close()

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (used by the client between polls and retries)."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close every connection, idle or still held by a response, and every proxy pool.
        Idempotent; later sends raise."""
        for conn in self._free.drain():
            conn.close()
        for pool in self._proxy_pools.values():
            pool.close()
        self._backend.close_all_now()  # streams still open (a response never closed) too

    def __enter__(self) -> HttpcoreTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _begin(
        self, request: Request
    ) -> tuple[httpcore.Response, httpcore.HTTPConnection | None, OriginKey]:
        """Send the request head and body; return the response with its body still unread."""
        target, hreq = build_request(request, self._options.extensions(request.timeout))
        self._free.check_open()
        proxy = self._options.proxy_for(target.key)
        if proxy is not None:
            with map_exceptions(request.url):
                return self._proxy_pools[proxy].handle_request(hreq), None, target.key
        conn, stale = self._free.take(target.key)
        for old in stale:
            old.close()
        if conn is None:
            conn = httpcore.HTTPConnection(
                httpcore_url(request.url).origin,
                ssl_context=self._options.ssl_context(target.key[0]),
                network_backend=self._backend,
            )
        try:
            with map_exceptions(request.url):
                hresp = conn.handle_request(hreq)
        except BaseException:
            conn.close()
            raise
        return hresp, conn, target.key

    def _release(
        self, hresp: httpcore.Response, conn: httpcore.HTTPConnection | None, key: OriginKey
    ) -> None:
        try:
            hresp.close()
        finally:
            if conn is not None and not self._free.put(key, conn):
                conn.close()

    def _abandon_response(
        self, hresp: httpcore.Response, conn: httpcore.HTTPConnection | None
    ) -> None:
        """After a failed or unfinished body read: close the response and its connection."""
        try:
            hresp.close()
        finally:
            if conn is not None:
                conn.close()


class _Chunks(Iterator[bytes]):
    """The body iterator of a stream: releases its connection exactly once, on exhaustion,
    on error or on :meth:`close`, whichever comes first."""

    def __init__(
        self,
        transport: HttpcoreTransport,
        hresp: httpcore.Response,
        conn: httpcore.HTTPConnection | None,
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
        self._body = cast(Generator[bytes, None, None], iter(cast(Iterable[bytes], hresp.stream)))
        self._released = False

    def __next__(self) -> bytes:
        if self._released:
            raise StopIteration
        try:
            chunk = next(self._body)
            while not chunk:
                chunk = next(self._body)
            return chunk
        except BaseException as exc:  # StopIteration included: exhaustion releases too
            self.close()
            mapped = translated(exc, self._url)
            if mapped is not None:
                raise mapped from exc
            raise

    def close(self) -> None:
        """Release the connection now (closing it unless the body was fully read)."""
        if self._released:
            return
        self._released = True
        try:
            self._body.close()
        finally:
            self._transport._release(self._hresp, self._conn, self._key)
