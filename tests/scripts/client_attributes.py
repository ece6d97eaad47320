"""Read and change the client's attributes."""

import os

from huggingface_hub import InferenceClient

SERVER_URL = os.environ["SERVER_URL"]

client = InferenceClient(
    model=f"{SERVER_URL}/echo-headers", token="hf_secret", headers={"X-Custom": "1"}, timeout=30
)
print("model:", client.model.replace(SERVER_URL, "<server>"))
print("token:", client.token)
print("timeout:", client.timeout)
print("provider:", client.provider)
print("headers:", client.headers)
print("repr:", repr(client).replace(SERVER_URL, "<server>"))
print("echo:", client.text_generation("hi"))

client.headers["X-Other"] = "2"
client.headers["X-Custom"] = "changed"
print("echo after headers change:", client.text_generation("hi"))

client.model = SERVER_URL
print("after model change:", client.text_generation("hello", max_new_tokens=3))

client.timeout = 5
print("timeout now:", client.timeout)

openai_style = InferenceClient(base_url=SERVER_URL, api_key="hf_abc")
print(
    "base_url -> model:", openai_style.model == SERVER_URL, "api_key -> token:", openai_style.token
)

billed = InferenceClient(bill_to="my-org")
print("bill_to header:", billed.headers)

for kwargs in ({"model": "a", "base_url": "b"}, {"token": "a", "api_key": "b"}):
    try:
        InferenceClient(**kwargs)
    except ValueError as e:
        print("ValueError:", str(e).split(".")[0])
