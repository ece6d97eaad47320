"""huggingface_hub user scripts, run with only the import changed, print what the reference printed.

Each script in ``tests/scripts/`` is written as a huggingface_hub user writes it. The test
rewrites its imports (``huggingface_hub`` -> ``inference_core``, ``huggingface_hub.errors`` ->
``inference_core.errors``, ``InferenceApi`` -> ``legacy``), runs it in a subprocess against the
loopback fakes of ``tests/scripts/_servers.py`` and compares its stdout with
``tests/scripts/expected/<script>.txt``, recorded by running the *original* script under
huggingface_hub v0.33.5 against the same fakes (``python -m tests.scripts._runner --record
<reference python>``).

Where we differ on purpose, ``expected/<script>.ours.txt`` holds our output and
``DIFFERENCES`` names each difference by the bold title it has in ``docs/migration.md``; the
test checks that the page documents it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.scripts._runner import EXPECTED, SCRIPTS, run_all, run_script
from tests.scripts._servers import Servers

MIGRATION = Path(__file__).resolve().parent.parent / "docs" / "migration.md"

DIFFERENCES: dict[str, list[str]] = {
    "async_errors": ["Async errors are the sync ones", "TGI errors are HTTP errors"],
    "errors": [
        "HTTP errors have per-status classes",
        "HTTP reason phrases",
        "TGI errors are HTTP errors",
        "TGI errors from chat",
        "Timeouts",
        "Connection errors",
    ],
    "helpers": ["Helpers work with the default provider"],
}
"""Script -> titles of the documented differences its ``.ours.txt`` shows."""


@pytest.fixture(scope="module")
def outputs() -> Iterator[dict[str, tuple[str, str, int]]]:
    with Servers() as servers:
        yield run_all(SCRIPTS, servers)


def expected_for(name: str) -> Path:
    ours = EXPECTED / f"{name}.ours.txt"
    return ours if ours.exists() else EXPECTED / f"{name}.txt"


def test_every_script_has_a_reference_recording() -> None:
    assert SCRIPTS, "no scripts found"
    missing = [name for name in SCRIPTS if not (EXPECTED / f"{name}.txt").exists()]
    assert not missing, "record them: python -m tests.scripts._runner --record <ref python>"


def test_every_difference_is_listed_and_documented() -> None:
    ours_files = {p.name.removesuffix(".ours.txt") for p in EXPECTED.glob("*.ours.txt")}
    assert ours_files == set(DIFFERENCES), "each .ours.txt needs a DIFFERENCES entry, and back"
    page = MIGRATION.read_text()
    undocumented = [
        title for titles in DIFFERENCES.values() for title in titles if f"**{title}" not in page
    ]
    assert not undocumented, f"not in docs/migration.md: {undocumented}"


@pytest.mark.parametrize("name", SCRIPTS)
def test_script_prints_what_the_reference_printed(
    name: str, outputs: dict[str, tuple[str, str, int]]
) -> None:
    stdout, stderr, code = outputs[name]
    assert code == 0, f"{name} exited {code}:\n{stderr}"
    expected = expected_for(name).read_text()
    if stdout != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), stdout.splitlines(True), expected_for(name).name, "ours"
            )
        )
        pytest.fail(f"{name} output differs from {expected_for(name).name}:\n{diff}")


def test_clients_never_closed_leak_no_socket() -> None:
    # huggingface_hub's clients have no close(): scripts never close them (chat.py builds two).
    with Servers() as servers:
        _, stderr, code = run_script("chat", servers, flags=("-W", "error::ResourceWarning"))
    assert code == 0, stderr
    assert "ResourceWarning" not in stderr, stderr
