"""I/O backends: the transport protocol, httpcore transports, and test doubles.

A transport only moves bytes. The clients hand it our :class:`~inference_core.Request` values and
get back :class:`~inference_core.Response` values; everything else (JSON, status handling,
retries, polling, stream decoding) happens in the pure core. Any object with the right methods
can be passed as ``transport=``; the protocols below are structural.

The protocol (:class:`SyncTransport`; :class:`AsyncTransport` is the same with ``await``):

* ``send(request) -> Response``: send the request and read the whole body. Never raise for an
  HTTP status, never follow redirects, never retry.
* ``stream(request)``: a context manager giving a :class:`StreamResponse` (``status``,
  ``headers``, ``chunks``). Body chunks arrive as they are received. The connection is released
  exactly once, on whichever comes first: ``chunks`` is exhausted, iterating it raises, or the
  context exits. Stopping early closes the connection rather than reusing it.
* ``close()`` / ``aclose()``: release every connection. Idempotent. Sending after it raises
  ``RuntimeError``.
* ``sleep(seconds)`` (optional): how the client waits between polls and retries. Without it the
  client uses ``time.sleep`` or ``anyio.sleep``.

Headers travel as ordered ``(name, value)`` pairs, encoded and decoded as Latin-1. The httpcore
transports add ``Host`` and ``Content-Length`` when absent and lower-case response header names.

Timeouts travel with each request. ``Request.timeout`` (the client's ``timeout``) is the seconds
allowed to connect, to wait for a pooled connection, and for each read and write (or a
``Timeout`` giving each phase its own, read with ``inference_core.transport.timeout_phases``);
when it is
None the transport's own ``timeout=`` default applies (None there waits forever). Every
transport here honours it on ``send`` and ``stream``, and expiry raises
:class:`~inference_core.InferenceTimeoutError`. It is an idle timeout: a stream that keeps
sending is never cut.

Bounds travel with each request too. ``Request.deadline`` is an instant on the
``time.monotonic()`` clock: past it before sending, ``send`` and ``stream`` raise
:class:`~inference_core.InferenceTimeoutError` without any I/O; otherwise every wait (connect,
write, the head, each body read) is clamped to the time left, so ``send`` fails by the deadline
however the server drips bytes. ``stream`` applies it to the head only; chunks after it are
bounded by ``timeout`` alone. ``Request.max_bytes`` bounds the body ``send`` reads: a declared
``Content-Length`` above it fails before reading, and reading stops once the body passes it,
raising :class:`~inference_core.ResponseTooLargeError` and closing that connection; memory never
holds more than the limit plus one chunk. Both are shared helpers (``_limits.py``).

Bodies sent with ``Content-Encoding: gzip`` or ``deflate`` come back decoded, from ``send`` and
as ``stream`` chunks, by one bounded streaming decoder (``_decoding.py``; requests' and aiohttp's
own decoding is turned off) that never inflates more than it is asked for, so a decompression
bomb cannot blow memory and ``max_bytes`` counts decoded bytes. The headers handed back then
lack ``Content-Encoding`` and ``Content-Length``, which describe the wire. A corrupt or cut
encoding raises :class:`~inference_core.RemoteProtocolError`; other encodings pass untouched.

Errors are mapped at the edge to :class:`~inference_core.TransportError` subclasses:
timeouts raise :class:`~inference_core.InferenceTimeoutError`, a failed connect raises
:class:`~inference_core.ConnectError`, a peer breaking HTTP (for example by closing mid-body)
raises :class:`~inference_core.RemoteProtocolError`, and a connection failing while sending or
reading raises :class:`~inference_core.ReadError`. The library's own exception is kept as
``__cause__``. An invalid URL raises :class:`~inference_core.RequestError` before any I/O.

Async transports are safe under cancellation, at every phase (connect and TLS, the head, the
body, a stream). A cancelled request or stream closes its connection instead of returning it
for reuse. Stream chunk iterators are classes with ``aclose``, never async generators, so a
stream left with ``break`` leaves nothing for trio to warn about.

An async transport dropped without ``aclose`` (garbage-collected, or open at interpreter exit,
when no event loop may be left) must not leak sockets: each has a synchronous ``_abandon()``
that closes every socket it opened, idle or in use, with no loop needed. A client registers it
with ``weakref.finalize``. ``close()`` on a blocking transport likewise closes every socket,
responses a caller still holds included.

Transports here: :class:`SocketTransport` (h11 over stdlib sockets, the sync default),
:class:`AnyioTransport` (h11 over anyio streams, the async default on asyncio and trio; both run
the same HTTP/1.1 code, ``_h11.py``), :class:`HttpcoreTransport`, :class:`AsyncHttpcoreTransport`,
:class:`RequestsTransport` (over a ``requests.Session``, extra ``requests``),
:class:`AiohttpTransport` (over an ``aiohttp.ClientSession``, asyncio only, extra ``aiohttp``)
and :class:`TrioTransport`
(h11 over trio streams, extra ``trio``). Every one takes ``timeout=``, ``proxies=``,
``verify=`` (True: certifi's CA bundle; False: no verification; a CA bundle path; an
``ssl.SSLContext`` used as is) and ``trust_env=``. Explicit ``proxies`` (a
URL, or a mapping with ``http``, ``https``, ``all`` and ``no_proxy`` keys) are honoured by all
of them; proxy environment variables (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``,
``NO_PROXY``, any case) only with ``trust_env=True``. The proxy is chosen per request by one
set of rules (``_proxy_env.py``), so ``NO_PROXY`` hosts (``localhost`` and ``127.0.0.1``
alike) always go direct.

Test your own code with :class:`MockTransport` / :class:`AsyncMockTransport`. They take a
``handler(request) -> Response`` and record every request and sleep.

The clients take their defaults from here: :func:`default_transport`,
:func:`default_async_transport`, :func:`as_async_transport`, :func:`blocking_sleep`,
:func:`async_sleep`, :func:`load_content` / :func:`aload_content` for ``Load`` effects, and
:func:`monotonic`, the clock call deadlines are measured on.
"""

import importlib
from typing import TYPE_CHECKING, Any

from inference_core.transport import (
    AsyncStreamResponse,
    AsyncTransport,
    StreamResponse,
    SyncTransport,
)

from ._clock import monotonic
from ._content import aload_content, load_content
from ._defaults import (
    as_async_transport,
    async_sleep,
    blocking_sleep,
    default_async_transport,
    default_transport,
)
from ._mock import AsyncMockTransport, MockTransport

__distribution__ = "hf-inference-core"
"""Marks this package as ours (see ``inference_core._siblings``)."""

if TYPE_CHECKING:
    from ._httpcore_async import AsyncHttpcoreTransport
    from ._httpcore_sync import HttpcoreTransport
    from .aiohttp import AiohttpTransport
    from .anyio import AnyioTransport
    from .requests import RequestsTransport
    from .sockets import SocketTransport
    from .trio import TrioTransport

# Imported on first use, so ``import transports`` (which the clients do) stays cheap, a client
# imports only the transport it uses, and no optional package is needed: TrioTransport needs trio.
_LAZY = {
    "AsyncHttpcoreTransport": "_httpcore_async",
    "HttpcoreTransport": "_httpcore_sync",
    "AiohttpTransport": "aiohttp",
    "AnyioTransport": "anyio",
    "RequestsTransport": "requests",
    "SocketTransport": "sockets",
    "TrioTransport": "trio",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


__all__ = [
    "AiohttpTransport",
    "AnyioTransport",
    "AsyncHttpcoreTransport",
    "AsyncMockTransport",
    "AsyncStreamResponse",
    "AsyncTransport",
    "HttpcoreTransport",
    "MockTransport",
    "RequestsTransport",
    "SocketTransport",
    "StreamResponse",
    "SyncTransport",
    "TrioTransport",
    "aload_content",
    "as_async_transport",
    "async_sleep",
    "blocking_sleep",
    "default_async_transport",
    "default_transport",
    "load_content",
    "monotonic",
]
