"""Start-up: a client imports only the transport it uses (a sync client: h11 on sockets, no
httpcore, anyio or asyncio), and httpcore does not drag trio in (``transports/_httpcore.py``);
the async httpcore transport still gets trio when it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _loaded(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(result.stdout.split())


def test_a_sync_client_imports_neither_trio_nor_the_other_transports() -> None:
    loaded = _loaded("from inference_core import InferenceClient\nInferenceClient('http://h')")
    assert "h11" in loaded and "transports.sockets" in loaded
    others = {"httpcore", "anyio", "asyncio", "trio", "aiohttp", "requests", "transports.anyio"}
    assert not others & loaded


def test_the_httpcore_transport_imports_httpcore_without_trio() -> None:
    loaded = _loaded("import transports\ntransports.HttpcoreTransport()")
    assert "httpcore" in loaded and "transports._httpcore_sync" in loaded
    assert not {"trio", "transports._httpcore_async"} & loaded


def test_an_async_client_uses_the_anyio_transport_only() -> None:
    loaded = _loaded(
        "from inference_core import AsyncInferenceClient\nAsyncInferenceClient('http://h')"
    )
    assert "transports.anyio" in loaded
    assert not {"trio", "aiohttp", "transports._httpcore_async", "transports._httpcore_sync"} & (
        loaded
    )


def test_the_async_httpcore_transport_gets_trio_back() -> None:
    loaded = _loaded(
        "import transports\ntransports.HttpcoreTransport()\n"
        "from transports import AsyncHttpcoreTransport\n"
        "import httpcore._synchronization as s\nassert s.trio is not None"
    )
    assert "trio" in loaded
