"""Generation plans of the vision family: image_to_image, text_to_image, text_to_video.

Strategy: each plan checks its arguments (and, for the tasks that return images, that Pillow is
installed) before any I/O, sends one request in huggingface_hub's wire shape (spec tasks.md §4:
parameter order, ``extra_body``/``**kwargs`` merged last, ``Accept: image/png`` for the two
image tasks), and turns the answer's bytes into the result: a ``PIL.Image.Image``, or the video
bytes as sent. The image helpers here are shared with ``vision.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._boundary import Response
from .._config import ClientConfig
from .._contract import IMAGE_TO_IMAGE, TEXT_TO_IMAGE, TEXT_TO_VIDEO
from .._errors import ProviderError, RequestError
from .._plan import Plan
from .._resolve import resolve
from .._types import ImageToImageTargetSize
from .._wire import to_wire
from ._inputs import ContentT, check_text, read_content
from ._optional import decode_image, import_pil_image

if TYPE_CHECKING:
    import PIL.Image

__all__ = [
    "check_extra_body",
    "decoded_image",
    "image_to_image",
    "text_to_image",
    "text_to_video",
]


def image_to_image(
    config: ClientConfig,
    /,
    image: ContentT,
    prompt: str | None = None,
    *,
    negative_prompt: str | None = None,
    num_inference_steps: int | None = None,
    guidance_scale: float | None = None,
    model: str | None = None,
    target_size: ImageToImageTargetSize | Mapping[str, int] | None = None,
    **kwargs: Any,
) -> Plan[PIL.Image.Image]:
    """Transform an image, guided by a text prompt (image-to-image diffusion, editing...).

    Sends the raw image bytes when no parameter is set, else ``{"inputs": <base64 image>,
    "parameters": {prompt, negative_prompt, target_size, num_inference_steps, guidance_scale,
    **kwargs}}`` as JSON (None values left out), with ``Accept: image/png`` unless the
    client's headers set an ``Accept``. Unlike huggingface_hub, the body carries a Content-Type
    (sniffed from the image bytes, or ``application/json``), and a user ``Accept`` header is
    recognised in any spelling. Inference providers (fal-ai, replicate, together, wavespeed)
    take the image inlined as a ``data:`` URL in their own formats; fal-ai and wavespeed are
    polled until the image is ready, within the client's ``timeout``.

    Args:
        image: the image: bytes, a local path (str or ``pathlib.Path``), an ``http(s)://`` URL
            (downloaded by the client, without your token), a binary file object or a PIL image
            (sent as PNG). Unlike huggingface_hub, file objects and PIL images work here.
        prompt: the text guiding the transformation.
        negative_prompt: what the result should not contain.
        num_inference_steps: the number of denoising steps (more: better and slower).
        guidance_scale: how closely the result follows the prompt.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        target_size: the output size, an ``ImageToImageTargetSize`` or a dict with
            ``height`` and ``width`` (ignored by models that do not support it).
        **kwargs: more parameters, sent as they are inside ``"parameters"``.

    Returns:
        The generated image, a ``PIL.Image.Image``.

    Raises:
        ImportError: Pillow is not installed (``pip install 'hf-inference-core[images]'``);
            checked before anything is sent.
        RequestError: bad arguments (an empty prompt, a ``target_size`` of the wrong type) or
            an unreadable input, before any request (also a ``ValueError``).
        FileNotFoundError: the input is a local path to no file.
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with bytes that are not an
            image.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> image = client.image_to_image("cat.png", prompt="Turn the cat into a tiger")
        >>> image.size
        (64, 48)
        >>> image = client.image_to_image(
        ...     "cat.png", "Turn the cat into a tiger", target_size={"width": 32, "height": 32}
        ... )
        >>> image.size
        (32, 32)
        >>> image.save("tiger.png")
    """
    import_pil_image()
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
        "target_size": to_wire(target_size),
        "num_inference_steps": num_inference_steps,
        "guidance_scale": guidance_scale,
        **kwargs,
    }
    route = yield from resolve(config, model or config.model, IMAGE_TO_IMAGE)
    image_bytes = yield from route.adapter(route, content, parameters)
    return decoded_image(image_bytes, "the image-to-image answer")


def text_to_image(
    config: ClientConfig,
    /,
    prompt: str,
    *,
    negative_prompt: str | None = None,
    height: int | None = None,
    width: int | None = None,
    num_inference_steps: int | None = None,
    guidance_scale: float | None = None,
    model: str | None = None,
    scheduler: str | None = None,
    seed: int | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Plan[PIL.Image.Image]:
    """Generate an image from a text prompt.

    Sends ``{"inputs": prompt, "parameters": {negative_prompt, height, width,
    num_inference_steps, guidance_scale, scheduler, seed, **extra_body}}`` as JSON (None
    values left out), with ``Accept: image/png`` unless the client's headers set an
    ``Accept`` (unlike huggingface_hub, in any spelling).

    Args:
        prompt: the description of the image.
        negative_prompt: what the image should not contain.
        height: the height of the image, in pixels.
        width: the width of the image, in pixels.
        num_inference_steps: the number of denoising steps (more: better and slower).
        guidance_scale: how closely the image follows the prompt (too high saturates it).
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        scheduler: the name of a compatible scheduler to use instead of the model's.
        seed: the seed of the random generator (the same seed gives the same image).
        extra_body: more parameters (model- or provider-specific), merged last into
            ``"parameters"``, so they may override the ones above.

    Returns:
        The generated image, a ``PIL.Image.Image``.

    Raises:
        ImportError: Pillow is not installed (``pip install 'hf-inference-core[images]'``);
            checked before anything is sent.
        RequestError: bad arguments (an empty prompt, a non-dict ``extra_body``), before any
            request (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with bytes that are not an
            image.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> image = client.text_to_image("An astronaut riding a horse on the moon.")
        >>> image.size
        (512, 512)
        >>> image = client.text_to_image(
        ...     "An astronaut riding a horse on the moon.", width=256, height=128, seed=42
        ... )
        >>> image.size
        (256, 128)
        >>> image.save("astronaut.png")
    """
    import_pil_image()
    check_text(prompt, "prompt")
    check_extra_body(extra_body)
    parameters = {
        "negative_prompt": negative_prompt,
        "height": height,
        "width": width,
        "num_inference_steps": num_inference_steps,
        "guidance_scale": guidance_scale,
        "scheduler": scheduler,
        "seed": seed,
        **(extra_body or {}),
    }
    route = yield from resolve(config, model or config.model, TEXT_TO_IMAGE)
    image_bytes = yield from route.adapter(route, prompt, parameters)
    return decoded_image(image_bytes, f"the text-to-image answer of {route.provider.name}")


def text_to_video(
    config: ClientConfig,
    /,
    prompt: str,
    *,
    model: str | None = None,
    guidance_scale: float | None = None,
    negative_prompt: list[str] | None = None,
    num_frames: float | None = None,
    num_inference_steps: int | None = None,
    seed: int | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Plan[bytes]:
    """Generate a video from a text prompt.

    Sends ``{"inputs": prompt, "parameters": {guidance_scale, negative_prompt, num_frames,
    num_inference_steps, seed, **extra_body}}`` as JSON (None values left out) to the model's
    URL, and returns the answer's bytes. huggingface_hub 0.33.5 refuses this task on
    hf-inference before sending anything; this client sends the request, which is what an
    Inference Endpoint or a local server serving a text-to-video model expects. Other providers
    (fal-ai, novita, replicate, together, wavespeed) have their own wire formats, handled by
    their adapters.

    Args:
        prompt: the description of the video.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        guidance_scale: how closely the video follows the prompt (too high saturates it).
        negative_prompt: what the video should not contain (one or more prompts).
        num_frames: how many frames to generate.
        num_inference_steps: the number of denoising steps (more: better and slower).
        seed: the seed of the random generator.
        extra_body: more parameters (model- or provider-specific), merged last into
            ``"parameters"``, so they may override the ones above.

    Returns:
        ``bytes``: the video as the server sent it (e.g. MP4).

    Raises:
        RequestError: bad arguments (an empty prompt, a non-dict ``extra_body``), before any
            request (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``).
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> video = client.text_to_video("A young man walking on the street", num_frames=16)
        >>> video[4:8]
        b'ftyp'
        >>> with open("street.mp4", "wb") as file:
        ...     _ = file.write(video)
    """
    check_text(prompt, "prompt")
    check_extra_body(extra_body)
    parameters = {
        "guidance_scale": guidance_scale,
        "negative_prompt": negative_prompt,
        "num_frames": num_frames,
        "num_inference_steps": num_inference_steps,
        "seed": seed,
        **(extra_body or {}),
    }
    route = yield from resolve(config, model or config.model, TEXT_TO_VIDEO)
    return (yield from route.adapter(route, prompt, parameters))


def check_extra_body(extra_body: Any) -> None:
    """Reject an ``extra_body`` that is not a dict, before any I/O."""
    if extra_body is not None and not isinstance(extra_body, Mapping):
        raise RequestError(f"`extra_body` must be a dict, got {type(extra_body).__name__}")


def decoded_image(data: bytes, what: str, response: Response | None = None) -> PIL.Image.Image:
    """A ``PIL.Image.Image`` from ``data``; a ProviderError if Pillow cannot read it."""
    try:
        image: PIL.Image.Image = decode_image(data)
    except ImportError:
        raise
    except Exception as exc:
        raise ProviderError(
            f"{what} is not an image Pillow can read ({type(exc).__name__}: {exc});"
            f" it starts with {data[:60]!r}",
            response=response,
        ) from exc
    return image
