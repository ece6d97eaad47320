"""Read caller-given inputs into bytes: the I/O behind the core's ``Load`` effect.

Strategy: plans never touch files. When a task input is a local path, a binary file object or a
PIL image, the plan yields ``Load(source)`` and the client's driver calls :func:`load_content`
(blocking) or :func:`aload_content` (async: the same function in a worker thread, so a large
file never blocks the event loop). Errors are the caller's, raised before any request is sent
and naming the input: :class:`RequestError`, and for a path that cannot be read
:class:`InputFileError` (an ``OSError``), or :class:`InputFileNotFoundError` (a
``FileNotFoundError``, as huggingface_hub raises) when it does not exist.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from inference_core.errors import InputFileError, InputFileNotFoundError
from inference_core.transport import RequestError

__all__ = ["aload_content", "load_content"]


def load_content(source: Any) -> bytes:
    """The bytes of a path (str or PathLike), a binary file object, or a PIL image (as PNG)."""
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            raise RequestError("the file object is opened in text mode: open it with 'rb'")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise RequestError(f"reading the file object gave {type(data).__name__}, not bytes")
        return bytes(data)
    if hasattr(source, "save") and callable(source.save):
        buffer = io.BytesIO()
        source.save(buffer, format="PNG")
        return buffer.getvalue()
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except FileNotFoundError as exc:
            raise InputFileNotFoundError(
                f"cannot read input file {str(source)!r}: {exc.strerror or 'not found'} (a str"
                " input is a URL or a local path: pass raw content as bytes)"
            ) from exc
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise InputFileError(f"cannot read input file {str(source)!r}: {reason}") from exc
    raise RequestError(f"cannot load an input of type {type(source).__name__}")


async def aload_content(source: Any) -> bytes:
    """:func:`load_content` in a worker thread."""
    import anyio.to_thread

    return await anyio.to_thread.run_sync(load_content, source)
