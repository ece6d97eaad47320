"""The adapter contract: task keys, the typed adapter of each task kind, providers and routes.

Strategy: one call takes one path, ``model + provider + task -> Route``, and the route carries
the provider's adapter for the task. A task is named by a typed key, :class:`Task` ``[A]``,
where ``A`` is the adapter's type for that task kind, so the seam between a task plan and an
adapter is checked by mypy at both ends:

* a provider declares what it serves with ``TASK.use(adapter)``, which only accepts an adapter
  of the task's kind, e.g. ``CONVERSATIONAL.use(chat("/v1/chat/completions"))``;
* a task plan resolves ``Route[A]`` for its key and calls ``route.adapter(route, ...)`` with the
  kind's arguments.

The kinds (``parameters`` is the task's parameter dict in the reference's order, None values
included, ``extra_body`` already merged in where the task has one; adapters filter):

* :data:`ChatAdapter` ``(route, messages, parameters) -> PreparedCall``: OpenAI-style chat JSON.
* :data:`TextGenerationAdapter` ``(route, prompt, parameters, stream) -> PreparedCall``: whose
  ``convert``/``convert_event`` turn the answer into TGI's shapes.
* :data:`MediaAdapter` ``(route, prompt, parameters) -> Plan[bytes]``: text-to-image, -video,
  -speech; polling and downloads are plan steps.
* :data:`SpeechRecognitionAdapter` ``(route, audio, parameters) -> Plan[Any]``: the answer's
  JSON, an object with a ``"text"`` key (``audio`` as the caller gave it).
* :data:`EmbeddingAdapter` ``(route, text, parameters) -> Plan[Any]``: nested floats.
* :data:`ImageMediaAdapter` ``(route, image, parameters) -> Plan[bytes]``: image-to-image and
  image-to-video (``image`` already read into bytes; the prompt is in ``parameters``).
* :data:`SegmentationAdapter` ``(route, image, parameters) -> Plan[Any]``: image-segmentation,
  the answer's JSON: a list of ``{"label", "mask": <base64 PNG>, "score"?}``.
* :data:`InferenceAdapter` ``(route, TaskInputs) -> Plan[Response]``: the Hugging Face inference
  API's ``{"inputs", "parameters"}`` tasks (raw bytes for binary ones); the task plan parses.

A new task is one key here (and its plan); a new provider is one :class:`Provider` value.
Nothing here performs I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, TypeVar

import attrs

from ._boundary import Headers, Request, Response, Timeout
from ._plan import Plan
from ._wire import JSON_CONTENT_TYPE, is_url, json_body

__all__ = [
    "AUTOMATIC_SPEECH_RECOGNITION",
    "CONVERSATIONAL",
    "FEATURE_EXTRACTION",
    "IMAGE_SEGMENTATION",
    "IMAGE_TO_IMAGE",
    "IMAGE_TO_VIDEO",
    "INFERENCE_TASKS",
    "TASKS",
    "TASK_KEYS",
    "TEXT_GENERATION",
    "TEXT_TO_IMAGE",
    "TEXT_TO_SPEECH",
    "TEXT_TO_VIDEO",
    "ChatAdapter",
    "EmbeddingAdapter",
    "ImageMediaAdapter",
    "InferenceAdapter",
    "MappingEntry",
    "MediaAdapter",
    "PreparedCall",
    "Provider",
    "Route",
    "SegmentationAdapter",
    "SpeechRecognitionAdapter",
    "Task",
    "TaskInputs",
    "TaskSupport",
    "TextGenerationAdapter",
]

A = TypeVar("A")

AUTH_STYLES = ("bearer", "fal-key", "x-key")


@attrs.frozen
class Task(Generic[A]):
    """A task id (``"text-to-image"``) typed with the kind of adapter that serves it."""

    id: str

    def use(self, adapter: A) -> TaskSupport:
        """Declare that a provider serves this task with ``adapter`` (type-checked)."""
        return TaskSupport(self.id, adapter)


@attrs.frozen
class TaskSupport:
    """One ``task id -> adapter`` entry of a provider, made by :meth:`Task.use`."""

    task: str
    adapter: Any


@attrs.frozen
class PreparedCall:
    """A single-request call prepared by an adapter, plus how to read its answer."""

    request: Request
    convert: Callable[[Any], Any] | None = None
    """Turns the parsed JSON answer into the task's shape (None: already in shape)."""
    convert_event: Callable[[Any], Any] | None = None
    """Turns one parsed stream event into the task's event shape (None: already in shape)."""


@attrs.frozen
class TaskInputs:
    """A Hugging Face inference API task call: ``inputs`` and ``parameters``.

    ``binary`` tasks carry ``inputs`` as bytes: sent raw when no parameter is set, else as
    base64 inside JSON. ``extra`` holds top-level payload keys besides the two.
    """

    inputs: Any
    parameters: Mapping[str, Any]
    extra: Mapping[str, Any] | None = None
    accept: str | None = None
    binary: bool = False


ChatAdapter = Callable[["Route[Any]", list[Any], dict[str, Any]], PreparedCall]
TextGenerationAdapter = Callable[["Route[Any]", str, dict[str, Any], bool], PreparedCall]
MediaAdapter = Callable[["Route[Any]", str, dict[str, Any]], Plan[bytes]]
SpeechRecognitionAdapter = Callable[["Route[Any]", Any, dict[str, Any]], Plan[Any]]
EmbeddingAdapter = Callable[["Route[Any]", Any, dict[str, Any]], Plan[Any]]
ImageMediaAdapter = Callable[["Route[Any]", bytes, dict[str, Any]], Plan[bytes]]
SegmentationAdapter = Callable[["Route[Any]", bytes, dict[str, Any]], Plan[Any]]
InferenceAdapter = Callable[["Route[Any]", TaskInputs], Plan[Response]]

CONVERSATIONAL: Task[ChatAdapter] = Task("conversational")
TEXT_GENERATION: Task[TextGenerationAdapter] = Task("text-generation")
TEXT_TO_IMAGE: Task[MediaAdapter] = Task("text-to-image")
TEXT_TO_VIDEO: Task[MediaAdapter] = Task("text-to-video")
TEXT_TO_SPEECH: Task[MediaAdapter] = Task("text-to-speech")
AUTOMATIC_SPEECH_RECOGNITION: Task[SpeechRecognitionAdapter] = Task(
    "automatic-speech-recognition"
)
FEATURE_EXTRACTION: Task[EmbeddingAdapter] = Task("feature-extraction")
IMAGE_TO_IMAGE: Task[ImageMediaAdapter] = Task("image-to-image")
IMAGE_TO_VIDEO: Task[ImageMediaAdapter] = Task("image-to-video")
IMAGE_SEGMENTATION: Task[SegmentationAdapter] = Task("image-segmentation")

INFERENCE_TASKS: Mapping[str, Task[InferenceAdapter]] = {
    name: Task(name)
    for name in (
        "audio-classification", "audio-to-audio", "document-question-answering", "fill-mask",
        "image-classification", "image-to-text",
        "object-detection", "question-answering", "sentence-similarity", "summarization",
        "table-question-answering", "tabular-classification", "tabular-regression",
        "text-classification", "token-classification", "translation",
        "visual-question-answering", "zero-shot-classification",
        "zero-shot-image-classification",
    )
}  # fmt: skip
"""The tasks served through the generic ``{"inputs", "parameters"}`` API, by id."""

_ALL_TASKS: tuple[Task[Any], ...] = (
    CONVERSATIONAL, TEXT_GENERATION, TEXT_TO_IMAGE, TEXT_TO_VIDEO, TEXT_TO_SPEECH,
    AUTOMATIC_SPEECH_RECOGNITION, FEATURE_EXTRACTION, IMAGE_TO_IMAGE, IMAGE_TO_VIDEO,
    IMAGE_SEGMENTATION, *INFERENCE_TASKS.values(),
)  # fmt: skip
TASK_KEYS: Mapping[str, Task[Any]] = {task.id: task for task in _ALL_TASKS}
"""Every task key, by id."""
TASKS: tuple[str, ...] = tuple(sorted(TASK_KEYS))
"""Every task id a client method calls (29)."""


def _task_map(entries: Iterable[TaskSupport] | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(entries, Mapping):
        return dict(entries)
    return {entry.task: entry.adapter for entry in entries}


@attrs.frozen
class Provider:
    """One inference provider: how to reach it and which tasks it serves.

    Attributes:
        name: the provider name users pass as ``provider=``.
        base_url: the provider's own API base, used with a provider key (no trailing slash).
        tasks: what it serves: ``TASK.use(adapter)`` entries (stored as task id -> adapter).
        auth: ``"bearer"`` (``authorization: Bearer <key>``), ``"fal-key"``
            (``authorization: Key <key>``) or ``"x-key"`` (``X-Key: <key>``); direct calls only,
            routed calls always use Bearer.
        routable: False for providers the Hugging Face router does not serve (openai, and
            the providers that left it): an ``hf_`` token is refused before any request.
        left_router: True for a provider the router served once and no longer does
            (black-forest-labs, hyperbolic, nebius, sambanova); ``routable`` is False too. Only
            the wording of the refusal differs: pass the provider's own API key.
        uses_hub_mapping: False when the model name is the provider's own (openai,
            hf-inference): no Hub lookup, the model id is sent as given.
        extra_headers: headers the provider always needs (replicate's ``Prefer: wait``).
        uses_saved_token: False when only a key given to the client may be sent (openai): the
            saved Hugging Face token is never used.
        requires_key: False when anonymous calls are allowed (hf-inference).
        missing_model_message: the error when no model is given (default: asks for an HF id).
    """

    name: str
    base_url: str
    tasks: Mapping[str, Any] = attrs.field(converter=_task_map)
    auth: str = attrs.field(default="bearer", validator=attrs.validators.in_(AUTH_STYLES))
    routable: bool = True
    left_router: bool = False
    uses_hub_mapping: bool = True
    extra_headers: Headers = ()
    uses_saved_token: bool = True
    requires_key: bool = True
    missing_model_message: str | None = None

    def adapter(self, task: Task[A]) -> A | None:
        """The adapter serving ``task``, or None."""
        adapter: A | None = self.tasks.get(task.id)
        return adapter


@attrs.frozen
class MappingEntry:
    """One entry of a model's Hub provider mapping."""

    provider: str
    provider_id: str
    task: str | None = None
    status: str | None = None
    adapter: str | None = None
    adapter_weights_path: str | None = None
    hf_model_id: str | None = None


@attrs.frozen
class Route(Generic[A]):
    """Where and how one call goes, and which adapter prepares it; built by ``resolve``."""

    provider: Provider
    task: str
    adapter: A
    model_id: str
    """The Hugging Face model id, or the model URL (for openai, the model name as given)."""
    provider_id: str
    """The model's name on the provider's side: what goes in URLs and payloads."""
    api_key: str | None
    routed: bool
    """True when the call goes through the Hugging Face router."""
    base_url: str
    headers: Headers
    """Default, user and auth headers for the provider's API."""
    mapping: MappingEntry | None
    hub_endpoint: str
    timeout: float | None
    """The client's timeout: sent with every request; multi-step jobs give up once their waits
    add up to it."""
    model_url: str | None = None
    """The model given as an endpoint or server URL, used verbatim (hf-inference only)."""
    max_bytes: int | None = None
    """The client's ``max_response_bytes``, stamped on every request (as ``timeout`` is)."""
    phases: Timeout | None = None
    """The client's timeout when given per phase: stamped on requests instead of ``timeout``
    (which is then its ``read``, the budget of multi-step jobs)."""

    @property
    def request_timeout(self) -> float | Timeout | None:
        """What requests carry: the per-phase timeout if there is one, else ``timeout``."""
        return self.phases if self.phases is not None else self.timeout

    def url(self, path: str) -> str:
        """``base_url`` joined with a route such as ``/v1/chat/completions``."""
        return self.base_url + "/" + path.lstrip("/")

    def post_json(self, path_or_url: str, payload: Any, *, accept: str | None = None) -> Request:
        """A JSON POST to a route (or an absolute URL), as :meth:`post`."""
        return self.post(path_or_url, json_body(payload), JSON_CONTENT_TYPE[1], accept=accept)

    def post(
        self, path_or_url: str, body: bytes, content_type: str, *, accept: str | None = None
    ) -> Request:
        """A POST of ``body`` with the route's headers; ``content_type`` and ``accept`` are added
        unless the user's headers already set them (in any letter case)."""
        url = path_or_url if is_url(path_or_url) else self.url(path_or_url)
        chosen = {name.lower() for name, _ in self.headers}
        headers = self.headers
        if "content-type" not in chosen:
            headers = (*headers, ("content-type", content_type))
        if accept and "accept" not in chosen:
            headers = (*headers, ("accept", accept))
        return Request("POST", url, headers, body, self.request_timeout, None, self.max_bytes)

    def get(self, url: str) -> Request:
        """An authenticated GET on the provider (status polls)."""
        return Request(
            "GET", url, self.headers, None, self.request_timeout, None, self.max_bytes
        )

    def download(self, url: str) -> Request:
        """A GET for a result file on a foreign host: no token, no user headers."""
        agent = next((value for name, value in self.headers if name.lower() == "user-agent"), "")
        headers = (("user-agent", agent),)
        return Request("GET", url, headers, None, self.request_timeout, None, self.max_bytes)
