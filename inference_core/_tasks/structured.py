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
from .._errors import ProviderError, RequestError
from .._facade import AsyncMethod, SyncMethod
from .._plan import Plan, send
from .._providers import resolve_provider
from .._types import FeatureExtractionInputTruncationDirection
from .._wire import filter_none
from ._inputs import check_text
from ._optional import import_numpy
from ._requests import json_task, post_json
from ._routing import resolve_target
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

    Args:
        text: the text to embed. A list of texts is also sent as given (``inputs`` is then a
            JSON array) and gives one embedding per text.
        normalize: normalize the embeddings (Text Embeddings Inference servers only).
        prompt_name: the name of a prompt of the model's Sentence Transformers configuration
            (``prompts``), prepended to the text before encoding, e.g. ``"query"``.
        truncate: truncate inputs longer than the model's maximum length (TEI only).
        truncation_direction: which side to truncate with ``truncate=True``: ``"Left"`` or
            ``"Right"``.
        model: a Hub model id or a URL (posted to verbatim); defaults to the client's model,
            else the Hub's recommended model for the task.

    Returns:
        ``numpy.ndarray`` of float32, with the shape the server answered with (for example
        ``(1, 384)`` for one text, or ``(tokens, 384)`` for models that embed each token).

    Raises:
        ImportError: numpy is not installed (``pip install 'hf-inference-core[numpy]'``); it is
            checked before any request, where huggingface_hub checked after the call.
        RequestError: an empty text or a text that is not a str, before any I/O.
        ProviderError: the server answered with an error, or not with an array of numbers.
        TransportError: the connection failed or timed out.
    """
    inputs = _check_texts(text)
    numpy = import_numpy()
    options = {
        "normalize": normalize,
        "prompt_name": prompt_name,
        "truncate": truncate,
        "truncation_direction": truncation_direction,
    }
    route = yield from resolve_provider(config, model or config.model, "feature-extraction")
    if route is not None:
        embeddings = yield from route.adapter(route, inputs, options)
        try:
            return numpy.array(embeddings, dtype="float32")  # type: ignore[no-any-return]
        except (TypeError, ValueError) as exc:
            raise ProviderError(f"unexpected embeddings from {route.provider.name}: {exc}") from exc
    target = yield from resolve_target(config, model or config.model, "feature-extraction")
    payload = {"inputs": inputs, **filter_none(options)}
    response = yield from send(post_json(config, target, "feature-extraction", payload))
    data = response.json()
    problem = "expected an array of numbers"
    if isinstance(data, list):
        try:
            return numpy.array(data, dtype="float32")  # type: ignore[no-any-return]
        except (TypeError, ValueError) as exc:
            problem = f"{problem} ({exc})"
    raise ProviderError(
        f"unexpected feature-extraction response: {problem}, got {response.text[:200]}",
        response=response,
    )


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

    Args:
        sentence: the sentence to compare with the others.
        other_sentences: the sentences to compare it with (a non-empty list of str).
        model: a Hub model id or a URL (posted to verbatim); defaults to the client's model,
            else the Hub's recommended model for the task.

    Returns:
        ``list[float]``: one similarity score per sentence of ``other_sentences``, in order.

    Raises:
        RequestError: an empty sentence, or ``other_sentences`` not a non-empty list of str,
            before any I/O.
        ProviderError: the server answered with an error, or not with a list of numbers.
        TransportError: the connection failed or timed out.
    """
    check_text(sentence, "sentence")
    if not isinstance(other_sentences, (list, tuple)) or not other_sentences:
        raise RequestError(
            f"`other_sentences` must be a non-empty list of str, got {other_sentences!r:.80}"
        )
    sentences = [check_text(item, "other_sentences[]") for item in other_sentences]
    inputs = {"source_sentence": sentence, "sentences": sentences}
    response = yield from json_task(config, model, "sentence-similarity", inputs, {})
    return numbers(response.json(), "sentence-similarity")


def _check_texts(text: Any) -> Union[str, list[str]]:
    if isinstance(text, (list, tuple)):
        if not text:
            raise RequestError("`text` is an empty list")
        return [check_text(item, "text[]") for item in text]
    return check_text(text, "text")


class SyncStructuredTasks:
    """Structured task methods of ``InferenceClient``."""

    feature_extraction = SyncMethod(feature_extraction)
    sentence_similarity = SyncMethod(sentence_similarity)
    table_question_answering = SyncMethod(table_question_answering)
    tabular_classification = SyncMethod(tabular_classification)
    tabular_regression = SyncMethod(tabular_regression)
    document_question_answering = SyncMethod(document_question_answering)
    visual_question_answering = SyncMethod(visual_question_answering)


class AsyncStructuredTasks:
    """Structured task methods of ``AsyncInferenceClient``."""

    feature_extraction = AsyncMethod(feature_extraction)
    sentence_similarity = AsyncMethod(sentence_similarity)
    table_question_answering = AsyncMethod(table_question_answering)
    tabular_classification = AsyncMethod(tabular_classification)
    tabular_regression = AsyncMethod(tabular_regression)
    document_question_answering = AsyncMethod(document_question_answering)
    visual_question_answering = AsyncMethod(visual_question_answering)
