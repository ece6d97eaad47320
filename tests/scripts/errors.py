"""Handle errors: HTTP errors, TGI errors, timeouts and unreachable servers."""

import os

from huggingface_hub import InferenceClient, InferenceTimeoutError
from huggingface_hub.errors import (
    BadRequestError,
    HfHubHTTPError,
    TextGenerationError,
    ValidationError,
)

SERVER_URL = os.environ["SERVER_URL"]


def show(error):
    # hide the server's random port so the output is stable
    return str(error).replace(SERVER_URL, "<server>")


client = InferenceClient()
for status in (404, 429, 503):
    try:
        client.text_classification("hello", model=f"{SERVER_URL}/errors/{status}")
    except HfHubHTTPError as e:
        print(status, type(e).__name__, e.response.status_code)
        print("  request id:", e.request_id, e.response.headers.get("X-Request-Id"))
        print("  content-type:", e.response.headers["Content-Type"])
        print("  server message:", repr(e.server_message))
        print("  message:", repr(show(e)))

try:
    client.text_classification("hello", model=f"{SERVER_URL}/errors/400")
except BadRequestError as e:
    print("400", type(e).__name__, isinstance(e, ValueError), e.response.status_code)
    print("  message:", repr(show(e)))

tgi = InferenceClient(SERVER_URL)
try:
    tgi.text_generation("[validation-error] too long", max_new_tokens=10)
except ValidationError as e:
    print("text_generation:", type(e).__name__, isinstance(e, HfHubHTTPError), show(e))

try:
    tgi.chat_completion([{"role": "user", "content": "[validation-error]"}])
except HfHubHTTPError as e:
    print("chat:", type(e).__name__, e.response.status_code, repr(e.server_message))

try:
    for token in tgi.text_generation("[error-in-stream]", stream=True):
        print("  token:", repr(token))
except TextGenerationError as e:
    print("in stream:", type(e).__name__, show(e))

slow = InferenceClient(f"{SERVER_URL}/stall", timeout=0.5)
try:
    slow.text_generation("hello")
except InferenceTimeoutError as e:
    print("timeout: InferenceTimeoutError", isinstance(e, TimeoutError), isinstance(e, OSError))
except Exception as e:
    print("timeout: other", type(e).__name__, isinstance(e, TimeoutError), isinstance(e, OSError))

down = InferenceClient(os.environ["REFUSED_URL"])
try:
    down.text_generation("hello")
except ConnectionError as e:
    print("refused: ConnectionError", type(e).__name__, isinstance(e, OSError))
except OSError as e:
    print("refused: OSError", type(e).__name__)
