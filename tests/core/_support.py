"""Helpers shared by the core tests."""

from __future__ import annotations

from typing import Any

from inference_core._config import ClientConfig, build_config

__all__ = ["client_config"]


def client_config(environ: dict[str, str] | None = None, **overrides: Any) -> ClientConfig:
    """A ClientConfig from constructor arguments (all None unless overridden), with an empty
    environment unless ``environ`` is given, so no real token or endpoint leaks in."""
    arguments: dict[str, Any] = dict(
        model=None,
        provider=None,
        token=None,
        timeout=None,
        headers=None,
        cookies=None,
        proxies=None,
        bill_to=None,
        base_url=None,
        api_key=None,
    )
    arguments.update(overrides)
    return build_config(environ={} if environ is None else environ, **arguments)
