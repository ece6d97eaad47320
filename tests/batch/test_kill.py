"""A batch killed with SIGKILL mid-run, twice, then resumed: nothing lost, nothing duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_service.server import Delayed, LoopbackServer, ServerRequest
from fake_service.tgi import tgi_handler
from inference_batch.cli import main

from .conftest import chat_inputs, read_jsonl, write_jsonl

ITEMS = 400


def slow(request: ServerRequest) -> Delayed:
    return Delayed(0.01, tgi_handler(request))


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def start_and_kill(argv: list[str], output: Path, at_least: int) -> None:
    """Start the batch in a subprocess and SIGKILL it once ``output`` has ``at_least`` lines."""
    process = subprocess.Popen(
        [sys.executable, "-m", "inference_batch", *argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while lines_in(output) < at_least and process.poll() is None:
            assert time.monotonic() < deadline, "the batch made no progress"
            time.sleep(0.005)
        assert process.poll() is None, "the batch finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_killed_twice_then_resumed(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(ITEMS))
    output = tmp_path / "out.jsonl"
    with LoopbackServer(slow) as server:
        argv = ["chat_completion", "--input", str(source), "--output", str(output),
                "--base-url", server.url, "--concurrency", "8", "--no-progress"]  # fmt: skip
        start_and_kill(argv, output, 60)
        first = lines_in(output)
        start_and_kill(argv, output, first + 60)
        assert main(argv) == 0
        requests = len(server.requests)
    rows = read_jsonl(output)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == ITEMS  # nothing lost, nothing written twice
    assert set(ids) == {f"q{i}" for i in range(ITEMS)}
    for row in rows:
        number = row["id"][1:]
        assert row["output"]["choices"][0]["message"]["content"] == f"You said: item {number}"
    assert ITEMS <= requests <= ITEMS + 2 * 8  # at most the calls in flight were redone


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_ctrl_c_stops_cleanly_and_the_rerun_completes(tmp_path: Path, backend: str) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(ITEMS))
    output = tmp_path / "out.jsonl"
    with LoopbackServer(slow) as server:
        argv = ["chat_completion", "--input", str(source), "--output", str(output),
                "--base-url", server.url, "--concurrency", "8", "--no-progress",
                "--backend", backend]  # fmt: skip
        process = subprocess.Popen(
            [sys.executable, "-m", "inference_batch", *argv],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while lines_in(output) < 40 and process.poll() is None:
            assert time.monotonic() < deadline, "the batch made no progress"
            time.sleep(0.005)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
        assert process.returncode == 130, err
        assert "interrupted; re-run the command to resume" in err
        assert output.read_bytes().endswith(b"\n")  # closed on a whole line
        assert main(argv) == 0
    ids = [row["id"] for row in read_jsonl(output)]
    assert len(ids) == len(set(ids)) == ITEMS
