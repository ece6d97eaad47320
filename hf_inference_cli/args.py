"""The command line's arguments: the parser, ``--param`` values, and mapping INPUT to a call.

Strategy: argparse only parses; :func:`build_call` checks the task name against the client's
methods and reads the method's signature (``inspect.signature``) to place INPUT as its first
parameter and to check every ``--param`` name, so a typo is a usage error (exit 2) before any
request. Values are JSON when they parse as JSON (``max_tokens=20``, ``labels=["a","b"]``),
else strings.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from typing import Any

import attrs

__all__ = ["UsageError", "build_call", "parse_param", "parser", "serve_parser"]


class UsageError(Exception):
    """The command line is wrong (exit status 2)."""


def parser() -> argparse.ArgumentParser:
    """The parser of ``hf-inference TASK [INPUT] ...``."""
    p = argparse.ArgumentParser(
        prog="hf-inference",
        description="Run one inference task (a method of InferenceClient) and print its output."
        " `hf-inference serve-fake` serves the fake inference service instead;"
        " `hf-inference batch TASK --input in.jsonl --output out.jsonl` runs a task over a"
        " dataset (docs/batch.md).",
        epilog="Examples: hf-inference chat_completion 'Hello!' --model"
        " meta-llama/Llama-3.1-8B-Instruct --fake;  hf-inference text_to_image 'a cat' --model"
        " black-forest-labs/FLUX.1-dev --provider fal-ai --out cat.png --dry-run",
    )
    p.add_argument("task", help="the task method, e.g. chat_completion, text_to_image")
    p.add_argument(
        "input",
        nargs="?",
        help="the task's main argument (the user message for chat_completion; a file path for"
        " images and audio; JSON for tables; '-' reads stdin)",
    )
    p.add_argument("--model", "-m", help="a Hub model id, or the URL of an endpoint")
    p.add_argument("--provider", "-P", help="inference provider (default: auto)")
    p.add_argument("--token", help="token or provider key (default: $HF_TOKEN, saved token)")
    p.add_argument("--base-url", help="an endpoint or local server URL (as base_url=)")
    p.add_argument("--timeout", type=float, help="seconds allowed per connect and read")
    p.add_argument("--stream", action="store_true", help="print the answer as it arrives")
    p.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a keyword argument of the task (VALUE is JSON if it parses, else a string)",
    )
    p.add_argument("--out", "-o", help="write the output (image, audio, video bytes) here")
    p.add_argument("--json", action="store_true", help="print chat/text answers as JSON too")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--dry-run",
        action="store_true",
        help="print the HTTP request(s) as curl commands instead of sending them (later"
        " requests of a multi-step call follow the fake service's answers)",
    )
    where.add_argument(
        "--fake",
        action="store_true",
        help="answer from the in-process fake inference service (no token needed)",
    )
    where.add_argument("--replay", metavar="CASSETTE", help="answer from a recorded cassette")
    where.add_argument(
        "--reroute",
        metavar="URL",
        help="send every request to this server (e.g. `hf-inference serve-fake`), keeping the"
        " original host in the Host header",
    )
    p.add_argument("--record", metavar="CASSETTE", help="record the session to a cassette")
    p.add_argument("--show-token", action="store_true", help="do not mask the token in --dry-run")
    return p


def serve_parser() -> argparse.ArgumentParser:
    """The parser of ``hf-inference serve-fake``."""
    p = argparse.ArgumentParser(
        prog="hf-inference serve-fake",
        description="Serve the fake inference service (the Hub, hf-inference and every"
        " provider's routes) on loopback until interrupted.",
    )
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    return p


def parse_param(text: str) -> tuple[str, Any]:
    """``"key=value"`` -> ``("key", value)``, the value decoded as JSON when it parses."""
    key, sep, raw = text.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"--param takes KEY=VALUE, got {text!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return key.strip().replace("-", "_"), value


@attrs.frozen
class Call:
    """A task method's arguments, ready to call."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def _input_value(task: str, text: str) -> Any:
    if text == "-":
        text = sys.stdin.read()
    if text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    if task == "chat_completion":
        return [{"role": "user", "content": text}]
    return text


def build_call(client: Any, task: str, namespace: argparse.Namespace) -> Call:
    """The arguments of ``client.<task>`` for the parsed command line."""
    if task not in task_names():
        raise UsageError(f"unknown task {task!r}; tasks: {', '.join(task_names())}")
    method = getattr(client, task)
    parameters = list(inspect.signature(method).parameters.values())
    accepts_any = any(p.kind is p.VAR_KEYWORD for p in parameters)
    names = {p.name for p in parameters if p.kind is not p.VAR_KEYWORD}
    kwargs: dict[str, Any] = dict(parse_param(item) for item in namespace.param)
    unknown = sorted(k for k in kwargs if k not in names) if not accepts_any else []
    if unknown:
        known = sorted(n for n in names if n not in ("model", "stream"))
        raise UsageError(f"{task} has no parameter {', '.join(unknown)}; it takes: {known}")
    args: tuple[Any, ...] = ()
    first = parameters[0] if parameters else None
    if namespace.input is not None:
        if first is None or first.kind is first.KEYWORD_ONLY:
            raise UsageError(f"{task} takes no INPUT")
        args = (_input_value(task, namespace.input),)
        kwargs.pop(first.name, None)
    elif first is not None and first.default is first.empty and first.name not in kwargs:
        raise UsageError(f"{task} needs INPUT (its `{first.name}` argument)")
    if namespace.stream:
        if "stream" not in names:
            raise UsageError(f"{task} cannot stream")
        kwargs["stream"] = True
    if namespace.model and namespace.base_url:
        raise UsageError("pass --model or --base-url, not both")
    if namespace.model:
        kwargs["model"] = namespace.model
    return Call(args, kwargs)


_NOT_TASKS = frozenset(
    {
        "close",
        "get_endpoint_info",
        "get_model_status",
        "health_check",
        "list_deployed_models",
        "with_options",
    }
)


def task_names() -> list[str]:
    """Every task method of ``InferenceClient``."""
    from inference_core import InferenceClient

    return sorted(
        name
        for name in dir(InferenceClient)
        if not name.startswith("_")
        and name not in _NOT_TASKS
        and callable(getattr(InferenceClient, name))
    )
