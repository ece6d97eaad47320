"""The seam between task plans and adapters is typed: mypy rejects an adapter of the wrong kind
for a task, and a plan calling its route's adapter with the wrong arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

SNIPPET = """
from typing import Any

from inference_core.providers import (
    CONVERSATIONAL, TEXT_TO_IMAGE, ChatAdapter, Plan, PreparedCall, Provider, Route, send,
)


def chat(route: Route[Any], messages: list[Any], parameters: dict[str, Any]) -> PreparedCall:
    return PreparedCall(route.post_json("/v1/chat/completions", {"messages": messages}))


def image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    response = yield from send(route.post_json("/images", {"prompt": prompt}))
    return response.body


Provider("good", "https://good.example", [CONVERSATIONAL.use(chat), TEXT_TO_IMAGE.use(image)])
TEXT_TO_IMAGE.use(chat)  # line 19: a chat adapter cannot serve text-to-image
CONVERSATIONAL.use(image)  # line 20: nor an image adapter chat


def plan(route: Route[ChatAdapter]) -> None:
    route.adapter(route, "not a list of messages", {})  # line 24: wrong argument type
    route.adapter(route, [])  # line 25: missing argument
"""


def test_mypy_checks_adapters_against_their_task_kind(tmp_path: Path) -> None:
    snippet = tmp_path / "contract_snippet.py"
    snippet.write_text(SNIPPET)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", str(snippet)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    lines = sorted(
        int(line.split(":")[1]) for line in result.stdout.splitlines() if ": error:" in line
    )
    assert sorted(set(lines)) == [19, 20, 24, 25], result.stdout
