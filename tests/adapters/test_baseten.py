"""baseten (new after v0.33.5): OpenAI-style chat, routed and direct."""

from __future__ import annotations

import pytest

from tests.tasks._support import TaskRunner

from ._cases import base_for, check_chat


@pytest.mark.parametrize("token", ["hf_abc", "bt-1"], ids=["routed", "direct"])
def test_chat(run_task: TaskRunner, token: str) -> None:
    base = base_for("baseten", token, "https://inference.baseten.co")
    check_chat(run_task, "baseten", token, f"{base}/v1/chat/completions")
