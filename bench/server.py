"""A fast loopback HTTP/1.1 server for the benchmarks (run in its own process).

Strategy: asyncio streams and a hand-rolled minimal parser, so the server spends as little CPU
as possible; the benchmarks measure the *client* process's CPU time only. Routes:

* ``POST .../chat/completions`` with ``"stream": false``: a canned chat completion.
* the same with ``"stream": true``: ``STREAM_CHUNKS`` SSE chunks, chunked transfer encoding,
  one write per event, then ``data: [DONE]``.

Usage: ``python bench/server.py PORT_FILE`` writes the bound port to PORT_FILE and serves until
killed.
"""

from __future__ import annotations

import asyncio
import json
import sys

STREAM_CHUNKS = 200

CHAT = json.dumps(
    {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "bench",
        "system_fingerprint": "b",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "logprobs": None,
                "message": {"role": "assistant", "content": "The capital of France is Paris."},
            }
        ],
        "usage": {"prompt_tokens": 12, "completion_tokens": 8, "total_tokens": 20},
    }
).encode()

CHUNK = (
    b"data: "
    + json.dumps(
        {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": "bench",
            "system_fingerprint": "b",
            "choices": [
                {
                    "index": 0,
                    "delta": {"role": "assistant", "content": " token"},
                    "logprobs": None,
                    "finish_reason": None,
                }
            ],
        }
    ).encode()
    + b"\n\n"
)
DONE = b"data: [DONE]\n\n"
# feature_extraction of 32 texts by a 384-dimension model (fixed, varied numbers)
EMBEDDINGS = json.dumps(
    [[round(((i * 384 + j) * 7919 % 20000) / 10000 - 1, 7) for j in range(384)] for i in range(32)]
).encode()


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length) if length else b""
            if head.startswith(b"POST /embed"):
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n%s" % (len(EMBEDDINGS), EMBEDDINGS)
                )
            elif b'"stream":true' in body or b'"stream": true' in body:
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                    b"transfer-encoding: chunked\r\n\r\n"
                )
                for _ in range(STREAM_CHUNKS):
                    writer.write(_chunk(CHUNK))
                    await writer.drain()
                writer.write(_chunk(DONE) + b"0\r\n\r\n")
            else:
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n%s" % (len(CHAT), CHAT)
                )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port_file: str) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=512)
    port = server.sockets[0].getsockname()[1]
    with open(port_file, "w") as f:
        f.write(str(port))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
