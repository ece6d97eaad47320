"""Where a task call goes: the model URL, or the hf-inference router, and which token it carries.

Strategy: a model given as an ``http(s)://`` URL is an Inference Endpoint or a local server and
is used as given (whatever ``provider`` says, as in huggingface_hub). A model id goes through
the Hugging Face router on the ``hf-inference`` provider. Third-party providers and the ``auto``
policy (a Hub mapping lookup) are not wired in yet: asking for them fails before any I/O with a
message saying what works.
"""

from __future__ import annotations

import attrs

from .._config import ClientConfig
from .._errors import RequestError
from .._wire import hf_inference_url, is_url

__all__ = ["Target", "resolve_target"]

SUPPORTED_PROVIDERS = ("hf-inference",)


@attrs.frozen
class Target:
    """The resolved destination of one call."""

    base_url: str
    """The model URL (endpoint/server) or the router URL of the model."""
    model_id: str | None
    """The Hub model id, or None when the model is a URL."""
    token: str | None


def resolve_target(config: ClientConfig, model: str | None) -> Target:
    """Resolve ``model`` (call-level, else client-level) to a :class:`Target`."""
    if model is not None and not isinstance(model, str):
        raise RequestError(
            f"`model` must be a model id or a URL string, got {type(model).__name__}"
        )
    if is_url(model):
        assert model is not None
        return Target(model, None, config.token)
    provider = config.provider
    if model is None or model == "":
        raise RequestError(
            "No model given: pass `model=` (a Hub model id such as 'org/name', or the URL of an"
            " Inference Endpoint or local server) to the client or to the call."
        )
    if provider == "hf-inference":
        return Target(hf_inference_url(model), model, config.token)
    if provider in (None, "auto"):
        raise RequestError(
            f"provider={provider!r} with the model id {model!r} needs the Hub provider-mapping"
            " lookup, which this version does not perform yet. Pass provider='hf-inference', or"
            " the URL of an Inference Endpoint or local server as the model."
        )
    raise RequestError(
        f"Provider {provider!r} is not supported yet. Supported: {', '.join(SUPPORTED_PROVIDERS)},"
        " or a model URL."
    )
