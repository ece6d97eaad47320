"""The rows of bench/run.py beyond per-call CPU: embeddings into numpy, start-up time, memory,
and the peer clients (huggingface_hub, openai) when they are installed (``pip install
huggingface_hub openai``, never into the project's own environment for tests).

Each start-up and memory figure comes from a fresh interpreter, best of a few runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [f"sentence number {i}" for i in range(32)]


def bench_embeddings(
    base: str, compare: Callable[..., tuple[float, float]], count: int
) -> tuple[float, float]:
    """feature_extraction of 32 texts -> a (32, 384) float32 array: ours vs raw httpcore +
    orjson (or json) + numpy."""
    import httpcore
    import numpy as np

    from inference_core import InferenceClient

    try:
        import orjson

        loads: Callable[[bytes], Any] = orjson.loads
    except ImportError:
        loads = json.loads
    url = base + "/embed"
    pool = httpcore.ConnectionPool()
    body = json.dumps({"inputs": TEXTS}).encode()
    headers = [(b"Host", url.split("/")[2].encode()), (b"Content-Type", b"application/json"),
               (b"Content-Length", str(len(body)).encode())]  # fmt: skip
    client = InferenceClient(url)

    def raw() -> None:
        for _ in range(count):
            response = pool.request("POST", url, headers=headers, content=body)
            np.array(loads(response.content), dtype=np.float32)

    def ours() -> None:
        for _ in range(count):
            client.feature_extraction(TEXTS)

    try:
        return compare(count, raw, ours)
    finally:
        pool.close()
        client.close()


STARTUP = {
    "floor: import attrs, cattrs": "import attrs, cattrs",
    "ours: InferenceClient(url)": "from inference_core import InferenceClient\n"
    "InferenceClient('http://127.0.0.1:9')",
    "ours: AsyncInferenceClient(url)": "from inference_core import AsyncInferenceClient\n"
    "AsyncInferenceClient('http://127.0.0.1:9')",
    "huggingface_hub: InferenceClient(url)": "from huggingface_hub import InferenceClient\n"
    "InferenceClient('http://127.0.0.1:9')",
    "openai: OpenAI(base_url=url)": "from openai import OpenAI\n"
    "OpenAI(base_url='http://127.0.0.1:9/v1', api_key='x')",
}


def startup_ms(code: str, runs: int = 5) -> float | None:
    """Best wall time in ms of ``code`` in a fresh interpreter (None if it fails)."""
    timed = f"import time\n_t = time.perf_counter()\n{code}\nprint(time.perf_counter() - _t)"
    best = None
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", timed], capture_output=True, text=True,
                             cwd=ROOT, check=False)  # fmt: skip
        if out.returncode != 0:
            return None
        value = float(out.stdout.split()[-1]) * 1000
        best = value if best is None else min(best, value)
    return best


RSS = """
import sys
sys.path.insert(0, {root!r})
def peak():  # VmHWM, reset by exec (ru_maxrss is inherited from the parent across fork/exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
base = peak()
{setup}
for _ in range(1000):
    {call}
print((peak() - base) / 1024)
"""

MESSAGES = "[{'role': 'user', 'content': 'What is the capital of France?'}]"
RSS_ROWS = {
    "floor: httpcore pool": (
        "import httpcore, json\npool = httpcore.ConnectionPool()\nbody = json.dumps({'messages':"
        f" {MESSAGES}}}).encode()",
        "json.loads(pool.request('POST', '{base}/v1/chat/completions', content=body).content)",
    ),
    "floor: h11 on a socket": (
        "import h11, json, socket, urllib.parse\n"
        "u = urllib.parse.urlsplit('{base}')\n"
        "sock = socket.create_connection((u.hostname, u.port))\n"
        f"body = json.dumps({{'messages': {MESSAGES}}}).encode()\n"
        "conn = h11.Connection(h11.CLIENT)\n"
        "def call():\n"
        "    head = [('Host', u.netloc), ('Content-Length', str(len(body)))]\n"
        "    event = h11.Request(method='POST', target='/v1/chat/completions', headers=head)\n"
        "    sock.sendall(conn.send(event) + conn.send(h11.Data(data=body))"
        " + conn.send(h11.EndOfMessage()))\n"
        "    data = b''\n"
        "    while type(event := conn.next_event()) is not h11.EndOfMessage:\n"
        "        if event is h11.NEED_DATA:\n"
        "            conn.receive_data(sock.recv(65536))\n"
        "        elif type(event) is h11.Data:\n"
        "            data += event.data\n"
        "    conn.start_next_cycle()\n"
        "    return json.loads(data)",
        "call()",
    ),
    "ours, sync": (
        "from inference_core import InferenceClient\nclient = InferenceClient('{base}')",
        f"client.chat_completion({MESSAGES})",
    ),
    "ours, async (asyncio)": (
        "import asyncio\nfrom inference_core import AsyncInferenceClient\n"
        "loop = asyncio.new_event_loop()\nclient = AsyncInferenceClient('{base}')",
        f"loop.run_until_complete(client.chat_completion({MESSAGES}))",
    ),
    "huggingface_hub, sync": (
        "from huggingface_hub import InferenceClient\nclient = InferenceClient('{base}')",
        f"client.chat_completion({MESSAGES})",
    ),
}


def rss_mb(base: str, setup: str, call: str) -> float | None:
    """Peak RSS growth in MB over 1000 calls, in a fresh interpreter."""
    code = (
        RSS.replace("{root!r}", repr(str(ROOT)))
        .replace("{setup}", setup.replace("{base}", base))
        .replace("{call}", call.replace("{base}", base))
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=False)  # fmt: skip
    if out.returncode != 0:
        return None
    return float(out.stdout.split()[-1])


def peer_chat(base: str, compare: Callable[..., tuple[float, float]], count: int) -> None:
    """Sequential chat CPU per call of huggingface_hub and openai, when installed, against the
    same raw httpcore baseline."""
    import httpcore

    url = base + "/v1/chat/completions"
    body = json.dumps({"model": "bench", "messages": MESSAGES_LIST}).encode()
    pool = httpcore.ConnectionPool()

    def raw() -> None:
        for _ in range(count):
            json.loads(pool.request("POST", url, content=body).content)

    peers: dict[str, Callable[[], Any]] = {}
    try:
        from huggingface_hub import InferenceClient as HubClient

        hub = HubClient(base)
        peers["huggingface_hub: sequential chat (sync)"] = lambda: [
            hub.chat_completion(MESSAGES_LIST) for _ in range(count)
        ]
    except ImportError:
        print(f"{'huggingface_hub: sequential chat (sync)':44} {'not installed':>9}")
    try:
        from openai import OpenAI

        openai_client = OpenAI(base_url=base + "/v1", api_key="x")
        peers["openai: sequential chat (sync)"] = lambda: [
            openai_client.chat.completions.create(model="bench", messages=MESSAGES_LIST)  # type: ignore[arg-type]
            for _ in range(count)
        ]
    except ImportError:
        print(f"{'openai: sequential chat (sync)':44} {'not installed':>9}")
    for label, work in peers.items():
        raw_us, peer_us = compare(count, raw, work)
        print(f"{label:44} {raw_us:9.1f} {peer_us:9.1f} {peer_us / raw_us:7.2f}")
    pool.close()


MESSAGES_LIST = [{"role": "user", "content": "What is the capital of France?"}]


def print_more(base: str, compare: Callable[..., tuple[float, float]], count: int) -> None:
    """Print the peers', embeddings, start-up and memory rows."""
    print("\npeers (raw = httpcore pool + json)")
    peer_chat(base, compare, max(count // 4, 100))
    raw, ours = bench_embeddings(base, compare, max(count // 10, 50))
    label = "feature_extraction 32x384 -> numpy"
    print(f"\n{'scenario':44} {'raw':>9} {'ours':>9} {'ratio':>7}")
    print(f"{label:44} {raw:9.1f} {ours:9.1f} {ours / raw:7.2f}")
    print("raw = httpcore pool + orjson (json without it) + numpy.array\n")
    print("start-up, ms (fresh interpreter, best of 5)")
    floor = None
    for label, code in STARTUP.items():
        started = time.perf_counter()
        ms = startup_ms(code)
        if ms is None:
            print(f"{label:44} {'not installed':>9}")
            continue
        floor = floor or ms
        print(f"{label:44} {ms:9.1f} {'':9} {ms / floor:7.2f}")
        del started
    print("\npeak RSS growth over 1000 sequential chat calls, MB")
    for label, (setup, call) in RSS_ROWS.items():
        mb = rss_mb(base, setup, call)
        print(f"{label:44} {'not installed' if mb is None else f'{mb:9.1f}':>9}")
