"""The Ray recipe: ``BatchPredictor`` alone, then ``run_on_ray`` on a local Ray instance against
the fake chat server on loopback, resuming an output that already holds some lines."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fake_service.server import LoopbackServer
from inference_batch import result_line
from inference_batch.cli import main
from inference_batch.ray import BatchPredictor, rows_of, run_on_ray

from .conftest import chat_inputs, read_jsonl, write_jsonl


@pytest.mark.anyio
async def test_batch_predictor_runs_rows_and_skips_done_ids(chat_server: LoopbackServer) -> None:
    predictor = BatchPredictor(
        "chat_completion", client_options={"base_url": chat_server.url}, per_actor=2,
        done={"q1"},
    )  # fmt: skip
    rows = chat_inputs(4, fail={3})
    rows[0]["max_tokens"] = None  # read_json gives a missing key as null: not an argument
    try:
        out = await predictor(rows)
        with pytest.raises(ValueError, match="needs an 'id'"):
            await predictor([{"messages": []}])
    finally:
        await predictor.aclose()
    assert [json.loads(line)["id"] for line in out["line"]] == ["q0", "q2", "q3"]
    assert out["failed"] == [False, False, True]
    assert "max_tokens" not in chat_server.requests[0].json()


def test_an_unknown_task_fails_before_ray_starts(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown task"):
        run_on_ray("nope", tmp_path / "in.jsonl", tmp_path / "out.jsonl")


def test_rows_of_each_batch_format() -> None:
    assert rows_of({"id": ["a", "b"], "x": [1, 2]}) == [{"id": "a", "x": 1}, {"id": "b", "x": 2}]
    assert rows_of([{"id": "a"}]) == [{"id": "a"}]


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[Any]:
    if importlib.util.find_spec("ray") is None:
        pytest.skip("Ray is not installed: pip install 'hf-inference-core[ray]'")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.mark.filterwarnings("ignore::DeprecationWarning:ray")  # Ray's own, about its own settings
def test_the_cli_on_ray_resumes_the_same_jsonl(
    ray_instance: Any, chat_server: LoopbackServer, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    """``hf-inference batch ... --ray 2``: ``run_on_ray`` on 2 actors of 8 calls each."""
    count = 120
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(count, fail={70}))
    output = tmp_path / "out.jsonl"
    done = [result_line(f"q{i}", {"earlier": True}) + "\n" for i in range(10)]
    output.write_text("".join(done) + '{"id": "q10", "out')  # a torn line from a crash
    argv = ["chat_completion", "--input", str(source), "--output", str(output),
            "--base-url", chat_server.url, "--ray", "2", "--concurrency", "8",
            "--batch-size", "32"]  # fmt: skip
    assert main(argv) == 1  # one item failed
    summary = capsys.readouterr().err
    assert f"done {count - 11}, failed 1, retried 0, skipped 10" in summary
    rows = read_jsonl(output)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == count
    assert rows[0]["output"] == {"earlier": True}
    by_id = {row["id"]: row for row in rows}
    assert by_id["q70"]["error"]["type"] == "ValidationError"
    assert by_id["q50"]["output"]["choices"][0]["message"]["content"] == "You said: item 50"
    assert len(chat_server.requests) == count - 10
