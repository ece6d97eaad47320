"""Output and input types of the audio tasks (audio_classification, audio_to_audio,
automatic_speech_recognition, text_to_speech).

Strategy: one ``@inference_type`` dataclass (a ``dict`` subclass, see ``_base.py``) per JSON
object, with huggingface_hub's class names, field names and field order (required fields first,
then optional ones, each group alphabetical). Every field defaults to None; fields the server
must send are annotated without ``Optional`` and default to ``NONE`` (as in the reference). Leaf
classes come first so that every annotation is a real class when cattrs reads it.
``TextToSpeechOutput`` and ``TextToAudioOutput`` are exported for compatibility only: no method
returns them (``text_to_speech`` returns the audio bytes).
"""

from typing import Any, Literal, Optional

from ._base import NONE, BaseInferenceType, inference_type

__all__ = [
    "AudioClassificationOutputElement",
    "AudioClassificationOutputTransform",
    "AudioToAudioOutputElement",
    "AutomaticSpeechRecognitionEarlyStoppingEnum",
    "AutomaticSpeechRecognitionOutput",
    "AutomaticSpeechRecognitionOutputChunk",
    "TextToAudioEarlyStoppingEnum",
    "TextToAudioOutput",
    "TextToSpeechEarlyStoppingEnum",
    "TextToSpeechOutput",
]

AudioClassificationOutputTransform = Literal["sigmoid", "softmax", "none"]
AutomaticSpeechRecognitionEarlyStoppingEnum = Literal["never"]
TextToAudioEarlyStoppingEnum = Literal["never"]
TextToSpeechEarlyStoppingEnum = Literal["never"]


@inference_type
class AudioClassificationOutputElement(BaseInferenceType):
    """A predicted class of an audio input, with its score."""

    label: str = NONE
    score: float = NONE


@inference_type
class AudioToAudioOutputElement(BaseInferenceType):
    """One output audio of an audio-to-audio model.

    ``blob`` holds the audio bytes: the server sends them base64-encoded under ``blob`` and the
    client decodes them; ``content_type`` is the server's ``content-type`` key.
    """

    blob: Any = None
    content_type: str = NONE
    label: str = NONE


@inference_type
class AutomaticSpeechRecognitionOutputChunk(BaseInferenceType):
    """A transcribed segment with its start and end time, in seconds."""

    text: str = NONE
    timestamp: list[float] = NONE


@inference_type
class AutomaticSpeechRecognitionOutput(BaseInferenceType):
    """A transcription, with its timestamped chunks when the model returns them."""

    text: str = NONE
    chunks: Optional[list[AutomaticSpeechRecognitionOutputChunk]] = None


@inference_type
class TextToAudioOutput(BaseInferenceType):
    """A generated audio and its sampling rate (exported for compatibility; unused)."""

    audio: Any = None
    sampling_rate: float = NONE


@inference_type
class TextToSpeechOutput(BaseInferenceType):
    """A generated speech audio (exported for compatibility; ``text_to_speech`` returns bytes)."""

    audio: Any = None
    sampling_rate: Optional[float] = None
