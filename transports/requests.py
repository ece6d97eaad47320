"""The requests transport: :class:`RequestsTransport`, a blocking transport on ``requests.Session``.

Strategy: one pooled ``requests.Session`` (urllib3 keeps the keep-alive connections) with
``allow_redirects=False``: the pure plans follow redirects, dropping credentials across origins.
``stream`` reads a chunked body one HTTP chunk at a time (``iter_content(chunk_size=None)``) and
any other body as bytes arrive (urllib3's ``read1``), and closes the response exactly once.
:func:`_translate` maps requests' and urllib3's exceptions, mid-stream ones included, to our
``TransportError`` family.

Proxies: the explicit ``proxies`` argument, on every request. Environment proxies
(``HTTP(S)_PROXY``, ``NO_PROXY``) only with ``trust_env=True``, off by default, which also lets
requests read ``.netrc`` and ``REQUESTS_CA_BUNDLE``. TLS is verified with certifi's CA bundle
(requests' default) or the CA bundle path given as ``verify``; ``verify=False`` turns it off. A
session you pass keeps its own ``verify`` and ``trust_env``.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import os
import time
from collections.abc import Callable, Iterator, Mapping
from http.cookiejar import DefaultCookiePolicy
from types import TracebackType
from typing import TYPE_CHECKING

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
    TransportError,
)

from ._errors import _translate as _error
from ._pooling import parse_url

if TYPE_CHECKING:
    import requests

__all__ = ["RequestsTransport"]

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
        proxies: a proxy URL for every request, or a requests mapping (``{"https": url}``).
        verify: True to verify TLS with certifi's CA bundle, False not to, or a CA bundle path.
        trust_env: let requests read proxy variables, ``.netrc`` and ``REQUESTS_CA_BUNDLE``.

    Raises:
        ImportError: requests is not installed.
    """

    def __init__(
        self,
        *,
        session: requests.Session | None = None,
        timeout: float | None = None,
        proxies: str | Mapping[str, str] | None = None,
        verify: bool | str = True,
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
            session.trust_env, session.verify = trust_env, verify
            session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # keep none
        self._session, self._closed = session, False
        self._timeout = None if timeout is None else (timeout, timeout)
        if isinstance(proxies, str):
            proxies = {"http": proxies, "https": proxies}
        self._proxies = dict(proxies) if proxies else None

    def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        response = self._open(request, stream=False)
        return Response(response.status_code, _headers(response), response.content)

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        response = self._open(request, stream=True)
        chunks = _Chunks(response, request.url)
        try:
            yield StreamResponse(response.status_code, _headers(response), chunks)
        finally:
            chunks.close()

    def sleep(self, seconds: float) -> None:
        """Block for ``seconds`` (used by the client between polls and retries)."""
        time.sleep(seconds)

    def close(self) -> None:
        """Close the session if it was created here. Idempotent; later sends raise."""
        if not self._closed:
            self._closed = True
            if self._owns_session:
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

    def _open(self, request: Request, *, stream: bool) -> requests.Response:
        parse_url(request.url)  # the same URL checks, and RequestError, as every transport
        if self._closed:
            raise RuntimeError("RequestsTransport is closed: create a new transport")
        timeout = request.timeout  # a float is requests' (connect, read) pair in one
        try:
            return self._session.request(
                request.method,
                request.url,
                headers=_combined(request.headers),
                data=request.body,
                timeout=self._timeout if timeout is None else timeout,
                proxies=self._proxies,
                allow_redirects=False,
                stream=stream,
            )
        except ValueError as exc:  # InvalidHeader, non-Latin-1 headers: raised before any I/O
            raise RequestError(f"Cannot send {request!r}: {exc}") from None
        except Exception as exc:
            mapped = _translate(exc, request.url)
            if mapped is None:
                raise
            raise mapped from exc


class _Chunks(Iterator[bytes]):
    """A stream's body iterator: closes the response exactly once, on exhaustion, on error or
    on :meth:`close` (urllib3 pools the connection only if the body was fully read)."""

    def __init__(self, response: requests.Response, url: str) -> None:
        self._response, self._url, self._released = response, url, False
        read1 = getattr(response.raw, "read1", None)  # urllib3 2: returns what has arrived
        self._next: Callable[[], bytes]
        if response.raw.chunked or read1 is None:
            self._next = functools.partial(next, response.iter_content(chunk_size=None), b"")
        else:
            self._next = functools.partial(read1, 65536, decode_content=True)

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
