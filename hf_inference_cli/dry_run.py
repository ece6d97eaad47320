"""``--dry-run``: show each HTTP request as a ``curl`` command instead of sending it.

Strategy: :class:`DryRunTransport` wraps the in-process fake service
(:class:`fake_service.FakeTransport`). Every request is printed as a ``curl`` command (the
token masked as ``hf_***`` unless asked otherwise) and then answered by the fake, so a
multi-step call (Hub lookup, submit, polls, download) shows all of its requests; the first is
exactly what would be sent, later ones follow the fake's answers. Nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TextIO

from fake_service import FakeTransport
from inference_core import curl_line
from inference_core.transport import Request, Response, StreamResponse

__all__ = ["DryRunTransport", "curl_command"]

_SHOWN_BODY = 4000  # characters of a text body printed before eliding the rest


def curl_command(
    request: Request, *, secret: str | None = None, stream: bool = False, show: bool = False
) -> str:
    """``request`` as a ``curl`` command line: the core's own (also what DEBUG logging
    prints), credentials masked unless ``show``."""
    return curl_line(
        request, show_secrets=show, secret=secret, stream=stream, body_limit=_SHOWN_BODY
    )


class DryRunTransport(FakeTransport):
    """A fake-service transport that prints each request as ``curl`` to ``out`` first."""

    def __init__(self, out: TextIO, *, secret: str | None = None, show: bool = False) -> None:
        super().__init__()
        self._out = out
        self._secret = secret
        self._show = show

    def send(self, request: Request) -> Response:
        """Print the request, then answer from the fake service."""
        line = curl_command(request, secret=self._secret, show=self._show)
        print(line, file=self._out, flush=True)
        return super().send(request)

    @contextlib.contextmanager
    def stream(self, request: Request) -> Iterator[StreamResponse]:
        """Print the request (as a streamed one), then stream the fake's answer."""
        line = curl_command(request, secret=self._secret, stream=True, show=self._show)
        print(line, file=self._out, flush=True)
        with super().stream(request) as response:
            yield response
