"""Plans stepped by hand, with no transport: each request asserted, each response fed back."""

from __future__ import annotations

import json
from typing import Any

import pytest

from inference_core import (
    BadRequestError,
    ChatCompletionOutput,
    ChatCompletionStreamOutput,
    Completed,
    HTTPStatusError,
    JSONStreamDecoder,
    ProviderError,
    RemoteProtocolError,
    Request,
    RequestError,
    Response,
    Streamed,
    TextGenerationOutput,
    ValidationError,
    chat_completion,
    text_generation,
)
from inference_core._boundary import MAX_BODY, Open, ReadBody
from inference_core._config import ClientConfig
from inference_core._errors import ResponseFormatError
from inference_core._plan import open_stream
from inference_core._wire import chat_url, filter_none
from tests.core._support import client_config

ROUTER = "https://router.huggingface.co/hf-inference/models"
UNUSED_KWARGS_MESSAGE = (
    "The following `model_kwargs` are not used by the model: ['watermark', 'details']"
)
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT_REPLY = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "acme/model",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hello"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


SSE_HEAD = Response(200, (("content-type", "text/event-stream"),))


def config(**kwargs: Any) -> ClientConfig:
    return client_config(**{"provider": "hf-inference", "token": "hf_test", **kwargs})


def first_request(plan: Any) -> Request:
    request = next(plan)
    assert isinstance(request, Request)
    return request


def finish(plan: Any, response: Response) -> Any:
    """Send the last response; the plan must return a ``Completed`` result, which is unwrapped."""
    with pytest.raises(StopIteration) as stop:
        plan.send(response)
    result = stop.value.value
    assert isinstance(result, Completed)
    return result.value


def body(request: Request) -> Any:
    assert request.body is not None
    return json.loads(request.body)


def ok(payload: Any) -> Response:
    return Response(200, (("content-type", "application/json"),), json.dumps(payload).encode())


def test_chat_on_router_one_round_trip() -> None:
    plan = chat_completion(config(), MESSAGES, model="acme/model", max_tokens=8)
    request = first_request(plan)
    assert (request.method, request.url) == ("POST", f"{ROUTER}/acme/model/v1/chat/completions")
    assert request.header("authorization") == "Bearer hf_test"
    assert request.header("content-type") == "application/json"
    assert list(body(request)) == ["model", "max_tokens", "stream", "messages"]
    assert body(request) == {
        "model": "acme/model",
        "max_tokens": 8,
        "stream": False,
        "messages": MESSAGES,
    }
    output = finish(plan, ok(CHAT_REPLY))
    assert isinstance(output, ChatCompletionOutput)
    assert output.choices[0].message.content == "Hello"
    assert output["usage"]["total_tokens"] == 2


@pytest.mark.parametrize(
    ("client_model", "call_model", "url", "payload_model"),
    [
        (None, "acme/m", f"{ROUTER}/acme/m/v1/chat/completions", "acme/m"),
        # The call's model wins for the route too (huggingface_hub posted to the client's model
        # URL with the call's model in the payload); a URL client model still wins.
        ("org/cm", "org/other", f"{ROUTER}/org/other/v1/chat/completions", "org/other"),
        ("http://localhost:8080/v1", "gpt-x", "http://localhost:8080/v1/chat/completions", "gpt-x"),
        ("http://localhost:8080", None, "http://localhost:8080/v1/chat/completions", "dummy"),
        ("https://e/custom_path", None, "https://e/custom_path/v1/chat/completions", "dummy"),
    ],
)
def test_chat_model_precedence(
    client_model: str | None, call_model: str | None, url: str, payload_model: str
) -> None:
    request = first_request(chat_completion(config(model=client_model), MESSAGES, model=call_model))
    assert request.url == url
    assert body(request)["model"] == payload_model


def test_chat_base_url_with_v1_and_call_model() -> None:
    cfg = config(base_url="http://localhost:8080/v1/", provider=None, token=None, api_key="sk-abc")
    request = first_request(chat_completion(cfg, MESSAGES, model="my-model", max_tokens=5))
    assert request.url == "http://localhost:8080/v1/chat/completions"
    assert request.header("authorization") == "Bearer sk-abc"
    assert body(request) == {
        "model": "my-model",
        "max_tokens": 5,
        "stream": False,
        "messages": MESSAGES,
    }


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://h:8080", "http://h:8080/v1/chat/completions"),
        ("https://e/v1/", "https://e/v1/chat/completions"),
        ("https://e/v1/chat/completions", "https://e/v1/chat/completions"),
        (
            "http://127.0.0.1:8000/custom/path/v1",
            "http://127.0.0.1:8000/custom/path/v1/chat/completions",
        ),
    ],
)
def test_chat_url_rule(base: str, expected: str) -> None:
    assert chat_url(base) == expected


def test_chat_payload_rules() -> None:
    tools = [{"type": "function", "function": {"name": "f", "parameters": {}, "description": None}}]
    response_format = {
        "type": "json_schema",
        "json_schema": {"name": "n", "schema": {"type": "object"}},
    }
    plan = chat_completion(
        config(),
        MESSAGES,
        model="acme/m",
        tools=tools,
        response_format=response_format,
        stop=[],
        temperature=0.0,
        extra_body={"stream": True, "top_k": 3},
    )
    sent = body(first_request(plan))
    assert sent["tools"] == [{"type": "function", "function": {"name": "f"}}]
    assert sent["response_format"] == {"type": "json_object", "value": {"type": "object"}}
    assert sent["stop"] == [] and sent["temperature"] == 0.0
    assert sent["top_k"] == 3 and sent["stream"] is True


def opened(plan: Any, head: Response = SSE_HEAD) -> Streamed[Any]:
    """Answer the plan's ``Open`` with ``head``; return the ``Streamed`` the plan returns."""
    effect = next(plan)
    assert isinstance(effect, Open)
    with pytest.raises(StopIteration) as stop:
        plan.send(head)
    streamed = stop.value.value
    assert isinstance(streamed, Streamed) and streamed.request == effect.request
    return streamed


def test_chat_stream_opens_the_request_and_returns_streamed_with_decoder() -> None:
    plan = chat_completion(config(model="http://h"), MESSAGES, stream=True)
    streamed = opened(plan)
    assert body(streamed.request)["stream"] is True
    decoder = streamed.decoder()
    chunk = {
        "id": "1",
        "created": 1,
        "model": "m",
        "system_fingerprint": "s",
        "choices": [{"index": 0, "delta": {"role": "assistant", "content": "He"}}],
    }
    items = decoder.feed(b"data: " + json.dumps(chunk).encode() + b"\n\ndata: [DONE]\n\n")
    assert len(items) == 1 and isinstance(items[0], ChatCompletionStreamOutput)
    assert items[0].choices[0].delta.content == "He"
    assert decoder.finished


@pytest.mark.parametrize(
    ("messages", "match"),
    [
        ("hello", "must be a list"),
        ({"role": "user", "content": "x"}, "must be a list"),
        ([], "empty"),
        (["hello"], r"messages\[0\] must be a dict"),
        ([{"content": "x"}], r"messages\[0\] has no 'role'"),
        ([{"role": "user"}], r"messages\[0\] has no 'content'"),
    ],
)
def test_chat_bad_messages_fail_before_any_request(messages: Any, match: str) -> None:
    with pytest.raises(RequestError, match=match):
        next(chat_completion(config(), messages, model="acme/m"))


def test_no_model_uses_the_hub_recommended_model_once_per_client() -> None:
    cfg = config()
    plan = chat_completion(cfg, MESSAGES)
    lookup = first_request(plan)
    assert (lookup.method, lookup.url) == ("GET", "https://huggingface.co/api/tasks")
    assert lookup.header("authorization") == "Bearer hf_test"
    tasks = {"conversational": {"widgetModels": ["acme/chat", "acme/other"]}, "fill-mask": {}}
    request = plan.send(ok(tasks))
    assert isinstance(request, Request)
    assert request.url == f"{ROUTER}/acme/chat/v1/chat/completions"
    assert body(request)["model"] == "acme/chat"
    again = first_request(chat_completion(cfg, MESSAGES))
    assert again.url == request.url  # the task map is cached in the client
    with pytest.raises(RequestError, match="Task text-generation has no recommended model"):
        next(text_generation(cfg, "x"))


def test_auto_provider_looks_up_the_hub_mapping_and_unknown_provider_fails_early() -> None:
    lookup = first_request(chat_completion(config(provider=None), MESSAGES, model="acme/m"))
    assert lookup.url == (
        "https://huggingface.co/api/models/acme/m?expand=inferenceProviderMapping"
    )
    with pytest.raises(RequestError, match="Provider 'nope' not supported"):
        next(chat_completion(config(provider="nope"), MESSAGES, model="acme/m"))


def test_unknown_keyword_is_a_type_error_at_call_time() -> None:
    with pytest.raises(TypeError, match="max_token"):
        chat_completion(config(), MESSAGES, max_token=3)  # type: ignore[call-arg]


def test_text_generation_payload_defaults() -> None:
    plan = text_generation(config(), "Once", model="acme/model", max_new_tokens=5)
    request = first_request(plan)
    assert request.url == f"{ROUTER}/acme/model"
    assert body(request) == {
        "inputs": "Once",
        "parameters": {
            "details": False,
            "do_sample": False,
            "max_new_tokens": 5,
            "return_full_text": False,
            "stop": [],
        },
        "stream": False,
    }
    assert finish(plan, ok([{"generated_text": " upon a time"}])) == " upon a time"


def test_text_generation_url_model_is_verbatim_and_details_parse() -> None:
    # (a URL ending in /v1 is an OpenAI-compatible server: tests/tasks/test_openai_embeddings.py)
    plan = text_generation(config(model="http://localhost:8082/generate/"), "Once", details=True)
    request = first_request(plan)
    assert request.url == "http://localhost:8082/generate/"
    assert body(request)["parameters"]["details"] is True
    details = {
        "finish_reason": "length",
        "generated_tokens": 1,
        "seed": None,
        "prefill": [],
        "tokens": [{"id": 1, "text": " upon", "logprob": -0.1, "special": False}],
    }
    out = finish(plan, ok({"generated_text": " upon", "details": details}))
    assert isinstance(out, TextGenerationOutput) and out.details is not None
    assert out.details.tokens[0].text == " upon"
    assert out["details"]["finish_reason"] == "length"


def test_text_generation_stream_decodes_token_texts() -> None:
    plan = text_generation(config(model="http://h"), "Once", stream=True)
    streamed = opened(plan)
    assert body(streamed.request)["stream"] is True
    decoder = streamed.decoder()
    event = {"index": 1, "token": {"id": 1, "text": " a", "logprob": 0.0, "special": False}}
    assert decoder.feed(b"data:" + json.dumps(event).encode() + b"\n\n") == [" a"]
    assert decoder.feed(b"") == []


def test_text_generation_warnings() -> None:
    with pytest.warns(UserWarning, match="decoder_input_details"):
        request = first_request(
            text_generation(config(model="http://h"), "x", decoder_input_details=True)
        )
    assert body(request)["parameters"]["decoder_input_details"] is False
    with pytest.warns(FutureWarning, match="stop_sequences"):
        request = first_request(
            text_generation(config(model="http://h"), "x", stop_sequences=["."])
        )
    assert body(request)["parameters"]["stop"] == ["."]


def test_text_generation_validation_error_body_raises_typed_error() -> None:
    plan = text_generation(config(model="http://h"), "x")
    next(plan)
    error = Response(
        422, (), json.dumps({"error": "too long", "error_type": "validation"}).encode()
    )
    with pytest.raises(ValidationError, match="too long"):
        plan.send(error)


def test_text_generation_retries_once_without_unsupported_parameters() -> None:
    cfg = config(model="http://h")
    plan = text_generation(cfg, "x", watermark=True, details=True)
    first = first_request(plan)
    assert body(first)["parameters"]["watermark"] is True
    rejection = Response(
        400,
        (),
        json.dumps({"error": UNUSED_KWARGS_MESSAGE}).encode(),
    )
    with pytest.warns(UserWarning, match="watermark"):
        retry = plan.send(rejection)
    assert isinstance(retry, Request)
    assert (
        "watermark" not in body(retry)["parameters"] and "details" not in body(retry)["parameters"]
    )
    assert finish(plan, ok([{"generated_text": "y"}])) == "y"
    # Remembered for this client: the next call drops them before sending.
    with pytest.warns(UserWarning, match="watermark"):
        again = first_request(text_generation(cfg, "x", watermark=True))
    assert "watermark" not in body(again)["parameters"]
    # A second rejection is not retried again.
    plan = text_generation(cfg, "x")
    next(plan)
    with pytest.raises(BadRequestError):
        plan.send(rejection)


def test_streamed_text_generation_retries_once_without_unsupported_parameters() -> None:
    cfg = config(model="http://h")
    plan = text_generation(cfg, "x", stream=True, watermark=True)
    opened = next(plan)
    assert isinstance(opened, Open) and body(opened.request)["parameters"]["watermark"] is True
    assert isinstance(plan.send(Response(400)), ReadBody)
    rejection = json.dumps({"error": UNUSED_KWARGS_MESSAGE}).encode()
    with pytest.warns(UserWarning, match="watermark"):
        retry = plan.send(rejection)
    assert isinstance(retry, Open)
    assert "watermark" not in body(retry.request)["parameters"]
    assert body(retry.request)["stream"] is True
    with pytest.raises(StopIteration) as stop:
        plan.send(SSE_HEAD)
    assert isinstance(stop.value.value, Streamed)
    # Remembered for this client: the next streamed call drops them before opening.
    with pytest.warns(UserWarning, match="watermark"):
        again = next(text_generation(cfg, "x", stream=True, watermark=True))
    assert isinstance(again, Open) and "watermark" not in body(again.request)["parameters"]


def test_redirect_to_other_host_drops_credentials() -> None:
    plan = chat_completion(config(model="http://a.example", cookies={"s": "1"}), MESSAGES)
    first_request(plan)
    moved = plan.send(Response(307, (("location", "http://b.example/v1/chat/completions"),)))
    assert isinstance(moved, Request)
    assert (moved.method, moved.url) == ("POST", "http://b.example/v1/chat/completions")
    assert moved.header("authorization") is None and moved.header("cookie") is None
    assert moved.body is not None
    same = plan.send(Response(308, (("location", "/other"),)))
    assert isinstance(same, Request)
    assert same.url == "http://b.example/other"
    assert finish(plan, ok(CHAT_REPLY)).id == "c1"


def test_redirect_303_becomes_get_and_same_host_keeps_token() -> None:
    plan = chat_completion(config(model="http://a.example"), MESSAGES)
    first_request(plan)
    moved = plan.send(Response(303, (("location", "/result"),)))
    assert isinstance(moved, Request)
    assert (moved.method, moved.url, moved.body) == ("GET", "http://a.example/result", None)
    assert moved.header("authorization") == "Bearer hf_test"
    assert moved.header("content-type") is None


def test_filter_none_rules() -> None:
    assert filter_none(
        {"a": None, "b": {"c": None}, "d": [None, {"e": None}], "f": 0, "g": []}
    ) == {
        "d": [None, {}],
        "f": 0,
        "g": [],
    }


# -- open_stream: the plan step that opens a stream, with send()'s redirect and status rules ------

STREAM = Request(
    "POST",
    "http://a.example/v1/chat/completions",
    (("authorization", "Bearer hf_test"), ("content-type", "application/json")),
    b"{}",
)


def decoder() -> JSONStreamDecoder[Any]:
    return JSONStreamDecoder(lambda data: data)


def redirected(plan: Any, status: int, location: str) -> Request:
    """Answer the pending Open with a redirect; the plan reads its body, then opens again."""
    read = plan.send(Response(status, (("location", location),)))
    assert read == ReadBody(65536)
    effect = plan.send(b"")
    assert isinstance(effect, Open)
    return effect.request


def test_open_stream_follows_a_same_origin_307_keeping_method_body_and_token() -> None:
    plan = open_stream(STREAM, decoder)
    assert next(plan) == Open(STREAM)
    moved = redirected(plan, 307, "/moved/v1/chat/completions")
    assert (moved.method, moved.url, moved.body) == (
        "POST",
        "http://a.example/moved/v1/chat/completions",
        b"{}",
    )
    assert moved.header("authorization") == "Bearer hf_test"
    with pytest.raises(StopIteration) as stop:
        plan.send(SSE_HEAD)
    assert stop.value.value == Streamed(moved, decoder)


def test_open_stream_drops_credentials_cross_origin_and_303_becomes_get() -> None:
    plan = open_stream(STREAM, decoder)
    next(plan)
    moved = redirected(plan, 308, "http://b.example/v1/chat/completions")
    assert moved.header("authorization") is None and moved.body == b"{}"
    moved = redirected(plan, 303, "/result")
    assert (moved.method, moved.url, moved.body) == ("GET", "http://b.example/result", None)
    assert moved.header("content-type") is None


def test_open_stream_gives_up_after_too_many_redirects() -> None:
    plan = open_stream(STREAM, decoder)
    next(plan)
    with pytest.raises(RemoteProtocolError, match="more than 5 redirects"):
        for _ in range(6):
            redirected(plan, 307, "/again")


@pytest.mark.parametrize(
    "content_type",
    [None, "text/event-stream", "text/event-stream; charset=utf-8", "Text/Event-Stream"],
)
def test_open_stream_accepts_event_streams_and_a_missing_content_type(
    content_type: str | None,
) -> None:
    headers = () if content_type is None else (("Content-Type", content_type),)
    assert opened(open_stream(STREAM, decoder), Response(200, headers)).request == STREAM


def refused(head: Response, body: bytes) -> ProviderError:
    """Answer Open with ``head`` and ReadBody with ``body``; return the error raised."""
    plan = open_stream(STREAM, decoder)
    next(plan)
    assert plan.send(head) == ReadBody(MAX_BODY)
    with pytest.raises(ProviderError) as info:
        plan.send(body)
    assert info.value.status == head.status
    assert info.value.response == Response(head.status, head.headers, body)
    return info.value


def test_open_stream_error_status_raises_like_send() -> None:
    error = refused(Response(500, JSON), b'{"error": "upstream exploded"}')
    assert type(error) is HTTPStatusError
    assert str(error).startswith(
        "500 Server Error: Internal Server Error for url: http://a.example"
    )
    assert error.server_message == "upstream exploded"
    error = refused(Response(422, JSON), b'{"error": "too long", "error_type": "validation"}')
    assert isinstance(error, ValidationError) and str(error) == "too long"


JSON = (("content-type", "application/json"),)


@pytest.mark.parametrize(
    ("head", "body", "server_message", "quoted"),
    [
        (Response(200, JSON), b'{"error": "boom"}', "boom", "boom"),
        (
            Response(200, JSON),
            b'{"detail": "Model not found"}',
            "Model not found",
            "Model not found",
        ),
        (
            Response(200, JSON),
            b'{"detail": [{"loc": ["body"], "msg": "field required", "type": "missing"}]}',
            "field required",
            "field required",
        ),
        (
            Response(200, (("content-type", "text/html"),)),
            b"<html>Gateway</html>",
            None,
            "<html>Gateway",
        ),
        (
            Response(200, (("content-type", "text/plain"),)),
            b"no stream here",
            "no stream here",
            "no stream here",
        ),
        (Response(204), b"", None, "no Content-Type and an empty body"),
        (Response(205), b"", None, "205 Reset Content"),
        (
            Response(200, (("content-type", "text/event-stream"), ("content-length", "0"))),
            b"",
            None,
            "empty body",
        ),
        (Response(304), b"", None, "304 Not Modified"),  # a redirect status without Location
    ],
)
def test_open_stream_refuses_a_success_that_is_not_an_event_stream(
    head: Response, body: bytes, server_message: str | None, quoted: str
) -> None:
    error = refused(head, body)
    assert type(error) is ResponseFormatError
    assert str(error).startswith(f"{head.status} ")
    assert "for url: http://a.example/v1/chat/completions: expected an event stream" in str(error)
    assert (head.header("content-type") or "no Content-Type") in str(error)
    assert quoted in str(error)
    assert error.server_message == server_message


def test_open_stream_tgi_error_body_with_success_status_is_the_tgi_class() -> None:
    error = refused(Response(200, JSON), b'{"error": "boom", "error_type": "validation"}')
    assert isinstance(error, ValidationError)
    assert str(error) == "boom" and error.status == 200
