"""``hf-inference batch`` (``inference_batch.cli.main``): arguments, exit codes, resuming."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fake_service.server import LoopbackServer
from inference_batch.cli import main

from .conftest import chat_inputs, read_jsonl, write_jsonl


def test_a_run_then_a_rerun_resumes(
    chat_server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(12))
    output = tmp_path / "out.jsonl"
    argv = ["chat_completion", "--input", str(source), "--output", str(output),
            "--base-url", chat_server.url, "--token", "hf_x", "--concurrency", "4",
            "--param", "max_tokens=2", "--param", "stop=[\"x\"]", "--param", "seed=oops",
            "--rpm", "100000", "--tpm", "10000000", "--no-progress"]  # fmt: skip
    assert main(argv) == 0
    assert "done 12, failed 0" in capsys.readouterr().err
    body = chat_server.requests[0].json()
    assert (body["max_tokens"], body["stop"], body["seed"]) == (2, ["x"], "oops")
    assert chat_server.requests[0].header("authorization") == "Bearer hf_x"
    assert main(argv) == 0
    assert "done 0, failed 0, retried 0, skipped 12" in capsys.readouterr().err
    assert len(read_jsonl(output)) == 12


def test_failed_items_exit_1(chat_server: LoopbackServer, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(4, fail={2}))
    output = tmp_path / "out.jsonl"
    argv = ["chat-completion", "--input", str(source), "--output", str(output),
            "--base-url", chat_server.url, "--ordered", "--backend", "trio"]  # fmt: skip
    assert main(argv) == 1
    assert [("error" in row) for row in read_jsonl(output)] == [False, False, True, False]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["chat_completion", "--input", "in.jsonl"],
        ["nope", "--input", "in.jsonl", "--output", "out.jsonl"],
        ["chat_completion", "--input", "in.jsonl", "--output", "o", "--concurrency", "0"],
        ["chat_completion", "--input", "in.jsonl", "--output", "o", "--param", "novalue"],
        ["chat_completion", "--input", "missing.jsonl", "--output", "o"],
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.jsonl").write_text("")
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_python_dash_m(chat_server: LoopbackServer, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(3))
    output = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "inference_batch", "chat_completion", "--input", str(source),
         "--output", str(output), "--base-url", chat_server.url],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "done 3" in done.stderr
    assert len(read_jsonl(output)) == 3
