"""hf-inference: Hugging Face's own serverless API, and any endpoint or server given as a URL.

Routes (spec providers.md §4.9, tasks.md §1.3, §5): a model id goes to
``https://router.huggingface.co/hf-inference/models/<id>``, with ``/pipeline/<task>`` added for
feature-extraction and sentence-similarity; a model given as a URL (an Inference Endpoint, a TGI,
TEI or OpenAI-compatible server) is posted to verbatim. Chat goes to ``<that>/v1/chat/completions``.

Payloads:

* tasks of the inference API: ``{"inputs": ..., "parameters": {...}, **extra}`` as JSON, with
  ``"parameters"`` always present; binary tasks send the raw bytes when no parameter is set
  (with a Content-Type sniffed from the bytes, where huggingface_hub sent none), else
  ``{"inputs": <base64>, "parameters": {...}}`` as JSON;
* chat: TGI's OpenAI-style body: ``model`` first (``"dummy"`` for a URL model), messages last,
  a ``json_schema`` response format rewritten to TGI's ``{"type": "json_object", "value": ...}``;
* text generation: TGI's ``{"inputs", "parameters", "stream"}``; to an OpenAI-compatible server
  URL (a path ending in ``/v1`` or holding ``/v1/``), OpenAI's completions body instead;
* feature extraction: ``{"inputs", **options}`` (options at the root, as TEI takes them); an
  OpenAI-compatible server URL never reaches this adapter for it: the core speaks OpenAI's
  embeddings API there (``inference_core/_tasks/embeddings.py``, docs/interop.md).

The token is optional: with none, no ``authorization`` header is sent. Importing this module
registers nothing; ``adapters/__init__.py`` does.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    AUTOMATIC_SPEECH_RECOGNITION,
    CONVERSATIONAL,
    FEATURE_EXTRACTION,
    IMAGE_SEGMENTATION,
    IMAGE_TO_IMAGE,
    IMAGE_TO_VIDEO,
    INFERENCE_TASKS,
    ROUTER,
    TEXT_GENERATION,
    TEXT_TO_IMAGE,
    TEXT_TO_SPEECH,
    TEXT_TO_VIDEO,
    ImageMediaAdapter,
    MediaAdapter,
    Plan,
    PreparedCall,
    Provider,
    ProviderError,
    Request,
    Response,
    Route,
    TaskInputs,
    b64,
    chat_url,
    filter_none,
    is_url,
    openai_base,
    read_content,
    send,
    sniff_content_type,
    to_wire,
)

from ._openai import completion_event_to_tgi, completion_to_tgi

NAME = "hf-inference"
PIPELINE_TASKS = frozenset({"feature-extraction", "sentence-similarity"})
"""Tasks the router serves under ``.../models/<id>/pipeline/<task>``."""


def model_url(route: Route[Any]) -> str:
    """The model's URL: the URL model verbatim, else the router URL of the model id."""
    return route.model_url or route.url(f"/models/{route.provider_id}")


def _task_url(route: Route[Any]) -> str:
    if route.model_url is None and route.task in PIPELINE_TASKS:
        return route.url(f"/models/{route.provider_id}/pipeline/{route.task}")
    return model_url(route)


def task_request(route: Route[Any], call: TaskInputs) -> Request:
    """The request of an inference API task: JSON, or raw/base64 bytes for a binary task."""
    parameters = filter_none(to_wire(dict(call.parameters)))
    url = _task_url(route)
    if call.binary and not parameters and not call.extra:
        content: bytes = call.inputs
        return route.post(url, content, sniff_content_type(content), accept=call.accept)
    inputs = b64(call.inputs) if call.binary else to_wire(call.inputs)
    payload: dict[str, Any] = {"inputs": inputs, "parameters": parameters}
    if call.extra:
        payload.update(to_wire(dict(call.extra)))
    return route.post_json(url, payload, accept=call.accept)


def inference(route: Route[Any], call: TaskInputs) -> Plan[Response]:
    """Send an inference API task; the successful response (the task plan parses it)."""
    return (yield from send(task_request(route, call)))


def chat(route: Route[Any], messages: list[Any], parameters: dict[str, Any]) -> PreparedCall:
    """TGI's chat route: the model (``"dummy"`` for a URL model) first, messages last."""
    payload = filter_none(parameters)
    mapped = parameters.get("model") or route.provider_id
    payload["model"] = "dummy" if not mapped or is_url(mapped) else mapped
    schema_format = parameters.get("response_format")
    if isinstance(schema_format, dict) and schema_format.get("type") == "json_schema":
        schema = (schema_format.get("json_schema") or {}).get("schema")
        payload["response_format"] = {"type": "json_object", "value": schema}
    payload["messages"] = messages
    return PreparedCall(route.post_json(chat_url(model_url(route)), payload))


def text_generation(
    route: Route[Any], prompt: str, parameters: dict[str, Any], stream: bool
) -> PreparedCall:
    """TGI's ``generate`` body; the answer is already in TGI's shapes. An OpenAI-compatible
    server URL (see :func:`openai_base`) gets OpenAI's completions API instead."""
    base = openai_base(route.model_url) if route.model_url else None
    if base is not None:
        return _openai_completions(route, base, prompt, parameters, stream)
    body = {"inputs": prompt, "parameters": filter_none(parameters), "stream": stream}
    return PreparedCall(route.post_json(model_url(route), body))


def _openai_completions(
    route: Route[Any], base: str, prompt: str, parameters: dict[str, Any], stream: bool
) -> PreparedCall:
    """``{"prompt", **options, "stream"}`` to ``<base>/completions``, answers converted to TGI's
    shapes (``details=True`` gets the finish reason). TGI's ``max_new_tokens`` is sent as
    ``max_tokens``; options left at their defaults (None, False, an empty ``stop``) are not
    sent, as such servers refuse unknown fields (and transformers' fails on ``"stop": []``); no
    ``model`` is sent, so the server uses the one it serves."""
    options = {
        key: value
        for key, value in filter_none(parameters).items()
        if value is not False and value != []
    }
    if "max_new_tokens" in options:
        options["max_tokens"] = options.pop("max_new_tokens")
    options.pop("details", None)  # made from the answer's finish_reason
    payload = {"prompt": prompt, **options, "stream": stream}
    return PreparedCall(
        route.post_json(base + "/completions", payload),
        convert=completion_to_tgi,
        convert_event=completion_event_to_tgi,
    )


def _media(accept: str | None) -> MediaAdapter:
    def adapter(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
        response = yield from inference(route, TaskInputs(prompt, parameters, accept=accept))
        return response.body

    return adapter


def _image_media(accept: str | None) -> ImageMediaAdapter:
    def adapter(route: Route[Any], image: bytes, parameters: dict[str, Any]) -> Plan[bytes]:
        call = TaskInputs(image, parameters, accept=accept, binary=True)
        response = yield from inference(route, call)
        return response.body

    return adapter


def image_segmentation(route: Route[Any], image: bytes, parameters: dict[str, Any]) -> Plan[Any]:
    """The image as a binary task; the answer's JSON (the task plan checks its shape)."""
    response = yield from inference(route, TaskInputs(image, parameters, binary=True))
    return response.json()


def automatic_speech_recognition(
    route: Route[Any], audio: Any, parameters: dict[str, Any]
) -> Plan[Any]:
    """The audio as a binary task; the answer's JSON (the task plan checks its shape)."""
    content = yield from read_content(audio, argument="audio", timeout=route.timeout)
    response = yield from inference(route, TaskInputs(content, parameters, binary=True))
    return response.json()


def feature_extraction(route: Route[Any], text: Any, parameters: dict[str, Any]) -> Plan[Any]:
    """``{"inputs": text, **options}`` to the feature-extraction pipeline; the nested floats."""
    payload = {"inputs": text, **filter_none(parameters)}
    response = yield from send(route.post_json(_task_url(route), payload))
    data = response.json()
    if not isinstance(data, list):
        raise ProviderError(
            f"unexpected feature-extraction response: expected an array of numbers, got"
            f" {response.text[:200]}",
            response=response,
        )
    return data


PROVIDER = Provider(
    name=NAME,
    base_url=f"{ROUTER}/{NAME}",
    tasks=[
        CONVERSATIONAL.use(chat),
        TEXT_GENERATION.use(text_generation),
        TEXT_TO_IMAGE.use(_media("image/png")),
        TEXT_TO_VIDEO.use(_media(None)),
        TEXT_TO_SPEECH.use(_media(None)),
        AUTOMATIC_SPEECH_RECOGNITION.use(automatic_speech_recognition),
        FEATURE_EXTRACTION.use(feature_extraction),
        IMAGE_TO_IMAGE.use(_image_media("image/png")),
        IMAGE_TO_VIDEO.use(_image_media(None)),
        IMAGE_SEGMENTATION.use(image_segmentation),
        *(task.use(inference) for task in INFERENCE_TASKS.values()),
    ],
    uses_hub_mapping=False,
    requires_key=False,
)
