"""Requests-per-minute and tokens-per-minute limits: pure token buckets on an injectable clock.

Strategy: a :class:`TokenBucket` holds at most ``capacity`` units and refills at ``rate``
units per second; ``take(amount, now)`` either takes the units and returns 0, or takes nothing
and returns how many seconds to wait before trying again. A :class:`RateLimiter` combines two
buckets (one request per call, the call's estimated tokens) with a pause that a 429 imposes:
``acquire(tokens, now)`` succeeds only when neither bucket is short and no pause is running,
so a call never holds a request slot while it waits for tokens.

Nothing here reads a clock or sleeps: every method takes ``now`` (the caller's clock, seconds),
which is how the tests prove the limits with a fake clock. :meth:`RateLimiter.wait` is the one
async helper; it reads the limiter's ``clock`` and sleeps with ``anyio.sleep``.

Tokens are an estimate before the call (the input's characters / 4, plus the call's
``max_tokens`` if given) and are corrected after it from the output's ``usage``
(:meth:`RateLimiter.correct`): the bucket may go negative, which delays the next calls by
exactly the amount overspent. A single call larger than the token capacity is let through once
the bucket is full (otherwise it could never run).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from inference_core import RetryEvent

__all__ = ["RateLimiter", "TokenBucket"]


class TokenBucket:
    """``capacity`` units, refilled continuously at ``rate`` units per second; starts full."""

    __slots__ = ("_level", "_updated", "capacity", "rate")

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        if capacity <= 0 or rate <= 0:
            raise ValueError(f"capacity and rate must be positive, got {capacity} and {rate}")
        self.capacity = float(capacity)
        self.rate = float(rate)
        self._level = float(capacity)
        self._updated = now

    def level(self, now: float) -> float:
        """Units available at ``now`` (negative after an overspend)."""
        if now > self._updated:
            self._level = min(self.capacity, self._level + (now - self._updated) * self.rate)
            self._updated = now
        return self._level

    def shortfall(self, amount: float, now: float) -> float:
        """Seconds until ``amount`` units are available (0 if they are now)."""
        needed = min(amount, self.capacity) - self.level(now)
        return 0.0 if needed <= 0 else needed / self.rate

    def take(self, amount: float, now: float) -> float:
        """Take ``amount`` units and return 0, or take nothing and return the seconds to wait."""
        wait = self.shortfall(amount, now)
        if wait == 0.0:
            self._level -= amount
        return wait

    def give(self, amount: float, now: float) -> None:
        """Return ``amount`` units (negative: take more), never above capacity."""
        self._level = min(self.capacity, self.level(now) + amount)


class RateLimiter:
    """Requests per minute, tokens per minute, and a pause after a 429, for one batch.

    Args:
        rpm: requests allowed per minute (None: no limit).
        tpm: tokens allowed per minute (None: no limit).
        burst: seconds' worth of either rate that may be spent at once (the buckets'
            capacity; at least one request). Any window of ``w`` seconds then holds at most
            ``rate * (w + burst)``: with the default 1 s, a minute holds ``rpm * 61 / 60``.
        clock: seconds, monotonic; ``time.monotonic`` by default (tests pass a fake one).

    Pass :meth:`on_retry` to the client (``AsyncInferenceClient(..., on_retry=limiter.on_retry)``)
    so that a 429 the client retries pauses every call of the batch for its ``Retry-After``,
    not only the one that got it. Counters: ``retries`` (retries the hook saw), ``throttled``
    (429s seen), ``tokens_used`` (tokens charged after correction).
    """

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        burst: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if burst <= 0:
            raise ValueError(f"burst must be positive, got {burst}")
        self.clock = clock
        now = clock()
        self._requests = None
        if rpm is not None:
            self._requests = TokenBucket(max(1.0, rpm * burst / 60), rpm / 60.0, now)
        self._tokens = None
        if tpm is not None:
            self._tokens = TokenBucket(tpm * burst / 60, tpm / 60.0, now)
        self._paused_until = now
        self.retries = 0
        self.throttled = 0
        self.tokens_used = 0
        self.hooked = False

    @property
    def limited(self) -> bool:
        """True when an rpm or tpm limit is set."""
        return self._requests is not None or self._tokens is not None

    @property
    def limits_tokens(self) -> bool:
        """True when a tpm limit is set (calls then need a token estimate)."""
        return self._tokens is not None

    def acquire(self, tokens: int, now: float) -> float:
        """Take one request and ``tokens`` tokens and return 0, or take nothing and return the
        seconds to wait before asking again."""
        wait = self._paused_until - now
        if wait > 0:
            return wait
        requests, bucket = self._requests, self._tokens
        wait = 0.0 if requests is None else requests.shortfall(1, now)
        if bucket is not None:
            wait = max(wait, bucket.shortfall(tokens, now))
        if wait > 0:
            return wait
        if requests is not None:
            requests.take(1, now)
        if bucket is not None:
            bucket.take(tokens, now)
        return 0.0

    def correct(self, estimated: int, actual: int, now: float) -> None:
        """A call estimated at ``estimated`` tokens used ``actual``: settle the difference."""
        self.tokens_used += actual
        if self._tokens is not None and actual != estimated:
            self._tokens.give(estimated - actual, now)

    def pause(self, seconds: float, now: float) -> None:
        """Start no call for ``seconds`` from ``now`` (a 429's ``Retry-After``)."""
        self._paused_until = max(self._paused_until, now + seconds)

    def throttle(self, retry_after: float | None) -> None:
        """A 429 was seen: count it, and pause for its ``Retry-After`` (seconds), if any."""
        self.throttled += 1
        if retry_after:
            self.pause(retry_after, self.clock())

    def on_retry(self, event: RetryEvent) -> None:
        """The client's ``on_retry`` hook: count the retry; pause the batch on a 429."""
        self.hooked = True
        self.retries += 1
        response = event.response
        if response is not None and response.status == 429:
            self.throttle(event.delay)

    async def wait(self, tokens: int) -> None:
        """Wait (``anyio.sleep``) until a call of ``tokens`` tokens may start, and start it."""
        import anyio

        while True:
            delay = self.acquire(tokens, self.clock())
            if delay <= 0:
                return
            await anyio.sleep(delay)
