"""``verify=`` means the same on every transport: a CA bundle path, False, or an SSLContext
used as is (and left unchanged), against a loopback TLS relay with a throwaway certificate."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from fake_service import LoopbackServer
from inference_core.transport import ConnectError, Request

from ._routes import route
from .conftest import AsyncFactory, SyncFactory
from .test_native import Relay, certificate

__all__ = ["certificate"]  # a fixture, imported to be found


@pytest.fixture
def tls_url(certificate: Path) -> Iterator[str]:
    with LoopbackServer(route) as server:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificate)
        relay = Relay(("127.0.0.1", int(server.url.rsplit(":", 1)[1])), context)
        try:
            yield f"https://127.0.0.1:{relay.address[1]}"
        finally:
            relay.close()


def verify_choices(certificate: Path) -> list[object]:
    trusting = ssl.create_default_context(cafile=str(certificate))
    blind = ssl.create_default_context()
    blind.check_hostname, blind.verify_mode = False, ssl.CERT_NONE
    return [str(certificate), False, trusting, blind]


def snapshot(verify: object) -> object:
    if isinstance(verify, ssl.SSLContext):
        return (verify.verify_mode, verify.check_hostname, verify.cert_store_stats())
    return verify


# requests (urllib3) warns on every unverified request, as it always has: its own convention.
@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_sync_verify_choices(make_sync: SyncFactory, tls_url: str, certificate: Path) -> None:
    for verify in verify_choices(certificate):
        before = snapshot(verify)
        with make_sync(timeout=5, verify=verify) as transport:
            for _ in range(2):
                assert transport.send(Request("GET", tls_url + "/echo")).status == 200
        assert snapshot(verify) == before  # a context is used as given, never changed
    with make_sync(timeout=5) as transport, pytest.raises(ConnectError):
        transport.send(Request("GET", tls_url + "/echo"))  # certifi does not know our CA


@pytest.mark.anyio
async def test_async_verify_choices(
    make_async: AsyncFactory, tls_url: str, certificate: Path
) -> None:
    for verify in verify_choices(certificate):
        before = snapshot(verify)
        async with make_async(timeout=5, verify=verify) as transport:
            for _ in range(2):
                assert (await transport.send(Request("GET", tls_url + "/echo"))).status == 200
        assert snapshot(verify) == before
    async with make_async(timeout=5) as transport:
        with pytest.raises(ConnectError):
            await transport.send(Request("GET", tls_url + "/echo"))
