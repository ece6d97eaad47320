"""Find the ```python blocks of a markdown page and run them, as a reader would, in order.

Strategy: a page's runnable blocks share one namespace, top to bottom (a later block may use
an earlier block's imports), like a reader pasting them into one interpreter. A block preceded
by ``<!-- not run: <reason> -->`` (the nearest non-blank line above its fence) is not run; the
reason is reported. ``http://127.0.0.1:8080``, the docs' local server, is replaced by the fake
TGI server's address (``DOCS_SERVER_URL``).

Run as ``python -m tests.docs._blocks PAGE.md`` (in a subprocess, so registered providers and
other global state stay in it): prints one JSON report on stdout. Warnings are errors, except
the ``FutureWarning`` that deprecated APIs (``InferenceApi``, ``get_model_status``) raise on
purpose.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any

import attrs

NOT_RUN = re.compile(r"^<!--\s*not run:\s*(?P<reason>.+?)\s*-->$")
DOCS_SERVER_URL = "http://127.0.0.1:8080"


@attrs.frozen
class Block:
    """One ```python block: where it starts (1-based line of its first code line) and its code."""

    line: int
    code: str
    not_run: str | None  # the reason, for a block marked ``<!-- not run: ... -->``


def find_blocks(text: str) -> list[Block]:
    """Every ```python block of ``text``, in order."""
    lines = text.splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```python":
            index += 1
            continue
        previous = next((ln.strip() for ln in reversed(lines[:index]) if ln.strip()), "")
        match = NOT_RUN.match(previous)
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        code = "\n".join(lines[index + 1 : end]) + "\n"
        blocks.append(Block(index + 2, code, match.group("reason") if match else None))
        index = end + 1
    return blocks


def run_page(path: Path, server_url: str) -> list[dict[str, Any]]:
    """Run the page's blocks; one report entry per block."""
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    report: list[dict[str, Any]] = []
    for block in find_blocks(path.read_text()):
        entry: dict[str, Any] = {"line": block.line, "first": block.code.splitlines()[0]}
        if block.not_run is not None:
            report.append({**entry, "status": "not run", "reason": block.not_run})
            continue
        code = block.code.replace(DOCS_SERVER_URL, server_url)
        printed = io.StringIO()
        try:
            compiled = compile(code, f"{path.name}:{block.line}", "exec")
            with contextlib.redirect_stdout(printed):
                exec(compiled, namespace)
        except BaseException:
            report.append({**entry, "status": "error", "error": traceback.format_exc()})
        else:
            report.append({**entry, "status": "ok", "printed": printed.getvalue()})
    return report


def main(argv: list[str]) -> int:
    warnings.simplefilter("error")
    warnings.filterwarnings("ignore", category=FutureWarning, message=".*is deprecated.*")
    report = run_page(Path(argv[0]), os.environ["DOCS_SERVER_URL"])
    sys.stdout.write(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
