"""Run the user scripts: the import rewrite, one subprocess per script, all in parallel.

``python -m tests.scripts._runner --record /path/to/refvenv/bin/python`` records
``expected/<script>.txt`` by running each **original** script under huggingface_hub against
the same fake servers the test uses. Without ``--record`` it prints ours next to the recording.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ._servers import Servers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXPECTED = HERE / "expected"
SCRIPTS = sorted(p.stem for p in HERE.glob("*.py") if not p.name.startswith("_"))

IMPORT_REWRITES = (
    (
        re.compile(r"^from huggingface_hub import InferenceApi$", re.M),
        "from legacy import InferenceApi",
    ),
    (re.compile(r"\bhuggingface_hub\.errors\b"), "inference_core.errors"),
    (re.compile(r"^(from|import) huggingface_hub\b", re.M), r"\1 inference_core"),
)


def rewrite(source: str) -> str:
    """The one-line migration: only the imports change."""
    for pattern, replacement in IMPORT_REWRITES:
        source = pattern.sub(replacement, source)
    return source


def run_script(
    name: str,
    servers: Servers,
    python: str | None = None,
    *,
    ours: bool = True,
    flags: tuple[str, ...] = (),
) -> tuple[str, str, int]:
    """Run one script (rewritten when ``ours``, with interpreter ``flags``); return (stdout,
    stderr, exit code)."""
    source = (HERE / f"{name}.py").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / f"{name}.py"
        script.write_text(rewrite(source) if ours else source)
        env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
        env.pop("PYTHONPATH", None)
        env.update(servers.env(tmp))
        if ours:
            env["PYTHONPATH"] = str(ROOT)
        done = subprocess.run(
            [python or sys.executable, *flags, str(script)],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    return done.stdout, done.stderr, done.returncode


def run_all(
    names: Iterable[str], servers: Servers, python: str | None = None, *, ours: bool = True
) -> dict[str, tuple[str, str, int]]:
    """Run scripts in parallel threads (each its own subprocess)."""
    names = list(names)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = pool.map(lambda n: run_script(n, servers, python, ours=ours), names)
        return dict(zip(names, results, strict=True))


def main(argv: list[str]) -> int:
    record = "--record" in argv
    args = [a for a in argv if a != "--record"]
    python = args[0] if args else None
    names = args[1:] or SCRIPTS
    with Servers() as servers:
        results = run_all(names, servers, python, ours=not record)
    status = 0
    for name, (out, err, code) in results.items():
        if record:
            if code:
                print(f"== {name}: reference exit {code}\n{err}")
                status = 1
            (EXPECTED / f"{name}.txt").write_text(out)
            print(f"recorded {name} ({len(out.splitlines())} lines)")
        else:
            print(f"== {name} (exit {code})\n{out}{err}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
