"""Helpers for provider tests: scripted HTTP exchanges and Hub mapping answers.

``Script`` is a MockTransport handler that expects an exact sequence of requests, answers each
with its scripted response, and fails the test on anything unexpected::

    script = Script(
        ("GET", MAPPING_URL.format(model="org/m"), mapping("together", "t/m", "conversational")),
        ("POST", "https://router.huggingface.co/together/v1/chat/completions", json_ok(CHAT)),
    )
    call = run_task(script, "chat_completion", MESSAGES, model="org/m",
                    client={"provider": "together", "token": "hf_abc"})
    script.assert_done()
"""

from __future__ import annotations

import io
import json
from typing import Any

import PIL.Image

from inference_core import Request, Response

__all__ = ["MAPPING_URL", "Script", "bytes_ok", "json_ok", "mapping", "png"]

MAPPING_URL = "https://huggingface.co/api/models/{model}?expand=inferenceProviderMapping"


def json_ok(payload: Any, status: int = 200) -> Response:
    """A JSON response."""
    return Response(status, (("content-type", "application/json"),), json.dumps(payload).encode())


def bytes_ok(body: bytes, content_type: str = "application/octet-stream") -> Response:
    """A binary response (a downloaded image, audio or video)."""
    return Response(200, (("content-type", content_type),), body)


def mapping(
    provider: str, provider_id: str, task: str, model: str = "org/m", **extra: Any
) -> Response:
    """The Hub's ``?expand=inferenceProviderMapping`` answer with one entry."""
    entry = {"status": "live", "providerId": provider_id, "task": task, **extra}
    return json_ok({"id": model, "inferenceProviderMapping": {provider: entry}})


class Script:
    """A handler replaying ``(method, url, response)`` steps in order."""

    def __init__(self, *steps: tuple[str, str, Response]) -> None:
        self.steps = list(steps)
        self.seen: list[Request] = []

    def __call__(self, request: Request) -> Response:
        index = len(self.seen)
        self.seen.append(request)
        assert index < len(self.steps), f"unexpected extra request {request.method} {request.url}"
        method, url, response = self.steps[index]
        assert (request.method, request.url) == (method, url), f"step {index}: got {request}"
        return response

    def assert_done(self) -> None:
        """Every scripted step was requested."""
        assert len(self.seen) == len(self.steps), f"{len(self.seen)} of {len(self.steps)} steps"


def png(color: str = "red", size: tuple[int, int] = (3, 2)) -> bytes:
    """A tiny PNG image, as a provider would return it."""
    buffer = io.BytesIO()
    PIL.Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()
