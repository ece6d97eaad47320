"""Output and input types of the structured tasks (feature_extraction,
sentence_similarity, table_question_answering, tabular_classification, tabular_regression,
document_question_answering, visual_question_answering)."""

__all__: list[str] = []
