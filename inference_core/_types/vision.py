"""Output and input types of the vision tasks (image_classification,
image_segmentation, image_to_image, image_to_text, object_detection, text_to_image,
text_to_video, zero_shot_image_classification).

Strategy: same conventions as ``chat_completion.py`` (huggingface_hub's class names, field
names and field order: required fields first, then optional ones, each group alphabetical;
every field defaults to None). Leaf classes come first so every annotation is a real class when
cattrs reads it. The last group are types huggingface_hub exports but no method returns; they
are kept so that imports written against it keep working.
"""

from typing import Any, Literal, Optional

from ._base import NONE, BaseInferenceType, inference_type

__all__ = [
    "ImageClassificationOutputElement",
    "ImageClassificationOutputTransform",
    "ImageSegmentationOutputElement",
    "ImageSegmentationSubtask",
    "ImageToImageTargetSize",
    "ImageToTextOutput",
    "ObjectDetectionBoundingBox",
    "ObjectDetectionOutputElement",
    "ZeroShotImageClassificationOutputElement",
    "DepthEstimationOutput",
    "ImageToImageOutput",
    "TextToImageOutput",
    "TextToVideoOutput",
    "VideoClassificationOutputElement",
    "ZeroShotObjectDetectionBoundingBox",
    "ZeroShotObjectDetectionOutputElement",
]

ImageClassificationOutputTransform = Literal["sigmoid", "softmax", "none"]
ImageSegmentationSubtask = Literal["instance", "panoptic", "semantic"]


@inference_type
class ImageClassificationOutputElement(BaseInferenceType):
    """A predicted class of an image and its probability."""

    label: str = NONE
    score: float = NONE


@inference_type
class ImageSegmentationOutputElement(BaseInferenceType):
    """A segment of an image: its label, its mask and, for some models, a score.

    The server sends ``mask`` as a base64 PNG; ``image_segmentation`` replaces it with the
    decoded ``PIL.Image.Image`` (a black-and-white image the size of the input).
    """

    label: str = NONE
    mask: Any = None
    score: Optional[float] = None


@inference_type
class ImageToImageTargetSize(BaseInferenceType):
    """The size in pixels of the image ``image_to_image`` should return."""

    height: int = NONE
    width: int = NONE


@inference_type
class ImageToTextOutput(BaseInferenceType):
    """The text generated from an image (a caption, OCR text, ...)."""

    generated_text: Any = None
    image_to_text_output_generated_text: Optional[str] = None


@inference_type
class ObjectDetectionBoundingBox(BaseInferenceType):
    """The box around a detected object, in pixels of the input image."""

    xmax: int = NONE
    xmin: int = NONE
    ymax: int = NONE
    ymin: int = NONE


@inference_type
class ObjectDetectionOutputElement(BaseInferenceType):
    """A detected object: where it is, what it is, and how sure the model is."""

    box: ObjectDetectionBoundingBox = NONE
    label: str = NONE
    score: float = NONE


@inference_type
class ZeroShotImageClassificationOutputElement(BaseInferenceType):
    """One of the candidate labels and its probability for the image."""

    label: str = NONE
    score: float = NONE


# --- Exported by huggingface_hub, returned by no method ------------------------------------------


@inference_type
class DepthEstimationOutput(BaseInferenceType):
    """A depth map (``depth``: an image) and the raw predicted depth tensor."""

    depth: Any = None
    predicted_depth: Any = None


@inference_type
class ImageToImageOutput(BaseInferenceType):
    """An image produced from an image (``image_to_image`` returns the PIL image itself)."""

    image: Any = None


@inference_type
class TextToImageOutput(BaseInferenceType):
    """An image produced from text (``text_to_image`` returns the PIL image itself)."""

    image: Any = None


@inference_type
class TextToVideoOutput(BaseInferenceType):
    """A video produced from text (``text_to_video`` returns the video bytes themselves)."""

    video: Any = None


@inference_type
class VideoClassificationOutputElement(BaseInferenceType):
    """A predicted class of a video and its probability."""

    label: str = NONE
    score: float = NONE


@inference_type
class ZeroShotObjectDetectionBoundingBox(BaseInferenceType):
    """The box around an object found by zero-shot detection, in pixels."""

    xmax: int = NONE
    xmin: int = NONE
    ymax: int = NONE
    ymin: int = NONE


@inference_type
class ZeroShotObjectDetectionOutputElement(BaseInferenceType):
    """An object found by zero-shot detection: its box, candidate label and score."""

    box: ZeroShotObjectDetectionBoundingBox = NONE
    label: str = NONE
    score: float = NONE
