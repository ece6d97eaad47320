"""Groq: chat completions on its OpenAI-compatible API, ``https://api.groq.com/openai/v1``."""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, Provider

from ._openai import chat

PROVIDER = Provider(
    name="groq",
    base_url="https://api.groq.com",
    tasks=[CONVERSATIONAL.use(chat("/openai/v1/chat/completions"))],
)
