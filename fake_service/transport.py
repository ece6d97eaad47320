"""The fake service as transports: in-process (no sockets) and rerouting to a loopback server.

Strategy: :class:`FakeTransport` and :class:`AsyncFakeTransport` hand each request to a
:class:`~fake_service.FakeService` and turn its action into what a real transport would give:
a :class:`Reply` becomes a ``Response``, a :class:`StreamReply` a stream with the same chunks,
a cut body a ``RemoteProtocolError`` after the bytes sent, a stall or a delay longer than the
request's ``timeout`` an ``InferenceTimeoutError`` (at once: nothing waits in-process). Sleeps
are recorded and return at once, so polling providers answer instantly.

:class:`RerouteTransport` and :class:`AsyncRerouteTransport` wrap a real transport and send
every request to one base URL (the fake service's loopback server) with ``Host`` set to the
original host, the way a reverse proxy sees traffic: the fake service then knows which
provider the request was for, while the client and any recording see the real URLs.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import anyio.lowlevel
import attrs

from inference_core.transport import (
    AsyncStreamResponse,
    AsyncTransport,
    InferenceTimeoutError,
    RemoteProtocolError,
    Request,
    Response,
    ResponseTooLargeError,
    StreamResponse,
    SyncTransport,
    TransportError,
    idle_seconds,
)

from .server import Action, CloseMidBody, Delayed, Headers, Reply, ServerRequest, Stall
from .service import FakeService

__all__ = ["AsyncFakeTransport", "AsyncRerouteTransport", "FakeTransport", "RerouteTransport"]


@attrs.frozen
class _Outcome:
    status: int
    headers: Headers
    chunks: list[bytes]
    failure: TransportError | None = None


def _server_request(request: Request) -> ServerRequest:
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = tuple((k.lower(), v) for k, v in request.headers)
    return ServerRequest(request.method, target, headers, request.body or b"", 0)


def _outcome(action: Action, request: Request, chunk_size: int | None) -> _Outcome:
    if isinstance(action, Delayed):
        idle = idle_seconds(request.timeout)
        if idle is not None and action.seconds >= idle:
            raise InferenceTimeoutError(
                f"fake service: {request.method} {request.url} answers after {action.seconds:g}"
                f" s, past the request's {idle:g} s timeout"
            )
        return _outcome(action.action, request, chunk_size)
    if isinstance(action, Stall):
        raise InferenceTimeoutError(f"fake service: {request.method} {request.url} never answers")
    if isinstance(action, CloseMidBody):
        headers: Headers = (("content-length", str(action.declared_length)),)
        cut = RemoteProtocolError(
            f"peer closed connection without sending complete message body: received"
            f" {len(action.partial)} bytes, expected {action.declared_length}"
        )
        return _Outcome(action.status, headers, [action.partial] if action.partial else [], cut)
    if isinstance(action, Reply):
        headers = (*action.headers, ("content-length", str(len(action.body))))
        body = action.body
        size = chunk_size or len(body) or 1
        chunks = [body[i : i + size] for i in range(0, len(body), size)]
        return _Outcome(action.status, headers, chunks)
    chunks = [chunk for chunk in action.chunks if chunk]
    headers = (*action.headers, ("transfer-encoding", "chunked"))
    cut = RemoteProtocolError("peer closed connection without sending complete message body")
    return _Outcome(action.status, headers, chunks, cut if action.cut else None)


def _chunks(outcome: _Outcome) -> Iterator[bytes]:
    yield from outcome.chunks
    if outcome.failure is not None:
        raise outcome.failure


class _FakeBase:
    def __init__(self, service: FakeService | None, chunk_size: int | None) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"chunk_size must be positive or None, got {chunk_size}")
        self.service = FakeService() if service is None else service
        self.requests: list[Request] = []
        self.sleeps: list[float] = []
        self.closed = False
        self._chunk_size = chunk_size

    def _answer(self, request: Request) -> _Outcome:
        if self.closed:
            raise RuntimeError(f"{type(self).__name__} is closed")
        self.requests.append(request)
        action = self.service.answer(_server_request(request), request.url)
        return _outcome(action, request, self._chunk_size)

    def _whole(self, request: Request) -> Response:
        outcome = self._answer(request)
        if outcome.failure is not None:
            raise outcome.failure
        body = b"".join(outcome.chunks)
        if request.max_bytes is not None and len(body) > request.max_bytes:
            raise ResponseTooLargeError(
                f"the response to {request.method} {request.url} is larger than"
                f" {request.max_bytes} bytes"
            )
        return Response(outcome.status, outcome.headers, body)


class FakeTransport(_FakeBase):
    """A :class:`~transports.SyncTransport` answered by a :class:`FakeService`, no sockets.

    Args:
        service: the fake service (default: a new one); set faults and models on it.
        chunk_size: split whole answers into chunks of this size when streamed (streamed
            answers keep the service's chunks: one per SSE event).

    Attributes:
        requests: every request, in order. sleeps: every ``sleep`` (nothing waits).
    """

    def __init__(self, service: FakeService | None = None, *, chunk_size: int | None = None):
        super().__init__(service, chunk_size)

    def send(self, request: Request) -> Response:
        """The service's whole answer."""
        return self._whole(request)

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """The service's answer, chunk by chunk."""
        outcome = self._answer(request)
        yield StreamResponse(outcome.status, outcome.headers, _chunks(outcome))

    def sleep(self, seconds: float) -> None:
        """Record ``seconds`` and return at once."""
        self.sleeps.append(seconds)

    def close(self) -> None:
        """Mark the transport closed. Idempotent."""
        self.closed = True

    def __enter__(self) -> FakeTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncFakeTransport(_FakeBase):
    """The async twin of :class:`FakeTransport` (asyncio and trio); each call checkpoints."""

    def __init__(self, service: FakeService | None = None, *, chunk_size: int | None = None):
        super().__init__(service, chunk_size)

    async def send(self, request: Request) -> Response:
        """The service's whole answer."""
        await anyio.lowlevel.checkpoint()
        return self._whole(request)

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """The service's answer, chunk by chunk."""
        await anyio.lowlevel.checkpoint()
        outcome = self._answer(request)
        yield AsyncStreamResponse(outcome.status, outcome.headers, _AsyncChunks(outcome))

    async def sleep(self, seconds: float) -> None:
        """Record ``seconds`` and return after a checkpoint, without waiting."""
        self.sleeps.append(seconds)
        await anyio.lowlevel.checkpoint()

    async def aclose(self) -> None:
        """Mark the transport closed. Idempotent."""
        self.closed = True

    async def __aenter__(self) -> AsyncFakeTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class _AsyncChunks(AsyncIterator[bytes]):
    def __init__(self, outcome: _Outcome) -> None:
        self._chunks = _chunks(outcome)

    async def __anext__(self) -> bytes:
        await anyio.lowlevel.checkpoint()
        try:
            return next(self._chunks)
        except StopIteration:
            raise StopAsyncIteration from None


def reroute(request: Request, base_url: str) -> Request:
    """``request`` sent to ``base_url`` instead, with ``Host`` naming its original host."""
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = tuple(h for h in request.headers if h[0].lower() != "host")
    return attrs.evolve(
        request, url=base_url.rstrip("/") + target, headers=(("Host", parts.netloc), *headers)
    )


class RerouteTransport:
    """Wrap ``inner`` so every request goes to ``base_url`` (``Host`` keeps the original host).

    ``wait=False`` makes ``sleep`` return at once (polls of a fake service need no real wait).
    Closing it closes ``inner``.
    """

    def __init__(self, inner: SyncTransport, base_url: str, *, wait: bool = True) -> None:
        self.inner = inner
        self.base_url = base_url
        self.wait = wait

    def send(self, request: Request) -> Response:
        """Send the rerouted request through ``inner``."""
        return self.inner.send(reroute(request, self.base_url))

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Stream the rerouted request through ``inner``."""
        with self.inner.stream(reroute(request, self.base_url)) as response:
            yield response

    def sleep(self, seconds: float) -> None:
        """Wait as ``inner`` waits (not at all with ``wait=False``)."""
        import time

        if self.wait:
            sleep: Any = getattr(self.inner, "sleep", time.sleep)
            sleep(seconds)

    def close(self) -> None:
        """Close ``inner``."""
        self.inner.close()

    def __enter__(self) -> RerouteTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRerouteTransport:
    """The async twin of :class:`RerouteTransport`."""

    def __init__(self, inner: AsyncTransport, base_url: str, *, wait: bool = True) -> None:
        self.inner = inner
        self.base_url = base_url
        self.wait = wait

    async def send(self, request: Request) -> Response:
        """Send the rerouted request through ``inner``."""
        return await self.inner.send(reroute(request, self.base_url))

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """Stream the rerouted request through ``inner``."""
        async with self.inner.stream(reroute(request, self.base_url)) as response:
            yield response

    async def sleep(self, seconds: float) -> None:
        """Wait as ``inner`` waits (only a checkpoint with ``wait=False``)."""
        if not self.wait:
            await anyio.lowlevel.checkpoint()
            return
        sleep: Any = getattr(self.inner, "sleep", anyio.sleep)
        await sleep(seconds)

    async def aclose(self) -> None:
        """Close ``inner``."""
        await self.inner.aclose()

    async def __aenter__(self) -> AsyncRerouteTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
