"""How the command line shows a task's result: text, JSON, streamed text, or media to a file.

Strategy: chat and text answers print as text (``--json`` for the whole output); a stream is
printed piece by piece as it arrives; media (bytes, PIL images) go to ``--out`` (or to stdout
when it is not a terminal); anything else is JSON, outputs being dicts (bytes inside become
base64, images a short description, numpy arrays lists).
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .args import UsageError

__all__ = ["show", "show_stream", "to_json"]


def _default(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if hasattr(value, "tolist"):  # numpy
        return value.tolist()
    if hasattr(value, "size") and hasattr(value, "mode"):  # PIL image
        width, height = value.size
        return f"<image {width}x{height} {value.mode}>"
    if hasattr(value, "__dict__"):
        return {k: v for k, v in vars(value).items() if not k.startswith("_")}
    return str(value)


def to_json(value: Any) -> str:
    """``value`` as indented JSON (see the module docstring for non-JSON values)."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=_default)


def _chat_text(value: Any) -> str | None:
    try:
        content = value["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return None
    return content if isinstance(content, str) else None


def _media_bytes(value: Any, out: str | None) -> bytes | None:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if hasattr(value, "save") and hasattr(value, "mode"):  # PIL image
        import io

        buffer = io.BytesIO()
        suffix = Path(out).suffix.lstrip(".").upper() if out else ""
        value.save(buffer, format={"JPG": "JPEG"}.get(suffix, suffix) or "PNG")
        return buffer.getvalue()
    return None


def show(
    task: str,
    value: Any,
    *,
    out: str | None,
    as_json: bool,
    stdout: TextIO,
    stdout_bytes: BinaryIO | None,
    stderr: TextIO | None = None,
) -> None:
    """Print (or write to ``out``) the result of ``task``."""
    media = _media_bytes(value, out)
    if media is not None:
        if out:
            Path(out).write_bytes(media)
            print(f"wrote {len(media)} bytes to {out}", file=stderr or sys.stderr)
        elif stdout_bytes is not None and not stdout.isatty():
            stdout.flush()
            stdout_bytes.write(media)
            stdout_bytes.flush()
        else:
            raise UsageError(f"{task} returns {len(media)} bytes of media: pass --out FILE")
        return
    text = None if as_json else (_chat_text(value) if task == "chat_completion" else None)
    if text is None and isinstance(value, str) and not as_json:
        text = value
    result = text if text is not None else to_json(value)
    if out:
        Path(out).write_text(result + "\n", encoding="utf-8")
        print(f"wrote the output to {out}", file=stderr or sys.stderr)
    else:
        print(result, file=stdout)


def _piece(item: Any) -> str:
    if isinstance(item, str):
        return item
    try:
        content = item["choices"][0]["delta"].get("content")
    except (KeyError, IndexError, TypeError, AttributeError):
        content = None
    if isinstance(content, str):
        return content
    token = item.get("token") if isinstance(item, dict) else None
    if not isinstance(token, dict) or token.get("special"):
        return ""
    text = token.get("text")
    return text if isinstance(text, str) else ""


def show_stream(stream: Any, *, as_json: bool, stdout: TextIO) -> None:
    """Print a stream's pieces as they arrive (one JSON line per item with ``as_json``)."""
    with stream:
        for item in stream:
            if as_json:
                print(json.dumps(item, ensure_ascii=False, default=_default), file=stdout)
            else:
                print(_piece(item), end="", file=stdout, flush=True)
    if not as_json:
        print(file=stdout)
