"""The async client polls fal's queue without blocking the event loop, on asyncio and on trio.

A real loopback server answers the Hub mapping lookup and fal's queue steps; a copy of the fal-ai
provider pointed at it (``fal-ai-test``) makes the client go "direct" to it. While the job runs
(two status polls, each after a 0.5 s wait), a concurrent task ticks every 10 ms: if a wait or a
request blocked the loop, the ticks would stop for half a second.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import anyio
import attrs
import pytest

from adapters import fal_ai
from fake_service.server import LoopbackServer, Reply, ServerRequest
from inference_core import AsyncInferenceClient, register_provider
from inference_core.providers import unregister_provider

pytestmark = pytest.mark.anyio

NAME = "fal-ai-test"
VIDEO = b"\x00\x00\x00\x18ftypmp42 loopback video"
TICK = 0.01


class FalQueue:
    """A handler for the Hub lookup and the fal queue: IN_PROGRESS once, then COMPLETED."""

    def __init__(self) -> None:
        self.url = ""
        self.status_polls = 0

    def __call__(self, request: ServerRequest) -> Reply:
        job = "/fal-ai/mochi-v1/requests/r1"
        if request.target == "/api/models/org/video?expand=inferenceProviderMapping":
            entry = {"status": "live", "providerId": "fal-ai/mochi-v1", "task": "text-to-video"}
            return Reply.json({"id": "org/video", "inferenceProviderMapping": {NAME: entry}})
        if (request.method, request.target) == ("POST", "/fal-ai/mochi-v1"):
            assert request.json() == {"prompt": "a cat", "num_frames": 16}
            return Reply.json(
                {"request_id": "r1", "status": "IN_QUEUE", "response_url": self.url + job}
            )
        if request.target == job + "/status":
            self.status_polls += 1
            return Reply.json({"status": "COMPLETED" if self.status_polls >= 2 else "IN_PROGRESS"})
        if request.target == job:
            return Reply.json({"video": {"url": self.url + "/files/v.mp4"}})
        if request.target == "/files/v.mp4":
            return Reply(200, (("content-type", "video/mp4"),), VIDEO)
        return Reply(404, body=f"unexpected {request.method} {request.target}".encode())


@pytest.fixture
def fal_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    handler = FalQueue()
    with LoopbackServer(handler) as server:
        handler.url = server.url
        register_provider(attrs.evolve(fal_ai.PROVIDER, name=NAME, base_url=server.url))
        monkeypatch.setenv("HF_ENDPOINT", server.url)  # read when the client is built
        try:
            yield server
        finally:
            unregister_provider(NAME)


async def test_fal_queue_polling_does_not_block_the_event_loop(fal_server: LoopbackServer) -> None:
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.perf_counter())
            await anyio.sleep(TICK)

    client = AsyncInferenceClient(provider=NAME, token="fal-k", timeout=30)
    async with client, anyio.create_task_group() as tasks:
        tasks.start_soon(ticker)
        await anyio.sleep(TICK)
        start = time.perf_counter()
        video = await client.text_to_video("a cat", model="org/video", num_frames=16)
        end = time.perf_counter()
        tasks.cancel_scope.cancel()

    assert video == VIDEO
    elapsed = end - start
    assert elapsed >= 1.0  # two real 0.5 s waits
    during = [t for t in ticks if start <= t <= end]
    # Timer overshoot on a busy machine costs ticks, so the count bound is loose; the gap bound
    # below is the real proof that nothing blocked.
    assert len(during) >= 0.5 * elapsed / TICK, (len(during), elapsed)
    gaps = [b - a for a, b in zip([start, *during], [*during, end], strict=True)]
    assert max(gaps) < 0.25, max(gaps)  # a blocking 0.5 s wait would leave a 0.5 s gap

    seen = [(r.method, r.target, r.header("authorization")) for r in fal_server.requests]
    job = "/fal-ai/mochi-v1/requests/r1"
    assert seen == [
        ("GET", "/api/models/org/video?expand=inferenceProviderMapping", None),
        ("POST", "/fal-ai/mochi-v1", "Key fal-k"),
        ("GET", job + "/status", "Key fal-k"),
        ("GET", job + "/status", "Key fal-k"),
        ("GET", job, "Key fal-k"),
        ("GET", "/files/v.mp4", None),
    ]
