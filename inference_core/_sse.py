"""Server-sent events: bytes in, events out, in pure code.

Strategy: :class:`SSEDecoder` is an h11-style push decoder for the ``text/event-stream`` format.
``feed(chunk)`` returns the events that chunk completed and ``feed(b"")`` marks end of stream. It
buffers *bytes* until a line is complete and decodes only complete lines, so a chunk may split
anywhere, even inside a UTF-8 character or between the CR and LF of one line break. The hot path
is one chunk holding whole ``data: {...}\\n\\n`` events: a membership test, an ``rfind``, one
``decode`` and one ``split``, then two cheap string tests per line. CRs, a partial line and the
BOM take slower branches that the common case never enters.

Deliberate choices, for a stream of JSON chunks from TGI- and OpenAI-style servers:

* ``[DONE]`` (``data: [DONE]`` or ``data:[DONE]``) ends the stream: it sets ``finished``, is not
  emitted, and every later byte is ignored.
* At EOF an event with data lines but no closing blank line is still emitted (lenient: many
  servers close right after the last ``data:`` line).
* ``id:`` sets the last event id, which later events keep (as in the WHATWG rules).
* A body that ends without a single event or ``[DONE]`` but held lines that are no SSE field
  (JSON, HTML, text: a server that answered without a Content-Type and did not stream) raises
  at EOF, quoting its first such line, instead of ending as an empty stream. The check costs one
  flag store per event; the first stray line is kept on the slow path of unknown fields.

:class:`JSONStreamDecoder` layers ``json.loads`` and a caller's ``parse`` on top, and turns an
``"error"`` payload or an ``event: error`` into the typed TGI error of ``_status``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Generic, NamedTuple, TypeVar

from ._errors import (
    InferenceError,
    RemoteProtocolError,
    ResponseFormatError,
    ResponseTooLargeError,
)
from ._json import loads as json_loads
from ._status import text_generation_error

__all__ = ["JSONStreamDecoder", "SSEDecoder", "ServerSentEvent"]

T = TypeVar("T")

_BOM = b"\xef\xbb\xbf"
_LF = 10  # b"\n"[0]
_CR = 13  # b"\r"[0]


class ServerSentEvent(NamedTuple):
    """One dispatched event: its data lines joined by ``"\\n"``, its type and the last event id."""

    data: str
    event: str = "message"
    id: str | None = None


MAX_EVENT_BYTES = 256 * 1024 * 1024
"""The largest line a stream may send (memory stays bounded if a server never ends one)."""


def _too_large(limit: int) -> InferenceError:
    return ResponseTooLargeError(f"a server-sent event line is longer than {limit} bytes")


class SSEDecoder:
    """Incremental ``text/event-stream`` parser: ``feed(chunk)`` returns the completed events."""

    __slots__ = (
        "_data",
        "_dispatched",
        "_event",
        "_finished",
        "_id",
        "_junk",
        "_pending",
        "_skip_lf",
        "_started",
        "_tail",
        "max_event_bytes",
    )

    def __init__(self) -> None:
        self._tail: list[bytes] = []  # bytes of the current, unterminated line (no CR or LF)
        self._data: list[str] = []  # data lines of the event being built
        self._event = ""
        self._id: str | None = None
        self._skip_lf = False  # the last chunk ended in CR: an LF opening the next one is its pair
        self._started = False  # the BOM check is done
        self._finished = False
        self._dispatched = False  # an event was emitted
        self._junk: str | None = None  # the first line that is no SSE field
        self._pending = 0  # bytes held in _tail: one event may not grow past max_event_bytes
        self.max_event_bytes = MAX_EVENT_BYTES

    @property
    def finished(self) -> bool:
        """True once ``[DONE]`` or end of stream was seen; later bytes are ignored."""
        return self._finished

    def feed(self, data: bytes) -> list[ServerSentEvent]:
        """Consume ``data`` and return the events it completed; ``b""`` means end of stream."""
        if self._finished:
            return []
        if not data:
            return self._close()
        if self._skip_lf:
            self._skip_lf = False
            if data[0] == _LF:
                data = data[1:]
                if not data:
                    return []
        if not self._started:
            data = self._start(data)
            if not data:
                return []
        if b"\n" not in data and b"\r" not in data:
            self._tail.append(data)
            self._pending += len(data)
            if self._pending > self.max_event_bytes:
                raise _too_large(self.max_event_bytes)
            return []
        self._pending = 0
        if self._tail:
            self._tail.append(data)
            data = b"".join(self._tail)
            self._tail = []
        if b"\r" in data:
            self._skip_lf = data[-1] == _CR
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        end = data.rfind(b"\n")
        if end != len(data) - 1:
            self._tail.append(data[end + 1 :])
        return self._lines(data[:end].decode("utf-8", "replace").split("\n"))

    def _start(self, data: bytes) -> bytes:
        # Drop a leading UTF-8 BOM, which may itself arrive split across chunks.
        head = b"".join(self._tail) + data if self._tail else data
        if len(head) < len(_BOM) and _BOM.startswith(head):
            self._tail = [head]
            return b""
        self._tail = []
        self._started = True
        return head[len(_BOM) :] if head.startswith(_BOM) else head

    def _close(self) -> list[ServerSentEvent]:
        lines = [b"".join(self._tail).decode("utf-8", "replace")] if self._tail else []
        self._tail = []
        lines.append("")  # a final blank line dispatches a pending event
        events = self._lines(lines)
        self._finished = True
        if self._junk is not None and not self._dispatched:
            raise _not_sse(self._junk)
        return events

    def _lines(self, lines: list[str]) -> list[ServerSentEvent]:
        events: list[ServerSentEvent] = []
        data = self._data
        for line in lines:
            if not line:
                if data:
                    value = data[0] if len(data) == 1 else "\n".join(data)
                    data.clear()
                    if value.strip() == "[DONE]":
                        self._finish()
                        return events
                    events.append(ServerSentEvent(value, self._event or "message", self._id))
                    self._dispatched = True
                self._event = ""
            elif line.startswith("data:"):
                data.append(line[6:] if line[5:6] == " " else line[5:])
            elif line[0] != ":":  # a line opening with ":" is a comment (keep-alive, ping)
                self._field(line)
        return events

    def _field(self, line: str) -> None:
        name, _, value = line.partition(":")
        if value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name != "retry" and self._junk is None:
            self._junk = line  # ignored, but remembered in case the body holds no event at all
        # "retry" and unknown fields are ignored: reconnecting is the caller's business.

    def _finish(self) -> None:
        self._finished = True
        self._tail = []
        self._data.clear()


class JSONStreamDecoder(Generic[T]):
    """A :class:`~inference_core.StreamDecoder` of JSON events, each turned into ``parse(json)``.

    An event whose payload has a non-null ``"error"``, or of type ``error``, raises the typed TGI
    error (:class:`~inference_core.ValidationError` and siblings) with ``status=None``. Data that
    is not JSON raises :class:`~inference_core.RemoteProtocolError`. Items completed before the
    failing event in the same chunk are returned first; the error is raised by the next ``feed``.
    """

    __slots__ = ("_error", "_parse", "_sse", "status")

    def __init__(self, parse: Callable[[Any], T], *, status: int | None = 200) -> None:
        self._parse = parse
        self._sse = SSEDecoder()
        self._error: InferenceError | None = None
        self.status = status
        """The HTTP status of the response being decoded (informational)."""

    @property
    def finished(self) -> bool:
        """True once ``[DONE]`` or end of stream was seen; later bytes are ignored."""
        return self._sse.finished

    @property
    def max_event_bytes(self) -> int:
        """The longest line the stream may send (the call's ``max_response_bytes``)."""
        return self._sse.max_event_bytes

    @max_event_bytes.setter
    def max_event_bytes(self, limit: int) -> None:
        self._sse.max_event_bytes = limit

    def feed(self, data: bytes) -> list[T]:
        """Consume ``data``, return the parsed items it completed; ``b""`` means end of stream."""
        if self._error is not None:
            raise self._error
        items: list[T] = []
        loads, parse = json_loads, self._parse
        for event in self._sse.feed(data):
            try:
                try:
                    payload = loads(event.data)
                except ValueError:
                    raise _invalid(event) from None
                if event.event == "error" or (
                    isinstance(payload, dict) and payload.get("error") is not None
                ):
                    raise text_generation_error(_error_payload(payload), status=None)
            except InferenceError as exc:
                if not items:
                    raise
                self._error = exc
                break
            items.append(parse(payload))
        return items


def _invalid(event: ServerSentEvent) -> InferenceError:
    if event.event == "error" or _ERROR_MARK.search(event.data[:200]):
        # A server reporting a failure mid-stream, in a body it could not even serialise
        # (transformers serve does this): the provider's error, with all its words (the
        # event is bounded by ``max_event_bytes``).
        return text_generation_error({"error": event.data}, status=None)
    data = event.data if len(event.data) <= 200 else event.data[:200] + "..."
    return RemoteProtocolError(f"server-sent event data is not valid JSON: {data!r}")


_ERROR_MARK = re.compile(r'^\s*\{?\s*"?(error|detail)\b|"error"\s*:', re.IGNORECASE)


def _not_sse(line: str) -> InferenceError:
    try:
        payload = json_loads(line)
    except ValueError:
        payload = None
    if isinstance(payload, dict) and payload.get("error_type") is not None:
        return text_generation_error(payload, status=None)
    text = line if len(line) <= 200 else line[:200] + "..."
    return ResponseFormatError(f"the response holds no server-sent event; it starts with {text!r}")


def _error_payload(payload: Any) -> dict[str, Any]:
    if isinstance(payload, dict) and payload.get("error") is not None:
        return payload
    if isinstance(payload, (dict, str)):
        return {"error": payload}
    return {"error": json.dumps(payload)}
