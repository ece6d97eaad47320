"""Stream and AsyncStream, opened by a plan's ``open_stream`` step and run by the drivers:
eager error status, lazy decoding, release exactly once."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest

from inference_core import (
    AsyncStream,
    HTTPStatusError,
    JSONStreamDecoder,
    Request,
    Stream,
    ValidationError,
    arun,
    run,
)
from inference_core._plan import open_stream as open_stream_plan
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
        async def chunks() -> AsyncGenerator[bytes, None]:
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


def decoder() -> JSONStreamDecoder[int]:
    return JSONStreamDecoder(lambda d: int(d["n"]))


def open_stream(transport: ScriptedTransport) -> Stream[int]:
    """Run the ``open_stream`` plan step with the blocking driver."""
    return run(open_stream_plan(REQUEST, decoder), transport, _no_sleep, _no_load)  # type: ignore[call-overload, no-any-return]


async def aopen_stream(view: AsyncView) -> AsyncStream[int]:
    """Run the ``open_stream`` plan step with the async driver."""
    return await arun(open_stream_plan(REQUEST, decoder), view, _ano_sleep, _ano_load)  # type: ignore[call-overload, no-any-return]


def _no_sleep(seconds: float) -> None:
    raise AssertionError("no sleep expected")


def _no_load(source: Any) -> bytes:
    raise AssertionError("no load expected")


async def _ano_sleep(seconds: float) -> None:
    raise AssertionError("no sleep expected")


async def _ano_load(source: Any) -> bytes:
    raise AssertionError("no load expected")


def test_items_then_release_once_after_done_and_trailing_bytes_drained() -> None:
    transport = ScriptedTransport(EVENTS)
    stream = open_stream(transport)
    assert isinstance(stream, Stream)
    assert transport.read == 0  # decoding is lazy
    assert list(stream) == [1, 2]
    assert transport.read == len(EVENTS)  # bytes after [DONE] drained: the connection is reusable
    stream.close()
    assert transport.released == 1


def test_early_close_and_context_manager_release_once() -> None:
    transport = ScriptedTransport(EVENTS)
    with open_stream(transport) as stream:
        assert next(stream) == 1
    assert transport.released == 1
    stream.close()
    assert transport.released == 1
    assert list(stream) == []


def test_error_status_raises_at_open_and_releases() -> None:
    body = json.dumps({"error": "bad", "error_type": "validation"}).encode()
    transport = ScriptedTransport([body], status=422)
    with pytest.raises(ValidationError, match="bad"):
        open_stream(transport)
    assert transport.released == 1
    transport = ScriptedTransport([b"upstream down"], status=502)
    with pytest.raises(HTTPStatusError, match="502"):
        open_stream(transport)


def test_error_event_mid_stream_releases() -> None:
    error = b'data: {"error": "boom", "error_type": "validation"}\n\n'
    transport = ScriptedTransport([EVENTS[0], error, b"data: never\n\n"])
    stream = open_stream(transport)
    assert next(stream) == 1
    with pytest.raises(ValidationError):
        next(stream)
    assert transport.released == 1


@pytest.mark.anyio
async def test_async_stream_items_release_and_error_status() -> None:
    transport = ScriptedTransport(EVENTS)
    stream = await aopen_stream(AsyncView(transport))
    assert isinstance(stream, AsyncStream)
    assert [item async for item in stream] == [1, 2]
    assert transport.released == 1
    await stream.aclose()
    assert transport.released == 1
    transport = ScriptedTransport(EVENTS)
    async with await aopen_stream(AsyncView(transport)) as stream:
        assert await stream.__anext__() == 1
    assert transport.released == 1
    transport = ScriptedTransport([b"nope"], status=500)
    with pytest.raises(HTTPStatusError):
        await aopen_stream(AsyncView(transport))
    assert transport.released == 1
