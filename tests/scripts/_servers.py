"""Loopback fake servers for the user scripts: a TGI-like model server and a fake Hub.

Strategy: two :class:`fake_service.LoopbackServer` handlers, pure and deterministic, so the same
script prints the same text under huggingface_hub and under inference_core.

* ``model_handler`` (the script's ``SERVER_URL``): TGI chat and generate (from
  ``fake_service.tgi``), plus chat with tools, ``/embed`` (feature extraction), ``/image`` (a
  PNG), ``/errors/<status>``, ``/stall``, ``/echo-headers``, ``GET /health`` and ``GET /info``.
* ``hub_handler`` (``HF_ENDPOINT`` and ``HF_INFERENCE_ENDPOINT``): ``/api/models/<id>``,
  ``/status/<id>``, ``/models/<id>/info``, ``/framework/<name>`` and the legacy
  ``POST /pipeline/<task>/<id>``.

``python -m tests.scripts._servers`` starts both and prints the environment to use them from a
shell (handy when recording expected outputs by hand).
"""

from __future__ import annotations

import socket
import struct
import time
import zlib
from contextlib import ExitStack
from typing import Any

from fake_service import LoopbackServer, Reply, ServerRequest, Stall
from fake_service.server import StreamReply
from fake_service.tgi import tgi_handler

__all__ = ["Servers", "hub_handler", "model_handler", "png"]

Action = Reply | StreamReply | Stall

INFO = {
    "model_id": "fake/tgi-model",
    "model_dtype": "torch.float16",
    "max_total_tokens": 2048,
    "max_input_tokens": 1024,
    "version": "2.0.0",
}
ERROR_BODIES = {
    400: {"error": "Bad input: `inputs` must be a string"},
    401: {"error": "Invalid credentials in Authorization header"},
    404: {"error": "Model fake/missing does not exist"},
    429: {"errors": [{"message": "Rate limit reached"}, {"message": "Retry in 60s"}]},
    503: {"error": "Model fake/loading is currently loading", "estimated_time": 20.0},
}


def png(width: int = 4, height: int = 2) -> bytes:
    """A small RGB PNG whose pixel (x, y) is (60 * x, 100 * y, 200), built without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((60 * x, 100 * y, 200)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _embedding(text: str) -> list[float]:
    """A deterministic 4-dimensional embedding of ``text``."""
    return [round(len(text) / 100, 4), round(text.count(" ") / 10, 4), 0.5, -0.25]


def _chat_with_tools(body: dict[str, Any]) -> Reply:
    last = body["messages"][-1]
    if last.get("role") == "tool":
        message: dict[str, Any] = {
            "role": "assistant",
            "content": f"The tool answered: {last.get('content')}",
        }
        finish = "stop"
    else:
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_0",
                    "type": "function",
                    "function": {
                        "name": body["tools"][0]["function"]["name"],
                        "arguments": {"location": "Paris, France", "unit": "celsius"},
                        "description": None,
                    },
                }
            ],
        }
        finish = "tool_calls"
    return Reply.json(
        {
            "id": "chatcmpl-tools",
            "object": "chat.completion",
            "created": 1700000000,
            "model": "fake/tgi-model",
            "system_fingerprint": "fake-1",
            "choices": [
                {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
            ],
            "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19},
        }
    )


def _error(status: int) -> Reply:
    headers = (("x-request-id", f"req-{status}"),) if status != 503 else ()
    if status == 503:
        headers = (("X-Amzn-Trace-Id", "Root=1-trace-503"),)
    return Reply.json(ERROR_BODIES.get(status, {"error": f"status {status}"}), status, headers)


def model_handler(request: ServerRequest) -> Action:
    """The TGI-like server behind ``SERVER_URL``."""
    path = request.target.split("?", 1)[0].rstrip("/")
    if request.method == "GET":
        if path.endswith("/health"):
            return Reply(200)
        if path.endswith("/info"):
            return Reply.json(INFO)
        return Reply.json({"error": "not found"}, 404)
    if path == "/stall":
        return Stall(30)
    if path.startswith("/errors/"):
        return _error(int(path.rsplit("/", 1)[1]))
    if path == "/embed":
        inputs = request.json()["inputs"]
        texts = [inputs] if isinstance(inputs, str) else inputs
        return Reply.json([_embedding(text) for text in texts])
    if path == "/image":
        return Reply(200, (("content-type", "image/png"),), png())
    if path == "/echo-headers":
        names = ("x-custom", "x-other", "authorization")
        seen = ", ".join(f"{name}={request.header(name)}" for name in names)
        return Reply.json([{"generated_text": seen}])
    if path.endswith("/chat/completions") and request.json().get("tools"):
        return _chat_with_tools(request.json())
    return tgi_handler(request)


FRAMEWORKS = {
    "text-generation-inference": [
        {"model_id": "meta-llama/Llama-3.1-8B-Instruct", "task": "text-generation"},
        {"model_id": "HuggingFaceH4/zephyr-7b-beta", "task": "text-generation"},
    ],
    "sentence-transformers": [
        {"model_id": "sentence-transformers/all-MiniLM-L6-v2", "task": "sentence-similarity"},
    ],
}
PIPELINE_TAGS = {
    "bert-base-uncased": "fill-mask",
    "sentence-transformers/all-MiniLM-L6-v2": "sentence-similarity",
    "stabilityai/sd-turbo": "text-to-image",
    "deepset/roberta-base-squad2": "question-answering",
}


def _pipeline(task: str, body: dict[str, Any]) -> Reply:
    inputs = body.get("inputs")
    if task == "fill-mask":
        text = str(inputs)
        return Reply.json(
            [
                {
                    "score": 0.5,
                    "token": 2166,
                    "token_str": "life",
                    "sequence": text.replace("[MASK]", "life"),
                },
                {
                    "score": 0.25,
                    "token": 2293,
                    "token_str": "love",
                    "sequence": text.replace("[MASK]", "love"),
                },
            ]
        )
    if task == "feature-extraction":
        return Reply.json(_embedding(str(inputs)))
    if task == "text-to-image":
        return Reply(200, (("content-type", "image/png"),), png())
    if task == "question-answering":
        if not isinstance(inputs, dict) or "context" not in inputs:
            return Reply.json({"error": ["Error in `inputs.context`: field required"]}, 400)
        return Reply.json({"score": 0.9, "start": 11, "end": 16, "answer": "Paris"})
    return Reply.json({"error": f"unknown task {task}"}, 400)


def hub_handler(request: ServerRequest) -> Action:
    """The fake Hub and Inference API behind ``HF_ENDPOINT`` and ``HF_INFERENCE_ENDPOINT``."""
    path = request.target.split("?", 1)[0]
    if path.startswith("/api/models/"):
        model = path[len("/api/models/") :]
        tag = PIPELINE_TAGS.get(model)
        if tag is None:
            return Reply.json(
                {"error": "Repository not found"}, 404, (("X-Error-Code", "RepoNotFound"),)
            )
        return Reply.json(
            {"id": model, "modelId": model, "pipeline_tag": tag, "tags": [tag], "private": False}
        )
    if path.startswith("/status/"):
        model = path[len("/status/") :]
        if model == "fake/missing":
            return Reply.json({"error": "Model fake/missing does not exist"})
        return Reply.json(
            {
                "loaded": True,
                "state": "Loaded",
                "compute_type": "gpu",
                "framework": "text-generation-inference",
            }
        )
    if path.startswith("/models/") and path.endswith("/info"):
        return Reply.json({**INFO, "model_id": path[len("/models/") : -len("/info")]})
    if path.startswith("/framework/"):
        return Reply.json(FRAMEWORKS.get(path[len("/framework/") :], []))
    if path.startswith("/pipeline/") and request.method == "POST":
        task = path.split("/")[2]
        return _pipeline(task, request.json() if request.body[:1] == b"{" else {})
    return Reply.json({"error": f"no route {request.method} {path}"}, 404)


def refused_url() -> str:
    """A loopback URL nothing listens on (a port just released)."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class Servers:
    """Both fake servers, started together; ``env()`` is what a script run needs."""

    def __init__(self) -> None:
        self.model = LoopbackServer(model_handler)
        self.hub = LoopbackServer(hub_handler)
        self._stack = ExitStack()

    def __enter__(self) -> Servers:
        self._stack.enter_context(self.model)
        self._stack.enter_context(self.hub)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def env(self, home: str) -> dict[str, str]:
        """Environment variables for one script run (no token, no proxy, no telemetry)."""
        return {
            "SERVER_URL": self.model.url,
            "REFUSED_URL": refused_url(),
            "HF_ENDPOINT": self.hub.url,
            "HF_INFERENCE_ENDPOINT": self.hub.url,
            "HF_TOKEN": "hf_fake_token",
            "HF_HOME": home,
            "HOME": home,
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
            "PYTHONHASHSEED": "0",
            "PYTHONIOENCODING": "utf-8",
        }


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as home, Servers() as servers:
        for key, value in servers.env(home).items():
            print(f"export {key}={value}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
