"""Text task plans and their client methods: fill_mask, question_answering,
summarization, text_classification, token_classification, translation, zero_shot_classification.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit.
"""

from __future__ import annotations

__all__ = ["AsyncTextTasks", "SyncTextTasks"]


class SyncTextTasks:
    """Text task methods of ``InferenceClient``."""


class AsyncTextTasks:
    """Text task methods of ``AsyncInferenceClient``."""
