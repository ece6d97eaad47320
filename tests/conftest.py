"""Shared test configuration: every ``@pytest.mark.anyio`` test runs on asyncio and on trio."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run async tests once per event loop (anyio's pytest plugin reads this fixture)."""
    return str(request.param)
