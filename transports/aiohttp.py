"""The aiohttp transport: :class:`AiohttpTransport`, an asyncio-only transport on aiohttp.

Strategy: one pooled ``aiohttp.ClientSession``, created on first use inside the running loop
(never one per request), closed by ``aclose`` if created here. Requests go out with
``allow_redirects=False``: the pure plans follow redirects, dropping credentials across origins.
aiohttp releases a response synchronously (``release()`` pools a fully read connection,
``close()`` drops it), so cancellation cannot interrupt cleanup. :func:`_translate` maps
aiohttp's exceptions to our ``TransportError`` family. Under trio every call raises
``RuntimeError``; a transport is bound to the event loop it first ran on.

Proxies: the explicit ``proxies`` argument; environment proxies (``HTTP(S)_PROXY``,
``NO_PROXY``, and ``.netrc``) only with ``trust_env=True``, off by default. TLS is verified with
certifi's CA bundle, like the httpcore transports, or the CA path or ``ssl.SSLContext`` given
as ``verify``; ``verify=False`` turns it off. A session you pass keeps its own TLS settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import ssl
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, NoReturn

from inference_core.transport import (
    AsyncStreamResponse,
    ConnectError,
    InferenceTimeoutError,
    ReadError,
    RemoteProtocolError,
    Request,
    Response,
    TransportError,
)

from ._errors import _translate as _error
from ._pooling import make_ssl_context, parse_proxies, parse_url, to_headers

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
            ``"all"``). Credentials in a proxy URL are sent to the proxy.
        verify: True to verify TLS with certifi's CA bundle, False not to, a CA bundle path or
            an ``ssl.SSLContext``.
        trust_env: let aiohttp read proxy variables and ``.netrc``. Off by default.
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
        self._proxies: dict[str, str] = {}  # credentials in a URL go to the proxy (aiohttp)
        for scheme in parse_proxies(proxies):  # validated like every transport's
            if isinstance(proxies, str):
                self._proxies[scheme] = proxies
            elif proxies is not None:
                self._proxies[scheme] = proxies.get(scheme) or proxies["all"]
        self._timeout = (  # per read, never total; a session you pass keeps its own by default
            session.timeout
            if session is not None and timeout is None
            else aiohttp.ClientTimeout(total=None, connect=timeout, sock_read=timeout)
        )
        self._session, self._owns_session = session, session is None
        self._verify, self._trust_env, self._limit = verify, trust_env, limit
        # The last per-request override as (seconds, ClientTimeout); NaN never equals a request's.
        self._override: tuple[float, aiohttp.ClientTimeout] = (math.nan, self._timeout)
        self._ssl: ssl.SSLContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        response = await self._begin(request)
        try:
            body = await response.read()
        except BaseException as exc:
            response.close()
            _reraise(exc, request.url)
        response.release()
        return Response(response.status, to_headers(response.raw_headers), body)

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        response = await self._begin(request)
        chunks = _Chunks(response, request.url)
        try:
            yield AsyncStreamResponse(response.status, to_headers(response.raw_headers), chunks)
        finally:
            chunks.close()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` on the running event loop (``asyncio.sleep``)."""
        await asyncio.sleep(seconds)

    async def aclose(self) -> None:
        """Close the session if it was created here. Idempotent; later sends raise."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()

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
        try:
            return await self._client().request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.body,
                allow_redirects=False,
                timeout=timeout,
                proxy=self._proxies.get(target.key[0]),
                ssl=self._ssl_context() if target.key[0] == "https" else True,
            )
        except BaseException as exc:
            _reraise(exc, request.url)

    def _timeout_for(self, seconds: float) -> aiohttp.ClientTimeout:
        """The ``ClientTimeout`` for a request's own timeout (the last one is kept for reuse)."""
        override = self._override
        if override[0] != seconds:
            import aiohttp

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
                trust_env=self._trust_env,
                cookie_jar=aiohttp.DummyCookieJar(),
            )
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


def _reraise(exc: BaseException, url: str) -> NoReturn:
    """Raise our error for an aiohttp exception (``exc`` as its cause), or ``exc`` itself."""
    mapped = _translate(exc, url)
    if mapped is None:
        raise exc
    raise mapped from exc


def _translate(exc: BaseException, url: str) -> TransportError | None:
    import aiohttp

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
