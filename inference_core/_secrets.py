"""Which headers and URL parameters carry secrets, and how they are masked.

One rule for every place a secret could leak: redirects to another origin drop these headers
(``_plan``), debug logs and ``curl`` lines mask them (``_debug``), reprs never show them. A
header is secret when its name is a known credential header or contains ``auth``, ``key``,
``token``, ``secret``, ``password``, ``cookie``, ``session`` or ``signature`` (``X-Api-Key``,
``api-key``, ``X-Key``, ``X-Amz-Security-Token``...). A caller may name more with
``secret_headers=`` on the clients.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = ["is_secret_header", "mask", "mask_url"]

_SECRET_NAME = re.compile(r"auth|key|token|secret|password|passwd|cookie|session|signature", re.I)
_TOKEN = re.compile(r"\b(hf_|sk-|r8_|fal-|gsk_)?[A-Za-z0-9_\-]{6,}")


def is_secret_header(name: str, extra: frozenset[str] = frozenset()) -> bool:
    """True when a header called ``name`` carries a credential (``extra``: lower-case names
    the caller marked as secret)."""
    lowered = name.lower()
    return lowered in extra or _SECRET_NAME.search(lowered) is not None


def mask(value: str) -> str:
    """``"Bearer hf_abcdef..."`` -> ``"Bearer hf_***"``: the scheme and a known token prefix
    stay readable, the secret does not."""
    scheme, space, credential = value.partition(" ")
    if not space:
        scheme, credential = "", value
    match = _TOKEN.match(credential.strip())
    prefix = match.group(1) if match and match.group(1) else ""
    return f"{scheme} {prefix}***" if scheme else f"{prefix}***"


def mask_url(url: str) -> str:
    """``url`` with the values of secret-looking query parameters and any userinfo masked."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_secret_header(name) for name, _ in pairs):
            query = urlencode(
                [(name, "***" if is_secret_header(name) else value) for name, value in pairs],
                safe="*",
            )
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
