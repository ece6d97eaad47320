"""JSON decoding for responses and stream events: orjson when it is installed, else ``json``.

Decoding answers is most of a call's CPU (an embedding batch is thousands of numbers), and
orjson parses several times faster than the standard library. It is optional (the ``fast``
extra): without it, or for the few documents it refuses (``NaN``, ``Infinity``), the standard
parser decides, so results are the same either way, but for one case no inference answer
holds: orjson reads an integer past 64 bits as a float. Request bodies keep
``json.dumps`` (see ``_wire``), so what goes on the wire never depends on what is installed.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["FAST", "loads"]

_orjson: Any
try:
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the environment
    _orjson = None

FAST = _orjson is not None
"""True when orjson is installed and used."""


def loads(data: bytes | str) -> Any:
    """Decode one JSON document; ``ValueError`` (``json.JSONDecodeError``) if it is not JSON."""
    if _orjson is not None:
        try:
            return _orjson.loads(data)
        except _orjson.JSONDecodeError:
            pass  # let the standard parser accept what it accepts, or say why not
    return json.loads(data)
