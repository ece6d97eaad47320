"""The two drivers: every effect answered, transport errors thrown into the plan, plans closed,
and a stream held by ``Open`` released exactly once."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import anyio
import anyio.lowlevel
import pytest

from inference_core import (
    AsyncStream,
    ConnectError,
    JSONStreamDecoder,
    Load,
    ReadError,
    Request,
    Response,
    Sleep,
    Stream,
    Streamed,
    arun,
    run,
)
from inference_core._boundary import Open, ReadBody
from inference_core._plan import Effect, Plan, Reply
from inference_core._transport import AsyncStreamResponse, StreamResponse

OK = Response(200, (), b"ok")


class Recorder:
    """A sync/async stand-in for a transport, a sleep and a loader, recording every call."""

    def __init__(self, fail_first: int = 0) -> None:
        self.calls: list[Any] = []
        self.fail_first = fail_first

    def send(self, request: Request) -> Response:
        self.calls.append(request)
        if self.fail_first:
            self.fail_first -= 1
            raise ConnectError("refused")
        return OK

    def sleep(self, seconds: float) -> None:
        self.calls.append(("sleep", seconds))

    def load(self, source: Any) -> bytes:
        self.calls.append(("load", source))
        return b"loaded"

    async def asend(self, request: Request) -> Response:
        return self.send(request)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)

    async def aload(self, source: Any) -> bytes:
        return self.load(source)


class AsyncView:
    def __init__(self, recorder: Recorder) -> None:
        self.send = recorder.asend


def retrying_plan(log: list[str]) -> Generator[Effect, Reply, tuple[bytes, bytes]]:
    """Loads an input, then sends with one retry after a sleep; records its own cleanup."""
    try:
        data = yield Load("input.bin")
        assert data == b"loaded"
        request = Request("POST", "http://h/", (), data)
        try:
            response = yield request
        except ConnectError:
            yield Sleep(0.5)
            response = yield request
        assert isinstance(response, Response)
        return data, response.body
    finally:
        log.append("closed")


def test_run_answers_each_effect_and_throws_transport_errors_into_the_plan() -> None:
    recorder, log = Recorder(fail_first=1), list[str]()
    result = run(retrying_plan(log), recorder, recorder.sleep, recorder.load)  # type: ignore[call-overload]
    assert result == (b"loaded", b"ok")
    request = Request("POST", "http://h/", (), b"loaded")
    assert recorder.calls == [("load", "input.bin"), request, ("sleep", 0.5), request]
    assert log == ["closed"]


@pytest.mark.anyio
async def test_arun_is_the_same_loop_with_await() -> None:
    recorder, log = Recorder(fail_first=1), list[str]()
    result = await arun(retrying_plan(log), AsyncView(recorder), recorder.asleep, recorder.aload)  # type: ignore[call-overload]
    assert result == (b"loaded", b"ok")
    assert [c if isinstance(c, tuple) else "request" for c in recorder.calls] == [
        ("load", "input.bin"),
        "request",
        ("sleep", 0.5),
        "request",
    ]
    assert log == ["closed"]


def test_an_unhandled_transport_error_propagates_and_closes_the_plan() -> None:
    recorder, log = Recorder(fail_first=2), list[str]()
    with pytest.raises(ConnectError):
        run(retrying_plan(log), recorder, recorder.sleep, recorder.load)  # type: ignore[call-overload]
    assert log == ["closed"]


@pytest.mark.anyio
async def test_cancellation_while_sleeping_closes_the_plan() -> None:
    log: list[str] = []

    def plan() -> Generator[Effect, Reply, None]:
        try:
            yield Sleep(30)
        finally:
            log.append("closed")

    recorder = Recorder()
    with anyio.move_on_after(0.05):
        await arun(plan(), AsyncView(recorder), anyio.sleep, recorder.aload)  # type: ignore[call-overload]
    assert log == ["closed"]


# -- streams: Open holds a pending stream for one step, released exactly once ---------------------

STREAM_REQUEST = Request("POST", "http://h/stream")
SSE_HEADERS = (("content-type", "text/event-stream"),)


class StreamLog:
    """A transport whose ``stream`` logs opens, releases and what else the driver does."""

    def __init__(self, chunks: list[bytes], *, fail: BaseException | None = None) -> None:
        self.chunks, self.fail = chunks, fail
        self.log: list[str] = []

    def _chunks(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.log.append("read")
            yield chunk
        if self.fail is not None:
            raise self.fail

    @contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        self.log.append("open")
        try:
            yield StreamResponse(200, SSE_HEADERS, self._chunks())
        finally:
            self.log.append("release")

    def send(self, request: Request) -> Response:
        self.log.append("send")
        return OK

    def sleep(self, seconds: float) -> None:
        self.log.append("sleep")

    @asynccontextmanager
    async def astream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        async def chunks() -> AsyncGenerator[bytes, None]:
            for chunk in self._chunks():
                await anyio.lowlevel.checkpoint()
                yield chunk

        self.log.append("open")
        iterator = chunks()
        try:
            yield AsyncStreamResponse(200, SSE_HEADERS, iterator)
        finally:
            await iterator.aclose()
            self.log.append("release")

    async def asend(self, request: Request) -> Response:
        return self.send(request)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


class AsyncStreamView:
    def __init__(self, transport: StreamLog) -> None:
        self.stream, self.send = transport.astream, transport.asend


def drive(plan: Plan[Any], transport: StreamLog) -> Any:
    return run(plan, transport, transport.sleep, Recorder().load)  # type: ignore[call-overload]


async def adrive(plan: Plan[Any], transport: StreamLog) -> Any:
    view = AsyncStreamView(transport)
    return await arun(plan, view, transport.asleep, Recorder().aload)  # type: ignore[call-overload]


def decoder() -> JSONStreamDecoder[int]:
    return JSONStreamDecoder(int)


SSE = [b"data: 1\n\n", b"data: 2\n\ndata: [DONE]\n\n"]


def opens_then(then: str) -> Plan[Any]:
    head = yield Open(STREAM_REQUEST)
    assert head == Response(200, SSE_HEADERS, b"")
    if then == "raise":
        raise ValueError("plan failed")
    if then == "request":
        yield Request("GET", "http://h/next")
    elif then == "sleep":
        yield Sleep(1)
    elif then == "open":
        yield Open(STREAM_REQUEST)
    elif then == "read":
        body = yield ReadBody(limit=4)
        return body
    elif then == "stream":
        return Streamed(STREAM_REQUEST, decoder)
    return "done"


@pytest.mark.parametrize(
    ("then", "log"),
    [
        ("raise", ["open", "release"]),
        ("request", ["open", "release", "send"]),
        ("sleep", ["open", "release", "sleep"]),
        ("open", ["open", "release", "open", "release"]),
        ("return", ["open", "release"]),
    ],
)
def test_a_pending_stream_is_released_first_and_once_unless_read_or_returned(
    then: str, log: list[str]
) -> None:
    transport = StreamLog(SSE)
    try:
        drive(opens_then(then), transport)
    except ValueError:
        assert then == "raise"
    assert transport.log == log


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("then", "log"),
    [
        ("raise", ["open", "release"]),
        ("request", ["open", "release", "send"]),
        ("sleep", ["open", "release", "sleep"]),
        ("open", ["open", "release", "open", "release"]),
        ("return", ["open", "release"]),
    ],
)
async def test_arun_releases_a_pending_stream_the_same_way(then: str, log: list[str]) -> None:
    transport = StreamLog(SSE)
    try:
        await adrive(opens_then(then), transport)
    except ValueError:
        assert then == "raise"
    assert transport.log == log


def test_read_body_is_bounded_and_releases() -> None:
    transport = StreamLog([b"ab", b"cd", b"ef", b"never"])
    assert drive(opens_then("read"), transport) == b"abcd"
    assert transport.log == ["open", "read", "read", "release"]


@pytest.mark.anyio
async def test_aread_body_is_bounded_and_releases() -> None:
    transport = StreamLog([b"ab", b"cd", b"ef", b"never"])
    assert await adrive(opens_then("read"), transport) == b"abcd"
    assert transport.log == ["open", "read", "read", "release"]


def test_a_returned_streamed_becomes_a_stream_that_owns_the_connection() -> None:
    transport = StreamLog(SSE)
    stream = drive(opens_then("stream"), transport)
    assert isinstance(stream, Stream)
    assert transport.log == ["open"]  # held, unread: decoding is lazy
    assert list(stream) == [1, 2]
    assert transport.log == ["open", "read", "read", "release"]
    stream.close()
    assert transport.log.count("release") == 1


@pytest.mark.anyio
async def test_arun_returns_an_async_stream() -> None:
    transport = StreamLog(SSE)
    stream = await adrive(opens_then("stream"), transport)
    assert isinstance(stream, AsyncStream)
    assert transport.log == ["open"]
    assert [item async for item in stream] == [1, 2]
    await stream.aclose()
    assert transport.log == ["open", "read", "read", "release"]


def test_errors_while_reading_a_body_are_thrown_into_the_plan_after_release() -> None:
    seen: list[str] = []

    def plan() -> Plan[str]:
        yield Open(STREAM_REQUEST)
        try:
            yield ReadBody()
        except ReadError as exc:
            seen.append(f"caught {exc}")
        return "recovered"

    transport = StreamLog([b"ab"], fail=ReadError("reset"))
    assert drive(plan(), transport) == "recovered"
    assert transport.log == ["open", "read", "release"]
    assert seen == ["caught reset"]
    transport = StreamLog([b"ab"], fail=RuntimeError("bug"))
    with pytest.raises(RuntimeError, match="bug"):
        drive(plan(), transport)
    assert transport.log == ["open", "read", "release"]


def test_a_failed_open_is_thrown_into_the_plan_with_nothing_to_release() -> None:
    class Refusing(StreamLog):
        @contextmanager
        def stream(self, request: Request) -> Iterator[StreamResponse]:
            raise ConnectError("refused")
            yield  # pragma: no cover

    def plan() -> Plan[str]:
        try:
            yield Open(STREAM_REQUEST)
        except ConnectError:
            return "caught"
        return "opened"  # pragma: no cover

    transport = Refusing(SSE)
    assert drive(plan(), transport) == "caught"
    assert transport.log == []


@pytest.mark.anyio
async def test_cancelled_while_reading_a_body_releases_once() -> None:
    class Stalling(StreamLog):
        @asynccontextmanager
        async def astream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
            async def chunks() -> AsyncGenerator[bytes, None]:
                yield b"first"
                await anyio.sleep(30)
                yield b"never"  # pragma: no cover

            self.log.append("open")
            iterator = chunks()
            try:
                yield AsyncStreamResponse(200, (), iterator)
            finally:
                await iterator.aclose()
                self.log.append("release")

    transport, log = Stalling([]), list[str]()

    def plan() -> Plan[bytes]:
        try:
            yield Open(STREAM_REQUEST)
            body = yield ReadBody()
            assert isinstance(body, bytes)
            return body
        finally:
            log.append("closed")

    with anyio.move_on_after(0.05) as scope:
        await adrive(plan(), transport)
    assert scope.cancelled_caught
    assert transport.log == ["open", "release"]
    assert log == ["closed"]
