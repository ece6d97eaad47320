"""SambaNova: chat (json_schema made non-strict, on a copy) and embeddings, direct only (it
left the Hugging Face router)."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest

from inference_core import ProviderError, RequestError
from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping

ROUTES = {
    "sn-1": "https://api.sambanova.ai/v1",
}
CHAT_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "Meta-Llama-3.1-8B-Instruct",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
EMBED_MODEL = "intfloat/e5-mistral-7b-instruct"


def _chat(run_task: TaskRunner, token: str, response_format: Any, steps: int = 2) -> Any:
    lookup = (
        "GET",
        MAPPING_URL.format(model=CHAT_MODEL),
        mapping("sambanova", "Meta-Llama-3.1-8B-Instruct", "conversational", model=CHAT_MODEL),
    )
    post = ("POST", ROUTES[token] + "/chat/completions", json_ok(CHAT))
    script = Script(*(lookup, post)[:steps])
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=CHAT_MODEL,
        response_format=response_format,
        client={"provider": "sambanova", "token": token},
    )
    script.assert_done()
    return call


@pytest.mark.parametrize("token", list(ROUTES))
@pytest.mark.parametrize(
    ("json_schema", "sent"),
    [
        (  # strict True → False, in place
            {"name": "r", "strict": True, "schema": {"type": "object"}},
            {"name": "r", "strict": False, "schema": {"type": "object"}},
        ),
        (  # strict None (dropped by the filter otherwise) → False, in place
            {"name": "r", "strict": None, "schema": {"type": "object", "x": None}},
            {"name": "r", "strict": False, "schema": {"type": "object"}},
        ),
        (  # strict missing → False, appended
            {"schema": {"type": "object"}},
            {"schema": {"type": "object"}, "strict": False},
        ),
        (  # an explicit False is left alone
            {"strict": False, "schema": {"type": "object"}},
            {"strict": False, "schema": {"type": "object"}},
        ),
    ],
)
def test_chat_json_schema_is_never_strict(
    run_task: TaskRunner, token: str, json_schema: dict[str, Any], sent: dict[str, Any]
) -> None:
    response_format = {"type": "json_schema", "json_schema": json_schema}
    before = copy.deepcopy(response_format)
    call = _chat(run_task, token, response_format)
    assert call.result.choices[0].message.content == "{}"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {
        "messages": MESSAGES,
        "model": "Meta-Llama-3.1-8B-Instruct",
        "response_format": {"type": "json_schema", "json_schema": sent},
        "stream": False,
    }
    assert list(body["response_format"]["json_schema"]) == list(sent)
    assert response_format == before  # the caller's dict is not mutated


def test_chat_without_json_schema_is_untouched(run_task: TaskRunner) -> None:
    call = _chat(run_task, "sn-1", {"type": "json_object"})
    body = json.loads(call.requests[1].body or b"")
    assert body["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize("json_schema", [None, "r"])
def test_chat_json_schema_not_a_dict(run_task: TaskRunner, json_schema: Any) -> None:
    """The reference crashed with AttributeError; here a RequestError, before the POST."""
    with pytest.raises(RequestError, match="json_schema"):
        _chat(run_task, "sn-1", {"type": "json_schema", "json_schema": json_schema}, steps=1)


@pytest.mark.parametrize("token", list(ROUTES))
def test_feature_extraction(run_task: TaskRunner, token: str) -> None:
    """E10 (and its direct twin): parameters forwarded when set; one vector per input."""
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model=EMBED_MODEL),
            mapping("sambanova", "E5-Mistral-7B-Instruct", "feature-extraction", model=EMBED_MODEL),
        ),
        ("POST", ROUTES[token] + "/embeddings", json_ok({"data": [{"embedding": [0.1, 0.2]}]})),
    )
    call = run_task(
        script,
        "feature_extraction",
        "Hello",
        model=EMBED_MODEL,
        truncate=True,
        client={"provider": "sambanova", "token": token},
    )
    script.assert_done()
    assert call.result.dtype == np.float32
    assert call.result.shape == (1, 2)
    np.testing.assert_allclose(call.result, [[0.1, 0.2]], rtol=1e-6)
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {"input": "Hello", "model": "E5-Mistral-7B-Instruct", "truncate": True}
    assert list(body) == ["input", "model", "truncate"]


def test_feature_extraction_wrong_answer(run_task: TaskRunner) -> None:
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model=EMBED_MODEL),
            mapping("sambanova", "E5", "feature-extraction", model=EMBED_MODEL),
        ),
        ("POST", ROUTES["sn-1"] + "/embeddings", json_ok({"embeddings": [[0.1]]})),
    )
    with pytest.raises(ProviderError, match="embeddings"):
        run_task(
            script,
            "feature_extraction",
            "Hello",
            model=EMBED_MODEL,
            client={"provider": "sambanova", "token": "sn-1"},
        )
    script.assert_done()
