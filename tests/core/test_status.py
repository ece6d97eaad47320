"""raise_for_status: statuses and error bodies become typed errors with useful messages.

The rules are huggingface_hub v0.33.5's (``tests/core/test_errors_like_reference.py`` holds the
texts it printed); these tests pin each rule on its own, plus our additions.
"""

from __future__ import annotations

import json

import pytest

from inference_core import (
    BadRequestError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    GenerationError,
    HfHubHTTPError,
    HTTPStatusError,
    IncompleteGenerationError,
    OverloadedError,
    ProviderError,
    RepositoryNotFoundError,
    Request,
    Response,
    RevisionNotFoundError,
    TextGenerationError,
    UnknownError,
    ValidationError,
    raise_for_status,
)
from inference_core._status import server_message_of, status_error, text_generation_error

URL = "https://router.huggingface.co/hf-inference/models/acme/m"
REQUEST = Request("POST", URL, (), b"{}")
HUB_URL = "https://huggingface.co/api/models/acme/missing?expand=inferenceProviderMapping"

Headers = tuple[tuple[str, str], ...]


def _response(status: int, body: object = b"", headers: Headers = ()) -> Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Response(status, headers, raw)


def _error(response: Response, request: Request = REQUEST) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        raise_for_status(request, response)
    return info.value


def test_success_statuses_do_not_raise() -> None:
    for status in (200, 201, 204, 301, 399):
        raise_for_status(REQUEST, _response(status, {"error": "ignored"}))


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, HTTPStatusError),
        (404, HTTPStatusError),
        (599, HTTPStatusError),
    ],
)
def test_class_by_status(status: int, cls: type[ProviderError]) -> None:
    error = _error(_response(status))
    assert type(error) is cls
    assert isinstance(error, HfHubHTTPError)


def test_attributes_and_the_views() -> None:
    response = _response(500, {"error": "E1"}, (("x-request-id", "R1"),))
    error = _error(response)
    assert (error.status, error.server_message, error.request_id) == (500, "E1", "R1")
    assert error.raw_response is response
    assert error.raw_request is REQUEST
    assert error.response is not None and error.response is error.response  # built once
    assert error.response.raw_response is response
    assert error.response == response
    assert (error.response.status_code, error.response.url) == (500, URL)
    assert error.request is not None and error.request.url == URL


def test_requests_line_for_client_and_server_errors() -> None:
    assert str(_error(_response(404))) == f"404 Client Error: Not Found for url: {URL}"
    assert str(_error(_response(502))) == f"502 Server Error: Bad Gateway for url: {URL}"
    assert str(_error(_response(599))) == f"599 Server Error: Unknown for url: {URL}"


def test_400_has_no_status_nor_url_and_the_request_id_comes_first() -> None:
    error = _error(_response(400, {"error": "Bad input"}, (("x-request-id", "abc"),)))
    assert str(error) == "(Request ID: abc)\n\nBad request:\nBad input"
    assert isinstance(error, ValueError)
    assert str(_error(_response(400))) == "Bad request:"


def test_403_names_the_error_message_header() -> None:
    error = _error(_response(403, {"error": "nope"}))
    assert str(error) == (
        f"403 Forbidden: None.\nCannot access content at: {URL}."
        "\nMake sure your token has the correct permissions.\nnope"
    )
    error = _error(_response(403, b"", (("X-Error-Message", "No access"),)))
    assert str(error).startswith("403 Forbidden: No access.\n")
    assert str(error).endswith("permissions.")  # the server's message is already in it


def test_416_names_the_requested_and_the_content_range() -> None:
    request = Request("GET", URL, (("Range", "bytes=10-20"),))
    error = _error(_response(416, b"", (("Content-Range", "bytes */5"),)), request)
    assert str(error) == (
        f"416 Client Error: Requested Range Not Satisfiable for url: {URL}."
        " Requested range: bytes=10-20. Content-Range: bytes */5."
    )


@pytest.mark.parametrize(
    ("headers", "cls", "text"),
    [
        ((("X-Error-Code", "RevisionNotFound"),), RevisionNotFoundError, "Revision Not Found"),
        ((("X-Error-Code", "EntryNotFound"),), EntryNotFoundError, "Entry Not Found"),
        ((("X-Error-Code", "GatedRepo"),), GatedRepoError, "Cannot access gated repo for url"),
        ((("X-Error-Code", "RepoNotFound"),), RepositoryNotFoundError, "Repository Not Found"),
        (
            (("X-Error-Message", "Access to this resource is disabled."),),
            DisabledRepoError,
            "Cannot access repository for url",
        ),
    ],
)
def test_hub_error_codes(headers: Headers, cls: type[ProviderError], text: str) -> None:
    error = _error(_response(404, b"", headers), Request("GET", HUB_URL))
    assert type(error) is cls
    assert str(error).startswith(f"404 Client Error.\n\n{text}")
    assert HUB_URL in str(error)


def test_repository_not_found_text() -> None:
    error = _error(
        _response(404, b"", (("X-Error-Code", "RepoNotFound"),)), Request("GET", HUB_URL)
    )
    assert str(error) == (
        f"404 Client Error.\n\nRepository Not Found for url: {HUB_URL}.\nPlease make sure you"
        " specified the correct `repo_id` and `repo_type`.\nIf you are trying to access a private"
        " or gated repo, make sure you are authenticated. For more details, see"
        " https://huggingface.co/docs/huggingface_hub/authentication"
    )
    assert isinstance(error, HTTPStatusError)
    assert issubclass(GatedRepoError, RepositoryNotFoundError)


def test_401_on_a_hub_repository_url_is_repository_not_found() -> None:
    hub = Request("GET", HUB_URL)
    assert type(_error(_response(401), hub)) is RepositoryNotFoundError
    resolve = Request("GET", "https://huggingface.co/acme/m/resolve/main/config.json")
    assert type(_error(_response(401), resolve)) is RepositoryNotFoundError
    bad_token = _response(
        401, b"", (("X-Error-Message", "Invalid credentials in Authorization header"),)
    )
    assert type(_error(bad_token, hub)) is HTTPStatusError
    assert type(_error(_response(401))) is HTTPStatusError  # an inference URL
    assert type(_error(_response(401), Request("GET", HUB_URL.replace("https", "http")))) is (
        HTTPStatusError
    )


def test_request_id_and_its_amzn_fallback() -> None:
    error = _error(_response(500, b"", (("x-request-id", "req-77"),)))
    assert str(error) == (
        f"500 Server Error: Internal Server Error for url: {URL} (Request ID: req-77)"
    )
    short = _error(_response(500, b"", (("x-request-id", "R"),)))
    assert str(short).endswith("acme/m")  # "r" is already in the message (case-insensitive)
    amzn = (("X-Amzn-Trace-Id", "Root=1-abc"),)
    error = _error(_response(503, {"error": "loading"}, amzn))
    assert str(error) == (
        f"503 Server Error: Service Unavailable for url: {URL} (Amzn Trace ID: Root=1-abc)"
        "\n\nloading"
    )
    assert error.request_id == "Root=1-abc"
    empty = (("x-request-id", ""), ("X-Amzn-Trace-Id", "T-9"))
    assert "(Amzn Trace ID: T-9)" in str(_error(_response(500, b"", empty)))


def test_request_id_already_in_the_message_is_not_repeated() -> None:
    error = _error(_response(500, {"error": "failed zz"}, (("x-request-id", "ZZ"),)))
    assert str(error) == f"500 Server Error: Internal Server Error for url: {URL}\n\nfailed zz"
    assert error.request_id == "ZZ"


def test_a_repeated_header_reads_as_joined_values() -> None:
    headers = (("x-request-id", "a"), ("X-Request-Id", "b"))
    error = _error(_response(500, b"", headers))
    assert str(error).endswith("(Request ID: a, b)")
    assert error.request_id == "a, b"


def test_422_appends_the_body_as_huggingface_hub_does() -> None:
    error = _error(_response(422, {"error": "bad inputs"}, (("x-request-id", "R1"),)))
    assert str(error) == (
        f"422 Client Error: Unprocessable Entity for url: {URL} (Request ID: R1)"
        '\n\nbad inputs\n{"error": "bad inputs"}\n'
    )
    assert str(_error(_response(422))) == (f"422 Client Error: Unprocessable Entity for url: {URL}")


def test_server_message_already_in_the_message_is_not_appended() -> None:
    error = _error(_response(404, b"NOT FOUND", (("content-type", "text/plain"),)))
    assert str(error) == f"404 Client Error: Not Found for url: {URL}"
    assert error.server_message == "NOT FOUND"


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        ({"error": "E"}, (), "E"),
        ({"error": ["one", " two ", "one", ""]}, (), "one\ntwo"),
        ({"error": {"message": "nested", "type": "invalid"}}, (), "nested"),
        ({"error": {"code": 3}}, (), "{'code': 3}"),
        ({"errors": [{"message": "a"}, {"message": "b"}, {"nope": "c"}]}, (), "a\nb"),
        ({"detail": "Not Found"}, (), "Not Found"),
        (
            {"detail": [{"loc": ["body"], "msg": "Field required"}, "plain"]},
            (),
            "Field required\nplain",
        ),
        ({"message": "lone"}, (), "lone"),
        ({"error": "E", "message": "ignored"}, (), "E"),
        ({"other": 1}, (), None),
        ([1, 2], (), None),
        (b"upstream went away", (), "upstream went away"),
        (b"<html>oops</html>", (("content-type", "text/html; charset=utf-8"),), None),
        (b"", (), None),
        ({"error": "from body"}, (("X-Error-Message", "from header"),), "from header\nfrom body"),
        ({"error": "same"}, (("X-Error-Message", "same"),), "same"),
    ],
)
def test_server_message_sources(body: object, headers: Headers, expected: str | None) -> None:
    response = _response(500, body, headers)
    payload = json.loads(response.body) if not isinstance(body, bytes) else None
    assert server_message_of(response, payload) == expected
    assert _error(response).server_message == expected


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
    error = info.value
    assert isinstance(error, TextGenerationError)
    assert str(error) == "boom"
    assert isinstance(error, HfHubHTTPError)
    assert (error.status, error.server_message) == (424, "boom")
    assert error.raw_response is response
    assert error.response is not None and error.response.url == URL
    cause = error.__cause__
    assert type(cause) is HTTPStatusError
    assert str(cause) == f"424 Client Error: Failed Dependency for url: {URL}\n\nboom"


def test_tgi_error_keeps_the_status_error_with_the_request_id_as_cause() -> None:
    body = {"error": "Input validation error", "error_type": "validation"}
    error = _error(_response(400, body, (("x-request-id", "req-400"),)))
    assert type(error) is ValidationError
    assert str(error) == "Input validation error"
    assert error.request_id == "req-400"
    assert type(error.__cause__) is BadRequestError
    assert str(error.__cause__) == "(Request ID: req-400)\n\nBad request:\nInput validation error"
    assert error.__suppress_context__


def test_tgi_error_from_a_stream_event_has_no_response() -> None:
    error = text_generation_error({"error": "CUDA out of memory", "error_type": "generation"})
    assert type(error) is GenerationError
    assert (str(error), error.status, error.response, error.request) == (
        "CUDA out of memory",
        None,
        None,
        None,
    )
    assert str(text_generation_error({"error": ["a"]})) == "['a']"


def test_status_error_is_returned_not_raised() -> None:
    error = status_error(REQUEST, _response(500, {"error": "E"}))
    assert type(error) is HTTPStatusError
    assert error.__traceback__ is None
