"""The cassette format (exact bytes back, readable JSON) and secret scrubbing on record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fake_service import FakeService, FakeTransport, StreamReply
from fake_service.call import Call
from fake_service.server import Action
from inference_core import InferenceClient, Request, Response
from transports.cassette import (
    Cassette,
    CassetteError,
    Interaction,
    Scrubber,
    decode_body,
    encode_body,
)
from transports.record import RecordingTransport
from transports.replay import ReplayTransport

TOKEN = "hf_" + "Zq9" * 12
KEY = "sk-live-0123456789abcdef"


@pytest.mark.parametrize(
    ("body", "form"),
    [
        (None, None),
        (b"", ""),
        (b"data: hello\n\n", "data: hello\n\n"),
        (b'{"a":1,"b":"\xc3\xa9"}', {"json": {"a": 1, "b": "é"}}),
        (b'{"a": 1}', {"json": {"a": 1}, "format": "spaced"}),
        (b'{"a":  1}', '{"a":  1}'),  # re-encoding would differ: kept as text
        (b"[1, 2", "[1, 2"),
        (b"\x89PNG\r\n\x1a\n\x00", {"base64": "iVBORw0KGgoA"}),
    ],
)
def test_bodies_are_readable_and_come_back_exactly(body: bytes | None, form: object) -> None:
    assert encode_body(body) == form
    assert decode_body(json.loads(json.dumps(form))) == body


def test_a_cassette_round_trips_through_its_file(tmp_path: Path) -> None:
    request = Request("POST", "https://x/y?q=1", (("content-type", "application/json"),), b"{}")
    answer = Response(200, (("a", "b"), ("a", "c")), b"\x00\x01")
    streamed = Response(200, (), b"ab")
    cassette = Cassette(
        [
            Interaction(request, answer),
            Interaction(request, streamed, [b"a", b"b"], truncated=True),
            Interaction(request, error={"type": "ReadError", "message": "reset"}),
        ]
    )
    path = tmp_path / "sub" / "c.json"
    cassette.save(path)
    again = Cassette.load(path)
    assert again == cassette
    assert "a: c" in path.read_text()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "is not JSON"),
        ('{"format": "other"}', "is not a cassette"),
        ('{"format": "hf-inference-cassette/1", "interactions": [{}]}', "bad cassette entry"),
    ],
)
def test_a_bad_cassette_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(text)
    with pytest.raises(CassetteError, match=message):
        Cassette.load(path)


def test_a_missing_cassette_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CassetteError, match="no cassette at"):
        ReplayTransport(tmp_path / "missing.json")


def test_default_scrubbing_removes_credentials_everywhere() -> None:
    scrub = Scrubber()
    request = Request(
        "POST",
        f"https://api.example.com/v1/x?token={TOKEN}&api_key=abc&key=k&model=m&x_secret=s",
        (
            ("Authorization", f"Bearer {TOKEN}"),
            ("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
            ("Cookie", "session=1"),
            ("X-Key", KEY),
            ("api-key", KEY),
            ("x-api-key", KEY),
            ("X-Custom-Token", "t"),
            ("X-Some-Secret", "s"),
            ("X-Note", f"signed by {TOKEN}"),
            ("content-type", "application/json"),
        ),
        json.dumps({"inputs": f"my token is {TOKEN}", "model": "hf_internal_testing"}).encode(),
    )
    clean = scrub.request(request)
    assert dict(clean.headers) == {
        "Authorization": "Bearer ***",
        "Proxy-Authorization": "Basic ***",
        "Cookie": "***",
        "X-Key": "***",
        "api-key": "***",
        "x-api-key": "***",
        "X-Custom-Token": "***",
        "X-Some-Secret": "***",
        "X-Note": "signed by hf_***",
        "content-type": "application/json",
    }
    assert clean.url == (
        "https://api.example.com/v1/x?token=***&api_key=***&key=***&model=m&x_secret=***"
    )
    assert json.loads(clean.body or b"") == {
        "inputs": "my token is hf_***",
        "model": "hf_internal_testing",  # not a token: too short after "hf_"
    }
    response = Response(200, (("Set-Cookie", "id=1"), ("x-request-id", "r")), TOKEN.encode())
    assert scrub.response(response) == Response(
        200, (("Set-Cookie", "***"), ("x-request-id", "r")), b"hf_***"
    )


def test_scrubbing_is_configurable() -> None:
    request = Request("GET", "https://x/y?sig=1", (("X-Tenant", "acme"), ("X-Key", "k")), None)
    custom = Scrubber(
        headers=frozenset({"x-tenant"}),
        keep_headers=frozenset({"x-key"}),
        patterns=(re.compile(rb"acme"),),
        replacement="<gone>",
    )
    assert custom.request(request).headers == (("X-Tenant", "<gone>"), ("X-Key", "k"))
    assert custom.request(request).url == "https://x/y?sig=<gone>"
    assert Scrubber.none().request(request) == Request(
        "GET", "https://x/y?sig=1", request.headers, None
    )


def test_recording_scrubs_the_file_but_not_the_traffic(tmp_path: Path) -> None:
    cassette = tmp_path / "c.json"
    fake = FakeTransport()
    with RecordingTransport(fake, cassette) as recorder:
        client = InferenceClient(provider="together", token=TOKEN, transport=recorder)
        client.chat_completion([{"role": "user", "content": f"say {TOKEN}"}], model="m/llama")
    assert fake.requests[-1].header("authorization") == f"Bearer {TOKEN}"  # sent as given
    text = cassette.read_text()
    assert TOKEN not in text
    assert "Bearer ***" in text
    assert "say hf_***" in text
    # the replay scrubs incoming requests the same way, so the live request still matches
    with ReplayTransport(cassette) as replayer:
        client = InferenceClient(provider="together", token=TOKEN, transport=replayer)
        out = client.chat_completion([{"role": "user", "content": f"say {TOKEN}"}], model="m/llama")
    assert out.choices[0].message.content == "You said: say hf_***"


def test_a_direct_provider_key_is_scrubbed(tmp_path: Path) -> None:
    cassette = tmp_path / "c.json"
    with RecordingTransport(FakeTransport(), cassette) as recorder:
        client = InferenceClient(provider="black-forest-labs", token=KEY, transport=recorder)
        client.text_to_image("a cat", model="black-forest-labs/FLUX.1-dev")
    text = cassette.read_text()
    assert KEY not in text
    assert '"X-Key: ***"' in text


class _SplitToken(FakeService):
    """Streams the token in two chunks, cut in its middle."""

    def route(self, call: Call) -> Action:
        half = len(TOKEN) // 2
        return StreamReply([TOKEN[:half].encode(), TOKEN[half:].encode()])


def test_a_token_split_across_stream_chunks_is_still_scrubbed(tmp_path: Path) -> None:
    cassette = tmp_path / "c.json"
    request = Request("POST", "https://x/v1/chat/completions", (), b"{}")
    recorder = RecordingTransport(FakeTransport(_SplitToken()), cassette)
    with recorder, recorder.stream(request) as response:
        assert b"".join(response.chunks) == TOKEN.encode()
    assert TOKEN[len(TOKEN) // 2 :] not in cassette.read_text()
    assert Cassette.load(cassette).interactions[0].chunks == [b"hf_***"]
