"""Fireworks AI: chat on ``/inference/v1/chat/completions``, routed and direct."""

from __future__ import annotations

import json

import pytest

from inference_core import RequestError
from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping

MODEL = "deepseek-ai/DeepSeek-V3"
PID = "accounts/fireworks/models/deepseek-v3"
MESSAGES = [{"role": "system", "content": ""}, {"role": "user", "content": "Hi", "name": None}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": PID,
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
LOOKUP = ("GET", MAPPING_URL.format(model=MODEL), mapping("fireworks-ai", PID, "conversational"))


@pytest.mark.parametrize(
    ("token", "url"),
    [
        ("hf_abc", "https://router.huggingface.co/fireworks-ai/inference/v1/chat/completions"),
        ("fw-1", "https://api.fireworks.ai/inference/v1/chat/completions"),
    ],
)
def test_chat_routed_and_direct(run_task: TaskRunner, token: str, url: str) -> None:
    script = Script(LOOKUP, ("POST", url, json_ok(CHAT)))
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=MODEL,
        max_tokens=8,
        response_format={"type": "json_schema", "json_schema": {"schema": {"type": "object"}}},
        extra_body={"model": "ignored", "top_k": 3, "min_p": None},
        client={"provider": "fireworks-ai", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {
        # None fields inside messages are dropped; an empty content is kept.
        "messages": [{"role": "system", "content": ""}, {"role": "user", "content": "Hi"}],
        "model": PID,
        "max_tokens": 8,
        "response_format": {"type": "json_object", "schema": {"type": "object"}},
        "stream": False,
        "top_k": 3,
    }
    assert list(body) == ["messages", "model", "max_tokens", "response_format", "stream", "top_k"]


def test_model_not_mapped_for_fireworks(run_task: TaskRunner) -> None:
    script = Script(
        ("GET", MAPPING_URL.format(model=MODEL), mapping("together", "t", "conversational"))
    )
    explicit = TaskRunner(run_task.mode, hub=False)  # auto would pick together here
    with pytest.raises(RequestError, match="is not supported by provider fireworks-ai"):
        explicit(
            script,
            "chat_completion",
            MESSAGES,
            model=MODEL,
            client={"provider": "fireworks-ai", "token": "fw-1"},
        )
    script.assert_done()
