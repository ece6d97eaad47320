"""The resumable JSONL output: one whole line per finished input, safe to kill at any moment.

Strategy (write-ahead discipline): a result becomes durable as one line,
``{"id": ..., "output": ...}`` or ``{"id": ..., "error": {"type": ..., "message": ...}}``,
appended with a single ``os.write`` on a file opened ``O_APPEND`` (no user-space buffer, so
there is nothing to flush and no half-line left in memory), and ``fsync``\\ ed every
``fsync_every`` lines or ``fsync_seconds`` seconds and on close. A line is written only once
its call has finished, so a crash loses at most the calls in flight, which a restart redoes.

On open, the existing file is scanned: a last line without its newline (a write cut by a
crash, or a power loss after the fsync) is truncated away, and the ids of the whole lines are
the items already done, which the runner skips. Since every id is written at most once per run
and done ids are never run again, a restart neither loses nor duplicates anything.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from ._jsonable import dumps

__all__ = ["JsonlSink", "result_line", "scan_done"]


def scan_done(path: str | os.PathLike[str], *, repair: bool = True) -> set[str | int]:
    """The ids already in the output at ``path`` (empty if it does not exist). With ``repair``,
    a torn last line is truncated away first. A malformed whole line is an error (``ValueError``):
    the file is not one of ours, or was damaged by something else."""
    if not os.path.exists(path):
        return set()
    done: set[str | int] = set()
    with open(path, "r+b" if repair else "rb") as handle:
        whole = 0  # the end of the last whole line
        for number, line in enumerate(handle, 1):
            if not line.endswith(b"\n"):
                break  # a torn last line
            whole += len(line)
            if not line.strip():
                continue
            try:
                done.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{os.fspath(path)}, line {number}: not a batch result") from exc
        if repair and handle.seek(0, os.SEEK_END) > whole:
            handle.truncate(whole)
            handle.flush()
            os.fsync(handle.fileno())
    return done


class JsonlSink:
    """Append-only writer of result lines (see the module docstring for the guarantees).

    Args:
        path: the output file, created if missing.
        fsync_every: fsync after this many lines (at the latest).
        fsync_seconds: fsync when this many seconds passed since the last one (checked on write).
        clock: seconds, monotonic (tests may pass a fake one).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        fsync_every: int = 1000,
        fsync_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = path
        created = not os.path.exists(path)
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if created:  # make the new file's directory entry durable too
            _sync_directory(os.path.dirname(os.path.abspath(path)))
        self._every = max(1, fsync_every)
        self._seconds = fsync_seconds
        self._clock = clock
        self._pending = 0
        self._synced_at = clock()
        self.lines = 0

    def write(self, line: str) -> None:
        """Append ``line`` (one JSON text, no newline) as one whole line."""
        fd = self._fd
        if fd is None:
            raise ValueError("the output is closed")
        data = (line + "\n").encode("utf-8")
        written = os.write(fd, data)
        while written < len(data):  # a regular file takes it whole; a full disk may not
            written += os.write(fd, data[written:])
        self.lines += 1
        self._pending += 1
        if self._pending >= self._every or self._clock() - self._synced_at >= self._seconds:
            self.sync()

    def sync(self) -> None:
        """fsync what was written so far."""
        if self._fd is not None and self._pending:
            os.fsync(self._fd)
            self._pending = 0
            self._synced_at = self._clock()

    def close(self) -> None:
        """fsync and close; idempotent."""
        if self._fd is not None:
            try:
                self.sync()
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> JsonlSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _sync_directory(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # e.g. Windows, where directories cannot be opened
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def result_line(item_id: str | int, output: Any = None, error: BaseException | None = None) -> str:
    """The output line for one input: its output, or its error's type and message."""
    if error is not None:
        kind = type(error).__name__
        return dumps({"id": item_id, "error": {"type": kind, "message": str(error)}})
    return dumps({"id": item_id, "output": output})
