"""Structured tasks: embeddings, tables, document and visual question answering.

Each test runs on the sync client and on the async client under asyncio and trio (``run_task``).
Requests are checked against spec tasks.md §9 (rows 5, 6, 14, 16, 17, 26, 29) and the
deliberate fixes: no ``model`` leak in table_question_answering, tabular_regression sent, a VQA
image URL downloaded once.
"""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy
import pytest
from PIL import Image

from inference_core import ProviderError, Request, RequestError, Response
from inference_core._types import (
    DocumentQuestionAnsweringOutputElement,
    TableQuestionAnsweringOutputElement,
    VisualQuestionAnsweringOutputElement,
)

from ._support import ROUTER, TaskRunner, body_json

M = "acme/model"
IMG = b"IMG"
IMG_B64 = "SU1H"
IMAGE_URL = "https://images.example/doc.png"
JSON_HEADERS = (("content-type", "application/json"),)


class Server:
    """A handler that records every request and answers from ``routes`` (else ``reply``)."""

    def __init__(self, reply: Any = None, *, routes: dict[str, Response] | None = None) -> None:
        self.requests: list[Request] = []
        self.reply = reply
        self.routes = routes or {}

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        if request.url in self.routes:
            return self.routes[request.url]
        if isinstance(self.reply, bytes):
            return Response(200, (("content-type", "text/plain"),), self.reply)
        return Response(200, JSON_HEADERS, json.dumps(self.reply).encode())


def assert_json_post(request: Request, url: str) -> Any:
    """Check the method, URL and headers of a JSON task request; return its parsed body."""
    assert request.method == "POST"
    assert request.url == url
    assert request.header("authorization") == "Bearer hf_test"
    assert request.header("content-type") == "application/json"
    assert request.header("accept") is None
    return body_json(request)


def assert_rejected(
    run_task: TaskRunner, error: type[Exception], method: str, *args: Any, **kw: Any
) -> str:
    """Call ``method``, expect ``error`` and check that no request was sent; return the message."""
    server = Server([])
    with pytest.raises(error) as info:
        run_task(server, method, *args, **kw)
    assert server.requests == []
    return str(info.value)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def content_input(form: str, tmp_path: Path) -> tuple[Any, bytes]:
    """An image argument in the given form, and the bytes the client must send for it."""
    if form == "bytes":
        return IMG, IMG
    if form in ("str path", "Path"):
        path = tmp_path / "doc.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\nfile")
        return (str(path) if form == "str path" else path), b"\x89PNG\r\n\x1a\nfile"
    if form == "file object":
        return io.BytesIO(b"from a file object"), b"from a file object"
    image = Image.new("RGB", (3, 2), (200, 10, 30))
    return image, png_bytes(image)


CONTENT_FORMS = ["bytes", "str path", "Path", "file object", "PIL image"]


# --- feature_extraction -------------------------------------------------------------------------


def test_feature_extraction_request_and_array(run_task: TaskRunner) -> None:
    server = Server([[0.25, -1.5, 3.0], [0.5, 0.0, 2.0]])
    call = run_task(server, "feature_extraction", "Hi", model=M, normalize=True)
    url = f"{ROUTER}/acme/model/pipeline/feature-extraction"
    assert assert_json_post(call.requests[0], url) == {"inputs": "Hi", "normalize": True}
    assert len(call.requests) == 1
    assert isinstance(call.result, numpy.ndarray)
    assert call.result.dtype == numpy.float32
    assert call.result.shape == (2, 3)
    assert call.result.tolist() == [[0.25, -1.5, 3.0], [0.5, 0.0, 2.0]]


def test_feature_extraction_options_at_the_root_in_order(run_task: TaskRunner) -> None:
    server = Server([0.1, 0.2, 0.3])
    call = run_task(
        server,
        "feature_extraction",
        text="query",
        model=M,
        normalize=False,
        prompt_name="query",
        truncate=True,
        truncation_direction="Left",
    )
    body = body_json(call.requests[0])
    assert list(body) == ["inputs", "normalize", "prompt_name", "truncate", "truncation_direction"]
    assert body == {
        "inputs": "query",
        "normalize": False,
        "prompt_name": "query",
        "truncate": True,
        "truncation_direction": "Left",
    }
    assert "parameters" not in body
    assert call.result.shape == (3,)
    assert call.result.tolist() == pytest.approx([0.1, 0.2, 0.3])


def test_feature_extraction_client_url_model_is_posted_to_verbatim(run_task: TaskRunner) -> None:
    server = Server([[1, 2]])
    call = run_task(server, "feature_extraction", "Hi", client={"model": "https://ep.example/"})
    assert assert_json_post(call.requests[0], "https://ep.example/") == {"inputs": "Hi"}
    assert call.result.tolist() == [[1.0, 2.0]]
    assert call.result.dtype == numpy.float32


def test_feature_extraction_call_url_model_gets_no_pipeline_suffix(run_task: TaskRunner) -> None:
    call = run_task(Server([0.5]), "feature_extraction", "Hi", model="http://localhost:8080/embed")
    assert call.requests[0].url == "http://localhost:8080/embed"


def test_feature_extraction_list_of_texts(run_task: TaskRunner) -> None:
    per_token = [[[0.0, 1.0], [2.0, 3.0]], [[4.0, 5.0], [6.0, 7.0]]]
    call = run_task(Server(per_token), "feature_extraction", ["a b", "c d"], model=M)
    assert body_json(call.requests[0]) == {"inputs": ["a b", "c d"]}
    assert call.result.shape == (2, 2, 2)
    assert call.result[1, 0, 1] == 5.0


def test_feature_extraction_recommended_model(
    run_task: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    tasks = {"feature-extraction": {"widgetModels": ["rec/embedder", "other/one"]}}
    routes = {
        "https://huggingface.co/api/tasks": Response(200, JSON_HEADERS, json.dumps(tasks).encode())
    }
    call = run_task(Server([0.5, 0.25], routes=routes), "feature_extraction", "Hi")
    assert [(r.method, r.url) for r in call.requests] == [
        ("GET", "https://huggingface.co/api/tasks"),
        ("POST", f"{ROUTER}/rec/embedder/pipeline/feature-extraction"),
    ]
    assert call.result.tolist() == [0.5, 0.25]


def test_feature_extraction_without_numpy(
    run_task: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)
    message = assert_rejected(run_task, ImportError, "feature_extraction", "Hi", model=M)
    assert "numpy" in message
    assert "hf-inference-core[numpy]" in message


@pytest.mark.parametrize(
    "reply",
    [{"error": "no"}, [[1.0, 2.0], [3.0]], [["a", "b"]], 3.5, b"not json"],
    ids=["object", "ragged", "strings", "scalar", "not-json"],
)
def test_feature_extraction_unexpected_response(run_task: TaskRunner, reply: Any) -> None:
    with pytest.raises(ProviderError, match=r"feature-extraction|not JSON"):
        run_task(Server(reply), "feature_extraction", "Hi", model=M)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((42,), {}, RequestError, "`text` must be a str"),
        (("",), {}, RequestError, "`text` is empty"),
        (("   ",), {}, RequestError, "`text` is empty"),
        (([],), {}, RequestError, "empty list"),
        ((["ok", 3],), {}, RequestError, "must be a str"),
        (("Hi",), {"model": 7}, RequestError, "`model` must be"),
        (("Hi",), {"parameters": {"normalize": True}}, TypeError, "parameters"),
    ],
    ids=["int", "empty", "blank", "empty-list", "list-with-int", "model-int", "unknown-kwarg"],
)
def test_feature_extraction_bad_input(
    run_task: TaskRunner, args: tuple[Any, ...], kwargs: dict[str, Any], error: type, match: str
) -> None:
    kwargs.setdefault("model", M)
    message = assert_rejected(run_task, error, "feature_extraction", *args, **kwargs)
    assert match in message


# --- sentence_similarity ------------------------------------------------------------------------


def test_sentence_similarity_request_and_scores(run_task: TaskRunner) -> None:
    call = run_task(Server([0.875, 0.125]), "sentence_similarity", "A", ["B", "C"], model=M)
    url = f"{ROUTER}/acme/model/pipeline/sentence-similarity"
    assert assert_json_post(call.requests[0], url) == {
        "inputs": {"source_sentence": "A", "sentences": ["B", "C"]},
        "parameters": {},
    }
    assert list(body_json(call.requests[0])["inputs"]) == ["source_sentence", "sentences"]
    assert call.result == [0.875, 0.125]


def test_sentence_similarity_keywords_and_url_model(run_task: TaskRunner) -> None:
    call = run_task(
        Server([1, 0.5]),
        "sentence_similarity",
        sentence="A",
        other_sentences=("B", "C"),
        model="https://ep.example/similarity/",
    )
    assert call.requests[0].url == "https://ep.example/similarity/"
    assert body_json(call.requests[0])["inputs"]["sentences"] == ["B", "C"]
    assert call.result == [1, 0.5]


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("", ["B"]), {}, RequestError, "`sentence` is empty"),
        ((["A"], ["B"]), {}, RequestError, "`sentence` must be a str"),
        (("A", "B"), {}, RequestError, "non-empty list of str"),
        (("A", []), {}, RequestError, "non-empty list of str"),
        (("A", ["B", None]), {}, RequestError, "must be a str"),
        (("A", ["B"]), {"top_k": 2}, TypeError, "top_k"),
    ],
    ids=["empty-sentence", "list-sentence", "str-others", "empty-others", "none-item", "unknown"],
)
def test_sentence_similarity_bad_input(
    run_task: TaskRunner, args: tuple[Any, ...], kwargs: dict[str, Any], error: type, match: str
) -> None:
    message = assert_rejected(run_task, error, "sentence_similarity", *args, model=M, **kwargs)
    assert match in message


@pytest.mark.parametrize("reply", [{"scores": [0.5]}, [0.5, "high"], [True]])
def test_sentence_similarity_unexpected_response(run_task: TaskRunner, reply: Any) -> None:
    with pytest.raises(ProviderError, match="expected a list of numbers"):
        run_task(Server(reply), "sentence_similarity", "A", ["B"], model=M)


# --- table_question_answering -------------------------------------------------------------------

TQA_ANSWER = {
    "answer": "SUM > 1, 2",
    "coordinates": [[0, 0], [1, 0]],
    "cells": ["1", "2"],
    "aggregator": "SUM",
}


def test_table_question_answering_request_does_not_leak_model(run_task: TaskRunner) -> None:
    call = run_task(
        Server(TQA_ANSWER), "table_question_answering", {"n": ["1", "2"]}, "sum?", model=M
    )
    # Spec §9 row 16, minus the reference's bug: "parameters" carried {"model": "acme/model"}.
    assert assert_json_post(call.requests[0], f"{ROUTER}/acme/model") == {
        "inputs": {"query": "sum?", "table": {"n": ["1", "2"]}},
        "parameters": {},
    }
    assert list(body_json(call.requests[0])["inputs"]) == ["query", "table"]
    result = call.result
    assert isinstance(result, TableQuestionAnsweringOutputElement)
    assert result.answer == "SUM > 1, 2"
    assert result.cells == ["1", "2"]
    assert result.coordinates == [[0, 0], [1, 0]]
    assert result.aggregator == "SUM"
    assert result == TQA_ANSWER


def test_table_question_answering_parameters(run_task: TaskRunner) -> None:
    table = {"Repository": ["transformers", "datasets"], "Stars": ["36542", "4512"]}
    call = run_task(
        Server({"answer": "transformers", "coordinates": [[0, 0]], "cells": ["transformers"]}),
        "table_question_answering",
        table=table,
        query="Which has most stars?",
        model=M,
        padding="max_length",
        sequential=False,
        truncation=True,
    )
    body = body_json(call.requests[0])
    assert body["parameters"] == {"padding": "max_length", "sequential": False, "truncation": True}
    assert body["inputs"]["table"] == table
    assert call.result.answer == "transformers"
    assert call.result.aggregator is None


def test_table_question_answering_url_model(run_task: TaskRunner) -> None:
    call = run_task(
        Server(TQA_ANSWER),
        "table_question_answering",
        {"n": ("1", "2")},
        "sum?",
        client={"model": "https://tapas.example/"},
    )
    assert call.requests[0].url == "https://tapas.example/"
    assert body_json(call.requests[0]) == {
        "inputs": {"query": "sum?", "table": {"n": ["1", "2"]}},
        "parameters": {},
    }


@pytest.mark.parametrize("reply", [[TQA_ANSWER], "SUM", None])
def test_table_question_answering_unexpected_response(run_task: TaskRunner, reply: Any) -> None:
    with pytest.raises(ProviderError, match="TableQuestionAnsweringOutputElement"):
        run_task(Server(reply), "table_question_answering", {"n": ["1"]}, "sum?", model=M)


BAD_TABLES = [
    ("x", "must be a dict of column name"),
    ([["a", "b"]], "must be a dict of column name"),
    ({}, "`table` is empty"),
    ({1: ["a"]}, "column names must be str"),
    ({"n": "12"}, "must be a list of str cells"),
    ({"n": [1, 2]}, "cells must be str"),
    ({"n": ["1", None]}, "cells must be str"),
    ({"a": ["1", "2"], "b": ["3"]}, "same number of cells"),
]
BAD_TABLE_IDS = ["str", "list", "empty", "int-name", "str-column", "int-cells", "none", "ragged"]


@pytest.mark.parametrize(("table", "match"), BAD_TABLES, ids=BAD_TABLE_IDS)
def test_table_question_answering_bad_table(run_task: TaskRunner, table: Any, match: str) -> None:
    message = assert_rejected(
        run_task, RequestError, "table_question_answering", table, "sum?", model=M
    )
    assert match in message


@pytest.mark.parametrize(
    ("query", "kwargs", "error", "match"),
    [
        ("", {}, RequestError, "`query` is empty"),
        (None, {}, RequestError, "`query` must be a str"),
        ("sum?", {"question": "sum?"}, TypeError, "question"),
    ],
    ids=["empty", "none", "unknown-kwarg"],
)
def test_table_question_answering_bad_query(
    run_task: TaskRunner, query: Any, kwargs: dict[str, Any], error: type, match: str
) -> None:
    message = assert_rejected(
        run_task, error, "table_question_answering", {"n": ["1"]}, query, model=M, **kwargs
    )
    assert match in message


# --- tabular_classification and tabular_regression ----------------------------------------------

WINE = {"fixed_acidity": ["7.4", "7.8"], "alcohol": ["9.4", "9.8"]}


def test_tabular_classification_request_and_labels(run_task: TaskRunner) -> None:
    call = run_task(Server(["5", "6"]), "tabular_classification", {"f": ["1.0"]}, model=M)
    body = assert_json_post(call.requests[0], f"{ROUTER}/acme/model")
    assert body == {"inputs": None, "parameters": {}, "table": {"f": ["1.0"]}}
    assert list(body) == ["inputs", "parameters", "table"]
    assert call.result == ["5", "6"]


def test_tabular_classification_returns_the_list_as_sent(run_task: TaskRunner) -> None:
    call = run_task(
        Server([1, "7"]), "tabular_classification", table=WINE, model="http://localhost:9000"
    )
    assert call.requests[0].url == "http://localhost:9000"
    assert body_json(call.requests[0])["table"] == WINE
    assert call.result == [1, "7"]


def test_tabular_regression_is_sent(run_task: TaskRunner) -> None:
    # The reference refused tabular-regression before any request (spec §9 row 18).
    call = run_task(Server([110.5, 120]), "tabular_regression", {"f": ["1.0", "2.5"]}, model=M)
    body = assert_json_post(call.requests[0], f"{ROUTER}/acme/model")
    assert body == {"inputs": None, "parameters": {}, "table": {"f": ["1.0", "2.5"]}}
    assert list(body) == ["inputs", "parameters", "table"]
    assert call.result == [110.5, 120]


@pytest.mark.parametrize("method", ["tabular_classification", "tabular_regression"])
@pytest.mark.parametrize(("table", "match"), BAD_TABLES, ids=BAD_TABLE_IDS)
def test_tabular_bad_table(run_task: TaskRunner, method: str, table: Any, match: str) -> None:
    message = assert_rejected(run_task, RequestError, method, table, model=M)
    assert match in message


@pytest.mark.parametrize("method", ["tabular_classification", "tabular_regression"])
def test_tabular_unknown_keyword(run_task: TaskRunner, method: str) -> None:
    assert "top_k" in assert_rejected(run_task, TypeError, method, WINE, model=M, top_k=1)


@pytest.mark.parametrize(
    ("method", "reply", "match"),
    [
        ("tabular_classification", {"labels": ["5"]}, "expected a list"),
        ("tabular_regression", {"values": [1.0]}, "expected a list"),
        ("tabular_regression", ["1.5"], "expected a list of numbers"),
        ("tabular_regression", b"<html>", "not JSON"),
    ],
)
def test_tabular_unexpected_response(
    run_task: TaskRunner, method: str, reply: Any, match: str
) -> None:
    with pytest.raises(ProviderError, match=match):
        run_task(Server(reply), method, WINE, model=M)


# --- document_question_answering ----------------------------------------------------------------

DQA_ANSWERS = [
    {"answer": "$42.00", "score": 0.93, "start": 16, "end": 17},
    {"answer": "42", "score": 0.02, "start": 17, "end": 17},
]


def test_document_question_answering_request_and_answers(run_task: TaskRunner) -> None:
    call = run_task(Server(DQA_ANSWERS), "document_question_answering", IMG, "Total?", model=M)
    body = assert_json_post(call.requests[0], f"{ROUTER}/acme/model")
    assert body == {"inputs": {"question": "Total?", "image": IMG_B64}, "parameters": {}}
    assert list(body["inputs"]) == ["question", "image"]
    assert len(call.requests) == 1
    first, second = call.result
    assert isinstance(first, DocumentQuestionAnsweringOutputElement)
    assert (first.answer, first.score, first.start, first.end) == ("$42.00", 0.93, 16, 17)
    assert second == DQA_ANSWERS[1]


def test_document_question_answering_parameters(run_task: TaskRunner) -> None:
    call = run_task(
        Server(DQA_ANSWERS[:1]),
        "document_question_answering",
        image=IMG,
        question="Total?",
        model=M,
        doc_stride=128,
        handle_impossible_answer=True,
        lang="en",
        max_answer_len=15,
        max_question_len=64,
        max_seq_len=384,
        top_k=1,
        word_boxes=["Total", [10.0, 20.0, 30.0, 40.0]],
    )
    assert body_json(call.requests[0])["parameters"] == {
        "doc_stride": 128,
        "handle_impossible_answer": True,
        "lang": "en",
        "max_answer_len": 15,
        "max_question_len": 64,
        "max_seq_len": 384,
        "top_k": 1,
        "word_boxes": ["Total", [10.0, 20.0, 30.0, 40.0]],
    }
    assert [answer.answer for answer in call.result] == ["$42.00"]


def test_document_question_answering_single_answer_object(run_task: TaskRunner) -> None:
    call = run_task(Server(DQA_ANSWERS[0]), "document_question_answering", IMG, "Total?", model=M)
    assert call.result == [DocumentQuestionAnsweringOutputElement("$42.00", 17, 0.93, 16)]


def test_document_question_answering_url_model(run_task: TaskRunner) -> None:
    call = run_task(
        Server(DQA_ANSWERS), "document_question_answering", IMG, "Total?", model="https://dqa.ex/"
    )
    assert call.requests[0].url == "https://dqa.ex/"


@pytest.mark.parametrize("form", CONTENT_FORMS)
def test_document_question_answering_content_forms(
    run_task: TaskRunner, tmp_path: Path, form: str
) -> None:
    image, expected = content_input(form, tmp_path)
    call = run_task(Server(DQA_ANSWERS), "document_question_answering", image, "Total?", model=M)
    assert len(call.requests) == 1
    sent = body_json(call.requests[0])["inputs"]["image"]
    assert base64.b64decode(sent) == expected


def test_document_question_answering_image_url_is_downloaded_without_token(
    run_task: TaskRunner,
) -> None:
    routes = {IMAGE_URL: Response(200, (("content-type", "image/png"),), b"\x89PNG downloaded")}
    call = run_task(
        Server(DQA_ANSWERS, routes=routes), "document_question_answering", IMAGE_URL, "Q?", model=M
    )
    download, post = call.requests
    assert (download.method, download.url) == ("GET", IMAGE_URL)
    assert download.header("authorization") is None
    assert download.body is None
    assert post.url == f"{ROUTER}/acme/model"
    assert body_json(post)["inputs"]["image"] == base64.b64encode(b"\x89PNG downloaded").decode()
    assert IMAGE_URL not in post.body.decode()  # type: ignore[union-attr]


@pytest.mark.parametrize("method", ["document_question_answering", "visual_question_answering"])
@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((IMG, ""), {}, RequestError, "`question` is empty"),
        ((IMG, 3), {}, RequestError, "`question` must be a str"),
        ((42, "Q?"), {}, RequestError, "`image` must be bytes"),
        ((b"", "Q?"), {}, RequestError, "`image` is empty"),
        (("", "Q?"), {}, RequestError, "`image` is an empty string"),
        (("/no/such/dir/doc.png", "Q?"), {}, RequestError, "cannot read input file"),
        ((io.StringIO("text"), "Q?"), {}, RequestError, "text mode"),
        ((IMG, "Q?"), {"context": "c"}, TypeError, "context"),
    ],
    ids=["empty-q", "int-q", "int-image", "empty-bytes", "empty-str", "missing", "text", "kwarg"],
)
def test_image_question_answering_bad_input(
    run_task: TaskRunner,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type,
    match: str,
) -> None:
    message = assert_rejected(run_task, error, method, *args, model=M, **kwargs)
    assert match in message


@pytest.mark.parametrize("method", ["document_question_answering", "visual_question_answering"])
def test_image_question_answering_unexpected_response(run_task: TaskRunner, method: str) -> None:
    with pytest.raises(ProviderError, match=r"\$\[0\]"):
        run_task(Server(["a", "b"]), method, IMG, "Q?", model=M)


# --- visual_question_answering ------------------------------------------------------------------

VQA_ANSWERS = [{"answer": "red", "score": 0.81}, {"answer": "maroon", "score": 0.07}]


def test_visual_question_answering_request_and_answers(run_task: TaskRunner) -> None:
    call = run_task(Server(VQA_ANSWERS), "visual_question_answering", IMG, "Color?", model=M)
    body = assert_json_post(call.requests[0], f"{ROUTER}/acme/model")
    assert body == {"inputs": IMG_B64, "parameters": {}, "question": "Color?", "image": IMG_B64}
    assert list(body) == ["inputs", "parameters", "question", "image"]
    first, second = call.result
    assert isinstance(first, VisualQuestionAnsweringOutputElement)
    assert (first.answer, first.score) == ("red", 0.81)
    assert second == VQA_ANSWERS[1]


def test_visual_question_answering_top_k_and_missing_answer(run_task: TaskRunner) -> None:
    call = run_task(
        Server([{"score": 0.5, "label": "x"}]),
        "visual_question_answering",
        image=IMG,
        question="Color?",
        model="http://localhost:8080",
        top_k=2,
    )
    assert call.requests[0].url == "http://localhost:8080"
    assert body_json(call.requests[0])["parameters"] == {"top_k": 2}
    (answer,) = call.result
    assert answer.answer is None
    assert answer.score == 0.5
    assert answer["label"] == "x"


def test_visual_question_answering_single_answer_object(run_task: TaskRunner) -> None:
    call = run_task(Server(VQA_ANSWERS[0]), "visual_question_answering", IMG, "Color?", model=M)
    assert call.result == [VisualQuestionAnsweringOutputElement(score=0.81, answer="red")]


@pytest.mark.parametrize("form", CONTENT_FORMS)
def test_visual_question_answering_content_forms(
    run_task: TaskRunner, tmp_path: Path, form: str
) -> None:
    image, expected = content_input(form, tmp_path)
    call = run_task(Server(VQA_ANSWERS), "visual_question_answering", image, "Color?", model=M)
    assert len(call.requests) == 1
    body = body_json(call.requests[0])
    assert base64.b64decode(body["inputs"]) == expected
    assert body["image"] == body["inputs"]


def test_visual_question_answering_image_url_is_downloaded_once(run_task: TaskRunner) -> None:
    routes = {IMAGE_URL: Response(200, (("content-type", "image/png"),), b"\x89PNG once")}
    call = run_task(
        Server(VQA_ANSWERS, routes=routes), "visual_question_answering", IMAGE_URL, "Q?", model=M
    )
    download, post = call.requests  # one GET, not the reference's two
    assert (download.method, download.url) == ("GET", IMAGE_URL)
    assert download.header("authorization") is None
    assert (post.method, post.url) == ("POST", f"{ROUTER}/acme/model")
    assert post.header("authorization") == "Bearer hf_test"
    encoded = base64.b64encode(b"\x89PNG once").decode()
    assert body_json(post) == {
        "inputs": encoded,
        "parameters": {},
        "question": "Q?",
        "image": encoded,
    }
