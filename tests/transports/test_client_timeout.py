"""The client's ``timeout`` travels with each request: a transport built without one honours it.

Every transport setup from ``conftest.py`` (blocking ones from ``make_sync``; async ones from
``make_async``, on asyncio and trio) is built with no timeout of its own and handed to a client
with ``timeout=0.5``; a call to a route that stalls for 30 s must raise InferenceTimeoutError.
"""

from __future__ import annotations

import time

import pytest

from fake_service import LoopbackServer
from inference_core import AsyncInferenceClient, InferenceClient
from inference_core.transport import InferenceTimeoutError

from .conftest import AsyncFactory, SyncFactory

pytestmark = pytest.mark.timeout(60)

CLIENT_TIMEOUT = 0.5
PATIENCE = 3  # seconds: far below the route's 30 s stall


def test_sync_client_timeout_reaches_a_transport_without_one(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync() as transport:
        client = InferenceClient(
            model=server.url + "/stall", timeout=CLIENT_TIMEOUT, transport=transport
        )
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            client.text_generation("hi")
        assert time.monotonic() - started < PATIENCE


@pytest.mark.anyio
async def test_async_client_timeout_reaches_a_transport_without_one(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async() as transport:
        client = AsyncInferenceClient(
            model=server.url + "/stall", timeout=CLIENT_TIMEOUT, transport=transport
        )
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            await client.text_generation("hi")
        assert time.monotonic() - started < PATIENCE
