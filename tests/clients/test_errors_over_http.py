"""Errors through the real clients over loopback sockets, sync and async (asyncio and trio).

Each status case is answered by a loopback server and checked the way huggingface_hub users
read errors: the exact ``str(e)`` (the reference's text, see
``tests/core/test_errors_like_reference.py``), ``e.response.status_code``, case-insensitive
``e.response.headers``, ``e.response.url`` and ``e.response.request``, ``e.request_id`` and
``e.server_message``. A refused connection is a ``ConnectionError``; a missing input file is a
``FileNotFoundError`` raised before any request is sent.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fake_service.server import LoopbackServer, Reply, ServerRequest
from inference_core import AsyncInferenceClient, InferenceClient
from inference_core.errors import (
    BadRequestError,
    ConnectError,
    HfHubHTTPError,
    HTTPStatusError,
    InputFileError,
    InputFileNotFoundError,
    RequestError,
    ValidationError,
)

TGI_BODY = {"error": "Input validation error: `inputs` too long", "error_type": "validation"}
REPLIES = {
    "/detail": Reply.json({"detail": "Input should be a valid string"}, status=422),
    "/xerr404": Reply(
        404, (("content-type", "text/plain"), ("X-Error-Message", "Model not found")), b"Not Found"
    ),
    "/err500": Reply.json({"error": "Internal failure"}, 500, (("x-request-id", "req-500"),)),
    "/tgi400": Reply.json(TGI_BODY, 400, (("x-request-id", "req-400"),)),
}


def _route(request: ServerRequest) -> Reply:
    return REPLIES[request.target.removesuffix("/v1/chat/completions")]


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(_route) as running:
        yield running


def _cases(url: str) -> list[tuple[str, str, type[Exception], str]]:
    """(path, task, class, str(e)) for the server at ``url``."""
    return [
        (
            "/detail",
            "text_classification",
            HTTPStatusError,
            f"422 Client Error: Unprocessable Entity for url: {url}/detail"
            '\n\nInput should be a valid string\n{"detail": "Input should be a valid string"}\n',
        ),
        (
            "/xerr404",
            "text_classification",
            HTTPStatusError,
            f"404 Client Error: Not Found for url: {url}/xerr404\n\nModel not found\nNot Found",
        ),
        (
            "/err500",
            "chat_completion",
            HTTPStatusError,
            f"500 Server Error: Internal Server Error for url: {url}/err500/v1/chat/completions"
            " (Request ID: req-500)\n\nInternal failure",
        ),
        ("/tgi400", "text_generation", ValidationError, TGI_BODY["error"]),
    ]


def _call(client: Any, task: str, **kwargs: Any) -> Any:
    if task == "chat_completion":
        return client.chat_completion([{"role": "user", "content": "hi"}], **kwargs)
    return getattr(client, task)("hi", **kwargs)


def _check(error: BaseException, server: LoopbackServer, path: str, task: str) -> None:
    assert isinstance(error, HfHubHTTPError) and isinstance(error, OSError)
    response = error.response
    assert response is not None
    reply = REPLIES[path]
    assert response.status_code == reply.status
    assert response.headers["Content-Type"] == response.headers["content-type"]
    assert response.headers["CONTENT-TYPE"].startswith(("application/json", "text/plain"))
    assert response.content == reply.body and response.text == reply.body.decode()
    suffix = "/v1/chat/completions" if task == "chat_completion" else ""
    assert response.url == server.url + path + suffix
    assert response.request is not None and response.request.method == "POST"
    assert error.request is not None and error.request.url == response.url
    if path == "/err500":
        assert (error.request_id, error.server_message) == ("req-500", "Internal failure")
    if path == "/tgi400":
        assert error.request_id == "req-400"
        assert type(error.__cause__) is BadRequestError
        assert str(error.__cause__) == f"(Request ID: req-400)\n\nBad request:\n{TGI_BODY['error']}"


def test_sync_status_errors(server: LoopbackServer) -> None:
    for path, task, cls, text in _cases(server.url):
        with InferenceClient(server.url + path) as client, pytest.raises(cls) as info:
            _call(client, task)
        assert str(info.value) == text
        _check(info.value, server, path, task)


def test_sync_stream_errors_read_the_same(server: LoopbackServer) -> None:
    for path, task, cls, text in _cases(server.url):
        if task == "text_classification":
            continue
        with InferenceClient(server.url + path) as client, pytest.raises(cls) as info:
            _call(client, task, stream=True)
        assert str(info.value) == text
        _check(info.value, server, path, task)


@pytest.mark.anyio
async def test_async_status_errors(server: LoopbackServer) -> None:
    for path, task, cls, text in _cases(server.url):
        async with AsyncInferenceClient(server.url + path) as client:
            with pytest.raises(cls) as info:
                await _call(client, task)
        assert str(info.value) == text
        _check(info.value, server, path, task)


@pytest.mark.anyio
async def test_async_stream_errors_read_the_same(server: LoopbackServer) -> None:
    for path, task, cls, text in _cases(server.url):
        if task == "text_classification":
            continue
        async with AsyncInferenceClient(server.url + path) as client:
            with pytest.raises(cls) as info:
                await _call(client, task, stream=True)
        assert str(info.value) == text
        _check(info.value, server, path, task)


@pytest.fixture
def closed_url() -> str:
    """A loopback URL nothing listens on (the port was just free)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/m"


def _check_refused(error: BaseException, url: str) -> None:
    assert isinstance(error, ConnectError)
    assert isinstance(error, ConnectionError) and isinstance(error, OSError)
    assert url in str(error)
    assert (error.response, error.request) == (None, None)


def test_sync_refused_connection_is_a_connection_error(closed_url: str) -> None:
    with InferenceClient(closed_url) as client, pytest.raises(ConnectionError) as info:
        client.text_classification("hi")
    _check_refused(info.value, closed_url)


@pytest.mark.anyio
async def test_async_refused_connection_is_a_connection_error(closed_url: str) -> None:
    async with AsyncInferenceClient(closed_url) as client:
        with pytest.raises(OSError) as info:
            await client.text_classification("hi")
    _check_refused(info.value, closed_url)


def _check_missing(error: BaseException, path: Path) -> None:
    assert isinstance(error, InputFileNotFoundError)
    assert isinstance(error, RequestError) and isinstance(error, ValueError)
    assert str(path) in str(error)


def test_sync_missing_file_is_file_not_found_before_any_request(
    server: LoopbackServer, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.png"
    with InferenceClient(server.url + "/err500") as client:
        for source in (missing, str(missing)):
            with pytest.raises(FileNotFoundError) as info:
                client.image_classification(source)
            _check_missing(info.value, missing)
        with pytest.raises(InputFileError, match="Is a directory") as directory:
            client.image_classification(tmp_path)
        assert isinstance(directory.value, OSError)
        assert not isinstance(directory.value, FileNotFoundError)
    assert server.requests == []


@pytest.mark.anyio
async def test_async_missing_file_is_file_not_found_before_any_request(
    server: LoopbackServer, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.flac"
    async with AsyncInferenceClient(server.url + "/err500") as client:
        with pytest.raises(FileNotFoundError) as info:
            await client.automatic_speech_recognition(str(missing))
    _check_missing(info.value, missing)
    assert server.requests == []
