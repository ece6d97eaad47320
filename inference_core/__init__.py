"""hf-inference-core: run inference on Hugging Face models from any I/O stack.

The package is a sans-I/O core: task calls become plans (generators of :class:`Request` and
:class:`Sleep` effects) that two small drivers run over a transport from ``transports``.
Importing it imports no HTTP or async library.

Quickstart::

    from inference_core import InferenceClient

    with InferenceClient("http://127.0.0.1:8080") as client:
        out = client.chat_completion([{"role": "user", "content": "Hello"}], max_tokens=20)
        print(out.choices[0].message.content)
"""

from typing import TYPE_CHECKING, Any

from . import _types
from ._boundary import (
    Completed,
    Load,
    Open,
    ReadBody,
    Request,
    Response,
    Sleep,
    StreamDecoder,
    Streamed,
    Timeout,
)
from ._client import InferenceClient
from ._config import ClientConfig
from ._contract import MappingEntry, PreparedCall, Provider, Route
from ._converter import structure, structure_list
from ._debug import curl_line
from ._drivers import arun, run
from ._errors import (
    BadRequestError,
    ConnectError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    GenerationError,
    HfHubHTTPError,
    HTTPStatusError,
    IncompleteGenerationError,
    InferenceError,
    InferenceTimeoutError,
    InputFileError,
    InputFileNotFoundError,
    OverloadedError,
    ProviderError,
    ReadError,
    RemoteProtocolError,
    RepositoryNotFoundError,
    RequestError,
    ResponseFormatError,
    ResponseTooLargeError,
    RevisionNotFoundError,
    TextGenerationError,
    TransportError,
    UnknownError,
    ValidationError,
)
from ._http_response import HTTPHeaders, HTTPRequest, HTTPResponse
from ._plan import Effect, Plan, open_stream, send
from ._policy import CallRecord, Policy, RetryEvent, governed
from ._raw import RawResponse
from ._resolve import get_provider, provider_names, register_provider
from ._retry import RetryRules
from ._sse import JSONStreamDecoder, ServerSentEvent, SSEDecoder
from ._status import raise_for_status
from ._streams import AsyncStream, Stream
from ._tasks.chat_completion import chat_completion
from ._tasks.text_generation import text_generation
from ._types import *  # noqa: F403
from ._types.model_status import ModelStatus

if TYPE_CHECKING:
    from ._async_client import AsyncInferenceClient

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # The async client is built on first use: a program that only blocks never pays for it.
    if name == "AsyncInferenceClient":
        from ._async_client import AsyncInferenceClient

        globals()[name] = AsyncInferenceClient
        return AsyncInferenceClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "AsyncInferenceClient",
    "AsyncStream",
    "BadRequestError",
    "CallRecord",
    "ClientConfig",
    "Completed",
    "ConnectError",
    "DisabledRepoError",
    "EntryNotFoundError",
    "Effect",
    "GatedRepoError",
    "GenerationError",
    "HTTPStatusError",
    "HTTPHeaders",
    "HTTPRequest",
    "HTTPResponse",
    "HfHubHTTPError",
    "IncompleteGenerationError",
    "InferenceClient",
    "InferenceError",
    "InferenceTimeoutError",
    "InputFileError",
    "InputFileNotFoundError",
    "JSONStreamDecoder",
    "Load",
    "Open",
    "ReadBody",
    "MappingEntry",
    "ModelStatus",
    "OverloadedError",
    "Plan",
    "Policy",
    "PreparedCall",
    "Provider",
    "RawResponse",
    "ProviderError",
    "ReadError",
    "RemoteProtocolError",
    "RepositoryNotFoundError",
    "Request",
    "RequestError",
    "ResponseFormatError",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryRules",
    "RevisionNotFoundError",
    "Route",
    "Response",
    "SSEDecoder",
    "ServerSentEvent",
    "Sleep",
    "Stream",
    "StreamDecoder",
    "Streamed",
    "TextGenerationError",
    "Timeout",
    "TransportError",
    "UnknownError",
    "ValidationError",
    "arun",
    "chat_completion",
    "curl_line",
    "get_provider",
    "governed",
    "provider_names",
    "register_provider",
    "raise_for_status",
    "run",
    "open_stream",
    "send",
    "structure",
    "structure_list",
    "text_generation",
]
__all__ += _types.__all__

# Last: register the built-in provider adapters (the ``adapters`` package builds on the modules
# above, so it can only be imported once they are all loaded), after checking that our sibling
# packages are ours and not same-named packages from elsewhere.
from ._siblings import check_siblings, import_sibling  # noqa: E402

check_siblings()
import_sibling("adapters")
