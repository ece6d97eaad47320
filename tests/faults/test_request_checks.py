"""Bad URLs and headers: a :class:`RequestError` before any I/O, the same on every transport.

A URL or header with CR, LF or NUL, a URL with spaces or ``.``/``..`` path segments (literal or
percent-encoded), a header name that is not an HTTP token: each is refused before a connection
is opened (the server accepts none), with the message a :class:`MockTransport` client gets.
"""

from __future__ import annotations

from typing import Any

import pytest

from inference_core import AsyncInferenceClient, InferenceClient, RequestError
from transports import MockTransport

from ._cases import OK
from ._server import FaultServer

BAD_PATHS = [
    "/a b",
    "/x/../y",
    "/x/./y",
    "/x/%2e%2e/y",
    "/x/%2E%2E",
    "/x/.%2e/y",
    "/x/%2e/y",
    "/a\r\nX-Injected: 1",
    "/a\nb",
    "/a\rb",
    "/a\x00b",
]
BAD_HEADERS = [
    {"X-Bad": "a\r\nX-Injected: 1"},
    {"X-Bad": "a\nb"},
    {"X-Bad": "a\x00b"},
    {"bad name": "v"},
    {"bad:name": "v"},
    {"X-Bad\r\n": "v"},
    {"": "v"},
]
ROWS: list[tuple[str, str, dict[str, str]]] = [("model", path, {}) for path in BAD_PATHS] + [
    ("headers", f"headers{index}", headers) for index, headers in enumerate(BAD_HEADERS)
]
ROW_IDS = [repr(row[1]) if row[0] == "model" else str(row[2]) for row in ROWS]


def _expected(url: str, headers: dict[str, str]) -> str:
    """The message a MockTransport client gets (no I/O at all)."""
    transport = MockTransport(lambda request: pytest.fail(f"sent {request}"))
    client = InferenceClient(url, headers=headers, transport=transport)
    with client, pytest.raises(RequestError) as info:
        client.feature_extraction("hi")
    return str(info.value)


def _target(server: FaultServer, kind: str, value: str, headers: dict[str, str]) -> Any:
    return (server.url + value, {}) if kind == "model" else (server.url, headers)


@pytest.mark.parametrize(("kind", "value", "headers"), ROWS, ids=ROW_IDS)
def test_sync_refused_before_io(kind: str, value: str, headers: dict[str, str],
                                make_sync: Any) -> None:  # fmt: skip
    with FaultServer([OK["embed"]]) as server:
        url, extra = _target(server, kind, value, headers)
        with make_sync() as transport:
            client = InferenceClient(url, headers=extra, transport=transport)
            with client, pytest.raises(RequestError) as info:
                client.feature_extraction("hi")
        assert str(info.value) == _expected(url, extra)
    assert (server.accepted, server.requests) == (0, [])


@pytest.mark.anyio
@pytest.mark.parametrize(("kind", "value", "headers"), ROWS, ids=ROW_IDS)
async def test_async_refused_before_io(kind: str, value: str, headers: dict[str, str],
                                       make_async: Any) -> None:  # fmt: skip
    with FaultServer([OK["embed"]]) as server:
        url, extra = _target(server, kind, value, headers)
        async with (
            make_async() as transport,
            AsyncInferenceClient(url, headers=extra, transport=transport) as client,
        ):
            with pytest.raises(RequestError) as info:
                await client.feature_extraction("hi")
        assert str(info.value) == _expected(url, extra)
    assert (server.accepted, server.requests) == (0, [])


def test_token_with_a_line_break_is_refused(make_sync: Any) -> None:
    token = "hf_abc\r\nX-Injected: 1"
    with FaultServer([OK["embed"]]) as server, make_sync() as transport:
        with (
            pytest.raises(RequestError) as info,  # at construction, or at the call
            InferenceClient(server.url, token=token, transport=transport) as client,
        ):
            client.feature_extraction("hi")
        assert "hf_abc" not in str(info.value)  # the token is never shown
    assert server.accepted == 0
