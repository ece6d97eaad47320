"""The pure pieces: the streaming decoder (``_decoding``) and a ``send``'s body (``_limits``).

Each encoded sample is fed three ways, as h11's tests do: whole, byte by byte, and in odd
pieces; the decoded bytes must be the same.
"""

from __future__ import annotations

import gzip
import time
import zlib

import pytest

from inference_core.transport import (
    InferenceTimeoutError,
    RemoteProtocolError,
    Request,
    ResponseTooLargeError,
)
from transports._decoding import Decoder, decoded_headers, decoder_for
from transports._limits import Body, check_deadline, wait_limit

TEXT = bytes(range(256)) * 64 + b"hello " * 1000


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


SAMPLES = {
    "gzip": ("gzip", gzip.compress(TEXT), TEXT),
    "x-gzip": ("x-gzip", gzip.compress(TEXT), TEXT),
    "two-gzip-members": ("gzip", gzip.compress(TEXT) + gzip.compress(b"more"), TEXT + b"more"),
    "gzip-then-padding": ("gzip", gzip.compress(TEXT) + b"\0\0\0", TEXT),
    "zlib-deflate": ("deflate", zlib.compress(TEXT), TEXT),
    "raw-deflate": ("deflate", _raw_deflate(TEXT), TEXT),
}


def decode_all(encoding: str, pieces: list[bytes], most: int = 4096) -> bytes:
    decoder = Decoder(encoding, "http://x/")
    out = []
    for piece in pieces:
        decoder.feed(piece)
        while chunk := decoder.read(most):
            assert len(chunk) <= most
            out.append(chunk)
    decoder.finish()
    return b"".join(out)


@pytest.mark.parametrize("name", list(SAMPLES))
@pytest.mark.parametrize("split", ["whole", "bytewise", "odd"])
def test_decodes_however_it_is_split(name: str, split: str) -> None:
    encoding, data, expected = SAMPLES[name]
    if split == "whole":
        pieces = [data]
    elif split == "bytewise":
        pieces = [data[i : i + 1] for i in range(len(data))]
    else:
        pieces = [data[i : i + 97] for i in range(0, len(data), 97)]
    assert decode_all(encoding, pieces) == expected


def test_empty_body_is_fine_and_truncated_or_garbage_is_a_protocol_error() -> None:
    assert decode_all("gzip", []) == b""
    with pytest.raises(RemoteProtocolError, match="gzip body"):
        decode_all("gzip", [gzip.compress(TEXT)[:-10]])
    with pytest.raises(RemoteProtocolError, match="http://x/"):
        decode_all("gzip", [b"not gzip at all"])
    with pytest.raises(RemoteProtocolError, match="deflate"):
        decode_all("deflate", [b"\xff"])  # one byte, then the body ends


def test_a_bomb_only_inflates_as_far_as_asked() -> None:
    decoder = Decoder("gzip", "http://x/")
    decoder.feed(gzip.compress(bytes(32 << 20)))
    assert len(decoder.read(10)) == 10
    assert len(decoder.read(1000)) == 1000


def test_decoder_for_and_headers() -> None:
    assert decoder_for((("content-encoding", "br"),), "u") is None  # left as is
    assert decoder_for((("content-type", "text/plain"),), "u") is None
    assert decoder_for((("content-encoding", " GZIP "),), "u") is not None
    headers = (("content-encoding", "gzip"), ("content-length", "9"), ("x", "y"))
    assert decoded_headers(headers) == (("x", "y"),)


def test_body_bounds() -> None:
    request = Request("GET", "http://x/big", max_bytes=10)
    with pytest.raises(ResponseTooLargeError, match=r"http://x/big.*max_bytes=10"):
        Body(request, 200, (("content-length", "11"),))  # declared: before any read
    body = Body(request, 200, ())
    body.feed(b"0123456789")
    assert body.response().body == b"0123456789"
    body = Body(request, 200, ())
    body.feed(b"01234")
    with pytest.raises(ResponseTooLargeError):
        body.feed(b"567890")
    head = Request("HEAD", "http://x/big", max_bytes=10)  # a HEAD's length is the GET's
    assert Body(head, 200, (("content-length", "11"),)).response().body == b""
    assert Body(request, 304, (("content-length", "11"),)).response().body == b""
    encoded = Body(request, 200, (("content-encoding", "gzip"), ("content-length", "99")))
    assert encoded.headers == ()
    with pytest.raises(ResponseTooLargeError):  # the decoded size counts, not the wire's
        encoded.feed(gzip.compress(bytes(1000)))


def test_deadlines() -> None:
    check_deadline(Request("GET", "http://x/"))
    check_deadline(Request("GET", "http://x/", deadline=time.monotonic() + 5))
    with pytest.raises(InferenceTimeoutError, match="deadline"):
        check_deadline(Request("GET", "http://x/", deadline=time.monotonic() - 1))
    assert wait_limit(3.0, None, "u") == 3.0
    assert wait_limit(None, None, "u") is None
    limit = wait_limit(None, time.monotonic() + 1, "u")
    assert limit is not None and 0.9 < limit <= 1
    assert wait_limit(0.5, time.monotonic() + 10, "u") == 0.5
    with pytest.raises(InferenceTimeoutError):
        wait_limit(5.0, time.monotonic(), "u")
    body = Body(Request("GET", "http://x/", deadline=time.monotonic() - 1), 200, ())
    with pytest.raises(InferenceTimeoutError):
        body.feed(b"late")
