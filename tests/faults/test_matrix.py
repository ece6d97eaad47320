"""The fault matrix: every row of ``_cases.CASES`` through the public clients, on every transport
setup (2 blocking transports; 4 async transports on the event loops each runs on: 6 pairs).

Each row checks the typed error or the result, the requests the server saw (so a retry, or the
absence of one, is visible), the ``on_retry`` events, the elapsed time where it matters, that a
connection broken by a transport error was closed at once (not kept for reuse), that every
connection is closed once the client and transport are, and on async setups that the event loop
never stalled (a ticker task kept running through the call).

The elapsed time of every row is kept as the test's ``elapsed`` user property
(``-o junit_family=legacy --junitxml=...`` writes it out).
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest

from inference_core import (
    AsyncInferenceClient,
    ConnectError,
    InferenceClient,
    InferenceTimeoutError,
    TransportError,
)

from ._cases import (
    CASE_IDS,
    CASES,
    KNOWN_DEVIATIONS,
    METHOD,
    RESULT,
    SLACK,
    Case,
    call_async,
    call_sync,
)
from ._server import FaultServer, refused_url

MAX_LOOP_GAP = 0.5  # seconds the ticker may go without running: a blocked loop shows up here


def _options(case: Case, retries: list[Any]) -> dict[str, Any]:
    options = dict(case.options)
    if case.retries is not None:
        options["on_retry"] = retries.append
    return options


def _check(case: Case, server: FaultServer, outcome: Any, items: list[Any], elapsed: float,
           retries: list[Any]) -> None:  # fmt: skip
    if case.error is None:
        if isinstance(outcome, BaseException):
            raise AssertionError(f"expected success, got {outcome!r}") from outcome
        assert outcome == RESULT[case.call]
    else:
        if not isinstance(outcome, case.error):
            raise AssertionError(f"expected {case.error}, got {outcome!r}") from (
                outcome if isinstance(outcome, BaseException) else None
            )
        if case.match is not None:
            assert case.match in str(outcome)
        if case.call.endswith("stream"):
            assert items == RESULT[case.call][: case.items]
    if case.check is not None:
        case.check(server, outcome)
    assert len(server.requests) == case.requests, [r.target for r in server.requests]
    assert {r.method for r in server.requests} == {METHOD[case.call]}
    if case.retries is not None:
        assert len(retries) == case.retries
    if case.elapsed is not None:
        low, high = case.elapsed
        assert low <= elapsed <= high, f"{elapsed:.2f} s, expected {low}..{high}"


def _mark_known(case: Case, request: pytest.FixtureRequest, fixture: str) -> None:
    reason = KNOWN_DEVIATIONS.get((case.id, request.node.callspec.params[fixture]))
    if reason is not None:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_sync_fault(case: Case, make_sync: Any, request: pytest.FixtureRequest) -> None:
    _mark_known(case, request, "make_sync")
    retries: list[Any] = []
    with FaultServer(case.script) as server:
        with (
            make_sync() as transport,
            InferenceClient(server.url, transport=transport, **_options(case, retries)) as client,
        ):
            items: list[Any] = []
            start = time.monotonic()
            try:
                for number in range(case.calls):
                    if number:
                        time.sleep(case.pause)
                    items = []
                    target = client if case.view is None else client.with_options(**case.view)
                    outcome = call_sync(target, case.call, items, **case.per_call)
            except Exception as exc:
                outcome = exc
            elapsed = time.monotonic() - start
            request.node.user_properties.append(("elapsed", round(elapsed, 3)))
            if isinstance(outcome, TransportError) and not case.kept:
                assert server.wait_all_closed(), "a broken connection was kept open"
        assert server.wait_all_closed(), f"{server.open_connections} connection(s) left open"
    _check(case, server, outcome, items, elapsed, retries)


async def _all_closed(server: FaultServer, timeout: float = 3.0) -> bool:
    with anyio.move_on_after(timeout):
        while server.open_connections:
            await anyio.sleep(0.02)
    return server.open_connections == 0


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_async_fault(case: Case, make_async: Any, request: pytest.FixtureRequest) -> None:
    _mark_known(case, request, "make_async")
    retries: list[Any] = []
    gaps = [0.0]

    async def tick() -> None:
        last = time.monotonic()
        while True:
            await anyio.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    with FaultServer(case.script) as server:
        async with make_async() as transport:
            client = AsyncInferenceClient(
                server.url, transport=transport, **_options(case, retries)
            )
            async with client, anyio.create_task_group() as group:
                group.start_soon(tick)
                items: list[Any] = []
                start = time.monotonic()
                try:
                    for number in range(case.calls):
                        if number:
                            await anyio.sleep(case.pause)
                        items = []
                        target = client if case.view is None else client.with_options(**case.view)
                        outcome = await call_async(target, case.call, items, **case.per_call)
                except Exception as exc:
                    outcome = exc
                elapsed = time.monotonic() - start
                request.node.user_properties.append(("elapsed", round(elapsed, 3)))
                if isinstance(outcome, TransportError) and not case.kept:
                    assert await _all_closed(server), "a broken connection was kept open"
                group.cancel_scope.cancel()
        assert await _all_closed(server), f"{server.open_connections} connection(s) left open"
    _check(case, server, outcome, items, elapsed, retries)
    assert max(gaps) < MAX_LOOP_GAP, f"the event loop stalled for {max(gaps):.2f} s"
    if elapsed > 0.3:  # the ticker really ran alongside the call
        assert len(gaps) > elapsed / 0.1, f"{len(gaps)} ticks in {elapsed:.2f} s"


# A refused connection (nothing listens on the port): retried for any method, with backoff;
# the deadline bounds the whole sequence of attempts and waits.
REFUSED = [
    # (id, client options, error, on_retry events (None: not counted), max elapsed)
    ("no-retries", {"max_retries": 0}, ConnectError, 0, SLACK),
    ("default-retries", {}, ConnectError, 2, 0.5 + 1.0 + SLACK),
    ("deadline-cuts-retries", {"max_retries": 10, "deadline": 1.0}, InferenceTimeoutError, None,
     1.0 + SLACK),
]  # fmt: skip


def _check_refused(error: BaseException, retries: list[Any], events: int | None) -> None:
    if events is not None:
        assert len(retries) == events
    assert all(isinstance(event.error, ConnectError) for event in retries)
    assert all(event.response is None and event.delay > 0 for event in retries)
    if isinstance(error, InferenceTimeoutError):  # the deadline cut the retries short
        assert isinstance(error.__cause__, ConnectError)


@pytest.mark.parametrize(("options", "error", "events", "limit"), [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])  # fmt: skip
def test_sync_refused(options: dict[str, Any], error: type[Exception], events: int | None,
                      limit: float, make_sync: Any,
                      request: pytest.FixtureRequest) -> None:  # fmt: skip
    retries: list[Any] = []
    with refused_url() as url, make_sync() as transport:
        client = InferenceClient(url, transport=transport, on_retry=retries.append, **options)
        start = time.monotonic()
        with client, pytest.raises(error) as info:
            client.feature_extraction("hi")
        elapsed = time.monotonic() - start
    _check_refused(info.value, retries, events)
    request.node.user_properties.append(("elapsed", round(elapsed, 3)))
    assert elapsed <= limit


@pytest.mark.anyio
@pytest.mark.parametrize(("options", "error", "events", "limit"), [r[1:] for r in REFUSED],
                         ids=[r[0] for r in REFUSED])  # fmt: skip
async def test_async_refused(options: dict[str, Any], error: type[Exception], events: int | None,
                             limit: float, make_async: Any,
                             request: pytest.FixtureRequest) -> None:  # fmt: skip
    retries: list[Any] = []
    with refused_url() as url:
        async with make_async() as transport:
            client = AsyncInferenceClient(
                url, transport=transport, on_retry=retries.append, **options
            )
            start = time.monotonic()
            async with client:
                with pytest.raises(error) as info:
                    await client.feature_extraction("hi")
            elapsed = time.monotonic() - start
    _check_refused(info.value, retries, events)
    request.node.user_properties.append(("elapsed", round(elapsed, 3)))
    assert elapsed <= limit
