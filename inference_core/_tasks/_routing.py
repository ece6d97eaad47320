"""Where a task call goes: the model URL, or the hf-inference router, and which token it carries.

Strategy: a model given as an ``http(s)://`` URL is an Inference Endpoint or a local server and
is used as given (whatever ``provider`` says, as in huggingface_hub). A model id goes through
the Hugging Face router on the ``hf-inference`` provider; with no model at all, the Hub's
recommended model for the task is looked up (``GET {HF_ENDPOINT}/api/tasks``, once per client)
as a step of the plan. Third-party providers and the ``auto`` policy (a Hub mapping lookup) are
not wired in yet: asking for them fails before any I/O with a message saying what works.
"""

from __future__ import annotations

from typing import Any

import attrs

from .._boundary import Request
from .._config import ClientConfig
from .._errors import ProviderError, RequestError
from .._plan import Plan, send
from .._wire import ROUTER, is_url

__all__ = ["PIPELINE_TASKS", "Target", "recommended_model", "resolve_target"]

SUPPORTED_PROVIDERS = ("hf-inference",)
HF_INFERENCE_TASKS = (
    "audio-classification", "audio-to-audio", "automatic-speech-recognition", "conversational",
    "document-question-answering", "feature-extraction", "fill-mask", "image-classification",
    "image-segmentation", "image-to-image", "image-to-text", "object-detection",
    "question-answering", "sentence-similarity", "summarization", "table-question-answering",
    "tabular-classification", "tabular-regression", "text-classification", "text-generation",
    "text-to-image", "text-to-speech", "text-to-video", "token-classification", "translation",
    "visual-question-answering", "zero-shot-classification", "zero-shot-image-classification",
)  # fmt: skip
"""The task ids hf-inference serves here (every task method of the clients)."""
PIPELINE_TASKS = frozenset({"feature-extraction", "sentence-similarity"})
"""Tasks the router serves under ``.../models/<id>/pipeline/<task>``."""
_TASKS_CACHE_KEY = "hub-recommended-models"


@attrs.frozen
class Target:
    """The resolved destination of one call."""

    base_url: str
    """The model URL (endpoint/server) or the router URL of the model."""
    model_id: str | None
    """The Hub model id, or None when the model is a URL."""
    token: str | None

    def url_for(self, task: str) -> str:
        """The POST URL for ``task``: a model URL verbatim, the router URL plus any pipeline."""
        if self.model_id is not None and task in PIPELINE_TASKS:
            return f"{self.base_url}/pipeline/{task}"
        return self.base_url


def resolve_target(config: ClientConfig, model: str | None, task: str) -> Plan[Target]:
    """Resolve ``model`` (call-level, else client-level) for ``task`` to a :class:`Target`."""
    if model is not None and not isinstance(model, str):
        kind = type(model).__name__
        raise RequestError(f"`model` must be a model id or a URL string, got {kind}")
    if model and is_url(model):
        return Target(model, None, config.token)
    provider = config.provider
    if provider not in (None, "auto", *SUPPORTED_PROVIDERS):
        raise RequestError(
            f"Provider {provider!r} is not supported yet. Supported: "
            f"{', '.join(SUPPORTED_PROVIDERS)}, or a model URL."
        )
    if not model:
        model = yield from recommended_model(config, task)
    elif provider != "hf-inference":
        raise RequestError(
            f"provider={provider!r} with the model id {model!r} needs the Hub provider-mapping"
            " lookup, which this version does not perform yet. Pass provider='hf-inference', or"
            " the URL of an Inference Endpoint or local server as the model."
        )
    if model.startswith("/") or " " in model:
        raise RequestError(f"invalid model id {model!r}: expected 'org/name' or a URL")
    return Target(f"{ROUTER}/hf-inference/models/{model}", model, config.token)


def recommended_model(config: ClientConfig, task: str) -> Plan[str]:
    """The Hub's recommended model for ``task`` (the task map is fetched once per client)."""
    tasks: Any = config.cache.get(_TASKS_CACHE_KEY)
    if tasks is None:
        url = f"{config.hub_endpoint}/api/tasks"
        request = Request("GET", url, config.hub_headers())
        response = yield from send(request)
        tasks = response.json()
        if not isinstance(tasks, dict):
            raise ProviderError(f"unexpected answer from {request.url}: {response.text[:200]}")
        config.cache[_TASKS_CACHE_KEY] = tasks
    entry = tasks.get(task)
    models = entry.get("widgetModels") if isinstance(entry, dict) else None
    if not models or not isinstance(models[0], str):
        raise RequestError(
            f"Task {task} has no recommended model for HF Inference. Please specify a model"
            " explicitly (a Hub model id, or the URL of an Inference Endpoint or local server)."
        )
    return models[0]
