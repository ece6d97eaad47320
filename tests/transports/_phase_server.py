"""A raw loopback server that stalls a response at a chosen phase and notices the client leave.

Unlike ``fake_service.LoopbackServer``, whose stalls sleep, every stall here blocks in
``recv``: so the moment a client closes its socket the server sees EOF and counts the
connection closed. That makes "the transport released its connection" observable from the
server's side, for leak checks. Paths (``GET`` only, no request body):

* ``/ok``: ``200`` with body ``ok``, keep-alive (the next request may follow);
* ``/head``: nothing at all (stalled before the response head);
* ``/body``: a head declaring 1000 bytes, then 5 of them (stalled mid-body);
* ``/stream``: a chunked head and one chunk ``first`` (stalled mid-stream).

A TLS client never gets an answer either (its ClientHello is not HTTP): stalled mid-connect.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType

_HEADS = {
    "/ok": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    "/head": b"",
    "/body": b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhello",
    "/stream": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n",
}


class PhaseServer:
    """A context manager serving on ``127.0.0.1``; ``opened``/``closed`` count connections."""

    def __init__(self) -> None:
        self.opened = self.closed = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._socks: list[socket.socket] = []
        self._stopping = False

    def __enter__(self) -> PhaseServer:
        self._spawn(self._accept)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stopping = True
        with socket.create_connection(self._listener.getsockname()):
            pass
        self._threads[0].join()
        self._listener.close()
        with self._lock:
            for sock in self._socks:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join()

    def all_closed(self, within: float = 3.0) -> bool:
        """Wait until the client closed every connection it opened; True if it did."""
        give_up = time.monotonic() + within
        while time.monotonic() < give_up:
            with self._lock:
                if self.closed == self.opened:
                    return True
            time.sleep(0.02)
        return False

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while True:
            sock, _ = self._listener.accept()
            if self._stopping:
                sock.close()
                return
            with self._lock:
                self.opened += 1
                self._socks.append(sock)
            self._spawn(self._serve, sock)

    def _serve(self, sock: socket.socket) -> None:
        buffer = b""
        try:
            while True:
                while b"\r\n\r\n" not in buffer:
                    data = sock.recv(65536)
                    if not data:
                        return
                    buffer += data
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode("latin-1") if b" " in head else ""
                path = "/" + path.split("/", 3)[-1] if path.startswith("http") else path
                sock.sendall(_HEADS.get(path.partition("?")[0], _HEADS["/head"]))
                if path.partition("?")[0] != "/ok":
                    while sock.recv(65536):  # stall until the client leaves
                        pass
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self.closed += 1
            sock.close()
