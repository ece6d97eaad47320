"""Audio task plans and their client methods: audio_classification, audio_to_audio,
automatic_speech_recognition, text_to_speech.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit. The three audio-input tasks read
their input first (a wrong type fails before any I/O), then resolve the model, then send the
binary task body of spec tasks.md §1.3: the raw audio (with a Content-Type sniffed from its
bytes) when no parameter is set, else ``{"inputs": b64(audio), "parameters": {...}}`` as JSON.
``text_to_speech`` is a JSON task whose answer is the audio itself.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from .._boundary import Response
from .._config import ClientConfig
from .._contract import AUTOMATIC_SPEECH_RECOGNITION, TEXT_TO_SPEECH
from .._converter import structure, structure_list
from .._errors import ProviderError, RequestError
from .._facade import async_method, sync_method
from .._plan import Plan
from .._resolve import resolve
from .._types import (
    AudioClassificationOutputElement,
    AudioClassificationOutputTransform,
    AudioToAudioOutputElement,
    AutomaticSpeechRecognitionOutput,
    TextToSpeechEarlyStoppingEnum,
)
from ._inputs import ContentT, check_content, check_text, read_content
from ._requests import binary_task

__all__ = [
    "AsyncAudioTasks",
    "SyncAudioTasks",
    "audio_classification",
    "audio_to_audio",
    "automatic_speech_recognition",
    "text_to_speech",
]

_TRANSFORMS = ("sigmoid", "softmax", "none")


def audio_classification(
    config: ClientConfig,
    /,
    audio: ContentT,
    *,
    model: str | None = None,
    top_k: int | None = None,
    function_to_apply: AudioClassificationOutputTransform | None = None,
) -> Plan[list[AudioClassificationOutputElement]]:
    """Classify an audio clip (sound events, emotions, spoken language...).

    Sends the raw audio, or ``{"inputs": <base64 audio>, "parameters": {...}}`` as JSON when
    ``top_k`` or ``function_to_apply`` is set. Unlike huggingface_hub, binary file objects
    (and PIL images, as PNG) are accepted too, and the body carries a Content-Type (sniffed
    from the audio bytes, or ``application/json``).

    Args:
        audio: the audio: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), or a binary file object.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        top_k: return only the ``top_k`` most likely classes (a positive int).
        function_to_apply: how scores are computed from the logits: ``"sigmoid"``,
            ``"softmax"`` or ``"none"``.

    Returns:
        ``list[AudioClassificationOutputElement]``, most likely first, each with a ``label`` and
        a ``score``.

    Raises:
        RequestError: a ``top_k`` that is not a positive int, an unknown ``function_to_apply``
            or an unreadable input, before any request (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of labels.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.audio_classification("speech.wav")
        >>> out[0].label, out[0].score
        ('Speech', 0.9312)
        >>> [element.label for element in client.audio_classification("speech.wav", top_k=2)]
        ['Speech', 'Music']
    """
    _check_top_k(top_k)
    if function_to_apply is not None and function_to_apply not in _TRANSFORMS:
        raise RequestError(
            f"`function_to_apply` must be one of {', '.join(map(repr, _TRANSFORMS))},"
            f" got {function_to_apply!r}"
        )
    content = yield from read_content(audio, argument="audio", timeout=config.timeout)
    parameters = {"function_to_apply": function_to_apply, "top_k": top_k}
    response = yield from binary_task(config, model, "audio-classification", content, parameters)
    return structure_list(response.json(), AudioClassificationOutputElement)


def audio_to_audio(
    config: ClientConfig,
    /,
    audio: ContentT,
    *,
    model: str | None = None,
) -> Plan[list[AudioToAudioOutputElement]]:
    """Turn an audio clip into one or more audio clips (speech enhancement, source separation).

    Sends the raw audio (with a Content-Type sniffed from its bytes). The server answers with
    a list of ``{"label", "content-type", "blob"}`` where ``blob`` is base64; the client
    decodes it. Unlike huggingface_hub, binary file objects (and PIL images, as PNG) are
    accepted too, and the raw body carries a Content-Type.

    Args:
        audio: the audio: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), or a binary file object.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.

    Returns:
        ``list[AudioToAudioOutputElement]``: each output's ``label``, ``content_type`` (such
        as ``"audio/flac"``) and ``blob`` (the audio bytes, decoded).

    Raises:
        RequestError: an unreadable input, before any request (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of audios with base64 blobs.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> for output in client.audio_to_audio("speech.wav"):
        ...     print(output.label, output.content_type)
        ...     with open(f"{output.label}.wav", "wb") as file:
        ...         _ = file.write(output.blob)
        speech_enhanced audio/wav
    """
    content = yield from read_content(audio, argument="audio", timeout=config.timeout)
    response = yield from binary_task(config, model, "audio-to-audio", content, {})
    data = response.json()
    if isinstance(data, list):
        data = [_normalize_keys(item) if isinstance(item, Mapping) else item for item in data]
    outputs = structure_list(data, AudioToAudioOutputElement)
    for index, output in enumerate(outputs):
        output.blob = _decode_blob(output.blob, index, response)
    return outputs


def automatic_speech_recognition(
    config: ClientConfig,
    /,
    audio: ContentT,
    *,
    model: str | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Plan[AutomaticSpeechRecognitionOutput]:
    """Transcribe speech to text.

    Sends the raw audio, or, when ``extra_body`` has values,
    ``{"inputs": <base64 audio>, "parameters": extra_body}`` as JSON. Unlike huggingface_hub,
    binary file objects (and PIL images, as PNG) are accepted too, the body carries a
    Content-Type (sniffed from the audio bytes, or ``application/json``), and a list answer is
    a ProviderError rather than a ValueError.

    Args:
        audio: the audio: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), or a binary file object.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        extra_body: model options sent as ``"parameters"``, for example
            ``{"return_timestamps": True}`` (``None`` values are not sent).

    Returns:
        ``AutomaticSpeechRecognitionOutput``: the ``text``, and timestamped ``chunks`` (each a
        ``text`` and a ``timestamp``, ``[start, end]`` in seconds) when the model returns them.

    Raises:
        RequestError: an ``extra_body`` that is not a dict, or an unreadable input, before any
            request (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a transcription object (a list included).
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> client.automatic_speech_recognition("speech.wav").text
        'Hello, my name is Clara.'
        >>> out = client.automatic_speech_recognition(
        ...     "speech.wav", extra_body={"return_timestamps": True}
        ... )
        >>> [(chunk.text, chunk.timestamp) for chunk in out.chunks]
        [(' Hello,', [0.0, 0.6]), (' my name is Clara.', [0.6, 1.8])]
    """
    parameters = _check_extra_body(extra_body)
    check_content(audio, "audio")
    route = yield from resolve(config, model or config.model, AUTOMATIC_SPEECH_RECOGNITION)
    result = yield from route.adapter(route, audio, parameters)
    return structure(result, AutomaticSpeechRecognitionOutput)


def text_to_speech(
    config: ClientConfig,
    /,
    text: str,
    *,
    model: str | None = None,
    do_sample: bool | None = None,
    early_stopping: bool | TextToSpeechEarlyStoppingEnum | None = None,
    epsilon_cutoff: float | None = None,
    eta_cutoff: float | None = None,
    max_length: int | None = None,
    max_new_tokens: int | None = None,
    min_length: int | None = None,
    min_new_tokens: int | None = None,
    num_beam_groups: int | None = None,
    num_beams: int | None = None,
    penalty_alpha: float | None = None,
    temperature: float | None = None,
    top_k: int | None = None,
    top_p: float | None = None,
    typical_p: float | None = None,
    use_cache: bool | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Plan[bytes]:
    """Synthesize speech from text.

    Sends ``{"inputs": text, "parameters": {...}}`` as JSON: the generation options and then
    ``extra_body``, all flat in ``"parameters"`` (``None`` values are not sent).

    Args:
        text: the text to speak.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        do_sample: sample instead of greedy decoding.
        early_stopping: beam-search stopping rule: ``True`` (stop when ``num_beams`` complete
            candidates exist), ``False`` (a heuristic) or ``"never"`` (only when no better
            candidate can appear).
        epsilon_cutoff: epsilon sampling: only sample tokens whose probability is above this
            value (strictly between 0 and 1; around 3e-4 to 9e-4).
        eta_cutoff: eta sampling: like ``epsilon_cutoff``, with a cutoff that also depends on
            the entropy of the next-token distribution (strictly between 0 and 1).
        max_length: the maximum length of the generated sequence, in tokens, input included.
        max_new_tokens: the maximum number of tokens to generate (wins over ``max_length``).
        min_length: the minimum length of the generated sequence, in tokens, input included.
        min_new_tokens: the minimum number of tokens to generate (wins over ``min_length``).
        num_beam_groups: split ``num_beams`` into this many groups, for diverse beam search.
        num_beams: the number of beams for beam search (1: no beam search).
        penalty_alpha: contrastive search: how much the degeneration penalty weighs against
            the model's confidence.
        temperature: the sampling temperature (lower: more predictable).
        top_k: keep only the ``top_k`` most likely tokens when sampling.
        top_p: nucleus sampling: keep the most likely tokens up to this total probability.
        typical_p: typical sampling: keep the tokens whose probability is closest to the
            expected one, up to this total probability.
        use_cache: let the model use its past key/value cache to speed up decoding.
        extra_body: more model options, merged into ``"parameters"`` last (they win).

    Returns:
        ``bytes``: the audio exactly as the server sent it (often FLAC or WAV).

    Raises:
        RequestError: an empty ``text``, or an ``extra_body`` that is not a dict, before any
            request (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``).
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> audio = client.text_to_speech("Hello world")
        >>> audio[:4], audio[8:12]
        (b'RIFF', b'WAVE')
        >>> with open("hello_world.wav", "wb") as file:
        ...     _ = file.write(audio)
    """
    check_text(text, "text")
    extra = _check_extra_body(extra_body)
    parameters: dict[str, Any] = {
        "do_sample": do_sample,
        "early_stopping": early_stopping,
        "epsilon_cutoff": epsilon_cutoff,
        "eta_cutoff": eta_cutoff,
        "max_length": max_length,
        "max_new_tokens": max_new_tokens,
        "min_length": min_length,
        "min_new_tokens": min_new_tokens,
        "num_beam_groups": num_beam_groups,
        "num_beams": num_beams,
        "penalty_alpha": penalty_alpha,
        "temperature": temperature,
        "top_k": top_k,
        "top_p": top_p,
        "typical_p": typical_p,
        "use_cache": use_cache,
        **extra,
    }
    route = yield from resolve(config, model or config.model, TEXT_TO_SPEECH)
    return (yield from route.adapter(route, text, parameters))


def _check_top_k(top_k: Any) -> None:
    if top_k is not None and (type(top_k) is not int or top_k < 1):
        raise RequestError(f"`top_k` must be a positive int, got {top_k!r}")


def _check_extra_body(extra_body: Any) -> dict[str, Any]:
    if extra_body is None:
        return {}
    if not isinstance(extra_body, Mapping):
        kind = type(extra_body).__name__
        raise RequestError(f"`extra_body` must be a dict of parameters, got {kind}")
    return dict(extra_body)


def _normalize_keys(item: Mapping[str, Any]) -> dict[str, Any]:
    """huggingface_hub's key rule: lower-case, ``-`` and spaces become ``_``."""
    return {str(key).lower().replace("-", "_").replace(" ", "_"): v for key, v in item.items()}


def _decode_blob(blob: Any, index: int, response: Response) -> Any:
    if blob is None:
        return None
    if isinstance(blob, str):
        try:
            return base64.b64decode(blob)
        except (binascii.Error, ValueError):
            pass
    raise ProviderError(
        f"unexpected response shape for list[AudioToAudioOutputElement]: `blob` is not base64"
        f" text @ $[{index}].blob",
        response=response,
    )


class SyncAudioTasks:
    """Audio task methods of ``InferenceClient``."""

    audio_classification = sync_method(audio_classification)
    audio_to_audio = sync_method(audio_to_audio)
    automatic_speech_recognition = sync_method(automatic_speech_recognition)
    text_to_speech = sync_method(text_to_speech)


class AsyncAudioTasks:
    """Audio task methods of ``AsyncInferenceClient``."""

    audio_classification = async_method(audio_classification)
    audio_to_audio = async_method(audio_to_audio)
    automatic_speech_recognition = async_method(automatic_speech_recognition)
    text_to_speech = async_method(text_to_speech)
