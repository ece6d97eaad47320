"""The text-generation types: TGI's output, ``details``, stream events and the grammar input.

Strategy: same conventions as ``chat_completion.py`` (huggingface_hub's names and field order,
every field defaulting to None, required fields annotated without ``Optional``). One deliberate
improvement: ``top_tokens`` (a list of lists of tokens) is parsed into token objects, where the
reference left raw dicts.
"""

from typing import Any, Literal, Optional

import attrs
from attrs import field

from ._base import BaseInferenceType

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


@attrs.define
class TextGenerationOutputPrefillToken(BaseInferenceType):
    """A prompt token, as reported with ``decoder_input_details``."""

    id: int = field(default=None)
    logprob: float = field(default=None)
    text: str = field(default=None)


@attrs.define
class TextGenerationOutputToken(BaseInferenceType):
    """A generated token (``special`` is True for tokens such as ``</s>``)."""

    id: int = field(default=None)
    logprob: float = field(default=None)
    special: bool = field(default=None)
    text: str = field(default=None)


@attrs.define
class TextGenerationOutputBestOfSequence(BaseInferenceType):
    """One of the extra sequences generated with ``best_of``."""

    finish_reason: str = field(default=None)
    generated_text: str = field(default=None)
    generated_tokens: int = field(default=None)
    prefill: list[TextGenerationOutputPrefillToken] = field(default=None)
    tokens: list[TextGenerationOutputToken] = field(default=None)
    seed: Optional[int] = None
    top_tokens: Optional[list[list[TextGenerationOutputToken]]] = None


@attrs.define
class TextGenerationOutputDetails(BaseInferenceType):
    """Generation details returned with ``details=True``."""

    finish_reason: str = field(default=None)
    generated_tokens: int = field(default=None)
    prefill: list[TextGenerationOutputPrefillToken] = field(default=None)
    tokens: list[TextGenerationOutputToken] = field(default=None)
    best_of_sequences: Optional[list[TextGenerationOutputBestOfSequence]] = None
    seed: Optional[int] = None
    top_tokens: Optional[list[list[TextGenerationOutputToken]]] = None


@attrs.define
class TextGenerationOutput(BaseInferenceType):
    """The result of a non-streamed text generation."""

    generated_text: str = field(default=None)
    details: Optional[TextGenerationOutputDetails] = None


@attrs.define
class TextGenerationStreamOutputToken(BaseInferenceType):
    """The token carried by one stream event."""

    id: int = field(default=None)
    logprob: float = field(default=None)
    special: bool = field(default=None)
    text: str = field(default=None)


@attrs.define
class TextGenerationStreamOutputStreamDetails(BaseInferenceType):
    """Details sent with the last stream event."""

    finish_reason: str = field(default=None)
    generated_tokens: int = field(default=None)
    input_length: int = field(default=None)
    seed: Optional[int] = None


@attrs.define
class TextGenerationStreamOutput(BaseInferenceType):
    """One stream event; the last one also carries ``generated_text`` and ``details``."""

    index: int = field(default=None)
    token: TextGenerationStreamOutputToken = field(default=None)
    details: Optional[TextGenerationStreamOutputStreamDetails] = None
    generated_text: Optional[str] = None
    top_tokens: Optional[list[TextGenerationStreamOutputToken]] = None


@attrs.define
class TextGenerationInputGrammarType(BaseInferenceType):
    """A grammar constraint: ``type`` is ``"json"``, ``"regex"`` or ``"json_schema"``."""

    type: str = field(default=None)
    value: Any = None
