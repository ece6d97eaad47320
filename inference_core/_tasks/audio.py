"""Audio task plans and their client methods: audio_classification, audio_to_audio,
automatic_speech_recognition, text_to_speech.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit.
"""

from __future__ import annotations

__all__ = ["AsyncAudioTasks", "SyncAudioTasks"]


class SyncAudioTasks:
    """Audio task methods of ``InferenceClient``."""


class AsyncAudioTasks:
    """Audio task methods of ``AsyncInferenceClient``."""
