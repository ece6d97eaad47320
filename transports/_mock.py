"""Test doubles: :class:`MockTransport` and :class:`AsyncMockTransport`, public for users' tests.

Strategy: httpx's ``MockTransport(handler)``, on our boundary values. The handler maps each
:class:`~inference_core.Request` to a :class:`~inference_core.Response` (or raises, e.g. a
:class:`~inference_core.ReadError`, to simulate a failure). Every request and every sleep is
recorded, and sleeps never wait, so retry and polling tests run instantly.

Bounds apply as on a real transport: a request past its ``deadline`` raises
:class:`~inference_core.InferenceTimeoutError` before the handler sees it, and a ``send`` whose
body exceeds ``max_bytes`` raises :class:`~inference_core.ResponseTooLargeError`. Bodies are
returned as the handler gives them (never decoded).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Union

from inference_core.transport import AsyncStreamResponse, Request, Response, StreamResponse

from ._limits import check_deadline, too_large

__all__ = ["AsyncMockTransport", "MockTransport"]


class _Recorder:
    def __init__(self, chunk_size: int | None) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"chunk_size must be positive or None, got {chunk_size}")
        self.requests: list[Request] = []
        self.sleeps: list[float] = []
        self.closed = False
        self._chunk_size = chunk_size

    def _record(self, request: Request) -> None:
        if self.closed:
            raise RuntimeError(f"{type(self).__name__} is closed")
        self.requests.append(request)
        check_deadline(request)

    @staticmethod
    def _bounded(request: Request, response: Response) -> Response:
        if request.max_bytes is not None and len(response.body) > request.max_bytes:
            raise too_large(request.url, request.max_bytes)
        return response

    def _split(self, body: bytes) -> list[bytes]:
        size = self._chunk_size or len(body) or 1
        return [body[i : i + size] for i in range(0, len(body), size)]


class MockTransport(_Recorder):
    """A :class:`~transports.SyncTransport` that answers from ``handler``, without any I/O.

    Args:
        handler: called with each request; returns the response to give back.
        chunk_size: ``stream`` yields the body in pieces of this many bytes (default: the
            whole body as one chunk; an empty body yields no chunk).

    Attributes:
        requests: every request sent or streamed, in order.
        sleeps: every ``sleep(seconds)`` call, in order (nothing actually waits).
        closed: True once ``close`` was called; later calls raise ``RuntimeError``.

    Example::

        transport = MockTransport(lambda request: Response(200, body=b'{"ok": true}'))
        client = InferenceClient(transport=transport)
        ...
        assert transport.requests[0].url.endswith("/models/gpt2")
    """

    def __init__(
        self, handler: Callable[[Request], Response], *, chunk_size: int | None = None
    ) -> None:
        super().__init__(chunk_size)
        self._handler = handler

    def send(self, request: Request) -> Response:
        """Record ``request`` and return the handler's response."""
        self._record(request)
        return self._bounded(request, self._handler(request))

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Record ``request`` and stream the handler's response body in ``chunk_size`` pieces."""
        self._record(request)
        response = self._handler(request)
        yield StreamResponse(response.status, response.headers, iter(self._split(response.body)))

    def sleep(self, seconds: float) -> None:
        """Record ``seconds`` in :attr:`sleeps` and return at once."""
        self.sleeps.append(seconds)

    def close(self) -> None:
        """Mark the transport closed. Idempotent."""
        self.closed = True

    def __enter__(self) -> MockTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


AsyncHandler = Callable[[Request], Union[Response, Awaitable[Response]]]


class AsyncMockTransport(_Recorder):
    """An :class:`~transports.AsyncTransport` that answers from ``handler``, without any I/O.

    Same arguments and attributes as :class:`MockTransport`; ``handler`` may be a plain
    function or an ``async def``. Each call still passes through a checkpoint, so cancellation
    and timeouts behave as with a real transport.
    """

    def __init__(self, handler: AsyncHandler, *, chunk_size: int | None = None) -> None:
        super().__init__(chunk_size)
        self._handler = handler

    async def send(self, request: Request) -> Response:
        """Record ``request`` and return the handler's response (awaited if need be)."""
        return self._bounded(request, await self._answer(request))

    async def _answer(self, request: Request) -> Response:
        await _checkpoint()
        self._record(request)
        result = self._handler(request)
        return result if isinstance(result, Response) else await result

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """Record ``request`` and stream the handler's response body in ``chunk_size`` pieces."""
        response = await self._answer(request)
        chunks = _AsyncChunks(self._split(response.body))
        yield AsyncStreamResponse(response.status, response.headers, chunks)

    async def sleep(self, seconds: float) -> None:
        """Record ``seconds`` in :attr:`sleeps` and return after a checkpoint, without waiting."""
        self.sleeps.append(seconds)
        await _checkpoint()

    async def aclose(self) -> None:
        """Mark the transport closed. Idempotent."""
        self.closed = True

    async def __aenter__(self) -> AsyncMockTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class _AsyncChunks(AsyncIterator[bytes]):
    """An async iterator over prepared chunks (a class: no async generator to finalize)."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = iter(chunks)

    async def __anext__(self) -> bytes:
        await _checkpoint()
        try:
            return next(self._chunks)
        except StopIteration:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        """Drop the chunks not yet taken."""
        self._chunks = iter(())


async def _checkpoint() -> None:
    """Let other tasks run (``anyio.lowlevel.checkpoint``; anyio imported on first await)."""
    import anyio.lowlevel

    await anyio.lowlevel.checkpoint()
