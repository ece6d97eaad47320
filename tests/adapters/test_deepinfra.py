"""deepinfra (new after v0.33.5): chat, completions, embeddings, speech and a multipart
transcription upload, on the OpenAI-compatible API, routed and direct."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from adapters._multipart import form_data, form_value
from inference_core import Request
from tests.tasks._support import TaskRunner

from ._cases import base_for, check_chat, lookup
from ._support import Script, bytes_ok, json_ok

TOKENS = pytest.mark.parametrize("token", ["hf_abc", "di-1"], ids=["routed", "direct"])
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt fake wav"
MP3 = b"ID3\x03 fake mp3"


def base(token: str) -> str:
    return base_for("deepinfra", token, "https://api.deepinfra.com") + "/v1/openai"


def client(token: str) -> dict[str, Any]:
    return {"provider": "deepinfra", "token": token}


def parse_form(request: Request) -> list[tuple[dict[str, str], bytes]]:
    """The parts of a multipart/form-data request: (headers, data) each."""
    content_type = request.header("content-type") or ""
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    body = request.body or b""
    assert body.endswith(b"--" + boundary + b"--\r\n")
    parts = []
    for chunk in body.split(b"--" + boundary)[1:-1]:
        head, _, data = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n"))
        parts.append((headers, data.removesuffix(b"\r\n")))
    return parts


@TOKENS
def test_chat(run_task: TaskRunner, token: str) -> None:
    check_chat(run_task, "deepinfra", token, f"{base(token)}/chat/completions")


@TOKENS
def test_text_generation_renames_max_new_tokens(run_task: TaskRunner, token: str) -> None:
    answer = {"choices": [{"text": " a time", "finish_reason": "length"}]}
    script = Script(
        lookup("deepinfra", "org/m-di", "text-generation"),
        ("POST", f"{base(token)}/completions", json_ok(answer)),
    )
    call = run_task(
        script, "text_generation", "Once upon", model="org/m", max_new_tokens=5,
        client=client(token),
    )  # fmt: skip
    script.assert_done()
    assert call.result == " a time"
    body = json.loads(call.requests[1].body or b"")
    assert body["max_tokens"] == 5 and "max_new_tokens" not in body
    assert (body["prompt"], body["model"], body["stream"]) == ("Once upon", "org/m-di", False)


@TOKENS
def test_feature_extraction(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup("deepinfra", "BAAI/bge-m3", "feature-extraction"),
        ("POST", f"{base(token)}/embeddings", json_ok({"data": [{"embedding": [1.0, 2.0]}]})),
    )
    call = run_task(script, "feature_extraction", "Hi", model="org/m", client=client(token))
    script.assert_done()
    assert isinstance(call.result, np.ndarray) and call.result.tolist() == [[1.0, 2.0]]
    assert json.loads(call.requests[1].body or b"") == {"input": "Hi", "model": "BAAI/bge-m3"}


@TOKENS
def test_text_to_speech_returns_the_audio(run_task: TaskRunner, token: str) -> None:
    script = Script(
        lookup("deepinfra", "hexgrad/Kokoro-82M", "text-to-speech"),
        ("POST", f"{base(token)}/audio/speech", bytes_ok(MP3, "audio/mpeg")),
    )
    call = run_task(script, "text_to_speech", "Hello", model="org/m", client=client(token))
    script.assert_done()
    assert call.result == MP3
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    body = json.loads(post.body or b"")
    assert body == {"input": "Hello", "model": "hexgrad/Kokoro-82M"}
    assert list(body) == ["input", "model"]


@TOKENS
def test_asr_multipart_upload_and_segments_become_chunks(run_task: TaskRunner, token: str) -> None:
    answer = {
        "text": "hello world",
        "segments": [{"text": "hello", "start": 0.0, "end": 0.5}, {"text": " world", "start": 0.5,
                                                                     "end": 1.0}],
    }  # fmt: skip
    script = Script(
        lookup("deepinfra", "openai/whisper-large-v3", "automatic-speech-recognition"),
        ("POST", f"{base(token)}/audio/transcriptions", json_ok(answer)),
    )
    call = run_task(
        script,
        "automatic_speech_recognition",
        WAV,
        model="org/m",
        extra_body={"language": "en", "temperature": 0, "timestamps": True, "opts": {"a": 1}},
        client=client(token),
    )
    script.assert_done()
    assert call.result.text == "hello world"
    assert [(c.text, list(c.timestamp)) for c in call.result.chunks] == [
        ("hello", [0.0, 0.5]),
        (" world", [0.5, 1.0]),
    ]
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    parts = parse_form(post)
    assert parts[0] == (
        {
            "Content-Disposition": 'form-data; name="file"; filename="audio.wav"',
            "Content-Type": "audio/wav",
        },
        WAV,
    )
    fields = [(h["Content-Disposition"], data) for h, data in parts[1:]]
    assert fields == [
        ('form-data; name="language"', b"en"),
        ('form-data; name="temperature"', b"0"),
        ('form-data; name="timestamps"', b"true"),
        ('form-data; name="opts"', b'{"a":1}'),
        ('form-data; name="model"', b"openai/whisper-large-v3"),
    ]


def test_asr_without_segments_and_bad_answer(run_task: TaskRunner) -> None:
    script = Script(
        lookup("deepinfra", "w", "automatic-speech-recognition"),
        ("POST", f"{base('di-1')}/audio/transcriptions", json_ok({"text": "hi"})),
    )
    call = run_task(
        script, "automatic_speech_recognition", MP3, model="org/m", client=client("di-1")
    )
    assert call.result.text == "hi" and call.result.chunks is None
    (file_headers, _), *rest = parse_form(call.requests[1])
    assert file_headers["Content-Disposition"].endswith('filename="audio.mp3"')
    assert [h["Content-Disposition"] for h, _ in rest] == ['form-data; name="model"']


def test_form_data_is_deterministic_and_boundary_safe() -> None:
    body, content_type = form_data("file", "audio", b"xyz", "application/x-unknown", {"k": None})
    again = form_data("file", "audio", b"xyz", "application/x-unknown", {"k": None})
    assert (body, content_type) == again
    assert b'filename="audio.wav"' in body  # unknown type: .wav
    boundary = content_type.split("=", 1)[1]
    tricky, tricky_type = form_data("f", "a", f"--{boundary}".encode(), "audio/wav", {})
    assert tricky_type != content_type and tricky.count(b"--" + tricky_type.split("=")[1].encode())
    assert [form_value(v) for v in ("s", False, 1.5, None, [1])] == ["s", "false", "1.5", "null",
                                                                     "[1]"]  # fmt: skip
