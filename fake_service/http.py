"""The fake service over real HTTP on loopback: :class:`FakeServer` and :func:`serve`.

Strategy: a :class:`~fake_service.LoopbackServer` hosts a :class:`~fake_service.FakeService`.
Point a client at it in one of three ways: a URL model (``f"{server.url}/text-classification"``
or just ``server.url`` for text generation and chat), ``HF_ENDPOINT=server.url`` for the Hub
lookups, or :meth:`FakeServer.transport` / :meth:`FakeServer.async_transport`, a real
(httpcore) transport rerouted to the server so that *every* provider's URL reaches it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Mapping
from types import TracebackType

from inference_core.transport import AsyncTransport, SyncTransport

from .server import LoopbackServer, ServerRequest
from .service import FakeService
from .transport import AsyncRerouteTransport, RerouteTransport

__all__ = ["FakeServer", "serve"]


class FakeServer:
    """The fake service on ``http://127.0.0.1:<port>`` (a free port unless ``port`` is given);
    a context manager that starts and stops it.

    Args:
        service: the service to host (default: a new :class:`FakeService`).
        models, polls: passed to the new service when ``service`` is not given.

    Attributes:
        url: the server's base URL, once started.
        service: the hosted service (add faults to it while the server runs).
        requests: every request received, as the server read it.
    """

    def __init__(
        self,
        service: FakeService | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        models: Mapping[str, str] | None = None,
        polls: int = 1,
    ) -> None:
        self.service = service if service is not None else FakeService(models=models, polls=polls)
        self._server = LoopbackServer(self.service, host=host, port=port)

    @property
    def url(self) -> str:
        """``"http://127.0.0.1:PORT"``."""
        return self._server.url

    @property
    def requests(self) -> list[ServerRequest]:
        """Every request received, in arrival order."""
        return self._server.requests

    def start(self) -> None:
        """Bind and start serving."""
        self._server.start()

    def close(self) -> None:
        """Stop serving. Idempotent."""
        self._server.close()

    def transport(
        self, inner: SyncTransport | None = None, *, wait: bool = False
    ) -> RerouteTransport:
        """A transport sending every request to this server (default: a new httpcore one,
        closed with it). Its ``sleep`` waits only with ``wait=True``: polls of the fake
        service need no real wait."""
        if inner is None:
            from transports import HttpcoreTransport

            inner = HttpcoreTransport()
        return RerouteTransport(inner, self.url, wait=wait)

    def async_transport(
        self, inner: AsyncTransport | None = None, *, wait: bool = False
    ) -> AsyncRerouteTransport:
        """The async twin of :meth:`transport` (default: a new async httpcore transport)."""
        if inner is None:
            from transports import AsyncHttpcoreTransport

            inner = AsyncHttpcoreTransport()
        return AsyncRerouteTransport(inner, self.url, wait=wait)

    def __str__(self) -> str:
        return self.url

    def __enter__(self) -> FakeServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def serve(
    port: int = 0, *, host: str = "127.0.0.1", stop: threading.Event | None = None
) -> int:
    """Serve the fake service until interrupted (or until ``stop`` is set); print its URL."""
    with FakeServer(host=host, port=port) as server:
        url = server.url
        print(f"fake inference service listening on {url}", flush=True)
        print(f"  a model URL per task: {url}/text-classification, {url}/fill-mask, ...")
        print(f"  chat and text generation: {url}; the Hub: HF_ENDPOINT={url}")
        print(f"  every provider: hf-inference TASK ... --reroute {url}")
        print("  Ctrl-C stops it", flush=True)
        try:
            (stop or threading.Event()).wait()
        except KeyboardInterrupt:
            print("stopped", file=sys.stderr)
    return 0
