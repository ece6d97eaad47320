"""transformers' ``serve`` (a tiny random Llama): OpenAI chat, stream and not, completions
through ``text_generation``, its errors, cancel-and-reuse and 20 concurrent calls, on every
transport setup.

Its quirks, each checked here (docs/interop.md): streams end without ``data: [DONE]``; the
stream's last chunk carries ``usage``; errors are FastAPI's ``{"detail": ...}``; only the
pinned model name is accepted (``"dummy"``, what a URL model sends by default, is refused); a
generation error arrives as a ``data: {"error": ...}`` line inside a 200 stream; a streamed
completion never flushes a trailing unfinished UTF-8 sequence.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from inference_core import (
    BadRequestError,
    ChatCompletionOutput,
    ProviderError,
    TextGenerationError,
    TextGenerationOutput,
)

from ._support import Harness

pytestmark = [pytest.mark.interop, pytest.mark.anyio]

MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]


def ask(model: str, **options: Any) -> Any:
    options = {"max_tokens": 6, **options}
    return lambda client: client.chat.completions.create(messages=MESSAGES, model=model, **options)


async def test_chat(chat: Harness, chat_model: str) -> None:
    out = await chat.call(ask(chat_model))
    assert isinstance(out, ChatCompletionOutput)
    assert isinstance(out.choices[0].message.content, str)
    assert out.choices[0].message.role == "assistant"
    assert out.choices[0].finish_reason in ("length", "stop")
    assert out.model == chat_model
    assert out.usage.completion_tokens <= 6 and out.usage.total_tokens > 0


async def test_chat_stream_without_done_and_usage_in_the_last_chunk(
    chat: Harness, chat_model: str
) -> None:
    whole = await chat.call(ask(chat_model))
    chunks = await chat.stream(ask(chat_model, stream=True))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content  # greedy decoding: the same tokens
    assert chunks[-1].choices[0].finish_reason in ("length", "stop")
    assert chunks[-1].usage.total_tokens == whole.usage.total_tokens


async def test_completions_through_text_generation(chat: Harness) -> None:
    text = await chat.call(lambda c: c.text_generation("The capital of", max_new_tokens=5))
    tokens = await chat.stream(
        lambda c: c.text_generation("The capital of", max_new_tokens=5, stream=True)
    )
    details = await chat.call(
        lambda c: c.text_generation("The capital of", max_new_tokens=5, details=True)
    )
    assert isinstance(text, str) and text
    streamed = "".join(tokens)
    # the server's streamer holds back an unfinished UTF-8 sequence (byte-level BPE) and never
    # flushes it: the streamed text may lack the U+FFFD tail of the non-streamed answer
    assert text.startswith(streamed) and set(text[len(streamed) :]) <= {"\ufffd"}
    assert isinstance(details, TextGenerationOutput)
    assert details.generated_text == text
    assert details.details is not None and details.details.finish_reason == "length"


async def test_a_wrong_model_name_shows_the_servers_detail(chat: Harness, chat_model: str) -> None:
    with pytest.raises(BadRequestError) as caught:
        await chat.call(ask("not-the-served-model"))
    assert caught.value.status == 400
    assert "is pinned to" in str(caught.value) and "not-the-served-model" in str(caught.value)
    # a URL model without a name sends "dummy", which this server refuses the same way
    with pytest.raises(BadRequestError, match="'dummy'"):
        await chat.call(lambda c: c.chat_completion(MESSAGES, max_tokens=2))


async def test_unknown_fields_are_a_422_with_the_detail(chat: Harness, chat_model: str) -> None:
    with pytest.raises(ProviderError, match="Unexpected fields") as caught:
        await chat.call(ask(chat_model, extra_body={"not_a_field": 1}))
    assert caught.value.status == 422


async def test_an_error_line_inside_a_stream(chat: Harness, chat_model: str) -> None:
    # ``stop=[]`` makes this server's generation fail after the stream started (200)
    with pytest.raises(TextGenerationError, match="Stop string"):
        await chat.stream(ask(chat_model, stream=True, stop=[]))
    out = await chat.call(ask(chat_model))  # the client is still usable
    assert out.choices


async def test_cancel_a_stream_then_reuse_the_client(chat: Harness, chat_model: str) -> None:
    first = await chat.stream(ask(chat_model, stream=True, max_tokens=20), limit=1)
    assert len(first) == 1
    if chat.is_async:
        with anyio.move_on_after(0.05) as scope:
            await chat.stream(ask(chat_model, stream=True, max_tokens=200))
        assert scope.cancelled_caught or not scope.cancel_called
    out = await chat.call(ask(chat_model))
    assert out.choices[0].message.content is not None


async def test_20_concurrent_calls(chat: Harness, chat_model: str) -> None:
    results: list[Any] = [None] * 20

    async def one(index: int) -> None:
        if index % 2:
            results[index] = await chat.call(ask(chat_model, max_tokens=2))
        else:
            results[index] = await chat.stream(ask(chat_model, stream=True, max_tokens=2))

    async with anyio.create_task_group() as group:
        for index in range(20):
            group.start_soon(one, index)
    assert all(result for result in results)
    whole = [r.choices[0].message.content for r in results[1::2]]
    assert len(set(whole)) == 1  # greedy decoding: every answer is the same
