"""The legacy ``InferenceApi(repo_id, task, token, gpu)`` call style, as a thin layer on the core.

A drop-in for huggingface_hub's deprecated ``InferenceApi`` (``huggingface_hub.inference_api``):
it warns with a ``FutureWarning`` when built; new code should use
:class:`inference_core.InferenceClient`. See :mod:`legacy.inference_api`.
"""

from .inference_api import ALL_TASKS, InferenceApi

__distribution__ = "hf-inference-core"
"""Marks this package as ours (see ``inference_core._siblings``)."""

__all__ = ["ALL_TASKS", "InferenceApi"]
