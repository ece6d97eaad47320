"""A foreign package named like one of ours (``adapters``, ``transports``, ``legacy``) is caught
at import with an error that names it and says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def import_with_foreign(tmp_path: Path, name: str) -> subprocess.CompletedProcess[str]:
    foreign = tmp_path / name
    foreign.mkdir()
    (foreign / "__init__.py").write_text('"""A same-named package from elsewhere."""\n')
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    return subprocess.run(
        [sys.executable, "-c", "import inference_core"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )


@pytest.mark.parametrize("name", ["adapters", "transports", "legacy"])
def test_a_foreign_package_shadowing_ours_fails_the_import_clearly(
    tmp_path: Path, name: str
) -> None:
    result = import_with_foreign(tmp_path, name)
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    assert f"needs its own top-level package '{name}'" in result.stderr
    assert str(tmp_path / name) in result.stderr
    assert f"pip uninstall {name}" in result.stderr


def test_our_own_packages_pass_the_check() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import inference_core, adapters; print(adapters.__distribution__)"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "hf-inference-core"
