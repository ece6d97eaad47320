"""OpenAI: chat completions at ``https://api.openai.com``, with an OpenAI key only.

Never routed through Hugging Face: an ``hf_`` token is refused before any request. There is no
Hub mapping either: the model name is OpenAI's own (``gpt-4o``), sent as given.
"""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, Provider

from ._openai import chat

PROVIDER = Provider(
    name="openai",
    base_url="https://api.openai.com",
    tasks=[CONVERSATIONAL.use(chat("/v1/chat/completions"))],
    routable=False,
    uses_hub_mapping=False,
    uses_saved_token=False,
    missing_model_message="Please provide an OpenAI model ID, e.g. `gpt-4o` or `o1`.",
)
