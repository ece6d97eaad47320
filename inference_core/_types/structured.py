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

from ._base import NONE, BaseInferenceType, inference_type

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


@inference_type
class DocumentQuestionAnsweringOutputElement(BaseInferenceType):
    """One answer found in a document image, with its word span and its score."""

    answer: str = NONE
    end: int = NONE
    score: float = NONE
    start: int = NONE


@inference_type
class TableQuestionAnsweringOutputElement(BaseInferenceType):
    """The answer to a question about a table: the cells it came from and how they combine."""

    answer: str = NONE
    cells: list[str] = NONE
    coordinates: list[list[int]] = NONE
    aggregator: Optional[str] = None


@inference_type
class VisualQuestionAnsweringOutputElement(BaseInferenceType):
    """One candidate answer to a question about an image, with its score."""

    score: float = NONE
    answer: Optional[str] = None
