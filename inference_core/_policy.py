"""The call policy: retries, request checks and size limits, applied around a whole plan.

Strategy: a task plan describes the happy path of one call; :func:`governed` wraps it, in pure
code, so every effect it yields passes through one place that:

* checks each outgoing request (``_checks.check_request``: no CR, LF or NUL, no dot segments,
  header names that are HTTP tokens) and stamps it with ``max_bytes``, so a bad URL or header
  is the same :class:`RequestError` before any I/O on every transport;
* retries what is safe to retry (``_retry.retry_delay`` decides; the wait is a :class:`Sleep`
  effect, so tests step a plan through a whole retry sequence without waiting);
* records the final request and response, the retries made and their reasons in a
  :class:`CallRecord` (what ``with_raw_response`` shows), and logs each exchange at DEBUG.

The inner plan never sees a retried attempt: it is sent the final response, or the final error
is thrown into it where it yielded. A stream is retried only while it has not been handed to the
plan (its head is a retryable status, or opening it failed), so never after anything was
yielded to the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import attrs

from ._boundary import Open, ReadBody, Request, Response, Sleep, Streamed
from ._checks import check_request
from ._debug import log_request, log_response, log_retry
from ._errors import InferenceError, InferenceTimeoutError, TransportError
from ._plan import Plan
from ._retry import DEFAULT_MAX_RETRIES, RetryRules, is_retryable_status, retry_delay

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "CallRecord",
    "Policy",
    "RetryEvent",
    "governed",
]

T = TypeVar("T")

DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
"""The largest response body a call reads by default (256 MiB)."""

_RETRY_BODY_LIMIT = 65536  # a retried stream's error body is read up to this (estimated_time)

logger = logging.getLogger("inference_core")


@attrs.frozen
class RetryEvent:
    """What ``on_retry`` is told before each retry: the attempt about to be made (1 for the
    first retry), the request, why (the response or the error), and the wait in seconds."""

    attempt: int
    request: Request
    response: Response | None
    error: InferenceError | None
    delay: float


@attrs.frozen
class Policy:
    """How a client's calls are governed (immutable; ``with_options`` makes a changed copy)."""

    max_retries: int = DEFAULT_MAX_RETRIES
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES
    on_retry: Callable[[RetryEvent], None] | None = None
    rules: RetryRules = attrs.field(factory=RetryRules)


@attrs.define
class CallRecord:
    """What happened during one call: the last request sent and response received (its head
    for a stream), each retry, and the provider that answered (set by ``resolve``)."""

    request: Request | None = None
    response: Response | None = None
    retries: list[RetryEvent] = attrs.field(factory=list)
    provider: str | None = None
    failovers: list[str] = attrs.field(factory=list)
    """Providers given up on, in order, when ``fallback`` moved the call to the next one."""


def governed(plan: Plan[T], policy: Policy, record: CallRecord | None = None) -> Plan[T]:
    """Run ``plan`` under ``policy``: checked requests, retries, limits, a record of the call."""
    if record is None:
        record = CallRecord()
    try:
        effect: Any = next(plan)
        while True:
            try:
                if type(effect) is Request:
                    reply: Any = yield from _send(effect, policy, record)
                elif type(effect) is Open:
                    reply = yield from _open_with_retries(effect.request, policy, record)
                else:
                    reply = yield effect
            except Exception as exc:
                effect = plan.throw(exc)
                continue
            effect = plan.send(reply)
    except StopIteration as stop:
        result: T = stop.value
        limit = policy.max_response_bytes
        if type(result) is Streamed and limit is not None:  # one event may not outgrow it
            streamed: Any = result
            return Streamed(streamed.request, partial(_bounded_decoder, streamed.decoder, limit))  # type: ignore[return-value]
        return result
    finally:
        plan.close()


def _bounded_decoder(factory: Callable[[], Any], limit: int) -> Any:
    decoder = factory()
    if hasattr(decoder, "max_event_bytes"):
        decoder.max_event_bytes = limit
    return decoder


def _prepared(request: Request, policy: Policy) -> Request:
    check_request(request)
    limit = policy.max_response_bytes
    if request.max_bytes == limit:
        return request
    return Request(
        request.method, request.url, request.headers, request.body, request.timeout,
        request.deadline, limit,
    )  # fmt: skip


def _send(request: Request, policy: Policy, record: CallRecord) -> Plan[Response]:
    request = _prepared(request, policy)
    attempt = 0
    while True:
        record.request = request
        log_request(request)
        try:
            response = yield request
        except TransportError as exc:
            delay = _retry_after_error(request, exc, attempt, policy)
            if delay is None:
                raise
            attempt += 1
            yield from _wait(RetryEvent(attempt, request, None, exc, delay), policy, record)
            continue
        assert isinstance(response, Response), "the driver must answer a Request with a Response"
        record.response = response
        log_response(request, response)
        if attempt < policy.max_retries and is_retryable_status(request, response.status):
            delay = retry_delay(response, response.body, attempt, policy.rules)
            if delay is not None:
                attempt += 1
                event = RetryEvent(attempt, request, response, None, delay)
                yield from _wait(event, policy, record)
                continue
        return response


def _open_with_retries(
    request: Request, policy: Policy, record: CallRecord
) -> Plan[Response]:
    request = _prepared(request, policy)
    attempt = 0
    while True:
        record.request = request
        log_request(request)
        try:
            head = yield Open(request)
        except TransportError as exc:
            delay = _retry_after_error(request, exc, attempt, policy)
            if delay is None:
                raise
            attempt += 1
            yield from _wait(RetryEvent(attempt, request, None, exc, delay), policy, record)
            continue
        assert isinstance(head, Response), "the driver must answer an Open with the head"
        record.response = head
        log_response(request, head)
        # Retry-After alone may forbid a retry; only when it does not is the body worth reading.
        if (
            attempt < policy.max_retries
            and is_retryable_status(request, head.status)
            and retry_delay(head, None, attempt, policy.rules) is not None
        ):
            body = yield ReadBody(_RETRY_BODY_LIMIT)
            assert isinstance(body, bytes), "the driver must answer a ReadBody with bytes"
            response = Response(head.status, head.headers, body)
            delay = retry_delay(response, body, attempt, policy.rules) or 0.0
            attempt += 1
            yield from _wait(RetryEvent(attempt, request, response, None, delay), policy, record)
            continue
        return head


def _retry_after_error(
    request: Request, error: TransportError, attempt: int, policy: Policy
) -> float | None:
    if attempt >= policy.max_retries:
        return None
    return retry_delay(None, None, attempt, policy.rules, error=error, request=request)


def _wait(event: RetryEvent, policy: Policy, record: CallRecord) -> Plan[None]:
    record.retries.append(event)
    log_retry(event, policy.max_retries)
    if policy.on_retry is not None:
        policy.on_retry(event)
    try:
        yield Sleep(event.delay)
    except InferenceTimeoutError as timeout:  # the deadline leaves no time for this wait
        if event.error is not None:
            raise timeout from event.error
        raise
