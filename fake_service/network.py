"""A guard that refuses every connection except to loopback, for offline tests.

Strategy: while a :class:`NetworkGuard` is active, ``socket.socket.connect``/``connect_ex``
and ``socket.getaddrinfo`` are wrapped (blocking code, asyncio, trio and anyio all connect and
resolve through them). A host that is not ``localhost``, ``127.x.x.x`` or ``::1`` (or a Unix
socket path) raises :class:`NetworkBlockedError`, a ``RuntimeError`` no transport maps to a
connection error, and is listed in :attr:`NetworkGuard.attempts`, so a test that swallows the
error still fails (the pytest plugin checks ``attempts`` at teardown). Guards nest; each
restores what it replaced.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from types import TracebackType
from typing import Any

__all__ = ["NetworkBlockedError", "NetworkGuard", "is_loopback"]


class NetworkBlockedError(RuntimeError):
    """A connection to a non-loopback host was attempted while the network was blocked."""


def is_loopback(host: Any) -> bool:
    """Whether ``host`` (a name, an address, or None) stays on this machine."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip("[]").lower()
    if name in ("localhost", "localhost.", "") or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class NetworkGuard:
    """A context manager: connections outside loopback raise :class:`NetworkBlockedError`.

    Attributes:
        attempts: ``"host:port"`` of every refused attempt, in order.
    """

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self._saved: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _refuse(self, host: Any, port: Any) -> None:
        target = f"{host}:{port}"
        with self._lock:
            self.attempts.append(target)
        raise NetworkBlockedError(
            f"network access blocked during this test: tried to reach {target} (only"
            " 127.0.0.1, ::1 and localhost are allowed)"
        )

    def _check_address(self, address: Any) -> None:
        if isinstance(address, tuple) and address and not is_loopback(address[0]):
            self._refuse(address[0], address[1] if len(address) > 1 else "")

    def __enter__(self) -> NetworkGuard:
        connect = socket.socket.connect
        connect_ex = socket.socket.connect_ex
        getaddrinfo = socket.getaddrinfo
        self._saved = {"connect": connect, "connect_ex": connect_ex, "getaddrinfo": getaddrinfo}
        guard = self

        def guarded_connect(sock: Any, address: Any) -> None:
            guard._check_address(address)
            connect(sock, address)

        def guarded_connect_ex(sock: Any, address: Any) -> int:
            guard._check_address(address)
            result: int = connect_ex(sock, address)
            return result

        def guarded_getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
            if not is_loopback(host):
                guard._refuse(host, port)
            return getaddrinfo(host, port, *args, **kwargs)

        socket.socket.connect = guarded_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = guarded_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = guarded_getaddrinfo
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        socket.socket.connect = self._saved["connect"]  # type: ignore[method-assign]
        socket.socket.connect_ex = self._saved["connect_ex"]  # type: ignore[method-assign]
        socket.getaddrinfo = self._saved["getaddrinfo"]
