"""fal.ai: media models on ``https://fal.run/<model>``, video through fal's job queue.

Direct calls authenticate with ``authorization: Key <key>``; routed ones (``hf_`` key) go
through ``https://router.huggingface.co/fal-ai`` with Bearer. Requests and answers:

* text-to-image: ``{"prompt", **parameters}``; ``width`` and ``height`` become
  ``image_size: {"width", "height"}`` when both are given; a LoRA repo (a mapping with an
  ``adapterWeightsPath``) adds ``loras: [{"path": <Hub file URL>, "scale": 1}]``, plus the SDXL
  base ``model_name`` for the ``fal-ai/lora`` endpoint. The image at ``images[0].url`` is
  downloaded without the token.
* text-to-speech: ``{"text", **parameters}``; the audio at ``audio.url`` is downloaded.
* automatic-speech-recognition: ``{"audio_url", **parameters}``, where an http(s) URL is sent
  as is and any other input is read and inlined as a ``data:`` URL; the answer (``{"text",
  ...}``) is returned.
* the queue tasks (spec providers.md §4.4.1, Appendix A.2): the payload is submitted to the
  queue (direct: ``https://queue.fal.run``; routed: the router URL plus ``?_subdomain=queue``),
  whose status is polled, with ``Sleep(0.5)`` before each GET, until ``COMPLETED``; then the
  result JSON is fetched. Status and result URLs take their path from the answer's
  ``response_url`` (fal's app path can differ from the model id), re-rooted on the submit base
  with the same query; polls carry the submit's headers (auth, bill-to...). A LoRA repo adds
  ``loras`` as for text-to-image. Per task:

  * text-to-video: ``{"prompt", **parameters}``; ``video.url`` is downloaded;
  * image-to-image: ``{"image_url", "image_urls": [url], **parameters}`` (the image inlined as
    a ``data:`` URL, ``target_size`` sent as ``image_size``); ``images[0].url`` is downloaded;
  * image-to-video: ``{"image_url", **parameters}``; ``video.url`` is downloaded;
  * image-segmentation: ``{"image_url", **parameters, "sync_mode": true}``; the mask at
    ``image.url`` (a ``data:`` URL, or downloaded) is returned as
    ``[{"label": "mask", "mask": <base64>}]``.

Deliberate differences from huggingface_hub 0.33.5:

* the queue's waits count against the client's ``timeout``: ``InferenceTimeoutError`` once they
  would pass it (no limit when ``timeout`` is None; the reference always polled forever), and a
  failure status (``FAILED``, ``ERROR``, ``CANCELLED``) is a ``ProviderError`` at once;
* the inlined audio's MIME type is sniffed from its bytes (the reference always said
  ``audio/mpeg``; unknown bytes still do), and paths, file objects and bytes all work;
* an image given as a URL is downloaded by the client and inlined as a ``data:`` URL (the
  reference passed http(s) URLs through): task plans hand adapters the image's bytes;
* answers of the wrong shape are ``ProviderError``; downloads and the result fetch check the
  HTTP status (an error page is not returned as media), and ``data:`` URLs (fal's
  ``sync_mode``) are decoded locally.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from inference_core.providers import (
    AUTOMATIC_SPEECH_RECOGNITION,
    IMAGE_SEGMENTATION,
    IMAGE_TO_IMAGE,
    IMAGE_TO_VIDEO,
    TEXT_TO_IMAGE,
    TEXT_TO_SPEECH,
    TEXT_TO_VIDEO,
    Plan,
    Provider,
    ProviderError,
    Route,
    b64,
    filter_none,
    is_url,
    read_content,
    send,
)

from ._polling import Deadline, data_url, download, field, reroot

NAME = "fal-ai"
SDXL_BASE = "stabilityai/stable-diffusion-xl-base-1.0"
POLL_INTERVAL = 0.5
_FAILED = frozenset({"FAILED", "ERROR", "CANCELLED"})
_DIRECT_HOST = "fal.run"
_DEFAULT_AUDIO_TYPE = "audio/mpeg"
_DEFAULT_IMAGE_TYPE = "image/png"


def text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """POST ``{"prompt", **parameters}`` (sizes packed, LoRA added); download ``images[0]``."""
    params = filter_none(parameters)
    if "width" in params and "height" in params:
        params["image_size"] = {"width": params.pop("width"), "height": params.pop("height")}
    payload = _with_lora(route, {"prompt": prompt, **params})
    if "loras" in payload and route.provider_id == "fal-ai/lora":
        payload["model_name"] = SDXL_BASE
    request = route.post_json(f"/{route.provider_id}", payload, accept="image/png")
    response = yield from send(request)
    url = field(response.json(), NAME, "images", 0, "url")
    return (yield from download(route, url))


def _with_lora(route: Route[Any], payload: dict[str, Any]) -> dict[str, Any]:
    """``payload`` plus ``loras: [{"path": <Hub file URL>, "scale": 1}]`` for a LoRA repo."""
    weights = route.mapping.adapter_weights_path if route.mapping else None
    if weights:
        path = f"{route.hub_endpoint}/{route.model_id}/resolve/main/{weights}"
        payload["loras"] = [{"path": path, "scale": 1}]
    return payload


def _image_params(parameters: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = filter_none(parameters)
    if "target_size" in params:
        params["image_size"] = params.pop("target_size")
    return params


def text_to_speech(route: Route[Any], text: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """POST ``{"text", **parameters}``; download the audio at ``audio.url``."""
    payload = {"text": text, **filter_none(parameters)}
    response = yield from send(route.post_json(f"/{route.provider_id}", payload))
    url = field(response.json(), NAME, "audio", "url")
    return (yield from download(route, url))


def automatic_speech_recognition(
    route: Route[Any], audio: Any, parameters: dict[str, Any]
) -> Plan[dict[str, Any]]:
    """POST ``{"audio_url": <URL or data URL>, **parameters}``; return the ``{"text"}`` answer."""
    if isinstance(audio, str) and is_url(audio):
        audio_url = audio
    else:
        content = yield from read_content(audio, argument="audio", timeout=route.timeout)
        audio_url = data_url(content, _DEFAULT_AUDIO_TYPE)
    payload = {"audio_url": audio_url, **filter_none(parameters)}
    response = yield from send(route.post_json(f"/{route.provider_id}", payload))
    data = response.json()
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise ProviderError(
            f"{NAME} answered without a transcription `text`: {response.text[:200]}",
            response=response,
        )
    return data


def queue_base(base_url: str) -> str:
    """fal's queue host for a direct base URL: ``https://fal.run`` → ``https://queue.fal.run``.

    Any other base (a registered test server, a proxy) serves the queue itself and is kept.
    """
    parts = urlsplit(base_url)
    if parts.netloc != _DIRECT_HOST:
        return base_url.rstrip("/")
    return urlunsplit(parts._replace(netloc=f"queue.{_DIRECT_HOST}")).rstrip("/")


def text_to_video(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """Submit ``{"prompt", **parameters}`` to fal's queue; download the result's video."""
    payload = _with_lora(route, {"prompt": prompt, **filter_none(parameters)})
    result = yield from _queue(route, payload)
    return (yield from download(route, field(result, NAME, "video", "url")))


def image_to_image(route: Route[Any], image: bytes, parameters: dict[str, Any]) -> Plan[bytes]:
    """Submit ``{"image_url", "image_urls", **parameters}``; download ``images[0].url``."""
    url = data_url(image, _DEFAULT_IMAGE_TYPE)
    params = _image_params(parameters)
    payload = _with_lora(route, {"image_url": url, "image_urls": [url], **params})
    result = yield from _queue(route, payload)
    return (yield from download(route, field(result, NAME, "images", 0, "url")))


def image_to_video(route: Route[Any], image: bytes, parameters: dict[str, Any]) -> Plan[bytes]:
    """Submit ``{"image_url", **parameters}`` to fal's queue; download the result's video."""
    url = data_url(image, _DEFAULT_IMAGE_TYPE)
    payload = _with_lora(route, {"image_url": url, **_image_params(parameters)})
    result = yield from _queue(route, payload)
    return (yield from download(route, field(result, NAME, "video", "url")))


def image_segmentation(
    route: Route[Any], image: bytes, parameters: dict[str, Any]
) -> Plan[list[dict[str, Any]]]:
    """Submit ``{"image_url", **parameters, "sync_mode": true}``; the mask as one segment."""
    url = data_url(image, _DEFAULT_IMAGE_TYPE)
    payload = {"image_url": url, **filter_none(parameters), "sync_mode": True}
    result = yield from _queue(route, payload)
    mask = yield from download(route, field(result, NAME, "image", "url"))
    return [{"label": "mask", "mask": b64(mask)}]


def _queue(route: Route[Any], payload: dict[str, Any]) -> Plan[Any]:
    """Submit ``payload`` to fal's queue, poll until done; the result's JSON."""
    base = route.base_url if route.routed else queue_base(route.base_url)
    query = "?_subdomain=queue" if route.routed else ""
    submitted = yield from send(route.post_json(f"{base}/{route.provider_id}{query}", payload))
    job = submitted.json()
    request_id = job.get("request_id") if isinstance(job, dict) else None
    if not request_id:
        raise ProviderError(
            f"{NAME}: no request ID found in the queue's answer: {submitted.text[:200]}",
            response=submitted,
        )
    response_url = field(job, NAME, "response_url")
    if not isinstance(response_url, str):
        raise ProviderError(f"{NAME}: `response_url` is not a URL: {response_url!r:.200}")
    status_url = reroot(base, response_url, suffix="/status", query=query)
    result_url = reroot(base, response_url, query=query)

    deadline = Deadline(route.timeout, f"{NAME} job {request_id}")
    status = job.get("status")
    while status != "COMPLETED":
        if status in _FAILED:
            raise ProviderError(
                f"{NAME} job {request_id} ended with status {status}: {str(job)[:200]}"
            )
        yield from deadline.wait(POLL_INTERVAL)
        polled = yield from send(route.get(status_url))
        job = polled.json()
        status = field(job, NAME, "status")

    result = yield from send(route.get(result_url))
    return result.json()


PROVIDER = Provider(
    name=NAME,
    base_url="https://fal.run",
    tasks=[
        TEXT_TO_IMAGE.use(text_to_image),
        TEXT_TO_VIDEO.use(text_to_video),
        TEXT_TO_SPEECH.use(text_to_speech),
        AUTOMATIC_SPEECH_RECOGNITION.use(automatic_speech_recognition),
        IMAGE_TO_IMAGE.use(image_to_image),
        IMAGE_TO_VIDEO.use(image_to_video),
        IMAGE_SEGMENTATION.use(image_segmentation),
    ],
    auth="fal-key",
)
