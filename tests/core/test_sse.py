"""Tests for ``inference_core._sse``: every sample stream is fed whole, byte by byte, in random
pieces, and (when it ends in ``[DONE]``) followed by trailing garbage, in h11's test_io style."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from typing import Any

import pytest

from inference_core._boundary import StreamDecoder
from inference_core._errors import (
    GenerationError,
    IncompleteGenerationError,
    OverloadedError,
    ProviderError,
    RemoteProtocolError,
    ResponseFormatError,
    TextGenerationError,
    UnknownError,
    ValidationError,
)
from inference_core._sse import JSONStreamDecoder, ServerSentEvent, SSEDecoder

E = ServerSentEvent

GARBAGE = b'data: {"not": "seen"}\n\nevent: error\ndata: boom\n\n\xff\xfe{{{\r'


def chunks_of(data: bytes, size: int) -> list[bytes]:
    """Split ``data`` into pieces of ``size`` bytes (the last one may be shorter)."""
    return [data[i : i + size] for i in range(0, len(data), size)]


def random_chunks(data: bytes, seed: int) -> list[bytes]:
    """Split ``data`` at random points, reproducibly, into pieces of 1 to 8 bytes."""
    rng = random.Random(seed)
    pieces, i = [], 0
    while i < len(data):
        size = rng.randint(1, 8)
        pieces.append(data[i : i + size])
        i += size
    return pieces


def collect(chunks: Iterable[bytes], *, eof: bool = True) -> tuple[list[E], SSEDecoder]:
    """Feed ``chunks`` to a fresh decoder (then EOF unless told not to); return events, decoder."""
    decoder = SSEDecoder()
    events: list[E] = []
    for chunk in chunks:
        events += decoder.feed(chunk)
    if eof:
        events += decoder.feed(b"")
    return events, decoder


# (name, stream, expected events, True when the stream ends with a dispatched [DONE])
SAMPLES: list[tuple[str, bytes, list[E], bool]] = [
    (
        "lf",
        b'data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n',
        [E('{"a":1}'), E('{"a":2}')],
        True,
    ),
    (
        "crlf",
        b'data: {"a":1}\r\n\r\ndata: {"a":2}\r\n\r\ndata: [DONE]\r\n\r\n',
        [E('{"a":1}'), E('{"a":2}')],
        True,
    ),
    (
        "lone-cr",
        b'data: {"a":1}\r\rdata: {"a":2}\r\rdata: [DONE]\r\r',
        [E('{"a":1}'), E('{"a":2}')],
        True,
    ),
    ("mixed-endings", b"data: a\r\ndata: b\rdata: c\n\r\ndata: [DONE]\r\n\n", [E("a\nb\nc")], True),
    ("no-space", b'data:{"a":1}\n\ndata:[DONE]\n\n', [E('{"a":1}')], True),
    ("done-trailing-space", b"data: x\n\ndata: [DONE] \t\n\n", [E("x")], True),
    (
        "comments-and-pings",
        b": ping\n\n:keep-alive\ndata: x\n: in the middle\ndata: y\n\n: ping\n\ndata: [DONE]\n\n",
        [E("x\ny")],
        True,
    ),
    (
        "event-id-retry-unknown",
        b"event: token\nid: 7\nretry: 1000\nfoo: bar\ndata: one\n\n"
        b"data: two\n\nevent: end\nid\ndata: three\n\n",
        [E("one", "token", "7"), E("two", "message", "7"), E("three", "end", "")],
        False,
    ),
    ("multi-line-data", b"data: a\ndata:\ndata:  b\ndata\n\n", [E("a\n\n b\n")], False),
    ("no-data-no-event", b"event: x\nid: 1\n\ndata: y\n\n", [E("y", "message", "1")], False),
    ("eof-after-blank-line", b"data: 1\n\ndata: 2\n\n", [E("1"), E("2")], False),
    ("eof-after-data-line", b"data: 1\n\ndata: 2\n", [E("1"), E("2")], False),
    ("eof-mid-line", b"data: 1\n\ndata: 2", [E("1"), E("2")], False),
    ("eof-on-done-line", b"data: 1\n\ndata: [DONE]", [E("1")], False),
    (
        "utf8",
        'data: {"t":"héllo 🤗 世界"}\n\ndata: [DONE]\n\n'.encode(),
        [E('{"t":"héllo 🤗 世界"}')],
        True,
    ),
    ("bom", b"\xef\xbb\xbfdata: x\n\ndata: [DONE]\n\n", [E("x")], True),
    ("bom-only-at-start", b"\xef\xbb\xbfdata: x\n\n\xef\xbb\xbfdata: y\n\n", [E("x")], False),
    ("invalid-utf8-replaced", b"data: a\xffb\n\n", [E("a\ufffdb")], False),
]
SAMPLE_IDS = [sample[0] for sample in SAMPLES]


def _check(chunks: list[bytes], expected: list[E], done: bool) -> None:
    events, decoder = collect(chunks, eof=False)
    assert decoder.finished is done
    events += decoder.feed(b"")
    assert events == expected
    assert decoder.finished is True
    assert decoder.feed(b"data: late\n\n") == []


@pytest.mark.parametrize(("name", "stream", "expected", "done"), SAMPLES, ids=SAMPLE_IDS)
def test_whole(name: str, stream: bytes, expected: list[E], done: bool) -> None:
    _check([stream], expected, done)


@pytest.mark.parametrize(("name", "stream", "expected", "done"), SAMPLES, ids=SAMPLE_IDS)
def test_byte_by_byte(name: str, stream: bytes, expected: list[E], done: bool) -> None:
    _check(chunks_of(stream, 1), expected, done)


@pytest.mark.parametrize(("name", "stream", "expected", "done"), SAMPLES, ids=SAMPLE_IDS)
def test_random_splits(name: str, stream: bytes, expected: list[E], done: bool) -> None:
    for seed in range(25):
        _check(random_chunks(stream, seed), expected, done)


@pytest.mark.parametrize(("name", "stream", "expected", "done"), SAMPLES, ids=SAMPLE_IDS)
def test_every_two_way_split(name: str, stream: bytes, expected: list[E], done: bool) -> None:
    for i in range(1, len(stream)):  # no empty piece: feed(b"") means EOF
        _check([stream[:i], stream[i:]], expected, done)


@pytest.mark.parametrize(
    ("name", "stream", "expected"),
    [sample[:3] for sample in SAMPLES if sample[3]],
    ids=[sample[0] for sample in SAMPLES if sample[3]],
)
def test_trailing_garbage_after_done(name: str, stream: bytes, expected: list[E]) -> None:
    for chunks in ([stream + GARBAGE], [stream, GARBAGE], chunks_of(stream + GARBAGE, 1)):
        _check(chunks, expected, True)


def test_events_are_returned_by_the_feed_that_completes_them() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: 1\n\ndata: 2\n") == [E("1")]
    assert decoder.feed(b"\n") == [E("2")]
    assert decoder.feed(b"data: 3\r") == []
    assert decoder.feed(b"\r") == [E("3")]  # CR then CR: a line break, then a blank line
    assert decoder.feed(b"data: 4\r") == []
    assert decoder.feed(b"\n") == []  # the LF pairs with the CR before it: no blank line yet
    assert decoder.feed(b"\r\n") == [E("4")]
    assert decoder.finished is False
    assert decoder.feed(b"data: [DONE]\n\n") == []
    assert decoder.finished is True


def test_cr_lf_split_across_chunks_is_one_line_break() -> None:
    events, _ = collect([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\ndata: c\r\n\r\n"])
    assert events == [E("a\nb"), E("c")]


def test_utf8_character_split_inside_the_character() -> None:
    stream = 'data: "🤗"\n\n'.encode()
    start = stream.index("🤗".encode())
    for i in range(start + 1, start + 4):
        events, _ = collect([stream[:i], stream[i:]])
        assert events == [E('"🤗"')]


def test_bom_split_across_chunks() -> None:
    events, _ = collect([b"\xef", b"\xbb", b"\xbfdata: x\n\n"])
    assert events == [E("x")]
    events, _ = collect([b"\xef\xbb", b"\xbfdata: x\n\n"])
    assert events == [E("x")]


def test_done_stops_mid_chunk_and_drops_the_rest() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"data: a\n\ndata: [DONE]\n\ndata: b\n\n") == [E("a")]
    assert decoder.finished is True
    assert decoder.feed(b"data: c\n\n") == []
    assert decoder.feed(b"") == []


def test_empty_stream() -> None:
    events, decoder = collect([])
    assert events == []
    assert decoder.finished is True


NOT_SSE = [
    (b'{"error": "boom", "error_type": "validation"}', ValidationError, "boom"),
    (b'{\n  "detail": "Model not found"\n}\n', ResponseFormatError, "holds no server-sent event"),
    (b"<html><body>Bad gateway</body></html>", ResponseFormatError, "'<html><body>Bad gateway"),
    (b"x" * 500, ResponseFormatError, "'" + "x" * 200 + "...'"),
]


@pytest.mark.parametrize(("body", "cls", "match"), NOT_SSE)
@pytest.mark.parametrize("size", [None, 1, 7])
def test_a_body_without_any_event_raises_at_eof(
    body: bytes, cls: type[Exception], match: str, size: int | None
) -> None:
    decoder = SSEDecoder()
    for chunk in [body] if size is None else chunks_of(body, size):
        assert decoder.feed(chunk) == []
    with pytest.raises(cls) as info:
        decoder.feed(b"")
    assert match in str(info.value)
    assert decoder.finished and decoder.feed(b"") == []


def test_stray_lines_are_ignored_when_the_body_holds_events() -> None:
    events, _ = collect([b"garbage\nretry: 10\n\ndata: 1\n\n"])
    assert events == [E("1")]
    events, _ = collect([b"data: 1\n\n<html>\n"])
    assert events == [E("1")]
    events, _ = collect([b": only a comment\nretry: 5\n\n"])
    assert events == []
    events, _ = collect([b"junk\n\ndata: [DONE]\n\n"])  # [DONE] is an answer too
    assert events == []


def test_json_decoder_raises_for_a_body_that_is_not_sse() -> None:
    decoder = JSONStreamDecoder(lambda d: d)
    assert decoder.feed(b'{"error": "overloaded", "error_type": "overloaded"}') == []
    with pytest.raises(OverloadedError, match="overloaded"):
        decoder.feed(b"")


def test_long_line_fed_in_small_pieces() -> None:
    payload = "x" * 50_000
    events, _ = collect(chunks_of(f"data: {payload}\n\n".encode(), 7))
    assert events == [E(payload)]


# JSONStreamDecoder


def feed_all(decoder: JSONStreamDecoder[Any], chunks: Iterable[bytes]) -> list[Any]:
    """Feed every chunk then EOF; return all items."""
    items: list[Any] = []
    for chunk in chunks:
        items += decoder.feed(chunk)
    return items + decoder.feed(b"")


CHAT_STREAM = (
    b'data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n'
    b": keep-alive\n\n"
    b'data: {"choices":[{"delta":{"content":"lo \xf0\x9f\xa4\x97"}}]}\n\n'
    b"data: [DONE]\n\n"
)


def content(payload: Any) -> str:
    return str(payload["choices"][0]["delta"]["content"])


@pytest.mark.parametrize("size", [len(CHAT_STREAM), 1, 2, 3, 5, 64])
def test_json_decoder_parses_each_event(size: int) -> None:
    decoder = JSONStreamDecoder(content)
    assert feed_all(decoder, chunks_of(CHAT_STREAM + GARBAGE, size)) == ["Hel", "lo 🤗"]
    assert decoder.finished is True


def test_json_decoder_is_a_stream_decoder() -> None:
    decoder: StreamDecoder[int] = JSONStreamDecoder(int, status=200)
    assert decoder.feed(b"data: 41\n\ndata: 42\n") == [41]
    assert decoder.finished is False
    assert decoder.feed(b"") == [42]
    assert decoder.finished is True


def test_json_decoder_validation_error_mid_stream() -> None:
    decoder = JSONStreamDecoder(content)
    assert decoder.feed(b'data: {"choices":[{"delta":{"content":"a"}}]}\n\n') == ["a"]
    assert decoder.feed(b'data: {"choices":[{"delta":{"content":"b"}}]}\n\n') == ["b"]
    error = (
        b'data: {"error": "Input validation error: `top_p` must be > 0",'
        b' "error_type": "validation"}\n\n'
    )
    with pytest.raises(ValidationError) as info:
        decoder.feed(error)
    assert str(info.value) == "Input validation error: `top_p` must be > 0"
    assert info.value.server_message == "Input validation error: `top_p` must be > 0"
    assert info.value.status is None
    assert info.value.response is None
    assert isinstance(info.value, ProviderError)


def test_json_decoder_returns_items_before_an_error_in_the_same_chunk() -> None:
    decoder = JSONStreamDecoder(lambda d: d["n"])
    chunk = (
        b'data: {"n": 1}\n\ndata: {"n": 2}\n\n'
        b'data: {"error": "boom", "error_type": "generation"}\n\n'
    )
    assert decoder.feed(chunk) == [1, 2]
    with pytest.raises(GenerationError, match=r"^boom$"):
        decoder.feed(b"")
    with pytest.raises(GenerationError):  # the decoder stays failed
        decoder.feed(b'data: {"n": 3}\n\n')


@pytest.mark.parametrize(
    ("error_type", "cls"),
    [
        ("validation", ValidationError),
        ("generation", GenerationError),
        ("overloaded", OverloadedError),
        ("incomplete_generation", IncompleteGenerationError),
        ("brand_new", UnknownError),
        (None, UnknownError),
    ],
)
def test_json_decoder_error_types(error_type: str | None, cls: type[TextGenerationError]) -> None:
    payload: dict[str, Any] = {"error": "bad thing"}
    if error_type is not None:
        payload["error_type"] = error_type
    decoder = JSONStreamDecoder(lambda d: d)
    with pytest.raises(TextGenerationError) as info:
        decoder.feed(f"data: {json.dumps(payload)}\n\n".encode())
    assert type(info.value) is cls
    assert str(info.value) == "bad thing"


def test_json_decoder_unknown_error_without_error_type_after_items() -> None:
    decoder = JSONStreamDecoder(lambda d: d["n"])
    assert decoder.feed(b'data: {"n": 1}\n\n') == [1]
    with pytest.raises(UnknownError, match=r"^Model too busy$"):
        decoder.feed(b'data: {"error": "Model too busy"}\n\n')


def test_json_decoder_null_error_is_not_an_error() -> None:
    decoder = JSONStreamDecoder(lambda d: d["n"])
    assert feed_all(decoder, [b'data: {"n": 1, "error": null}\n\n']) == [1]


@pytest.mark.parametrize(
    ("stream", "cls", "message"),
    [
        (b"event: error\ndata: upstream failed\n\n", UnknownError, "upstream failed"),
        (b'event: error\ndata: "quoted failure"\n\n', UnknownError, "quoted failure"),
        (b'event: error\ndata: {"message": "Rate limit"}\n\n', UnknownError, "Rate limit"),
        (
            b'event: error\ndata: {"error": "busy", "error_type": "overloaded"}\n\n',
            OverloadedError,
            "busy",
        ),
        (b'data: {"error": {"message": "Oops", "type": "server"}}\n\n', UnknownError, "Oops"),
    ],
)
def test_json_decoder_error_events(stream: bytes, cls: type[Exception], message: str) -> None:
    decoder = JSONStreamDecoder(lambda d: d)
    assert decoder.feed(b'data: {"n": 0}\n\n') == [{"n": 0}]
    with pytest.raises(cls) as info:
        feed_all(decoder, chunks_of(stream, 1))
    assert str(info.value) == message


def test_json_decoder_invalid_json() -> None:
    decoder = JSONStreamDecoder(lambda d: d)
    assert decoder.feed(b"data: 1\n\n") == [1]
    with pytest.raises(RemoteProtocolError, match=r"not valid JSON: '\{\"partial\": '$"):
        decoder.feed(b'data: {"partial": \n\n')


def test_json_decoder_invalid_json_is_quoted_truncated() -> None:
    decoder = JSONStreamDecoder(lambda d: d)
    with pytest.raises(RemoteProtocolError) as info:
        decoder.feed(b"data: " + b"z" * 5000 + b"\n\n")
    message = str(info.value)
    assert "'" + "z" * 200 + "...'" in message
    assert len(message) < 300


def test_json_decoder_truncated_stream_at_eof() -> None:
    decoder = JSONStreamDecoder(lambda d: d)
    assert decoder.feed(b'data: {"n": 1}\n\ndata: {"n": 2') == [{"n": 1}]
    with pytest.raises(RemoteProtocolError, match="not valid JSON"):
        decoder.feed(b"")
