"""Both clients expose every task method with huggingface_hub v0.33.5's signature.

Written from spec/tasks.md §4 (the per-task catalogue): names, order, kinds (positional-or-
keyword vs keyword-only) and defaults. ``self`` is not part of a bound method's signature.
"""

from __future__ import annotations

import inspect

import pytest

from inference_core import AsyncInferenceClient, InferenceClient
from inference_core._calls import CALL_OPTIONS

CALL_OPTION_NAMES = tuple(option.name for option in CALL_OPTIONS)

N = None
KW = "kw"  # marks the start of keyword-only parameters
# Each entry: method -> list of (name, default) with KW between positional and keyword-only.
# A default of inspect.Parameter.empty means "required".
REQ = inspect.Parameter.empty
VAR_KW = "**"

REFERENCE: dict[str, list[object]] = {
    "audio_classification": [
        ("audio", REQ),
        KW,
        ("model", N),
        ("top_k", N),
        ("function_to_apply", N),
    ],
    "audio_to_audio": [("audio", REQ), KW, ("model", N)],
    "automatic_speech_recognition": [("audio", REQ), KW, ("model", N), ("extra_body", N)],
    "chat_completion": [
        ("messages", REQ),
        KW,
        ("model", N),
        ("stream", False),
        ("frequency_penalty", N),
        ("logit_bias", N),
        ("logprobs", N),
        ("max_tokens", N),
        ("n", N),
        ("presence_penalty", N),
        ("response_format", N),
        ("seed", N),
        ("stop", N),
        ("stream_options", N),
        ("temperature", N),
        ("tool_choice", N),
        ("tool_prompt", N),
        ("tools", N),
        ("top_logprobs", N),
        ("top_p", N),
        ("extra_body", N),
    ],
    "document_question_answering": [
        ("image", REQ),
        ("question", REQ),
        KW,
        ("model", N),
        ("doc_stride", N),
        ("handle_impossible_answer", N),
        ("lang", N),
        ("max_answer_len", N),
        ("max_question_len", N),
        ("max_seq_len", N),
        ("top_k", N),
        ("word_boxes", N),
    ],
    "feature_extraction": [
        ("text", REQ),
        KW,
        ("normalize", N),
        ("prompt_name", N),
        ("truncate", N),
        ("truncation_direction", N),
        ("model", N),
    ],
    "fill_mask": [("text", REQ), KW, ("model", N), ("targets", N), ("top_k", N)],
    "image_classification": [
        ("image", REQ),
        KW,
        ("model", N),
        ("function_to_apply", N),
        ("top_k", N),
    ],
    "image_segmentation": [
        ("image", REQ),
        KW,
        ("model", N),
        ("mask_threshold", N),
        ("overlap_mask_area_threshold", N),
        ("subtask", N),
        ("threshold", N),
    ],
    "image_to_image": [
        ("image", REQ),
        ("prompt", N),
        KW,
        ("negative_prompt", N),
        ("num_inference_steps", N),
        ("guidance_scale", N),
        ("model", N),
        ("target_size", N),
        VAR_KW,
    ],
    "image_to_text": [("image", REQ), KW, ("model", N)],
    "object_detection": [("image", REQ), KW, ("model", N), ("threshold", N)],
    "question_answering": [
        ("question", REQ),
        ("context", REQ),
        KW,
        ("model", N),
        ("align_to_words", N),
        ("doc_stride", N),
        ("handle_impossible_answer", N),
        ("max_answer_len", N),
        ("max_question_len", N),
        ("max_seq_len", N),
        ("top_k", N),
    ],
    "sentence_similarity": [("sentence", REQ), ("other_sentences", REQ), KW, ("model", N)],
    "summarization": [
        ("text", REQ),
        KW,
        ("model", N),
        ("clean_up_tokenization_spaces", N),
        ("generate_parameters", N),
        ("truncation", N),
    ],
    "table_question_answering": [
        ("table", REQ),
        ("query", REQ),
        KW,
        ("model", N),
        ("padding", N),
        ("sequential", N),
        ("truncation", N),
    ],
    "tabular_classification": [("table", REQ), KW, ("model", N)],
    "tabular_regression": [("table", REQ), KW, ("model", N)],
    "text_classification": [
        ("text", REQ),
        KW,
        ("model", N),
        ("top_k", N),
        ("function_to_apply", N),
    ],
    "text_generation": [
        ("prompt", REQ),
        KW,
        ("details", False),
        ("stream", False),
        ("model", N),
        ("adapter_id", N),
        ("best_of", N),
        ("decoder_input_details", N),
        ("do_sample", False),
        ("frequency_penalty", N),
        ("grammar", N),
        ("max_new_tokens", N),
        ("repetition_penalty", N),
        ("return_full_text", False),
        ("seed", N),
        ("stop", N),
        ("stop_sequences", N),
        ("temperature", N),
        ("top_k", N),
        ("top_n_tokens", N),
        ("top_p", N),
        ("truncate", N),
        ("typical_p", N),
        ("watermark", N),
    ],
    "text_to_image": [
        ("prompt", REQ),
        KW,
        ("negative_prompt", N),
        ("height", N),
        ("width", N),
        ("num_inference_steps", N),
        ("guidance_scale", N),
        ("model", N),
        ("scheduler", N),
        ("seed", N),
        ("extra_body", N),
    ],
    "text_to_speech": [
        ("text", REQ),
        KW,
        ("model", N),
        ("do_sample", N),
        ("early_stopping", N),
        ("epsilon_cutoff", N),
        ("eta_cutoff", N),
        ("max_length", N),
        ("max_new_tokens", N),
        ("min_length", N),
        ("min_new_tokens", N),
        ("num_beam_groups", N),
        ("num_beams", N),
        ("penalty_alpha", N),
        ("temperature", N),
        ("top_k", N),
        ("top_p", N),
        ("typical_p", N),
        ("use_cache", N),
        ("extra_body", N),
    ],
    "text_to_video": [
        ("prompt", REQ),
        KW,
        ("model", N),
        ("guidance_scale", N),
        ("negative_prompt", N),
        ("num_frames", N),
        ("num_inference_steps", N),
        ("seed", N),
        ("extra_body", N),
    ],
    "token_classification": [
        ("text", REQ),
        KW,
        ("model", N),
        ("aggregation_strategy", N),
        ("ignore_labels", N),
        ("stride", N),
    ],
    "translation": [
        ("text", REQ),
        KW,
        ("model", N),
        ("src_lang", N),
        ("tgt_lang", N),
        ("clean_up_tokenization_spaces", N),
        ("truncation", N),
        ("generate_parameters", N),
    ],
    "visual_question_answering": [
        ("image", REQ),
        ("question", REQ),
        KW,
        ("model", N),
        ("top_k", N),
    ],
    "zero_shot_classification": [
        ("text", REQ),
        ("candidate_labels", REQ),
        KW,
        ("multi_label", False),
        ("hypothesis_template", N),
        ("model", N),
    ],
    "zero_shot_image_classification": [
        ("image", REQ),
        ("candidate_labels", REQ),
        KW,
        ("model", N),
        ("hypothesis_template", N),
        ("labels", N),
    ],
}


def _expected(spec: list[object]) -> list[tuple[str, object, object]]:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    rows: list[tuple[str, object, object]] = []
    for item in spec:
        if item == KW:
            kind = inspect.Parameter.KEYWORD_ONLY
        elif item == VAR_KW:
            rows.append(("kwargs", inspect.Parameter.VAR_KEYWORD, REQ))
        else:
            name, default = item  # type: ignore[misc]
            rows.append((name, kind, default))
    return rows


def _actual(method: object) -> list[tuple[str, object, object]]:
    """The method's parameters without our two call options (checked on their own below)."""
    parameters = inspect.signature(method).parameters.values()  # type: ignore[arg-type]
    return [(p.name, p.kind, p.default) for p in parameters if p.name not in CALL_OPTION_NAMES]


@pytest.mark.parametrize("client_class", [InferenceClient, AsyncInferenceClient])
@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_task_method_has_the_reference_signature(client_class: type, name: str) -> None:
    client = client_class("http://127.0.0.1:9")
    method = getattr(client, name)
    assert _actual(method) == _expected(REFERENCE[name])
    # The reference's parameters, then ours: deadline= and max_retries= (before **kwargs).
    names = [p.name for p in inspect.signature(method).parameters.values()]
    options_at = len(names) - (3 if names[-1] == "kwargs" else 2)
    assert names[options_at : options_at + 2] == list(CALL_OPTION_NAMES)
    assert inspect.iscoroutinefunction(method) is (client_class is AsyncInferenceClient)
    assert method.__doc__, f"{name} has no docstring"


def test_every_reference_task_is_listed() -> None:
    assert len(REFERENCE) == 28
