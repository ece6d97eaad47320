"""Beyond one machine: the same per-item logic inside Ray Data, with the same JSONL output.

Strategy: :class:`BatchPredictor` is an *async callable class* for ``Dataset.map_batches``:
Ray starts ``concurrency`` actors, each builds one :class:`~inference_core.AsyncInferenceClient`
(lazily, on the actor's event loop) and runs each batch's rows through
:func:`~inference_batch.run_item` with at most ``per_actor`` calls in flight and its own rate
limiter. It returns the rows' result lines (the very lines the local runner writes) with their
counts. :func:`run_on_ray` wires it up: it reads the ids already in the output, maps the
dataset, and appends the lines it gets back through the same :class:`~inference_batch.JsonlSink`,
so a rerun resumes exactly as a local one does.

Ray specifics, documented in docs/batch.md: every input needs an ``"id"`` (Ray reads rows in
parallel, so line numbers are not stable ids); ``read_json`` unifies the rows' schemas, which
gives a row every key any row has, so keys that are null are dropped from the call's arguments;
rate limits are per actor (divide the account's limits by the number of actors).

Ray is optional (the ``ray`` extra) and imported only by :func:`run_on_ray`; the class itself
needs nothing from Ray, so it is tested without it too.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from typing import Any

import anyio

from inference_core import AsyncInferenceClient

from ._inputs import Item
from ._item import ItemResult, run_item
from ._limiter import RateLimiter
from ._runner import task_method_name
from ._sink import JsonlSink, scan_done
from ._summary import BatchSummary

__all__ = ["BatchPredictor", "rows_of", "run_on_ray"]


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


def rows_of(batch: Any) -> list[dict[str, Any]]:
    """The rows of a Ray batch as dicts: a pyarrow Table, a pandas DataFrame, a list of dicts,
    or a dict of columns (numpy arrays or lists)."""
    if hasattr(batch, "to_pylist"):  # pyarrow.Table
        rows: list[dict[str, Any]] = batch.to_pylist()
        return rows
    if hasattr(batch, "to_dict") and hasattr(batch, "columns"):  # pandas.DataFrame
        return list(batch.to_dict("records"))
    if isinstance(batch, list):
        return [dict(row) for row in batch]
    columns = {key: list(values) for key, values in batch.items()}
    count = len(next(iter(columns.values()), []))
    return [{key: values[i] for key, values in columns.items()} for i in range(count)]


class BatchPredictor:
    """An async callable class for ``Dataset.map_batches``: runs a task method on each row.

    Args:
        task: the client method (``"chat_completion"``, ...).
        client_options: keyword arguments for the actor's ``AsyncInferenceClient``.
        params: keyword arguments for every call (a row's own arguments win).
        per_actor: calls in flight per actor, at most.
        rpm, tpm: this actor's requests and tokens per minute.
        max_retries: retries per call (None: the client's policy).
        done: ids to skip (already in the output).

    Each call returns ``{"line": [...], "failed": [...], "retries": [...], "tokens": [...]}``,
    one entry per row run, in the batch's order.
    """

    def __init__(
        self,
        task: str,
        *,
        client_options: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        per_actor: int = 16,
        rpm: float | None = None,
        tpm: float | None = None,
        max_retries: int | None = None,
        done: frozenset[str | int] | set[str | int] = frozenset(),
    ) -> None:
        self._method_name = task_method_name(task)
        self._client_options = dict(client_options or {})
        self._params = dict(params or {})
        self._limit = per_actor
        self._limiter = RateLimiter(rpm, tpm)
        self._call_options = {} if max_retries is None else {"max_retries": max_retries}
        self._done = frozenset(done)
        self._client: AsyncInferenceClient | None = None
        self._slots: anyio.CapacityLimiter | None = None

    def _method(self) -> Any:
        if self._client is None:  # on the actor's event loop, at its first batch
            options = {"on_retry": self._limiter.on_retry, **self._client_options}
            self._client = AsyncInferenceClient(**options)
            self._slots = anyio.CapacityLimiter(self._limit)
        return getattr(self._client.with_raw_response, self._method_name)

    def _items(self, batch: Any) -> list[Item]:
        items = []
        for index, row in enumerate(rows_of(batch)):
            arguments = _without_nulls(row)
            if "id" not in arguments:
                raise ValueError("under Ray every input needs an 'id' (rows are read in parallel)")
            item_id = arguments.pop("id")
            if item_id not in self._done:
                items.append(Item(item_id, index, arguments))
        return items

    async def aclose(self) -> None:
        """Close the actor's client (Ray ends actors without it; tests call it)."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def __call__(self, batch: Any) -> dict[str, list[Any]]:
        """Run the batch's rows (those not done) and return their result lines and counts."""
        method = self._method()
        slots = self._slots
        assert slots is not None
        items = self._items(batch)
        results: list[ItemResult | None] = [None] * len(items)

        async def one(position: int, item: Item) -> None:
            async with slots:
                results[position] = await run_item(
                    method, item, self._params, self._limiter, self._call_options
                )

        async with anyio.create_task_group() as group:
            for position, item in enumerate(items):
                group.start_soon(one, position, item)
        finished = [result for result in results if result is not None]
        return {
            "line": [result.line() for result in finished],
            "failed": [result.error is not None for result in finished],
            "retries": [result.retries for result in finished],
            "tokens": [result.tokens for result in finished],
        }


def run_on_ray(
    task: str,
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    actors: int = 2,
    per_actor: int = 16,
    batch_size: int = 64,
    client_options: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    rpm: float | None = None,
    tpm: float | None = None,
    max_retries: int | None = None,
    actor_cpus: float = 0.5,
) -> BatchSummary:
    """Run ``task`` over the JSONL file ``input_path`` on Ray Data (``ray.init()`` first, or
    Ray starts a local instance) and append result lines to ``output_path``, resuming it.

    ``actors`` actors with ``per_actor`` calls in flight each; ``rpm`` and ``tpm`` are per
    actor. Each actor reserves ``actor_cpus`` CPUs (its work is waiting on the network; with
    whole CPUs, actors can take every CPU and starve the tasks reading the input). Returns the
    summary (``skipped`` counts the ids found in the output at the start).
    """
    import time

    task_method_name(task)  # an unknown task fails here, before Ray starts anything
    data = importlib.import_module("ray.data")
    started = time.monotonic()
    done = scan_done(output_path)
    dataset = data.read_json(os.fspath(input_path)).map_batches(
        BatchPredictor,
        fn_constructor_kwargs={
            "task": task, "client_options": dict(client_options or {}),
            "params": dict(params or {}), "per_actor": per_actor, "rpm": rpm, "tpm": tpm,
            "max_retries": max_retries, "done": frozenset(done),
        },
        compute=data.ActorPoolStrategy(size=actors),
        batch_size=batch_size,
        batch_format="pyarrow",
        num_cpus=actor_cpus,
    )  # fmt: skip
    summary = BatchSummary(skipped=len(done))
    with JsonlSink(output_path) as sink:
        for batch in dataset.iter_batches(batch_format="pyarrow", batch_size=None):
            for row in batch.to_pylist():
                sink.write(row["line"])
                summary.failed += row["failed"]
                summary.done += not row["failed"]
                summary.retried += row["retries"]
                summary.tokens += row["tokens"]
    summary.elapsed = time.monotonic() - started
    return summary
