"""Clients written as huggingface_hub users write them, never closed, leave no socket behind
and print no ``ResourceWarning``: dropped mid-program or left open at exit, sync and async
(asyncio and trio). Each case runs in a fresh interpreter in development mode, where Python
reports every unclosed socket on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import gc, sys
sys.path.insert(0, {root!r})
from fake_service.server import LoopbackServer, Reply
from inference_core import AsyncInferenceClient, InferenceClient

KEEP = []
with LoopbackServer(lambda request: Reply.json([[1.0]])) as server:
    url = server.url + "/model"
    mode, ending = sys.argv[1], sys.argv[2]
    if mode == "sync":
        client = InferenceClient(url)
        assert client.feature_extraction("hi").tolist() == [[1.0]]
        if ending == "exit":
            KEEP.append(client)
        else:
            del client
    else:
        async def main():
            client = AsyncInferenceClient(url)
            assert (await client.feature_extraction("hi")).tolist() == [[1.0]]
            if ending == "exit":
                KEEP.append(client)
        if mode == "trio":
            import trio
            trio.run(main)
        else:
            import asyncio
            asyncio.run(main())
    gc.collect()
print("ok")
"""


@pytest.mark.parametrize("mode", ["sync", "asyncio", "trio"])
@pytest.mark.parametrize("ending", ["dropped", "exit"])
def test_an_unclosed_client_leaves_no_socket_and_no_warning(mode: str, ending: str) -> None:
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-c", SCRIPT.format(root=str(ROOT)), mode, ending],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "ok", result.stderr
    assert "unclosed" not in result.stderr and "ResourceWarning" not in result.stderr, (
        result.stderr
    )
