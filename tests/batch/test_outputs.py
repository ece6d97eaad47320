"""Outputs to JSON (one converter) and the resumable JSONL output file."""

from __future__ import annotations

import base64
import dataclasses
import enum
import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from inference_batch import JsonlSink, dumps, result_line, scan_done, to_jsonable
from inference_core import ChatCompletionOutput, TextClassificationOutputElement, structure


class Color(enum.Enum):
    RED = "red"


@dataclasses.dataclass
class Plain:
    name: str
    vector: object


def test_typed_outputs_are_their_items_extras_included() -> None:
    out = structure(
        {"choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}}],
         "created": 1, "id": "x", "model": "m", "system_fingerprint": "f", "extra_key": [1]},
        ChatCompletionOutput,
    )  # fmt: skip
    assert json.loads(dumps(out))["choices"][0]["message"]["content"] == "hi"
    assert json.loads(dumps(out))["extra_key"] == [1]
    assert to_jsonable(out) == json.loads(dumps(out))
    labels = [TextClassificationOutputElement(label="POSITIVE", score=0.9)]
    assert json.loads(dumps(labels)) == [{"label": "POSITIVE", "score": 0.9}]


def test_leaves_json_cannot_hold() -> None:
    vectors = np.arange(6, dtype=np.float32).reshape(2, 3)
    assert json.loads(dumps(vectors)) == [[0, 1, 2], [3, 4, 5]]
    assert json.loads(dumps({"n": np.float32(0.5)})) == {"n": 0.5}
    assert json.loads(dumps(b"\x00\xff")) == base64.b64encode(b"\x00\xff").decode()
    image = Image.new("RGB", (2, 2), "red")
    png = base64.b64decode(json.loads(dumps(image)))
    assert png.startswith(b"\x89PNG") and Image.open(io.BytesIO(png)).size == (2, 2)
    plain = Plain("a", np.array([1, 2]))
    assert json.loads(dumps(plain)) == {"name": "a", "vector": [1, 2]}
    assert to_jsonable({"c": Color.RED, "s": {3}, "t": (1, 2), "o": object}) == {
        "c": "red", "s": [3], "t": [1, 2], "o": str(object),
    }  # fmt: skip
    assert to_jsonable([plain]) == [{"name": "a", "vector": [1, 2]}]
    assert dumps("é") == '"é"'  # one line, UTF-8 kept


def test_result_lines() -> None:
    assert json.loads(result_line("a", {"x": 1})) == {"id": "a", "output": {"x": 1}}
    line = result_line(3, error=ValueError("bad\ninput"))
    assert "\n" not in line
    assert json.loads(line) == {"id": 3, "error": {"type": "ValueError", "message": "bad\ninput"}}


def test_scan_done_reads_ids_and_truncates_a_torn_last_line(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert scan_done(path) == set()
    whole = result_line("a", 1) + "\n" + result_line(2, 2) + "\n\n"
    path.write_text(whole + '{"id": "c", "outp')
    assert scan_done(path, repair=False) == {"a", 2}
    assert path.read_text().endswith('"outp')  # not repaired
    assert scan_done(path) == {"a", 2}
    assert path.read_text() == whole


def test_scan_done_refuses_a_foreign_file(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": 1}\nnot json\n')
    with pytest.raises(ValueError, match="line 2"):
        scan_done(path)


def test_sink_appends_whole_lines_and_fsyncs_every_n_lines_and_at_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    syncs: list[int] = []
    monkeypatch.setattr("os.fsync", syncs.append)
    path = tmp_path / "out.jsonl"
    path.write_text(result_line("old", 0) + "\n")
    with JsonlSink(path, fsync_every=3, fsync_seconds=1e9) as sink:
        for i in range(7):
            sink.write(result_line(i, i))
        assert len(syncs) == 2
    assert len(syncs) == 3  # the rest, at close
    sink.close()  # idempotent
    with pytest.raises(ValueError):
        sink.write("{}")
    assert [json.loads(line)["id"] for line in path.read_text().splitlines()] == [
        "old", *range(7)
    ]


def test_sink_fsyncs_after_some_seconds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syncs: list[int] = []
    monkeypatch.setattr("os.fsync", syncs.append)
    now = [0.0]
    with JsonlSink(tmp_path / "o.jsonl", fsync_seconds=2.0, clock=lambda: now[0]) as sink:
        assert len(syncs) == 1  # a new file: its directory, once
        syncs.clear()
        sink.write("{}")
        assert syncs == []
        now[0] = 2.5
        sink.write("{}")
        assert len(syncs) == 1
