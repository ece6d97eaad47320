"""The two drivers, the only code that steps plans: :func:`run` (blocking) and :func:`arun` (async).

Strategy: a driver answers each yielded :class:`Request` with the transport's :class:`Response`,
each :class:`Sleep` by calling ``sleep`` and each :class:`Load` with the bytes ``load`` returns,
until the plan returns. A transport error raised by any effect is thrown *into* the plan, so a
plan may catch it (retry) or let it propagate. ``plan.close()`` always runs, so a plan's
``finally`` blocks run on cancellation too. The drivers do no I/O of their own: the transport,
``sleep`` and ``load`` are handed in by the client.

Streams: an :class:`Open` enters ``transport.stream(request)`` and answers with the head; the
driver holds that *pending* stream for exactly one step. A :class:`ReadBody` reads and releases
it; a returned :class:`Streamed` turns it into the :class:`Stream` (or :class:`AsyncStream`) the
driver returns instead; anything else (another effect, an exception, another result,
cancellation) releases it first. So every stream is released exactly once, and the plan sees
every response a plain call would: redirects and error bodies included.

Deadline: given ``deadline`` (an instant on ``clock``, the client's ``time.monotonic``), a
driver stamps it on each request, lowers the request's timeout to the time left, and throws
:class:`InferenceTimeoutError` into the plan instead of starting a request or a wait that
cannot finish in time; transports check it between body chunks. The plan's own code never
reads a clock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any, TypeVar, overload

from ._boundary import (
    Completed,
    Load,
    Open,
    ReadBody,
    Request,
    Response,
    Sleep,
    Streamed,
    Timeout,
)
from ._errors import InferenceTimeoutError, TransportError
from ._plan import Effect, Plan, Reply
from ._streams import AsyncStream, Stream, aread_body, read_body
from ._transport import AsyncStreamResponse, AsyncTransport, StreamResponse, SyncTransport

__all__ = ["arun", "run"]

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")


@overload
def run(
    plan: Plan[Streamed[S]],
    transport: SyncTransport,
    sleep: Callable[[float], None],
    load: Callable[[Any], bytes],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> Stream[S]: ...
@overload
def run(
    plan: Plan[Completed[R] | Streamed[S]],
    transport: SyncTransport,
    sleep: Callable[[float], None],
    load: Callable[[Any], bytes],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> Completed[R] | Stream[S]: ...
@overload
def run(
    plan: Plan[T],
    transport: SyncTransport,
    sleep: Callable[[float], None],
    load: Callable[[Any], bytes],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> T: ...
def run(
    plan: Plan[Any],
    transport: SyncTransport,
    sleep: Callable[[float], None],
    load: Callable[[Any], bytes],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> Any:
    """Drive ``plan`` to completion with a blocking transport; return its result (a
    :class:`Stream` over the opened stream when it returns a :class:`Streamed`)."""
    pending: tuple[AbstractContextManager[StreamResponse], StreamResponse] | None = None
    try:
        effect: Effect = next(plan)
        while True:
            if pending is not None and type(effect) is not ReadBody:
                (manager, _), pending = pending, None
                manager.__exit__(None, None, None)
            reply: Reply
            try:
                if type(effect) is Request:
                    if deadline is not None:
                        effect = _bounded(effect, deadline, clock)
                    reply = transport.send(effect)
                elif type(effect) is Sleep:
                    if deadline is not None:
                        _check_wait(effect.seconds, deadline, clock)
                    sleep(effect.seconds)
                    reply = None
                elif type(effect) is Load:
                    reply = load(effect.source)
                elif type(effect) is Open:
                    request = effect.request
                    if deadline is not None:
                        request = _bounded(request, deadline, clock, stream=True)
                    manager = transport.stream(request)
                    opened = manager.__enter__()
                    pending = manager, opened
                    reply = Response(opened.status, opened.headers)
                else:
                    assert pending is not None, "ReadBody without an Open before it"
                    (manager, opened), pending = pending, None
                    reply = read_body(manager, opened, effect.limit)  # type: ignore[union-attr]
            except TransportError as exc:
                effect = plan.throw(exc)
                continue
            effect = plan.send(reply)
    except StopIteration as stop:
        if type(stop.value) is not Streamed:
            return stop.value
        assert pending is not None, "a plan returns Streamed from open_stream()"
        decoder = stop.value.decoder()
        (manager, opened), pending = pending, None
        return Stream(manager, opened, decoder)
    finally:
        if pending is not None:
            pending[0].__exit__(None, None, None)
        plan.close()


@overload
async def arun(
    plan: Plan[Streamed[S]],
    transport: AsyncTransport,
    sleep: Callable[[float], Awaitable[None]],
    load: Callable[[Any], Awaitable[bytes]],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> AsyncStream[S]: ...
@overload
async def arun(
    plan: Plan[Completed[R] | Streamed[S]],
    transport: AsyncTransport,
    sleep: Callable[[float], Awaitable[None]],
    load: Callable[[Any], Awaitable[bytes]],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> Completed[R] | AsyncStream[S]: ...
@overload
async def arun(
    plan: Plan[T],
    transport: AsyncTransport,
    sleep: Callable[[float], Awaitable[None]],
    load: Callable[[Any], Awaitable[bytes]],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> T: ...
async def arun(
    plan: Plan[Any],
    transport: AsyncTransport,
    sleep: Callable[[float], Awaitable[None]],
    load: Callable[[Any], Awaitable[bytes]],
    deadline: float | None = None,
    clock: Callable[[], float] | None = None,
) -> Any:
    """Drive ``plan`` to completion with an async transport; the twin of :func:`run`."""
    pending: tuple[AbstractAsyncContextManager[AsyncStreamResponse], AsyncStreamResponse] | None
    pending = None
    try:
        effect: Effect = next(plan)
        while True:
            if pending is not None and type(effect) is not ReadBody:
                (manager, _), pending = pending, None
                await manager.__aexit__(None, None, None)
            reply: Reply
            try:
                if type(effect) is Request:
                    if deadline is not None:
                        effect = _bounded(effect, deadline, clock)
                    reply = await transport.send(effect)
                elif type(effect) is Sleep:
                    if deadline is not None:
                        _check_wait(effect.seconds, deadline, clock)
                    await sleep(effect.seconds)
                    reply = None
                elif type(effect) is Load:
                    reply = await load(effect.source)
                elif type(effect) is Open:
                    request = effect.request
                    if deadline is not None:
                        request = _bounded(request, deadline, clock, stream=True)
                    manager = transport.stream(request)
                    opened = await manager.__aenter__()
                    pending = manager, opened
                    reply = Response(opened.status, opened.headers)
                else:
                    assert pending is not None, "ReadBody without an Open before it"
                    (manager, opened), pending = pending, None
                    reply = await aread_body(manager, opened, effect.limit)  # type: ignore[union-attr]
            except TransportError as exc:
                effect = plan.throw(exc)
                continue
            effect = plan.send(reply)
    except StopIteration as stop:
        if type(stop.value) is not Streamed:
            return stop.value
        assert pending is not None, "a plan returns Streamed from open_stream()"
        decoder = stop.value.decoder()
        (manager, opened), pending = pending, None
        return AsyncStream(manager, opened, decoder)
    finally:
        if pending is not None:
            await pending[0].__aexit__(None, None, None)
        plan.close()


def _bounded(
    request: Request, deadline: float, clock: Callable[[], float] | None, *, stream: bool = False
) -> Request:
    """``request`` stamped with the call's ``deadline``, its timeout lowered to the time left
    (not for a stream: the deadline ends at its head, which transports bound themselves, and
    its later reads keep the idle ``timeout``); InferenceTimeoutError (thrown into the plan like
    any transport error) once no time is left."""
    assert clock is not None, "a deadline needs a clock"
    left = deadline - clock()
    if left <= 0:
        raise InferenceTimeoutError(
            f"the call's deadline passed before {request.method} {request.url} could be sent"
        )
    timeout = request.timeout
    if not stream:
        timeout = _clipped(timeout, left)
    return Request(
        request.method, request.url, request.headers, request.body, timeout, deadline,
        request.max_bytes,
    )  # fmt: skip


def _clipped(timeout: float | Timeout | None, left: float) -> float | Timeout:
    if isinstance(timeout, Timeout):
        connect, read, write, pool = (
            left if phase is None or phase > left else phase for phase in timeout.phases()
        )
        return Timeout(connect, read, write, pool, timeout.total)
    return left if timeout is None or timeout > left else timeout


def _check_wait(seconds: float, deadline: float, clock: Callable[[], float] | None) -> None:
    """A wait that would end past the deadline fails now rather than after sleeping."""
    assert clock is not None, "a deadline needs a clock"
    if clock() + seconds > deadline:
        raise InferenceTimeoutError(
            f"the call's deadline leaves no time for a {seconds:.1f}s wait (polling or retry)"
        )
