"""HTTP/1.1 over an async byte stream: everything the anyio and trio transports share.

Strategy: h11 does the protocol; this module drives it, once, for both I/O libraries.

* :class:`Connection` is one socket plus its ``h11.Connection``. A backend subclass adds three
  primitives (``send_all``, ``receive`` returning ``b""`` at EOF, ``aclose``), applies the
  timeout to each, and maps its library's exceptions to our ``TransportError`` family, in
  ``except`` branches only (a ``try`` costs nothing on the happy path; a ``with`` would not).
* :class:`H11Transport` is the transport. It builds the request bytes with h11 and writes head
  and body with one ``send_all``, reads 64 KiB at a time, and keeps idle connections on the LIFO
  :class:`~transports._pooling.FreeList` (O(1) take and put, no waiter queue, no limit). A
  backend subclass adds connecting (TCP, TLS), a shielded cancel scope and ``sleep``.
* Keep-alive: a connection goes back on the free-list only when h11 says both sides are DONE,
  so ``start_next_cycle()`` is legal (never after ``Connection: close``). An error, a
  cancellation or a stream left early closes it instead, under a shielded scope.
* Stale connections: servers close idle connections. Before the free-list hands one out it asks
  :meth:`Connection.has_expired`: an idle socket that polls readable (EOF, or bytes nobody asked
  for) is closed, not reused. Nothing is ever retried, so a POST is never sent twice.
* Proxies: ``http://`` targets go to the proxy in absolute form; ``https://`` targets get a
  ``CONNECT`` tunnel, and TLS starts inside it. Proxy environment variables are not read.
"""

from __future__ import annotations

import base64
import select
import ssl
from collections.abc import AsyncIterator
from contextlib import AbstractContextManager, asynccontextmanager
from types import TracebackType
from typing import NamedTuple, Protocol, TypeVar

import h11

from inference_core._boundary import Request, Response
from inference_core._errors import (
    ConnectError,
    InferenceTimeoutError,
    RemoteProtocolError,
    RequestError,
    TransportError,
)
from inference_core._transport import AsyncStreamResponse

from ._errors import _translate
from ._pooling import FreeList, Options, OriginKey, Proxies, Target, Verify, parse_url, to_headers
from ._pooling import encode_request as _encode

__all__ = ["RECEIVE_SIZE", "Connection", "H11Transport", "translate"]

RECEIVE_SIZE = 65536
_ONE_WRITE = 1 << 18  # bodies up to 256 KiB are joined to the head and written in one call
_END = h11.EndOfMessage()
translate = _translate  # (exc, our error class, url) -> our error with the usual message


class _HasFileno(Protocol):
    def fileno(self) -> int: ...


def _readable(sock: _HasFileno) -> bool:
    """True when a socket has bytes or EOF waiting (or is closed): an idle one must go."""
    fd = sock.fileno()
    if fd < 0:
        return True
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])  # pragma: no cover (Windows)


class Connection:
    """One HTTP/1.1 connection; backends add ``send_all``, ``receive`` and ``aclose``."""

    __slots__ = ("h11", "sock", "timeout", "url")

    def __init__(self, sock: _HasFileno | None, timeout: float | None) -> None:
        self.h11 = h11.Connection(h11.CLIENT)
        self.sock = sock
        self.timeout = timeout
        self.url = ""  # the request in flight, for error messages

    async def send_all(self, data: bytes) -> None:
        raise NotImplementedError

    async def receive(self) -> bytes:
        raise NotImplementedError

    async def aclose(self) -> None:
        raise NotImplementedError

    def is_available(self) -> bool:
        return self.h11.our_state is h11.IDLE and self.h11.their_state is h11.IDLE

    def has_expired(self) -> bool:
        return self.sock is None or _readable(self.sock)

    async def read_head(self) -> h11.Response:
        """Read events up to the response head, skipping 1xx responses."""
        h = self.h11
        try:
            h.receive_data(await self.receive())  # _keep left nothing buffered
            while True:
                event = h.next_event()
                if event is h11.NEED_DATA:
                    h.receive_data(await self.receive())
                elif type(event) is h11.Response:
                    return event
                elif type(event) is not h11.InformationalResponse:
                    raise h11.RemoteProtocolError("server disconnected without a response")
        except h11.ProtocolError as exc:
            raise translate(exc, RemoteProtocolError, self.url) from exc

    async def next_chunk(self) -> bytes | bytearray | None:
        """The next piece of the body, or None once the response is complete."""
        h = self.h11
        try:
            while True:
                event = h.next_event()
                if type(event) is h11.Data:
                    if event.data:
                        return event.data
                elif event is h11.NEED_DATA:
                    h.receive_data(await self.receive())
                elif type(event) is h11.EndOfMessage:
                    return None
                else:
                    raise h11.RemoteProtocolError(f"unexpected {event!r} in a response body")
        except h11.ProtocolError as exc:
            raise translate(exc, RemoteProtocolError, self.url) from exc


class _Proxy(NamedTuple):
    target: Target  # where the proxy listens
    auth: list[tuple[bytes, bytes]]  # [Proxy-Authorization] or []
    http_key: OriginKey  # free-list key of connections carrying absolute-form requests
    tunnel: str  # free-list key prefix of tunnels through this proxy


def _proxy(url: str, auth: tuple[str, str] | None) -> _Proxy:
    target = parse_url(url)
    header = []
    if auth is not None:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode())
        header.append((b"Proxy-Authorization", b"Basic " + token))
    return _Proxy(target, header, ("proxy+" + url, *target.key[1:]), "tunnel+" + url)


T = TypeVar("T", bound="H11Transport")


class H11Transport:
    """The transport logic; backends implement ``_open``, ``_start_tls``, ``_shield``, ``sleep``."""

    _timeout_errors: tuple[type[BaseException], ...] = (TimeoutError,)
    _connect_errors: tuple[type[BaseException], ...] = (OSError,)

    def __init__(
        self,
        *,
        timeout: float | None = None,
        proxies: Proxies = None,
        verify: Verify = True,
        max_idle_per_host: int = 16,
    ) -> None:
        self._options = Options(timeout, proxies, verify)
        self._timeout = timeout
        self._alpn = not isinstance(verify, ssl.SSLContext)  # leave a caller's context alone
        self._free: FreeList[Connection] = FreeList(type(self).__name__, max_idle_per_host)
        self._proxies = {s: _proxy(*spec) for s, spec in self._options.proxies.items()}

    async def _open(self, host: str, port: int, tls: ssl.SSLContext | None) -> Connection:
        """Connect (and shake hands), raising the library's own exceptions."""
        raise NotImplementedError

    async def _start_tls(self, conn: Connection, tls: ssl.SSLContext, host: str) -> Connection:
        raise NotImplementedError

    def _shield(self) -> AbstractContextManager[object]:
        raise NotImplementedError

    def _fail_after(self, seconds: float) -> AbstractContextManager[object]:
        raise NotImplementedError

    async def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        conn, key, head = await self._start(request)
        chunks = []
        try:
            while (chunk := await conn.next_chunk()) is not None:
                chunks.append(chunk)
        except BaseException:
            await self._discard(conn)
            raise
        if not self._keep(conn, key):
            await self._discard(conn)
        return Response(head.status_code, to_headers(head.headers.raw_items()), b"".join(chunks))

    @asynccontextmanager
    async def stream(self, request: Request) -> AsyncIterator[AsyncStreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        conn, key, head = await self._start(request)
        chunks = _Chunks(self, conn, key)
        try:
            yield AsyncStreamResponse(
                head.status_code, to_headers(head.headers.raw_items()), chunks
            )
        finally:
            await chunks.aclose()

    async def aclose(self) -> None:
        """Close every idle connection. Idempotent; later sends raise ``RuntimeError``."""
        await self._close_all(self._free.drain())

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _start(self, request: Request) -> tuple[Connection, OriginKey, h11.Response]:
        """Take or open a connection, write the request, read the response head."""
        target = parse_url(request.url)
        self._free.check_open()
        method, headers = _encode(request, target)
        scheme, key, form = target.key[0], target.key, target.url.target
        proxy = self._proxies.get(scheme)
        if proxy is not None and scheme == "http":
            key, form = proxy.http_key, b"http://" + target.host_header + form
            headers += proxy.auth
        elif proxy is not None:
            key = (proxy.tunnel, *target.key[1:])
        try:
            event = h11.Request(method=method, target=form, headers=headers)
        except h11.LocalProtocolError as exc:
            raise RequestError(f"Cannot send {request!r}: {exc}") from None
        conn, stale = self._free.take(key)
        if stale:
            await self._close_all(stale)
        if conn is None:
            conn = await self._connect(target, proxy, request.url)
        conn.url = request.url
        try:
            h = conn.h11
            data = h.send(event)
            body = request.body
            if body and len(body) > _ONE_WRITE:
                await conn.send_all(data)
                data = h.send(h11.Data(data=body))
            elif body:
                data += h.send(h11.Data(data=body))
            await conn.send_all(data + h.send(_END))
            return conn, key, await conn.read_head()
        except BaseException as exc:
            await self._discard(conn)
            if isinstance(exc, h11.LocalProtocolError):  # e.g. a body longer than Content-Length
                raise RequestError(f"Cannot send {request!r}: {exc}") from exc
            raise

    async def _connect(self, target: Target, proxy: _Proxy | None, url: str) -> Connection:
        """Open a connection (through the proxy, if any) within one connect timeout."""
        try:
            if self._timeout is None:
                return await self._setup(target, proxy, url)
            with self._fail_after(self._timeout):
                return await self._setup(target, proxy, url)
        except (ConnectError, InferenceTimeoutError):
            raise
        except self._timeout_errors as exc:
            raise translate(exc, InferenceTimeoutError, url) from exc
        except TransportError as exc:  # the proxy failed us while tunnelling
            raise translate(exc, ConnectError, url) from exc
        except self._connect_errors as exc:  # OSError covers ssl.SSLError
            raise translate(exc, ConnectError, url) from exc

    async def _setup(self, target: Target, proxy: _Proxy | None, url: str) -> Connection:
        scheme, host, port = target.key
        if proxy is None:
            return await self._open(host, port, self._tls(scheme))
        _, proxy_host, proxy_port = proxy.target.key
        conn = await self._open(proxy_host, proxy_port, self._tls(proxy.target.key[0]))
        if scheme == "http":
            return conn
        conn.url = url
        try:
            authority = (f"[{host}]" if ":" in host else host).encode("ascii") + b":%d" % port
            h = conn.h11
            tunnel = [(b"Host", authority), *proxy.auth]
            data = h.send(h11.Request(method=b"CONNECT", target=authority, headers=tunnel))
            await conn.send_all(data + h.send(_END))
            status = (await conn.read_head()).status_code
            if not 200 <= status < 300:
                raise ConnectError(f"Could not connect to {url}: the proxy answered {status}")
            return await self._start_tls(conn, self._https_context(), host)
        except BaseException:
            await self._discard(conn)
            raise

    def _tls(self, scheme: str) -> ssl.SSLContext | None:
        return self._https_context() if scheme == "https" else None

    def _https_context(self) -> ssl.SSLContext:
        context = self._options.ssl_context("https")
        assert context is not None
        if self._alpn:  # our own context: offer http/1.1 only, once
            context.set_alpn_protocols(["http/1.1"])
            self._alpn = False
        return context

    @staticmethod
    def _check_alpn(protocol: str | None) -> None:
        if protocol not in (None, "http/1.1"):
            raise ssl.SSLError(f"the server chose {protocol!r} over ALPN; only http/1.1 is spoken")

    def _keep(self, conn: Connection, key: OriginKey) -> bool:
        """After a complete response: put the connection back if h11 allows (else close it)."""
        h = conn.h11  # reusable: both sides DONE and no unasked-for bytes buffered
        if h.our_state is h11.DONE and h.their_state is h11.DONE and not h.trailing_data[0]:
            h.start_next_cycle()
            return self._free.put(key, conn)
        return False

    async def _discard(self, conn: Connection) -> None:
        with self._shield():
            await conn.aclose()

    async def _close_all(self, conns: list[Connection]) -> None:
        with self._shield():
            for conn in conns:
                await conn.aclose()


class _Chunks(AsyncIterator[bytes]):
    """A stream's body: releases its connection exactly once (exhaustion, error or aclose)."""

    __slots__ = ("_conn", "_key", "_transport")

    def __init__(self, transport: H11Transport, conn: Connection, key: OriginKey) -> None:
        self._transport, self._key = transport, key
        self._conn: Connection | None = conn

    async def __anext__(self) -> bytes:
        conn = self._conn
        if conn is None:
            raise StopAsyncIteration
        try:
            chunk = await conn.next_chunk()
        except BaseException:
            self._conn = None
            await self._transport._discard(conn)
            raise
        if chunk is None:
            self._conn = None
            if not self._transport._keep(conn, self._key):
                await self._transport._discard(conn)
            raise StopAsyncIteration
        return bytes(chunk)

    async def aclose(self) -> None:
        """Release the connection now, closing it unless the body was fully read."""
        conn, self._conn = self._conn, None
        if conn is not None:
            await self._transport._discard(conn)
