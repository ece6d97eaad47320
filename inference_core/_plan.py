"""Plans: generators that describe a call as a sequence of effects.

Strategy: a plan yields :class:`Request`, :class:`Sleep` or :class:`Load` effects and is sent a
:class:`Response` (for a request), None (after a sleep) or bytes (for a load); it returns the
call's typed result, or a :class:`Streamed` for a streaming call. Plans compose with
``yield from``. Only the drivers in ``_drivers.py`` step them; tests step them by hand with
``next``/``send``.

:func:`send` is the one narrowing helper every plan uses for a round trip: it follows redirects
(dropping credentials when the origin changes, so a token never reaches a foreign host) and
classifies the final status with :func:`raise_for_status`. Redirects live here, in pure code,
so every transport behaves the same.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from ._boundary import Load, Request, Response, Sleep
from ._errors import RemoteProtocolError
from ._status import raise_for_status

__all__ = ["Effect", "Plan", "Reply", "load", "send"]

T = TypeVar("T")

Effect = Request | Sleep | Load
Reply = Response | bytes | None
"""What a driver sends back into a plan: a Response, None after a Sleep, bytes after a Load."""
Plan = Generator[Effect, Reply, T]

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-key"})


def send(request: Request) -> Plan[Response]:
    """Send ``request``, follow redirects, and return the final successful :class:`Response`."""
    for _ in range(MAX_REDIRECTS + 1):
        response = yield request
        assert isinstance(response, Response), "the driver must answer a Request with a Response"
        if response.status not in _REDIRECTS or response.header("location") is None:
            raise_for_status(request, response)
            return response
        request = _redirected(request, response)
    raise RemoteProtocolError(f"more than {MAX_REDIRECTS} redirects, last to {request.url}")


def load(source: object) -> Plan[bytes]:
    """Have the driver read a caller-given input (path, file object, PIL image) into bytes."""
    data = yield Load(source)
    assert isinstance(data, bytes), "the driver must answer a Load with bytes"
    return data


def _redirected(request: Request, response: Response) -> Request:
    location = response.header("location") or ""
    url = urljoin(request.url, location)
    method, body, headers = request.method, request.body, request.headers
    if response.status == 303 or (response.status in (301, 302) and method == "POST"):
        method, body = ("HEAD" if method == "HEAD" else "GET"), None
        headers = tuple(
            h for h in headers if h[0].lower() not in ("content-type", "content-length")
        )
    if _origin(url) != _origin(request.url):
        headers = tuple(h for h in headers if h[0].lower() not in _CREDENTIAL_HEADERS)
    return Request(method, url, headers, body)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or ""), parts.port
