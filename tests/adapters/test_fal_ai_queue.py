"""fal-ai's queue tasks added after v0.33.5 (spec providers.md Appendix A.2): image-to-image,
image-to-video, image-segmentation, and LoRA for text-to-video; routed and direct."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from inference_core import ProviderError
from tests.tasks._support import TaskRunner

from ._cases import PNG, PNG_URL, lookup
from ._support import Script, bytes_ok, json_ok, png

QUEUES = pytest.mark.parametrize(
    ("token", "base", "query"),
    [
        ("hf_abc", "https://router.huggingface.co/fal-ai", "?_subdomain=queue"),
        ("fal-k", "https://queue.fal.run", ""),
    ],
    ids=["routed", "direct"],
)
VIDEO = b"\x00\x00\x00\x18ftypmp42 fal"
LORA = "https://huggingface.co/org/m/resolve/main/lora.safetensors"


def client(token: str) -> dict[str, Any]:
    return {"provider": "fal-ai", "token": token}


def auth(token: str) -> str:
    return f"Bearer {token}" if token.startswith("hf_") else f"Key {token}"


def queue(base: str, query: str, pid: str, result: Any) -> list[tuple[str, str, Any]]:
    """Submit, one IN_PROGRESS poll, COMPLETED, then the result fetch."""
    job = f"{base}/{pid}/requests/r1"
    submitted = {"request_id": "r1", "status": "IN_QUEUE",
                 "response_url": f"https://queue.fal.run/{pid}/requests/r1"}  # fmt: skip
    return [
        ("POST", f"{base}/{pid}{query}", json_ok(submitted)),
        ("GET", f"{job}/status{query}", json_ok({"status": "IN_PROGRESS"})),
        ("GET", f"{job}/status{query}", json_ok({"status": "COMPLETED"})),
        ("GET", f"{job}{query}", json_ok(result)),
    ]


@QUEUES
def test_image_to_image(run_task: TaskRunner, token: str, base: str, query: str) -> None:
    pid = "fal-ai/flux-kontext/dev"
    script = Script(
        lookup("fal-ai", pid, "image-to-image", adapterWeightsPath="lora.safetensors"),
        *queue(base, query, pid, {"images": [{"url": "https://v3.fal.media/o.png"}]}),
        ("GET", "https://v3.fal.media/o.png", bytes_ok(png("red", (5, 4)), "image/png")),
    )
    call = run_task(
        script, "image_to_image", PNG, "make it red", model="org/m",
        target_size={"width": 64, "height": 32}, num_inference_steps=10, client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result.size == (5, 4)
    assert call.sleeps == [0.5, 0.5]
    post = call.requests[1]
    assert post.header("authorization") == auth(token)
    body = json.loads(post.body or b"")
    assert body == {
        "image_url": PNG_URL,
        "image_urls": [PNG_URL],
        "prompt": "make it red",
        "num_inference_steps": 10,
        "image_size": {"width": 64, "height": 32},
        "loras": [{"path": LORA, "scale": 1}],
    }
    assert list(body)[:2] == ["image_url", "image_urls"] and list(body)[-1] == "loras"
    assert all(r.header("authorization") == auth(token) for r in call.requests[2:5])
    assert call.requests[5].header("authorization") is None


@QUEUES
def test_image_to_video(run_task: TaskRunner, token: str, base: str, query: str) -> None:
    pid = "fal-ai/wan-i2v"
    script = Script(
        lookup("fal-ai", pid, "image-to-video"),
        *queue(base, query, pid, {"video": {"url": "https://v3.fal.media/v.mp4"}}),
        ("GET", "https://v3.fal.media/v.mp4", bytes_ok(VIDEO, "video/mp4")),
    )
    call = run_task(
        script, "image_to_video", PNG, model="org/m", prompt="dance", num_frames=81, seed=2,
        client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result == VIDEO
    body = json.loads(call.requests[1].body or b"")
    assert body == {"image_url": PNG_URL, "prompt": "dance", "num_frames": 81, "seed": 2}


@QUEUES
@pytest.mark.parametrize("fetched", [False, True], ids=["data-url", "fetched"])
def test_image_segmentation(
    run_task: TaskRunner, token: str, base: str, query: str, fetched: bool
) -> None:
    pid = "fal-ai/sam2/image"
    mask = png("white", (4, 3))
    mask_url = (
        "https://v3.fal.media/m.png"
        if fetched
        else "data:image/png;base64," + base64.b64encode(mask).decode()
    )
    steps = [("GET", mask_url, bytes_ok(mask, "image/png"))] if fetched else []
    script = Script(
        lookup("fal-ai", pid, "image-segmentation"),
        *queue(base, query, pid, {"image": {"url": mask_url}}),
        *steps,
    )
    call = run_task(
        script, "image_segmentation", PNG, model="org/m", threshold=0.5, client=client(token)
    )
    script.assert_done()
    assert [(s.label, s.score, s.mask.size) for s in call.result] == [("mask", None, (4, 3))]
    body = json.loads(call.requests[1].body or b"")
    assert body == {"image_url": PNG_URL, "threshold": 0.5, "sync_mode": True}


@QUEUES
def test_text_to_video_lora(run_task: TaskRunner, token: str, base: str, query: str) -> None:
    pid = "fal-ai/wan-t2v-lora"
    script = Script(
        lookup("fal-ai", pid, "text-to-video", adapter="lora",
               adapterWeightsPath="lora.safetensors"),
        *queue(base, query, pid, {"video": {"url": "https://v3.fal.media/v.mp4"}}),
        ("GET", "https://v3.fal.media/v.mp4", bytes_ok(VIDEO, "video/mp4")),
    )  # fmt: skip
    call = run_task(script, "text_to_video", "a cat", model="org/m", client=client(token))
    script.assert_done()
    assert call.result == VIDEO
    body = json.loads(call.requests[1].body or b"")
    assert body == {"prompt": "a cat", "loras": [{"path": LORA, "scale": 1}]}


def test_image_to_image_without_image_in_result_is_provider_error(run_task: TaskRunner) -> None:
    pid = "fal-ai/flux-kontext/dev"
    script = Script(
        lookup("fal-ai", pid, "image-to-image"),
        *queue("https://queue.fal.run", "", pid, {"images": []}),
    )
    with pytest.raises(ProviderError, match=r"\['images'\]\[0\]"):
        run_task(script, "image_to_image", PNG, "x", model="org/m", client=client("fal-k"))
    script.assert_done()
