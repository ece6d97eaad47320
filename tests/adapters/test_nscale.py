"""Nscale: chat, and base64 images with OpenAI's ``size``."""

from __future__ import annotations

import base64

import PIL.Image
import pytest

from inference_core import ProviderError
from tests.tasks._support import TaskRunner, body_json

from ._support import MAPPING_URL, Script, json_ok, mapping, png

ROUTER = "https://router.huggingface.co/nscale"
DIRECT = "https://inference.api.nscale.com"
BASES = [("hf_abc", ROUTER), ("ns-1", DIRECT)]
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "Qwen/Qwen3-8B",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
SDXL = "stabilityai/stable-diffusion-xl-base-1.0"


PNG = png("green", (3, 2))
IMAGE = json_ok({"data": [{"b64_json": base64.b64encode(PNG).decode()}]})


@pytest.mark.parametrize(("token", "base"), BASES)
def test_chat(run_task: TaskRunner, token: str, base: str) -> None:
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model="org/m"),
            mapping("nscale", "Qwen/Qwen3-8B", "conversational"),
        ),
        ("POST", f"{base}/v1/chat/completions", json_ok(CHAT)),
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model="org/m",
        extra_body={"model": "ignored", "top_k": 5},
        client={"provider": "nscale", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert list(body_json(post)) == ["messages", "model", "stream", "top_k"]
    assert body_json(post) == {
        "messages": MESSAGES,
        "model": "Qwen/Qwen3-8B",
        "stream": False,
        "top_k": 5,
    }


def _image_script(base: str) -> Script:
    return Script(
        (
            "GET",
            MAPPING_URL.format(model=SDXL),
            mapping("nscale", "sdxl", "text-to-image", model=SDXL),
        ),
        ("POST", f"{base}/v1/images/generations", IMAGE),
    )


@pytest.mark.parametrize(("token", "base"), BASES)
def test_text_to_image_e8_size(run_task: TaskRunner, token: str, base: str) -> None:
    script = _image_script(base)
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model=SDXL,
        width=1024,
        height=768,
        num_inference_steps=30,
        client={"provider": "nscale", "token": token},
    )
    script.assert_done()
    assert isinstance(call.result, PIL.Image.Image)
    assert call.result.size == (3, 2)
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("accept") == "image/png"
    assert list(body_json(post)) == ["response_format", "prompt", "model", "size"]
    assert body_json(post) == {
        "response_format": "b64_json",
        "prompt": "a cat",
        "model": "sdxl",
        "size": "1024x768",
    }


def test_text_to_image_drops_cfg_scale_keeps_guidance_scale(run_task: TaskRunner) -> None:
    """Only ``num_inference_steps`` and ``cfg_scale`` are dropped; one dimension stays flat."""
    script = _image_script(ROUTER)
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model=SDXL,
        width=1024,
        guidance_scale=7,
        extra_body={"cfg_scale": 3, "model": "sdxl-turbo"},
        client={"provider": "nscale", "token": "hf_abc", "headers": {"Accept": "image/jpeg"}},
    )
    post = call.requests[1]
    assert [value for name, value in post.headers if name.lower() == "accept"] == ["image/jpeg"]
    # Parameters come last, so extra_body overrides model (in place).
    assert list(body_json(post)) == [
        "response_format",
        "prompt",
        "model",
        "width",
        "guidance_scale",
    ]
    assert body_json(post) == {
        "response_format": "b64_json",
        "prompt": "a cat",
        "model": "sdxl-turbo",
        "width": 1024,
        "guidance_scale": 7,
    }


def test_text_to_image_answer_without_image(run_task: TaskRunner) -> None:
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model=SDXL),
            mapping("nscale", "sdxl", "text-to-image", model=SDXL),
        ),
        ("POST", f"{ROUTER}/v1/images/generations", json_ok({"data": [{"url": "https://x"}]})),
    )
    with pytest.raises(ProviderError, match="no base64 image"):
        run_task(
            script,
            "text_to_image",
            "a cat",
            model=SDXL,
            client={"provider": "nscale", "token": "hf_abc"},
        )
