"""Iterate the decoded items of a streamed response; read a held stream's body.

Strategy: the stream is opened eagerly by the driver, as a plan step (``Open``, see
``_plan.open_stream``), so redirects are followed, an HTTP error or a success that is not an
event stream surfaces at call time (as in huggingface_hub), and only decoding is lazy. When the
plan returns a ``Streamed``, the driver wraps the open response in a :class:`Stream` or
:class:`AsyncStream`; :func:`read_body` and :func:`aread_body` read one to its end instead (a
``ReadBody`` step), bounded, and release it.

:class:`Stream` and :class:`AsyncStream` own the open response: they release it when the items
are exhausted, when decoding or reading raises, or on ``close()``/``aclose()`` or context exit,
whichever comes first, exactly once. They are iterators *and* context managers::

    with client.chat_completion(messages, stream=True) as stream:
        for chunk in stream: ...

The per-chunk path is kept short: one transport read, one ``decoder.feed``, items handed out
from a list.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from types import TracebackType
from typing import Generic, TypeVar

from ._boundary import StreamDecoder
from ._transport import AsyncStreamResponse, StreamResponse

__all__ = ["AsyncStream", "Stream", "aread_body", "read_body"]

T = TypeVar("T")

DRAIN_LIMIT = 65536
"""Bytes read after a stream's end marker to keep its connection reusable."""


def read_body(
    manager: AbstractContextManager[StreamResponse], response: StreamResponse, limit: int
) -> bytes:
    """Read ``response``'s body to its end or to ``limit`` bytes, then release ``manager``."""
    body = bytearray()
    try:
        for chunk in response.chunks:
            body += chunk
            if len(body) >= limit:
                break
    finally:
        manager.__exit__(None, None, None)
    return bytes(body[:limit])


async def aread_body(
    manager: AbstractAsyncContextManager[AsyncStreamResponse],
    response: AsyncStreamResponse,
    limit: int,
) -> bytes:
    """Async twin of :func:`read_body`."""
    body = bytearray()
    try:
        async for chunk in response.chunks:
            body += chunk
            if len(body) >= limit:
                break
    finally:
        await manager.__aexit__(None, None, None)
    return bytes(body[:limit])


class Stream(Generic[T]):
    """Items decoded from a streamed response, as a blocking iterator and context manager."""

    __slots__ = ("_chunks", "_decoder", "_done", "_items", "_manager", "_position")

    def __init__(
        self,
        manager: AbstractContextManager[StreamResponse],
        response: StreamResponse,
        decoder: StreamDecoder[T],
    ) -> None:
        self._manager: AbstractContextManager[StreamResponse] | None = manager
        self._chunks: Iterator[bytes] = response.chunks
        self._decoder = decoder
        self._items: Sequence[T] = ()
        self._position = 0
        self._done = False

    def __iter__(self) -> Stream[T]:
        return self

    def __next__(self) -> T:
        while self._position >= len(self._items):
            if self._done:
                self.close()
                raise StopIteration
            try:
                chunk = next(self._chunks, b"")
                self._items = self._decoder.feed(chunk)
                if chunk and self._decoder.finished:
                    self._drain()
            except BaseException:
                self.close()
                raise
            self._position = 0
            self._done = not chunk or self._decoder.finished
        item = self._items[self._position]
        self._position += 1
        return item

    def _drain(self) -> None:
        """Read what follows the end marker (usually just the chunked terminator), so the
        connection can be reused; give up and let it close past :data:`DRAIN_LIMIT` bytes."""
        drained = 0
        for chunk in self._chunks:
            drained += len(chunk)
            if drained > DRAIN_LIMIT:
                break

    def close(self) -> None:
        """Release the connection; idempotent."""
        manager, self._manager = self._manager, None
        self._done = True
        if manager is not None:
            manager.__exit__(None, None, None)

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncStream(Generic[T]):
    """Items decoded from a streamed response, as an async iterator and async context manager."""

    __slots__ = ("_chunks", "_decoder", "_done", "_items", "_manager", "_position")

    def __init__(
        self,
        manager: AbstractAsyncContextManager[AsyncStreamResponse],
        response: AsyncStreamResponse,
        decoder: StreamDecoder[T],
    ) -> None:
        self._manager: AbstractAsyncContextManager[AsyncStreamResponse] | None = manager
        self._chunks: AsyncIterator[bytes] = response.chunks
        self._decoder = decoder
        self._items: Sequence[T] = ()
        self._position = 0
        self._done = False

    def __aiter__(self) -> AsyncStream[T]:
        return self

    async def __anext__(self) -> T:
        while self._position >= len(self._items):
            if self._done:
                await self.aclose()
                raise StopAsyncIteration
            try:
                try:
                    chunk = await self._chunks.__anext__()
                except StopAsyncIteration:
                    chunk = b""
                self._items = self._decoder.feed(chunk)
                if chunk and self._decoder.finished:
                    await self._drain()
            except BaseException:
                await self.aclose()
                raise
            self._position = 0
            self._done = not chunk or self._decoder.finished
        item = self._items[self._position]
        self._position += 1
        return item

    async def _drain(self) -> None:
        drained = 0
        async for chunk in self._chunks:
            drained += len(chunk)
            if drained > DRAIN_LIMIT:
                break

    async def aclose(self) -> None:
        """Release the connection; idempotent."""
        manager, self._manager = self._manager, None
        self._done = True
        if manager is not None:
            await manager.__aexit__(None, None, None)

    async def __aenter__(self) -> AsyncStream[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
