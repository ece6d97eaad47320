"""The fake Hub: which task each model serves, its provider mapping, and the recommended models.

Strategy: the fake service must know a model's task to answer ``POST /models/<id>`` the way
hf-inference does (the path names no task). A model's task comes, in order, from the models the
caller registered, the recommended models below (what ``GET /api/tasks`` lists, so a call
without a model round-trips), a task id inside the model id (``my-org/fake-text-to-image``),
then a few well-known name patterns (``whisper`` is speech recognition, ``flux`` makes
images...). :func:`guess_task` reads the request body when the model tells nothing.

``GET /api/models/<id>?expand=inferenceProviderMapping`` lists hf-inference first (so the
``auto`` policy lands there), then the registered providers with an adapter for the model's
task, then every other one (so any ``provider=`` reaches the fake), each with the model id as
its provider id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from inference_core.providers import provider_names

from .server import Reply, ServerRequest
from .tasks import TASKS

__all__ = ["RECOMMENDED", "guess_task", "model_info", "model_task", "tasks_answer"]

RECOMMENDED: dict[str, str] = {
    "audio-classification": "MIT/ast-finetuned-audioset-10-10-0.4593",
    "audio-to-audio": "speechbrain/sepformer-wham",
    "automatic-speech-recognition": "openai/whisper-large-v3",
    "conversational": "meta-llama/Llama-3.1-8B-Instruct",
    "document-question-answering": "impira/layoutlm-document-qa",
    "feature-extraction": "intfloat/multilingual-e5-large",
    "fill-mask": "google-bert/bert-base-uncased",
    "image-classification": "google/vit-base-patch16-224",
    "image-segmentation": "nvidia/segformer-b0-finetuned-ade-512-512",
    "image-to-image": "timbrooks/instruct-pix2pix",
    "image-to-text": "Salesforce/blip-image-captioning-large",
    "image-to-video": "Wan-AI/Wan2.1-I2V-14B-480P",
    "object-detection": "facebook/detr-resnet-50",
    "question-answering": "deepset/roberta-base-squad2",
    "sentence-similarity": "sentence-transformers/all-MiniLM-L6-v2",
    "summarization": "facebook/bart-large-cnn",
    "table-question-answering": "google/tapas-base-finetuned-wtq",
    "tabular-classification": "julien-c/wine-quality",
    "tabular-regression": "scikit-learn/Fish-Weight",
    "text-classification": "distilbert/distilbert-base-uncased-finetuned-sst-2-english",
    "text-generation": "openai-community/gpt2",
    "text-to-image": "black-forest-labs/FLUX.1-dev",
    "text-to-speech": "hexgrad/Kokoro-82M",
    "text-to-video": "Wan-AI/Wan2.1-T2V-14B",
    "token-classification": "dslim/bert-base-NER",
    "translation": "Helsinki-NLP/opus-mt-en-fr",
    "visual-question-answering": "dandelin/vilt-b32-finetuned-vqa",
    "zero-shot-classification": "facebook/bart-large-mnli",
    "zero-shot-image-classification": "openai/clip-vit-large-patch14",
}
"""Task id -> the model ``GET /api/tasks`` recommends for it (real Hub ids, for plausibility)."""

_BY_MODEL = {model.lower(): task for task, model in RECOMMENDED.items()}
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"whisper|wav2vec|speech-?recognition", "automatic-speech-recognition"),
    (r"tts|kokoro|bark|speecht5|parler", "text-to-speech"),
    (r"i2v|image-to-video", "image-to-video"),
    (r"video|t2v|ltx|mochi|cogvideo", "text-to-video"),
    (r"flux|stable-diffusion|sdxl|sd-|diffusion|imagen|dall", "text-to-image"),
    (r"pix2pix|img2img|instruct-?pix", "image-to-image"),
    (r"detr|yolo", "object-detection"),
    (r"segformer|mask2former|-seg", "image-segmentation"),
    (r"blip|caption|git-base", "image-to-text"),
    (r"clip|siglip", "zero-shot-image-classification"),
    (r"vilt|vqa", "visual-question-answering"),
    (r"layoutlm|donut", "document-question-answering"),
    (r"\bvit\b|vit-|resnet|convnext", "image-classification"),
    (r"sentence-transformers|minilm|mpnet", "sentence-similarity"),
    (r"e5-|bge-|gte-|embed", "feature-extraction"),
    (r"mnli|zero-shot", "zero-shot-classification"),
    (r"squad|question", "question-answering"),
    (r"tapas|tapex|table", "table-question-answering"),
    (r"-ner|ner-|token-class", "token-classification"),
    (r"sst|sentiment|emotion|classif", "text-classification"),
    (r"bart-large-cnn|pegasus|summar", "summarization"),
    (r"opus-mt|t5|translat|nllb|m2m", "translation"),
    (r"instruct|chat|-it\b|llama|mistral|mixtral|qwen|gemma|phi-|deepseek", "conversational"),
    (r"gpt|opt-|bloom|falcon|pythia", "text-generation"),
    (r"bert|roberta", "fill-mask"),
)


def model_task(model: str, registered: Mapping[str, str] | None = None) -> str | None:
    """The task the fake Hub says ``model`` serves, or None if nothing tells."""
    if registered and model in registered:
        return registered[model]
    lowered = model.lower()
    if lowered in _BY_MODEL:
        return _BY_MODEL[lowered]
    name = lowered.rsplit("/", 1)[-1]
    for task in sorted(TASKS | {"conversational"}, key=len, reverse=True):
        if task in name:
            return task
    for pattern, task in _PATTERNS:
        if re.search(pattern, lowered):
            return task
    return None


def guess_task(request: ServerRequest) -> str:
    """The task a request's body looks like (for a model whose task is unknown)."""
    body = request.body
    if body[:1] not in (b"{", b"["):
        kind = body[:12]
        audio = kind.startswith((b"RIFF", b"fLaC", b"ID3", b"OggS")) or kind[:2] == b"\xff\xfb"
        return "automatic-speech-recognition" if audio else "image-classification"
    try:
        data: Any = json.loads(body)
    except ValueError:
        return "text-generation"
    if not isinstance(data, dict):
        return "feature-extraction"
    if "messages" in data:
        return "conversational"
    inputs, parameters = data.get("inputs"), data.get("parameters") or {}
    if isinstance(inputs, dict):
        keys = set(inputs)
        for wanted, task in (
            ({"question", "context"}, "question-answering"),
            ({"query", "table"}, "table-question-answering"),
            ({"source_sentence"}, "sentence-similarity"),
            ({"data"}, "tabular-classification"),
            ({"image", "question"}, "visual-question-answering"),
        ):
            if wanted <= keys:
                return task
    if isinstance(parameters, dict) and "candidate_labels" in parameters:
        return "zero-shot-classification" if isinstance(inputs, str) else (
            "zero-shot-image-classification"
        )
    if isinstance(inputs, str) and ("[MASK]" in inputs or "<mask>" in inputs):
        return "fill-mask"
    if isinstance(inputs, list):
        return "feature-extraction"
    return "text-generation"


def model_info(model: str, registered: Mapping[str, str] | None = None) -> Reply:
    """``GET /api/models/<id>``: the model's task and its provider mapping."""
    task = model_task(model, registered) or "text-generation"
    from inference_core.providers import get_provider

    def rank(name: str) -> tuple[int, str]:
        tasks = set(get_provider(name).tasks)
        serves = task in tasks or (task == "conversational" and "text-generation" in tasks)
        return (0 if name == "hf-inference" else 1 if serves else 2), name

    serving = sorted(
        (n for n in provider_names() if n == "hf-inference" or get_provider(n).uses_hub_mapping),
        key=rank,
    )
    mapping = {name: {"status": "live", "providerId": model} for name in serving}
    return Reply.json(
        {"id": model, "modelId": model, "pipeline_tag": task, "inferenceProviderMapping": mapping}
    )


def tasks_answer() -> Reply:
    """``GET /api/tasks``: each task with its recommended model."""
    return Reply.json({task: {"id": task, "widgetModels": [m]} for task, m in RECOMMENDED.items()})
