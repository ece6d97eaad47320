"""What both clients share: constructor arguments, configuration attributes and ``repr``.

Strategy: the sync and async clients differ only in their default transport, how they sleep,
how they close, and whether ``sync_method`` or ``async_method`` turns a plan into a method.
Everything else lives here once, over one :class:`ClientConfig` that the plans read.

Attributes: the ones huggingface_hub's clients keep on the instance (``model``, ``provider``,
``token``, ``timeout``, ``headers``, ``cookies``, ``proxies``; ``base_url`` and ``api_key`` are
constructor aliases only, as there) are properties over the config, and setting one takes
effect on the next call, on both clients:

* ``token`` and ``timeout`` go through the constructor's rules again (``token=None`` means the
  saved token, read anew; ``token=False`` is refused). A new token also forgets what the client
  remembered from the Hub (provider mappings, recommended models, routes), which it may see
  differently. The timeout travels with each request (the default transport is built without
  one of its own), so a new value, None included, governs the next request;
* ``headers`` is replaced by the mapping assigned (None means none; note that ``bill_to`` lives
  there as ``X-HF-Bill-To``), ``cookies`` likewise;
* ``model`` and ``provider`` are taken as they are, and checked by the next call;
* ``proxies`` (and the async client's ``trust_env``) only matter to the default transport: a
  client that built its own replaces it with one for the new setting (the old one is closed
  with the client, as streams may still read from it). A transport passed to the constructor
  is the caller's, with its own proxy settings, and is left alone.

Routes cached per client (``_resolve.py``) are keyed on model, provider and task and checked
against token, timeout, headers and cookies, so the setters need no cache handling beyond the
token's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._config import ClientConfig, build_config, check_timeout, check_token
from ._errors import RequestError
from ._settings import resolve_token

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
        self._retired_transports: list[Any] = []
        self._closed = False

    def _replace_transport(self) -> None:
        """Build a new default transport for the current proxies (each client knows how)."""
        raise NotImplementedError

    def _transport_settings_changed(self) -> None:
        """A setting of the default transport changed: replace it, if the client built it."""
        if self._owns_transport and not self._closed:
            self._replace_transport()

    @property
    def model(self) -> str | None:
        """The default model: a Hub model id or a URL."""
        return self._config.model

    @model.setter
    def model(self, value: str | None) -> None:
        self._config.model = value

    @property
    def provider(self) -> str | None:
        """The provider name given to the constructor (None means the default policy)."""
        return self._config.provider

    @provider.setter
    def provider(self, value: str | None) -> None:
        self._config.provider = value

    @property
    def token(self) -> str | None:
        """The token sent with requests: the one given, else the saved one (resolved once).

        Setting it applies the constructor's rules; None reads the saved token again."""
        return self._config.token

    @token.setter
    def token(self, value: str | None) -> None:
        given = check_token(value, stacklevel=3)
        resolved = given if given else resolve_token()
        from_saved = not given and resolved is not None
        config = self._config
        if (config.token, config.token_from_saved) != (resolved, from_saved):
            config.token, config.token_from_saved = resolved, from_saved
            config.cache.clear()  # Hub lookups and routes made with the old token

    @property
    def timeout(self) -> float | None:
        """Seconds allowed for connecting and for each read; None waits forever."""
        return self._config.timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        self._config.timeout = check_timeout(value)

    @property
    def headers(self) -> dict[str, str]:
        """Extra headers sent with every request; mutating this dict affects later calls."""
        return self._config.headers

    @headers.setter
    def headers(self, value: Mapping[str, str] | None) -> None:
        self._config.headers = _as_dict(value, "headers")

    @property
    def cookies(self) -> dict[str, str] | None:
        """Cookies sent with every request."""
        return self._config.cookies

    @cookies.setter
    def cookies(self, value: Mapping[str, str] | None) -> None:
        self._config.cookies = None if value is None else _as_dict(value, "cookies")

    @property
    def proxies(self) -> Any:
        """The proxies of the default transport: a proxy URL or a ``{"http": url, "https":
        url}`` mapping. Setting it gives the client a new default transport (unless the
        transport was passed to the constructor, which keeps its own settings)."""
        return self._config.proxies

    @proxies.setter
    def proxies(self, value: Any) -> None:
        self._config.proxies = value
        self._transport_settings_changed()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}(model='{self.model or ''}', timeout={self.timeout})>"


def _as_dict(value: Mapping[str, str] | None, name: str) -> dict[str, str]:
    """A dict assigned is kept as is (later changes to it apply, as in huggingface_hub); another
    mapping is copied; None is an empty dict."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    raise RequestError(f"`{name}` must be a mapping of str to str, got {type(value).__name__}")
