"""Every exception this library raises, under one base class.

Strategy: three families, after h11's Local/Remote split, each also a builtin exception so code
written against huggingface_hub (whose HTTP errors are requests' ``OSError``s) catches ours.

* :class:`RequestError`: the caller asked for something we cannot send. Raised before any I/O.
  Also a ``ValueError``, which is what huggingface_hub raised for the same mistakes. A local
  input file that cannot be read is an :class:`InputFileError` (also an ``OSError``), and a
  missing one an :class:`InputFileNotFoundError` (also a ``FileNotFoundError``).
* :class:`ProviderError`: the server answered, and the answer is an error: a non-2xx status
  (:class:`HTTPStatusError`, :class:`BadRequestError`, the Hub's repository errors), a TGI error
  from an error body or from an error event inside a stream (:class:`TextGenerationError` and
  its five children), or a success we cannot read (:class:`ResponseFormatError`). Also an
  ``OSError``, as ``requests.HTTPError`` is. ``HfHubHTTPError`` is an alias of
  :class:`ProviderError`, so ``except HfHubHTTPError`` still catches every server-side failure.
* :class:`TransportError`: the bytes did not make it. An ``OSError``: :class:`ConnectError` and
  :class:`ReadError` are also ``ConnectionError``\\ s, :class:`InferenceTimeoutError` a
  ``TimeoutError``, :class:`RemoteProtocolError` (a malformed answer, too many redirects) is
  neither. Transports map their library's exceptions to these at the edge.

A :class:`ProviderError` keeps our own :class:`~inference_core.Response` and
:class:`~inference_core.Request` values (``raw_response``, ``raw_request``); ``.response`` and
``.request`` are requests-style views of them, built only when read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._boundary import Request, Response
    from ._http_response import HTTPRequest, HTTPResponse

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
    "RevisionNotFoundError",
    "TextGenerationError",
    "TransportError",
    "UnknownError",
    "ValidationError",
]


class InferenceError(Exception):
    """Base class of every error raised by hf-inference-core."""


class RequestError(InferenceError, ValueError):
    """Bad input from the caller, detected before any I/O."""


class InputFileError(RequestError, OSError):
    """A local input file could not be read (a directory, no permission, ...)."""


class InputFileNotFoundError(InputFileError, FileNotFoundError):
    """A local input file does not exist."""


class ProviderError(InferenceError, OSError):
    """The server answered with an error.

    Args:
        message: the text ``str(error)`` shows.
        response: our :class:`~inference_core.Response` (or an :class:`HTTPResponse` view of
            one), when a whole response was read.

    Attributes:
        status: the HTTP status (the response's, unless given), or None for an error event
            inside a stream.
        server_message: the message the server gave, if any.
        request_id: the ``x-request-id`` (else ``X-Amzn-Trace-Id``) response header, if any.
        raw_response: our :class:`~inference_core.Response`, or None.
        raw_request: our :class:`~inference_core.Request` that got the response, or None.
    """

    def __init__(
        self,
        message: str = "",
        response: Response | HTTPResponse | None = None,
        *,
        status: int | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
        request: Request | None = None,
    ) -> None:
        super().__init__(message)
        self._view: HTTPResponse | None = None
        from ._boundary import Response as OurResponse  # here: _boundary imports this module

        raw: Response | None
        if response is None or isinstance(response, OurResponse):
            raw = response
        else:  # a view: keep it, and unwrap our values
            self._view, raw = response, response.raw_response
            request = request or response.raw_request
        self.raw_response = raw
        self.raw_request = request
        self.status = status if status is not None or raw is None else raw.status
        self.server_message = server_message
        if request_id is None and raw is not None:
            request_id = raw.header("x-request-id") or raw.header("X-Amzn-Trace-Id")
        self.request_id = request_id

    @property
    def response(self) -> HTTPResponse | None:
        """A requests-style view of the response (``status_code``, ``headers``, ``url``,
        ``text``, ``json()``, ``request``...), or None when no response was read."""
        if self._view is None and self.raw_response is not None:
            from ._http_response import HTTPResponse

            self._view = HTTPResponse(self.raw_response, self.raw_request)
        return self._view

    @property
    def request(self) -> HTTPRequest | None:
        """A requests-style view of the request (``method``, ``url``, ``headers``, ``body``),
        or None when unknown."""
        view = self.response
        if view is not None:
            return view.request
        if self.raw_request is None:
            return None
        from ._http_response import HTTPRequest

        return HTTPRequest(self.raw_request)

    def append_to_message(self, additional_message: str) -> None:
        """Append ``additional_message`` to the message (as huggingface_hub's errors offer)."""
        first = str(self.args[0]) if self.args else ""
        self.args = (first + additional_message, *self.args[1:])


HfHubHTTPError = ProviderError
"""Alias kept for code migrating from huggingface_hub."""


class ResponseFormatError(ProviderError, ValueError):
    """The server answered with a success status but a body we cannot read (not JSON, or not
    the expected shape)."""


class HTTPStatusError(ProviderError):
    """A non-2xx HTTP response without a more specific class."""


class BadRequestError(HTTPStatusError, ValueError):
    """An HTTP 400 response (also a ``ValueError``, as in huggingface_hub)."""


class RepositoryNotFoundError(HTTPStatusError):
    """The Hub says the repository does not exist or is not visible to this token
    (``X-Error-Code: RepoNotFound``, or a 401 on a repository URL)."""


class GatedRepoError(RepositoryNotFoundError):
    """The Hub says the repository is gated and this token was not granted access."""


class DisabledRepoError(HTTPStatusError):
    """The Hub says access to the repository is disabled."""


class RevisionNotFoundError(HTTPStatusError):
    """The Hub says the revision does not exist."""


class EntryNotFoundError(HTTPStatusError):
    """The Hub says the file does not exist in the repository."""


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


class TransportError(InferenceError, OSError):
    """The request or response did not get through.

    ``response`` and ``request`` are always None (there for code that reads them on any
    requests exception).
    """

    response: None = None
    request: None = None


class ConnectError(TransportError, ConnectionError):
    """Could not open a connection (refused, unreachable, DNS, TLS handshake)."""


class ReadError(TransportError, ConnectionError):
    """The connection failed while sending or reading (reset, closed by the peer)."""


class RemoteProtocolError(TransportError):
    """The peer broke the HTTP protocol (a malformed answer, a body cut short) or redirected
    too many times."""


class InferenceTimeoutError(TransportError, TimeoutError):
    """A connect, write or read took longer than the client's timeout, or the call outlived
    its ``deadline``."""


class ResponseTooLargeError(TransportError):
    """The response body is larger than the client's ``max_response_bytes`` (carried by each
    request as ``Request.max_bytes``, the name transports' messages use); reading stopped
    there, so memory stays bounded. Never retried."""


class NoProviderLeft(InferenceError):
    """Failover found no provider left to try (internal: the first failure is raised)."""
