"""Client configuration: constructor validation and the per-call header set.

Strategy: both clients build one :class:`ClientConfig` with :func:`build_config`, which applies
huggingface_hub's constructor rules in order (``model``/``base_url`` and ``token``/``api_key``
are aliases and exclusive; ``token=False`` is refused; ``token=True`` warns and uses the saved
token; ``bill_to`` sets ``X-HF-Bill-To``). Unlike huggingface_hub, the saved token is resolved
here, once, not on every request. Plans read the config; they never touch the environment.
:func:`check_token` and :func:`check_timeout` are the constructor's rules for those two values,
which the clients' attribute setters apply again.

:meth:`ClientConfig.request_headers` merges the defaults (``user-agent``, ``authorization``)
with the user's ``headers`` case-insensitively, the user's value winning, as requests did.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ._boundary import Headers, Timeout
from ._errors import RequestError
from ._policy import DEFAULT_MAX_RESPONSE_BYTES, CallRecord, Policy, RetryEvent
from ._retry import DEFAULT_MAX_RETRIES
from ._settings import (
    DEFAULT_INFERENCE_ENDPOINT,
    hub_endpoint,
    implicit_token_disabled,
    inference_endpoint,
    resolve_token,
)

__all__ = [
    "USER_AGENT",
    "ClientConfig",
    "build_config",
    "check_deadline",
    "check_fallback",
    "check_max_response_bytes",
    "check_max_retries",
    "check_timeout",
    "check_token",
]

__version__ = "0.1.0"
USER_AGENT = f"hf-inference-core/{__version__}; python/{sys.version.split()[0].rstrip('+')}"
BILL_TO_HEADER = "X-HF-Bill-To"


@attrs.define(eq=False)
class ClientConfig:
    """Everything a plan may read about its client. Mutating ``headers`` affects later calls."""

    model: str | None = None
    provider: str | None = None
    token: str | None = attrs.field(default=None, repr=lambda token: "'***'" if token else "None")
    timeout: float | Timeout | None = None
    headers: dict[str, str] = attrs.field(factory=dict)
    cookies: dict[str, str] | None = None
    proxies: Any = None
    hub_endpoint: str = "https://huggingface.co"
    inference_endpoint: str = DEFAULT_INFERENCE_ENDPOINT
    """The serverless Inference API (``HF_INFERENCE_ENDPOINT``), for the non-task helpers."""
    implicit_token: bool = True
    """False when ``HF_HUB_DISABLE_IMPLICIT_TOKEN`` is set: the non-task helpers then send a
    saved token only if it was given explicitly."""
    cache: dict[Any, Any] = attrs.field(factory=dict)
    """Per-client memo for plans (Hub lookups, unsupported parameters); pure data."""
    token_from_saved: bool = False
    """True when ``token`` is the saved one (``HF_TOKEN`` / token file), not one given to us."""
    policy: Policy = attrs.field(factory=Policy)
    """Retries and size limits of every call (``max_retries``, ``max_response_bytes``)."""
    deadline: float | None = None
    """Seconds allowed for a whole call (None: no bound beyond ``timeout``)."""
    fallback: bool | tuple[str, ...] = False
    """With ``provider="auto"``: move a failing call to the model's next provider (True), or to
    the next of these providers."""
    record: CallRecord | None = attrs.field(default=None, repr=False)
    """Set on the per-call copy of a raw-response or failover call: ``resolve`` notes the
    provider it chose there, and skips the ones failover gave up on."""

    def hub_headers(self) -> Headers:
        """Headers for Hub lookups: the user-agent and an ``hf_`` token only (no user headers,
        cookies or bill-to, which are for inference requests)."""
        headers: list[tuple[str, str]] = [("user-agent", USER_AGENT)]
        if self.token and self.token.startswith("hf_"):
            headers.append(("authorization", f"Bearer {self.token}"))
        return tuple(headers)

    def request_headers(self, token: str | None, *extra: tuple[str, str]) -> Headers:
        """Default headers for ``token``, overridden by the user's headers, then ``extra``."""
        base: list[tuple[str, str]] = [("user-agent", USER_AGENT)]
        if token:
            base.append(("authorization", f"Bearer {token}"))
        if self.cookies:
            base.append(("cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())))
        overrides = list(self.headers.items())
        overrides.extend(extra)
        if overrides:
            names = {name.lower() for name, _ in overrides}
            base = [pair for pair in base if pair[0] not in names]
            base.extend(overrides)
        return tuple(base)


def build_config(
    *,
    model: str | None,
    provider: str | None,
    token: str | bool | None,
    timeout: float | Timeout | None,
    headers: Mapping[str, str] | None,
    cookies: dict[str, str] | None,
    proxies: Any,
    bill_to: str | None,
    base_url: str | None,
    api_key: str | None,
    environ: Mapping[str, str] | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    deadline: float | None = None,
    max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
    on_retry: Callable[[RetryEvent], None] | None = None,
    fallback: bool | Sequence[str] = False,
) -> ClientConfig:
    """Validate constructor arguments (huggingface_hub's order and messages) into a config."""
    if model is not None and base_url is not None:
        raise RequestError(
            "Received both `model` and `base_url` arguments. Please provide only one of them:"
            " `base_url` is an alias for `model` to make the API compatible with OpenAI's client."
        )
    if token is not None and api_key is not None:
        raise RequestError(
            "Received both `token` and `api_key` arguments. Please provide only one of them:"
            " `api_key` is an alias for `token` to make the API compatible with OpenAI's client."
        )
    merged = check_token(token if token is not None else api_key, stacklevel=5)
    seconds = check_timeout(timeout)
    policy = Policy(
        max_retries=check_max_retries(max_retries),
        max_response_bytes=check_max_response_bytes(max_response_bytes),
        on_retry=on_retry,
    )
    bound = check_deadline(deadline)
    failover = check_fallback(fallback)
    resolved_token = merged if merged else resolve_token(environ)
    user_headers = dict(headers) if headers else {}
    if bill_to is not None:
        _apply_bill_to(user_headers, bill_to, merged)
    return ClientConfig(
        model=base_url if base_url is not None else model,
        provider=provider,
        token=resolved_token,
        timeout=seconds,
        headers=user_headers,
        cookies=cookies,
        proxies=proxies,
        hub_endpoint=hub_endpoint(environ),
        inference_endpoint=inference_endpoint(environ),
        implicit_token=not implicit_token_disabled(environ),
        token_from_saved=not merged and resolved_token is not None,
        policy=policy,
        deadline=bound,
        fallback=failover,
    )


def check_token(token: str | bool | None, *, stacklevel: int) -> str | None:
    """The constructor's token rules: ``False`` is refused, ``True`` warns (DeprecationWarning,
    ``stacklevel`` as for :func:`warnings.warn` from the caller) and means None (the saved
    token), anything else must be a string or None."""
    if token is False:
        raise RequestError(
            "Cannot use `token=False` to disable authentication as it is required to run"
            " Inference. Pass `token=None` to use the saved token, if any."
        )
    if token is True:
        warnings.warn(
            "`token=True` is deprecated: pass `token=None` to use the saved token.",
            DeprecationWarning,
            stacklevel=stacklevel,
        )
        return None
    if token is not None and not isinstance(token, str):
        raise RequestError(f"`token` must be a string, got {type(token).__name__}")
    return token


def check_timeout(timeout: object) -> float | Timeout | None:
    """The constructor's timeout rule: a positive number of seconds, a :class:`Timeout` of
    positive numbers (or None per phase), or None (no timeout). The number is kept as given
    (``30`` stays ``30``, as huggingface_hub shows it)."""
    if timeout is None:
        return None
    if isinstance(timeout, Timeout):
        for name in ("connect", "read", "write", "pool", "total"):
            check_timeout(getattr(timeout, name))
        return timeout
    if not isinstance(timeout, (int, float)) or timeout <= 0:
        raise RequestError(
            f"`timeout` must be a positive number of seconds or None, got {timeout!r}"
        )
    return timeout


def check_deadline(deadline: object) -> float | None:
    """A call's ``deadline``: a positive number of seconds, or None (no bound)."""
    if deadline is None:
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or deadline <= 0:
        raise RequestError(
            f"`deadline` must be a positive number of seconds or None, got {deadline!r}"
        )
    return deadline


def check_max_retries(max_retries: object) -> int:
    """``max_retries``: a whole number >= 0 (0 disables retries)."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise RequestError(f"`max_retries` must be an integer >= 0, got {max_retries!r}")
    return max_retries


def check_max_response_bytes(limit: object) -> int | None:
    """``max_response_bytes``: a positive whole number of bytes, or None (no limit)."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise RequestError(
            f"`max_response_bytes` must be a positive integer or None, got {limit!r}"
        )
    return limit


def check_fallback(fallback: object) -> bool | tuple[str, ...]:
    """``fallback``: a bool, or the provider names to fall back to, in order."""
    if isinstance(fallback, bool):
        return fallback
    if isinstance(fallback, str) or not isinstance(fallback, Sequence) or not all(
        isinstance(name, str) for name in fallback
    ):
        raise RequestError(
            f"`fallback` must be True, False or a list of provider names, got {fallback!r}"
        )
    return tuple(fallback)


def _apply_bill_to(headers: dict[str, str], bill_to: str, token: str | None) -> None:
    previous = headers.get(BILL_TO_HEADER)
    if previous is not None and previous != bill_to:
        warnings.warn(
            f"Overriding existing '{previous}' value in headers with '{bill_to}'.",
            UserWarning,
            stacklevel=4,
        )
    headers[BILL_TO_HEADER] = bill_to
    if token is not None and not token.startswith("hf_"):
        warnings.warn(
            "You've provided an external provider's API key, so requests will be billed directly"
            " by the provider. The `bill_to` parameter is only applicable for HF billing and"
            " will be ignored.",
            UserWarning,
            stacklevel=4,
        )
