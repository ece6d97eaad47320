"""``timeout=Timeout(connect=, read=, write=, pool=, total=)``: each phase on every transport,
``total`` as the call's deadline, over real loopback sockets."""

from __future__ import annotations

import time
from typing import Any

import pytest

from fake_service.server import LoopbackServer, Reply, StreamReply
from inference_core import InferenceClient, InferenceTimeoutError, RequestError, Timeout
from inference_core.transport import idle_seconds, timeout_phases
from transports import HttpcoreTransport, RequestsTransport, SocketTransport


def test_phases_of_a_number_and_of_a_timeout() -> None:
    assert timeout_phases(3) == (3, 3, 3, 3)
    assert timeout_phases(None) == (None, None, None, None)
    assert timeout_phases(Timeout(connect=1, read=2)) == (1, 2, None, None)
    assert idle_seconds(Timeout(read=4)) == 4 and idle_seconds(5) == 5


def test_bad_phases_are_request_errors() -> None:
    with pytest.raises(RequestError):
        InferenceClient(timeout=Timeout(read=-1))


def _slow_body(request: Any) -> StreamReply:
    return StreamReply([b"[[1.0", b"]]"], headers=(("content-type", "application/json"),),
                       delay=0.6)  # fmt: skip


@pytest.mark.parametrize("transport", [SocketTransport, HttpcoreTransport, RequestsTransport])
def test_read_phase_bounds_each_read(transport: Any) -> None:
    with LoopbackServer(_slow_body) as server, transport() as sending:
        client = InferenceClient(
            server.url + "/m", transport=sending, timeout=Timeout(connect=5, read=0.3)
        )
        with pytest.raises(InferenceTimeoutError):
            client.feature_extraction("hi")
        generous = InferenceClient(
            server.url + "/m", transport=sending, timeout=Timeout(connect=0.3, read=5)
        )
        assert generous.feature_extraction("hi").tolist() == [[1.0]]


def test_total_is_the_deadline() -> None:
    with LoopbackServer(_slow_body) as server:
        client = InferenceClient(server.url + "/m", timeout=Timeout(read=5, total=0.4))
        started = time.monotonic()
        with client, pytest.raises(InferenceTimeoutError):
            client.feature_extraction("hi")
        assert time.monotonic() - started < 1.5
        assert client.timeout == Timeout(read=5, total=0.4)


@pytest.mark.anyio
async def test_async_default_transport_takes_phases() -> None:
    from inference_core import AsyncInferenceClient

    with LoopbackServer(lambda request: Reply.json([[2.0]])) as server:
        async with AsyncInferenceClient(
            server.url + "/m", timeout=Timeout(connect=1, read=1, write=1, pool=1)
        ) as client:
            assert (await client.feature_extraction("hi")).tolist() == [[2.0]]
        async with AsyncInferenceClient(server.url + "/m", timeout=Timeout(read=0.3)) as slow:
            with LoopbackServer(_slow_body) as slow_server:
                slow.model = slow_server.url + "/m"
                with pytest.raises(InferenceTimeoutError):
                    await slow.feature_extraction("hi")
