"""ovhcloud (new after v0.33.5): OpenAI-style chat on AI Endpoints, routed and direct."""

from __future__ import annotations

import pytest

from tests.tasks._support import TaskRunner

from ._cases import base_for, check_chat


@pytest.mark.parametrize("token", ["hf_abc", "ovh-1"], ids=["routed", "direct"])
def test_chat(run_task: TaskRunner, token: str) -> None:
    base = base_for("ovhcloud", token, "https://oai.endpoints.kepler.ai.cloud.ovh.net")
    check_chat(run_task, "ovhcloud", token, f"{base}/v1/chat/completions")
