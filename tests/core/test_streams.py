"""Stream and AsyncStream: eager error status, lazy decoding, release exactly once."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

import pytest

from inference_core import (
    AsyncStream,
    HTTPStatusError,
    JSONStreamDecoder,
    Request,
    Stream,
    Streamed,
    ValidationError,
)
from inference_core._streams import aopen_stream, open_stream
from inference_core._transport import AsyncStreamResponse, StreamResponse

REQUEST = Request("POST", "http://h/v1/chat/completions", (), b"{}")
EVENTS = [b'data: {"n": 1}\n\n', b'data: {"n"', b": 2}\n\ndata: [DONE]\n\n", b"0\r\n"]


class ScriptedTransport:
    """Streams fixed chunks; counts how often each stream was released."""

    def __init__(self, chunks: list[bytes], status: int = 200) -> None:
        self.chunks, self.status = chunks, status
        self.released = 0
        self.read = 0

    def _iterate(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.read += 1
            yield chunk

    @contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        try:
            yield StreamResponse(self.status, (), self._iterate())
        finally:
            self.released += 1

    @asynccontextmanager
    async def astream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        async def chunks() -> AsyncIterator[bytes]:
            for chunk in self._iterate():
                yield chunk

        iterator = chunks()
        try:
            yield AsyncStreamResponse(self.status, (), iterator)
        finally:
            await iterator.aclose()
            self.released += 1


class AsyncView:
    def __init__(self, transport: ScriptedTransport) -> None:
        self.stream = transport.astream


def streamed() -> Streamed[int]:
    return Streamed(REQUEST, lambda: JSONStreamDecoder(lambda d: int(d["n"])))


def test_items_then_release_once_after_done_and_trailing_bytes_drained() -> None:
    transport = ScriptedTransport(EVENTS)
    stream = open_stream(transport, streamed())  # type: ignore[arg-type]
    assert isinstance(stream, Stream)
    assert transport.read == 0  # decoding is lazy
    assert list(stream) == [1, 2]
    assert transport.read == len(EVENTS)  # bytes after [DONE] drained: the connection is reusable
    stream.close()
    assert transport.released == 1


def test_early_close_and_context_manager_release_once() -> None:
    transport = ScriptedTransport(EVENTS)
    with open_stream(transport, streamed()) as stream:  # type: ignore[arg-type]
        assert next(stream) == 1
    assert transport.released == 1
    stream.close()
    assert transport.released == 1
    assert list(stream) == []


def test_error_status_raises_at_open_and_releases() -> None:
    body = json.dumps({"error": "bad", "error_type": "validation"}).encode()
    transport = ScriptedTransport([body], status=422)
    with pytest.raises(ValidationError, match="bad"):
        open_stream(transport, streamed())  # type: ignore[arg-type]
    assert transport.released == 1
    transport = ScriptedTransport([b"upstream down"], status=502)
    with pytest.raises(HTTPStatusError, match="502"):
        open_stream(transport, streamed())  # type: ignore[arg-type]


def test_error_event_mid_stream_releases() -> None:
    error = b'data: {"error": "boom", "error_type": "validation"}\n\n'
    transport = ScriptedTransport([EVENTS[0], error, b"data: never\n\n"])
    stream = open_stream(transport, streamed())  # type: ignore[arg-type]
    assert next(stream) == 1
    with pytest.raises(ValidationError):
        next(stream)
    assert transport.released == 1


@pytest.mark.anyio
async def test_async_stream_items_release_and_error_status() -> None:
    transport = ScriptedTransport(EVENTS)
    stream = await aopen_stream(AsyncView(transport), streamed())  # type: ignore[arg-type]
    assert isinstance(stream, AsyncStream)
    assert [item async for item in stream] == [1, 2]
    assert transport.released == 1
    await stream.aclose()
    assert transport.released == 1
    transport = ScriptedTransport(EVENTS)
    async with await aopen_stream(AsyncView(transport), streamed()) as stream:  # type: ignore[arg-type]
        assert await stream.__anext__() == 1
    assert transport.released == 1
    transport = ScriptedTransport([b"nope"], status=500)
    with pytest.raises(HTTPStatusError):
        await aopen_stream(AsyncView(transport), streamed())  # type: ignore[arg-type]
    assert transport.released == 1
