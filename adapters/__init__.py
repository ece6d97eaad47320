"""Provider adapters: one pure module per inference provider (routes, payloads, auth, parsing).

Each module defines ``PROVIDER``, a :class:`Provider` value: the provider's own base URL, its
auth style, and the tasks it serves as ``TASK.use(adapter)`` entries, each adapter typed by its
task's kind (see ``inference_core.providers``). hf-inference is one of them
(``hf_inference.py``): it also serves every model given as a URL. Importing this package
registers every built-in provider; ``inference_core`` imports it, so
``InferenceClient(provider="together")`` just works.

To add a provider from outside the package, build a :class:`Provider` the same way (the shared
OpenAI-style builders exported here, ``chat``, ``completions``, ``embeddings``, cover most APIs)
and call :func:`register_provider` once, when your code is imported. Adapters import only the
public contract, ``inference_core.providers``.
"""

from __future__ import annotations

# Set before the imports below: they import inference_core, which checks it.
__distribution__ = "hf-inference-core"
"""Marks this package as ours (see ``inference_core._siblings``)."""

from inference_core.providers import (
    MappingEntry,
    PreparedCall,
    Provider,
    Route,
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
    "get_provider",
    "provider_names",
    "register_provider",
    "unregister_provider",
]


from . import (
    baseten,
    black_forest_labs,
    cerebras,
    cohere,
    deepinfra,
    fal_ai,
    featherless_ai,
    fireworks_ai,
    groq,
    hf_inference,
    hyperbolic,
    nebius,
    novita,
    nscale,
    openai,
    ovhcloud,
    publicai,
    replicate,
    sambanova,
    scaleway,
    together,
    wavespeed,
    zai_org,
)

BUILTIN_PROVIDERS = tuple(
    module.PROVIDER
    for module in (
        baseten, black_forest_labs, cerebras, cohere, deepinfra, fal_ai, featherless_ai,
        fireworks_ai, groq, hf_inference, hyperbolic, nebius, novita, nscale, openai, ovhcloud,
        publicai, replicate, sambanova, scaleway, together, wavespeed, zai_org,
    )
)  # fmt: skip
"""Every built-in :class:`Provider`, hf-inference included."""

for _provider in BUILTIN_PROVIDERS:
    register_provider(_provider, replace=True)
