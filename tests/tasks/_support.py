"""Shared helpers for task tests: run one task method on the sync client, or the async client on
asyncio or on trio, against a handler, and collect the requests it sent.

Usage (with the ``run_task`` fixture from ``conftest.py``)::

    def test_fill_mask(run_task):
        call = run_task(json_reply([{"score": 0.9, ...}]), "fill_mask", "Paris is [MASK].",
                        model="acme/model")
        assert call.requests[0].url == ROUTER + "/acme/model"
        assert call.result[0].token_str == "capital"
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anyio
import attrs

from inference_core import AsyncInferenceClient, InferenceClient, Request, Response
from transports import MockTransport

__all__ = [
    "ROUTER",
    "Call",
    "TaskRunner",
    "body_json",
    "bytes_reply",
    "json_reply",
]

ROUTER = "https://router.huggingface.co/hf-inference/models"
Handler = Callable[[Request], Response]


def json_reply(payload: Any, status: int = 200) -> Handler:
    """A handler answering every request with ``payload`` as JSON."""
    body = json.dumps(payload).encode()
    return lambda request: Response(status, (("content-type", "application/json"),), body)


def bytes_reply(body: bytes, content_type: str = "application/octet-stream") -> Handler:
    """A handler answering every request with raw bytes."""
    return lambda request: Response(200, (("content-type", content_type),), body)


def body_json(request: Request) -> Any:
    """The JSON body of a recorded request."""
    assert request.body is not None, f"{request} has no body"
    return json.loads(request.body)


@attrs.frozen
class Call:
    """The outcome of one task call: its result and every request it sent, in order."""

    result: Any
    requests: list[Request]
    sleeps: list[float] = attrs.field(factory=list)


@attrs.frozen
class TaskRunner:
    """Runs a task method on one client flavour: "sync", "asyncio" or "trio"."""

    mode: str

    def __call__(
        self,
        handler: Handler,
        method: str,
        *args: Any,
        client: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Call:
        """Call ``client.<method>(*args, **kwargs)`` with a MockTransport over ``handler``."""
        options: dict[str, Any] = {"provider": "hf-inference", "token": "hf_test", **(client or {})}
        mock = MockTransport(handler)
        if self.mode == "sync":
            with InferenceClient(transport=mock, **options) as sync_client:
                result = getattr(sync_client, method)(*args, **kwargs)
            return Call(result, list(mock.requests), list(mock.sleeps))

        async def main() -> Any:
            async with AsyncInferenceClient(transport=mock, **options) as async_client:
                return await getattr(async_client, method)(*args, **kwargs)

        result = anyio.run(main, backend=self.mode)
        return Call(result, list(mock.requests), list(mock.sleeps))
