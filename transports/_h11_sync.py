"""HTTP/1.1 over a blocking socket: GENERATED from ``_h11.py`` by ``tools/unasync.py``.

Do not edit: change ``_h11.py`` and run ``python tools/unasync.py``. All that
``_h11.py``'s docstring says holds here, with blocking calls in place of awaits; the
shield and ``sleep(0)`` of the async code are no-ops for a blocking backend.
"""

from __future__ import annotations

import base64
import select
import ssl
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from types import TracebackType
from typing import NamedTuple, Protocol, TypeVar

import h11

from inference_core.transport import (
    StreamResponse,
    ConnectError,
    InferenceTimeoutError,
    RemoteProtocolError,
    Request,
    RequestError,
    Response,
    TransportError,
    timeout_phases,
)

from ._abandon import close_now
from ._decoding import DecodedChunks, decoded_headers, decoder_for
from ._limits import Body, check_deadline, wait_limit
from ._pooling import (
    FreeList,
    Options,
    OriginKey,
    Proxies,
    Target,
    Verify,
    encode_request,
    parse_url,
    to_headers,
)
from ._translate import translate  # (exc, our class, url) -> our error, usual message

__all__ = ["RECEIVE_SIZE", "Connection", "H11Transport", "translate"]

RECEIVE_SIZE = 65536
# Body pieces already received are joined up to this size per call: fewer calls per event of
# a fast stream, while the items parsed from one call stay few (100 streams, each parsing a
# whole 64 KiB receive at once, held ~4x the memory of this bound; bench/scale.py).
JOIN_LIMIT = 8192
_ONE_WRITE = 1 << 18  # bodies up to 256 KiB are joined to the head: one send_all
# A write this small onto an idle plain-TCP connection fits the empty kernel send buffer
# (16 KiB or more by default): it cannot block, so it needs no timeout scope.
_SMALL_WRITE = 8192
_END = h11.EndOfMessage()


class _HasFileno(Protocol):
    def fileno(self) -> int: ...


def _readable(sock: _HasFileno) -> bool:
    """True when a socket has bytes or EOF waiting, or is closed: an idle one must go."""
    fd = sock.fileno()
    if fd < 0:
        return True
    if not hasattr(select, "poll"):  # pragma: no cover (Windows)
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class Connection:
    """One HTTP/1.1 connection; backends add ``send_all``, ``receive`` and ``close``."""

    __slots__ = (
        "__weakref__",
        "complete",
        "deadline",
        "h11",
        "small_write",
        "sock",
        "timeout",
        "url",
    )

    def __init__(self, sock: _HasFileno | None, timeout: float | None, tls: bool) -> None:
        self.h11 = h11.Connection(h11.CLIENT)
        self.sock, self.timeout = sock, timeout
        self.deadline: float | None = None  # the request's, while it bounds the request
        self.small_write = 0 if tls else _SMALL_WRITE  # sends up to this size skip the timeout
        self.url = ""  # the request in flight, for error messages (as is ``timeout``)
        self.complete = False  # the response's end was read ahead by ``next_chunk``

    def wait_limit(self) -> float | None:
        """The seconds the next send or receive may wait: ``timeout``, clamped to the deadline."""
        if self.deadline is None:
            return self.timeout
        return wait_limit(self.timeout, self.deadline, self.url)

    def send_all(self, data: bytes) -> None:
        raise NotImplementedError

    def receive(self) -> bytes:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def is_available(self) -> bool:
        return self.h11.our_state is h11.IDLE and self.h11.their_state is h11.IDLE

    def has_expired(self) -> bool:
        return self.sock is None or _readable(self.sock)

    def reusable(self) -> bool:
        """After a complete response: start the next cycle if h11 allows it (and say so)."""
        h = self.h11  # both sides DONE, and no bytes buffered that nobody asked for
        if h.our_state is h11.DONE and h.their_state is h11.DONE and not h.trailing_data[0]:
            h.start_next_cycle()
            self.complete = False
            return True
        return False

    def request(self, event: h11.Request, body: bytes | None) -> h11.Response:
        """Write the request (one ``send_all`` unless the body is large); read the head."""
        h = self.h11
        data = h.send(event)
        if body and len(body) > _ONE_WRITE:
            self.send_all(data)
            data = h.send(h11.Data(data=body))
        elif body:
            data += h.send(h11.Data(data=body))
        self.send_all(data + h.send(_END))
        try:
            h.receive_data(self.receive())  # reusable() left nothing buffered
            while True:
                event_in = h.next_event()
                if event_in is h11.NEED_DATA:
                    h.receive_data(self.receive())
                elif type(event_in) is h11.Response:
                    return event_in
                elif type(event_in) is not h11.InformationalResponse:  # 1xx are skipped
                    raise h11.RemoteProtocolError("server disconnected without a response")
        except h11.ProtocolError as exc:
            raise translate(exc, RemoteProtocolError, self.url) from exc

    def next_chunk(self) -> bytes | bytearray | None:
        """The body bytes h11 holds (waiting for some if it holds none), or None once the
        response is complete. Pieces already received are joined: one call per receive."""
        if self.complete:
            return None
        h = self.h11
        try:
            while True:
                event = h.next_event()
                if type(event) is h11.Data:
                    if event.data:
                        return self._and_buffered(event.data)
                elif event is h11.NEED_DATA:
                    h.receive_data(self.receive())
                elif type(event) is h11.EndOfMessage:
                    return None
                else:
                    raise h11.RemoteProtocolError(f"unexpected {event!r} in a response body")
        except h11.ProtocolError as exc:
            raise translate(exc, RemoteProtocolError, self.url) from exc

    def _and_buffered(self, data: bytes | bytearray) -> bytes | bytearray:
        """``data`` joined with the body bytes already buffered after it (never waits); notes
        the end of the response if it is buffered too."""
        h = self.h11
        event = h.next_event()
        if event is h11.NEED_DATA:  # the usual case: one piece per receive
            return data
        pieces, size = [data], len(data)
        while event is not h11.NEED_DATA:
            if type(event) is h11.Data:
                pieces.append(event.data)
                size += len(event.data)
                if size >= JOIN_LIMIT:  # the rest waits in h11's buffer for the next call
                    break
            elif type(event) is h11.EndOfMessage:
                self.complete = True
                break
            else:
                raise h11.RemoteProtocolError(f"unexpected {event!r} in a response body")
            event = h.next_event()
        return b"".join(pieces)


class _Proxy(NamedTuple):
    target: Target  # where the proxy listens
    auth: list[tuple[bytes, bytes]]  # [Proxy-Authorization] or []
    http_key: OriginKey  # free-list key of connections carrying absolute-form requests
    tunnel: str  # free-list key prefix of tunnels through this proxy


def _proxy(url: str, auth: tuple[str, str] | None) -> _Proxy:
    target, header = parse_url(url), []
    if auth is not None:
        header.append(
            (b"Proxy-Authorization", b"Basic " + base64.b64encode(":".join(auth).encode()))
        )
    return _Proxy(target, header, ("proxy+" + url, *target.key[1:]), "tunnel+" + url)


T = TypeVar("T", bound="H11Transport")


class H11Transport:
    """The transport; backends add ``_open``, ``_start_tls``, ``_shield``, ``_fail_after``,
    ``sleep`` and the native exception types raised while connecting."""

    _timeout_errors: tuple[type[BaseException], ...] = (TimeoutError,)
    _connect_errors: tuple[type[BaseException], ...] = (OSError,)  # OSError covers ssl.SSLError

    def __init__(
        self,
        *,
        timeout: float | None = None,
        proxies: Proxies = None,
        verify: Verify = True,
        trust_env: bool = False,
        max_idle_per_host: int = 256,
    ) -> None:
        self._options = Options(timeout, proxies, verify, trust_env)
        self._timeout = timeout
        self._alpn = not isinstance(verify, ssl.SSLContext)  # leave a caller's context alone
        self._free: FreeList[Connection] = FreeList(type(self).__name__, max_idle_per_host)
        self._proxies = {s: _proxy(*spec) for s, spec in self._options.proxies.items()}
        self._opened: weakref.WeakSet[Connection] = weakref.WeakSet()
        self._valid_lines: set[tuple[bytes, bytes]] = set()  # header lines h11 has accepted

    def _open(self, host: str, port: int, tls: ssl.SSLContext | None) -> Connection:
        raise NotImplementedError  # connect (and shake hands), raising native exceptions

    def _start_tls(self, conn: Connection, tls: ssl.SSLContext, host: str) -> Connection:
        raise NotImplementedError

    def _shield(self) -> AbstractContextManager[object]:
        raise NotImplementedError

    def sleep(self, seconds: float) -> None:
        raise NotImplementedError

    def _fail_after(self, seconds: float) -> AbstractContextManager[object]:
        raise NotImplementedError

    def send(self, request: Request) -> Response:
        """Send ``request`` and read the whole response body."""
        conn, key, head = self._start(request)
        try:
            body = Body(request, head.status_code, to_headers(head.headers.raw_items()))
            while (chunk := conn.next_chunk()) is not None:
                body.feed(chunk)
            response = body.response()
        except BaseException:
            self._discard(conn)
            raise
        if not (conn.reusable() and self._free.put(key, conn)):
            self._discard(conn)
        return response

    @contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Open ``request`` as a stream; the connection is released when the context exits."""
        conn, key, head = self._start(request)
        conn.deadline = None  # the deadline bounds the head only
        chunks = _Chunks(self, conn, key)
        try:
            headers = to_headers(head.headers.raw_items())
            decoder = decoder_for(headers, request.url)
            if decoder is None:
                yield StreamResponse(head.status_code, headers, chunks)
            else:
                decoded = DecodedChunks(chunks, decoder)
                yield StreamResponse(head.status_code, decoded_headers(headers), decoded)
        finally:
            chunks.close()

    def close(self) -> None:
        """Close every connection, idle or still held by a stream. Idempotent; later sends
        raise ``RuntimeError``."""
        self._discard(*self._free.drain())
        if self._opened:  # a stream still held: cut it, its reads now fail
            for conn in list(self._opened):
                close_now(conn)
            with self._shield():
                self.sleep(0)  # asyncio closes an aborted socket on its next turn

    def _abandon(self) -> None:
        """Close every socket now, with no event loop needed (see ``AsyncHttpcoreTransport``)."""
        idle = self._free.drain()  # held until their sockets are closed
        for conn in list(self._opened):
            close_now(conn)
        self._opened.clear()
        del idle

    def __enter__(self: T) -> T:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _start(self, request: Request) -> tuple[Connection, OriginKey, h11.Response]:
        """Take or open a connection, write the request, read the response head."""
        target = parse_url(request.url)
        self._free.check_open()
        check_deadline(request)
        method, headers = encode_request(request, target)
        key, form = target.key, target.target
        proxy = None
        if self._proxies and self._options.proxy_for(key) is not None:
            proxy = self._proxies[key[0]]
        if proxy is not None and key[0] == "http":
            key, form = proxy.http_key, b"http://" + target.host_header + form
            headers += proxy.auth
        elif proxy is not None:
            key = (proxy.tunnel, *key[1:])
        event = self._request_event(request, method, form, headers)
        given = self._timeout if request.timeout is None else request.timeout
        connect_timeout, timeout, _, _ = timeout_phases(given)  # reads and writes: ``read``
        conn, stale = self._free.take(key)
        if stale:
            self._discard(*stale)
        if conn is None:
            limit = wait_limit(connect_timeout, request.deadline, request.url)
            conn = self._connect(target, proxy, request.url, limit)
            self._opened.add(conn)
        conn.url, conn.timeout, conn.deadline = request.url, timeout, request.deadline
        try:
            return conn, key, conn.request(event, request.body)
        except BaseException as exc:
            self._discard(conn)
            if isinstance(exc, h11.LocalProtocolError):  # e.g. a body longer than Content-Length
                raise RequestError(f"Cannot send {request!r}: {exc}") from exc
            raise

    def _request_event(
        self, request: Request, method: bytes, form: bytes, headers: list[tuple[bytes, bytes]]
    ) -> h11.Request:
        """The h11 request event. h11 checks every header line with two regular expressions;
        a client sends the same few lines again and again, so lines it accepted once are
        remembered (per transport, at most 256) and a request made only of such lines, plus
        ``Content-Length`` (whose value h11 always checks), skips that step."""
        valid = self._valid_lines
        try:
            for line in headers:
                if line not in valid and line[0] != b"Content-Length":
                    break
            else:  # every line was accepted before: h11 still checks method, target, framing
                return h11.Request(method=method, target=form, headers=headers, _parsed=True)
            event = h11.Request(method=method, target=form, headers=headers)
        except h11.LocalProtocolError as exc:
            raise RequestError(f"Cannot send {request!r}: {exc}") from None
        if len(valid) > 256:
            valid.clear()
        valid.update(headers)
        return event

    def _connect(
        self, target: Target, proxy: _Proxy | None, url: str, timeout: float | None
    ) -> Connection:
        """Open a connection (through the proxy, if any) within one connect timeout."""
        try:
            if timeout is None:
                return self._setup(target, proxy, url, timeout)
            with self._fail_after(timeout):
                return self._setup(target, proxy, url, timeout)
        except (ConnectError, InferenceTimeoutError):
            raise
        except self._timeout_errors as exc:
            raise translate(exc, InferenceTimeoutError, url) from exc
        except TransportError as exc:  # the proxy failed us while tunnelling
            raise translate(exc, ConnectError, url) from exc
        except self._connect_errors as exc:
            raise translate(exc, ConnectError, url) from exc

    def _setup(
        self, target: Target, proxy: _Proxy | None, url: str, timeout: float | None
    ) -> Connection:
        scheme, host, port = target.key
        if proxy is None:
            return self._open(host, port, self._tls(scheme))
        conn = self._open(*proxy.target.key[1:], self._tls(proxy.target.key[0]))
        if scheme == "http":
            return conn
        conn.url, conn.timeout = url, timeout
        try:
            authority = (f"[{host}]" if ":" in host else host).encode("ascii") + b":%d" % port
            tunnel = [(b"Host", authority), *proxy.auth]
            connect = h11.Request(method=b"CONNECT", target=authority, headers=tunnel)
            status = (conn.request(connect, None)).status_code
            if not 200 <= status < 300:
                raise ConnectError(f"Could not connect to {url}: the proxy answered {status}")
            context = self._tls("https")
            assert context is not None
            return self._start_tls(conn, context, host)
        except BaseException:
            self._discard(conn)
            raise

    def _tls(self, scheme: str) -> ssl.SSLContext | None:
        context = self._options.ssl_context(scheme)
        if context is not None and self._alpn:  # our own context: offer http/1.1, once
            context.set_alpn_protocols(["http/1.1"])
            self._alpn = False
        return context

    @staticmethod
    def _check_alpn(protocol: str | None) -> None:
        if protocol not in (None, "http/1.1"):
            raise ssl.SSLError(f"the server chose {protocol!r} over ALPN; we speak http/1.1")

    def _discard(self, *conns: Connection) -> None:
        with self._shield():
            for conn in conns:
                conn.close()


class _Chunks(Iterator[bytes]):
    """A stream's body: releases its connection exactly once (exhaustion, error or close)."""

    __slots__ = ("_conn", "_key", "_transport")

    def __init__(self, transport: H11Transport, conn: Connection, key: OriginKey) -> None:
        self._transport, self._key = transport, key
        self._conn: Connection | None = conn

    def __next__(self) -> bytes:
        conn = self._conn
        if conn is None:
            raise StopIteration
        try:
            chunk = conn.next_chunk()
        except BaseException:
            self._conn = None
            self._transport._discard(conn)
            raise
        if chunk is None:
            self._conn = None
            if not (conn.reusable() and self._transport._free.put(self._key, conn)):
                self._transport._discard(conn)
            raise StopIteration
        return bytes(chunk)

    def close(self) -> None:
        """Release the connection now, closing it unless the body was fully read."""
        conn, self._conn = self._conn, None
        if conn is not None:
            self._transport._discard(conn)
