"""Baseten: OpenAI-style chat completions at ``https://inference.baseten.co``.

Added to Hugging Face's Inference Providers after huggingface_hub v0.33.5 (spec providers.md
Appendix A.1): ``/v1/chat/completions``, the provider's model id as ``model``.
"""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, Provider

from ._openai import chat

PROVIDER = Provider(
    name="baseten",
    base_url="https://inference.baseten.co",
    tasks=[CONVERSATIONAL.use(chat("/v1/chat/completions"))],
)
