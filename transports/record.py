"""Recording transports: wrap any transport and write every round trip to a cassette.

Strategy: :class:`RecordingTransport` (and :class:`AsyncRecordingTransport`) forwards each
``send`` and ``stream`` to the wrapped transport unchanged, and keeps a scrubbed copy of the
request and of what came back: the whole response, each streamed chunk as it arrived, or the
transport error raised. A slot is reserved when a request starts, so the cassette lists
interactions in the order they were sent even when streams finish later. The cassette is written
on ``close()``/``aclose()`` (or :meth:`save`), in the format of :mod:`transports.cassette`.
Secrets are scrubbed by default (see :class:`~transports.cassette.Scrubber`).

Example::

    with RecordingTransport(HttpcoreTransport(), "cassettes/chat.json") as transport:
        client = InferenceClient("http://127.0.0.1:8080", transport=transport)
        client.chat_completion([{"role": "user", "content": "Hi"}])
    # cassettes/chat.json now holds the request and the answer, token removed
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import anyio

from inference_core.transport import (
    AsyncStreamResponse,
    AsyncTransport,
    Headers,
    Request,
    Response,
    StreamResponse,
    SyncTransport,
    TransportError,
)

from .cassette import Cassette, Interaction, Scrubber, error_record

__all__ = ["AsyncRecordingTransport", "RecordingTransport"]


class _Log:
    """The interactions recorded so far, in request order; thread-safe."""

    def __init__(self, path: str | os.PathLike[str], scrub: Scrubber | None) -> None:
        self.path = Path(path)
        self.scrub = Scrubber() if scrub is None else scrub
        self.closed = False
        self._slots: list[Interaction | None] = []
        self._lock = threading.Lock()

    def start(self, request: Request) -> tuple[int, Request]:
        if self.closed:
            raise RuntimeError("the recording transport is closed")
        with self._lock:
            self._slots.append(None)
            return len(self._slots) - 1, self.scrub.request(request)

    def put(self, slot: int, interaction: Interaction) -> None:
        with self._lock:
            self._slots[slot] = interaction

    def answered(self, slot: int, request: Request, response: Response) -> None:
        self.put(slot, Interaction(request, self.scrub.response(response)))

    def failed(self, slot: int, request: Request, exc: BaseException) -> None:
        self.put(slot, Interaction(request, error=error_record(exc)))

    def streamed(
        self, slot: int, request: Request, status: int, headers: Headers, tap: _TapState
    ) -> None:
        chunks = [self.scrub.body(chunk) for chunk in tap.seen]
        body = self.scrub.body(b"".join(tap.seen))
        if b"".join(chunks) != body:  # a secret split across chunks: keep it scrubbed
            chunks = [body] if body else []
        response = Response(status, self.scrub.header_pairs(headers), body)
        truncated = not tap.done and tap.error is None
        self.put(slot, Interaction(request, response, chunks, truncated, tap.error))

    def cassette(self) -> Cassette:
        with self._lock:
            return Cassette([slot for slot in self._slots if slot is not None])


class _TapState:
    def __init__(self) -> None:
        self.seen: list[bytes] = []
        self.done = False
        self.error: dict[str, str] | None = None


class _Tap(_TapState, Iterator[bytes]):
    """Passes the wrapped stream's chunks through, keeping a copy of each."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks

    def __next__(self) -> bytes:
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self.done = True
            raise
        except TransportError as exc:
            self.error = error_record(exc)
            raise
        self.seen.append(chunk)
        return chunk


class _AsyncTap(_TapState, AsyncIterator[bytes]):
    """The async twin of :class:`_Tap` (a class: no async generator to finalize)."""

    def __init__(self, chunks: AsyncIterator[bytes]) -> None:
        super().__init__()
        self._chunks = chunks

    async def __anext__(self) -> bytes:
        try:
            chunk = await self._chunks.__anext__()
        except StopAsyncIteration:
            self.done = True
            raise
        except TransportError as exc:
            self.error = error_record(exc)
            raise
        self.seen.append(chunk)
        return chunk


class _Recorder:
    _log: _Log

    @property
    def path(self) -> Path:
        """Where the cassette is written."""
        return self._log.path

    @property
    def cassette(self) -> Cassette:
        """What was recorded so far (scrubbed)."""
        return self._log.cassette()

    def save(self) -> None:
        """Write the cassette now (``close`` does it too)."""
        self._log.cassette().save(self._log.path)


class RecordingTransport(_Recorder):
    """A :class:`~transports.SyncTransport` that records what ``inner`` sends and receives.

    Args:
        inner: the transport that does the real I/O.
        path: the cassette file written on :meth:`close` (replaced if it exists).
        scrub: what to remove before writing; default :class:`~transports.cassette.Scrubber()`
            (credential headers, credential query parameters, ``hf_`` tokens).
            ``Scrubber.none()`` keeps everything.
        close_inner: close ``inner`` on :meth:`close` (default True).

    Requests and answers pass through unchanged; only the cassette is scrubbed.
    """

    def __init__(
        self,
        inner: SyncTransport,
        path: str | os.PathLike[str],
        *,
        scrub: Scrubber | None = None,
        close_inner: bool = True,
    ) -> None:
        self._inner = inner
        self._log = _Log(path, scrub)
        self._close_inner = close_inner

    def send(self, request: Request) -> Response:
        """Send through ``inner`` and record the answer (or the transport error)."""
        slot, scrubbed = self._log.start(request)
        try:
            response = self._inner.send(request)
        except TransportError as exc:
            self._log.failed(slot, scrubbed, exc)
            raise
        self._log.answered(slot, scrubbed, response)
        return response

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Stream through ``inner``, recording each chunk as the caller reads it."""
        slot, scrubbed = self._log.start(request)
        with contextlib.ExitStack() as stack:
            try:
                opened = stack.enter_context(self._inner.stream(request))
            except TransportError as exc:
                self._log.failed(slot, scrubbed, exc)
                raise
            tap = _Tap(opened.chunks)
            try:
                yield StreamResponse(opened.status, opened.headers, tap)
            finally:
                self._log.streamed(slot, scrubbed, opened.status, opened.headers, tap)

    def sleep(self, seconds: float) -> None:
        """Wait as ``inner`` waits (``time.sleep`` if it has no ``sleep``)."""
        getattr(self._inner, "sleep", time.sleep)(seconds)

    def close(self) -> None:
        """Close ``inner`` (unless ``close_inner=False``) and write the cassette. Idempotent."""
        if self._log.closed:
            return
        self._log.closed = True
        try:
            if self._close_inner:
                self._inner.close()
        finally:
            self.save()

    def __enter__(self) -> RecordingTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncRecordingTransport(_Recorder):
    """The async twin of :class:`RecordingTransport`, wrapping an
    :class:`~transports.AsyncTransport`; the cassette is written on :meth:`aclose`."""

    def __init__(
        self,
        inner: AsyncTransport,
        path: str | os.PathLike[str],
        *,
        scrub: Scrubber | None = None,
        close_inner: bool = True,
    ) -> None:
        self._inner = inner
        self._log = _Log(path, scrub)
        self._close_inner = close_inner

    async def send(self, request: Request) -> Response:
        """Send through ``inner`` and record the answer (or the transport error)."""
        slot, scrubbed = self._log.start(request)
        try:
            response = await self._inner.send(request)
        except TransportError as exc:
            self._log.failed(slot, scrubbed, exc)
            raise
        self._log.answered(slot, scrubbed, response)
        return response

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """Stream through ``inner``, recording each chunk as the caller reads it."""
        slot, scrubbed = self._log.start(request)
        async with contextlib.AsyncExitStack() as stack:
            try:
                opened = await stack.enter_async_context(self._inner.stream(request))
            except TransportError as exc:
                self._log.failed(slot, scrubbed, exc)
                raise
            tap = _AsyncTap(opened.chunks)
            try:
                yield AsyncStreamResponse(opened.status, opened.headers, tap)
            finally:
                self._log.streamed(slot, scrubbed, opened.status, opened.headers, tap)

    async def sleep(self, seconds: float) -> None:
        """Wait as ``inner`` waits (``anyio.sleep`` if it has no ``sleep``)."""
        sleep: Any = getattr(self._inner, "sleep", anyio.sleep)
        await sleep(seconds)

    async def aclose(self) -> None:
        """Close ``inner`` (unless ``close_inner=False``) and write the cassette. Idempotent."""
        if self._log.closed:
            return
        self._log.closed = True
        try:
            if self._close_inner:
                await self._inner.aclose()
        finally:
            self.save()

    async def __aenter__(self) -> AsyncRecordingTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
