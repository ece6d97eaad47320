"""Turn task plan functions into client methods, one line per task.

Strategy: a task is written once, as ``task(config, /, *args, **kwargs) -> Plan[...]`` with its
docstring. Descriptors make it a method of a client: calling the method builds the plan with
the client's config and drives it with the client's transport (``run`` or ``arun``).

* ``SyncMethod`` / ``AsyncMethod`` take a plan returning ``R`` and give ``R``.
* ``SyncStreamingMethod`` / ``AsyncStreamingMethod`` take a plan returning
  ``Completed[R] | Streamed[S]`` and give ``R`` or a :class:`Stream` / :class:`AsyncStream`
  of ``S``, opened on the same transport.

Each method carries the task's name, docstring and signature (without ``config``), so
``help()`` and ``inspect.signature`` show the real API, and mypy sees the real parameters
through the ``__get__`` overloads. The bound callable is built on first access and cached in the
instance ``__dict__`` (these are non-data descriptors), so later calls cost one dict lookup.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

from ._boundary import Completed, Streamed
from ._config import ClientConfig
from ._drivers import arun, run
from ._plan import Plan
from ._streams import AsyncStream, Stream, aopen_stream, open_stream

__all__ = ["AsyncMethod", "AsyncStreamingMethod", "SyncMethod", "SyncStreamingMethod"]

P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S")

Binder = Callable[[Any, Callable[..., Plan[Any]]], Callable[..., Any]]


class _TaskMethod:
    """Shared machinery: metadata copied from the task, bound callables cached per client."""

    _binder: Binder

    def __init__(self, task: Callable[..., Plan[Any]]) -> None:
        self._task = task
        self._name = task.__name__
        signature = inspect.signature(task)
        self._bound_signature = signature.replace(
            parameters=list(signature.parameters.values())[1:],
            return_annotation=_result_annotation(signature.return_annotation),
        )
        self.__doc__ = task.__doc__
        self.__wrapped__ = task

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def _lookup(self, obj: Any) -> Any:
        if obj is None:
            return self
        bound = type(self)._binder(obj, self._task)
        bound.__name__ = bound.__qualname__ = self._name
        bound.__doc__ = self.__doc__
        bound.__signature__ = self._bound_signature  # type: ignore[attr-defined]
        obj.__dict__[self._name] = bound
        return bound


def _result_annotation(annotation: Any) -> Any:
    """``"Plan[X]"`` -> ``"X"``: what the method returns (empty for streaming plans' unions)."""
    text = str(annotation)
    if text.startswith("Plan[") and text.endswith("]") and "Streamed" not in text:
        return text[5:-1]
    return inspect.Signature.empty


def _bind_sync(client: Any, task: Callable[..., Plan[Any]]) -> Callable[..., Any]:
    config: ClientConfig = client._config
    transport, sleep, load = client._transport, client._sleep, client._load

    def method(*args: Any, **kwargs: Any) -> Any:
        result = run(task(config, *args, **kwargs), transport, sleep, load)
        if type(result) is Completed:
            return result.value
        if type(result) is Streamed:
            return open_stream(transport, result)
        return result

    return method


def _bind_async(client: Any, task: Callable[..., Plan[Any]]) -> Callable[..., Any]:
    config: ClientConfig = client._config
    transport, sleep, load = client._transport, client._sleep, client._load

    async def method(*args: Any, **kwargs: Any) -> Any:
        result = await arun(task(config, *args, **kwargs), transport, sleep, load)
        if type(result) is Completed:
            return result.value
        if type(result) is Streamed:
            return await aopen_stream(transport, result)
        return result

    return method


class SyncMethod(_TaskMethod, Generic[P, R]):
    """A blocking client method from a plan: ``client.method(...)`` returns the plan's result."""

    _binder = staticmethod(_bind_sync)

    def __init__(self, task: Callable[Concatenate[ClientConfig, P], Plan[R]]) -> None:
        super().__init__(task)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> SyncMethod[P, R]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> Callable[P, R]: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        return self._lookup(obj)


class SyncStreamingMethod(_TaskMethod, Generic[P, R, S]):
    """A blocking method from a plan that returns ``Completed[R]`` or ``Streamed[S]``."""

    _binder = staticmethod(_bind_sync)

    def __init__(
        self, task: Callable[Concatenate[ClientConfig, P], Plan[Completed[R] | Streamed[S]]]
    ) -> None:
        super().__init__(task)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> SyncStreamingMethod[P, R, S]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> Callable[P, R | Stream[S]]: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        return self._lookup(obj)


class AsyncMethod(_TaskMethod, Generic[P, R]):
    """An async client method from a plan: ``await client.method(...)`` returns the result."""

    _binder = staticmethod(_bind_async)

    def __init__(self, task: Callable[Concatenate[ClientConfig, P], Plan[R]]) -> None:
        super().__init__(task)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> AsyncMethod[P, R]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> Callable[P, Awaitable[R]]: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        return self._lookup(obj)


class AsyncStreamingMethod(_TaskMethod, Generic[P, R, S]):
    """An async method from a plan that returns ``Completed[R]`` or ``Streamed[S]``."""

    _binder = staticmethod(_bind_async)

    def __init__(
        self, task: Callable[Concatenate[ClientConfig, P], Plan[Completed[R] | Streamed[S]]]
    ) -> None:
        super().__init__(task)

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> AsyncStreamingMethod[P, R, S]: ...
    @overload
    def __get__(
        self, obj: object, owner: type | None = None
    ) -> Callable[P, Awaitable[R | AsyncStream[S]]]: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> Any:
        return self._lookup(obj)
