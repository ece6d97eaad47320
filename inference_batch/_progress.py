"""The progress bar: tqdm when installed and stderr is a terminal, otherwise nothing.

Strategy: tqdm is the optional ``progress`` extra and is imported only when a bar is shown.
The bar counts finished items (skipped ones as its starting point), shows rate and ETA, and
the failure count as a postfix, updated only when it changes (tqdm itself throttles redraws).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

__all__ = ["Progress"]


class Progress:
    """A progress bar over ``total`` items (None: unknown), ``initial`` of them already done.

    ``enabled``: True forces a bar (if tqdm is installed), False hides it, None shows it when
    stderr is a terminal.
    """

    def __init__(self, total: int | None, initial: int, enabled: bool | None) -> None:
        self._bar: Any = None
        self._failed = 0
        if enabled is False or (enabled is None and not _is_terminal()):
            return
        try:
            tqdm = importlib.import_module("tqdm.auto").tqdm
        except ImportError:
            return
        self._bar = tqdm(
            total=total, initial=initial, unit="item", file=sys.stderr, dynamic_ncols=True
        )

    def advance(self, failed: bool) -> None:
        """One more item finished (``failed``: with an error)."""
        bar = self._bar
        if bar is None:
            return
        if failed:
            self._failed += 1
            bar.set_postfix_str(f"failed={self._failed}", refresh=False)
        bar.update(1)

    def close(self) -> None:
        """Draw the final state and release the terminal line."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
