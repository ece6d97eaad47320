"""A fake text-generation server speaking the TGI and OpenAI chat wire formats.

Strategy: a pure handler for :class:`fake_service.server.LoopbackServer`. It answers
``POST .../v1/chat/completions`` (plain JSON, or SSE chunks ending with ``data: [DONE]`` when
``"stream": true``) and ``POST`` anything else as TGI ``generate`` (``generated_text``, details,
or SSE token events). The reply is deterministic: it echoes the last user message word by word,
so tests and the offline demo can assert exactly what they get.

Errors on demand, for tests: a prompt or last message containing ``[validation-error]`` gets a
422 TGI validation error; ``[error-in-stream]`` streams two chunks, then an error event.
"""

from __future__ import annotations

import json
from typing import Any

from .server import Reply, ServerRequest, StreamReply

__all__ = ["reply_words", "tgi_handler"]

MODEL = "fake/tgi-model"


def reply_words(text: str) -> list[str]:
    """The tokens the fake server generates for ``text``: an echo, one word per token."""
    words = f"You said: {text}".split(" ")
    return [words[0], *(" " + word for word in words[1:])]


def tgi_handler(request: ServerRequest) -> Reply | StreamReply:
    """Route one request to the chat or the generate handler."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return Reply.json({"error": "body is not JSON", "error_type": "validation"}, status=422)
    if request.target.rstrip("/").endswith("/chat/completions"):
        messages = body.get("messages") or [{}]
        text = str(messages[-1].get("content", ""))
        return _chat(body, text)
    return _generate(body, str(body.get("inputs", "")))


def _validation_error() -> Reply:
    return Reply.json(
        {
            "error": "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 512",
            "error_type": "validation",
        },
        status=422,
    )


def _sse(events: list[Any], *, done: bool) -> list[bytes]:
    chunks = [b"data: " + json.dumps(event).encode() + b"\n\n" for event in events]
    if done:
        chunks.append(b"data: [DONE]\n\n")
    return chunks


def _error_event() -> dict[str, Any]:
    return {
        "error": "Request failed during generation: CUDA out of memory",
        "error_type": "generation",
    }


def _chat(body: dict[str, Any], text: str) -> Reply | StreamReply:
    if "[validation-error]" in text:
        return _validation_error()
    words = reply_words(text)
    limit = body.get("max_tokens")
    if isinstance(limit, int):
        words = words[:limit]
    model = body.get("model", MODEL)
    base = {
        "id": "chatcmpl-1",
        "created": 1700000000,
        "model": model,
        "system_fingerprint": "fake-1",
    }
    if not body.get("stream"):
        return Reply.json(
            {
                **base,
                "object": "chat.completion",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "length" if limit else "stop",
                        "message": {"role": "assistant", "content": "".join(words)},
                        "logprobs": None,
                    }
                ],
                "usage": {
                    "prompt_tokens": len(text.split()),
                    "completion_tokens": len(words),
                    "total_tokens": len(text.split()) + len(words),
                },
            }
        )
    events: list[Any] = [
        {
            **base,
            "object": "chat.completion.chunk",
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": word},
                    "logprobs": None,
                    "finish_reason": None,
                }
            ],
        }
        for word in words
    ]
    if "[error-in-stream]" in text:
        return StreamReply(_sse([*events[:2], _error_event()], done=False))
    events[-1]["choices"][0]["finish_reason"] = "stop"
    return StreamReply(_sse(events, done=True))


def _generate(body: dict[str, Any], prompt: str) -> Reply | StreamReply:
    if "[validation-error]" in prompt:
        return _validation_error()
    parameters = body.get("parameters") or {}
    words = reply_words(prompt)
    limit = parameters.get("max_new_tokens")
    if isinstance(limit, int):
        words = words[:limit]
    tokens = [
        {"id": i + 1, "text": w, "logprob": -0.5, "special": False} for i, w in enumerate(words)
    ]
    text = "".join(words)
    details = {
        "finish_reason": "length" if limit else "eos_token",
        "generated_tokens": len(tokens),
        "seed": None,
    }
    if not body.get("stream"):
        out: dict[str, Any] = {"generated_text": text}
        if parameters.get("details"):
            out["details"] = {**details, "prefill": [], "tokens": tokens}
        return Reply.json([out])
    events: list[Any] = [
        {"index": i + 1, "token": token, "generated_text": None, "details": None}
        for i, token in enumerate(tokens)
    ]
    if "[error-in-stream]" in prompt:
        return StreamReply(_sse([*events[:2], _error_event()], done=False))
    events[-1]["generated_text"] = text
    events[-1]["details"] = {**details, "input_length": len(prompt.split())}
    return StreamReply(_sse(events, done=False))
