"""Novita: chat and completions under ``/v3/openai``, text-to-video, and the ``auto`` policy."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from inference_core import (
    AsyncInferenceClient,
    InferenceClient,
    ProviderError,
    RequestError,
    Response,
)
from inference_core._resolve import _REGISTRY
from inference_core.providers import TEXT_TO_IMAGE, Provider
from tests.tasks._support import TaskRunner, body_json
from transports import MockTransport

from ._support import MAPPING_URL, Script, bytes_ok, json_ok, mapping

ROUTER = "https://router.huggingface.co/novita"
DIRECT = "https://api.novita.ai"
BASES = [("hf_abc", ROUTER), ("nv-1", DIRECT)]
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "deepseek/deepseek-r1",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
R1 = "deepseek-ai/DeepSeek-R1"


@pytest.mark.parametrize(("token", "base"), BASES)
def test_chat_v3_route(run_task: TaskRunner, token: str, base: str) -> None:
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model=R1),
            mapping("novita", "deepseek/deepseek-r1", "conversational", model=R1),
        ),
        ("POST", f"{base}/v3/openai/chat/completions", json_ok(CHAT)),
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model=R1,
        max_tokens=16,
        client={"provider": "novita", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert list(body_json(post)) == ["messages", "model", "max_tokens", "stream"]
    assert body_json(post) == {
        "messages": MESSAGES,
        "model": "deepseek/deepseek-r1",
        "max_tokens": 16,
        "stream": False,
    }


@pytest.mark.parametrize(("token", "base"), BASES)
def test_text_generation_v3_completions(run_task: TaskRunner, token: str, base: str) -> None:
    answer = {"choices": [{"text": " a time", "finish_reason": "length", "seed": 4}]}
    script = Script(
        ("GET", MAPPING_URL.format(model="org/m"), mapping("novita", "org/M", "text-generation")),
        ("POST", f"{base}/v3/openai/completions", json_ok(answer)),
    )
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        details=True,
        client={"provider": "novita", "token": token},
    )
    script.assert_done()
    assert call.result.generated_text == " a time"
    assert (call.result.details.finish_reason, call.result.details.seed) == ("length", 4)
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert body_json(post) == {
        "prompt": "Once upon",
        "details": True,
        "do_sample": False,
        "return_full_text": False,
        "stop": [],
        "model": "org/M",
        "stream": False,
    }


WAN = "Wan-AI/Wan2.1-T2V-14B"


def _video_script(base: str, answer: Response, *download: tuple[str, str, Response]) -> Script:
    lookup = mapping("novita", "wan-t2v", "text-to-video", model=WAN)
    return Script(
        ("GET", MAPPING_URL.format(model=WAN), lookup),
        ("POST", f"{base}/v3/hf/wan-t2v", answer),
        *download,
    )


@pytest.mark.parametrize(("token", "base"), BASES)
def test_text_to_video_e13(run_task: TaskRunner, token: str, base: str) -> None:
    script = _video_script(
        base,
        json_ok({"video": {"video_url": "https://x/v.mp4"}}),
        ("GET", "https://x/v.mp4", bytes_ok(b"MP4-bytes", "video/mp4")),
    )
    call = run_task(
        script,
        "text_to_video",
        "a cat",
        model=WAN,
        num_inference_steps=20,
        extra_body={"seed": None, "fps": 16},
        client={"provider": "novita", "token": token, "headers": {"X-HF-Bill-To": "acme"}},
    )
    script.assert_done()
    assert call.result == b"MP4-bytes"
    post, download = call.requests[1:]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("x-hf-bill-to") == "acme"
    assert post.header("accept") is None
    assert list(body_json(post)) == ["prompt", "num_inference_steps", "fps"]
    assert body_json(post) == {"prompt": "a cat", "num_inference_steps": 20, "fps": 16}
    assert download.header("authorization") is None
    assert download.header("x-hf-bill-to") is None


@pytest.mark.parametrize(
    "answer",
    [{"video_url": "https://x/v.mp4"}, {"video": "https://x/v.mp4"}, {"video": {}}, []],
)
def test_text_to_video_wrong_shape(run_task: TaskRunner, answer: Any) -> None:
    script = _video_script(DIRECT, json_ok(answer))
    with pytest.raises(ProviderError, match="video_url"):
        run_task(
            script,
            "text_to_video",
            "a cat",
            model=WAN,
            client={"provider": "novita", "token": "nv-1"},
        )
    script.assert_done()


def _auto_mapping(*entries: tuple[str, str, str]) -> Response:
    raw = {name: {"status": "live", "providerId": pid, "task": task} for name, pid, task in entries}
    return json_ok({"id": R1, "inferenceProviderMapping": raw})


AUTO_MAPPING = _auto_mapping(
    ("novita", "deepseek/deepseek-r1", "conversational"),
    ("together", "deepseek-ai/DeepSeek-R1", "conversational"),
)


def test_auto_picks_first_mapping_entry_e11(run_task: TaskRunner) -> None:
    script = Script(
        ("GET", MAPPING_URL.format(model=R1), AUTO_MAPPING),
        ("POST", f"{ROUTER}/v3/openai/chat/completions", json_ok(CHAT)),
    )
    call = run_task(
        script, "chat_completion", MESSAGES, model=R1, client={"provider": None, "token": "hf_abc"}
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    assert body_json(call.requests[1]) == {
        "messages": MESSAGES,
        "model": "deepseek/deepseek-r1",
        "stream": False,
    }


@pytest.mark.parametrize("mode", ["sync", "asyncio", "trio"])
def test_auto_mapping_cached_per_client(mode: str) -> None:
    """Two calls on one client: one Hub lookup, two chat requests."""
    post = ("POST", f"{ROUTER}/v3/openai/chat/completions", json_ok(CHAT))
    script = Script(("GET", MAPPING_URL.format(model=R1), AUTO_MAPPING), post, post)
    mock = MockTransport(script)
    if mode == "sync":
        with InferenceClient(transport=mock, token="hf_abc") as client:
            for _ in range(2):
                client.chat_completion(MESSAGES, model=R1)
    else:

        async def main() -> None:
            async with AsyncInferenceClient(transport=mock, token="hf_abc") as client:
                for _ in range(2):
                    await client.chat_completion(MESSAGES, model=R1)

        anyio.run(main, backend=mode)
    script.assert_done()


def test_auto_first_provider_lacks_the_task(
    run_task: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No task-aware choice: an image-only provider first fails the chat before any POST."""
    image_only = Provider("fal-ai", "https://fal.run", tasks=[TEXT_TO_IMAGE.use(lambda *a: None)])
    monkeypatch.setitem(_REGISTRY, "fal-ai", image_only)
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model=R1),
            _auto_mapping(
                ("fal-ai", "fal-ai/r1", "text-to-image"),
                ("novita", "deepseek/deepseek-r1", "conversational"),
            ),
        )
    )
    with pytest.raises(
        RequestError, match="Task 'conversational' not supported for provider 'fal-ai'"
    ):
        run_task(
            script,
            "chat_completion",
            MESSAGES,
            model=R1,
            client={"provider": None, "token": "hf_abc"},
        )
    script.assert_done()


def test_auto_first_provider_unknown(run_task: TaskRunner) -> None:
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model=R1),
            _auto_mapping(
                ("not-a-provider", "x/r1", "conversational"),
                ("novita", "deepseek/deepseek-r1", "conversational"),
            ),
        )
    )
    with pytest.raises(RequestError, match="Provider 'not-a-provider' not supported"):
        run_task(
            script,
            "chat_completion",
            MESSAGES,
            model=R1,
            client={"provider": None, "token": "hf_abc"},
        )
    script.assert_done()
