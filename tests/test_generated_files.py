"""Generated files (typed signatures, the blocking h11 module, task and provider pages) are
current."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

from inference_core import AsyncInferenceClient, InferenceClient

ROOT = Path(__file__).resolve().parent.parent


def test_generated_signatures_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "generate_signatures.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_blocking_h11_module_is_generated_from_the_async_one() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "unasync.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_methods_show_the_task_signature_and_docstring() -> None:
    for client in (InferenceClient("http://h"), AsyncInferenceClient("http://h")):
        method = client.chat_completion
        parameters = list(inspect.signature(method).parameters)
        assert parameters[:4] == ["messages", "model", "stream", "frequency_penalty"]
        assert parameters[-3:] == ["extra_body", "deadline", "max_retries"]
        assert method.__name__ == "chat_completion"
        assert method.__doc__ is not None and "conversation" in method.__doc__
        assert client.chat.completions.create == method  # the same bound method
        text_generation = inspect.signature(client.text_generation).parameters
        assert list(text_generation)[:4] == ["prompt", "details", "stream", "model"]
        assert text_generation["do_sample"].default is False
        assert text_generation["details"].kind is inspect.Parameter.KEYWORD_ONLY
    assert inspect.iscoroutinefunction(AsyncInferenceClient("http://h").chat_completion)


def test_task_reference_page_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "generate_task_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_provider_page_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "generate_provider_docs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
