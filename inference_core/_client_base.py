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

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ._boundary import Timeout
from ._config import (
    ClientConfig,
    build_config,
    check_deadline,
    check_fallback,
    check_max_response_bytes,
    check_max_retries,
    check_timeout,
    check_token,
)
from ._debug import enable_debug_logging
from ._errors import RequestError
from ._settings import debug_logging_requested, resolve_token

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["ClientBase"]


class _Unset:
    """The type of :data:`UNSET`: "not given", where None is a meaningful value."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()


class ClientBase:
    """Shared constructor and attributes of :class:`InferenceClient` and its async twin."""

    _config: ClientConfig
    _owns_transport: bool
    _raw = False
    _view_of: Any = None

    def _configure(
        self,
        *,
        model: str | None,
        provider: str | None,
        token: str | None,
        timeout: float | Timeout | None,
        headers: Mapping[str, str] | None,
        cookies: dict[str, str] | None,
        proxies: Any,
        bill_to: str | None,
        base_url: str | None,
        api_key: str | None,
        transport: Any,
        trust_env: bool,
        verify: Any,
        **options: Any,
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
            **options,
        )
        if debug_logging_requested():
            enable_debug_logging()
        from transports import monotonic

        self._clock: Callable[[], float] = monotonic
        self._trust_env = trust_env
        self._verify = verify
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

    def _transport_options(self) -> dict[str, Any]:
        """Keyword arguments for the default transport beyond timeout and proxies."""
        options: dict[str, Any] = {}
        if self._trust_env:
            options["trust_env"] = True
        if self._verify is not True:
            options["verify"] = self._verify
        return options

    def with_options(
        self,
        *,
        timeout: float | Timeout | _Unset | None = UNSET,
        deadline: float | _Unset | None = UNSET,
        max_retries: int | _Unset = UNSET,
        max_response_bytes: int | _Unset | None = UNSET,
        fallback: bool | Sequence[str] | _Unset = UNSET,
    ) -> Self:
        """A view of this client with some settings changed, for the calls made through it::

            client.with_options(deadline=30, max_retries=5).chat_completion(messages)

        The view shares the client's transport and what it remembered from the Hub; closing
        it does nothing (close the client)."""
        config = self._config
        changes: dict[str, Any] = {}
        if not isinstance(timeout, _Unset):
            changes["timeout"] = check_timeout(timeout)
        if not isinstance(deadline, _Unset):
            changes["deadline"] = check_deadline(deadline)
        if not isinstance(fallback, _Unset):
            changes["fallback"] = check_fallback(fallback)
        policy = config.policy
        if not isinstance(max_retries, _Unset):
            policy = attrs.evolve(policy, max_retries=check_max_retries(max_retries))
        if not isinstance(max_response_bytes, _Unset):
            limit = check_max_response_bytes(max_response_bytes)
            policy = attrs.evolve(policy, max_response_bytes=limit)
        changes["policy"] = policy
        return self._view(attrs.evolve(config, **changes), raw=self._raw)

    @property
    def with_raw_response(self) -> Any:
        """The same methods, returning a :class:`~inference_core.RawResponse` (the output from
        ``.parse()``, plus status, headers, request id, provider, retries) instead::

            raw = client.with_raw_response.chat_completion(messages)
            print(raw.headers.get("x-compute-time"), raw.retries_taken)
            output = raw.parse()
        """
        return self._view(self._config, raw=True)

    def _view(self, config: ClientConfig, *, raw: bool) -> Self:
        view = copy.copy(self)
        view._config = config
        view._raw = raw
        view._view_of = self._view_of or self
        return view

    @property
    def max_retries(self) -> int:
        """Retries allowed per request (429/503 and connection failures; see
        docs/reliability.md); 0 disables them."""
        return self._config.policy.max_retries

    @max_retries.setter
    def max_retries(self, value: int) -> None:
        policy = attrs.evolve(self._config.policy, max_retries=check_max_retries(value))
        self._config.policy = policy

    @property
    def deadline(self) -> float | None:
        """Seconds allowed for a whole call (retries, polling and waits included); None for no
        bound beyond ``timeout``."""
        return self._config.deadline

    @deadline.setter
    def deadline(self, value: float | None) -> None:
        self._config.deadline = check_deadline(value)

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
    def timeout(self) -> float | Timeout | None:
        """Seconds allowed for connecting and for each read (or a ``Timeout`` per phase);
        None waits forever."""
        return self._config.timeout

    @timeout.setter
    def timeout(self, value: float | Timeout | None) -> None:
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
