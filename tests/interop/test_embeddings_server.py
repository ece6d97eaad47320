"""infinity (all-MiniLM-L6-v2, 384 dimensions) on OpenAI's ``/v1/embeddings``:
``feature_extraction``, ``sentence_similarity``, ``client.embeddings.create``, errors,
cancel-and-reuse and 20 concurrent calls, on every transport setup; and our vectors against
the ``openai`` package's.

Its quirks (docs/interop.md): only the OpenAI route exists (the Hugging Face ``{"inputs"}`` body
is refused: ``/`` answers 405), errors are FastAPI's ``{"detail": ...}`` (a list for validation
errors), the body's ``model`` is not checked while one model is served, and a text's vector
depends slightly on the batch it was computed in (padding), so equal vectors are only expected
from equal requests.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import anyio
import numpy
import pytest

from inference_core import InferenceClient, InferenceTimeoutError, ProviderError, RequestError
from inference_core._types.embeddings import CreateEmbeddingResponse

from ._support import Harness, server_env

pytestmark = [pytest.mark.interop, pytest.mark.anyio]

TEXTS = ["Machine learning is so easy.", "Deep learning is so straightforward.", "I like turtles."]
DIM = 384


async def test_feature_extraction_shapes(embed: Harness, embed_model: str) -> None:
    one = await embed.call(lambda c: c.feature_extraction(TEXTS[0]))
    several = await embed.call(lambda c: c.feature_extraction(TEXTS, model=embed_model))
    assert one.dtype == numpy.float32 and one.shape == (1, DIM)  # as on the HF route
    assert several.shape == (len(TEXTS), DIM)
    assert numpy.allclose(numpy.linalg.norm(several, axis=1), 1.0, atol=1e-3)  # normalized


async def test_embeddings_create_equals_feature_extraction(
    embed: Harness, embed_model: str
) -> None:
    out = await embed.call(lambda c: c.embeddings.create(input=TEXTS, model=embed_model))
    array = await embed.call(lambda c: c.feature_extraction(TEXTS, model=embed_model))
    assert isinstance(out, CreateEmbeddingResponse)
    assert out.model == embed_model
    assert out.usage is not None and (out.usage.prompt_tokens or 0) > 0
    assert [item.index for item in out.data] == [0, 1, 2]
    vectors = numpy.array([item.embedding for item in out.data], dtype="float32")
    assert numpy.array_equal(vectors, array)  # the same request, the same numbers


async def test_sentence_similarity_by_cosine(embed: Harness) -> None:
    scores = await embed.call(lambda c: c.sentence_similarity(TEXTS[0], TEXTS[1:]))
    assert len(scores) == 2 and all(-1.0 <= s <= 1.0 for s in scores)
    assert scores[0] > scores[1]  # the two sentences about learning are the closest


async def test_errors_show_the_servers_detail(embed: Harness, embed_url: str) -> None:
    with pytest.raises(ProviderError, match="Input should be 'float' or 'base64'") as caught:
        await embed.call(lambda c: c.embeddings.create(input="x", encoding_format="bogus"))
    assert caught.value.status == 422
    root = embed_url.rstrip("/").removesuffix("/v1")
    with pytest.raises(ProviderError, match="Method Not Allowed") as refused:  # HF body, to "/"
        await embed.call(lambda c: c.feature_extraction("x", model=root))
    assert refused.value.status == 405
    with pytest.raises(RequestError, match="normalize"):  # refused before any I/O
        await embed.call(lambda c: c.feature_extraction("x", normalize=True))


async def test_cancel_then_reuse(embed: Harness) -> None:
    many = [f"sentence number {i} " * 10 for i in range(64)]
    if embed.is_async:
        with anyio.move_on_after(0.001) as scope:
            await embed.call(lambda c: c.feature_extraction(many))
        assert scope.cancelled_caught
    else:  # a blocking call cannot be cancelled: a tiny timeout expires instead
        embed.client.timeout = 0.001
        try:
            with pytest.raises(InferenceTimeoutError):
                await embed.call(lambda c: c.feature_extraction(many))
        finally:
            embed.client.timeout = 60.0
    out = await embed.call(lambda c: c.feature_extraction(TEXTS[0]))
    assert out.shape == (1, DIM)


async def test_20_concurrent_calls(embed: Harness) -> None:
    results: list[Any] = [None] * 20

    async def one(index: int) -> None:
        results[index] = await embed.call(lambda c: c.feature_extraction(TEXTS[index % 3]))

    async with anyio.create_task_group() as group:
        for index in range(20):
            group.start_soon(one, index)
    assert all(result.shape == (1, DIM) for result in results)


def test_vectors_match_the_openai_package(embed_url: str, embed_model: str) -> None:
    """Our ``feature_extraction`` against ``openai``'s ``embeddings.create`` (run by another
    Python, the interop venv's), on the same request."""
    python = server_env("HF_INTEROP_OPENAI_PYTHON")
    theirs = numpy.array(openai_vectors(python, embed_url, embed_model, TEXTS), dtype="float32")
    with InferenceClient(base_url=embed_url) as client:
        ours = client.feature_extraction(TEXTS, model=embed_model)
    difference = float(numpy.max(numpy.abs(ours - theirs)))
    print(f"max abs difference with the openai package: {difference}")
    assert difference <= 1e-6


OPENAI_SNIPPET = """
import json, sys
from openai import OpenAI
url, model, texts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
client = OpenAI(base_url=url, api_key="unused")
out = client.embeddings.create(input=texts, model=model)
print(json.dumps([item.embedding for item in out.data]))
"""


def openai_vectors(python: str, url: str, model: str, texts: list[str]) -> Any:
    """The vectors the ``openai`` package gets (its default: base64 floats, decoded)."""
    environment = {**os.environ, "OPENAI_API_KEY": "unused"}
    result = subprocess.run(
        [python, "-c", OPENAI_SNIPPET, url, model, json.dumps(texts)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=environment,
    )
    return json.loads(result.stdout)
