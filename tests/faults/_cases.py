"""The fault table: (fault, call, expected outcome) rows that every transport setup runs.

A :class:`Case` names the server's script (see ``_server.py``), the client call, the client's
options, and what must happen: the typed error (or success), how many requests the server saw,
how many stream items came before the error, how many ``on_retry`` events, and bounds on the
elapsed time. ``calls=2`` makes the same call twice on one client (the second must also work).

Rows state the documented outcome. Those that some setups miss today are listed, with the
reason, under "Known deviations" in ``docs/reliability.md``.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from typing import Any

import attrs

from inference_core import (
    GenerationError,
    HTTPStatusError,
    InferenceTimeoutError,
    ProviderError,
    ReadError,
    RemoteProtocolError,
    ResponseFormatError,
    ResponseTooLargeError,
)

from ._server import (
    Behaviour,
    chunked,
    declared_huge,
    drip,
    gzipped,
    gzipped_json,
    json_reply,
    raw,
    reply,
    reset,
    stall,
    status,
)

EMBEDDING = [[0.25, 0.5, 0.75]]
GENERATED = [{"generated_text": "hello"}]
INFO = {"model_id": "fault/model", "max_input_length": 1024}
TOKENS = ["a", "b"]
CHAT_WORDS = ["x", "y"]
MESSAGES = [{"role": "user", "content": "hi"}]
SLACK = 1.5  # seconds allowed past an expected expiry (shared CI cores)


def token_event(text: str) -> bytes:
    token = {"id": 1, "text": text, "logprob": 0.0, "special": False}
    return b"data: " + json.dumps({"token": token, "generated_text": None}).encode() + b"\n\n"


def chat_event(text: str) -> bytes:
    chunk = {
        "id": "c1",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}],
    }
    return b"data: " + json.dumps(chunk).encode() + b"\n\n"


_EMBEDDED = json.dumps(EMBEDDING).encode()
EVENTS = [token_event(text) for text in TOKENS]
DONE = b"data: [DONE]\n\n"
JSON_HEAD = (("content-type", "application/json"),)


def _head(code: int, *headers: str) -> bytes:
    return (f"HTTP/1.1 {code} X\r\n" + "".join(f"{h}\r\n" for h in headers) + "\r\n").encode()


def _retry_after_date(conn: Any, request: Any) -> bool:
    """A 429 whose Retry-After is an HTTP date one second from now (made when answering)."""
    now = time.time()
    when = email.utils.formatdate(now + 1, usegmt=True)
    date = email.utils.formatdate(now, usegmt=True)
    return status(429, ("retry-after", when), ("date", date))(conn, request)


# What each call expects on success.
OK: dict[str, Behaviour] = {
    "embed": json_reply(EMBEDDING),
    "generate": json_reply(GENERATED),
    "info": json_reply(INFO),
    "stream": chunked([*EVENTS, DONE]),
    "chat_stream": chunked([*(chat_event(w) for w in CHAT_WORDS), DONE]),
}
RESULT: dict[str, Any] = {
    "embed": EMBEDDING,
    "generate": "hello",
    "info": INFO,
    "stream": TOKENS,
    "chat_stream": CHAT_WORDS,
}
METHOD = dict.fromkeys(RESULT, "POST") | {"info": "GET"}


@attrs.frozen
class Case:
    id: str
    script: tuple[Behaviour, ...]
    call: str  # a key of RESULT
    error: type[BaseException] | tuple[type[BaseException], ...] | None = None  # None: success
    requests: int = 1  # requests the server saw
    options: dict[str, Any] = attrs.field(factory=dict)  # client constructor options
    per_call: dict[str, Any] = attrs.field(factory=dict)  # task method options
    view: dict[str, Any] | None = None  # call through client.with_options(**view)
    items: int = 0  # stream items yielded before the error
    match: str | None = None  # a substring of str(error)
    retries: int | None = None  # on_retry events (passes on_retry= when set)
    elapsed: tuple[float, float] | None = None  # (min, max) seconds
    calls: int = 1
    pause: float = 0.0  # seconds between calls (an idle pooled connection)
    kept: bool = False  # the response ended cleanly: its connection may stay pooled
    needs: str = ""  # the API this row depends on (for the report), "" if already there
    check: Callable[[Any, Any], None] | None = None  # (server, error) extra assertions


def _bounded_send(server: Any, _: Any) -> None:
    assert server.bytes_sent < 64 * 2**20, f"the client read on: {server.bytes_sent} bytes sent"


def _asks_for_gzip(server: Any, _: Any) -> None:
    (request,) = server.requests
    offered = {v.strip() for v in (request.header("accept-encoding") or "").split(",")}
    assert {"gzip", "deflate"} <= offered, request.header("accept-encoding")


def _status_is(code: int) -> Callable[[Any, Any], None]:
    def check(_: Any, error: Any) -> None:
        assert error.status == code

    return check


CUT = (ReadError, RemoteProtocolError)  # a connection lost mid-response: either is documented
CASES = [
    # Connections that end without a response.
    Case("reset-before-response-post", (reset(), OK["embed"]), "embed", CUT),
    Case("reset-before-response-get", (reset(), OK["info"]), "info", None, 2, retries=1,
         needs="retries"),
    Case("reset-before-response-get-no-retries", (reset(), OK["info"]), "info", CUT, 1,
         view={"max_retries": 0}, needs="with_options"),
    Case("close-before-response-post", (raw(b""), OK["embed"]), "embed", CUT),
    Case("close-before-response-get", (raw(b""), OK["info"]), "info", None, 2, retries=1,
         needs="retries"),
    # Bodies cut short, or longer than declared.
    Case("reset-mid-body-post",
         (raw(_head(200, "content-length: 100") + b"[[0.25,", then="reset"),), "embed", CUT),
    # A GET is idempotent: one cut mid-body is retried like one cut before its head.
    Case("reset-mid-body-get", (raw(_head(200, "content-length: 100") + b'{"a":', then="reset"),
                                OK["info"]), "info", None, 2, retries=1),
    Case("content-length-short", (raw(_head(200, "content-length: 100") + b"[[0.25, 0.5"),),
         "embed", RemoteProtocolError),
    Case("content-length-long",
         (raw(_head(200, "content-type: application/json", f"content-length: {len(_EMBEDDED)}")
              + _EMBEDDED + b"garbage after the body", then="wait", wait=5),
          OK["embed"]),
         "embed", None, 2, options={"timeout": 2}, calls=2),
    Case("chunked-cut-mid-chunk", (chunked([b"[[0.25,", b"0.5"], headers=JSON_HEAD, end="cut"),),
         "embed", RemoteProtocolError),
    Case("chunked-no-terminator", (chunked([b"[[0.25, 0.5]]"], headers=JSON_HEAD, end="close"),),
         "embed", RemoteProtocolError),
    # Peers that speak HTTP badly, or old-fashioned.
    Case("keepalive-closed-by-server",
         (raw(_head(200, "content-type: application/json", f"content-length: {len(_EMBEDDED)}")
              + _EMBEDDED),
          OK["embed"]),
         "embed", None, 2, calls=2, pause=0.2),
    Case("http10-close-delimited",
         (raw(b"HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n" + _EMBEDDED),),
         "embed", None),
    Case("informational-100-first",
         (raw(b"HTTP/1.1 100 Continue\r\n\r\n"
              + _head(200, "content-type: application/json", f"content-length: {len(_EMBEDDED)}",
                      "connection: close")
              + _EMBEDDED),),
         "embed", None),
    Case("not-http", (raw(b"SSH-2.0-OpenSSH_9.6\r\n\r\n"),), "embed", CUT),
    Case("conflicting-content-length",
         (raw(_head(200, "content-length: 5", "content-length: 19") + _EMBEDDED),), "embed",
         CUT),
    Case("huge-header", (raw(_head(200, "x-big: " + "a" * 200_000, "content-length: 2") + b"[]"),),
         "embed", CUT),
    Case("empty-200", (reply(200, JSON_HEAD, b""),), "embed", ResponseFormatError),
    Case("redirect-loop", (reply(307, (("location", "/again"),), b""),), "generate",
         RemoteProtocolError, 6, match="redirects", kept=True),
    # Stalls and drips: timeout is idle time, deadline the whole call.
    Case("stall-before-headers", (stall(),), "embed", InferenceTimeoutError,
         options={"timeout": 0.5}, elapsed=(0.4, 0.5 + SLACK)),
    Case("stall-before-headers-get", (stall(), OK["info"]), "info", InferenceTimeoutError,
         options={"timeout": 0.5}, elapsed=(0.4, 0.5 + SLACK)),
    Case("stall-before-headers-deadline", (stall(),), "embed", InferenceTimeoutError,
         options={"deadline": 0.8}, elapsed=(0.6, 0.8 + SLACK), needs="deadline"),
    Case("stall-before-headers-call-deadline", (stall(),), "generate", InferenceTimeoutError,
         per_call={"deadline": 0.8}, elapsed=(0.6, 0.8 + SLACK), needs="deadline"),
    Case("stall-mid-body", (stall(prefix=_head(200, "content-length: 100") + b"[[0.25,"),),
         "embed", InferenceTimeoutError, options={"timeout": 0.5}, elapsed=(0.4, 0.5 + SLACK)),
    Case("stall-mid-stream", (chunked([EVENTS[0]], end="stall"),), "stream",
         InferenceTimeoutError, items=1, options={"timeout": 0.5}, elapsed=(0.4, 0.5 + SLACK)),
    Case("stall-before-stream-head-deadline", (stall(),), "stream", InferenceTimeoutError,
         options={"deadline": 0.8}, elapsed=(0.6, 0.8 + SLACK), needs="deadline"),
    Case("drip-within-timeout", (drip(json.dumps(EMBEDDING).encode(), 0.05, JSON_HEAD),),
         "embed", None, options={"timeout": 0.5}, elapsed=(0.6, 10.0)),
    Case("drip-past-deadline", (drip(b" " * 400 + b"[]", 0.05, JSON_HEAD),), "embed",
         InferenceTimeoutError, options={"timeout": 0.5, "deadline": 1.0},
         elapsed=(0.8, 1.0 + SLACK), needs="deadline between chunks"),
    # Success statuses with bodies we cannot read.
    Case("malformed-json-200", (reply(200, JSON_HEAD, b'[[0.25, "'),), "embed",
         ResponseFormatError),
    Case("invalid-utf8-json-200", (reply(200, JSON_HEAD, b'[{"generated_text": "\xff\xfe"}]'),),
         "generate", ResponseFormatError),
    Case("gzip-json", (gzipped_json(EMBEDDING),), "embed", None, needs="gzip"),
    Case("accept-encoding-sent", (OK["embed"],), "embed", None, check=_asks_for_gzip,
         needs="Accept-Encoding"),
    # Error statuses: retried only where safe.
    Case("html-502-post", (reply(502, (("content-type", "text/html"),),
                                 b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
                           OK["embed"]), "embed", HTTPStatusError, match="502",
         check=_status_is(502)),
    Case("html-502-get", (reply(502, (("content-type", "text/html"),), b"<html>502</html>"),
                          OK["info"]), "info", None, 2, retries=1, needs="retries"),
    Case("504-get", (status(504), OK["info"]), "info", None, 2, retries=1, needs="retries"),
    Case("408-get", (status(408), OK["info"]), "info", None, 2, retries=1, needs="retries"),
    Case("504-post", (status(504), OK["generate"]), "generate", HTTPStatusError,
         check=_status_is(504)),
    Case("429-retry-after-0", (status(429, ("retry-after", "0")), OK["embed"]), "embed", None,
         2, retries=1, needs="retries"),
    Case("429-retry-after-date", (_retry_after_date, OK["embed"]),
         "embed", None, 2, retries=1, elapsed=(0.0, 2.0 + SLACK), needs="retries"),
    Case("503-retry-after-ms", (status(503, ("retry-after-ms", "50")), OK["generate"]),
         "generate", None, 2, retries=1, needs="retries"),
    Case("503-estimated-time",
         (status(503, body={"error": "loading", "estimated_time": 0.1}), OK["generate"]),
         "generate", None, 2, retries=1, needs="retries"),
    Case("429-retry-after-too-long", (status(429, ("retry-after", "120")), OK["embed"]), "embed",
         HTTPStatusError, retries=0, elapsed=(0.0, SLACK), check=_status_is(429),
         needs="retries"),
    Case("429-always", (status(429, ("retry-after", "0")),), "embed", HTTPStatusError, 3,
         retries=2, check=_status_is(429), needs="retries"),
    Case("429-no-retries-per-call", (status(429, ("retry-after", "0")), OK["embed"]), "generate",
         HTTPStatusError, 1, per_call={"max_retries": 0}, check=_status_is(429),
         needs="retries"),
    Case("429-with-options-no-retries", (status(429, ("retry-after", "0")), OK["embed"]), "embed",
         HTTPStatusError, 1, view={"max_retries": 0}, check=_status_is(429),
         needs="with_options"),
    Case("stall-with-options-deadline", (stall(),), "embed", InferenceTimeoutError,
         view={"deadline": 0.8}, elapsed=(0.6, 0.8 + SLACK), needs="with_options"),
    Case("stall-with-options-timeout", (stall(),), "embed", InferenceTimeoutError,
         view={"timeout": 0.5}, elapsed=(0.4, 0.5 + SLACK), needs="with_options"),
    Case("huge-with-options-limit", (declared_huge(2**30),), "embed", ResponseTooLargeError,
         view={"max_response_bytes": 2**20}, elapsed=(0.0, 5.0), check=_bounded_send,
         needs="with_options"),
    Case("stream-items-past-deadline", (chunked([*EVENTS, DONE], delay=0.6),), "stream", None,
         options={"deadline": 0.5, "timeout": 2}, elapsed=(1.0, 1.2 + SLACK),
         needs="deadline (a stream's ends at its head)"),
    Case("429-on-stream-open", (status(429, ("retry-after", "0")), OK["stream"]), "stream",
         None, 2, retries=1, needs="retries"),
    # Streams that break: never retried once an item was yielded.
    Case("stream-reset-mid-stream", (chunked([EVENTS[0]], end="reset"), OK["stream"]), "stream",
         CUT, items=1),
    Case("stream-cut-mid-chunk", (chunked([EVENTS[0], b"data: {"], end="cut"), OK["stream"]),
         "stream", RemoteProtocolError, items=1),
    Case("sse-malformed", (chunked([b"this is not an event stream\n"]),), "stream",
         ResponseFormatError, match="this is not an event stream"),
    Case("sse-invalid-json-data", (chunked([EVENTS[0], b"data: {oops\n\n"]),), "stream",
         RemoteProtocolError, items=1, match="{oops", kept=True),
    Case("sse-partial-event", (chunked([EVENTS[0], b'data: {"token": {"te']),), "stream",
         RemoteProtocolError, items=1, kept=True),
    Case("sse-error-event-tgi",
         (chunked([EVENTS[0], b'data: {"error": "CUDA out of memory", '
                              b'"error_type": "generation"}\n\n']),),
         "stream", GenerationError, items=1, match="CUDA out of memory"),
    Case("sse-error-event-json",
         (chunked([EVENTS[0], b'event: error\ndata: {"message": "upstream died"}\n\n']),),
         "stream", ProviderError, items=1, match="upstream died"),
    Case("sse-error-event-not-json",
         (chunked([EVENTS[0], b"event: error\ndata: upstream died badly\n\n"]),),
         "stream", ProviderError, items=1, match="upstream died badly"),
    Case("chat-sse-openai-error",
         (chunked([chat_event("x"), b'data: {"error": {"message": "rate limited", '
                                    b'"type": "rate_limit"}}\n\n']),),
         "chat_stream", ProviderError, items=1, match="rate limited"),
    # Size limits: reading stops at max_response_bytes.
    Case("huge-declared", (declared_huge(2**30),), "embed", ResponseTooLargeError,
         options={"max_response_bytes": 2**20}, elapsed=(0.0, 5.0), check=_bounded_send,
         needs="max_response_bytes"),
    Case("huge-chunked", (declared_huge(2**30, as_chunks=True),), "embed", ResponseTooLargeError,
         options={"max_response_bytes": 2**20}, elapsed=(0.0, 5.0), check=_bounded_send,
         needs="max_response_bytes"),
]
_ENDLESS_LINE = [b"data: ", *[b"a" * 65536] * 16384]  # 1 GiB without a line break
CASES.append(
    Case("sse-endless-line", (chunked(_ENDLESS_LINE),), "stream", ResponseTooLargeError,
         options={"max_response_bytes": 2**20}, elapsed=(0.0, 5.0), check=_bounded_send,
         needs="max_response_bytes bounds a stream's event")
)
CASES.append(
    Case("gzip-bomb", (gzipped(b" " * (64 * 2**20) + b"[]"),), "embed", ResponseTooLargeError,
         options={"max_response_bytes": 2**20}, elapsed=(0.0, 5.0), kept=True,
         needs="max_response_bytes after gzip decoding")
)
CASE_IDS = [case.id for case in CASES]

KNOWN_DEVIATIONS = {
    ("content-length-long", "requests"): "urllib3 pools the connection holding the extra bytes;"
    " the next answer is read from them (docs/reliability.md, Known deviations)",
    ("content-length-long", "aiohttp"): "aiohttp reads the extra bytes as the next answer and"
    " fails that call (docs/reliability.md, Known deviations)",
}
"""(case, transport) pairs whose documented outcome the library used underneath prevents:
run as strict xfails, so a fix shows up as a failure to update."""


def call_sync(client: Any, call: str, items: list[Any], **per_call: Any) -> Any:
    """Make ``call`` on a blocking client; stream items are appended to ``items`` as they come."""
    if call == "embed":
        return client.feature_extraction("hi", **per_call).tolist()
    if call == "generate":
        return client.text_generation("hi", **per_call)
    if call == "info":
        return client.get_endpoint_info(**per_call)
    if call == "stream":
        for token in client.text_generation("hi", stream=True, **per_call):
            items.append(token)
        return items
    for chunk in client.chat_completion(MESSAGES, stream=True, **per_call):
        items.append(chunk.choices[0].delta.content)
    return items


async def call_async(client: Any, call: str, items: list[Any], **per_call: Any) -> Any:
    """The async twin of :func:`call_sync`."""
    if call == "embed":
        return (await client.feature_extraction("hi", **per_call)).tolist()
    if call == "generate":
        return await client.text_generation("hi", **per_call)
    if call == "info":
        return await client.get_endpoint_info(**per_call)
    if call == "stream":
        async for token in await client.text_generation("hi", stream=True, **per_call):
            items.append(token)
        return items
    async for chunk in await client.chat_completion(MESSAGES, stream=True, **per_call):
        items.append(chunk.choices[0].delta.content)
    return items
