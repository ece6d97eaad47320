"""A fake hf-inference server for every task: what the task reference's examples run against.

Strategy: a pure handler for :class:`fake_service.server.LoopbackServer`. The task is the first
segment of the request path (``POST /fill-mask``, ``POST /chat-completion/v1/chat/completions``),
so :func:`model_url` gives each task its own "model URL" on one server. The body is read as the
hf-inference wire format sends it (spec tasks.md §1.3): JSON ``{"inputs", "parameters"}``, the
feature-extraction body with its options at the root, or a binary task's raw bytes (or its
base64 JSON form). Answers are deterministic and derived from the input where a few lines of
rules can make them plausible (word overlap for similarity, a small lexicon for sentiment,
capitalized words for entities...); generated images are valid PNGs, speech is a valid WAV,
chat and text generation answer from a few canned replies (else they echo) and stream SSE.

An unknown task path gets a 404 with an hf-inference style ``{"error": ...}`` body, a
fill-mask text without a mask token a 400.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import re
import struct
import wave
import zlib
from collections.abc import Callable
from typing import Any

from .server import Reply, ServerRequest, StreamReply

__all__ = ["model_url", "png_bytes", "task_handler", "wav_bytes"]

Answer = Reply | StreamReply


def model_url(server_url: str, method: str) -> str:
    """The URL standing for a model that serves ``method`` (``"fill_mask"``) on the server."""
    return f"{server_url}/{method.replace('_', '-')}"


def png_bytes(width: int, height: int, rgb: tuple[int, int, int] = (214, 140, 62)) -> bytes:
    """A valid PNG of one colour (8-bit RGB), written without Pillow."""
    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(row * height)),
            _png_chunk(b"IEND", b""),
        ]
    )


def wav_bytes(seconds: float, rate: int = 16000) -> bytes:
    """A valid WAV file of ``seconds`` of silence (mono, 16-bit)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * round(seconds * rate))
    return buffer.getvalue()


def task_handler(request: ServerRequest) -> Answer:
    """Answer one request as a model serving the task its path names would."""
    path = request.target.split("?", 1)[0]
    task = path.strip("/").split("/", 1)[0]
    if path.rstrip("/").endswith("/chat/completions"):
        return _chat(request.json())
    handler = _HANDLERS.get(task)
    if handler is None:
        return Reply.json({"error": f"Model {task} does not exist"}, status=404)
    return handler(_Body(request))


class _Body:
    """A task request's ``inputs`` and ``parameters``, whichever wire form carried them."""

    def __init__(self, request: ServerRequest) -> None:
        self.raw: dict[str, Any] = {}
        self.inputs: Any = request.body
        if request.body[:1] in (b"{", b"["):
            self.raw = json.loads(request.body)
            self.inputs = self.raw.get("inputs")
        self.parameters: dict[str, Any] = self.raw.get("parameters") or {}

    def content(self) -> bytes:
        """The binary input: the raw body, or the base64 ``inputs`` of the JSON form."""
        if isinstance(self.inputs, str):
            return base64.b64decode(self.inputs)
        return bytes(self.inputs)

    def top_k(self, default: int) -> int:
        value = self.parameters.get("top_k")
        return value if isinstance(value, int) else default


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _ranked(labels: list[str], weights: list[float], top_k: int) -> list[dict[str, Any]]:
    """``{"label", "score"}`` objects, scores normalized to sum to 1, best first."""
    total = sum(weights)
    pairs = sorted(zip(labels, weights, strict=True), key=lambda pair: -pair[1])
    return [{"label": label, "score": round(w / total, 4)} for label, w in pairs[:top_k]]


# --- text tasks ---------------------------------------------------------------------------------

_POSITIVE = {"love", "like", "great", "good", "happy", "amazing", "wonderful", "best", "enjoy"}
_NEGATIVE = {"hate", "bad", "terrible", "awful", "sad", "worst", "boring", "angry", "poor"}
_MASK_WORDS = [("happiness", 0.1106), ("survival", 0.0763), ("salvation", 0.0521)]
_MASK_WORDS += [("freedom", 0.0411), ("unity", 0.0296)]
_FRENCH = {"my": "mon", "name": "nom", "is": "est", "and": "et", "i": "je", "live": "vis"}
_FRENCH |= {"in": "à", "hello": "bonjour", "the": "le", "world": "monde", "love": "aime"}


def _fill_mask(body: _Body) -> Answer:
    text = str(body.inputs)
    mask = next((token for token in ("[MASK]", "<mask>") if token in text), None)
    if mask is None:
        return Reply.json({"error": "No mask_token ([MASK]) found on the input"}, status=400)
    targets = body.parameters.get("targets")
    candidates = [(w, s) for w, s in _MASK_WORDS if not targets or w in targets]
    return Reply.json(
        [
            {
                "score": score,
                "token": 2000 + index,
                "token_str": word,
                "sequence": text.replace(mask, word, 1),
            }
            for index, (word, score) in enumerate(candidates[: body.top_k(5)])
        ]
    )


def _text_classification(body: _Body) -> Answer:
    words = set(_words(str(body.inputs)))
    positive = 1 + 4 * len(words & _POSITIVE)
    negative = 1 + 4 * len(words & _NEGATIVE)
    ranked = _ranked(["POSITIVE", "NEGATIVE"], [positive**3, negative**3], body.top_k(2))
    return Reply.json([ranked])


def _token_classification(body: _Body) -> Answer:
    text = str(body.inputs)
    grouped = body.parameters.get("aggregation_strategy") not in (None, "none")
    entities: list[dict[str, Any]] = []
    previous = ""
    for match in re.finditer(r"[A-Za-z']+", text):
        word = match.group()
        if word[0].isupper() and match.start() > 0 and word != "I":
            kind = "LOC" if previous.lower() in ("in", "at", "from", "to") else "PER"
            last = entities[-1] if entities else None
            if grouped and last and last["end"] + 1 == match.start():
                last["word"] += " " + word
                last["end"] = match.end()
                continue
            entity = {"score": 0.9987, "word": word, "start": match.start(), "end": match.end()}
            tag = kind if grouped else f"B-{kind}"
            entities.append({"entity_group" if grouped else "entity": tag, **entity})
        else:
            previous = word
    return Reply.json(entities)


def _zero_shot_classification(body: _Body) -> Answer:
    stems = {word[:6] for word in _words(str(body.inputs))}
    labels = list(body.parameters.get("candidate_labels") or [])
    overlap = [len(stems & {word[:6] for word in _words(label)}) for label in labels]
    if body.parameters.get("multi_label"):
        scores = [round(1 / (1 + math.exp(2 - 3 * count)), 4) for count in overlap]
        pairs = sorted(zip(labels, scores, strict=True), key=lambda pair: -pair[1])
    else:
        ranked = _ranked(labels, [4.0**count for count in overlap], len(labels))
        pairs = [(item["label"], item["score"]) for item in ranked]
    return Reply.json(
        {
            "sequence": body.inputs,
            "labels": [label for label, _ in pairs],
            "scores": [score for _, score in pairs],
        }
    )


def _question_answering(body: _Body) -> Answer:
    question, context = body.inputs["question"], body.inputs["context"]
    asked = set(_words(question))
    answers: list[dict[str, Any]] = []
    for match in re.finditer(r"[A-Z][A-Za-z]+", context):
        if match.start() > 0 and match.group().lower() not in asked:
            score = round(0.9312 / (1 + 4 * len(answers)), 4)
            span = {"start": match.start(), "end": match.end()}
            answers.append({"answer": match.group(), "score": score, **span})
    if not answers:
        answers = [{"answer": "", "score": 0.0012, "start": 0, "end": 0}]
    top_k = body.top_k(1)
    return Reply.json(answers[:top_k] if top_k > 1 else answers[0])


def _summarization(body: _Body) -> Answer:
    first = re.split(r"(?<=[.!?])\s", str(body.inputs).strip(), maxsplit=1)[0]
    return Reply.json([{"summary_text": first}])


def _translation(body: _Body) -> Answer:
    def translate(match: re.Match[str]) -> str:
        word = match.group()
        french = _FRENCH.get(word.lower(), word)
        return french.capitalize() if word[0].isupper() and word != "I" else french

    text = re.sub(r"[A-Za-z]+", translate, str(body.inputs))
    return Reply.json([{"translation_text": text}])


# --- structured tasks ---------------------------------------------------------------------------


def _feature_extraction(body: _Body) -> Answer:
    texts = body.inputs if isinstance(body.inputs, list) else [body.inputs]
    return Reply.json([_embedding(str(text), body.raw.get("normalize")) for text in texts])


def _embedding(text: str, normalize: Any) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest() * 12  # 384 bytes
    vector = [(byte - 127.5) / 127.5 for byte in digest]
    if normalize:
        norm = math.sqrt(sum(x * x for x in vector))
        vector = [x / norm for x in vector]
    return [round(x, 6) for x in vector]


def _sentence_similarity(body: _Body) -> Answer:
    source = set(_words(body.inputs["source_sentence"]))
    scores = []
    for sentence in body.inputs["sentences"]:
        other = set(_words(sentence))
        scores.append(round(len(source & other) / max(1, len(source | other)), 4))
    return Reply.json(scores)


def _table_question_answering(body: _Body) -> Answer:
    table: dict[str, list[str]] = body.inputs["table"]
    query = str(body.inputs["query"]).lower()
    columns = list(table)
    for row in range(len(table[columns[0]])):
        for key_column, cells in table.items():
            if cells[row].lower() not in query:
                continue
            for index, column in enumerate(columns):
                if column != key_column and column.lower() in query:
                    cell = table[column][row]
                    answer = {"answer": cell, "coordinates": [[row, index]], "cells": [cell]}
                    return Reply.json({**answer, "aggregator": "NONE"})
    return Reply.json({"answer": "", "coordinates": [], "cells": [], "aggregator": "NONE"})


def _tabular_classification(body: _Body) -> Answer:
    rows = len(next(iter(body.raw["table"].values())))
    return Reply.json(["5"] * rows)


def _tabular_regression(body: _Body) -> Answer:
    columns = list(body.raw["table"].values())
    means = [sum(float(cell) for cell in row) / len(row) for row in zip(*columns, strict=True)]
    return Reply.json([round(mean, 2) for mean in means])


def _document_question_answering(body: _Body) -> Answer:
    answers = [
        {"answer": "us-001", "score": 0.9837, "start": 16, "end": 16},
        {"answer": "us-001 2019", "score": 0.0052, "start": 16, "end": 17},
    ]
    return Reply.json(answers[: body.top_k(1)])


def _visual_question_answering(body: _Body) -> Answer:
    answers = [{"answer": "cat", "score": 0.9421}, {"answer": "kitten", "score": 0.0318}]
    answers += [{"answer": "dog", "score": 0.0064}]
    return Reply.json(answers[: body.top_k(1)])


# --- audio tasks --------------------------------------------------------------------------------


def _audio_classification(body: _Body) -> Answer:
    labels = ["Speech", "Music", "Silence"]
    return Reply.json(_ranked(labels, [0.9312, 0.0485, 0.0203], body.top_k(3)))


def _audio_to_audio(body: _Body) -> Answer:
    blob = base64.b64encode(body.content()).decode("ascii")
    return Reply.json([{"label": "speech_enhanced", "content-type": "audio/wav", "blob": blob}])


def _automatic_speech_recognition(body: _Body) -> Answer:
    text = "Hello, my name is Clara."
    if not body.parameters.get("return_timestamps"):
        return Reply.json({"text": text})
    chunks = [{"text": " Hello,", "timestamp": [0.0, 0.6]}]
    chunks += [{"text": " my name is Clara.", "timestamp": [0.6, 1.8]}]
    return Reply.json({"text": text, "chunks": chunks})


def _text_to_speech(body: _Body) -> Answer:
    audio = wav_bytes(0.05 * len(str(body.inputs).split()))
    return Reply(200, (("content-type", "audio/wav"),), audio)


# --- vision tasks -------------------------------------------------------------------------------


def _image_classification(body: _Body) -> Answer:
    labels = ["tabby cat", "tiger cat", "Egyptian cat", "lynx", "Persian cat"]
    weights = [0.8613, 0.0921, 0.0352, 0.0071, 0.0043]
    return Reply.json(_ranked(labels, weights, body.top_k(5)))


def _image_segmentation(body: _Body) -> Answer:
    width, height = _png_size(body.content()) or (64, 64)
    mask = base64.b64encode(png_bytes(width, height, (255, 255, 255))).decode("ascii")
    segments: list[dict[str, Any]] = [{"label": "cat", "score": 0.9894, "mask": mask}]
    segments += [{"label": "couch", "score": 0.9102, "mask": mask}]
    threshold = body.parameters.get("threshold") or 0.0
    return Reply.json([segment for segment in segments if segment["score"] >= threshold])


def _object_detection(body: _Body) -> Answer:
    width, height = _png_size(body.content()) or (64, 64)
    cat = {"xmin": 0, "ymin": 0, "xmax": width // 2, "ymax": height // 2}
    remote = {"xmin": width // 2, "ymin": height // 2, "xmax": width - 1, "ymax": height - 1}
    detections: list[dict[str, Any]] = [
        {"score": 0.9982, "label": "cat", "box": cat},
        {"score": 0.7311, "label": "remote", "box": remote},
    ]
    threshold = body.parameters.get("threshold") or 0.5
    return Reply.json([item for item in detections if item["score"] >= threshold])


def _image_to_text(body: _Body) -> Answer:
    return Reply.json([{"generated_text": "a cat sitting on a couch next to a remote"}])


def _zero_shot_image_classification(body: _Body) -> Answer:
    labels = list(body.parameters.get("candidate_labels") or [])
    weights = [2.0 ** -(3 * index) for index in range(len(labels))]
    return Reply.json(_ranked(labels, weights, len(labels)))


def _image_to_image(body: _Body) -> Answer:
    size = body.parameters.get("target_size") or {}
    width, height = _png_size(body.content()) or (64, 64)
    image = png_bytes(size.get("width", width), size.get("height", height), (62, 104, 214))
    return Reply(200, (("content-type", "image/png"),), image)


def _text_to_image(body: _Body) -> Answer:
    width = body.parameters.get("width") or 512
    height = body.parameters.get("height") or 512
    return Reply(200, (("content-type", "image/png"),), png_bytes(width, height))


def _text_to_video(body: _Body) -> Answer:
    frames = int(body.parameters.get("num_frames") or 16)
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isommp41"
    free = struct.pack(">I", 8 + 64 * frames) + b"free" + b"\x00" * (64 * frames)
    return Reply(200, (("content-type", "video/mp4"),), ftyp + free)


# --- text generation and chat -------------------------------------------------------------------

_CANNED = {
    "capital of france": "The capital of France is Paris.",
    "huggingface_hub library is": "a Python library to work with the Hugging Face Hub.",
    "once upon a time": "there was a little robot who wanted to learn how to paint.",
}


def _reply_text(text: str) -> str:
    lowered = text.lower()
    for key, answer in _CANNED.items():
        if key in lowered:
            return answer
    return f"You said: {text}"


def _tokens(text: str, limit: Any) -> list[str]:
    words = text.split(" ")
    tokens = [words[0], *(" " + word for word in words[1:])]
    return tokens[:limit] if isinstance(limit, int) else tokens


def _sse(events: list[Any], *, done: bool) -> StreamReply:
    chunks = [b"data: " + json.dumps(event).encode() + b"\n\n" for event in events]
    return StreamReply([*chunks, b"data: [DONE]\n\n"] if done else chunks)


def _text_generation(body: _Body) -> Answer:
    prompt = str(body.inputs)
    limit = body.parameters.get("max_new_tokens")
    words = _tokens(_reply_text(prompt), limit)
    if prompt and not prompt[-1].isspace():
        words[0] = " " + words[0]
    if body.parameters.get("return_full_text"):
        words[0] = prompt + words[0]
    tokens = [
        {"id": 100 + i, "text": word, "logprob": round(-0.1 * (i + 1), 2), "special": False}
        for i, word in enumerate(words)
    ]
    finish = "length" if isinstance(limit, int) and len(words) >= limit else "eos_token"
    details = {"finish_reason": finish, "generated_tokens": len(tokens), "seed": None}
    if not body.raw.get("stream"):
        out: dict[str, Any] = {"generated_text": "".join(words)}
        if body.parameters.get("details"):
            out["details"] = {**details, "prefill": [], "tokens": tokens}
        return Reply.json([out])
    events: list[Any] = [
        {"index": i + 1, "token": token, "generated_text": None, "details": None}
        for i, token in enumerate(tokens)
    ]
    events[-1]["generated_text"] = "".join(words)
    events[-1]["details"] = {**details, "input_length": len(prompt.split())}
    return _sse(events, done=False)


def _chat(body: dict[str, Any]) -> Answer:
    messages = body.get("messages") or [{}]
    content = messages[-1].get("content", "")
    if isinstance(content, list):  # text and image parts
        content = " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    answer = _reply_text(str(content))
    response_format = body.get("response_format") or {}
    if response_format.get("type") in ("json", "json_object", "json_schema"):
        answer = json.dumps({"answer": answer})
    words = _tokens(answer, body.get("max_tokens"))
    base = {
        "id": "chatcmpl-0001",
        "created": 1735689600,
        "model": body.get("model", "dummy"),
        "system_fingerprint": "fake-3.0.0",
    }
    finish = "length" if len(words) == body.get("max_tokens") else "stop"
    usage = {"prompt_tokens": len(str(content).split()), "completion_tokens": len(words)}
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    if not body.get("stream"):
        message = {"role": "assistant", "content": "".join(words)}
        choice = {"index": 0, "finish_reason": finish, "message": message, "logprobs": None}
        return Reply.json(
            {**base, "object": "chat.completion", "choices": [choice], "usage": usage}
        )
    events: list[Any] = []
    for word in words:
        delta = {"role": "assistant", "content": word}
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}
        events.append({**base, "object": "chat.completion.chunk", "choices": [choice]})
    events[-1]["choices"][0]["finish_reason"] = finish
    if (body.get("stream_options") or {}).get("include_usage"):
        events.append({**base, "object": "chat.completion.chunk", "choices": [], "usage": usage})
    return _sse(events, done=True)


_HANDLERS: dict[str, Callable[[_Body], Answer]] = {
    "audio-classification": _audio_classification,
    "audio-to-audio": _audio_to_audio,
    "automatic-speech-recognition": _automatic_speech_recognition,
    "document-question-answering": _document_question_answering,
    "feature-extraction": _feature_extraction,
    "fill-mask": _fill_mask,
    "image-classification": _image_classification,
    "image-segmentation": _image_segmentation,
    "image-to-image": _image_to_image,
    "image-to-text": _image_to_text,
    "object-detection": _object_detection,
    "question-answering": _question_answering,
    "sentence-similarity": _sentence_similarity,
    "summarization": _summarization,
    "table-question-answering": _table_question_answering,
    "tabular-classification": _tabular_classification,
    "tabular-regression": _tabular_regression,
    "text-classification": _text_classification,
    "text-generation": _text_generation,
    "text-to-image": _text_to_image,
    "text-to-speech": _text_to_speech,
    "text-to-video": _text_to_video,
    "token-classification": _token_classification,
    "translation": _translation,
    "visual-question-answering": _visual_question_answering,
    "zero-shot-classification": _zero_shot_classification,
    "zero-shot-image-classification": _zero_shot_image_classification,
}
