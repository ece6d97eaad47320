"""Cerebras: OpenAI-style chat completions at ``https://api.cerebras.ai``."""

from __future__ import annotations

from inference_core._providers import Provider

from ._openai import chat

PROVIDER = Provider(
    name="cerebras",
    base_url="https://api.cerebras.ai",
    tasks={"conversational": chat("/v1/chat/completions")},
)
