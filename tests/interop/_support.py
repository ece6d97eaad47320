"""The interop suite's transport setups and the harness giving both clients one calling
convention (the fixtures are in ``conftest.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio
import anyio.to_thread
import attrs
import pytest

from inference_core import AsyncInferenceClient, InferenceClient


@attrs.frozen
class Setup:
    """One way of reaching a server: which client, which transport, which event loop."""

    client: str  # "sync" or "async"
    transport: str  # "default", "requests", "aiohttp", "anyio", "trio"
    backend: str  # the event loop the test runs on


SETUPS = {
    "sync-default": Setup("sync", "default", "asyncio"),
    "sync-requests": Setup("sync", "requests", "asyncio"),
    "async-default-asyncio": Setup("async", "default", "asyncio"),
    "async-default-trio": Setup("async", "default", "trio"),
    "async-aiohttp": Setup("async", "aiohttp", "asyncio"),
    "async-anyio-asyncio": Setup("async", "anyio", "asyncio"),
    "async-anyio-trio": Setup("async", "anyio", "trio"),
    "async-trio": Setup("async", "trio", "trio"),
}


def server_env(name: str) -> str:
    """The value of ``name``, or skip the test saying how to get it."""
    value = os.environ.get(name)
    if not value:
        pytest.skip(
            f"{name} is not set: the interop servers are not running (start them with"
            " scripts/interop.sh, see docs/interop.md)"
        )
    return value


class Harness:
    """A client for one setup, with one calling convention for both clients.

    ``await harness.call(fn)`` runs ``fn(client)``: awaited for the async client, in a worker
    thread for the blocking one. ``await harness.stream(fn, limit)`` iterates the stream
    ``fn(client)`` returns, up to ``limit`` items, then closes it.
    """

    def __init__(self, setup: Setup, base_url: str, timeout: float = 60.0) -> None:
        self.setup = setup
        self.client: Any
        if setup.client == "sync":
            transport: Any = None
            if setup.transport == "requests":
                from transports import RequestsTransport

                transport = RequestsTransport()
            self.client = InferenceClient(base_url=base_url, timeout=timeout, transport=transport)
            self._owned = transport
        else:
            transport = _async_transport(setup.transport)
            self.client = AsyncInferenceClient(
                base_url=base_url, timeout=timeout, transport=transport
            )
            self._owned = transport

    @property
    def is_async(self) -> bool:
        return self.setup.client == "async"

    async def call(self, fn: Callable[[Any], Any]) -> Any:
        if self.is_async:
            return await fn(self.client)
        return await anyio.to_thread.run_sync(fn, self.client)

    async def stream(self, fn: Callable[[Any], Any], limit: int | None = None) -> list[Any]:
        if self.is_async:
            items: list[Any] = []
            stream = await fn(self.client)
            try:
                async for item in stream:
                    items.append(item)
                    if limit is not None and len(items) >= limit:
                        break
            finally:
                await stream.aclose()
            return items
        return await anyio.to_thread.run_sync(partial(_read_sync, fn, self.client, limit))

    async def aclose(self) -> None:
        if self.is_async:
            await self.client.aclose()
            if self._owned is not None:
                await self._owned.aclose()
        else:
            self.client.close()
            if self._owned is not None:
                self._owned.close()


def _read_sync(fn: Callable[[Any], Any], client: Any, limit: int | None) -> list[Any]:
    items: list[Any] = []
    with fn(client) as stream:
        for item in stream:
            items.append(item)
            if limit is not None and len(items) >= limit:
                break
    return items


def _async_transport(name: str) -> Any:
    if name == "default":
        return None
    if name == "aiohttp":
        from transports import AiohttpTransport

        return AiohttpTransport()
    if name == "anyio":
        from transports import AnyioTransport

        return AnyioTransport()
    from transports import TrioTransport

    return TrioTransport()
