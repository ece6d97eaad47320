"""The two drivers, the only code that steps plans: :func:`run` (blocking) and :func:`arun` (async).

Strategy: a driver answers each yielded :class:`Request` with the transport's :class:`Response`
and each :class:`Sleep` with the given sleep function, until the plan returns. A transport error
is thrown *into* the plan, so a plan may catch it (retry) or let it propagate. ``plan.close()``
always runs, so a plan's ``finally`` blocks run on cancellation too. The drivers do no I/O of
their own: the transport and the sleep function are handed in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from ._boundary import Request, Response
from ._errors import TransportError
from ._plan import Effect, Plan
from ._transport import AsyncTransport, SyncTransport

__all__ = ["arun", "run"]

T = TypeVar("T")


def run(plan: Plan[T], transport: SyncTransport, sleep: Callable[[float], None]) -> T:
    """Drive ``plan`` to completion with a blocking transport; return its result."""
    try:
        effect: Effect = next(plan)
        while True:
            if type(effect) is Request:
                try:
                    response: Response | None = transport.send(effect)
                except TransportError as exc:
                    effect = plan.throw(exc)
                    continue
            else:
                sleep(effect.seconds)  # type: ignore[union-attr]
                response = None
            effect = plan.send(response)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        plan.close()


async def arun(
    plan: Plan[T], transport: AsyncTransport, sleep: Callable[[float], Awaitable[None]]
) -> T:
    """Drive ``plan`` to completion with an async transport; return its result."""
    try:
        effect: Effect = next(plan)
        while True:
            if type(effect) is Request:
                try:
                    response: Response | None = await transport.send(effect)
                except TransportError as exc:
                    effect = plan.throw(exc)
                    continue
            else:
                await sleep(effect.seconds)  # type: ignore[union-attr]
                response = None
            effect = plan.send(response)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        plan.close()
