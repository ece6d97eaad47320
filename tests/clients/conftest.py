"""Fixtures for client tests: a fake TGI server on a real loopback socket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fake_service.server import LoopbackServer
from fake_service.tgi import tgi_handler


@pytest.fixture
def tgi_server() -> Iterator[LoopbackServer]:
    """The fake TGI/chat server on 127.0.0.1 (a fresh port per test)."""
    with LoopbackServer(tgi_handler) as server:
        yield server
