"""Request builders shared by the task plans: the JSON task body and the binary task body.

Strategy: the two wire shapes of huggingface_hub's hf-inference helpers (spec tasks.md §1.3),
written once:

* JSON tasks send ``{"inputs": ..., "parameters": filter_none(parameters), **extra}`` with
  ``"parameters"`` always present, as ``application/json``.
* Binary tasks send the raw input bytes when no parameter is set (with a Content-Type sniffed
  from the bytes, where huggingface_hub sent none), else ``{"inputs": b64(bytes),
  "parameters": {...}, **extra}`` as ``application/json``.

:func:`json_task` and :func:`binary_task` are the plans every hf-inference task shares: resolve
the model for the task, build one of these bodies, send it and return the successful response.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._boundary import Request, Response
from .._config import ClientConfig
from .._plan import Plan, send
from .._wire import JSON_CONTENT_TYPE, filter_none, json_body, to_wire
from ._inputs import b64, sniff_content_type
from ._routing import Target, resolve_target

__all__ = ["binary_task", "binary_task_request", "json_task", "json_task_request", "post_json"]


def post_json(
    config: ClientConfig, target: Target, task: str, payload: Any, *, accept: str | None = None
) -> Request:
    """POST ``payload`` as JSON to the task's URL with the client's headers."""
    extra = (JSON_CONTENT_TYPE, ("accept", accept)) if accept else (JSON_CONTENT_TYPE,)
    headers = config.request_headers(target.token, *extra)
    return Request("POST", target.url_for(task), headers, json_body(payload))


def json_task_request(
    config: ClientConfig,
    target: Target,
    task: str,
    inputs: Any,
    parameters: Mapping[str, Any],
    *,
    extra: Mapping[str, Any] | None = None,
    accept: str | None = None,
) -> Request:
    """A JSON task: ``{"inputs", "parameters", **extra}``."""
    payload: dict[str, Any] = {
        "inputs": to_wire(inputs),
        "parameters": filter_none(to_wire(dict(parameters))),
    }
    if extra:
        payload.update(to_wire(dict(extra)))
    return post_json(config, target, task, payload, accept=accept)


def binary_task_request(
    config: ClientConfig,
    target: Target,
    task: str,
    content: bytes,
    parameters: Mapping[str, Any],
    *,
    extra: Mapping[str, Any] | None = None,
    accept: str | None = None,
) -> Request:
    """A binary task: raw bytes without parameters, base64 JSON with them."""
    params = filter_none(to_wire(dict(parameters)))
    if params or extra:
        payload: dict[str, Any] = {"inputs": b64(content), "parameters": params}
        if extra:
            payload.update(to_wire(dict(extra)))
        return post_json(config, target, task, payload, accept=accept)
    extra_headers = [("content-type", sniff_content_type(content))]
    if accept:
        extra_headers.append(("accept", accept))
    headers = config.request_headers(target.token, *extra_headers)
    return Request("POST", target.url_for(task), headers, content)


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
    """Resolve the model for ``task``, POST the JSON task body, return the (successful) response.

    ``model`` is the call's argument; the client's model is used when it is not given.
    """
    target = yield from resolve_target(config, model or config.model, task)
    request = json_task_request(
        config, target, task, inputs, parameters, extra=extra, accept=accept
    )
    return (yield from send(request))


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
    target = yield from resolve_target(config, model or config.model, task)
    request = binary_task_request(
        config, target, task, content, parameters, extra=extra, accept=accept
    )
    return (yield from send(request))
