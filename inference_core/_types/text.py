"""Output and input types of the text tasks (fill_mask, question_answering,
summarization, text_classification, token_classification, translation, zero_shot_classification)."""

__all__: list[str] = []
