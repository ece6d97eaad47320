"""MockTransport and AsyncMockTransport: recording, chunking, sleeps, close, bounds; and the
default transports' options."""

from __future__ import annotations

import time

import anyio
import pytest

from inference_core.transport import (
    InferenceTimeoutError,
    ReadError,
    Request,
    Response,
    ResponseTooLargeError,
)
from transports import (
    AnyioTransport,
    AsyncMockTransport,
    AsyncTransport,
    MockTransport,
    SocketTransport,
    SyncTransport,
    as_async_transport,
    default_async_transport,
    default_transport,
)

BODY = b"0123456789"


def handler(request: Request) -> Response:
    if request.url.endswith("/fail"):
        raise ReadError("simulated")
    return Response(201, (("x-url", request.url),), BODY)


async def async_handler(request: Request) -> Response:
    await anyio.sleep(0)
    return handler(request)


def test_sync_records_requests_and_sleeps() -> None:
    with MockTransport(handler) as transport:
        assert isinstance(transport, SyncTransport)
        first = Request("POST", "https://x/a", (("a", "1"),), b"{}")
        response = transport.send(first)
        assert (response.status, response.header("x-url"), response.body) == (
            201,
            "https://x/a",
            BODY,
        )
        with transport.stream(Request("GET", "https://x/b")) as streamed:
            assert list(streamed.chunks) == [BODY]
        transport.sleep(1.5)
        transport.sleep(3)
        assert [r.url for r in transport.requests] == ["https://x/a", "https://x/b"]
        assert transport.requests[0] is first
        assert transport.sleeps == [1.5, 3]
    assert transport.closed


@pytest.mark.parametrize(
    ("chunk_size", "expected"),
    [
        (None, [BODY]),
        (1, [bytes([c]) for c in BODY]),
        (4, [b"0123", b"4567", b"89"]),
        (100, [BODY]),
    ],
)
def test_sync_stream_chunking(chunk_size: int | None, expected: list[bytes]) -> None:
    transport = MockTransport(handler, chunk_size=chunk_size)
    with transport.stream(Request("GET", "https://x/")) as streamed:
        assert streamed.status == 201
        assert list(streamed.chunks) == expected


def test_empty_body_streams_no_chunk() -> None:
    transport = MockTransport(lambda request: Response(204), chunk_size=3)
    with transport.stream(Request("GET", "https://x/")) as streamed:
        assert list(streamed.chunks) == []


def test_handler_errors_propagate_and_are_recorded() -> None:
    transport = MockTransport(handler)
    with pytest.raises(ReadError, match="simulated"):
        transport.send(Request("GET", "https://x/fail"))
    assert len(transport.requests) == 1


def test_close_is_idempotent_and_use_after_close_raises() -> None:
    transport = MockTransport(handler)
    transport.close()
    transport.close()
    with pytest.raises(RuntimeError, match="MockTransport is closed"):
        transport.send(Request("GET", "https://x/"))


def test_chunk_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        MockTransport(handler, chunk_size=0)


@pytest.mark.anyio
@pytest.mark.parametrize("answer", [handler, async_handler], ids=["plain", "async"])
async def test_async_records_and_chunks(answer: object) -> None:
    async with AsyncMockTransport(answer, chunk_size=4) as transport:  # type: ignore[arg-type]
        assert isinstance(transport, AsyncTransport)
        response = await transport.send(Request("GET", "https://x/a"))
        assert (response.status, response.body) == (201, BODY)
        async with transport.stream(Request("GET", "https://x/b")) as streamed:
            assert [chunk async for chunk in streamed.chunks] == [b"0123", b"4567", b"89"]
        await transport.sleep(2)
        assert [r.url for r in transport.requests] == ["https://x/a", "https://x/b"]
        assert transport.sleeps == [2]
        with pytest.raises(ReadError):
            await transport.send(Request("GET", "https://x/fail"))
    assert transport.closed
    await transport.aclose()
    with pytest.raises(RuntimeError, match="AsyncMockTransport is closed"):
        await transport.send(Request("GET", "https://x/"))


@pytest.mark.parametrize("timeout", [None, 0.5])
def test_sync_records_each_request_as_given_timeout_included(timeout: float | None) -> None:
    transport = MockTransport(handler)
    request = Request("POST", "https://x/a", (), b"{}", timeout=timeout)
    transport.send(request)
    with transport.stream(request):
        pass
    assert transport.requests == [request, request]
    assert all(recorded.timeout == timeout for recorded in transport.requests)


@pytest.mark.anyio
@pytest.mark.parametrize("timeout", [None, 0.5])
async def test_async_records_each_request_as_given_timeout_included(
    timeout: float | None,
) -> None:
    request = Request("POST", "https://x/a", (), b"{}", timeout=timeout)
    async_mock, sync_mock = AsyncMockTransport(handler), MockTransport(handler)
    for transport in (async_mock, as_async_transport(sync_mock)):  # the client's async view too
        await transport.send(request)
        async with transport.stream(request):
            pass
    recorded = [*async_mock.requests, *sync_mock.requests]
    assert recorded == [request] * 4
    assert all(r.timeout == timeout for r in recorded)


@pytest.mark.anyio
async def test_async_sleep_does_not_wait_but_is_cancellable() -> None:
    transport = AsyncMockTransport(handler)
    with anyio.fail_after(1):
        for _ in range(100):
            await transport.sleep(60)
    assert transport.sleeps == [60] * 100
    with anyio.CancelScope() as scope:
        scope.cancel()
        await transport.sleep(1)
    assert scope.cancelled_caught


def test_mock_bounds_past_deadline_and_max_bytes() -> None:
    transport = MockTransport(lambda request: Response(200, body=b"0123456789"))
    with pytest.raises(InferenceTimeoutError):
        transport.send(Request("GET", "http://x/", deadline=time.monotonic() - 1))
    with pytest.raises(InferenceTimeoutError), transport.stream(
        Request("GET", "http://x/", deadline=time.monotonic() - 1)
    ):
        pass
    assert transport.send(Request("GET", "http://x/", max_bytes=10)).body == b"0123456789"
    with pytest.raises(ResponseTooLargeError, match="max_bytes=9"):
        transport.send(Request("GET", "http://x/", max_bytes=9))
    with transport.stream(Request("GET", "http://x/", max_bytes=9)) as streamed:
        assert b"".join(streamed.chunks) == b"0123456789"  # streams are not bounded


@pytest.mark.anyio
async def test_async_mock_bounds_past_deadline_and_max_bytes() -> None:
    transport = AsyncMockTransport(lambda request: Response(200, body=b"0123456789"))
    with pytest.raises(InferenceTimeoutError):
        await transport.send(Request("GET", "http://x/", deadline=time.monotonic() - 1))
    with pytest.raises(ResponseTooLargeError):
        await transport.send(Request("GET", "http://x/", max_bytes=9))
    assert (await transport.send(Request("GET", "http://x/", max_bytes=10))).status == 200


def test_default_transports_take_trust_env_and_verify(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "example.com")
    sync = default_transport(5, None, trust_env=True, verify=False)
    assert isinstance(sync, SocketTransport)  # h11 on stdlib sockets: the least CPU per call
    assert sync._options.proxies["https"].url == "http://proxy.invalid:3128"
    assert sync._options.proxy_for(("https", "api.example.com", 443)) is None
    sync.close()
    plain = default_transport(None, None)  # the old positional call still works
    assert isinstance(plain, SocketTransport) and plain._options.proxies == {}
    plain.close()
    async_ = default_async_transport(5, None, trust_env=True, verify=False)
    assert isinstance(async_, AnyioTransport)  # the fastest on asyncio and trio alike
    assert async_._options.no_proxy == "example.com"
