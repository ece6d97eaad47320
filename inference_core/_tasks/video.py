"""The image-to-video plan: animate an image, guided by an optional prompt.

Strategy: as the other generation plans (``vision_generation.py``): the arguments and the image
are checked and read before any I/O, the model is resolved on the one path (``resolve``), and
the provider's adapter for ``image-to-video`` sends the request(s): hf-inference (and a model
given as a URL) takes the image as a binary task, the inference providers submit a job and poll
it (fal-ai, together, wavespeed). The answer is the video's bytes, as sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._config import ClientConfig
from .._contract import IMAGE_TO_VIDEO
from .._errors import RequestError
from .._plan import Plan
from .._resolve import resolve
from .._types import ImageToImageTargetSize
from .._wire import to_wire
from ._inputs import ContentT, check_text, read_content

__all__ = ["image_to_video"]


def image_to_video(
    config: ClientConfig,
    /,
    image: ContentT,
    *,
    model: str | None = None,
    prompt: str | None = None,
    negative_prompt: str | None = None,
    num_frames: float | None = None,
    num_inference_steps: int | None = None,
    guidance_scale: float | None = None,
    seed: int | None = None,
    target_size: ImageToImageTargetSize | Mapping[str, int] | None = None,
    **kwargs: Any,
) -> Plan[bytes]:
    """Generate a video from an image, optionally guided by a text prompt.

    On hf-inference (and a model given as a URL) the image is sent raw when no parameter is
    set, else ``{"inputs": <base64 image>, "parameters": {prompt, negative_prompt, num_frames,
    num_inference_steps, guidance_scale, seed, target_size, **kwargs}}`` as JSON (None values
    left out). Inference providers (fal-ai, together, wavespeed) take the image inlined as a
    ``data:`` URL in their own job format, and are polled until the video is ready; the waits
    count against the client's ``timeout``. The method is new in huggingface_hub after v0.33.5;
    its signature is today's.

    Args:
        image: the first frame: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://``
            URL (downloaded by the client, without your token), a binary file object or a PIL
            image (sent as PNG).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        prompt: the text guiding the animation.
        negative_prompt: what the video should not contain.
        num_frames: how many frames to generate.
        num_inference_steps: the number of denoising steps (more: better and slower).
        guidance_scale: how closely the video follows the prompt.
        seed: the seed of the random generator.
        target_size: the video's frame size, an ``ImageToImageTargetSize`` or a dict with
            ``height`` and ``width`` (fal-ai: ``image_size``).
        **kwargs: more parameters (model- or provider-specific), sent as they are.

    Returns:
        ``bytes``: the video as the server sent it (e.g. MP4).

    Raises:
        RequestError: bad arguments (an empty prompt, a ``target_size`` of the wrong type) or
            an unreadable input, before any request (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class), or the provider's job failed or answered in an unexpected shape.
        InferenceTimeoutError: no answer, or no finished job, within the client's ``timeout``
            (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> video = client.image_to_video("cat.png", prompt="The cat starts to dance")
        >>> video[4:8]
        b'ftyp'
        >>> with open("dancing_cat.mp4", "wb") as file:
        ...     _ = file.write(video)
    """
    if prompt is not None:
        check_text(prompt, "prompt")
    if target_size is not None and not isinstance(target_size, (ImageToImageTargetSize, Mapping)):
        raise RequestError(
            "`target_size` must be an ImageToImageTargetSize or a dict with 'height' and"
            f" 'width', got {type(target_size).__name__}"
        )
    content = yield from read_content(image, argument="image", timeout=config.timeout)
    parameters = {
        "prompt": prompt,
        "negative_prompt": negative_prompt,
        "num_frames": num_frames,
        "num_inference_steps": num_inference_steps,
        "guidance_scale": guidance_scale,
        "seed": seed,
        "target_size": to_wire(target_size),
        **kwargs,
    }
    route = yield from resolve(config, model or config.model, IMAGE_TO_VIDEO)
    return (yield from route.adapter(route, content, parameters))
