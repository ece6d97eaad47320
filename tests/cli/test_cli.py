"""The ``hf-inference`` command line: in-process for most cases, in a subprocess for a few."""

from __future__ import annotations

import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from fake_service import FakeServer, FakeTransport
from hf_inference_cli import main
from hf_inference_cli.dry_run import curl_command
from inference_core import InferenceClient

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "hf_" + "Cl1" * 12
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.fixture(autouse=True)
def _no_saved_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))


def run(*argv: str) -> tuple[int, str, str, bytes]:
    """``hf-inference argv...`` in-process: (status, stdout, stderr, binary stdout)."""
    out, err, raw = io.StringIO(), io.StringIO(), io.BytesIO()
    status = main(list(argv), stdout=out, stderr=err, stdout_bytes=raw)
    return status, out.getvalue(), err.getvalue(), raw.getvalue()


def test_chat_prints_the_answer_as_text() -> None:
    status, out, err, _ = run("chat_completion", "What is the capital of France?", "--fake")
    assert (status, out, err) == (0, "The capital of France is Paris.\n", "")


def test_streams_print_as_they_arrive() -> None:
    status, out, _, _ = run("chat_completion", "Hello there", "--fake", "--stream")
    assert (status, out) == (0, "You said: Hello there\n")
    status, out, _, _ = run(
        "text_generation", "Once upon a time", "--fake", "--stream", "-p", "max_new_tokens=3"
    )
    assert (status, out) == (0, " there was a\n")


def test_other_outputs_print_as_json() -> None:
    status, out, _, _ = run(
        "zero_shot_classification", "I love it", "-p", 'candidate_labels=["good", "bad"]',
        "--model", "facebook/bart-large-mnli", "--fake",
    )  # fmt: skip
    assert status == 0
    assert [item["label"] for item in json.loads(out)] == ["good", "bad"]
    status, out, _, _ = run("question_answering", "What is my name?",
                            "-p", "context=My name is Clara.", "--fake")  # fmt: skip
    assert status == 0 and json.loads(out)["answer"] == "Clara"
    status, out, _, _ = run("chat_completion", "Hi", "--fake", "--json")
    assert json.loads(out)["object"] == "chat.completion"


def test_media_goes_to_out_or_to_a_redirected_stdout(tmp_path: Path) -> None:
    target = tmp_path / "cat.png"
    status, _, err, _ = run("text_to_image", "a cat", "--fake", "--out", str(target),
                            "-p", "width=32", "-p", "height=16")  # fmt: skip
    assert status == 0 and "wrote" in err
    assert target.read_bytes().startswith(b"\x89PNG")
    status, _, _, raw = run("text_to_speech", "Hello there", "--fake")
    assert status == 0 and raw.startswith(b"RIFF")
    # a provider that needs a key: --fake needs none
    status, _, _, raw = run("text_to_image", "a cat", "--model", "black-forest-labs/FLUX.1-dev",
                            "--provider", "fal-ai", "--fake")  # fmt: skip
    assert status == 0 and raw.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope", "x"], "unknown task 'nope'"),
        (["text_classification", "x", "-p", "bogus=1", "--fake"], "has no parameter bogus"),
        (["question_answering", "--fake"], "needs INPUT (its `question` argument)"),
        (["text_classification", "x", "--stream", "--fake"], "cannot stream"),
        (["text_classification", "x", "-p", "novalue", "--fake"], "--param takes KEY=VALUE"),
        (["text_classification", "x", "--model", "m", "--base-url", "http://h"], "not both"),
        (["text_classification", "x", "--replay", "c.json", "--record", "d.json"], "--record"),
    ],
)
def test_usage_errors_exit_with_2(argv: list[str], message: str) -> None:
    status, out, err, _ = run(*argv)
    assert status == 2 and message in err and out == ""


def test_argparse_errors_exit_with_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--fake")[0] == 2
    assert "the following arguments are required: task" in capsys.readouterr().err


def test_inference_errors_exit_with_1_and_the_typed_message() -> None:
    status, _, err, _ = run("text_classification", "x", "--provider", "nope", "--fake")
    assert status == 1
    assert err.startswith("hf-inference: RequestError: Provider 'nope' not supported.")
    with FakeServer() as server:
        url = f"{server.url}/fill-mask"
        status, _, err, _ = run("fill_mask", "no mask here", "--base-url", url)
    assert status == 1 and "BadRequestError" in err and "No mask_token" in err


def test_dry_run_prints_the_exact_first_request_with_the_token_masked() -> None:
    argv = ["chat_completion", "Hi", "--model", LLAMA, "--provider", "together",
            "--token", TOKEN]  # fmt: skip
    status, out, _, _ = run(*argv, "--dry-run")
    assert status == 0 and TOKEN not in out
    lines = out.splitlines()
    # what the client really sends first, for the same call
    transport = FakeTransport()
    InferenceClient(provider="together", token=TOKEN, transport=transport).chat_completion(
        [{"role": "user", "content": "Hi"}], model=LLAMA
    )
    first = transport.requests[0]
    assert lines[0] == curl_command(first, secret=TOKEN)
    assert shlex.split(lines[0])[:4] == ["curl", "-X", "GET", first.url]
    assert "authorization: Bearer hf_***" in lines[0]
    assert lines[1] == curl_command(transport.requests[1], secret=TOKEN)
    status, shown, _, _ = run(*argv, "--dry-run", "--show-token")
    assert TOKEN in shown


def test_dry_run_shows_every_step_of_a_polled_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)  # the usual environment variable
    status, out, _, _ = run("text_to_video", "a cat", "--model", "Wan-AI/Wan2.1-T2V-14B",
                            "--provider", "fal-ai", "--dry-run")  # fmt: skip
    assert status == 0 and TOKEN not in out
    urls = [shlex.split(line)[3] for line in out.splitlines()]
    assert urls[1] == "https://router.huggingface.co/fal-ai/Wan-AI/Wan2.1-T2V-14B?_subdomain=queue"
    assert urls[2].endswith("/status?_subdomain=queue")
    assert urls[-1].endswith(".mp4")


def test_record_then_replay(tmp_path: Path) -> None:
    cassette = tmp_path / "chat.json"
    argv = ["chat_completion", "Hello", "--model", LLAMA, "--token", TOKEN]
    recorded = run(*argv, "--fake", "--record", str(cassette))
    assert recorded[0] == 0 and TOKEN not in cassette.read_text()
    assert run(*argv, "--replay", str(cassette)) == recorded
    status, _, err, _ = run("chat_completion", "Other", "--model", LLAMA, "--replay", str(cassette))
    assert status == 1 and "UnmatchedRequestError" in err


def test_reroute_sends_every_provider_request_to_the_fake_server() -> None:
    with FakeServer() as server:
        status, out, _, _ = run("chat_completion", "Hi", "--model", LLAMA, "--provider", "groq",
                                "--token", "gsk-key", "--reroute", server.url)  # fmt: skip
        hosts = [request.header("host") for request in server.requests]
    assert (status, out) == (0, "You said: Hi\n")
    assert hosts == ["huggingface.co", "api.groq.com"]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
    env["PYTHONPATH"] = str(ROOT)
    return env


def test_python_m_inference_core_runs_the_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "inference_core", "chat_completion", "Hello", "--fake"],
        capture_output=True, text=True, env=_env(), timeout=60,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "You said: Hello\n")
    bad = subprocess.run(
        [sys.executable, "-m", "inference_core", "nope"],
        capture_output=True, text=True, env=_env(), timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and "unknown task" in bad.stderr


def test_serve_fake_serves_until_stopped() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "hf_inference_cli", "serve-fake", "--port", "0"],
        stdout=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = line.split("listening on ", 1)[1].strip()
        status, out, _, _ = run("translation", "hello world", "--base-url", f"{url}/translation")
        assert (status, json.loads(out)) == (0, {"translation_text": "bonjour monde"})
    finally:
        server.terminate()
        server.communicate(timeout=30)
