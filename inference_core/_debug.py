"""What a call logs: each request as a ``curl`` line, each response's status, each retry.

Everything goes to the ``inference_core`` logger at DEBUG, with secrets masked (``_secrets``):
``logging.getLogger("inference_core").setLevel(logging.DEBUG)`` shows it, and so does
``HF_DEBUG=1`` in the environment, as in huggingface_hub (the clients call
:func:`enable_from_environment` when they are built). :func:`curl_line` is also what the command
line's ``--dry-run`` prints.
"""

from __future__ import annotations

import logging
import shlex
from typing import TYPE_CHECKING

from ._boundary import Request, Response
from ._secrets import is_secret_header, mask, mask_url

if TYPE_CHECKING:
    from ._policy import RetryEvent

__all__ = ["curl_line", "enable_debug_logging", "log_request", "log_response", "log_retry"]

logger = logging.getLogger("inference_core")
_BODY_SHOWN = 1000


def curl_line(
    request: Request,
    *,
    show_secrets: bool = False,
    secret: str | None = None,
    stream: bool = False,
    body_limit: int = _BODY_SHOWN,
) -> str:
    """``request`` as a ``curl`` command. Unless ``show_secrets``, credential headers are
    masked (``Bearer hf_***``), as are secret-looking URL parameters and ``secret`` (a token)
    wherever it appears; a text body longer than ``body_limit`` characters is elided."""

    def hide(text: str) -> str:
        if show_secrets or not secret:
            return text
        return text.replace(secret, "hf_***" if secret.startswith("hf_") else "***")

    parts = ["curl"]
    if stream:
        parts.append("--no-buffer")
    url = request.url if show_secrets else mask_url(request.url)
    parts += ["-X", request.method, shlex.quote(hide(url))]
    for name, value in request.headers:
        shown = value if show_secrets or not is_secret_header(name) else mask(value)
        parts += ["-H", shlex.quote(hide(f"{name}: {shown}"))]
    body = request.body
    if body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            parts += ["--data-binary", f"@input.bin  # {len(body)} bytes of binary data"]
        else:
            if len(text) > body_limit:
                text = text[:body_limit] + f"...({len(text) - body_limit} more characters)"
            parts += ["--data-binary", shlex.quote(hide(text))]
    return " ".join(parts)


def log_request(request: Request) -> None:
    """Log ``request`` as a masked curl line (only when DEBUG is on for the logger)."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("Request: %s", curl_line(request))


def log_response(request: Request, response: Response) -> None:
    """Log the status of ``response`` and its request id, if any."""
    if logger.isEnabledFor(logging.DEBUG):
        request_id = response.header("x-request-id") or response.header("x-amzn-requestid")
        suffix = f" (request id {request_id})" if request_id else ""
        logger.debug("Response: %s %s -> %s%s", request.method, mask_url(request.url),
                     response.status, suffix)  # fmt: skip


def log_retry(event: RetryEvent, max_retries: int) -> None:
    """Log one retry: which attempt, why, after how long."""
    if logger.isEnabledFor(logging.DEBUG):
        reason = (
            f"status {event.response.status}" if event.response is not None
            else f"{type(event.error).__name__}: {event.error}"
        )  # fmt: skip
        logger.debug(
            "Retry %d/%d of %s %s in %.2fs after %s", event.attempt, max_retries,
            event.request.method, mask_url(event.request.url), event.delay, reason,
        )  # fmt: skip


def enable_debug_logging() -> None:
    """Send the ``inference_core`` logger's DEBUG records to stderr (what ``HF_DEBUG=1``
    does); idempotent."""
    logger.setLevel(logging.DEBUG)
    if not any(getattr(h, "_inference_core_debug", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        handler._inference_core_debug = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
