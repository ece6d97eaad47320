"""Time to error and peak memory under faults, per transport: the figures docs/reliability.md
quotes. Run: ``python bench/faults.py`` (a few seconds per row), or name transports to run only
those (``python bench/faults.py SocketTransport``).

Each row runs in a fresh subprocess (so its peak RSS is its own) against a loopback server in
the parent: a server that stalls before its headers (``timeout=1``), one that drips a byte
every 0.2 s (``timeout=1, deadline=2``: each read is quick, the whole is not), a refused port
(``max_retries=0`` and the default 2), and a 500 MB chunked body under the default
``max_response_bytes`` (256 MiB).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fake_service.server import LoopbackServer, ServerRequest, Stall, StreamReply  # noqa: E402

SYNC = ["SocketTransport", "HttpcoreTransport", "RequestsTransport"]
ASYNC = [("AsyncHttpcoreTransport", "asyncio"), ("AsyncHttpcoreTransport", "trio"),
         ("AiohttpTransport", "asyncio"), ("AnyioTransport", "asyncio"),
         ("AnyioTransport", "trio"), ("TrioTransport", "trio")]  # fmt: skip
MB = 1024 * 1024


def _drip() -> Iterator[bytes]:
    yield b"["
    for _ in range(100):
        yield b" "


def _huge() -> Iterator[bytes]:
    block = b" " * MB
    for _ in range(500):
        yield block


def handler(request: ServerRequest) -> object:
    if request.target.startswith("/stall"):
        return Stall(30)
    if request.target.startswith("/drip"):
        return StreamReply(_drip(), headers=(("content-type", "application/json"),), delay=0.2)
    return StreamReply(_huge(), headers=(("content-type", "application/json"),))


CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
import transports
from inference_core import AsyncInferenceClient, InferenceClient
name, loop, url, options = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
transport = getattr(transports, name)()
def report(start, exc):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({{"seconds": time.monotonic() - start, "error": type(exc).__name__,
                      "peak_mb": peak}}))
if loop == "sync":
    client = InferenceClient(url, transport=transport, **options)
    start = time.monotonic()
    try:
        client.feature_extraction("hi")
    except Exception as exc:
        report(start, exc)
    transport.close()
else:
    async def main():
        client = AsyncInferenceClient(url, transport=transport, **options)
        start = time.monotonic()
        try:
            await client.feature_extraction("hi")
        except Exception as exc:
            report(start, exc)
        await transport.aclose()
    if loop == "trio":
        import trio; trio.run(main)
    else:
        import asyncio; asyncio.run(main())
"""


def run(name: str, loop: str, url: str, options: dict[str, object]) -> dict[str, object]:
    code = CHILD.format(root=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", code, name, loop, url, json.dumps(options)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    try:
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))
    except (IndexError, ValueError):
        return {"seconds": float("nan"), "error": out.stderr.strip()[-200:], "peak_mb": 0}


def main() -> None:
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with LoopbackServer(handler) as server:
        rows = [
            ("stall before headers, timeout=1", server.url + "/stall", {"timeout": 1}),
            ("drip 1 B/0.2 s, timeout=1, deadline=2", server.url + "/drip",
             {"timeout": 1, "deadline": 2}),
            ("refused, max_retries=0", "http://127.0.0.1:9/refused", {"max_retries": 0}),
            ("refused, max_retries=2 (default)", "http://127.0.0.1:9/refused", {}),
            ("500 MB body, default limit", server.url + "/huge", {}),
        ]  # fmt: skip
        print(f"(this process: {baseline:.0f} MB before the rows)")
        print(f"{'fault':42} {'transport':34} {'error':24} {'s':>6} {'peak MB':>8}")
        setups = [(name, "sync") for name in SYNC] + ASYNC
        if sys.argv[1:]:  # e.g. ``python bench/faults.py SocketTransport``: only those
            setups = [setup for setup in setups if setup[0] in sys.argv[1:]]
        for label, url, options in rows:
            for name, loop in setups:
                started = time.monotonic()
                result = run(name, loop, url, options)
                result.setdefault("seconds", time.monotonic() - started)
                print(
                    f"{label:42} {name + ' (' + loop + ')':34} {str(result['error'])[:24]:24}"
                    f" {float(str(result['seconds'])):6.2f} {float(str(result['peak_mb'])):8.0f}"
                )


if __name__ == "__main__":
    main()
