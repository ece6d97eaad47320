"""The job polling of providers added after v0.33.5, against a real loopback server, on the
sync client and the async client (asyncio and trio): WaveSpeed's ``data.urls.get`` (an absolute
URL on WaveSpeed's host) is re-rooted on the server the job was submitted to, and together's
video job is polled at ``/v2/videos/<id>`` on it. A copy of each provider is pointed at the
server and called with its own key (direct); the polls wait with ``Sleep`` effects."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import anyio
import attrs
import pytest

from adapters import together, wavespeed
from fake_service.server import LoopbackServer, Reply, ServerRequest
from inference_core import AsyncInferenceClient, InferenceClient, register_provider
from inference_core.providers import Provider, unregister_provider

VIDEO = b"\x00\x00\x00\x18ftypmp42 loopback video"
MODES = ["sync", "asyncio", "trio"]


class Jobs:
    """Hub lookups, and both providers' job APIs: one "still running" poll, then done."""

    def __init__(self) -> None:
        self.url = ""
        self.polls = 0

    def __call__(self, request: ServerRequest) -> Reply:
        target = request.target
        if target.startswith("/api/models/"):
            name = target.split("/")[4].split("?")[0]
            provider, task = {"ws": ("wavespeed-test", "image-to-video"),
                              "tg": ("together-test", "text-to-video")}[name]  # fmt: skip
            entry = {"status": "live", "providerId": "acme/vid", "task": task}
            return Reply.json({"id": f"org/{name}", "inferenceProviderMapping": {provider: entry}})
        if (request.method, target) == ("POST", "/api/v3/acme/vid"):
            get = "https://api.wavespeed.ai/api/v3/predictions/p1/result"
            return Reply.json({"data": {"id": "p1", "status": "created", "urls": {"get": get}}})
        if target == "/api/v3/predictions/p1/result":
            self.polls += 1
            if self.polls < 2:
                return Reply.json({"data": {"status": "processing"}})
            return Reply.json({"data": {"status": "completed", "outputs": [self.url + "/v.mp4"]}})
        if (request.method, target) == ("POST", "/v2/videos"):
            return Reply.json({"id": "j1", "status": "queued"})
        if target == "/v2/videos/j1":
            self.polls += 1
            if self.polls < 2:
                return Reply.json({"id": "j1", "status": "in_progress"})
            outputs = {"video_url": self.url + "/v.mp4"}
            return Reply.json({"id": "j1", "status": "completed", "outputs": outputs})
        if target == "/v.mp4":
            return Reply(200, (("content-type", "video/mp4"),), VIDEO)
        return Reply(404, body=f"unexpected {request.method} {target}".encode())


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    handler = Jobs()
    copies: list[Provider] = [
        attrs.evolve(wavespeed.PROVIDER, name="wavespeed-test"),
        attrs.evolve(together.PROVIDER, name="together-test"),
    ]
    with LoopbackServer(handler) as running:
        handler.url = running.url
        for copy in copies:
            register_provider(attrs.evolve(copy, base_url=running.url))
        monkeypatch.setenv("HF_ENDPOINT", running.url)  # read when the client is built
        monkeypatch.setattr(together, "VIDEO_POLL_INTERVAL", 0.05)  # real waits, kept short
        monkeypatch.setattr(wavespeed, "POLL_INTERVAL", 0.05)
        try:
            yield running
        finally:
            for copy in copies:
                unregister_provider(copy.name)


def call(mode: str, provider: str, method: Callable[[Any], Any]) -> Any:
    """``method(client)`` on a client of ``mode`` with ``provider``'s own key."""
    options: dict[str, Any] = {"provider": provider, "token": "own-key", "timeout": 30}
    if mode == "sync":
        with InferenceClient(**options) as client:
            return method(client)

    async def main() -> Any:
        async with AsyncInferenceClient(**options) as client:
            return await method(client)

    return anyio.run(main, backend=mode)


@pytest.mark.parametrize("mode", MODES)
def test_wavespeed_polls_the_result_on_the_submit_host(server: LoopbackServer, mode: str) -> None:
    video = call(
        mode, "wavespeed-test", lambda c: c.image_to_video(b"\x00img", model="org/ws", prompt="go")
    )
    assert video == VIDEO
    seen = [(r.method, r.target, r.header("authorization")) for r in server.requests]
    result = "/api/v3/predictions/p1/result"
    assert seen == [
        ("GET", "/api/models/org/ws?expand=inferenceProviderMapping", None),
        ("POST", "/api/v3/acme/vid", "Bearer own-key"),
        ("GET", result, "Bearer own-key"),
        ("GET", result, "Bearer own-key"),
        ("GET", "/v.mp4", None),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_together_video_job(server: LoopbackServer, mode: str) -> None:
    video = call(mode, "together-test", lambda c: c.text_to_video("a cat", model="org/tg"))
    assert video == VIDEO
    seen = [(r.method, r.target) for r in server.requests]
    assert seen == [
        ("GET", "/api/models/org/tg?expand=inferenceProviderMapping"),
        ("POST", "/v2/videos"),
        ("GET", "/v2/videos/j1"),
        ("GET", "/v2/videos/j1"),
        ("GET", "/v.mp4"),
    ]
    assert server.requests[1].json() == {"model": "acme/vid", "prompt": "a cat"}
