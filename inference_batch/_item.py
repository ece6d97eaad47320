"""One item of a batch: wait for the rate limits, call the task method, settle, record.

Strategy: this is the per-item logic, written once and shared by the local runner
(``_runner.py``) and the Ray recipe (``ray.py``). :func:`run_item` never raises for a failed
call: the error becomes the :class:`ItemResult`'s ``error`` (only cancellation and
``BaseException``\\ s that are not ``Exception``\\ s propagate).

Retries and 429s: a client built with the limiter's ``on_retry`` hook tells the limiter of each
retry as it happens (the batch pauses on a 429 at once). A client built without it (the
caller's own) is called through its ``with_raw_response`` view, which tells after the call how
many retries its policy made and whether any was a 429 (the batch pauses then). A final 429
pauses the batch for the response's ``Retry-After`` either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from inference_core import HTTPStatusError, RawResponse

from ._inputs import Item, estimate_tokens
from ._limiter import RateLimiter
from ._sink import result_line

__all__ = ["ItemResult", "run_item", "used_tokens"]


@attrs.define(slots=True)
class ItemResult:
    """The outcome of one input: its output or its error, retries made, tokens charged."""

    id: str | int
    index: int
    output: Any = None
    error: BaseException | None = None
    retries: int = 0
    tokens: int = 0

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.error is None

    def line(self) -> str:
        """The output line: ``{"id", "output"}`` or ``{"id", "error": {"type", "message"}}``."""
        return result_line(self.id, self.output, self.error)


def used_tokens(output: Any) -> int | None:
    """``usage.total_tokens`` of a chat or text output that reports it, else None."""
    if isinstance(output, dict):  # every output type is a dict subclass
        usage = output.get("usage")
        if isinstance(usage, dict):
            total = usage.get("total_tokens")
            if type(total) is int:
                return total
    return None


def _retry_after(error: HTTPStatusError) -> float | None:
    response = error.raw_response
    value = None if response is None else response.header("retry-after")
    try:
        return None if value is None else max(0.0, float(value))
    except ValueError:
        return None


async def run_item(
    method: Any,
    item: Item,
    params: Mapping[str, Any],
    limiter: RateLimiter,
    call_options: Mapping[str, Any],
    *,
    raw: bool = True,
) -> ItemResult:
    """Run ``item`` through ``method``, a method of the async client's ``with_raw_response``
    view (``raw``), or of a client built with ``on_retry=limiter.on_retry`` (``raw=False``:
    the hook sees the retries, so the cheaper plain call is enough).

    ``params`` are keyword arguments for every call (an item's own arguments win);
    ``call_options`` the per-call options (``max_retries``, ``deadline``).
    """
    if item.problem is not None:
        return ItemResult(item.id, item.index, error=ValueError(item.problem))
    arguments = item.arguments
    if params or call_options:
        arguments = {**params, **arguments, **call_options}
    estimate = estimate_tokens(item.arguments, params) if limiter.limits_tokens else 0
    if limiter.acquire(estimate, limiter.clock()) > 0:  # limited, or paused by a 429
        await limiter.wait(estimate)
    try:
        answer = await method(**arguments)
    except Exception as exc:
        if isinstance(exc, HTTPStatusError) and exc.status == 429:
            limiter.throttle(_retry_after(exc))
        limiter.correct(estimate, 0, limiter.clock())  # refused or failed: nothing generated
        return ItemResult(item.id, item.index, error=exc)
    retries = 0
    if raw:
        response: RawResponse[Any] = answer
        output = response.parse()
        retries = response.retries_taken
        if retries and not limiter.hooked:  # the client does not tell the limiter: catch up
            for event in response.retries:
                if event.response is not None and event.response.status == 429:
                    limiter.throttle(event.delay)
    else:
        output = answer
    actual = used_tokens(output)
    tokens = estimate if actual is None else actual
    limiter.correct(estimate, tokens, limiter.clock())
    return ItemResult(item.id, item.index, output, None, retries, tokens)
