"""The round trip every inference API task shares: resolve, let the adapter send, get the answer.

Strategy: the tasks served through the ``{"inputs": ..., "parameters": {...}}`` API (fill-mask,
image-classification, ...; ``INFERENCE_TASKS``) differ only in their inputs and in how they
parse the answer. :func:`json_task` and :func:`binary_task` resolve the model for the task on
the one path (``resolve``), hand a :class:`TaskInputs` to the provider's adapter (the wire
shapes live in ``adapters/hf_inference.py``) and return the successful response for the task
plan to parse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._boundary import Response
from .._config import ClientConfig
from .._contract import INFERENCE_TASKS, TaskInputs
from .._plan import Plan
from .._resolve import resolve

__all__ = ["binary_task", "json_task"]


def json_task(
    config: ClientConfig,
    model: str | None,
    task: str,
    inputs: Any,
    parameters: Mapping[str, Any],
    *,
    extra: Mapping[str, Any] | None = None,
    accept: str | None = None,
) -> Plan[Response]:
    """Resolve the model for ``task`` and send a JSON task; return the successful response.

    ``model`` is the call's argument; the client's model is used when it is not given.
    """
    route = yield from resolve(config, model or config.model, INFERENCE_TASKS[task])
    call = TaskInputs(inputs, parameters, extra, accept)
    return (yield from route.adapter(route, call))


def binary_task(
    config: ClientConfig,
    model: str | None,
    task: str,
    content: bytes,
    parameters: Mapping[str, Any],
    *,
    extra: Mapping[str, Any] | None = None,
    accept: str | None = None,
) -> Plan[Response]:
    """Same as :func:`json_task` for a binary task (``content`` already read into bytes)."""
    route = yield from resolve(config, model or config.model, INFERENCE_TASKS[task])
    call = TaskInputs(content, parameters, extra, accept, binary=True)
    return (yield from route.adapter(route, call))
