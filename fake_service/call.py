"""One request as the fake service's routes see it: which provider, which path, which body.

Strategy: the same request reaches the fake service in-process (an absolute URL such as
``https://api.together.xyz/v1/chat/completions``) or over HTTP (``/v1/...`` plus a ``Host``
header, which a rerouting transport sets to the original host). :func:`make_call` turns either
into a :class:`Call`: the provider is read from the host (a provider's own API host) or from
the first path segment (``router.huggingface.co/<provider>/...``, or the same prefix on the
loopback server), and that prefix is removed from :attr:`Call.path`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

from inference_core.providers import get_provider, provider_names

from .server import ServerRequest

__all__ = ["Call", "make_call", "provider_hosts"]

ROUTER_HOST = "router.huggingface.co"
_EXTRA_HOSTS = {"queue.fal.run": "fal-ai"}


@attrs.frozen
class Call:
    """A request routed by the fake service.

    Attributes:
        method: ``"GET"``, ``"POST"``...
        url: the absolute URL, as the client sent it.
        base: scheme and host the request came to (``"https://fal.run"``): result files and
            follow-up URLs are built on it, so they come back to the same place.
        path: the path without the provider prefix (``"/v1/chat/completions"``).
        query: the query parameters.
        provider: the provider the request is for, or None (the Hub, a URL model).
        routed_prefix: ``"/<provider>"`` when the path carried it, else ``""``.
        request: the request itself (headers, raw body).
    """

    method: str
    url: str
    base: str
    path: str
    query: dict[str, str]
    provider: str | None
    routed_prefix: str
    request: ServerRequest

    def json(self) -> Any:
        """The body decoded as JSON, or None when it is not JSON."""
        try:
            return json.loads(self.request.body)
        except ValueError:
            return None

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), or None."""
        lowered = name.lower()
        return next((v for k, v in self.request.headers if k.lower() == lowered), None)


def provider_hosts() -> dict[str, str]:
    """Host -> provider name, for every registered provider's own API host."""
    hosts = dict(_EXTRA_HOSTS)
    for name in provider_names():
        host = urlsplit(get_provider(name).base_url).netloc
        if host and host != ROUTER_HOST:
            hosts.setdefault(host, name)
    return hosts


def make_call(request: ServerRequest, url: str) -> Call:
    """The :class:`Call` for ``request``, whose absolute URL is ``url``."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    path = parts.path or "/"
    provider = provider_hosts().get(parts.netloc)
    prefix = ""
    if provider is None:
        first = path.split("/", 2)[1]
        if first in provider_names():
            provider, prefix = first, f"/{first}"
            path = path[len(prefix) :] or "/"
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return Call(request.method, url, base, path, query, provider, prefix, request)
