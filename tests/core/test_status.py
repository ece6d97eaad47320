"""raise_for_status: statuses and error bodies become typed errors with useful messages."""

from __future__ import annotations

import json

import pytest

from inference_core import (
    BadRequestError,
    GenerationError,
    HfHubHTTPError,
    HTTPStatusError,
    IncompleteGenerationError,
    OverloadedError,
    ProviderError,
    Request,
    Response,
    UnknownError,
    ValidationError,
    raise_for_status,
)

URL = "https://router.huggingface.co/hf-inference/models/acme/m"
REQUEST = Request("POST", URL, (), b"{}")


def _response(
    status: int, body: object = b"", headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, headers, raw)


def test_success_statuses_do_not_raise() -> None:
    for status in (200, 201, 204, 301):
        raise_for_status(REQUEST, _response(status))


def test_422_json_error_message_and_attributes() -> None:
    response = _response(422, {"error": "E"}, (("x-request-id", "R1"),))
    with pytest.raises(HTTPStatusError) as info:
        raise_for_status(REQUEST, response)
    error = info.value
    assert (
        str(error) == f"422 Client Error: Unprocessable Entity for url: {URL} (Request ID: R1)\n\nE"
    )
    assert (error.status, error.server_message, error.request_id) == (422, "E", "R1")
    assert error.response is response


def test_400_is_bad_request_and_value_error() -> None:
    with pytest.raises(BadRequestError) as info:
        raise_for_status(REQUEST, _response(400, {"error": "Bad input"}))
    assert isinstance(info.value, ValueError)
    assert "Bad input" in str(info.value)


def test_503_with_amzn_trace_id() -> None:
    response = _response(
        503, {"error": "Model acme/m is currently loading"}, (("X-Amzn-Trace-Id", "T"),)
    )
    with pytest.raises(HTTPStatusError) as info:
        raise_for_status(REQUEST, response)
    assert str(info.value).startswith(
        f"503 Server Error: Service Unavailable for url: {URL} (Amzn Trace ID: T)"
    )
    assert info.value.request_id == "T"


def test_html_body_is_not_appended() -> None:
    response = _response(500, b"<html>oops</html>", (("content-type", "text/html"),))
    with pytest.raises(HTTPStatusError) as info:
        raise_for_status(REQUEST, response)
    assert str(info.value) == f"500 Server Error: Internal Server Error for url: {URL}"
    assert info.value.server_message is None


def test_errors_list_and_header_messages_are_joined_once() -> None:
    response = _response(
        429,
        {"errors": [{"message": "a"}, {"message": "b"}, {"message": "a"}]},
        (("X-Error-Message", "slow down"),),
    )
    with pytest.raises(HTTPStatusError) as info:
        raise_for_status(REQUEST, response)
    assert info.value.server_message == "slow down\na\nb"


def test_plain_text_body_is_the_server_message() -> None:
    with pytest.raises(HTTPStatusError) as info:
        raise_for_status(REQUEST, _response(502, b"upstream went away"))
    assert info.value.server_message == "upstream went away"


@pytest.mark.parametrize(
    ("error_type", "cls"),
    [
        ("validation", ValidationError),
        ("generation", GenerationError),
        ("overloaded", OverloadedError),
        ("incomplete_generation", IncompleteGenerationError),
        ("something_new", UnknownError),
    ],
)
def test_tgi_error_type_maps_to_class(error_type: str, cls: type[Exception]) -> None:
    response = _response(424, {"error": "boom", "error_type": error_type})
    with pytest.raises(cls) as info:
        raise_for_status(REQUEST, response)
    assert str(info.value) == "boom"
    assert isinstance(info.value, ProviderError)
    assert isinstance(info.value, HfHubHTTPError)
    assert info.value.status == 424
    assert info.value.response is response
