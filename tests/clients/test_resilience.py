"""Retries, deadlines, call options, raw responses and failover, through the public clients.

Real sockets where timing or retries matter (the loopback server counts requests), the mock
transport where only the wire matters. Every async test runs on asyncio and on trio.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from fake_service.server import LoopbackServer, Reply, ServerRequest, Stall
from inference_core import (
    AsyncInferenceClient,
    ConnectError,
    InferenceClient,
    InferenceTimeoutError,
    Request,
    RequestError,
    Response,
)
from transports import MockTransport

VECTOR = Reply.json([[0.5, 0.25]])


class Script:
    """A loopback handler answering from a list of replies, in order (the last one repeats)."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.seen: list[ServerRequest] = []

    def __call__(self, request: ServerRequest) -> Any:
        self.seen.append(request)
        return self.replies[min(len(self.seen), len(self.replies)) - 1]


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[LoopbackServer] = []

    def start(script: Script) -> str:
        server = LoopbackServer(script)
        server.__enter__()
        servers.append(server)
        return server.url + "/models/acme"

    yield start
    for server in servers:
        server.__exit__(None, None, None)


def test_a_503_then_success_is_retried_over_a_real_socket(serve: Any) -> None:
    script = Script(Reply(503, (("retry-after", "0"),), b"busy"), VECTOR)
    with InferenceClient(serve(script)) as client:
        assert client.feature_extraction("hi").tolist() == [[0.5, 0.25]]
    assert len(script.seen) == 2


@pytest.mark.anyio
async def test_async_retry_over_a_real_socket(serve: Any) -> None:
    script = Script(Reply(429, (("retry-after", "0.05"),), b"slow"), VECTOR)
    async with AsyncInferenceClient(serve(script)) as client:
        assert (await client.feature_extraction("hi")).tolist() == [[0.5, 0.25]]
    assert len(script.seen) == 2


def test_per_call_max_retries_overrides_the_client(serve: Any) -> None:
    script = Script(Reply(503, (("retry-after", "0"),), b"busy"))
    client = InferenceClient(serve(script), max_retries=5)
    with client, pytest.raises(Exception, match="503"):
        client.feature_extraction("hi", max_retries=1)
    assert len(script.seen) == 2


def test_a_refused_connection_is_retried_then_raises(serve: Any) -> None:
    slept: list[float] = []
    transport = MockTransport(lambda request: (_ for _ in ()).throw(ConnectError("refused")))
    transport.sleep = slept.append  # type: ignore[method-assign]
    client = InferenceClient("http://127.0.0.1:9/m", transport=transport)
    with pytest.raises(ConnectError):
        client.feature_extraction("hi")
    assert len(transport.requests) == 3 and len(slept) == 2


def test_deadline_bounds_a_stalled_server(serve: Any) -> None:
    script = Script(Stall(10))
    with InferenceClient(serve(script), timeout=30, deadline=0.5) as client:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            client.feature_extraction("hi")
    assert time.monotonic() - started < 2.0


@pytest.mark.anyio
async def test_per_call_deadline_bounds_an_async_call(serve: Any) -> None:
    script = Script(Stall(10))
    async with AsyncInferenceClient(serve(script)) as client:
        started = anyio.current_time()
        with pytest.raises(InferenceTimeoutError):
            await client.feature_extraction("hi", deadline=0.5)
        assert anyio.current_time() - started < 2.0


def test_a_wait_beyond_the_deadline_fails_at_once(serve: Any) -> None:
    script = Script(Reply(503, (("retry-after", "30"),), b"busy"))
    with InferenceClient(serve(script), deadline=2) as client:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            client.feature_extraction("hi")
    assert time.monotonic() - started < 1.0 and len(script.seen) == 1


def test_bad_call_options_are_request_errors() -> None:
    with pytest.raises(RequestError):
        InferenceClient(max_retries=-1)
    with pytest.raises(RequestError):
        InferenceClient(deadline=0)
    client = InferenceClient("http://127.0.0.1:9/m", transport=MockTransport(lambda r: VECTOR))
    with pytest.raises(RequestError):
        client.feature_extraction("hi", deadline="soon")


def _vector(request: Request) -> Response:
    return Response(200, (("content-type", "application/json"), ("x-compute-time", "0.1")),
                    b"[[1.0]]")  # fmt: skip


def test_with_options_is_a_view_sharing_the_transport() -> None:
    transport = MockTransport(_vector)
    client = InferenceClient("http://127.0.0.1:9/m", transport=transport, max_retries=2)
    view = client.with_options(max_retries=0, deadline=5, timeout=3)
    assert (view.max_retries, view.deadline, view.timeout) == (0, 5, 3)
    assert (client.max_retries, client.deadline, client.timeout) == (2, None, None)
    view.feature_extraction("hi")
    assert transport.requests[-1].timeout is not None and transport.requests[-1].timeout <= 3
    view.close()
    assert not transport.closed  # a view closes nothing


def test_with_raw_response_gives_the_exchange_and_the_output() -> None:
    answers = iter([Response(429, (("retry-after", "0"),)), _vector(Request("GET", "x"))])
    transport = MockTransport(lambda request: next(answers))
    client = InferenceClient("http://127.0.0.1:9/m", transport=transport)
    raw = client.with_raw_response.feature_extraction("hi")
    assert raw.status_code == 200 and raw.retries_taken == 1
    assert raw.headers["x-compute-time"] == raw.compute_time == "0.1"
    assert raw.provider == "hf-inference"
    assert raw.parse().tolist() == [[1.0]]
    assert raw.retries[0].response is not None and raw.retries[0].response.status == 429


@pytest.mark.anyio
async def test_async_with_raw_response() -> None:
    client = AsyncInferenceClient("http://127.0.0.1:9/m", transport=MockTransport(_vector))
    raw = await client.with_raw_response.feature_extraction("hi")
    assert raw.status_code == 200 and raw.parse().tolist() == [[1.0]]


def _hub_and_providers(failing: set[str]) -> Any:
    def handler(request: Request) -> Response:
        if "/api/models/" in request.url:
            mapping = {
                name: {"status": "live", "providerId": f"{name}/model", "task": "conversational"}
                for name in ("together", "fireworks-ai")
            }
            body = json.dumps({"id": "acme/m", "inferenceProviderMapping": mapping})
            return Response(200, (("content-type", "application/json"),), body.encode())
        provider = request.url.split("router.huggingface.co/", 1)[1].split("/", 1)[0]
        if provider in failing:
            return Response(500, (), b'{"error": "provider down"}')
        chat = {
            "id": "1", "created": 1, "model": "m", "object": "chat.completion",
            "system_fingerprint": "", "usage": None,
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": f"from {provider}"}}],
        }  # fmt: skip
        return Response(200, (("content-type", "application/json"),), json.dumps(chat).encode())

    return handler


MESSAGES = [{"role": "user", "content": "hi"}]


def test_fallback_moves_to_the_next_provider_of_the_mapping() -> None:
    transport = MockTransport(_hub_and_providers({"together"}))
    client = InferenceClient(token="hf_x", transport=transport, fallback=True, max_retries=0)
    raw = client.with_raw_response.chat_completion(MESSAGES, model="acme/m")
    assert raw.parse().choices[0].message.content == "from fireworks-ai"
    assert raw.provider == "fireworks-ai" and raw.failovers == ["together"]


def test_without_fallback_the_first_provider_error_is_raised() -> None:
    transport = MockTransport(_hub_and_providers({"together"}))
    client = InferenceClient(token="hf_x", transport=transport, max_retries=0)
    with pytest.raises(Exception, match="provider down"):
        client.chat_completion(MESSAGES, model="acme/m")


def test_fallback_with_every_provider_down_raises_the_first_error() -> None:
    transport = MockTransport(_hub_and_providers({"together", "fireworks-ai"}))
    client = InferenceClient(token="hf_x", transport=transport, fallback=True, max_retries=0)
    with pytest.raises(Exception, match="provider down") as raised:
        client.chat_completion(MESSAGES, model="acme/m")
    assert "together" in str(raised.value.request.url)  # type: ignore[attr-defined]


@pytest.mark.anyio
async def test_async_fallback() -> None:
    transport = MockTransport(_hub_and_providers({"together"}))
    client = AsyncInferenceClient(token="hf_x", transport=transport, fallback=True, max_retries=0)
    out = await client.chat_completion(MESSAGES, model="acme/m")
    assert out.choices[0].message.content == "from fireworks-ai"


def test_secret_headers_never_cross_to_another_host() -> None:
    def handler(request: Request) -> Response:
        if request.url.startswith("http://127.0.0.1:9/"):
            return Response(307, (("location", "http://other.example/m"),))
        return _vector(request)

    transport = MockTransport(handler)
    client = InferenceClient(
        "http://127.0.0.1:9/m", transport=transport, token="hf_secret",
        headers={"X-Api-Key": "k1", "api-key": "k2", "X-My-Session": "s", "X-Custom": "c"},
    )  # fmt: skip
    client.feature_extraction("hi")
    first, second = transport.requests
    assert first.header("x-api-key") == "k1" and first.header("authorization")
    names = {name.lower() for name, _ in second.headers}
    assert names <= {"user-agent", "accept", "accept-encoding", "content-type"}


def test_the_token_is_masked_in_reprs_and_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    transport = MockTransport(_vector)
    client = InferenceClient(
        "http://127.0.0.1:9/m?api_key=abc123",
        transport=transport,
        token="hf_supersecret",
        headers={"X-Api-Key": "k-secret-1"},
    )
    assert "hf_supersecret" not in repr(client) + repr(client._config)
    with caplog.at_level(logging.DEBUG, logger="inference_core"):
        client.feature_extraction("hi")
    text = caplog.text
    assert "curl -X POST" in text and "Bearer hf_***" in text
    assert "hf_supersecret" not in text and "k-secret-1" not in text and "abc123" not in text


def _chunk(text: str) -> bytes:
    chunk = {
        "id": "1", "created": 1, "model": "m", "object": "chat.completion.chunk",
        "system_fingerprint": "",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": text},
                     "finish_reason": None, "logprobs": None}],
    }  # fmt: skip
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


def test_a_stream_whose_head_is_503_is_retried_then_streams(serve: Any) -> None:
    from fake_service.server import StreamReply

    busy = Reply(503, (("content-type", "application/json"),), b'{"estimated_time": 0.01}')
    script = Script(busy, StreamReply([_chunk("Hel"), _chunk("lo"), b"data: [DONE]\n\n"]))
    with InferenceClient(serve(script)) as client:
        stream = client.chat_completion(MESSAGES, stream=True)
        assert "".join(c.choices[0].delta.content or "" for c in stream) == "Hello"
    assert len(script.seen) == 2


@pytest.mark.anyio
async def test_async_stream_retry(serve: Any) -> None:
    from fake_service.server import StreamReply

    busy = Reply(429, (("retry-after", "0"),), b"slow down")
    script = Script(busy, StreamReply([_chunk("ok"), b"data: [DONE]\n\n"]))
    async with AsyncInferenceClient(serve(script)) as client:
        stream = await client.chat_completion(MESSAGES, stream=True)
        texts = [c.choices[0].delta.content async for c in stream]
    assert texts == ["ok"] and len(script.seen) == 2
