"""Property tests (Hypothesis) for the pure decoders and the output converter.

* :class:`SSEDecoder` and :class:`JSONStreamDecoder` give the same items for every way of
  splitting the same bytes into chunks (inside UTF-8 characters, between CR and LF, inside the
  BOM), and those items are the events the stream was built from;
* any bytes at all, fed in any split, give items or a typed :class:`InferenceError`, never
  another exception;
* an error event raises the typed error after the items before it, whatever its data;
* the converter (``structure``, ``structure_list``, ``structurer``) turns arbitrary JSON into a
  task type or a :class:`ProviderError`, never another exception.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from inference_core import _types
from inference_core._converter import structure, structure_list, structurer
from inference_core._errors import InferenceError, ProviderError, TextGenerationError
from inference_core._sse import JSONStreamDecoder, ServerSentEvent, SSEDecoder
from inference_core._types import BaseInferenceType

FAST = settings(max_examples=200, deadline=None, database=None)  # no .hypothesis/ in the repo

# Line text: no CR, LF (they end lines); any other character, non-ASCII included.
line_text = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]))
event_names = st.text(
    st.characters(blacklist_characters="\r\n", blacklist_categories=["Cs"]), min_size=1
)
ids = st.text(st.characters(blacklist_characters="\r\n\0", blacklist_categories=["Cs"]))
newlines = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def sse_streams(draw: st.DrawFn) -> tuple[bytes, list[ServerSentEvent]]:
    """A valid event stream and the events it must decode to. One line ending per stream: a CR
    ending a line and an LF ending the next would read as one CRLF."""
    text, events = [], []
    newline = draw(newlines)
    last_id: str | None = None
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            text.append(":" + draw(line_text) + newline)  # a comment
        name = draw(st.none() | event_names)
        if name is not None:
            text.append(f"event: {name}{newline}")
        if draw(st.booleans()):
            last_id = draw(ids)
            text.append(f"id: {last_id}{newline}")
        lines = draw(st.lists(line_text, min_size=1, max_size=3))
        data = "\n".join(lines)
        if data.strip() == "[DONE]":
            lines, data = [*lines, "more"], data + "\nmore"
        for line in lines:
            space = " " if line.startswith(" ") else draw(st.sampled_from(["", " "]))
            text.append(f"data:{space}{line}{newline}")
        text.append(newline)
        events.append(ServerSentEvent(data, name or "message", last_id))
    if draw(st.booleans()):
        text.append(f"data: [DONE]{newline}{newline}data: ignored{newline}{newline}")
    prefix = b"\xef\xbb\xbf" if draw(st.booleans()) else b""
    return prefix + "".join(text).encode(), events


def splits(data: bytes) -> st.SearchStrategy[list[bytes]]:
    """Strategy: ``data`` cut into chunks at arbitrary offsets."""

    def cut(offsets: list[int]) -> list[bytes]:
        bounds = [0, *sorted(offsets), len(data)]
        return [data[a:b] for a, b in itertools.pairwise(bounds)]

    return st.lists(st.integers(0, len(data)), max_size=8).map(cut)


def _feed_all(decoder: Any, chunks: list[bytes]) -> list[Any]:
    items: list[Any] = []
    for chunk in chunks:
        if chunk:  # b"" means end of stream, only at the end
            items.extend(decoder.feed(chunk))
    items.extend(decoder.feed(b""))
    return items


@FAST
@given(st.data())
def test_sse_decoder_is_split_invariant(data: st.DataObject) -> None:
    stream, events = data.draw(sse_streams())
    chunks = data.draw(splits(stream))
    assert _feed_all(SSEDecoder(), [stream]) == events
    assert _feed_all(SSEDecoder(), chunks) == events


@FAST
@given(st.data())
def test_sse_decoder_byte_by_byte(data: st.DataObject) -> None:
    stream, events = data.draw(sse_streams())
    assert _feed_all(SSEDecoder(), [stream[i : i + 1] for i in range(len(stream))]) == events


def _json_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    _json_containers,
    max_leaves=12,
)
ok_payloads = json_values.filter(lambda v: not (isinstance(v, dict) and v.get("error") is not None))


@FAST
@given(st.data())
def test_json_stream_decoder_is_split_invariant(data: st.DataObject) -> None:
    payloads = data.draw(st.lists(ok_payloads, max_size=5))
    stream = b"".join(b"data: " + json.dumps(p).encode() + b"\n\n" for p in payloads)
    stream += data.draw(st.sampled_from([b"", b"data: [DONE]\n\n"]))
    chunks = data.draw(splits(stream))
    assert _feed_all(JSONStreamDecoder(lambda v: v), chunks) == payloads


def _outcome(decoder: Any, chunks: list[bytes]) -> tuple[list[Any], type | None]:
    """Items fed out until the first error, and the error's type (None if none)."""
    items: list[Any] = []
    try:
        for chunk in [*(c for c in chunks if c), b""]:
            items.extend(decoder.feed(chunk))
    except InferenceError as exc:
        return items, type(exc)
    return items, None


garbage = st.binary(max_size=300) | st.lists(
    st.sampled_from([b"data:", b"data: ", b"event: error\n", b"event:", b"id:", b":", b"\n",
                     b"\r", b"\r\n", b"{", b"}", b'"error"', b"[DONE]", b"\xef\xbb\xbf", b"\xff",
                     b"retry: 1", b'{"error": null}', b'{"error": 1, "error_type": "x"}',
                     b"[1, 2]", b"null", b"<html>"]),
    max_size=40,
).map(b"".join)


@FAST
@given(st.data())
def test_garbage_gives_typed_errors_only(data: st.DataObject) -> None:
    stream = data.draw(garbage)
    chunks = data.draw(splits(stream))
    for make in (SSEDecoder, lambda: JSONStreamDecoder(lambda v: v)):
        whole = _outcome(make(), [stream])
        split = _outcome(make(), chunks)  # raises anything but InferenceError
        assert split == whole


def _inference_types() -> list[type[BaseInferenceType]]:
    found = (getattr(_types, name) for name in dir(_types))
    return sorted(
        (t for t in found if isinstance(t, type) and issubclass(t, BaseInferenceType)
         and t is not BaseInferenceType),
        key=lambda t: t.__name__,
    )  # fmt: skip


TYPES = _inference_types()
FIELD_NAMES = sorted({f.name for t in TYPES for f in dataclasses.fields(t)})
# JSON that reuses the types' own field names, so nested structuring is exercised.
def _shaped_containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.sampled_from(FIELD_NAMES) | st.text(max_size=5)
    return st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=6)


shaped_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    _shaped_containers,
    max_leaves=20,
)


@FAST
@given(st.sampled_from(TYPES), shaped_json)
def test_converter_raises_only_provider_errors(cls: type, data: Any) -> None:
    converters: list[Callable[[], Any]] = [
        lambda: structure(data, cls), lambda: structure_list(data, cls),
        lambda: structurer(cls)(data),
    ]  # fmt: skip
    for convert in converters:
        try:
            result = convert()
        except ProviderError as exc:
            assert "unexpected response shape" in str(exc)
        else:
            assert isinstance(result, (cls, list))


_TGI_CLASSES = {
    "validation": "ValidationError",
    "generation": "GenerationError",
    "overloaded": "OverloadedError",
    "incomplete_generation": "IncompleteGenerationError",
}
error_types = st.sampled_from(["validation", "generation", "overloaded", "incomplete_generation",
                               "unknown-kind"])  # fmt: skip


@FAST
@given(st.data())
def test_error_events_raise_the_typed_error_after_earlier_items(data: st.DataObject) -> None:
    before = data.draw(st.lists(ok_payloads, max_size=3))
    message = data.draw(line_text.filter(lambda text: text.strip() != ""))
    kind = data.draw(error_types)
    error = {"error": message, "error_type": kind}
    stream = b"".join(b"data: " + json.dumps(p).encode() + b"\n\n" for p in before)
    stream += b"data: " + json.dumps(error).encode() + b"\n\n" + b"data: {}\n\n"
    items, raised = _outcome(JSONStreamDecoder(lambda v: v), data.draw(splits(stream)))
    assert items == before
    assert raised is not None and issubclass(raised, TextGenerationError)
    assert raised.__name__ == _TGI_CLASSES.get(kind, "UnknownError")


@FAST
@given(line_text.filter(lambda text: text.strip() != ""))
def test_error_event_with_any_data_is_a_provider_error(text: str) -> None:
    stream = f"event: error\ndata: {text}\n\n".encode()
    decoder = JSONStreamDecoder(lambda v: v)
    try:
        decoder.feed(stream)
        decoder.feed(b"")
    except ProviderError as exc:
        try:
            json.loads(text)
        except ValueError:  # not JSON: the message quotes the data
            assert text.strip() in str(exc)
    else:
        raise AssertionError("an error event was not raised")
