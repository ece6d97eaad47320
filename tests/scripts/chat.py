"""Chat with a model served by TGI (or any OpenAI-compatible server)."""

import os

from huggingface_hub import InferenceClient

client = InferenceClient(base_url=os.environ["SERVER_URL"])

messages = [{"role": "user", "content": "What is the capital of France?"}]

# OpenAI-style
completion = client.chat.completions.create(messages=messages, max_tokens=20)
print("content:", completion.choices[0].message.content)
print("role:", completion.choices[0].message.role)
print("finish_reason:", completion.choices[0].finish_reason)
print(
    "usage:",
    completion.usage.prompt_tokens,
    completion.usage.completion_tokens,
    completion.usage.total_tokens,
)
print("id/model/created:", completion.id, completion.model, completion.created)
print("type:", type(completion).__name__, isinstance(completion, dict))

# The same call with chat_completion, reading the output like a dict
output = client.chat_completion(messages, model="my-model", temperature=0.5)
print("dict access:", output["choices"][0]["message"]["content"])
print("model sent:", output.model)
print("keys:", sorted(output.keys()))

# A system prompt and a multi-turn conversation
conversation = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello! How can I help?"},
    {"role": "user", "content": "Tell me a joke"},
]
reply = client.chat_completion(conversation, max_tokens=5, seed=42)
print("multi-turn:", repr(reply.choices[0].message.content))
print("tool_calls:", reply.choices[0].message.tool_calls)
