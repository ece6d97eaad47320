"""Exception mapping at the transport edge: httpcore's exceptions become our TransportError family.

Strategy: httpcore's own ``map_exceptions`` shape, as a small class rather than a generator-based
context manager (it wraps every request, so it should cost next to nothing on the happy path). A
plain ``with`` block works around ``await`` too, so the async transport uses the same class. The
original exception is kept as ``__cause__``.
"""

from __future__ import annotations

from types import TracebackType

from inference_core.transport import (
    ConnectError,
    InferenceTimeoutError,
    ReadError,
    RemoteProtocolError,
    TransportError,
)

from ._httpcore import httpcore
from ._translate import translate as _translate

__all__ = ["map_exceptions", "translated"]

_MAPPING: tuple[tuple[type[Exception], type[TransportError]], ...] = (
    (httpcore.TimeoutException, InferenceTimeoutError),  # connect, read, write and pool timeouts
    (httpcore.ConnectError, ConnectError),
    (httpcore.ProxyError, ConnectError),
    (httpcore.ProtocolError, RemoteProtocolError),  # remote and local protocol errors
    (httpcore.NetworkError, ReadError),  # read and write errors
)


class map_exceptions:  # lower-case: used like a function, ``with map_exceptions(url):``
    """Re-raise httpcore exceptions from the block as our :class:`TransportError` subclasses."""

    __slots__ = ("url",)

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None:
            mapped = translated(exc, self.url)
            if mapped is not None:
                raise mapped from exc


def translated(exc: BaseException, url: str) -> TransportError | None:
    """Our error for an httpcore exception, or None for anything else (re-raise that as is).

    For hot loops (one call per body chunk), where entering a ``with`` block costs too much.
    """
    for source, target in _MAPPING:
        if isinstance(exc, source):
            return _translate(exc, target, url)
    return None
