"""zai-org (new after v0.33.5): GLM chat, and text-to-image as a polled job, routed and direct;
every request carries Z.ai's two extra headers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inference_core import InferenceTimeoutError, ProviderError
from tests.tasks._support import TaskRunner

from ._cases import PNG, base_for, check_chat, lookup, names
from ._support import Script, bytes_ok, json_ok

TOKENS = pytest.mark.parametrize("token", ["hf_abc", "zai-1"], ids=["routed", "direct"])
IMAGE = "https://cdn.z.ai/i.png"


def base(token: str) -> str:
    return base_for("zai-org", token, "https://api.z.ai") + "/api/paas/v4"


def client(token: str, **extra: Any) -> dict[str, Any]:
    return {"provider": "zai-org", "token": token, **extra}


@TOKENS
def test_chat_with_extra_headers(run_task: TaskRunner, token: str) -> None:
    post = check_chat(run_task, "zai-org", token, f"{base(token)}/chat/completions")
    assert post.header("accept-language") == "en-US,en"
    assert post.header("x-source-channel") == "hugging_face"


@TOKENS
def test_text_to_image_polls_the_job(run_task: TaskRunner, token: str) -> None:
    result_url = f"{base(token)}/async-result/t1"
    script = Script(
        lookup("zai-org", "cogview-4", "text-to-image"),
        ("POST", f"{base(token)}/async/images/generations",
         json_ok({"id": "t1", "task_status": "PROCESSING"})),
        ("GET", result_url, json_ok({"id": "t1", "task_status": "PROCESSING"})),
        ("GET", result_url, json_ok({"task_status": "SUCCESS", "image_result": [{"url": IMAGE}]})),
        ("GET", IMAGE, bytes_ok(PNG, "image/png")),
    )  # fmt: skip
    call = run_task(
        script, "text_to_image", "a cat", model="org/m", width=1024, height=768, seed=3,
        client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result.size == (4, 3)
    assert call.sleeps == [5.0, 5.0]
    _, post, poll, _, download = call.requests
    body = json.loads(post.body or b"")
    assert body == {"model": "cogview-4", "prompt": "a cat", "size": "1024x768", "seed": 3}
    assert list(body) == ["model", "prompt", "size", "seed"]
    for request in (post, poll):
        assert request.header("authorization") == f"Bearer {token}"
        assert request.header("x-source-channel") == "hugging_face"
    assert download.header("authorization") is None
    assert "x-source-channel" not in names(download)


def test_text_to_image_one_size_stays_flat(run_task: TaskRunner) -> None:
    done = {"id": "t1", "task_status": "SUCCESS", "image_result": [{"url": IMAGE}]}
    script = Script(
        lookup("zai-org", "cogview-4", "text-to-image"),
        ("POST", f"{base('zai-1')}/async/images/generations", json_ok(done)),
        ("GET", IMAGE, bytes_ok(PNG, "image/png")),
    )
    call = run_task(
        script, "text_to_image", "a cat", model="org/m", width=64, client=client("zai-1")
    )
    assert call.sleeps == []
    assert json.loads(call.requests[1].body or b"") == {
        "model": "cogview-4",
        "prompt": "a cat",
        "width": 64,
    }


def test_text_to_image_failure_is_provider_error(run_task: TaskRunner) -> None:
    script = Script(
        lookup("zai-org", "cogview-4", "text-to-image"),
        ("POST", f"{base('zai-1')}/async/images/generations",
         json_ok({"id": "t1", "task_status": "PROCESSING"})),
        ("GET", f"{base('zai-1')}/async-result/t1", json_ok({"task_status": "FAIL"})),
    )  # fmt: skip
    with pytest.raises(ProviderError, match="zai-org image job t1 failed"):
        run_task(script, "text_to_image", "a cat", model="org/m", client=client("zai-1"))
    script.assert_done()


def test_text_to_image_polls_within_the_client_timeout(run_task: TaskRunner) -> None:
    pending = json_ok({"id": "t1", "task_status": "PROCESSING"})
    script = Script(
        lookup("zai-org", "cogview-4", "text-to-image"),
        ("POST", f"{base('zai-1')}/async/images/generations", pending),
        *[("GET", f"{base('zai-1')}/async-result/t1", pending)] * 2,
    )
    with pytest.raises(InferenceTimeoutError):
        run_task(
            script, "text_to_image", "a cat", model="org/m", client=client("zai-1", timeout=12)
        )
    script.assert_done()  # two polls after 5 s each; a third wait would pass 12 s
