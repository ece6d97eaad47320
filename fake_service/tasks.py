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
import json
import math
import re
import struct
from collections.abc import Callable
from typing import Any

from .generation import chat_answer, reply_text, text_generation
from .media import png_bytes, png_size, wav_bytes
from .server import Reply, ServerRequest, StreamReply

__all__ = [
    "TASKS",
    "answer_task",
    "chat_answer",
    "embedding",
    "model_url",
    "png_bytes",
    "reply_text",
    "task_handler",
    "wav_bytes",
]

Answer = Reply | StreamReply


def model_url(server_url: str, method: str) -> str:
    """The URL standing for a model that serves ``method`` (``"fill_mask"``) on the server."""
    return f"{server_url}/{method.replace('_', '-')}"


def task_handler(request: ServerRequest) -> Answer:
    """Answer one request as a model serving the task its path names would."""
    path = request.target.split("?", 1)[0]
    task = path.strip("/").split("/", 1)[0]
    if path.rstrip("/").endswith("/chat/completions"):
        return chat_answer(request.json())
    handler = _HANDLERS.get(task)
    if handler is None:
        return Reply.json({"error": f"Model {task} does not exist"}, status=404)
    return handler(_Body(request))


def answer_task(task: str, request: ServerRequest) -> Answer | None:
    """Answer ``request`` as a model serving ``task`` (a Hub task id, ``"fill-mask"``) would;
    None for a task this module does not know. ``"conversational"`` is the chat route."""
    if task == "conversational":
        return chat_answer(request.json())
    handler = _HANDLERS.get(task)
    return None if handler is None else handler(_Body(request))


def embedding(text: str, normalize: Any = False) -> list[float]:
    """The fake 384-dimension embedding of ``text`` (deterministic, from its hash)."""
    return _embedding(text, normalize)


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
    width, height = png_size(body.content()) or (64, 64)
    mask = base64.b64encode(png_bytes(width, height, (255, 255, 255))).decode("ascii")
    segments: list[dict[str, Any]] = [{"label": "cat", "score": 0.9894, "mask": mask}]
    segments += [{"label": "couch", "score": 0.9102, "mask": mask}]
    threshold = body.parameters.get("threshold") or 0.0
    return Reply.json([segment for segment in segments if segment["score"] >= threshold])


def _object_detection(body: _Body) -> Answer:
    width, height = png_size(body.content()) or (64, 64)
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
    width, height = png_size(body.content()) or (64, 64)
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


def _image_to_video(body: _Body) -> Answer:
    return _text_to_video(body)


def _text_generation(body: _Body) -> Answer:
    return text_generation(str(body.inputs), body.parameters, stream=bool(body.raw.get("stream")))


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
    "image-to-video": _image_to_video,
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

TASKS = frozenset(_HANDLERS)
"""Every Hub task id the hf-inference fake answers (``"conversational"`` is served by chat)."""
