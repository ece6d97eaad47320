"""Structured task plans and their client methods: feature_extraction,
sentence_similarity, table_question_answering, tabular_classification, tabular_regression,
document_question_answering, visual_question_answering.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit. The embedding tasks are here; the
table tasks are in ``structured_tables.py`` and the image question-answering tasks in
``structured_documents.py``. feature_extraction and sentence_similarity go to the router's
``/pipeline/<task>`` route for a model id (a URL model is posted to verbatim).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from .._config import ClientConfig
from .._contract import FEATURE_EXTRACTION
from .._errors import ProviderError, RequestError
from .._facade import async_method, sync_method
from .._plan import Plan
from .._resolve import resolve
from .._types import FeatureExtractionInputTruncationDirection
from ._inputs import check_text
from ._optional import import_numpy
from ._requests import json_task
from .embeddings import (
    cosine_similarities,
    openai_embeddings,
    openai_embeddings_url,
    openai_target,
    vectors,
)
from .structured_documents import document_question_answering, visual_question_answering
from .structured_tables import (
    numbers,
    table_question_answering,
    tabular_classification,
    tabular_regression,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = [
    "AsyncStructuredTasks",
    "SyncStructuredTasks",
    "feature_extraction",
    "sentence_similarity",
]


def feature_extraction(
    config: ClientConfig,
    /,
    text: str | list[str],
    *,
    normalize: bool | None = None,
    prompt_name: str | None = None,
    truncate: bool | None = None,
    truncation_direction: FeatureExtractionInputTruncationDirection | None = None,
    model: str | None = None,
) -> Plan[NDArray[np.float32]]:
    """Compute the embedding of a text (an embedding model, e.g. served by TEI).

    Sends ``{"inputs": text, "normalize": ..., ...}`` as JSON: the options are at the root of
    the body, not under ``"parameters"``, and options left at None are not sent. A model id
    is posted to ``.../models/<id>/pipeline/feature-extraction``.

    An OpenAI-compatible server (infinity, TEI's ``/v1``, vLLM, llama.cpp) is reached through
    OpenAI's embeddings API instead: when the server URL (``model`` if it is a URL, else the
    client's ``model``/``base_url``) has a path ending in ``/v1`` or holding ``/v1/`` (or ending
    in ``/embeddings``), ``{"input": text, "model": <name>}`` is posted to ``<...>/v1/embeddings``,
    where ``<name>`` is a model id passed as ``model`` to a client whose ``base_url`` is the
    server (the served model name), else ``"default"``. The result has the same shape as on
    the Hugging Face route; the four options above are refused there (``RequestError``).

    Args:
        text: the text to embed. A list of texts is also sent as given (``inputs`` is then a
            JSON array) and gives one embedding per text.
        normalize: normalize the embeddings (Text Embeddings Inference servers only).
        prompt_name: the name of a prompt of the model's Sentence Transformers configuration
            (``prompts``), prepended to the text before encoding, e.g. ``"query"``.
        truncate: truncate inputs longer than the model's maximum length (TEI only).
        truncation_direction: which side to truncate with ``truncate=True``: ``"Left"`` or
            ``"Right"``.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
            With an OpenAI-compatible server as the client's ``base_url``: the served model name.

    Returns:
        ``numpy.ndarray`` of float32, with the shape the server answered with (for example
        ``(1, 384)`` for one text, or ``(tokens, 384)`` for models that embed each token).

    Raises:
        ImportError: numpy is not installed (``pip install 'hf-inference-core[numpy]'``); it is
            checked before any request, where huggingface_hub checked after the call.
        RequestError: an empty text or a text that is not a str, before any I/O (also a
            ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            an array of numbers.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> embedding = client.feature_extraction("Today is a sunny day.")
        >>> embedding.shape, embedding.dtype
        ((1, 384), dtype('float32'))
        >>> client.feature_extraction(["first text", "second text"]).shape
        (2, 384)
    """
    inputs = _check_texts(text)
    numpy = import_numpy()
    options = {
        "normalize": normalize,
        "prompt_name": prompt_name,
        "truncate": truncate,
        "truncation_direction": truncation_direction,
    }
    url, served = openai_target(config, model)
    endpoint = openai_embeddings_url(url) if url else None
    if url and endpoint:
        _refuse_hf_options(options)
        source = url
        answer = yield from openai_embeddings(config, url, endpoint, served, inputs, {})
        embeddings = vectors(answer)
    else:
        route = yield from resolve(config, model or config.model, FEATURE_EXTRACTION)
        source = route.provider.name
        embeddings = yield from route.adapter(route, inputs, options)
    try:
        return numpy.array(embeddings, dtype="float32")  # type: ignore[no-any-return]
    except (TypeError, ValueError) as exc:
        raise ProviderError(
            f"unexpected feature-extraction answer from {source}: expected an array"
            f" of numbers ({exc}), got {str(embeddings)[:200]}"
        ) from exc


def sentence_similarity(
    config: ClientConfig,
    /,
    sentence: str,
    other_sentences: list[str],
    *,
    model: str | None = None,
) -> Plan[list[float]]:
    """Score how similar ``sentence`` is to each of ``other_sentences`` (an embedding model).

    Sends ``{"inputs": {"source_sentence": sentence, "sentences": other_sentences},
    "parameters": {}}`` as JSON; a model id is posted to
    ``.../models/<id>/pipeline/sentence-similarity``.

    An OpenAI-compatible server (detected as in ``feature_extraction``: a URL whose path ends in
    ``/v1``, holds ``/v1/`` or ends in ``/embeddings``) has no similarity route: the sentence
    and the others are embedded in one request to its ``/v1/embeddings``, and each score is the
    cosine similarity of the sentence's embedding with the other's, computed here.

    Args:
        sentence: the sentence to compare with the others.
        other_sentences: the sentences to compare it with (a non-empty list of str).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
            With an OpenAI-compatible server as the client's ``base_url``: the served model name.

    Returns:
        ``list[float]``: one similarity score per sentence of ``other_sentences``, in order
        (usually the cosine similarity of the embeddings, higher is closer).

    Raises:
        RequestError: an empty sentence, or ``other_sentences`` not a non-empty list of str,
            before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of numbers.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> client.sentence_similarity(
        ...     "Machine learning is so easy.",
        ...     other_sentences=[
        ...         "Deep learning is so straightforward.",
        ...         "This is so difficult, like rocket science.",
        ...         "I can't believe how much I struggled with this.",
        ...     ],
        ... )
        [0.4286, 0.2, 0.0]
    """
    check_text(sentence, "sentence")
    if not isinstance(other_sentences, (list, tuple)) or not other_sentences:
        raise RequestError(
            f"`other_sentences` must be a non-empty list of str, got {other_sentences!r:.80}"
        )
    sentences = [check_text(item, "other_sentences[]") for item in other_sentences]
    url, served = openai_target(config, model)
    endpoint = openai_embeddings_url(url) if url else None
    if url and endpoint:
        texts = [sentence, *sentences]
        answer = yield from openai_embeddings(config, url, endpoint, served, texts, {})
        embeddings = vectors(answer)
        if len(embeddings) != len(texts):
            raise ProviderError(
                f"unexpected embeddings answer from {endpoint}: {len(embeddings)} embeddings for"
                f" {len(texts)} sentences"
            )
        return cosine_similarities(embeddings[0], embeddings[1:])
    inputs = {"source_sentence": sentence, "sentences": sentences}
    response = yield from json_task(config, model, "sentence-similarity", inputs, {})
    return numbers(response.json(), "sentence-similarity")


def _refuse_hf_options(options: dict[str, Any]) -> None:
    given = [name for name, value in options.items() if value is not None]
    if given:
        raise RequestError(
            f"{', '.join(given)}: not options of OpenAI's embeddings API, which this"
            " OpenAI-compatible server speaks; use `client.embeddings.create(...,"
            " extra_body={...})` for server-specific options"
        )


def _check_texts(text: Any) -> Union[str, list[str]]:
    if isinstance(text, (list, tuple)):
        if not text:
            raise RequestError("`text` is an empty list")
        return [check_text(item, "text[]") for item in text]
    return check_text(text, "text")


class SyncStructuredTasks:
    """Structured task methods of ``InferenceClient``."""

    feature_extraction = sync_method(feature_extraction)
    sentence_similarity = sync_method(sentence_similarity)
    table_question_answering = sync_method(table_question_answering)
    tabular_classification = sync_method(tabular_classification)
    tabular_regression = sync_method(tabular_regression)
    document_question_answering = sync_method(document_question_answering)
    visual_question_answering = sync_method(visual_question_answering)


class AsyncStructuredTasks:
    """Structured task methods of ``AsyncInferenceClient``."""

    feature_extraction = async_method(feature_extraction)
    sentence_similarity = async_method(sentence_similarity)
    table_question_answering = async_method(table_question_answering)
    tabular_classification = async_method(tabular_classification)
    tabular_regression = async_method(tabular_regression)
    document_question_answering = async_method(document_question_answering)
    visual_question_answering = async_method(visual_question_answering)
