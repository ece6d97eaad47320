"""Inference providers: the adapter contract, the registry, and per-call provider resolution.

Strategy: a provider is a :class:`Provider` value (its direct base URL, auth style and a map of
task id → adapter plan), registered by name with :func:`register_provider`. The built-in ones
live in the ``adapters`` package, one module each; anyone can register another the same way.

Each provider-capable task plan calls :func:`resolve_provider`, a small plan:

* a URL model, or no model with ``provider`` None/"auto", stays on hf-inference (returns None,
  and the task's own hf-inference path runs);
* ``"auto"``/None with a model id picks the first entry of the Hub's provider mapping
  (``GET {HF_ENDPOINT}/api/models/{id}?expand=inferenceProviderMapping``, cached per client);
* otherwise the named provider's adapter for the task is found, the mapping entry for the model
  is checked (provider id, task, status warnings), and a :class:`Route` is returned: where to
  send (the Hugging Face router for ``hf_`` keys, the provider's own URL otherwise), with which
  headers. The task plan then runs ``route.adapter(route, ...)``.

Everything here is pure: the Hub lookup is a yielded request, and the token was resolved when
the client was built.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._boundary import Headers, Request
from ._config import ClientConfig
from ._errors import ProviderError, RequestError
from ._plan import Plan, send
from ._wire import JSON_CONTENT_TYPE, ROUTER, is_url, json_body

__all__ = [
    "MappingEntry",
    "PreparedCall",
    "Provider",
    "Route",
    "TaskAdapter",
    "get_provider",
    "provider_mapping",
    "provider_names",
    "register_provider",
    "resolve_provider",
    "unregister_provider",
]

TaskAdapter = Callable[..., Any]
"""What a provider does for one task. The calling convention depends on the task:

* ``conversational``: ``adapter(route, messages, parameters) -> PreparedCall`` (plain function;
  the core sends or streams the request and parses OpenAI-style chat JSON);
* ``text-generation``: ``adapter(route, prompt, parameters, stream) -> PreparedCall`` whose
  ``convert`` turns the response JSON into TGI's ``{"generated_text", "details"}`` and whose
  ``convert_event`` turns one stream event into a TGI stream event;
* ``text-to-image``, ``text-to-video``, ``text-to-speech``: ``adapter(route, inputs,
  parameters) -> Plan[bytes]`` (the media bytes; polling and downloads are plan steps);
* ``automatic-speech-recognition``: ``adapter(route, audio, parameters) -> Plan[dict]`` with a
  ``"text"`` key (``audio`` as the caller gave it);
* ``feature-extraction``: ``adapter(route, text, parameters) -> Plan[list]`` (nested floats).

``parameters`` is the task's parameter dict in the reference's order, None values included
(adapters filter), with ``extra_body`` already merged in where the task has one.
"""

AUTH_STYLES = ("bearer", "fal-key", "x-key")
_MAPPING_CACHE = "hub-provider-mapping"


@attrs.frozen
class Provider:
    """One inference provider: how to reach it and which tasks it serves.

    Attributes:
        name: the provider name users pass as ``provider=``.
        base_url: the provider's own API base, used with a provider key (no trailing slash).
        tasks: task id (``"conversational"``, ``"text-to-image"``, ...) → adapter plan.
        auth: ``"bearer"`` (``authorization: Bearer <key>``), ``"fal-key"``
            (``authorization: Key <key>``) or ``"x-key"`` (``X-Key: <key>``); direct calls only,
            routed calls always use Bearer.
        routable: False for providers the Hugging Face router does not serve (openai).
        uses_hub_mapping: False when the model name is the provider's own (openai).
        extra_headers: headers the provider always needs (replicate's ``Prefer: wait``).
        uses_saved_token: False when only a key given to the client may be sent (openai): the
            saved Hugging Face token is never used.
        missing_model_message: the error when no model is given (default: asks for an HF id).
    """

    name: str
    base_url: str
    tasks: Mapping[str, TaskAdapter]
    auth: str = attrs.field(default="bearer", validator=attrs.validators.in_(AUTH_STYLES))
    routable: bool = True
    uses_hub_mapping: bool = True
    extra_headers: Headers = ()
    uses_saved_token: bool = True
    missing_model_message: str | None = None


@attrs.frozen
class PreparedCall:
    """A single-request call prepared by an adapter, plus how to read its answer."""

    request: Request
    convert: Callable[[Any], Any] | None = None
    """Turns the parsed JSON answer into the task's shape (None: already in shape)."""
    convert_event: Callable[[Any], Any] | None = None
    """Turns one parsed stream event into the task's event shape (None: already in shape)."""


@attrs.frozen
class MappingEntry:
    """One entry of a model's Hub provider mapping."""

    provider: str
    provider_id: str
    task: str | None = None
    status: str | None = None
    adapter: str | None = None
    adapter_weights_path: str | None = None
    hf_model_id: str | None = None


@attrs.frozen
class Route:
    """Where and how one call goes to a provider; built by :func:`resolve_provider`."""

    provider: Provider
    task: str
    adapter: TaskAdapter
    model_id: str
    """The Hugging Face model id (for openai, the model name as given)."""
    provider_id: str
    """The model's name on the provider's side: what goes in URLs and payloads."""
    api_key: str
    routed: bool
    """True when the call goes through the Hugging Face router (an ``hf_`` key)."""
    base_url: str
    headers: Headers
    """Default, user and auth headers for the provider's API."""
    mapping: MappingEntry | None
    hub_endpoint: str
    timeout: float | None
    """The client's timeout: multi-step jobs give up once their waits add up to it."""

    def url(self, path: str) -> str:
        """``base_url`` joined with a route such as ``/v1/chat/completions``."""
        return self.base_url + "/" + path.lstrip("/")

    def post_json(self, path_or_url: str, payload: Any, *, accept: str | None = None) -> Request:
        """A JSON POST to a route (or an absolute URL) with the route's headers; ``accept`` is
        added unless the user's headers already choose an Accept (in any letter case)."""
        url = path_or_url if is_url(path_or_url) else self.url(path_or_url)
        headers = (*self.headers, JSON_CONTENT_TYPE)
        if accept and not any(name.lower() == "accept" for name, _ in self.headers):
            headers = (*headers, ("accept", accept))
        return Request("POST", url, headers, json_body(payload))

    def get(self, url: str) -> Request:
        """An authenticated GET on the provider (status polls)."""
        return Request("GET", url, self.headers)

    def download(self, url: str) -> Request:
        """A GET for a result file on a foreign host: no token, no user headers."""
        return Request("GET", url, (("user-agent", _user_agent(self.headers)),))


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
    """Every provider name ``provider=`` accepts (hf-inference included), sorted."""
    return sorted({*_REGISTRY, "hf-inference"})


def resolve_provider(config: ClientConfig, model: str | None, task: str) -> Plan[Route | None]:
    """Pick the provider and model for ``task``; None means "hf-inference, the core's path"."""
    if model is not None and not isinstance(model, str):
        kind = type(model).__name__
        raise RequestError(f"`model` must be a model id or a URL string, got {kind}")
    name = config.provider
    if (model and is_url(model)) or (not model and name in (None, "auto")):
        return None
    if name in (None, "auto"):
        assert model is not None
        entries = yield from provider_mapping(config, model)
        if not entries:
            raise RequestError(
                f"No inference provider serves model {model!r}: its Hub provider mapping is"
                " empty. Pass a provider explicitly, or an endpoint URL as the model."
            )
        name = entries[0].provider
    if name == "hf-inference":
        return None
    provider = get_provider(name)
    adapter = provider.tasks.get(task)
    if adapter is None:
        raise RequestError(
            f"Task '{task}' not supported for provider '{name}'. Available tasks:"
            f" {sorted(provider.tasks)}"
        )
    key = config.token
    if config.token_from_saved and not provider.uses_saved_token:
        key = None
    if not provider.routable and key is not None and key.startswith("hf_"):
        raise RequestError(
            f"Provider '{name}' is not available through Hugging Face routing: pass its own API"
            " key, not an HF token."
        )
    if key is None:
        login = "" if not provider.uses_saved_token else " or log in with `huggingface-cli login`"
        raise RequestError(f"You must provide an api_key to work with {name} API{login}.")
    if not model:
        raise RequestError(
            provider.missing_model_message or f"Please provide an HF model ID supported by {name}."
        )
    mapping = None
    provider_id = model
    if provider.uses_hub_mapping:
        mapping = yield from _mapping_for(config, model, provider.name, task)
        provider_id = mapping.provider_id
    routed = provider.routable and key.startswith("hf_")
    return Route(
        provider=provider,
        task=task,
        adapter=adapter,
        model_id=model,
        provider_id=provider_id,
        api_key=key,
        routed=routed,
        base_url=f"{ROUTER}/{provider.name}" if routed else provider.base_url.rstrip("/"),
        headers=_headers(config, provider, key, routed),
        mapping=mapping,
        hub_endpoint=config.hub_endpoint,
        timeout=config.timeout,
    )


def provider_mapping(config: ClientConfig, model: str) -> Plan[list[MappingEntry]]:
    """The Hub's provider mapping of ``model``, in the Hub's order (cached per client)."""
    cache: dict[str, list[MappingEntry]] = config.cache.setdefault(_MAPPING_CACHE, {})
    if model in cache:
        return cache[model]
    if model.startswith("/") or " " in model or model.count("/") > 1:
        raise RequestError(f"invalid model id {model!r}: expected 'org/name' or a URL")
    url = f"{config.hub_endpoint}/api/models/{model}?expand=inferenceProviderMapping"
    response = yield from send(Request("GET", url, config.hub_headers()))
    data = response.json()
    raw = data.get("inferenceProviderMapping") if isinstance(data, dict) else None
    if raw is None:
        raise RequestError(f"No provider mapping found for model {model}")
    entries = _parse_mapping(raw, str(data.get("id") or model), url)
    cache[model] = entries
    return entries


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


def _headers(config: ClientConfig, provider: Provider, key: str, routed: bool) -> Headers:
    if routed or provider.auth == "bearer":
        return config.request_headers(key, *provider.extra_headers)
    if provider.auth == "fal-key":
        pairs = (("authorization", f"Key {key}"), *provider.extra_headers)
        return config.request_headers(None, *pairs)
    headers = config.request_headers(None, ("X-Key", key), *provider.extra_headers)
    return tuple(h for h in headers if h[0].lower() != "authorization")


def _user_agent(headers: Headers) -> str:
    return next((value for name, value in headers if name.lower() == "user-agent"), "")
