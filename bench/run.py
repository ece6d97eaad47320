"""Benchmarks: client CPU per call next to raw httpcore, measured in the same run.

Run: ``python bench/run.py`` (after ``pip install -e '.[test]'``). It starts ``bench/server.py``
in another process, so only this process's CPU time (``time.process_time``) is counted, and
prints microseconds of client CPU per call (or per streamed chunk) and the ratio to the raw
baseline. The machine is shared: compare ratios within one run, not absolute numbers.

Baselines do the same work by hand: raw httpcore ``ConnectionPool`` with the JSON body encoded
and the response decoded with ``json``; for streaming, a manual split of SSE events and
``json.loads`` per event; for the async rows (concurrency 64), a pooled aiohttp
``ClientSession`` on asyncio, the issue's floor, for both event loops.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpcore

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.more import print_more
from inference_core import AsyncInferenceClient, InferenceClient, Request
from transports import (
    AiohttpTransport,
    AnyioTransport,
    AsyncHttpcoreTransport,
    HttpcoreTransport,
    RequestsTransport,
    SocketTransport,
)

MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
SEQUENTIAL_CALLS = int(os.environ.get("BENCH_CALLS", "2000"))
STREAMS = int(os.environ.get("BENCH_STREAMS", "40"))
CONCURRENCY = 64
ASYNC_CALLS = int(os.environ.get("BENCH_ASYNC_CALLS", "2048"))


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "7"))


def cpu_us_per(count: int, work: Callable[[], Any]) -> float:
    start = time.process_time()
    work()
    return (time.process_time() - start) * 1e6 / count


def compare(count: int, raw: Callable[[], Any], ours: Callable[[], Any]) -> tuple[float, float]:
    """Best CPU us per item of each, over ``ROUNDS`` alternating rounds (same conditions)."""
    raw(), ours()  # warm up connections and caches
    best_raw = best_ours = float("inf")
    for _ in range(ROUNDS):
        best_raw = min(best_raw, cpu_us_per(count, raw))
        best_ours = min(best_ours, cpu_us_per(count, ours))
    return best_raw, best_ours


def raw_headers(url: str, body: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"user-agent", b"raw"),
        (b"authorization", b"Bearer hf_x"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]


def bench_sequential(base: str) -> tuple[float, float]:
    url = base + "/v1/chat/completions"
    pool = httpcore.ConnectionPool()

    def raw() -> None:
        for _ in range(SEQUENTIAL_CALLS):
            body = json.dumps(
                {"model": "dummy", "max_tokens": 20, "stream": False, "messages": MESSAGES}
            ).encode()
            response = pool.request("POST", url, headers=raw_headers(url, body), content=body)
            json.loads(response.content)["choices"][0]["message"]["content"]

    client = InferenceClient(base, token="hf_x")

    def ours() -> None:
        for _ in range(SEQUENTIAL_CALLS):
            _ = client.chat_completion(MESSAGES, max_tokens=20).choices[0].message.content

    result = compare(SEQUENTIAL_CALLS, raw, ours)
    pool.close()
    client.close()
    return result


def bench_stream(base: str) -> tuple[float, float]:
    url = base + "/v1/chat/completions"
    pool = httpcore.ConnectionPool()
    chunks_per_stream = 200

    def raw() -> None:
        for _ in range(STREAMS):
            body = json.dumps({"model": "dummy", "stream": True, "messages": MESSAGES}).encode()
            with pool.stream("POST", url, headers=raw_headers(url, body), content=body) as response:
                buffer = b""
                for data in response.iter_stream():
                    buffer += data
                    *events, buffer = buffer.split(b"\n\n")
                    for event in events:
                        payload = event[6:]
                        if payload != b"[DONE]":
                            json.loads(payload)["choices"][0]["delta"]["content"]

    client = InferenceClient(base, token="hf_x")

    def ours() -> None:
        for _ in range(STREAMS):
            with client.chat_completion(MESSAGES, stream=True) as stream:
                for chunk in stream:
                    _ = chunk.choices[0].delta.content

    result = compare(STREAMS * chunks_per_stream, raw, ours)
    pool.close()
    client.close()
    return result


def bench_async(base: str, backend: str) -> float:
    """The full async client at concurrency 64 on its default transport (CPU us per call)."""
    per_task = ASYNC_CALLS // CONCURRENCY

    async def ours_run() -> float:
        async with AsyncInferenceClient(base, token="hf_x") as client:

            async def worker() -> None:
                for _ in range(per_task):
                    out = await client.chat_completion(MESSAGES)
                    _ = out.choices[0].message.content

            return await _best_batch(worker)

    return anyio.run(ours_run, backend=backend)


def _request(url: str) -> Request:
    body = json.dumps({"model": "dummy", "stream": False, "messages": MESSAGES}).encode()
    headers = (("content-type", "application/json"), ("authorization", "Bearer hf_x"))
    return Request("POST", url, headers, body)


def bench_sync_transports(base: str) -> list[tuple[str, float, float]]:
    """Sequential ``send`` per sync transport, next to raw httpcore's pool (same request)."""
    url = base + "/v1/chat/completions"
    request = _request(url)
    pool = httpcore.ConnectionPool()

    def raw() -> None:
        for _ in range(SEQUENTIAL_CALLS):
            pool.request("POST", url, headers=list(request.headers), content=request.body).read()

    rows = []
    for name, transport in (("SocketTransport", SocketTransport()),
                            ("HttpcoreTransport", HttpcoreTransport()),
                            ("RequestsTransport", RequestsTransport())):  # fmt: skip
        with transport:

            def ours(transport: Any = transport) -> None:
                for _ in range(SEQUENTIAL_CALLS):
                    transport.send(request)

            raw_us, ours_us = compare(SEQUENTIAL_CALLS, raw, ours)
            rows.append((f"{name}.send, sequential", raw_us, ours_us))
    pool.close()
    return rows


def bench_async_transports(base: str, backend: str) -> list[tuple[str, float]]:
    """``send`` at concurrency 64 per async transport (CPU us per request)."""
    url = base + "/v1/chat/completions"
    request = _request(url)
    per_task = ASYNC_CALLS // CONCURRENCY
    factories: list[tuple[str, Callable[[], Any]]] = [
        ("AsyncHttpcoreTransport", AsyncHttpcoreTransport),
        ("AnyioTransport", AnyioTransport),
    ]
    if backend == "asyncio":
        factories.append(("AiohttpTransport", lambda: AiohttpTransport(limit=CONCURRENCY)))
    else:
        from transports.trio import TrioTransport

        factories.append(("TrioTransport", TrioTransport))

    async def measure(factory: Callable[[], Any]) -> float:
        async with factory() as transport:

            async def worker() -> None:
                for _ in range(per_task):
                    await transport.send(request)

            return await _best_batch(worker)

    rows = [(name, anyio.run(measure, factory, backend=backend)) for name, factory in factories]
    return rows


async def _best_batch(worker: Callable[[], Any]) -> float:
    async def batch() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(CONCURRENCY):
                tg.start_soon(worker)

    await batch()  # warm up: open the connections
    best = float("inf")
    for _ in range(ROUNDS):
        start = time.process_time()
        await batch()
        best = min(best, (time.process_time() - start) * 1e6 / ASYNC_CALLS)
    return best


def bench_raw_aiohttp(base: str) -> float:
    """Pooled aiohttp ``ClientSession`` at concurrency 64 (the async reference point)."""
    import asyncio

    import aiohttp

    url = base + "/v1/chat/completions"
    request = _request(url)
    per_task = ASYNC_CALLS // CONCURRENCY

    async def main() -> float:
        connector = aiohttp.TCPConnector(limit=CONCURRENCY)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def worker() -> None:
                for _ in range(per_task):
                    headers = dict(request.headers)
                    async with session.post(url, data=request.body, headers=headers) as response:
                        await response.read()

            return await _best_batch(worker)

    return asyncio.run(main())


def _pin(cpu: int) -> None:
    """Keep client and server on different cores, when the machine has two or more."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) >= 2:
        os.sched_setaffinity(0, {cpus[cpu]})


@contextlib.contextmanager
def bench_server() -> Iterator[str]:
    """Start ``bench/server.py`` in its own process, on the other core; yield its base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        port_file = Path(tmp) / "port"
        server = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "server.py"), str(port_file)],
            preexec_fn=lambda: _pin(1),
        )
        _pin(0)
        try:
            for _ in range(100):
                if port_file.exists() and port_file.read_text():
                    break
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port_file.read_text()}"
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    with bench_server() as base:
        print(f"client CPU per call, microseconds (best of {ROUNDS} alternating rounds)\n")
        print(f"{'scenario':44} {'raw':>9} {'ours':>9} {'ratio':>7}")
        raw, ours = bench_sequential(base)
        print(f"{'sequential chat completion (sync)':44} {raw:9.1f} {ours:9.1f} {ours / raw:7.2f}")
        raw, ours = bench_stream(base)
        label = "streamed chat chunk (sync, per chunk)"
        print(f"{label:44} {raw:9.1f} {ours:9.1f} {ours / raw:7.2f}")
        aiohttp_us = bench_raw_aiohttp(base)
        for backend in ("asyncio", "trio"):
            ours = bench_async(base, backend)
            label = f"async chat, concurrency 64 ({backend})"
            print(f"{label:44} {aiohttp_us:9.1f} {ours:9.1f} {ours / aiohttp_us:7.2f}")
        print("\nraw sync = httpcore pool + json; raw async = pooled aiohttp (asyncio)")
        print("\ntransports alone (send of the same request), CPU us per request")
        print(f"{'scenario':44} {'raw':>9} {'ours':>9} {'ratio':>7}")
        for label, raw_us, ours_us in bench_sync_transports(base):
            print(f"{label:44} {raw_us:9.1f} {ours_us:9.1f} {ours_us / raw_us:7.2f}")
        print(f"{'raw pooled aiohttp, concurrency 64 (asyncio)':44} {aiohttp_us:9.1f}")
        for backend in ("asyncio", "trio"):
            for name, us in bench_async_transports(base, backend):
                label = f"{name}, concurrency 64 ({backend})"
                print(f"{label:44} {aiohttp_us:9.1f} {us:9.1f} {us / aiohttp_us:7.2f}")
        print("raw sync = httpcore.ConnectionPool; raw async = pooled aiohttp on asyncio")
        print_more(base, compare, SEQUENTIAL_CALLS)


if __name__ == "__main__":
    main()
