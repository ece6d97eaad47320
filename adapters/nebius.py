"""Nebius AI Studio: OpenAI-style chat, completions, images and embeddings.

Direct base ``https://api.studio.nebius.ai``. Chat keeps a ``json_schema`` ``response_format``
and also sends the schema as top-level ``guided_json`` (Nebius's structured-output option).
Images: ``{"prompt", **parameters, "response_format", "model"}`` without ``guidance_scale``
(Nebius has no such option), answered as base64 in ``data[0].b64_json``. Embeddings send only
``{"input", "model"}``: the TEI options of ``feature_extraction`` are not Nebius options.

Deliberate difference: with ``response_format="url"`` (through ``extra_body``)
huggingface_hub 0.33.5 failed reading the answer; here the image is downloaded from
``data[0].url``, without the token.

Direct only: the provider left the Hugging Face router after huggingface_hub v0.33.5
(spec providers.md Appendix A.1), so an ``hf_`` token is refused before any request
(``RequestError``); pass the provider's own API key.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    FEATURE_EXTRACTION,
    TEXT_GENERATION,
    TEXT_TO_IMAGE,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._openai import b64_image, chat, completions, embeddings, json_schema_of


def _guided_json(payload: dict[str, Any], original: Any) -> None:
    """Rewrite B: keep ``response_format``, add ``guided_json: <schema>`` at the end."""
    schema = json_schema_of(original)
    if schema is not None:
        payload["guided_json"] = schema


def _text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    params = filter_none(parameters)
    params.pop("guidance_scale", None)
    if params.get("response_format") not in ("b64_json", "url"):
        params["response_format"] = "b64_json"
    payload = {"prompt": prompt, **params, "model": route.provider_id}
    request = route.post_json("/v1/images/generations", payload, accept="image/png")
    response = yield from send(request)
    data = response.json()
    if params["response_format"] == "b64_json":
        return b64_image(data, "data", 0, "b64_json")
    try:
        url = data["data"][0]["url"]
    except (KeyError, IndexError, TypeError):
        url = None
    if not isinstance(url, str):
        raise ProviderError(f"no image URL at data[0].url in nebius's answer: {str(data)[:200]}")
    image = yield from send(route.download(url))
    return image.body


PROVIDER = Provider(
    name="nebius",
    base_url="https://api.studio.nebius.ai",
    tasks=[
        CONVERSATIONAL.use(chat("/v1/chat/completions", _guided_json)),
        TEXT_GENERATION.use(completions("/v1/completions")),
        TEXT_TO_IMAGE.use(_text_to_image),
        FEATURE_EXTRACTION.use(embeddings("/v1/embeddings", forward_parameters=False)),
    ],
    routable=False,
    left_router=True,
)
