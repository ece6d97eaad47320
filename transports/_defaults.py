"""What the clients use when the caller gives no transport, and how they sleep.

Strategy: the clients live in the pure core and import this module lazily, at construction, so
importing ``inference_core`` never imports an I/O library. Defaults: h11 over stdlib sockets
(sync), h11 over anyio (async, asyncio and trio), the blocking ``time.sleep`` and
``anyio.sleep`` (which works on asyncio and trio alike). A sync client imports neither anyio
nor asyncio.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from inference_core.transport import (
    AsyncStreamResponse,
    AsyncTransport,
    Request,
    RequestError,
    Response,
    SyncTransport,
)

from ._mock import MockTransport

if TYPE_CHECKING:
    from ._pooling import Verify

__all__ = [
    "as_async_transport",
    "async_sleep",
    "blocking_sleep",
    "default_async_transport",
    "default_transport",
]

blocking_sleep = time.sleep


async def async_sleep(seconds: float) -> None:
    """Wait ``seconds`` on the running event loop (asyncio or trio): ``anyio.sleep``."""
    import anyio

    await anyio.sleep(seconds)


def default_transport(
    timeout: float | None, proxies: Any, *, trust_env: bool = False, verify: Verify = True
) -> SyncTransport:
    """:class:`~transports.sockets.SocketTransport` (h11 over stdlib sockets) with the client's
    timeout, proxies and TLS settings.

    ``trust_env`` also takes proxies from ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` and
    honours ``NO_PROXY``; ``verify`` is True (certifi), False, a CA bundle path or an
    ``ssl.SSLContext``.
    """
    from .sockets import SocketTransport

    return SocketTransport(timeout=timeout, proxies=proxies, verify=verify, trust_env=trust_env)


def default_async_transport(
    timeout: float | None, proxies: Any, *, trust_env: bool = False, verify: Verify = True
) -> AsyncTransport:
    """The fastest async transport that runs on both asyncio and trio: :class:`AnyioTransport`
    (h11 over anyio streams; 2-2.5x less client CPU per call than httpcore's async pool at
    concurrency 64, bench/run.py). The same arguments as :func:`default_transport`.

    An async client that may be dropped unclosed should register the transport's
    ``_abandon`` (synchronous, needs no event loop) with ``weakref.finalize``.
    """
    from .anyio import AnyioTransport

    return AnyioTransport(timeout=timeout, proxies=proxies, verify=verify, trust_env=trust_env)


def as_async_transport(transport: Any) -> AsyncTransport:
    """Accept an async transport as is, and a sync ``MockTransport`` through an async view."""
    if isinstance(transport, MockTransport):
        return _AsyncView(transport)
    if not callable(getattr(transport, "aclose", None)):
        raise RequestError(
            "AsyncInferenceClient needs an async transport (with async `send`, `stream` and"
            f" `aclose`), got {type(transport).__name__}"
        )
    return transport  # type: ignore[no-any-return]


class _AsyncView:
    """A :class:`MockTransport` seen as async. Safe because the mock never blocks."""

    def __init__(self, mock: MockTransport) -> None:
        self._mock = mock

    async def send(self, request: Request) -> Response:
        return self._mock.send(request)

    @asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        with self._mock.stream(request) as response:
            yield AsyncStreamResponse(
                response.status, response.headers, _AsyncChunks(response.chunks)
            )

    async def sleep(self, seconds: float) -> None:
        self._mock.sleep(seconds)

    async def aclose(self) -> None:
        self._mock.close()


class _AsyncChunks:
    """An async iterator over a sync iterator of chunks (no async generator to finalize)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks

    def __aiter__(self) -> _AsyncChunks:
        return self

    async def __anext__(self) -> bytes:
        try:
            return next(self._chunks)
        except StopIteration:
            raise StopAsyncIteration from None
