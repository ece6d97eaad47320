"""The vision tasks: wire requests (spec tasks.md §9 rows 8-12, 21, 23, 28), typed results,
every input form, and bad input refused before any request."""

from __future__ import annotations

import base64
import inspect
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from inference_core import (
    AsyncInferenceClient,
    ImageClassificationOutputElement,
    ImageSegmentationOutputElement,
    ImageToImageTargetSize,
    ImageToTextOutput,
    InferenceClient,
    ObjectDetectionBoundingBox,
    ObjectDetectionOutputElement,
    ProviderError,
    Request,
    RequestError,
    Response,
    ZeroShotImageClassificationOutputElement,
)
from inference_core._tasks._optional import decode_image

from ._support import ROUTER, TaskRunner, body_json, bytes_reply, json_reply

M = "acme/model"
URL = f"{ROUTER}/acme/model"
IMG_B64 = "SU1H"  # b64(b"IMG"), as in spec §9


def png(size: tuple[int, int] = (2, 2), color: tuple[int, int, int] = (255, 0, 0)) -> bytes:
    """A small PNG, built in memory."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def mask_b64(size: tuple[int, int] = (2, 2)) -> str:
    buffer = io.BytesIO()
    Image.new("L", size, 255).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


class Recorder:
    """A handler that records every request before answering with ``reply``."""

    def __init__(self, reply: Any = None) -> None:
        self.requests: list[Request] = []
        self._reply = reply or json_reply([])

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        return self._reply(request)


def assert_common(request: Request, url: str = URL) -> None:
    assert request.method == "POST"
    assert request.url == url
    assert request.header("authorization") == "Bearer hf_test"


CLASSES = [{"label": "tabby", "score": 0.9}, {"label": "tiger cat", "score": 0.1}]


# --- image_classification ----------------------------------------------------------------------


def test_image_classification_sends_raw_bytes_without_parameters(run_task: TaskRunner) -> None:
    call = run_task(json_reply(CLASSES), "image_classification", b"IMG", model=M)
    (request,) = call.requests
    assert_common(request)
    assert request.body == b"IMG"
    assert request.header("content-type") == "application/octet-stream"
    assert request.header("accept") is None
    assert call.result == [
        ImageClassificationOutputElement(label="tabby", score=0.9),
        ImageClassificationOutputElement(label="tiger cat", score=0.1),
    ]
    assert isinstance(call.result[0], ImageClassificationOutputElement)
    assert call.result[1].label == "tiger cat"


def test_image_classification_sends_base64_json_with_parameters(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(CLASSES[:1]),
        "image_classification",
        b"IMG",
        model=M,
        function_to_apply="softmax",
        top_k=1,
    )
    (request,) = call.requests
    assert_common(request)
    assert request.header("content-type") == "application/json"
    assert body_json(request) == {
        "inputs": IMG_B64,
        "parameters": {"function_to_apply": "softmax", "top_k": 1},
    }
    assert call.result[0].score == 0.9


def test_image_classification_wrong_shape_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="list"):
        run_task(json_reply({"label": "x"}), "image_classification", b"IMG", model=M)


def test_image_classification_non_json_answer_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="not JSON"):
        run_task(bytes_reply(b"<html>oops"), "image_classification", b"IMG", model=M)


# --- image_segmentation ------------------------------------------------------------------------


def test_image_segmentation_request_and_masks_become_images(run_task: TaskRunner) -> None:
    reply = [
        {"label": "cat", "score": 0.98, "mask": mask_b64((3, 2))},
        {"label": "background", "mask": mask_b64((3, 2))},
    ]
    call = run_task(json_reply(reply), "image_segmentation", b"IMG", model=M, threshold=0.9)
    (request,) = call.requests
    assert_common(request)
    assert request.header("content-type") == "application/json"
    assert body_json(request) == {"inputs": IMG_B64, "parameters": {"threshold": 0.9}}
    first, second = call.result
    assert isinstance(first, ImageSegmentationOutputElement)
    assert (first.label, first.score) == ("cat", 0.98)
    assert isinstance(first.mask, Image.Image)
    assert first.mask.size == (3, 2)
    assert first.mask.getpixel((0, 0)) == 255
    assert second.label == "background"
    assert second.score is None
    assert isinstance(second.mask, Image.Image)


def test_image_segmentation_all_parameters_in_order(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply([]),
        "image_segmentation",
        b"IMG",
        model=M,
        mask_threshold=0.5,
        overlap_mask_area_threshold=0.4,
        subtask="panoptic",
        threshold=0.9,
    )
    parameters = body_json(call.requests[0])["parameters"]
    assert list(parameters.items()) == [
        ("mask_threshold", 0.5),
        ("overlap_mask_area_threshold", 0.4),
        ("subtask", "panoptic"),
        ("threshold", 0.9),
    ]
    assert call.result == []


@pytest.mark.parametrize(
    ("mask", "message"),
    [("not base64!", "not valid base64"), (base64.b64encode(b"text").decode(), "Pillow"), (3, "")],
)
def test_image_segmentation_bad_mask_is_a_provider_error(
    run_task: TaskRunner, mask: Any, message: str
) -> None:
    with pytest.raises(ProviderError, match=f"mask of segment 0.*{message}"):
        run_task(json_reply([{"label": "a", "mask": mask}]), "image_segmentation", b"I", model=M)


# --- image_to_image ----------------------------------------------------------------------------


def test_image_to_image_row_10(run_task: TaskRunner) -> None:
    call = run_task(
        bytes_reply(png((4, 3)), "image/png"), "image_to_image", b"IMG", "make it blue", model=M
    )
    (request,) = call.requests
    assert_common(request)
    assert request.header("accept") == "image/png"
    assert request.header("content-type") == "application/json"
    assert body_json(request) == {"inputs": IMG_B64, "parameters": {"prompt": "make it blue"}}
    assert isinstance(call.result, Image.Image)
    assert call.result.size == (4, 3)
    assert call.result.getpixel((0, 0)) == (255, 0, 0)


def test_image_to_image_without_parameters_sends_raw_bytes(run_task: TaskRunner) -> None:
    call = run_task(bytes_reply(png(), "image/png"), "image_to_image", png((5, 5)), model=M)
    (request,) = call.requests
    assert request.body == png((5, 5))
    assert request.header("content-type") == "image/png"
    assert request.header("accept") == "image/png"
    assert call.result.size == (2, 2)


@pytest.mark.parametrize(
    "target_size", [ImageToImageTargetSize(height=64, width=32), {"height": 64, "width": 32}]
)
def test_image_to_image_parameter_order_and_kwargs(run_task: TaskRunner, target_size: Any) -> None:
    call = run_task(
        bytes_reply(png(), "image/png"),
        "image_to_image",
        b"IMG",
        prompt="a tiger",
        model=M,
        guidance_scale=7.5,
        num_inference_steps=20,
        target_size=target_size,
        negative_prompt="blurry",
        strength=0.8,
        seed=None,
    )
    body = body_json(call.requests[0])
    assert body["inputs"] == IMG_B64
    assert list(body["parameters"].items()) == [
        ("prompt", "a tiger"),
        ("negative_prompt", "blurry"),
        ("target_size", {"height": 64, "width": 32}),
        ("num_inference_steps", 20),
        ("guidance_scale", 7.5),
        ("strength", 0.8),
    ]


@pytest.mark.parametrize("name", ["accept", "Accept", "ACCEPT"])
def test_image_to_image_keeps_the_users_accept_header(run_task: TaskRunner, name: str) -> None:
    call = run_task(
        bytes_reply(png(), "image/jpeg"),
        "image_to_image",
        b"IMG",
        "x",
        model=M,
        client={"headers": {name: "image/jpeg"}},
    )
    headers = call.requests[0].headers
    assert [value for key, value in headers if key.lower() == "accept"] == ["image/jpeg"]


def test_image_to_image_non_image_answer_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="image-to-image answer is not an image"):
        run_task(json_reply({"error": "no"}), "image_to_image", b"IMG", "x", model=M)


# --- image_to_text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        [{"generated_text": "a cat on a mat"}, {"generated_text": "ignored"}],
        {"generated_text": "a cat on a mat"},
    ],
)
def test_image_to_text_row_11(run_task: TaskRunner, reply: Any) -> None:
    call = run_task(json_reply(reply), "image_to_text", b"IMG", model=M)
    (request,) = call.requests
    assert_common(request)
    assert request.body == b"IMG"
    assert isinstance(call.result, ImageToTextOutput)
    assert call.result.generated_text == "a cat on a mat"
    assert call.result == {
        "generated_text": "a cat on a mat",
        "image_to_text_output_generated_text": None,
    }


def test_image_to_text_empty_list_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="empty list"):
        run_task(json_reply([]), "image_to_text", b"IMG", model=M)


# --- object_detection --------------------------------------------------------------------------

DETECTIONS = [
    {"score": 0.95, "label": "person", "box": {"xmin": 59, "ymin": 39, "xmax": 420, "ymax": 510}},
    {"score": 0.5, "label": "dog", "box": {"xmin": 1, "ymin": 2, "xmax": 3, "ymax": 4}},
]


def test_object_detection_row_12_and_nested_boxes(run_task: TaskRunner) -> None:
    call = run_task(json_reply(DETECTIONS), "object_detection", b"IMG", model=M)
    (request,) = call.requests
    assert_common(request)
    assert request.body == b"IMG"
    first, second = call.result
    assert isinstance(first, ObjectDetectionOutputElement)
    assert isinstance(first.box, ObjectDetectionBoundingBox)
    assert (first.label, first.score) == ("person", 0.95)
    assert first.box == ObjectDetectionBoundingBox(xmax=420, xmin=59, ymax=510, ymin=39)
    assert (second.box.xmin, second.box.ymax) == (1, 4)


def test_object_detection_threshold(run_task: TaskRunner) -> None:
    call = run_task(json_reply([]), "object_detection", b"IMG", model=M, threshold=0.7)
    assert body_json(call.requests[0]) == {"inputs": IMG_B64, "parameters": {"threshold": 0.7}}
    assert call.result == []


# --- text_to_image -----------------------------------------------------------------------------


def test_text_to_image_row_21(run_task: TaskRunner) -> None:
    call = run_task(
        bytes_reply(png((8, 6)), "image/png"), "text_to_image", "a cat", model=M, width=512,
        height=512,
    )  # fmt: skip
    (request,) = call.requests
    assert_common(request)
    assert request.header("content-type") == "application/json"
    assert request.header("accept") == "image/png"
    assert body_json(request) == {"inputs": "a cat", "parameters": {"height": 512, "width": 512}}
    assert isinstance(call.result, Image.Image)
    assert call.result.size == (8, 6)


def test_text_to_image_parameter_order_and_extra_body(run_task: TaskRunner) -> None:
    call = run_task(
        bytes_reply(png(), "image/png"),
        "text_to_image",
        "a cat",
        model=M,
        seed=3,
        scheduler="DDIM",
        guidance_scale=7.0,
        num_inference_steps=30,
        width=64,
        height=32,
        negative_prompt="dogs",
        extra_body={"output_quality": 100, "seed": 4},
    )
    parameters = body_json(call.requests[0])["parameters"]
    assert list(parameters.items()) == [
        ("negative_prompt", "dogs"),
        ("height", 32),
        ("width", 64),
        ("num_inference_steps", 30),
        ("guidance_scale", 7.0),
        ("scheduler", "DDIM"),
        ("seed", 4),
        ("output_quality", 100),
    ]


def test_text_to_image_non_image_answer_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match=r"text-to-image answer .*b'\{\"images\""):
        run_task(json_reply({"images": []}), "text_to_image", "a cat", model=M)


# --- text_to_video -----------------------------------------------------------------------------


def test_text_to_video_posts_the_json_task_and_returns_bytes(run_task: TaskRunner) -> None:
    video = b"\x00\x00\x00\x18ftypmp42 fake video"
    call = run_task(bytes_reply(video, "video/mp4"), "text_to_video", "a cat", model=M)
    (request,) = call.requests
    assert_common(request)
    assert request.header("content-type") == "application/json"
    assert request.header("accept") is None
    assert body_json(request) == {"inputs": "a cat", "parameters": {}}
    assert call.result == video


def test_text_to_video_parameters_in_order_and_extra_body(run_task: TaskRunner) -> None:
    call = run_task(
        bytes_reply(b"MP4"),
        "text_to_video",
        "a cat",
        model="http://localhost:8080/",
        seed=1,
        num_inference_steps=2,
        num_frames=16,
        negative_prompt=["dogs"],
        guidance_scale=5.0,
        extra_body={"fps": 8},
    )
    (request,) = call.requests
    assert request.url == "http://localhost:8080/"
    assert list(body_json(request)["parameters"].items()) == [
        ("guidance_scale", 5.0),
        ("negative_prompt", ["dogs"]),
        ("num_frames", 16),
        ("num_inference_steps", 2),
        ("seed", 1),
        ("fps", 8),
    ]
    assert call.result == b"MP4"


# --- zero_shot_image_classification ------------------------------------------------------------


def test_zero_shot_image_classification_row_28(run_task: TaskRunner) -> None:
    reply = [{"label": "cat", "score": 0.8}, {"label": "dog", "score": 0.2}]
    call = run_task(
        json_reply(reply), "zero_shot_image_classification", b"IMG", ["cat", "dog"], model=M
    )
    (request,) = call.requests
    assert_common(request)
    assert request.header("content-type") == "application/json"
    assert body_json(request) == {
        "inputs": IMG_B64,
        "parameters": {"candidate_labels": ["cat", "dog"]},
    }
    assert call.result == [
        ZeroShotImageClassificationOutputElement(label="cat", score=0.8),
        ZeroShotImageClassificationOutputElement(label="dog", score=0.2),
    ]


def test_zero_shot_image_classification_hypothesis_template(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply([]),
        "zero_shot_image_classification",
        b"IMG",
        candidate_labels=("cat", "dog", "bird"),
        hypothesis_template="A photo of a {}.",
        model=M,
    )
    assert body_json(call.requests[0])["parameters"] == {
        "candidate_labels": ["cat", "dog", "bird"],
        "hypothesis_template": "A photo of a {}.",
    }


def test_zero_shot_image_classification_labels_is_deprecated_and_ignored(
    run_task: TaskRunner,
) -> None:
    with pytest.warns(FutureWarning, match="`labels` is deprecated"):
        call = run_task(
            json_reply([]),
            "zero_shot_image_classification",
            b"IMG",
            ["cat", "dog"],
            labels=["x", "y"],
            model=M,
        )
    assert body_json(call.requests[0])["parameters"] == {"candidate_labels": ["cat", "dog"]}


@pytest.mark.parametrize(
    ("candidate_labels", "message"),
    [
        (["cat"], "at least 2 classes"),
        ([], "at least 2 classes"),
        (None, "is required"),
        ("cat,dog", "must be a list"),
        (["cat", 2], "only strings"),
    ],
)
def test_zero_shot_image_classification_bad_labels_send_nothing(
    run_task: TaskRunner, candidate_labels: Any, message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(RequestError, match=message):
        run_task(recorder, "zero_shot_image_classification", b"IMG", candidate_labels, model=M)
    assert recorder.requests == []


def test_zero_shot_image_classification_labels_alone_is_refused(run_task: TaskRunner) -> None:
    recorder = Recorder()
    with (
        pytest.warns(FutureWarning),
        pytest.raises(RequestError, match="`labels` is deprecated and ignored"),
    ):
        run_task(recorder, "zero_shot_image_classification", b"IMG", None, labels=["a"], model=M)
    with pytest.raises(TypeError, match="candidate_labels"):
        run_task(recorder, "zero_shot_image_classification", b"IMG", model=M)
    assert recorder.requests == []


# --- models: URL verbatim, client model, recommended model -------------------------------------

# (method, args, kwargs, reply, task id)
TASKS: list[tuple[str, tuple[Any, ...], dict[str, Any], Any, str]] = [
    ("image_classification", (b"IMG",), {}, json_reply(CLASSES), "image-classification"),
    ("image_segmentation", (b"IMG",), {}, json_reply([]), "image-segmentation"),
    ("image_to_image", (b"IMG", "x"), {}, bytes_reply(png(), "image/png"), "image-to-image"),
    ("image_to_text", (b"IMG",), {}, json_reply({"generated_text": "t"}), "image-to-text"),
    ("object_detection", (b"IMG",), {}, json_reply([]), "object-detection"),
    ("text_to_image", ("a cat",), {}, bytes_reply(png(), "image/png"), "text-to-image"),
    ("text_to_video", ("a cat",), {}, bytes_reply(b"MP4"), "text-to-video"),
    (
        "zero_shot_image_classification",
        (b"IMG", ["a", "b"]),
        {},
        json_reply([]),
        "zero-shot-image-classification",
    ),
]
TASK_IDS = [task[0] for task in TASKS]


@pytest.mark.parametrize(("method", "args", "kwargs", "reply", "task"), TASKS, ids=TASK_IDS)
def test_url_model_is_posted_to_verbatim(
    run_task: TaskRunner, method: str, args: Any, kwargs: Any, reply: Any, task: str
) -> None:
    call = run_task(reply, method, *args, model="https://ep.example/custom/", **kwargs)
    assert [(r.method, r.url) for r in call.requests] == [("POST", "https://ep.example/custom/")]
    assert call.requests[0].header("authorization") == "Bearer hf_test"


@pytest.mark.parametrize(("method", "args", "kwargs", "reply", "task"), TASKS, ids=TASK_IDS)
def test_client_model_is_used_when_the_call_gives_none(
    run_task: TaskRunner, method: str, args: Any, kwargs: Any, reply: Any, task: str
) -> None:
    call = run_task(reply, method, *args, client={"model": "org/client-model"}, **kwargs)
    assert [r.url for r in call.requests] == [f"{ROUTER}/org/client-model"]


@pytest.mark.parametrize(("method", "args", "kwargs", "reply", "task"), TASKS, ids=TASK_IDS)
def test_recommended_model_for_the_task(
    run_task: TaskRunner, method: str, args: Any, kwargs: Any, reply: Any, task: str
) -> None:
    tasks = json.dumps({task: {"widgetModels": ["hub/recommended"]}}).encode()

    def handler(request: Request) -> Response:
        if request.method == "GET":
            return Response(200, (("content-type", "application/json"),), tasks)
        return reply(request)  # type: ignore[no-any-return]

    call = run_task(handler, method, *args, **kwargs)
    get, post = call.requests
    assert get.url.endswith("/api/tasks")
    assert (post.method, post.url) == ("POST", f"{ROUTER}/hub/recommended")


# --- every input form --------------------------------------------------------------------------

IMAGE_URL = "https://images.example/cat.png"


def _input_form(form: str, tmp_path: Path) -> Any:
    data = png((3, 3))
    if form == "bytes":
        return data
    if form in ("str path", "pathlib.Path"):
        path = tmp_path / "cat.png"
        path.write_bytes(data)
        return str(path) if form == "str path" else path
    if form == "url":
        return IMAGE_URL
    if form == "file object":
        return io.BytesIO(data)
    assert form == "PIL image"
    return Image.open(io.BytesIO(data))


FORMS = ["bytes", "str path", "pathlib.Path", "url", "file object", "PIL image"]


@pytest.mark.parametrize("form", FORMS)
def test_every_input_form_posts_the_image_bytes(
    run_task: TaskRunner, tmp_path: Path, form: str
) -> None:
    def handler(request: Request) -> Response:
        if request.method == "GET":
            return Response(200, (("content-type", "image/png"),), png((3, 3)))
        return json_reply(CLASSES)(request)

    call = run_task(handler, "image_classification", _input_form(form, tmp_path), model=M)
    post = call.requests[-1]
    assert_common(post)
    assert post.header("content-type") == "image/png"
    if form == "PIL image":  # re-encoded as PNG: compare the pixels, not the bytes
        decoded = Image.open(io.BytesIO(post.body or b""))
        assert (decoded.size, decoded.getpixel((1, 1))) == ((3, 3), (255, 0, 0))
    else:
        assert post.body == png((3, 3))
    if form == "url":
        get = call.requests[0]
        assert (get.method, get.url) == ("GET", IMAGE_URL)
        assert get.header("authorization") is None
        assert len(call.requests) == 2
    else:
        assert len(call.requests) == 1
    assert call.result[0].label == "tabby"


def test_url_input_with_parameters_posts_the_downloaded_bytes_as_base64(
    run_task: TaskRunner,
) -> None:
    def handler(request: Request) -> Response:
        if request.method == "GET":
            return Response(200, (), b"IMG")
        return json_reply([])(request)

    call = run_task(handler, "zero_shot_image_classification", IMAGE_URL, ["a", "b"], model=M)
    get, post = call.requests
    assert get.header("authorization") is None
    assert body_json(post)["inputs"] == IMG_B64
    assert IMAGE_URL not in (post.body or b"").decode()


# --- bad input: refused before any request -----------------------------------------------------

IMAGE_TASKS = [
    "image_classification",
    "image_segmentation",
    "image_to_image",
    "image_to_text",
    "object_detection",
]


@pytest.mark.parametrize("method", IMAGE_TASKS)
@pytest.mark.parametrize(
    ("image", "message"),
    [
        (42, "`image` must be bytes"),
        (b"", "`image` is empty"),
        ("", "`image` is an empty string"),
        ("/no/such/dir/cat.png", "cannot read input file"),
    ],
)
def test_bad_image_sends_nothing(
    run_task: TaskRunner, method: str, image: Any, message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(RequestError, match=message):
        run_task(recorder, method, image, model=M)
    assert recorder.requests == []


@pytest.mark.parametrize("method", ["text_to_image", "text_to_video"])
@pytest.mark.parametrize(
    ("prompt", "extra", "message"),
    [
        ("", {}, "`prompt` is empty"),
        ("  ", {}, "`prompt` is empty"),
        (b"a cat", {}, "`prompt` must be a str"),
        ("a cat", {"extra_body": ["x"]}, "`extra_body` must be a dict"),
    ],
)
def test_bad_prompt_sends_nothing(
    run_task: TaskRunner, method: str, prompt: Any, extra: dict[str, Any], message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(RequestError, match=message):
        run_task(recorder, method, prompt, model=M, **extra)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"prompt": ""}, "`prompt` is empty"),
        ({"prompt": 3}, "`prompt` must be a str"),
        ({"target_size": (64, 64)}, "`target_size` must be"),
    ],
)
def test_image_to_image_bad_arguments_send_nothing(
    run_task: TaskRunner, kwargs: dict[str, Any], message: str
) -> None:
    recorder = Recorder()
    with pytest.raises(RequestError, match=message):
        run_task(recorder, "image_to_image", b"IMG", model=M, **kwargs)
    assert recorder.requests == []


@pytest.mark.parametrize("method", [name for name in TASK_IDS if name != "image_to_image"])
def test_unknown_keyword_is_a_type_error(run_task: TaskRunner, method: str) -> None:
    args = next(task[1] for task in TASKS if task[0] == method)
    recorder = Recorder()
    with pytest.raises(TypeError, match="unexpected keyword argument 'top_n'"):
        run_task(recorder, method, *args, model=M, top_n=3)
    assert recorder.requests == []


def test_missing_pillow_fails_before_sending(
    run_task: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = png()
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"pip install 'hf-inference-core\[images\]'"):
        decode_image(data)
    for method, args in [
        ("text_to_image", ("a cat",)),
        ("image_to_image", (b"IMG", "x")),
        ("image_segmentation", (b"IMG",)),
    ]:
        recorder = Recorder()
        with pytest.raises(ImportError, match=r"needs Pillow.*hf-inference-core\[images\]"):
            run_task(recorder, method, *args, model=M)
        assert recorder.requests == []


# --- the methods' signatures match huggingface_hub's ---------------------------------------------

P, K = inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY
SIGNATURES: dict[str, list[tuple[str, Any]]] = {
    "image_classification": [("image", P), ("model", K), ("function_to_apply", K), ("top_k", K)],
    "image_segmentation": [
        ("image", P),
        ("model", K),
        ("mask_threshold", K),
        ("overlap_mask_area_threshold", K),
        ("subtask", K),
        ("threshold", K),
    ],
    "image_to_image": [
        ("image", P),
        ("prompt", P),
        ("negative_prompt", K),
        ("num_inference_steps", K),
        ("guidance_scale", K),
        ("model", K),
        ("target_size", K),
        ("kwargs", inspect.Parameter.VAR_KEYWORD),
    ],
    "image_to_text": [("image", P), ("model", K)],
    "object_detection": [("image", P), ("model", K), ("threshold", K)],
    "text_to_image": [
        ("prompt", P),
        ("negative_prompt", K),
        ("height", K),
        ("width", K),
        ("num_inference_steps", K),
        ("guidance_scale", K),
        ("model", K),
        ("scheduler", K),
        ("seed", K),
        ("extra_body", K),
    ],
    "text_to_video": [
        ("prompt", P),
        ("model", K),
        ("guidance_scale", K),
        ("negative_prompt", K),
        ("num_frames", K),
        ("num_inference_steps", K),
        ("seed", K),
        ("extra_body", K),
    ],
    "zero_shot_image_classification": [
        ("image", P),
        ("candidate_labels", P),
        ("model", K),
        ("hypothesis_template", K),
        ("labels", K),
    ],
}
REQUIRED = {"image", "prompt", "candidate_labels"}


@pytest.mark.parametrize("method", sorted(SIGNATURES))
def test_signatures(method: str) -> None:
    # Without the call options every method has (checked in test_reference_signatures.py).
    CALL_OPTIONS = ("deadline", "max_retries")
    for client in (InferenceClient("http://h"), AsyncInferenceClient("http://h")):
        bound = getattr(client, method)
        parameters = [
            p for p in inspect.signature(bound).parameters.values() if p.name not in CALL_OPTIONS
        ]
        assert [(p.name, p.kind) for p in parameters] == SIGNATURES[method]
        for parameter in parameters:
            if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                continue
            required = parameter.name in REQUIRED and parameter.kind is P
            if method == "image_to_image" and parameter.name == "prompt":
                required = False
            expected = inspect.Parameter.empty if required else None
            assert parameter.default is expected, (method, parameter.name)
        assert bound.__doc__ and "Raises:" in bound.__doc__
    assert inspect.iscoroutinefunction(getattr(AsyncInferenceClient("http://h"), method))
