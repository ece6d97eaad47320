"""Text task plans answering with a span or a generated text: question_answering,
summarization, translation (their client methods are declared in ``text.py``).

Strategy: JSON tasks as in ``text.py``. Each answer follows the server's shape: question
answering gives one element for a JSON object and a list for an array; summarization and
translation take the first element of an array, or the object itself.
"""

from __future__ import annotations

from typing import Any, TypeVar, Union

from .._boundary import Response
from .._config import ClientConfig
from .._converter import structure, structure_list
from .._errors import ProviderError, RequestError
from .._plan import Plan
from .._types.text import (
    QuestionAnsweringOutputElement,
    SummarizationOutput,
    SummarizationTruncationStrategy,
    TranslationOutput,
    TranslationTruncationStrategy,
)
from ._inputs import check_text
from ._requests import json_task

__all__ = ["question_answering", "summarization", "translation"]

T = TypeVar("T")


def question_answering(
    config: ClientConfig,
    /,
    question: str,
    context: str,
    *,
    model: str | None = None,
    align_to_words: bool | None = None,
    doc_stride: int | None = None,
    handle_impossible_answer: bool | None = None,
    max_answer_len: int | None = None,
    max_question_len: int | None = None,
    max_seq_len: int | None = None,
    top_k: int | None = None,
) -> Plan[Union[QuestionAnsweringOutputElement, list[QuestionAnsweringOutputElement]]]:
    """Find the answer to ``question`` in ``context`` (extractive question answering).

    Sends ``{"inputs": {"question": question, "context": context}, "parameters": {...}}`` as
    JSON (options left at None are not sent).

    Args:
        question: the question.
        context: the text holding the answer.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        align_to_words: align the answer to word boundaries (the server's default is True;
            False suits languages without spaces between words).
        doc_stride: overlap, in tokens, between the chunks of a context too long for the model.
        handle_impossible_answer: allow an empty answer ("no answer in the context").
        max_answer_len: longest answer, in tokens.
        max_question_len: longest question, in tokens, after tokenization (longer ones are
            truncated).
        max_seq_len: longest chunk (question plus context), in tokens.
        top_k: how many answers to return, most likely first (fewer if the context has fewer).

    Returns:
        A ``QuestionAnsweringOutputElement`` (``answer``, its ``start`` and ``end`` character
        offsets in ``context``, ``score``) when the server answers one object, a list of them
        when it answers an array (typically with ``top_k`` > 1). The server's shape decides, not
        ``top_k``.

    Raises:
        RequestError: ``question`` or ``context`` is not a non-empty str, before any I/O (also a
            ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer of an
            unexpected shape.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.question_answering(
        ...     question="What's my name?", context="My name is Clara and I live in Berkeley."
        ... )
        >>> out.answer, out.start, out.end
        ('Clara', 11, 16)
        >>> out.score
        0.9312
    """
    check_text(question, "question")
    check_text(context, "context")
    parameters = {
        "align_to_words": align_to_words,
        "doc_stride": doc_stride,
        "handle_impossible_answer": handle_impossible_answer,
        "max_answer_len": max_answer_len,
        "max_question_len": max_question_len,
        "max_seq_len": max_seq_len,
        "top_k": top_k,
    }
    inputs = {"question": question, "context": context}
    response = yield from json_task(config, model, "question-answering", inputs, parameters)
    data = response.json()
    if isinstance(data, list):
        return structure_list(data, QuestionAnsweringOutputElement)
    return structure(data, QuestionAnsweringOutputElement)


def summarization(
    config: ClientConfig,
    /,
    text: str,
    *,
    model: str | None = None,
    clean_up_tokenization_spaces: bool | None = None,
    generate_parameters: dict[str, Any] | None = None,
    truncation: SummarizationTruncationStrategy | None = None,
) -> Plan[SummarizationOutput]:
    """Summarize ``text``.

    Sends ``{"inputs": text, "parameters": {"clean_up_tokenization_spaces": ...,
    "generate_parameters": {...}, "truncation": ...}}`` as JSON (options left at None are not
    sent).

    Args:
        text: the text to summarize.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        clean_up_tokenization_spaces: remove the extra spaces tokenization leaves in the text.
        generate_parameters: generation options for the model (``max_length``,
            ``num_beams``...), sent as given.
        truncation: how an input longer than the model accepts is cut: ``"do_not_truncate"``,
            ``"longest_first"``, ``"only_first"`` or ``"only_second"``.

    Returns:
        ``SummarizationOutput``: the summary, in ``summary_text``. It is the first element of the
        server's array, or, unlike huggingface_hub (which raised on it), the server's object
        itself.

    Raises:
        RequestError: ``text`` is not a non-empty str, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer of an
            unexpected shape (an empty array included).
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> text = (
        ...     "The tower is 324 metres tall, about the same height as an 81-storey building."
        ...     " It was the tallest man-made structure in the world for 41 years."
        ... )
        >>> client.summarization(text).summary_text
        'The tower is 324 metres tall, about the same height as an 81-storey building.'
    """
    check_text(text, "text")
    parameters = {
        "clean_up_tokenization_spaces": clean_up_tokenization_spaces,
        "generate_parameters": generate_parameters,
        "truncation": truncation,
    }
    response = yield from json_task(config, model, "summarization", text, parameters)
    return _first_output(response, SummarizationOutput)


def translation(
    config: ClientConfig,
    /,
    text: str,
    *,
    model: str | None = None,
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    clean_up_tokenization_spaces: bool | None = None,
    truncation: TranslationTruncationStrategy | None = None,
    generate_parameters: dict[str, Any] | None = None,
) -> Plan[TranslationOutput]:
    """Translate ``text`` into another language.

    Sends ``{"inputs": text, "parameters": {"src_lang": ..., "tgt_lang": ...,
    "clean_up_tokenization_spaces": ..., "truncation": ..., "generate_parameters": {...}}}`` as
    JSON (options left at None are not sent).

    Args:
        text: the text to translate.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        src_lang: the source language code, for multilingual models (``"en_XX"``...); give
            it together with ``tgt_lang``.
        tgt_lang: the target language code, for multilingual models (``"fr_XX"``...); give it
            together with ``src_lang``.
        clean_up_tokenization_spaces: remove the extra spaces tokenization leaves in the text.
        truncation: how an input longer than the model accepts is cut: ``"do_not_truncate"``,
            ``"longest_first"``, ``"only_first"`` or ``"only_second"``.
        generate_parameters: generation options for the model (``max_length``,
            ``num_beams``...), sent as given.

    Returns:
        ``TranslationOutput``: the translation, in ``translation_text``. It is the first element
        of the server's array, or, unlike huggingface_hub (which raised on it), the server's
        object itself.

    Raises:
        RequestError: ``text`` is not a non-empty str, or only one of ``src_lang`` and
            ``tgt_lang`` is given, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer of an
            unexpected shape (an empty array included).
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.translation("My name is Wolfgang and I live in Berlin")
        >>> out.translation_text
        'Mon nom est Wolfgang et je vis à Berlin'
        >>> client.translation("Hello world", src_lang="en_XX", tgt_lang="fr_XX").translation_text
        'Bonjour monde'
    """
    check_text(text, "text")
    if (src_lang is None) != (tgt_lang is None):
        given, missing = ("src_lang", "tgt_lang") if tgt_lang is None else ("tgt_lang", "src_lang")
        raise RequestError(f"`{given}` is given without `{missing}`: give both or neither")
    parameters = {
        "src_lang": src_lang,
        "tgt_lang": tgt_lang,
        "clean_up_tokenization_spaces": clean_up_tokenization_spaces,
        "truncation": truncation,
        "generate_parameters": generate_parameters,
    }
    response = yield from json_task(config, model, "translation", text, parameters)
    return _first_output(response, TranslationOutput)


def _first_output(response: Response, cls: type[T]) -> T:
    """``cls`` from an array's first element or from an object (summarization, translation)."""
    data = response.json()
    if isinstance(data, list):
        if not data:
            raise ProviderError(
                f"unexpected response shape for {cls.__name__}: an empty array", response=response
            )
        data = data[0]
    return structure(data, cls)
