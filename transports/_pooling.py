"""What the sync and async httpcore transports share: URLs, request building, options, free-list.

Strategy: everything here is free of blocking or awaiting, so both transports use it as is and
only the few lines that perform I/O are written twice.

* :func:`parse_url` turns a URL string into a :class:`Target` (origin key, request-target,
  ``Host`` header) behind a bounded LRU cache: a client calls the same few URLs;
  :func:`httpcore_url` adds httpcore's form, so only the httpcore transports import httpcore.
* :func:`build_request` turns our :class:`~inference_core.Request` into an ``httpcore.Request``
  without httpcore's per-call re-validation of headers; :func:`encode_request` is its first half
  (method and headers as bytes), which the h11 transports use directly.
* :class:`Options` holds the constructor options: the default timeout, TLS context (built
  lazily), proxies (with ``trust_env``, from the environment too) and ``NO_PROXY``, applied
  per request by :meth:`Options.proxy_for`. A request's own ``timeout`` replaces the default
  for that request.
* :class:`FreeList` is a LIFO stack of idle connections per origin. It never closes anything
  itself: it hands stale connections back to the caller, who closes them (sync or async).
"""

from __future__ import annotations

import functools
import math
import os
import ssl
import threading
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Generic, NamedTuple, Protocol, TypeVar, Union

from inference_core.transport import Headers, Request, RequestError, Timeout, timeout_phases

from ._decoding import ACCEPT_ENCODING
from ._proxy_env import bypasses, environ_proxies

if TYPE_CHECKING:
    import httpcore

__all__ = [
    "FreeList",
    "Options",
    "OriginKey",
    "Target",
    "build_request",
    "encode_request",
    "httpcore_url",
    "parse_url",
    "to_headers",
]

OriginKey = tuple[str, str, int]
Proxies = Union[str, Mapping[str, str], None]
Verify = Union[bool, str, ssl.SSLContext]

_DEFAULT_PORTS = {"http": 80, "https": 443}
_TIMEOUT_KEYS = ("connect", "read", "write", "pool")
_METHODS = {m: m.encode() for m in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")}


class Target(NamedTuple):
    """A parsed request URL: where to connect and what to send on the request line."""

    key: OriginKey  # (scheme, host, port), the port filled in
    target: bytes  # the request-target: path and query
    host_header: bytes


@functools.lru_cache(maxsize=512)
def parse_url(url: str) -> Target:
    """Parse an absolute ``http(s)://`` URL; raise :class:`RequestError` for anything else."""
    try:
        parts = urllib.parse.urlsplit(url)
        scheme, host, port = parts.scheme.lower(), parts.hostname or "", parts.port
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default = _DEFAULT_PORTS[scheme]
        if not host:
            raise ValueError("no host")
        netloc = f"[{host}]" if ":" in host else host
        if port is not None and port != default:
            netloc = f"{netloc}:{port}"
        host.encode("ascii")
        request_target = target.encode("ascii")
    except (ValueError, KeyError, UnicodeEncodeError) as exc:
        raise RequestError(
            f"Cannot send to {url!r}: expected an absolute http(s) URL in ASCII "
            f"({type(exc).__name__}: {exc})"
        ) from None
    return Target((scheme, host, port or default), request_target, netloc.encode("ascii"))


@functools.lru_cache(maxsize=512)
def httpcore_url(url: str) -> httpcore.URL:
    """The ``httpcore.URL`` of a URL :func:`parse_url` accepts (httpcore imported on first use)."""
    from ._httpcore import httpcore

    scheme, host, port = parse_url(url).key
    return httpcore.URL(
        scheme=scheme.encode(),
        host=host.encode("ascii"),
        port=None if port == _DEFAULT_PORTS[scheme] else port,
        target=parse_url(url).target,
    )


def build_request(
    request: Request, extensions: dict[str, object]
) -> tuple[Target, httpcore.Request]:
    """Build the ``httpcore.Request`` for ``request``, adding ``Host`` and ``Content-Length``."""
    from ._httpcore import httpcore

    target = parse_url(request.url)
    method, headers = encode_request(request, target)
    content = None if request.body is None else _Body(request.body)
    url = httpcore_url(request.url)
    hreq = httpcore.Request(method, url, content=content, extensions=extensions)
    hreq.headers = headers  # already bytes: skip httpcore's per-header re-validation
    return target, hreq


class _Body:
    """A request body for httpcore, sync and async, as a plain iterator object: httpcore's own
    wrapper of ``bytes`` is an async generator, which trio reports as garbage-collected
    unclosed when a call is cancelled while sending."""

    __slots__ = ("_data", "_sent")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._sent = False

    def __iter__(self) -> _Body:
        self._sent = False
        return self

    def __next__(self) -> bytes:
        if self._sent or not self._data:
            raise StopIteration
        self._sent = True
        return self._data

    def __aiter__(self) -> _Body:
        self._sent = False
        return self

    async def __anext__(self) -> bytes:
        if self._sent or not self._data:
            raise StopAsyncIteration
        self._sent = True
        return self._data


_ACCEPT_ENCODING = ACCEPT_ENCODING.encode("ascii")


def encode_request(request: Request, target: Target) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """The method and headers as bytes, with ``Host``, ``Content-Length`` and
    ``Accept-Encoding`` (what ``_decoding`` decodes) added when absent."""
    headers: list[tuple[bytes, bytes]] = []
    has_host = has_length = has_encoding = False
    try:
        for name, value in request.headers:
            lowered = name.lower()
            if lowered == "host":
                has_host = True
            elif lowered in ("content-length", "transfer-encoding"):
                has_length = True
            elif lowered == "accept-encoding":
                has_encoding = True
            headers.append((name.encode("latin-1"), value.encode("latin-1")))
        method = _METHODS.get(request.method) or request.method.encode("ascii")
    except UnicodeEncodeError as exc:
        raise RequestError(f"Header names, values and the method must be Latin-1: {exc}") from None
    if not has_host:
        headers.insert(0, (b"Host", target.host_header))
    body = request.body
    if body is not None and not has_length:
        headers.append((b"Content-Length", b"%d" % len(body)))
    if not has_encoding:
        headers.append((b"Accept-Encoding", _ACCEPT_ENCODING))
    return method, headers


def to_headers(raw: Sequence[tuple[bytes, bytes]]) -> Headers:
    """Response headers as our ordered pairs: names lower-cased, both decoded as Latin-1."""
    return tuple([(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in raw])


class ProxySpec(NamedTuple):
    url: str
    auth: tuple[str, str] | None

    def url_with_auth(self) -> str:
        """The proxy URL with its credentials put back in (for requests and aiohttp)."""
        if self.auth is None:
            return self.url
        scheme, _, rest = self.url.partition("://")
        user, password = (urllib.parse.quote(part, safe="") for part in self.auth)
        return f"{scheme}://{user}:{password}@{rest}"


def _parse_proxy(url: str) -> ProxySpec:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"Unsupported proxy URL {url!r}: only http:// and https:// proxies")
    auth = None
    if parts.username is not None:
        auth = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
    netloc = parts.netloc.rpartition("@")[2]
    return ProxySpec(f"{parts.scheme}://{netloc}", auth)


def parse_proxies(proxies: Proxies) -> dict[str, ProxySpec]:
    """Map target scheme to proxy: a URL string proxies both; a mapping uses http/https/all.

    A mapping may also carry ``no_proxy`` (see :func:`no_proxy_of`), ignored here.
    """
    if proxies is None:
        return {}
    if isinstance(proxies, str):
        return dict.fromkeys(("http", "https"), _parse_proxy(proxies))
    unknown = set(proxies) - {"http", "https", "all", "no_proxy"}
    if unknown:
        raise ValueError(
            f"Unsupported proxies keys {sorted(unknown)}: use http, https, all or no_proxy"
        )
    result = {}
    for scheme in ("http", "https"):
        url = proxies.get(scheme) or proxies.get("all")
        if url:
            result[scheme] = _parse_proxy(url)
    return result


def resolve_proxies(proxies: Proxies, trust_env: bool) -> tuple[Proxies, str | None]:
    """The proxies to use and the ``NO_PROXY`` list that exempts hosts from them.

    Explicit ``proxies`` win; with ``trust_env`` the environment fills the schemes they leave
    out (all of them when ``proxies`` is None), and gives ``NO_PROXY`` unless the mapping has
    its own ``no_proxy``.
    """
    explicit: dict[str, str] = {}
    if isinstance(proxies, str):
        explicit = {"http": proxies, "https": proxies}
    elif proxies is not None:
        explicit = dict(proxies)
    no_proxy = explicit.pop("no_proxy", None)
    if trust_env:
        from_env = environ_proxies()
        if no_proxy is None:
            no_proxy = from_env.pop("no_proxy", None)
        from_env.pop("no_proxy", None)
        if "all" not in explicit:
            for scheme, url in from_env.items():
                explicit.setdefault(scheme, url)
    return (explicit or None), no_proxy


def make_ssl_context(verify: Verify) -> ssl.SSLContext:
    """True: certifi's bundle; False: no verification; a path: that CA file or directory."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if verify is True:
        import certifi

        context = ssl.create_default_context()
        context.load_verify_locations(certifi.where())
        return context
    if verify is False:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if os.path.isdir(verify):
        return ssl.create_default_context(capath=verify)
    return ssl.create_default_context(cafile=verify)


class Options:
    """Constructor options shared by both transports, validated once."""

    def __init__(
        self, timeout: float | None, proxies: Proxies, verify: Verify, trust_env: bool = False
    ) -> None:
        if timeout is not None and not timeout > 0:
            raise ValueError(f"timeout must be a positive number of seconds or None, not {timeout}")
        if isinstance(verify, str) and not os.path.exists(verify):
            raise FileNotFoundError(f"verify={verify!r}: no such CA bundle file or directory")
        self.timeouts: dict[str, float | None] = dict.fromkeys(_TIMEOUT_KEYS, timeout)
        # The last per-request override, as (seconds, timeouts); NaN never equals a request's.
        self._override: tuple[float | Timeout, dict[str, float | None]] = (math.nan, self.timeouts)
        proxies, self.no_proxy = resolve_proxies(proxies, trust_env)
        self.proxies = parse_proxies(proxies)
        self._verify = verify
        self._ssl_context: ssl.SSLContext | None = None

    def extensions(self, timeout: float | Timeout | None) -> dict[str, object]:
        """Fresh per-request httpcore extensions (httpcore may keep a reference to them).

        ``timeout`` is the request's own: None keeps the default. The timeouts dict of the last
        override is kept (one tuple, replaced atomically), so repeating a value allocates nothing.
        """
        if timeout is None:
            return {"timeout": self.timeouts}
        override = self._override
        if override[0] != timeout:
            timeouts = dict(zip(_TIMEOUT_KEYS, timeout_phases(timeout), strict=True))
            override = self._override = (timeout, timeouts)
        return {"timeout": override[1]}

    def proxy_for(self, key: OriginKey) -> ProxySpec | None:
        """The proxy for a request to origin ``key``, or None to connect directly."""
        proxy = self.proxies.get(key[0])
        if proxy is not None and self.no_proxy and bypasses(key[1], key[2], self.no_proxy):
            return None
        return proxy

    def ssl_context(self, scheme: str) -> ssl.SSLContext | None:
        """The TLS context for an ``https`` origin (built on first use), None for ``http``."""
        if scheme != "https":
            return None
        if self._ssl_context is None:
            self._ssl_context = make_ssl_context(self._verify)
        return self._ssl_context


class Reusable(Protocol):
    def is_available(self) -> bool: ...

    def has_expired(self) -> bool: ...


C = TypeVar("C", bound=Reusable)


class FreeList(Generic[C]):
    """Idle connections per origin, newest on top; thread-safe; refuses everything once closed."""

    def __init__(self, owner: str, max_idle_per_host: int) -> None:
        self.closed = False
        self._owner = owner
        self._max = max_idle_per_host
        self._stacks: dict[OriginKey, list[C]] = {}
        self._lock = threading.Lock()

    def check_open(self) -> None:
        if self.closed:
            raise RuntimeError(f"{self._owner} is closed: create a new transport to send requests")

    def take(self, key: OriginKey) -> tuple[C | None, list[C]]:
        """Pop the newest reusable connection; also return the stale ones found, to close."""
        stale: list[C] = []
        with self._lock:
            stack = self._stacks.get(key)
            while stack:
                conn = stack.pop()
                if conn.is_available() and not conn.has_expired():
                    return conn, stale
                stale.append(conn)
        return None, stale

    def put(self, key: OriginKey, conn: C) -> bool:
        """Keep an idle connection; False means the caller must close it."""
        if not conn.is_available() or sent_more_than_declared(conn):
            return False
        with self._lock:
            stack = self._stacks.setdefault(key, [])
            if self.closed or len(stack) >= self._max:
                return False
            stack.append(conn)
            return True

    def drain(self) -> list[C]:
        """Mark closed and hand back every idle connection, to close."""
        with self._lock:
            self.closed = True
            conns = [conn for stack in self._stacks.values() for conn in stack]
            self._stacks.clear()
        return conns


def sent_more_than_declared(conn: object) -> bool:
    """True when an httpcore connection holds bytes past the response it just finished (a
    server that sent more than its ``Content-Length``): reused, its next answer would be read
    from that garbage, so it must be closed. Read through httpcore's private attributes, and
    False whenever they are not there (other connection types, other httpcore versions)."""
    state = getattr(getattr(conn, "_connection", None), "_h11_state", None)
    trailing = getattr(state, "trailing_data", None)
    return bool(trailing and trailing[0])
