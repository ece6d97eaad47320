"""OpenAI-style request and response shapes, written once for every provider that speaks them.

Strategy: most providers expose OpenAI's chat-completions, completions, embeddings and image
generation APIs on their own routes, with small deviations (a ``response_format`` rewrite, a
renamed parameter, the image coming back as base64). Each provider module picks these builders
with its route and its deviation; nothing here performs I/O (embeddings are a one-request plan).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from inference_core.providers import (
    ChatAdapter,
    EmbeddingAdapter,
    Plan,
    PreparedCall,
    ProviderError,
    Route,
    TextGenerationAdapter,
    filter_none,
    send,
)

__all__ = [
    "b64_image",
    "chat",
    "completion_event_to_tgi",
    "completion_to_tgi",
    "completions",
    "embeddings",
    "json_object_schema",
    "json_schema_of",
]

Rewrite = Callable[[dict[str, Any], Any], None]
"""``rewrite(payload, original_response_format)``: adjust a chat payload in place."""


def chat(path: str = "/v1/chat/completions", rewrite: Rewrite | None = None) -> ChatAdapter:
    """A conversational adapter: ``{"messages", **parameters, "model": provider_id}`` to ``path``.

    Parameters with a None value are left out (inside messages too); the caller's ``model``,
    including one from ``extra_body``, is replaced by the provider's model id.
    """

    def adapter(route: Route[Any], messages: list[Any], parameters: dict[str, Any]) -> PreparedCall:
        original = parameters.get("response_format")
        payload = filter_none({"messages": messages, **parameters, "model": route.provider_id})
        if rewrite is not None:
            rewrite(payload, original)
        return PreparedCall(route.post_json(path, payload))

    return adapter


def json_object_schema(payload: dict[str, Any], original: Any) -> None:
    """``response_format`` ``json_schema`` → ``{"type": "json_object", "schema": <schema>}``."""
    schema = json_schema_of(original)
    if schema is not None:
        payload["response_format"] = {"type": "json_object", "schema": schema}


def json_schema_of(original: Any) -> Any:
    """The schema inside a ``json_schema`` response format, or None."""
    if not isinstance(original, dict) or original.get("type") != "json_schema":
        return None
    json_schema = original.get("json_schema")
    if isinstance(json_schema, dict) and "schema" in json_schema:
        return json_schema["schema"]
    return None


def completions(path: str = "/v1/completions") -> TextGenerationAdapter:
    """A text-generation adapter on OpenAI's completions API.

    Sends ``{"prompt", **parameters, "model", "stream"}`` with TGI's ``max_new_tokens`` renamed
    to OpenAI's ``max_tokens`` (huggingface_hub renamed it only for featherless-ai, so other
    providers silently ignored the limit). Answers and stream events are converted to TGI's
    shapes, so ``text_generation`` (also with ``stream=True``) works on these providers.
    """

    def adapter(
        route: Route[Any], prompt: str, parameters: dict[str, Any], stream: bool
    ) -> PreparedCall:
        params = filter_none(parameters)
        if "max_new_tokens" in params:
            params["max_tokens"] = params.pop("max_new_tokens")
        payload = {"prompt": prompt, **params, "model": route.provider_id, "stream": stream}
        return PreparedCall(
            route.post_json(path, payload),
            convert=completion_to_tgi,
            convert_event=completion_event_to_tgi,
        )

    return adapter


def _first_choice(data: Any) -> dict[str, Any]:
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ProviderError(f"unexpected completions answer (no choices): {str(data)[:200]}")
    return choices[0]


def completion_to_tgi(data: Any) -> dict[str, Any]:
    """``{"choices": [{"text", "finish_reason"}]}`` → TGI's ``{"generated_text", "details"}``."""
    choice = _first_choice(data)
    details = {"finish_reason": choice.get("finish_reason"), "seed": choice.get("seed")}
    return {"generated_text": choice.get("text", ""), "details": details}


def completion_event_to_tgi(event: Any) -> dict[str, Any]:
    """One completions stream event → a TGI stream event (token text, final details)."""
    choice = _first_choice(event)
    finish = choice.get("finish_reason")
    return {
        "index": choice.get("index", 0),
        "token": {"id": 0, "text": choice.get("text", ""), "logprob": 0.0, "special": False},
        "generated_text": None,
        "details": None if finish is None else {"finish_reason": finish},
    }


def embeddings(
    path: str = "/v1/embeddings", *, forward_parameters: bool = True
) -> EmbeddingAdapter:
    """A feature-extraction adapter on OpenAI's embeddings API: one vector per input."""

    def adapter(route: Route[Any], text: Any, parameters: dict[str, Any]) -> Plan[list[Any]]:
        payload = {"input": text, "model": route.provider_id}
        if forward_parameters:
            payload.update(filter_none(parameters))
        response = yield from send(route.post_json(path, payload))
        data = response.json()
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ProviderError(f"unexpected embeddings answer: {response.text[:200]}")
        return [item.get("embedding") for item in items if isinstance(item, dict)]

    return adapter


def b64_image(data: Any, *keys: str | int) -> bytes:
    """Decode the base64 image found at ``data[k1][k2]...`` (e.g. ``"data", 0, "b64_json"``)."""
    value = data
    try:
        for key in keys:
            value = value[key]
        return base64.b64decode(value, validate=True)
    except (KeyError, IndexError, TypeError, binascii.Error) as exc:
        path = "".join(f"[{key!r}]" for key in keys)
        raise ProviderError(f"no base64 image at {path} in the answer: {str(data)[:200]}") from exc
