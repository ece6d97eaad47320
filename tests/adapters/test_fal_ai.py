"""fal-ai: text-to-image (LoRA), text-to-speech, speech recognition and the text-to-video queue,
routed (hf_ token, Bearer, router URLs) and direct (fal key, ``Key`` auth, fal's own hosts)."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from PIL import Image

from adapters import fal_ai
from adapters._polling import Deadline
from inference_core import (
    InferenceTimeoutError,
    ProviderError,
    Request,
    Response,
    Route,
    Sleep,
)
from tests.tasks._support import TaskRunner, body_json

from ._support import MAPPING_URL, Script, bytes_ok, json_ok, mapping

ROUTER = "https://router.huggingface.co/fal-ai"
PNG = io.BytesIO()
Image.new("RGB", (3, 2), "red").save(PNG, format="PNG")
PNG_BYTES = PNG.getvalue()
VIDEO = b"\x00\x00\x00\x18ftypmp42 video bytes"
AUDIO = b"ID3\x03 fake mp3"


def client(token: str, **extra: Any) -> dict[str, Any]:
    return {"provider": "fal-ai", "token": token, **extra}


def names(request: Request) -> list[str]:
    return [name.lower() for name, _ in request.headers]


def auth(token: str) -> str:
    return f"Bearer {token}" if token.startswith("hf_") else f"Key {token}"


def lookup(model: str, provider_id: str, task: str, **extra: Any) -> tuple[str, str, Response]:
    return (
        "GET",
        MAPPING_URL.format(model=model),
        mapping("fal-ai", provider_id, task, model=model, **extra),
    )


# --- text-to-image ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "base"), [("hf_abc", ROUTER), ("fal-k", "https://fal.run")], ids=["routed", "direct"]
)
def test_text_to_image_lora_e4(run_task: TaskRunner, token: str, base: str) -> None:
    script = Script(
        lookup(
            "user/flux-lora-x",
            "fal-ai/flux-lora",
            "text-to-image",
            adapter="lora",
            adapterWeightsPath="lora.safetensors",
        ),
        (
            "POST",
            f"{base}/fal-ai/flux-lora",
            json_ok({"images": [{"url": "https://v3.fal.media/files/x.png"}]}),
        ),
        ("GET", "https://v3.fal.media/files/x.png", bytes_ok(PNG_BYTES, "image/png")),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="user/flux-lora-x",
        width=512,
        height=768,
        client=client(token),
    )
    script.assert_done()
    assert call.result.size == (3, 2)
    _, post, download = call.requests
    assert post.header("authorization") == auth(token)
    assert post.header("accept") == "image/png"
    assert post.header("content-type") == "application/json"
    payload = body_json(post)
    assert payload == {
        "prompt": "a cat",
        "image_size": {"width": 512, "height": 768},
        "loras": [
            {
                "path": "https://huggingface.co/user/flux-lora-x/resolve/main/lora.safetensors",
                "scale": 1,
            }
        ],
    }
    assert list(payload) == ["prompt", "image_size", "loras"]
    assert names(download) == ["user-agent"]  # no token, no user headers on the file host
    assert call.sleeps == []


def test_text_to_image_fal_lora_endpoint_adds_base_model_and_uses_hf_endpoint(
    run_task: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.example/")
    script = Script(
        (
            "GET",
            "https://hub.example/api/models/user/sd-lora?expand=inferenceProviderMapping",
            mapping(
                "fal-ai",
                "fal-ai/lora",
                "text-to-image",
                model="user/sd-lora",
                adapterWeightsPath="w.bin",
            ),
        ),
        ("POST", "https://fal.run/fal-ai/lora", json_ok({"images": [{"url": "https://f/x"}]})),
        ("GET", "https://f/x", bytes_ok(PNG_BYTES)),
    )
    call = run_task(
        script, "text_to_image", "a cat", model="user/sd-lora", seed=3, client=client("fal-k")
    )
    payload = body_json(call.requests[1])
    assert payload == {
        "prompt": "a cat",
        "seed": 3,
        "loras": [{"path": "https://hub.example/user/sd-lora/resolve/main/w.bin", "scale": 1}],
        "model_name": "stabilityai/stable-diffusion-xl-base-1.0",
    }
    assert list(payload)[-1] == "model_name"


def test_text_to_image_one_size_stays_flat_and_user_accept_wins(run_task: TaskRunner) -> None:
    script = Script(
        lookup("org/m", "fal-ai/flux/dev", "text-to-image"),
        ("POST", f"{ROUTER}/fal-ai/flux/dev", json_ok({"images": [{"url": "https://f/x"}]})),
        ("GET", "https://f/x", bytes_ok(PNG_BYTES)),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="org/m",
        width=512,
        negative_prompt=None,
        extra_body={"num_images": 1},
        client=client("hf_abc", headers={"Accept": "image/jpeg"}),
    )
    post = call.requests[1]
    assert body_json(post) == {"prompt": "a cat", "width": 512, "num_images": 1}
    assert [v for k, v in post.headers if k.lower() == "accept"] == ["image/jpeg"]


def test_text_to_image_data_url_answer_is_decoded_locally(run_task: TaskRunner) -> None:
    data_url = "data:image/png;base64," + base64.b64encode(PNG_BYTES).decode()
    script = Script(
        lookup("org/m", "fal-ai/flux/dev", "text-to-image"),
        ("POST", "https://fal.run/fal-ai/flux/dev", json_ok({"images": [{"url": data_url}]})),
    )
    call = run_task(
        script,
        "text_to_image",
        "a cat",
        model="org/m",
        extra_body={"sync_mode": True},
        client=client("fal-k"),
    )
    script.assert_done()
    assert call.result.size == (3, 2)


@pytest.mark.parametrize(
    "answer",
    [{"images": []}, {"images": [{"url": None}]}, {"detail": "x"}, [1]],
    ids=["no-image", "null-url", "other", "list"],
)
def test_text_to_image_answer_without_image_is_provider_error(
    run_task: TaskRunner, answer: Any
) -> None:
    script = Script(
        lookup("org/m", "fal-ai/flux/dev", "text-to-image"),
        ("POST", "https://fal.run/fal-ai/flux/dev", json_ok(answer)),
    )
    with pytest.raises(ProviderError, match=r"fal-ai answered without \['images'\]"):
        run_task(script, "text_to_image", "a cat", model="org/m", client=client("fal-k"))


def test_failed_download_is_provider_error(run_task: TaskRunner) -> None:
    script = Script(
        lookup("org/m", "fal-ai/flux/dev", "text-to-image"),
        ("POST", "https://fal.run/fal-ai/flux/dev", json_ok({"images": [{"url": "https://f/x"}]})),
        ("GET", "https://f/x", Response(404, (), b"<html>gone</html>")),
    )
    with pytest.raises(ProviderError) as info:
        run_task(script, "text_to_image", "a cat", model="org/m", client=client("fal-k"))
    assert info.value.status == 404


# --- text-to-speech -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "base"), [("hf_abc", ROUTER), ("fal-k", "https://fal.run")], ids=["routed", "direct"]
)
def test_text_to_speech(run_task: TaskRunner, token: str, base: str) -> None:
    script = Script(
        lookup("org/tts", "fal-ai/kokoro", "text-to-speech"),
        ("POST", f"{base}/fal-ai/kokoro", json_ok({"audio": {"url": "https://f/a.wav"}})),
        ("GET", "https://f/a.wav", bytes_ok(b"RIFF....WAVE", "audio/wav")),
    )
    call = run_task(
        script,
        "text_to_speech",
        "Hello",
        model="org/tts",
        temperature=0.5,
        extra_body={"voice": "af_heart"},
        client=client(token),
    )
    script.assert_done()
    assert call.result == b"RIFF....WAVE"
    _, post, download = call.requests
    assert post.header("authorization") == auth(token)
    assert post.header("accept") is None
    assert body_json(post) == {"text": "Hello", "temperature": 0.5, "voice": "af_heart"}
    assert list(body_json(post)) == ["text", "temperature", "voice"]
    assert names(download) == ["user-agent"]


# --- automatic-speech-recognition ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "base"), [("hf_abc", ROUTER), ("fal-k", "https://fal.run")], ids=["routed", "direct"]
)
def test_asr_url_is_passed_as_is(run_task: TaskRunner, token: str, base: str) -> None:
    answer = {"text": "hello", "chunks": [{"timestamp": [0.0, 1.0], "text": "hello"}]}
    script = Script(
        lookup("openai/whisper-large-v3", "fal-ai/whisper", "automatic-speech-recognition"),
        ("POST", f"{base}/fal-ai/whisper", json_ok(answer)),
    )
    call = run_task(
        script,
        "automatic_speech_recognition",
        "https://example.com/a.mp3",
        model="openai/whisper-large-v3",
        extra_body={"language": "en", "task": None},
        client=client(token),
    )
    script.assert_done()
    assert call.result.text == "hello"
    assert call.result.chunks[0].timestamp == [0.0, 1.0]
    post = call.requests[1]
    assert post.header("authorization") == auth(token)
    assert body_json(post) == {"audio_url": "https://example.com/a.mp3", "language": "en"}
    assert len(call.requests) == 2  # the URL is not downloaded by the client


@pytest.mark.parametrize(
    ("audio", "kind"),
    [(AUDIO, "audio/mpeg"), (b"fLaC\x00\x00", "audio/flac"), (b"\x01\x02raw", "audio/mpeg")],
    ids=["mp3", "flac", "unknown"],
)
def test_asr_bytes_become_a_data_url_with_sniffed_type(
    run_task: TaskRunner, audio: bytes, kind: str
) -> None:
    script = Script(
        lookup("org/asr", "fal-ai/whisper", "automatic-speech-recognition"),
        ("POST", "https://fal.run/fal-ai/whisper", json_ok({"text": "hi"})),
    )
    call = run_task(
        script, "automatic_speech_recognition", audio, model="org/asr", client=client("fal-k")
    )
    assert call.result.text == "hi"
    expected = f"data:{kind};base64,{base64.b64encode(audio).decode()}"
    assert body_json(call.requests[1]) == {"audio_url": expected}


def test_asr_local_path_is_read(run_task: TaskRunner, tmp_path: Any) -> None:
    path = tmp_path / "a.flac"
    path.write_bytes(b"fLaC\x00\x01")
    script = Script(
        lookup("org/asr", "fal-ai/whisper", "automatic-speech-recognition"),
        ("POST", "https://fal.run/fal-ai/whisper", json_ok({"text": "hi"})),
    )
    call = run_task(
        script, "automatic_speech_recognition", str(path), model="org/asr", client=client("fal-k")
    )
    expected = "data:audio/flac;base64," + base64.b64encode(b"fLaC\x00\x01").decode()
    assert body_json(call.requests[1])["audio_url"] == expected


@pytest.mark.parametrize("answer", [{"text": None}, {"text": 3}, ["hi"]], ids=str)
def test_asr_answer_without_text_is_provider_error(run_task: TaskRunner, answer: Any) -> None:
    script = Script(
        lookup("org/asr", "fal-ai/whisper", "automatic-speech-recognition"),
        ("POST", "https://fal.run/fal-ai/whisper", json_ok(answer)),
    )
    with pytest.raises(ProviderError, match="without a transcription"):
        run_task(
            script, "automatic_speech_recognition", AUDIO, model="org/asr", client=client("fal-k")
        )


# --- text-to-video: the queue -------------------------------------------------------------------

QUEUE = "https://queue.fal.run"
SUBMITTED = {
    "request_id": "r1",
    "status": "IN_QUEUE",
    "response_url": "https://queue.fal.run/fal-ai/mochi-v1/requests/r1",
    "status_url": "https://queue.fal.run/fal-ai/mochi-v1/requests/r1/status",
}
RESULT = {"video": {"url": "https://v3.fal.media/v.mp4"}}


def video_lookup() -> tuple[str, str, Response]:
    return lookup("genmo/mochi-1-preview", "fal-ai/mochi-v1", "text-to-video")


@pytest.mark.parametrize(
    ("token", "base", "query"),
    [("fal-k", QUEUE, ""), ("hf_abc", ROUTER, "?_subdomain=queue")],
    ids=["direct", "routed"],
)
def test_text_to_video_queue_e5(run_task: TaskRunner, token: str, base: str, query: str) -> None:
    job = f"{base}/fal-ai/mochi-v1/requests/r1"
    script = Script(
        video_lookup(),
        ("POST", f"{base}/fal-ai/mochi-v1{query}", json_ok(SUBMITTED)),
        ("GET", f"{job}/status{query}", json_ok({"status": "IN_PROGRESS"})),
        ("GET", f"{job}/status{query}", json_ok({"status": "COMPLETED"})),
        ("GET", f"{job}{query}", json_ok(RESULT)),
        ("GET", "https://v3.fal.media/v.mp4", bytes_ok(VIDEO, "video/mp4")),
    )
    call = run_task(
        script,
        "text_to_video",
        "a cat",
        model="genmo/mochi-1-preview",
        num_frames=16,
        client=client(token, headers={"X-HF-Bill-To": "my-org"}),
    )
    script.assert_done()
    assert call.result == VIDEO
    assert call.sleeps == [0.5, 0.5]
    _, submit, poll1, poll2, result, download = call.requests
    assert submit.header("authorization") == auth(token)
    assert submit.header("X-HF-Bill-To") == "my-org"
    assert body_json(submit) == {"prompt": "a cat", "num_frames": 16}
    # Polls and the result fetch replay the submit's headers (without its JSON content type).
    submit_headers = tuple(h for h in submit.headers if h[0] != "content-type")
    assert poll1.headers == poll2.headers == result.headers == submit_headers
    assert poll1.body is None
    assert names(download) == ["user-agent"]


def test_text_to_video_already_completed_makes_no_poll(run_task: TaskRunner) -> None:
    job = f"{QUEUE}/fal-ai/mochi-v1/requests/r1"
    script = Script(
        video_lookup(),
        ("POST", f"{QUEUE}/fal-ai/mochi-v1", json_ok({**SUBMITTED, "status": "COMPLETED"})),
        ("GET", job, json_ok(RESULT)),
        ("GET", "https://v3.fal.media/v.mp4", bytes_ok(VIDEO)),
    )
    call = run_task(
        script, "text_to_video", "a cat", model="genmo/mochi-1-preview", client=client("fal-k")
    )
    script.assert_done()
    assert (call.result, call.sleeps) == (VIDEO, [])


def test_text_to_video_paths_come_from_response_url(run_task: TaskRunner) -> None:
    """fal's app path can be shorter than the model id: the answer's path is the truth."""
    submitted = {**SUBMITTED, "response_url": f"{QUEUE}/fal-ai/wan/requests/r1"}
    script = Script(
        lookup("org/wan", "fal-ai/wan/v2.2/t2v", "text-to-video"),
        ("POST", f"{ROUTER}/fal-ai/wan/v2.2/t2v?_subdomain=queue", json_ok(submitted)),
        (
            "GET",
            f"{ROUTER}/fal-ai/wan/requests/r1/status?_subdomain=queue",
            json_ok({"status": "COMPLETED"}),
        ),
        ("GET", f"{ROUTER}/fal-ai/wan/requests/r1?_subdomain=queue", json_ok(RESULT)),
        ("GET", "https://v3.fal.media/v.mp4", bytes_ok(VIDEO)),
    )
    call = run_task(script, "text_to_video", "a cat", model="org/wan", client=client("hf_abc"))
    script.assert_done()
    assert call.result == VIDEO


@pytest.mark.parametrize("status", ["FAILED", "ERROR", "CANCELLED"])
def test_text_to_video_failure_status_is_provider_error(run_task: TaskRunner, status: str) -> None:
    job = f"{QUEUE}/fal-ai/mochi-v1/requests/r1"
    script = Script(
        video_lookup(),
        ("POST", f"{QUEUE}/fal-ai/mochi-v1", json_ok(SUBMITTED)),
        ("GET", f"{job}/status", json_ok({"status": "IN_PROGRESS"})),
        ("GET", f"{job}/status", json_ok({"status": status, "error": "boom"})),
    )
    with pytest.raises(ProviderError, match=f"fal-ai job r1 ended with status {status}"):
        run_task(
            script, "text_to_video", "a cat", model="genmo/mochi-1-preview", client=client("fal-k")
        )
    script.assert_done()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"status": "IN_QUEUE"}, "no request ID"),
        ({"request_id": "", "status": "IN_QUEUE"}, "no request ID"),
        ({"request_id": "r1", "status": "IN_QUEUE"}, r"without \['response_url'\]"),
    ],
)
def test_text_to_video_bad_submit_answer_is_provider_error(
    run_task: TaskRunner, answer: Any, message: str
) -> None:
    script = Script(video_lookup(), ("POST", f"{QUEUE}/fal-ai/mochi-v1", json_ok(answer)))
    with pytest.raises(ProviderError, match=message):
        run_task(
            script, "text_to_video", "a cat", model="genmo/mochi-1-preview", client=client("fal-k")
        )


def test_text_to_video_that_never_finishes_times_out_at_client_timeout(
    run_task: TaskRunner,
) -> None:
    job = f"{QUEUE}/fal-ai/mochi-v1/requests/r1"
    in_progress = ("GET", f"{job}/status", json_ok({"status": "IN_PROGRESS"}))
    script = Script(
        video_lookup(), ("POST", f"{QUEUE}/fal-ai/mochi-v1", json_ok(SUBMITTED)), *[in_progress] * 4
    )
    with pytest.raises(InferenceTimeoutError, match=r"fal-ai job r1 did not finish within 2 s"):
        run_task(
            script,
            "text_to_video",
            "a cat",
            model="genmo/mochi-1-preview",
            client=client("fal-k", timeout=2),
        )
    script.assert_done()  # 4 polls (after 4 sleeps of 0.5 s), then the error


def video_route(timeout: float | None) -> Route:
    return Route(
        provider=fal_ai.PROVIDER,
        task="text-to-video",
        adapter=fal_ai.text_to_video,
        model_id="genmo/mochi-1-preview",
        provider_id="fal-ai/mochi-v1",
        api_key="fal-k",
        routed=False,
        base_url="https://fal.run",
        headers=(("user-agent", "ua"), ("authorization", "Key fal-k")),
        mapping=None,
        hub_endpoint="https://huggingface.co",
        timeout=timeout,
    )


def test_text_to_video_plan_stepped_by_hand_sleeps_four_times_then_times_out() -> None:
    plan = fal_ai.text_to_video(video_route(2.0), "a cat", {"seed": None})
    submit = next(plan)
    assert isinstance(submit, Request)
    assert (submit.method, submit.url) == ("POST", f"{QUEUE}/fal-ai/mochi-v1")
    assert body_json(submit) == {"prompt": "a cat"}
    effect = plan.send(json_ok(SUBMITTED))
    for _ in range(4):
        assert effect == Sleep(0.5)
        effect = plan.send(None)
        assert isinstance(effect, Request)
        assert (effect.method, effect.url) == ("GET", f"{QUEUE}/fal-ai/mochi-v1/requests/r1/status")
        assert effect.headers == submit.headers[:2]
        if _ < 3:
            effect = plan.send(json_ok({"status": "IN_QUEUE", "queue_position": 3}))
    with pytest.raises(InferenceTimeoutError, match="within 2 s"):
        plan.send(json_ok({"status": "IN_PROGRESS"}))


def test_text_to_video_without_timeout_keeps_polling() -> None:
    plan = fal_ai.text_to_video(video_route(None), "a cat", {})
    next(plan)
    effect = plan.send(json_ok(SUBMITTED))
    for _ in range(1000):
        assert effect == Sleep(0.5)
        plan.send(None)
        effect = plan.send(json_ok({"status": "IN_PROGRESS"}))
    plan.close()


def test_deadline_counts_float_waits_exactly() -> None:
    deadline = Deadline(0.3, "job")
    for _ in range(3):
        assert list(deadline.wait(0.1)) == [Sleep(0.1)]
    with pytest.raises(InferenceTimeoutError, match=r"job did not finish within 0\.3 s"):
        list(deadline.wait(0.1))
    assert list(Deadline(None, "job").wait(5.0)) == [Sleep(5.0)]


def test_queue_base() -> None:
    assert fal_ai.queue_base("https://fal.run") == QUEUE
    assert fal_ai.queue_base("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
