"""pytest plugin for testing code that uses hf-inference-core: fakes, cassettes, no network.

Loaded automatically once hf-inference-core is installed (entry point ``pytest11``). Fixtures:

* ``inference_fake_service``: the test's :class:`~fake_service.FakeService` (add faults or
  models to it); the three fixtures below share it.
* ``inference_mock``: a :class:`transports.MockTransport` answered by that service (whole
  answers, every request recorded in ``.requests``).
* ``fake_inference`` / ``async_fake_inference``: the service in-process, as a transport.
* ``fake_inference_server``: the service on ``http://127.0.0.1:<port>``, a
  :class:`~fake_service.FakeServer` (``.url``; ``.transport()`` reroutes every provider's URL).
* ``inference_cassette``: a cassette for the test, ``cassettes/<module>/<test>.json`` beside
  the test file: ``.transport(inner)`` / ``.async_transport(inner)`` replay it, or record
  through ``inner`` when recording (``--inference-record``, or the cassette is missing and the
  record mode allows it). Unused interactions fail the test at teardown.
* ``inference_no_network``: while active, connecting anywhere but loopback fails the test.
  Also the ``inference_block_network`` marker, and ``--inference-block-network`` for every test.

Options: ``--inference-record`` (re-record every cassette used), ``--inference-record-mode``
(``none``: never record, a missing cassette is an error; ``once``: record missing cassettes,
the default outside CI; ``all``: same as ``--inference-record``), ``--inference-block-network``.
When the ``CI`` environment variable is set the default mode is ``none``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .network import NetworkGuard

if TYPE_CHECKING:
    from inference_core.transport import AsyncTransport, SyncTransport
    from transports import MockTransport

    from .http import FakeServer
    from .service import FakeService
    from .transport import AsyncFakeTransport, FakeTransport

__all__ = ["CassetteFixture"]

_MODES = ("none", "once", "all")
_MARKER = "inference_block_network"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("hf-inference", "hf-inference-core testing tools")
    group.addoption(
        "--inference-record",
        action="store_true",
        help="record every inference cassette a test uses, replacing the old one",
    )
    group.addoption(
        "--inference-record-mode",
        choices=_MODES,
        default=None,
        help="none: only replay; once: record missing cassettes (default; 'none' when $CI is"
        " set); all: re-record every cassette",
    )
    group.addoption(
        "--inference-block-network",
        action="store_true",
        help="fail any test that connects anywhere but 127.0.0.1, ::1 or localhost",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{_MARKER}: fail the test if it connects anywhere but loopback"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()
_GUARDS = pytest.StashKey[list[NetworkGuard]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """Fail the test itself (not its teardown) when it tried to reach the network."""
    result = yield
    for guard in item.stash.get(_GUARDS, []):
        _fail_on_attempts(guard)
    return result


@pytest.fixture(autouse=True)
def _inference_network_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """Block the network for tests with the marker, or for all with the option."""
    wanted = request.node.get_closest_marker(_MARKER) is not None or request.config.getoption(
        "--inference-block-network"
    )
    if not wanted:
        yield
        return
    with NetworkGuard() as guard:
        request.node.stash.setdefault(_GUARDS, []).append(guard)
        yield
    _fail_on_attempts(guard)


@pytest.fixture
def inference_no_network(request: pytest.FixtureRequest) -> Iterator[NetworkGuard]:
    """Block connections to anything but loopback for the rest of the test."""
    with NetworkGuard() as guard:
        request.node.stash.setdefault(_GUARDS, []).append(guard)
        yield guard
    _fail_on_attempts(guard)


def _fail_on_attempts(guard: NetworkGuard) -> None:
    """Fail once for the attempts seen so far (then forget them: reported)."""
    if guard.attempts:
        attempts = ", ".join(guard.attempts)
        guard.attempts.clear()
        pytest.fail(f"the test tried to reach the network: {attempts}")


@pytest.fixture
def inference_fake_service() -> FakeService:
    """The test's fake inference service (shared by the fake fixtures of the same test)."""
    from .service import FakeService

    return FakeService()


@pytest.fixture
def inference_mock(inference_fake_service: FakeService) -> Iterator[MockTransport]:
    """A MockTransport answered by the test's fake service."""
    from transports import MockTransport

    with MockTransport(inference_fake_service.respond) as transport:
        yield transport


@pytest.fixture
def fake_inference(inference_fake_service: FakeService) -> Iterator[FakeTransport]:
    """The test's fake service as a sync transport (no sockets)."""
    from .transport import FakeTransport

    with FakeTransport(inference_fake_service) as transport:
        yield transport


@pytest.fixture
def async_fake_inference(inference_fake_service: FakeService) -> AsyncFakeTransport:
    """The test's fake service as an async transport (no sockets; asyncio and trio)."""
    from .transport import AsyncFakeTransport

    return AsyncFakeTransport(inference_fake_service)


@pytest.fixture
def fake_inference_server(inference_fake_service: FakeService) -> Iterator[FakeServer]:
    """The test's fake service over HTTP on 127.0.0.1 (``.url`` is its base URL)."""
    from .http import FakeServer

    with FakeServer(inference_fake_service) as server:
        yield server


class CassetteFixture:
    """The test's cassette: where it is, whether this run records, and its transports.

    Attributes:
        path: the cassette file.
        recording: True when this run records (through the ``inner`` transport given),
            False when it replays (``inner`` is then unused and may be None).
    """

    def __init__(self, path: Path, recording: bool) -> None:
        self.path = path
        self.recording = recording
        self._sync: list[Any] = []
        self._async: list[Any] = []

    def transport(self, inner: SyncTransport | None = None, **options: Any) -> SyncTransport:
        """A replaying transport, or a recording one wrapping ``inner`` (default: httpcore).
        The fixture closes both at the end of the test (``inner`` too when replaying).

        ``options`` go to :class:`~transports.replay.ReplayTransport` when replaying
        (``match_on``, ``chunk_size``, ``allow_unused``) and ``scrub`` to both.
        """
        if self.recording:
            from transports import HttpcoreTransport
            from transports.record import RecordingTransport

            scrub = options.get("scrub")
            recorder = RecordingTransport(inner or HttpcoreTransport(), self.path, scrub=scrub)
            self._sync.append(recorder)
            return recorder
        from transports.replay import ReplayTransport

        replayer = ReplayTransport(self.path, **options)
        self._sync.append(replayer)
        if inner is not None:
            self._sync.append(inner)  # not needed to replay; closed at the end like a recorder's
        return replayer

    def async_transport(
        self, inner: AsyncTransport | None = None, **options: Any
    ) -> AsyncTransport:
        """The async twin of :meth:`transport` (default inner: async httpcore)."""
        if self.recording:
            from transports import AsyncHttpcoreTransport
            from transports.record import AsyncRecordingTransport

            scrub = options.get("scrub")
            inner = inner or AsyncHttpcoreTransport()
            recorder = AsyncRecordingTransport(inner, self.path, scrub=scrub)
            self._async.append(recorder)
            return recorder
        from transports.replay import AsyncReplayTransport

        replayer = AsyncReplayTransport(self.path, **options)
        self._async.append(replayer)
        return replayer

    def finish(self, *, check: bool) -> None:
        """Close the sync transports; save async recordings; check every replay was used."""
        from transports.replay import AsyncReplayTransport, ReplayTransport

        for transport in self._sync:
            if isinstance(transport, ReplayTransport):
                transport.close(verify=check)
            else:
                transport.close()  # a recorder (it saves the cassette), or an unused inner
        for transport in self._async:
            if isinstance(transport, AsyncReplayTransport):
                if check and not transport.closed:
                    transport.verify()
            else:
                transport.save()  # what was recorded, even if the test did not close it


def _record_mode(config: pytest.Config) -> str:
    if config.getoption("--inference-record"):
        return "all"
    mode: str | None = config.getoption("--inference-record-mode")
    if mode is not None:
        return mode
    return "none" if os.environ.get("CI") else "once"


def cassette_path(node: pytest.Item) -> Path:
    """``cassettes/<module>/<test name>.json`` beside the test's file."""
    test_file = Path(str(node.path))
    name = re.sub(r"[^\w.-]+", "_", node.name).strip("_")
    return test_file.parent / "cassettes" / test_file.stem / f"{name}.json"


@pytest.fixture
def inference_cassette(request: pytest.FixtureRequest) -> Iterator[CassetteFixture]:
    """The test's cassette (see :class:`CassetteFixture`)."""
    node = request.node
    assert isinstance(node, pytest.Item)
    path = cassette_path(node)
    mode = _record_mode(request.config)
    recording = mode == "all" or (mode == "once" and not path.exists())
    if not recording and not path.exists():
        pytest.fail(
            f"no cassette at {path}; record it with --inference-record-mode=once (or"
            " --inference-record)"
        )
    cassette = CassetteFixture(path, recording)
    yield cassette
    cassette.finish(check=not node.stash.get(_FAILED, False))
