"""OpenAI: chat straight to api.openai.com with an OpenAI key; no Hub lookup, never routed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inference_core import RequestError
from tests.tasks._support import TaskRunner

from ._support import Script, json_ok

URL = "https://api.openai.com/v1/chat/completions"
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "gpt-4o-mini",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


@pytest.fixture
def no_saved_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No HF token in the environment, and an empty HF_HOME (no token file)."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    return monkeypatch


def test_chat_direct_without_hub_lookup(run_task: TaskRunner) -> None:
    """E12: the model name is OpenAI's own, sent as given; the only request is the POST."""
    script = Script(("POST", URL, json_ok(CHAT)))
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model="gpt-4o-mini",
        client={"provider": "openai", "token": "sk-1"},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    (post,) = call.requests
    assert post.header("authorization") == "Bearer sk-1"
    assert post.header("content-type") == "application/json"
    body = json.loads(post.body or b"")
    assert body == {"messages": MESSAGES, "model": "gpt-4o-mini", "stream": False}
    assert list(body) == ["messages", "model", "stream"]


def test_hf_token_is_refused_before_any_request(run_task: TaskRunner) -> None:
    script = Script()
    with pytest.raises(RequestError, match="not available through Hugging Face routing"):
        run_task(
            script,
            "chat_completion",
            MESSAGES,
            model="gpt-4o",
            client={"provider": "openai", "token": "hf_abc"},
        )
    assert script.seen == []


def test_missing_key_fails_before_any_request(
    run_task: TaskRunner, no_saved_token: pytest.MonkeyPatch
) -> None:
    script = Script()
    with pytest.raises(RequestError, match="api_key"):
        run_task(
            script,
            "chat_completion",
            MESSAGES,
            model="gpt-4o",
            client={"provider": "openai", "token": None},
        )
    assert script.seen == []


def test_saved_token_is_not_sent_to_openai(
    run_task: TaskRunner, no_saved_token: pytest.MonkeyPatch
) -> None:
    """§4.11: no local-token fallback; a saved (non-hf_) token must never reach OpenAI."""
    no_saved_token.setenv("HF_TOKEN", "api_org_saved")
    script = Script(("POST", URL, json_ok(CHAT)))
    try:
        run_task(
            script,
            "chat_completion",
            MESSAGES,
            model="gpt-4o",
            client={"provider": "openai", "token": None},
        )
    except RequestError:
        assert script.seen == []
    else:
        raise AssertionError("the saved HF token was sent to OpenAI")


def test_missing_model_fails_before_any_request(run_task: TaskRunner) -> None:
    script = Script()
    with pytest.raises(RequestError, match="model ID"):
        run_task(
            script, "chat_completion", MESSAGES, client={"provider": "openai", "token": "sk-1"}
        )
    assert script.seen == []


def test_missing_model_message_names_openai_models(run_task: TaskRunner) -> None:
    with pytest.raises(RequestError) as caught:
        run_task(
            Script(), "chat_completion", MESSAGES, client={"provider": "openai", "token": "sk"}
        )
    assert str(caught.value) == "Please provide an OpenAI model ID, e.g. `gpt-4o` or `o1`."
