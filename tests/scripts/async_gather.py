"""Run several requests concurrently with AsyncInferenceClient and asyncio.gather."""

import asyncio
import os

from huggingface_hub import AsyncInferenceClient


async def main():
    client = AsyncInferenceClient(os.environ["SERVER_URL"])
    questions = ["What is 1+1?", "Name a color", "Say hello"]
    answers = await asyncio.gather(
        *(client.chat_completion([{"role": "user", "content": q}], max_tokens=8) for q in questions)
    )
    for question, answer in zip(questions, answers, strict=True):
        print(question, "->", answer.choices[0].message.content)

    texts = await asyncio.gather(
        client.text_generation("one", max_new_tokens=3),
        client.text_generation("two", max_new_tokens=3),
    )
    print("texts:", texts)

    print("stream:", end=" ")
    async for token in await client.text_generation("async stream", stream=True):
        print(repr(token), end=" ")
    print()

    chunks = []
    async for chunk in await client.chat_completion(
        [{"role": "user", "content": "stream me"}], stream=True
    ):
        chunks.append(chunk.choices[0].delta.content)
    print("chat chunks:", chunks)
    await client.close()

    async with AsyncInferenceClient(base_url=os.environ["SERVER_URL"]) as client:
        out = await client.chat.completions.create(
            messages=[{"role": "user", "content": "context manager"}]
        )
        print("async with:", out.choices[0].message.content)


asyncio.run(main())
