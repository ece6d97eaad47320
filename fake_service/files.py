"""Result files of the fake providers: small valid media, rebuilt from their URL alone.

Strategy: providers that answer with a URL (fal-ai, Replicate, Black Forest Labs, Novita)
point at ``<base>/_files/<name>``, where ``<base>`` is the scheme and host the request came to
(a provider host in-process, the loopback server over HTTP) and ``<name>`` says everything
needed to rebuild the file: ``image-64x64-d68c3e.png`` is a 64x64 PNG of that colour,
``audio-1500.wav`` 1.5 s of silence, ``video-16-d68c3e.mp4`` a 16-frame MP4 stub. No state is
kept, so a file URL works on any fake service instance, in any process.
"""

from __future__ import annotations

import hashlib
import re
import struct

from .server import Reply
from .tasks import png_bytes, wav_bytes

__all__ = ["file_url", "image_color", "mp4_bytes", "png_for", "serve_file"]

_MAX_SIDE = 2048
_NAME = re.compile(
    r"(?:image-(?P<w>\d+)x(?P<h>\d+)-(?P<c>[0-9a-f]{6})\.png)"
    r"|(?:audio-(?P<ms>\d+)\.wav)"
    r"|(?:video-(?P<frames>\d+)-[0-9a-f]{6}\.mp4)"
)


def image_color(text: str) -> tuple[int, int, int]:
    """A colour derived from ``text`` (same text, same colour)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return digest[0], digest[1], digest[2]


def png_for(width: int, height: int, color: tuple[int, int, int]) -> bytes:
    """A PNG of one colour, its sides clamped to 1..2048."""
    return png_bytes(_side(width), _side(height), color)


def _side(value: int) -> int:
    return max(1, min(_MAX_SIDE, value))


def mp4_bytes(frames: int) -> bytes:
    """A small MP4 stub: an ``ftyp`` box and a ``free`` box sized by the frame count."""
    frames = max(1, min(frames, 512))
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isommp41"
    return ftyp + struct.pack(">I", 8 + 64 * frames) + b"free" + b"\x00" * (64 * frames)


def file_url(base: str, kind: str, *args: object) -> str:
    """The URL of a result file on ``base``: ``("image", w, h, (r, g, b))``,
    ``("audio", milliseconds)`` or ``("video", frames, (r, g, b))``."""
    if kind == "image":
        width, height, color = args
        assert isinstance(width, int) and isinstance(height, int) and isinstance(color, tuple)
        name = f"image-{_side(width)}x{_side(height)}-{bytes(color).hex()}.png"
    elif kind == "audio":
        name = f"audio-{args[0]}.wav"
    else:
        frames, color = args
        assert isinstance(color, tuple)
        name = f"video-{frames}-{bytes(color).hex()}.mp4"
    return f"{base.rstrip('/')}/_files/{name}"


def serve_file(name: str) -> Reply:
    """``GET /_files/<name>``: the file the name describes; 404 for any other name."""
    match = _NAME.fullmatch(name)
    if match is None:
        return Reply.json({"error": f"no such file: {name}"}, status=404)
    if match["w"]:
        color = bytes.fromhex(match["c"])
        image = png_for(int(match["w"]), int(match["h"]), (color[0], color[1], color[2]))
        return Reply(200, (("content-type", "image/png"),), image)
    if match["ms"]:
        audio = wav_bytes(min(int(match["ms"]), 60_000) / 1000)
        return Reply(200, (("content-type", "audio/wav"),), audio)
    return Reply(200, (("content-type", "video/mp4"),), mp4_bytes(int(match["frames"])))
