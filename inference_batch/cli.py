"""The command line: ``hf-inference batch TASK --input in.jsonl --output out.jsonl [...]``.

:func:`main` takes the arguments after the word ``batch`` (``python -m inference_batch`` passes
``sys.argv[1:]``). Each input line is a JSON object holding the task method's arguments, plus
an optional ``"id"``; ``--param key=value`` adds a keyword argument to every call (the value
parsed as JSON when it is JSON, else kept as a string). Re-running the same command resumes.

Exit status: 0 when every item is done, 1 when some failed (or the run stopped early),
2 for a usage error (bad arguments, unknown task, unreadable input or output). The summary is
printed to stderr; so is the progress bar, when stderr is a terminal and tqdm is installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["build_parser", "main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _param(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected key=value, got {text!r}")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # exit 2 through SystemExit, as argparse does
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"hf-inference batch: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``hf-inference batch``."""
    parser = _Parser(
        prog="hf-inference batch",
        description="Run a task over a JSONL file of inputs; re-run the command to resume.",
    )
    parser.add_argument("task", help="task method, e.g. chat_completion or feature-extraction")
    parser.add_argument("--input", required=True, help="JSONL file: one JSON object per line")
    parser.add_argument("--output", required=True, help="JSONL file of results (resumed)")
    parser.add_argument("--model", help="model id or URL")
    parser.add_argument("--provider", help="inference provider (default: auto)")
    parser.add_argument("--base-url", help="server URL (an endpoint or a local server)")
    parser.add_argument("--token", help="token or API key (default: HF_TOKEN / saved token)")
    parser.add_argument("--timeout", type=_rate, help="seconds per request read")
    parser.add_argument("--concurrency", type=_positive, default=16, help="calls in flight")
    parser.add_argument("--rpm", type=_rate, help="requests per minute at most")
    parser.add_argument("--tpm", type=_rate, help="tokens per minute at most")
    parser.add_argument("--max-retries", type=int, help="retries per call (429, 503, ...)")
    parser.add_argument(
        "--param", type=_param, action="append", default=[], metavar="KEY=VALUE",
        help="keyword argument for every call; VALUE is JSON or a string (repeatable)",
    )  # fmt: skip
    parser.add_argument("--ordered", action="store_true", help="write results in input order")
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first failure")
    parser.add_argument("--backend", choices=("asyncio", "trio"), default="asyncio")
    parser.add_argument(
        "--ray", type=_positive, metavar="ACTORS",
        help="run on Ray Data with this many actors (--concurrency, --rpm and --tpm then apply"
        " per actor; every input needs an id)",
    )  # fmt: skip
    parser.add_argument("--batch-size", type=_positive, default=64, help="rows per Ray batch")
    bar = parser.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress", dest="progress", action="store_true", default=None,
        help="show a progress bar (default: when stderr is a terminal and tqdm is installed)",
    )  # fmt: skip
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="no bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``hf-inference batch`` with ``argv`` (the arguments after ``batch``; default:
    ``sys.argv[1:]``) and return the exit status."""
    from ._runner import run_batch, task_method_name

    parser = build_parser()
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    try:
        task = task_method_name(args.task)
    except ValueError as exc:
        print(f"hf-inference batch: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    client_options = {
        key: value
        for key, value in (
            ("model", args.model), ("provider", args.provider), ("base_url", args.base_url),
            ("token", args.token), ("timeout", args.timeout),
        )
        if value is not None
    }  # fmt: skip
    try:
        if args.ray is not None:
            from .ray import run_on_ray

            summary = run_on_ray(
                task, args.input, args.output, actors=args.ray, per_actor=args.concurrency,
                batch_size=args.batch_size, client_options=client_options,
                params=dict(args.param), rpm=args.rpm, tpm=args.tpm, max_retries=args.max_retries,
            )  # fmt: skip
        else:
            summary = run_batch(
                task, args.input, output=args.output, client_options=client_options,
                params=dict(args.param), concurrency=args.concurrency, rpm=args.rpm,
                tpm=args.tpm, max_retries=args.max_retries, ordered=args.ordered,
                fail_fast=args.fail_fast, progress=args.progress, backend=args.backend,
            )  # fmt: skip
    except ModuleNotFoundError as exc:
        if args.ray is None:
            raise
        print(f"hf-inference batch: error: {exc} (pip install 'hf-inference-core[ray]')",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("hf-inference batch: interrupted; re-run the command to resume", file=sys.stderr)
        return 130
    except (OSError, ValueError) as exc:
        print(f"hf-inference batch: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"hf-inference batch: {summary}", file=sys.stderr)
    return EXIT_OK if summary.ok else EXIT_FAILED
