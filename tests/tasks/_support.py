"""Shared helpers for task tests: run one task method on the sync client, or the async client on
asyncio or on trio, against a handler, and collect the requests it sent.

Clients are built as users build them: no ``provider`` (the default, "auto"), so a model id is
resolved through the Hub provider mapping, which :func:`hub_mapping` answers (hf-inference
first, unless the test says otherwise). Those lookups are kept apart in ``Call.hub_requests``.

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
    "hub_mapping",
    "is_mapping_lookup",
    "json_reply",
]

ROUTER = "https://router.huggingface.co/hf-inference/models"
MAPPING_QUERY = "?expand=inferenceProviderMapping"
Handler = Callable[[Request], Response]


def hub_mapping(request: Request, providers: tuple[str, ...] = ("hf-inference",)) -> Response:
    """The Hub's provider mapping of the model in ``request.url``: ``providers``, in order."""
    model = request.url.split("/api/models/", 1)[1].removesuffix(MAPPING_QUERY)
    mapping = {name: {"status": "live", "providerId": model} for name in providers}
    body = json.dumps({"id": model, "inferenceProviderMapping": mapping}).encode()
    return Response(200, (("content-type", "application/json"),), body)


def is_mapping_lookup(request: Request) -> bool:
    """True for a Hub provider-mapping lookup."""
    return request.url.endswith(MAPPING_QUERY)


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
    hub_requests: list[Request] = attrs.field(factory=list)
    """The Hub provider-mapping lookups, in order (not in ``requests``)."""


@attrs.frozen
class TaskRunner:
    """Runs a task method on one client flavour: "sync", "asyncio" or "trio".

    ``hub``: answer Hub mapping lookups with :func:`hub_mapping` and keep them out of
    ``Call.requests`` (False: the handler answers them, and they stay in ``requests``).
    ``auto``: drop an explicit ``provider`` from the client options, so the provider comes from
    the Hub mapping's first entry, as for a user who leaves it out.
    """

    mode: str
    hub: bool = True
    auto: bool = False

    def __call__(
        self,
        handler: Handler,
        method: str,
        *args: Any,
        client: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Call:
        """Call ``client.<method>(*args, **kwargs)`` with a MockTransport over ``handler``.

        ``client`` holds constructor options (default: only ``token="hf_test"``)."""
        options: dict[str, Any] = {"token": "hf_test", **(client or {})}
        if self.auto and options.get("provider") not in (None, "openai"):
            del options["provider"]

        def route(request: Request) -> Response:
            if is_mapping_lookup(request):
                return hub_mapping(request)
            return handler(request)

        mock = MockTransport(route if self.hub else handler)
        if self.mode == "sync":
            with InferenceClient(transport=mock, **options) as sync_client:
                result = getattr(sync_client, method)(*args, **kwargs)
        else:

            async def main() -> Any:
                async with AsyncInferenceClient(transport=mock, **options) as async_client:
                    return await getattr(async_client, method)(*args, **kwargs)

            result = anyio.run(main, backend=self.mode)
        if not self.hub:
            return Call(result, list(mock.requests), list(mock.sleeps))
        requests = [r for r in mock.requests if not is_mapping_lookup(r)]
        lookups = [r for r in mock.requests if is_mapping_lookup(r)]
        return Call(result, requests, list(mock.sleeps), lookups)
