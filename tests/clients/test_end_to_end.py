"""Both clients end to end over real sockets against the fake TGI server, sync, asyncio, trio."""

from __future__ import annotations

import time

import anyio
import pytest

from fake_service.server import LoopbackServer, ServerRequest, Stall
from fake_service.tgi import reply_words
from inference_core import (
    AsyncInferenceClient,
    AsyncStream,
    ChatCompletionOutput,
    GenerationError,
    InferenceClient,
    InferenceTimeoutError,
    Stream,
    TextGenerationOutput,
    TextGenerationStreamOutput,
    ValidationError,
)

QUESTION = "What is the capital of France?"
MESSAGES = [{"role": "user", "content": QUESTION}]
EXPECTED = "".join(reply_words(QUESTION))


def test_sync_chat_completion(tgi_server: LoopbackServer) -> None:
    with InferenceClient(tgi_server.url, token="hf_secret") as client:
        out = client.chat_completion(MESSAGES)
    assert isinstance(out, ChatCompletionOutput)
    assert out.choices[0].message.content == EXPECTED
    assert out["choices"][0]["finish_reason"] == "stop"
    assert out.object == "chat.completion"  # an extra field the types do not declare
    seen = tgi_server.requests[0]
    assert (seen.method, seen.target) == ("POST", "/v1/chat/completions")
    assert seen.header("authorization") == "Bearer hf_secret"
    assert seen.json() == {"model": "dummy", "stream": False, "messages": MESSAGES}


def test_sync_chat_stream_and_connection_reuse(tgi_server: LoopbackServer) -> None:
    with InferenceClient(base_url=tgi_server.url + "/v1/", api_key="sk-local") as client:
        stream = client.chat.completions.create(messages=MESSAGES, stream=True, model="m")
        assert isinstance(stream, Stream)
        chunks = list(stream)
        assert "".join(c.choices[0].delta.content for c in chunks) == EXPECTED
        assert chunks[-1].choices[0].finish_reason == "stop"
        assert client.chat_completion(MESSAGES).choices[0].message.content == EXPECTED
    assert tgi_server.connections_opened == 1
    assert tgi_server.requests[0].json()["model"] == "m"


def test_sync_text_generation_details_and_stream(tgi_server: LoopbackServer) -> None:
    with InferenceClient(tgi_server.url) as client:
        assert client.text_generation("Once upon") == "".join(reply_words("Once upon"))
        out = client.text_generation("Once upon", details=True, max_new_tokens=2)
        assert isinstance(out, TextGenerationOutput)
        assert out.details.generated_tokens == 2
        assert [t.text for t in out.details.tokens] == reply_words("Once upon")[:2]
        tokens = list(client.text_generation("Once upon", stream=True))
        assert tokens == reply_words("Once upon")
        with client.text_generation("Once upon", stream=True, details=True) as stream:
            events = list(stream)
        assert all(isinstance(e, TextGenerationStreamOutput) for e in events)
        assert events[-1].details.finish_reason == "eos_token"
        assert events[-1].generated_text == "".join(reply_words("Once upon"))


def test_sync_error_event_inside_stream(tgi_server: LoopbackServer) -> None:
    messages = [{"role": "user", "content": "boom [error-in-stream] now"}]
    with InferenceClient(tgi_server.url) as client:
        received = []
        with pytest.raises(GenerationError, match="CUDA out of memory"):
            for chunk in client.chat_completion(messages, stream=True):
                received.append(chunk.choices[0].delta.content)
        assert len(received) == 2
        with pytest.raises(GenerationError):
            list(client.text_generation("x [error-in-stream]", stream=True))
        assert client.text_generation("still works") == "".join(reply_words("still works"))


def test_sync_422_validation_error(tgi_server: LoopbackServer) -> None:
    with InferenceClient(tgi_server.url) as client:
        with pytest.raises(ValidationError, match="Input validation error") as info:
            client.text_generation("too long [validation-error]")
        assert info.value.status == 422
        assert info.value.response is not None and info.value.response.status == 422
        with pytest.raises(ValidationError):
            client.chat_completion([{"role": "user", "content": "[validation-error]"}], stream=True)


def test_sync_stalled_server_times_out() -> None:
    with (
        LoopbackServer(lambda request: Stall(30)) as server,
        InferenceClient(server.url, timeout=0.5) as client,
    ):
        start = time.monotonic()
        with pytest.raises(InferenceTimeoutError) as info:
            client.chat_completion(MESSAGES)
        assert time.monotonic() - start < 2.0
    assert isinstance(info.value, TimeoutError)
    assert server.url in str(info.value)


def test_bad_input_sends_nothing(tgi_server: LoopbackServer) -> None:
    with InferenceClient(tgi_server.url) as client:
        with pytest.raises(TypeError, match="max_token"):
            client.chat_completion(MESSAGES, max_token=3)  # type: ignore[call-arg]
        with pytest.raises(ValueError, match="must be a list"):
            client.chat_completion("hello")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="has no 'content'"):
            client.chat_completion([{"role": "user"}])
    with pytest.raises(ValueError, match="Received both `model` and `base_url`"):
        InferenceClient("a/b", base_url="http://x")
    with pytest.raises(ValueError, match="Received both `token` and `api_key`"):
        InferenceClient(token="hf_a", api_key="hf_b")
    assert tgi_server.requests == []


def test_close_is_idempotent_and_repr() -> None:
    client = InferenceClient("http://127.0.0.1:1", timeout=3)
    assert repr(client) == "<InferenceClient(model='http://127.0.0.1:1', timeout=3)>"
    client.close()
    client.close()


@pytest.mark.anyio
async def test_async_chat_completion_and_stream(tgi_server: LoopbackServer) -> None:
    async with AsyncInferenceClient(tgi_server.url, token="hf_secret") as client:
        out = await client.chat_completion(MESSAGES)
        assert isinstance(out, ChatCompletionOutput)
        assert out.choices[0].message.content == EXPECTED
        stream = await client.chat.completions.create(MESSAGES, stream=True)
        assert isinstance(stream, AsyncStream)
        async with stream:
            contents = [c.choices[0].delta.content async for c in stream]
        assert "".join(contents) == EXPECTED
    assert tgi_server.connections_opened == 1
    assert tgi_server.requests[0].header("authorization") == "Bearer hf_secret"


@pytest.mark.anyio
async def test_async_text_generation(tgi_server: LoopbackServer) -> None:
    async with AsyncInferenceClient(tgi_server.url) as client:
        out = await client.text_generation("Once upon", details=True)
        assert isinstance(out, TextGenerationOutput)
        assert out.generated_text == "".join(reply_words("Once upon"))
        stream = await client.text_generation("Once upon", stream=True)
        assert [token async for token in stream] == reply_words("Once upon")


@pytest.mark.anyio
async def test_async_errors(tgi_server: LoopbackServer) -> None:
    async with AsyncInferenceClient(tgi_server.url) as client:
        with pytest.raises(ValidationError) as info:
            await client.text_generation("[validation-error]")
        assert info.value.status == 422
        stream = await client.chat_completion(
            [{"role": "user", "content": "[error-in-stream]"}], stream=True
        )
        received = []
        with pytest.raises(GenerationError):
            async for chunk in stream:
                received.append(chunk)
        assert len(received) == 2
        assert await client.text_generation("again") == "".join(reply_words("again"))


@pytest.mark.anyio
async def test_async_stalled_server_times_out() -> None:
    with LoopbackServer(lambda request: Stall(30)) as server:
        async with AsyncInferenceClient(server.url, timeout=0.5) as client:
            start = time.monotonic()
            with pytest.raises(InferenceTimeoutError):
                await client.chat_completion(MESSAGES)
            assert time.monotonic() - start < 2.0


@pytest.mark.anyio
async def test_async_cancelled_call_leaves_client_usable(tgi_server: LoopbackServer) -> None:
    def handler(request: ServerRequest) -> object:
        return Stall(30)

    with LoopbackServer(handler) as slow:  # type: ignore[arg-type]
        async with AsyncInferenceClient(slow.url) as client:
            with anyio.move_on_after(0.2) as scope:
                await client.chat_completion(MESSAGES)
            assert scope.cancelled_caught
    async with AsyncInferenceClient(tgi_server.url) as client:
        assert (await client.chat_completion(MESSAGES)).choices[0].message.content == EXPECTED
