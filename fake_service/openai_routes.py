"""OpenAI-style routes most providers share: chat, completions, embeddings, image generation.

Strategy: these answer on any host and under any prefix (``/v1/...``, ``/v3/openai/...``,
``/openai/v1/...``, ``/compatibility/v1/...``), as every OpenAI-compatible provider serves
them. Answers are derived from the request (the last user message, the prompt, the texts to
embed) by the same rules as the hf-inference fake (:mod:`fake_service.tasks`), so a chat on
Together and a chat on hf-inference say the same thing. Streams are SSE ending with
``data: [DONE]``. Image answers follow the provider's shape: ``images[0].image`` when the body
names the model ``model_name`` (Hyperbolic), else ``data[0].b64_json`` (or ``data[0].url`` when
``response_format`` is ``"url"``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from .files import file_url, image_color, png_for
from .server import Reply, StreamReply
from .tasks import chat_answer, embedding, reply_text

__all__ = ["chat", "completions", "embeddings", "images"]

_CREATED = 1735689600


def chat(body: Any) -> Reply | StreamReply:
    """``POST .../chat/completions``."""
    if not isinstance(body, dict):
        return _bad("the body must be a JSON object with `messages`")
    return chat_answer(body)


def _bad(message: str) -> Reply:
    return Reply.json({"error": {"message": message, "type": "invalid_request_error"}}, 400)


def completions(body: Any) -> Reply | StreamReply:
    """``POST .../completions``: ``choices[0].text``, or SSE text events then ``[DONE]``."""
    if not isinstance(body, dict) or not isinstance(body.get("prompt"), str):
        return _bad("the body must be a JSON object with a `prompt` string")
    prompt = body["prompt"]
    words = reply_text(prompt).split(" ")
    tokens = [(" " if i or not prompt.endswith(" ") else "") + w for i, w in enumerate(words)]
    limit = body.get("max_tokens")
    if isinstance(limit, int):
        tokens = tokens[:limit]
    finish = "length" if isinstance(limit, int) and len(tokens) >= limit else "stop"
    base = {
        "id": "cmpl-" + hashlib.sha256(prompt.encode()).hexdigest()[:12],
        "object": "text_completion",
        "created": _CREATED,
        "model": body.get("model", "fake"),
    }
    if not body.get("stream"):
        usage = {"prompt_tokens": len(prompt.split()), "completion_tokens": len(tokens)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        choice = {"index": 0, "text": "".join(tokens), "finish_reason": finish, "logprobs": None}
        return Reply.json({**base, "choices": [choice], "usage": usage})
    events = [
        {**base, "choices": [{"index": 0, "text": token, "finish_reason": None}]}
        for token in tokens
    ]
    if events:
        events[-1]["choices"][0]["finish_reason"] = finish
    return sse(events, done=True)


def sse(events: list[Any], *, done: bool) -> StreamReply:
    """Server-sent events, one chunk per event, optionally closed by ``data: [DONE]``."""
    chunks = [b"data: " + json.dumps(event).encode() + b"\n\n" for event in events]
    return StreamReply([*chunks, b"data: [DONE]\n\n"] if done else chunks)


def embeddings(body: Any) -> Reply:
    """``POST .../embeddings``: one vector per input, OpenAI's list shape."""
    if not isinstance(body, dict) or "input" not in body:
        return _bad("the body must be a JSON object with `input`")
    texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
    data = [
        {"object": "embedding", "index": i, "embedding": embedding(str(t), body.get("normalize"))}
        for i, t in enumerate(texts)
    ]
    tokens = sum(len(str(t).split()) for t in texts)
    usage = {"prompt_tokens": tokens, "total_tokens": tokens}
    return Reply.json({"object": "list", "data": data, "model": body.get("model"), "usage": usage})


def _size(body: dict[str, Any]) -> tuple[int, int]:
    size: Any = body.get("size")
    if isinstance(size, str) and "x" in size:
        wide, _, high = size.partition("x")
        if wide.isdigit() and high.isdigit():
            return int(wide), int(high)
    width, height = body.get("width"), body.get("height")
    return (
        width if isinstance(width, int) else 64,
        height if isinstance(height, int) else 64,
    )


def images(body: Any, base: str) -> Reply:
    """``POST .../images/generations``: one PNG of the requested size, coloured by the prompt."""
    if not isinstance(body, dict) or not isinstance(body.get("prompt"), str):
        return _bad("the body must be a JSON object with a `prompt` string")
    width, height = _size(body)
    color = image_color(body["prompt"])
    if "model_name" in body:  # Hyperbolic
        image = base64.b64encode(png_for(width, height, color)).decode("ascii")
        return Reply.json({"images": [{"image": image, "index": 0}]})
    if body.get("response_format") == "url":
        url = file_url(base, "image", width, height, color)
        return Reply.json({"created": _CREATED, "data": [{"url": url}]})
    image = base64.b64encode(png_for(width, height, color)).decode("ascii")
    return Reply.json({"created": _CREATED, "data": [{"b64_json": image}]})
