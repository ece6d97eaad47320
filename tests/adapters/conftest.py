"""Provider tests run each call on the sync client and the async client (asyncio and trio),
once with the test's explicit ``provider`` and once without it (the default, "auto": the Hub
mapping's first entry names the provider). The scripts answer the Hub lookups themselves."""

from __future__ import annotations

import pytest

from tests.tasks._support import TaskRunner


@pytest.fixture(
    params=[
        ("sync", False),
        ("asyncio", False),
        ("trio", False),
        ("sync", True),
        ("asyncio", True),
        ("trio", True),
    ],
    ids=["sync", "asyncio", "trio", "sync-auto", "asyncio-auto", "trio-auto"],
)
def run_task(request: pytest.FixtureRequest) -> TaskRunner:
    """Run a task method on each client flavour, with the provider named and left out."""
    mode, auto = request.param
    return TaskRunner(mode, hub=False, auto=auto)
