"""Output types of ``client.embeddings.create``: OpenAI's embeddings answer.

Strategy: the field names and nesting are OpenAI's (``data[i].embedding``, ``model``,
``usage``), so code written against the ``openai`` package reads our answer unchanged; like
every output type here, each object is also a dict (``out["data"][0]["embedding"]``), and keys
the server adds are kept as extras.
"""

from typing import Any, Optional

from ._base import NONE, BaseInferenceType, inference_type

__all__ = ["CreateEmbeddingResponse", "Embedding", "EmbeddingUsage"]


@inference_type
class Embedding(BaseInferenceType):
    """One input's embedding: a list of floats (a base64 string with
    ``encoding_format="base64"``) and the input's position."""

    embedding: Any = NONE
    index: int = NONE
    object: Optional[str] = None


@inference_type
class EmbeddingUsage(BaseInferenceType):
    """Token counts of the request (None when the server sends none)."""

    prompt_tokens: Optional[int] = None
    total_tokens: Optional[int] = None


@inference_type
class CreateEmbeddingResponse(BaseInferenceType):
    """The answer of ``client.embeddings.create``: one :class:`Embedding` per input, in order."""

    data: list[Embedding] = NONE
    model: Optional[str] = None
    object: Optional[str] = None
    usage: Optional[EmbeddingUsage] = None
