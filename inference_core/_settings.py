"""Settings read from the environment and the token file, once, when a client is built.

Strategy: plans never read the environment or files (httpx#1176's lesson). A client resolves its
token and endpoints here at construction, from an ``environ`` mapping (``os.environ`` unless a
test passes its own), and hands plain values to its plans.

Token order, as huggingface_hub reads it: ``HF_TOKEN``, then ``HUGGING_FACE_HUB_TOKEN``, then
the token file at ``HF_TOKEN_PATH``, else ``$HF_HOME/token``, where ``HF_HOME`` defaults to
``$XDG_CACHE_HOME/huggingface`` or ``~/.cache/huggingface``. Values are stripped; an empty value
counts as no token.

Other settings: ``HF_ENDPOINT`` (the Hub), ``HF_INFERENCE_ENDPOINT`` (the legacy serverless
Inference API, which the non-task helpers such as ``get_model_status`` query) and
``HF_HUB_DISABLE_IMPLICIT_TOKEN`` (when true, those helpers send a saved token only if the
caller gave it explicitly).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = [
    "hub_endpoint",
    "implicit_token_disabled",
    "inference_endpoint",
    "resolve_token",
    "token_path",
]

DEFAULT_HUB_ENDPOINT = "https://huggingface.co"
DEFAULT_INFERENCE_ENDPOINT = "https://api-inference.huggingface.co"
_TRUE = frozenset({"1", "ON", "YES", "TRUE"})


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.replace("\r", "").replace("\n", "").strip()
    return value or None


def token_path(environ: Mapping[str, str]) -> Path:
    """Where the saved token file lives for this environment."""
    explicit = environ.get("HF_TOKEN_PATH")
    if explicit:
        return Path(os.path.expandvars(explicit)).expanduser()
    home = environ.get("HF_HOME")
    if not home:
        cache = environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
        home = os.path.join(cache, "huggingface")
    return Path(os.path.expandvars(home)).expanduser() / "token"


def resolve_token(environ: Mapping[str, str] | None = None) -> str | None:
    """The saved token: environment variables first, then the token file; None if there is none."""
    env = os.environ if environ is None else environ
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        token = _clean(env.get(name))
        if token:
            return token
    try:
        return _clean(token_path(env).read_text(encoding="utf-8"))
    except OSError:
        return None


def hub_endpoint(environ: Mapping[str, str] | None = None) -> str:
    """The Hub base URL (``HF_ENDPOINT``, default ``https://huggingface.co``), no trailing slash."""
    env = os.environ if environ is None else environ
    return (env.get("HF_ENDPOINT") or DEFAULT_HUB_ENDPOINT).rstrip("/")


def inference_endpoint(environ: Mapping[str, str] | None = None) -> str:
    """The serverless Inference API base URL (``HF_INFERENCE_ENDPOINT``, default
    ``https://api-inference.huggingface.co``), no trailing slash."""
    env = os.environ if environ is None else environ
    return (env.get("HF_INFERENCE_ENDPOINT") or DEFAULT_INFERENCE_ENDPOINT).rstrip("/")


def implicit_token_disabled(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``HF_HUB_DISABLE_IMPLICIT_TOKEN`` is set to 1, ON, YES or TRUE (any case)."""
    env = os.environ if environ is None else environ
    return (env.get("HF_HUB_DISABLE_IMPLICIT_TOKEN") or "").strip().upper() in _TRUE


def debug_logging_requested(environ: Mapping[str, str] | None = None) -> bool:
    """True when ``HF_DEBUG`` is set to a true value (``1``, ``true``, ``yes``, ``on``): every
    request is then logged as a ``curl`` line, as huggingface_hub does."""
    env = os.environ if environ is None else environ
    return (env.get("HF_DEBUG") or "").strip().lower() in ("1", "true", "yes", "on")
