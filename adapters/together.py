"""Together AI: chat, completions, embeddings, speech, images and video at ``api.together.xyz``.

* conversational: ``/v1/chat/completions``; a ``json_schema`` ``response_format`` is sent as
  ``{"type": "json_object", "schema": <schema>}``.
* text-generation: ``/v1/completions``, converted to TGI's shapes (stream events too). Unlike
  huggingface_hub, ``max_new_tokens`` is sent as ``max_tokens``, so the limit is honoured.
* text-to-image: ``/v1/images/generations`` with ``response_format: "base64"``;
  ``num_inference_steps`` and ``guidance_scale`` become Together's ``steps`` and ``guidance``.
  The image comes back base64-encoded in ``data[0].b64_json``.

Since huggingface_hub v0.33.5 (spec providers.md Appendix A.2):

* feature-extraction: OpenAI's embeddings API, ``/v1/embeddings``;
* text-to-speech: ``{"input", **parameters, "model"}`` to ``/v1/audio/speech``; the answer is
  the audio;
* image-to-image: as text-to-image, plus the image inlined as a ``data:`` URL: ``image_url``
  for FLUX.1 Kontext models, ``reference_images: [url]`` for the others; ``target_size``
  becomes ``width``/``height``;
* text-to-video and image-to-video: ``{"model", "prompt", **parameters}`` (the image as
  ``frame_images: [{"input_image": url}]``) to ``/v2/videos``, then ``GET /v2/videos/<id>``
  every 2 s while the job is ``queued`` or ``in_progress``, at most 150 times and within the
  client's ``timeout``; ``completed`` downloads ``outputs.video_url``, ``failed`` is a
  ``ProviderError``.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    FEATURE_EXTRACTION,
    IMAGE_TO_IMAGE,
    IMAGE_TO_VIDEO,
    TEXT_GENERATION,
    TEXT_TO_IMAGE,
    TEXT_TO_SPEECH,
    TEXT_TO_VIDEO,
    Plan,
    Provider,
    ProviderError,
    Response,
    Route,
    filter_none,
    send,
)

from ._openai import b64_image, chat, completions, embeddings, json_object_schema
from ._polling import Deadline, data_url, download, field

NAME = "together"
VIDEO_POLL_INTERVAL = 2.0
VIDEO_MAX_POLLS = 150
_RENAMES = (("num_inference_steps", "steps"), ("guidance_scale", "guidance"))
_PENDING = frozenset({"queued", "in_progress"})


def _image_params(parameters: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = filter_none(parameters)
    for ours, theirs in _RENAMES:
        if ours in params:
            params[theirs] = params.pop(ours)
    size = params.pop("target_size", None)
    if isinstance(size, dict):
        params.update({key: size[key] for key in ("width", "height") if key in size})
    return params


def _generate_image(route: Route[Any], payload: dict[str, Any]) -> Plan[bytes]:
    request = route.post_json("/v1/images/generations", payload, accept="image/png")
    response = yield from send(request)
    return _decoded(response)


def _decoded(response: Response) -> bytes:
    try:
        return b64_image(response.json(), "data", 0, "b64_json")
    except (ValueError, ProviderError) as exc:
        raise ProviderError(
            f"{NAME}: unexpected image answer: {response.text[:200]!r}", response=response
        ) from exc


def _text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """POST the prompt to Together's images API; the image bytes, decoded from base64."""
    params = _image_params(parameters)
    payload = {"prompt": prompt, "response_format": "base64", **params, "model": route.provider_id}
    return (yield from _generate_image(route, payload))


def _image_to_image(route: Route[Any], image: bytes, parameters: dict[str, Any]) -> Plan[bytes]:
    """The images API with the image as ``image_url`` (Kontext) or ``reference_images``."""
    params = _image_params(parameters)
    prompt = params.pop("prompt", None)
    url = data_url(image, "image/png")
    payload: dict[str, Any] = {"prompt": prompt} if prompt is not None else {}
    payload.update({"response_format": "base64", **params, "model": route.provider_id})
    if "kontext" in route.provider_id.lower():
        payload["image_url"] = url
    else:
        payload["reference_images"] = [url]
    return (yield from _generate_image(route, payload))


def _text_to_speech(route: Route[Any], text: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """``{"input", **parameters, "model"}`` to the speech API; the audio bytes."""
    payload = {"input": text, **filter_none(parameters), "model": route.provider_id}
    response = yield from send(route.post_json("/v1/audio/speech", payload))
    return response.body


def _video_params(parameters: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = filter_none(parameters)
    if "num_inference_steps" in params:
        params["steps"] = params.pop("num_inference_steps")
    size = params.pop("target_size", None)
    if isinstance(size, dict):
        params.update({key: size[key] for key in ("width", "height") if key in size})
    return params


def _text_to_video(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """Create a video job from the prompt, poll it, download the video."""
    payload = {"model": route.provider_id, "prompt": prompt, **_video_params(parameters)}
    return (yield from _video_job(route, payload))


def _image_to_video(route: Route[Any], image: bytes, parameters: dict[str, Any]) -> Plan[bytes]:
    """Create a video job whose first frame is the image, poll it, download the video."""
    params = _video_params(parameters)
    payload: dict[str, Any] = {"model": route.provider_id}
    if "prompt" in params:
        payload["prompt"] = params.pop("prompt")
    payload.update(params)
    payload["frame_images"] = [{"input_image": data_url(image, "image/png")}]
    return (yield from _video_job(route, payload))


def _video_job(route: Route[Any], payload: dict[str, Any]) -> Plan[bytes]:
    submitted = yield from send(route.post_json("/v2/videos", payload))
    job = submitted.json()
    job_id = field(job, NAME, "id")
    limit = VIDEO_MAX_POLLS * VIDEO_POLL_INTERVAL
    budget = limit if route.timeout is None else min(route.timeout, limit)
    deadline = Deadline(budget, f"{NAME} video job {job_id}")
    while True:
        status = job.get("status") if isinstance(job, dict) else None
        if status == "completed":
            return (yield from download(route, field(job, NAME, "outputs", "video_url")))
        if status not in _PENDING:
            error = job.get("error") if isinstance(job, dict) else None
            raise ProviderError(
                f"{NAME} video job {job_id} ended with status {status!r}: {error or str(job)[:200]}"
            )
        yield from deadline.wait(VIDEO_POLL_INTERVAL)
        polled = yield from send(route.get(route.url(f"/v2/videos/{job_id}")))
        job = polled.json()


PROVIDER = Provider(
    name=NAME,
    base_url="https://api.together.xyz",
    tasks=[
        CONVERSATIONAL.use(chat("/v1/chat/completions", json_object_schema)),
        TEXT_GENERATION.use(completions("/v1/completions")),
        TEXT_TO_IMAGE.use(_text_to_image),
        FEATURE_EXTRACTION.use(embeddings("/v1/embeddings")),
        TEXT_TO_SPEECH.use(_text_to_speech),
        IMAGE_TO_IMAGE.use(_image_to_image),
        TEXT_TO_VIDEO.use(_text_to_video),
        IMAGE_TO_VIDEO.use(_image_to_video),
    ],
)
