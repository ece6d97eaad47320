"""``InferenceClient``: the blocking client, a thin facade over the task plans.

Strategy: every task method is one line, ``sync_method(plan)``: a plain function built from the
task's plan function, whose docstring and signature it carries. The client owns its default
transport (h11 over stdlib sockets, created at construction) and closes it on ``close()`` or
``with``; a transport passed in by the caller stays the caller's to close.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._boundary import Timeout
from ._chat_proxy import ChatProxy
from ._client_base import ClientBase
from ._embeddings_proxy import EmbeddingsProxy, SyncEmbeddingsCreate, sync_embeddings
from ._facade import sync_method
from ._policy import DEFAULT_MAX_RESPONSE_BYTES, RetryEvent
from ._retry import DEFAULT_MAX_RETRIES
from ._tasks import helpers as _helpers
from ._tasks.audio import SyncAudioTasks
from ._tasks.chat_completion import chat_completion as _chat_completion
from ._tasks.structured import SyncStructuredTasks
from ._tasks.text import SyncTextTasks
from ._tasks.text_generation import text_generation as _text_generation
from ._tasks.vision import SyncVisionTasks
from ._transport import SyncTransport

if TYPE_CHECKING:
    # typed overloads of the task methods, generated from the plans
    from ._signatures import SyncChatCompletionCall, SyncTaskMethods
else:

    class SyncTaskMethods:
        """At run time the methods come from the task mixins; type checkers read the generated
        stub (``_signatures.pyi``), which adds the call options to every method."""

__all__ = ["InferenceClient"]


class InferenceClient(
    ClientBase,
    SyncTaskMethods,  # first, so type checkers see every method with its call options
    SyncAudioTasks,
    SyncStructuredTasks,
    SyncTextTasks,
    SyncVisionTasks,
):
    """Run inference on Hugging Face models: inference providers, the hf-inference router,
    Inference Endpoints and local servers.

    Args:
        model: default model, a Hub model id (``"org/name"``) or the URL of an Inference
            Endpoint or a local OpenAI/TGI-compatible server. ``base_url`` is an alias.
        provider: a provider name (``"together"``, ``"fal-ai"``, ``"hf-inference"``, ...; see
            ``docs/providers.md``); ``"auto"`` or None uses the model's first provider on the
            Hub. A URL model always goes to that URL.
        token: the token to send; defaults to ``HF_TOKEN`` or the saved token file, read once
            here. ``api_key`` is an alias.
        timeout: seconds allowed to connect and for each read (a steady stream is never cut),
            or ``Timeout(connect=, read=, write=, pool=, total=)`` per phase (``total`` is
            ``deadline``); None waits forever. Expiry raises ``InferenceTimeoutError``.
        headers, cookies: sent with every request (``headers`` win over the defaults).
        proxies: a proxy URL or a ``{"http": url, "https": url}`` mapping, for the default
            transport (environment proxy variables are read only with ``trust_env=True``).
        bill_to: organisation to bill (sets ``X-HF-Bill-To``).
        transport: any object with ``send``, ``stream`` and ``close`` (see ``transports``),
            e.g. ``transports.MockTransport`` in tests. Default: ``transports.SocketTransport``.
        max_retries: retries allowed per request for what is safe to retry (refused
            connections; 429 and 503, honouring ``Retry-After``; 408/502/504 and lost
            connections for GETs only); 0 disables them. See docs/reliability.md.
        deadline: seconds allowed for a whole call (retries, polling and model-loading waits
            included; for a stream, until it starts); None for no bound beyond ``timeout``.
        max_response_bytes: the largest body read (256 MiB); a larger one raises
            ``ResponseTooLargeError``. None for no limit.
        on_retry: called with a ``RetryEvent`` before each retry.
        fallback: with the ``auto`` provider policy, move a call whose provider failed
            (connection, 5xx, 429 after retries) to the model's next provider (True), or to
            the next of the given provider names.
        trust_env: read proxies from the environment for the default transport, as requests
            does (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``; ``NO_PROXY`` honoured, and
            ``localhost``/``127.0.0.1`` count as one name); explicit ``proxies`` win for the
            schemes they name.
        verify: TLS verification for the default transport: True, False, a CA bundle path
            or an ``ssl.SSLContext``.

    Every task method also takes ``deadline=`` and ``max_retries=`` for that call alone (None
    keeps the client's); ``with_options(...)`` makes a view with other settings, and
    ``with_raw_response`` one whose methods return a ``RawResponse``.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        provider: str | None = None,
        token: str | None = None,
        timeout: float | Timeout | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: dict[str, str] | None = None,
        proxies: Any = None,
        trust_env: bool = False,
        bill_to: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        transport: SyncTransport | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        deadline: float | None = None,
        max_response_bytes: int | None = DEFAULT_MAX_RESPONSE_BYTES,
        on_retry: Callable[[RetryEvent], None] | None = None,
        fallback: bool | Sequence[str] = False,
        verify: Any = True,  # True, False, a CA bundle path or an ssl.SSLContext
    ) -> None:
        self._configure(
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
            transport=transport,
            trust_env=trust_env,
            verify=verify,
            max_retries=max_retries,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            on_retry=on_retry,
            fallback=fallback,
        )
        from transports import blocking_sleep, load_content

        self._transport: SyncTransport = (
            transport if transport is not None else self._default_transport()
        )
        self._sleep: Callable[[float], None] = getattr(self._transport, "sleep", blocking_sleep)
        self._load: Callable[[Any], bytes] = load_content
        # huggingface_hub users never close their clients: a client dropped unclosed still
        # closes the transports it built (never one passed in), so no socket is left behind.
        self._owned: list[SyncTransport] = [self._transport] if self._owns_transport else []
        self._finalizer = weakref.finalize(self, _close_all, self._owned)

    if not TYPE_CHECKING:  # type checkers read _signatures.pyi instead
        get_endpoint_info = sync_method(_helpers.get_endpoint_info)
        get_model_status = sync_method(_helpers.get_model_status)
        health_check = sync_method(_helpers.health_check)
        list_deployed_models = sync_method(_helpers.list_deployed_models)
        chat_completion = sync_method(_chat_completion)
        text_generation = sync_method(_text_generation)

    @property
    def chat(self) -> ChatProxy[SyncChatCompletionCall]:
        """OpenAI-style namespace: ``client.chat.completions.create(...)``."""
        return ChatProxy(self.chat_completion)

    @property
    def embeddings(self) -> EmbeddingsProxy[SyncEmbeddingsCreate]:
        """OpenAI-style namespace: ``client.embeddings.create(input=..., model=...)``."""
        return sync_embeddings(self)

    def _default_transport(self) -> SyncTransport:
        # No timeout of its own: the client's travels with each request, so setting it applies.
        from transports import default_transport

        return default_transport(None, self.proxies, **self._transport_options())

    def _replace_transport(self) -> None:
        self._retired_transports.append(self._transport)
        self._transport = self._default_transport()
        self._owned.append(self._transport)
        self._sleep = getattr(self._transport, "sleep", self._sleep)

    def close(self) -> None:
        """Close the connections of the transports the client built; idempotent. Also done
        when an unclosed client is garbage-collected. A view (``with_options``) closes
        nothing."""
        if not self._closed and self._view_of is None:
            self._closed = True
            self._finalizer()

    def __enter__(self) -> InferenceClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _close_all(transports: list[SyncTransport]) -> None:
    for transport in transports:
        transport.close()
