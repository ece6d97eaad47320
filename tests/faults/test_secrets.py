"""Secrets on the wire and in logs, over real sockets: a redirect to another origin (another
port is another origin) carries no credential, a same-origin redirect keeps it, and the DEBUG
log of a call that was retried never shows the token."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from inference_core import InferenceClient

from ._cases import EMBEDDING, OK
from ._server import FaultServer, json_reply, reply, status

TOKEN = "hf_SuperSecretToken123456"
CREDENTIALS = {"authorization", "x-api-key", "cookie", "x-custom-auth"}


def _redirect(location: str) -> Any:
    return reply(307, (("location", location),), b"")


def test_cross_origin_redirect_drops_every_credential(make_sync: Any) -> None:
    with (
        FaultServer([OK["embed"]]) as other,
        FaultServer([_redirect(other.url + "/elsewhere")]) as first,
        make_sync() as transport,
    ):
        client = InferenceClient(
            first.url, token=TOKEN, transport=transport,
            headers={"X-Api-Key": "k-123456789", "X-Custom-Auth": "c-123456789"},
            cookies={"session": "s-123456789"},
        )  # fmt: skip
        with client:
            assert client.feature_extraction("hi").tolist() == EMBEDDING
    sent = {name for name, _ in first.requests[0].headers}
    assert sent >= CREDENTIALS
    received = other.requests[0]
    assert not CREDENTIALS & {name for name, _ in received.headers}
    assert TOKEN not in repr(received.headers)
    assert received.method == "POST" and received.target == "/elsewhere"


def test_same_origin_redirect_keeps_the_token(make_sync: Any) -> None:
    with (
        FaultServer([_redirect("/moved"), json_reply(EMBEDDING)]) as server,
        make_sync() as transport,
        InferenceClient(server.url, token=TOKEN, transport=transport) as client,
    ):
        client.feature_extraction("hi")
    assert [r.header("authorization") for r in server.requests] == [f"Bearer {TOKEN}"] * 2


def test_debug_log_masks_the_token(caplog: pytest.LogCaptureFixture, make_sync: Any) -> None:
    script = [status(429, ("retry-after", "0")), OK["embed"]]
    with (
        FaultServer(script) as server,
        make_sync() as transport,
        caplog.at_level(logging.DEBUG, logger="inference_core"),
        InferenceClient(server.url, token=TOKEN, transport=transport) as client,
    ):
        client.feature_extraction("hi")
        assert TOKEN not in repr(client)
    assert len(server.requests) == 2
    text = caplog.text
    assert "429" in text and "retry" in text.lower()  # the retry is logged
    assert TOKEN not in text and "hf_***" in text
