"""Featherless AI: chat and text-generation (OpenAI completions), routed and direct."""

from __future__ import annotations

import json

import pytest

from inference_core import RequestError, Response, TextGenerationOutput
from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping

COMPLETION = {"choices": [{"text": " a time", "finish_reason": "length"}]}
TGI_DEFAULTS = {"details": False, "do_sample": False, "return_full_text": False, "stop": []}
ROUTES = {
    "hf_abc": "https://router.huggingface.co/featherless-ai/v1",
    "rc_1": "https://api.featherless.ai/v1",
}


def _lookup(task: str) -> tuple[str, str, Response]:
    return ("GET", MAPPING_URL.format(model="org/m"), mapping("featherless-ai", "org/m", task))


@pytest.mark.parametrize("token", list(ROUTES))
def test_text_generation(run_task: TaskRunner, token: str) -> None:
    """E3 (and its routed twin): ``max_new_tokens`` sent as ``max_tokens``, TGI-shaped answer."""
    url = ROUTES[token] + "/completions"
    script = Script(_lookup("text-generation"), ("POST", url, json_ok(COMPLETION)))
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        max_new_tokens=20,
        client={"provider": "featherless-ai", "token": token},
    )
    script.assert_done()
    assert call.result == " a time"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {
        "prompt": "Once upon",
        **TGI_DEFAULTS,
        "max_tokens": 20,
        "model": "org/m",
        "stream": False,
    }
    assert list(body) == ["prompt", *TGI_DEFAULTS, "max_tokens", "model", "stream"]


def test_text_generation_without_limit_sends_no_null(run_task: TaskRunner) -> None:
    """Deliberate difference: huggingface_hub sent ``"max_tokens": null`` here."""
    url = ROUTES["rc_1"] + "/completions"
    script = Script(_lookup("text-generation"), ("POST", url, json_ok(COMPLETION)))
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        details=True,
        temperature=0.2,
        client={"provider": "featherless-ai", "token": "rc_1"},
    )
    script.assert_done()
    assert isinstance(call.result, TextGenerationOutput)
    assert call.result.generated_text == " a time"
    assert call.result.details is not None
    assert call.result.details.finish_reason == "length"
    body = json.loads(call.requests[1].body or b"")
    assert body == {
        "prompt": "Once upon",
        **TGI_DEFAULTS,
        "details": True,
        "temperature": 0.2,
        "model": "org/m",
        "stream": False,
    }
    assert "max_tokens" not in body


@pytest.mark.parametrize("token", list(ROUTES))
def test_chat(run_task: TaskRunner, token: str) -> None:
    answer = {
        "id": "c",
        "created": 1,
        "model": "org/m",
        "system_fingerprint": "s",
        "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
    url = ROUTES[token] + "/chat/completions"
    script = Script(_lookup("conversational"), ("POST", url, json_ok(answer)))
    call = run_task(
        script,
        "chat_completion",
        [{"role": "user", "content": "Hi"}],
        model="org/m",
        top_p=0.9,
        client={"provider": "featherless-ai", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {
        "messages": [{"role": "user", "content": "Hi"}],
        "model": "org/m",
        "top_p": 0.9,
        "stream": False,
    }
    assert list(body) == ["messages", "model", "top_p", "stream"]


def test_text_generation_on_a_chat_only_mapping(run_task: TaskRunner) -> None:
    script = Script(_lookup("conversational"))
    with pytest.raises(RequestError, match="not supported for task text-generation"):
        run_task(
            script,
            "text_generation",
            "Once",
            model="org/m",
            client={"provider": "featherless-ai", "token": "rc_1"},
        )
    script.assert_done()
