"""Our other top-level packages (``adapters``, ``transports``, ``legacy``), checked to be ours.

Strategy: hf-inference-core ships four top-level packages, and three of their names also exist
on the package index (AdapterHub's ``adapters`` is common beside Hugging Face libraries). A
foreign package of the same name, earlier on ``sys.path`` or installed over ours, would make
``inference_core`` fail later in confusing ways. So :func:`import_sibling` imports ours by name
and checks the marker every one of our packages carries (``__distribution__``); anything else is
an ``ImportError`` that names the culprit and the fix. :func:`check_siblings` does the cheap
location check for the packages imported lazily.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from types import ModuleType

__all__ = ["DISTRIBUTION", "check_siblings", "import_sibling"]

DISTRIBUTION = "hf-inference-core"
SIBLINGS = ("adapters", "transports", "legacy")
_ROOT = Path(__file__).resolve().parent.parent


def _shadowed(name: str, where: object) -> ImportError:
    return ImportError(
        f"hf-inference-core needs its own top-level package {name!r}, but the {name!r} found"
        f" at {where} belongs to another distribution (e.g. AdapterHub's 'adapters'). Install"
        f" hf-inference-core in a virtual environment without it, or uninstall the other one"
        f" (`pip uninstall {name}`) and reinstall ours"
        f" (`pip install --force-reinstall {DISTRIBUTION}`)."
    )


def import_sibling(name: str) -> ModuleType:
    """Import our top-level package ``name``; ImportError if a foreign one takes its place."""
    module = importlib.import_module(name)
    if getattr(module, "__distribution__", None) != DISTRIBUTION:
        raise _shadowed(name, getattr(module, "__file__", None) or "an unknown place")
    return module


def check_siblings() -> None:
    """Fail early if a lazily imported sibling would resolve outside our installation."""
    for name in SIBLINGS:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        if Path(spec.origin).resolve().parent.parent != _ROOT:
            raise _shadowed(name, spec.origin)
