"""DeepInfra: OpenAI-compatible APIs under ``https://api.deepinfra.com/v1/openai``.

Added to Hugging Face's Inference Providers after huggingface_hub v0.33.5 (spec providers.md
Appendix A.2):

* conversational: ``/v1/openai/chat/completions``;
* text-generation: ``/v1/openai/completions``, ``max_new_tokens`` sent as ``max_tokens``, the
  answer (and stream events) converted to TGI's shapes;
* feature-extraction: ``/v1/openai/embeddings``;
* text-to-speech: ``{"input", **parameters, "model"}`` to ``/v1/openai/audio/speech``; the
  answer is the audio;
* automatic-speech-recognition: ``/v1/openai/audio/transcriptions`` with a
  ``multipart/form-data`` body: a ``file`` part (``audio.<ext>``, the extension from the
  sniffed MIME type, ``.wav`` if unknown), then the parameters as form fields, ``model`` last.
  The answer ``{"text", "segments"?}`` becomes ``{"text", "chunks": [{"text", "timestamp":
  [start, end]}]}``.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    AUTOMATIC_SPEECH_RECOGNITION,
    CONVERSATIONAL,
    FEATURE_EXTRACTION,
    TEXT_GENERATION,
    TEXT_TO_SPEECH,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    read_content,
    send,
    sniff_content_type,
)

from ._multipart import form_data
from ._openai import chat, completions, embeddings

NAME = "deepinfra"
_OPENAI = "/v1/openai"


def _text_to_speech(route: Route[Any], text: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """``{"input", **parameters, "model"}`` to the speech API; the audio bytes."""
    payload = {"input": text, **filter_none(parameters), "model": route.provider_id}
    response = yield from send(route.post_json(f"{_OPENAI}/audio/speech", payload))
    return response.body


def _automatic_speech_recognition(
    route: Route[Any], audio: Any, parameters: dict[str, Any]
) -> Plan[dict[str, Any]]:
    """The audio as a multipart upload; the transcription with its segments as chunks."""
    content = yield from read_content(audio, argument="audio", timeout=route.timeout)
    fields = {**filter_none(parameters), "model": route.provider_id}
    body, content_type = form_data("file", "audio", content, sniff_content_type(content), fields)
    request = route.post(f"{_OPENAI}/audio/transcriptions", body, content_type)
    response = yield from send(request)
    data = response.json()
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ProviderError(
            f"{NAME} answered without a transcription `text`: {response.text[:200]}",
            response=response,
        )
    result: dict[str, Any] = {"text": data["text"]}
    segments = data.get("segments")
    if isinstance(segments, list):
        result["chunks"] = [
            {"text": segment.get("text"), "timestamp": [segment.get("start"), segment.get("end")]}
            for segment in segments
            if isinstance(segment, dict)
        ]
    return result


PROVIDER = Provider(
    name=NAME,
    base_url="https://api.deepinfra.com",
    tasks=[
        CONVERSATIONAL.use(chat(f"{_OPENAI}/chat/completions")),
        TEXT_GENERATION.use(completions(f"{_OPENAI}/completions")),
        FEATURE_EXTRACTION.use(embeddings(f"{_OPENAI}/embeddings")),
        TEXT_TO_SPEECH.use(_text_to_speech),
        AUTOMATIC_SPEECH_RECOGNITION.use(_automatic_speech_recognition),
    ],
)
