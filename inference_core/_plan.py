"""Plans: generators that describe a call as a sequence of effects.

Strategy: a plan yields :class:`Request`, :class:`Sleep`, :class:`Load`, :class:`Open` or
:class:`ReadBody` effects and is sent a :class:`Response` (for a request; the head for an open),
None (after a sleep) or bytes (for a load or a body read); it returns the call's typed result,
or a :class:`Streamed` for a streaming call. Plans compose with ``yield from``. Only the drivers
in ``_drivers.py`` step them; tests step them by hand with ``next``/``send``.

:func:`send` is the one narrowing helper every plan uses for a round trip, and
:func:`open_stream` its twin for a streamed response: both follow redirects (dropping
every header but a few safe ones when the origin changes, so no credential reaches a foreign
host or an https credential a plain-http URL) and classify the
final status with :func:`raise_for_status`; :func:`open_stream` also refuses a success that is
not an event stream (JSON, HTML, an empty body) with the typed error carrying the server's
message, so a stream never ends silently with nothing in it. Redirects live here, in pure code,
so every transport behaves the same.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TypeVar
from urllib.parse import urljoin, urlsplit

from ._boundary import Load, Open, ReadBody, Request, Response, Sleep, StreamDecoder, Streamed
from ._errors import RemoteProtocolError
from ._status import not_a_stream_error, raise_for_status

__all__ = ["Effect", "Plan", "Reply", "load", "open_stream", "send"]

T = TypeVar("T")

Effect = Request | Sleep | Load | Open | ReadBody
Reply = Response | bytes | None
"""What a driver sends back into a plan: a Response for a Request (the head, with an empty body,
for an Open), None after a Sleep, bytes after a Load or a ReadBody."""
Plan = Generator[Effect, Reply, T]

MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_REDIRECT_BODY_LIMIT = 65536  # a redirect's body is read (so the connection is reused) up to this
# Kept on a redirect to another origin (scheme, host or port): everything else may carry a
# credential (Authorization, X-Api-Key, api-key, cookies, a header the caller invented...).
_CROSS_ORIGIN_SAFE = frozenset(
    {"user-agent", "accept", "accept-encoding", "accept-language", "content-type"}
)


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


def open_stream(request: Request, decoder: Callable[[], StreamDecoder[T]]) -> Plan[Streamed[T]]:
    """Open ``request`` as a stream, follow redirects, and return the :class:`Streamed` the
    driver turns into an iterator of ``decoder()`` items over the open stream.

    An error status raises as :func:`send` does. A success that is not an event stream (a
    Content-Type other than ``text/event-stream``, a 204 or 205, ``Content-Length: 0``) raises
    the typed error with the server's message (see :func:`not_a_stream_error`); a response
    without Content-Type is taken as a stream.
    """
    for _ in range(MAX_REDIRECTS + 1):
        head = yield Open(request)
        assert isinstance(head, Response), "the driver must answer an Open with the head"
        if head.status not in _REDIRECTS or head.header("location") is None:
            if 200 <= head.status < 300 and _is_event_stream(head):
                return Streamed(request, decoder)
            body = yield ReadBody()
            assert isinstance(body, bytes), "the driver must answer a ReadBody with bytes"
            response = Response(head.status, head.headers, body)
            raise_for_status(request, response)
            raise not_a_stream_error(request, response)
        yield ReadBody(_REDIRECT_BODY_LIMIT)
        request = _redirected(request, head)
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
        headers = tuple(h for h in headers if h[0].lower() in _CROSS_ORIGIN_SAFE)
    return Request(method, url, headers, body, request.timeout, request.deadline, request.max_bytes)


def _is_event_stream(head: Response) -> bool:
    if head.status in (204, 205) or (head.header("content-length") or "").strip() == "0":
        return False
    content_type = head.header("content-type")
    if content_type is None:
        return True  # many servers stream without saying so; the decoder checks the bytes
    return content_type.partition(";")[0].strip().lower() == "text/event-stream"


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or ""), parts.port
