"""Vision task plans and their client methods: image_classification,
image_segmentation, image_to_image, image_to_text, object_detection, text_to_image,
text_to_video, zero_shot_image_classification.

Strategy: one plan function per task (its docstring is the method's documentation), then one
line per task in each of the two mixins the clients inherit. The analysis tasks live here;
the three generation tasks live in ``vision_generation.py``. Every analysis task is a binary
task (spec tasks.md §1.3): the image goes raw when no parameter is set, else base64 inside
``{"inputs", "parameters"}`` (with a Content-Type, where huggingface_hub sent none: sniffed
from the image bytes, or ``application/json``). The image is read first (a bad input fails
before any request), then the model is resolved, then one request is sent and its JSON is
parsed into the typed output.
"""

from __future__ import annotations

import base64
import binascii
import warnings
from collections.abc import Sequence
from typing import Any

from .._config import ClientConfig
from .._contract import IMAGE_SEGMENTATION
from .._converter import structure, structure_list
from .._errors import ProviderError, RequestError
from .._facade import async_method, sync_method
from .._plan import Plan
from .._resolve import resolve
from .._types import (
    ImageClassificationOutputElement,
    ImageClassificationOutputTransform,
    ImageSegmentationOutputElement,
    ImageSegmentationSubtask,
    ImageToTextOutput,
    ObjectDetectionOutputElement,
    ZeroShotImageClassificationOutputElement,
)
from ._inputs import ContentT, read_content
from ._optional import import_pil_image
from ._requests import binary_task
from .video import image_to_video
from .vision_generation import decoded_image, image_to_image, text_to_image, text_to_video

__all__ = ["AsyncVisionTasks", "SyncVisionTasks"]


def image_classification(
    config: ClientConfig,
    /,
    image: ContentT,
    *,
    model: str | None = None,
    function_to_apply: ImageClassificationOutputTransform | None = None,
    top_k: int | None = None,
) -> Plan[list[ImageClassificationOutputElement]]:
    """Classify an image: the most likely labels with their probabilities.

    Sends the raw image bytes, or ``{"inputs": <base64 image>, "parameters": {function_to_apply,
    top_k}}`` as JSON when a parameter is set. Unlike huggingface_hub, file objects and PIL
    images work here, and the body carries a Content-Type (sniffed from the image bytes, or
    ``application/json``).

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        function_to_apply: how scores are computed from the model's outputs: ``"sigmoid"``,
            ``"softmax"`` or ``"none"``.
        top_k: return only the ``top_k`` most likely labels.

    Returns:
        ``list[ImageClassificationOutputElement]``, most likely first, each with a ``label``
        and a ``score``.

    Raises:
        RequestError: bad arguments or an unreadable input, before any request (also a
            ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of labels.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.image_classification("cat.png")
        >>> out[0].label, out[0].score
        ('tabby cat', 0.8613)
        >>> [element.label for element in client.image_classification("cat.png", top_k=2)]
        ['tabby cat', 'tiger cat']
    """
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    parameters = {"function_to_apply": function_to_apply, "top_k": top_k}
    response = yield from binary_task(config, model, "image-classification", content, parameters)
    return structure_list(response.json(), ImageClassificationOutputElement)


def image_segmentation(
    config: ClientConfig,
    /,
    image: ContentT,
    *,
    model: str | None = None,
    mask_threshold: float | None = None,
    overlap_mask_area_threshold: float | None = None,
    subtask: ImageSegmentationSubtask | None = None,
    threshold: float | None = None,
) -> Plan[list[ImageSegmentationOutputElement]]:
    """Segment an image: each segment's label, mask and score.

    Sends the raw image bytes, or ``{"inputs": <base64 image>, "parameters": {mask_threshold,
    overlap_mask_area_threshold, subtask, threshold}}`` as JSON when a parameter is set. The
    base64 PNG masks of the answer are decoded into PIL images. Unlike huggingface_hub, file
    objects and PIL images work here, and the body carries a Content-Type (sniffed from the
    image bytes, or ``application/json``).

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        mask_threshold: the threshold that turns predicted masks into binary values.
        overlap_mask_area_threshold: the mask overlap under which small, disconnected segments
            are removed.
        subtask: the kind of segmentation, for models that can do several: ``"instance"``,
            ``"panoptic"`` or ``"semantic"``.
        threshold: the probability under which predicted masks are dropped.

    Returns:
        ``list[ImageSegmentationOutputElement]``: each segment's ``label``, ``mask`` (a
        ``PIL.Image.Image``, usually the size of the input) and ``score``.

    Raises:
        ImportError: Pillow is not installed (``pip install 'hf-inference-core[images]'``);
            checked before anything is sent.
        RequestError: bad arguments or an unreadable input, before any request (also a
            ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer of an
            unexpected shape or a mask that is not a base64 image.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> segments = client.image_segmentation("cat.png")
        >>> [(segment.label, segment.score) for segment in segments]
        [('cat', 0.9894), ('couch', 0.9102)]
        >>> segments[0].mask.size
        (64, 48)
    """
    import_pil_image()
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    parameters = {
        "mask_threshold": mask_threshold,
        "overlap_mask_area_threshold": overlap_mask_area_threshold,
        "subtask": subtask,
        "threshold": threshold,
    }
    route = yield from resolve(config, model or config.model, IMAGE_SEGMENTATION)
    answer = yield from route.adapter(route, content, parameters)
    segments = structure_list(answer, ImageSegmentationOutputElement)
    for index, segment in enumerate(segments):
        if segment.mask is not None:
            segment.mask = _decode_mask(segment.mask, index)
    return segments


def image_to_text(
    config: ClientConfig, /, image: ContentT, *, model: str | None = None
) -> Plan[ImageToTextOutput]:
    """Generate text from an image: a caption, the text it shows (OCR), ...

    Sends the raw image bytes. The answer may be one object or a list (the first is used).
    Unlike huggingface_hub, file objects and PIL images work here, and the body carries a
    Content-Type (sniffed from the image bytes, or ``application/json``).

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.

    Returns:
        ``ImageToTextOutput``: the text, in ``generated_text``.

    Raises:
        RequestError: an unreadable input, before any request (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer of an
            unexpected shape (an empty list included).
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> client.image_to_text("cat.png").generated_text
        'a cat sitting on a couch next to a remote'
    """
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    response = yield from binary_task(config, model, "image-to-text", content, {})
    data = response.json()
    if isinstance(data, list):
        if not data:
            raise ProviderError("the image-to-text answer is an empty list", response=response)
        data = data[0]
    return structure(data, ImageToTextOutput)


def object_detection(
    config: ClientConfig,
    /,
    image: ContentT,
    *,
    model: str | None = None,
    threshold: float | None = None,
) -> Plan[list[ObjectDetectionOutputElement]]:
    """Detect objects in an image: each one's bounding box, label and score.

    Sends the raw image bytes, or ``{"inputs": <base64 image>, "parameters": {threshold}}`` as
    JSON when ``threshold`` is set. Unlike huggingface_hub, file objects and PIL images work
    here, and the body carries a Content-Type (sniffed from the image bytes, or
    ``application/json``).

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        threshold: the probability a detection needs to be returned (transformers' default
            is 0.5).

    Returns:
        ``list[ObjectDetectionOutputElement]``: each detection's ``box`` (an
        ``ObjectDetectionBoundingBox`` with ``xmin``, ``ymin``, ``xmax``, ``ymax``, in pixels),
        ``label`` and ``score``.

    Raises:
        RequestError: bad arguments or an unreadable input, before any request (also a
            ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of detections.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.object_detection("cat.png")
        >>> out[0].label, out[0].score
        ('cat', 0.9982)
        >>> box = out[0].box
        >>> box.xmin, box.ymin, box.xmax, box.ymax
        (0, 0, 32, 24)
        >>> [element.label for element in client.object_detection("cat.png", threshold=0.9)]
        ['cat']
    """
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    parameters = {"threshold": threshold}
    response = yield from binary_task(config, model, "object-detection", content, parameters)
    return structure_list(response.json(), ObjectDetectionOutputElement)


def zero_shot_image_classification(
    config: ClientConfig,
    /,
    image: ContentT,
    candidate_labels: list[str],
    *,
    model: str | None = None,
    hypothesis_template: str | None = None,
    labels: list[str] | None = None,
) -> Plan[list[ZeroShotImageClassificationOutputElement]]:
    """Classify an image into labels of your choice, with a model not trained on them.

    Sends ``{"inputs": <base64 image>, "parameters": {candidate_labels, hypothesis_template}}``
    as JSON. Unlike huggingface_hub, file objects and PIL images work here, and the body carries
    a Content-Type (sniffed from the image bytes, or ``application/json``).

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG).
        candidate_labels: the labels to choose from (at least 2).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        hypothesis_template: the sentence the labels are put into, with ``{}`` for the label
            (e.g. ``"This is a photo of {}."``).
        labels: deprecated and ignored (a FutureWarning says so): use ``candidate_labels``.

    Returns:
        ``list[ZeroShotImageClassificationOutputElement]``, most likely first, each with a
        ``label`` and a ``score``.

    Raises:
        RequestError: fewer than 2 candidate labels, labels that are not strings, or an
            unreadable input, before any request (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of labels.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Warns:
        FutureWarning: ``labels`` was given.

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> out = client.zero_shot_image_classification("cat.png", ["a cat", "a dog"])
        >>> [(element.label, element.score) for element in out]
        [('a cat', 0.8889), ('a dog', 0.1111)]
    """
    if labels is not None:
        warnings.warn(
            "`labels` is deprecated and ignored by `zero_shot_image_classification`: pass"
            " `candidate_labels` instead.",
            FutureWarning,
            stacklevel=4,
        )
    checked = _check_labels(candidate_labels, renamed=labels is not None)
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    parameters = {"candidate_labels": checked, "hypothesis_template": hypothesis_template}
    task = "zero-shot-image-classification"
    response = yield from binary_task(config, model, task, content, parameters)
    return structure_list(response.json(), ZeroShotImageClassificationOutputElement)


def _check_labels(candidate_labels: Any, *, renamed: bool) -> list[str]:
    if candidate_labels is None:
        hint = " (`labels` is deprecated and ignored)" if renamed else ""
        raise RequestError(f"`candidate_labels` is required: give at least 2 labels{hint}")
    if isinstance(candidate_labels, (str, bytes)) or not isinstance(candidate_labels, Sequence):
        raise RequestError(
            f"`candidate_labels` must be a list of strings, got {type(candidate_labels).__name__}"
        )
    if not all(isinstance(label, str) for label in candidate_labels):
        raise RequestError("`candidate_labels` must contain only strings")
    if len(candidate_labels) < 2:
        raise RequestError("You must specify at least 2 classes to compare.")
    return list(candidate_labels)


def _decode_mask(mask: Any, index: int) -> Any:
    what = f"the mask of segment {index}"
    if not isinstance(mask, str):
        raise ProviderError(f"{what} is not a base64 string")
    try:
        data = base64.b64decode(mask, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ProviderError(f"{what} is not valid base64: {exc}") from exc
    return decoded_image(data, what)


class SyncVisionTasks:
    """Vision task methods of ``InferenceClient``."""

    image_classification = sync_method(image_classification)
    image_segmentation = sync_method(image_segmentation)
    image_to_image = sync_method(image_to_image)
    image_to_text = sync_method(image_to_text)
    image_to_video = sync_method(image_to_video)
    object_detection = sync_method(object_detection)
    text_to_image = sync_method(text_to_image)
    text_to_video = sync_method(text_to_video)
    zero_shot_image_classification = sync_method(zero_shot_image_classification)


class AsyncVisionTasks:
    """Vision task methods of ``AsyncInferenceClient``."""

    image_classification = async_method(image_classification)
    image_segmentation = async_method(image_segmentation)
    image_to_image = async_method(image_to_image)
    image_to_text = async_method(image_to_text)
    image_to_video = async_method(image_to_video)
    object_detection = async_method(object_detection)
    text_to_image = async_method(text_to_image)
    text_to_video = async_method(text_to_video)
    zero_shot_image_classification = async_method(zero_shot_image_classification)
