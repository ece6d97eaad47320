"""``hf-inference``: run one task from the command line, or serve the fake service.

Strategy: parse (:mod:`hf_inference_cli.args`), pick the transport the flags ask for (the
default one, the fake service, a cassette, a rerouting one, or the dry-run printer, with a
recorder around it for ``--record``), build ``InferenceClient(...)``, call
``getattr(client, task)(INPUT, **params)`` and show the result
(:mod:`hf_inference_cli.output`). Exit status: 0 on success, 2 for a usage error, 1 when the
call fails (the error's message on stderr).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO, TextIO

from .args import UsageError, build_call, parser, serve_parser
from .output import show, show_stream

__all__ = ["FAKE_TOKEN", "main"]

FAKE_TOKEN = "hf_fake"
"""The token ``--fake`` sends when none is given."""


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdout_bytes: BinaryIO | None = None,
) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if stdout_bytes is None and stdout is None:
        stdout_bytes = getattr(sys.stdout, "buffer", None)
    if args[:1] == ["serve-fake"]:
        return _serve(args[1:])
    if args[:1] == ["batch"]:
        from inference_batch.cli import main as batch_main

        return batch_main(args[1:])
    try:
        namespace = parser().parse_args(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return _run(namespace, out, err, stdout_bytes)
    except UsageError as exc:
        print(f"hf-inference: error: {exc}", file=err)
        return 2
    except BrokenPipeError:  # e.g. `| head`: stop quietly, as command line tools do
        if stdout is None:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1


def _serve(args: list[str]) -> int:
    try:
        namespace = serve_parser().parse_args(args)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    from fake_service import serve

    return serve(namespace.port, host=namespace.host)


def _transport(namespace: Any, token: str | None, out: TextIO) -> Any:
    """The transport the flags ask for; None for the client's default."""
    transport: Any = None
    if namespace.dry_run:
        from .dry_run import DryRunTransport

        return DryRunTransport(out, secret=token, show=namespace.show_token)
    if namespace.fake:
        from fake_service import FakeTransport

        transport = FakeTransport()
    elif namespace.replay:
        from transports.replay import ReplayTransport

        return ReplayTransport(namespace.replay)
    elif namespace.reroute:
        from fake_service import RerouteTransport
        from transports import HttpcoreTransport

        transport = RerouteTransport(HttpcoreTransport(), namespace.reroute)
    if namespace.record:
        from transports import HttpcoreTransport
        from transports.record import RecordingTransport

        transport = RecordingTransport(transport or HttpcoreTransport(), namespace.record)
    return transport


def _run(namespace: Any, out: TextIO, err: TextIO, out_bytes: BinaryIO | None) -> int:
    from inference_core import InferenceClient, InferenceError
    from transports.cassette import CassetteError

    if namespace.record and (namespace.replay or namespace.dry_run):
        raise UsageError("--record cannot be combined with --replay or --dry-run")
    transport = None
    try:
        client = InferenceClient(
            provider=namespace.provider,
            token=namespace.token,
            base_url=namespace.base_url,
            timeout=namespace.timeout,
        )
        transport = _transport(namespace, client.token, out)
        token = namespace.token
        if namespace.fake and not client.token:
            token = FAKE_TOKEN  # the fake service takes any token; providers want one
        if transport is not None:
            client = InferenceClient(
                provider=namespace.provider,
                token=token,
                base_url=namespace.base_url,
                timeout=namespace.timeout,
                transport=transport,
            )
        call = build_call(client, namespace.task, namespace)
        with client:
            result = getattr(client, namespace.task)(*call.args, **call.kwargs)
            if namespace.dry_run:
                if call.kwargs.get("stream"):
                    with result:
                        for _ in result:
                            pass
                return 0
            if call.kwargs.get("stream"):
                show_stream(result, as_json=namespace.json, stdout=out)
            else:
                show(
                    namespace.task,
                    result,
                    out=namespace.out,
                    as_json=namespace.json,
                    stdout=out,
                    stdout_bytes=out_bytes,
                    stderr=err,
                )
        if transport is not None:
            transport.close()
            transport = None
    except (InferenceError, CassetteError) as exc:
        print(f"hf-inference: {type(exc).__name__}: {exc}", file=err)
        return 1
    finally:
        if transport is not None:
            _close_quietly(transport)
    return 0


def _close_quietly(transport: Any) -> None:
    """Close after a failure: a replay's unused interactions are not the error to report."""
    from transports.replay import ReplayTransport

    if isinstance(transport, ReplayTransport):
        transport.close(verify=False)
    else:
        transport.close()
