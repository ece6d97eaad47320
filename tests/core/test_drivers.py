"""The two drivers: every effect answered, transport errors thrown into the plan, plans closed."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import anyio
import pytest

from inference_core import ConnectError, Load, Request, Response, Sleep, arun, run
from inference_core._plan import Effect, Reply

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
    recorder, log = Recorder(fail_first=1), []
    result = run(retrying_plan(log), recorder, recorder.sleep, recorder.load)  # type: ignore[arg-type]
    assert result == (b"loaded", b"ok")
    request = Request("POST", "http://h/", (), b"loaded")
    assert recorder.calls == [("load", "input.bin"), request, ("sleep", 0.5), request]
    assert log == ["closed"]


@pytest.mark.anyio
async def test_arun_is_the_same_loop_with_await() -> None:
    recorder, log = Recorder(fail_first=1), []
    result = await arun(retrying_plan(log), AsyncView(recorder), recorder.asleep, recorder.aload)  # type: ignore[arg-type]
    assert result == (b"loaded", b"ok")
    assert [c if isinstance(c, tuple) else "request" for c in recorder.calls] == [
        ("load", "input.bin"),
        "request",
        ("sleep", 0.5),
        "request",
    ]
    assert log == ["closed"]


def test_an_unhandled_transport_error_propagates_and_closes_the_plan() -> None:
    recorder, log = Recorder(fail_first=2), []
    with pytest.raises(ConnectError):
        run(retrying_plan(log), recorder, recorder.sleep, recorder.load)  # type: ignore[arg-type]
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
        await arun(plan(), AsyncView(recorder), anyio.sleep, recorder.aload)  # type: ignore[arg-type]
    assert log == ["closed"]
