"""Offline demo: stream a chat completion from a local fake TGI server over real sockets.

Run from the repository root after installing: ``python -m fake_service.demo``. It starts
:func:`fake_service.tgi.tgi_handler` on 127.0.0.1 (a free port), then uses the real
``InferenceClient`` (default httpcore transport) against it: a streamed chat completion, a
plain one, and a text generation with details. Nothing leaves the machine.
"""

from __future__ import annotations

import sys

from inference_core import InferenceClient

from .server import LoopbackServer
from .tgi import tgi_handler


def main() -> int:
    """Run the demo; return the process exit code."""
    with LoopbackServer(tgi_handler) as server, InferenceClient(server.url, timeout=10) as client:
        print(f"fake TGI server listening on {server.url}")
        messages = [{"role": "user", "content": "What is the capital of France?"}]
        print("streamed chat completion: ", end="", flush=True)
        with client.chat_completion(messages, stream=True, max_tokens=32) as stream:
            for chunk in stream:
                print(chunk.choices[0].delta.content or "", end="", flush=True)
        print()
        out = client.chat.completions.create(messages=messages, max_tokens=32)
        print(
            f"chat completion: {out.choices[0].message.content!r}"
            f" (usage: {out.usage.total_tokens} tokens)"
        )
        generated = client.text_generation("The answer is", details=True, max_new_tokens=8)
        details = generated.details
        assert details is not None, "the server sends details when asked"
        print(
            f"text generation: {generated.generated_text!r}"
            f" ({details.generated_tokens} tokens, finish reason {details.finish_reason})"
        )
        print(f"{len(server.requests)} requests over {server.connections_opened} connection(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
