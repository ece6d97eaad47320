"""The loopback routes the per-transport tests share (the contract suite has its own)."""

from __future__ import annotations

import time
import urllib.parse

from fake_service import CloseMidBody, Reply, ServerRequest, Stall, StreamReply

EVENTS = [b"data: 1\n\n", b"data: 2\n\n", b"data: 3\n\n"]


def route(request: ServerRequest) -> Reply | StreamReply | Stall | CloseMidBody:
    path = urllib.parse.urlsplit(request.target).path
    if path == "/echo":
        seen = {
            "method": request.method,
            "target": request.target,
            "headers": dict(request.headers),
            "body": request.body.decode(),
        }
        return Reply.json(seen, headers=(("X-Reply", "Yes"),))
    if path == "/binary":
        return Reply(200, (("content-type", "application/octet-stream"),), request.body)
    if path == "/slow":
        time.sleep(0.05)
        return Reply(200, (), request.body)
    if path == "/stream":
        return StreamReply(EVENTS, delay=float(request.header("x-delay") or 0))
    if path == "/stream-then-stall":
        return StreamReply([b"first", b"never"], delay=30)
    if path == "/stall":
        return Stall(30)
    if path == "/cut":
        return CloseMidBody(declared_length=100, partial=b"partial")
    if path == "/close":
        return Reply(200, (("connection", "close"),), b"bye")
    return Reply(404)
