"""Classify a response or a stream error event into the right typed error, in pure code.

Strategy: one function, :func:`raise_for_status`, decides for every response (like gidgethub's
``decipher_response``). Class and message follow huggingface_hub v0.33.5, rule for rule, so
migrating users read the same text:

1. The class and a first message, by the first rule that matches: the Hub's ``X-Error-Code``
   (``RevisionNotFound``, ``EntryNotFound``, ``GatedRepo``), its "disabled" ``X-Error-Message``,
   ``RepoNotFound`` or a 401 on a Hub repository URL, then 400 (``"Bad request:"``, without
   status or URL), 403, 416, and otherwise requests' own line:
   ``"<status> Client Error: <reason> for url: <url>"`` (``Server Error`` from 500).
2. The server's message (:func:`server_message_of`) after a blank line, unless the message
   already contains it (case-insensitive).
3. ``" (Request ID: <x-request-id>)"``, else ``" (Amzn Trace ID: <X-Amzn-Trace-Id>)"``,
   inserted before the first line break, unless the id already appears.
4. For a 422, the body itself on its own lines (huggingface_hub's client appends it to every
   task call's 422; we do it for every 422 this function sees).

Ours on top: the server's message also comes from FastAPI's ``{"detail": "..."}`` and
``{"detail": [{"msg": ...}]}``, from an OpenAI-style ``{"error": {"message": ...}}`` (its
message, not the dict's repr) and from a lone ``{"message": ...}``; a JSON body that is not an
object is ignored instead of crashing.

A TGI ``error_type`` in an error body maps to the TGI class (message: the body's ``error``,
``__cause__``: the status error above) for every task, not only ``text_generation`` as in
huggingface_hub: those classes are :class:`ProviderError` children, so ``except
HfHubHTTPError`` still catches them, and chat users get the precise class too.
"""

from __future__ import annotations

import re
from typing import Any

from ._boundary import Request, Response
from ._errors import (
    BadRequestError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    GenerationError,
    HTTPStatusError,
    IncompleteGenerationError,
    OverloadedError,
    ProviderError,
    RepositoryNotFoundError,
    ResponseFormatError,
    RevisionNotFoundError,
    TextGenerationError,
    UnknownError,
    ValidationError,
)
from ._http_response import reason_phrase
from ._json import loads as json_loads
from ._secrets import mask_url

__all__ = [
    "not_a_stream_error",
    "raise_for_status",
    "server_message_of",
    "status_error",
    "text_generation_error",
]

_TGI_ERRORS: dict[str, type[TextGenerationError]] = {
    "generation": GenerationError,
    "incomplete_generation": IncompleteGenerationError,
    "overloaded": OverloadedError,
    "validation": ValidationError,
}
_REPO_URL = re.compile(r"^https://[^/]+(/api/(models|datasets|spaces)/(.+)|/(.+)/resolve/(.+))")
_HUB_ERRORS: dict[str, tuple[type[ProviderError], str]] = {  # X-Error-Code -> class, text
    "RevisionNotFound": (RevisionNotFoundError, "Revision Not Found for url: {url}."),
    "EntryNotFound": (EntryNotFoundError, "Entry Not Found for url: {url}."),
    "GatedRepo": (GatedRepoError, "Cannot access gated repo for url {url}."),
}
_DISABLED = "Access to this resource is disabled."
_INVALID_CREDENTIALS = "Invalid credentials in Authorization header"
_AUTH_HELP = (
    "\nPlease make sure you specified the correct `repo_id` and `repo_type`.\nIf you are trying"
    " to access a private or gated repo, make sure you are authenticated. For more details, see"
    " https://huggingface.co/docs/huggingface_hub/authentication"
)


def raise_for_status(request: Request, response: Response) -> None:
    """Return if ``response`` is a success (< 400), else raise the matching typed error.

    Raises:
        HfHubHTTPError: the status is 400 or more; see :func:`status_error` for the class.
    """
    if response.status < 400:
        return
    raise status_error(request, response)


def status_error(request: Request, response: Response) -> ProviderError:
    """The typed error for the error status of ``response`` (the answer to ``request``).

    A :class:`BadRequestError` for 400, a Hub repository error for the Hub's error codes, a
    TGI error (whose ``__cause__`` is the status error) for a body with an ``error_type``, and
    an :class:`HTTPStatusError` otherwise; the message follows huggingface_hub's.
    """
    payload = _json_or_none(response)
    cls, first = _classify(request, response)
    server_message = server_message_of(response, payload)
    message = _with_details(first, server_message, response)
    if response.status == 422 and response.body:
        message += f"\n{response.text}\n"
    error = cls(
        message,
        response,
        server_message=server_message,
        request_id=_request_id(response),
        request=request,
    )
    if isinstance(payload, dict) and payload.get("error_type") is not None:
        tgi = text_generation_error(
            payload, status=response.status, response=response, request=request
        )
        tgi.__cause__ = error
        return tgi
    return error


def text_generation_error(
    payload: dict[str, Any],
    *,
    status: int | None = None,
    response: Response | None = None,
    request: Request | None = None,
) -> TextGenerationError:
    """Build the TGI error for a payload like ``{"error": "...", "error_type": "validation"}``:
    its message is the payload's ``error``, as huggingface_hub's."""
    error_type = payload.get("error_type")
    cls = _TGI_ERRORS.get(error_type, UnknownError) if isinstance(error_type, str) else UnknownError
    message = _as_message(payload.get("error"))
    return cls(
        message,
        response,
        status=status,
        server_message=message,
        request_id=None if response is None else _request_id(response),
        request=request,
    )


def not_a_stream_error(request: Request, response: Response) -> ProviderError:
    """The error for a success that should have been an event stream and is not.

    A TGI error body (``{"error": ..., "error_type": ...}``) gives the TGI class; anything else
    (JSON, FastAPI's ``{"detail": ...}``, HTML, text, nothing) a :class:`ResponseFormatError`
    naming the status and the content type and quoting the server's message (or the body).
    """
    payload = _json_or_none(response)
    if isinstance(payload, dict) and payload.get("error_type") is not None:
        return text_generation_error(
            payload, status=response.status, response=response, request=request
        )
    server_message = server_message_of(response, payload)
    content_type = response.header("Content-Type")
    got = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
    message = (
        f"{response.status} {_reason(response.status)} for url: {mask_url(request.url)}:"
        f" expected an event stream (text/event-stream), got {got}"
        + ("" if response.body else " and an empty body")
    )
    request_id = _request_id(response)
    if request_id:
        message += f" (Request ID: {request_id})"
    quoted = server_message or response.text[:200]
    if quoted:
        message += "\n\n" + quoted
    return ResponseFormatError(
        message, response, server_message=server_message, request_id=request_id, request=request
    )


def server_message_of(response: Response, payload: Any = None) -> str | None:
    """Collect the server's own words, stripped, without repeats, one per line; None if none.

    In order: the ``X-Error-Message`` header; from a JSON object, ``error`` (a string, each item
    of a list, or an object's ``message``), each ``errors[].message``, FastAPI's ``detail`` (a
    string, or each ``detail[].msg``), else a lone ``message``; a body that is not JSON, unless
    it is HTML. ``payload`` is the decoded body (None when it is not JSON).
    """
    parts: list[Any] = []
    header = _joined(response, "x-error-message")
    if header is not None:
        parts.append(header)
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, list):
            parts.extend(error)
        elif error is not None:
            parts.append(_as_message(error))
        errors = payload.get("errors")
        if isinstance(errors, list):
            parts.extend(e["message"] for e in errors if isinstance(e, dict) and "message" in e)
        detail = payload.get("detail")
        if isinstance(detail, list):
            parts.extend(
                d["msg"] if isinstance(d, dict) else d
                for d in detail
                if isinstance(d, str) or (isinstance(d, dict) and "msg" in d)
            )
        elif detail is not None:
            parts.append(_as_message(detail))
        if not parts and payload.get("message") is not None:
            parts.append(payload["message"])
    elif payload is None and response.body and not _is_html(response):  # not JSON: the text
        parts.append(response.text)
    seen: dict[str, None] = {}
    for part in parts:
        stripped = str(part).strip()
        if stripped:
            seen.setdefault(stripped, None)
    return "\n".join(seen) or None


def _classify(request: Request, response: Response) -> tuple[type[ProviderError], str]:
    """The error class and the first message for an error status (step 1 of the strategy)."""
    status, url = response.status, mask_url(request.url)  # a token in a query stays hidden
    code = _joined(response, "x-error-code")
    header_message = _joined(response, "x-error-message")
    hub = _HUB_ERRORS.get(code or "")
    if hub is not None:
        return hub[0], f"{status} Client Error.\n\n" + hub[1].format(url=url)
    if header_message == _DISABLED:
        return DisabledRepoError, (
            f"{status} Client Error.\n\nCannot access repository for url {url}.\n{_DISABLED}"
        )
    if code == "RepoNotFound" or (
        status == 401 and header_message != _INVALID_CREDENTIALS and _REPO_URL.search(url)
    ):
        return RepositoryNotFoundError, (
            f"{status} Client Error.\n\nRepository Not Found for url: {url}.{_AUTH_HELP}"
        )
    if status == 400:
        return BadRequestError, "\n\nBad request:"
    if status == 403:
        return HTTPStatusError, (
            f"\n\n403 Forbidden: {header_message}.\nCannot access content at: {url}."
            "\nMake sure your token has the correct permissions."
        )
    kind = "Client" if status < 500 else "Server"
    line = f"{status} {kind} Error: {_reason(status)} for url: {url}"
    if status == 416:
        requested, content_range = request.header("Range"), _joined(response, "Content-Range")
        line += f". Requested range: {requested}. Content-Range: {content_range}."
    return HTTPStatusError, line


def _with_details(first: str, server_message: str | None, response: Response) -> str:
    """Steps 2 and 3: append the server's message, insert the request id, strip."""
    message = first
    if server_message and server_message.lower() not in first.lower():
        message += ("\n" if "\n\n" in first else "\n\n") + server_message
    request_id, label = _joined(response, "x-request-id"), "Request ID"
    if not request_id:
        request_id, label = _joined(response, "x-amzn-trace-id"), "Amzn Trace ID"
    if request_id and request_id.lower() not in message.lower():
        cut = message.find("\n")
        suffix = f" ({label}: {request_id})"
        message = message + suffix if cut < 0 else message[:cut] + suffix + message[cut:]
    return message.strip()


def _is_html(response: Response) -> bool:
    return "html" in (response.header("Content-Type") or "").lower()


def _reason(status: int) -> str:
    return reason_phrase(status) or "Unknown"


def _joined(response: Response, name: str) -> str | None:
    """Header ``name`` as requests reads it: a repeated header's values joined with ", "."""
    name = name.lower()
    values = [value for key, value in response.headers if key.lower() == name]
    return ", ".join(values) if values else None


def _request_id(response: Response) -> str | None:
    return _joined(response, "x-request-id") or _joined(response, "x-amzn-trace-id")


def _json_or_none(response: Response) -> Any:
    if not response.body:
        return None
    try:
        return json_loads(response.body)
    except ValueError:
        return None


def _as_message(error: Any) -> str:
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return str(error["message"])
    return str(error)
