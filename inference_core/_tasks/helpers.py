"""The non-task helpers: ``get_endpoint_info``, ``health_check``, ``get_model_status`` and
``list_deployed_models``, one plan each, shared by both clients (spec client.md §3).

Strategy: each helper is a short plan of ``GET`` requests built here and sent with ``send``:

* a model given as a URL (an Inference Endpoint, a local TGI/TEI server) is asked at
  ``<url>/info`` and ``<url>/health``;
* a model id is asked on the serverless Inference API, ``config.inference_endpoint``
  (``HF_INFERENCE_ENDPOINT``, read when the client was built): ``/models/<id>/info``,
  ``/status/<id>`` and ``/framework/<name>``.

Every request carries the client's headers (so ``bill_to`` too), cookies and timeout, on both
clients, and goes through the client's transport (so its proxies); huggingface_hub's sync client
sent only the user-agent and the token. The token is the client's; with
``HF_HUB_DISABLE_IMPLICIT_TOKEN`` set, a token the caller did not give (the saved one) is not
sent, as huggingface_hub's header builder did.

Provider guard: these helpers only exist on hf-inference. huggingface_hub compares
``provider != "hf-inference"`` literally, so its default ``provider=None`` fails with "... is
not supported on 'None'." even though None means "let the library choose". Here None and
``"auto"`` are accepted as well as ``"hf-inference"``; any other provider gets huggingface_hub's
message. Likewise ``get_model_status`` refuses any URL model (``http://`` as well as
``https://``) instead of pasting an ``http://`` URL into the status path.

Errors: the caller's mistakes raise :class:`RequestError` (a ``ValueError``) with
huggingface_hub's messages, before any I/O; a body that is not the expected JSON, or a status
body holding ``"error"``, raises :class:`ResponseFormatError` (also a ``ValueError``, where
huggingface_hub raised ``ValueError`` or ``KeyError``); HTTP errors raise as in task calls,
except in ``health_check``, which answers False.

``get_model_status`` and ``list_deployed_models`` are deprecated, as in huggingface_hub v0.33.5:
each call warns (FutureWarning, huggingface_hub's message format). The warning is raised when the
plan starts: at the call for the sync client, at the ``await`` for the async one.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from .._boundary import Request, Response
from .._config import ClientConfig
from .._errors import ProviderError, RequestError, ResponseFormatError
from .._plan import Plan, send
from .._resolve import check_model_id
from .._types.model_status import ModelStatus
from .._wire import is_url

__all__ = [
    "ALL_FRAMEWORKS",
    "MAIN_FRAMEWORKS",
    "get_endpoint_info",
    "get_model_status",
    "health_check",
    "list_deployed_models",
]

MAIN_FRAMEWORKS = (
    "diffusers",
    "sentence-transformers",
    "text-generation-inference",
    "transformers",
)
"""What ``list_deployed_models()`` asks about by default."""

ALL_FRAMEWORKS = (
    *MAIN_FRAMEWORKS,
    "adapter-transformers",
    "allennlp",
    "asteroid",
    "bertopic",
    "doctr",
    "espnet",
    "fairseq",
    "fastai",
    "fasttext",
    "flair",
    "k2",
    "keras",
    "mindspore",
    "nemo",
    "open_clip",
    "paddlenlp",
    "peft",
    "pyannote-audio",
    "sklearn",
    "spacy",
    "span-marker",
    "speechbrain",
    "stanza",
    "timm",
)
"""What ``list_deployed_models("all")`` asks about."""

_HELPER_PROVIDERS = (None, "auto", "hf-inference")
_REMOVAL_VERSION = "0.35.0"  # huggingface_hub's, kept so that filters written for it still match
_WARM_ONLY = "The serverless Inference API now serves warm models only (no cold start)."
_SENTENCE_TASKS = ("feature-extraction", "sentence-similarity")
_STATUS_FIELDS = ("loaded", "state", "compute_type", "framework")


def get_endpoint_info(config: ClientConfig, /, *, model: str | None = None) -> Plan[dict[str, Any]]:
    """Describe the server behind a model: TGI and TEI answer with their settings.

    Sends ``GET <url>/info`` for a URL model, ``GET {HF_INFERENCE_ENDPOINT}/models/<id>/info``
    for a model id.

    Args:
        model: a Hub model id or the URL of an Inference Endpoint or local server; defaults to
            the client's model.

    Returns:
        The JSON object the server sent (``model_id``, ``max_total_tokens``, ``version``... for
        TGI; empty for endpoints served by ``transformers``).

    Raises:
        RequestError: the client's provider is not hf-inference (None and "auto" are
            accepted), or no model is given, before any I/O.
        ProviderError: the server answered with an error, or with something else than a JSON
            object.
        TransportError: the connection failed or timed out.
    """
    _check_provider(config, "Getting endpoint info")
    target = _model(config, model)
    if is_url(target):
        url = target.rstrip("/") + "/info"
    else:
        url = f"{config.inference_endpoint}/models/{check_model_id(target)}/info"
    response = yield from send(_get(config, url))
    return _json_object(response, "endpoint info")


def health_check(config: ClientConfig, /, model: str | None = None) -> Plan[bool]:
    """Tell whether an Inference Endpoint (or a TGI/TEI server) is up: ``GET <url>/health``.

    Args:
        model: the URL of the endpoint; defaults to the client's model.

    Returns:
        True if the server answered 200, False for any other status (errors included).

    Raises:
        RequestError: the client's provider is not hf-inference (None and "auto" are
            accepted), no model is given, or it is not a URL (use ``get_model_status`` for a
            model id), before any I/O.
        TransportError: the connection failed or timed out.
    """
    _check_provider(config, "Health check")
    target = _model(config, model)
    if not is_url(target):
        raise RequestError(
            "Model must be an Inference Endpoint URL. For serverless Inference API, please use"
            " `InferenceClient.get_model_status`."
        )
    try:
        response = yield from send(_get(config, target.rstrip("/") + "/health"))
    except ProviderError:
        return False
    return response.status == 200


def get_model_status(config: ClientConfig, /, model: str | None = None) -> Plan[ModelStatus]:
    """Ask the serverless Inference API about a model: ``GET {HF_INFERENCE_ENDPOINT}/status/<id>``.

    Deprecated (FutureWarning on every call): the serverless Inference API now serves warm
    models only; check a model's availability with the Hub's model info instead.

    Args:
        model: a Hub model id; defaults to the client's model.

    Returns:
        A :class:`ModelStatus`: ``loaded``, ``state``, ``compute_type``, ``framework``.

    Raises:
        RequestError: the client's provider is not hf-inference (None and "auto" are
            accepted), or no model is given, before any I/O.
        NotImplementedError: the model is a URL (only models on the serverless Inference API
            have a status).
        ProviderError: the server answered with an error, or its answer lacks a field
            (``ResponseFormatError``, also a ``ValueError``, carrying the server's ``error``).
        TransportError: the connection failed or timed out.

    Warns:
        FutureWarning: on every call (``'get_model_status' (from ...) is deprecated ...``).
    """
    _warn_deprecated(
        "get_model_status", "Check a model's availability with the Hub's `HfApi.model_info`."
    )
    _check_provider(config, "Getting model status")
    target = _model(config, model)
    if is_url(target):
        raise NotImplementedError("Model status is only available for Inference API endpoints.")
    url = f"{config.inference_endpoint}/status/{check_model_id(target)}"
    response = yield from send(_get(config, url))
    data = _json_object(response, "model status")
    if "error" in data:
        message = str(data["error"])
        raise ResponseFormatError(
            message, status=response.status, server_message=message, response=response
        )
    missing = [field for field in _STATUS_FIELDS if field not in data]
    if missing:
        raise ResponseFormatError(
            f"the model status has no {', '.join(missing)}: {response.text[:200]!r}",
            status=response.status,
            response=response,
        )
    return ModelStatus(
        loaded=data["loaded"],
        state=data["state"],
        compute_type=data["compute_type"],
        framework=data["framework"],
    )


def list_deployed_models(
    config: ClientConfig, /, frameworks: str | Sequence[str] | None = None
) -> Plan[dict[str, list[str]]]:
    """List the models the serverless Inference API recently served, by task.

    One ``GET {HF_INFERENCE_ENDPOINT}/framework/<name>`` per framework, in turn. Models served
    by ``sentence-transformers`` are listed under both ``feature-extraction`` and
    ``sentence-similarity``. Deprecated (FutureWarning on every call): the serverless
    Inference API now serves warm models only; list each provider's models on the Hub instead.

    Args:
        frameworks: None for the 4 main frameworks (``diffusers``, ``sentence-transformers``,
            ``text-generation-inference``, ``transformers``), ``"all"`` for all 28, one
            framework name, or a list of names.

    Returns:
        ``{task: [model ids]}``, each list without duplicates and sorted case-insensitively.

    Raises:
        RequestError: the client's provider is not hf-inference (None and "auto" are
            accepted), or ``frameworks`` is not a name or a list of names, before any I/O.
        ProviderError: a server answered with an error, or with something else than a list of
            ``{"model_id", "task"}`` objects.
        TransportError: the connection failed or timed out.

    Warns:
        FutureWarning: on every call (``'list_deployed_models' (from ...) is deprecated ...``).
    """
    _warn_deprecated(
        "list_deployed_models",
        "List the models each provider serves with the Hub's"
        " `HfApi.list_models(inference_provider=...)`.",
    )
    _check_provider(config, "Listing deployed models")
    by_task: dict[str, list[str]] = {}
    for framework in _frameworks(frameworks):
        url = f"{config.inference_endpoint}/framework/{quote(framework, safe='')}"
        response = yield from send(_get(config, url))
        for model_id, tasks in _deployed(response, framework):
            for task in tasks:
                by_task.setdefault(task, []).append(model_id)
    return {
        task: sorted(set(ids), key=lambda model_id: (model_id.lower(), model_id))
        for task, ids in by_task.items()
    }


def _check_provider(config: ClientConfig, action: str) -> None:
    if config.provider not in _HELPER_PROVIDERS:
        raise RequestError(f"{action} is not supported on '{config.provider}'.")


def _model(config: ClientConfig, model: str | None) -> str:
    target = model or config.model
    if target is None:
        raise RequestError("Model id not provided.")
    if not isinstance(target, str):
        raise RequestError(
            f"`model` must be a model id or a URL string, got {type(target).__name__}"
        )
    return target


def _get(config: ClientConfig, url: str) -> Request:
    token = config.token
    if config.token_from_saved and not config.implicit_token:
        token = None
    return Request("GET", url, config.request_headers(token), None, config.timeout)


def _json_object(response: Response, what: str) -> dict[str, Any]:
    data = response.json()
    if not isinstance(data, dict):
        raise ResponseFormatError(
            f"the {what} is not a JSON object: {response.text[:200]!r}",
            status=response.status,
            response=response,
        )
    return data


def _frameworks(frameworks: str | Sequence[str] | None) -> list[str]:
    if frameworks is None:
        return list(MAIN_FRAMEWORKS)
    if frameworks == "all":
        return list(ALL_FRAMEWORKS)
    names = [frameworks] if isinstance(frameworks, str) else frameworks
    if not isinstance(names, Sequence) or not all(isinstance(n, str) and n for n in names):
        raise RequestError(
            "`frameworks` must be None, 'all', a framework name or a list of names,"
            f" got {frameworks!r}"
        )
    return list(dict.fromkeys(names))


def _deployed(response: Response, framework: str) -> list[tuple[str, Sequence[str]]]:
    """``(model id, tasks)`` for each model of ``framework``'s answer."""
    items = response.json()
    found: list[tuple[str, Sequence[str]]] = []
    for item in items if isinstance(items, list) else [None]:
        model_id = item.get("model_id") if isinstance(item, dict) else None
        task = item.get("task") if isinstance(item, dict) else None
        if framework == "sentence-transformers" and isinstance(model_id, str):
            found.append((model_id, _SENTENCE_TASKS))
        elif isinstance(model_id, str) and isinstance(task, str):
            found.append((model_id, (task,)))
        else:
            raise ResponseFormatError(
                f"the models of framework {framework!r} are not a list of objects with"
                f" 'model_id' and 'task': {response.text[:200]!r}",
                status=response.status,
                response=response,
            )
    return found


def _warn_deprecated(name: str, advice: str) -> None:
    # stacklevel 6: this function, the plan, the policy around it, the driver, the client
    # method, the caller.
    warnings.warn(
        f"'{name}' (from '{__name__}') is deprecated and will be removed from version"
        f" '{_REMOVAL_VERSION}'. {_WARM_ONLY} {advice}",
        FutureWarning,
        stacklevel=6,
    )
