"""Task methods are plain functions on the client classes: Python's own tools work on them.

For both clients, all 29 tasks and the 4 non-task helpers (``get_endpoint_info``,
``get_model_status``, ``health_check``, ``list_deployed_models``, also plan-made methods):
``inspect.signature`` on the class attribute is ``self`` plus
the plan's parameters, ``callable``, coroutine functions for the async client, picklable by
reference, ``mock.create_autospec`` and ``mock.patch.object(..., autospec=True)`` check calls
against the real parameters, ``help()`` shows them, and mypy sees the same precise types.
"""

from __future__ import annotations

import inspect
import pickle
import pydoc
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from inference_core import AsyncInferenceClient, InferenceClient

ROOT = Path(__file__).resolve().parent.parent.parent
CLIENTS = [InferenceClient, AsyncInferenceClient]
MESSAGES = [{"role": "user", "content": "Hi"}]


def task_methods(client: type) -> dict[str, Any]:
    """Every task method of ``client``: the functions that wrap a plan."""
    return {
        name: value
        for name in dir(client)
        if inspect.isfunction(value := getattr(client, name)) and hasattr(value, "__wrapped__")
    }


HELPERS = ["get_endpoint_info", "get_model_status", "health_check", "list_deployed_models"]
TASKS = sorted(set(task_methods(InferenceClient)) - set(HELPERS))
METHODS = TASKS + HELPERS


def takes_any_keyword(method: Any) -> bool:
    kinds = [p.kind for p in inspect.signature(method).parameters.values()]
    return inspect.Parameter.VAR_KEYWORD in kinds


def required_arguments(method: Any) -> list[str]:
    """One dummy value per required positional parameter (``self`` excluded)."""
    parameters = list(inspect.signature(method).parameters.values())[1:]
    return [
        "x"
        for p in parameters
        if p.default is p.empty and p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    ]


def test_both_clients_have_the_same_29_task_methods() -> None:
    assert len(TASKS) == 29
    assert set(HELPERS) <= set(task_methods(InferenceClient))
    assert sorted(task_methods(AsyncInferenceClient)) == sorted(METHODS)
    assert {"chat_completion", "text_generation", "fill_mask", "text_to_video"} <= set(TASKS)


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("name", METHODS)
def test_the_method_is_a_function_with_the_plan_signature(client: type, name: str) -> None:
    method = vars_lookup(client, name)
    plan = method.__wrapped__
    assert callable(method) and inspect.isfunction(method)
    assert inspect.iscoroutinefunction(method) is (client is AsyncInferenceClient)
    signature, planned = inspect.signature(method), inspect.signature(plan)
    parameters = list(signature.parameters.values())
    assert parameters[0].name == "self"
    own = [p for p in parameters[1:] if p.name not in ("deadline", "max_retries")]
    assert own == list(planned.parameters.values())[1:]  # the plan's, without config
    assert [p.name for p in parameters if p.name in ("deadline", "max_retries")] == [
        "deadline",
        "max_retries",
    ]
    assert signature.return_annotation == planned.return_annotation[len("Plan[") : -1] or (
        name in ("chat_completion", "text_generation")
    )
    assert method.__name__ == name
    assert method.__qualname__ == f"{client.__name__}.{name}"
    assert method.__module__ == client.__module__
    assert method.__doc__ == plan.__doc__ and method.__doc__
    assert pickle.loads(pickle.dumps(method)) is method  # found again by module and qualname


def vars_lookup(client: type, name: str) -> Any:
    method = getattr(client, name)
    assert inspect.getattr_static(client, name) is method  # a plain function, no descriptor
    return method


@pytest.mark.parametrize(
    ("client", "stream"), [(InferenceClient, "Stream"), (AsyncInferenceClient, "AsyncStream")]
)
def test_streaming_methods_show_the_result_or_the_stream(client: Any, stream: str) -> None:
    assert inspect.signature(client.chat_completion).return_annotation == (
        f"ChatCompletionOutput | {stream}[ChatCompletionStreamOutput]"
    )
    assert inspect.signature(client.text_generation).return_annotation == (
        f"str | TextGenerationOutput | {stream}[str | TextGenerationStreamOutput]"
    )


@pytest.mark.parametrize("client", CLIENTS)
def test_a_bound_method_drops_self(client: Any) -> None:
    instance = client("http://127.0.0.1:9")
    bound = instance.fill_mask
    assert bound.__self__ is instance and bound.__func__ is client.fill_mask
    assert list(inspect.signature(bound).parameters)[:2] == ["text", "model"]
    assert instance.chat.completions.create == instance.chat_completion


@pytest.mark.parametrize("name", TASKS)
def test_create_autospec_checks_calls_against_the_real_parameters(name: str) -> None:
    fake = mock.create_autospec(InferenceClient, instance=True)
    method = getattr(fake, name)
    arguments = required_arguments(getattr(InferenceClient, name))
    method(*arguments, model="m")
    method.assert_called_once_with(*arguments, model="m")
    with pytest.raises(TypeError):
        method(*arguments, "one", "too", "many", "positional", "arguments")
    if not takes_any_keyword(getattr(InferenceClient, name)):
        with pytest.raises(TypeError):
            method(*arguments, not_a_parameter=1)


@pytest.mark.anyio
@pytest.mark.parametrize("name", TASKS)
async def test_async_create_autospec_gives_awaitable_checked_methods(name: str) -> None:
    fake = mock.create_autospec(AsyncInferenceClient, instance=True)
    method = getattr(fake, name)
    assert inspect.iscoroutinefunction(method)
    arguments = required_arguments(getattr(AsyncInferenceClient, name))
    method.return_value = "out"
    assert await method(*arguments, model="m") == "out"
    method.assert_awaited_once_with(*arguments, model="m")
    with pytest.raises(TypeError):
        await method(*arguments, "one", "too", "many", "positional", "arguments")
    if not takes_any_keyword(getattr(AsyncInferenceClient, name)):
        with pytest.raises(TypeError):
            await method(*arguments, not_a_parameter=1)


def test_patch_object_with_autospec_records_the_call_with_self() -> None:
    client = InferenceClient("http://127.0.0.1:9")
    with mock.patch.object(InferenceClient, "chat_completion", autospec=True) as patched:
        patched.return_value = sentinel = object()
        assert client.chat_completion(MESSAGES, stream=True) is sentinel
        with pytest.raises(TypeError):
            client.chat_completion(MESSAGES, strem=True)  # type: ignore[call-overload]
    patched.assert_called_once_with(client, MESSAGES, stream=True)
    assert inspect.isfunction(InferenceClient.chat_completion)  # restored


@pytest.mark.anyio
async def test_async_patch_object_with_autospec_records_the_await() -> None:
    client = AsyncInferenceClient("http://127.0.0.1:9")
    with mock.patch.object(AsyncInferenceClient, "text_generation", autospec=True) as patched:
        patched.return_value = "patched"
        assert await client.text_generation("Once", max_new_tokens=2) == "patched"
    patched.assert_awaited_once_with(client, "Once", max_new_tokens=2)


@pytest.mark.parametrize("client", CLIENTS)
def test_help_shows_the_parameters_and_the_docstring(client: Any) -> None:
    text = pydoc.render_doc(client.fill_mask, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert "fill_mask(self, text: 'str', *, model: 'str | None' = None" in text
    assert client.fill_mask.__doc__.splitlines()[0] in text
    assert "Method object" not in text and "descriptor" not in text
    page = pydoc.render_doc(client, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert "chat_completion(self, messages" in page
    assert "text_to_speech(self, text" in page


# -- typing: mypy sees every method's real parameters and result ---------------------------------

REVEALED = re.compile(r':(\d+): note: Revealed type is "(.*)"$')


def top_level(text: str) -> list[str]:
    """Split ``text`` at the commas outside any brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    return [*parts, text[start:].strip()]


def callable_parts(revealed: str) -> tuple[list[str], str]:
    """``def (a: int, *, b: str =) -> R`` -> (["a: int", "*", "b: str ="], "R")."""
    assert revealed.startswith("def ("), revealed
    depth = 0
    for index, char in enumerate(revealed[4:], start=4):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if depth == 0:
            return top_level(revealed[5:index]), revealed[index + len(") -> ") :]
    raise AssertionError(revealed)


def test_mypy_sees_each_method_with_its_plan_parameters_and_result(tmp_path: Path) -> None:
    lines = ["from inference_core import AsyncInferenceClient, InferenceClient"]
    plans = {name: getattr(InferenceClient, name).__wrapped__ for name in METHODS}
    lines += [f"from {p.__module__} import {p.__name__} as plan_{n}" for n, p in plans.items()]
    lines += [
        "",
        "async def check(client: InferenceClient, aclient: AsyncInferenceClient) -> None:",
    ]
    for name in METHODS:
        lines += [
            f"    reveal_type(plan_{name})",
            f"    reveal_type(client.{name})",
            f"    reveal_type(aclient.{name})",
        ]
    lines += [
        '    client.fill_mask("a [MASK]", modle="m")  # E1',
        "    client.fill_mask(1)  # E2",
        '    await aclient.translation("x", src_lang=1)  # E3',
        "    client.chat_completion([], stream=True).close()",
        "    client.chat_completion([]).choices",
        "    client.chat_completion([]).close()  # E4",
    ]
    snippet = tmp_path / "typing_snippet.py"
    snippet.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--follow-imports=silent", str(snippet)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    notes = [m.group(2) for line in result.stdout.splitlines() if (m := REVEALED.search(line))]
    assert len(notes) == 3 * len(METHODS), result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [re.search(r":(\d+): error", e).group(1) for e in errors] == [  # type: ignore[union-attr]
        str(lines.index(line) + 1) for line in lines if "# E" in line
    ], result.stdout
    for index, name in enumerate(METHODS):
        plan, sync, asynchronous = notes[3 * index : 3 * index + 3]
        planned, plan_result = callable_parts(plan)
        _effect, _reply, result_type = top_level(plan_result[len("typing.Generator[") : -1])
        if name in ("chat_completion", "text_generation"):
            assert sync.startswith("Overload(def (") and "inference_core._streams.Stream[" in sync
            assert "inference_core._streams.AsyncStream[" in asynchronous
            continue
        parameters, returned = callable_parts(sync)
        assert without_options(parameters) == planned[1:], name  # the plan's, without config
        assert returned == result_type != "Any", name
        parameters, returned = callable_parts(asynchronous)
        assert without_options(parameters) == planned[1:], name
        assert returned == f"typing.Coroutine[Any, Any, {result_type}]", name


def without_options(parameters: list[str]) -> list[str]:
    """The revealed parameters without the two call options, which must be there."""
    options = [p for p in parameters if p.startswith(("deadline:", "max_retries:"))]
    assert [p.split(":")[0] for p in options] == ["deadline", "max_retries"], parameters
    kept = [p for p in parameters if p not in options]
    return kept[:-1] if kept and kept[-1] == "*" else kept  # a "*" only the options needed
