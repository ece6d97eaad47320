"""Classify a response or a stream error event into the right typed error, in pure code.

Strategy: one function, :func:`raise_for_status`, decides for every response (like gidgethub's
``decipher_response``). The message follows huggingface_hub's layout so migrating users see the
same text: ``"<status> Client Error: <reason> for url: <url> (Request ID: <id>)"``, then a
blank line and the server's message.

A TGI ``error_type`` in an error body maps to the TGI class for every task, not only
``text_generation`` as in huggingface_hub: those classes are :class:`ProviderError` children, so
``except HfHubHTTPError`` still catches them, and chat users get the precise class too.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from ._boundary import Request, Response
from ._errors import (
    BadRequestError,
    GenerationError,
    HTTPStatusError,
    IncompleteGenerationError,
    OverloadedError,
    ProviderError,
    ResponseFormatError,
    TextGenerationError,
    UnknownError,
    ValidationError,
)

__all__ = ["not_a_stream_error", "raise_for_status", "server_message_of", "text_generation_error"]

_TGI_ERRORS: dict[str, type[TextGenerationError]] = {
    "generation": GenerationError,
    "incomplete_generation": IncompleteGenerationError,
    "overloaded": OverloadedError,
    "validation": ValidationError,
}


def text_generation_error(
    payload: dict[str, Any], *, status: int | None = None, response: Response | None = None
) -> TextGenerationError:
    """Build the TGI error for a payload like ``{"error": "...", "error_type": "validation"}``."""
    error_type = payload.get("error_type")
    cls = _TGI_ERRORS.get(error_type, UnknownError) if isinstance(error_type, str) else UnknownError
    message = _as_message(payload.get("error"))
    request_id = _request_id(response) if response is not None else None
    return cls(
        message, status=status, server_message=message, request_id=request_id, response=response
    )


def raise_for_status(request: Request, response: Response) -> None:
    """Return if ``response`` is a success (< 400), else raise the matching typed error."""
    status = response.status
    if status < 400:
        return
    payload = _json_or_none(response)
    if isinstance(payload, dict) and payload.get("error_type") is not None:
        raise text_generation_error(payload, status=status, response=response)
    server_message = server_message_of(response, payload)
    request_id = _request_id(response)
    message = _status_message(request, response, server_message, request_id)
    cls: type[ProviderError] = BadRequestError if status == 400 else HTTPStatusError
    raise cls(
        message,
        status=status,
        server_message=server_message,
        request_id=request_id,
        response=response,
    )


def not_a_stream_error(request: Request, response: Response) -> ProviderError:
    """The error for a success that should have been an event stream and is not.

    A TGI error body (``{"error": ..., "error_type": ...}``) gives the TGI class; anything else
    (JSON, FastAPI's ``{"detail": ...}``, HTML, text, nothing) a :class:`ResponseFormatError`
    naming the status and the content type and quoting the server's message (or the body).
    """
    payload = _json_or_none(response)
    if isinstance(payload, dict) and payload.get("error_type") is not None:
        return text_generation_error(payload, status=response.status, response=response)
    server_message = server_message_of(response, payload)
    content_type = response.header("Content-Type")
    got = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
    message = (
        f"{response.status} {_reason(response.status)} for url: {request.url}: expected an"
        f" event stream (text/event-stream), got {got}"
        + ("" if response.body else " and an empty body")
    )
    request_id = _request_id(response)
    if request_id:
        message += f" (Request ID: {request_id})"
    quoted = server_message or response.text[:200]
    if quoted:
        message += "\n\n" + quoted
    return ResponseFormatError(
        message,
        status=response.status,
        server_message=server_message,
        request_id=request_id,
        response=response,
    )


def server_message_of(response: Response, payload: Any = None) -> str | None:
    """Collect the server's own words: ``X-Error-Message``, JSON ``error``/``errors``/``detail``
    (FastAPI's string or list of ``{"msg": ...}``), or text."""
    parts: list[str] = []
    header = response.header("X-Error-Message")
    if header:
        parts.append(header)
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, list):
            parts.extend(str(item) for item in error)
        elif error is not None:
            parts.append(_as_message(error))
        errors = payload.get("errors")
        if isinstance(errors, list):
            parts.extend(
                str(e["message"]) for e in errors if isinstance(e, dict) and "message" in e
            )
        detail = payload.get("detail")
        if isinstance(detail, str):
            parts.append(detail)
        elif isinstance(detail, list):
            parts.extend(str(d["msg"]) for d in detail if isinstance(d, dict) and "msg" in d)
        if "message" in payload and not parts:
            parts.append(str(payload["message"]))
    elif payload is None and response.body:
        content_type = (response.header("Content-Type") or "").lower()
        if "html" not in content_type:
            parts.append(response.text)
    seen: dict[str, None] = {}
    for part in parts:
        stripped = part.strip()
        if stripped:
            seen.setdefault(stripped, None)
    return "\n".join(seen) or None


def _status_message(
    request: Request, response: Response, server_message: str | None, request_id: str | None
) -> str:
    status = response.status
    kind = "Client" if status < 500 else "Server"
    message = f"{status} {kind} Error: {_reason(status)} for url: {request.url}"
    if request_id:
        label = "Request ID" if response.header("x-request-id") else "Amzn Trace ID"
        message += f" ({label}: {request_id})"
    if server_message:
        message += "\n\n" + server_message
    return message


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request_id(response: Response) -> str | None:
    return response.header("x-request-id") or response.header("X-Amzn-Trace-Id")


def _json_or_none(response: Response) -> Any:
    if not response.body:
        return None
    try:
        return json.loads(response.body)
    except ValueError:
        return None


def _as_message(error: Any) -> str:
    if isinstance(error, str):
        return error
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return str(error["message"])
    return json.dumps(error)
