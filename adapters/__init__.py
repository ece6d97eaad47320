"""Provider adapters: one pure module per inference provider (routes, payloads, auth, parsing).

Each module defines ``PROVIDER``, a :class:`Provider` value: the provider's own base URL, its
auth style, and a map of task id → adapter (see ``inference_core._providers.TaskAdapter`` for
the calling convention of each task). Importing this package registers every built-in provider;
``inference_core`` imports it, so ``InferenceClient(provider="together")`` just works.

To add a provider from outside the package, build a :class:`Provider` the same way (the shared
OpenAI-style builders exported here, ``chat``, ``completions``, ``embeddings``, cover most APIs)
and call :func:`register_provider` once, when your code is imported.

hf-inference is not a module here: the task plans in ``inference_core._tasks`` are its adapter.
"""

from __future__ import annotations

from inference_core._providers import (
    MappingEntry,
    PreparedCall,
    Provider,
    Route,
    TaskAdapter,
    get_provider,
    provider_names,
    register_provider,
    unregister_provider,
)

from ._openai import b64_image, chat, completions, embeddings, json_object_schema

__all__ = [
    "MappingEntry",
    "b64_image",
    "chat",
    "completions",
    "embeddings",
    "json_object_schema",
    "PreparedCall",
    "Provider",
    "Route",
    "BUILTIN_PROVIDERS",
    "TaskAdapter",
    "get_provider",
    "provider_names",
    "register_provider",
    "unregister_provider",
]


from . import (
    black_forest_labs,
    cerebras,
    cohere,
    fal_ai,
    featherless_ai,
    fireworks_ai,
    groq,
    hyperbolic,
    nebius,
    novita,
    nscale,
    openai,
    replicate,
    sambanova,
    together,
)

BUILTIN_PROVIDERS = tuple(
    module.PROVIDER
    for module in (
        black_forest_labs, cerebras, cohere, fal_ai, featherless_ai, fireworks_ai, groq,
        hyperbolic, nebius, novita, nscale, openai, replicate, sambanova, together,
    )
)  # fmt: skip
"""Every built-in :class:`Provider` (hf-inference is served by the core task plans)."""

for _provider in BUILTIN_PROVIDERS:
    register_provider(_provider, replace=True)
