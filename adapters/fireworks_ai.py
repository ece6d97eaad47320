"""Fireworks AI: chat completions at ``https://api.fireworks.ai/inference/v1/chat/completions``.

A ``json_schema`` ``response_format`` is sent as ``{"type": "json_object", "schema":
<schema>}``, Fireworks' JSON mode with a schema.
"""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, Provider

from ._openai import chat, json_object_schema

PROVIDER = Provider(
    name="fireworks-ai",
    base_url="https://api.fireworks.ai",
    tasks=[
        CONVERSATIONAL.use(chat("/inference/v1/chat/completions", json_object_schema)),
    ],
)
