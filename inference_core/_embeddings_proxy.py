"""``client.embeddings.create``: OpenAI's embeddings call on our clients.

Strategy: as ``client.chat.completions.create`` (``_chat_proxy.py``), the namespace only hands
out a bound method; the work is the ``create_embeddings`` plan (``_tasks/embeddings.py``), which
documents the call. The method is made from the plan here, bound on each access, and kept out of
the client classes, whose attributes are huggingface_hub's task methods.
"""

from __future__ import annotations

from collections.abc import Awaitable
from types import MethodType
from typing import Any, Generic, Protocol, TypeVar, cast

from ._facade import async_method, sync_method
from ._tasks.embeddings import create_embeddings
from ._types.embeddings import CreateEmbeddingResponse

__all__ = [
    "AsyncEmbeddingsCreate",
    "EmbeddingsProxy",
    "SyncEmbeddingsCreate",
    "async_embeddings",
    "sync_embeddings",
]

F = TypeVar("F")


class SyncEmbeddingsCreate(Protocol):
    """``client.embeddings.create``."""

    def __call__(
        self,
        *,
        input: Any,
        model: str | None = ...,
        encoding_format: str | None = ...,
        dimensions: int | None = ...,
        user: str | None = ...,
        extra_body: dict[str, Any] | None = ...,
    ) -> CreateEmbeddingResponse: ...


class AsyncEmbeddingsCreate(Protocol):
    """``await client.embeddings.create``."""

    def __call__(
        self,
        *,
        input: Any,
        model: str | None = ...,
        encoding_format: str | None = ...,
        dimensions: int | None = ...,
        user: str | None = ...,
        extra_body: dict[str, Any] | None = ...,
    ) -> Awaitable[CreateEmbeddingResponse]: ...


class EmbeddingsProxy(Generic[F]):
    """``client.embeddings``; ``.create`` is the client's embeddings method."""

    __slots__ = ("_create",)

    def __init__(self, create: F) -> None:
        self._create = create

    @property
    def create(self) -> F:
        """The bound method: ``create(input=..., model=..., encoding_format=..., dimensions=...)``
        (see ``inference_core._tasks.embeddings.create_embeddings``)."""
        return self._create


_SYNC_CREATE = sync_method(create_embeddings)
_ASYNC_CREATE = async_method(create_embeddings)


def sync_embeddings(client: Any) -> EmbeddingsProxy[SyncEmbeddingsCreate]:
    """``client.embeddings`` of an ``InferenceClient``."""
    return EmbeddingsProxy(cast(SyncEmbeddingsCreate, MethodType(_SYNC_CREATE, client)))


def async_embeddings(client: Any) -> EmbeddingsProxy[AsyncEmbeddingsCreate]:
    """``client.embeddings`` of an ``AsyncInferenceClient``."""
    return EmbeddingsProxy(cast(AsyncEmbeddingsCreate, MethodType(_ASYNC_CREATE, client)))
