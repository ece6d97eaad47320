"""Batch inputs: items from an iterable or a JSONL file, each with an id and its call arguments.

Strategy: an input is a JSON object (or a dict) holding the task method's arguments; its
``"id"`` names it in the output and is not passed to the method. An input without an id gets
its line number (1-based; for an iterable, its position counted from 1), so that re-reading the
same input gives the same ids, which is what resuming relies on. Inputs are read lazily, one at
a time, so a batch of any size runs in bounded memory.

A malformed line (not JSON, not an object, an id that is not a string or an integer) is not
fatal: it becomes an :class:`Item` carrying a ``problem``, recorded as that item's error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

__all__ = ["Item", "count_inputs", "estimate_tokens", "read_items"]

@attrs.define(slots=True)
class Item:
    """One input: its id, its position (0-based), the call's arguments, or why it is unusable."""

    id: str | int
    index: int
    arguments: dict[str, Any]
    problem: str | None = None


def _item(index: int, value: Any) -> Item:
    number = index + 1
    if not isinstance(value, Mapping):
        problem = f"an input must be a JSON object, got {type(value).__name__}"
        return Item(number, index, {}, problem)
    arguments = dict(value)
    item_id = arguments.pop("id", number)
    if type(item_id) not in (str, int):
        problem = f"an input's id must be a string or an integer, got {item_id!r}"
        return Item(number, index, arguments, problem)
    return Item(item_id, index, arguments)


def _read_jsonl(path: str | os.PathLike[str]) -> Iterator[Item]:
    with open(path, encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                yield Item(index + 1, index, {}, f"line {index + 1} is not JSON: {exc}")
                continue
            yield _item(index, value)


def read_items(inputs: Any) -> Iterator[Item]:
    """The items of ``inputs``: a path to a JSONL file, or an iterable of mappings."""
    if isinstance(inputs, (str, os.PathLike)):
        yield from _read_jsonl(inputs)
        return
    for index, value in enumerate(inputs):
        yield _item(index, value)


def count_inputs(inputs: Any) -> int | None:
    """How many items ``inputs`` holds, when cheap to know (a file's non-blank lines, a
    sized collection), else None."""
    if isinstance(inputs, (str, os.PathLike)):
        count = 0
        with open(inputs, "rb") as data:
            for line in data:
                count += bool(line.strip())
        return count
    try:
        return len(inputs)
    except TypeError:
        return None


def _text_length(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(_text_length(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_text_length(item) for item in value)
    return 0


def estimate_tokens(arguments: Mapping[str, Any], params: Mapping[str, Any]) -> int:
    """Tokens a call is expected to use: its text's characters / 4 (at least 1), plus the
    ``max_tokens`` / ``max_new_tokens`` it asks for."""
    total = max(1, _text_length(arguments) // 4)
    for key in ("max_tokens", "max_new_tokens"):
        limit = arguments.get(key, params.get(key))
        if type(limit) is int and limit > 0:
            total += limit
            break
    return total
