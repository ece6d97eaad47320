"""Stream a chat completion token by token."""

import os

from huggingface_hub import InferenceClient

client = InferenceClient(os.environ["SERVER_URL"])

messages = [{"role": "user", "content": "Count to five please"}]

print("stream: ", end="")
for chunk in client.chat_completion(messages, stream=True, max_tokens=10):
    print(chunk.choices[0].delta.content, end="|")
print()

# OpenAI syntax, collecting the chunks
stream = client.chat.completions.create(messages=messages, stream=True)
chunks = list(stream)
print("chunks:", len(chunks))
print("first chunk type:", type(chunks[0]).__name__)
print("first delta role:", chunks[0].choices[0].delta.role)
print("finish reasons:", [c.choices[0].finish_reason for c in chunks])
print("text:", "".join(c.choices[0].delta.content or "" for c in chunks))
print("object/model:", chunks[-1].object, chunks[-1].model)

# Stop early: break out of the loop
for i, _chunk in enumerate(client.chat_completion(messages, stream=True)):
    if i == 2:
        break
print("stopped after", i, "chunks")
