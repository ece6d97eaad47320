"""Every task method, on every route a user takes to a model (spec providers.md §1.4, §4.9, E11).

One table row per task method (29): minimal valid arguments, a valid hf-inference answer, the
suffix of its router URL, and a check on the typed result. Each row is called, on the sync client
and on the async client under asyncio and trio, in every way a user names (or does not name) a
model and a provider:

* no provider (the default) or ``provider="auto"``, a Hub model id on the call or on the client:
  one Hub provider-mapping lookup, then its FIRST entry (hf-inference) serves the call;
* ``provider="hf-inference"``: no Hub lookup at all;
* a URL model: posted to verbatim (chat: ``/v1/chat/completions`` added), whatever ``provider``
  says, with no Hub lookup;
* no model: hf-inference with the Hub's recommended model (``/api/tasks``).

Then the 7 tasks other providers serve, where the mapping's first entry is another provider
(routed with an ``hf_`` token); and an unknown provider, refused the same way by all 29 methods.
Guards against "InferenceClient(model='gpt2').text_generation('hello') fails because the default
provider path refused hf-inference".
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy
import pytest
from PIL import Image

from inference_core import (
    AudioClassificationOutputElement,
    AudioToAudioOutputElement,
    AutomaticSpeechRecognitionOutput,
    ChatCompletionOutput,
    DocumentQuestionAnsweringOutputElement,
    FillMaskOutputElement,
    ImageClassificationOutputElement,
    ImageSegmentationOutputElement,
    ImageToTextOutput,
    ObjectDetectionBoundingBox,
    ObjectDetectionOutputElement,
    QuestionAnsweringOutputElement,
    Request,
    RequestError,
    Response,
    SummarizationOutput,
    TableQuestionAnsweringOutputElement,
    TextClassificationOutputElement,
    TokenClassificationOutputElement,
    TranslationOutput,
    VisualQuestionAnsweringOutputElement,
    ZeroShotClassificationOutputElement,
    ZeroShotImageClassificationOutputElement,
    provider_names,
)
from inference_core._contract import TASKS
from tests.adapters._support import Script, bytes_ok, json_ok

from ._support import (
    ROUTER,
    Handler,
    TaskRunner,
    body_json,
    bytes_reply,
    hub_mapping,
    is_mapping_lookup,
    json_reply,
)

HUB = "https://huggingface.co"
LOOKUP = f"{HUB}/api/models/org/m?expand=inferenceProviderMapping"
TASKS_URL = f"{HUB}/api/tasks"
ENDPOINT = "http://127.0.0.1:9/endpoint"
MESSAGES = [{"role": "user", "content": "Hi"}]
CHAT = {
    "id": "1",
    "created": 1,
    "model": "org/m",
    "system_fingerprint": "s",
    "choices": [
        {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi"}}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def png(mode: str = "RGB", size: tuple[int, int] = (3, 2)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png()
MASK = base64.b64encode(png("L")).decode()
BOX = ObjectDetectionBoundingBox(xmin=1, ymin=2, xmax=3, ymax=4)


def first(*names: str) -> Callable[[Any], Any]:
    """The type and the ``names`` attributes of the first element of a list result."""
    return lambda result: (type(result[0]), *(getattr(result[0], n) for n in names))


def whole(*names: str) -> Callable[[Any], Any]:
    """The type and the ``names`` attributes of a single-object result."""
    return lambda result: (type(result), *(getattr(result, n) for n in names))


def image(result: Any) -> Any:
    return isinstance(result, Image.Image), result.size


def same(result: Any) -> Any:
    return result


class Row(NamedTuple):
    method: str
    args: tuple[Any, ...]
    reply: Handler
    suffix: str  # after ``.../hf-inference/models/<id>``
    view: Callable[[Any], Any]  # what of the typed result is compared with ``expected``
    expected: Any

    @property
    def task(self) -> str:
        chat = self.method == "chat_completion"
        return "conversational" if chat else self.method.replace("_", "-")


ROWS = [
    Row("audio_classification", (b"AUDIO",), json_reply([{"label": "hap", "score": 0.5}]), "",
        first("label"), (AudioClassificationOutputElement, "hap")),
    Row("audio_to_audio", (b"AUDIO",),
        json_reply([{"label": "s", "content-type": "audio/flac", "blob": "T1VU"}]), "",
        first("blob", "content_type"), (AudioToAudioOutputElement, b"OUT", "audio/flac")),
    Row("automatic_speech_recognition", (b"AUDIO",), json_reply({"text": "hello"}), "",
        whole("text"), (AutomaticSpeechRecognitionOutput, "hello")),
    Row("chat_completion", (MESSAGES,), json_reply(CHAT), "/v1/chat/completions",
        lambda r: (type(r), r.choices[0].message.content), (ChatCompletionOutput, "Hi")),
    Row("document_question_answering", (b"IMG", "Total?"),
        json_reply([{"answer": "42", "score": 0.9, "start": 1, "end": 2}]), "",
        first("answer", "end"), (DocumentQuestionAnsweringOutputElement, "42", 2)),
    Row("feature_extraction", ("Hi",), json_reply([[0.5, 0.25]]), "/pipeline/feature-extraction",
        lambda r: (type(r), r.dtype, r.tolist()), (numpy.ndarray, numpy.float32, [[0.5, 0.25]])),
    Row("fill_mask", ("Paris is the [MASK].",),
        json_reply([{"score": 0.8, "token": 7, "token_str": "capital", "sequence": "p"}]), "",
        first("token_str", "token"), (FillMaskOutputElement, "capital", 7)),
    Row("image_classification", (b"IMG",), json_reply([{"label": "tabby", "score": 0.9}]), "",
        first("label"), (ImageClassificationOutputElement, "tabby")),
    Row("image_segmentation", (b"IMG",), json_reply([{"label": "cat", "score": 1, "mask": MASK}]),
        "", lambda r: (*first("label")(r), r[0].mask.size),
        (ImageSegmentationOutputElement, "cat", (3, 2))),
    Row("image_to_image", (b"IMG", "make it blue"), bytes_reply(PNG, "image/png"), "", image,
        (True, (3, 2))),
    Row("image_to_video", (b"IMG",), bytes_reply(b"MP4", "video/mp4"), "", same, b"MP4"),
    Row("image_to_text", (b"IMG",), json_reply([{"generated_text": "a cat"}]), "",
        whole("generated_text"), (ImageToTextOutput, "a cat")),
    Row("object_detection", (b"IMG",),
        json_reply([{"score": 0.9, "label": "dog", "box": {"xmin": 1, "ymin": 2, "xmax": 3,
                                                            "ymax": 4}}]), "",
        lambda r: (*first("label")(r), r[0].box), (ObjectDetectionOutputElement, "dog", BOX)),
    Row("question_answering", ("Who?", "Clara lives here."),
        json_reply({"answer": "Clara", "score": 0.9, "start": 0, "end": 5}), "",
        whole("answer", "end"), (QuestionAnsweringOutputElement, "Clara", 5)),
    Row("sentence_similarity", ("A", ["B", "C"]), json_reply([0.875, 0.125]),
        "/pipeline/sentence-similarity", same, [0.875, 0.125]),
    Row("summarization", ("Long text.",), json_reply([{"summary_text": "Short."}]), "",
        whole("summary_text"), (SummarizationOutput, "Short.")),
    Row("table_question_answering", ({"n": ["1", "2"]}, "sum?"),
        json_reply({"answer": "SUM > 1, 2", "coordinates": [[0, 0], [1, 0]], "cells": ["1", "2"],
                    "aggregator": "SUM"}), "",
        whole("aggregator", "cells"), (TableQuestionAnsweringOutputElement, "SUM", ["1", "2"])),
    Row("tabular_classification", ({"f": ["1.0"]},), json_reply(["5"]), "", same, ["5"]),
    Row("tabular_regression", ({"f": ["1.0"]},), json_reply([110.5]), "", same, [110.5]),
    Row("text_classification", ("I like you",), json_reply([[{"label": "POS", "score": 0.9}]]), "",
        first("label", "score"), (TextClassificationOutputElement, "POS", 0.9)),
    Row("text_generation", ("hello",), json_reply([{"generated_text": " world"}]), "", same,
        " world"),
    Row("text_to_image", ("a cat",), bytes_reply(PNG, "image/png"), "", image, (True, (3, 2))),
    Row("text_to_speech", ("Hello",), bytes_reply(b"SPEECH", "audio/flac"), "", same, b"SPEECH"),
    Row("text_to_video", ("a cat",), bytes_reply(b"MP4", "video/mp4"), "", same, b"MP4"),
    Row("token_classification", ("Sarah lives in Paris",),
        json_reply([{"entity_group": "PER", "score": 0.9, "word": "Sarah", "start": 0, "end": 5}]),
        "", first("entity_group", "word"), (TokenClassificationOutputElement, "PER", "Sarah")),
    Row("translation", ("Hello",), json_reply([{"translation_text": "Bonjour"}]), "",
        whole("translation_text"), (TranslationOutput, "Bonjour")),
    Row("visual_question_answering", (b"IMG", "Color?"),
        json_reply([{"answer": "red", "score": 0.8}]), "",
        first("answer"), (VisualQuestionAnsweringOutputElement, "red")),
    Row("zero_shot_classification", ("I love it", ["pos", "neg"]),
        json_reply({"sequence": "I love it", "labels": ["neg", "pos"], "scores": [0.7, 0.3]}), "",
        lambda r: [(type(x), x.label, x.score) for x in r],
        [(ZeroShotClassificationOutputElement, "neg", 0.7),
         (ZeroShotClassificationOutputElement, "pos", 0.3)]),
    Row("zero_shot_image_classification", (b"IMG", ["cat", "dog"]),
        json_reply([{"label": "cat", "score": 0.8}]), "",
        first("label"), (ZeroShotImageClassificationOutputElement, "cat")),
]  # fmt: skip
BY_METHOD = {row.method: row for row in ROWS}
METHODS = list(BY_METHOD)

# The hf-inference wire format of a few representative tasks, by the model id the body names.
TGI_PARAMETERS = {"details": False, "do_sample": False, "return_full_text": False, "stop": []}
BODIES: dict[str, Callable[[str], Any]] = {
    "chat_completion": lambda model: {"model": model, "stream": False, "messages": MESSAGES},
    "text_generation": lambda model: {
        "inputs": "hello",
        "parameters": TGI_PARAMETERS,
        "stream": False,
    },
    "fill_mask": lambda model: {"inputs": "Paris is the [MASK].", "parameters": {}},
    "feature_extraction": lambda model: {"inputs": "Hi"},
    "image_classification": lambda model: b"IMG",  # a binary task without parameters: raw bytes
}


class Way(NamedTuple):
    """How a user names a model and a provider, and what the client must do about it."""

    client: dict[str, Any]
    call: dict[str, Any]
    model: str  # the model served: a Hub id on hf-inference, or the endpoint URL
    lookup: bool  # one Hub provider-mapping lookup first


WAYS = {
    "default": Way({}, {"model": "org/m"}, "org/m", True),
    "client-model": Way({"model": "org/m"}, {}, "org/m", True),
    "call-model-wins": Way({"model": "org/other"}, {"model": "org/m"}, "org/m", True),
    "auto": Way({"provider": "auto"}, {"model": "org/m"}, "org/m", True),
    "auto-client-model": Way({"provider": "auto", "model": "org/m"}, {}, "org/m", True),
    "hf-inference": Way({"provider": "hf-inference"}, {"model": "org/m"}, "org/m", False),
    "hf-inference-client-model": Way({"provider": "hf-inference", "model": "org/m"}, {}, "org/m",
                                     False),
    "url": Way({"provider": "together"}, {"model": ENDPOINT}, ENDPOINT, False),
    "client-url": Way({"provider": "together", "model": ENDPOINT}, {}, ENDPOINT, False),
    "no-model": Way({}, {}, "org/rec", False),
    "auto-no-model": Way({"provider": "auto"}, {}, "org/rec", False),
}  # fmt: skip


@pytest.fixture(autouse=True)
def _default_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HF_ENDPOINT", raising=False)


def hub_then(row: Row, providers: tuple[str, ...]) -> Handler:
    """Answer Hub lookups (mapping: ``providers`` in order; recommended: org/rec), else ``row``."""

    def handle(request: Request) -> Response:
        if is_mapping_lookup(request):
            return hub_mapping(request, providers)
        if request.url == TASKS_URL:
            return json_reply({row.task: {"widgetModels": ["org/rec"]}})(request)
        return row.reply(request)

    return handle


@pytest.mark.parametrize("way", list(WAYS.values()), ids=list(WAYS))
@pytest.mark.parametrize("row", ROWS, ids=METHODS)
def test_every_task_on_every_route(run_task: TaskRunner, row: Row, way: Way) -> None:
    runner = TaskRunner(run_task.mode, hub=False)  # the Hub lookups stay in ``call.requests``
    handler = hub_then(row, ("hf-inference", "together", "fal-ai"))
    call = runner(handler, row.method, *row.args, client=way.client, **way.call)
    expected = [("GET", LOOKUP)] if way.lookup else []
    if way.model == "org/rec":
        expected.append(("GET", TASKS_URL))
    if way.model == ENDPOINT:
        url = ENDPOINT + ("/v1/chat/completions" if row.method == "chat_completion" else "")
    else:
        url = f"{ROUTER}/{way.model}{row.suffix}"
    assert [(r.method, r.url) for r in call.requests] == [*expected, ("POST", url)]
    post = call.requests[-1]
    assert post.header("authorization") == "Bearer hf_test"
    assert row.view(call.result) == row.expected
    if row.method in BODIES:
        body = BODIES[row.method]("dummy" if way.model == ENDPOINT else way.model)
        assert (post.body if isinstance(body, bytes) else body_json(post)) == body


def test_the_table_is_every_task_method() -> None:
    assert len(ROWS) == 29
    assert sorted(row.task for row in ROWS) == sorted(TASKS)  # every task id a method calls
    assert {"hf-inference", "together", "fal-ai", "scaleway"} <= set(provider_names())


# --- the 7 tasks other providers serve: the mapping's first entry is another provider -----------

TOGETHER = "https://router.huggingface.co/together/v1"
FAL = "https://router.huggingface.co/fal-ai/fal-ai"
JOB = f"{FAL}/mochi-v1/requests/r1"
SUBMITTED = {
    "request_id": "r1",
    "status": "IN_QUEUE",
    "response_url": "https://queue.fal.run/fal-ai/mochi-v1/requests/r1",
}
OTHERS: dict[str, tuple[str, str, list[tuple[str, str, Response]]]] = {
    "chat_completion": ("together", "t/chat", [
        ("POST", f"{TOGETHER}/chat/completions", json_ok(CHAT))]),
    "text_generation": ("together", "t/gen", [
        ("POST", f"{TOGETHER}/completions",
         json_ok({"choices": [{"text": " world", "finish_reason": "length"}]}))]),
    "text_to_image": ("together", "t/img", [
        ("POST", f"{TOGETHER}/images/generations",
         json_ok({"data": [{"b64_json": base64.b64encode(PNG).decode()}]}))]),
    "text_to_video": ("fal-ai", "fal-ai/mochi-v1", [
        ("POST", f"{FAL}/mochi-v1?_subdomain=queue", json_ok(SUBMITTED)),
        ("GET", f"{JOB}/status?_subdomain=queue", json_ok({"status": "COMPLETED"})),
        ("GET", f"{JOB}?_subdomain=queue", json_ok({"video": {"url": "https://cdn.fal/v.mp4"}})),
        ("GET", "https://cdn.fal/v.mp4", bytes_ok(b"MP4", "video/mp4"))]),
    "text_to_speech": ("fal-ai", "fal-ai/kokoro", [
        ("POST", f"{FAL}/kokoro", json_ok({"audio": {"url": "https://cdn.fal/a.flac"}})),
        ("GET", "https://cdn.fal/a.flac", bytes_ok(b"SPEECH", "audio/flac"))]),
    "automatic_speech_recognition": ("fal-ai", "fal-ai/whisper", [
        ("POST", f"{FAL}/whisper", json_ok({"text": "hello"}))]),
    "feature_extraction": ("scaleway", "E5-Mistral", [
        ("POST", "https://router.huggingface.co/scaleway/v1/embeddings",
         json_ok({"data": [{"embedding": [0.5, 0.25]}]}))]),
}  # fmt: skip


@pytest.mark.parametrize("where", ["call", "client"])
@pytest.mark.parametrize("method", list(OTHERS))
def test_default_provider_is_the_mappings_first_entry(
    run_task: TaskRunner, method: str, where: str
) -> None:
    row = BY_METHOD[method]
    provider, provider_id, steps = OTHERS[method]
    entries = {
        name: {"status": "live", "providerId": pid, "task": row.task}
        for name, pid in [(provider, provider_id), ("hf-inference", "org/m")]
    }
    mapping = json_ok({"id": "org/m", "inferenceProviderMapping": entries})
    script = Script(("GET", LOOKUP, mapping), *steps)
    model = {"model": "org/m"}
    call = TaskRunner(run_task.mode, hub=False)(
        script,
        method,
        *row.args,
        client=model if where == "client" else None,
        **(model if where == "call" else {}),
    )
    script.assert_done()
    assert row.view(call.result) == row.expected
    post = call.requests[1]
    assert post.url.startswith(f"https://router.huggingface.co/{provider}/")
    assert post.header("authorization") == "Bearer hf_test"
    assert provider_id in post.url or body_json(post)["model"] == provider_id
    assert call.sleeps == ([0.5] if method == "text_to_video" else [])


# --- an unknown provider ------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["named", "first-in-mapping"])
@pytest.mark.parametrize("row", ROWS, ids=METHODS)
def test_unknown_provider_is_refused_alike_by_every_method(
    run_task: TaskRunner, row: Row, how: str
) -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return hub_then(row, ("nope", "hf-inference"))(request)

    client = {"provider": "nope"} if how == "named" else {}
    with pytest.raises(RequestError) as info:
        TaskRunner(run_task.mode, hub=False)(
            handler, row.method, *row.args, model="org/m", client=client
        )
    assert str(info.value) == (
        "Provider 'nope' not supported. Available values: 'auto' or any provider from"
        f" {provider_names()}."
    )
    assert [r.url for r in seen] == ([] if how == "named" else [LOOKUP])
