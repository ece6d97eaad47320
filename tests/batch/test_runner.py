"""The batch runner on asyncio and trio: order, errors, fail-fast, resume, limits, cancelling."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from fake_service.server import Delayed, LoopbackServer, Reply, ServerRequest, StreamReply
from fake_service.tgi import tgi_handler
from inference_batch import (
    TASK_METHODS,
    ItemResult,
    RateLimiter,
    arun_batch,
    run_batch,
    task_method_name,
)
from inference_core import AsyncInferenceClient, Response
from transports import MockTransport

from .conftest import chat_inputs, chat_reply, read_jsonl, write_jsonl

pytestmark = pytest.mark.anyio


def ids_of(path: Path) -> list[Any]:
    return [row["id"] for row in read_jsonl(path)]


async def test_a_chat_batch_over_loopback_in_input_order(
    chat_server: LoopbackServer, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(40, fail={3, 17, 30}))
    output = tmp_path / "out.jsonl"
    summary = await arun_batch(
        "chat_completion", source, output=output, ordered=True, concurrency=8,
        client_options={"base_url": chat_server.url}, progress=False,
    )  # fmt: skip
    assert (summary.done, summary.failed, summary.skipped, summary.cancelled) == (37, 3, 0, False)
    assert summary.tokens > 0 and summary.results is None and not summary.ok
    rows = read_jsonl(output)
    assert [row["id"] for row in rows] == [f"q{i}" for i in range(40)]
    assert rows[0]["output"]["choices"][0]["message"]["content"] == "You said: item 0"
    assert rows[3]["error"]["type"] == "ValidationError"
    assert "must be <=" in rows[3]["error"]["message"]
    assert "str(summary)" and "done 37, failed 3" in str(summary)


def slow_first(request: ServerRequest) -> Reply | StreamReply | Delayed:
    reply = tgi_handler(request)
    return Delayed(0.5, reply) if b"item 0\"" in request.body else reply


async def test_as_completed_is_the_default_order(tmp_path: Path) -> None:
    with LoopbackServer(slow_first) as server:
        summary = await arun_batch(
            "chat_completion", chat_inputs(6), concurrency=6,
            client_options={"base_url": server.url},
        )  # fmt: skip
    assert summary.results is not None
    assert [r.id for r in summary.results][-1] == "q0"
    assert sorted(r.id for r in summary.results) == [f"q{i}" for i in range(6)]


async def test_ordered_results_in_memory_and_on_result(
    mock_client: Callable[..., AsyncInferenceClient],
) -> None:
    seen: list[ItemResult] = []
    async with mock_client() as client:
        summary = await arun_batch(
            "chat-completion", chat_inputs(30, ids=False), client=client, ordered=True,
            window=2, concurrency=5, on_result=seen.append,
        )  # fmt: skip
    assert summary.results == seen
    assert [r.id for r in seen] == list(range(1, 31))  # inputs without ids: their position
    assert all(r.ok and r.tokens == 15 for r in seen)
    assert summary.tokens == 450


async def test_params_apply_to_every_call_and_an_input_wins(
    chat_server: LoopbackServer,
) -> None:
    rows = chat_inputs(3)
    rows[1]["max_tokens"] = 1
    await arun_batch(
        "chat_completion", rows, params={"max_tokens": 2, "temperature": 0.5},
        client_options={"base_url": chat_server.url},
    )  # fmt: skip
    bodies = sorted((r.json() for r in chat_server.requests), key=lambda b: str(b["messages"]))
    assert [b["max_tokens"] for b in bodies] == [2, 1, 2]
    assert {b["temperature"] for b in bodies} == {0.5}


async def test_bad_inputs_are_item_errors_and_duplicates_are_dropped(
    mock_client: Callable[..., AsyncInferenceClient], tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    lines = [json.dumps(row) for row in chat_inputs(3)]
    lines += ["not json", "[1, 2]", json.dumps({"id": [1], "messages": []}), "",
              lines[0], json.dumps({"id": "s", "stream": True, "messages": []})]  # fmt: skip
    source.write_text("\n".join(lines) + "\n")
    output = tmp_path / "out.jsonl"
    async with mock_client() as client:
        summary = await arun_batch("chat_completion", source, client=client, output=output)
    assert (summary.done, summary.failed, summary.duplicates) == (3, 4, 1)
    errors = {row["id"]: row["error"]["message"] for row in read_jsonl(output) if "error" in row}
    assert "line 4 is not JSON" in errors[4]
    assert "must be a JSON object" in errors[5]
    assert "id must be a string or an integer" in errors[6]
    assert "cannot stream" in errors["s"]
    assert sorted(map(str, ids_of(output))) == sorted(["q0", "q1", "q2", "4", "5", "6", "s"])


async def test_fail_fast_stops_at_the_first_failure(
    mock_client: Callable[..., AsyncInferenceClient], tmp_path: Path
) -> None:
    rows = chat_inputs(50)
    rows[5]["messages"][0]["content"] = "[500]"
    output = tmp_path / "out.jsonl"
    async with mock_client(max_retries=0) as client:
        summary = await arun_batch(
            "chat_completion", rows, client=client, output=output, fail_fast=True,
            concurrency=2,
        )  # fmt: skip
    assert summary.cancelled and summary.failed == 1 and summary.done < 49
    assert read_jsonl(output)[-1]["error"]["type"] == "HTTPStatusError"


async def test_a_rerun_skips_what_is_done_and_drops_a_torn_line(
    mock_client: Callable[..., AsyncInferenceClient], tmp_path: Path
) -> None:
    rows = chat_inputs(20)
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    output = tmp_path / "out.jsonl"
    async with mock_client() as client:
        await arun_batch("chat_completion", rows[:8], client=client, output=output)
        with output.open("a") as file:
            file.write('{"id": "q8", "output": {"cho')  # a write cut by a crash
        summary = await arun_batch("chat_completion", source, client=client, output=output)
        assert (summary.skipped, summary.done) == (8, 12)
        again = await arun_batch("chat_completion", source, client=client, output=output)
    assert (again.skipped, again.done, again.ok) == (20, 0, True)
    assert sorted(ids_of(output)) == sorted(f"q{i}" for i in range(20))


async def test_429s_pause_the_batch_and_count_as_retries(tmp_path: Path) -> None:
    def handler(request: Any) -> Any:
        text = json.loads(request.body)["messages"][-1]["content"]
        if text == "item 2" and not handler.throttled:  # type: ignore[attr-defined]
            handler.throttled = True  # type: ignore[attr-defined]
            return Response(429, (("retry-after", "0.3"),), b"{}")
        return chat_reply(request)

    handler.throttled = False  # type: ignore[attr-defined]
    rows = chat_inputs(6)
    rows[5]["messages"][0]["content"] = "[429]"  # always 429 (retry-after 7: above no limit)
    limiter = RateLimiter()
    summary = await arun_batch(
        "chat_completion", rows, limiter=limiter, concurrency=1, max_retries=1,
        client_options={"base_url": "http://batch.test", "transport": MockTransport(handler)},
    )  # fmt: skip
    assert (summary.done, summary.failed) == (5, 1)
    assert summary.retried == 2 and summary.throttled == 3  # 2 retried 429s, 1 final one
    assert limiter.hooked
    assert limiter.acquire(1, limiter.clock()) > 5  # the final 429's Retry-After: 7 s


async def test_without_the_hook_429s_are_seen_after_the_call(
    mock_client: Callable[..., AsyncInferenceClient],
) -> None:
    calls = []

    def handler(request: Any) -> Any:
        calls.append(request)
        if len(calls) == 1:
            return Response(429, (("retry-after", "0.2"),), b"{}")
        return chat_reply(request)

    limiter = RateLimiter()
    async with mock_client(handler) as client:
        summary = await arun_batch(
            "chat_completion", chat_inputs(1), client=client, limiter=limiter
        )
    assert (summary.retried, summary.throttled, limiter.hooked) == (1, 1, False)
    assert 0 < limiter.acquire(1, limiter.clock()) <= 0.2


async def test_rate_limits_space_the_calls(
    mock_client: Callable[..., AsyncInferenceClient],
) -> None:
    async with mock_client() as client:
        start = anyio.current_time()
        await arun_batch("chat_completion", chat_inputs(15), client=client, rpm=600)
        assert anyio.current_time() - start >= 0.45  # a burst of 10, then 10 per second
        limiter = RateLimiter(tpm=6000)  # 100 tokens/s; each call is charged its usage: 15
        await arun_batch("chat_completion", chat_inputs(8), client=client, limiter=limiter)
    assert limiter.tokens_used == 120


async def test_cancelling_the_caller_keeps_whole_lines_and_resumes(
    chat_server: LoopbackServer, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", chat_inputs(300))
    output = tmp_path / "out.jsonl"
    options = {"base_url": chat_server.url}
    with anyio.CancelScope() as scope:

        def cancel_after_25(result: ItemResult) -> None:
            if result.index >= 0 and len(read_jsonl(output)) >= 25:
                scope.cancel()

        await arun_batch(
            "chat_completion", source, output=output, concurrency=16, client_options=options,
            on_result=cancel_after_25,
        )  # fmt: skip
    assert scope.cancelled_caught
    written = ids_of(output)
    assert 25 <= len(written) < 300 and len(set(written)) == len(written)
    summary = await arun_batch(
        "chat_completion", source, output=output, concurrency=16, client_options=options
    )
    assert summary.skipped == len(written) and summary.done == 300 - len(written)
    assert sorted(ids_of(output)) == sorted(f"q{i}" for i in range(300))


async def test_usage_errors_before_any_call(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown task"):
        await arun_batch("no_such_task", [])
    with pytest.raises(ValueError, match="concurrency"):
        await arun_batch("chat_completion", [], concurrency=0)
    with pytest.raises(ValueError, match="stream"):
        await arun_batch("chat_completion", [], params={"stream": True})


def test_task_names() -> None:
    assert len(TASK_METHODS) >= 28 and "chat_completion" in TASK_METHODS
    assert task_method_name("feature-extraction") == "feature_extraction"


def test_run_batch_is_the_blocking_entry_point(chat_server: LoopbackServer) -> None:
    summary = run_batch(
        "chat_completion", chat_inputs(5), backend="trio",
        client_options={"base_url": chat_server.url},
    )  # fmt: skip
    assert summary.done == 5 and summary.ok


def test_feature_extraction_outputs_are_lists(tmp_path: Path) -> None:
    def handler(request: Any) -> Response:
        return Response(200, (("content-type", "application/json"),), b"[[0.5, 1.5]]")

    output = tmp_path / "out.jsonl"
    summary = run_batch(
        "feature_extraction", [{"id": "e", "text": "hello"}], output=output,
        client_options={"base_url": "http://emb.test", "transport": MockTransport(handler)},
    )  # fmt: skip
    assert summary.done == 1
    assert read_jsonl(output) == [{"id": "e", "output": [[0.5, 1.5]]}]


async def test_an_input_that_breaks_mid_way_stops_the_batch_with_its_error(
    mock_client: Callable[..., AsyncInferenceClient], tmp_path: Path
) -> None:
    def rows() -> Any:
        yield from chat_inputs(5)
        raise OSError("the input went away")

    output = tmp_path / "out.jsonl"
    async with mock_client() as client:
        with pytest.raises(OSError, match="went away"):
            await arun_batch("chat_completion", rows(), client=client, output=output)
    assert sorted(ids_of(output)) == [f"q{i}" for i in range(5)]
