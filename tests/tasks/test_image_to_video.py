"""image_to_video (today's huggingface_hub method) on hf-inference and on a model URL: the
image as a binary task, parameters in the method's order, the video bytes returned; bad
arguments refused before any request."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from inference_core import (
    AsyncInferenceClient,
    ImageToImageTargetSize,
    InferenceClient,
    Request,
    RequestError,
    Response,
)

from ._support import ROUTER, TaskRunner, body_json, bytes_reply

M = "acme/i2v"
VIDEO = b"\x00\x00\x00\x18ftypmp42 video"


def test_without_parameters_posts_the_raw_image(run_task: TaskRunner) -> None:
    call = run_task(bytes_reply(VIDEO, "video/mp4"), "image_to_video", b"IMG", model=M)
    (post,) = call.requests
    assert (post.method, post.url, post.body) == ("POST", f"{ROUTER}/{M}", b"IMG")
    assert post.header("authorization") == "Bearer hf_test"
    assert post.header("accept") is None
    assert call.result == VIDEO


@pytest.mark.parametrize(
    "target_size", [{"width": 64, "height": 32}, ImageToImageTargetSize(height=32, width=64)]
)
def test_parameters_in_order_with_kwargs(run_task: TaskRunner, target_size: Any) -> None:
    call = run_task(
        bytes_reply(VIDEO, "video/mp4"), "image_to_video", b"IMG", model=M, prompt="dance",
        negative_prompt="blur", num_frames=16, num_inference_steps=8, guidance_scale=5.0,
        seed=3, target_size=target_size, fps=24,
    )  # fmt: skip
    body = body_json(call.requests[0])
    assert body["inputs"] == "SU1H"
    assert list(body["parameters"]) == [
        "prompt", "negative_prompt", "num_frames", "num_inference_steps", "guidance_scale",
        "seed", "target_size", "fps",
    ]  # fmt: skip
    assert body["parameters"]["target_size"] == {"height": 32, "width": 64}
    assert call.result == VIDEO


def test_model_url_is_posted_to_verbatim(run_task: TaskRunner) -> None:
    url = "http://127.0.0.1:9/i2v/"
    call = run_task(bytes_reply(VIDEO), "image_to_video", b"IMG", model=url)
    assert call.requests[0].url == url and call.hub_requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prompt": ""}, "`prompt` is empty"),
        ({"target_size": (1, 2)}, "`target_size` must be"),
        ({"image": b""}, "`image` is empty"),
    ],
)
def test_bad_arguments_send_nothing(
    run_task: TaskRunner, kwargs: dict[str, Any], message: str
) -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return bytes_reply(VIDEO)(request)

    options = dict(kwargs)
    image = options.pop("image", b"IMG")
    with pytest.raises(RequestError, match=message):
        run_task(handler, "image_to_video", image, model=M, **options)
    assert seen == []


def test_signature_is_todays_huggingface_hub() -> None:
    for client in (InferenceClient, AsyncInferenceClient):
        parameters = inspect.signature(client.image_to_video).parameters
        assert list(parameters)[:10] == [
            "self", "image", "model", "prompt", "negative_prompt", "num_frames",
            "num_inference_steps", "guidance_scale", "seed", "target_size",
        ]  # fmt: skip
        assert all(p.kind is p.KEYWORD_ONLY for p in list(parameters.values())[2:10])
        assert list(parameters.values())[-1].kind is inspect.Parameter.VAR_KEYWORD
    assert inspect.iscoroutinefunction(AsyncInferenceClient.image_to_video)
