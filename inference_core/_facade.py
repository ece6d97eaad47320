"""Turn task plan functions into client methods, one line per task.

Strategy: a task is written once, as ``task(config, /, *args, **kwargs) -> Plan[...]`` with its
docstring. :func:`sync_method` and :func:`async_method` make it a plain function of a client
class (``def method(self, ...)``, or ``async def``): calling it builds the plan with the
client's config, wraps it in the call's policy and drives it with the client's transport
(``run`` or ``arun``); ``_calls.Call`` holds what one call adds (``deadline=``,
``max_retries=``, a raw-response record, provider failover). A plan that
could have streamed returns ``Completed[R]``, unwrapped here, or ``Streamed[S]``, which the
driver already turned into a :class:`Stream` / :class:`AsyncStream`.

Because the methods are real functions, Python's tools work on them as on any method:
``inspect.signature`` (``self`` plus the task's parameters and result), ``help()``,
``inspect.iscoroutinefunction``, ``unittest.mock.create_autospec``. mypy sees the task's
parameters through the ``ParamSpec`` of these two functions; the streaming methods' overloads
come from ``_signatures.pyi``.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Coroutine
from typing import Any, Concatenate, ParamSpec, TypeVar

from ._boundary import Completed, Streamed
from ._calls import CALL_OPTIONS, Call
from ._config import ClientConfig
from ._drivers import arun, run
from ._plan import Plan

__all__ = ["async_method", "sync_method"]

P = ParamSpec("P")
R = TypeVar("R")

_SELF = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
# Where the methods live (module, class, stream class), so that ``__qualname__`` and
# ``__module__`` name them where Python finds them (pickle, pydoc, tracebacks).
_SYNC = ("inference_core._client", "InferenceClient", "Stream")
_ASYNC = ("inference_core._async_client", "AsyncInferenceClient", "AsyncStream")


def sync_method(
    task: Callable[Concatenate[ClientConfig, P], Plan[R]],
) -> Callable[Concatenate[Any, P], R]:
    """``InferenceClient``'s method for ``task``: returns the plan's result."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        call = Call(self, kwargs)
        plan = call.plan(task, args, kwargs)
        result: Any = run(plan, self._transport, self._sleep, self._load, call.deadline, call.clock)
        return call.result(result.value if type(result) is Completed else result)

    described: Callable[Concatenate[Any, P], R] = _describe(method, task, _SYNC)
    return described


def async_method(
    task: Callable[Concatenate[ClientConfig, P], Plan[R]],
) -> Callable[Concatenate[Any, P], Coroutine[Any, Any, R]]:
    """``AsyncInferenceClient``'s coroutine method for ``task``."""

    async def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        call = Call(self, kwargs)
        plan = call.plan(task, args, kwargs)
        result: Any = await arun(
            plan, self._transport, self._sleep, self._load, call.deadline, call.clock
        )
        return call.result(result.value if type(result) is Completed else result)

    described: Callable[Concatenate[Any, P], Coroutine[Any, Any, R]] = _describe(
        method, task, _ASYNC
    )
    return described


def _describe(method: Any, task: Callable[..., Any], owner: tuple[str, str, str]) -> Any:
    """Give ``method`` the task's name, docstring and signature, as a method of the client
    ``owner`` names: (module, class, stream class)."""
    module, client, stream = owner
    signature = inspect.signature(task)
    method.__name__ = task.__name__
    method.__qualname__ = f"{client}.{task.__name__}"
    method.__module__ = module
    method.__doc__ = task.__doc__
    method.__wrapped__ = task
    parameters = list(signature.parameters.values())[1:]
    tail = [p for p in parameters if p.kind is inspect.Parameter.VAR_KEYWORD]
    head = [p for p in parameters if p.kind is not inspect.Parameter.VAR_KEYWORD]
    method.__signature__ = signature.replace(
        parameters=[_SELF, *head, *CALL_OPTIONS, *tail],
        return_annotation=_result_annotation(task, signature.return_annotation, stream),
    )
    return method


def _result_annotation(task: Callable[..., Any], annotation: Any, stream: str) -> Any:
    """What the method returns, from the plan's ``Plan[X]``: ``X``; for a streaming plan, whose
    ``X`` names an alias of ``Completed[R] | Streamed[S]``, ``R | Stream[S]`` (or AsyncStream)."""
    if not (isinstance(annotation, str) and annotation.startswith("Plan[")):
        return inspect.Signature.empty
    result = task.__globals__.get(annotation[5:-1])
    if typing.get_origin(result) is typing.Union:
        parts = {typing.get_origin(arg): typing.get_args(arg) for arg in typing.get_args(result)}
        if parts.keys() == {Completed, Streamed}:
            return f"{_name(parts[Completed][0])} | {stream}[{_name(parts[Streamed][0])}]"
    return annotation[5:-1]


def _name(annotation: Any) -> str:
    """``Union[str, X]`` -> ``"str | X"``; a class -> its name."""
    if typing.get_origin(annotation) is typing.Union:
        return " | ".join(_name(arg) for arg in typing.get_args(annotation))
    return getattr(annotation, "__name__", None) or str(annotation)
