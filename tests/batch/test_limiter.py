"""The rate limiter, proved on a fake clock: token buckets, corrections, 429 pauses."""

from __future__ import annotations

import pytest

from inference_batch import RateLimiter, TokenBucket
from inference_core import Request, Response, RetryEvent


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run_calls(limiter: RateLimiter, clock: FakeClock, calls: int, tokens: int) -> list[float]:
    """Start ``calls`` calls as soon as the limiter allows; return each start time."""
    starts = []
    for _ in range(calls):
        while (wait := limiter.acquire(tokens, clock.now)) > 0:
            clock.now += wait
        starts.append(clock.now)
    return starts


def test_bucket_starts_full_then_refills_at_its_rate() -> None:
    bucket = TokenBucket(10, 2.0, now=0.0)
    assert bucket.take(10, 0.0) == 0.0
    assert bucket.take(1, 0.0) == pytest.approx(0.5)
    assert bucket.take(4, 1.0) == pytest.approx(1.0)  # 2 refilled, 2 short
    assert bucket.take(4, 2.0) == 0.0
    assert bucket.level(100.0) == 10  # never above capacity


def test_bucket_rejects_nonpositive_settings() -> None:
    with pytest.raises(ValueError):
        TokenBucket(0, 1.0, now=0.0)


def test_rpm_is_a_steady_rate_by_default() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rpm=60, clock=clock)
    starts = run_calls(limiter, clock, 120, tokens=1)
    assert starts == pytest.approx([1000.0 + i for i in range(120)])
    for i, start in enumerate(starts):  # any minute holds at most rpm + the burst
        assert sum(1 for s in starts[i:] if s < start + 60) <= 61


def test_rpm_with_a_burst_allows_the_burst_then_the_steady_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rpm=60, burst=30, clock=clock)
    starts = run_calls(limiter, clock, 90, tokens=1)
    assert starts[:30] == [1000.0] * 30
    assert starts[30:] == pytest.approx([1001.0 + i for i in range(60)])
    for i, start in enumerate(starts):
        assert sum(1 for s in starts[i:] if s < start + 60) <= 60 + 30


def test_tpm_limits_tokens_and_lets_an_oversized_call_through_when_full() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tpm=600, burst=30, clock=clock)  # 10 tokens/s, capacity 300
    starts = run_calls(limiter, clock, 4, tokens=300)
    assert starts == pytest.approx([1000.0, 1030.0, 1060.0, 1090.0])
    assert limiter.acquire(5000, clock.now) > 0  # bigger than capacity: waits for a full bucket
    clock.now += 30
    assert limiter.acquire(5000, clock.now) == 0.0
    assert limiter.acquire(1, clock.now) == pytest.approx(470.1)  # then pays for the excess


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        RateLimiter(rpm=10, burst=0)


def test_a_call_waits_for_both_buckets_and_takes_nothing_while_waiting() -> None:
    clock = FakeClock()
    limiter = RateLimiter(rpm=2, tpm=100, burst=60, clock=clock)
    assert limiter.acquire(100, clock.now) == 0.0
    wait = limiter.acquire(50, clock.now)  # the request is there, the tokens are not
    assert wait == pytest.approx(30.0)
    clock.now += wait
    assert limiter.acquire(50, clock.now) == 0.0  # the request slot was not lost meanwhile


def test_correction_settles_the_estimate_with_the_usage() -> None:
    clock = FakeClock()
    limiter = RateLimiter(tpm=60, burst=60, clock=clock)  # 1 token/s, capacity 60
    assert limiter.acquire(10, clock.now) == 0.0
    limiter.correct(10, 70, clock.now)  # used 60 more than estimated: the bucket is at -10
    assert limiter.acquire(1, clock.now) == pytest.approx(11.0)
    limiter.correct(10, 0, clock.now)  # a refund
    assert limiter.acquire(1, clock.now) == pytest.approx(1.0)
    assert limiter.tokens_used == 70


def test_a_429_seen_by_the_hook_pauses_every_call() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)
    assert not limiter.limited
    request = Request("POST", "http://x/v1/chat/completions")
    limiter.on_retry(RetryEvent(1, request, Response(429, (("retry-after", "7"),)), None, 7.0))
    assert limiter.acquire(1, clock.now) == pytest.approx(7.0)
    clock.now += 7
    assert limiter.acquire(1, clock.now) == 0.0
    limiter.on_retry(RetryEvent(1, request, Response(503), None, 2.0))  # not a 429: no pause
    assert limiter.acquire(1, clock.now) == 0.0
    assert (limiter.retries, limiter.throttled, limiter.hooked) == (2, 1, True)


def test_pauses_only_extend() -> None:
    clock = FakeClock()
    limiter = RateLimiter(clock=clock)
    limiter.pause(10, clock.now)
    limiter.pause(2, clock.now)
    assert limiter.acquire(1, clock.now) == pytest.approx(10.0)


@pytest.mark.anyio
async def test_wait_sleeps_exactly_until_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    import anyio

    clock = FakeClock()
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    monkeypatch.setattr(anyio, "sleep", fake_sleep)
    limiter = RateLimiter(rpm=60, clock=clock)
    for _ in range(3):
        await limiter.wait(1)
    assert slept == pytest.approx([1.0, 1.0])
    assert clock.now == pytest.approx(1002.0)
