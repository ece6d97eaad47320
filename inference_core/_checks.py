"""The checks every outgoing request passes before any I/O, the same for every transport.

Transports disagree about malformed requests: httpcore connects and then fails, aiohttp raises
a bare ``ValueError``, requests percent-encodes quietly, and requests and aiohttp resolve
``../`` while httpcore sends it. So the core refuses them itself, with a
:class:`RequestError` naming the problem:

* a URL that is not absolute ``http(s)``, or holds a control character (CR, LF, NUL...) or a
  space, or whose path has a ``.`` or ``..`` segment (literal or percent-encoded): model ids
  and provider ids are pasted into URLs, and a dot segment would reach another route;
* a header name that is not an HTTP token, or a header value holding CR, LF, NUL or another
  control character other than tab (header injection).

Checks are memoised for URLs and header tuples already seen, so the hot path pays a dict lookup.
"""

from __future__ import annotations

import re
from typing import TypeVar

from ._boundary import Headers, Request
from ._errors import RequestError
from ._secrets import mask_url

__all__ = ["check_request"]

_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
_DOT_SEGMENT = re.compile(r"/(?:\.|%2e){1,2}(?=/|$)", re.IGNORECASE)
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_SEEN_URLS: dict[str, None] = {}
_SEEN_HEADERS: dict[Headers, None] = {}
_MEMO_SIZE = 1024
K = TypeVar("K")


def check_request(request: Request) -> None:
    """Raise :class:`RequestError` if ``request`` must not be sent (see the module doc)."""
    url = request.url
    if url not in _SEEN_URLS:
        _check_url(url)
        _remember(_SEEN_URLS, url)
    headers = request.headers
    if headers not in _SEEN_HEADERS:
        _check_headers(headers)
        _remember(_SEEN_HEADERS, headers)


def _remember(memo: dict[K, None], key: K) -> None:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = None


def _check_url(url: str) -> None:
    if not isinstance(url, str):
        raise RequestError(f"a request URL must be a string, got {type(url).__name__}")
    shown = mask_url(url) if len(url) <= 300 else mask_url(url[:300]) + "..."
    bad = _URL_FORBIDDEN.search(url)
    if bad is not None:
        raise RequestError(f"invalid URL {shown!r}: it contains {bad.group()!r}")
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest or rest[0] in "/?#":
        raise RequestError(f"invalid URL {shown!r}: expected an absolute http(s) URL")
    slash = rest.find("/")
    if slash != -1:
        path = rest[slash:].split("?", 1)[0].split("#", 1)[0]
        if _DOT_SEGMENT.search(path):
            raise RequestError(
                f"invalid URL {shown!r}: '.' and '..' path segments are not allowed (a model"
                " or route name must not climb out of its path)"
            )


def _check_headers(headers: Headers) -> None:
    for name, value in headers:
        if not isinstance(name, str) or _TOKEN.fullmatch(name) is None:
            raise RequestError(f"invalid header name {name!r}: must be an HTTP token")
        if not isinstance(value, str):
            raise RequestError(
                f"header {name!r} must have a string value, got {type(value).__name__}"
            )
        if _VALUE_FORBIDDEN.search(value):
            raise RequestError(
                f"invalid value for header {name!r}: it contains a control character"
                " (CR, LF or NUL would split the request)"
            )
