"""A fake inference service for tests and demos: a loopback HTTP/1.1 server driven by a handler.

Not part of the installed package; tests import it from the repository root.
"""

from .server import (
    CloseMidBody,
    Handler,
    LoopbackServer,
    Reply,
    ServerRequest,
    Stall,
    StreamReply,
)
from .tasks import model_url, task_handler

__all__ = [
    "CloseMidBody",
    "Handler",
    "LoopbackServer",
    "Reply",
    "ServerRequest",
    "Stall",
    "StreamReply",
    "model_url",
    "task_handler",
]
