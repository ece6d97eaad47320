"""httpcore, imported without trio: the one place the transports import it from.

httpcore imports trio at import time whenever trio is installed (for its async locks), which
costs a blocking client about 100 ms of start-up for a library it never uses. So httpcore is
first imported with trio hidden; :func:`enable_trio` hands trio to httpcore when an async
httpcore transport is built (it needs it only under trio). If trio or httpcore was imported
before us, nothing is hidden.
"""

from __future__ import annotations

import sys


def _import_without_trio() -> None:
    if "httpcore" in sys.modules or "trio" in sys.modules:
        return
    sys.modules["trio"] = None  # type: ignore[assignment]  # "import trio" now fails fast
    try:
        import httpcore  # noqa: F401
    finally:
        if sys.modules.get("trio", 0) is None:
            del sys.modules["trio"]


_import_without_trio()

import httpcore  # noqa: E402
from httpcore._async.http11 import HTTP11ConnectionByteStream  # noqa: E402

__all__ = ["HTTP11ConnectionByteStream", "enable_trio", "httpcore"]


def enable_trio() -> None:
    """Give httpcore the trio module if it was imported without it and trio is installed."""
    from httpcore import _synchronization

    if getattr(_synchronization, "trio", False) is None:
        try:
            import trio
        except ImportError:
            return
        setattr(_synchronization, "trio", trio)  # noqa: B010  # not an exported name
