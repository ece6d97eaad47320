"""Shared steps of the multi-step providers (fal-ai, black-forest-labs, replicate).

Strategy: a job that is submitted and then polled waits through a :class:`Deadline`, which
yields each ``Sleep`` and counts it against the client's timeout, raising
``InferenceTimeoutError`` before the wait that would exceed it (huggingface_hub polled fal and
replicate forever and BFL a fixed six times). Answers are read with ``Response.json()`` and
:func:`field`, which turn a wrong shape into a ``ProviderError`` that names the provider and
quotes the answer; result files are fetched with :func:`download`, without the user's token.
Everything here is pure: waits and requests are yielded effects.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

import attrs

from inference_core.providers import (
    InferenceTimeoutError,
    Plan,
    ProviderError,
    Route,
    Sleep,
    b64,
    send,
    sniff_content_type,
)

__all__ = ["Deadline", "data_url", "download", "field", "reroot"]

_SLACK = 1e-9  # float sums of poll intervals (0.1 * 3) must not fall just past the budget


@attrs.define
class Deadline:
    """The waiting budget of one polled job: ``budget`` seconds in all (None: no limit)."""

    budget: float | None
    job: str
    """What is waited for, for the error message (e.g. ``"fal-ai job r1"``)."""
    waited: float = 0.0

    def wait(self, seconds: float) -> Plan[None]:
        """Yield ``Sleep(seconds)``, or raise InferenceTimeoutError if it would pass the budget."""
        if self.budget is not None and self.waited + seconds > self.budget + _SLACK:
            raise InferenceTimeoutError(
                f"{self.job} did not finish within {self.budget:g} s of polling (the client's"
                " timeout); pass a larger `timeout` to wait longer"
            )
        self.waited += seconds
        yield Sleep(seconds)


def field(data: Any, provider: str, *keys: str | int) -> Any:
    """``data[k1][k2]...``; ProviderError naming the path and quoting the answer if absent."""
    value = data
    for key in keys:
        try:
            value = value[key]
        except (KeyError, IndexError, TypeError):
            value = None
        if value is None:
            path = "".join(f"[{key!r}]" for key in keys)
            raise ProviderError(f"{provider} answered without {path}: {str(data)[:200]}")
    return value


def download(route: Route[Any], url: Any) -> Plan[bytes]:
    """The bytes of a result file: a GET without the user's token, or a ``data:`` URL decoded."""
    provider = route.provider.name
    if not isinstance(url, str) or not url.startswith(("https://", "http://", "data:")):
        raise ProviderError(f"{provider} answered with a result URL that is not one: {url!r:.200}")
    if url.startswith("data:"):
        return _data_url(url, provider)
    response = yield from send(route.download(url))
    return response.body


def data_url(content: bytes, default_type: str) -> str:
    """``content`` inlined as a ``data:<type>;base64,...`` URL; the type is sniffed from the
    bytes, ``default_type`` when they are not recognised."""
    kind = sniff_content_type(content)
    if kind == "application/octet-stream":
        kind = default_type
    return f"data:{kind};base64,{b64(content)}"


def reroot(base: str, url: str, *, suffix: str = "", query: str = "") -> str:
    """The path of ``url`` plus ``suffix`` on ``base``, then ``query`` (default: the URL's own).

    Follow-up URLs found in an answer are re-rooted on the base the job was submitted to, so
    the credentials on status polls only ever go where the submit went (and through the
    Hugging Face router when the call was routed).
    """
    parts = urlsplit(url)
    return base.rstrip("/") + parts.path.rstrip("/") + suffix + (query or _query(parts.query))


def _query(query: str) -> str:
    return f"?{query}" if query else ""


def _data_url(url: str, provider: str) -> bytes:
    header, _, data = url.partition(",")
    try:
        if header.endswith(";base64"):
            return base64.b64decode(data, validate=True)
        return unquote_to_bytes(data)
    except (binascii.Error, ValueError) as exc:
        raise ProviderError(f"{provider} answered with a bad data URL: {url[:100]!r}") from exc
