"""The aiohttp transport: :class:`AiohttpTransport`, an asyncio-only transport on aiohttp.

Strategy: one pooled ``aiohttp.ClientSession``, created on first use inside the running loop
(never one per request), closed by ``aclose`` if created here. Requests go out with
``allow_redirects=False``: the pure plans follow redirects, dropping credentials across origins.
aiohttp releases a response synchronously (``release()`` pools a fully read connection,
``close()`` drops it), so cancellation cannot interrupt cleanup. :func:`_translate` maps
aiohttp's exceptions to our ``TransportError`` family. Under trio every call raises
``RuntimeError``; a transport is bound to the event loop it first ran on.

Proxies: chosen per request by our own rules (``_pooling.Options.proxy_for``, as every
transport does): the explicit ``proxies`` argument, and environment proxies (``HTTP(S)_PROXY``,
``ALL_PROXY``, ``NO_PROXY``) only with ``trust_env=True``, off by default. The session we
create never reads the environment itself (so aiohttp cannot second-guess ``NO_PROXY``; it
reads no ``.netrc`` either). TLS is verified with certifi's CA bundle, like the httpcore
transports, or the CA path or ``ssl.SSLContext`` given as ``verify``; ``verify=False`` turns
it off. A session you pass keeps its own TLS settings.

Bodies: requests go out with ``auto_decompress=False`` and every body is decoded by our own
decoder (``_decoding.py``), bounded like every transport's: ``send`` collects through
:class:`~transports._limits.Body` (``max_bytes``), under one ``anyio.fail_after`` scope for the
request's deadline; ``stream`` bounds only the head by it. :meth:`AiohttpTransport._abandon`
closes the session's sockets synchronously, for a finalizer without an event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import ssl
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn

import anyio

from inference_core.transport import (
    AsyncStreamResponse,
    ConnectError,
    InferenceTimeoutError,
    ReadError,
    RemoteProtocolError,
    Request,
    Response,
    Timeout,
    TransportError,
)

from ._abandon import close_now
from ._decoding import ACCEPT_ENCODING, AsyncDecodedChunks, decoded_headers, decoder_for
from ._limits import Body, check_deadline, deadline_error
from ._pooling import Options, make_ssl_context, parse_url, to_headers
from ._translate import translate as _error

if TYPE_CHECKING:
    import aiohttp

__all__ = ["AiohttpTransport"]

_INSTALL = "AiohttpTransport needs aiohttp: pip install 'hf-inference-core[aiohttp]'"
_CONFIGURED = "A session you pass is used as configured: set verify and trust_env on it"
_ASYNCIO_ONLY = (
    "AiohttpTransport needs asyncio (aiohttp runs on asyncio only): under trio use "
    "AsyncHttpcoreTransport or AnyioTransport"
)


class AiohttpTransport:
    """A :class:`~transports.AsyncTransport` on a pooled ``aiohttp.ClientSession`` (asyncio only).

    Args:
        session: a session to use as configured; :meth:`aclose` leaves it open. Default: a
            session created on first use that keeps no cookies, closed by :meth:`aclose`.
        timeout: the default seconds allowed to get a connection and for each read (an idle
            timeout: a slow but steady stream is never cut). None waits forever. A request's
            own ``timeout`` replaces it for that request (a session you pass included).
        proxies: a proxy URL for every request, or ``{"http": url, "https": url}`` (or
            ``"all"``, and ``"no_proxy"``). Credentials in a proxy URL are sent to the proxy.
        verify: True to verify TLS with certifi's CA bundle, False not to, a CA bundle path or
            an ``ssl.SSLContext``.
        trust_env: take proxies from ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY`` and honour
            ``NO_PROXY``. Off by default.
        limit: the most connections open at once (``aiohttp.TCPConnector(limit=...)``).

    Raises:
        ImportError: aiohttp is not installed.
    """

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: float | None = None,
        proxies: str | Mapping[str, str] | None = None,
        verify: bool | str | ssl.SSLContext = True,
        trust_env: bool = False,
        limit: int = 100,
    ) -> None:
        try:
            import aiohttp
        except ImportError as exc:
            raise ImportError(_INSTALL) from exc
        if timeout is not None and not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds or None, not {timeout}")
        if isinstance(verify, str) and not os.path.exists(verify):
            raise FileNotFoundError(f"verify={verify!r}: no such CA bundle file or directory")
        if session is not None and (verify is not True or trust_env):
            raise ValueError(_CONFIGURED)
        self._options = Options(timeout, proxies, True, trust_env)  # proxies and NO_PROXY
        self._timeout = (  # per read, never total; a session you pass keeps its own by default
            session.timeout
            if session is not None and timeout is None
            else aiohttp.ClientTimeout(total=None, connect=timeout, sock_read=timeout)
        )
        self._session, self._owns_session = session, session is None
        self._verify, self._trust_env, self._limit = verify, trust_env, limit
        # The last per-request override as (seconds, ClientTimeout); NaN never equals a request's.
        self._override: tuple[float | Timeout, aiohttp.ClientTimeout] = (math.nan, self._timeout)
        self._ssl: ssl.SSLContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        check_deadline(request)
        with _within_deadline(request):
            return await self._send(request)

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        check_deadline(request)
        with _within_deadline(request):  # the head only
            response = await self._begin(request)
        chunks = _Chunks(response, request.url)
        headers = to_headers(response.raw_headers)
        decoder = decoder_for(headers, request.url)
        try:
            if decoder is None:
                yield AsyncStreamResponse(response.status, headers, chunks)
            else:
                decoded = AsyncDecodedChunks(chunks, decoder)
                yield AsyncStreamResponse(response.status, decoded_headers(headers), decoded)
        finally:
            chunks.close()

    async def _send(self, request: Request) -> Response:
        response = await self._begin(request)
        try:
            body = Body(request, response.status, to_headers(response.raw_headers))
            while chunk := await response.content.readany():
                body.feed(chunk)
            result = body.response()
        except BaseException as exc:
            response.close()  # mid-body: the connection is closed, never reused
            _reraise(exc, request.url)
        response.release()
        return result

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on the running event loop (``asyncio.sleep``)."""
        await asyncio.sleep(seconds)

    async def aclose(self) -> None:
        """Close the session if it was created here. Idempotent; later sends raise."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()

    def _abandon(self) -> None:
        """Close every socket of the session we created now, synchronously, without an event
        loop; then closed. For a finalizer (garbage collection, interpreter exit) when
        ``aclose`` can no longer be awaited. Best effort, never raises, idempotent. A session
        you passed is left alone."""
        self._closed = True
        session, self._session = self._session, None
        if session is None or not self._owns_session:
            return
        connector = session.connector
        if connector is None:
            return
        protocols = list(getattr(connector, "_acquired", ()))
        for idle in getattr(connector, "_conns", {}).values():
            protocols.extend(protocol for protocol, _ in idle)
        for protocol in protocols:
            close_now(getattr(protocol, "transport", None))
        with contextlib.suppress(Exception):
            getattr(connector, "_conns", {}).clear()
            getattr(connector, "_acquired", set()).clear()
            connector._closed = True  # nothing left to warn about, nothing to reuse
        session._connector = None

    async def __aenter__(self) -> AiohttpTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _begin(self, request: Request) -> aiohttp.ClientResponse:
        """Send the request; return the response with its body still unread."""
        target = parse_url(request.url)
        timeout = self._timeout if request.timeout is None else self._timeout_for(request.timeout)
        proxy = self._options.proxy_for(target.key)
        try:
            return await self._client().request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.body,
                allow_redirects=False,
                timeout=timeout,
                proxy=None if proxy is None else proxy.url_with_auth(),
                ssl=self._ssl_context() if target.key[0] == "https" else True,
                auto_decompress=False,
            )
        except BaseException as exc:
            _reraise(exc, request.url)

    def _timeout_for(self, seconds: float | Timeout) -> aiohttp.ClientTimeout:
        """The ``ClientTimeout`` for a request's own timeout (the last one is kept for reuse):
        a number bounds connecting and each read; a ``Timeout`` gives ``connect`` to the
        socket connect, ``pool`` to waiting for a pooled connection, ``read`` to each read."""
        override = self._override
        if override[0] != seconds:
            import aiohttp

            if isinstance(seconds, Timeout):
                connect, read, _write, pool = seconds.phases()
                timeout = aiohttp.ClientTimeout(
                    total=None, connect=pool, sock_connect=connect, sock_read=read
                )
            else:
                timeout = aiohttp.ClientTimeout(total=None, connect=seconds, sock_read=seconds)
            override = self._override = (seconds, timeout)
        return override[1]

    def _client(self) -> aiohttp.ClientSession:
        """The session, created on first use; checks we run on asyncio, on the same loop."""
        if self._closed:
            raise RuntimeError("AiohttpTransport is closed: create a new transport")
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            raise RuntimeError(_ASYNCIO_ONLY) from None
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise RuntimeError("AiohttpTransport is bound to the event loop it first ran on")
        if self._session is None:
            import aiohttp

            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._limit),
                trust_env=False,  # proxies are ours to choose (see the module docstring)
                cookie_jar=aiohttp.DummyCookieJar(),
                headers={"Accept-Encoding": ACCEPT_ENCODING},  # only what we decode
            )
            # aiohttp silently retries a request whose reused connection was closed; retries
            # are the core's (counted, logged, bounded by max_retries), so turn its own off.
            if hasattr(self._session, "_retry_connection"):
                self._session._retry_connection = False
        return self._session

    def _ssl_context(self) -> ssl.SSLContext | bool:
        """Ours, built on the first https request; True (the session's own) for yours."""
        if not self._owns_session:
            return True
        if self._ssl is None:
            self._ssl = make_ssl_context(self._verify)
        return self._ssl


class _Chunks(AsyncIterator[bytes]):
    """The body iterator of a stream: releases the response exactly once, on exhaustion, on
    error (cancellation included) or on :meth:`close`, whichever comes first."""

    def __init__(self, response: aiohttp.ClientResponse, url: str) -> None:
        self._response, self._url, self._released = response, url, False

    async def __anext__(self) -> bytes:
        if self._released:
            raise StopAsyncIteration
        try:
            chunk = await self._response.content.readany()
        except BaseException as exc:
            self.close()
            _reraise(exc, self._url)
        if not chunk:
            self._released = True
            self._response.release()  # fully read: the connection goes back to the pool
            raise StopAsyncIteration
        return chunk

    def close(self) -> None:
        """Release the connection now, closing it (the body was not fully read)."""
        if not self._released:
            self._released = True
            self._response.close()

    async def aclose(self) -> None:
        """:meth:`close`, as every async chunk iterator here offers it."""
        self.close()


@contextlib.contextmanager
def _within_deadline(request: Request) -> Iterator[None]:
    """Cancel the block at the request's deadline (if any), raising our timeout error."""
    if request.deadline is None:
        yield
        return
    try:
        with anyio.fail_after(request.deadline - time.monotonic()):
            yield
    except TimeoutError as exc:
        if isinstance(exc, TransportError):
            raise
        raise deadline_error(request.url) from exc


def _reraise(exc: BaseException, url: str) -> NoReturn:
    """Raise our error for an aiohttp exception (``exc`` as its cause), or ``exc`` itself."""
    mapped = _translate(exc, url)
    if mapped is None:
        raise exc
    raise mapped from exc


def _translate(exc: BaseException, url: str) -> TransportError | None:
    import aiohttp

    if isinstance(exc, TransportError):  # ours already (a timeout is also a TimeoutError)
        return None
    # We never ask aiohttp to raise for a status: a ClientResponseError is a malformed response.
    broken = (
        aiohttp.ServerDisconnectedError,
        aiohttp.ClientPayloadError,
        aiohttp.ClientResponseError,
    )
    target: type[TransportError]
    if isinstance(exc, (asyncio.TimeoutError, aiohttp.ServerTimeoutError)):
        target = InferenceTimeoutError
    elif isinstance(exc, (aiohttp.ClientConnectorError, aiohttp.ClientHttpProxyError)):
        target = ConnectError
    elif isinstance(exc, broken):
        target = RemoteProtocolError
    elif isinstance(exc, aiohttp.ClientError):
        target = ReadError
    else:
        return None
    return _error(exc, target, url)
