"""The sans-I/O rule, enforced: ``inference_core/`` and ``adapters/`` import no I/O library.

Two checks: every ``import`` statement in those packages (module level or inside functions) is
read from the source, and importing the packages in a fresh interpreter must not load any I/O
library as a side effect. Lazy imports of our own ``transports`` package (default transports,
created when a client is built) are allowed; they are not I/O libraries themselves.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_PACKAGES = ("inference_core", "adapters")
BANNED = frozenset(
    {
        "aiohttp",
        "anyio",
        "asyncio",
        "h11",
        "h2",
        "http.client",
        "httpcore",
        "httpx",
        "requests",
        "selectors",
        "socket",
        "socketserver",
        "ssl",
        "trio",
        "urllib3",
        "urllib.request",
        "subprocess",
        "time",
    }
)
# Not banned: ``threading`` (a lock is not I/O; attrs itself imports it), ``os``/``pathlib``
# (path handling; ``_settings.py`` reads the token file once, when a client is built).


_TYPE_CHECKING = ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for block in ast.walk(tree):  # imports for type checkers only never run
        if isinstance(block, ast.If) and ast.unparse(block.test) in _TYPE_CHECKING:
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def _is_banned(module: str) -> bool:
    parts = module.split(".")
    return any(".".join(parts[: i + 1]) in BANNED for i in range(len(parts)))


def _pure_files() -> list[Path]:
    return sorted(path for package in PURE_PACKAGES for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_io_library(path: Path) -> None:
    offending = [
        f"line {line}: {name}" for line, name in _imported_modules(path) if _is_banned(name)
    ]
    assert offending == [], f"{path.relative_to(ROOT)} imports I/O libraries: {offending}"


def test_importing_pure_packages_loads_no_io_library() -> None:
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import inference_core, adapters\n"
        "loaded = sorted(set(sys.modules) - before)\n"
        "print('\\n'.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = result.stdout.split()
    assert "inference_core" in loaded
    assert [m for m in loaded if _is_banned(m)] == []


def test_the_check_catches_a_banned_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import httpcore\n    from anyio import sleep\n")
    names = [name for _, name in _imported_modules(sample) if _is_banned(name)]
    assert names == ["httpcore", "anyio", "anyio.sleep"]
