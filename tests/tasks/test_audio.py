"""The audio tasks: audio_classification, audio_to_audio, automatic_speech_recognition and
text_to_speech, on the sync client and on the async client (asyncio and trio).

Requests are checked against spec tasks.md §9 rows 1, 2, 3, 3b and 22; responses against
realistic payloads and the audio_to_audio fixture.
"""

from __future__ import annotations

import inspect
import io
import json
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from inference_core import (
    AsyncInferenceClient,
    AudioClassificationOutputElement,
    AudioToAudioOutputElement,
    AutomaticSpeechRecognitionOutput,
    AutomaticSpeechRecognitionOutputChunk,
    InferenceClient,
    ProviderError,
    Request,
    RequestError,
    Response,
)

from ._support import ROUTER, TaskRunner, body_json, bytes_reply, json_reply

Handler = Callable[[Request], Response]

MODEL = "acme/model"
URL = f"{ROUTER}/{MODEL}"
AUDIO_B64 = "QVVESU8="  # b"AUDIO"
FLAC = b"fLaC\x00\x00\x00\x22\x10\x00\x10\x00" + bytes(30)
CLASSES = [{"label": "hap", "score": 0.4976}, {"label": "neu", "score": 0.3677}]
TRANSCRIPT = {
    "text": " hello world",
    "chunks": [
        {"text": " hello", "timestamp": [0.0, 0.5]},
        {"text": " world", "timestamp": [0.5, 1.2]},
    ],
}
AUDIO_INPUT_TASKS = ["audio_classification", "audio_to_audio", "automatic_speech_recognition"]
REPLIES: dict[str, Any] = {
    "audio_classification": CLASSES,
    "audio_to_audio": [{"label": "speech", "content-type": "audio/flac", "blob": "T1VU"}],
    "automatic_speech_recognition": {"text": "hello"},
}


def wav_bytes() -> bytes:
    """A real (tiny) WAV file: 4 frames of 16-bit mono silence at 16 kHz."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(bytes(8))
    return buffer.getvalue()


def recording(handler: Handler) -> tuple[Handler, list[Request]]:
    """Wrap ``handler`` to also record requests, for calls that raise."""
    seen: list[Request] = []

    def record(request: Request) -> Response:
        seen.append(request)
        return handler(request)

    return record, seen


def assert_json_request(request: Request, url: str, body: Any) -> None:
    assert request.method == "POST"
    assert request.url == url
    assert request.header("authorization") == "Bearer hf_test"
    assert request.header("content-type") == "application/json"
    assert request.header("accept") is None
    assert body_json(request) == body
    assert list(body_json(request)) == list(body)


def assert_raw_request(request: Request, url: str, body: bytes, content_type: str) -> None:
    assert request.method == "POST"
    assert request.url == url
    assert request.header("authorization") == "Bearer hf_test"
    assert request.header("content-type") == content_type
    assert request.body == body


# --- audio_classification ----------------------------------------------------------------------


def test_audio_classification_with_top_k_sends_base64_json(run_task: TaskRunner) -> None:
    call = run_task(json_reply(CLASSES), "audio_classification", b"AUDIO", model=MODEL, top_k=2)
    (request,) = call.requests
    assert_json_request(request, URL, {"inputs": AUDIO_B64, "parameters": {"top_k": 2}})
    assert call.result == [
        AudioClassificationOutputElement(label="hap", score=0.4976),
        AudioClassificationOutputElement(label="neu", score=0.3677),
    ]
    assert isinstance(call.result[0], AudioClassificationOutputElement)
    assert call.result[1].label == "neu"


def test_audio_classification_parameters_in_reference_order(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(CLASSES[:1]),
        "audio_classification",
        b"AUDIO",
        model=MODEL,
        top_k=1,
        function_to_apply="softmax",
    )
    parameters = body_json(call.requests[0])["parameters"]
    assert list(parameters.items()) == [("function_to_apply", "softmax"), ("top_k", 1)]
    assert [(e.label, e.score) for e in call.result] == [("hap", 0.4976)]


def test_audio_classification_without_parameters_sends_the_raw_audio(run_task: TaskRunner) -> None:
    audio = wav_bytes()
    call = run_task(json_reply(CLASSES), "audio_classification", audio, model=MODEL)
    assert_raw_request(call.requests[0], URL, audio, "audio/wav")
    assert [e.label for e in call.result] == ["hap", "neu"]


def test_audio_classification_object_answer_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="expected an array"):
        run_task(json_reply({"label": "hap"}), "audio_classification", b"AUDIO", model=MODEL)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"top_k": 0}, "top_k"),
        ({"top_k": "2"}, "top_k"),
        ({"top_k": True}, "top_k"),
        ({"function_to_apply": "relu"}, "function_to_apply"),
    ],
)
def test_audio_classification_bad_parameters_send_nothing(
    run_task: TaskRunner, kwargs: dict[str, Any], message: str
) -> None:
    handler, seen = recording(json_reply(CLASSES))
    with pytest.raises(RequestError, match=message):
        run_task(handler, "audio_classification", "https://x.test/a.wav", model=MODEL, **kwargs)
    assert seen == []


# --- audio_to_audio ----------------------------------------------------------------------------


def test_audio_to_audio_sends_raw_audio_and_decodes_blobs(run_task: TaskRunner) -> None:
    reply = [
        {"label": "l", "content-type": "audio/flac", "blob": "T1VU"},
        {"label": "noise", "content-type": "audio/wav", "blob": "Tk9JU0U="},
    ]
    call = run_task(json_reply(reply), "audio_to_audio", b"AUDIO", model=MODEL)
    assert_raw_request(call.requests[0], URL, b"AUDIO", "application/octet-stream")
    first, second = call.result
    assert isinstance(first, AudioToAudioOutputElement)
    assert first.blob == b"OUT"
    assert first.content_type == "audio/flac"
    assert first.label == "l"
    assert first["content_type"] == "audio/flac"
    assert (second.label, second.content_type, second.blob) == ("noise", "audio/wav", b"NOISE")


def test_audio_to_audio_sniffs_flac(run_task: TaskRunner) -> None:
    call = run_task(json_reply(REPLIES["audio_to_audio"]), "audio_to_audio", FLAC, model=MODEL)
    assert_raw_request(call.requests[0], URL, FLAC, "audio/flac")
    assert call.result[0].blob == b"OUT"


def test_audio_to_audio_normalizes_keys_and_keeps_extras(run_task: TaskRunner) -> None:
    reply = [{"Label": "l", "Content Type": "audio/ogg", "blob": "T1VU", "sampling-rate": 8000}]
    call = run_task(json_reply(reply), "audio_to_audio", b"AUDIO", model=MODEL)
    (output,) = call.result
    assert (output.label, output.content_type, output.blob) == ("l", "audio/ogg", b"OUT")
    assert output["sampling_rate"] == 8000


@pytest.mark.parametrize("blob", ["not base64!", 12])
def test_audio_to_audio_bad_blob_is_a_provider_error(run_task: TaskRunner, blob: Any) -> None:
    reply = [{"label": "l", "content-type": "audio/flac", "blob": blob}]
    with pytest.raises(ProviderError, match=r"blob.*\$\[0\]\.blob"):
        run_task(json_reply(reply), "audio_to_audio", b"AUDIO", model=MODEL)


# --- automatic_speech_recognition --------------------------------------------------------------


def test_asr_sends_raw_audio(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply({"text": "hello world"}), "automatic_speech_recognition", b"AUDIO", model=MODEL
    )
    assert_raw_request(call.requests[0], URL, b"AUDIO", "application/octet-stream")
    assert call.result == AutomaticSpeechRecognitionOutput(text="hello world")
    assert call.result.text == "hello world"
    assert call.result.chunks is None


def test_asr_extra_body_goes_inside_parameters(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(TRANSCRIPT),
        "automatic_speech_recognition",
        b"AUDIO",
        model=MODEL,
        extra_body={"return_timestamps": True},
    )
    expected = {"inputs": AUDIO_B64, "parameters": {"return_timestamps": True}}
    assert_json_request(call.requests[0], URL, expected)
    result = call.result
    assert isinstance(result, AutomaticSpeechRecognitionOutput)
    assert result.text == " hello world"
    assert result.chunks == [
        AutomaticSpeechRecognitionOutputChunk(text=" hello", timestamp=[0.0, 0.5]),
        AutomaticSpeechRecognitionOutputChunk(text=" world", timestamp=[0.5, 1.2]),
    ]
    assert isinstance(result.chunks[1], AutomaticSpeechRecognitionOutputChunk)


def test_asr_extra_body_of_nones_sends_raw_audio(run_task: TaskRunner) -> None:
    audio = wav_bytes()
    call = run_task(
        json_reply({"text": "hi"}),
        "automatic_speech_recognition",
        audio,
        model=MODEL,
        extra_body={"return_timestamps": None},
    )
    assert_raw_request(call.requests[0], URL, audio, "audio/wav")
    assert call.result.text == "hi"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (json_reply([{"text": "a"}]), "expected an object"),
        (bytes_reply(b"<html>oops</html>", "text/html"), "not JSON"),
        (json_reply({"text": "a", "chunks": {"text": "b"}}), r"\$\.chunks"),
    ],
)
def test_asr_wrong_answers_are_provider_errors(
    run_task: TaskRunner, reply: Handler, message: str
) -> None:
    with pytest.raises(ProviderError, match=message):
        run_task(reply, "automatic_speech_recognition", b"AUDIO", model=MODEL)


def test_asr_extra_body_must_be_a_dict(run_task: TaskRunner) -> None:
    handler, seen = recording(json_reply({"text": "a"}))
    with pytest.raises(RequestError, match="extra_body"):
        run_task(handler, "automatic_speech_recognition", b"AUDIO", model=MODEL, extra_body=[1])
    assert seen == []


# --- text_to_speech ----------------------------------------------------------------------------


def test_text_to_speech_returns_the_audio_bytes(run_task: TaskRunner) -> None:
    call = run_task(bytes_reply(FLAC, "audio/flac"), "text_to_speech", "Hello", model=MODEL)
    assert_json_request(call.requests[0], URL, {"inputs": "Hello", "parameters": {}})
    assert call.result == FLAC
    assert type(call.result) is bytes


def test_text_to_speech_sends_all_parameters_flat(run_task: TaskRunner) -> None:
    values: dict[str, Any] = {
        "do_sample": True,
        "early_stopping": "never",
        "epsilon_cutoff": 0.1,
        "eta_cutoff": 0.2,
        "max_length": 100,
        "max_new_tokens": 50,
        "min_length": 1,
        "min_new_tokens": 2,
        "num_beam_groups": 1,
        "num_beams": 3,
        "penalty_alpha": 0.6,
        "temperature": 0.7,
        "top_k": 40,
        "top_p": 0.9,
        "typical_p": 0.95,
        "use_cache": False,
    }
    call = run_task(
        bytes_reply(b"RIFF"),
        "text_to_speech",
        "Hello",
        model=MODEL,
        **values,
        extra_body={"speaker": "alice", "seed": None, "temperature": 0.2},
    )
    parameters = body_json(call.requests[0])["parameters"]
    assert list(parameters) == [*values, "speaker"]
    assert parameters == {**values, "temperature": 0.2, "speaker": "alice"}
    assert call.result == b"RIFF"


def test_text_to_speech_drops_none_and_keeps_false(run_task: TaskRunner) -> None:
    call = run_task(
        bytes_reply(b"x"), "text_to_speech", "Hi", model=MODEL, do_sample=False, early_stopping=True
    )
    expected = {"inputs": "Hi", "parameters": {"do_sample": False, "early_stopping": True}}
    assert_json_request(call.requests[0], URL, expected)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("",), {}, "empty"),
        (("   ",), {}, "empty"),
        ((b"Hello",), {}, "must be a str"),
        (("Hello",), {"extra_body": "speaker=alice"}, "extra_body"),
    ],
)
def test_text_to_speech_bad_input_sends_nothing(
    run_task: TaskRunner, args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    handler, seen = recording(bytes_reply(b"x"))
    with pytest.raises(RequestError, match=message):
        run_task(handler, "text_to_speech", *args, model=MODEL, **kwargs)
    assert seen == []


# --- Every task: routing -----------------------------------------------------------------------

ALL_CALLS = [
    ("audio_classification", b"AUDIO", json_reply(CLASSES)),
    ("audio_to_audio", b"AUDIO", json_reply(REPLIES["audio_to_audio"])),
    ("automatic_speech_recognition", b"AUDIO", json_reply({"text": "hello"})),
    ("text_to_speech", "Hello", bytes_reply(b"SPEECH")),
]


@pytest.mark.parametrize(("method", "inputs", "reply"), ALL_CALLS)
def test_url_model_is_posted_to_verbatim(
    run_task: TaskRunner, method: str, inputs: Any, reply: Handler
) -> None:
    call = run_task(reply, method, inputs, model="https://ep.example/")
    assert [(r.method, r.url) for r in call.requests] == [("POST", "https://ep.example/")]
    assert call.requests[0].header("authorization") == "Bearer hf_test"


@pytest.mark.parametrize(("method", "inputs", "reply"), ALL_CALLS)
def test_client_model_is_used_when_the_call_has_none(
    run_task: TaskRunner, method: str, inputs: Any, reply: Handler
) -> None:
    call = run_task(reply, method, inputs, client={"model": "org/client-model"})
    assert [r.url for r in call.requests] == [f"{ROUTER}/org/client-model"]


def test_no_model_uses_the_recommended_one(run_task: TaskRunner) -> None:
    tasks = {"automatic-speech-recognition": {"widgetModels": ["openai/whisper-large-v3"]}}

    def handler(request: Request) -> Response:
        if request.method == "GET":
            return json_reply(tasks)(request)
        return json_reply({"text": "hi"})(request)

    call = run_task(handler, "automatic_speech_recognition", b"AUDIO")
    get, post = call.requests
    assert (get.method, get.url.endswith("/api/tasks")) == ("GET", True)
    assert (post.method, post.url) == ("POST", f"{ROUTER}/openai/whisper-large-v3")
    assert call.result.text == "hi"


def test_error_status_is_a_provider_error(run_task: TaskRunner) -> None:
    reply = json_reply({"error": "Model is loading"}, status=503)
    with pytest.raises(ProviderError, match="Model is loading") as info:
        run_task(reply, "audio_classification", b"AUDIO", model=MODEL)
    assert info.value.status == 503


@pytest.mark.parametrize(("method", "inputs", "reply"), ALL_CALLS)
def test_unknown_keyword_is_a_type_error(
    run_task: TaskRunner, method: str, inputs: Any, reply: Handler
) -> None:
    handler, seen = recording(reply)
    with pytest.raises(TypeError, match="sampling_rate"):
        run_task(handler, method, inputs, model=MODEL, sampling_rate=16000)
    assert seen == []


# --- Audio inputs, every form, on every audio-input task ---------------------------------------


def _posted(call_requests: list[Request]) -> Request:
    (post,) = [r for r in call_requests if r.method == "POST"]
    return post


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
def test_input_bytes(run_task: TaskRunner, method: str) -> None:
    call = run_task(json_reply(REPLIES[method]), method, FLAC, model=MODEL)
    assert_raw_request(_posted(call.requests), URL, FLAC, "audio/flac")


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
def test_input_str_path(run_task: TaskRunner, method: str, tmp_path: Path) -> None:
    audio = wav_bytes()
    path = tmp_path / "speech.wav"
    path.write_bytes(audio)
    call = run_task(json_reply(REPLIES[method]), method, str(path), model=MODEL)
    assert_raw_request(_posted(call.requests), URL, audio, "audio/wav")


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
def test_input_pathlib_path(run_task: TaskRunner, method: str, tmp_path: Path) -> None:
    path = tmp_path / "speech.flac"
    path.write_bytes(FLAC)
    call = run_task(json_reply(REPLIES[method]), method, path, model=MODEL)
    assert_raw_request(_posted(call.requests), URL, FLAC, "audio/flac")


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
def test_input_url_is_downloaded_without_the_token(run_task: TaskRunner, method: str) -> None:
    audio = wav_bytes()
    source = "https://cdn.example/clips/speech.wav"

    def handler(request: Request) -> Response:
        if request.method == "GET":
            return bytes_reply(audio, "audio/wav")(request)
        return json_reply(REPLIES[method])(request)

    call = run_task(handler, method, source, model=MODEL)
    get, post = call.requests
    assert (get.method, get.url) == ("GET", source)
    assert get.header("authorization") is None
    assert get.body is None
    assert_raw_request(post, URL, audio, "audio/wav")
    assert source.encode() not in (post.body or b"")


def test_url_input_with_parameters_is_posted_as_base64(run_task: TaskRunner) -> None:
    def handler(request: Request) -> Response:
        if request.method == "GET":
            return bytes_reply(b"AUDIO")(request)
        return json_reply(CLASSES)(request)

    call = run_task(handler, "audio_classification", "http://cdn.example/a.flac", model=MODEL)
    assert call.requests[1].body == b"AUDIO"
    call = run_task(handler, "audio_classification", "http://cdn.example/a", model=MODEL, top_k=1)
    assert body_json(call.requests[1]) == {"inputs": AUDIO_B64, "parameters": {"top_k": 1}}


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
def test_input_binary_file_object(run_task: TaskRunner, method: str, tmp_path: Path) -> None:
    call = run_task(json_reply(REPLIES[method]), method, io.BytesIO(FLAC), model=MODEL)
    assert_raw_request(_posted(call.requests), URL, FLAC, "audio/flac")
    path = tmp_path / "speech.wav"
    path.write_bytes(wav_bytes())
    with path.open("rb") as file:
        call = run_task(json_reply(REPLIES[method]), method, file, model=MODEL)
    assert_raw_request(_posted(call.requests), URL, wav_bytes(), "audio/wav")


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
def test_input_pil_image_is_sent_as_png(run_task: TaskRunner, method: str) -> None:
    from PIL import Image

    call = run_task(json_reply(REPLIES[method]), method, Image.new("RGB", (3, 2)), model=MODEL)
    post = _posted(call.requests)
    assert post.header("content-type") == "image/png"
    assert post.body is not None
    assert Image.open(io.BytesIO(post.body)).size == (3, 2)


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
@pytest.mark.parametrize(
    ("audio", "message"),
    [
        (12345, "must be bytes"),
        (["a.wav"], "must be bytes"),
        (None, "must be bytes"),
        (b"", "empty"),
        ("", "empty"),
    ],
)
def test_bad_audio_sends_nothing(
    run_task: TaskRunner, method: str, audio: Any, message: str
) -> None:
    handler, seen = recording(json_reply(REPLIES[method]))
    with pytest.raises(RequestError, match=message):
        run_task(handler, method, audio, model=MODEL)
    assert seen == []


@pytest.mark.parametrize("method", AUDIO_INPUT_TASKS)
def test_unreadable_path_sends_nothing(run_task: TaskRunner, method: str, tmp_path: Path) -> None:
    handler, seen = recording(json_reply(REPLIES[method]))
    missing = tmp_path / "missing.wav"
    with pytest.raises(RequestError, match="cannot read input file"):
        run_task(handler, method, str(missing), model=MODEL)
    with pytest.raises(RequestError, match="cannot read input file"):
        run_task(handler, method, missing, model=MODEL)
    assert seen == []


# --- The methods themselves --------------------------------------------------------------------

SIGNATURES = {
    "audio_classification": ["audio", "model", "top_k", "function_to_apply"],
    "audio_to_audio": ["audio", "model"],
    "automatic_speech_recognition": ["audio", "model", "extra_body"],
    "text_to_speech": [
        "text",
        "model",
        "do_sample",
        "early_stopping",
        "epsilon_cutoff",
        "eta_cutoff",
        "max_length",
        "max_new_tokens",
        "min_length",
        "min_new_tokens",
        "num_beam_groups",
        "num_beams",
        "penalty_alpha",
        "temperature",
        "top_k",
        "top_p",
        "typical_p",
        "use_cache",
        "extra_body",
    ],
}


@pytest.mark.parametrize("client_class", [InferenceClient, AsyncInferenceClient])
@pytest.mark.parametrize(("method", "names"), SIGNATURES.items())
def test_methods_have_the_reference_signature(
    client_class: type[Any], method: str, names: list[str]
) -> None:
    bound = getattr(client_class("http://h"), method)
    parameters = [  # without the call options every method has (test_reference_signatures)
        p
        for p in inspect.signature(bound).parameters.values()
        if p.name not in ("deadline", "max_retries")
    ]
    assert [p.name for p in parameters] == names
    assert parameters[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert parameters[0].default is inspect.Parameter.empty
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters[1:])
    assert all(p.default is None for p in parameters[1:])
    assert bound.__name__ == method
    assert bound.__doc__ is not None and "Returns:" in bound.__doc__
    assert inspect.iscoroutinefunction(bound) is (client_class is AsyncInferenceClient)


def test_types_read_like_the_reference() -> None:
    output = AudioToAudioOutputElement(blob=b"OUT", content_type="audio/flac", label="l")
    assert output == {"blob": b"OUT", "content_type": "audio/flac", "label": "l"}
    assert list(output) == ["blob", "content_type", "label"]
    chunk = AutomaticSpeechRecognitionOutputChunk(text="a", timestamp=[0.0, 1.0])
    asr = AutomaticSpeechRecognitionOutput(text="a", chunks=[chunk])
    assert json.loads(json.dumps(asr.to_dict())) == {
        "text": "a",
        "chunks": [{"text": "a", "timestamp": [0.0, 1.0]}],
    }
    assert list(AudioClassificationOutputElement()) == ["label", "score"]
    assert AudioClassificationOutputElement().label is None
