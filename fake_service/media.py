"""Small valid media files written without any imaging or audio library: PNG and WAV.

Strategy: the fake service answers image and speech tasks with real files a client can open
(Pillow, ``wave``), kept tiny: a PNG of one colour (rows compress to almost nothing) and a WAV
of silence. :func:`png_size` reads the size back from a PNG's header.
"""

from __future__ import annotations

import io
import struct
import wave
import zlib

__all__ = ["png_bytes", "png_size", "wav_bytes"]


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (214, 140, 62)) -> bytes:
    """A valid PNG of one colour (8-bit RGB), written without Pillow."""
    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(row * height)),
            _png_chunk(b"IEND", b""),
        ]
    )


def wav_bytes(seconds: float, rate: int = 16000) -> bytes:
    """A valid WAV file of ``seconds`` of silence (mono, 16-bit)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * round(seconds * rate))
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None
