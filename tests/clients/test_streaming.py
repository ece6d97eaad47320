"""Streaming calls take the same path as plain ones: redirects, status mapping, typed errors.

Through the real clients and their default transports, over loopback HTTP, sync and async on
asyncio and trio: ``chat_completion(stream=True)`` and ``text_generation(stream=True)`` follow a
307 (dropping the token across origins), and a response that is not an event stream (JSON, an
error body, HTML, a 204, a 500) raises the typed error carrying the server's message instead of
iterating nothing. Every response is read and released, so the next call reuses the connection.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import pytest

from fake_service.server import LoopbackServer, Reply, ServerRequest, StreamReply
from fake_service.tgi import reply_words, tgi_handler
from inference_core import (
    AsyncInferenceClient,
    HTTPStatusError,
    InferenceClient,
    ProviderError,
    ValidationError,
)

QUESTION = "What is the capital of France?"
MESSAGES = [{"role": "user", "content": QUESTION}]
PROMPT = "Once upon"
TASKS = ["chat_completion", "text_generation"]

# (route, error class, text the error message must contain)
NOT_A_STREAM = [
    ("tgi-error", ValidationError, "boom"),
    ("detail", ProviderError, "Model not found"),
    ("html", ProviderError, "text/html"),
    ("no-content", ProviderError, "204 No Content"),
    ("fail", HTTPStatusError, "upstream exploded"),
]


def route(other: str, request: ServerRequest) -> Reply | StreamReply:
    """``/<case>/<rest>``: the case decides the answer; anything else goes to the fake TGI."""
    case, _, rest = urlsplit(request.target).path.lstrip("/").partition("/")
    if case == "redirect":
        return Reply(307, (("location", "/" + rest),))
    if case == "cross":
        return Reply(307, (("location", other + "/" + rest),))
    if case == "tgi-error":
        return Reply.json({"error": "boom", "error_type": "validation"})
    if case == "detail":
        return Reply.json({"detail": "Model not found"})
    if case == "html":
        return Reply(200, (("content-type", "text/html"),), b"<html><body>Sign in</body></html>")
    if case == "no-content":
        return Reply(204)
    if case == "fail":
        return Reply.json({"error": "upstream exploded"}, status=500)
    return tgi_handler(request)


@pytest.fixture
def servers() -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    """The test server, and another origin it can redirect to (a fake TGI)."""
    with LoopbackServer(tgi_handler) as other, LoopbackServer(partial(route, other.url)) as server:
        yield server, other


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    """Collect at teardown, so a leaked connection's ResourceWarning fails the test."""
    yield
    gc.collect()


def expected(task: str) -> Any:
    return "".join(reply_words(QUESTION)) if task == "chat_completion" else reply_words(PROMPT)


def items(client: InferenceClient, task: str) -> Any:
    """Stream ``task`` and collect what it yields (the chat text, or the token texts)."""
    if task == "chat_completion":
        with client.chat_completion(MESSAGES, stream=True) as stream:
            return "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    return list(client.text_generation(PROMPT, stream=True))


async def aitems(client: AsyncInferenceClient, task: str) -> Any:
    if task == "chat_completion":
        async with await client.chat_completion(MESSAGES, stream=True) as stream:
            return "".join([chunk.choices[0].delta.content or "" async for chunk in stream])
    return [token async for token in await client.text_generation(PROMPT, stream=True)]


# -- sync client, default transport ----------------------------------------------------------------


@pytest.mark.parametrize("task", TASKS)
def test_sync_stream_follows_a_same_origin_307(
    servers: tuple[LoopbackServer, LoopbackServer], task: str
) -> None:
    server, _ = servers
    with InferenceClient(server.url + "/redirect", token="hf_secret") as client:
        assert items(client, task) == expected(task)
    first, second = server.requests
    assert urlsplit(first.target).path.startswith("/redirect")
    assert not urlsplit(second.target).path.startswith("/redirect")
    assert second.header("authorization") == "Bearer hf_secret"
    assert second.body == first.body
    assert server.connections_opened == 1  # the redirect's body was read: connection reused


@pytest.mark.parametrize("task", TASKS)
def test_sync_stream_cross_origin_redirect_drops_the_token(
    servers: tuple[LoopbackServer, LoopbackServer], task: str
) -> None:
    server, other = servers
    with InferenceClient(server.url + "/cross", token="hf_secret") as client:
        assert items(client, task) == expected(task)
    assert server.requests[0].header("authorization") == "Bearer hf_secret"
    assert len(other.requests) == 1
    assert other.requests[0].header("authorization") is None


@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize(("case", "error", "message"), NOT_A_STREAM)
def test_sync_stream_that_is_not_an_event_stream_raises_the_typed_error(
    servers: tuple[LoopbackServer, LoopbackServer],
    task: str,
    case: str,
    error: type[ProviderError],
    message: str,
) -> None:
    server, _ = servers
    with InferenceClient(server.url + "/" + case) as client:
        with pytest.raises(error) as info:
            items(client, task)
        assert message in str(info.value)
        assert info.value.response is not None
        assert info.value.status == info.value.response.status


@pytest.mark.parametrize("task", TASKS)
def test_sync_stream_works_and_the_connection_is_reused(
    servers: tuple[LoopbackServer, LoopbackServer], task: str
) -> None:
    server, _ = servers
    with InferenceClient(server.url) as client:
        assert items(client, task) == expected(task)
        assert items(client, task) == expected(task)
        assert client.chat_completion(MESSAGES).choices[0].message.content == expected(
            "chat_completion"
        )
    assert server.connections_opened == 1
    assert len(server.requests) == 3


def test_sync_error_then_stream_on_the_same_client_reuses_the_connection(
    servers: tuple[LoopbackServer, LoopbackServer],
) -> None:
    server, _ = servers
    with InferenceClient(server.url) as client:
        for case, error, _ in NOT_A_STREAM:
            with pytest.raises(error):
                list(client.text_generation(PROMPT, stream=True, model=server.url + "/" + case))
        assert items(client, "text_generation") == expected("text_generation")
    assert len(server.requests) == len(NOT_A_STREAM) + 1
    assert server.connections_opened == 1


# -- async client, default transport, asyncio and trio -------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("task", TASKS)
async def test_async_stream_follows_a_same_origin_307(
    servers: tuple[LoopbackServer, LoopbackServer], task: str
) -> None:
    server, _ = servers
    async with AsyncInferenceClient(server.url + "/redirect", token="hf_secret") as client:
        assert await aitems(client, task) == expected(task)
    first, second = server.requests
    assert urlsplit(first.target).path.startswith("/redirect")
    assert second.header("authorization") == "Bearer hf_secret"
    assert server.connections_opened == 1


@pytest.mark.anyio
@pytest.mark.parametrize("task", TASKS)
async def test_async_stream_cross_origin_redirect_drops_the_token(
    servers: tuple[LoopbackServer, LoopbackServer], task: str
) -> None:
    server, other = servers
    async with AsyncInferenceClient(server.url + "/cross", token="hf_secret") as client:
        assert await aitems(client, task) == expected(task)
    assert server.requests[0].header("authorization") == "Bearer hf_secret"
    assert other.requests[0].header("authorization") is None


@pytest.mark.anyio
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize(("case", "error", "message"), NOT_A_STREAM)
async def test_async_stream_that_is_not_an_event_stream_raises_the_typed_error(
    servers: tuple[LoopbackServer, LoopbackServer],
    task: str,
    case: str,
    error: type[ProviderError],
    message: str,
) -> None:
    server, _ = servers
    async with AsyncInferenceClient(server.url + "/" + case) as client:
        with pytest.raises(error) as info:
            await aitems(client, task)
        assert message in str(info.value)
        assert info.value.response is not None


@pytest.mark.anyio
@pytest.mark.parametrize("task", TASKS)
async def test_async_stream_works_and_the_connection_is_reused(
    servers: tuple[LoopbackServer, LoopbackServer], task: str
) -> None:
    server, _ = servers
    async with AsyncInferenceClient(server.url) as client:
        for case, error, _ in NOT_A_STREAM:
            with pytest.raises(error):
                await client.text_generation(PROMPT, stream=True, model=server.url + "/" + case)
        assert await aitems(client, task) == expected(task)
        assert await aitems(client, task) == expected(task)
    assert len(server.requests) == len(NOT_A_STREAM) + 2
    assert server.connections_opened == 1
