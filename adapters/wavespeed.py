"""WaveSpeedAI: image and video generation jobs at ``https://api.wavespeed.ai/api/v3/<model>``.

Added to Hugging Face's Inference Providers after huggingface_hub v0.33.5 (spec providers.md
Appendix A.2). A task is submitted as JSON to ``/api/v3/<provider id>``:

* text-to-image, text-to-video: ``{"prompt", **parameters}``;
* image-to-image, image-to-video: ``{"image", **parameters, "prompt"?}``, the image inlined as
  a ``data:`` URL (its type sniffed, ``image/jpeg`` if unknown; an image given as a URL is
  downloaded by the client first, where the reference passed it through), the prompt optional.

The answer's ``data.urls.get`` is re-rooted on the base the job was submitted to (so a routed
call polls through ``https://router.huggingface.co/wavespeed``) and polled with the submit's
headers, with a 0.5 s wait before each GET, within the client's ``timeout`` (the reference had
no limit): ``completed`` downloads ``data.outputs[0]``; ``processing`` and ``created`` keep
polling; ``failed`` (with WaveSpeed's ``error``) or any other status is a ``ProviderError``.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    IMAGE_TO_IMAGE,
    IMAGE_TO_VIDEO,
    TEXT_TO_IMAGE,
    TEXT_TO_VIDEO,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._polling import Deadline, data_url, download, field, reroot

NAME = "wavespeed"
POLL_INTERVAL = 0.5
_PENDING = frozenset({"processing", "created"})


def _text_task(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """Submit ``{"prompt", **parameters}``; the job's first output."""
    return (yield from _job(route, {"prompt": prompt, **filter_none(parameters)}))


def _image_task(route: Route[Any], image: bytes, parameters: dict[str, Any]) -> Plan[bytes]:
    """Submit ``{"image", **parameters, "prompt"?}``; the job's first output."""
    params: dict[str, Any] = filter_none(parameters)
    prompt = params.pop("prompt", None)
    payload: dict[str, Any] = {"image": data_url(image, "image/jpeg"), **params}
    if prompt is not None:
        payload["prompt"] = prompt
    return (yield from _job(route, payload))


def _job(route: Route[Any], payload: dict[str, Any]) -> Plan[bytes]:
    accept = "image/png" if route.task in ("text-to-image", "image-to-image") else None
    request = route.post_json(f"/api/v3/{route.provider_id}", payload, accept=accept)
    submitted = yield from send(request)
    result_url = field(submitted.json(), NAME, "data", "urls", "get")
    if not isinstance(result_url, str):
        raise ProviderError(f"{NAME}: `data.urls.get` is not a URL: {result_url!r:.200}")
    poll_url = reroot(route.base_url, result_url)
    deadline = Deadline(route.timeout, f"{NAME} job {result_url}")
    while True:
        yield from deadline.wait(POLL_INTERVAL)
        polled = yield from send(route.get(poll_url))
        data = field(polled.json(), NAME, "data")
        status = data.get("status") if isinstance(data, dict) else None
        if status == "completed":
            return (yield from download(route, field(data, NAME, "outputs", 0)))
        if status not in _PENDING:
            error = data.get("error") if isinstance(data, dict) else None
            raise ProviderError(
                f"{NAME} job ended with status {status!r}: {error or str(data)[:200]}",
                response=polled,
            )


PROVIDER = Provider(
    name=NAME,
    base_url="https://api.wavespeed.ai",
    tasks=[
        TEXT_TO_IMAGE.use(_text_task),
        TEXT_TO_VIDEO.use(_text_task),
        IMAGE_TO_IMAGE.use(_image_task),
        IMAGE_TO_VIDEO.use(_image_task),
    ],
)
