"""The end-of-batch summary: what was done, failed, retried, skipped, and tokens used."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["BatchSummary"]


@attrs.define
class BatchSummary:
    """Counts for one run of a batch (a resumed run counts only its own work, plus ``skipped``).

    Attributes:
        done: items that succeeded in this run.
        failed: items whose call failed (their error is in the output).
        skipped: items already in the output file, not run again.
        duplicates: inputs whose id an earlier input of this run already had (not run).
        retried: retries the client made (those of failed calls too when the client reports
            them through the limiter's ``on_retry`` hook).
        throttled: 429 answers seen.
        tokens: tokens used, from outputs that report ``usage`` (and estimates for the others
            when a tokens-per-minute limit is set).
        elapsed: seconds from start to finish.
        cancelled: True when the batch stopped early (cancelled, or ``fail_fast``).
        results: every :class:`~inference_batch.ItemResult` in output order, when the batch
            had no output file (None otherwise).
    """

    done: int = 0
    failed: int = 0
    skipped: int = 0
    duplicates: int = 0
    retried: int = 0
    throttled: int = 0
    tokens: int = 0
    elapsed: float = 0.0
    cancelled: bool = False
    results: list[Any] | None = attrs.field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True when nothing failed and the batch ran to the end."""
        return not self.failed and not self.cancelled

    def __str__(self) -> str:
        rate = self.done / self.elapsed if self.elapsed > 0 else 0.0
        text = (
            f"done {self.done}, failed {self.failed}, retried {self.retried},"
            f" skipped {self.skipped}, tokens {self.tokens}"
            f" in {self.elapsed:.1f}s ({rate:.1f} items/s)"
        )
        if self.duplicates:
            text += f", {self.duplicates} duplicate ids ignored"
        if self.throttled:
            text += f", {self.throttled} rate-limited (429)"
        if self.cancelled:
            text += "; stopped early"
        return text
