"""Question answering on images: document_question_answering and visual_question_answering.

Strategy: the question is checked first, then the image is read once (bytes, a path, a file
object, a PIL image, or an http(s) URL downloaded without the user's token) before the model is
resolved, so a bad local path fails before any request. The bodies are huggingface_hub's (spec
tasks.md §4): DQA sends the base64 image inside ``inputs``; VQA keeps the reference's wire shape,
with the image both in ``inputs`` and in ``image``, but reads and downloads it only once (the
reference downloaded a URL twice). A single answer object is accepted as a one-item list.
"""

from __future__ import annotations

from typing import Any

from .._config import ClientConfig
from .._converter import structure_list
from .._plan import Plan
from .._types import DocumentQuestionAnsweringOutputElement, VisualQuestionAnsweringOutputElement
from ._inputs import ContentT, b64, check_text, read_content
from ._requests import binary_task, json_task

__all__ = ["document_question_answering", "visual_question_answering"]


def document_question_answering(
    config: ClientConfig,
    /,
    image: ContentT,
    question: str,
    *,
    model: str | None = None,
    doc_stride: int | None = None,
    handle_impossible_answer: bool | None = None,
    lang: str | None = None,
    max_answer_len: int | None = None,
    max_question_len: int | None = None,
    max_seq_len: int | None = None,
    top_k: int | None = None,
    word_boxes: list[list[float] | str] | None = None,
) -> Plan[list[DocumentQuestionAnsweringOutputElement]]:
    """Answer a question about a document image (a scanned page, an invoice, a form...).

    Sends ``{"inputs": {"question": question, "image": <base64 image>}, "parameters": {...}}``
    as JSON (options left at None are not sent).

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG).
        question: the question, in plain text.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        doc_stride: overlap, in tokens, between the chunks of a document too long for the
            model.
        handle_impossible_answer: accept "impossible" (no answer) as an answer.
        lang: language of the OCR run on the image, if the server runs one (English by
            default).
        max_answer_len: maximum length, in tokens, of an answer.
        max_question_len: maximum length, in tokens, of the question after tokenization.
        max_seq_len: maximum length, in tokens, of each chunk (question plus context).
        top_k: number of answers to return (fewer if there are not enough).
        word_boxes: words and boxes (``[x0, y0, x1, y1]`` normalized to 0-1000) to use
            instead of running OCR on the image.

    Returns:
        ``list[DocumentQuestionAnsweringOutputElement]``, most likely first: each ``answer``
        with its ``score`` and its word span (``start``, ``end``: indexes of the document's
        words). Where huggingface_hub raised on a single answer object, it is returned as a
        one-item list.

    Raises:
        RequestError: an empty question, or an image that cannot be read, before any request
            to the model (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer of an
            unexpected shape.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.document_question_answering("invoice.png", "What is the invoice number?")
        >>> out[0].answer, out[0].score, out[0].start, out[0].end
        ('us-001', 0.9837, 16, 16)
    """
    check_text(question, "question")
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    parameters = {
        "doc_stride": doc_stride,
        "handle_impossible_answer": handle_impossible_answer,
        "lang": lang,
        "max_answer_len": max_answer_len,
        "max_question_len": max_question_len,
        "max_seq_len": max_seq_len,
        "top_k": top_k,
        "word_boxes": word_boxes,
    }
    inputs = {"question": question, "image": b64(content)}
    task = "document-question-answering"
    response = yield from json_task(config, model, task, inputs, parameters)
    data = _as_list(response.json())
    return structure_list(data, DocumentQuestionAnsweringOutputElement)


def visual_question_answering(
    config: ClientConfig,
    /,
    image: ContentT,
    question: str,
    *,
    model: str | None = None,
    top_k: int | None = None,
) -> Plan[list[VisualQuestionAnsweringOutputElement]]:
    """Answer an open-ended question about an image.

    Sends ``{"inputs": <base64 image>, "parameters": {...}, "question": question, "image":
    <base64 image>}`` as JSON: huggingface_hub's body, which carries the image twice. Unlike
    huggingface_hub, an image URL is downloaded once, not twice, and file objects and PIL
    images are accepted (the reference rejected them).

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG).
        question: the question, in plain text.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        top_k: number of answers to return (fewer if there are not enough).

    Returns:
        ``list[VisualQuestionAnsweringOutputElement]``: candidate answers (``answer``) with
        their ``score``, most likely first. A single answer object is returned as a one-item
        list.

    Raises:
        RequestError: an empty question, or an image that cannot be read, before any request
            to the model (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer of an
            unexpected shape.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.visual_question_answering("cat.png", "What animal is it?", top_k=2)
        >>> [(answer.answer, answer.score) for answer in out]
        [('cat', 0.9421), ('kitten', 0.0318)]
    """
    check_text(question, "question")
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    task = "visual-question-answering"
    extra = {"question": question, "image": b64(content)}
    response = yield from binary_task(config, model, task, content, {"top_k": top_k}, extra=extra)
    data = _as_list(response.json())
    return structure_list(data, VisualQuestionAnsweringOutputElement)


def _as_list(data: Any) -> Any:
    return [data] if isinstance(data, dict) else data
