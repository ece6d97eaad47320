"""``AsyncInferenceClient``: the async client (asyncio, trio, anyio), a thin facade over plans.

Strategy: the same plans as :class:`InferenceClient`, driven by ``arun`` on an async transport.
Nothing here blocks the event loop: the default transport is ``AnyioTransport`` (h11 on
asyncio or trio, detected at run time), and waits go through the client's async ``sleep``.
"""

from __future__ import annotations

import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from ._boundary import Timeout
from ._chat_proxy import ChatProxy
from ._client_base import ClientBase
from ._embeddings_proxy import AsyncEmbeddingsCreate, EmbeddingsProxy, async_embeddings
from ._facade import async_method
from ._policy import DEFAULT_MAX_RESPONSE_BYTES, RetryEvent
from ._retry import DEFAULT_MAX_RETRIES
from ._tasks import helpers as _helpers
from ._tasks.audio import AsyncAudioTasks
from ._tasks.chat_completion import chat_completion as _chat_completion
from ._tasks.structured import AsyncStructuredTasks
from ._tasks.text import AsyncTextTasks
from ._tasks.text_generation import text_generation as _text_generation
from ._tasks.vision import AsyncVisionTasks
from ._transport import AsyncTransport

if TYPE_CHECKING:
    # typed overloads of the task methods, generated from the plans
    from ._signatures import AsyncChatCompletionCall, AsyncTaskMethods
else:

    class AsyncTaskMethods:
        """At run time the methods come from the task mixins; type checkers read the generated
        stub (``_signatures.pyi``), which adds the call options to every method."""

__all__ = ["AsyncInferenceClient"]


class AsyncInferenceClient(
    ClientBase,
    AsyncTaskMethods,  # first, so type checkers see every method with its call options
    AsyncAudioTasks,
    AsyncStructuredTasks,
    AsyncTextTasks,
    AsyncVisionTasks,
):
    """The async twin of :class:`InferenceClient`: same arguments, awaitable methods.

    Works on asyncio and trio (and anyio on either). ``trust_env=True`` reads proxy settings
    from the environment (``HTTP(S)_PROXY``) when ``proxies`` is not given. A sync
    ``transports.MockTransport`` is accepted and used through its async twin.
    Streaming methods return an ``AsyncStream``: use ``async for`` and ``async with``.
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
        trust_env: bool = False,
        proxies: Any = None,
        bill_to: str | None = None,
        base_url: str | None = None,
        api_key: str | None = None,
        transport: Any = None,
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
        from transports import aload_content, as_async_transport, async_sleep

        self._transport: AsyncTransport = (
            as_async_transport(transport) if transport is not None else self._default_transport()
        )
        self._sleep: Callable[[float], Awaitable[None]] = getattr(
            self._transport, "sleep", async_sleep
        )
        self._load: Callable[[Any], Awaitable[bytes]] = aload_content
        # huggingface_hub users never close their clients: one dropped unclosed (or left open
        # at exit) closes the sockets of the transports it built, synchronously, without an
        # event loop and without a ResourceWarning (never a transport passed in).
        self._owned: list[Any] = [self._transport] if self._owns_transport else []
        self._finalizer = weakref.finalize(self, _abandon_all, self._owned)

    if not TYPE_CHECKING:  # type checkers read _signatures.pyi instead
        get_endpoint_info = async_method(_helpers.get_endpoint_info)
        get_model_status = async_method(_helpers.get_model_status)
        health_check = async_method(_helpers.health_check)
        list_deployed_models = async_method(_helpers.list_deployed_models)
        chat_completion = async_method(_chat_completion)
        text_generation = async_method(_text_generation)

    @property
    def chat(self) -> ChatProxy[AsyncChatCompletionCall]:
        """OpenAI-style namespace: ``await client.chat.completions.create(...)``."""
        return ChatProxy(self.chat_completion)

    @property
    def embeddings(self) -> EmbeddingsProxy[AsyncEmbeddingsCreate]:
        """OpenAI-style namespace: ``await client.embeddings.create(input=..., model=...)``."""
        return async_embeddings(self)

    @property
    def trust_env(self) -> bool:
        """Whether the default transport reads proxies from the environment (``HTTP(S)_PROXY``)
        when ``proxies`` is None. Setting it replaces the default transport, as ``proxies``
        does."""
        return self._trust_env

    @trust_env.setter
    def trust_env(self, value: bool) -> None:
        self._trust_env = value
        self._transport_settings_changed()

    def _default_transport(self) -> AsyncTransport:
        # No timeout of its own: the client's travels with each request, so setting it applies.
        from transports import default_async_transport

        return default_async_transport(None, self.proxies, **self._transport_options())

    def _replace_transport(self) -> None:
        self._retired_transports.append(self._transport)
        self._transport = self._default_transport()
        self._owned.append(self._transport)
        self._sleep = getattr(self._transport, "sleep", self._sleep)

    async def close(self) -> None:
        """Close the default transport's connections; idempotent. Alias: ``aclose``. A view
        (``with_options``) closes nothing."""
        if not self._closed and self._view_of is None:
            self._closed = True
            self._finalizer.detach()
            if self._owns_transport:
                for retired in self._retired_transports:
                    await retired.aclose()
                await self._transport.aclose()

    async def aclose(self) -> None:
        """Same as :meth:`close`."""
        await self.close()

    async def __aenter__(self) -> AsyncInferenceClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()


def _abandon_all(transports: list[Any]) -> None:
    """Close the sockets of ``transports`` now, from synchronous code (a garbage-collected or
    exiting client): each transport's ``_abandon`` hook, where it has one."""
    for transport in transports:
        abandon = getattr(transport, "_abandon", None)
        if abandon is not None:
            abandon()
