"""Cohere: chat completions on its OpenAI-compatible API at ``https://api.cohere.com``.

Cohere serves them under ``/compatibility/v1/chat/completions``. A ``json_schema``
``response_format`` is sent as ``{"type": "json_object", "schema": <schema>}``, the form
Cohere's structured outputs take.
"""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, Provider

from ._openai import chat, json_object_schema

PROVIDER = Provider(
    name="cohere",
    base_url="https://api.cohere.com",
    tasks=[
        CONVERSATIONAL.use(chat("/compatibility/v1/chat/completions", json_object_schema)),
    ],
)
