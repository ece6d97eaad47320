"""The text-generation types: TGI's output, ``details``, stream events and the grammar input.

Strategy: same conventions as ``chat_completion.py`` (huggingface_hub's names and field order,
every field defaulting to None, required fields annotated without ``Optional``). One deliberate
improvement: ``top_tokens`` (a list of lists of tokens) is parsed into token objects, where the
reference left raw dicts.
"""

from typing import Any, Literal, Optional

from ._base import NONE, BaseInferenceType, inference_type

__all__ = [
    "TextGenerationOutput",
    "TextGenerationOutputDetails",
    "TextGenerationOutputBestOfSequence",
    "TextGenerationOutputPrefillToken",
    "TextGenerationOutputToken",
    "TextGenerationOutputFinishReason",
    "TextGenerationStreamOutput",
    "TextGenerationStreamOutputToken",
    "TextGenerationStreamOutputStreamDetails",
    "TextGenerationInputGrammarType",
    "TypeEnum",
]

TextGenerationOutputFinishReason = Literal["length", "eos_token", "stop_sequence"]
TypeEnum = Literal["json", "regex", "json_schema"]


@inference_type
class TextGenerationOutputPrefillToken(BaseInferenceType):
    """A prompt token, as reported with ``decoder_input_details``."""

    id: int = NONE
    logprob: float = NONE
    text: str = NONE


@inference_type
class TextGenerationOutputToken(BaseInferenceType):
    """A generated token (``special`` is True for tokens such as ``</s>``)."""

    id: int = NONE
    logprob: float = NONE
    special: bool = NONE
    text: str = NONE


@inference_type
class TextGenerationOutputBestOfSequence(BaseInferenceType):
    """One of the extra sequences generated with ``best_of``."""

    finish_reason: str = NONE
    generated_text: str = NONE
    generated_tokens: int = NONE
    prefill: list[TextGenerationOutputPrefillToken] = NONE
    tokens: list[TextGenerationOutputToken] = NONE
    seed: Optional[int] = None
    top_tokens: Optional[list[list[TextGenerationOutputToken]]] = None


@inference_type
class TextGenerationOutputDetails(BaseInferenceType):
    """Generation details returned with ``details=True``."""

    finish_reason: str = NONE
    generated_tokens: int = NONE
    prefill: list[TextGenerationOutputPrefillToken] = NONE
    tokens: list[TextGenerationOutputToken] = NONE
    best_of_sequences: Optional[list[TextGenerationOutputBestOfSequence]] = None
    seed: Optional[int] = None
    top_tokens: Optional[list[list[TextGenerationOutputToken]]] = None


@inference_type
class TextGenerationOutput(BaseInferenceType):
    """The result of a non-streamed text generation."""

    generated_text: str = NONE
    details: Optional[TextGenerationOutputDetails] = None


@inference_type
class TextGenerationStreamOutputToken(BaseInferenceType):
    """The token carried by one stream event."""

    id: int = NONE
    logprob: float = NONE
    special: bool = NONE
    text: str = NONE


@inference_type
class TextGenerationStreamOutputStreamDetails(BaseInferenceType):
    """Details sent with the last stream event."""

    finish_reason: str = NONE
    generated_tokens: int = NONE
    input_length: int = NONE
    seed: Optional[int] = None


@inference_type
class TextGenerationStreamOutput(BaseInferenceType):
    """One stream event; the last one also carries ``generated_text`` and ``details``."""

    index: int = NONE
    token: TextGenerationStreamOutputToken = NONE
    details: Optional[TextGenerationStreamOutputStreamDetails] = None
    generated_text: Optional[str] = None
    top_tokens: Optional[list[TextGenerationStreamOutputToken]] = None


@inference_type
class TextGenerationInputGrammarType(BaseInferenceType):
    """A grammar constraint: ``type`` is ``"json"``, ``"regex"`` or ``"json_schema"``."""

    type: str = NONE
    value: Any = None
