"""Every task method's docstring: each parameter documented, and its examples run as written.

The examples are doctests. They run against one fake server for the whole module
(:func:`fake_service.tasks.task_handler` on 127.0.0.1), in a scratch directory holding the
files they name (``cat.png``, ``invoice.png``, ``speech.wav``). ``MODEL_URL``, the one name an
example uses without defining it, is the URL of that task's fake model.
"""

from __future__ import annotations

import doctest
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fake_service import LoopbackServer
from fake_service.tasks import model_url, png_bytes, task_handler, wav_bytes
from inference_core import InferenceClient

TASKS = sorted(  # the methods built from a task plan (helpers.py holds the non-task ones)
    name
    for name, value in inspect.getmembers(InferenceClient, inspect.isfunction)
    if not getattr(getattr(value, "__wrapped__", None), "__module__", ".helpers").endswith(
        ".helpers"
    )
)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
SECTIONS = ("Args:", "Returns:", "Raises:", "Example:")


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(task_handler) as running:
        yield running


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with the user files the examples name."""
    directory = tmp_path_factory.mktemp("examples")
    (directory / "cat.png").write_bytes(png_bytes(64, 48))
    (directory / "invoice.png").write_bytes(png_bytes(85, 110, (255, 255, 255)))
    (directory / "speech.wav").write_bytes(wav_bytes(1.8))
    return directory


def test_there_are_29_task_methods() -> None:
    assert len(TASKS) == 29


@pytest.mark.parametrize("name", TASKS)
def test_examples_run_as_written(
    name: str, server: LoopbackServer, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(files)
    docstring = getattr(InferenceClient, name).__doc__
    globs: dict[str, Any] = {"MODEL_URL": model_url(server.url, name)}
    test = doctest.DocTestParser().get_doctest(docstring, globs, name, None, 0)
    assert test.examples, f"{name} has no example"
    assert "from inference_core import InferenceClient" in test.examples[0].source
    output: list[str] = []
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    try:
        runner.run(test, out=output.append, clear_globs=False)
    finally:
        for value in test.globs.values():
            if isinstance(value, InferenceClient):
                value.close()
        test.globs.clear()
    assert runner.failures == 0, "".join(output)


@pytest.mark.parametrize("name", TASKS)
def test_every_parameter_is_documented(name: str) -> None:
    method = getattr(InferenceClient, name)
    docstring = inspect.getdoc(method) or ""
    positions = [docstring.find(f"\n{section}\n") for section in SECTIONS]
    assert all(p > 0 for p in positions) and positions == sorted(positions), (
        f"{name}: expected the sections {SECTIONS} in that order"
    )
    args = docstring[positions[0] : positions[1]]
    documented = re.findall(r"^    (\*{0,2}\w+):", args, re.MULTILINE)
    parameters = [  # the call options every method takes are documented once, on the clients
        ("**" if p.kind is p.VAR_KEYWORD else "") + p.name
        for p in list(inspect.signature(method).parameters.values())[1:]
        if p.name not in ("deadline", "max_retries")
    ]
    assert documented == parameters, f"{name}: Args must list the parameters in order"
    summary = docstring.splitlines()[0]
    assert summary.endswith((".", "...")) and len(summary) <= 92, summary
