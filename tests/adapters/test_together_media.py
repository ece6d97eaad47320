"""together's tasks added after v0.33.5 (spec providers.md Appendix A.2): embeddings, speech,
image-to-image, and text/image-to-video jobs polled at ``/v2/videos/<id>``; routed and direct."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
import pytest

from inference_core import InferenceTimeoutError, ProviderError
from tests.tasks._support import TaskRunner

from ._cases import PNG, PNG_URL, base_for, lookup
from ._support import Script, bytes_ok, json_ok, png

TOKENS = pytest.mark.parametrize("token", ["hf_abc", "tg-1"], ids=["routed", "direct"])
VIDEO = b"\x00\x00\x00\x18ftypmp42 together"
VIDEO_URL = "https://api.together.ai/shrt/v.mp4"


def base(token: str) -> str:
    return base_for("together", token, "https://api.together.xyz")


def client(token: str, **extra: Any) -> dict[str, Any]:
    return {"provider": "together", "token": token, **extra}


def b64_answer(image: bytes) -> Any:
    return json_ok({"data": [{"b64_json": base64.b64encode(image).decode()}]})


@TOKENS
def test_feature_extraction(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup("together", "BAAI/bge-base-en-v1.5", "feature-extraction"),
        ("POST", f"{base(token)}/v1/embeddings", json_ok({"data": [{"embedding": [0.5]}]})),
    )
    call = run_task(script, "feature_extraction", "Hi", model="org/m", client=client(token))
    script.assert_done()
    assert isinstance(call.result, np.ndarray) and call.result.tolist() == [[0.5]]
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert json.loads(post.body or b"") == {"input": "Hi", "model": "BAAI/bge-base-en-v1.5"}


@TOKENS
def test_text_to_speech(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup("together", "cartesia/sonic", "text-to-speech"),
        ("POST", f"{base(token)}/v1/audio/speech", bytes_ok(b"RIFF wav", "audio/wav")),
    )
    call = run_task(
        script, "text_to_speech", "Hello", model="org/m", extra_body={"voice": "laidback woman"},
        client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result == b"RIFF wav"
    body = json.loads(call.requests[1].body or b"")
    assert body == {"input": "Hello", "voice": "laidback woman", "model": "cartesia/sonic"}


@TOKENS
@pytest.mark.parametrize(
    ("pid", "image_key"),
    [
        ("black-forest-labs/FLUX.1-kontext-dev", "image_url"),
        ("black-forest-labs/FLUX.1-dev", "reference_images"),
    ],
    ids=["kontext", "reference"],
)
def test_image_to_image(run_task: TaskRunner, token: str, pid: str, image_key: str) -> None:
    script = Script(
        lookup("together", pid, "image-to-image"),
        ("POST", f"{base(token)}/v1/images/generations", b64_answer(png("red", (3, 3)))),
    )
    call = run_task(
        script, "image_to_image", PNG, "make it red", model="org/m", num_inference_steps=20,
        target_size={"width": 512, "height": 256}, client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result.size == (3, 3)
    post = call.requests[1]
    assert post.header("accept") == "image/png"
    body = json.loads(post.body or b"")
    image = PNG_URL if image_key == "image_url" else [PNG_URL]
    assert body == {
        "prompt": "make it red",
        "response_format": "base64",
        "steps": 20,
        "width": 512,
        "height": 256,
        "model": pid,
        image_key: image,
    }


def video_steps(token: str, *statuses: str, last: Any = None) -> list[tuple[str, str, Any]]:
    poll = f"{base(token)}/v2/videos/v1"
    steps = [("POST", f"{base(token)}/v2/videos", json_ok({"id": "v1", "status": "queued"}))]
    steps += [("GET", poll, json_ok({"id": "v1", "status": status})) for status in statuses]
    if last is not None:
        steps.append(("GET", poll, last))
    return steps


@TOKENS
def test_text_to_video(run_task: TaskRunner, token: str) -> None:
    done = json_ok({"id": "v1", "status": "completed", "outputs": {"video_url": VIDEO_URL}})
    script = Script(
        lookup("together", "Wan-AI/Wan2.2-T2V-A14B", "text-to-video"),
        *video_steps(token, "in_progress", last=done),
        ("GET", VIDEO_URL, bytes_ok(VIDEO, "video/mp4")),
    )
    call = run_task(
        script, "text_to_video", "a cat", model="org/m", num_inference_steps=30, seed=4,
        client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result == VIDEO
    assert call.sleeps == [2.0, 2.0]
    post, poll = call.requests[1], call.requests[2]
    body = json.loads(post.body or b"")
    assert body == {"model": "Wan-AI/Wan2.2-T2V-A14B", "prompt": "a cat", "seed": 4, "steps": 30}
    assert poll.header("authorization") == f"Bearer {token}"
    assert call.requests[-1].header("authorization") is None


@TOKENS
def test_image_to_video(run_task: TaskRunner, token: str) -> None:
    done = json_ok({"id": "v1", "status": "completed", "outputs": {"video_url": VIDEO_URL}})
    script = Script(
        lookup("together", "Wan-AI/Wan2.2-I2V-A14B", "image-to-video"),
        *video_steps(token, last=done),
        ("GET", VIDEO_URL, bytes_ok(VIDEO, "video/mp4")),
    )
    call = run_task(
        script, "image_to_video", PNG, model="org/m", prompt="dance", client=client(token)
    )
    script.assert_done()
    assert call.result == VIDEO
    body = json.loads(call.requests[1].body or b"")
    assert body == {
        "model": "Wan-AI/Wan2.2-I2V-A14B",
        "prompt": "dance",
        "frame_images": [{"input_image": PNG_URL}],
    }


def test_failed_video_is_provider_error(run_task: TaskRunner) -> None:
    failed = json_ok({"id": "v1", "status": "failed", "error": "bad prompt"})
    script = Script(
        lookup("together", "w", "text-to-video"), *video_steps("tg-1", "queued", last=failed)
    )
    with pytest.raises(ProviderError, match="bad prompt"):
        run_task(script, "text_to_video", "a cat", model="org/m", client=client("tg-1"))
    script.assert_done()


def test_video_gives_up_after_150_polls(run_task: TaskRunner) -> None:
    steps = video_steps("tg-1", *["queued"] * 150)
    script = Script(lookup("together", "w", "text-to-video"), *steps)
    with pytest.raises(InferenceTimeoutError):
        run_task(script, "text_to_video", "a cat", model="org/m", client=client("tg-1"))
    script.assert_done()


def test_video_polls_within_the_client_timeout(run_task: TaskRunner) -> None:
    script = Script(lookup("together", "w", "text-to-video"), *video_steps("tg-1", "queued"))
    with pytest.raises(InferenceTimeoutError):
        run_task(
            script, "text_to_video", "a cat", model="org/m", client=client("tg-1", timeout=3)
        )
    script.assert_done()
