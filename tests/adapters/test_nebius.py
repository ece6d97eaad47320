"""Nebius: chat (``guided_json``), completions, base64 or URL images, embeddings."""

from __future__ import annotations

import base64

import numpy
import PIL.Image
import pytest

from inference_core import ProviderError, Response
from tests.tasks._support import TaskRunner, body_json

from ._support import MAPPING_URL, Script, bytes_ok, json_ok, mapping, png

DIRECT = "https://api.studio.nebius.ai"
BASES = [("neb-1", DIRECT)]
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "org/M",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


PNG = png("blue", (3, 2))


def _script(task: str, pid: str, *steps: tuple[str, str, Response]) -> Script:
    lookup = ("GET", MAPPING_URL.format(model="org/m"), mapping("nebius", pid, task))
    return Script(lookup, *steps)


@pytest.mark.parametrize(("token", "base"), BASES)
def test_chat_json_schema_adds_guided_json(run_task: TaskRunner, token: str, base: str) -> None:
    schema = {"type": "object", "properties": {"a": {"default": None}}}
    response_format = {"type": "json_schema", "json_schema": {"name": "r", "schema": schema}}
    script = _script(
        "conversational", "org/M", ("POST", f"{base}/v1/chat/completions", json_ok(CHAT))
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model="org/m",
        response_format=response_format,
        client={"provider": "nebius", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "{}"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    sent = body_json(post)
    assert list(sent) == ["messages", "model", "response_format", "stream", "guided_json"]
    # response_format is None-filtered like the payload (emptied dicts go too); guided_json is
    # the schema as given.
    kept = {"type": "object"}
    assert sent["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "r", "schema": kept},
    }
    assert sent["guided_json"] == schema


def test_chat_other_response_format_untouched(run_task: TaskRunner) -> None:
    script = _script(
        "conversational", "org/M", ("POST", f"{DIRECT}/v1/chat/completions", json_ok(CHAT))
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model="org/m",
        response_format={"type": "json_object"},
        client={"provider": "nebius", "token": "neb-1"},
    )
    assert body_json(call.requests[1]) == {
        "messages": MESSAGES,
        "model": "org/M",
        "response_format": {"type": "json_object"},
        "stream": False,
    }


@pytest.mark.parametrize(("token", "base"), BASES)
def test_text_generation_completions(run_task: TaskRunner, token: str, base: str) -> None:
    answer = {"choices": [{"text": " a time", "finish_reason": "length"}]}
    script = _script(
        "text-generation", "org/M", ("POST", f"{base}/v1/completions", json_ok(answer))
    )
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        max_new_tokens=20,
        client={"provider": "nebius", "token": token},
    )
    script.assert_done()
    assert call.result == " a time"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    sent = body_json(post)
    assert list(sent) == [
        "prompt",
        "details",
        "do_sample",
        "return_full_text",
        "stop",
        "max_tokens",
        "model",
        "stream",
    ]
    assert sent["prompt"] == "Once upon"
    assert (sent["max_tokens"], sent["model"], sent["stream"]) == (20, "org/M", False)


IMAGE_B64 = json_ok({"data": [{"b64_json": base64.b64encode(PNG).decode()}]})


@pytest.mark.parametrize(("token", "base"), BASES)
def test_text_to_image_e8(run_task: TaskRunner, token: str, base: str) -> None:
    script = _script(
        "text-to-image",
        "black-forest-labs/flux-dev",
        ("POST", f"{base}/v1/images/generations", IMAGE_B64),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="org/m",
        num_inference_steps=30,
        guidance_scale=7,
        client={"provider": "nebius", "token": token},
    )
    script.assert_done()
    assert isinstance(call.result, PIL.Image.Image)
    assert call.result.size == (3, 2)
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("accept") == "image/png"
    sent = body_json(post)
    assert list(sent) == ["prompt", "num_inference_steps", "response_format", "model"]
    assert sent == {
        "prompt": "a cat",
        "num_inference_steps": 30,
        "response_format": "b64_json",
        "model": "black-forest-labs/flux-dev",
    }


def test_text_to_image_unknown_response_format_forced_to_b64(run_task: TaskRunner) -> None:
    script = _script(
        "text-to-image", "flux", ("POST", f"{DIRECT}/v1/images/generations", IMAGE_B64)
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="org/m",
        extra_body={"response_format": "png", "seed_mode": 1},
        client={"provider": "nebius", "token": "neb-1", "headers": {"ACCEPT": "image/webp"}},
    )
    post = call.requests[1]
    assert [value for name, value in post.headers if name.lower() == "accept"] == ["image/webp"]
    assert body_json(post) == {
        "prompt": "a cat",
        "response_format": "b64_json",
        "seed_mode": 1,
        "model": "flux",
    }


def test_text_to_image_url_downloads_without_token(run_task: TaskRunner) -> None:
    """huggingface_hub failed on ``response_format="url"``; here the image is downloaded."""
    answer = json_ok({"data": [{"url": "https://files.nebius.example/i.png"}]})
    script = _script(
        "text-to-image",
        "flux",
        ("POST", f"{DIRECT}/v1/images/generations", answer),
        ("GET", "https://files.nebius.example/i.png", bytes_ok(PNG, "image/png")),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="org/m",
        extra_body={"response_format": "url"},
        client={"provider": "nebius", "token": "neb-1", "headers": {"X-HF-Bill-To": "acme"}},
    )
    script.assert_done()
    assert call.result.size == (3, 2)
    assert body_json(call.requests[1])["response_format"] == "url"
    download = call.requests[2]
    assert download.header("authorization") is None
    assert download.header("x-hf-bill-to") is None


def test_text_to_image_url_answer_without_url(run_task: TaskRunner) -> None:
    answer = json_ok({"data": [{"b64_json": "AAAA"}]})
    script = _script("text-to-image", "flux", ("POST", f"{DIRECT}/v1/images/generations", answer))
    with pytest.raises(ProviderError, match=r"data\[0\]\.url"):
        run_task(
            script,
            "text_to_image",
            "a cat",
            model="org/m",
            extra_body={"response_format": "url"},
            client={"provider": "nebius", "token": "neb-1"},
        )


@pytest.mark.parametrize(("token", "base"), BASES)
def test_feature_extraction_e10_drops_parameters(
    run_task: TaskRunner, token: str, base: str
) -> None:
    answer = json_ok({"data": [{"embedding": [0.1, 0.2]}]})
    script = _script(
        "feature-extraction", "BAAI/bge-en-icl", ("POST", f"{base}/v1/embeddings", answer)
    )
    call = run_task(
        script,
        "feature_extraction",
        "Hello",
        model="org/m",
        truncate=True,
        normalize=True,
        client={"provider": "nebius", "token": token},
    )
    script.assert_done()
    assert call.result.dtype == numpy.float32
    assert call.result.shape == (1, 2)
    assert numpy.allclose(call.result, [[0.1, 0.2]])
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert body_json(post) == {"input": "Hello", "model": "BAAI/bge-en-icl"}
    assert list(body_json(post)) == ["input", "model"]
