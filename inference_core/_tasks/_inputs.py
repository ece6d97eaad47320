"""Task inputs: turning what callers pass (bytes, paths, URLs, files, PIL images) into bytes.

Strategy: :func:`read_content` is a small plan. Bytes are used as given; an ``http(s)://`` URL
is downloaded as a plain GET **without** the user's token or headers (the URL's host is not
ours to trust), as a step of the plan; a local path, a binary file object or a PIL image is
read through the ``Load`` effect, so the driver does that I/O (off the event loop for the async
client). Anything else fails before any I/O with a message naming the argument.
"""

from __future__ import annotations

import base64
import os
from typing import Any, BinaryIO, Union

from .._boundary import Request, Timeout
from .._config import USER_AGENT
from .._errors import RequestError
from .._plan import Plan, load, send

__all__ = ["ContentT", "b64", "check_content", "check_text", "read_content", "sniff_content_type"]

ContentT = Union[bytes, BinaryIO, str, "os.PathLike[str]", Any]
"""bytes, a binary file object, a local path (str or PathLike), an http(s) URL, or a PIL image."""

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"fLaC", "audio/flac"),
    (b"OggS", "audio/ogg"),
    (b"ID3", "audio/mpeg"),
    (b"\xff\xfb", "audio/mpeg"),
    (b"\x1aE\xdf\xa3", "video/webm"),
)


def check_content(source: ContentT, argument: str = "input") -> None:
    """Reject an input of the wrong type, or an empty one, before any I/O."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        if not source:
            raise RequestError(f"`{argument}` is empty")
        return
    if isinstance(source, str):
        if not source:
            raise RequestError(f"`{argument}` is an empty string: give bytes, a path or a URL")
        return
    if isinstance(source, os.PathLike) or hasattr(source, "read") or hasattr(source, "save"):
        return
    raise RequestError(
        f"`{argument}` must be bytes, a local path, an http(s) URL, a binary file object or a"
        f" PIL image, got {type(source).__name__}"
    )


def read_content(
    source: ContentT, *, argument: str = "input", timeout: float | Timeout | None = None
) -> Plan[bytes]:
    """The bytes of a task's binary input, whatever form the caller gave it in (a URL is
    downloaded with the call's ``timeout``)."""
    check_content(source, argument)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        headers = (("user-agent", USER_AGENT),)
        response = yield from send(Request("GET", source, headers, None, timeout))
        return response.body
    return (yield from load(source))


def b64(data: bytes) -> str:
    """Standard base64 of ``data`` as ASCII text."""
    return base64.b64encode(data).decode("ascii")


def sniff_content_type(data: bytes) -> str:
    """A Content-Type for raw input bytes, from their magic numbers; octet-stream if unknown."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return "video/mp4"
    return "application/octet-stream"


def check_text(value: Any, argument: str) -> str:
    """Reject a non-str or empty text argument before any I/O."""
    if not isinstance(value, str):
        raise RequestError(f"`{argument}` must be a str, got {type(value).__name__}")
    if not value.strip():
        raise RequestError(f"`{argument}` is empty")
    return value
