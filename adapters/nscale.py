"""Nscale: OpenAI-style chat, and base64 image generation, at ``https://inference.api.nscale.com``.

Images: ``{"response_format": "b64_json", "prompt", "model", **parameters}``; ``width`` and
``height``, when both are given, become OpenAI's ``size: "<W>x<H>"``; ``num_inference_steps``
and ``cfg_scale`` are not Nscale options and are dropped. Parameters come last, so
``extra_body`` may override ``model`` and ``response_format``. The image comes back
base64-encoded in ``data[0].b64_json``.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    TEXT_TO_IMAGE,
    Plan,
    Provider,
    Route,
    filter_none,
    send,
)

from ._openai import b64_image, chat


def _text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    params = filter_none(parameters)
    if "width" in params and "height" in params:
        params["size"] = f"{params.pop('width')}x{params.pop('height')}"
    params.pop("num_inference_steps", None)
    params.pop("cfg_scale", None)
    payload = {
        "response_format": "b64_json",
        "prompt": prompt,
        "model": route.provider_id,
        **params,
    }
    request = route.post_json("/v1/images/generations", payload, accept="image/png")
    response = yield from send(request)
    return b64_image(response.json(), "data", 0, "b64_json")


PROVIDER = Provider(
    name="nscale",
    base_url="https://inference.api.nscale.com",
    tasks=[
        CONVERSATIONAL.use(chat("/v1/chat/completions")),
        TEXT_TO_IMAGE.use(_text_to_image),
    ],
)
