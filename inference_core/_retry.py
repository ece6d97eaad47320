"""When to retry and how long to wait: pure functions of a request and its outcome.

Rules (docs/reliability.md lists them with the reasons):

* a connection that failed before the request was sent (:class:`ConnectError`: refused,
  unreachable, DNS) is retried whatever the method: the server never saw it;
* 429 and 503 are retried whatever the method: the server said it did not run the request;
* 408, 502, 504 and a lost connection (:class:`ReadError`, :class:`RemoteProtocolError`,
  before or during the answer) are retried only for idempotent methods (GET, HEAD: Hub
  lookups, polls, downloads). A POST may have reached the model, which would run it twice;
* timeouts and oversized responses are never retried.

The wait is the server's advice when it gives one: ``retry-after-ms``, ``Retry-After`` in
seconds or as an HTTP date (measured against the response's own ``Date`` header, so no clock is
read here), or a loading model's ``estimated_time``; advice above ``max_retry_after`` means the
call is not retried (a loading model's estimate is capped instead). Otherwise exponential
backoff with jitter: ``backoff * 2**attempt``, capped at ``max_backoff``, times a random factor
in [0.5, 1).
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import datetime, timezone

import attrs

from ._boundary import Request, Response
from ._errors import ConnectError, ReadError, RemoteProtocolError, TransportError

__all__ = ["DEFAULT_MAX_RETRIES", "RetryRules", "is_retryable_status", "retry_delay"]

DEFAULT_MAX_RETRIES = 2
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_ANY_METHOD = frozenset({429, 503})
_IDEMPOTENT_ONLY = frozenset({408, 502, 504})


@attrs.frozen
class RetryRules:
    """The timing of retries: backoff base and cap, the longest server advice followed, and
    the jitter source (a function returning a float in [0, 1); tests pass a constant)."""

    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    jitter: Callable[[], float] = attrs.field(default=random.random, eq=False)


def is_retryable_status(request: Request, status: int) -> bool:
    """True when a response with ``status`` to ``request`` may be retried."""
    if status in _ANY_METHOD:
        return True
    return status in _IDEMPOTENT_ONLY and request.method in IDEMPOTENT_METHODS


def retry_delay(
    response: Response | None,
    body: bytes | None,
    attempt: int,
    rules: RetryRules,
    *,
    error: TransportError | None = None,
    request: Request | None = None,
) -> float | None:
    """Seconds to wait before retry number ``attempt + 1``, or None not to retry.

    For a response (retryable status already checked), the server's advice or backoff; ``body``
    is the response body when it was read (a 503's ``estimated_time``). For a transport
    ``error`` raised by ``request``, backoff when the rules above allow a retry.
    """
    if error is not None:
        if isinstance(error, ConnectError):
            return backoff(attempt, rules)
        if type(error) in (ReadError, RemoteProtocolError) and request is not None:
            return backoff(attempt, rules) if request.method in IDEMPOTENT_METHODS else None
        return None
    if response is None:
        return None
    advised = _server_advice(response)
    if advised is not None:
        return advised if advised <= rules.max_retry_after else None
    if body is not None and response.status == 503:
        estimated = _estimated_time(body)
        if estimated is not None:
            return min(estimated, rules.max_retry_after)
    return backoff(attempt, rules)


def backoff(attempt: int, rules: RetryRules) -> float:
    """Exponential backoff with jitter for retry number ``attempt + 1``."""
    base = min(rules.max_backoff, rules.backoff * (2.0**attempt))
    factor: float = 0.5 + 0.5 * rules.jitter()
    return base * factor


def _server_advice(response: Response) -> float | None:
    millis = response.header("retry-after-ms")
    if millis is not None:
        seconds = _number(millis)
        if seconds is not None:
            return seconds / 1000
    value = response.header("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    return _date_delta(value, response.header("date"))


def _number(text: str) -> float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if value >= 0 and value == value and value != float("inf") else None


def _date_delta(value: str, now: str | None) -> float | None:
    """``Retry-After: <HTTP date>`` as seconds after the response's ``Date`` (None if either
    is missing or unreadable)."""
    if now is None:
        return None
    later, current = _http_date(value), _http_date(now)
    if later is None or current is None:
        return None
    return max(0.0, (later - current).total_seconds())


def _http_date(text: str) -> datetime | None:
    """An HTTP date in its preferred form, ``Sun, 06 Nov 1994 08:49:37 GMT`` (RFC 9110),
    parsed without the locale (``strptime``'s month names are the locale's)."""
    parts = text.split()
    if len(parts) != 6 or parts[5] != "GMT" or parts[2] not in _MONTHS:
        return None
    try:
        hour, minute, second = (int(part) for part in parts[4].split(":"))
        return datetime(
            int(parts[3]), _MONTHS.index(parts[2]) + 1, int(parts[1]), hour, minute, second,
            tzinfo=timezone.utc,
        )  # fmt: skip
    except ValueError:
        return None


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _estimated_time(body: bytes) -> float | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if isinstance(payload, dict):
        value = payload.get("estimated_time")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            return float(value)
    return None
