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

    Sends ``{"inputs": text, "parameters": {"targets": ..., "top_k": ...}}`` as JSON (options
    left at None are not sent).

    Args:
        text: a text with a mask token, the one the model's tokenizer uses (``[MASK]`` for
            BERT, ``<mask>`` for RoBERTa...).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        targets: score only these candidate words (words the model's vocabulary lacks are
            tokenized, and their first token is scored).
        top_k: how many candidates to return (the server's default is 5).

    Returns:
        ``list[FillMaskOutputElement]``, most likely first: each candidate's ``sequence`` (the
        text with the mask filled), ``score``, ``token`` (its id) and ``token_str``. A text with
        several mask tokens gets one such list per mask (a list of lists), as the server answers.

    Raises:
        RequestError: ``text`` is not a non-empty str, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of candidates.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.fill_mask("The goal of life is [MASK].")
        >>> out[0].token_str
        'happiness'
        >>> out[0].sequence, out[0].score
        ('The goal of life is happiness.', 0.1106)
        >>> [c.token_str for c in client.fill_mask("The goal of life is [MASK].", top_k=3)]
        ['happiness', 'survival', 'salvation']

        The server refuses a text without a mask token, with a 400:

        >>> from inference_core import BadRequestError
        >>> try:
        ...     client.fill_mask("The goal of life is happiness.")
        ... except BadRequestError as error:
        ...     print(error.status, error.server_message)
        400 No mask_token ([MASK]) found on the input
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

    Sends ``{"inputs": text, "parameters": {"function_to_apply": ..., "top_k": ...}}`` as JSON
    (options left at None are not sent).

    Args:
        text: the text to classify.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        top_k: how many labels to return, most likely first.
        function_to_apply: how scores are computed from the logits: ``"sigmoid"``,
            ``"softmax"`` or ``"none"``.

    Returns:
        ``list[TextClassificationOutputElement]``, most likely first, each with a ``label`` and
        a ``score``. The server answers a list of lists (one per input) or, for some servers, a
        flat list; both give the list of labels. Unlike huggingface_hub, which returned only the
        first element of a flat list, the whole flat list is returned.

    Raises:
        RequestError: ``text`` is not a non-empty str, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of labels.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.text_classification("I like you. I love you")
        >>> out[0].label, out[0].score
        ('POSITIVE', 0.9986)
        >>> [element.label for element in out]
        ['POSITIVE', 'NEGATIVE']
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
    "stride": ...}}`` as JSON (options left at None are not sent).

    Args:
        text: the text to analyse.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        aggregation_strategy: how tokens are grouped into entities: ``"none"`` (one element per
            token, with its ``entity`` tag), ``"simple"``, ``"first"``, ``"average"`` or
            ``"max"`` (one element per entity, with its ``entity_group``).
        ignore_labels: labels to leave out of the answer (the server's default leaves out
            ``"O"``, "outside any entity").
        stride: overlap, in tokens, between the chunks of a text longer than the model input.

    Returns:
        ``list[TokenClassificationOutputElement]``, in the order the server sent them: each
        with the ``word``, its ``start`` and ``end`` character offsets in ``text``, a ``score``,
        and ``entity`` (per token) or ``entity_group`` (aggregated).

    Raises:
        RequestError: ``text`` is not a non-empty str, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of entities.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> text = "My name is Sarah Jessica Parker and I live in London"
        >>> out = client.token_classification(text, aggregation_strategy="simple")
        >>> [(entity.word, entity.entity_group) for entity in out]
        [('Sarah Jessica Parker', 'PER'), ('London', 'LOC')]
        >>> out[0].start, out[0].end, out[0].score
        (11, 31, 0.9987)
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
    "hypothesis_template": ...}}`` as JSON; ``multi_label`` is always sent,
    ``hypothesis_template`` only when given.

    Args:
        text: the text to classify.
        candidate_labels: the possible labels (a non-empty list of strings).
        multi_label: if True, labels are scored independently (several can apply); if False
            (the default), the scores are normalized to sum to 1.
        hypothesis_template: the sentence each label is put into, with ``{}`` for the label
            (the server's default is ``"This example is {}."``).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.

    Returns:
        ``list[ZeroShotClassificationOutputElement]``, in the server's order (most likely
        first), each with a ``label`` and a ``score``. The server's ``{"labels": [...],
        "scores": [...]}`` answer is zipped into elements; unlike huggingface_hub, an answer that
        is already a list of ``{"label", "score"}`` objects is accepted too.

    Raises:
        RequestError: ``text`` is not a non-empty str, or ``candidate_labels`` is not a
            non-empty list of strings, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is
            neither shape.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> text = "The new space telescope made a discovery that surprised scientists."
        >>> labels = ["space & cosmos", "scientific discovery", "microbiology", "robots"]
        >>> out = client.zero_shot_classification(text, labels)
        >>> [(element.label, element.score) for element in out[:2]]
        [('scientific discovery', 0.7273), ('space & cosmos', 0.1818)]
        >>> out = client.zero_shot_classification(text, labels, multi_label=True)
        >>> out[0].label, out[0].score
        ('scientific discovery', 0.982)
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
