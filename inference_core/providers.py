"""The public contract between the core and a provider adapter: everything an adapter needs.

A provider module (the built-in ones in ``adapters``, or your own) imports only this module of
the core. It builds a :class:`Provider` whose ``tasks`` are ``TASK.use(adapter)`` entries, each
adapter typed by its task's kind (see ``ChatAdapter``, ``MediaAdapter``, ...), and registers it
with :func:`register_provider`. Adapters are pure: they build :class:`Request` values with the
:class:`Route` helpers, and multi-step ones are plans that ``yield from send(request)`` and
``yield Sleep(seconds)`` (a stream is opened with ``yield from open_stream(request, decoder)``).

This module only re-exports names; it performs no I/O.
"""

from ._boundary import Headers, Request, Response, Sleep, StreamDecoder, Streamed
from ._contract import (
    AUTOMATIC_SPEECH_RECOGNITION,
    CONVERSATIONAL,
    FEATURE_EXTRACTION,
    IMAGE_SEGMENTATION,
    IMAGE_TO_IMAGE,
    IMAGE_TO_VIDEO,
    INFERENCE_TASKS,
    TASK_KEYS,
    TASKS,
    TEXT_GENERATION,
    TEXT_TO_IMAGE,
    TEXT_TO_SPEECH,
    TEXT_TO_VIDEO,
    ChatAdapter,
    EmbeddingAdapter,
    ImageMediaAdapter,
    InferenceAdapter,
    MappingEntry,
    MediaAdapter,
    PreparedCall,
    Provider,
    Route,
    SegmentationAdapter,
    SpeechRecognitionAdapter,
    Task,
    TaskInputs,
    TaskSupport,
    TextGenerationAdapter,
)
from ._errors import InferenceTimeoutError, ProviderError, RequestError
from ._plan import Plan, open_stream, send
from ._resolve import get_provider, provider_names, register_provider, unregister_provider
from ._tasks._inputs import b64, read_content, sniff_content_type
from ._wire import ROUTER, chat_url, filter_none, is_url, json_body, openai_base, to_wire

__all__ = [
    "AUTOMATIC_SPEECH_RECOGNITION",
    "CONVERSATIONAL",
    "FEATURE_EXTRACTION",
    "IMAGE_SEGMENTATION",
    "IMAGE_TO_IMAGE",
    "IMAGE_TO_VIDEO",
    "INFERENCE_TASKS",
    "ROUTER",
    "TASKS",
    "TASK_KEYS",
    "TEXT_GENERATION",
    "TEXT_TO_IMAGE",
    "TEXT_TO_SPEECH",
    "TEXT_TO_VIDEO",
    "ChatAdapter",
    "EmbeddingAdapter",
    "Headers",
    "ImageMediaAdapter",
    "InferenceAdapter",
    "InferenceTimeoutError",
    "MappingEntry",
    "MediaAdapter",
    "Plan",
    "PreparedCall",
    "Provider",
    "ProviderError",
    "Request",
    "RequestError",
    "Response",
    "Route",
    "SegmentationAdapter",
    "Sleep",
    "StreamDecoder",
    "Streamed",
    "SpeechRecognitionAdapter",
    "Task",
    "TaskInputs",
    "TaskSupport",
    "TextGenerationAdapter",
    "b64",
    "chat_url",
    "filter_none",
    "get_provider",
    "is_url",
    "openai_base",
    "json_body",
    "provider_names",
    "read_content",
    "register_provider",
    "open_stream",
    "send",
    "sniff_content_type",
    "to_wire",
    "unregister_provider",
]
