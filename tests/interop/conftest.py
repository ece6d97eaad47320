"""The interop suite's setup: real servers written by others, reached on every transport setup.

The servers are started by ``scripts/interop.sh`` (see ``docs/interop.md``), which passes them
here through the environment:

* ``HF_INTEROP_CHAT_URL``: transformers' ``serve`` (OpenAI chat and completions), e.g.
  ``http://127.0.0.1:PORT/v1``, and ``HF_INTEROP_CHAT_MODEL``: the one model name it accepts;
* ``HF_INTEROP_EMBED_URL``: infinity's OpenAI-style API (``.../v1``), and
  ``HF_INTEROP_EMBED_MODEL``: its served model name;
* ``HF_INTEROP_OPENAI_PYTHON`` (optional): a Python with the ``openai`` package, to compare
  vectors with it.

Without them the tests skip, saying which variable is missing. Every scenario is one async
test run on each setup of :data:`SETUPS`: the blocking client (its calls made in a worker
thread, so one test body serves both clients) on httpcore and requests, and the async client on
its default transport (asyncio and trio), aiohttp, ``AnyioTransport`` (both loops) and
``TrioTransport``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from ._support import SETUPS, Harness, Setup, server_env


@pytest.fixture(params=sorted(SETUPS))
def setup(request: pytest.FixtureRequest) -> Setup:
    """Each transport setup."""
    return SETUPS[request.param]


@pytest.fixture
def anyio_backend(setup: Setup) -> str:
    """The setup's event loop (the blocking client's tests run once, on asyncio)."""
    return setup.backend


@pytest.fixture
def chat_url() -> str:
    """transformers' serve, as ``.../v1``."""
    return server_env("HF_INTEROP_CHAT_URL")


@pytest.fixture
def chat_model() -> str:
    """The model name transformers' serve was pinned to."""
    return server_env("HF_INTEROP_CHAT_MODEL")


@pytest.fixture
def embed_url() -> str:
    """infinity, as ``.../v1``."""
    return server_env("HF_INTEROP_EMBED_URL")


@pytest.fixture
def embed_model() -> str:
    """infinity's served model name."""
    return server_env("HF_INTEROP_EMBED_MODEL")


@pytest.fixture
async def chat(setup: Setup, chat_url: str) -> AsyncIterator[Harness]:
    """A client of the chat server on this setup."""
    harness = Harness(setup, chat_url)
    try:
        yield harness
    finally:
        await harness.aclose()


@pytest.fixture
async def embed(setup: Setup, embed_url: str) -> AsyncIterator[Harness]:
    """A client of the embeddings server on this setup."""
    harness = Harness(setup, embed_url)
    try:
        yield harness
    finally:
        await harness.aclose()
