"""Fixtures for the batch tests: the fake chat server on loopback, input files, a mock client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fake_service.server import LoopbackServer
from fake_service.tgi import tgi_handler
from inference_core import AsyncInferenceClient, Request, Response
from transports import MockTransport

URL = "http://batch.test"


@pytest.fixture
def chat_server() -> Iterator[LoopbackServer]:
    """The fake TGI/chat server on 127.0.0.1 (a fresh port per test)."""
    with LoopbackServer(tgi_handler) as server:
        yield server


def chat_inputs(
    count: int, *, fail: frozenset[int] | set[int] = frozenset(), ids: bool = True
) -> list[dict[str, Any]]:
    """``count`` chat inputs; those at the positions in ``fail`` get a 422 from the fake."""
    rows = []
    for i in range(count):
        text = f"item {i}" + (" [validation-error]" if i in fail else "")
        row: dict[str, Any] = {"messages": [{"role": "user", "content": text}]}
        if ids:
            row = {"id": f"q{i}", **row}
        rows.append(row)
    return rows


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    """Write ``rows`` to ``path``, one JSON text per line."""
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of a JSONL file."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def chat_reply(request: Request) -> Response:
    """A chat completion echoing the last message, with usage (a MockTransport handler)."""
    body = json.loads(request.body or b"{}")
    text = body["messages"][-1]["content"]
    if "[429]" in text:
        return Response(429, (("retry-after", "7"),), b'{"error": "rate limited"}')
    if "[500]" in text:
        return Response(500, (("content-type", "application/json"),), b'{"error": "boom"}')
    out = {
        "id": "c1", "created": 1, "model": "m", "system_fingerprint": "f",
        "object": "chat.completion",
        "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                     "message": {"role": "assistant", "content": "echo " + text}}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }  # fmt: skip
    return Response(200, (("content-type", "application/json"),), json.dumps(out).encode())


@pytest.fixture
def mock_client() -> Callable[..., AsyncInferenceClient]:
    """Build an async client over a MockTransport answered by :func:`chat_reply`."""

    def make(handler: Callable[[Request], Response] = chat_reply, **options: Any) -> Any:
        return AsyncInferenceClient(URL, transport=MockTransport(handler), **options)

    return make
