"""Cancellation on every async setup (asyncio and trio): mid-connect, mid-headers, mid-body and
mid-stream. The cancelled call ends promptly, its connection is closed (never pooled half-read),
nothing leaks a ResourceWarning, and the next call on the same client works.

Mid-connect uses a listener with a full accept queue (``listen(0)`` and one connection already
queued): the kernel drops further SYNs, so a connect to it hangs until cancelled.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import anyio
import pytest

from inference_core import AsyncInferenceClient

from ._cases import EMBEDDING, EVENTS, JSON_HEAD, OK
from ._server import FaultServer, chunked, drip, stall

CANCEL_AFTER = 0.3
SLACK = 1.0


@contextlib.contextmanager
def hanging_url() -> Iterator[str]:
    """A loopback URL whose connect hangs: its accept queue is full."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        with socket.create_connection(listener.getsockname()):  # fills the queue
            yield "http://{}:{}".format(*listener.getsockname())


async def _call(client: Any, where: str, url: str) -> None:
    if where == "mid-stream":
        async for _ in await client.text_generation("hi", stream=True, model=url):
            pass
    else:
        await client.feature_extraction("hi", model=url)


FAULTS = {
    "mid-headers": stall(),
    "mid-body": drip(b" " * 1000 + b"[]", 0.05, JSON_HEAD),
    "mid-stream": chunked([EVENTS[0]], end="stall"),
}


@pytest.mark.anyio
@pytest.mark.parametrize("where", ["mid-connect", *FAULTS])
async def test_cancelled_call_releases_and_client_still_works(
    where: str, make_async: Any, request: pytest.FixtureRequest
) -> None:
    with (
        FaultServer([OK["embed"]]) as good,
        FaultServer([FAULTS.get(where, OK["embed"])]) as bad,
        hanging_url() as hanging,
    ):
        url = hanging if where == "mid-connect" else bad.url
        async with (
            make_async() as transport,
            AsyncInferenceClient(good.url, transport=transport, timeout=30) as client,
        ):
            start = time.monotonic()
            with anyio.move_on_after(CANCEL_AFTER) as scope:
                await _call(client, where, url)
            elapsed = time.monotonic() - start
            request.node.user_properties.append(("elapsed", round(elapsed, 3)))
            assert scope.cancelled_caught, "the call ended before it was cancelled"
            assert elapsed < CANCEL_AFTER + SLACK
            if where != "mid-connect":
                assert len(bad.requests) == 1
                with anyio.move_on_after(3):
                    while bad.open_connections:
                        await anyio.sleep(0.02)
                assert bad.open_connections == 0, "the cancelled connection was kept"
            result = await client.feature_extraction("hi")
            assert result.tolist() == EMBEDDING
        assert good.wait_all_closed() and bad.wait_all_closed()
