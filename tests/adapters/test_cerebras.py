"""Cerebras: chat completions, routed through Hugging Face (hf_ token) and direct (own key)."""

from __future__ import annotations

import json

import pytest

from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping

MESSAGES = [{"role": "user", "content": "Hi", "name": None}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "llama3.1-8b",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


@pytest.mark.parametrize(
    ("token", "url"),
    [
        ("hf_abc", "https://router.huggingface.co/cerebras/v1/chat/completions"),
        ("csk-1", "https://api.cerebras.ai/v1/chat/completions"),
    ],
)
def test_chat_routed_and_direct(run_task: TaskRunner, token: str, url: str) -> None:
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model="meta-llama/Llama-3.1-8B-Instruct"),
            mapping(
                "cerebras",
                "llama3.1-8b",
                "conversational",
                model="meta-llama/Llama-3.1-8B-Instruct",
            ),
        ),
        ("POST", url, json_ok(CHAT)),
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model="meta-llama/Llama-3.1-8B-Instruct",
        max_tokens=16,
        client={"provider": "cerebras", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    lookup, post = call.requests
    assert lookup.header("authorization") == ("Bearer hf_abc" if token.startswith("hf_") else None)
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("content-type") == "application/json"
    assert json.loads(post.body or b"") == {
        "messages": [{"role": "user", "content": "Hi"}],
        "model": "llama3.1-8b",
        "max_tokens": 16,
        "stream": False,
    }
