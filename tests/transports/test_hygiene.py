"""Resource hygiene: cancellation at every phase, closing with responses still held, and
abandoned transports (``_abandon``) and streams, all without a ``ResourceWarning``.

The server is :class:`~tests.transports._phase_server.PhaseServer`: it stalls in ``recv``, so
it sees every connection the client closes.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import warnings
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

from inference_core.transport import Request
from transports import AsyncHttpcoreTransport
from transports.aiohttp import AiohttpTransport
from transports.anyio import AnyioTransport
from transports.requests import RequestsTransport
from transports.trio import TrioTransport

from ._phase_server import PhaseServer
from .conftest import AsyncFactory, SyncFactory

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def phases() -> Iterator[PhaseServer]:
    with PhaseServer() as server:
        yield server


def get(server: PhaseServer, path: str, scheme: str = "http") -> Request:
    return Request("GET", server.url.replace("http", scheme, 1) + path)


async def _read_stream(transport: Any, request: Request) -> None:
    async with transport.stream(request) as response:
        async for _ in response.chunks:
            pass


async def _send(transport: Any, request: Request) -> None:
    await transport.send(request)


# phase -> (path, scheme, what the call does)
PHASES: dict[str, tuple[str, str, Callable[[Any, Request], Coroutine[Any, Any, None]]]] = {
    "connect": ("/", "https", _send),  # the TLS handshake never completes
    "headers": ("/head", "http", _send),
    "body": ("/body", "http", _send),
    "stream": ("/stream", "http", _read_stream),
}


@pytest.mark.anyio
@pytest.mark.parametrize("phase", list(PHASES))
@pytest.mark.parametrize("how", ["move_on_after", "task_group_cancel"])
async def test_cancelled_at_each_phase_releases_the_connection(
    make_async: AsyncFactory, phases: PhaseServer, phase: str, how: str
) -> None:
    path, scheme, call = PHASES[phase]
    async with make_async(timeout=10, verify=False) as transport:
        await transport.send(get(phases, "/ok"))  # an idle connection the stall may reuse
        if how == "move_on_after":
            with anyio.move_on_after(0.3) as scope:
                await call(transport, get(phases, path, scheme))
            assert scope.cancelled_caught
        else:
            async with anyio.create_task_group() as group:
                group.start_soon(call, transport, get(phases, path, scheme))
                await anyio.sleep(0.3)
                group.cancel_scope.cancel()
        assert (await transport.send(get(phases, "/ok"))).body == b"ok"
    assert phases.all_closed()


# ---- close() with responses still held --------------------------------------------------------


def test_requests_close_releases_sockets_still_referenced(phases: PhaseServer) -> None:
    transport = RequestsTransport(timeout=5)
    finished = transport.stream(get(phases, "/ok"))
    done = finished.__enter__()
    assert list(done.chunks) == [b"ok"]  # fully read: its connection went back to the pool
    unfinished = transport.stream(get(phases, "/stream"))
    open_ = unfinished.__enter__()
    assert next(open_.chunks) == b"first"
    transport.send(get(phases, "/ok"))
    transport.close()  # both responses are still referenced here
    assert phases.all_closed()
    finished.__exit__(None, None, None)
    unfinished.__exit__(None, None, None)


def test_sync_close_releases_every_socket(make_sync: SyncFactory, phases: PhaseServer) -> None:
    transport = make_sync(timeout=5)
    with transport.stream(get(phases, "/ok")) as response:
        assert list(response.chunks) == [b"ok"]
    transport.send(get(phases, "/ok"))
    transport.close()
    assert phases.all_closed()


# ---- abandoned transports: the synchronous GC-time close --------------------------------------

ASYNC_CASES = [
    pytest.param("asyncio", AsyncHttpcoreTransport, id="httpcore-asyncio"),
    pytest.param("trio", AsyncHttpcoreTransport, id="httpcore-trio"),
    pytest.param("asyncio", AnyioTransport, id="anyio-asyncio"),
    pytest.param("trio", AnyioTransport, id="anyio-trio"),
    pytest.param("trio", TrioTransport, id="trio"),
    pytest.param("asyncio", AiohttpTransport, id="aiohttp"),
]


def _used_on(backend: str, factory: Any, server: PhaseServer) -> Any:
    """A transport that sent one request and holds an idle connection, its loop now gone."""

    async def main() -> Any:
        transport = factory(timeout=5)
        assert (await transport.send(get(server, "/ok"))).body == b"ok"
        return transport

    return anyio.run(main, backend=backend)


def _resource_warnings(action: Callable[[], None]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        action()
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize(("backend", "factory"), ASYNC_CASES)
def test_abandon_after_the_loop_is_gone_leaks_nothing(
    phases: PhaseServer, backend: str, factory: Any
) -> None:
    transport = _used_on(backend, factory, phases)

    def abandon() -> None:
        nonlocal transport
        transport._abandon()
        transport._abandon()  # idempotent
        del transport

    assert _resource_warnings(abandon) == []
    assert phases.all_closed()


@pytest.mark.parametrize(("backend", "factory"), ASYNC_CASES[:-1])  # aiohttp: see below
def test_without_abandon_the_same_transport_would_warn(
    phases: PhaseServer, backend: str, factory: Any
) -> None:
    """The control case: the check above is meaningful (an unclosed socket does warn).

    Not for aiohttp: its connector keeps an unclosed socket alive past any collection here.
    """
    transport = _used_on(backend, factory, phases)

    def drop() -> None:
        nonlocal transport
        del transport

    assert _resource_warnings(drop) != []
    assert phases.all_closed()


@pytest.mark.anyio
async def test_abandon_inside_a_running_loop(make_async: AsyncFactory, phases: PhaseServer) -> None:
    transport: Any = make_async(timeout=5)
    await transport.send(get(phases, "/ok"))
    transport._abandon()  # as a finalizer would, from synchronous code
    await anyio.sleep(0.05)  # the loop closes what was scheduled
    with pytest.raises(RuntimeError, match="closed"):
        await transport.send(get(phases, "/ok"))
    del transport
    gc.collect()
    assert phases.all_closed()


# ---- abandoned streams on trio ----------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.parametrize("factory", [AsyncHttpcoreTransport, AnyioTransport, TrioTransport])
async def test_trio_stream_left_with_break_and_dropped_does_not_warn(
    phases: PhaseServer, factory: Any
) -> None:
    async with factory(timeout=5) as transport:
        for _ in range(3):
            async with transport.stream(get(phases, "/stream")) as response:
                async for chunk in response.chunks:
                    assert chunk == b"first"
                    break
            del response
            gc.collect()
            await anyio.sleep(0)
        assert (await transport.send(get(phases, "/ok"))).body == b"ok"
    assert phases.all_closed()


EXIT_SCRIPT = """
import atexit, gc, sys, weakref, anyio

def collect_at_exit():  # make interpreter exit collect the client while warnings still show
    globals().pop("CLIENT", None)
    gc.collect()

atexit.register(collect_at_exit)
from fake_service import LoopbackServer, Reply
from inference_core.transport import Request
import transports
from transports import aiohttp, anyio as anyio_transports, trio

backend, name = sys.argv[1], sys.argv[2]
factory = {
    "httpcore": transports.AsyncHttpcoreTransport,
    "anyio": anyio_transports.AnyioTransport,
    "trio": trio.TrioTransport,
    "aiohttp": aiohttp.AiohttpTransport,
}[name]
server = LoopbackServer(lambda _: Reply(200, (), b"ok"))
server.start()

class Client:  # what the async client does: own the transport, finalize with _abandon
    def __init__(self):
        self.transport = factory(timeout=5)
        weakref.finalize(self, self.transport._abandon)

async def main():
    client = Client()
    assert (await client.transport.send(Request("GET", server.url + "/"))).body == b"ok"
    return client

CLIENT = anyio.run(main, backend=backend)  # never closed; alive until interpreter exit
print("sent")
"""


def _run_exit_script(tmp_path: Path, backend: str, name: str, hooked: bool = True) -> str:
    script = tmp_path / "exit.py"
    text = EXIT_SCRIPT
    if not hooked:
        text = text.replace("weakref.finalize(self, self.transport._abandon)", "pass")
    script.write_text(text)
    result = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error::ResourceWarning", str(script), backend, name],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert result.stdout.strip() == "sent", result.stderr
    return result.stderr


EXIT_NAMES = {
    AsyncHttpcoreTransport: "httpcore",
    AnyioTransport: "anyio",
    TrioTransport: "trio",
    AiohttpTransport: "aiohttp",
}


@pytest.mark.parametrize(("backend", "factory"), ASYNC_CASES)
def test_left_open_at_interpreter_exit_does_not_warn(
    backend: str, factory: Any, tmp_path: Path
) -> None:
    stderr = _run_exit_script(tmp_path, backend, EXIT_NAMES[factory])
    assert "ResourceWarning" not in stderr and "unclosed" not in stderr.lower(), stderr


def test_left_open_at_interpreter_exit_without_the_hook_would_warn(tmp_path: Path) -> None:
    """The control case for the test above, on the default transport."""
    stderr = _run_exit_script(tmp_path, "asyncio", "httpcore", hooked=False)
    assert "unclosed" in stderr.lower()


@pytest.mark.anyio
async def test_async_close_cuts_a_stream_still_held(
    make_async: AsyncFactory, phases: PhaseServer
) -> None:
    transport: Any = make_async(timeout=5)
    async with transport.stream(get(phases, "/stream")) as response:
        assert await response.chunks.__anext__() == b"first"
        await transport.aclose()
        assert phases.all_closed()
