"""text_generation with details, and streamed with details."""

import os

from huggingface_hub import InferenceClient

client = InferenceClient(model=os.environ["SERVER_URL"])

print("plain:", repr(client.text_generation("The huggingface_hub library is", max_new_tokens=4)))

output = client.text_generation("The answer is", details=True, max_new_tokens=3, seed=1)
print("type:", type(output).__name__)
print("generated_text:", repr(output.generated_text))
print("finish_reason:", output.details.finish_reason)
print("generated_tokens:", output.details.generated_tokens)
print("seed:", output.details.seed)
for token in output.details.tokens:
    print("  token:", token.id, repr(token.text), token.logprob, token.special)
print("prefill:", output.details.prefill)

print("stream: ", end="")
for token in client.text_generation("Streaming is fun", stream=True, max_new_tokens=5):
    print(repr(token), end=" ")
print()

for response in client.text_generation("With details", stream=True, details=True):
    print(
        "event:",
        type(response).__name__,
        response.token.id,
        repr(response.token.text),
        response.generated_text,
    )
    if response.details is not None:
        print("final details:", response.details.finish_reason, response.details.generated_tokens)
