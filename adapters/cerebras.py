"""Cerebras: OpenAI-style chat completions at ``https://api.cerebras.ai``."""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, Provider

from ._openai import chat

PROVIDER = Provider(
    name="cerebras",
    base_url="https://api.cerebras.ai",
    tasks=[CONVERSATIONAL.use(chat("/v1/chat/completions"))],
)
