"""Together AI: chat, text-generation (completions) and text-to-image, routed and direct."""

from __future__ import annotations

import base64
import json
from typing import Any

import anyio
import pytest

from inference_core import ProviderError, Response
from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping, png

ROUTES = {
    "hf_abc": "https://router.huggingface.co/together/v1",
    "tg-1": "https://api.together.xyz/v1",
}
CHAT_MODEL = "meta-llama/Llama-3.1-8B-Instruct"
CHAT_PID = "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": CHAT_PID,
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
TGI_DEFAULTS = {"details": False, "do_sample": False, "return_full_text": False, "stop": []}
IMAGE_MODEL = "black-forest-labs/FLUX.1-schnell"
IMAGE_PID = "black-forest-labs/FLUX.1-schnell-Free"


def _lookup(task: str, model: str, pid: str) -> tuple[str, str, Response]:
    return ("GET", MAPPING_URL.format(model=model), mapping("together", pid, task, model=model))


def _sse(*events: Any) -> Response:
    body = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    return Response(200, (("content-type", "text/event-stream"),), body + b"data: [DONE]\n\n")


def _drain(mode: str, stream: Any) -> list[Any]:
    """Every item of a Stream (sync) or an AsyncStream (on the test's event loop)."""
    if mode == "sync":
        with stream:
            return list(stream)

    async def main() -> list[Any]:
        async with stream:
            return [item async for item in stream]

    return anyio.run(main, backend=mode)


# -- conversational ----------------------------------------------------------------------------


def test_chat_routed(run_task: TaskRunner) -> None:
    """E1: the router, the provider id as ``model``, ``stream: false``; answer unchanged."""
    url = ROUTES["hf_abc"] + "/chat/completions"
    script = Script(_lookup("conversational", CHAT_MODEL, CHAT_PID), ("POST", url, json_ok(CHAT)))
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=CHAT_MODEL,
        max_tokens=16,
        client={"provider": "together", "token": "hf_abc"},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    assert call.result.model == CHAT_PID
    lookup, post = call.requests
    assert lookup.method == "GET"
    assert post.header("authorization") == "Bearer hf_abc"
    assert post.header("content-type") == "application/json"
    assert (post.header("user-agent") or "").startswith("hf-inference-core/")
    body = json.loads(post.body or b"")
    assert body == {"messages": MESSAGES, "model": CHAT_PID, "max_tokens": 16, "stream": False}
    assert list(body) == ["messages", "model", "max_tokens", "stream"]


def test_chat_direct_json_schema_rewrite(run_task: TaskRunner) -> None:
    url = ROUTES["tg-1"] + "/chat/completions"
    script = Script(_lookup("conversational", CHAT_MODEL, CHAT_PID), ("POST", url, json_ok(CHAT)))
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=CHAT_MODEL,
        response_format={"type": "json_schema", "json_schema": {"schema": {"type": "object"}}},
        stop=["\n"],
        client={"provider": "together", "token": "tg-1"},
    )
    script.assert_done()
    post = call.requests[1]
    assert post.header("authorization") == "Bearer tg-1"
    body = json.loads(post.body or b"")
    assert body == {
        "messages": MESSAGES,
        "model": CHAT_PID,
        "response_format": {"type": "json_object", "schema": {"type": "object"}},
        "stop": ["\n"],
        "stream": False,
    }
    assert list(body) == ["messages", "model", "response_format", "stop", "stream"]


def test_chat_stream(run_task: TaskRunner) -> None:
    """SSE chunks from the provider come out as ChatCompletionStreamOutput chunks."""
    url = ROUTES["tg-1"] + "/chat/completions"

    def chunk(content: str, finish: str | None) -> dict[str, Any]:
        delta = {"role": "assistant", "content": content}
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return {"id": "c", "created": 1, "model": CHAT_PID, "system_fingerprint": "s",
                "choices": [choice]}  # fmt: skip

    script = Script(
        _lookup("conversational", CHAT_MODEL, CHAT_PID),
        ("POST", url, _sse(chunk("Y", None), chunk("o", "stop"))),
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=CHAT_MODEL,
        stream=True,
        client={"provider": "together", "token": "tg-1"},
    )
    chunks = _drain(run_task.mode, call.result)
    script.assert_done()
    assert "".join(c.choices[0].delta.content for c in chunks) == "Yo"
    assert chunks[-1].choices[0].finish_reason == "stop"
    body = json.loads(call.requests[1].body or b"")
    assert body == {"messages": MESSAGES, "model": CHAT_PID, "stream": True}


# -- text-generation ---------------------------------------------------------------------------


@pytest.mark.parametrize("token", list(ROUTES))
def test_text_generation(run_task: TaskRunner, token: str) -> None:
    """Completions API; ``max_new_tokens`` sent as ``max_tokens`` (the reference sent it as is)."""
    answer = {"choices": [{"text": " a time", "finish_reason": "length", "seed": 3}]}
    script = Script(
        _lookup("text-generation", "org/m", "org/m-turbo"),
        ("POST", ROUTES[token] + "/completions", json_ok(answer)),
    )
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        max_new_tokens=20,
        top_k=5,
        client={"provider": "together", "token": token},
    )
    script.assert_done()
    assert call.result == " a time"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {
        "prompt": "Once upon",
        **TGI_DEFAULTS,
        "top_k": 5,
        "max_tokens": 20,
        "model": "org/m-turbo",
        "stream": False,
    }
    assert list(body) == ["prompt", *TGI_DEFAULTS, "top_k", "max_tokens", "model", "stream"]


def test_text_generation_stream(run_task: TaskRunner) -> None:
    """Completions stream events are converted to TGI events, so token texts come out."""

    def event(text: str, finish: str | None) -> dict[str, Any]:
        return {"id": "x", "choices": [{"index": 0, "text": text, "finish_reason": finish}]}

    script = Script(
        _lookup("text-generation", "org/m", "org/m-turbo"),
        (
            "POST",
            ROUTES["hf_abc"] + "/completions",
            _sse(event(" a", None), event(" time", "length")),
        ),
    )
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        stream=True,
        client={"provider": "together", "token": "hf_abc"},
    )
    assert _drain(run_task.mode, call.result) == [" a", " time"]
    script.assert_done()
    body = json.loads(call.requests[1].body or b"")
    assert body == {"prompt": "Once upon", **TGI_DEFAULTS, "model": "org/m-turbo", "stream": True}


def test_text_generation_answer_without_choices(run_task: TaskRunner) -> None:
    script = Script(
        _lookup("text-generation", "org/m", "org/m-turbo"),
        ("POST", ROUTES["tg-1"] + "/completions", json_ok({"output": "?"})),
    )
    with pytest.raises(ProviderError, match="no choices"):
        run_task(
            script,
            "text_generation",
            "Once",
            model="org/m",
            client={"provider": "together", "token": "tg-1"},
        )
    script.assert_done()


# -- text-to-image -----------------------------------------------------------------------------


@pytest.mark.parametrize("token", list(ROUTES))
def test_text_to_image(run_task: TaskRunner, token: str) -> None:
    """E8's together variant: renamed steps/guidance, base64 answer decoded to an image."""
    answer = {"data": [{"b64_json": base64.b64encode(png("red", (2, 3))).decode()}]}
    script = Script(
        _lookup("text-to-image", IMAGE_MODEL, IMAGE_PID),
        ("POST", ROUTES[token] + "/images/generations", json_ok(answer)),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model=IMAGE_MODEL,
        guidance_scale=7,
        num_inference_steps=30,
        seed=1,
        client={"provider": "together", "token": token},
    )
    script.assert_done()
    assert call.result.size == (2, 3)
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("accept") == "image/png"
    assert post.header("content-type") == "application/json"
    body = json.loads(post.body or b"")
    assert body == {
        "prompt": "a cat",
        "response_format": "base64",
        "seed": 1,
        "steps": 30,
        "guidance": 7,
        "model": IMAGE_PID,
    }
    assert list(body) == ["prompt", "response_format", "seed", "steps", "guidance", "model"]


def test_text_to_image_extra_body_and_accept(run_task: TaskRunner) -> None:
    """extra_body may override ``response_format`` but not ``model``; a user Accept is kept."""
    answer = {"data": [{"b64_json": base64.b64encode(png("red", (2, 3))).decode()}]}
    script = Script(
        _lookup("text-to-image", IMAGE_MODEL, IMAGE_PID),
        ("POST", ROUTES["tg-1"] + "/images/generations", json_ok(answer)),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model=IMAGE_MODEL,
        extra_body={"model": "other", "response_format": "b64_json", "n": 1},
        client={"provider": "together", "token": "tg-1", "headers": {"Accept": "*/*"}},
    )
    script.assert_done()
    post = call.requests[1]
    assert [v for k, v in post.headers if k.lower() == "accept"] == ["*/*"]
    body = json.loads(post.body or b"")
    assert body == {"prompt": "a cat", "response_format": "b64_json", "model": IMAGE_PID, "n": 1}


@pytest.mark.parametrize("answer", [{"data": [{"url": "https://x/i.png"}]}, {"data": []}])
def test_text_to_image_without_base64(run_task: TaskRunner, answer: Any) -> None:
    script = Script(
        _lookup("text-to-image", IMAGE_MODEL, IMAGE_PID),
        ("POST", ROUTES["tg-1"] + "/images/generations", json_ok(answer)),
    )
    with pytest.raises(ProviderError, match="together"):
        run_task(
            script,
            "text_to_image",
            "a cat",
            model=IMAGE_MODEL,
            client={"provider": "together", "token": "tg-1"},
        )
    script.assert_done()
