"""wavespeed (new after v0.33.5): text/image to image/video as jobs at ``/api/v3/<model>``,
polled at the answer's ``data.urls.get`` re-rooted on the submit's base; routed and direct."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inference_core import InferenceTimeoutError, ProviderError
from tests.tasks._support import TaskRunner

from ._cases import PNG, PNG_URL, base_for, lookup, names
from ._support import Script, bytes_ok, json_ok

TOKENS = pytest.mark.parametrize("token", ["hf_abc", "ws-1"], ids=["routed", "direct"])
VIDEO = b"\x00\x00\x00\x18ftypmp42 wavespeed"
GET_URL = "https://api.wavespeed.ai/api/v3/predictions/p1/result"


def base(token: str) -> str:
    return base_for("wavespeed", token, "https://api.wavespeed.ai")


def client(token: str, **extra: Any) -> dict[str, Any]:
    return {"provider": "wavespeed", "token": token, **extra}


def submitted() -> Any:
    return json_ok({"code": 200, "data": {"id": "p1", "status": "created",
                                          "urls": {"get": GET_URL}}})  # fmt: skip


def state(status: str, **extra: Any) -> Any:
    return json_ok({"code": 200, "data": {"id": "p1", "status": status, **extra}})


def job(token: str, pid: str, task: str, output: str, body: bytes) -> Script:
    poll = f"{base(token)}/api/v3/predictions/p1/result"
    return Script(
        lookup("wavespeed", pid, task),
        ("POST", f"{base(token)}/api/v3/{pid}", submitted()),
        ("GET", poll, state("processing")),
        ("GET", poll, state("completed", outputs=[output])),
        ("GET", output, bytes_ok(body)),
    )


@TOKENS
def test_text_to_image(run_task: TaskRunner, token: str) -> None:
    pid = "wavespeed-ai/flux-dev"
    script = job(token, pid, "text-to-image", "https://cdn.wavespeed.ai/i.png", PNG)
    call = run_task(
        script, "text_to_image", "a cat", model="org/m", seed=1, client=client(token)
    )
    script.assert_done()
    assert call.result.size == (4, 3)
    assert call.sleeps == [0.5, 0.5]
    _, post, poll, _, download = call.requests
    assert json.loads(post.body or b"") == {"prompt": "a cat", "seed": 1}
    assert post.header("accept") == "image/png"
    for request in (post, poll):
        assert request.header("authorization") == f"Bearer {token}"
    assert download.header("authorization") is None
    assert "x-hf-bill-to" not in names(download)


@TOKENS
def test_text_to_video(run_task: TaskRunner, token: str) -> None:
    pid = "wavespeed-ai/wan-2.1/t2v-480p"
    script = job(token, pid, "text-to-video", "https://cdn.wavespeed.ai/v.mp4", VIDEO)
    call = run_task(
        script, "text_to_video", "a cat", model="org/m", num_frames=16, client=client(token)
    )
    script.assert_done()
    assert call.result == VIDEO
    assert json.loads(call.requests[1].body or b"") == {"prompt": "a cat", "num_frames": 16}


@TOKENS
def test_image_to_image(run_task: TaskRunner, token: str) -> None:
    pid = "wavespeed-ai/flux-kontext-dev"
    script = job(token, pid, "image-to-image", "https://cdn.wavespeed.ai/o.png", PNG)
    call = run_task(
        script, "image_to_image", PNG, "make it red", model="org/m", guidance_scale=2.5,
        client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result.size == (4, 3)
    body = json.loads(call.requests[1].body or b"")
    assert body == {"image": PNG_URL, "guidance_scale": 2.5, "prompt": "make it red"}
    assert list(body) == ["image", "guidance_scale", "prompt"]


@TOKENS
def test_image_to_video_without_prompt(run_task: TaskRunner, token: str) -> None:
    pid = "wavespeed-ai/wan-2.1/i2v-480p"
    script = job(token, pid, "image-to-video", "https://cdn.wavespeed.ai/v.mp4", VIDEO)
    call = run_task(script, "image_to_video", b"\x00raw", model="org/m", client=client(token))
    script.assert_done()
    assert call.result == VIDEO
    # Unknown bytes are sent as JPEG, as WaveSpeed's reference client did.
    assert json.loads(call.requests[1].body or b"") == {"image": "data:image/jpeg;base64,AHJhdw=="}
    assert call.requests[1].header("accept") is None


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (state("failed", error="NSFW"), "status 'failed': NSFW"),
        (state("exploded"), "status 'exploded'"),
        (json_ok({"data": None}), r"without \['data'\]"),
    ],
)
def test_failed_or_unknown_status_is_provider_error(
    run_task: TaskRunner, answer: Any, message: str
) -> None:
    pid = "wavespeed-ai/flux-dev"
    script = Script(
        lookup("wavespeed", pid, "text-to-image"),
        ("POST", f"{base('ws-1')}/api/v3/{pid}", submitted()),
        ("GET", GET_URL, answer),
    )
    with pytest.raises(ProviderError, match=message):
        run_task(script, "text_to_image", "a cat", model="org/m", client=client("ws-1"))
    script.assert_done()


def test_submit_without_result_url_is_provider_error(run_task: TaskRunner) -> None:
    pid = "wavespeed-ai/flux-dev"
    script = Script(
        lookup("wavespeed", pid, "text-to-image"),
        ("POST", f"{base('ws-1')}/api/v3/{pid}", json_ok({"data": {"id": "p1"}})),
    )
    with pytest.raises(ProviderError, match="urls"):
        run_task(script, "text_to_image", "a cat", model="org/m", client=client("ws-1"))


def test_polling_stops_at_the_client_timeout(run_task: TaskRunner) -> None:
    pid = "wavespeed-ai/flux-dev"
    script = Script(
        lookup("wavespeed", pid, "text-to-image"),
        ("POST", f"{base('ws-1')}/api/v3/{pid}", submitted()),
        *[("GET", GET_URL, state("processing"))] * 3,
    )
    with pytest.raises(InferenceTimeoutError):
        run_task(
            script, "text_to_image", "a cat", model="org/m", client=client("ws-1", timeout=1.5)
        )
    script.assert_done()
