"""Every ```python block of README.md and docs/*.md runs, against loopback fakes.

Each page runs in its own subprocess (``tests/docs/_blocks.py``): its blocks in order, in one
namespace, with ``http://127.0.0.1:8080`` (the docs' local server) swapped for the fake TGI
server and ``HF_ENDPOINT``/``HF_INFERENCE_ENDPOINT`` pointing at the fake Hub
(``tests/docs/_fakes.py``). A block that cannot run offline is marked in the markdown by a
``<!-- not run: <reason> -->`` line just above it, and must be listed in ``NOT_RUN`` here, so
none is skipped silently.

docs/tasks.md is generated from the task docstrings, whose examples
``tests/test_docstring_examples.py`` runs; the page is left out here when that test exists.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.docs._blocks import find_blocks
from tests.docs._fakes import DocsFakes

ROOT = Path(__file__).resolve().parent.parent.parent
DOCTESTED = ROOT / "tests" / "test_docstring_examples.py"
PAGES = sorted(
    path.relative_to(ROOT).as_posix()
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    if not (path.name == "tasks.md" and DOCTESTED.exists())
)

NOT_RUN: dict[str, list[str]] = {
    "README.md": [
        "needs the network: the Hub and router.huggingface.co",
        "needs provider keys and the network",
    ],
    "docs/migration.md": [
        "needs the network: router.huggingface.co",
    ],
    "docs/interop.md": [
        "needs an OpenAI-compatible embeddings server (scripts/interop.sh starts one)",
        "needs an OpenAI-compatible embeddings server (scripts/interop.sh starts one)",
    ],
}
"""Page -> the reasons of its ``<!-- not run -->`` blocks, in page order."""


@pytest.fixture(scope="module")
def fakes() -> Iterator[DocsFakes]:
    with DocsFakes() as running:
        yield running


def run_page(page: str, fakes: DocsFakes) -> tuple[list[dict[str, Any]], str]:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.pop("HF_TOKEN", None)
        env.update(fakes.env(home), PYTHONPATH=str(ROOT))
        done = subprocess.run(
            [sys.executable, "-m", "tests.docs._blocks", str(ROOT / page)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_every_page_with_code_is_checked() -> None:
    assert "README.md" in PAGES
    assert "docs/migration.md" in PAGES


def test_not_run_blocks_are_exactly_the_listed_ones() -> None:
    marked = {
        page: [b.not_run for b in find_blocks((ROOT / page).read_text()) if b.not_run]
        for page in PAGES
    }
    assert {page: reasons for page, reasons in marked.items() if reasons} == NOT_RUN


@pytest.mark.parametrize("page", PAGES)
def test_code_blocks_run(page: str, fakes: DocsFakes) -> None:
    report, stderr = run_page(page, fakes)
    failures = [
        f"{page}:{entry['line']} ({entry['first']})\n{entry['error']}"
        for entry in report
        if entry["status"] == "error"
    ]
    assert not failures, "\n".join(failures)
    assert "Warning" not in stderr, stderr
