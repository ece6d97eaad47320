"""``ModelStatus``: what ``get_model_status`` returns about a model on the serverless Inference API.

Strategy: a plain (mutable) standard-library dataclass, as huggingface_hub's is, so that
``dataclasses.asdict``, ``==``, ``repr`` and attribute assignment behave the same for code
migrating from it. It is not one of the attrs output types: nothing parses it but
``get_model_status``, which builds it field by field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ModelStatus"]


@dataclass
class ModelStatus:
    """The status of a model on the serverless Inference API (``get_model_status``).

    Attributes:
        loaded: whether the model is loaded now (loaded models answer without a cold start).
        state: ``"Loaded"``, ``"Loadable"`` (loaded on the first request) or ``"TooBig"``.
        compute_type: the hardware the model runs or would run on, as the server describes it:
            a dict such as ``{"gpu": {"gpu": "a100", "count": 8}}``, or a string such as
            ``"cpu"``.
        framework: the framework serving the model, e.g. ``"transformers"`` or
            ``"text-generation-inference"``.
    """

    loaded: bool
    state: str
    compute_type: dict[str, Any] | str
    framework: str
