"""Small pure helpers shared by every task: URL rules, payload filtering, JSON bodies.

Strategy: the rules here are the ones huggingface_hub applies on the wire (spec tasks.md §1.1
and §1.3), written once so that each task module only states what is particular to it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._errors import RequestError
from ._types._base import BaseInferenceType

__all__ = [
    "ROUTER",
    "chat_url",
    "filter_none",
    "is_url",
    "json_body",
    "to_wire",
]

ROUTER = "https://router.huggingface.co"
JSON_CONTENT_TYPE = ("content-type", "application/json")


def is_url(model: str | None) -> bool:
    """True for a model given as an ``http://`` or ``https://`` URL (an endpoint or server)."""
    return isinstance(model, str) and model.startswith(("http://", "https://"))


def chat_url(base: str) -> str:
    """The chat-completions URL for a base URL: ``.../v1/chat/completions`` unless already there."""
    url = base.rstrip("/")
    if url.endswith("/v1"):
        url += "/chat/completions"
    if not url.endswith("/chat/completions"):
        url += "/v1/chat/completions"
    return url


def to_wire(value: Any) -> Any:
    """Turn typed inputs (our attrs input classes) into plain JSON-able values."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, BaseInferenceType):
        return value.to_dict()
    if kind is dict or isinstance(value, Mapping):
        return {key: to_wire(item) for key, item in value.items()}
    if kind is list or isinstance(value, tuple):
        return [to_wire(item) for item in value]
    return value


def filter_none(value: Any) -> Any:
    """Drop None values from dicts, recursively; drop nested dicts left empty (keep ``[]``, 0)."""
    if type(value) is dict or isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            if item is None:
                continue
            kind = type(item)
            if kind is dict or kind is list or isinstance(item, Mapping):
                item_filtered = filter_none(item)
                if kind is not list and not item_filtered:
                    continue
                item = item_filtered
            result[key] = item
        return result
    if type(value) is list:
        return [filter_none(item) for item in value]
    return value


_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
"""Built once: ``json.dumps`` with options builds a new encoder per call."""


def json_body(payload: Any) -> bytes:
    """Encode a payload as compact UTF-8 JSON."""
    try:
        return _ENCODER.encode(payload).encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise RequestError(f"the request payload is not JSON-serializable: {exc}") from exc


def openai_base(url: str) -> str | None:
    """``<...>/v1`` for an OpenAI-compatible server URL (its path ends in ``/v1`` or holds
    ``/v1/``; the query is dropped), else None. The one rule for every task that speaks
    OpenAI's API to a model URL (embeddings, completions)."""
    head = url.partition("?")[0].partition("#")[0]
    scheme, sep, rest = head.partition("://")
    host, slash, path = rest.partition("/")
    path = (slash + path).rstrip("/")
    if path.endswith("/v1"):
        return f"{scheme}{sep}{host}{path}"
    if "/v1/" in path:
        return f"{scheme}{sep}{host}{path[: path.index('/v1/') + 3]}"
    return None
