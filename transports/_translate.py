"""Our :class:`TransportError` for a library's exception, with the message every transport uses.

Strategy: each transport catches its own library's exceptions in ``except`` branches and calls
:func:`translate` with the class it decided on; the wording lives here, once, and the original
exception stays the ``__cause__``. No I/O library is imported, so any transport may use it.
"""

from __future__ import annotations

from inference_core.transport import (
    ConnectError,
    InferenceTimeoutError,
    ReadError,
    RemoteProtocolError,
    TransportError,
)

__all__ = ["translate"]


def translate(exc: BaseException, target: type[TransportError], url: str) -> TransportError:
    """A ``target`` error for ``exc`` on a request to ``url``."""
    if target is InferenceTimeoutError:
        return InferenceTimeoutError(f"Inference call timed out: {url}")
    detail = str(exc) or type(exc).__name__
    if target is ConnectError:
        return ConnectError(f"Could not connect to {url}: {detail}")
    if target is RemoteProtocolError:
        return RemoteProtocolError(f"HTTP protocol error from {url}: {detail}")
    return ReadError(f"Connection to {url} failed while sending or reading: {detail}")
