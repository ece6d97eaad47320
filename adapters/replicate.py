"""Replicate: the predictions API at ``https://api.replicate.com`` (images, video, speech).

Every request carries ``Prefer: wait``, so Replicate holds the connection until the prediction
is done (or its wait window ends). A model id ``owner/name`` posts to
``/v1/models/owner/name/predictions``; ``owner/name:version`` posts to ``/v1/predictions`` with
``"version"``. The body is ``{"input": {"prompt", **parameters}}`` (``"text"`` instead of
``"prompt"`` for text-to-speech); a LoRA repo (a mapping with an ``adapterWeightsPath``) adds
``input.lora_weights = "https://huggingface.co/<repo>"`` for text-to-image. The ``output`` (a
URL, or a list whose first item is one) is downloaded without the token.

Deliberate differences from huggingface_hub 0.33.5:

* a prediction that is not finished when the wait window ends (``output`` null) is polled at
  its ``urls.get`` (re-rooted on the base the prediction was created on, so a routed call keeps
  polling through the Hugging Face router), with a 1 s wait before each GET, until its status
  is final. The waits count against the client's ``timeout`` (``InferenceTimeoutError`` once
  they would pass it; no limit without one). The reference gave up with a ``TimeoutError``;
* ``failed``/``canceled`` predictions raise ``ProviderError`` with Replicate's ``error``;
* downloads check the HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inference_core.providers import (
    TEXT_TO_IMAGE,
    TEXT_TO_SPEECH,
    TEXT_TO_VIDEO,
    MediaAdapter,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._polling import Deadline, download, field, reroot

NAME = "replicate"
HUB = "https://huggingface.co"
POLL_INTERVAL = 1.0
_FAILED = frozenset({"failed", "canceled", "aborted"})

Build = Callable[[Route[Any], str, dict[str, Any]], dict[str, Any]]


def _prompt_input(route: Route[Any], prompt: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"prompt": prompt, **params}


def _image_input(route: Route[Any], prompt: str, params: dict[str, Any]) -> dict[str, Any]:
    payload = {"prompt": prompt, **params}
    if route.mapping is not None and route.mapping.adapter_weights_path:
        payload["lora_weights"] = f"{HUB}/{route.model_id}"
    return payload


def _speech_input(route: Route[Any], text: str, params: dict[str, Any]) -> dict[str, Any]:
    return {**params, "text": text}


def predictions(build: Build, *, image: bool = False) -> MediaAdapter:
    """An adapter creating a prediction ``{"input": build(...)}`` and downloading its output.

    ``image``: send ``Accept: image/png`` like huggingface_hub did for text-to-image.
    """

    def adapter(route: Route[Any], inputs: str, parameters: dict[str, Any]) -> Plan[bytes]:
        payload: dict[str, Any] = {"input": build(route, inputs, filter_none(parameters))}
        model, _, version = route.provider_id.partition(":")
        if version:
            path = "/v1/predictions"
            payload["version"] = version
        else:
            path = f"/v1/models/{model}/predictions"
        accept = "image/png" if image else None
        response = yield from send(route.post_json(path, payload, accept=accept))
        prediction = response.json()
        output = yield from _finished_output(route, prediction)
        url = output if isinstance(output, str) else field(output, NAME, 0)
        return (yield from download(route, url))

    return adapter


def _finished_output(route: Route[Any], prediction: Any) -> Plan[Any]:
    """The prediction's ``output`` as soon as it is set, whatever the status says; else poll
    ``urls.get`` until it is (or the prediction failed)."""
    deadline: Deadline | None = None
    while True:
        if not isinstance(prediction, dict):
            raise ProviderError(
                f"{NAME} answered with something else than a prediction: {prediction!r:.200}"
            )
        status, output = prediction.get("status"), prediction.get("output")
        if status in _FAILED:
            error = prediction.get("error") or "no error message"
            raise ProviderError(f"{NAME} prediction {prediction.get('id')} {status}: {error}")
        if output is not None and (output != [] or status == "succeeded"):
            return output  # set, even while "starting"/"processing" (as `Prefer: wait` answers)
        if status == "succeeded":
            raise ProviderError(
                f"{NAME} prediction succeeded without output: {str(prediction)[:200]}"
            )
        url = field(prediction, NAME, "urls", "get")
        if deadline is None:
            deadline = Deadline(route.timeout, f"{NAME} prediction {prediction.get('id') or url}")
        yield from deadline.wait(POLL_INTERVAL)
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ProviderError(f"{NAME}: `urls.get` is not a URL: {url!r:.200}")
        polled = yield from send(route.get(reroot(route.base_url, url)))
        prediction = polled.json()


PROVIDER = Provider(
    name=NAME,
    base_url="https://api.replicate.com",
    tasks=[
        TEXT_TO_IMAGE.use(predictions(_image_input, image=True)),
        TEXT_TO_VIDEO.use(predictions(_prompt_input)),
        TEXT_TO_SPEECH.use(predictions(_speech_input)),
    ],
    extra_headers=(("Prefer", "wait"),),
)
