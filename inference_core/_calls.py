"""One call of a client method: its options, its record, and provider failover.

Strategy: a client method (``_facade``) builds a :class:`Call` from the client and the keyword
arguments; the call takes out the per-call options (``deadline=``, ``max_retries=``), turns the
deadline into an instant on the client's clock for the driver, and builds the plan to drive:
the task plan, under :func:`with_failover` when the client falls back across providers, under
``governed`` (retries, checks, limits) always. A raw-response client (``with_raw_response``)
gets a :class:`~inference_core._raw.RawResponse` around the typed output.

Failover is a plan too, so both drivers share it: when the provider chosen for a model fails
before anything was streamed (connection failure, 5xx or 429 after retries, an overloaded
model), the task plan is built again with that provider excluded, and ``resolve`` picks the
next one (the model's next Hub mapping entry, or the next name of ``fallback=[...]``), within
the same deadline. Each switch is logged and kept on the record.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from ._boundary import Timeout
from ._config import ClientConfig, check_deadline, check_max_retries
from ._errors import (
    InferenceError,
    InferenceTimeoutError,
    NoProviderLeft,
    OverloadedError,
    ProviderError,
    ResponseTooLargeError,
    TransportError,
)
from ._plan import Plan
from ._policy import CallRecord, governed
from ._raw import RawResponse

__all__ = ["CALL_OPTIONS", "Call", "should_fail_over", "with_failover"]

T = TypeVar("T")
logger = logging.getLogger("inference_core")

_KW = inspect.Parameter.KEYWORD_ONLY
CALL_OPTIONS = (
    inspect.Parameter("deadline", _KW, default=None, annotation="float | None"),
    inspect.Parameter("max_retries", _KW, default=None, annotation="int | None"),
)
"""Keyword arguments every task method takes on top of its own: seconds allowed for the whole
call, and retries allowed per request (None: the client's setting)."""


class Call:
    """The per-call state a client method needs: options, deadline instant, record."""

    __slots__ = ("clock", "config", "deadline", "policy", "raw", "record")

    def __init__(self, client: Any, kwargs: dict[str, Any]) -> None:
        config: ClientConfig = client._config
        policy = config.policy
        seconds = config.deadline
        if seconds is None and isinstance(config.timeout, Timeout):
            seconds = config.timeout.total
        if kwargs:
            if "deadline" in kwargs:
                value = kwargs.pop("deadline")
                if value is not None:
                    seconds = check_deadline(value)
            if "max_retries" in kwargs:
                value = kwargs.pop("max_retries")
                if value is not None:
                    policy = attrs.evolve(policy, max_retries=check_max_retries(value))
        self.config = config
        self.policy = policy
        self.clock: Callable[[], float] = client._clock
        self.deadline = None if seconds is None else self.clock() + seconds
        self.raw: bool = client._raw
        self.record = CallRecord() if self.raw or config.fallback else None

    def plan(
        self, task: Callable[..., Plan[Any]], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Plan[Any]:
        """The plan to drive: ``task`` under failover (if asked) and the call's policy."""
        config, record = self.config, self.record
        if record is None:
            return governed(task(config, *args, **kwargs), self.policy)
        if config.fallback and _may_fail_over(config, args, kwargs):
            inner = with_failover(lambda c: task(c, *args, **kwargs), config, record)
        else:
            inner = task(attrs.evolve(config, record=record), *args, **kwargs)
        return governed(inner, self.policy, record)

    def result(self, value: Any) -> Any:
        """What the method returns: the output, or a RawResponse around it."""
        if self.raw:
            assert self.record is not None
            return RawResponse(self.record, value)
        return value


def with_failover(
    make: Callable[[ClientConfig], Plan[T]], config: ClientConfig, record: CallRecord
) -> Plan[T]:
    """Run ``make(config)``; when it fails in a way another provider could fix, run it again
    with the failed provider excluded, until one answers or none is left."""
    first_error: InferenceError | None = None
    while True:
        try:
            return (yield from make(attrs.evolve(config, record=record)))
        except NoProviderLeft:
            assert first_error is not None
            raise first_error from None
        except InferenceError as exc:
            if record.provider is None or not should_fail_over(exc):
                raise
            first_error = first_error or exc
            logger.warning(
                "Provider %s failed (%s: %s); trying the next provider for this model",
                record.provider, type(exc).__name__, exc,
            )  # fmt: skip
            record.failovers.append(record.provider)
            record.provider = None


def should_fail_over(error: InferenceError) -> bool:
    """True for failures another provider could avoid: connection failures, 5xx and 429
    answers (after retries), an overloaded model. Never for timeouts (the deadline is shared)
    or for errors in the request itself."""
    if isinstance(error, (InferenceTimeoutError, ResponseTooLargeError)):
        return False
    if isinstance(error, (TransportError, OverloadedError)):
        return True
    if isinstance(error, ProviderError):
        status = error.status
        return status is not None and (status >= 500 or status == 429)
    return False


def _may_fail_over(config: ClientConfig, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bool:
    """Failover applies with the auto policy (or an explicit fallback list), not to URLs."""
    model = kwargs.get("model") or config.model
    if isinstance(model, str) and model.startswith(("http://", "https://")):
        return False
    return config.provider in (None, "auto") or isinstance(config.fallback, tuple)
