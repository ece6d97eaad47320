"""Secret scrubbing for cassettes: what never reaches a recorded file.

Strategy: a :class:`Scrubber` is a frozen value listing what is secret: header names (exact,
or containing a word such as ``key`` or ``token``), URL query parameters (likewise), and byte
patterns replaced anywhere (by default ``hf_`` tokens). The recorder applies it to every
request, response and stream chunk before writing; the replayer applies it to incoming
requests before matching. Only copies are scrubbed: live traffic is never changed.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import attrs

from inference_core.transport import Headers, Request, Response

__all__ = ["HF_TOKEN_PATTERN", "Scrubber"]

HF_TOKEN_PATTERN = re.compile(rb"(?<![A-Za-z0-9])hf_[A-Za-z0-9]{16,}")
"""What an ``hf_`` token looks like in a body, URL or header (real ones have 34+ characters)."""

# --- scrubbing ----------------------------------------------------------------------------------

_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-key", "api-key"}
)
_SECRET_WORDS = ("key", "token", "secret", "password", "signature", "credential")
_SECRET_PARAMS = frozenset({"token", "key", "api_key", "apikey", "access_token", "auth", "sig"})


@attrs.frozen
class Scrubber:
    """What to remove from requests and responses before they are written to a cassette.

    Args:
        headers: header names (any case) whose value is replaced; an ``Authorization``-style
            value keeps its scheme (``Bearer ***``).
        header_words: also replace any header whose name contains one of these words.
        query_params: URL query parameters whose value is replaced.
        param_words: also replace any query parameter whose name contains one of these words.
        patterns: byte regexes replaced everywhere (URLs, header values, bodies, chunks);
            by default ``hf_`` tokens, which become ``hf_***``.
        keep_headers: header names never replaced, whatever their name contains.
        replacement: what a secret becomes.

    ``Scrubber.none()`` removes nothing.
    """

    headers: frozenset[str] = _SECRET_HEADERS
    header_words: tuple[str, ...] = _SECRET_WORDS
    query_params: frozenset[str] = _SECRET_PARAMS
    param_words: tuple[str, ...] = _SECRET_WORDS
    patterns: tuple[re.Pattern[bytes], ...] = (HF_TOKEN_PATTERN,)
    keep_headers: frozenset[str] = frozenset()
    replacement: str = "***"

    @classmethod
    def none(cls) -> Scrubber:
        """A scrubber that keeps everything (for cassettes holding no secret at all)."""
        empty: frozenset[str] = frozenset()
        return cls(empty, (), empty, (), (), empty)

    def request(self, request: Request) -> Request:
        """``request`` with its secrets replaced (URL, headers, body)."""
        body = None if request.body is None else self.body(request.body)
        return Request(
            request.method, self.url(request.url), self.header_pairs(request.headers), body
        )

    def response(self, response: Response) -> Response:
        """``response`` with secret headers and body tokens replaced."""
        return Response(
            response.status, self.header_pairs(response.headers), self.body(response.body)
        )

    def body(self, body: bytes) -> bytes:
        """``body`` with every pattern replaced."""
        for pattern in self.patterns:
            body = pattern.sub(self._token_replacement, body)
        return body

    def url(self, url: str) -> str:
        """``url`` with secret query values and tokens replaced."""
        parts = urlsplit(self._text(url))
        if not parts.query:
            return urlunsplit(parts)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if not any(self._secret_param(name) for name, _ in pairs):
            return urlunsplit(parts)
        query = "&".join(
            f"{quote(name, safe='')}="
            + (self.replacement if self._secret_param(name) else quote(value, safe=""))
            for name, value in pairs
        )
        return urlunsplit(parts._replace(query=query))

    def header_pairs(self, headers: Headers) -> Headers:
        """``headers`` with secret values replaced."""
        return tuple((name, self._header_value(name, value)) for name, value in headers)

    def _header_value(self, name: str, value: str) -> str:
        lowered = name.lower()
        if lowered in {h.lower() for h in self.keep_headers}:
            return self._text(value)
        secret = lowered in {h.lower() for h in self.headers}
        if not secret and not any(word in lowered for word in self.header_words):
            return self._text(value)
        scheme, space, _ = value.partition(" ")
        if space and lowered in ("authorization", "proxy-authorization"):
            return f"{scheme} {self.replacement}"
        return self.replacement

    def _secret_param(self, name: str) -> bool:
        lowered = name.lower()
        return lowered in self.query_params or any(w in lowered for w in self.param_words)

    def _text(self, text: str) -> str:
        return self.body(text.encode("utf-8")).decode("utf-8")

    def _token_replacement(self, match: re.Match[bytes]) -> bytes:
        found = match.group(0)
        prefix = b"hf_" if found.startswith(b"hf_") else b""
        return prefix + self.replacement.encode("utf-8")
