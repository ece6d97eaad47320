"""The requests transport: :class:`RequestsTransport`, a blocking transport on ``requests.Session``.

Strategy: one pooled ``requests.Session`` (urllib3 keeps the keep-alive connections) with
``allow_redirects=False``: the pure plans follow redirects, dropping credentials across origins.
``stream`` reads a chunked body one HTTP chunk at a time (``iter_content(chunk_size=None)``) and
any other body as bytes arrive (urllib3's ``read1``), and closes the response exactly once.
:func:`_translate` maps requests' and urllib3's exceptions, mid-stream ones included, to our
``TransportError`` family.

Proxies: chosen per request by our own rules (``_pooling.resolve_proxies`` and
``_proxy_env``, as every transport does) and passed to requests explicitly, a direct request
with every scheme set to None, so requests never second-guesses them. Environment proxies
(``HTTP(S)_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) only with ``trust_env=True``, off by default,
which also lets requests read ``.netrc`` and ``REQUESTS_CA_BUNDLE``. TLS is verified with
certifi's CA bundle (requests' default) or the CA bundle path given as ``verify``;
``verify=False`` turns it off; an ``ssl.SSLContext`` is used as is, through an adapter mounted
for ``https://`` that hands it to urllib3 with no CA files and its own ``verify_mode`` (so
urllib3 changes nothing in it). A session you pass keeps its own ``verify`` and ``trust_env``.

Bodies: always read with ``stream=True`` and urllib3's decoding off; ``send`` collects through
:class:`~transports._limits.Body` (``max_bytes``, our gzip/deflate decoder) and, with a
deadline, lowers the socket's timeout before each read to the time left; ``stream`` decodes
through :class:`~transports._decoding.DecodedChunks`. Every open response is tracked weakly, so
:meth:`RequestsTransport.close` closes those a caller still holds, and their sockets.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import os
import re
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from http.cookiejar import DefaultCookiePolicy
from types import TracebackType
from typing import TYPE_CHECKING, Any

from inference_core.transport import (
    ConnectError,
    Headers,
    InferenceTimeoutError,
    ReadError,
    RemoteProtocolError,
    Request,
    RequestError,
    Response,
    StreamResponse,
    Timeout,
    TransportError,
    idle_seconds,
)

from ._abandon import close_now
from ._decoding import ACCEPT_ENCODING, DecodedChunks, decoded_headers, decoder_for
from ._limits import Body, check_deadline, wait_limit
from ._pooling import Options, parse_url
from ._translate import translate as _error

if TYPE_CHECKING:
    import requests
    import requests.adapters

__all__ = ["RequestsTransport"]

_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # in a header: would split the request

_INSTALL = "RequestsTransport needs requests: pip install 'hf-inference-core[requests]'"


class RequestsTransport:
    """A :class:`~transports.SyncTransport` on a pooled ``requests.Session``.

    Threads may share one transport, as they may share a session (urllib3 keeps up to 10 idle
    connections per host and opens more while more threads send).

    Args:
        session: a session to use as configured (adapters, ``verify``, ``trust_env``, headers);
            :meth:`close` leaves it open. Default: a new session that keeps no cookies.
        timeout: the default seconds allowed to connect and for each read (an idle timeout:
            a slow but steady stream is never cut). None waits forever. A request's own
            ``timeout`` replaces it for that request.
        proxies: a proxy URL for every request, or a requests mapping (``{"https": url}``,
            ``"all"``, ``"no_proxy"``).
        verify: True to verify TLS with certifi's CA bundle, False not to, a CA bundle path,
            or an ``ssl.SSLContext`` used as is.
        trust_env: take proxies from ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY`` and honour
            ``NO_PROXY`` (as every transport here does); let requests read ``.netrc`` and
            ``REQUESTS_CA_BUNDLE``.

    Raises:
        ImportError: requests is not installed.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: float | None = None,
        proxies: str | Mapping[str, str] | None = None,
        verify: bool | str | ssl.SSLContext = True,
        trust_env: bool = False,
    ) -> None:
        try:
            import requests
        except ImportError as exc:
            raise ImportError(_INSTALL) from exc
        if timeout is not None and not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds or None, not {timeout}")
        if isinstance(verify, str) and not os.path.exists(verify):
            raise FileNotFoundError(f"verify={verify!r}: no such CA bundle file or directory")
        if session is not None and (verify is not True or trust_env):
            raise ValueError(
                "A session you pass is used as configured: set verify, trust_env on it"
            )
        self._owns_session = session is None
        if session is None:
            session = requests.Session()
            session.trust_env = trust_env
            if isinstance(verify, ssl.SSLContext):
                session.mount("https://", _context_adapter(verify))
            else:
                session.verify = verify
            session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # keep none
            session.headers["Accept-Encoding"] = ACCEPT_ENCODING  # only what we decode
        self._session, self._closed = session, False
        self._timeout = None if timeout is None else (timeout, timeout)
        self._options = Options(timeout, proxies, True, trust_env)  # proxies and NO_PROXY
        self._direct: dict[str, Any] = {"http": None, "https": None, "all": None}
        self._live: weakref.WeakSet[requests.Response] = weakref.WeakSet()
        self._live_lock = threading.RLock()  # threads share the transport

    def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        response = self._open(request)
        try:
            body = Body(request, response.status_code, _headers(response))
            sock = _socket(response) if request.deadline is not None else None
            read_timeout = self._read_timeout(request)
            for chunk in _raw_chunks(response):
                body.feed(chunk)
                if sock is not None:  # the next read may only wait as long as time is left
                    sock.settimeout(wait_limit(read_timeout, request.deadline, request.url))
            result = body.response()
        except Exception as exc:
            response.close()  # mid-body: urllib3 closes the connection, never reuses it
            mapped = _translate(exc, request.url)
            if mapped is None:
                raise
            raise mapped from exc
        except BaseException:
            response.close()
            raise
        response.close()  # fully read: the connection is already back in the pool
        return result

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        response = self._open(request)
        if request.deadline is not None:  # it bounded the head only: reads get the timeout back
            sock = _socket(response)
            if sock is not None:
                sock.settimeout(self._read_timeout(request))
        chunks = _Chunks(response, request.url)
        headers = _headers(response)
        decoder = decoder_for(headers, request.url)
        try:
            if decoder is None:
                yield StreamResponse(response.status_code, headers, chunks)
            else:
                decoded = DecodedChunks(chunks, decoder)
                yield StreamResponse(response.status_code, decoded_headers(headers), decoded)
        finally:
            chunks.close()

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (used by the client between polls and retries)."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close every response still open (and its socket), then the session if it was
        created here. Idempotent; later sends raise."""
        if not self._closed:
            self._closed = True
            with self._live_lock:
                live = list(self._live)
                self._live.clear()
            for response in live:
                # Shut the socket first: a thread blocked reading it wakes up (urllib3 keeps
                # the connection of a streamed response; best effort, private attributes).
                close_now(getattr(response.raw, "_connection", None))
                response.close()
            if self._owns_session:
                _close_pools(self._session)
                self._session.close()

    def __enter__(self) -> RequestsTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _read_timeout(self, request: Request) -> float | None:
        if request.timeout is not None:
            return idle_seconds(request.timeout)
        return None if self._timeout is None else self._timeout[1]

    def _open(self, request: Request) -> requests.Response:
        """Send the request; return the response with its body unread."""
        target = parse_url(request.url)  # the same URL checks, and RequestError, as everywhere
        if self._closed:
            raise RuntimeError("RequestsTransport is closed: create a new transport")
        check_deadline(request)
        timeout: Any = request.timeout  # one float: both; a Timeout: (connect, read)
        if isinstance(timeout, Timeout):
            timeout = timeout.connect, timeout.read
        elif timeout is None:
            timeout = self._timeout
        if request.deadline is not None:  # each wait: at most the time left
            timeout = wait_limit(self._read_timeout(request), request.deadline, request.url)
        for name, value in request.headers:  # what requests would refuse, refused before I/O
            try:
                name.encode("latin-1"), value.encode("latin-1")
            except UnicodeEncodeError as exc:
                raise RequestError(f"Header names and values must be Latin-1: {exc}") from None
            if _FORBIDDEN.search(name) or _FORBIDDEN.search(value):
                raise RequestError(f"Header {name!r} holds a control character (CR, LF, NUL...)")
        proxy = self._options.proxy_for(target.key)
        proxies: dict[str, Any] = self._direct
        if proxy is not None:
            proxies = {target.key[0]: proxy.url_with_auth()}
        try:
            response = self._session.request(
                request.method,
                request.url,
                headers=_combined(request.headers),
                data=request.body,
                timeout=timeout,
                proxies=proxies,
                allow_redirects=False,
                stream=True,
            )
        except ValueError as exc:  # requests' checks passed above: the answer broke HTTP
            # (e.g. "Content-Length contained multiple unmatching values")
            raise RemoteProtocolError(f"HTTP protocol error from {request.url}: {exc}") from exc
        except Exception as exc:
            mapped = _translate(exc, request.url)
            if mapped is None:
                raise
            raise mapped from exc
        with self._live_lock:
            self._live.add(response)
        return response


class _Chunks(Iterator[bytes]):
    """A stream's body iterator: closes the response exactly once, on exhaustion, on error or
    on :meth:`close` (urllib3 pools the connection only if the body was fully read)."""

    def __init__(self, response: requests.Response, url: str) -> None:
        self._response, self._url, self._released = response, url, False
        self._next: Callable[[], bytes] = functools.partial(next, _raw_chunks(response), b"")

    def __next__(self) -> bytes:
        if self._released:
            raise StopIteration
        try:
            chunk = self._next()
        except Exception as exc:
            self.close()
            mapped = _translate(exc, self._url)
            if mapped is None:
                raise
            raise mapped from exc
        if not chunk:
            self.close()
            raise StopIteration
        return chunk

    def close(self) -> None:
        if not self._released:
            self._released = True
            self._response.close()


def _context_adapter(context: ssl.SSLContext) -> requests.adapters.HTTPAdapter:
    """An adapter whose HTTPS connections use ``context`` as given."""
    from requests.adapters import HTTPAdapter

    verify_mode = "CERT_NONE" if context.verify_mode == ssl.CERT_NONE else "CERT_REQUIRED"

    class _ContextAdapter(HTTPAdapter):
        def build_connection_pool_key_attributes(
            self, request: requests.PreparedRequest, verify: bool | str, cert: Any = None
        ) -> tuple[dict[str, Any], dict[str, Any]]:
            host, pool = super().build_connection_pool_key_attributes(request, False, cert)
            pool.update(ssl_context=context, cert_reqs=verify_mode)
            return host, pool

        def cert_verify(self, conn: Any, url: str, verify: bool | str, cert: Any) -> None:
            super().cert_verify(conn, url, False, cert)  # client certificates; no CA files
            conn.cert_reqs = verify_mode  # what the context says, so urllib3 keeps it

    return _ContextAdapter()


def _close_pools(session: requests.Session) -> None:
    """Close every urllib3 pool of the session, and so its idle connections: urllib3 2 no
    longer closes them when a pool manager is cleared (only when a pool is collected)."""
    for adapter in session.adapters.values():
        managers = [getattr(adapter, "poolmanager", None)]
        managers += list(getattr(adapter, "proxy_manager", {}).values())
        for manager in managers:
            pools = getattr(manager, "pools", None)
            if pools is None:
                continue
            for key in list(pools.keys()):
                pool = pools.get(key)
                if pool is not None:
                    pool.close()


def _raw_chunks(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives, still encoded, at most 64 KiB at a time: one HTTP chunk at a
    time for a chunked body (a larger chunk in 64 KiB pieces), else what each read gets
    (urllib3's ``read1``)."""
    raw = response.raw
    if raw.chunked:
        yield from raw.stream(65536, decode_content=False)
        return
    while chunk := raw.read1(65536, decode_content=False):
        yield chunk


def _socket(response: requests.Response) -> socket.socket | None:
    """The socket the body is read from (to lower its timeout), or None if out of reach."""
    connection = getattr(response.raw, "connection", None)
    sock = getattr(connection, "sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _combined(headers: Headers) -> dict[str, str]:
    """Our header pairs as the dict requests takes; repeated names are joined, as HTTP allows."""
    combined: dict[str, str] = {}
    names: dict[str, str] = {}  # lower-cased name -> the spelling first seen
    for name, value in headers:
        key = names.setdefault(name.lower(), name)
        separator = "; " if name.lower() == "cookie" else ", "
        combined[key] = combined[key] + separator + value if key in combined else value
    return combined


def _headers(response: requests.Response) -> Headers:
    """Response headers as ordered pairs, repeated names kept, names lower-cased."""
    return tuple((name.lower(), value) for name, value in response.raw.headers.iteritems())


def _translate(exc: BaseException, url: str) -> TransportError | None:
    """Our error for a requests or urllib3 exception; None for anything else."""
    import requests
    import urllib3.exceptions as u3

    if isinstance(exc, TransportError):  # ours already (a timeout is also a TimeoutError)
        return None
    # requests wraps urllib3's exception as args[0]; MaxRetryError wraps it again as .reason.
    inner = exc.args[0] if isinstance(exc, requests.RequestException) and exc.args else exc
    if isinstance(inner, u3.MaxRetryError) and inner.reason is not None:
        inner = inner.reason
    target: type[TransportError]
    if isinstance(exc, requests.Timeout) or (
        isinstance(inner, (u3.TimeoutError, TimeoutError))
        and not isinstance(inner, u3.NewConnectionError)  # "refused" subclasses a timeout
    ):
        target = InferenceTimeoutError
    elif isinstance(inner, (u3.ProtocolError, u3.IncompleteRead, http.client.IncompleteRead)):
        cause = inner.args[-1] if inner.args else None  # ("Connection aborted.", OSError(...))
        reset = isinstance(cause, OSError) and not isinstance(cause, http.client.RemoteDisconnected)
        target = ReadError if reset else RemoteProtocolError
    elif isinstance(exc, requests.ConnectionError):  # refused, DNS, proxy, TLS handshake
        target = ConnectError
    elif isinstance(exc, (requests.RequestException, u3.HTTPError)):
        target = ReadError
    else:
        return None
    return _error(exc, target, url)
