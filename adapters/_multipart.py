"""``multipart/form-data`` bodies, built in pure code (for OpenAI-style transcription APIs).

Strategy: one file part, then one part per form field, in the order given. Field values are
written as OpenAI's form parsers read them: strings as is, booleans as ``true``/``false``,
numbers as their decimal text, anything else JSON-encoded. The boundary is derived from a hash
of the content (so the same call always builds the same bytes, which keeps tests exact) and
is checked not to occur inside it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

__all__ = ["EXTENSIONS", "form_data", "form_value"]

EXTENSIONS: Mapping[str, str] = {
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "audio/mpeg": ".mp3",
    "audio/flac": ".flac",
    "audio/ogg": ".ogg",
    "audio/webm": ".webm",
    "video/webm": ".webm",
    "audio/mp4": ".m4a",
    "video/mp4": ".mp4",
}
"""File name extensions by MIME type (servers sniff the format from the file name)."""


def form_value(value: Any) -> str:
    """A form field's text: strings as is, ``true``/``false``, numbers, else JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def form_data(
    name: str, stem: str, content: bytes, content_type: str, fields: Mapping[str, Any]
) -> tuple[bytes, str]:
    """The body and Content-Type of a form with the file ``content`` (part ``name``, file name
    ``stem`` plus the extension of ``content_type``, ``.wav`` if unknown) and ``fields``."""
    filename = stem + EXTENSIONS.get(content_type, ".wav")
    texts = {key: form_value(value) for key, value in fields.items()}
    seed = hashlib.sha256(content + json.dumps(texts, sort_keys=True).encode()).hexdigest()
    boundary = f"hf-inference-core-{seed[:32]}"
    while boundary.encode() in content or any(boundary in text for text in texts.values()):
        boundary += "-"
    parts = [
        _part(boundary, f'name="{name}"; filename="{filename}"', content, content_type),
        *(_part(boundary, f'name="{key}"', text.encode(), None) for key, text in texts.items()),
    ]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def _part(boundary: str, disposition: str, data: bytes, content_type: str | None) -> bytes:
    head = f"--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n"
    if content_type is not None:
        head += f"Content-Type: {content_type}\r\n"
    return head.encode() + b"\r\n" + data + b"\r\n"
