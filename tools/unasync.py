"""Generate ``transports/_h11_sync.py``, the blocking twin of ``transports/_h11.py``.

Why: HTTP/1.1 over h11 (requests, keep-alive, proxies, TLS tunnels, bounds, clean-up) is written
once, as async code in ``transports/_h11.py``. The blocking socket transport needs the same logic
with plain calls; as httpcore does with its ``_async``/``_sync`` packages, this script derives it
by rewriting tokens (``async def`` -> ``def``, ``await x`` -> ``x``, ``AsyncIterator`` ->
``Iterator``, ``aclose`` -> ``close``, ...). So a fix is made once, in ``_h11.py``, and every
transport built on it gets it.

Usage: ``python tools/unasync.py`` rewrites the file; ``--check`` exits 1 if it is stale (the test
suite runs the check).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "transports" / "_h11.py"
TARGET = ROOT / "transports" / "_h11_sync.py"

# Whole-word replacements, applied in order.
WORDS = {
    "AsyncIterator": "Iterator",
    "asynccontextmanager": "contextmanager",
    "AsyncStreamResponse": "StreamResponse",
    "AsyncDecodedChunks": "DecodedChunks",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__anext__": "__next__",
    "StopAsyncIteration": "StopIteration",
    "aclose": "close",
}
HEADER = (
    '"""HTTP/1.1 over a blocking socket: GENERATED from ``_h11.py`` by ``tools/unasync.py``.\n'
    "\n"
    "Do not edit: change ``_h11.py`` and run ``python tools/unasync.py``. All that\n"
    "``_h11.py``'s docstring says holds here, with blocking calls in place of awaits; the\n"
    "shield and ``sleep(0)`` of the async code are no-ops for a blocking backend.\n"
    '"""\n'
)


def unasync(source: str) -> str:
    """The blocking version of ``source`` (the text of ``_h11.py``)."""
    body = source.split('"""\n', 1)[1]  # drop the module docstring
    body = re.sub(r"\basync def\b", "def", body)
    body = re.sub(r"\basync (with|for)\b", r"\1", body)
    body = re.sub(r"\bawait ", "", body)
    for old, new in WORDS.items():
        body = re.sub(rf"\b{old}\b", new, body)
    return HEADER + body


def main() -> int:
    generated = unasync(SOURCE.read_text())
    if "--check" in sys.argv[1:]:
        if TARGET.read_text() != generated:
            print(f"{TARGET.relative_to(ROOT)} is stale: run python tools/unasync.py")
            return 1
        return 0
    TARGET.write_text(generated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
