"""What is specific to :class:`RequestsTransport`: the session, proxies, the environment, threads,
and the optional dependency. Everything else is in ``test_contract.py``."""

from __future__ import annotations

import importlib
import json
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import transports
from fake_service import LoopbackServer
from inference_core._boundary import Request
from inference_core._errors import ConnectError, RequestError
from transports.requests import RequestsTransport

from .conftest import seen_headers


class RecordingSession(requests.Session):
    closed = 0

    def close(self) -> None:
        self.closed += 1
        super().close()


def test_owned_session_is_closed_a_passed_one_is_used_as_configured(
    server: LoopbackServer,
) -> None:
    owned = RequestsTransport()
    owned.send(Request("GET", server.url + "/binary"))
    pools = owned._session.get_adapter(server.url).poolmanager.pools  # type: ignore[attr-defined]
    assert len(pools) == 1
    owned.close()
    assert len(pools) == 0
    mine = RecordingSession()
    mine.headers["X-Session"] = "mine"
    with RequestsTransport(session=mine, timeout=5) as transport:
        response = transport.send(Request("POST", server.url + "/echo", (), b""))
        assert seen_headers(response.body)["x-session"] == "mine"
    assert mine.closed == 0
    mine.close()
    with pytest.raises(ValueError, match="as configured"):
        RequestsTransport(session=mine, verify=False)


def test_explicit_proxy_with_credentials(server: LoopbackServer, refused_url: str) -> None:
    proxy = server.url.replace("http://", "http://user:pw@")
    with RequestsTransport(proxies=proxy, timeout=5) as transport:
        response = transport.send(Request("GET", refused_url + "echo?q=1"))
    echoed = json.loads(response.body)
    assert echoed["target"] == refused_url + "echo?q=1"  # absolute form: sent to the proxy
    assert seen_headers(response.body)["proxy-authorization"] == "Basic dXNlcjpwdw=="


def test_environment_proxies_only_with_trust_env(
    server: LoopbackServer, refused_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.setenv("http_proxy", server.url)
    with RequestsTransport(timeout=5) as transport, pytest.raises(ConnectError):
        transport.send(Request("GET", refused_url))  # default: the environment is ignored
    with RequestsTransport(timeout=5, trust_env=True) as transport:
        response = transport.send(Request("GET", refused_url + "echo"))
    assert json.loads(response.body)["target"] == refused_url + "echo"


def test_threads_share_one_transport(server: LoopbackServer) -> None:
    def call(i: int) -> bytes:
        return transport.send(Request("POST", server.url + "/slow", (), b"%d" % i)).body

    with RequestsTransport(timeout=10) as transport, ThreadPoolExecutor(8) as pool:
        assert list(pool.map(call, range(64))) == [b"%d" % i for i in range(64)]
    assert server.connections_opened <= 8


def test_bad_headers_and_options_are_rejected(server: LoopbackServer) -> None:
    with RequestsTransport() as transport:
        with pytest.raises(RequestError):
            transport.send(Request("GET", server.url + "/echo", (("X-Bad", "é\u20ac"),)))
        with pytest.raises(RequestError):
            transport.send(Request("GET", server.url + "/echo", (("X-Bad", "a\r\nb"),)))
    assert server.requests == []
    with pytest.raises(FileNotFoundError):
        RequestsTransport(verify="/no/such/bundle.pem")
    with pytest.raises(ValueError, match="timeout"):
        RequestsTransport(timeout=0)


def test_module_imports_without_requests_and_names_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "requests", None)  # makes `import requests` fail
    monkeypatch.delitem(sys.modules, "transports.requests")
    monkeypatch.setattr(transports, "requests", transports.requests)  # restored afterwards
    module = importlib.import_module("transports.requests")
    with pytest.raises(ImportError, match=r"pip install 'hf-inference-core\[requests\]'"):
        module.RequestsTransport()
