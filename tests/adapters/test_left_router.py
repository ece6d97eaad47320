"""Providers that left the Hugging Face router after v0.33.5 (spec providers.md Appendix A.1):
black-forest-labs, hyperbolic, nebius and sambanova stay usable with their own keys (their
own test modules), and an ``hf_`` token is refused before anything reaches the provider."""

from __future__ import annotations

from typing import Any

import pytest

from adapters import get_provider
from inference_core import RequestError
from tests.tasks._support import TaskRunner

from ._cases import MESSAGES, lookup
from ._support import Script

LEFT = ("black-forest-labs", "hyperbolic", "nebius", "sambanova")
CALLS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "conversational": ("chat_completion", (MESSAGES,)),
    "text-generation": ("text_generation", ("Once",)),
    "text-to-image": ("text_to_image", ("a cat",)),
    "feature-extraction": ("feature_extraction", ("Hi",)),
}
CASES = [(name, task) for name in LEFT for task in sorted(get_provider(name).tasks)]


@pytest.mark.parametrize(("provider", "task"), CASES)
def test_hf_token_is_refused_with_a_clear_error(
    run_task: TaskRunner, provider: str, task: str
) -> None:
    method, args = CALLS[task]
    # Named: refused before any request. Auto: after the Hub lookup that names the provider.
    script = Script(*([lookup(provider, "p/m", task)] if run_task.auto else []))
    with pytest.raises(RequestError) as info:
        run_task(script, method, *args, model="org/m",
                 client={"provider": provider, "token": "hf_abc"})  # fmt: skip
    script.assert_done()
    message = str(info.value)
    assert f"Provider '{provider}' left the Hugging Face router" in message
    assert "own API key" in message


@pytest.mark.parametrize("provider", LEFT)
def test_the_providers_are_direct_only(provider: str) -> None:
    entry = get_provider(provider)
    assert (entry.routable, entry.left_router) == (False, True)


def test_openai_keeps_its_own_refusal(run_task: TaskRunner) -> None:
    script = Script()
    with pytest.raises(RequestError, match="not available through Hugging Face routing"):
        run_task(script, "chat_completion", MESSAGES, model="gpt-4o",
                 client={"provider": "openai", "token": "hf_abc"})  # fmt: skip
    script.assert_done()
