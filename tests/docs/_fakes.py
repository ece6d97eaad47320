"""Loopback fakes for the documentation's code blocks.

* ``tgi``: the fake TGI server of ``fake_service`` (chat completions and ``generate``), standing
  in for the "local server" the docs call ``http://127.0.0.1:8080``.
* ``hub``: a fake Hugging Face Hub and serverless Inference API, reached through
  ``HF_ENDPOINT`` and ``HF_INFERENCE_ENDPOINT``: model info (``pipeline_tag``), model status,
  endpoint info, deployed models and the legacy ``/pipeline/<task>/<id>`` route. It is the same
  deterministic handler the user scripts use (``tests/scripts/_servers.py``).
"""

from __future__ import annotations

from contextlib import ExitStack
from types import TracebackType

from fake_service import LoopbackServer
from fake_service.tgi import tgi_handler
from tests.scripts._servers import hub_handler

DOCS_SERVER_URL = "http://127.0.0.1:8080"
"""The address the docs give a local TGI/OpenAI-compatible server; the runner swaps in ``tgi``."""


class DocsFakes:
    """Both fakes, started together (a context manager)."""

    def __init__(self) -> None:
        self.tgi = LoopbackServer(tgi_handler)
        self.hub = LoopbackServer(hub_handler)
        self._stack = ExitStack()

    def __enter__(self) -> DocsFakes:
        self._stack.enter_context(self.tgi)
        self._stack.enter_context(self.hub)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stack.close()

    def env(self, home: str) -> dict[str, str]:
        """What a docs run needs: both endpoints on the fake Hub, no saved token, no proxy."""
        return {
            "DOCS_SERVER_URL": self.tgi.url,
            "HF_ENDPOINT": self.hub.url,
            "HF_INFERENCE_ENDPOINT": self.hub.url,
            "HF_HOME": home,
            "HOME": home,
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
