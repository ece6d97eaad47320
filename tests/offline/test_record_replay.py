"""Record a session against the fake service over real HTTP, stop the server, replay it.

The replay must give identical typed outputs (sync, asyncio and trio; whole answers, SSE
streams and a polled fal-ai job), fail loudly on an unmatched request and on unused
interactions, keep the recorded chunking (or any other on request), and replay recorded
transport errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fake_service import FakeServer, FakeService, FakeTransport
from inference_core import InferenceClient, RemoteProtocolError, Request, Response
from tests.offline._session import LLAMA, MESSAGES, TOKEN, run_async, run_sync
from transports import AsyncHttpcoreTransport
from transports.cassette import Cassette, Interaction
from transports.record import AsyncRecordingTransport, RecordingTransport
from transports.replay import (
    AsyncReplayTransport,
    ReplayTransport,
    UnmatchedRequestError,
    UnusedInteractionsError,
)


def test_sync_session_replays_identically_with_the_server_stopped(tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    with FakeServer() as server:
        with RecordingTransport(server.transport(), cassette) as recorder:
            recorded = run_sync(recorder)
        assert len(server.requests) == len(recorder.cassette.interactions)
    # the server is stopped: only the cassette can answer now
    with ReplayTransport(cassette) as replayer:
        replayed = run_sync(replayer)
        assert replayer.sleeps == [0.5, 0.5]  # fal-ai queue polls, returned at once
    assert replayed == recorded
    assert recorded[0].choices[0].message.content == "The capital of France is Paris."
    assert "".join(recorded[2]).strip().startswith("there was a little robot")
    assert recorded[4][4:8] == b"ftyp"
    assert TOKEN not in cassette.read_text()


@pytest.mark.anyio
async def test_async_session_replays_identically(tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    with FakeServer() as server:
        recorder = AsyncRecordingTransport(server.async_transport(), cassette)
        async with recorder:
            recorded = await run_async(recorder)
    async with AsyncReplayTransport(cassette) as replayer:
        replayed = await run_async(replayer)
    assert replayed == recorded
    assert recorded[0].choices[0].message.content == "The capital of France is Paris."


@pytest.mark.anyio
async def test_a_sync_recording_replays_on_the_async_client(tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    with FakeServer() as server, RecordingTransport(server.transport(), cassette) as recorder:
        recorded = run_sync(recorder)
    async with AsyncReplayTransport(cassette) as replayer:
        assert await run_async(replayer) == recorded


def test_the_cassette_is_readable_json_with_one_entry_per_interaction(tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    with FakeServer() as server, RecordingTransport(server.transport(), cassette) as recorder:
        run_sync(recorder)
    data = json.loads(cassette.read_text())
    first, chat = data["interactions"][:2]
    assert first["request"]["url"].endswith(f"/api/models/{LLAMA}?expand=inferenceProviderMapping")
    assert "authorization: Bearer ***" in first["request"]["headers"]
    assert chat["request"]["body"]["json"]["messages"] == MESSAGES  # JSON bodies stay JSON
    assert chat["response"]["body"]["json"]["object"] == "chat.completion"
    streamed = data["interactions"][2]["response"]
    assert streamed["chunks"][-1] == "data: [DONE]\n\n"  # one entry per chunk, as text
    assert len(cassette.read_text().splitlines()) > 100  # indented: diffs line by line


def test_streams_replay_with_the_recorded_chunking_or_any_other(tmp_path: Path) -> None:
    cassette = tmp_path / "chat.json"
    request = Request("POST", "http://127.0.0.1:9/v1/chat/completions", (), b"{}")
    Cassette([Interaction(request, _response(b"abcdef"), [b"ab", b"cdef"])]).save(cassette)
    with ReplayTransport(cassette) as replayer, replayer.stream(request) as response:
        assert list(response.chunks) == [b"ab", b"cdef"]
    with ReplayTransport(cassette, chunk_size=1) as replayer, replayer.stream(request) as response:
        assert list(response.chunks) == [b"a", b"b", b"c", b"d", b"e", b"f"]
    with ReplayTransport(cassette) as replayer:
        assert replayer.send(request).body == b"abcdef"


def _response(body: bytes) -> Response:
    return Response(200, (("content-type", "text/event-stream"),), body)


def test_replay_honours_max_bytes_like_a_real_transport(tmp_path: Path) -> None:
    from inference_core import ResponseTooLargeError

    cassette = tmp_path / "big.json"
    request = Request("GET", "https://huggingface.co/api/tasks")
    with RecordingTransport(FakeTransport(), cassette) as recorder:
        size = len(recorder.send(request).body)
    with ReplayTransport(cassette) as replayer, pytest.raises(ResponseTooLargeError):
        replayer.send(Request("GET", request.url, max_bytes=size - 1))
    with ReplayTransport(cassette) as replayer:
        assert len(replayer.send(Request("GET", request.url, max_bytes=size)).body) == size


def test_an_unmatched_request_names_the_request_and_the_candidates(tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    with RecordingTransport(FakeTransport(), cassette) as recorder:
        run_sync(recorder)
    with ReplayTransport(cassette, allow_unused=True) as replayer:
        client = InferenceClient(token=TOKEN, transport=replayer)
        other = [{"role": "user", "content": "Something else"}]
        with pytest.raises(UnmatchedRequestError) as caught:
            client.chat_completion(other, model=LLAMA)
    message = str(caught.value)
    assert "POST https://router.huggingface.co/hf-inference/models/" in message
    assert "Something else" in message
    assert "Unused recorded requests" in message
    assert "matching on method, url, body" in message


def test_unused_interactions_fail_at_close(tmp_path: Path) -> None:
    cassette = tmp_path / "session.json"
    with RecordingTransport(FakeTransport(), cassette) as recorder:
        run_sync(recorder)
    replayer = ReplayTransport(cassette)
    client = InferenceClient(token=TOKEN, transport=replayer)
    client.chat_completion(MESSAGES, model=LLAMA, max_tokens=20)
    with pytest.raises(UnusedInteractionsError, match=r"recorded interaction\(s\) of .* never"):
        replayer.close()
    assert replayer.closed
    with pytest.raises(RuntimeError, match="closed"):
        replayer.send(Request("GET", "https://huggingface.co/api/tasks"))


def test_a_failing_with_block_is_not_masked_by_unused_interactions(tmp_path: Path) -> None:
    cassette = tmp_path / "empty.json"
    with RecordingTransport(FakeTransport(), cassette) as recorder:
        recorder.send(Request("GET", "https://huggingface.co/api/tasks"))
    with pytest.raises(KeyError), ReplayTransport(cassette):
        raise KeyError("the test's own failure")


def test_matching_is_configurable(tmp_path: Path) -> None:
    cassette = tmp_path / "one.json"
    with RecordingTransport(FakeTransport(), cassette) as recorder:
        recorder.send(Request("GET", "https://huggingface.co/api/tasks?a=1"))
    moved = Request("GET", "http://127.0.0.1:8000/api/tasks?a=1")
    replayer = ReplayTransport(cassette, allow_unused=True)
    with replayer, pytest.raises(UnmatchedRequestError):
        replayer.send(moved)
    with ReplayTransport(cassette, match_on=("method", "path", "query")) as replayer:
        assert replayer.send(moved).status == 200
    with ReplayTransport(cassette, match_on=[lambda a, b: True]) as replayer:
        assert replayer.send(Request("POST", "http://x/y")).status == 200
    with pytest.raises(ValueError, match="unknown match aspect"):
        ReplayTransport(cassette, match_on=("verb",))


def test_repeated_identical_requests_replay_in_recorded_order(tmp_path: Path) -> None:
    service = FakeService(polls=2)
    cassette = tmp_path / "polls.json"
    recorder = RecordingTransport(FakeTransport(service), cassette)
    with recorder, InferenceClient(provider="replicate", token=TOKEN, transport=recorder) as client:
        video = client.text_to_video("a dog", model="Wan-AI/Wan2.1-T2V-14B")
    polls = [i for i in recorder.cassette.interactions if "/v1/predictions/" in i.request.url]
    assert [p.response.json()["status"] for p in polls if p.response] == [
        "processing",
        "processing",
        "succeeded",
    ]
    with ReplayTransport(cassette) as replayer:
        with InferenceClient(provider="replicate", token=TOKEN, transport=replayer) as client:
            assert client.text_to_video("a dog", model="Wan-AI/Wan2.1-T2V-14B") == video
        assert replayer.sleeps == [1.0, 1.0, 1.0]


def test_a_cut_stream_is_recorded_and_replayed_as_the_same_error(tmp_path: Path) -> None:
    service = FakeService()
    service.fault(r"/v1/chat/completions", cut_after=2)
    cassette = tmp_path / "cut.json"
    with FakeServer(service) as server, RecordingTransport(server.transport(), cassette) as rec:
        client = InferenceClient(server.url, transport=rec)
        with pytest.raises(RemoteProtocolError), client.chat_completion(
            MESSAGES, stream=True
        ) as stream:
            for _ in stream:
                pass
    entry = json.loads(cassette.read_text())["interactions"][0]
    assert len(entry["response"]["chunks"]) == 2
    assert entry["error"]["type"] == "RemoteProtocolError"
    # the server's port changes from run to run: match on the path, not the whole URL
    with ReplayTransport(cassette, match_on=("method", "path", "body")) as replayer:
        client = InferenceClient("http://127.0.0.1:1", transport=replayer)
        chunks: list[object] = []
        with pytest.raises(RemoteProtocolError), client.chat_completion(
            MESSAGES, stream=True
        ) as stream:
            chunks.extend(stream)
        assert len(chunks) == 2


def test_a_connect_error_is_recorded_and_replayed(tmp_path: Path) -> None:
    from inference_core import ConnectError
    from transports import HttpcoreTransport

    cassette = tmp_path / "refused.json"
    with FakeServer() as server:
        url = server.url  # nothing listens there once stopped
    with RecordingTransport(HttpcoreTransport(), cassette) as recorder, pytest.raises(
        ConnectError
    ):
        recorder.send(Request("GET", f"{url}/api/tasks", timeout=5))
    with ReplayTransport(cassette) as replayer, pytest.raises(ConnectError):
        replayer.send(Request("GET", f"{url}/api/tasks"))


@pytest.mark.anyio
async def test_async_recording_wraps_any_async_transport(tmp_path: Path) -> None:
    cassette = tmp_path / "one.json"
    with FakeServer() as server:
        inner = AsyncHttpcoreTransport()
        async with AsyncRecordingTransport(inner, cassette) as recorder:
            response = await recorder.send(Request("GET", f"{server.url}/api/tasks"))
    assert response.status == 200
    async with AsyncReplayTransport(cassette) as replayer:
        again = await replayer.send(Request("GET", f"{server.url}/api/tasks"))
        await replayer.sleep(30)  # returns at once
    assert again.body == response.body
    assert replayer.sleeps == [30]
