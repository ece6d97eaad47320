"""Vision task plans and their client methods: image_classification,
image_segmentation, image_to_image, image_to_text, object_detection, text_to_image,
text_to_video, zero_shot_image_classification.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit.
"""

from __future__ import annotations

__all__ = ["AsyncVisionTasks", "SyncVisionTasks"]


class SyncVisionTasks:
    """Vision task methods of ``InferenceClient``."""


class AsyncVisionTasks:
    """Vision task methods of ``AsyncInferenceClient``."""
