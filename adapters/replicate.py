"""Replicate: the predictions API at ``https://api.replicate.com`` (images, video, speech).

Every request carries ``Prefer: wait``, so Replicate holds the connection until the prediction
is done (or its wait window ends). A model id ``owner/name`` posts to
``/v1/models/owner/name/predictions``; ``owner/name:version`` posts to ``/v1/predictions`` with
``"version"``. The body is ``{"input": {"prompt", **parameters}}`` (``"text"`` instead of
``"prompt"`` for text-to-speech); a LoRA repo (a mapping with an ``adapterWeightsPath``) adds
``input.lora_weights = "https://huggingface.co/<repo>"`` for text-to-image. The ``output`` (a
URL, or a list whose first item is one) is downloaded without the token.

Since huggingface_hub v0.33.5 (spec providers.md Appendix A.2):

* image-to-image: the image, inlined as a ``data:`` URL, goes under each of ``image``,
  ``images``, ``input_image`` and ``input_images`` (model schemas name it differently), before
  the parameters; the output image is downloaded;
* automatic-speech-recognition: ``{"input": {"audio": <URL or data URL>, **parameters}}``; an
  ``http(s)`` URL is passed as is, other inputs are inlined (``audio/wav`` when the bytes are not
  recognised). The output (a string, a list of strings, or an object with ``transcription``,
  ``translation`` or ``txt_file``, a text file that is downloaded) becomes ``{"text"}``.

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
    AUTOMATIC_SPEECH_RECOGNITION,
    IMAGE_TO_IMAGE,
    TEXT_TO_IMAGE,
    TEXT_TO_SPEECH,
    TEXT_TO_VIDEO,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    is_url,
    read_content,
    send,
)

from ._polling import Deadline, data_url, download, field, reroot

NAME = "replicate"
HUB = "https://huggingface.co"
POLL_INTERVAL = 1.0
_FAILED = frozenset({"failed", "canceled", "aborted"})

Build = Callable[[Route[Any], Any, dict[str, Any]], dict[str, Any]]
Adapter = Callable[[Route[Any], Any, dict[str, Any]], Plan[bytes]]
"""A media adapter (text or image input), usable as a MediaAdapter and an ImageMediaAdapter."""


def _prompt_input(route: Route[Any], prompt: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"prompt": prompt, **params}


def _image_input(route: Route[Any], prompt: str, params: dict[str, Any]) -> dict[str, Any]:
    payload = {"prompt": prompt, **params}
    if route.mapping is not None and route.mapping.adapter_weights_path:
        payload["lora_weights"] = f"{HUB}/{route.model_id}"
    return payload


def _speech_input(route: Route[Any], text: str, params: dict[str, Any]) -> dict[str, Any]:
    return {**params, "text": text}


def _image_to_image_input(
    route: Route[Any], image: bytes, params: dict[str, Any]
) -> dict[str, Any]:
    url = data_url(image, "image/png")
    return {"image": url, "images": [url], "input_image": url, "input_images": [url], **params}


def predictions(build: Build, *, image: bool = False) -> Adapter:
    """An adapter creating a prediction ``{"input": build(...)}`` and downloading its output.

    ``image``: send ``Accept: image/png`` like huggingface_hub did for text-to-image.
    """

    def adapter(route: Route[Any], inputs: Any, parameters: dict[str, Any]) -> Plan[bytes]:
        accept = "image/png" if image else None
        output = yield from _predict(route, build(route, inputs, filter_none(parameters)), accept)
        url = output if isinstance(output, str) else field(output, NAME, 0)
        return (yield from download(route, url))

    return adapter


def automatic_speech_recognition(
    route: Route[Any], audio: Any, parameters: dict[str, Any]
) -> Plan[dict[str, Any]]:
    """Transcribe ``{"audio": <URL>, **parameters}``; the output normalised to ``{"text"}``."""
    if isinstance(audio, str) and is_url(audio):
        audio_url = audio
    else:
        content = yield from read_content(audio, argument="audio", timeout=route.timeout)
        audio_url = data_url(content, "audio/wav")
    output = yield from _predict(route, {"audio": audio_url, **filter_none(parameters)}, None)
    if isinstance(output, dict):
        for key in ("transcription", "translation"):
            if isinstance(output.get(key), str):
                return {"text": output[key]}
        if output.get("txt_file"):
            text = yield from download(route, output["txt_file"])
            return {"text": text.decode("utf-8", "replace")}
    if isinstance(output, str):
        return {"text": output}
    if isinstance(output, list) and all(isinstance(item, str) for item in output):
        return {"text": "".join(output)}
    raise ProviderError(f"{NAME}: no transcription in the prediction's output: {output!r:.200}")


def _predict(route: Route[Any], inputs: dict[str, Any], accept: str | None) -> Plan[Any]:
    """Create a prediction of ``inputs`` and return its output once set."""
    payload: dict[str, Any] = {"input": inputs}
    model, _, version = route.provider_id.partition(":")
    if version:
        path = "/v1/predictions"
        payload["version"] = version
    else:
        path = f"/v1/models/{model}/predictions"
    response = yield from send(route.post_json(path, payload, accept=accept))
    return (yield from _finished_output(route, response.json()))


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
        IMAGE_TO_IMAGE.use(predictions(_image_to_image_input, image=True)),
        AUTOMATIC_SPEECH_RECOGNITION.use(automatic_speech_recognition),
    ],
    extra_headers=(("Prefer", "wait"),),
)
