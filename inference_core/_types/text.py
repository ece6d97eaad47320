"""Output and input types of the text tasks (fill_mask, question_answering,
summarization, text_classification, token_classification, translation, zero_shot_classification).

Strategy: same conventions as ``chat_completion.py``: huggingface_hub's class names, field names
and field order (required fields first, then optional ones, each group alphabetical), every
field defaulting to None, required fields annotated without ``Optional``. The ``Literal``
aliases are the reference's names for the string options of the task methods.
"""

from typing import Any, Literal, Optional

from ._base import NONE, BaseInferenceType, inference_type

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


@inference_type
class FillMaskOutputElement(BaseInferenceType):
    """One candidate for the masked token: the filled sequence, the token and its score."""

    score: float = NONE
    sequence: str = NONE
    token: int = NONE
    token_str: Any = None
    fill_mask_output_token_str: Optional[str] = None


@inference_type
class QuestionAnsweringOutputElement(BaseInferenceType):
    """An answer span of the context: its text, character offsets and score."""

    answer: str = NONE
    end: int = NONE
    score: float = NONE
    start: int = NONE


@inference_type
class SummarizationOutput(BaseInferenceType):
    """The summary of the input text."""

    summary_text: str = NONE


@inference_type
class TextClassificationOutputElement(BaseInferenceType):
    """A label and its score."""

    label: str = NONE
    score: float = NONE


@inference_type
class TokenClassificationOutputElement(BaseInferenceType):
    """A recognized entity: the word, its character offsets, score and label.

    ``entity_group`` is set when the model aggregates tokens (``aggregation_strategy`` other
    than ``"none"``), ``entity`` when it does not.
    """

    end: int = NONE
    score: float = NONE
    start: int = NONE
    word: str = NONE
    entity: Optional[str] = None
    entity_group: Optional[str] = None


@inference_type
class TranslationOutput(BaseInferenceType):
    """The translated text."""

    translation_text: str = NONE


@inference_type
class ZeroShotClassificationOutputElement(BaseInferenceType):
    """A candidate label and its score."""

    label: str = NONE
    score: float = NONE
