"""Scale: is the cost per call flat as calls and concurrency grow, and memory with them?

Run: ``python bench/scale.py`` (after ``pip install -e '.[test]'``), against ``bench/server.py``
in another process, like ``bench/run.py``. Prints, for the default clients:

* sequential chat calls (sync): client CPU µs per call over calls 1-10, 11-100, 101-1000 and
  1001-10000, and the resident memory (VmRSS) after each window;
* concurrent streams (asyncio, 200 chunks each): peak memory growth (VmHWM) with 10 and with
  100 streams open at once;
* async chat calls (asyncio) at concurrency 1, 16, 64 and 256: CPU µs per call (2048 calls
  each, after a warm-up round).

Flat means the later windows cost what the earlier ones do, and memory stops growing once the
connections are open. The machine is shared: look at the shape, not at the absolute numbers.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import MESSAGES, bench_server
from inference_core import AsyncInferenceClient, InferenceClient

WINDOWS = [(1, 10), (11, 100), (101, 1000), (1001, 10000)]
CONCURRENCY = [1, 16, 64, 256]
ASYNC_CALLS = 2048


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def sequential(base: str) -> None:
    print("sequential chat (sync): calls       CPU µs/call   VmRSS MB")
    with InferenceClient(base, token="hf_x") as client:
        for first, last in WINDOWS:
            started = time.process_time()
            for _ in range(last - first + 1):
                _ = client.chat_completion(MESSAGES).choices[0].message.content
            per_call = (time.process_time() - started) * 1e6 / (last - first + 1)
            rss = _status_kb("VmRSS") / 1024
            print(f"{'':24}{first:>5}-{last:<6} {per_call:13.1f} {rss:10.1f}")


def concurrent(base: str) -> None:
    print("\nasync chat (asyncio): concurrency    CPU µs/call")

    async def main() -> None:
        async with AsyncInferenceClient(base, token="hf_x") as client:
            for width in CONCURRENCY:
                per_task = max(ASYNC_CALLS // width, 1)

                async def worker(calls: int = per_task) -> None:
                    for _ in range(calls):
                        _ = (await client.chat_completion(MESSAGES)).choices[0].message.content

                async def batch(width: int = width) -> None:
                    async with anyio.create_task_group() as group:
                        for _ in range(width):
                            group.start_soon(worker)

                await batch()  # open the connections
                started = time.process_time()
                await batch()
                per_call = (time.process_time() - started) * 1e6 / (per_task * width)
                print(f"{'':24}{width:>10} {per_call:14.1f}")

    anyio.run(main, backend="asyncio")


def streams(base: str) -> None:
    print("\nconcurrent streams (asyncio): open   peak growth MB")

    async def main() -> None:
        async with AsyncInferenceClient(base, token="hf_x") as client:
            for width in (10, 100):
                before = _status_kb("VmHWM")

                async def one() -> None:
                    stream = await client.chat_completion(MESSAGES, stream=True)
                    async with stream:
                        async for chunk in stream:
                            _ = chunk.choices[0].delta.content
                            await anyio.sleep(0)  # interleave the streams

                async with anyio.create_task_group() as group:
                    for _ in range(width):
                        group.start_soon(one)
                print(f"{'':24}{width:>10} {(_status_kb('VmHWM') - before) / 1024:14.1f}")

    anyio.run(main, backend="asyncio")


def main() -> None:
    with bench_server() as base:
        print(f"(pid {os.getpid()}; VmRSS at start {_status_kb('VmRSS') / 1024:.1f} MB)\n")
        sequential(base)
        streams(base)  # before the concurrent calls, whose 256 connections raise the peak
        concurrent(base)


if __name__ == "__main__":
    main()
