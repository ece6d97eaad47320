"""Hyperbolic: chat, text generation on the chat route (converted to TGI), base64 images."""

from __future__ import annotations

import base64
import json
from typing import Any

import anyio
import PIL.Image
import pytest

from inference_core import (
    AsyncInferenceClient,
    InferenceClient,
    ProviderError,
    RequestError,
    Response,
    TextGenerationOutput,
    TextGenerationStreamOutput,
)
from tests.tasks._support import TaskRunner, body_json
from transports import MockTransport

from ._support import MAPPING_URL, Script, json_ok, mapping, png

DIRECT = "https://api.hyperbolic.xyz"
BASES = [("hyp-1", DIRECT)]
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "meta-llama/Llama-3.3-70B-Instruct",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


PNG = png("red", (3, 2))


@pytest.mark.parametrize(("token", "base"), BASES)
def test_chat(run_task: TaskRunner, token: str, base: str) -> None:
    script = Script(
        (
            "GET",
            MAPPING_URL.format(model="org/m"),
            mapping("hyperbolic", "org/M", "conversational"),
        ),
        ("POST", f"{base}/v1/chat/completions", json_ok(CHAT)),
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model="org/m",
        temperature=0.5,
        client={"provider": "hyperbolic", "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert list(body_json(post)) == ["messages", "model", "temperature", "stream"]
    assert body_json(post) == {
        "messages": MESSAGES,
        "model": "org/M",
        "temperature": 0.5,
        "stream": False,
    }


def _generation_script(base: str, answer: Response) -> Script:
    lookup = mapping("hyperbolic", "org/M", "text-generation")
    return Script(
        ("GET", MAPPING_URL.format(model="org/m"), lookup),
        ("POST", f"{base}/v1/chat/completions", answer),
    )


@pytest.mark.parametrize(("token", "base"), BASES)
def test_text_generation_uses_chat_route(run_task: TaskRunner, token: str, base: str) -> None:
    script = _generation_script(base, json_ok(CHAT))
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        max_new_tokens=20,
        client={"provider": "hyperbolic", "token": token},
    )
    script.assert_done()
    assert call.result == "Yo"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("content-type") == "application/json"
    sent = body_json(post)
    assert list(sent) == [
        "messages",
        "details",
        "do_sample",
        "return_full_text",
        "stop",
        "max_tokens",
        "model",
        "stream",
    ]
    assert sent == {
        "messages": [{"role": "user", "content": "Once upon"}],
        "details": False,
        "do_sample": False,
        "return_full_text": False,
        "stop": [],
        "max_tokens": 20,
        "model": "org/M",
        "stream": False,
    }


def test_text_generation_details(run_task: TaskRunner) -> None:
    script = _generation_script(DIRECT, json_ok(CHAT))
    call = run_task(
        script,
        "text_generation",
        "Once upon",
        model="org/m",
        details=True,
        client={"provider": "hyperbolic", "token": "hyp-1"},
    )
    assert isinstance(call.result, TextGenerationOutput)
    assert call.result.generated_text == "Yo"
    assert call.result.details is not None
    assert call.result.details.finish_reason == "stop"
    assert body_json(call.requests[1])["details"] is True


def test_text_generation_answer_without_choices(run_task: TaskRunner) -> None:
    script = _generation_script(DIRECT, json_ok({"object": "chat.completion"}))
    with pytest.raises(ProviderError, match="hyperbolic"):
        run_task(
            script,
            "text_generation",
            "Once upon",
            model="org/m",
            client={"provider": "hyperbolic", "token": "hyp-1"},
        )


def test_text_generation_mapped_for_chat_only(run_task: TaskRunner) -> None:
    """The mapping entry's task must be text-generation, not conversational (spec §1.3)."""
    script = Script(
        ("GET", MAPPING_URL.format(model="org/m"), mapping("hyperbolic", "org/M", "conversational"))
    )
    with pytest.raises(RequestError, match="not supported for task text-generation"):
        run_task(
            script,
            "text_generation",
            "Once upon",
            model="org/m",
            client={"provider": "hyperbolic", "token": "hyp-1"},
        )
    script.assert_done()


def _sse(*events: Any) -> Response:
    lines = b"".join(b"data: " + json.dumps(event).encode() + b"\n\n" for event in events)
    return Response(200, (("content-type", "text/event-stream"),), lines + b"data: [DONE]\n\n")


STREAM = _sse(
    {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
    {"choices": [{"index": 0, "delta": {"content": "Once"}}]},
    {"choices": [{"index": 0, "delta": {"content": " more"}, "finish_reason": "length"}]},
    {"choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 2}},
)


def _stream(mode: str, script: Script, **kwargs: Any) -> list[Any]:
    mock = MockTransport(script)
    if mode == "sync":
        with InferenceClient(transport=mock, provider="hyperbolic", token="hyp-1") as client:
            return list(client.text_generation("Once upon", stream=True, **kwargs))

    async def main() -> list[Any]:
        async with AsyncInferenceClient(
            transport=mock, provider="hyperbolic", token="hyp-1"
        ) as client:
            stream = await client.text_generation("Once upon", stream=True, **kwargs)
            return [item async for item in stream]

    return anyio.run(main, backend=mode)


@pytest.mark.parametrize("mode", ["sync", "asyncio", "trio"])
def test_text_generation_stream(mode: str) -> None:
    script = _generation_script(DIRECT, STREAM)
    assert _stream(mode, script, model="org/m") == ["", "Once", " more", ""]
    script.assert_done()
    assert body_json(script.seen[1])["stream"] is True


@pytest.mark.parametrize("mode", ["sync", "asyncio", "trio"])
def test_text_generation_stream_details(mode: str) -> None:
    events = _stream(mode, _generation_script(DIRECT, STREAM), model="org/m", details=True)
    assert all(isinstance(event, TextGenerationStreamOutput) for event in events)
    assert [event.token.text for event in events] == ["", "Once", " more", ""]
    assert events[2].details.finish_reason == "length"
    assert events[1].details is None


def _image_script(base: str, answer: Response) -> Script:
    lookup = mapping("hyperbolic", "SD2", "text-to-image", model="stabilityai/stable-diffusion-2")
    return Script(
        ("GET", MAPPING_URL.format(model="stabilityai/stable-diffusion-2"), lookup),
        ("POST", f"{base}/v1/images/generations", answer),
    )


IMAGE = json_ok({"images": [{"image": base64.b64encode(PNG).decode()}]})


@pytest.mark.parametrize(("token", "base"), BASES)
def test_text_to_image_e8(run_task: TaskRunner, token: str, base: str) -> None:
    script = _image_script(base, IMAGE)
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="stabilityai/stable-diffusion-2",
        num_inference_steps=30,
        guidance_scale=7,
        client={"provider": "hyperbolic", "token": token},
    )
    script.assert_done()
    assert isinstance(call.result, PIL.Image.Image)
    assert call.result.size == (3, 2)
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("accept") == "image/png"
    sent = body_json(post)
    assert list(sent) == ["prompt", "model_name", "steps", "cfg_scale", "width", "height"]
    assert sent == {
        "prompt": "a cat",
        "model_name": "SD2",
        "steps": 30,
        "cfg_scale": 7,
        "width": 512,
        "height": 512,
    }


def test_text_to_image_size_extra_body_and_user_accept(run_task: TaskRunner) -> None:
    """Given sizes are kept; ``extra_body`` can override ``model_name``; a user Accept wins."""
    script = _image_script(DIRECT, IMAGE)
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="stabilityai/stable-diffusion-2",
        width=1024,
        height=768,
        extra_body={"model_name": "SDXL", "backend": "auto"},
        client={"provider": "hyperbolic", "token": "hyp-1", "headers": {"accept": "image/*"}},
    )
    post = call.requests[1]
    assert [value for name, value in post.headers if name.lower() == "accept"] == ["image/*"]
    assert body_json(post) == {
        "prompt": "a cat",
        "model_name": "SDXL",
        "height": 768,
        "width": 1024,
        "backend": "auto",
    }


def test_text_to_image_answer_without_image(run_task: TaskRunner) -> None:
    script = _image_script(DIRECT, json_ok({"images": []}))
    with pytest.raises(ProviderError, match="no base64 image"):
        run_task(
            script,
            "text_to_image",
            "a cat",
            model="stabilityai/stable-diffusion-2",
            client={"provider": "hyperbolic", "token": "hyp-1"},
        )
