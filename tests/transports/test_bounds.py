"""Every transport honours ``Request.deadline`` and ``Request.max_bytes``, and decodes gzip/deflate.

Run against a loopback server on every blocking transport (``make_sync``) and every async one on
each event loop it supports (``make_async``). Each test also checks that the server saw every
connection closed once the transport was, and (through conftest's collection at teardown) that
no socket leaked a ``ResourceWarning``.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc
import urllib.parse
import zlib
from collections.abc import Iterator

import pytest

from fake_service import LoopbackServer, Reply, ServerRequest, Stall, StreamReply
from inference_core.transport import (
    InferenceTimeoutError,
    RemoteProtocolError,
    Request,
    ResponseTooLargeError,
)

from .conftest import AsyncFactory, SyncFactory

pytestmark = pytest.mark.timeout(60)

TEXT = b"The quick brown fox jumps over the lazy dog. " * 2000  # 90 KB, compresses well
GZIPPED = gzip.compress(TEXT)
DEFLATED = zlib.compress(TEXT)
BOMB = gzip.compress(bytes(64 << 20), compresslevel=9)  # 64 MiB of zeros in ~64 KiB
LIMIT = 1 << 20


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _pieces(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def route(request: ServerRequest) -> Reply | StreamReply | Stall:
    path = urllib.parse.urlsplit(request.target).path
    octets = (("content-type", "application/octet-stream"),)
    if path == "/plain":
        return Reply(200, octets, TEXT)
    if path == "/gzip":
        return Reply(200, (("content-encoding", "gzip"),), GZIPPED)
    if path == "/deflate":
        return Reply(200, (("content-encoding", "deflate"),), DEFLATED)
    if path == "/raw-deflate":
        return Reply(200, (("content-encoding", "deflate"),), _raw_deflate(TEXT))
    if path == "/gzip-stream":  # the compressed stream cut into 7-byte HTTP chunks
        return StreamReply(_pieces(GZIPPED, 7), headers=(("content-encoding", "gzip"),))
    if path == "/garbage":
        return Reply(200, (("content-encoding", "gzip"),), b"this is not gzip at all" * 10)
    if path == "/truncated":
        return Reply(200, (("content-encoding", "gzip"),), GZIPPED[:-20])
    if path == "/bomb":
        return Reply(200, (("content-encoding", "gzip"),), BOMB)
    if path == "/bomb-stream":
        return StreamReply(_pieces(BOMB, 16384), headers=(("content-encoding", "gzip"),))
    if path == "/big":
        return Reply(200, octets, bytes(4 * LIMIT))
    if path == "/big-chunked":  # no Content-Length: only counting can stop it
        return StreamReply([bytes(65536)] * 64, headers=octets)
    if path == "/drip":
        return StreamReply([b"x"] * 40, headers=octets, delay=0.5)
    if path == "/slow-events":
        return StreamReply([b"a", b"b", b"c"], delay=0.4)
    if path == "/stall":
        return Stall(30)
    return Reply(404)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(route) as server:
        yield server


def get(server: LoopbackServer, path: str, **fields: object) -> Request:
    return Request("GET", server.url + path, **fields)  # type: ignore[arg-type]


def in_(seconds: float) -> float:
    return time.monotonic() + seconds


def assert_server_saw_all_closed(server: LoopbackServer) -> None:
    """The server's side of every connection ended (the client closed its sockets)."""
    give_up = time.monotonic() + 3
    while server._open and time.monotonic() < give_up:
        time.sleep(0.02)
    assert not server._open


# ---- blocking transports ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_sync_send_decodes(make_sync: SyncFactory, server: LoopbackServer, path: str) -> None:
    with make_sync(timeout=5) as transport:
        response = transport.send(get(server, path))
        assert response.body == TEXT
        assert response.header("content-encoding") is None  # describes the wire, not the body
        assert response.header("content-length") is None
        plain = transport.send(get(server, "/plain"))
        assert plain.header("content-length") == str(len(TEXT))  # untouched when not encoded
    assert_server_saw_all_closed(server)


@pytest.mark.parametrize("path", ["/gzip", "/gzip-stream", "/deflate"])
def test_sync_stream_decodes(make_sync: SyncFactory, server: LoopbackServer, path: str) -> None:
    with make_sync(timeout=5) as transport:
        with transport.stream(get(server, path)) as response:
            assert "content-encoding" not in dict(response.headers)
            assert b"".join(response.chunks) == TEXT
        assert transport.send(get(server, "/plain")).body == TEXT  # the connection was reused
    assert server.connections_opened == 1
    assert_server_saw_all_closed(server)


@pytest.mark.parametrize("path", ["/garbage", "/truncated"])
def test_sync_broken_encoding_is_a_protocol_error(
    make_sync: SyncFactory, server: LoopbackServer, path: str
) -> None:
    with make_sync(timeout=5) as transport:
        with pytest.raises(RemoteProtocolError, match="gzip"):
            transport.send(get(server, path))
        with transport.stream(get(server, path)) as response, pytest.raises(RemoteProtocolError):
            b"".join(response.chunks)
        assert transport.send(get(server, "/plain")).status == 200
    assert_server_saw_all_closed(server)


def test_sync_max_bytes(make_sync: SyncFactory, server: LoopbackServer) -> None:
    with make_sync(timeout=5) as transport:
        assert transport.send(get(server, "/plain", max_bytes=len(TEXT))).body == TEXT
        with pytest.raises(ResponseTooLargeError, match=f"max_bytes={len(TEXT) - 1}"):
            transport.send(get(server, "/plain", max_bytes=len(TEXT) - 1))
        started = time.monotonic()
        with pytest.raises(ResponseTooLargeError) as info:  # declared too large: fails fast
            transport.send(get(server, "/big", max_bytes=LIMIT))
        assert time.monotonic() - started < 1
        assert str(LIMIT) in str(info.value) and "/big" in str(info.value)
        assert transport.send(get(server, "/gzip", max_bytes=len(TEXT))).body == TEXT
        with pytest.raises(ResponseTooLargeError):  # the decoded size counts
            transport.send(get(server, "/gzip", max_bytes=len(GZIPPED) + 10))
        with pytest.raises(ResponseTooLargeError):
            transport.send(get(server, "/big-chunked", max_bytes=LIMIT))
        opened = server.connections_opened
        assert transport.send(get(server, "/plain")).body == TEXT
        assert server.connections_opened == opened + 1  # cut mid-body: closed, not reused
    assert_server_saw_all_closed(server)


def test_sync_decompression_bomb_stays_bounded(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=10) as transport:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError):
                transport.send(get(server, "/bomb", max_bytes=LIMIT))
            with transport.stream(get(server, "/bomb-stream")) as response:
                for _, chunk in zip(range(100), response.chunks, strict=False):
                    assert len(chunk) <= 65536  # pieces stay small however well it inflates
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 16 * LIMIT  # far below the 64 MiB the bomb inflates to
    assert_server_saw_all_closed(server)


def test_sync_deadline_bounds_a_dripping_body(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=5) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            transport.send(get(server, "/drip", timeout=2, deadline=in_(2)))
        assert time.monotonic() - started < 2 + 0.75
        assert transport.send(get(server, "/plain")).status == 200
    assert_server_saw_all_closed(server)


def test_sync_deadline_bounds_the_wait_for_the_head(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=10) as transport:
        for opened in (transport.send, lambda r: transport.stream(r).__enter__()):
            started = time.monotonic()
            with pytest.raises(InferenceTimeoutError):
                opened(get(server, "/stall", deadline=in_(0.5)))
            assert time.monotonic() - started < 0.5 + 0.75


def test_sync_past_deadline_sends_nothing(make_sync: SyncFactory, server: LoopbackServer) -> None:
    with make_sync(timeout=5) as transport:
        with pytest.raises(InferenceTimeoutError):
            transport.send(get(server, "/plain", deadline=in_(-1)))
        with pytest.raises(InferenceTimeoutError), transport.stream(
            get(server, "/plain", deadline=in_(-1))
        ):
            pass
    assert server.connections_opened == 0


def test_sync_stream_deadline_bounds_only_the_head(
    make_sync: SyncFactory, server: LoopbackServer
) -> None:
    with make_sync(timeout=5) as transport:
        with transport.stream(get(server, "/slow-events", deadline=in_(0.3))) as response:
            assert b"".join(response.chunks) == b"abc"  # 0.8 s of chunks, past the deadline
        assert transport.send(get(server, "/plain", deadline=in_(5))).body == TEXT
    assert_server_saw_all_closed(server)


# ---- async transports -------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
async def test_async_send_decodes(
    make_async: AsyncFactory, server: LoopbackServer, path: str
) -> None:
    async with make_async(timeout=5) as transport:
        response = await transport.send(get(server, path))
        assert response.body == TEXT
        assert response.header("content-encoding") is None
        assert response.header("content-length") is None
    assert_server_saw_all_closed(server)


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/gzip", "/gzip-stream", "/deflate"])
async def test_async_stream_decodes(
    make_async: AsyncFactory, server: LoopbackServer, path: str
) -> None:
    async with make_async(timeout=5) as transport:
        async with transport.stream(get(server, path)) as response:
            assert "content-encoding" not in dict(response.headers)
            assert b"".join([chunk async for chunk in response.chunks]) == TEXT
        assert (await transport.send(get(server, "/plain"))).body == TEXT
    assert server.connections_opened == 1
    assert_server_saw_all_closed(server)


@pytest.mark.anyio
@pytest.mark.parametrize("path", ["/garbage", "/truncated"])
async def test_async_broken_encoding_is_a_protocol_error(
    make_async: AsyncFactory, server: LoopbackServer, path: str
) -> None:
    async with make_async(timeout=5) as transport:
        with pytest.raises(RemoteProtocolError, match="gzip"):
            await transport.send(get(server, path))
        async with transport.stream(get(server, path)) as response:
            with pytest.raises(RemoteProtocolError):
                _ = [chunk async for chunk in response.chunks]
        assert (await transport.send(get(server, "/plain"))).status == 200
    assert_server_saw_all_closed(server)


@pytest.mark.anyio
async def test_async_max_bytes(make_async: AsyncFactory, server: LoopbackServer) -> None:
    async with make_async(timeout=5) as transport:
        assert (await transport.send(get(server, "/plain", max_bytes=len(TEXT)))).body == TEXT
        with pytest.raises(ResponseTooLargeError):
            await transport.send(get(server, "/plain", max_bytes=len(TEXT) - 1))
        started = time.monotonic()
        with pytest.raises(ResponseTooLargeError) as info:
            await transport.send(get(server, "/big", max_bytes=LIMIT))
        assert time.monotonic() - started < 1
        assert str(LIMIT) in str(info.value) and "/big" in str(info.value)
        with pytest.raises(ResponseTooLargeError):
            await transport.send(get(server, "/gzip", max_bytes=len(GZIPPED) + 10))
        with pytest.raises(ResponseTooLargeError):
            await transport.send(get(server, "/big-chunked", max_bytes=LIMIT))
        opened = server.connections_opened
        assert (await transport.send(get(server, "/plain"))).body == TEXT
        assert server.connections_opened == opened + 1  # cut mid-body: closed, not reused
    assert_server_saw_all_closed(server)


@pytest.mark.anyio
async def test_async_decompression_bomb_stays_bounded(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=10) as transport:
        tracemalloc.start()
        try:
            with pytest.raises(ResponseTooLargeError):
                await transport.send(get(server, "/bomb", max_bytes=LIMIT))
            async with transport.stream(get(server, "/bomb-stream")) as response:
                count = 0
                async for chunk in response.chunks:
                    assert len(chunk) <= 65536
                    count += 1
                    if count == 100:
                        break
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 16 * LIMIT
    assert_server_saw_all_closed(server)


@pytest.mark.anyio
async def test_async_deadline_bounds_a_dripping_body(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=5) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            await transport.send(get(server, "/drip", timeout=2, deadline=in_(2)))
        assert time.monotonic() - started < 2 + 0.75
        assert (await transport.send(get(server, "/plain"))).status == 200
    assert_server_saw_all_closed(server)


@pytest.mark.anyio
async def test_async_deadline_bounds_the_wait_for_the_head(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=10) as transport:
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            await transport.send(get(server, "/stall", deadline=in_(0.5)))
        assert time.monotonic() - started < 0.5 + 0.75
        started = time.monotonic()
        with pytest.raises(InferenceTimeoutError):
            async with transport.stream(get(server, "/stall", deadline=in_(0.5))):
                pass
        assert time.monotonic() - started < 0.5 + 0.75
        assert (await transport.send(get(server, "/plain"))).status == 200


@pytest.mark.anyio
async def test_async_past_deadline_sends_nothing(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=5) as transport:
        with pytest.raises(InferenceTimeoutError):
            await transport.send(get(server, "/plain", deadline=in_(-1)))
        with pytest.raises(InferenceTimeoutError):
            async with transport.stream(get(server, "/plain", deadline=in_(-1))):
                pass
    assert server.connections_opened == 0


@pytest.mark.anyio
async def test_async_stream_deadline_bounds_only_the_head(
    make_async: AsyncFactory, server: LoopbackServer
) -> None:
    async with make_async(timeout=5) as transport:
        async with transport.stream(get(server, "/slow-events", deadline=in_(0.3))) as response:
            assert b"".join([chunk async for chunk in response.chunks]) == b"abc"
        assert (await transport.send(get(server, "/plain", deadline=in_(5)))).body == TEXT
    assert_server_saw_all_closed(server)
