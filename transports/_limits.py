"""A request's bounds, applied the same way by every transport: ``deadline`` and ``max_bytes``.

Strategy: ``Request.deadline`` is an instant on the ``time.monotonic()`` clock. Before any I/O a
transport calls :func:`check_deadline` (past it: :class:`InferenceTimeoutError`, nothing sent),
then clamps each wait to :func:`wait_limit` (the smaller of its timeout and the time left).
``send`` applies the deadline to the whole response; ``stream`` to the head only.

``Request.max_bytes`` bounds the body ``send`` reads. :class:`Body` collects a ``send``'s body:
it refuses a declared ``Content-Length`` above the limit before reading anything, decodes
``gzip``/``deflate`` with :mod:`~transports._decoding` in pieces no larger than the bytes still
allowed plus one, and raises :class:`ResponseTooLargeError` the moment the decoded body passes
the limit. So memory never holds more than the limit plus one network chunk. A transport that
gets an error from :class:`Body` closes the connection: it is mid-response, never reusable.
"""

from __future__ import annotations

import time

from inference_core.transport import (
    Headers,
    InferenceTimeoutError,
    Request,
    Response,
    ResponseTooLargeError,
)

from ._decoding import PIECE_SIZE, Decoder, decoded_headers, decoder_for

__all__ = ["Body", "check_deadline", "deadline_error", "too_large", "wait_limit"]


def deadline_error(url: str) -> InferenceTimeoutError:
    return InferenceTimeoutError(f"Inference call timed out: {url} (the call's deadline passed)")


def too_large(url: str, limit: int) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"The response body from {url} is larger than max_bytes={limit}: reading stopped there"
    )


def check_deadline(request: Request) -> None:
    """Raise :class:`InferenceTimeoutError` if the request's deadline has already passed."""
    deadline = request.deadline
    if deadline is not None and time.monotonic() >= deadline:
        raise deadline_error(request.url)


def wait_limit(timeout: float | None, deadline: float | None, url: str) -> float | None:
    """The seconds one wait may take: ``timeout``, lowered to the time left before ``deadline``.

    Raises :class:`InferenceTimeoutError` when no time is left.
    """
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise deadline_error(url)
    return left if timeout is None or left < timeout else timeout


class Body:
    """The body of one ``send``: decoded, bounded by ``max_bytes`` and by the deadline.

    Feed it every network chunk (:meth:`feed`), then :meth:`response` once the body ended.
    """

    __slots__ = ("_chunks", "_deadline", "_decoder", "_limit", "_size", "headers", "status", "url")

    def __init__(self, request: Request, status: int, headers: Headers) -> None:
        self.url, self.status = request.url, status
        self._deadline, self._limit = request.deadline, request.max_bytes
        self._decoder: Decoder | None = decoder_for(headers, request.url)
        self.headers = headers if self._decoder is None else decoded_headers(headers)
        self._chunks: list[bytes] = []
        self._size = 0
        bodiless = request.method == "HEAD" or status in (204, 304)  # the length is not ours
        if self._limit is not None and self._decoder is None and not bodiless:
            declared = _content_length(headers)
            if declared is not None and declared > self._limit:
                raise too_large(self.url, self._limit)  # fail fast: nothing read

    def feed(self, chunk: bytes | bytearray) -> None:
        """Take one network chunk; raise once the body is too large or the deadline passed."""
        decoder = self._decoder
        if decoder is None:
            self._add(bytes(chunk))
        else:
            decoder.feed(chunk)
            while piece := decoder.read(self._piece_size()):
                self._add(piece)
        if self._deadline is not None and time.monotonic() >= self._deadline:
            raise deadline_error(self.url)

    def response(self) -> Response:
        """The whole response, once the network body ended (a truncated encoding raises)."""
        if self._decoder is not None:
            self._decoder.finish()
        return Response(self.status, self.headers, b"".join(self._chunks))

    def _piece_size(self) -> int:
        if self._limit is None:
            return PIECE_SIZE
        return min(PIECE_SIZE, self._limit - self._size + 1)  # one byte past the limit is enough

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._limit is not None and self._size > self._limit:
            self._chunks.clear()
            raise too_large(self.url, self._limit)
        self._chunks.append(data)


def _content_length(headers: Headers) -> int | None:
    for name, value in headers:
        if name == "content-length":
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None
