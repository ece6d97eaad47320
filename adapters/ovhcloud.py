"""OVHcloud AI Endpoints: OpenAI-style chat completions.

Added to Hugging Face's Inference Providers after huggingface_hub v0.33.5 (spec providers.md
Appendix A.1): ``https://oai.endpoints.kepler.ai.cloud.ovh.net/v1/chat/completions``.
"""

from __future__ import annotations

from inference_core.providers import CONVERSATIONAL, Provider

from ._openai import chat

PROVIDER = Provider(
    name="ovhcloud",
    base_url="https://oai.endpoints.kepler.ai.cloud.ovh.net",
    tasks=[CONVERSATIONAL.use(chat("/v1/chat/completions"))],
)
