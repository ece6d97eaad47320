"""Batch inference: a task method over a dataset, resumably, on the async client.

Run any task method of :class:`~inference_core.AsyncInferenceClient` over an iterable or a
JSONL file of inputs, with bounded concurrency, requests- and tokens-per-minute limits that
back off on 429s, per-item errors recorded rather than fatal, a progress bar, and a JSONL output
that a rerun resumes without losing or duplicating an item. Works on asyncio and trio;
:func:`run_batch` is the blocking entry point, ``python -m inference_batch`` the command line,
and :mod:`inference_batch.ray` the recipe for Ray Data. See docs/batch.md.

Quickstart::

    from inference_batch import run_batch

    summary = run_batch(
        "chat_completion", "prompts.jsonl", output="answers.jsonl",
        client_options={"base_url": "http://127.0.0.1:8080"}, concurrency=32, rpm=600,
    )
    print(summary)
"""

from ._inputs import Item, estimate_tokens, read_items
from ._item import ItemResult, run_item, used_tokens
from ._jsonable import dumps, to_jsonable
from ._limiter import RateLimiter, TokenBucket
from ._runner import TASK_METHODS, arun_batch, run_batch, task_method_name
from ._sink import JsonlSink, result_line, scan_done
from ._summary import BatchSummary

__distribution__ = "hf-inference-core"

__all__ = [
    "TASK_METHODS",
    "BatchSummary",
    "Item",
    "ItemResult",
    "JsonlSink",
    "RateLimiter",
    "TokenBucket",
    "arun_batch",
    "dumps",
    "estimate_tokens",
    "read_items",
    "result_line",
    "run_batch",
    "run_item",
    "scan_done",
    "task_method_name",
    "to_jsonable",
    "used_tokens",
]
