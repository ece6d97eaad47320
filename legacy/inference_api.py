"""``InferenceApi``: huggingface_hub's deprecated legacy client, as a thin layer on the core.

Strategy: the constructor applies huggingface_hub's rules in their order (spec client.md §7):
``repo_id`` is validated first (the core's model-id check), ``use_auth_token`` is folded into
``token``, the ``FutureWarning`` is raised, the headers are built once, and the task is read
from the Hub model info (``GET {HF_ENDPOINT}/api/models/<repo_id>``) even when one is given.
Both the lookup and each call are plans (``_plans.py``) run by the core's blocking driver on the
transport; a transport the instance created itself is closed by :meth:`InferenceApi.close`, on
leaving a ``with`` block, or when the instance is garbage collected.

The deprecation message keeps huggingface_hub's shape with this module's name, so a test
matching ``.*'huggingface_hub.inference_api'.*`` ports as ``.*'legacy.inference_api'.*``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
import weakref
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any

from inference_core import ClientConfig, RequestError, run
from inference_core._resolve import check_model_id
from inference_core._settings import (
    hub_endpoint,
    implicit_token_disabled,
    inference_endpoint,
    resolve_token,
)
from inference_core.transport import SyncTransport

from ._plans import call, pipeline_tag

__all__ = ["ALL_TASKS", "InferenceApi"]

logger = logging.getLogger(__name__)

ALL_TASKS: tuple[str, ...] = (
    # NLP
    "text-classification", "token-classification", "table-question-answering",
    "question-answering", "zero-shot-classification", "translation", "summarization",
    "conversational", "feature-extraction", "text-generation", "text2text-generation",
    "fill-mask", "sentence-similarity",
    # Audio
    "text-to-speech", "automatic-speech-recognition", "audio-to-audio", "audio-classification",
    "voice-activity-detection",
    # Computer vision
    "image-classification", "object-detection", "image-segmentation", "text-to-image",
    "image-to-image",
    # Others
    "tabular-classification", "tabular-regression",
)  # fmt: skip
"""The tasks a ``task=`` override may name (a task equal to the model's own is always taken)."""

DEPRECATION_MESSAGE = (
    "'InferenceApi' (from 'legacy.inference_api') is deprecated and will be removed from version"
    " '1.0'. Use `inference_core.InferenceClient` instead, a drop-in for huggingface_hub's"
    " `InferenceClient`; this guide shows how to convert a script:"
    " https://huggingface.co/docs/huggingface_hub/guides/inference#legacy-inferenceapi-client."
)


class InferenceApi:
    """Call a model on the (legacy) Inference API: ``InferenceApi("bert-base-uncased")("[MASK]")``.

    Deprecated: use :class:`inference_core.InferenceClient`.

    Args:
        repo_id: the Hub model id (``"name"`` or ``"org/name"``), validated before any request.
        task: the pipeline to run; by default the model's ``pipeline_tag`` on the Hub. Another
            task must be one of :data:`ALL_TASKS` (a warning is logged).
        token: the token to send; None means the saved one (``HF_TOKEN`` or the token file,
            read once here; none if ``HF_HUB_DISABLE_IMPLICIT_TOKEN`` is set), False sends
            none, True requires the saved one. ``use_auth_token`` is its old name.
        gpu: ask for GPU inference (``options["use_gpu"]``).
        transport: any blocking transport (see ``transports``); default: a new httpcore one,
            closed by :meth:`close`. One passed in stays the caller's to close.

    Attributes:
        task, api_url, options, headers: as in huggingface_hub; read again on every call.

    Raises:
        RequestError: an invalid ``repo_id`` or ``task`` (a ``ValueError``), or no task known.
        HfHubHTTPError: the Hub lookup failed (``RepositoryNotFoundError`` for an unknown or
            private model, as in huggingface_hub).
    """

    def __init__(
        self,
        repo_id: str,
        task: str | None = None,
        token: str | bool | None = None,
        gpu: bool = False,
        *,
        use_auth_token: str | bool | None = None,
        transport: SyncTransport | None = None,
    ) -> None:
        _check_repo_id(repo_id)
        if use_auth_token is not None:
            if token is None:
                token = use_auth_token
            else:
                warnings.warn(
                    "Both `token` and `use_auth_token` were given: `use_auth_token` (the old"
                    " name of `token`) is ignored.",
                    UserWarning,
                    stacklevel=2,
                )
        warnings.warn(DEPRECATION_MESSAGE, FutureWarning, stacklevel=2)
        environ = os.environ
        sent_token = _token_to_send(token, environ)
        config = ClientConfig(token=sent_token, hub_endpoint=hub_endpoint(environ))
        # HF_INFERENCE_ENDPOINT is read now (huggingface_hub read it at import); unlike
        # huggingface_hub, a trailing slash is dropped, as the core does for every endpoint.
        endpoint = inference_endpoint(environ)
        self.options: dict[str, Any] = {"wait_for_model": True, "use_gpu": gpu}
        self.headers: dict[str, str] = dict(config.request_headers(sent_token))

        from transports import blocking_sleep, default_transport, load_content

        self._finalizer: weakref.finalize[Any, Any] | None = None
        if transport is None:
            transport = default_transport(None, None)
            self._finalizer = weakref.finalize(self, transport.close)
        self._transport: SyncTransport = transport
        self._sleep: Callable[[float], None] = getattr(transport, "sleep", blocking_sleep)
        self._load: Callable[[Any], bytes] = load_content
        try:
            tag = run(
                pipeline_tag(config.hub_endpoint, repo_id, config.hub_headers()),
                self._transport,
                self._sleep,
                self._load,
            )
            self.task: str = _choose_task(task, tag)
        except BaseException:
            self.close()
            raise
        self.api_url: str = f"{endpoint}/pipeline/{self.task}/{repo_id}"

    def __repr__(self) -> str:
        # The headers are left out on purpose: they hold the token.
        return f"InferenceAPI(api_url='{self.api_url}', task='{self.task}', options={self.options})"

    def __call__(
        self,
        inputs: Any = None,
        params: dict[str, Any] | None = None,
        data: Any = None,
        raw_response: bool = False,
    ) -> Any:
        """Run the model and decode its answer. An HTTP error status does not raise: its body
        is decoded like a success (a JSON error gives a dict with ``"error"``).

        Args:
            inputs: the model inputs (sent only if truthy).
            params: the task parameters (sent only if truthy).
            data: bytes, a str or a binary file object to send as the raw body instead of the
                JSON payload (the options, ``inputs`` and ``params`` are then not sent).
            raw_response: return the response (``status_code``, ``headers``, ``content``,
                ``json()``, ...) instead of decoding it.

        Returns:
            A PIL image for an ``image/*`` answer, the JSON for ``application/json``.

        Raises:
            NotImplementedError: any other Content-Type (audio included): use ``raw_response``.
            ImportError: an image answer without Pillow (``hf-inference-core[images]``).
        """
        plan = call(self.api_url, self.headers, self.options, inputs, params, data, raw_response)
        return run(plan, self._transport, self._sleep, self._load)

    def close(self) -> None:
        """Close the transport this instance created (a transport passed in is left open);
        idempotent."""
        if self._finalizer is not None:
            self._finalizer()

    def __enter__(self) -> InferenceApi:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _check_repo_id(repo_id: object) -> None:
    """huggingface_hub validated ``repo_id`` before anything else; so do we, with the core's
    model-id check, plus its ``.git`` rule (which the core's check does not apply)."""
    if isinstance(repo_id, str) and not repo_id.endswith(".git"):
        with contextlib.suppress(RequestError):
            check_model_id(repo_id)
            return
    raise RequestError(
        f"Invalid repo_id {repo_id!r}: expected a Hub model id, 'name' or 'namespace/name'"
        " (letters, digits, '-', '_' and '.', at most 96 characters; no '--' or '..'; not"
        " ending in '.git')."
    )


def _token_to_send(token: object, environ: Mapping[str, str]) -> str | None:
    """The token for the headers, resolved once: huggingface_hub's ``build_hf_headers`` rules."""
    if token is False:
        return None
    if isinstance(token, str):
        return token or None
    if token is True:
        saved = resolve_token(environ)
        if saved is None:
            raise RequestError(
                "`token=True` asks for the saved token, but there is none: set HF_TOKEN or log"
                " in with `huggingface-cli login`."
            )
        return saved
    if token is None:
        if implicit_token_disabled(environ):
            return None
        return resolve_token(environ)
    raise RequestError(f"`token` must be a string, a bool or None, got {type(token).__name__}")


def _choose_task(task: str | None, tag: str | None) -> str:
    """The task to run, from the ``task`` argument and the model's ``pipeline_tag``."""
    if task is None:
        if tag is None:
            raise RequestError(
                "Task not specified in the repository: pass `task=`, or add a `pipeline_tag`"
                " to the model card (https://huggingface.co/docs/hub/models-widgets)."
            )
        return tag
    if task != tag:
        if task not in ALL_TASKS:
            raise RequestError(f"Invalid task {task}. Make sure it's valid.")
        logger.warning(
            "You're using a different task (%r) than the one specified in the repository (%r):"
            " make sure the model supports it.",
            task,
            tag,
        )
    return task
