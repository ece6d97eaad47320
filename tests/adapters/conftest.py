"""Provider tests run each call on the sync client and the async client (asyncio and trio)."""

from __future__ import annotations

import pytest

from tests.tasks._support import TaskRunner


@pytest.fixture(params=["sync", "asyncio", "trio"])
def run_task(request: pytest.FixtureRequest) -> TaskRunner:
    """Run a task method on the sync client, then the async client on asyncio and on trio."""
    return TaskRunner(str(request.param))
