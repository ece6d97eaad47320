"""Shared worked examples for the providers added after huggingface_hub v0.33.5 (spec
providers.md Appendix A): an OpenAI-style chat call, checked routed (``hf_`` token, router URL,
Bearer) or direct (the provider's key, its own URL), and small builders for scripted steps."""

from __future__ import annotations

import base64
import json
from typing import Any

from inference_core import Request, Response
from tests.tasks._support import TaskRunner

from ._support import MAPPING_URL, Script, json_ok, mapping, png

__all__ = [
    "CHAT",
    "MESSAGES",
    "PNG",
    "PNG_URL",
    "base_for",
    "check_chat",
    "lookup",
    "names",
]

MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "c",
    "created": 1,
    "model": "p/m",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Yo"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}
PNG = png("blue", (4, 3))
PNG_URL = "data:image/png;base64," + base64.b64encode(PNG).decode()


def base_for(provider: str, token: str, direct: str) -> str:
    """The base URL a call with ``token`` goes to: the router for ``hf_`` tokens."""
    if token.startswith("hf_"):
        return f"https://router.huggingface.co/{provider}"
    return direct


def lookup(provider: str, pid: str, task: str, model: str = "org/m", **extra: Any) -> Any:
    """The Hub mapping lookup step for ``model``, answered with one entry for ``provider``."""
    return ("GET", MAPPING_URL.format(model=model), mapping(provider, pid, task, model, **extra))


def names(request: Request) -> list[str]:
    """The request's header names, lower-cased."""
    return [name.lower() for name, _ in request.headers]


def check_chat(
    run_task: TaskRunner, provider: str, token: str, url: str, *, answer: Response | None = None
) -> Request:
    """E1-style chat on ``provider`` (``url`` the expected POST URL); the POST sent."""
    script = Script(
        lookup(provider, "p/m", "conversational"),
        ("POST", url, answer or json_ok(CHAT)),
    )
    call = run_task(
        script,
        "chat_completion",
        MESSAGES,
        model="org/m",
        max_tokens=8,
        client={"provider": provider, "token": token},
    )
    script.assert_done()
    assert call.result.choices[0].message.content == "Yo"
    post = call.requests[1]
    assert post.header("authorization") == f"Bearer {token}"
    assert post.header("content-type") == "application/json"
    body = json.loads(post.body or b"")
    assert body == {"messages": MESSAGES, "model": "p/m", "max_tokens": 8, "stream": False}
    assert call.sleeps == []
    return post
