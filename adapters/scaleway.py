"""Scaleway Generative APIs: OpenAI-style chat and embeddings at ``https://api.scaleway.ai``.

Added to Hugging Face's Inference Providers after huggingface_hub v0.33.5 (spec providers.md
Appendix A.1): chat on ``/v1/chat/completions``; feature extraction on ``/v1/embeddings``
(``{"input", "model", **options}``, one vector per input).
"""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, FEATURE_EXTRACTION, Provider

from ._openai import chat, embeddings

PROVIDER = Provider(
    name="scaleway",
    base_url="https://api.scaleway.ai",
    tasks=[
        CONVERSATIONAL.use(chat("/v1/chat/completions")),
        FEATURE_EXTRACTION.use(embeddings("/v1/embeddings")),
    ],
)
