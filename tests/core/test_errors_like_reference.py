"""Our errors read like huggingface_hub v0.33.5's: the same text, classes, bases and attributes.

The expected texts below are what the reference's sync ``InferenceClient.text_classification``
printed (``str(e)``) for the same answers from a loopback server, written out by hand (the
reference is not imported here). Where ours differ on purpose, the case says how.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

import inference_core
from inference_core import (
    HTTPHeaders,
    HTTPRequest,
    HTTPResponse,
    Request,
    Response,
    raise_for_status,
)
from inference_core import errors as public
from inference_core.errors import (
    BadRequestError,
    ConnectError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    GenerationError,
    HfHubHTTPError,
    HTTPStatusError,
    IncompleteGenerationError,
    InferenceError,
    InferenceTimeoutError,
    InputFileError,
    InputFileNotFoundError,
    OverloadedError,
    ProviderError,
    ReadError,
    RemoteProtocolError,
    RepositoryNotFoundError,
    RequestError,
    ResponseFormatError,
    RevisionNotFoundError,
    TextGenerationError,
    TransportError,
    UnknownError,
    ValidationError,
)

U = "http://127.0.0.1:8080/m"
JSON = ("content-type", "application/json")
Headers = tuple[tuple[str, str], ...]


def _raised(status: int, headers: Headers, body: bytes) -> ProviderError:
    with pytest.raises(ProviderError) as info:
        raise_for_status(Request("POST", U, (), b"{}"), Response(status, headers, body))
    return info.value


# (status, headers, body, class, str(e), server_message, request_id) as the reference gave them.
REFERENCE: list[tuple[int, Headers, bytes, type[ProviderError], str, str | None, str | None]] = [
    (
        404,
        (("content-type", "text/plain"), ("X-Error-Message", "Model not found")),
        b"Not Found",
        HTTPStatusError,
        f"404 Client Error: Not Found for url: {U}\n\nModel not found\nNot Found",
        "Model not found\nNot Found",
        None,
    ),
    (
        500,
        (JSON, ("x-request-id", "req-500")),
        b'{"error": "Internal failure"}',
        HTTPStatusError,
        f"500 Server Error: Internal Server Error for url: {U} (Request ID: req-500)"
        "\n\nInternal failure",
        "Internal failure",
        "req-500",
    ),
    (
        400,
        (JSON, ("x-request-id", "abc")),
        b'{"error": "Bad input"}',
        BadRequestError,
        "(Request ID: abc)\n\nBad request:\nBad input",
        "Bad input",
        "abc",
    ),
    (
        400,
        (JSON,),
        b'{"error": "Bad input"}',
        BadRequestError,
        "Bad request:\nBad input",
        "Bad input",
        None,
    ),
    (
        422,  # "e" is already in the message, so only the body is added, by the 422 rule
        (JSON, ("x-request-id", "R1")),
        b'{"error": "E"}',
        HTTPStatusError,
        f'422 Client Error: Unprocessable Entity for url: {U} (Request ID: R1)\n{{"error": "E"}}\n',
        "E",
        "R1",
    ),
    (
        503,  # "t" is already in the message: the trace id is not added
        (JSON, ("X-Amzn-Trace-Id", "T")),
        b'{"error": "Model is loading"}',
        HTTPStatusError,
        f"503 Server Error: Service Unavailable for url: {U}\n\nModel is loading",
        "Model is loading",
        "T",
    ),
    (
        500,
        (("content-type", "text/html"),),
        b"<html><body>boom</body></html>",
        HTTPStatusError,
        f"500 Server Error: Internal Server Error for url: {U}",
        None,
        None,
    ),
    (
        429,
        (JSON,),
        b'{"errors": [{"message": "a"}, {"message": "b"}]}',
        HTTPStatusError,
        f"429 Client Error: Too Many Requests for url: {U}\n\na\nb",
        "a\nb",
        None,
    ),
    (
        500,
        (JSON,),
        b'{"error": ["one", "two", "one"]}',
        HTTPStatusError,
        f"500 Server Error: Internal Server Error for url: {U}\n\none\ntwo",
        "one\ntwo",
        None,
    ),
    (
        403,
        (JSON,),
        b'{"error": "nope"}',
        HTTPStatusError,
        f"403 Forbidden: None.\nCannot access content at: {U}."
        "\nMake sure your token has the correct permissions.\nnope",
        "nope",
        None,
    ),
    (
        403,
        (JSON, ("X-Error-Message", "No access")),
        b'{"error": "nope"}',
        HTTPStatusError,
        f"403 Forbidden: No access.\nCannot access content at: {U}."
        "\nMake sure your token has the correct permissions.\nNo access\nnope",
        "No access\nnope",
        None,
    ),
    (
        502,
        (("content-type", "text/plain"),),
        b"upstream down",
        HTTPStatusError,
        f"502 Server Error: Bad Gateway for url: {U}\n\nupstream down",
        "upstream down",
        None,
    ),
    (
        500,
        (),
        b"",
        HTTPStatusError,
        f"500 Server Error: Internal Server Error for url: {U}",
        None,
        None,
    ),
    (
        500,
        (JSON, ("x-request-id", "ZZ")),
        b'{"error": "failed zz"}',
        HTTPStatusError,
        f"500 Server Error: Internal Server Error for url: {U}\n\nfailed zz",
        "failed zz",
        "ZZ",
    ),
    (
        500,
        (JSON,),
        b"not json {",
        HTTPStatusError,
        f"500 Server Error: Internal Server Error for url: {U}\n\nnot json {{",
        "not json {",
        None,
    ),
    (
        424,  # text_classification and chat: the reference's HfHubHTTPError is our __cause__
        (JSON,),
        b'{"error": "gen failed", "error_type": "generation"}',
        GenerationError,
        "gen failed",  # what the reference's text_generation raises (GenerationError)
        "gen failed",
        None,
    ),
    (
        400,
        (JSON, ("x-request-id", "req-400")),
        b'{"error": "Input validation error: `inputs` too long", "error_type": "validation"}',
        ValidationError,
        "Input validation error: `inputs` too long",
        "Input validation error: `inputs` too long",
        "req-400",  # the reference's ValidationError has no request_id; its __cause__ does
    ),
]


@pytest.mark.parametrize(
    ("status", "headers", "body", "cls", "text", "server_message", "request_id"), REFERENCE
)
def test_str_class_and_attributes_as_the_reference(
    status: int,
    headers: Headers,
    body: bytes,
    cls: type[ProviderError],
    text: str,
    server_message: str | None,
    request_id: str | None,
) -> None:
    error = _raised(status, headers, body)
    assert type(error) is cls
    assert str(error).splitlines() == text.splitlines()
    assert str(error) == text
    assert (error.server_message, error.request_id) == (server_message, request_id)
    assert error.response is not None
    assert (error.response.status_code, error.response.url, error.response.text) == (
        status,
        U,
        body.decode(),
    )


def test_tgi_errors_keep_the_references_http_error_as_cause() -> None:
    error = _raised(422, (JSON,), b'{"error": "bad param", "error_type": "validation"}')
    assert (type(error), str(error)) == (ValidationError, "bad param")
    assert str(error.__cause__) == (
        f"422 Client Error: Unprocessable Entity for url: {U}\n\nbad param"
        '\n{"error": "bad param", "error_type": "validation"}\n'
    )


def test_fastapi_detail_is_a_server_message_too() -> None:
    # Ours adds the "\n\n<detail>" lines; the reference printed only the first line and the body.
    body = b'{"detail": [{"loc": ["body", "inputs"], "msg": "Field required", "type": "missing"}]}'
    error = _raised(422, (JSON,), body)
    assert str(error) == (
        f"422 Client Error: Unprocessable Entity for url: {U}\n\nField required\n{body.decode()}\n"
    )
    assert error.server_message == "Field required"
    error = _raised(404, (JSON,), b'{"detail": "Model acme/m does not exist"}')
    assert str(error) == f"404 Client Error: Not Found for url: {U}\n\nModel acme/m does not exist"


# --- the hierarchy ----------------------------------------------------------------------------

BUILTIN_BASES: list[tuple[type[BaseException], tuple[type[BaseException], ...]]] = [
    # The reference's bases (through requests.HTTPError, an OSError), then ours.
    (HfHubHTTPError, (OSError,)),
    (BadRequestError, (HfHubHTTPError, OSError, ValueError)),
    (InferenceTimeoutError, (TimeoutError, OSError)),
    (TextGenerationError, (OSError,)),
    (ValidationError, (TextGenerationError, OSError)),
    (GenerationError, (TextGenerationError,)),
    (OverloadedError, (TextGenerationError,)),
    (IncompleteGenerationError, (TextGenerationError,)),
    (UnknownError, (TextGenerationError,)),
    (RepositoryNotFoundError, (HfHubHTTPError,)),
    (GatedRepoError, (RepositoryNotFoundError, HfHubHTTPError)),
    (DisabledRepoError, (HfHubHTTPError,)),
    (RevisionNotFoundError, (HfHubHTTPError,)),
    (EntryNotFoundError, (HfHubHTTPError,)),
    (RequestError, (ValueError,)),
    (InputFileError, (RequestError, ValueError, OSError)),
    (InputFileNotFoundError, (InputFileError, FileNotFoundError, OSError)),
    (ResponseFormatError, (ProviderError, ValueError, OSError)),
    (TransportError, (OSError,)),
    (ConnectError, (TransportError, ConnectionError, OSError)),
    (ReadError, (TransportError, ConnectionError, OSError)),
    (RemoteProtocolError, (TransportError, OSError)),
]


@pytest.mark.parametrize(("cls", "bases"), BUILTIN_BASES, ids=lambda v: getattr(v, "__name__", ""))
def test_bases(cls: type[BaseException], bases: tuple[type[BaseException], ...]) -> None:
    assert issubclass(cls, InferenceError)
    for base in bases:
        assert issubclass(cls, base), base


def test_what_is_not_an_oserror_or_a_connection_error() -> None:
    assert not issubclass(RequestError, OSError)
    assert not issubclass(RemoteProtocolError, ConnectionError)
    assert not issubclass(InferenceTimeoutError, ConnectionError)
    assert not issubclass(HfHubHTTPError, ValueError)
    assert HfHubHTTPError is ProviderError


ALL_ERRORS = [cls for cls, _ in BUILTIN_BASES] + [HTTPStatusError, ProviderError, InferenceError]


@pytest.mark.parametrize("cls", ALL_ERRORS, ids=lambda c: c.__name__)
def test_str_args_and_pickling(cls: type[Exception]) -> None:
    error = cls("something failed")
    assert (str(error), error.args) == ("something failed", ("something failed",))
    if isinstance(error, OSError):
        assert (error.errno, error.strerror, error.filename) == (None, None, None)
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), again.args) == (cls, "something failed", error.args)


def test_pickling_keeps_the_details() -> None:
    error = _raised(500, (JSON, ("x-request-id", "r-1")), b'{"error": "boom"}')
    assert error.response is not None and error.response.headers  # views built before pickling
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again)) == (HTTPStatusError, str(error))
    assert (again.status, again.server_message, again.request_id) == (500, "boom", "r-1")
    assert again.raw_response == error.raw_response
    assert again.response is not None and again.response.url == U
    tgi = pickle.loads(
        pickle.dumps(_raised(429, (JSON,), b'{"error": "x", "error_type": "overloaded"}'))
    )
    assert (type(tgi), str(tgi), tgi.status) == (OverloadedError, "x", 429)


def test_constructed_the_reference_way() -> None:
    response = Response(500, (("x-request-id", "abc"),), b"oops")
    error = HfHubHTTPError("it failed", response, server_message="oops")
    assert (str(error), error.status, error.request_id, error.server_message) == (
        "it failed",
        500,
        "abc",
        "oops",
    )
    assert error.response is not None and error.response.status_code == 500
    assert (error.response.url, error.request) == ("", None)
    error.append_to_message("\nmore")
    assert str(error) == "it failed\nmore"
    bare = HfHubHTTPError("no response")
    assert (bare.response, bare.request, bare.status, bare.request_id) == (None, None, None, None)
    view = HTTPResponse(response, Request("GET", U))
    wrapped = HfHubHTTPError("from a view", view)
    assert wrapped.response is view
    assert (wrapped.raw_response, wrapped.request) == (response, view.request)


def test_transport_errors_have_no_response_like_requests_exceptions() -> None:
    for error in (ConnectError("c"), InferenceTimeoutError("t"), ReadError("r")):
        assert (error.response, error.request) == (None, None)


# --- the response view ------------------------------------------------------------------------


def _view(body: bytes = b'{"a": 1}', headers: Headers = (JSON,), status: int = 404) -> HTTPResponse:
    request = Request("POST", U + "/x?wait=1", (("Authorization", "Bearer hf_x"),), b"{}")
    return HTTPResponse(Response(status, headers, body), request)


def test_response_view_surface() -> None:
    view = _view()
    assert (view.status_code, view.reason, view.ok, bool(view)) == (404, "Not Found", False, False)
    assert (view.url, view.content, view.text, view.json()) == (
        U + "/x?wait=1",
        b'{"a": 1}',
        '{"a": 1}',
        {"a": 1},
    )
    assert view.encoding == "utf-8"
    assert repr(view) == "<Response [404]>"
    ok = _view(status=200)
    assert (ok.ok, bool(ok)) == (True, True)
    ok.raise_for_status()
    view.close()


def test_response_view_request() -> None:
    request = _view().request
    assert isinstance(request, HTTPRequest)
    assert (request.method, request.url, request.body) == ("POST", U + "/x?wait=1", b"{}")
    assert request.headers["authorization"] == "Bearer hf_x"
    assert request.path_url == "/m/x?wait=1"
    assert HTTPResponse(Response(200)).request is None
    assert HTTPResponse(Response(200)).url == ""


def test_headers_are_case_insensitive_and_joined() -> None:
    headers = HTTPHeaders(
        (("Content-Type", "application/json"), ("set-cookie", "a=1"), ("Set-Cookie", "b=2"))
    )
    assert headers["content-type"] == headers["CONTENT-TYPE"] == "application/json"
    assert headers["Set-Cookie"] == "a=1, b=2"
    assert list(headers) == ["Content-Type", "set-cookie"]
    assert len(headers) == 2
    assert "SET-COOKIE" in headers
    assert 42 not in headers  # type: ignore[comparison-overlap]
    assert headers.get("missing") is None
    assert headers == {"content-type": "application/json", "SET-COOKIE": "a=1, b=2"}
    assert dict(headers.lower_items())["set-cookie"] == "a=1, b=2"
    with pytest.raises(KeyError):
        headers["missing"]


@pytest.mark.parametrize(
    ("content_type", "body", "encoding", "text"),
    [
        ("text/plain; charset=latin-1", "é".encode("latin-1"), "latin-1", "é"),
        ('text/plain; charset="utf-8"', "é".encode(), "utf-8", "é"),
        ("text/plain", "é".encode(), None, "é"),  # requests would say ISO-8859-1 and give "Ã©"
        ("text/plain; charset=nonsense", "é".encode(), "nonsense", "é"),
        ("application/json", b'"\xc3\xa9"', "utf-8", '"é"'),
    ],
)
def test_encoding_and_text(content_type: str, body: bytes, encoding: str | None, text: str) -> None:
    view = _view(body, (("Content-Type", content_type),))
    assert (view.encoding, view.text) == (encoding, text)


def test_json_errors_are_value_errors() -> None:
    with pytest.raises(json.JSONDecodeError):
        _view(b"<html>").json()
    assert _view(b'{"a": 1.5}').json(parse_float=str) == {"a": "1.5"}


def test_iter_content_and_lines() -> None:
    view = _view(
        "line1\nlïne2\r\n\nlast".encode(), (("content-type", "text/plain; charset=utf-8"),)
    )
    assert b"".join(view.iter_content()) == view.content
    assert list(view.iter_content(None)) == [view.content]
    assert "".join(view.iter_content(3, decode_unicode=True)) == view.text
    assert list(view.iter_lines()) == [b"line1", "lïne2".encode(), b"", b"last"]
    assert list(view.iter_lines(decode_unicode=True)) == ["line1", "lïne2", "", "last"]
    assert list(view.iter_lines(delimiter=b"\n")) == [b"line1", "lïne2\r".encode(), b"", b"last"]
    assert list(_view(b"a;b;", ()).iter_lines(delimiter=";", decode_unicode=True)) == ["a", "b"]


def test_raise_for_status_raises_our_typed_error() -> None:
    with pytest.raises(HTTPStatusError, match=r"^404 Client Error: Not Found for url: "):
        _view().raise_for_status()
    with pytest.raises(BadRequestError):
        HTTPResponse(Response(400)).raise_for_status()


def test_response_view_equals_the_response_it_views() -> None:
    response = Response(404, (JSON,), b"{}")
    view = HTTPResponse(response, Request("GET", U))
    assert view == response and response == view
    assert view == HTTPResponse(response, Request("GET", U))
    assert view != HTTPResponse(response, Request("GET", U + "/other"))
    assert view != "a string"
    assert hash(view) == hash(response)
    assert (view.status, view.body, view.header("Content-Type")) == (404, b"{}", "application/json")


# --- the public names -------------------------------------------------------------------------

REFERENCE_NAMES = [  # what inference users import from huggingface_hub.errors
    "BadRequestError",
    "DisabledRepoError",
    "EntryNotFoundError",
    "GatedRepoError",
    "GenerationError",
    "HfHubHTTPError",
    "IncompleteGenerationError",
    "InferenceTimeoutError",
    "OverloadedError",
    "RepositoryNotFoundError",
    "RevisionNotFoundError",
    "TextGenerationError",
    "UnknownError",
    "ValidationError",
]


def test_public_errors_module() -> None:
    assert set(REFERENCE_NAMES) <= set(public.__all__)
    for name in public.__all__:
        obj: Any = getattr(public, name)
        assert issubclass(obj, InferenceError), name
        assert getattr(inference_core, name) is obj, name
        assert name in inference_core.__all__, name
    assert sorted(public.__all__) == public.__all__
