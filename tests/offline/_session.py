"""One recorded session, run the same way on the sync and the async client.

The session covers a plain and a streamed chat completion, a streamed text generation, an
hf-inference task with a Hub lookup, and a fal-ai video job (queue submit, polls, result,
download), so a cassette holds whole answers, SSE chunks and polled steps.
"""

from __future__ import annotations

from typing import Any

from inference_core import AsyncInferenceClient, InferenceClient

TOKEN = "hf_" + "Ab1" * 12  # looks like a real token, so the scrubber must catch it
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]


def run_sync(transport: Any) -> list[Any]:
    """The session's outputs, on the blocking client."""
    outputs: list[Any] = []
    with InferenceClient(token=TOKEN, transport=transport) as client:
        outputs.append(client.chat_completion(MESSAGES, model=LLAMA, max_tokens=20))
        with client.chat_completion(MESSAGES, model=LLAMA, stream=True) as stream:
            outputs.append(list(stream))
        tokens = client.text_generation("Once upon a time", model=LLAMA, stream=True)
        with tokens:
            outputs.append(list(tokens))
        outputs.append(client.text_classification("I love this movie", model="org/sentiment"))
    with InferenceClient(provider="fal-ai", token=TOKEN, transport=transport) as client:
        outputs.append(client.text_to_video("a cat playing piano", model="Wan-AI/Wan2.1-T2V-14B"))
    return outputs


async def run_async(transport: Any) -> list[Any]:
    """The same session on the async client."""
    outputs: list[Any] = []
    async with AsyncInferenceClient(token=TOKEN, transport=transport) as client:
        outputs.append(await client.chat_completion(MESSAGES, model=LLAMA, max_tokens=20))
        stream = await client.chat_completion(MESSAGES, model=LLAMA, stream=True)
        async with stream:
            outputs.append([chunk async for chunk in stream])
        tokens = await client.text_generation("Once upon a time", model=LLAMA, stream=True)
        async with tokens:
            outputs.append([token async for token in tokens])
        outputs.append(await client.text_classification("I love this movie", model="org/sentiment"))
    async with AsyncInferenceClient(provider="fal-ai", token=TOKEN, transport=transport) as client:
        outputs.append(
            await client.text_to_video("a cat playing piano", model="Wan-AI/Wan2.1-T2V-14B")
        )
    return outputs
