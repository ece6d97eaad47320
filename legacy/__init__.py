"""The legacy ``InferenceApi(repo_id, task, token, gpu)`` call style, as a thin layer on the core.

Not implemented yet: nothing is exported.
"""

__distribution__ = "hf-inference-core"
"""Marks this package as ours (see ``inference_core._siblings``)."""
