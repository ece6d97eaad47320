"""Text generation and chat answers of the fake service: TGI's ``generate`` and OpenAI's chat.

Strategy: a few prompts get canned replies ("the capital of France" -> "Paris"), anything else
is echoed (``You said: ...``), split into word tokens. ``generate`` streams TGI token events
(no ``[DONE]``); chat streams OpenAI chunks ending with ``data: [DONE]``, with a usage chunk
when ``stream_options.include_usage`` asks for one. ``max_new_tokens``/``max_tokens`` cut the
tokens and set the finish reason to ``length``.
"""

from __future__ import annotations

import json
from typing import Any

from .server import Reply, StreamReply

__all__ = ["chat_answer", "reply_text", "text_generation"]


_CANNED = {
    "capital of france": "The capital of France is Paris.",
    "huggingface_hub library is": "a Python library to work with the Hugging Face Hub.",
    "once upon a time": "there was a little robot who wanted to learn how to paint.",
}


def reply_text(text: str) -> str:
    """The fake models' answer to ``text``: a canned reply for a few prompts, else an echo."""
    lowered = text.lower()
    for key, answer in _CANNED.items():
        if key in lowered:
            return answer
    return f"You said: {text}"


def _tokens(text: str, limit: Any) -> list[str]:
    words = text.split(" ")
    tokens = [words[0], *(" " + word for word in words[1:])]
    return tokens[:limit] if isinstance(limit, int) else tokens


def _sse(events: list[Any], *, done: bool) -> StreamReply:
    chunks = [b"data: " + json.dumps(event).encode() + b"\n\n" for event in events]
    return StreamReply([*chunks, b"data: [DONE]\n\n"] if done else chunks)


def text_generation(
    prompt: str, parameters: dict[str, Any], *, stream: bool
) -> Reply | StreamReply:
    """TGI's ``generate`` answer for ``prompt`` (or its SSE token stream, without ``[DONE]``)."""
    limit = parameters.get("max_new_tokens")
    words = _tokens(reply_text(prompt), limit)
    if prompt and not prompt[-1].isspace():
        words[0] = " " + words[0]
    if parameters.get("return_full_text"):
        words[0] = prompt + words[0]
    tokens = [
        {"id": 100 + i, "text": word, "logprob": round(-0.1 * (i + 1), 2), "special": False}
        for i, word in enumerate(words)
    ]
    finish = "length" if isinstance(limit, int) and len(words) >= limit else "eos_token"
    details = {"finish_reason": finish, "generated_tokens": len(tokens), "seed": None}
    if not stream:
        out: dict[str, Any] = {"generated_text": "".join(words)}
        if parameters.get("details"):
            out["details"] = {**details, "prefill": [], "tokens": tokens}
        return Reply.json([out])
    events: list[Any] = [
        {"index": i + 1, "token": token, "generated_text": None, "details": None}
        for i, token in enumerate(tokens)
    ]
    events[-1]["generated_text"] = "".join(words)
    events[-1]["details"] = {**details, "input_length": len(prompt.split())}
    return _sse(events, done=False)


def chat_answer(body: dict[str, Any]) -> Reply | StreamReply:
    """An OpenAI-style chat completion (or its SSE stream, ending with ``[DONE]``) for ``body``."""
    messages = body.get("messages") or [{}]
    content = messages[-1].get("content", "")
    if isinstance(content, list):  # text and image parts
        content = " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    answer = reply_text(str(content))
    response_format = body.get("response_format") or {}
    if response_format.get("type") in ("json", "json_object", "json_schema"):
        answer = json.dumps({"answer": answer})
    words = _tokens(answer, body.get("max_tokens"))
    base = {
        "id": "chatcmpl-0001",
        "created": 1735689600,
        "model": body.get("model", "dummy"),
        "system_fingerprint": "fake-3.0.0",
    }
    finish = "length" if len(words) == body.get("max_tokens") else "stop"
    usage = {"prompt_tokens": len(str(content).split()), "completion_tokens": len(words)}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    if not body.get("stream"):
        message = {"role": "assistant", "content": "".join(words)}
        choice = {"index": 0, "finish_reason": finish, "message": message, "logprobs": None}
        return Reply.json(
            {**base, "object": "chat.completion", "choices": [choice], "usage": usage}
        )
    events: list[Any] = []
    for word in words:
        delta = {"role": "assistant", "content": word}
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}
        events.append({**base, "object": "chat.completion.chunk", "choices": [choice]})
    events[-1]["choices"][0]["finish_reason"] = finish
    if (body.get("stream_options") or {}).get("include_usage"):
        events.append({**base, "object": "chat.completion.chunk", "choices": [], "usage": usage})
    return _sse(events, done=True)
