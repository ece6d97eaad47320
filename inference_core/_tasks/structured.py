"""Structured task plans and their client methods: feature_extraction,
sentence_similarity, table_question_answering, tabular_classification, tabular_regression,
document_question_answering, visual_question_answering.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit.
"""

from __future__ import annotations

__all__ = ["AsyncStructuredTasks", "SyncStructuredTasks"]


class SyncStructuredTasks:
    """Structured task methods of ``InferenceClient``."""


class AsyncStructuredTasks:
    """Structured task methods of ``AsyncInferenceClient``."""
