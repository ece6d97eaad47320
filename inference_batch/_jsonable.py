"""Task outputs as JSON: the one converter every output line goes through.

Strategy: most outputs are already JSON-shaped, since every output type is a ``dict`` subclass
(nested ones too), and ``json.dumps`` encodes those in C. So the converter is a ``default=``
hook for the few leaves JSON cannot hold, and :func:`dumps` uses it; :func:`to_jsonable`
applies the same rules eagerly, for callers that want plain values rather than text.

The leaves:

* numpy arrays and scalars (``feature_extraction``): ``.tolist()`` / ``.item()``;
* ``bytes`` (audio, video): base64 text;
* PIL images (``text_to_image``, ``image_to_image``): base64 of the image as PNG;
* dataclasses and attrs classes that are not dicts: their fields, by name;
* sets and tuples: lists; enums: their value; anything else: ``str(value)``.

numpy and Pillow are never imported here: a value is recognized by its type's module and
methods, so the converter costs nothing when they are not installed.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import io
import json
from typing import Any

__all__ = ["dumps", "to_jsonable"]


def _default(value: Any) -> Any:
    """``json.dumps``'s hook: a JSON-ready stand-in for ``value`` (containers left to json)."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    module = type(value).__module__
    if module.startswith("numpy"):
        return value.tolist() if hasattr(value, "tolist") else value.item()
    if module.startswith("PIL") and hasattr(value, "save"):
        buffer = io.BytesIO()
        value.save(buffer, format="PNG")
        return base64.b64encode(buffer.getvalue()).decode("ascii")
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    attributes = getattr(type(value), "__attrs_attrs__", None)
    if attributes is not None:
        return {a.name: getattr(value, a.name) for a in attributes}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


# One encoder, built once (``json.dumps`` with options builds one per call). Outputs are trees,
# so the circular-reference check is skipped.
_ENCODER = json.JSONEncoder(
    default=_default, ensure_ascii=False, separators=(",", ":"), check_circular=False
)


def dumps(value: Any) -> str:
    """``value`` as compact JSON text on one line (non-ASCII kept as is)."""
    return _ENCODER.encode(value)


def to_jsonable(value: Any) -> Any:
    """``value`` as plain JSON values (dicts, lists, str, int, float, bool, None)."""
    if value is None or (isinstance(value, (str, int, float)) and not isinstance(value, enum.Enum)):
        return value
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_jsonable(item) for item in value]
    return to_jsonable(_default(value))
