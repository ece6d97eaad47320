"""Cohere: chat on the compatibility route, routed and direct, with the json_schema rewrite."""

from __future__ import annotations

import json

import pytest

from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping

MODEL = "CohereLabs/c4ai-command-r7b-12-2024"
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "command-r7b-12-2024",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
ROUTES = [
    ("hf_abc", "https://router.huggingface.co/cohere/compatibility/v1/chat/completions"),
    ("co-123", "https://api.cohere.com/compatibility/v1/chat/completions"),
]


def _script(url: str) -> Script:
    return Script(
        (
            "GET",
            MAPPING_URL.format(model=MODEL),
            mapping("cohere", "command-r7b-12-2024", "conversational", model=MODEL),
        ),
        ("POST", url, json_ok(CHAT)),
    )


@pytest.mark.parametrize(("token", "url"), ROUTES)
def test_chat_json_schema_is_rewritten(run_task: TaskRunner, token: str, url: str) -> None:
    """E2 (and its routed twin): json_schema → json_object with the schema, in place."""
    script = _script(url)
    schema = {"type": "object", "properties": {"a": {"default": None}}}
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=MODEL,
        response_format={"type": "json_schema", "json_schema": {"name": "r", "schema": schema}},
        client={"provider": "cohere", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "{}"
    lookup, post = call.requests
    assert lookup.header("authorization") == ("Bearer hf_abc" if token == "hf_abc" else None)
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("content-type") == "application/json"
    assert (post.header("user-agent") or "").startswith("hf-inference-core/")
    body = json.loads(post.body or b"")
    assert body == {
        "messages": MESSAGES,
        "model": "command-r7b-12-2024",
        # The schema is the caller's, unfiltered: its None default survives.
        "response_format": {"type": "json_object", "schema": schema},
        "stream": False,
    }
    assert list(body) == ["messages", "model", "response_format", "stream"]


def test_chat_other_response_formats_pass_through(run_task: TaskRunner) -> None:
    script = _script(ROUTES[1][1])
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=MODEL,
        temperature=0.5,
        response_format={"type": "json_schema", "json_schema": {"name": "no-schema"}},
        client={"provider": "cohere", "token": "co-123"},
    )
    script.assert_done()
    assert json.loads(call.requests[1].body or b"") == {
        "messages": MESSAGES,
        "model": "command-r7b-12-2024",
        "response_format": {"type": "json_schema", "json_schema": {"name": "no-schema"}},
        "temperature": 0.5,
        "stream": False,
    }
