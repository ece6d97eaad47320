"""The public contract between the core and a transport: everything an I/O backend needs.

A transport (the ``transports`` package, or your own) imports only this module of the core. It
receives :class:`Request` values, returns :class:`Response` values (or a
:class:`StreamResponse` / :class:`AsyncStreamResponse` inside a context manager), honours
``Request.timeout`` (falling back to its own default when it is None), and maps its library's
exceptions to the :class:`TransportError` family. The protocols are structural: any object with
the right methods can be passed as ``transport=`` to a client.

This module only re-exports names; it performs no I/O.
"""

from ._boundary import Headers, Request, Response, Timeout, idle_seconds, timeout_phases
from ._config import USER_AGENT
from ._errors import (
    ConnectError,
    InferenceError,
    InferenceTimeoutError,
    ReadError,
    RemoteProtocolError,
    RequestError,
    ResponseTooLargeError,
    TransportError,
)
from ._transport import AsyncStreamResponse, AsyncTransport, StreamResponse, SyncTransport

__all__ = [
    "USER_AGENT",
    "AsyncStreamResponse",
    "AsyncTransport",
    "ConnectError",
    "Headers",
    "InferenceError",
    "InferenceTimeoutError",
    "ReadError",
    "RemoteProtocolError",
    "Request",
    "RequestError",
    "Response",
    "ResponseTooLargeError",
    "StreamResponse",
    "SyncTransport",
    "Timeout",
    "TransportError",
    "idle_seconds",
    "timeout_phases",
]
