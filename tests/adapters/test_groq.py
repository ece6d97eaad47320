"""Groq: chat on ``/openai/v1/chat/completions``, routed and direct; a missing token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inference_core import ProviderError, RequestError
from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping

MODEL = "meta-llama/Llama-3.3-70B-Instruct"
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "llama-3.3-70b-versatile",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
LOOKUP = (
    "GET",
    MAPPING_URL.format(model=MODEL),
    mapping("groq", "llama-3.3-70b-versatile", "conversational", model=MODEL),
)
DIRECT = "https://api.groq.com/openai/v1/chat/completions"


@pytest.mark.parametrize(
    ("token", "url"),
    [
        ("hf_abc", "https://router.huggingface.co/groq/openai/v1/chat/completions"),
        ("gsk_1", DIRECT),
    ],
)
def test_chat_routed_and_direct(run_task: TaskRunner, token: str, url: str) -> None:
    script = Script(LOOKUP, ("POST", url, json_ok(CHAT)))
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=MODEL,
        seed=7,
        tools=[{"type": "function", "function": {"name": "f", "parameters": {}}}],
        client={"provider": "groq", "token": token, "headers": {"X-Trace": "t"}},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    lookup, post = call.requests
    assert lookup.header("authorization") == ("Bearer hf_abc" if token == "hf_abc" else None)
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("x-trace") == "t"
    body = json.loads(post.body or b"")
    assert body == {
        "messages": MESSAGES,
        "model": "llama-3.3-70b-versatile",
        "seed": 7,
        # filter_none drops the empty nested dict, as huggingface_hub does.
        "tools": [{"type": "function", "function": {"name": "f"}}],
        "stream": False,
    }
    assert list(body) == ["messages", "model", "seed", "tools", "stream"]


def test_provider_error_status(run_task: TaskRunner) -> None:
    error = json_ok({"error": {"message": "Invalid API Key"}}, status=401)
    script = Script(LOOKUP, ("POST", DIRECT, error))
    with pytest.raises(ProviderError) as caught:
        run_task(
            script,
            "chat_completion",
            MESSAGES,
            model=MODEL,
            client={"provider": "groq", "token": "x"},
        )
    script.assert_done()
    assert caught.value.status == 401


def test_no_token_anywhere_fails_before_any_request(
    run_task: TaskRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """E14: no key, no HF_TOKEN, no saved token: the api_key error, and no Hub lookup at all."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    script = Script()
    explicit = TaskRunner(run_task.mode, hub=False)  # auto looks the model up first (E14)
    with pytest.raises(RequestError, match="You must provide an api_key to work with groq API"):
        explicit(
            script,
            "chat_completion",
            MESSAGES,
            model="m",
            client={"provider": "groq", "token": None},
        )
    assert script.seen == []


def test_no_token_with_the_default_provider_looks_up_the_mapping_first(
    run_task: TaskRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """E14, auto: the mapping GET names groq, then the api_key error, before any inference."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    script = Script(("GET", MAPPING_URL.format(model="org/m"), mapping("groq", "g", "chat")))
    with pytest.raises(RequestError, match="You must provide an api_key to work with groq API"):
        run_task(script, "chat_completion", MESSAGES, model="org/m", client={"token": None})
    script.assert_done()
