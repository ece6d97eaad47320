"""The README's examples, run as a user would copy them (network replaced by a MockTransport)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from inference_core import InferenceClient, Request, Response
from transports import MockTransport

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
ROUTER = "https://router.huggingface.co/hf-inference/models"


def python_block(after: str) -> str:
    """The first ```python block following the line containing ``after``."""
    start = README.index(after)
    match = re.search(r"```python\n(.*?)```", README[start:], re.S)
    assert match is not None, f"no python block after {after!r}"
    return match.group(1)


def test_the_mock_transport_example_runs_as_written() -> None:
    namespace: dict[str, Any] = {}
    exec(python_block("Testing your own code without a server"), namespace)
    client = namespace["client"]
    out = client.chat_completion([{"role": "user", "content": "Hi"}])
    assert out.choices == []
    client.close()


def hub_or_model(request: Request) -> Response:
    if request.url.startswith("https://huggingface.co/api/models/"):
        model = request.url.split("/api/models/", 1)[1].split("?", 1)[0]
        mapping = {"hf-inference": {"status": "live", "providerId": model}}
        body = {"id": model, "inferenceProviderMapping": mapping}
    elif request.url.endswith("/v1/chat/completions"):
        message = {"role": "assistant", "content": "Hello"}
        body = {"choices": [{"index": 0, "finish_reason": "stop", "message": message}]}
    else:
        body = [{"generated_text": " Paris"}]
    return Response(200, (("content-type", "application/json"),), json.dumps(body).encode())


def test_the_default_provider_quickstart_reaches_hf_inference() -> None:
    assert 'client = InferenceClient(model="gpt2")' in README
    assert 'client.text_generation("The capital of France is", max_new_tokens=10)' in README
    mock = MockTransport(hub_or_model)
    with InferenceClient(model="gpt2", token="hf_x", transport=mock) as client:
        assert client.text_generation("The capital of France is", max_new_tokens=10) == " Paris"
        out = client.chat.completions.create(
            model="meta-llama/Llama-3.1-8B-Instruct",
            messages=[{"role": "user", "content": "Hi"}],
        )
    assert out.choices[0].message.content == "Hello"
    assert [request.url for request in mock.requests] == [
        "https://huggingface.co/api/models/gpt2?expand=inferenceProviderMapping",
        f"{ROUTER}/gpt2",
        "https://huggingface.co/api/models/meta-llama/Llama-3.1-8B-Instruct"
        "?expand=inferenceProviderMapping",
        f"{ROUTER}/meta-llama/Llama-3.1-8B-Instruct/v1/chat/completions",
    ]
