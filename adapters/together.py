"""Together AI: chat, completions and image generation at ``https://api.together.xyz``.

* conversational: ``/v1/chat/completions``; a ``json_schema`` ``response_format`` is sent as
  ``{"type": "json_object", "schema": <schema>}``.
* text-generation: ``/v1/completions``, converted to TGI's shapes (stream events too). Unlike
  huggingface_hub, ``max_new_tokens`` is sent as ``max_tokens``, so the limit is honoured.
* text-to-image: ``/v1/images/generations`` with ``response_format: "base64"``;
  ``num_inference_steps`` and ``guidance_scale`` become Together's ``steps`` and ``guidance``.
  The image comes back base64-encoded in ``data[0].b64_json``.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    TEXT_GENERATION,
    TEXT_TO_IMAGE,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._openai import b64_image, chat, completions, json_object_schema

_RENAMES = (("num_inference_steps", "steps"), ("guidance_scale", "guidance"))


def _text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """POST the prompt to Together's images API; the image bytes, decoded from base64."""
    params = filter_none(parameters)
    for ours, theirs in _RENAMES:
        if ours in params:
            params[theirs] = params.pop(ours)
    payload = {"prompt": prompt, "response_format": "base64", **params, "model": route.provider_id}
    request = route.post_json("/v1/images/generations", payload, accept="image/png")
    response = yield from send(request)
    try:
        return b64_image(response.json(), "data", 0, "b64_json")
    except (ValueError, ProviderError) as exc:
        raise ProviderError(
            f"together: unexpected text-to-image answer: {response.text[:200]!r}",
            response=response,
        ) from exc


PROVIDER = Provider(
    name="together",
    base_url="https://api.together.xyz",
    tasks=[
        CONVERSATIONAL.use(chat("/v1/chat/completions", json_object_schema)),
        TEXT_GENERATION.use(completions("/v1/completions")),
        TEXT_TO_IMAGE.use(_text_to_image),
    ],
)
