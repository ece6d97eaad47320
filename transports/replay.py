"""Replaying transports: answer requests from a cassette, with no network at all.

Strategy: :class:`ReplayTransport` (and :class:`AsyncReplayTransport`) scrubs each incoming
request the way the recording was scrubbed, then takes the first unused recorded interaction
that matches it (``match_on``, default method + URL + body), so repeated identical requests
replay in recorded order. What was recorded comes back: the response, the streamed chunks with
their recorded chunking (or ``chunk_size`` pieces), or the recorded transport error. It fails
loudly: a request nothing matches raises :class:`UnmatchedRequestError` naming the request and
the unused candidates, and closing with recorded interactions never used raises
:class:`UnusedInteractionsError` (unless ``allow_unused=True``, or the ``with`` block already
failed). ``sleep`` returns at once, so polling providers replay instantly.

Example::

    with ReplayTransport("cassettes/chat.json") as transport:
        client = InferenceClient("http://127.0.0.1:8080", transport=transport)
        client.chat_completion([{"role": "user", "content": "Hi"}])
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import AsyncIterator, Iterable, Iterator
from types import TracebackType

import anyio.lowlevel

from inference_core.transport import (
    AsyncStreamResponse,
    Request,
    Response,
    ResponseTooLargeError,
    StreamResponse,
)

from .cassette import (
    DEFAULT_MATCH,
    Cassette,
    CassetteError,
    Interaction,
    MatchRule,
    Scrubber,
    check_match_on,
    describe,
    error_from,
    matches,
)

__all__ = [
    "AsyncReplayTransport",
    "ReplayTransport",
    "UnmatchedRequestError",
    "UnusedInteractionsError",
]

_SHOWN = 5  # candidates listed in an error message


class UnmatchedRequestError(CassetteError):
    """A request matches no unused interaction of the cassette."""


class UnusedInteractionsError(CassetteError):
    """The replay ended with recorded interactions that no request used."""


class _Player:
    """The state both replaying transports share: the cassette, what was used, what was seen."""

    def __init__(
        self,
        cassette: Cassette | str | os.PathLike[str],
        match_on: Iterable[MatchRule],
        scrub: Scrubber | None,
        chunk_size: int | None,
        allow_unused: bool,
    ) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ValueError(f"chunk_size must be positive or None, got {chunk_size}")
        self.source = "the cassette" if isinstance(cassette, Cassette) else repr(str(cassette))
        self.cassette = cassette if isinstance(cassette, Cassette) else Cassette.load(cassette)
        self.match_on = check_match_on(match_on)
        self.scrub = Scrubber() if scrub is None else scrub
        self.chunk_size = chunk_size
        self.allow_unused = allow_unused
        self.used = [False] * len(self.cassette.interactions)
        self.requests: list[Request] = []
        self.sleeps: list[float] = []
        self.closed = False
        self._lock = threading.Lock()

    @property
    def unused(self) -> list[Interaction]:
        pairs = zip(self.cassette.interactions, self.used, strict=True)
        return [interaction for interaction, used in pairs if not used]

    def take(self, request: Request) -> Interaction:
        if self.closed:
            raise RuntimeError("the replaying transport is closed")
        scrubbed = self.scrub.request(request)
        with self._lock:
            self.requests.append(request)
            for index, interaction in enumerate(self.cassette.interactions):
                if not self.used[index] and matches(scrubbed, interaction.request, self.match_on):
                    self.used[index] = True
                    return interaction
        rules = ", ".join(
            r if isinstance(r, str) else getattr(r, "__name__", "custom") for r in self.match_on
        )
        raise UnmatchedRequestError(
            f"no recorded interaction in {self.source} matches {describe(scrubbed)}"
            f" (matching on {rules}).{self._candidates()}"
            " Re-record the cassette if the requests changed on purpose."
        )

    def _candidates(self) -> str:
        unused = self.unused
        if not unused:
            return " Every recorded interaction was already used."
        lines = "".join(f"\n  - {describe(i.request)}" for i in unused[:_SHOWN])
        more = f"\n  ... and {len(unused) - _SHOWN} more" if len(unused) > _SHOWN else ""
        return f" Unused recorded requests:{lines}{more}\n"

    def response(self, interaction: Interaction, request: Request) -> Response:
        """The recorded answer to ``request`` (whose ``max_bytes`` is honoured like a real
        transport's)."""
        if interaction.error is not None or interaction.response is None:
            assert interaction.error is not None  # an entry has a response or an error
            raise error_from(interaction.error)
        if interaction.truncated:
            raise CassetteError(
                f"{describe(interaction.request)} was recorded as a stream its caller stopped"
                " reading early; its whole body is not in the cassette"
            )
        limit = request.max_bytes
        if limit is not None and len(interaction.response.body) > limit:
            raise ResponseTooLargeError(
                f"the response to {request.method} {request.url} is larger than {limit} bytes"
            )
        return interaction.response

    def chunks(self, interaction: Interaction) -> list[bytes]:
        assert interaction.response is not None
        if self.chunk_size is None and interaction.chunks is not None:
            return interaction.chunks
        body = interaction.response.body
        size = self.chunk_size or len(body) or 1
        return [body[i : i + size] for i in range(0, len(body), size)]

    def after_chunks(self, interaction: Interaction) -> None:
        """Raise what ended the recorded stream, if it did not end normally."""
        if interaction.error is not None:
            raise error_from(interaction.error)
        if interaction.truncated:
            raise CassetteError(
                f"the recording of {describe(interaction.request)} stops after"
                f" {len(interaction.chunks or [])} chunks: its caller stopped reading there"
            )

    def verify(self) -> None:
        unused = self.unused
        if unused and not self.allow_unused:
            lines = "".join(f"\n  - {describe(i.request)}" for i in unused[:_SHOWN])
            more = f"\n  ... and {len(unused) - _SHOWN} more" if len(unused) > _SHOWN else ""
            raise UnusedInteractionsError(
                f"{len(unused)} recorded interaction(s) of {self.source} were never requested:"
                f"{lines}{more}\nPass allow_unused=True if that is expected."
            )

    def close(self, *, check: bool) -> None:
        if self.closed:
            return
        self.closed = True
        if check:
            self.verify()


def _chunk_iterator(player: _Player, interaction: Interaction) -> Iterator[bytes]:
    yield from player.chunks(interaction)
    player.after_chunks(interaction)


class _ReplayBase:
    _player: _Player

    @property
    def requests(self) -> list[Request]:
        """Every request received, in order (unscrubbed)."""
        return self._player.requests

    @property
    def sleeps(self) -> list[float]:
        """Every ``sleep(seconds)`` call, in order (nothing actually waits)."""
        return self._player.sleeps

    @property
    def unused(self) -> list[Interaction]:
        """The recorded interactions no request has used yet."""
        return self._player.unused

    @property
    def closed(self) -> bool:
        """True once closed; later requests raise ``RuntimeError``."""
        return self._player.closed

    def verify(self) -> None:
        """Raise :class:`UnusedInteractionsError` if some recorded interactions were never
        requested (unless ``allow_unused``)."""
        self._player.verify()


class ReplayTransport(_ReplayBase):
    """A :class:`~transports.SyncTransport` answering from a cassette.

    Args:
        cassette: a cassette file path, or a :class:`~transports.cassette.Cassette`.
        match_on: aspects a request must share with a recorded one (``"method"``, ``"url"``,
            ``"host"``, ``"path"``, ``"query"``, ``"body"``, ``"headers"``) and/or callables
            ``(incoming, recorded) -> bool``. Default: method, URL and body.
        scrub: applied to incoming requests before matching; use the recording's scrubber
            (default :class:`~transports.cassette.Scrubber()`, the recorder's default too).
        chunk_size: re-split streamed bodies into pieces of this many bytes (default: the
            recorded chunks).
        allow_unused: do not raise on close when some interactions were never requested.
    """

    def __init__(
        self,
        cassette: Cassette | str | os.PathLike[str],
        *,
        match_on: Iterable[MatchRule] = DEFAULT_MATCH,
        scrub: Scrubber | None = None,
        chunk_size: int | None = None,
        allow_unused: bool = False,
    ) -> None:
        self._player = _Player(cassette, match_on, scrub, chunk_size, allow_unused)

    def send(self, request: Request) -> Response:
        """The recorded response of the first unused interaction matching ``request``."""
        return self._player.response(self._player.take(request), request)

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """The recorded answer of the matching interaction, chunk by chunk."""
        interaction = self._player.take(request)
        if interaction.response is None:
            assert interaction.error is not None
            raise error_from(interaction.error)
        response = interaction.response
        yield StreamResponse(
            response.status, response.headers, _chunk_iterator(self._player, interaction)
        )

    def sleep(self, seconds: float) -> None:
        """Record ``seconds`` in :attr:`sleeps` and return at once."""
        self._player.sleeps.append(seconds)

    def close(self, *, verify: bool = True) -> None:
        """Stop replaying; then, unless ``verify=False``, :meth:`verify`. Idempotent."""
        self._player.close(check=verify)

    def __enter__(self) -> ReplayTransport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._player.close(check=exc_type is None)


class AsyncReplayTransport(_ReplayBase):
    """The async twin of :class:`ReplayTransport` (same arguments). Each call passes through a
    checkpoint, so cancellation behaves as with a real transport."""

    def __init__(
        self,
        cassette: Cassette | str | os.PathLike[str],
        *,
        match_on: Iterable[MatchRule] = DEFAULT_MATCH,
        scrub: Scrubber | None = None,
        chunk_size: int | None = None,
        allow_unused: bool = False,
    ) -> None:
        self._player = _Player(cassette, match_on, scrub, chunk_size, allow_unused)

    async def send(self, request: Request) -> Response:
        """The recorded response of the first unused interaction matching ``request``."""
        await anyio.lowlevel.checkpoint()
        return self._player.response(self._player.take(request), request)

    @contextlib.asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """The recorded answer of the matching interaction, chunk by chunk."""
        await anyio.lowlevel.checkpoint()
        interaction = self._player.take(request)
        if interaction.response is None:
            assert interaction.error is not None
            raise error_from(interaction.error)
        response = interaction.response
        chunks = _AsyncChunks(self._player, interaction)
        yield AsyncStreamResponse(response.status, response.headers, chunks)

    async def sleep(self, seconds: float) -> None:
        """Record ``seconds`` in :attr:`sleeps` and return after a checkpoint, without waiting."""
        self._player.sleeps.append(seconds)
        await anyio.lowlevel.checkpoint()

    async def aclose(self, *, verify: bool = True) -> None:
        """Stop replaying; then, unless ``verify=False``, :meth:`verify`. Idempotent."""
        self._player.close(check=verify)

    async def __aenter__(self) -> AsyncReplayTransport:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._player.close(check=exc_type is None)


class _AsyncChunks(AsyncIterator[bytes]):
    """Recorded chunks as an async iterator (a class: no async generator to finalize)."""

    def __init__(self, player: _Player, interaction: Interaction) -> None:
        self._player = player
        self._interaction = interaction
        self._chunks = iter(player.chunks(interaction))

    async def __anext__(self) -> bytes:
        await anyio.lowlevel.checkpoint()
        try:
            return next(self._chunks)
        except StopIteration:
            self._player.after_chunks(self._interaction)
            raise StopAsyncIteration from None
