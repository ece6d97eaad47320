"""replicate's tasks added after v0.33.5 (spec providers.md Appendix A.2): speech recognition
(every output shape normalised to ``{"text"}``) and image-to-image; routed and direct."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from inference_core import ProviderError
from tests.tasks._support import TaskRunner

from ._cases import PNG, PNG_URL, base_for, lookup
from ._support import Script, bytes_ok, json_ok, png

TOKENS = pytest.mark.parametrize("token", ["hf_abc", "r8_k"], ids=["routed", "direct"])
WHISPER = "openai/whisper:8099696689d249cf8b122d833c36ac3f75505c666a395ca40ef26f68e7d3d16e"
VERSION = WHISPER.split(":", 1)[1]
FLAC = b"fLaC fake flac"


def base(token: str) -> str:
    return base_for("replicate", token, "https://api.replicate.com")


def client(token: str) -> dict[str, Any]:
    return {"provider": "replicate", "token": token}


def transcribe(run_task: TaskRunner, token: str, audio: Any, output: Any, *extra: Any) -> Any:
    script = Script(
        lookup("replicate", WHISPER, "automatic-speech-recognition"),
        ("POST", f"{base(token)}/v1/predictions", json_ok({"status": "succeeded",
                                                            "output": output})),
        *extra,
    )  # fmt: skip
    call = run_task(
        script, "automatic_speech_recognition", audio, model="org/m",
        extra_body={"language": "en"}, client=client(token),
    )  # fmt: skip
    script.assert_done()
    return call


@TOKENS
def test_asr_url_is_sent_as_is(run_task: TaskRunner, token: str) -> None:
    call = transcribe(run_task, token, "https://x.test/a.flac", {"transcription": "hello"})
    assert call.result.text == "hello"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("prefer") == "wait"
    body = json.loads(post.body or b"")
    assert body == {"input": {"audio": "https://x.test/a.flac", "language": "en"},
                    "version": VERSION}  # fmt: skip


@TOKENS
@pytest.mark.parametrize(
    ("audio", "kind"), [(FLAC, "audio/flac"), (b"\x01raw", "audio/wav")], ids=["flac", "unknown"]
)
def test_asr_bytes_are_inlined(run_task: TaskRunner, token: str, audio: bytes, kind: str) -> None:
    call = transcribe(run_task, token, audio, "hello")
    assert call.result.text == "hello"
    sent = json.loads(call.requests[1].body or b"")["input"]["audio"]
    assert sent == f"data:{kind};base64," + base64.b64encode(audio).decode()


@pytest.mark.parametrize(
    "output",
    ["hi there", ["hi", " there"], {"transcription": "hi there"}, {"translation": "hi there"}],
    ids=["string", "list", "transcription", "translation"],
)
def test_asr_output_shapes(run_task: TaskRunner, output: Any) -> None:
    assert transcribe(run_task, "r8_k", FLAC, output).result.text == "hi there"


def test_asr_txt_file_is_downloaded(run_task: TaskRunner) -> None:
    url = "https://replicate.delivery/t.txt"
    call = transcribe(
        run_task, "r8_k", FLAC, {"txt_file": url}, ("GET", url, bytes_ok(b"hi file", "text/plain"))
    )
    assert call.result.text == "hi file"
    assert call.requests[-1].header("authorization") is None


def test_asr_output_without_text_is_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="no transcription"):
        transcribe(run_task, "r8_k", FLAC, {"segments": []})


@TOKENS
def test_image_to_image_sends_the_image_under_every_name(run_task: TaskRunner, token: str) -> None:
    out = "https://replicate.delivery/o.png"
    script = Script(
        lookup("replicate", "black-forest-labs/flux-kontext-dev", "image-to-image"),
        ("POST", f"{base(token)}/v1/models/black-forest-labs/flux-kontext-dev/predictions",
         json_ok({"status": "succeeded", "output": out})),
        ("GET", out, bytes_ok(png("red", (6, 5)), "image/png")),
    )  # fmt: skip
    call = run_task(
        script, "image_to_image", PNG, "make it red", model="org/m", guidance_scale=3,
        client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result.size == (6, 5)
    post = call.requests[1]
    assert post.header("accept") == "image/png"
    assert post.header("prefer") == "wait"
    body = json.loads(post.body or b"")
    assert body == {
        "input": {
            "image": PNG_URL,
            "images": [PNG_URL],
            "input_image": PNG_URL,
            "input_images": [PNG_URL],
            "prompt": "make it red",
            "guidance_scale": 3,
        }
    }
