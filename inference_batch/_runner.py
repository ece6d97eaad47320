"""The batch runner: a task method over many inputs, on the async client, asyncio or trio.

Strategy: ``concurrency`` workers in one anyio task group pull items from one shared input
iterator and run each through :func:`~inference_batch._item.run_item`. Everything between two
``await``\\ s is synchronous, so there is no channel, lock or writer task: pulling the next item
(skipping ids already in the output, and duplicates) and emitting a result (writing its line,
the progress bar, the summary) are plain function calls, and a result line is written whole
or not at all whatever gets cancelled.

Order: by default results are emitted as they complete. With ``ordered=True`` they are emitted
in input order; a worker does not start an item more than ``window`` items past the oldest one
not yet emitted, which bounds the results held back.

Stopping: ``fail_fast=True`` cancels the batch at the first failed item (after writing its
line). Cancelling the caller (a cancel scope, Ctrl-C under ``run_batch``) cancels the calls in
flight; the output is fsynced and closed on the way out and keeps every line written, so the
same command resumes where it stopped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import anyio

from inference_core import AsyncInferenceClient
from inference_core.providers import TASKS

from ._inputs import Item, count_inputs, read_items
from ._item import ItemResult, run_item
from ._limiter import RateLimiter
from ._progress import Progress
from ._sink import JsonlSink, scan_done
from ._summary import BatchSummary

__all__ = ["TASK_METHODS", "arun_batch", "run_batch", "task_method_name"]

TASK_METHODS: frozenset[str] = frozenset(
    name
    for name in ("chat_completion" if t == "conversational" else t.replace("-", "_") for t in TASKS)
    if callable(getattr(AsyncInferenceClient, name, None))
)
"""The client methods a batch can run (``chat_completion``, ``feature_extraction``, ...)."""


def task_method_name(task: str) -> str:
    """The method name for ``task`` (``text-generation`` and ``text_generation`` alike);
    ``ValueError`` for an unknown task."""
    name = task.replace("-", "_")
    if name not in TASK_METHODS:
        known = ", ".join(sorted(TASK_METHODS))
        raise ValueError(f"unknown task {task!r}; one of: {known}")
    return name


class _Batch:
    """The shared state of one run: input iterator, done ids, output, counters."""

    def __init__(
        self,
        items: Iterator[Item],
        done: set[str | int],
        sink: JsonlSink | None,
        progress: Progress,
        ordered: bool,
        window: int,
        fail_fast: bool,
        on_result: Callable[[ItemResult], None] | None,
    ) -> None:
        self.items = items
        self.done = done
        self.seen = set(done)
        self.sink = sink
        self.progress = progress
        self.ordered = ordered
        self.window = window
        self.fail_fast = fail_fast
        self.on_result = on_result
        self.summary = BatchSummary(skipped=0)
        self.results: list[ItemResult] | None = [] if sink is None else None
        self.next_seq = 0  # sequence number of the next item pulled
        self.emit_seq = 0  # ordered: sequence number of the next result to emit
        self.held: dict[int, ItemResult] = {}
        self.advanced = anyio.Event()
        self.scope: anyio.CancelScope | None = None
        self.error: Exception | None = None  # what stopped the batch (input or output trouble)

    def pull(self) -> tuple[int, Item] | None:
        """The next item to run and its sequence number, or None when the input is exhausted
        (or the batch is stopping)."""
        if self.summary.cancelled:
            return None
        for item in self.items:
            if item.id in self.seen:
                if item.id in self.done:
                    self.summary.skipped += 1
                else:
                    self.summary.duplicates += 1
                continue
            self.seen.add(item.id)
            seq = self.next_seq
            self.next_seq += 1
            return seq, item
        return None

    def emit(self, seq: int, result: ItemResult) -> None:
        """A result is in: write it now, or hold it until those before it are written."""
        if not self.ordered:
            self._write(result)
            return
        self.held[seq] = result
        while self.emit_seq in self.held:
            self._write(self.held.pop(self.emit_seq))
            self.emit_seq += 1
        self.advanced.set()
        self.advanced = anyio.Event()

    async def wait_turn(self, seq: int) -> None:
        """Ordered: wait until ``seq`` is within ``window`` of the oldest unwritten item."""
        while seq >= self.emit_seq + self.window:
            await self.advanced.wait()

    def _write(self, result: ItemResult) -> None:
        summary = self.summary
        if self.sink is not None:
            self.sink.write(result.line())
        if self.results is not None:
            self.results.append(result)
        if result.error is None:
            summary.done += 1
        else:
            summary.failed += 1
        summary.retried += result.retries
        summary.tokens += result.tokens
        self.progress.advance(result.error is not None)
        if self.on_result is not None:
            self.on_result(result)
        if result.error is not None and self.fail_fast and self.scope is not None:
            summary.cancelled = True
            self.scope.cancel()


async def arun_batch(
    task: str,
    inputs: Any,
    *,
    client: AsyncInferenceClient | None = None,
    client_options: Mapping[str, Any] | None = None,
    output: str | os.PathLike[str] | None = None,
    params: Mapping[str, Any] | None = None,
    concurrency: int = 16,
    rpm: float | None = None,
    tpm: float | None = None,
    limiter: RateLimiter | None = None,
    max_retries: int | None = None,
    ordered: bool = False,
    window: int | None = None,
    fail_fast: bool = False,
    progress: bool | None = None,
    on_result: Callable[[ItemResult], None] | None = None,
    fsync_every: int = 1000,
    fsync_seconds: float = 2.0,
) -> BatchSummary:
    """Run the task method ``task`` over ``inputs`` and return a :class:`BatchSummary`.

    Args:
        task: a client method name (``"chat_completion"``, ``"feature-extraction"``, ...).
        inputs: a JSONL file path, or an iterable of mappings; each holds the method's
            arguments and an optional ``"id"`` (default: its line number, counted from 1).
        client: the :class:`AsyncInferenceClient` to call through (left open). Without one, a
            client is built from ``client_options`` with the limiter's ``on_retry`` hook, and
            closed at the end.
        output: a JSONL file to append result lines to; ids already there are skipped, so a
            rerun resumes. Without it, results are kept on the summary (``results``).
        params: keyword arguments for every call (an input's own arguments win).
        concurrency: calls in flight at most.
        rpm, tpm: requests and tokens per minute (None: no limit), or pass a ``limiter``.
        max_retries: retries per call (None: the client's policy).
        ordered: emit results in input order (default: as completed), at most ``window``
            (default ``4 * concurrency``) items ahead of the oldest unfinished one.
        fail_fast: stop at the first failed item (``summary.cancelled`` is then True).
        progress: show a progress bar (None: when stderr is a terminal and tqdm is installed).
        on_result: called with each :class:`ItemResult`, in output order.
        fsync_every, fsync_seconds: how often the output is fsynced (and always at the end).
    """
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    if params and params.get("stream"):
        raise ValueError("a batch cannot stream; drop the `stream` parameter")
    method_name = task_method_name(task)
    limiter = limiter if limiter is not None else RateLimiter(rpm, tpm)
    retries_before, throttled_before = limiter.retries, limiter.throttled
    done = scan_done(output) if output is not None else set()
    total = count_inputs(inputs)
    started = time.monotonic()
    sink = None if output is None else JsonlSink(
        output, fsync_every=fsync_every, fsync_seconds=fsync_seconds
    )
    bar = Progress(total, len(done), progress)
    batch = _Batch(
        read_items(inputs), done, sink, bar, ordered, window or 4 * concurrency, fail_fast,
        on_result,
    )  # fmt: skip
    owned: AsyncInferenceClient | None = None
    try:
        # The caller's client may lack the limiter's on_retry hook: see retries after each call.
        raw = client is not None or "on_retry" in (client_options or {})
        if client is None:
            options = {"on_retry": limiter.on_retry, **(client_options or {})}
            owned = client = AsyncInferenceClient(**options)
        method = getattr(client.with_raw_response if raw else client, method_name)
        call_options = {} if max_retries is None else {"max_retries": max_retries}
        shared = dict(params or {})

        async def worker() -> None:
            try:
                while (pulled := batch.pull()) is not None:
                    seq, item = pulled
                    if ordered:
                        await batch.wait_turn(seq)
                    if item.arguments.get("stream"):
                        item.problem = "a batch cannot stream; drop the `stream` argument"
                    result = await run_item(method, item, shared, limiter, call_options, raw=raw)
                    batch.emit(seq, result)
            except Exception as exc:  # reading the input or writing the output failed
                batch.error = batch.error or exc
                batch.summary.cancelled = True
                group.cancel_scope.cancel()

        try:
            async with anyio.create_task_group() as group:
                batch.scope = group.cancel_scope
                for _ in range(concurrency):
                    group.start_soon(worker)
        except BaseException:
            batch.summary.cancelled = True
            raise
        if batch.error is not None:  # raised as itself, not inside an exception group
            raise batch.error
        batch.summary.results = batch.results
        return batch.summary
    finally:
        try:
            if sink is not None:
                sink.close()
            bar.close()
            _finish(batch.summary, limiter, retries_before, throttled_before, started)
        finally:
            if owned is not None:
                with anyio.CancelScope(shield=True):
                    await owned.close()


def _finish(
    summary: BatchSummary, limiter: RateLimiter, retries: int, throttled: int, started: float
) -> None:
    summary.elapsed = time.monotonic() - started
    summary.retried = max(summary.retried, limiter.retries - retries)
    summary.throttled = limiter.throttled - throttled


def run_batch(task: str, inputs: Any, *, backend: str = "asyncio", **options: Any) -> BatchSummary:
    """The blocking entry point: :func:`arun_batch` in a new event loop (``backend``:
    ``"asyncio"`` or ``"trio"``). Ctrl-C cancels the calls in flight and leaves the output
    resumable."""

    async def main() -> BatchSummary:
        return await arun_batch(task, inputs, **options)

    try:
        return anyio.run(main, backend=backend)
    except BaseException as exc:
        # trio delivers Ctrl-C inside a task, so it may come out in an exception group
        if not isinstance(exc, KeyboardInterrupt) and _interrupted(exc):
            raise KeyboardInterrupt from exc
        raise


def _interrupted(exc: BaseException) -> bool:
    """True when ``exc`` is a KeyboardInterrupt, or a group holding one."""
    if isinstance(exc, KeyboardInterrupt):
        return True
    inner = getattr(exc, "exceptions", None)
    return isinstance(inner, tuple) and any(_interrupted(e) for e in inner)
