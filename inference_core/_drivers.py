"""The two drivers, the only code that steps plans: :func:`run` (blocking) and :func:`arun` (async).

Strategy: a driver answers each yielded :class:`Request` with the transport's :class:`Response`,
each :class:`Sleep` by calling ``sleep`` and each :class:`Load` with the bytes ``load`` returns,
until the plan returns. A transport error is thrown *into* the plan, so a plan may catch it
(retry) or let it propagate. ``plan.close()`` always runs, so a plan's ``finally`` blocks run on
cancellation too. The drivers do no I/O of their own: the transport, ``sleep`` and ``load`` are
handed in by the client.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ._boundary import Request, Sleep
from ._errors import TransportError
from ._plan import Effect, Plan, Reply
from ._transport import AsyncTransport, SyncTransport

__all__ = ["arun", "run"]

T = TypeVar("T")


def run(
    plan: Plan[T],
    transport: SyncTransport,
    sleep: Callable[[float], None],
    load: Callable[[Any], bytes],
) -> T:
    """Drive ``plan`` to completion with a blocking transport; return its result."""
    try:
        effect: Effect = next(plan)
        while True:
            reply: Reply
            if type(effect) is Request:
                try:
                    reply = transport.send(effect)
                except TransportError as exc:
                    effect = plan.throw(exc)
                    continue
            elif type(effect) is Sleep:
                sleep(effect.seconds)
                reply = None
            else:
                reply = load(effect.source)  # type: ignore[union-attr]
            effect = plan.send(reply)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        plan.close()


async def arun(
    plan: Plan[T],
    transport: AsyncTransport,
    sleep: Callable[[float], Awaitable[None]],
    load: Callable[[Any], Awaitable[bytes]],
) -> T:
    """Drive ``plan`` to completion with an async transport; return its result."""
    try:
        effect: Effect = next(plan)
        while True:
            reply: Reply
            if type(effect) is Request:
                try:
                    reply = await transport.send(effect)
                except TransportError as exc:
                    effect = plan.throw(exc)
                    continue
            elif type(effect) is Sleep:
                await sleep(effect.seconds)
                reply = None
            else:
                reply = await load(effect.source)  # type: ignore[union-attr]
            effect = plan.send(reply)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        plan.close()
