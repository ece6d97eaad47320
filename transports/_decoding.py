"""Streaming ``Content-Encoding`` decoding (``gzip``, ``deflate``) for every transport's bodies.

Strategy: one :class:`Decoder` per response, a ``zlib.decompressobj`` driven pull-style: the
transport :meth:`~Decoder.feed`\\ s each network chunk, then calls :meth:`~Decoder.read` with the
most bytes it wants, until it gets ``b""``. Input the decompressor did not consume yet is kept
(``unconsumed_tail``), so a small compressed chunk that inflates to gigabytes (a decompression
bomb) only ever produces what the caller asked for. ``gzip`` accepts several members back to
back; ``deflate`` accepts the zlib format (RFC 1950, what the name means) and raw deflate (what
some servers send), told apart by the first two bytes. Corrupt input, or a body that ends
mid-stream, raises :class:`RemoteProtocolError`.

Transports that decode hand back headers without ``Content-Encoding`` and ``Content-Length``
(:func:`decoded_headers`): both describe the bytes on the wire, not the body we return.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Iterator

from inference_core.transport import Headers, RemoteProtocolError

__all__ = [
    "ACCEPT_ENCODING",
    "PIECE_SIZE",
    "AsyncDecodedChunks",
    "DecodedChunks",
    "Decoder",
    "decoded_headers",
    "decoder_for",
]

ACCEPT_ENCODING = "gzip, deflate"  # what a session we own offers when a request names none
PIECE_SIZE = 65536  # the most decoded bytes handed out at once
_GZIP = zlib.MAX_WBITS | 16
_ZLIB = zlib.MAX_WBITS
_RAW = -zlib.MAX_WBITS
_ENCODINGS = {"gzip": _GZIP, "x-gzip": _GZIP, "deflate": _ZLIB}


def _encoding(headers: Headers) -> str | None:
    for name, value in headers:
        if name == "content-encoding":
            encoding = value.strip().lower()
            return encoding if encoding in _ENCODINGS else None
    return None


def decoder_for(headers: Headers, url: str) -> Decoder | None:
    """A decoder for the body, or None when it is not ``gzip``/``deflate`` encoded.

    ``headers`` are our response headers (names lower-cased). Any other encoding is left as is.
    """
    encoding = _encoding(headers)
    return None if encoding is None else Decoder(encoding, url)


def decoded_headers(headers: Headers) -> Headers:
    """``headers`` without ``Content-Encoding`` and ``Content-Length``, for a decoded body."""
    return tuple(pair for pair in headers if pair[0] not in ("content-encoding", "content-length"))


class Decoder:
    """Decodes one ``gzip`` or ``deflate`` body, handing out at most what is asked for."""

    __slots__ = ("_encoding", "_inflate", "_pending", "_started", "_url")

    def __init__(self, encoding: str, url: str) -> None:
        self._encoding, self._url = encoding, url
        self._inflate: zlib._Decompress | None = None  # made once the first bytes are in
        self._pending = b""  # input not handed to the decompressor yet
        self._started = False  # any input seen

    def feed(self, data: bytes | bytearray) -> None:
        """Queue network bytes; :meth:`read` decodes them."""
        if data:
            self._started = True
            self._pending = self._pending + bytes(data) if self._pending else bytes(data)

    def read(self, most: int) -> bytes:
        """Up to ``most`` (at least 1) decoded bytes; ``b""`` once the queued input is used up."""
        while self._pending:
            inflate = self._inflate
            if inflate is None:
                inflate = self._inflate = self._start()
                if inflate is None:
                    return b""  # deflate needs two bytes to tell its format
            elif inflate.eof:
                if not self._next_member():
                    return b""
                continue
            try:
                out = inflate.decompress(self._pending, most)
            except zlib.error as exc:
                raise self._error(str(exc)) from None
            # At the end of a stream the rest is unused_data (which then holds all of it).
            self._pending = inflate.unused_data if inflate.eof else inflate.unconsumed_tail
            if out:
                return out
        return b""

    def finish(self) -> None:
        """At the end of the body: raise :class:`RemoteProtocolError` if it was cut short."""
        if not self._started:
            return  # an empty body (HEAD, 204, 304) is fine
        inflate = self._inflate
        if inflate is None or not inflate.eof:
            raise self._error("the body ended before the compressed stream did")

    def _start(self) -> zlib._Decompress | None:
        if self._encoding != "deflate":
            return zlib.decompressobj(_GZIP)
        if len(self._pending) < 2:
            return None
        first, second = self._pending[0], self._pending[1]
        is_zlib = first & 0x0F == 8 and (first << 8 | second) % 31 == 0
        return zlib.decompressobj(_ZLIB if is_zlib else _RAW)

    def _next_member(self) -> bool:
        """After a complete stream: start another gzip member, or drop trailing bytes."""
        if self._encoding != "deflate":
            if self._pending[:2] == b"\x1f\x8b":
                self._inflate = zlib.decompressobj(_GZIP)
                return True
            if self._pending == b"\x1f":
                return False  # maybe the next member: wait for its second byte
        self._pending = b""  # padding after the end (some servers add NULs): ignored
        return False

    def _error(self, detail: str) -> RemoteProtocolError:
        return RemoteProtocolError(
            f"HTTP protocol error from {self._url}: cannot decode the {self._encoding} body"
            f" ({detail})"
        )


class DecodedChunks(Iterator[bytes]):
    """A stream's chunks, decoded: wraps a transport's raw chunk iterator (and its ``close``)."""

    __slots__ = ("_decoder", "_raw")

    def __init__(self, raw: Iterator[bytes], decoder: Decoder) -> None:
        self._raw, self._decoder = raw, decoder

    def __next__(self) -> bytes:
        decoder = self._decoder
        try:
            while not (piece := decoder.read(PIECE_SIZE)):
                chunk = next(self._raw, None)
                if chunk is None:
                    decoder.finish()
                    raise StopIteration
                decoder.feed(chunk)
        except RemoteProtocolError:
            self.close()
            raise
        return piece

    def close(self) -> None:
        """Close the raw iterator (releasing its connection)."""
        close = getattr(self._raw, "close", None)
        if close is not None:
            close()


class AsyncDecodedChunks(AsyncIterator[bytes]):
    """The async twin of :class:`DecodedChunks` (a class: no async generator to finalize)."""

    __slots__ = ("_decoder", "_raw")

    def __init__(self, raw: AsyncIterator[bytes], decoder: Decoder) -> None:
        self._raw, self._decoder = raw, decoder

    async def __anext__(self) -> bytes:
        decoder = self._decoder
        try:
            while not (piece := decoder.read(PIECE_SIZE)):
                try:
                    chunk = await self._raw.__anext__()
                except StopAsyncIteration:
                    decoder.finish()
                    raise
                decoder.feed(chunk)
        except RemoteProtocolError:
            await self.aclose()
            raise
        return piece

    async def aclose(self) -> None:
        """Close the raw iterator (releasing its connection)."""
        aclose = getattr(self._raw, "aclose", None)
        if aclose is not None:
            await aclose()
