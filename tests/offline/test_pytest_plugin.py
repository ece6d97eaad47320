"""The pytest plugin's fixtures, used here as a user would, and its options, in a subprocess."""

from __future__ import annotations

import importlib.metadata
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fake_service import AsyncFakeTransport, FakeServer, FakeService, FakeTransport
from fake_service.network import NetworkBlockedError, NetworkGuard
from fake_service.pytest_plugin import CassetteFixture
from inference_core import AsyncInferenceClient, InferenceClient
from transports import MockTransport

ROOT = Path(__file__).resolve().parents[2]
CHAT = [{"role": "user", "content": "What is the capital of France?"}]


def test_inference_mock_records_requests(inference_mock: MockTransport) -> None:
    client = InferenceClient("http://127.0.0.1:8080", transport=inference_mock)
    out = client.chat_completion(CHAT)
    assert out.choices[0].message.content == "The capital of France is Paris."
    assert inference_mock.requests[0].url == "http://127.0.0.1:8080/v1/chat/completions"


def test_the_fake_fixtures_share_one_service(
    inference_fake_service: FakeService, fake_inference: FakeTransport
) -> None:
    inference_fake_service.fault("/text-classification", status=400, body={"error": "no"})
    client = InferenceClient("http://model/text-classification", transport=fake_inference)
    with pytest.raises(Exception, match="no"):
        client.text_classification("Hi")
    assert fake_inference.service is inference_fake_service


@pytest.mark.anyio
async def test_async_fake_inference(async_fake_inference: AsyncFakeTransport) -> None:
    async with AsyncInferenceClient("http://model", transport=async_fake_inference) as client:
        assert await client.text_generation("Hi there") == " You said: Hi there"


def test_fake_inference_server_gives_its_url(fake_inference_server: FakeServer) -> None:
    assert str(fake_inference_server).startswith("http://127.0.0.1:")
    with InferenceClient(f"{fake_inference_server.url}/fill-mask", timeout=10) as client:
        assert client.fill_mask("Paris is the [MASK].")[0].token_str == "happiness"


def test_inference_cassette_replays_the_committed_cassette(
    inference_cassette: CassetteFixture, fake_inference_server: FakeServer
) -> None:
    # Replays tests/offline/cassettes/test_pytest_plugin/<this test>.json; where it is
    # missing (and outside CI) the fake server answers and the cassette is recorded.
    transport = inference_cassette.transport(fake_inference_server.transport())
    with InferenceClient(token="hf_" + "Cs5" * 12, transport=transport) as client:
        out = client.chat_completion(CHAT, model="meta-llama/Llama-3.1-8B-Instruct")
        with client.text_generation("Once upon a time", model="gpt2", stream=True) as stream:
            text = "".join(stream)
    assert out.choices[0].message.content == "The capital of France is Paris."
    assert text == " there was a little robot who wanted to learn how to paint."
    assert inference_cassette.path.exists() or inference_cassette.recording


def test_the_network_guard_allows_loopback_only(inference_no_network: NetworkGuard) -> None:
    with FakeServer() as server, InferenceClient(f"{server.url}/translation") as client:
        assert client.translation("hello").translation_text == "bonjour"
    with pytest.raises(NetworkBlockedError, match=r"example\.com"):
        socket.getaddrinfo("example.com", 443)
    probe = socket.socket()
    with probe, pytest.raises(NetworkBlockedError, match=r"192\.0\.2\.1"):
        probe.connect(("192.0.2.1", 9))
    inference_no_network.attempts.clear()  # refused on purpose: not a failure of this test


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.5.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        (b"localhost", True),
        (None, True),
        ("huggingface.co", False),
        ("10.0.0.1", False),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_what_counts_as_loopback(host: object, allowed: bool) -> None:
    from fake_service.network import is_loopback

    assert is_loopback(host) is allowed


def test_the_plugin_and_the_command_are_installed_entry_points() -> None:
    distribution = importlib.metadata.distribution("hf-inference-core")
    points = {(ep.group, ep.name): ep.value for ep in distribution.entry_points}
    assert points[("pytest11", "hf_inference")] == "fake_service.pytest_plugin"
    assert points[("console_scripts", "hf-inference")] == "hf_inference_cli:main"


def _plugin_args() -> list[str]:
    entry_points = importlib.metadata.entry_points(group="pytest11")
    if any(ep.value == "fake_service.pytest_plugin" for ep in entry_points):
        return []  # installed: pytest loads it by itself
    return ["-p", "fake_service.pytest_plugin"]


USER_TESTS = textwrap.dedent(
    """
    import os
    import socket

    import pytest

    from inference_core import InferenceClient

    def test_chat(inference_cassette, fake_inference_server):
        transport = inference_cassette.transport(fake_inference_server.transport())
        client = InferenceClient(token="hf_" + "x" * 34, transport=transport)
        client.text_generation("Hi", model="gpt2")
        if os.environ.get("PHASE") == "record":
            client.text_generation("Hi again", model="gpt2")

    @pytest.mark.inference_block_network
    def test_reaches_out():
        try:
            socket.create_connection(("example.com", 80), timeout=1)
        except Exception:
            pass  # swallowed: the plugin still fails the test
    """
)


def _pytest(directory: Path, *args: str, phase: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PHASE=phase, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *_plugin_args()]
    return subprocess.run(
        [*command, *args], cwd=directory, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_options_record_replay_and_block(tmp_path: Path) -> None:
    (tmp_path / "test_user.py").write_text(USER_TESTS)
    # Record (a missing cassette, record mode "all"), the network blocked but for loopback.
    recorded = _pytest(
        tmp_path, "--inference-record", "--inference-block-network", phase="record"
    )
    cassette = tmp_path / "cassettes" / "test_user" / "test_chat.json"
    assert cassette.exists(), recorded.stdout
    assert "1 failed, 1 passed" in recorded.stdout, recorded.stdout
    assert "the test tried to reach the network: example.com:80" in recorded.stdout

    # A replay making fewer requests than recorded fails at teardown, naming what was unused.
    replayed = _pytest(tmp_path, "-k", "chat", "--inference-record-mode=none", phase="replay")
    assert "1 passed, 1 deselected, 1 error" in replayed.stdout, replayed.stdout
    assert "were never requested" in replayed.stdout and "Hi again" in replayed.stdout

    # A missing cassette with recording off is a failure.
    cassette.unlink()
    missing = _pytest(tmp_path, "-k", "chat", "--inference-record-mode=none", phase="replay")
    assert "no cassette at" in missing.stdout, missing.stdout
