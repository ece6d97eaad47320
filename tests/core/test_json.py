"""JSON decoding gives the same values with and without orjson (``inference_core/_json.py``)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from inference_core import Response, ResponseFormatError, _json

DOCUMENTS = [
    b'{"a": [1, 2.5, -3e-7, true, false, null], "b": "caf\\u00e9 \xf0\x9f\x98\x80"}',
    b"[[0.1, 0.2], [0.30000000000000004, 1e308]]",
    b'"just a string"',
    b'{"x": NaN, "y": -Infinity}',  # not JSON, but what Python's json (and TGI) accept
    b'  {"spaced": 1}  ',
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_fast_and_standard_paths_agree(document: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _json.loads(document)
    monkeypatch.setattr(_json, "_orjson", None)
    standard = _json.loads(document)
    assert _same(fast, standard) and _same(standard, json.loads(document))


@pytest.mark.parametrize("orjson", [True, False])
def test_garbage_is_a_typed_error(orjson: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not orjson:
        monkeypatch.setattr(_json, "_orjson", None)
    with pytest.raises(ResponseFormatError):
        Response(200, (), b"<html>502</html>").json()
    with pytest.raises(ValueError):
        _json.loads(b'{"a": ')


def test_orjson_is_used_when_installed() -> None:
    pytest.importorskip("orjson")
    assert _json.FAST


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def test_integers_past_64_bits_are_the_one_difference(monkeypatch: pytest.MonkeyPatch) -> None:
    big = b"12345678901234567890123"
    assert _json.loads(big) == pytest.approx(12345678901234567890123)  # orjson: a float
    monkeypatch.setattr(_json, "_orjson", None)
    assert _json.loads(big) == 12345678901234567890123
