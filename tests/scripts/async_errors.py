"""Errors from AsyncInferenceClient: HTTP errors, TGI errors and timeouts."""

import asyncio
import os

from huggingface_hub import AsyncInferenceClient, InferenceTimeoutError
from huggingface_hub.errors import HfHubHTTPError

SERVER_URL = os.environ["SERVER_URL"]


async def main():
    async with AsyncInferenceClient(f"{SERVER_URL}/errors/404") as client:
        try:
            await client.text_classification("hello")
        except HfHubHTTPError as e:
            print("404: HfHubHTTPError", e.response.status_code, repr(e.server_message))
        except Exception as e:
            print("404: other", type(e).__name__, getattr(e, "status", None))

    async with AsyncInferenceClient(SERVER_URL) as client:
        try:
            await client.text_generation("[validation-error]", max_new_tokens=5)
        except HfHubHTTPError as e:
            print("422:", type(e).__name__, e)
        except Exception as e:
            print("422: other", type(e).__name__, e)

    async with AsyncInferenceClient(f"{SERVER_URL}/stall", timeout=0.5) as client:
        try:
            await client.text_generation("hello")
        except InferenceTimeoutError as e:
            print("timeout: InferenceTimeoutError", isinstance(e, TimeoutError))


asyncio.run(main())
