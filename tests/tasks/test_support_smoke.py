"""The task-test harness itself, exercised on chat_completion (which exists on both clients)."""

from __future__ import annotations

from ._support import ROUTER, TaskRunner, body_json, json_reply

CHAT = {
    "id": "1",
    "created": 1,
    "model": "acme/model",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def test_run_task_records_requests_and_result(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(CHAT), "chat_completion", [{"role": "user", "content": "Hi"}], model="acme/model"
    )
    assert call.result.choices[0].message.content == "Hi"
    assert [r.url for r in call.requests] == [f"{ROUTER}/acme/model/v1/chat/completions"]
    assert body_json(call.requests[0])["model"] == "acme/model"
    assert call.requests[0].header("authorization") == "Bearer hf_test"
