"""SambaNova: OpenAI-style chat and embeddings at ``https://api.sambanova.ai``.

SambaNova rejects strict JSON schemas, so a ``json_schema`` ``response_format`` whose
``strict`` is True or unset is sent with ``"strict": false``. Unlike huggingface_hub, which
flipped the flag in the caller's own dict, the rewrite works on the payload's copy, and a
``json_schema`` that is not an object is a RequestError (the reference crashed with an
AttributeError). Embeddings forward ``normalize``, ``truncate``, ... when set.

Direct only: the provider left the Hugging Face router after huggingface_hub v0.33.5
(spec providers.md Appendix A.1), so an ``hf_`` token is refused before any request
(``RequestError``); pass the provider's own API key.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    FEATURE_EXTRACTION,
    Provider,
    RequestError,
    filter_none,
)

from ._openai import chat, embeddings


def _lenient_json_schema(payload: dict[str, Any], original: Any) -> None:
    """Set ``response_format.json_schema.strict`` to False when it is True or unset."""
    if not isinstance(original, dict) or original.get("type") != "json_schema":
        return
    if "json_schema" not in original:
        return
    json_schema = original["json_schema"]
    if not isinstance(json_schema, dict):
        raise RequestError(
            "sambanova: `response_format['json_schema']` must be a dict with a 'schema', got"
            f" {type(json_schema).__name__}"
        )
    strict = json_schema.get("strict")
    if strict is True or strict is None:
        payload["response_format"]["json_schema"] = filter_none({**json_schema, "strict": False})


PROVIDER = Provider(
    name="sambanova",
    base_url="https://api.sambanova.ai",
    tasks=[
        CONVERSATIONAL.use(chat("/v1/chat/completions", _lenient_json_schema)),
        FEATURE_EXTRACTION.use(embeddings("/v1/embeddings", forward_parameters=True)),
    ],
    routable=False,
    left_router=True,
)
