"""publicai (new after v0.33.5): OpenAI-style chat, routed and direct."""

from __future__ import annotations

import pytest

from tests.tasks._support import TaskRunner

from ._cases import base_for, check_chat


@pytest.mark.parametrize("token", ["hf_abc", "pai-1"], ids=["routed", "direct"])
def test_chat(run_task: TaskRunner, token: str) -> None:
    base = base_for("publicai", token, "https://api.publicai.co")
    check_chat(run_task, "publicai", token, f"{base}/v1/chat/completions")
