"""Proxy environment variables and ``NO_PROXY``: the pure rules, then every transport obeying them.

The routing tests run a loopback "proxy" (it answers every request itself, naming the target it
got) beside a loopback origin, with ``HTTP_PROXY`` pointing at the proxy.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest

from fake_service import LoopbackServer, Reply, ServerRequest
from inference_core.transport import Request
from transports import AsyncHttpcoreTransport, HttpcoreTransport, SocketTransport
from transports._pooling import resolve_proxies
from transports._proxy_env import bypasses, environ_proxies
from transports.aiohttp import AiohttpTransport
from transports.anyio import AnyioTransport
from transports.requests import RequestsTransport
from transports.trio import TrioTransport

from .conftest import AsyncFactory, SyncFactory

PROXY_NAMES = [f"{scheme}_proxy" for scheme in ("http", "https", "all", "no")]


# ---- the pure rules ---------------------------------------------------------------------------


def test_environ_proxies_any_case_lower_case_wins() -> None:
    environ = {
        "HTTP_PROXY": "http://upper:1",
        "http_proxy": "http://lower:1",
        "HTTPS_PROXY": "proxy.example:3128",  # no scheme: http:// assumed
        "All_Proxy": "http://all:1",
        "NO_PROXY": "localhost,.internal",
        "FTP_PROXY": "http://ftp:1",  # not ours
        "EMPTY_PROXY": "",
    }
    assert environ_proxies(environ) == {
        "http": "http://lower:1",
        "https": "http://proxy.example:3128",
        "all": "http://all:1",
        "no_proxy": "localhost,.internal",
    }


def test_environ_proxies_ignores_http_proxy_in_cgi() -> None:
    assert environ_proxies({"HTTP_PROXY": "http://evil:1", "REQUEST_METHOD": "GET"}) == {}
    assert environ_proxies({}) == {}


@pytest.mark.parametrize(
    ("host", "port", "no_proxy", "expected"),
    [
        ("example.com", 80, None, False),
        ("example.com", 80, "", False),
        ("anything.org", 443, "*", True),
        ("example.com", 80, "example.com", True),
        ("api.example.com", 80, "example.com", True),
        ("api.example.com", 80, ".example.com", True),
        ("api.example.com", 80, "*.example.com", True),
        ("example.com", 80, ".example.com", True),
        ("notexample.com", 80, "example.com", False),  # a dot boundary, not a bare suffix
        ("example.com", 8080, "example.com:8080", True),
        ("example.com", 80, "example.com:8080", False),
        ("EXAMPLE.com.", 80, "example.COM", True),
        ("example.com", 80, "other.org, example.com", True),
        ("example.com", 80, "other.org example.com", True),
        ("10.1.2.3", 80, "10.0.0.0/8", True),
        ("11.1.2.3", 80, "10.0.0.0/8", False),
        ("192.168.1.5", 80, "192.168.1.5", True),
        ("192.168.1.5", 80, "192.168.1.6", False),
        ("::1", 80, "::1", True),
        ("[2001:db8::1]", 80, "2001:db8::/32", True),
        ("2001:db8::1", 8080, "[2001:db8::1]:8080", True),
        ("127.0.0.1", 80, "127.0.0.1", True),
        ("127.0.0.1", 80, "localhost", True),  # the loopback names are one
        ("localhost", 80, "127.0.0.1", True),
        ("127.0.0.2", 80, "localhost", True),
        ("::1", 80, "localhost", True),
        ("127.0.0.1", 5000, "localhost:5000", True),
        ("127.0.0.1", 5001, "localhost:5000", False),
        ("example.com", 80, "localhost,127.0.0.1", False),
    ],
)
def test_bypasses(host: str, port: int, no_proxy: str | None, expected: bool) -> None:
    assert bypasses(host, port, no_proxy) is expected


def test_resolve_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://env:1")
    monkeypatch.setenv("NO_PROXY", "localhost")
    assert resolve_proxies(None, False) == (None, None)
    assert resolve_proxies(None, True) == ({"https": "http://env:1"}, "localhost")
    explicit = {"http": "http://mine:1", "no_proxy": "mine.org"}
    assert resolve_proxies(explicit, False) == ({"http": "http://mine:1"}, "mine.org")
    assert resolve_proxies(explicit, True) == (
        {"http": "http://mine:1", "https": "http://env:1"},
        "mine.org",  # the mapping's own no_proxy wins
    )
    assert resolve_proxies("http://p:1", True) == (
        {"http": "http://p:1", "https": "http://p:1"},
        "localhost",
    )


ALL_CLASSES = [
    SocketTransport,
    HttpcoreTransport,
    AsyncHttpcoreTransport,
    RequestsTransport,
    AiohttpTransport,
    AnyioTransport,
    TrioTransport,
]


@pytest.mark.parametrize("cls", ALL_CLASSES)
def test_every_transport_takes_verify_and_trust_env(cls: type) -> None:
    parameters = inspect.signature(cls).parameters
    for name in ("timeout", "proxies", "verify", "trust_env"):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
    assert parameters["verify"].default is True
    assert parameters["trust_env"].default is False


# ---- every transport routes by them -----------------------------------------------------------


@pytest.fixture
def origin() -> Iterator[LoopbackServer]:
    with LoopbackServer(lambda _: Reply(200, (), b"direct")) as server:
        yield server


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackServer]:
    def answer(request: ServerRequest) -> Reply:
        return Reply(200, (), b"proxy " + request.target.encode())

    for name in PROXY_NAMES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with LoopbackServer(answer) as server:
        monkeypatch.setenv("HTTP_PROXY", server.url)
        yield server


def no_proxy_values(origin: LoopbackServer) -> list[str]:
    port = origin.url.rsplit(":", 1)[1]
    return ["127.0.0.1", "localhost", "*", f"127.0.0.1:{port}", f"other.org, localhost:{port}"]


def test_sync_no_proxy_goes_direct(
    make_sync: SyncFactory,
    origin: LoopbackServer,
    proxy: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = Request("GET", origin.url + "/x")
    with make_sync(timeout=5) as transport:  # trust_env off: the environment is ignored
        assert transport.send(request).body == b"direct"
    with make_sync(timeout=5, trust_env=True) as transport:
        assert transport.send(request).body == b"proxy " + request.url.encode()
    for value in no_proxy_values(origin):
        monkeypatch.setenv("NO_PROXY", value)
        with make_sync(timeout=5, trust_env=True) as transport:
            assert transport.send(request).body == b"direct", value
            with transport.stream(request) as response:
                assert b"".join(response.chunks) == b"direct"
    monkeypatch.setenv("NO_PROXY", "example.com")
    with make_sync(timeout=5, trust_env=True) as transport:
        assert transport.send(request).body.startswith(b"proxy ")
    mapping = {"http": proxy.url, "no_proxy": "localhost"}
    with make_sync(timeout=5, proxies=mapping) as transport:
        assert transport.send(request).body == b"direct"
    assert len(origin.requests) == 2 + 2 * len(no_proxy_values(origin))


@pytest.mark.anyio
async def test_async_no_proxy_goes_direct(
    make_async: AsyncFactory,
    origin: LoopbackServer,
    proxy: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request = Request("GET", origin.url + "/x")
    async with make_async(timeout=5) as transport:
        assert (await transport.send(request)).body == b"direct"
    async with make_async(timeout=5, trust_env=True) as transport:
        assert (await transport.send(request)).body == b"proxy " + request.url.encode()
    for value in no_proxy_values(origin):
        monkeypatch.setenv("NO_PROXY", value)
        async with make_async(timeout=5, trust_env=True) as transport:
            assert (await transport.send(request)).body == b"direct", value
            async with transport.stream(request) as response:
                assert b"".join([c async for c in response.chunks]) == b"direct"
    monkeypatch.setenv("NO_PROXY", "example.com")
    async with make_async(timeout=5, trust_env=True) as transport:
        assert (await transport.send(request)).body.startswith(b"proxy ")
    mapping = {"http": proxy.url, "no_proxy": "localhost"}
    async with make_async(timeout=5, proxies=mapping) as transport:
        assert (await transport.send(request)).body == b"direct"
    assert len(origin.requests) == 2 + 2 * len(no_proxy_values(origin))
