"""The public home of every exception, for ``from inference_core.errors import ...``.

Everything huggingface_hub users import from ``huggingface_hub.errors`` for inference is here
under the same name (``HfHubHTTPError``, ``BadRequestError``, ``InferenceTimeoutError``, the
TGI errors, the Hub's repository errors), next to our own families. Code migrating from
huggingface_hub changes only the module name::

    from inference_core.errors import HfHubHTTPError, InferenceTimeoutError

    try:
        client.text_classification("I like you")
    except InferenceTimeoutError:
        ...  # also a TimeoutError
    except HfHubHTTPError as e:
        print(e.response.status_code, e.request_id, e.server_message)

See ``docs/errors.md`` for the hierarchy and when each error is raised. This module only
re-exports names; ``inference_core`` exports the same classes.
"""

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

__all__ = [
    "BadRequestError",
    "ConnectError",
    "DisabledRepoError",
    "EntryNotFoundError",
    "GatedRepoError",
    "GenerationError",
    "HTTPStatusError",
    "HfHubHTTPError",
    "IncompleteGenerationError",
    "InferenceError",
    "InferenceTimeoutError",
    "InputFileError",
    "InputFileNotFoundError",
    "OverloadedError",
    "ProviderError",
    "ReadError",
    "RemoteProtocolError",
    "RepositoryNotFoundError",
    "RequestError",
    "ResponseFormatError",
    "ResponseTooLargeError",
    "RevisionNotFoundError",
    "TextGenerationError",
    "TransportError",
    "UnknownError",
    "ValidationError",
]
