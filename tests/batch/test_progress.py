"""The progress bar: tqdm when asked or on a terminal, quiet otherwise or without tqdm."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from inference_batch._progress import Progress


def test_a_forced_bar_shows_rate_and_failures(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    bar = Progress(4, 1, True)
    bar.advance(failed=False)
    bar.advance(failed=True)
    bar.close()
    bar.close()  # idempotent
    err = capsys.readouterr().err
    assert "3/4" in err and "item/s" in err and "failed=1" in err


def test_quiet_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    bar = Progress(4, 0, None)  # pytest captures stderr: not a terminal
    bar.advance(failed=True)
    bar.close()
    assert capsys.readouterr().err == ""


def test_quiet_without_tqdm(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.import_module

    def without_tqdm(name: str, *args: Any) -> Any:
        if name.startswith("tqdm"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_tqdm)
    bar = Progress(None, 0, True)
    bar.advance(failed=False)
    bar.close()
    assert capsys.readouterr().err == ""
