"""Fixtures for the fault matrix: one factory per transport setup (the 9 of
``tests/transports/conftest.py``), and a garbage collection at teardown so a leaked socket's
ResourceWarning fails the test that leaked it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from transports import AsyncHttpcoreTransport, HttpcoreTransport
from transports.aiohttp import AiohttpTransport
from transports.anyio import AnyioTransport
from transports.requests import RequestsTransport
from transports.sockets import SocketTransport
from transports.trio import TrioTransport

Factory = Callable[[], Any]


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture(params=["socket", "httpcore", "requests"])
def make_sync(request: pytest.FixtureRequest) -> Factory:
    """Each blocking transport's class."""
    factories: dict[str, Factory] = {
        "socket": SocketTransport,
        "httpcore": HttpcoreTransport,
        "requests": RequestsTransport,
    }
    return factories[request.param]


@pytest.fixture(params=["httpcore", "aiohttp", "anyio", "trio"])
def make_async(request: pytest.FixtureRequest, anyio_backend: str) -> Factory:
    """Each async transport's class, on each event loop it can run on."""
    name: str = request.param
    if name == "aiohttp" and anyio_backend != "asyncio":
        pytest.skip("AiohttpTransport runs on asyncio only")
    if name == "trio" and anyio_backend != "trio":
        pytest.skip("TrioTransport runs on trio only")
    factories: dict[str, Factory] = {
        "httpcore": AsyncHttpcoreTransport,
        "aiohttp": AiohttpTransport,
        "anyio": AnyioTransport,
        "trio": TrioTransport,
    }
    return factories[name]
