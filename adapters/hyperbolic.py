"""Hyperbolic: OpenAI-style chat, and base64 image generation, at ``https://api.hyperbolic.xyz``.

Text generation runs on the chat route (Hyperbolic has no completions API for these models):
the prompt becomes one user message, ``max_new_tokens`` is sent as ``max_tokens``, and the chat
answer (or each stream event) is converted to TGI's shape. Deliberate difference:
huggingface_hub 0.33.5 sent the bare prompt string as ``messages`` and then failed reading
``generated_text`` from the chat answer, so its ``text_generation`` never worked here.

Images: ``{"prompt", "model_name": <provider id>, **parameters}`` with ``steps`` and
``cfg_scale`` for the usual ``num_inference_steps`` and ``guidance_scale``, 512x512 unless given;
the image comes back base64-encoded in ``images[0].image``.

Direct only: the provider left the Hugging Face router after huggingface_hub v0.33.5
(spec providers.md Appendix A.1), so an ``hf_`` token is refused before any request
(``RequestError``); pass the provider's own API key.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    TEXT_GENERATION,
    TEXT_TO_IMAGE,
    Plan,
    PreparedCall,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._openai import b64_image, chat

_CHAT = "/v1/chat/completions"


def _text_generation(
    route: Route[Any], prompt: str, parameters: dict[str, Any], stream: bool
) -> PreparedCall:
    params = filter_none(parameters)
    if "max_new_tokens" in params:
        params["max_tokens"] = params.pop("max_new_tokens")
    payload = {
        "messages": [{"role": "user", "content": prompt}],
        **params,
        "model": route.provider_id,
        "stream": stream,
    }
    return PreparedCall(route.post_json(_CHAT, payload), _chat_to_tgi, _chat_event_to_tgi)


def _choice(data: Any, field: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """``(choices[0], choices[0][field])``; None for ``choices: []`` (a usage-only event)."""
    choices = data.get("choices") if isinstance(data, dict) else None
    if choices == []:
        return None
    if isinstance(choices, list) and isinstance(choices[0], dict):
        inner = choices[0].get(field)
        if isinstance(inner, dict):
            return choices[0], inner
    raise ProviderError(f"unexpected chat answer from hyperbolic: {str(data)[:200]}")


def _chat_to_tgi(data: Any) -> dict[str, Any]:
    """``choices[0].message.content`` → TGI's ``{"generated_text", "details"}``."""
    found = _choice(data, "message")
    if found is None:
        raise ProviderError(f"chat answer from hyperbolic has no choices: {str(data)[:200]}")
    choice, message = found
    details = {"finish_reason": choice.get("finish_reason")}
    return {"generated_text": message.get("content") or "", "details": details}


def _chat_event_to_tgi(event: Any) -> dict[str, Any]:
    """One chat stream event (``choices[0].delta.content``) → a TGI stream event."""
    choice, delta = _choice(event, "delta") or ({}, {})
    finish = choice.get("finish_reason")
    return {
        "index": choice.get("index", 0),
        "token": {"id": 0, "text": delta.get("content") or "", "logprob": 0.0, "special": False},
        "generated_text": None,
        "details": None if finish is None else {"finish_reason": finish},
    }


def _text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    params = filter_none(parameters)
    if "num_inference_steps" in params:
        params["steps"] = params.pop("num_inference_steps")
    if "guidance_scale" in params:
        params["cfg_scale"] = params.pop("guidance_scale")
    params.setdefault("width", 512)
    params.setdefault("height", 512)
    payload = {"prompt": prompt, "model_name": route.provider_id, **params}
    request = route.post_json("/v1/images/generations", payload, accept="image/png")
    response = yield from send(request)
    return b64_image(response.json(), "images", 0, "image")


PROVIDER = Provider(
    name="hyperbolic",
    base_url="https://api.hyperbolic.xyz",
    tasks=[
        CONVERSATIONAL.use(chat(_CHAT)),
        TEXT_GENERATION.use(_text_generation),
        TEXT_TO_IMAGE.use(_text_to_image),
    ],
    routable=False,
    left_router=True,
)
