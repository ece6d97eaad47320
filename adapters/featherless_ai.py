"""Featherless AI: OpenAI-style chat and completions at ``https://api.featherless.ai``.

text-generation goes to ``/v1/completions`` with TGI's ``max_new_tokens`` sent as OpenAI's
``max_tokens``; the answer (and each stream event) is converted to TGI's shape. Unlike
huggingface_hub, no ``"max_tokens": null`` is sent when the caller sets no limit.
"""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, TEXT_GENERATION, Provider

from ._openai import chat, completions

PROVIDER = Provider(
    name="featherless-ai",
    base_url="https://api.featherless.ai",
    tasks=[
        CONVERSATIONAL.use(chat("/v1/chat/completions")),
        TEXT_GENERATION.use(completions("/v1/completions")),
    ],
)
