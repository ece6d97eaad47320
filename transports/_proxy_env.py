"""Which proxy a request goes through: proxy environment variables and ``NO_PROXY``, pure.

Strategy: two pure functions every transport shares, so ``trust_env=True`` means the same
thing everywhere. :func:`environ_proxies` reads ``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``
and ``NO_PROXY`` from a mapping (``os.environ`` by default) as curl, urllib and requests do:
any case, the lower-case spelling winning, ``HTTP_PROXY`` ignored in a CGI request (the
"httpoxy" rule), a URL without a scheme taken as ``http://``. :func:`bypasses` answers
``NO_PROXY`` for one host and port:

* ``*`` bypasses every host;
* ``example.com`` or ``.example.com`` matches that host and every subdomain (on a dot boundary:
  ``ample.com`` does not match ``example.com``);
* ``example.com:8080`` matches only that port;
* an IP address matches itself, a CIDR block (``10.0.0.0/8``) the addresses in it;
* the loopback names are one: ``localhost``, ``127.0.0.1`` (any ``127.x``) and ``::1`` each
  bypass all three, so a call to a local test server never goes through a proxy.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping

__all__ = ["bypasses", "environ_proxies"]

_SCHEMES = ("http", "https", "all", "no")


def environ_proxies(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """``{"http": url, "https": url, "all": url, "no_proxy": list}`` with only the keys set."""
    environ = os.environ if environ is None else environ
    found: dict[str, str] = {}
    for exact in (False, True):  # upper or mixed case first, then lower case wins
        for name, value in environ.items():
            lowered = name.lower()
            if (name == lowered) != exact or not lowered.endswith("_proxy") or not value:
                continue
            scheme = lowered[: -len("_proxy")]
            if scheme not in _SCHEMES:
                continue
            if name == "HTTP_PROXY" and "REQUEST_METHOD" in environ:
                continue  # httpoxy: in a CGI request, HTTP_PROXY is a header from the client
            found[scheme] = value.strip()
    proxies = {k: v if "://" in v else f"http://{v}" for k, v in found.items() if k != "no"}
    if "no" in found:
        proxies["no_proxy"] = found["no"]
    return proxies


def bypasses(host: str, port: int, no_proxy: str | None) -> bool:
    """True when ``NO_PROXY`` (a comma- or space-separated list) sends ``host:port`` direct."""
    if not no_proxy:
        return False
    host = host.strip("[]").rstrip(".").lower()
    address = _ip(host)
    for raw in no_proxy.replace(" ", ",").split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return True
        entry, entry_port = _split_port(entry)
        if entry_port is not None and entry_port != port:
            continue
        entry = entry.lstrip("*").lstrip(".").rstrip(".")
        if not entry:
            continue
        if _is_loopback(entry) and (_is_loopback(host)):
            return True
        if address is not None:
            if _ip_matches(address, entry):
                return True
        elif host == entry or host.endswith("." + entry):
            return True
    return False


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _split_port(entry: str) -> tuple[str, int | None]:
    """``host:port`` (or ``[v6]:port``) apart; a bare IPv6 address has no port."""
    if entry.startswith("["):
        address, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        return address, int(port) if port.isdigit() else None
    if entry.count(":") == 1:
        name, _, port = entry.partition(":")
        if port.isdigit():
            return name, int(port)
    return entry, None


def _ip_matches(address: ipaddress.IPv4Address | ipaddress.IPv6Address, entry: str) -> bool:
    if "/" in entry:
        try:
            return address in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    return address == _ip(entry)


def _is_loopback(name: str) -> bool:
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _ip(name)
    return address is not None and address.is_loopback
