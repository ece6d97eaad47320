"""The values that cross the boundary between pure plans and I/O.

Strategy: a plan (see ``_plan.py``) yields :class:`Request`, :class:`Sleep` and :class:`Load`
values and receives a :class:`Response`, None or the loaded bytes back. Streaming takes two more
effects: :class:`Open` has the driver open a request as a stream and answer with its head (a
:class:`Response` with an empty body) while it holds the stream open; :class:`ReadBody` has it
read that stream's body, close it and answer with the bytes. A streaming plan ends by returning
a :class:`Streamed` (the opened request plus a factory for the pure decoder that turns body
bytes into items), and the driver hands the held stream out as an iterator of items; when the
same plan is asked not to stream it returns its result wrapped in :class:`Completed`, so the two
outcomes stay distinguishable to the drivers and to the type checker. These are small frozen
values in the spirit of h11's events: nothing in them performs I/O, and nothing outside them is
needed to describe one round trip.

Headers are kept as an ordered tuple of ``(name, value)`` pairs, never a dict: order and repeated
names survive, and the value is hashable and immutable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

import attrs

from ._errors import ResponseFormatError
from ._json import loads as json_loads
from ._secrets import mask_url

__all__ = [
    "Completed",
    "Headers",
    "Load",
    "Open",
    "ReadBody",
    "Request",
    "Response",
    "Sleep",
    "StreamDecoder",
    "Streamed",
    "Timeout",
    "idle_seconds",
    "timeout_phases",
]

Headers = tuple[tuple[str, str], ...]

T_co = TypeVar("T_co", covariant=True)


def _header(headers: Headers, name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers:
        if key.lower() == lowered:
            return value
    return None


@attrs.frozen
class Timeout:
    """Timeouts per phase, in seconds (None: no limit for that phase), as httpx spells them:
    ``connect`` (opening a connection, TLS included), ``read`` (each read: an idle timeout),
    ``write`` (each write), ``pool`` (waiting for a free pooled connection), and ``total``
    (the whole call, the same as the clients' ``deadline=``, which wins when both are given).
    A plain number for ``timeout`` means that number for the first four."""

    connect: float | None = None
    read: float | None = None
    write: float | None = None
    pool: float | None = None
    total: float | None = None

    def phases(self) -> tuple[float | None, float | None, float | None, float | None]:
        """``(connect, read, write, pool)``."""
        return self.connect, self.read, self.write, self.pool


def timeout_phases(
    timeout: float | Timeout | None,
) -> tuple[float | None, float | None, float | None, float | None]:
    """``(connect, read, write, pool)`` seconds for a request's ``timeout`` (a number applies to
    all four; None to none)."""
    if isinstance(timeout, Timeout):
        return timeout.phases()
    return timeout, timeout, timeout, timeout


def idle_seconds(timeout: float | Timeout | None) -> float | None:
    """The seconds a wait for the server may last: the number, or a Timeout's ``read``."""
    return timeout.read if isinstance(timeout, Timeout) else timeout


@attrs.frozen(repr=False)
class Request:
    """One HTTP request a plan wants sent: method, absolute URL, ordered headers, body bytes,
    and the call's limits.

    ``timeout`` is the seconds allowed to connect, to wait for a pooled connection, and for each
    read or write, or a :class:`Timeout` giving each phase its own (read it with
    :func:`timeout_phases`); every transport honours it. None means the transport's own default
    applies.

    ``deadline`` is the instant, on the ``time.monotonic()`` clock, by which ``send`` must have
    the whole response (``stream`` the head): the driver sets it from the call's ``deadline=``
    and lowers ``timeout`` to the time left; transports check it between body chunks, so a
    server dripping bytes cannot hold a call past it. ``max_bytes`` bounds the body ``send``
    reads (``ResponseTooLargeError`` past it); None means no bound. Plans leave both alone.
    """

    method: str
    url: str
    headers: Headers = ()
    body: bytes | None = None
    timeout: float | Timeout | None = None
    deadline: float | None = None
    max_bytes: int | None = None

    def header(self, name: str) -> str | None:
        """Return the first value of header ``name`` (case-insensitive), or None."""
        return _header(self.headers, name)

    def __repr__(self) -> str:
        size = "no body" if self.body is None else f"{len(self.body)} bytes"
        return f"<Request {self.method} {mask_url(self.url)} ({size})>"


@attrs.frozen(repr=False)
class Response:
    """A complete HTTP response handed back to a plan: status, ordered headers, body bytes."""

    status: int
    headers: Headers = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """Return the first value of header ``name`` (case-insensitive), or None."""
        return _header(self.headers, name)

    def json(self) -> Any:
        """Decode the body as JSON (UTF-8).

        Raises:
            ResponseFormatError: the body is not JSON (quoting its start).
        """
        try:
            return json_loads(self.body)
        except ValueError as exc:
            raise ResponseFormatError(
                f"the server answered with a body that is not JSON: {self.text[:200]!r}",
                status=self.status,
                response=self,
            ) from exc

    @property
    def text(self) -> str:
        """The body decoded as UTF-8, undecodable bytes replaced."""
        return self.body.decode("utf-8", errors="replace")

    def __repr__(self) -> str:
        return f"<Response [{self.status}] ({len(self.body)} bytes)>"


@attrs.frozen
class Sleep:
    """Ask the driver to wait ``seconds`` before resuming the plan (polling, backoff)."""

    seconds: float


@attrs.frozen
class Load:
    """Ask the driver for the bytes of a caller-given input: a local path, a binary file object
    or a PIL image (encoded as PNG). The driver answers with ``bytes``; reading is I/O, so it is
    an effect (the async driver reads in a worker thread, never on the event loop)."""

    source: Any


@attrs.frozen
class Open:
    """Ask the driver to send ``request`` as a stream and answer with the head: a
    :class:`Response` with the status, the headers and an empty body.

    The driver holds the open stream until the plan's next step: :class:`ReadBody` reads it, a
    returned :class:`Streamed` hands it to the caller, and anything else (another effect, an
    exception, any other result) closes it first.
    """

    request: Request


MAX_BODY = 4 * 1024 * 1024
"""Bytes :class:`ReadBody` reads by default: enough for any error page, bounded."""


@attrs.frozen
class ReadBody:
    """Ask the driver to read the stream :class:`Open` left pending to its end, at most
    ``limit`` bytes (it stops there), close it, and answer with the bytes."""

    limit: int = MAX_BODY


class StreamDecoder(Protocol[T_co]):
    """A pure push decoder: ``feed(chunk)`` returns the items completed so far.

    ``feed(b"")`` signals end of stream (h11's ``receive_data(b"")`` convention); it returns any
    final items, or raises if the stream ended in the middle of an item.
    """

    def feed(self, data: bytes) -> Sequence[T_co]: ...

    @property
    def finished(self) -> bool:
        """True once the stream's terminal marker was seen; later bytes are ignored."""
        ...


@attrs.frozen
class Streamed(Generic[T_co]):
    """The return value of a streaming plan, once :class:`Open` opened ``request``: the driver
    iterates the pending stream with ``decoder()`` (build it with ``_plan.open_stream``)."""

    request: Request
    decoder: Callable[[], StreamDecoder[T_co]]


@attrs.frozen
class Completed(Generic[T_co]):
    """The return value of a plan that could have streamed but did not: the finished result."""

    value: T_co
