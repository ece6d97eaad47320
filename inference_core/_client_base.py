"""What both clients share: constructor arguments, configuration attributes and ``repr``.

Strategy: the sync and async clients differ only in their default transport, how they sleep,
how they close, and whether ``sync_method`` or ``async_method`` turns a plan into a method.
Everything else lives here once, over one :class:`ClientConfig` that the plans read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._config import ClientConfig, build_config

__all__ = ["ClientBase"]


class ClientBase:
    """Shared constructor and attributes of :class:`InferenceClient` and its async twin."""

    _config: ClientConfig
    _owns_transport: bool

    def _configure(
        self,
        *,
        model: str | None,
        provider: str | None,
        token: str | None,
        timeout: float | None,
        headers: Mapping[str, str] | None,
        cookies: dict[str, str] | None,
        proxies: Any,
        bill_to: str | None,
        base_url: str | None,
        api_key: str | None,
        transport: Any,
    ) -> None:
        self._config = build_config(
            model=model,
            provider=provider,
            token=token,
            timeout=timeout,
            headers=headers,
            cookies=cookies,
            proxies=proxies,
            bill_to=bill_to,
            base_url=base_url,
            api_key=api_key,
        )
        self._owns_transport = transport is None
        self._closed = False

    @property
    def model(self) -> str | None:
        """The default model: a Hub model id or a URL."""
        return self._config.model

    @property
    def provider(self) -> str | None:
        """The provider name given to the constructor (None means the default policy)."""
        return self._config.provider

    @property
    def token(self) -> str | None:
        """The token sent with requests: the one given, else the saved one (resolved once)."""
        return self._config.token

    @property
    def timeout(self) -> float | None:
        """Seconds allowed for connecting and for each read; None waits forever."""
        return self._config.timeout

    @property
    def headers(self) -> dict[str, str]:
        """Extra headers sent with every request; mutating this dict affects later calls."""
        return self._config.headers

    @property
    def cookies(self) -> dict[str, str] | None:
        """Cookies sent with every request."""
        return self._config.cookies

    @property
    def proxies(self) -> Any:
        """The proxies given to the constructor (used by the default transport)."""
        return self._config.proxies

    def __repr__(self) -> str:
        return f"<{type(self).__name__}(model='{self.model or ''}', timeout={self.timeout})>"
