"""The transport protocol: what an I/O backend must offer the drivers.

Strategy: gidgethub's adapter contract, widened for streaming. A transport only moves bytes: it
takes our :class:`Request`, returns our :class:`Response` (or a :class:`StreamResponse` inside a
context manager), maps its library's exceptions to our :class:`TransportError` family, and owns
connection reuse and timeouts. It never parses JSON, never retries, never follows redirects.

Any object with these methods can be passed as ``transport=`` to a client; the protocols are
structural (``typing.Protocol``). ``sleep`` is optional: without it the client sleeps with
``time.sleep`` (sync) or ``anyio.sleep`` (async).

This module only declares types; it performs no I/O.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Protocol, runtime_checkable

import attrs

from ._boundary import Headers, Request, Response

__all__ = ["AsyncStreamResponse", "AsyncTransport", "StreamResponse", "SyncTransport"]


@attrs.frozen
class StreamResponse:
    """An open streamed response: status and headers now, body chunks as they arrive."""

    status: int
    headers: Headers
    chunks: Iterator[bytes]


@attrs.frozen
class AsyncStreamResponse:
    """The async twin of :class:`StreamResponse`: ``chunks`` is an async iterator."""

    status: int
    headers: Headers
    chunks: AsyncIterator[bytes]


@runtime_checkable
class SyncTransport(Protocol):
    """A blocking transport.

    ``send`` returns the whole response. ``stream`` returns a context manager giving a
    :class:`StreamResponse`; the connection is released when the chunks are exhausted, when
    iterating raises, or when the context exits, whichever comes first. ``close`` is idempotent.
    """

    def send(self, request: Request) -> Response: ...

    def stream(self, request: Request) -> AbstractContextManager[StreamResponse]: ...

    def close(self) -> None: ...


@runtime_checkable
class AsyncTransport(Protocol):
    """An async transport, the twin of :class:`SyncTransport` (``aclose`` is idempotent)."""

    async def send(self, request: Request) -> Response: ...

    def stream(self, request: Request) -> AbstractAsyncContextManager[AsyncStreamResponse]: ...

    async def aclose(self) -> None: ...
