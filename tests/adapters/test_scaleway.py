"""scaleway (new after v0.33.5): OpenAI-style chat and embeddings, routed and direct."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.tasks._support import TaskRunner

from ._cases import base_for, check_chat, lookup
from ._support import Script, json_ok

TOKENS = pytest.mark.parametrize("token", ["hf_abc", "scw-1"], ids=["routed", "direct"])


def base(token: str) -> str:
    return base_for("scaleway", token, "https://api.scaleway.ai")


@TOKENS
def test_chat(run_task: TaskRunner, token: str) -> None:
    check_chat(run_task, "scaleway", token, f"{base(token)}/v1/chat/completions")


@TOKENS
def test_feature_extraction(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup("scaleway", "bge-multilingual-gemma2", "feature-extraction"),
        ("POST", f"{base(token)}/v1/embeddings", json_ok({"data": [{"embedding": [0.5, 0.25]}]})),
    )
    call = run_task(
        script,
        "feature_extraction",
        "Hello",
        model="org/m",
        normalize=True,
        client={"provider": "scaleway", "token": token},
    )
    script.assert_done()
    assert isinstance(call.result, np.ndarray) and call.result.dtype == np.float32
    assert call.result.tolist() == [[0.5, 0.25]]
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {"input": "Hello", "model": "bge-multilingual-gemma2", "normalize": True}
