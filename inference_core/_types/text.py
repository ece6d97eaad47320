"""Output and input types of the text tasks (fill_mask, question_answering,
summarization, text_classification, token_classification, translation, zero_shot_classification).

Strategy: same conventions as ``chat_completion.py``: huggingface_hub's class names, field names
and field order (required fields first, then optional ones, each group alphabetical), every
field defaulting to None, required fields annotated without ``Optional``. The ``Literal``
aliases are the reference's names for the string options of the task methods.
"""

from typing import Any, Literal, Optional

import attrs
from attrs import field

from ._base import BaseInferenceType

__all__ = [
    "FillMaskOutputElement",
    "QuestionAnsweringOutputElement",
    "SummarizationOutput",
    "SummarizationTruncationStrategy",
    "TextClassificationOutputElement",
    "TextClassificationOutputTransform",
    "TokenClassificationAggregationStrategy",
    "TokenClassificationOutputElement",
    "TranslationOutput",
    "TranslationTruncationStrategy",
    "ZeroShotClassificationOutputElement",
]

SummarizationTruncationStrategy = Literal[
    "do_not_truncate", "longest_first", "only_first", "only_second"
]
TranslationTruncationStrategy = Literal[
    "do_not_truncate", "longest_first", "only_first", "only_second"
]
TextClassificationOutputTransform = Literal["sigmoid", "softmax", "none"]
TokenClassificationAggregationStrategy = Literal["none", "simple", "first", "average", "max"]


@attrs.define
class FillMaskOutputElement(BaseInferenceType):
    """One candidate for the masked token: the filled sequence, the token and its score."""

    score: float = field(default=None)
    sequence: str = field(default=None)
    token: int = field(default=None)
    token_str: Any = None
    fill_mask_output_token_str: Optional[str] = None


@attrs.define
class QuestionAnsweringOutputElement(BaseInferenceType):
    """An answer span of the context: its text, character offsets and score."""

    answer: str = field(default=None)
    end: int = field(default=None)
    score: float = field(default=None)
    start: int = field(default=None)


@attrs.define
class SummarizationOutput(BaseInferenceType):
    """The summary of the input text."""

    summary_text: str = field(default=None)


@attrs.define
class TextClassificationOutputElement(BaseInferenceType):
    """A label and its score."""

    label: str = field(default=None)
    score: float = field(default=None)


@attrs.define
class TokenClassificationOutputElement(BaseInferenceType):
    """A recognized entity: the word, its character offsets, score and label.

    ``entity_group`` is set when the model aggregates tokens (``aggregation_strategy`` other
    than ``"none"``), ``entity`` when it does not.
    """

    end: int = field(default=None)
    score: float = field(default=None)
    start: int = field(default=None)
    word: str = field(default=None)
    entity: Optional[str] = None
    entity_group: Optional[str] = None


@attrs.define
class TranslationOutput(BaseInferenceType):
    """The translated text."""

    translation_text: str = field(default=None)


@attrs.define
class ZeroShotClassificationOutputElement(BaseInferenceType):
    """A candidate label and its score."""

    label: str = field(default=None)
    score: float = field(default=None)
