"""Embeddings over OpenAI-compatible servers: the detection rule, ``feature_extraction`` and
``sentence_similarity`` on ``/v1/embeddings``, ``client.embeddings.create``, and
``text_generation`` on ``/v1/completions``.

The servers are fakes written here, on real loopback sockets (``LoopbackServer``), answering as
infinity and transformers' ``serve`` do (``{"detail": ...}`` errors included); sync tests use
the default transport, async ones run on asyncio and trio.
"""

from __future__ import annotations

import base64
import json
import math
import struct
from collections.abc import Iterator
from typing import Any

import numpy
import pytest

from fake_service.server import LoopbackServer, Reply, ServerRequest, StreamReply
from inference_core import (
    AsyncInferenceClient,
    InferenceClient,
    ProviderError,
    Request,
    RequestError,
    Response,
)
from inference_core._tasks.embeddings import openai_embeddings_url
from inference_core._types.embeddings import CreateEmbeddingResponse
from inference_core.providers import openai_base
from transports import MockTransport

VECTORS = {"Hi": [1.0, 0.0, 0.0], "A": [0.6, 0.8, 0.0], "B": [0.0, 1.0, 0.0], "C": [0.0, 0.0, 2.0]}


def embeddings_server(request: ServerRequest) -> Reply | StreamReply:
    """``/v1/embeddings`` and ``/v1/completions`` as OpenAI-compatible servers answer them."""
    if request.target.endswith("/embeddings"):
        body = request.json()
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        if any(text not in VECTORS for text in texts):
            detail = [{"type": "missing", "loc": ["body", "input"], "msg": "unknown text"}]
            return Reply.json({"detail": detail}, status=422)
        encode = body.get("encoding_format") == "base64"
        data = [
            {
                "object": "embedding",
                "index": i,
                "embedding": _b64(VECTORS[t]) if encode else VECTORS[t],
            }
            for i, t in enumerate(texts)
        ]
        data.reverse()  # order by index is the client's job
        usage = {"prompt_tokens": len(texts), "total_tokens": len(texts)}
        return Reply.json({"object": "list", "data": data, "model": body["model"], "usage": usage})
    if request.target.endswith("/completions"):
        body = request.json()
        if body.get("stream"):
            chunks = [
                {"choices": [{"index": 0, "text": "Par"}]},
                {"choices": [{"index": 0, "text": "is", "finish_reason": "length"}]},
            ]  # no [DONE], as transformers' serve
            return StreamReply([f"data: {json.dumps(c)}\n\n".encode() for c in chunks])
        choice = {"index": 0, "text": "Paris", "finish_reason": "length"}
        return Reply.json({"object": "text_completion", "choices": [choice]})
    return Reply.json({"detail": "Not Found"}, status=404)


def _b64(vector: list[float]) -> str:
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(embeddings_server) as running:
        yield running


# --- the detection rule ----------------------------------------------------------------------

DETECTION = [
    ("http://h:1/v1", "http://h:1/v1/embeddings"),
    ("http://h:1/v1/", "http://h:1/v1/embeddings"),
    ("https://h/prefix/v1", "https://h/prefix/v1/embeddings"),
    ("http://h:1/v1/chat/completions", "http://h:1/v1/embeddings"),
    ("http://h:1/v1/embeddings", "http://h:1/v1/embeddings"),
    ("http://h:1/embeddings", "http://h:1/embeddings"),
    ("http://h:1", None),
    ("http://h:1/", None),
    ("http://localhost:8080/embed", None),
    ("https://xyz.endpoints.huggingface.cloud", None),
    ("https://router.huggingface.co/hf-inference/models/a/b", None),
    ("http://h:1/v10", None),
    ("http://h:1/v1beta", None),
]


@pytest.mark.parametrize(("url", "expected"), DETECTION)
def test_openai_compatible_urls_are_detected_by_their_path(url: str, expected: str | None) -> None:
    assert openai_embeddings_url(url) == expected


@pytest.mark.parametrize(("url", "expected"), DETECTION)
def test_the_adapter_rule_for_completions_agrees(url: str, expected: str | None) -> None:
    base = openai_base(url)
    if url.rstrip("/").endswith("/embeddings") and "/v1/" not in url:
        assert base is None  # a bare /embeddings URL names an embeddings route only
    elif expected is None:
        assert base is None
    else:
        assert base is not None and base + "/embeddings" == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [("http://h:1", "http://h:1/v1/embeddings"), ("http://h:1/v1", "http://h:1/v1/embeddings")],
)
def test_forced_url_gets_v1_embeddings(url: str, expected: str) -> None:
    assert openai_embeddings_url(url, force=True) == expected


# --- feature_extraction and sentence_similarity ----------------------------------------------


def test_feature_extraction_on_a_v1_base_url(server: LoopbackServer) -> None:
    with InferenceClient(base_url=server.url + "/v1", token="sk-local") as client:
        out = client.feature_extraction("Hi")
        several = client.feature_extraction(["A", "B", "C"])
    assert out.dtype == numpy.float32 and out.shape == (1, 3)  # the HF route's shape
    assert out.tolist() == [VECTORS["Hi"]]
    expected = numpy.array([VECTORS["A"], VECTORS["B"], VECTORS["C"]], dtype="float32")
    assert several.tolist() == expected.tolist()  # in index order
    seen = server.requests[0]
    assert (seen.method, seen.target) == ("POST", "/v1/embeddings")
    assert seen.json() == {"input": "Hi", "model": "default"}
    assert seen.header("authorization") == "Bearer sk-local"
    assert server.requests[1].json()["input"] == ["A", "B", "C"]


def test_feature_extraction_sends_the_served_model_name(server: LoopbackServer) -> None:
    with InferenceClient(base_url=server.url + "/v1/") as client:
        client.feature_extraction("Hi", model="all-MiniLM-L6-v2")
    assert server.requests[0].json() == {"input": "Hi", "model": "all-MiniLM-L6-v2"}


def test_feature_extraction_with_a_v1_url_as_the_call_model(server: LoopbackServer) -> None:
    with InferenceClient() as client:
        out = client.feature_extraction("Hi", model=server.url + "/v1")
    assert out.shape == (1, 3)
    assert server.requests[0].json() == {"input": "Hi", "model": "default"}


def test_a_url_without_v1_keeps_the_hugging_face_body(server: LoopbackServer) -> None:
    with InferenceClient(server.url) as client, pytest.raises(ProviderError, match="Not Found"):
        client.feature_extraction("Hi")
    seen = server.requests[0]
    assert seen.target == "/"
    assert seen.json() == {"inputs": "Hi"}


def test_a_model_id_with_a_url_client_that_is_not_v1_still_goes_to_the_router() -> None:
    transport = MockTransport(lambda request: Response(200, body=b"[[0.5, 0.25]]"))
    client = InferenceClient("http://localhost:8080", provider="hf-inference", transport=transport)
    with client:
        client.feature_extraction("Hi", model="acme/model")
    assert transport.requests[0].url.endswith(
        "/hf-inference/models/acme/model/pipeline/feature-extraction"
    )


@pytest.mark.parametrize("option", ["normalize", "truncate", "prompt_name", "truncation_direction"])
def test_hugging_face_options_are_refused_before_any_io(
    server: LoopbackServer, option: str
) -> None:
    value: Any = "Left" if option == "truncation_direction" else True
    if option == "prompt_name":
        value = "query"
    client = InferenceClient(base_url=server.url + "/v1")
    with client, pytest.raises(RequestError, match=f"{option}: not options of OpenAI"):
        client.feature_extraction("Hi", **{option: value})
    assert server.requests == []


def test_sentence_similarity_is_the_cosine_of_one_embeddings_request(
    server: LoopbackServer,
) -> None:
    with InferenceClient(base_url=server.url + "/v1") as client:
        scores = client.sentence_similarity("A", ["A", "B", "C"])
    assert [round(score, 6) for score in scores] == [1.0, 0.8, 0.0]
    assert len(server.requests) == 1
    assert server.requests[0].json() == {"input": ["A", "A", "B", "C"], "model": "default"}


def test_server_errors_keep_the_fastapi_detail(server: LoopbackServer) -> None:
    client = InferenceClient(base_url=server.url + "/v1")
    with client, pytest.raises(ProviderError, match="unknown text") as caught:
        client.feature_extraction("not a known text")
    assert caught.value.status == 422


@pytest.mark.anyio
async def test_async_feature_extraction_and_similarity(server: LoopbackServer) -> None:
    async with AsyncInferenceClient(base_url=server.url + "/v1") as client:
        out = await client.feature_extraction(["Hi", "B"], model="served")
        scores = await client.sentence_similarity("A", ["B"])
    assert out.tolist() == [VECTORS["Hi"], VECTORS["B"]]
    assert math.isclose(scores[0], 0.8, abs_tol=1e-6)
    assert server.requests[0].json()["model"] == "served"


# --- client.embeddings.create ----------------------------------------------------------------


def test_embeddings_create_mirrors_openai(server: LoopbackServer) -> None:
    with InferenceClient(base_url=server.url + "/v1", api_key="sk-local") as client:
        out = client.embeddings.create(input=["A", "B"], model="m", dimensions=3)
    assert isinstance(out, CreateEmbeddingResponse)
    assert [item.embedding for item in out.data] == [VECTORS["A"], VECTORS["B"]]
    assert [item.index for item in out.data] == [0, 1]
    assert out.model == "m" and out.object == "list"
    assert out.usage is not None
    assert (out.usage.prompt_tokens, out.usage.total_tokens) == (2, 2)
    assert out["data"][1]["embedding"] == VECTORS["B"]  # dict-readable too
    assert server.requests[0].json() == {"input": ["A", "B"], "model": "m", "dimensions": 3}


def test_embeddings_create_base64_is_returned_as_the_server_sent_it(
    server: LoopbackServer,
) -> None:
    with InferenceClient(base_url=server.url + "/v1") as client:
        out = client.embeddings.create(input="Hi", encoding_format="base64")
    assert out.data[0].embedding == _b64(VECTORS["Hi"])
    assert server.requests[0].json()["encoding_format"] == "base64"


@pytest.mark.parametrize(("suffix", "target"), [("", "/v1/embeddings"), ("/v1", "/v1/embeddings")])
def test_embeddings_create_always_speaks_openai_to_a_url(
    server: LoopbackServer, suffix: str, target: str
) -> None:
    with InferenceClient(server.url + suffix) as client:
        client.embeddings.create(input="Hi", extra_body={"user": "u1"})
    assert server.requests[0].target == target
    assert server.requests[0].json() == {"input": "Hi", "model": "default", "user": "u1"}


def test_embeddings_create_with_a_model_id_wraps_the_provider_vectors() -> None:
    transport = MockTransport(lambda request: Response(200, body=b"[[0.5, 0.25], [1.0, 0.0]]"))
    with InferenceClient(provider="hf-inference", transport=transport) as client:
        out = client.embeddings.create(input=["a", "b"], model="acme/model")
    assert [item.embedding for item in out.data] == [[0.5, 0.25], [1.0, 0.0]]
    assert out.model == "acme/model" and out.usage is None
    request: Request = transport.requests[0]
    assert request.url.endswith("/models/acme/model/pipeline/feature-extraction")


@pytest.mark.parametrize("bad", ["", [], [""], [None], None, 3])
def test_embeddings_create_checks_input_before_any_io(server: LoopbackServer, bad: Any) -> None:
    client = InferenceClient(base_url=server.url + "/v1")
    with client, pytest.raises(RequestError, match="input"):
        client.embeddings.create(input=bad)
    assert server.requests == []


def test_embeddings_create_error_carries_the_detail(server: LoopbackServer) -> None:
    client = InferenceClient(base_url=server.url + "/v1")
    with client, pytest.raises(ProviderError, match="unknown text"):
        client.embeddings.create(input="nope")


@pytest.mark.anyio
async def test_async_embeddings_create(server: LoopbackServer) -> None:
    async with AsyncInferenceClient(base_url=server.url + "/v1") as client:
        out = await client.embeddings.create(input="C", model="m")
    assert out.data[0].embedding == VECTORS["C"]


# --- text_generation on OpenAI's completions -------------------------------------------------


def test_text_generation_on_a_v1_url_uses_completions(server: LoopbackServer) -> None:
    with InferenceClient(base_url=server.url + "/v1") as client:
        assert client.text_generation("The capital", max_new_tokens=2, seed=0) == "Paris"
        out = client.text_generation("The capital", details=True)
        tokens = list(client.text_generation("The capital", stream=True))
    assert out.generated_text == "Paris"
    assert out.details is not None and out.details.finish_reason == "length"
    assert tokens == ["Par", "is"]
    first = server.requests[0]
    assert first.target == "/v1/completions"
    # TGI's defaults (details, do_sample, stop=[]...) are not sent; no model: the server's own
    assert first.json() == {"prompt": "The capital", "max_tokens": 2, "seed": 0, "stream": False}
    assert server.requests[1].json() == {"prompt": "The capital", "stream": False}


@pytest.mark.parametrize(
    "answer",
    [
        {"data": [{"index": 0, "embedding": [1.0, 0.0]}]},  # one embedding for two sentences
        {"data": [{"index": 0, "embedding": [1.0, 0.0]}, {"index": 1, "embedding": [1.0]}]},
        {"embeddings": []},  # no data list
    ],
)
def test_sentence_similarity_refuses_an_answer_it_cannot_compare(answer: Any) -> None:
    transport = MockTransport(lambda request: Response(200, body=json.dumps(answer).encode()))
    client = InferenceClient(base_url="http://h/v1", transport=transport)
    with client, pytest.raises(ProviderError, match="embeddings"):
        client.sentence_similarity("A", ["B"])


def test_a_base64_embedding_sent_unasked_is_decoded_to_floats() -> None:
    answer = {"data": [{"index": 0, "embedding": _b64([0.5, -2.0])}]}
    transport = MockTransport(lambda request: Response(200, body=json.dumps(answer).encode()))
    with InferenceClient(base_url="http://h/v1", transport=transport) as client:
        assert client.feature_extraction("x").tolist() == [[0.5, -2.0]]
