"""Text task plans and their client methods: fill_mask, question_answering,
summarization, text_classification, token_classification, translation, zero_shot_classification.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit. Every text task is a JSON task
(spec tasks.md §1.3): ``{"inputs": ..., "parameters": {...}}`` to the model's URL. The
classification-like tasks live here; the ones answering with text spans or generated text
(question_answering, summarization, translation) live in ``text_answers.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from .._boundary import Response
from .._config import ClientConfig
from .._converter import structure_list
from .._errors import ProviderError, RequestError
from .._facade import async_method, sync_method
from .._plan import Plan
from .._types.text import (
    FillMaskOutputElement,
    TextClassificationOutputElement,
    TextClassificationOutputTransform,
    TokenClassificationAggregationStrategy,
    TokenClassificationOutputElement,
    ZeroShotClassificationOutputElement,
)
from ._inputs import check_text
from ._requests import json_task
from .text_answers import question_answering, summarization, translation

__all__ = [
    "AsyncTextTasks",
    "SyncTextTasks",
    "fill_mask",
    "question_answering",
    "summarization",
    "text_classification",
    "token_classification",
    "translation",
    "zero_shot_classification",
]


def fill_mask(
    config: ClientConfig,
    /,
    text: str,
    *,
    model: str | None = None,
    targets: list[str] | None = None,
    top_k: int | None = None,
) -> Plan[list[FillMaskOutputElement]]:
    """Fill the mask token in ``text`` (``[MASK]``, ``<mask>``... depending on the model).

    Sends ``{"inputs": text, "parameters": {"targets": ..., "top_k": ...}}``.

    Args:
        text: a text with one mask token.
        model: a Hub model id or a URL (posted to verbatim); defaults to the client's model.
        targets: only score these candidate words.
        top_k: how many candidates to return.

    Returns:
        ``list[FillMaskOutputElement]``, best candidate first. A text with several mask tokens
        gets one such list per mask (a list of lists), as the server answers.

    Raises:
        RequestError: ``text`` is not a non-empty str, before any I/O.
        ProviderError: the server answered with an error or an unexpected shape.
        TransportError: the connection failed or timed out.
    """
    check_text(text, "text")
    parameters = {"targets": targets, "top_k": top_k}
    response = yield from json_task(config, model, "fill-mask", text, parameters)
    data = response.json()
    if isinstance(data, list) and data and all(isinstance(item, list) for item in data):
        # Several mask tokens: one list of candidates per mask (typed as the reference did).
        nested = [structure_list(item, FillMaskOutputElement) for item in data]
        return cast(list[FillMaskOutputElement], nested)
    return structure_list(data, FillMaskOutputElement)


def text_classification(
    config: ClientConfig,
    /,
    text: str,
    *,
    model: str | None = None,
    top_k: int | None = None,
    function_to_apply: TextClassificationOutputTransform | None = None,
) -> Plan[list[TextClassificationOutputElement]]:
    """Classify ``text`` (sentiment, topic, ...): labels with their scores.

    Sends ``{"inputs": text, "parameters": {"function_to_apply": ..., "top_k": ...}}``.

    Args:
        text: the text to classify.
        model: a Hub model id or a URL (posted to verbatim); defaults to the client's model.
        top_k: how many labels to return.
        function_to_apply: how scores are computed from the logits: ``"sigmoid"``,
            ``"softmax"`` or ``"none"``.

    Returns:
        ``list[TextClassificationOutputElement]``. The server answers a list of lists (one per
        input) or, for some servers, a flat list; both give the list of labels. Unlike
        huggingface_hub, which returned only the first element of a flat list, the whole flat
        list is returned.

    Raises:
        RequestError: ``text`` is not a non-empty str, before any I/O.
        ProviderError: the server answered with an error or an unexpected shape.
        TransportError: the connection failed or timed out.
    """
    check_text(text, "text")
    parameters = {"function_to_apply": function_to_apply, "top_k": top_k}
    response = yield from json_task(config, model, "text-classification", text, parameters)
    data = response.json()
    if isinstance(data, list) and data and isinstance(data[0], list):
        data = data[0]
    return structure_list(data, TextClassificationOutputElement)


def token_classification(
    config: ClientConfig,
    /,
    text: str,
    *,
    model: str | None = None,
    aggregation_strategy: TokenClassificationAggregationStrategy | None = None,
    ignore_labels: list[str] | None = None,
    stride: int | None = None,
) -> Plan[list[TokenClassificationOutputElement]]:
    """Find entities in ``text`` (named-entity recognition, part-of-speech tagging, ...).

    Sends ``{"inputs": text, "parameters": {"aggregation_strategy": ..., "ignore_labels": ...,
    "stride": ...}}``.

    Args:
        text: the text to analyse.
        model: a Hub model id or a URL (posted to verbatim); defaults to the client's model.
        aggregation_strategy: how tokens are grouped into entities: ``"none"``, ``"simple"``,
            ``"first"``, ``"average"`` or ``"max"``.
        ignore_labels: labels to leave out of the answer.
        stride: overlap, in tokens, between the chunks of a text longer than the model input.

    Returns:
        ``list[TokenClassificationOutputElement]``, in the order the server sent them.

    Raises:
        RequestError: ``text`` is not a non-empty str, before any I/O.
        ProviderError: the server answered with an error or an unexpected shape.
        TransportError: the connection failed or timed out.
    """
    check_text(text, "text")
    parameters = {
        "aggregation_strategy": aggregation_strategy,
        "ignore_labels": ignore_labels,
        "stride": stride,
    }
    response = yield from json_task(config, model, "token-classification", text, parameters)
    return structure_list(response.json(), TokenClassificationOutputElement)


def zero_shot_classification(
    config: ClientConfig,
    /,
    text: str,
    candidate_labels: list[str],
    *,
    multi_label: bool | None = False,
    hypothesis_template: str | None = None,
    model: str | None = None,
) -> Plan[list[ZeroShotClassificationOutputElement]]:
    """Score ``text`` against labels the model was not trained on (NLI-based classification).

    Sends ``{"inputs": text, "parameters": {"candidate_labels": [...], "multi_label": false,
    "hypothesis_template": ...}}``; ``multi_label`` is always sent.

    Args:
        text: the text to classify.
        candidate_labels: the possible labels (a non-empty list of strings).
        multi_label: if True, labels are scored independently (several can apply); if False,
            the scores are normalized to sum to 1.
        hypothesis_template: the sentence each label is put into, with ``{}`` for the label
            (the server's default is ``"This example is {}."``).
        model: a Hub model id or a URL (posted to verbatim); defaults to the client's model.

    Returns:
        ``list[ZeroShotClassificationOutputElement]``, in the server's order (best first). The
        server's ``{"labels": [...], "scores": [...]}`` answer is zipped into elements; unlike
        huggingface_hub, an answer that is already a list of ``{"label", "score"}`` objects is
        accepted too.

    Raises:
        RequestError: ``text`` is not a non-empty str, or ``candidate_labels`` is not a
            non-empty list of strings, before any I/O.
        ProviderError: the server answered with an error or an unexpected shape.
        TransportError: the connection failed or timed out.
    """
    check_text(text, "text")
    labels = _check_labels(candidate_labels)
    parameters = {
        "candidate_labels": labels,
        "multi_label": multi_label,
        "hypothesis_template": hypothesis_template,
    }
    task = "zero-shot-classification"
    response = yield from json_task(config, model, task, text, parameters)
    data = response.json()
    if isinstance(data, dict):
        data = _zip_labels(data, response)
    return structure_list(data, ZeroShotClassificationOutputElement)


def _zip_labels(data: dict[str, Any], response: Response) -> list[dict[str, Any]]:
    """``{"labels": [...], "scores": [...]}`` as a list of ``{"label", "score"}`` objects."""
    names, scores = data.get("labels"), data.get("scores")
    if isinstance(names, list) and isinstance(scores, list) and len(names) == len(scores):
        return [{"label": name, "score": score} for name, score in zip(names, scores, strict=True)]
    raise ProviderError(
        "unexpected zero-shot-classification response: expected `labels` and `scores` lists"
        f" of the same length, got {response.text[:200]}",
        response=response,
    )


def _check_labels(candidate_labels: Any) -> list[str]:
    if isinstance(candidate_labels, str) or not isinstance(candidate_labels, Sequence):
        raise RequestError(
            f"`candidate_labels` must be a list of strings, got {type(candidate_labels).__name__}"
        )
    labels = list(candidate_labels)
    if not labels:
        raise RequestError("`candidate_labels` is empty: give at least one label")
    for label in labels:
        if not isinstance(label, str) or not label.strip():
            raise RequestError(f"`candidate_labels` must hold non-empty strings, got {label!r}")
    return labels


class SyncTextTasks:
    """Text task methods of ``InferenceClient``."""

    fill_mask = sync_method(fill_mask)
    question_answering = sync_method(question_answering)
    summarization = sync_method(summarization)
    text_classification = sync_method(text_classification)
    token_classification = sync_method(token_classification)
    translation = sync_method(translation)
    zero_shot_classification = sync_method(zero_shot_classification)


class AsyncTextTasks:
    """Text task methods of ``AsyncInferenceClient``."""

    fill_mask = async_method(fill_mask)
    question_answering = async_method(question_answering)
    summarization = async_method(summarization)
    text_classification = async_method(text_classification)
    token_classification = async_method(token_classification)
    translation = async_method(translation)
    zero_shot_classification = async_method(zero_shot_classification)
