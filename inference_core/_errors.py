"""Every exception this library raises, under one base class.

Strategy: three families, after h11's Local/Remote split.

* :class:`RequestError`: the caller asked for something we cannot send. Raised before any I/O.
  Also a ``ValueError``, which is what huggingface_hub raised for the same mistakes.
* :class:`ProviderError`: the server answered, and the answer is an error: a non-2xx status
  (:class:`HTTPStatusError`, :class:`BadRequestError`) or a TGI error, from an error body or from
  an error event inside a 200 stream (:class:`TextGenerationError` and its five children).
  ``HfHubHTTPError`` is an alias of :class:`ProviderError`, so ``except HfHubHTTPError`` written
  against huggingface_hub still catches every server-side failure.
* :class:`TransportError`: the bytes did not make it: :class:`ConnectError`,
  :class:`RemoteProtocolError`, :class:`ReadError`, :class:`InferenceTimeoutError` (also a builtin
  ``TimeoutError``). Transports map their library's exceptions to these at the edge.

Errors carry our own :class:`~inference_core.Response` value, never a transport object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._boundary import Response

__all__ = [
    "BadRequestError",
    "ConnectError",
    "GenerationError",
    "HTTPStatusError",
    "HfHubHTTPError",
    "IncompleteGenerationError",
    "InferenceError",
    "InferenceTimeoutError",
    "OverloadedError",
    "ProviderError",
    "ReadError",
    "RemoteProtocolError",
    "RequestError",
    "ResponseFormatError",
    "TextGenerationError",
    "TransportError",
    "UnknownError",
    "ValidationError",
]


class InferenceError(Exception):
    """Base class of every error raised by hf-inference-core."""


class RequestError(InferenceError, ValueError):
    """Bad input from the caller, detected before any I/O."""


class ProviderError(InferenceError):
    """The server answered with an error.

    Attributes:
        status: the HTTP status, or None for an error event inside a stream.
        server_message: the message the server gave, if any.
        request_id: the ``x-request-id`` (or ``X-Amzn-Trace-Id``) response header, if any.
        response: our :class:`~inference_core.Response`, when a whole error response was read.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
        response: Response | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.server_message = server_message
        self.request_id = request_id
        self.response = response


HfHubHTTPError = ProviderError
"""Alias kept for code migrating from huggingface_hub."""


class ResponseFormatError(ProviderError, ValueError):
    """The server answered with a success status but a body we cannot read (not JSON, or not
    the expected shape)."""


class HTTPStatusError(ProviderError):
    """A non-2xx HTTP response without a more specific class."""


class BadRequestError(HTTPStatusError, ValueError):
    """An HTTP 400 response (also a ``ValueError``, as in huggingface_hub)."""


class TextGenerationError(ProviderError):
    """An error reported by a TGI-compatible server through ``error_type``."""


class ValidationError(TextGenerationError):
    """TGI ``error_type: validation``: the server rejected the parameters."""


class GenerationError(TextGenerationError):
    """TGI ``error_type: generation``: generation failed on the server."""


class OverloadedError(TextGenerationError):
    """TGI ``error_type: overloaded``: the server is overloaded, try again later."""


class IncompleteGenerationError(TextGenerationError):
    """TGI ``error_type: incomplete_generation``: the generation stopped early."""


class UnknownError(TextGenerationError):
    """A TGI ``error_type`` we do not know, or an error event without one."""


class TransportError(InferenceError):
    """The request or response did not get through."""


class ConnectError(TransportError):
    """Could not open a connection (refused, unreachable, DNS, TLS handshake)."""


class ReadError(TransportError):
    """The connection failed while sending or reading."""


class RemoteProtocolError(TransportError):
    """The peer broke the HTTP protocol, for example by closing mid-body."""


class InferenceTimeoutError(TransportError, TimeoutError):
    """A connect, write or read took longer than the client's timeout."""
