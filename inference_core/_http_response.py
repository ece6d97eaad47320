"""A requests-style, read-only view of one of our responses: what ``error.response`` returns.

Strategy: code written against huggingface_hub reads errors the requests way
(``e.response.status_code``, ``e.response.headers["content-type"]``, ``e.response.json()``,
``e.response.request.url``). :class:`HTTPResponse` offers that surface over our own
:class:`~inference_core.Response` and :class:`~inference_core.Request` values without importing
requests and without copying them: it is built only when someone asks for it (an error builds it
when ``.response`` is read), and its header mapping only when ``.headers`` is read. The legacy
``InferenceApi(raw_response=True)`` returns one too.

Differences from ``requests.Response``, all deliberate: it is read-only; ``reason`` is the
standard phrase for the status (our responses do not keep the server's own phrase); ``text``
decodes with the declared charset or else UTF-8 (requests guesses, or assumes ISO-8859-1 for
``text/*``); ``json()`` raises the standard :class:`json.JSONDecodeError`;
``raise_for_status()`` raises our typed errors (:class:`~inference_core.HfHubHTTPError` and
children), not ``requests.HTTPError``.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from ._boundary import Headers, Request, Response

__all__ = ["HTTPHeaders", "HTTPRequest", "HTTPResponse", "reason_phrase"]


def reason_phrase(status: int) -> str:
    """The standard reason phrase of ``status`` ("Not Found"), or "" for an unregistered code."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _codec(encoding: str | None) -> str:
    """``encoding`` if Python knows it, else UTF-8."""
    if encoding:
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            pass
    return "utf-8"


class HTTPHeaders(Mapping[str, str]):
    """Case-insensitive, read-only headers: a name repeated in the message reads as its values
    joined with ``", "`` (as requests and urllib3 do); iteration gives each name once, spelled
    as it first appeared."""

    __slots__ = ("_items",)

    def __init__(self, pairs: Headers) -> None:
        items: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            key = name.lower()
            seen = items.get(key)
            items[key] = (name, value) if seen is None else (seen[0], f"{seen[1]}, {value}")
        self._items = items

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        theirs = {str(k).lower(): v for k, v in other.items()}
        return theirs == {key: value for key, (_, value) in self._items.items()}

    def lower_items(self) -> Iterator[tuple[str, str]]:
        """``(lower-cased name, value)`` pairs, as requests' ``CaseInsensitiveDict`` offers."""
        return ((key, value) for key, (_, value) in self._items.items())

    def __repr__(self) -> str:
        return repr(dict(self.items()))


class HTTPRequest:
    """The request behind an :class:`HTTPResponse`, requests' ``PreparedRequest`` way:
    ``method``, ``url``, ``headers`` (case-insensitive), ``body`` and ``path_url``.

    Attributes:
        raw_request: our :class:`~inference_core.Request`.
    """

    __slots__ = ("_headers", "raw_request")

    def __init__(self, request: Request) -> None:
        self.raw_request = request
        self._headers: HTTPHeaders | None = None

    @property
    def method(self) -> str:
        """The HTTP method, e.g. ``"POST"``."""
        return self.raw_request.method

    @property
    def url(self) -> str:
        """The absolute URL the request was sent to."""
        return self.raw_request.url

    @property
    def headers(self) -> HTTPHeaders:
        """The request headers, case-insensitive."""
        if self._headers is None:
            self._headers = HTTPHeaders(self.raw_request.headers)
        return self._headers

    @property
    def body(self) -> bytes | None:
        """The request body, or None for a request without one."""
        return self.raw_request.body

    @property
    def path_url(self) -> str:
        """The path and query of :attr:`url` (``"/models/x?wait=1"``)."""
        parts = urlsplit(self.raw_request.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def __repr__(self) -> str:
        return f"<PreparedRequest [{self.method}]>"


class HTTPResponse:
    """A requests-style, read-only view of a complete response.

    Args:
        response: our :class:`~inference_core.Response` (status, headers, body).
        request: the :class:`~inference_core.Request` it answers (the last one, after
            redirects), or None when unknown (then :attr:`url` is ``""`` and :attr:`request` is
            None).

    Attributes:
        raw_response: ``response``, our own value.
        raw_request: ``request``, our own value (or None).
    """

    __slots__ = ("_headers", "_request", "raw_request", "raw_response")

    def __init__(self, response: Response, request: Request | None = None) -> None:
        self.raw_response = response
        self.raw_request = request
        self._headers: HTTPHeaders | None = None
        self._request: HTTPRequest | None = None

    @property
    def status_code(self) -> int:
        """The HTTP status, e.g. ``404``."""
        return self.raw_response.status

    @property
    def reason(self) -> str:
        """The standard reason phrase of the status ("Not Found"; "" for an unregistered code)."""
        return reason_phrase(self.raw_response.status)

    @property
    def ok(self) -> bool:
        """True for a status below 400, as requests defines it."""
        return self.raw_response.status < 400

    def __bool__(self) -> bool:
        """:attr:`ok`, as for ``requests.Response`` (so test ``is not None``, not truthiness)."""
        return self.ok

    @property
    def headers(self) -> HTTPHeaders:
        """The response headers, case-insensitive; a repeated name reads as its joined values."""
        if self._headers is None:
            self._headers = HTTPHeaders(self.raw_response.headers)
        return self._headers

    @property
    def url(self) -> str:
        """The URL that gave this response (after redirects), or ``""`` when unknown."""
        return "" if self.raw_request is None else self.raw_request.url

    @property
    def request(self) -> HTTPRequest | None:
        """The request this response answers, or None when unknown."""
        if self._request is None and self.raw_request is not None:
            self._request = HTTPRequest(self.raw_request)
        return self._request

    @property
    def content(self) -> bytes:
        """The body bytes."""
        return self.raw_response.body

    @property
    def encoding(self) -> str | None:
        """The ``charset`` of the Content-Type, ``"utf-8"`` for JSON without one, else None."""
        content_type = self.raw_response.header("content-type") or ""
        media, _, params = content_type.partition(";")
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip(" \"'"):
                return value.strip(" \"'")
        return "utf-8" if media.strip().lower() == "application/json" else None

    @property
    def text(self) -> str:
        """The body decoded with :attr:`encoding` (UTF-8 if none or unknown), errors replaced."""
        return self.raw_response.body.decode(_codec(self.encoding), errors="replace")

    def json(self, **kwargs: Any) -> Any:
        """Decode the body as JSON (``kwargs`` go to :func:`json.loads`).

        Raises:
            json.JSONDecodeError: the body is not JSON (a ``ValueError``).
        """
        return json.loads(self.text, **kwargs)

    def iter_content(
        self, chunk_size: int | None = 1, decode_unicode: bool = False
    ) -> Iterator[Any]:
        """The body in pieces of ``chunk_size`` bytes (all at once for None)."""
        body = self.raw_response.body
        size = (len(body) or 1) if chunk_size is None else chunk_size
        chunks = (body[start : start + size] for start in range(0, len(body), size))
        if not decode_unicode:
            yield from chunks
            return
        decoder = codecs.getincrementaldecoder(_codec(self.encoding))(errors="replace")
        for chunk in chunks:
            text = decoder.decode(chunk)
            if text:
                yield text
        rest = decoder.decode(b"", final=True)
        if rest:
            yield rest

    def iter_lines(
        self,
        chunk_size: int = 512,
        decode_unicode: bool = False,
        delimiter: bytes | str | None = None,
    ) -> Iterator[Any]:
        """The body's lines, without their line breaks (split on ``delimiter`` if given)."""
        del chunk_size  # the whole body is already here
        body: Any = self.text if decode_unicode else self.raw_response.body
        if delimiter is None:
            yield from body.splitlines()
            return
        if decode_unicode and isinstance(delimiter, bytes):
            delimiter = delimiter.decode()
        pieces = body.split(delimiter)
        if pieces and not pieces[-1]:
            pieces.pop()
        yield from pieces

    def raise_for_status(self) -> None:
        """Raise the typed error for an error status (as the clients do), else return.

        Raises:
            HfHubHTTPError: a status of 400 or more (:class:`~inference_core.BadRequestError`
                for 400, and so on).
        """
        from ._status import raise_for_status

        request = self.raw_request if self.raw_request is not None else Request("GET", "")
        raise_for_status(request, self.raw_response)

    def close(self) -> None:
        """Nothing to release: the body is already read. Here for code that calls it."""

    # Our own Response's names, for code written when errors carried a Response itself.

    @property
    def status(self) -> int:
        """:attr:`status_code`, under :class:`~inference_core.Response`'s name."""
        return self.raw_response.status

    @property
    def body(self) -> bytes:
        """:attr:`content`, under :class:`~inference_core.Response`'s name."""
        return self.raw_response.body

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None, as
        :meth:`Response.header <inference_core.Response.header>` reads it."""
        return self.raw_response.header(name)

    def __eq__(self, other: object) -> bool:
        """Equal to a view of an equal response, or to that :class:`~inference_core.Response`."""
        if isinstance(other, HTTPResponse):
            return self.raw_response == other.raw_response and self.url == other.url
        if isinstance(other, Response):
            return self.raw_response == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.raw_response)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}]>"
