"""Fixtures for task tests: ``run_task`` runs each test on sync, asyncio and trio clients."""

from __future__ import annotations

import pytest

from ._support import TaskRunner


@pytest.fixture(params=["sync", "asyncio", "trio"])
def run_task(request: pytest.FixtureRequest) -> TaskRunner:
    """Run a task method on the sync client, then the async client on asyncio and on trio."""
    return TaskRunner(str(request.param))
