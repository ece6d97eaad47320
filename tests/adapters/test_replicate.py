"""replicate: predictions for text-to-image (LoRA), text-to-video and text-to-speech, routed and
direct, with ``Prefer: wait``; unfinished predictions polled at ``urls.get``."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from inference_core import InferenceTimeoutError, ProviderError, Request, Response
from tests.tasks._support import TaskRunner, body_json

from ._support import MAPPING_URL, Script, bytes_ok, json_ok, mapping

ROUTER = "https://router.huggingface.co/replicate"
DIRECT = "https://api.replicate.com"
OUT = "https://replicate.delivery/o.png"
PNG = io.BytesIO()
Image.new("RGB", (2, 2), "green").save(PNG, format="PNG")
PNG_BYTES = PNG.getvalue()


def lookup(provider_id: str, task: str, model: str = "org/m", **extra: Any) -> Any:
    return (
        "GET",
        MAPPING_URL.format(model=model),
        mapping("replicate", provider_id, task, model=model, **extra),
    )


def base(token: str) -> str:
    return ROUTER if token.startswith("hf_") else DIRECT


def options(token: str, **extra: Any) -> dict[str, Any]:
    return {"provider": "replicate", "token": token, **extra}


def names(request: Request) -> list[str]:
    return [name.lower() for name, _ in request.headers]


@pytest.mark.parametrize("token", ["hf_abc", "r8_k"], ids=["routed", "direct"])
def test_text_to_image_versioned_e6(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup(
            "bytedance/sdxl-lightning-4step:5599ed30",
            "text-to-image",
            model="ByteDance/SDXL-Lightning",
        ),
        (
            "POST",
            f"{base(token)}/v1/predictions",
            json_ok({"status": "succeeded", "output": [OUT]}),
        ),
        ("GET", OUT, bytes_ok(PNG_BYTES, "image/png")),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="ByteDance/SDXL-Lightning",
        num_inference_steps=4,
        client=options(token),
    )
    script.assert_done()
    assert call.result.size == (2, 2)
    _, post, download = call.requests
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("Prefer") == "wait"
    assert post.header("accept") == "image/png"
    payload = body_json(post)
    assert payload == {
        "input": {"prompt": "a cat", "num_inference_steps": 4},
        "version": "5599ed30",
    }
    assert list(payload) == ["input", "version"]
    assert names(download) == ["user-agent"]
    assert call.sleeps == []


@pytest.mark.parametrize("token", ["hf_abc", "r8_k"], ids=["routed", "direct"])
def test_text_to_image_unversioned_with_lora(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup(
            "black-forest-labs/flux-dev-lora",
            "text-to-image",
            model="user/my-lora",
            adapter="lora",
            adapterWeightsPath="lora.safetensors",
        ),
        (
            "POST",
            f"{base(token)}/v1/models/black-forest-labs/flux-dev-lora/predictions",
            json_ok({"status": "succeeded", "output": OUT}),
        ),
        ("GET", OUT, bytes_ok(PNG_BYTES)),
    )
    call = run_task(
        script, "text_to_image", "a cat", model="user/my-lora", seed=1, client=options(token)
    )
    script.assert_done()
    assert body_json(call.requests[1]) == {
        "input": {
            "prompt": "a cat",
            "seed": 1,
            "lora_weights": "https://huggingface.co/user/my-lora",
        }
    }


@pytest.mark.parametrize("token", ["hf_abc", "r8_k"], ids=["routed", "direct"])
def test_text_to_video(run_task: TaskRunner, token: str) -> None:
    video_url = "https://replicate.delivery/v.mp4"
    script = Script(
        lookup("genmo/mochi-1", "text-to-video", adapterWeightsPath="ignored.bin"),
        (
            "POST",
            f"{base(token)}/v1/models/genmo/mochi-1/predictions",
            json_ok({"status": "succeeded", "output": video_url}),
        ),
        ("GET", video_url, bytes_ok(b"mp4 bytes", "video/mp4")),
    )
    call = run_task(
        script, "text_to_video", "a cat", model="org/m", num_frames=8, client=options(token)
    )
    script.assert_done()
    assert call.result == b"mp4 bytes"
    post = call.requests[1]
    assert post.header("Prefer") == "wait"
    assert post.header("accept") is None
    assert body_json(post) == {"input": {"prompt": "a cat", "num_frames": 8}}  # no LoRA for video


@pytest.mark.parametrize("token", ["hf_abc", "r8_k"], ids=["routed", "direct"])
def test_text_to_speech_sends_text(run_task: TaskRunner, token: str) -> None:
    audio_url = "https://replicate.delivery/a.wav"
    script = Script(
        lookup("jaaari/kokoro-82m:f559", "text-to-speech"),
        (
            "POST",
            f"{base(token)}/v1/predictions",
            json_ok({"status": "succeeded", "output": audio_url}),
        ),
        ("GET", audio_url, bytes_ok(b"RIFF wav", "audio/wav")),
    )
    call = run_task(
        script,
        "text_to_speech",
        "Hello",
        model="org/m",
        temperature=0.7,
        extra_body={"voice": "af_bella"},
        client=options(token),
    )
    script.assert_done()
    assert call.result == b"RIFF wav"
    payload = body_json(call.requests[1])
    assert payload == {
        "input": {"temperature": 0.7, "voice": "af_bella", "text": "Hello"},
        "version": "f559",
    }
    assert list(payload["input"]) == ["temperature", "voice", "text"]  # the reference's order


PREDICTION = {
    "id": "p1",
    "status": "starting",
    "output": None,
    "urls": {
        "get": "https://api.replicate.com/v1/predictions/p1",
        "cancel": "https://api.replicate.com/v1/predictions/p1/cancel",
    },
}


@pytest.mark.parametrize("token", ["hf_abc", "r8_k"], ids=["routed", "direct"])
def test_unfinished_prediction_is_polled_at_urls_get(run_task: TaskRunner, token: str) -> None:
    poll = f"{base(token)}/v1/predictions/p1"  # re-rooted on the router when routed
    script = Script(
        lookup("black-forest-labs/flux-schnell", "text-to-image"),
        (
            "POST",
            f"{base(token)}/v1/models/black-forest-labs/flux-schnell/predictions",
            json_ok(PREDICTION),
        ),
        ("GET", poll, json_ok({**PREDICTION, "status": "processing"})),
        ("GET", poll, json_ok({**PREDICTION, "status": "succeeded", "output": [OUT]})),
        ("GET", OUT, bytes_ok(PNG_BYTES)),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="org/m",
        client=options(token, headers={"X-HF-Bill-To": "org"}),
    )
    script.assert_done()
    assert call.result.size == (2, 2)
    assert call.sleeps == [1.0, 1.0]
    poll1, poll2 = call.requests[2:4]
    for request in (poll1, poll2):
        assert request.header("authorization") == f"Bearer {token}"
        assert request.header("X-HF-Bill-To") == "org"
        assert request.header("content-type") is None
        assert request.body is None
    assert names(call.requests[4]) == ["user-agent"]


@pytest.mark.parametrize("status", ["starting", "processing", None])
def test_prediction_with_output_already_set_is_downloaded_at_once(
    run_task: TaskRunner, status: str | None
) -> None:
    # `Prefer: wait` answers with the output set while the status may still say "processing".
    answered = {**PREDICTION, "status": status, "output": [OUT]}
    script = Script(
        lookup("owner/name", "text-to-image"),
        ("POST", f"{DIRECT}/v1/models/owner/name/predictions", json_ok(answered)),
        ("GET", OUT, bytes_ok(PNG_BYTES)),
    )
    call = run_task(script, "text_to_image", "a cat", model="org/m", client=options("r8_k"))
    script.assert_done()
    assert call.result.size == (2, 2)
    assert call.sleeps == []


@pytest.mark.parametrize("status", ["failed", "canceled"])
def test_failed_prediction_is_provider_error(run_task: TaskRunner, status: str) -> None:
    poll = f"{DIRECT}/v1/predictions/p1"
    script = Script(
        lookup("owner/name", "text-to-video"),
        ("POST", f"{DIRECT}/v1/models/owner/name/predictions", json_ok(PREDICTION)),
        ("GET", poll, json_ok({**PREDICTION, "status": status, "error": "CUDA out of memory"})),
    )
    with pytest.raises(ProviderError, match=f"prediction p1 {status}: CUDA out of memory"):
        run_task(script, "text_to_video", "a cat", model="org/m", client=options("r8_k"))
    script.assert_done()


def test_failed_answer_to_the_create_call_is_provider_error(run_task: TaskRunner) -> None:
    failed = {**PREDICTION, "status": "failed", "error": "bad input"}
    script = Script(
        lookup("owner/name", "text-to-speech"),
        ("POST", f"{ROUTER}/v1/models/owner/name/predictions", json_ok(failed)),
    )
    with pytest.raises(ProviderError, match="bad input"):
        run_task(script, "text_to_speech", "Hi", model="org/m", client=options("hf_abc"))
    script.assert_done()


def test_prediction_that_never_finishes_times_out_at_client_timeout(run_task: TaskRunner) -> None:
    poll = f"{DIRECT}/v1/predictions/p1"
    script = Script(
        lookup("owner/name", "text-to-image"),
        ("POST", f"{DIRECT}/v1/models/owner/name/predictions", json_ok(PREDICTION)),
        *[("GET", poll, json_ok({**PREDICTION, "status": "processing"}))] * 3,
    )
    with pytest.raises(InferenceTimeoutError, match="replicate prediction p1 did not finish"):
        run_task(script, "text_to_image", "a cat", model="org/m", client=options("r8_k", timeout=3))
    script.assert_done()  # 3 polls, each after a 1 s wait, then the error


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": "processing", "output": None}, r"without \['urls'\]\['get'\]"),
        ({"output": None, "model": "x"}, r"without \['urls'\]\['get'\]"),
        ({"status": "succeeded", "output": None}, "succeeded without output"),
        ({"status": "succeeded", "output": []}, r"without \[0\]"),
        ({"status": "succeeded", "output": {"image": OUT}}, r"without \[0\]"),
        ({"status": "succeeded", "output": [42]}, "not one: 42"),
        ({"output": None, "urls": {"get": "/relative"}}, "`urls.get` is not a URL"),
        (["not", "a", "prediction"], "something else than a prediction"),
    ],
)
def test_wrong_shapes_are_provider_errors(run_task: TaskRunner, answer: Any, message: str) -> None:
    script = Script(
        lookup("owner/name", "text-to-image"),
        ("POST", f"{DIRECT}/v1/models/owner/name/predictions", json_ok(answer)),
    )
    with pytest.raises(ProviderError, match=message):
        run_task(script, "text_to_image", "a cat", model="org/m", client=options("r8_k"))
    script.assert_done()


def test_failed_download_is_provider_error(run_task: TaskRunner) -> None:
    script = Script(
        lookup("owner/name", "text-to-video"),
        (
            "POST",
            f"{DIRECT}/v1/models/owner/name/predictions",
            json_ok({"status": "succeeded", "output": OUT}),
        ),
        ("GET", OUT, Response(500, (), b"oops")),
    )
    with pytest.raises(ProviderError) as info:
        run_task(script, "text_to_video", "a cat", model="org/m", client=options("r8_k"))
    assert info.value.status == 500
