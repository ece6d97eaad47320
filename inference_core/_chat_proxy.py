"""``client.chat.completions.create``: OpenAI's spelling of ``client.chat_completion``."""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["ChatProxy"]

F = TypeVar("F")


class ChatProxy(Generic[F]):
    """``client.chat``; ``.completions.create`` is the client's ``chat_completion`` itself."""

    __slots__ = ("_create",)

    def __init__(self, create: F) -> None:
        self._create = create

    @property
    def completions(self) -> ChatProxy[F]:
        """The ``chat.completions`` namespace."""
        return self

    @property
    def create(self) -> F:
        """The bound ``chat_completion`` method (same signature and behaviour)."""
        return self._create
