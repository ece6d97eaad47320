"""Benchmark: client CPU per item of a batch, next to plain async calls, in the same run.

Run: ``python bench/batch.py`` (after ``pip install -e '.[test]'``). It starts the fake chat
server (``fake_service.tgi`` on ``fake_service.server.LoopbackServer``; ``--server fast`` uses
``bench/server.py`` instead) in another process pinned to another core, so only this process's
CPU time (``time.process_time``) is counted, and prints microseconds of client CPU per item:

* ``plain async calls``: 64 tasks calling ``client.chat_completion(messages)`` (the baseline);
* ``plain, with_raw_response``: the same through ``client.with_raw_response``;
* ``batch -> JSONL``: ``arun_batch`` over the same number of inputs at concurrency 64, writing
  every output as a JSON line (fsync every 1000 lines and at the end), on a client it builds
  with the limiter's ``on_retry`` hook, as the command line does (its 64 connections opened
  anew each round);
* ``batch -> JSONL, caller's client``: the same through the benchmark's client, which the
  runner calls through ``with_raw_response`` to see retries;
* ``batch, in memory``: the first without an output file (results kept on the summary).

Each figure is the best of ``BENCH_ROUNDS`` rounds (default 3) of ``BENCH_ITEMS`` items
(default 10,000), rounds alternating, after a warm-up; the ratio to the baseline is the figure
that matters (the issue's bar: at most 1.2). The machine is shared: compare within one run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inference_batch import arun_batch
from inference_core import AsyncInferenceClient

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONCURRENCY = 64
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]

SERVE_FAKE = """
import sys, threading
from fake_service.server import LoopbackServer
from fake_service.tgi import tgi_handler
with LoopbackServer(tgi_handler) as server:
    print(server.url, flush=True)
    sys.stdin.read()  # serve until the benchmark closes our stdin
"""


def _pin(cpu: int) -> None:
    """Keep client and server on different cores, when the machine has two or more."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) >= 2:
        os.sched_setaffinity(0, {cpus[cpu]})


def start_server(kind: str, workdir: Path) -> tuple[subprocess.Popen[str], str]:
    """Start the server process; return it and its base URL."""
    root = Path(__file__).resolve().parent.parent
    if kind == "fast":
        port_file = workdir / "port"
        process = subprocess.Popen(
            [sys.executable, str(root / "bench" / "server.py"), str(port_file)],
            preexec_fn=lambda: _pin(1), text=True,
        )  # fmt: skip
        for _ in range(200):
            if port_file.exists() and port_file.read_text():
                break
            time.sleep(0.05)
        return process, f"http://127.0.0.1:{port_file.read_text()}"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE_FAKE], cwd=root, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, preexec_fn=lambda: _pin(1), text=True,
    )  # fmt: skip
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


async def plain_calls(client: AsyncInferenceClient) -> None:
    """The baseline: CONCURRENCY tasks sharing ITEMS plain calls."""
    remaining = iter(range(ITEMS))

    async def worker() -> None:
        for _ in remaining:
            out = await client.chat_completion(MESSAGES)
            _ = out.choices[0].message.content

    async with anyio.create_task_group() as group:
        for _ in range(CONCURRENCY):
            group.start_soon(worker)


async def raw_calls(client: AsyncInferenceClient) -> None:
    """The same through ``with_raw_response`` (which the batch uses, to see retries)."""
    remaining = iter(range(ITEMS))
    raw = client.with_raw_response

    async def worker() -> None:
        for _ in remaining:
            out = (await raw.chat_completion(MESSAGES)).parse()
            _ = out.choices[0].message.content

    async with anyio.create_task_group() as group:
        for _ in range(CONCURRENCY):
            group.start_soon(worker)


def batch_run(
    workdir: Path, to_file: bool, own_client: bool
) -> Callable[[AsyncInferenceClient], Awaitable[Any]]:
    """A batch of ITEMS chat inputs, through a client the runner builds (as the command line
    does) or through the caller's client (``own_client``: called via ``with_raw_response``)."""
    inputs = [{"id": i, "messages": MESSAGES} for i in range(ITEMS)]
    rounds = iter(range(1_000_000))

    async def run(client: AsyncInferenceClient) -> None:
        output = workdir / f"out-{next(rounds)}.jsonl" if to_file else None
        how: dict[str, Any] = {"client": client}
        if not own_client:
            how = {"client_options": {"base_url": str(client.model), "token": "hf_x"}}
        summary = await arun_batch(
            "chat_completion", inputs, output=output, concurrency=CONCURRENCY, progress=False,
            **how,
        )  # fmt: skip
        assert summary.done == ITEMS, summary
        if output is not None:
            output.unlink()

    return run


async def measure(base: str, workdir: Path) -> dict[str, float]:
    """Best CPU us per item of each scenario, rounds alternating."""
    scenarios: dict[str, Callable[[AsyncInferenceClient], Awaitable[Any]]] = {
        "plain async calls": plain_calls,
        "plain, with_raw_response": raw_calls,
        "batch -> JSONL": batch_run(workdir, to_file=True, own_client=False),
        "batch -> JSONL, caller's client": batch_run(workdir, to_file=True, own_client=True),
        "batch, in memory": batch_run(workdir, to_file=False, own_client=False),
    }
    best = dict.fromkeys(scenarios, float("inf"))
    async with AsyncInferenceClient(base, token="hf_x") as client:
        await plain_calls(client)  # warm up: open the connections
        for _ in range(ROUNDS):
            for name, scenario in scenarios.items():
                start = time.process_time()
                await scenario(client)
                best[name] = min(best[name], (time.process_time() - start) * 1e6 / ITEMS)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=("fake", "fast"), default="fake")
    parser.add_argument("--backend", choices=("asyncio", "trio", "both"), default="both")
    args = parser.parse_args()
    backends = ("asyncio", "trio") if args.backend == "both" else (args.backend,)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        server, base = start_server(args.server, workdir)
        _pin(0)
        try:
            print(f"{ITEMS} chat items at concurrency {CONCURRENCY}, {args.server} server;"
                  f" client CPU per item, microseconds (best of {ROUNDS})\n")  # fmt: skip
            print(f"{'scenario':44} {'us/item':>9} {'ratio':>7}")
            for backend in backends:
                best = anyio.run(measure, base, workdir, backend=backend)
                baseline = best["plain async calls"]
                for name, value in best.items():
                    label = f"{name} ({backend})"
                    print(f"{label:44} {value:9.1f} {value / baseline:7.2f}")
        finally:
            if server.stdin is not None:
                server.stdin.close()
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
