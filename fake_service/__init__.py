"""A fake inference service for tests and demos: every provider's wire format, no network.

* :class:`FakeService`: deterministic answers for the Hub, hf-inference (all tasks) and every
  provider's routes, with fault injection (:meth:`FakeService.fault`).
* :class:`FakeTransport` / :class:`AsyncFakeTransport`: the service in-process, as a transport.
* :class:`FakeServer`: the service over real HTTP on 127.0.0.1; its ``transport()`` reroutes
  every provider's URL to it. ``hf-inference serve-fake`` runs one from the command line.
* :class:`LoopbackServer` and its actions (:class:`Reply`, :class:`StreamReply`, ...): the
  threaded HTTP/1.1 server underneath, for handlers of your own.

Installed with hf-inference-core (``pip install hf-inference-core``); see docs/testing.md.
"""

import importlib
from typing import TYPE_CHECKING, Any

__distribution__ = "hf-inference-core"
"""Marks this package as ours (see ``inference_core._siblings``)."""

if TYPE_CHECKING:
    from .http import FakeServer, serve
    from .server import (
        CloseMidBody,
        Delayed,
        Handler,
        LoopbackServer,
        Reply,
        ServerRequest,
        Stall,
        StreamReply,
    )
    from .service import FakeService, Fault
    from .tasks import model_url, task_handler
    from .transport import (
        AsyncFakeTransport,
        AsyncRerouteTransport,
        FakeTransport,
        RerouteTransport,
    )

# Imported on first use, so the pytest plugin (``fake_service.pytest_plugin``, loaded by every
# pytest run once the package is installed) costs nothing until a fixture is used.
_LAZY = {
    "FakeServer": "http",
    "serve": "http",
    "CloseMidBody": "server",
    "Delayed": "server",
    "Handler": "server",
    "LoopbackServer": "server",
    "Reply": "server",
    "ServerRequest": "server",
    "Stall": "server",
    "StreamReply": "server",
    "FakeService": "service",
    "Fault": "service",
    "model_url": "tasks",
    "task_handler": "tasks",
    "AsyncFakeTransport": "transport",
    "AsyncRerouteTransport": "transport",
    "FakeTransport": "transport",
    "RerouteTransport": "transport",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "AsyncFakeTransport",
    "AsyncRerouteTransport",
    "CloseMidBody",
    "Delayed",
    "FakeServer",
    "FakeService",
    "FakeTransport",
    "Fault",
    "Handler",
    "LoopbackServer",
    "RerouteTransport",
    "Reply",
    "ServerRequest",
    "Stall",
    "StreamReply",
    "model_url",
    "serve",
    "task_handler",
]
