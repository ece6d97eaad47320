"""Cassettes: the file format of recorded HTTP sessions, and request matching.

Strategy: a cassette is one JSON document, ``{"format": ..., "interactions": [...]}``, written
with two-space indents so each interaction, header and JSON body field sits on its own lines
and a re-recording diffs cleanly. An interaction holds the request, then either a whole
``response``, a streamed one (``"chunks"``, one entry per chunk as it arrived, and
``"truncated"`` when the caller stopped reading early), or the transport ``error`` it raised.
Headers are ``"name: value"`` strings (order and repeats kept). A body is ``null``, a string
(UTF-8 text), ``{"json": value}`` (JSON that re-encodes to exactly the same bytes, compactly or
with ``"format": "spaced"``) or ``{"base64": "..."}``; decoding gives back the exact bytes.

:class:`Scrubber` (from :mod:`transports.cassette_scrub`, re-exported here) removes secrets
before anything is written; the replay side scrubs incoming requests the same way before
matching, so a scrubbed cassette still matches the live request.
:func:`matches` compares two requests on a list of aspects (``"method"``, ``"url"``,
``"body"``, ...) or custom callables. Nothing here performs I/O except :meth:`Cassette.load` and
:meth:`Cassette.save`.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Union
from urllib.parse import parse_qsl, urlsplit

import attrs

from inference_core.transport import (
    ConnectError,
    Headers,
    InferenceTimeoutError,
    ReadError,
    RemoteProtocolError,
    Request,
    Response,
    ResponseTooLargeError,
    TransportError,
)

from .cassette_scrub import HF_TOKEN_PATTERN, Scrubber

__all__ = [
    "DEFAULT_MATCH",
    "FORMAT",
    "HF_TOKEN_PATTERN",
    "Cassette",
    "CassetteError",
    "Interaction",
    "Matcher",
    "Scrubber",
    "decode_body",
    "encode_body",
    "matches",
]

FORMAT = "hf-inference-cassette/1"

Matcher = Callable[[Request, Request], bool]
"""``matcher(incoming, recorded) -> bool``: a custom matching rule (both already scrubbed)."""

DEFAULT_MATCH: tuple[str, ...] = ("method", "url", "body")


class CassetteError(Exception):
    """A cassette cannot be read, or a replay went differently from the recording."""


# --- bodies -------------------------------------------------------------------------------------

_JSON_STYLES: dict[str, dict[str, Any]] = {
    "compact": {"separators": (",", ":"), "ensure_ascii": False},
    "spaced": {},
}


def encode_body(body: bytes | None) -> Any:
    """The cassette form of ``body``: None, ``{"json": ...}``, text, or ``{"base64": ...}``."""
    if body is None:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(body).decode("ascii")}
    if text[:1] in ("{", "["):
        try:
            value = json.loads(text)
        except ValueError:
            return text
        for style, options in _JSON_STYLES.items():
            if json.dumps(value, **options) == text:
                return {"json": value} if style == "compact" else {"json": value, "format": style}
    return text


def decode_body(value: Any) -> bytes | None:
    """The exact bytes :func:`encode_body` encoded."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, dict) and "base64" in value:
        try:
            return base64.b64decode(value["base64"], validate=True)
        except binascii.Error as exc:
            raise CassetteError(f"bad base64 body in cassette: {exc}") from exc
    if isinstance(value, dict) and "json" in value:
        options = _JSON_STYLES.get(value.get("format", "compact"))
        if options is None:
            raise CassetteError(f"unknown JSON body format in cassette: {value.get('format')!r}")
        return json.dumps(value["json"], **options).encode("utf-8")
    raise CassetteError(f"unknown body in cassette: {str(value)[:100]}")


def _encode_headers(headers: Headers) -> list[str]:
    return [f"{name}: {value}" for name, value in headers]


def _decode_headers(lines: Any) -> Headers:
    if not isinstance(lines, list):
        raise CassetteError(f"headers must be a list of 'name: value' strings, got {lines!r:.100}")
    pairs = []
    for line in lines:
        name, sep, value = str(line).partition(":")
        if not sep:
            raise CassetteError(f"bad header line in cassette: {line!r}")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


# --- interactions -------------------------------------------------------------------------------

_ERRORS: dict[str, type[TransportError]] = {
    cls.__name__: cls
    for cls in (
        ConnectError,
        InferenceTimeoutError,
        ReadError,
        RemoteProtocolError,
        ResponseTooLargeError,
        TransportError,
    )
}


def error_from(record: Any) -> TransportError:
    """The transport error a cassette's ``{"type", "message"}`` entry stands for."""
    kind = _ERRORS.get(str(record.get("type")), TransportError)
    return kind(str(record.get("message", "")))


def error_record(exc: BaseException) -> dict[str, str]:
    """A transport error as a cassette entry (the nearest of our error types by name)."""
    kind = next((cls for cls in type(exc).__mro__ if cls.__name__ in _ERRORS), TransportError)
    return {"type": kind.__name__, "message": str(exc)}


@attrs.define
class Interaction:
    """One recorded round trip.

    Attributes:
        request: what was sent (scrubbed).
        response: the answer; for a streamed one, ``body`` is every chunk joined.
        chunks: the body chunks as they arrived, for a streamed answer; None for ``send``.
        truncated: the caller stopped reading a streamed answer before its end.
        error: the transport error raised instead of (or in the middle of) an answer:
            ``{"type": "ReadError", "message": ...}``.
    """

    request: Request
    response: Response | None = None
    chunks: list[bytes] | None = None
    truncated: bool = False
    error: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        """The cassette entry."""
        request = self.request
        entry: dict[str, Any] = {
            "request": {
                "method": request.method,
                "url": request.url,
                "headers": _encode_headers(request.headers),
                "body": encode_body(request.body),
            }
        }
        if self.response is not None:
            answer: dict[str, Any] = {
                "status": self.response.status,
                "headers": _encode_headers(self.response.headers),
            }
            if self.chunks is None:
                answer["body"] = encode_body(self.response.body)
            else:
                answer["chunks"] = [encode_body(chunk) for chunk in self.chunks]
                if self.truncated:
                    answer["truncated"] = True
            entry["response"] = answer
        if self.error is not None:
            entry["error"] = self.error
        return entry

    @classmethod
    def from_json(cls, entry: Any) -> Interaction:
        """Read one cassette entry."""
        try:
            raw = entry["request"]
            request = Request(
                str(raw["method"]),
                str(raw["url"]),
                _decode_headers(raw.get("headers", [])),
                decode_body(raw.get("body")),
            )
            answer = entry.get("response")
            response = chunks = None
            if answer is not None:
                headers = _decode_headers(answer.get("headers", []))
                if "chunks" in answer:
                    chunks = [decode_body(c) or b"" for c in answer["chunks"]]
                    body = b"".join(chunks)
                else:
                    body = decode_body(answer.get("body")) or b""
                response = Response(int(answer["status"]), headers, body)
            error = entry.get("error")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise CassetteError(f"bad cassette entry ({exc!r}): {str(entry)[:200]}") from exc
        if response is None and error is None:
            raise CassetteError(f"cassette entry has neither response nor error: {entry!r:.200}")
        truncated = bool(answer.get("truncated")) if answer is not None else False
        return cls(request, response, chunks, truncated, error)


@attrs.define
class Cassette:
    """An ordered list of :class:`Interaction`, read from and written to a JSON file."""

    interactions: list[Interaction] = attrs.Factory(list)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Cassette:
        """Read the cassette at ``path``; CassetteError if it is missing or malformed."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CassetteError(f"no cassette at {os.fspath(path)!r}") from exc
        except ValueError as exc:
            raise CassetteError(f"cassette {os.fspath(path)!r} is not JSON: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise CassetteError(f"{os.fspath(path)!r} is not a cassette (expected {FORMAT!r})")
        return cls([Interaction.from_json(entry) for entry in data.get("interactions", [])])

    def dumps(self) -> str:
        """The cassette as text (what :meth:`save` writes)."""
        data = {"format": FORMAT, "interactions": [i.to_json() for i in self.interactions]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the cassette to ``path`` (creating its directory), replacing any file there."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(self.dumps(), encoding="utf-8")
        temporary.replace(target)


# --- matching -----------------------------------------------------------------------------------


def _canonical_url(url: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    query = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query


def _body_value(body: bytes | None) -> Any:
    if not body:
        return b""
    try:
        return ("json", json.loads(body))
    except ValueError:
        return body


_ASPECTS: dict[str, Callable[[Request, Request], bool]] = {
    "method": lambda a, b: a.method.upper() == b.method.upper(),
    "url": lambda a, b: _canonical_url(a.url) == _canonical_url(b.url),
    "host": lambda a, b: _canonical_url(a.url)[1] == _canonical_url(b.url)[1],
    "path": lambda a, b: _canonical_url(a.url)[2] == _canonical_url(b.url)[2],
    "query": lambda a, b: _canonical_url(a.url)[3] == _canonical_url(b.url)[3],
    "body": lambda a, b: _body_value(a.body) == _body_value(b.body),
    "headers": lambda a, b: sorted((k.lower(), v) for k, v in a.headers)
    == sorted((k.lower(), v) for k, v in b.headers),
}

MatchRule = Union[str, Matcher]


def check_match_on(match_on: Iterable[MatchRule]) -> tuple[MatchRule, ...]:
    """Validate a ``match_on`` list early (unknown aspect names are a ValueError)."""
    rules = tuple(match_on)
    for rule in rules:
        if isinstance(rule, str) and rule not in _ASPECTS:
            raise ValueError(f"unknown match aspect {rule!r}; known: {sorted(_ASPECTS)}")
        if not isinstance(rule, str) and not callable(rule):
            raise ValueError(f"match_on entries are aspect names or callables, got {rule!r}")
    return rules


def matches(incoming: Request, recorded: Request, match_on: Sequence[MatchRule]) -> bool:
    """Whether ``incoming`` matches ``recorded`` on every aspect or callable of ``match_on``.

    Aspects: ``method``, ``url`` (scheme, host, path and query, in any query order), ``host``,
    ``path``, ``query``, ``body`` (equal JSON values when both are JSON, else equal bytes) and
    ``headers`` (all of them, after scrubbing).
    """
    for rule in match_on:
        check = _ASPECTS[rule] if isinstance(rule, str) else rule
        if not check(incoming, recorded):
            return False
    return True


def describe(request: Request) -> str:
    """A one-line description of a request for error messages: method, URL, body start."""
    body = "" if not request.body else f" body={request.body[:160]!r}"
    return f"{request.method} {request.url}{body}"
