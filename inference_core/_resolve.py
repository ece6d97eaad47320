"""Per-call resolution, ``model + provider + task -> Route``, and the provider registry.

Strategy: every task plan, whatever the task or provider, starts with ``route = yield from
resolve(config, model, TASK)`` (spec providers.md §1.4, §2.2-2.3, §4.9):

* a model given as an ``http(s)://`` URL (an Inference Endpoint or a local server) goes to that
  URL, through the hf-inference adapter, whatever ``provider`` says (as in huggingface_hub);
* ``provider`` None or ``"auto"`` with a model id takes the first entry of the model's Hub
  provider mapping (``GET {HF_ENDPOINT}/api/models/{id}?expand=inferenceProviderMapping``,
  cached per client); with no model it means hf-inference;
* then the named provider's adapter for the task is found, the key checked, the model named: the
  Hub's recommended model for the task when none is given (hf-inference), the provider's id for
  it from the mapping (providers that use it; status warnings). The :class:`Route` says where to
  send (the Hugging Face router for ``hf_`` keys, the provider's own URL otherwise) with which
  headers and timeout.

There is no other path. Everything here is pure: Hub lookups are yielded requests, and the
token was resolved when the client was built.
"""

from __future__ import annotations

import re
import warnings
from typing import Any, TypeVar

from ._boundary import Headers, Request, Timeout, idle_seconds
from ._config import ClientConfig
from ._contract import MappingEntry, Provider, Route, Task
from ._errors import NoProviderLeft, ProviderError, RequestError
from ._plan import Plan, send
from ._wire import ROUTER, is_url

__all__ = [
    "get_provider",
    "provider_mapping",
    "provider_names",
    "recommended_model",
    "register_provider",
    "resolve",
    "unregister_provider",
]

A = TypeVar("A")

HF_INFERENCE = "hf-inference"
_MAPPING_CACHE = "hub-provider-mapping"
_TASKS_CACHE = "hub-recommended-models"
_ROUTE_CACHE = "route"
_MODEL_ID = re.compile(r"[\w.\-]{1,96}(/[\w.\-]{1,96})?")

_REGISTRY: dict[str, Provider] = {}


def register_provider(provider: Provider, *, replace: bool = False) -> None:
    """Make ``provider`` available to every client as ``provider=<provider.name>``."""
    if provider.name in _REGISTRY and not replace:
        raise ValueError(f"provider {provider.name!r} is already registered (pass replace=True)")
    _REGISTRY[provider.name] = provider


def unregister_provider(name: str) -> None:
    """Remove a registered provider (for tests, or to replace a built-in one)."""
    _REGISTRY.pop(name, None)


def get_provider(name: str) -> Provider:
    """The registered provider called ``name``; RequestError naming the known ones otherwise."""
    provider = _REGISTRY.get(name)
    if provider is None:
        raise RequestError(
            f"Provider '{name}' not supported. Available values: 'auto' or any provider from"
            f" {provider_names()}."
        )
    return provider


def provider_names() -> list[str]:
    """Every provider name ``provider=`` accepts, sorted."""
    return sorted(_REGISTRY)


def resolve(config: ClientConfig, model: str | None, task: Task[A]) -> Plan[Route[A]]:
    """Resolve ``model`` (the call's, else the client's: the caller decides) for ``task``.

    The route is remembered per client for the same model, provider and task, as long as the
    token, timeout, headers and cookies it was built with are unchanged."""
    if model is not None and not isinstance(model, str):
        kind = type(model).__name__
        raise RequestError(f"`model` must be a model id or a URL string, got {kind}")
    if config.provider is not None and not isinstance(config.provider, str):
        kind = type(config.provider).__name__
        raise RequestError(f"`provider` must be a provider name, got {kind}")
    record = config.record
    if record is not None and record.failovers:  # failover: the next provider, never cached
        route: Route[A] = yield from _resolve(config, model, task)
        record.provider = route.provider.name
        return route
    key = (_ROUTE_CACHE, model, config.provider, task.id)
    cookies = tuple(config.cookies.items()) if config.cookies else None
    state = (
        config.token,
        config.timeout,
        tuple(config.headers.items()),
        cookies,
        config.policy.max_response_bytes,
    )
    cached = config.cache.get(key)
    if cached is not None and cached[0] == state:
        route = cached[1]
    else:
        route = yield from _resolve(config, model, task)
        config.cache[key] = (state, route)
    if record is not None:
        record.provider = route.provider.name
    return route


def _resolve(config: ClientConfig, model: str | None, task: Task[A]) -> Plan[Route[A]]:
    if model and is_url(model):
        return _url_route(config, model, task)
    name = config.provider
    failed = config.record.failovers if config.record is not None else ()
    if failed and isinstance(config.fallback, tuple):
        name = next((n for n in config.fallback if n not in failed and n != name), None)
        if name is None:
            raise NoProviderLeft("every provider of `fallback` failed")
    elif name is None or name == "auto":
        name = HF_INFERENCE
        if model:
            entries = yield from provider_mapping(config, model)
            if not entries:
                raise RequestError(
                    f"No inference provider serves model {model!r}: its Hub provider mapping is"
                    " empty. Pass a provider explicitly, or an endpoint URL as the model."
                )
            left = [entry.provider for entry in entries if entry.provider not in failed]
            if not left:
                raise NoProviderLeft(f"every provider of model {model!r} failed")
            name = left[0]
    elif failed:
        raise NoProviderLeft(f"provider {name!r} failed and no fallback was given")
    provider = get_provider(name)
    adapter = _adapter(provider, task)
    key = _api_key(config, provider)
    if not model:
        if provider.name != HF_INFERENCE:
            raise RequestError(
                provider.missing_model_message
                or f"Please provide an HF model ID supported by {provider.name}."
            )
        model = yield from recommended_model(config, task.id)
    mapping = None
    provider_id = model
    if provider.uses_hub_mapping:
        mapping = yield from _mapping_for(config, model, provider.name, task.id)
        provider_id = mapping.provider_id
    elif provider.name == HF_INFERENCE:
        check_model_id(model)
    routed = provider.routable and key is not None and key.startswith("hf_")
    return Route(
        provider=provider,
        task=task.id,
        adapter=adapter,
        model_id=model,
        provider_id=provider_id,
        api_key=key,
        routed=routed,
        base_url=f"{ROUTER}/{provider.name}" if routed else provider.base_url.rstrip("/"),
        headers=_headers(config, provider, key, routed),
        mapping=mapping,
        hub_endpoint=config.hub_endpoint,
        timeout=idle_seconds(config.timeout),
        phases=config.timeout if isinstance(config.timeout, Timeout) else None,
        max_bytes=config.policy.max_response_bytes,
    )


def _url_route(config: ClientConfig, url: str, task: Task[A]) -> Route[A]:
    provider = get_provider(HF_INFERENCE)
    return Route(
        provider=provider,
        task=task.id,
        adapter=_adapter(provider, task),
        model_id=url,
        provider_id=url,
        api_key=config.token,
        routed=False,
        base_url=url.rstrip("/"),
        headers=config.request_headers(config.token),
        mapping=None,
        hub_endpoint=config.hub_endpoint,
        timeout=idle_seconds(config.timeout),
        phases=config.timeout if isinstance(config.timeout, Timeout) else None,
        max_bytes=config.policy.max_response_bytes,
        model_url=url,
    )


def _adapter(provider: Provider, task: Task[A]) -> A:
    adapter = provider.adapter(task)
    if adapter is None:
        raise RequestError(
            f"Task '{task.id}' not supported for provider '{provider.name}'. Available tasks:"
            f" {sorted(provider.tasks)}"
        )
    return adapter


def _api_key(config: ClientConfig, provider: Provider) -> str | None:
    key = config.token
    if config.token_from_saved and not provider.uses_saved_token:
        key = None
    if not provider.routable and key is not None and key.startswith("hf_"):
        if provider.left_router:
            raise RequestError(
                f"Provider '{provider.name}' left the Hugging Face router: an HF token cannot"
                f" reach it any more. Pass {provider.name}'s own API key as `api_key`."
            )
        raise RequestError(
            f"Provider '{provider.name}' is not available through Hugging Face routing: pass its"
            " own API key, not an HF token."
        )
    if key is None and provider.requires_key:
        login = " or log in with `huggingface-cli login`" if provider.uses_saved_token else ""
        raise RequestError(f"You must provide an api_key to work with {provider.name} API{login}.")
    return key


def check_model_id(model: str) -> str:
    """Reject what cannot be a Hub model id (``org/name`` or ``name``) before any I/O."""
    if not _MODEL_ID.fullmatch(model) or ".." in model or "--" in model:
        raise RequestError(
            f"invalid model id {model!r}: expected a Hub id such as 'org/name', or the URL of an"
            " Inference Endpoint or local server"
        )
    return model


def provider_mapping(config: ClientConfig, model: str) -> Plan[list[MappingEntry]]:
    """The Hub's provider mapping of ``model``, in the Hub's order (cached per client)."""
    cache: dict[str, list[MappingEntry]] = config.cache.setdefault(_MAPPING_CACHE, {})
    if model in cache:
        return cache[model]
    check_model_id(model)
    url = f"{config.hub_endpoint}/api/models/{model}?expand=inferenceProviderMapping"
    response = yield from send(Request("GET", url, config.hub_headers(), None, config.timeout))
    data = response.json()
    raw = data.get("inferenceProviderMapping") if isinstance(data, dict) else None
    if raw is None:
        raise RequestError(f"No provider mapping found for model {model}")
    entries = _parse_mapping(raw, str(data.get("id") or model), url)
    cache[model] = entries
    return entries


def recommended_model(config: ClientConfig, task: str) -> Plan[str]:
    """The Hub's recommended model for ``task`` (the task map is fetched once per client)."""
    tasks: Any = config.cache.get(_TASKS_CACHE)
    if tasks is None:
        url = f"{config.hub_endpoint}/api/tasks"
        response = yield from send(Request("GET", url, config.hub_headers(), None, config.timeout))
        tasks = response.json()
        if not isinstance(tasks, dict):
            raise ProviderError(f"unexpected answer from {url}: {response.text[:200]}")
        config.cache[_TASKS_CACHE] = tasks
    entry = tasks.get(task)
    models = entry.get("widgetModels") if isinstance(entry, dict) else None
    if not models or not isinstance(models[0], str):
        raise RequestError(
            f"Task {task} has no recommended model for HF Inference. Please specify a model"
            " explicitly (a Hub model id, or the URL of an Inference Endpoint or local server)."
        )
    return models[0]


def _parse_mapping(raw: Any, hf_model_id: str, url: str) -> list[MappingEntry]:
    if isinstance(raw, dict):
        items = [{"provider": name, **(value or {})} for name, value in raw.items()]
    elif isinstance(raw, list):
        items = [item for item in raw if isinstance(item, dict)]
    else:
        raise ProviderError(f"unexpected inferenceProviderMapping from {url}: {raw!r:.200}")
    entries = []
    for item in items:
        provider, provider_id = item.get("provider"), item.get("providerId")
        if not isinstance(provider, str) or not isinstance(provider_id, str):
            continue
        entries.append(
            MappingEntry(
                provider=provider,
                provider_id=provider_id,
                task=item.get("task"),
                status=item.get("status"),
                adapter=item.get("adapter"),
                adapter_weights_path=item.get("adapterWeightsPath"),
                hf_model_id=hf_model_id,
            )
        )
    return entries


def _mapping_for(config: ClientConfig, model: str, provider: str, task: str) -> Plan[MappingEntry]:
    entries = yield from provider_mapping(config, model)
    entry = next((e for e in entries if e.provider == provider), None)
    if entry is None:
        raise RequestError(f"Model {model} is not supported by provider {provider}.")
    if entry.task is not None and entry.task != task:
        raise RequestError(
            f"Model {model} is not supported for task {task} and provider {provider}."
            f" Supported task: {entry.task}."
        )
    if entry.status == "staging":
        warnings.warn(
            f"Model {model} is in staging mode for provider {provider}. Meant for test purposes"
            " only.",
            UserWarning,
            stacklevel=2,
        )
    elif entry.status == "error":
        warnings.warn(
            f"Our latest automated health check on model '{model}' for provider '{provider}'"
            " did not complete successfully. Inference call might fail.",
            UserWarning,
            stacklevel=2,
        )
    return entry


def _headers(config: ClientConfig, provider: Provider, key: str | None, routed: bool) -> Headers:
    if routed or provider.auth == "bearer" or key is None:
        return config.request_headers(key, *provider.extra_headers)
    if provider.auth == "fal-key":
        pairs = (("authorization", f"Key {key}"), *provider.extra_headers)
        return config.request_headers(None, *pairs)
    headers = config.request_headers(None, ("X-Key", key), *provider.extra_headers)
    return tuple(h for h in headers if h[0].lower() != "authorization")
