"""Quirks of transformers' ``serve`` (seen in the interop suite, docs/interop.md), replayed by a
loopback fake so they are checked on every run: no ``[DONE]``, ``usage`` in the last chunk,
``{"detail": ...}`` errors, and an error line inside a 200 stream, valid JSON or not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from fake_service.server import LoopbackServer, Reply, ServerRequest, StreamReply
from inference_core import (
    AsyncInferenceClient,
    BadRequestError,
    InferenceClient,
    RemoteProtocolError,
    TextGenerationError,
)

MODEL = "/models/tiny-llama"
MESSAGES = [{"role": "user", "content": "Hi"}]


def chunk(delta: dict[str, str], **extra: object) -> bytes:
    choice = {"index": 0, "delta": delta, **extra}
    event: dict[str, object] = {"object": "chat.completion.chunk", "model": MODEL}
    event["choices"] = [choice]
    if "finish_reason" in extra:
        event["usage"] = {"completion_tokens": 2, "prompt_tokens": 3, "total_tokens": 5}
    return f"data: {json.dumps(event)}\n\n".encode()


def serve(request: ServerRequest) -> Reply | StreamReply:
    body = request.json()
    if body.get("model") != MODEL:
        detail = f"Server is pinned to '{MODEL}'; requested '{body.get('model')}'."
        return Reply.json({"detail": detail}, status=400)
    text = body["messages"][0]["content"]
    chunks = [chunk({"role": "assistant"}), chunk({"content": "Par"})]
    if text == "error":
        chunks.append(b'data: {"error": "Stop string preprocessing failed"}\n\n')
    elif text == "bad error":
        chunks.append(b'data: {"error": "cannot use "stop" here"}\n\n')  # not JSON
    else:
        chunks.append(chunk({"content": "is"}, finish_reason="length"))
    return StreamReply(chunks)  # never `data: [DONE]`


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(serve) as running:
        yield running


def test_a_stream_without_done_with_usage_in_its_last_chunk(server: LoopbackServer) -> None:
    with InferenceClient(base_url=server.url + "/v1") as client:
        chunks = list(client.chat_completion(MESSAGES, model=MODEL, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Paris"
    assert chunks[-1].choices[0].finish_reason == "length"
    usage = chunks[-1].usage
    assert usage is not None and usage.total_tokens == 5


def test_the_pinned_model_detail_is_the_message(server: LoopbackServer) -> None:
    client = InferenceClient(base_url=server.url + "/v1")
    with client, pytest.raises(BadRequestError, match="pinned to '/models/tiny-llama'"):
        client.chat_completion(MESSAGES, stream=True)  # a URL model sends "dummy"


@pytest.mark.anyio
async def test_an_error_line_after_some_chunks(server: LoopbackServer) -> None:
    messages = [{"role": "user", "content": "error"}]
    received = []
    async with AsyncInferenceClient(base_url=server.url + "/v1") as client:
        with pytest.raises(TextGenerationError, match="Stop string preprocessing failed"):
            async for item in await client.chat_completion(messages, model=MODEL, stream=True):
                received.append(item)
    assert len(received) == 2


def test_an_error_line_that_is_not_json_keeps_its_text(server: LoopbackServer) -> None:
    messages = [{"role": "user", "content": "bad error"}]
    client = InferenceClient(base_url=server.url + "/v1")
    # a TextGenerationError with the server's words (a RemoteProtocolError quoting the line
    # before the core recognised such lines): either way the text is in the message
    raised = (TextGenerationError, RemoteProtocolError)
    with client, pytest.raises(raised, match='cannot use "stop" here'):
        list(client.chat_completion(messages, model=MODEL, stream=True))
