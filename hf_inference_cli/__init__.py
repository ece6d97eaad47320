"""The ``hf-inference`` command line: run one inference task, or serve the fake service.

``hf-inference TASK [INPUT] --model M --provider P [--stream] [--param KEY=VALUE ...]
[--out FILE] [--token T] [--base-url URL] [--dry-run | --fake | --replay C | --reroute URL]
[--record C]`` and ``hf-inference serve-fake [--port N]``; also ``python -m inference_core``.
See docs/testing.md. This package does I/O, so it lives outside the pure ``inference_core``.
"""

from .main import main

__distribution__ = "hf-inference-core"
"""Marks this package as ours."""

__all__ = ["main"]
