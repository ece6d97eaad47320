"""The call policy (``_policy.governed``): retries stepped by hand, without waiting.

Each test drives a plan wrapped in ``governed`` with ``next``/``send``/``throw``, as a driver
would, and checks the effects it yields: the retried request, the ``Sleep`` before it, and what
the inner plan finally sees.
"""

from __future__ import annotations

from typing import Any

import pytest

from inference_core import (
    ConnectError,
    InferenceTimeoutError,
    ReadError,
    Request,
    RequestError,
    Response,
)
from inference_core._boundary import Open, ReadBody, Sleep
from inference_core._plan import Plan, send
from inference_core._policy import CallRecord, Policy, RetryEvent, governed
from inference_core._retry import RetryRules

POST = Request("POST", "https://router.example/v1/chat/completions", (), b"{}")
GET = Request("GET", "https://huggingface.co/api/models/gpt2")
FIXED = RetryRules(jitter=lambda: 0.0)  # backoff without randomness: 0.5 * 2**attempt * 0.5


def policy(**changes: Any) -> Policy:
    return Policy(rules=FIXED, **changes)


def sending(request: Request) -> Plan[Response]:
    return (yield from send(request))


def start(plan: Plan[Any]) -> Any:
    return next(plan)


def finish(plan: Plan[Any], reply: Any) -> Any:
    with pytest.raises(StopIteration) as stop:
        plan.send(reply)
    return stop.value.value


def test_429_is_retried_after_retry_after_then_the_plan_sees_the_success() -> None:
    record = CallRecord()
    plan = governed(sending(POST), policy(), record)
    first = start(plan)
    assert first.url == POST.url and first.max_bytes == Policy().max_response_bytes
    assert plan.send(Response(429, (("retry-after", "3"),))) == Sleep(3.0)
    assert plan.send(None) == first  # the same request again
    result = finish(plan, Response(200, (), b"ok"))
    assert result.body == b"ok"
    assert [event.delay for event in record.retries] == [3.0]
    assert record.response is not None and record.response.status == 200


def test_retries_stop_at_max_retries_and_the_plan_sees_the_last_error_status() -> None:
    plan = governed(sending(POST), policy(max_retries=2))
    start(plan)
    delays = []
    for _ in range(2):
        sleep = plan.send(Response(503))
        assert isinstance(sleep, Sleep)
        delays.append(sleep.seconds)
        assert isinstance(plan.send(None), Request)
    assert delays == [0.25, 0.5]  # exponential: 0.5 * 2**n, times the (fixed) jitter factor 0.5
    with pytest.raises(Exception) as raised:
        plan.send(Response(503, (), b'{"error": "overloaded"}'))
    assert "overloaded" in str(raised.value)


def test_max_retries_zero_never_retries() -> None:
    plan = governed(sending(GET), policy(max_retries=0))
    start(plan)
    with pytest.raises(Exception, match="503"):
        plan.send(Response(503, (), b"busy"))


@pytest.mark.parametrize("status", [408, 502, 504])
def test_gateway_errors_are_retried_for_get_but_never_for_post(status: int) -> None:
    get = governed(sending(GET), policy())
    start(get)
    assert isinstance(get.send(Response(status)), Sleep)
    post = governed(sending(POST), policy())
    start(post)
    with pytest.raises(Exception, match=str(status)):
        post.send(Response(status, (), b"bad gateway"))


def test_a_refused_connection_is_retried_even_for_post() -> None:
    plan = governed(sending(POST), policy())
    start(plan)
    assert isinstance(plan.throw(ConnectError("refused")), Sleep)
    assert plan.send(None).url == POST.url
    assert finish(plan, Response(200, (), b"{}")).status == 200


def test_a_reset_after_sending_is_retried_for_get_only() -> None:
    get = governed(sending(GET), policy())
    start(get)
    assert isinstance(get.throw(ReadError("reset")), Sleep)
    post = governed(sending(POST), policy())
    start(post)
    with pytest.raises(ReadError):
        post.throw(ReadError("reset"))


def test_timeouts_are_never_retried() -> None:
    plan = governed(sending(GET), policy())
    start(plan)
    with pytest.raises(InferenceTimeoutError):
        plan.throw(InferenceTimeoutError("slow"))


def test_loading_model_estimated_time_is_the_wait_and_is_capped() -> None:
    plan = governed(sending(POST), policy())
    start(plan)
    body = b'{"error": "Model gpt2 is currently loading", "estimated_time": 12.5}'
    assert plan.send(Response(503, (), body)) == Sleep(12.5)
    plan.send(None)
    assert plan.send(Response(503, (), b'{"estimated_time": 900}')) == Sleep(60.0)


def test_retry_after_beyond_the_cap_is_not_followed() -> None:
    plan = governed(sending(POST), policy())
    start(plan)
    with pytest.raises(Exception, match="429"):
        plan.send(Response(429, (("retry-after", "3600"),), b"slow down"))


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ((("retry-after-ms", "1500"),), 1.5),
        ((("retry-after-ms", "20"), ("retry-after", "9")), 0.02),
        (
            (
                ("date", "Wed, 02 Dec 2026 10:00:00 GMT"),
                ("retry-after", "Wed, 02 Dec 2026 10:00:07 GMT"),
            ),
            7.0,
        ),
        ((("retry-after", "Wed, 02 Dec 2026 10:00:07 GMT"),), 0.25),  # no Date: backoff
        ((("retry-after", "soon"),), 0.25),
    ],
)
def test_server_advice_forms(headers: tuple[tuple[str, str], ...], seconds: float) -> None:
    plan = governed(sending(GET), policy())
    start(plan)
    assert plan.send(Response(429, headers)) == Sleep(seconds)


def test_on_retry_hook_sees_each_retry() -> None:
    seen: list[RetryEvent] = []
    plan = governed(sending(POST), policy(on_retry=seen.append))
    start(plan)
    plan.send(Response(429, (("retry-after", "1"),)))
    plan.send(None)
    finish(plan, Response(200))
    assert [(e.attempt, e.delay, e.response and e.response.status) for e in seen] == [(1, 1.0, 429)]


def test_a_deadline_during_the_wait_raises_the_timeout_chained_to_the_failure() -> None:
    plan = governed(sending(POST), policy())
    start(plan)
    plan.throw(ConnectError("refused"))
    with pytest.raises(InferenceTimeoutError) as raised:
        plan.throw(InferenceTimeoutError("deadline"))
    assert isinstance(raised.value.__cause__, ConnectError)


def streaming(request: Request) -> Plan[Response]:
    head = yield Open(request)
    return head  # type: ignore[return-value]


def test_a_stream_whose_head_is_503_is_retried_before_the_plan_sees_it() -> None:
    plan = governed(streaming(POST), policy())
    assert isinstance(start(plan), Open)
    assert plan.send(Response(503)) == ReadBody(65536)  # read for estimated_time, then retry
    assert plan.send(b'{"estimated_time": 2}') == Sleep(2.0)
    assert isinstance(plan.send(None), Open)
    assert finish(plan, Response(200, (("content-type", "text/event-stream"),))).status == 200


def test_a_stream_with_a_forbidding_retry_after_reaches_the_plan_unread() -> None:
    plan = governed(streaming(POST), policy())
    start(plan)
    head = Response(429, (("retry-after", "999"),))
    assert finish(plan, head) is head  # the plan reads the body itself and raises


@pytest.mark.parametrize(
    "url",
    [
        "https://h/models/a\r\nX-Injected: 1",
        "https://h/models/a\x00b",
        "https://h/models/a b",
        "https://h/models/../admin",
        "https://h/models/%2E%2E/admin",
        "https://h/./x",
        "ftp://h/x",
        "/relative",
    ],
)
def test_a_bad_url_is_a_request_error_before_any_io(url: str) -> None:
    plan = governed(sending(Request("GET", url)), policy())
    with pytest.raises(RequestError):
        start(plan)


@pytest.mark.parametrize(
    "header",
    [("x-a", "v\r\nx-b: injected"), ("x-a", "v\nx"), ("x-a", "v\x00"), ("bad name", "v"),
     ("x:y", "v"), ("", "v")],
)  # fmt: skip
def test_a_bad_header_is_a_request_error_before_any_io(header: tuple[str, str]) -> None:
    plan = governed(sending(Request("GET", "https://h/x", (header,))), policy())
    with pytest.raises(RequestError):
        start(plan)


def test_good_urls_pass() -> None:
    for url in ("https://h/models/a..b", "https://h/x?path=/../y", "http://127.0.0.1:8080/.well"):
        plan = governed(sending(Request("GET", url, (("authorization", "Bearer x\ty"),))), policy())
        assert start(plan).url == url
