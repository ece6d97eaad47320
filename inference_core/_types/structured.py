"""Output and input types of the structured tasks (feature_extraction,
sentence_similarity, table_question_answering, tabular_classification, tabular_regression,
document_question_answering, visual_question_answering).

Strategy: same conventions as ``chat_completion.py`` (huggingface_hub's class names, field names
and field order: required fields first, then optional ones, each group alphabetical; every field
defaults to None; required fields annotated without ``Optional``). feature_extraction,
sentence_similarity and the two tabular tasks return plain values (an array, lists), so they
have no output class; their input-side ``Literal`` aliases are here.
"""

from typing import Literal, Optional

import attrs
from attrs import field

from ._base import BaseInferenceType

__all__ = [
    "DocumentQuestionAnsweringOutputElement",
    "FeatureExtractionInputTruncationDirection",
    "Padding",
    "TableQuestionAnsweringOutputElement",
    "VisualQuestionAnsweringOutputElement",
]

FeatureExtractionInputTruncationDirection = Literal["Left", "Right"]
"""Which side of the input ``feature_extraction`` truncates when ``truncate=True``."""
Padding = Literal["do_not_pad", "longest", "max_length"]
"""The padding strategy of ``table_question_answering``."""


@attrs.define
class DocumentQuestionAnsweringOutputElement(BaseInferenceType):
    """One answer found in a document image, with its word span and its score."""

    answer: str = field(default=None)
    end: int = field(default=None)
    score: float = field(default=None)
    start: int = field(default=None)


@attrs.define
class TableQuestionAnsweringOutputElement(BaseInferenceType):
    """The answer to a question about a table: the cells it came from and how they combine."""

    answer: str = field(default=None)
    cells: list[str] = field(default=None)
    coordinates: list[list[int]] = field(default=None)
    aggregator: Optional[str] = None


@attrs.define
class VisualQuestionAnsweringOutputElement(BaseInferenceType):
    """One candidate answer to a question about an image, with its score."""

    score: float = field(default=None)
    answer: Optional[str] = None
