"""Text tasks: fill_mask, question_answering, summarization, text_classification,
token_classification, translation, zero_shot_classification.

Requests are checked against spec tasks.md §9 (rows 7, 13, 15, 19, 24, 25, 27), responses
against its fixtures and realistic server payloads. Every test runs on the sync client and on
the async client under asyncio and trio (the ``run_task`` fixture).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from inference_core import (
    FillMaskOutputElement,
    HfHubHTTPError,
    ProviderError,
    QuestionAnsweringOutputElement,
    Request,
    RequestError,
    Response,
    SummarizationOutput,
    TextClassificationOutputElement,
    TokenClassificationOutputElement,
    TranslationOutput,
    ZeroShotClassificationOutputElement,
)

from ._support import ROUTER, Handler, TaskRunner, body_json, bytes_reply, json_reply

M = "acme/model"
URL = f"{ROUTER}/{M}"


def assert_json_post(request: Request, url: str, body: Any) -> None:
    """The request is a JSON POST to ``url`` with the test token and exactly ``body``."""
    assert request.method == "POST"
    assert request.url == url
    assert request.header("authorization") == "Bearer hf_test"
    assert request.header("content-type") == "application/json"
    assert request.header("accept") is None
    assert body_json(request) == body


class Recorder:
    """A handler that records every request it gets (to prove that none was sent)."""

    def __init__(self, reply: Handler | None = None) -> None:
        self.requests: list[Request] = []
        self._reply = reply or json_reply([])

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        return self._reply(request)


# --- fill_mask ----------------------------------------------------------------------------------

FILL_MASK = [
    {"score": 0.82, "token": 3007, "token_str": "capital", "sequence": "paris is the capital."},
    {"score": 0.05, "token": 2803, "token_str": "center", "sequence": "paris is the center."},
    {"score": 0.02, "token": 2540, "token_str": "heart", "sequence": "paris is the heart."},
]


def test_fill_mask_request_and_response(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(FILL_MASK), "fill_mask", "Paris is the [MASK] of France.", model=M, top_k=3
    )
    (request,) = call.requests
    assert_json_post(
        request, URL, {"inputs": "Paris is the [MASK] of France.", "parameters": {"top_k": 3}}
    )
    assert [type(x) for x in call.result] == [FillMaskOutputElement] * 3
    first = call.result[0]
    assert (first.score, first.token, first.token_str) == (0.82, 3007, "capital")
    assert first.sequence == "paris is the capital."
    assert first.fill_mask_output_token_str is None
    assert [x.token_str for x in call.result] == ["capital", "center", "heart"]


def test_fill_mask_targets_and_several_masks(run_task: TaskRunner) -> None:
    reply = [[FILL_MASK[0]], [FILL_MASK[1], FILL_MASK[2]]]
    call = run_task(
        json_reply(reply), "fill_mask", "[MASK] is the [MASK].", model=M, targets=["capital"]
    )
    assert body_json(call.requests[0]) == {
        "inputs": "[MASK] is the [MASK].",
        "parameters": {"targets": ["capital"]},
    }
    assert [[x.token_str for x in per_mask] for per_mask in call.result] == [
        ["capital"],
        ["center", "heart"],
    ]


def test_fill_mask_url_model_is_posted_verbatim(run_task: TaskRunner) -> None:
    call = run_task(json_reply(FILL_MASK), "fill_mask", "a [MASK]", model="https://ep.example/")
    assert_json_post(
        call.requests[0], "https://ep.example/", {"inputs": "a [MASK]", "parameters": {}}
    )


def test_client_model_and_recommended_model(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(FILL_MASK), "fill_mask", "a [MASK]", client={"model": "http://localhost:8080"}
    )
    assert [r.url for r in call.requests] == ["http://localhost:8080"]

    def hub_or_model(request: Request) -> Response:
        if request.url.endswith("/api/tasks"):
            return json_reply({"fill-mask": {"widgetModels": ["org/bert"]}})(request)
        return json_reply(FILL_MASK)(request)

    call = run_task(hub_or_model, "fill_mask", "a [MASK]")
    hub, post = call.requests
    assert (hub.method, hub.url) == ("GET", "https://huggingface.co/api/tasks")
    assert_json_post(post, f"{ROUTER}/org/bert", {"inputs": "a [MASK]", "parameters": {}})
    assert call.result[0].token_str == "capital"


# --- question_answering -------------------------------------------------------------------------

ANSWER = {"answer": "Clara", "score": 0.97, "start": 0, "end": 5}


def test_question_answering_object_gives_one_element(run_task: TaskRunner) -> None:
    call = run_task(json_reply(ANSWER), "question_answering", "Who?", "Clara lives here.", model=M)
    assert_json_post(
        call.requests[0],
        URL,
        {"inputs": {"question": "Who?", "context": "Clara lives here."}, "parameters": {}},
    )
    assert list(body_json(call.requests[0])["inputs"]) == ["question", "context"]
    assert call.result == QuestionAnsweringOutputElement(answer="Clara", end=5, score=0.97, start=0)


def test_question_answering_array_gives_a_list(run_task: TaskRunner) -> None:
    reply = [ANSWER, {"answer": "here", "score": 0.01, "start": 12, "end": 16}]
    call = run_task(
        json_reply(reply),
        "question_answering",
        question="Who?",
        context="Clara lives here.",
        model=M,
        align_to_words=False,
        doc_stride=64,
        handle_impossible_answer=True,
        max_answer_len=10,
        max_question_len=32,
        max_seq_len=256,
        top_k=2,
    )
    assert body_json(call.requests[0])["parameters"] == {
        "align_to_words": False,
        "doc_stride": 64,
        "handle_impossible_answer": True,
        "max_answer_len": 10,
        "max_question_len": 32,
        "max_seq_len": 256,
        "top_k": 2,
    }
    assert [(a.answer, a.start, a.end) for a in call.result] == [("Clara", 0, 5), ("here", 12, 16)]
    # A one-element array stays a list: the server's shape decides, not top_k.
    call = run_task(json_reply([ANSWER]), "question_answering", "Who?", "Clara.", model=M)
    assert call.result == [ANSWER]


@pytest.mark.parametrize(
    ("question", "context", "message"),
    [
        ("", "Clara lives here.", "`question` is empty"),
        ("Who?", "  ", "`context` is empty"),
        ("Who?", None, "`context` must be a str, got NoneType"),
        (["Who?"], "Clara lives here.", "`question` must be a str, got list"),
    ],
)
def test_question_answering_bad_input_sends_nothing(
    run_task: TaskRunner, question: Any, context: Any, message: str
) -> None:
    handler = Recorder(json_reply(ANSWER))
    with pytest.raises(RequestError, match=message):
        run_task(handler, "question_answering", question, context, model=M)
    assert handler.requests == []


# --- summarization ------------------------------------------------------------------------------


def test_summarization_request_and_array_response(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply([{"summary_text": "Short."}]), "summarization", "Long text.", model=M
    )
    assert_json_post(call.requests[0], URL, {"inputs": "Long text.", "parameters": {}})
    assert isinstance(call.result, SummarizationOutput)
    assert call.result.summary_text == "Short."


def test_summarization_parameters_and_object_response(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply({"summary_text": "Short."}),
        "summarization",
        "Long text.",
        model=M,
        clean_up_tokenization_spaces=True,
        generate_parameters={"max_length": 20, "num_beams": None},
        truncation="only_first",
    )
    assert body_json(call.requests[0])["parameters"] == {
        "clean_up_tokenization_spaces": True,
        "generate_parameters": {"max_length": 20},
        "truncation": "only_first",
    }
    assert call.result == SummarizationOutput(summary_text="Short.")


def test_summarization_empty_array_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="SummarizationOutput: an empty array"):
        run_task(json_reply([]), "summarization", "Long text.", model=M)


# --- text_classification ------------------------------------------------------------------------

LABELS = [{"label": "POS", "score": 0.9}, {"label": "NEG", "score": 0.1}]


def test_text_classification_nested_response(run_task: TaskRunner) -> None:
    call = run_task(json_reply([LABELS]), "text_classification", "I like you", model=M)
    assert_json_post(call.requests[0], URL, {"inputs": "I like you", "parameters": {}})
    assert call.result == [
        TextClassificationOutputElement(label="POS", score=0.9),
        TextClassificationOutputElement(label="NEG", score=0.1),
    ]


def test_text_classification_flat_response_gives_the_whole_list(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(LABELS),
        "text_classification",
        "I like you",
        model=M,
        top_k=2,
        function_to_apply="softmax",
    )
    assert body_json(call.requests[0])["parameters"] == {"function_to_apply": "softmax", "top_k": 2}
    assert [(x.label, x.score) for x in call.result] == [("POS", 0.9), ("NEG", 0.1)]


def test_text_classification_keeps_extra_keys_and_reads_like_a_dict(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply([[{"label": "POS", "score": 1, "index": 0}]]),
        "text_classification",
        "x",
        model=M,
    )
    (element,) = call.result
    assert element.score == 1 and isinstance(element.score, int)  # kept as sent
    assert element["label"] == "POS"
    assert element["index"] == 0
    assert element.to_dict() == {"label": "POS", "score": 1, "index": 0}


def test_text_classification_object_response_is_a_provider_error(run_task: TaskRunner) -> None:
    with pytest.raises(ProviderError, match="expected an array"):
        run_task(json_reply({"label": "POS"}), "text_classification", "I like you", model=M)


# --- token_classification -----------------------------------------------------------------------

ENTITIES = [
    {"entity_group": "PER", "score": 0.998, "word": "Sarah", "start": 0, "end": 5},
    {"entity_group": "LOC", "score": 0.999, "word": "Paris", "start": 15, "end": 20},
]


def test_token_classification_request_and_response(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply(ENTITIES),
        "token_classification",
        "Sarah lives in Paris",
        model=M,
        aggregation_strategy="simple",
    )
    assert_json_post(
        call.requests[0],
        URL,
        {"inputs": "Sarah lives in Paris", "parameters": {"aggregation_strategy": "simple"}},
    )
    assert call.result == [
        TokenClassificationOutputElement(
            end=5, score=0.998, start=0, word="Sarah", entity_group="PER"
        ),
        TokenClassificationOutputElement(
            end=20, score=0.999, start=15, word="Paris", entity_group="LOC"
        ),
    ]
    assert call.result[0].entity is None


def test_token_classification_parameters_and_unaggregated_entities(run_task: TaskRunner) -> None:
    reply = [{"entity": "B-PER", "score": 0.99, "index": 1, "word": "Sarah", "start": 0, "end": 5}]
    call = run_task(
        json_reply(reply),
        "token_classification",
        "Sarah lives in Paris",
        model=M,
        ignore_labels=["O"],
        stride=16,
    )
    assert body_json(call.requests[0])["parameters"] == {"ignore_labels": ["O"], "stride": 16}
    (entity,) = call.result
    assert (entity.entity, entity.entity_group, entity["index"]) == ("B-PER", None, 1)


# --- translation --------------------------------------------------------------------------------


def test_translation_request_and_array_response(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply([{"translation_text": "Bonjour"}]),
        "translation",
        "Hello",
        model=M,
        src_lang="en_XX",
        tgt_lang="fr_XX",
    )
    assert_json_post(
        call.requests[0],
        URL,
        {"inputs": "Hello", "parameters": {"src_lang": "en_XX", "tgt_lang": "fr_XX"}},
    )
    assert isinstance(call.result, TranslationOutput)
    assert call.result.translation_text == "Bonjour"


def test_translation_parameters_and_object_response(run_task: TaskRunner) -> None:
    call = run_task(
        json_reply({"translation_text": "Bonjour"}),
        "translation",
        "Hello",
        model=M,
        clean_up_tokenization_spaces=False,
        truncation="longest_first",
        generate_parameters={"num_beams": 4},
    )
    assert body_json(call.requests[0])["parameters"] == {
        "clean_up_tokenization_spaces": False,
        "truncation": "longest_first",
        "generate_parameters": {"num_beams": 4},
    }
    assert call.result == TranslationOutput(translation_text="Bonjour")


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ({"src_lang": "en_XX"}, "`src_lang` is given without `tgt_lang`"),
        ({"tgt_lang": "fr_XX"}, "`tgt_lang` is given without `src_lang`"),
    ],
)
def test_translation_needs_both_languages(
    run_task: TaskRunner, languages: dict[str, str], message: str
) -> None:
    handler = Recorder()
    with pytest.raises(RequestError, match=message):
        run_task(handler, "translation", "Hello", model=M, **languages)
    assert handler.requests == []


# --- zero_shot_classification -------------------------------------------------------------------


def test_zero_shot_classification_request_and_zipped_response(run_task: TaskRunner) -> None:
    reply = {"sequence": "t", "labels": ["b", "a"], "scores": [0.7, 0.3]}
    call = run_task(
        json_reply(reply), "zero_shot_classification", "I love it", ["pos", "neg"], model=M
    )
    assert_json_post(
        call.requests[0],
        URL,
        {
            "inputs": "I love it",
            "parameters": {"candidate_labels": ["pos", "neg"], "multi_label": False},
        },
    )
    assert call.result == [
        ZeroShotClassificationOutputElement(label="b", score=0.7),
        ZeroShotClassificationOutputElement(label="a", score=0.3),
    ]


def test_zero_shot_classification_options_and_list_response(run_task: TaskRunner) -> None:
    reply = [{"label": "sports", "score": 0.95}, {"label": "politics", "score": 0.4}]
    call = run_task(
        json_reply(reply),
        "zero_shot_classification",
        text="The match ended 2-1.",
        candidate_labels=("sports", "politics"),
        multi_label=True,
        hypothesis_template="This text is about {}.",
        model=M,
    )
    assert body_json(call.requests[0])["parameters"] == {
        "candidate_labels": ["sports", "politics"],
        "multi_label": True,
        "hypothesis_template": "This text is about {}.",
    }
    assert [(x.label, x.score) for x in call.result] == [("sports", 0.95), ("politics", 0.4)]


def test_zero_shot_classification_mismatched_answer_is_a_provider_error(
    run_task: TaskRunner,
) -> None:
    reply = json_reply({"labels": ["a", "b"], "scores": [0.7]})
    with pytest.raises(ProviderError, match="`labels` and `scores`"):
        run_task(reply, "zero_shot_classification", "I love it", ["a", "b"], model=M)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([], "`candidate_labels` is empty"),
        ("pos,neg", "must be a list of strings, got str"),
        (None, "must be a list of strings, got NoneType"),
        (["pos", 3], "must hold non-empty strings, got 3"),
        (["pos", ""], "must hold non-empty strings, got ''"),
    ],
)
def test_zero_shot_classification_bad_labels_send_nothing(
    run_task: TaskRunner, labels: Any, message: str
) -> None:
    handler = Recorder()
    with pytest.raises(RequestError, match=message):
        run_task(handler, "zero_shot_classification", "I love it", labels, model=M)
    assert handler.requests == []


# --- every text task ----------------------------------------------------------------------------

# (method, extra positional arguments after the text, a valid answer)
TASKS: list[tuple[str, tuple[Any, ...], Any]] = [
    ("fill_mask", (), FILL_MASK),
    ("summarization", (), [{"summary_text": "s"}]),
    ("text_classification", (), [LABELS]),
    ("token_classification", (), ENTITIES),
    ("translation", (), [{"translation_text": "t"}]),
    ("zero_shot_classification", (["a", "b"],), {"labels": ["a"], "scores": [1.0]}),
]
TASK_IDS = [task[0] for task in TASKS]


@pytest.mark.parametrize(("method", "extra", "reply"), TASKS, ids=TASK_IDS)
@pytest.mark.parametrize("text", [42, b"bytes", None, "", "   "])
def test_bad_text_sends_nothing(
    run_task: TaskRunner, method: str, extra: tuple[Any, ...], reply: Any, text: Any
) -> None:
    handler = Recorder(json_reply(reply))
    with pytest.raises(RequestError, match="`text`"):
        run_task(handler, method, text, *extra, model=M)
    assert handler.requests == []


@pytest.mark.parametrize(
    ("method", "extra", "reply"),
    [*TASKS, ("question_answering", ("c",), ANSWER)],
    ids=[*TASK_IDS, "question_answering"],
)
def test_unknown_keyword_is_a_type_error(
    run_task: TaskRunner, method: str, extra: tuple[Any, ...], reply: Any
) -> None:
    handler = Recorder(json_reply(reply))
    with pytest.raises(TypeError, match="parameters"):
        run_task(handler, method, "text", *extra, model=M, parameters={"top_k": 1})
    assert handler.requests == []


@pytest.mark.parametrize(("method", "extra", "reply"), TASKS, ids=TASK_IDS)
def test_url_model_is_posted_verbatim(
    run_task: TaskRunner, method: str, extra: tuple[Any, ...], reply: Any
) -> None:
    call = run_task(json_reply(reply), method, "text", *extra, model="http://localhost:8080/x/")
    assert [(r.method, r.url) for r in call.requests] == [("POST", "http://localhost:8080/x/")]
    assert body_json(call.requests[0])["inputs"] == "text"


@pytest.mark.parametrize(("method", "extra", "reply"), TASKS, ids=TASK_IDS)
def test_error_status_and_non_json_answer(
    run_task: TaskRunner, method: str, extra: tuple[Any, ...], reply: Any
) -> None:
    busy = json_reply({"error": "Model too busy", "error_type": "overloaded"}, status=503)
    with pytest.raises(HfHubHTTPError) as info:
        run_task(busy, method, "text", *extra, model=M)
    assert info.value.status == 503
    assert "Model too busy" in str(info.value)
    with pytest.raises(ProviderError, match="not JSON: '<html>oops'"):
        run_task(bytes_reply(b"<html>oops", "text/html"), method, "text", *extra, model=M)


def test_types_compare_with_plain_dicts_and_serialize() -> None:
    element = ZeroShotClassificationOutputElement(label="a", score=0.5)
    assert element == {"label": "a", "score": 0.5}
    assert json.loads(json.dumps(element.to_dict())) == {"label": "a", "score": 0.5}
    assert TokenClassificationOutputElement(word="x").to_dict() == {
        "end": None,
        "score": None,
        "start": None,
        "word": "x",
        "entity": None,
        "entity_group": None,
    }
