"""Fixtures for the transport tests: one loopback server, and a factory per transport.

``make_sync`` runs a test once per blocking transport; ``make_async`` once per async transport
and event loop (it combines with the ``anyio_backend`` fixture), skipping only the pairs that
cannot work: aiohttp needs asyncio, ``TrioTransport`` needs trio. A factory takes the
transport's keyword arguments (every transport accepts ``timeout=``).
"""

from __future__ import annotations

import gc
import json
import socket
import time
import urllib.parse
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Protocol

import pytest

from fake_service import CloseMidBody, LoopbackServer, Reply, ServerRequest, Stall, StreamReply
from inference_core._transport import AsyncTransport, SyncTransport
from transports import AsyncHttpcoreTransport, HttpcoreTransport
from transports.aiohttp import AiohttpTransport
from transports.anyio import AnyioTransport
from transports.requests import RequestsTransport
from transports.sockets import SocketTransport
from transports.trio import TrioTransport


class ManagedSyncTransport(SyncTransport, Protocol):
    """A :class:`SyncTransport` that is also a context manager (all of ours are)."""

    def __enter__(self) -> SyncTransport: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class ManagedAsyncTransport(AsyncTransport, Protocol):
    """An :class:`AsyncTransport` that is also an async context manager (all of ours are)."""

    async def __aenter__(self) -> AsyncTransport: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


SyncFactory = Callable[..., ManagedSyncTransport]
AsyncFactory = Callable[..., ManagedAsyncTransport]

# SSE events split across HTTP chunks, mid-event and mid-field: only the bytes are the contract.
SSE_CHUNKS = [b'data: {"a"', b": 1}\n\nda", b"ta: 2\n", b"\ndata: [DONE]\n\n"]
SLOW_EVENTS = [b"data: 1\n\n", b"data: 2\n\n", b"data: 3\n\n"]
BIG = bytes(range(256)) * 40960  # 10 MiB: every byte value
LATE = 0.6  # /late answers, and /late-stream sends each chunk, this many seconds late
LATE_CHUNKS = [b"first", b"second"]


def route(request: ServerRequest) -> Reply | StreamReply | Stall | CloseMidBody:
    """The contract server's routes (see each test for what it checks)."""
    path = urllib.parse.urlsplit(request.target).path
    if path == "/echo":
        seen = {
            "method": request.method,
            "target": request.target,
            "headers": [list(pair) for pair in request.headers],
            "body": request.body.decode("latin-1"),
        }
        return Reply.json(seen, headers=(("X-Reply", "Yes"), ("Set-Cookie", "a=1; Path=/")))
    if path == "/binary":
        return Reply(200, (("content-type", "application/octet-stream"),), request.body)
    if path == "/big":
        return Reply(200, (("content-type", "application/octet-stream"),), BIG)
    if path == "/slow":
        time.sleep(0.05)
        return Reply(200, (), request.body)
    if path == "/sse":
        return StreamReply(SSE_CHUNKS, delay=0.1)
    if path == "/sse-slow":
        return StreamReply(SLOW_EVENTS, delay=0.3)
    if path == "/stream-then-stall":
        return StreamReply([b"first", b"never"], delay=30)
    if path == "/late":
        time.sleep(LATE)
        return Reply(200, (), b"late")
    if path == "/late-stream":
        return StreamReply(LATE_CHUNKS, delay=LATE)
    if path == "/redirect":
        return Reply(307, (("location", "http://localhost:9/elsewhere"),))
    if path == "/stall":
        return Stall(30)
    if path == "/hang-up":
        return Stall(0)
    if path == "/cut":
        return CloseMidBody(declared_length=100, partial=b"partial")
    return Reply(404)


def seen_headers(body: bytes) -> dict[str, str]:
    """The headers the ``/echo`` route saw, repeated names joined with ``", "``."""
    joined: dict[str, str] = {}
    for name, value in json.loads(body)["headers"]:
        joined[name] = f"{joined[name]}, {value}" if name in joined else value
    return joined


@pytest.fixture(autouse=True)
def _collect_garbage() -> Iterator[None]:
    """Collect at teardown, so a leaked socket's ResourceWarning fails the test that leaked."""
    yield
    gc.collect()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(route) as server:
        yield server


@pytest.fixture
def refused_url() -> Iterator[str]:
    """A loopback port that is bound but not listening: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"


@pytest.fixture(params=["socket", "httpcore", "requests"])
def make_sync(request: pytest.FixtureRequest) -> SyncFactory:
    """Each blocking transport's class."""
    factories: dict[str, SyncFactory] = {
        "socket": SocketTransport,
        "httpcore": HttpcoreTransport,
        "requests": RequestsTransport,
    }
    return factories[request.param]


@pytest.fixture(params=["httpcore", "aiohttp", "anyio", "trio"])
def make_async(request: pytest.FixtureRequest, anyio_backend: str) -> AsyncFactory:
    """Each async transport's class, on each event loop it can run on."""
    name: str = request.param
    if name == "aiohttp" and anyio_backend != "asyncio":
        pytest.skip("AiohttpTransport runs on asyncio only (aiohttp needs an asyncio loop)")
    if name == "trio" and anyio_backend != "trio":
        pytest.skip("TrioTransport runs on trio only")
    if name == "httpcore":
        return AsyncHttpcoreTransport
    if name == "aiohttp":
        return AiohttpTransport
    return AnyioTransport if name == "anyio" else TrioTransport
