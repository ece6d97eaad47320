"""black-forest-labs: text-to-image submitted, then polled at ``polling_url`` (1 s before each
poll, no token), then the sample downloaded; direct only (``X-Key``): BFL left the router."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import Image

from inference_core import InferenceTimeoutError, ProviderError, Request, Response
from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, bytes_ok, json_ok, mapping

MODEL = "black-forest-labs/FLUX.1-dev"
POLL = "https://api.us1.bfl.ai/v1/get_result?id=j1"
SAMPLE = "https://delivery.bfl.ai/s.jpg"
SUBMITTED = {"id": "j1", "polling_url": POLL}
PENDING = {"id": "j1", "status": "Pending"}
READY = {"id": "j1", "status": "Ready", "result": {"sample": SAMPLE}}
JPEG = io.BytesIO()
Image.new("RGB", (4, 4), "blue").save(JPEG, format="JPEG")
JPEG_BYTES = JPEG.getvalue()


def lookup() -> tuple[str, str, Response]:
    return (
        "GET",
        MAPPING_URL.format(model=MODEL),
        mapping("black-forest-labs", "flux-dev", "text-to-image", model=MODEL),
    )


def submit(token: str) -> str:
    return "https://api.us1.bfl.ai/v1/flux-dev"


def options(token: str, **extra: Any) -> dict[str, Any]:
    return {"provider": "black-forest-labs", "token": token, **extra}


def names(request: Request) -> list[str]:
    return [name.lower() for name, _ in request.headers]


@pytest.mark.parametrize("token", ["bfl-k"], ids=["direct"])
def test_text_to_image_e7(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup(),
        ("POST", submit(token), json_ok(SUBMITTED)),
        ("GET", POLL, json_ok(PENDING)),
        ("GET", POLL, json_ok(READY)),
        ("GET", SAMPLE, bytes_ok(JPEG_BYTES, "image/jpeg")),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model=MODEL,
        num_inference_steps=28,
        guidance_scale=3.5,
        seed=7,
        client=options(token, headers={"X-HF-Bill-To": "org"}),
    )
    script.assert_done()
    assert call.result.size == (4, 4)
    assert call.sleeps == [1.0, 1.0]
    _, post, poll1, poll2, download = call.requests
    assert post.header("X-Key") == "bfl-k"
    assert post.header("authorization") is None
    assert post.header("accept") == "image/png"
    assert post.header("content-type") == "application/json"
    payload = json.loads(post.body or b"")
    assert payload == {"prompt": "a cat", "seed": 7, "steps": 28, "guidance": 3.5}
    assert list(payload) == ["prompt", "seed", "steps", "guidance"]
    # Polls and the download carry no token, no user headers (no bill-to), no body.
    for request in (poll1, poll2, download):
        assert names(request) == ["user-agent"]
        assert request.body is None


def test_without_timeout_six_polls_then_timeout_error(run_task: TaskRunner) -> None:
    script = Script(
        lookup(),
        ("POST", submit("bfl-k"), json_ok(SUBMITTED)),
        *[("GET", POLL, json_ok(PENDING))] * 6,
    )
    with pytest.raises(InferenceTimeoutError, match="did not finish within 6 s") as info:
        run_task(script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k"))
    assert isinstance(info.value, TimeoutError)  # what huggingface_hub raised
    script.assert_done()


def test_client_timeout_allows_more_polls(run_task: TaskRunner) -> None:
    script = Script(
        lookup(),
        ("POST", submit("bfl-k"), json_ok(SUBMITTED)),
        *[("GET", POLL, json_ok(PENDING))] * 9,
        ("GET", POLL, json_ok(READY)),
        ("GET", SAMPLE, bytes_ok(JPEG_BYTES)),
    )
    call = run_task(
        script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k", timeout=10)
    )
    script.assert_done()
    assert call.sleeps == [1.0] * 10


def test_short_client_timeout_bounds_the_polls(run_task: TaskRunner) -> None:
    script = Script(
        lookup(),
        ("POST", submit("bfl-k"), json_ok(SUBMITTED)),
        *[("GET", POLL, json_ok(PENDING))] * 3,
    )
    with pytest.raises(InferenceTimeoutError, match="black-forest-labs job j1"):
        run_task(script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k", timeout=3))
    script.assert_done()


@pytest.mark.parametrize(
    "status", ["Error", "Content Moderated", "Request Moderated", "Task not found"]
)
def test_failure_status_is_provider_error_at_once(run_task: TaskRunner, status: str) -> None:
    script = Script(
        lookup(),
        ("POST", submit("bfl-k"), json_ok(SUBMITTED)),
        ("GET", POLL, json_ok(PENDING)),
        ("GET", POLL, json_ok({"id": "j1", "status": status})),
    )
    with pytest.raises(ProviderError, match=f"failed with status '{status}'"):
        run_task(script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k"))
    script.assert_done()


def test_ready_without_sample_keeps_polling(run_task: TaskRunner) -> None:
    script = Script(
        lookup(),
        ("POST", submit("bfl-k"), json_ok(SUBMITTED)),
        ("GET", POLL, json_ok({"status": "Ready", "result": None})),
        ("GET", POLL, json_ok(READY)),
        ("GET", SAMPLE, bytes_ok(JPEG_BYTES)),
    )
    call = run_task(script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k"))
    script.assert_done()
    assert call.sleeps == [1.0, 1.0]


@pytest.mark.parametrize(
    "answer", [{"id": "j1"}, {"id": "j1", "polling_url": 3}], ids=["missing", "not-a-url"]
)
def test_missing_polling_url_is_provider_error_before_any_poll(
    run_task: TaskRunner, answer: Any
) -> None:
    script = Script(lookup(), ("POST", submit("bfl-k"), json_ok(answer)))
    with pytest.raises(ProviderError, match="polling_url"):
        run_task(script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k"))
    script.assert_done()


def test_failed_sample_download_is_provider_error(run_task: TaskRunner) -> None:
    script = Script(
        lookup(),
        ("POST", submit("bfl-k"), json_ok(SUBMITTED)),
        ("GET", POLL, json_ok(READY)),
        ("GET", SAMPLE, Response(403, (), b"expired")),
    )
    with pytest.raises(ProviderError) as info:
        run_task(script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k"))
    assert info.value.status == 403


def test_submit_error_status_is_provider_error(run_task: TaskRunner) -> None:
    script = Script(lookup(), ("POST", submit("bfl-k"), json_ok({"detail": "bad key"}, status=403)))
    with pytest.raises(ProviderError) as info:
        run_task(script, "text_to_image", "a cat", model=MODEL, client=options("bfl-k"))
    assert info.value.status == 403
