"""Closing a connection's socket synchronously, without an event loop: the last-resort cleanup.

Strategy: an async transport that is never closed must still not leak a socket (and a
``ResourceWarning``) when it is garbage-collected or left open at interpreter exit. By then
there may be no running event loop, or none at all, so :func:`close_now` works from plain
synchronous code on whatever stream object a connection holds. It unwraps the stream layers
the libraries use (httpcore's backend streams, anyio and trio TLS and socket streams, asyncio
SSL transports) down to the socket, then closes that in the gentlest way still possible:

* an asyncio transport is ``abort()``\\ ed when its loop is running (the loop closes the
  socket on its next turn); when the loop is stopped or closed nothing would run that
  callback, so the socket is unregistered, closed and detached from the transport directly,
  as the callback would have, leaving the transport's finalizer nothing to warn about;
* a trio socket is ``close()``\\ d inside trio, and outside trio its file descriptor is
  detached and closed (trio needs its run loop to be told of a close);
* a stdlib socket is shut down (so a thread blocked reading it wakes up) and closed.

It reaches into private attributes of asyncio, anyio and httpcore (``_transport``, ``_sock``,
``_stream``): it is best effort and never raises. Only use it when no ``await`` is possible;
the transports' ``aclose`` is the proper way.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from typing import Any

__all__ = ["close_now"]

# Attributes under which the libraries keep the next layer down, most specific first:
# ours (``inner``, ``stream``, ``transport``, ``sock``), httpcore (``_stream``, ``_sock``),
# anyio over asyncio (``_transport``) and over trio (``_trio_socket``), trio and anyio TLS streams
# (``transport_stream``), trio's SocketStream (``socket``).
_LAYERS = (
    "inner",
    "transport_stream",
    "_transport",
    "transport",
    "_trio_socket",
    "socket",
    "stream",
    "_stream",
    "_sock",
    "sock",
)


def close_now(stream: Any) -> None:
    """Close the socket under ``stream`` at once, from synchronous code. Never raises."""
    with contextlib.suppress(Exception):
        _close(stream, 0)


def _close(obj: Any, depth: int) -> None:
    if obj is None or depth > 8:
        return
    asyncio = sys.modules.get("asyncio")  # not imported: obj cannot be an asyncio transport
    if asyncio is not None and isinstance(obj, asyncio.BaseTransport):
        _close_asyncio(obj)
    elif isinstance(obj, socket.socket):
        with contextlib.suppress(OSError):  # wakes a thread blocked reading it; close alone won't
            obj.shutdown(socket.SHUT_RDWR)
        obj.close()
    elif type(obj).__module__.startswith("trio") and callable(getattr(obj, "detach", None)):
        _close_trio_socket(obj)
    else:
        for name in _LAYERS:
            inner = getattr(obj, name, None)
            if inner is not None and not callable(inner):
                _close(inner, depth + 1)
                return


def _close_asyncio(transport: Any) -> None:
    ssl_protocol = getattr(transport, "_ssl_protocol", None)
    loop = getattr(transport, "_loop", None)
    if loop is not None and loop.is_running():
        transport.abort()  # the loop closes the socket on its next turn
        return
    if ssl_protocol is not None:  # an SSL transport: close the plain transport under it
        transport._closed = True
        _close_asyncio(getattr(ssl_protocol, "_transport", None))
        return
    sock = getattr(transport, "_sock", None)
    if sock is None:
        return
    if loop is not None and not loop.is_closed():  # stopped, may run again: unregister first
        loop._remove_reader(sock.fileno())
        loop._remove_writer(sock.fileno())
    transport._closing = True
    transport._sock = None  # what the transport's own close callback would have done
    sock.close()


def _close_trio_socket(sock: Any) -> None:
    if sock.fileno() < 0:
        return
    try:
        sock.close()  # tells trio's I/O manager first; needs to run inside trio
    except RuntimeError:
        os.close(sock.detach())
