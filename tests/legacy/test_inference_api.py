"""The legacy ``InferenceApi`` (spec client.md §7, headers §8): construction rules, the payload,
decoding, lifetime, then huggingface_hub's own test cases over real loopback sockets.

The first part runs on ``MockTransport`` (a fake Hub and inference API in one handler); the last
part starts a fake Hub and a fake inference API as two ``LoopbackServer`` s and points
``HF_ENDPOINT`` / ``HF_INFERENCE_ENDPOINT`` at them, with the default transport.
"""

from __future__ import annotations

import gc
import io
import json
import logging
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PIL import Image

import transports
from fake_service.server import LoopbackServer, Reply, ServerRequest
from inference_core import (
    ConnectError,
    HfHubHTTPError,
    RemoteProtocolError,
    RepositoryNotFoundError,
    Request,
    RequestError,
    Response,
)
from inference_core._http_response import HTTPResponse
from inference_core.transport import USER_AGENT
from legacy import ALL_TASKS, InferenceApi
from transports import MockTransport

HUB = "https://huggingface.co"
INFERENCE = "https://api-inference.huggingface.co"
DEPRECATED = r".*'legacy.inference_api'.*"
OPTIONS = {"wait_for_model": True, "use_gpu": False}
JSON = (("content-type", "application/json"),)

Handler = Callable[[Request], Response]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """No real token, endpoint or token file leaks into a test."""
    for name in (
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "HF_ENDPOINT",
        "HF_INFERENCE_ENDPOINT",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "no-token"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))


def json_response(
    obj: Any, status: int = 200, content_type: str = "application/json", *extra: tuple[str, str]
) -> Response:
    return Response(status, (("content-type", content_type), *extra), json.dumps(obj).encode())


NOT_FOUND = {"error": "Repository not found"}
REPO_NOT_FOUND = ("x-error-code", "RepoNotFound")


def fake_api(
    tags: dict[str, str | None] | None = None, answer: Handler | None = None
) -> MockTransport:
    """A MockTransport serving the Hub's model info (``tags``: repo id -> pipeline_tag; unknown
    ids get a 404) and answering every other request with ``answer``."""
    known = {"bert-base-uncased": "fill-mask"} if tags is None else tags

    def handler(request: Request) -> Response:
        prefix = f"{HUB}/api/models/"
        if request.url.startswith(prefix):
            repo_id = request.url[len(prefix) :]
            if repo_id not in known:
                return json_response(NOT_FOUND, 404, "application/json", REPO_NOT_FOUND)
            info: dict[str, Any] = {"id": repo_id}
            if known[repo_id] is not None:
                info["pipeline_tag"] = known[repo_id]
            return json_response(info)
        if answer is None:
            return json_response([{"sequence": "ok", "score": 0.5}])
        return answer(request)

    return MockTransport(handler)


def build(*args: Any, **kwargs: Any) -> InferenceApi:
    """Construct, asserting the deprecation warning every construction raises."""
    with pytest.warns(FutureWarning, match=DEPRECATED):
        return InferenceApi(*args, **kwargs)


def jpeg_bytes(size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()


# --- construction ---------------------------------------------------------------------------


def test_repr_attributes_and_hub_lookup() -> None:
    transport = fake_api()
    api = build("bert-base-uncased", transport=transport)
    url = f"{INFERENCE}/pipeline/fill-mask/bert-base-uncased"
    assert repr(api) == (
        f"InferenceAPI(api_url='{url}', task='fill-mask',"
        " options={'wait_for_model': True, 'use_gpu': False})"
    )
    assert (api.api_url, api.task, api.options) == (url, "fill-mask", OPTIONS)
    [lookup] = transport.requests
    assert (lookup.method, lookup.url, lookup.body) == (
        "GET",
        f"{HUB}/api/models/bert-base-uncased",
        None,
    )
    assert lookup.headers == (("user-agent", USER_AGENT),)


def test_gpu_and_positional_arguments() -> None:
    api = build("bert-base-uncased", "fill-mask", "hf_abc", True, transport=fake_api())
    assert api.options == {"wait_for_model": True, "use_gpu": True}
    assert "use_gpu': True" in repr(api)
    assert api.headers["authorization"] == "Bearer hf_abc"


@pytest.mark.parametrize(
    "repo_id",
    ["a/b/c", "a--b", "org/a..b", "model.git", "x" * 97, "", "has space", "https://host/m", 12],
)
def test_invalid_repo_id_raises_first(repo_id: Any) -> None:
    transport = fake_api()
    # No FutureWarning either: filterwarnings=error would turn it into the raised error.
    with pytest.raises(RequestError, match="Invalid repo_id") as caught:
        InferenceApi(repo_id, task="not-a-task", token=12, transport=transport)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert transport.requests == []


@pytest.mark.parametrize("repo_id", ["gpt2", "org/name", "a" * 96, "Org_1/model-v1.5"])
def test_valid_repo_ids(repo_id: str) -> None:
    api = build(repo_id, transport=fake_api({repo_id: "fill-mask"}))
    assert api.api_url == f"{INFERENCE}/pipeline/fill-mask/{repo_id}"


def test_deprecation_warning_names_our_module_and_points_at_the_caller() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        InferenceApi("bert-base-uncased", transport=fake_api())
    [warning] = caught
    assert warning.category is FutureWarning
    message = str(warning.message)
    assert message.startswith(
        "'InferenceApi' (from 'legacy.inference_api') is deprecated and will be removed from"
        " version '1.0'."
    )
    assert "inference_core.InferenceClient" in message
    assert warning.filename == __file__


def test_use_auth_token_is_the_old_name_of_token() -> None:
    transport = fake_api()
    api = build("bert-base-uncased", use_auth_token="hf_old", transport=transport)
    assert api.headers["authorization"] == "Bearer hf_old"
    assert transport.requests[0].header("authorization") == "Bearer hf_old"


def test_token_wins_over_use_auth_token_with_a_warning() -> None:
    with pytest.warns(UserWarning, match="Both `token` and `use_auth_token`"):
        api = build(
            "bert-base-uncased", token="hf_new", use_auth_token="hf_old", transport=fake_api()
        )
    assert api.headers["authorization"] == "Bearer hf_new"


SAVED = {"HF_TOKEN": "hf_saved"}
NO_IMPLICIT = {"HF_HUB_DISABLE_IMPLICIT_TOKEN": "1"}


@pytest.mark.parametrize(
    ("token", "environ", "call_auth", "hub_auth"),
    [
        ("hf_given", {}, "Bearer hf_given", "Bearer hf_given"),
        ("sk-other", {}, "Bearer sk-other", None),  # Hub lookups send only hf_ tokens
        (False, SAVED, None, None),
        (None, SAVED, "Bearer hf_saved", "Bearer hf_saved"),
        (None, {"HUGGING_FACE_HUB_TOKEN": "hf_older"}, "Bearer hf_older", "Bearer hf_older"),
        (None, {}, None, None),
        (None, {**SAVED, **NO_IMPLICIT}, None, None),
        ("hf_given", {**SAVED, **NO_IMPLICIT}, "Bearer hf_given", "Bearer hf_given"),
        (True, {**SAVED, **NO_IMPLICIT}, "Bearer hf_saved", "Bearer hf_saved"),
        ("", SAVED, None, None),  # an empty token sends none (the reference sent "Bearer ")
    ],
)
def test_token_rules(
    monkeypatch: pytest.MonkeyPatch,
    token: Any,
    environ: dict[str, str],
    call_auth: str | None,
    hub_auth: str | None,
) -> None:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    transport = fake_api()
    api = build("bert-base-uncased", token=token, transport=transport)
    api("Hello [MASK]")
    lookup, inference = transport.requests
    assert lookup.header("authorization") == hub_auth
    assert inference.header("authorization") == call_auth
    assert api.headers.get("authorization") == call_auth
    assert api.headers["user-agent"] == USER_AGENT


def test_saved_token_file_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    (tmp_path / "token").write_text("hf_from_file\n")
    monkeypatch.setenv("HF_TOKEN_PATH", str(tmp_path / "token"))
    api = build("bert-base-uncased", transport=fake_api())
    assert api.headers["authorization"] == "Bearer hf_from_file"


def test_token_true_without_a_saved_token_raises_before_any_request() -> None:
    transport = fake_api()
    with (
        pytest.warns(FutureWarning, match=DEPRECATED),
        pytest.raises(RequestError, match="token=True"),
    ):
        InferenceApi("bert-base-uncased", token=True, transport=transport)
    assert transport.requests == []


def test_token_of_another_type_is_refused() -> None:
    with pytest.warns(FutureWarning, match=DEPRECATED), pytest.raises(RequestError, match="int"):
        InferenceApi("bert-base-uncased", token=3, transport=fake_api())  # type: ignore[arg-type]


def test_headers_are_built_once_and_read_at_each_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_first")
    transport = fake_api()
    api = build("bert-base-uncased", transport=transport)
    monkeypatch.setenv("HF_TOKEN", "hf_second")
    api("a")
    assert transport.requests[-1].header("authorization") == "Bearer hf_first"
    api.headers["X-Extra"] = "1"
    api.options["use_gpu"] = True
    api("b")
    sent = transport.requests[-1]
    assert sent.header("x-extra") == "1"
    assert json.loads(sent.body or b"")["options"] == {"wait_for_model": True, "use_gpu": True}


def test_endpoints_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://hub.test/")
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", "http://inference.test/")
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.url)
        return json_response({"pipeline_tag": "fill-mask"})

    api = build("org/name", transport=MockTransport(handler))
    assert seen == ["http://hub.test/api/models/org/name"]
    assert api.api_url == "http://inference.test/pipeline/fill-mask/org/name"


def test_the_hub_lookup_follows_redirects_and_the_url_keeps_the_given_id() -> None:
    def handler(request: Request) -> Response:
        if request.url == f"{HUB}/api/models/old-org/model":
            return Response(307, (("location", "/api/models/new-org/model"),))
        assert request.url == f"{HUB}/api/models/new-org/model"
        return json_response({"id": "new-org/model", "pipeline_tag": "summarization"})

    transport = MockTransport(handler)
    api = build("old-org/model", token="hf_t", transport=transport)
    assert api.api_url == f"{INFERENCE}/pipeline/summarization/old-org/model"
    assert [r.header("authorization") for r in transport.requests] == ["Bearer hf_t"] * 2


def test_a_hub_error_propagates_from_the_constructor() -> None:
    transport = fake_api()
    with pytest.warns(FutureWarning, match=DEPRECATED), pytest.raises(HfHubHTTPError) as caught:
        InferenceApi("org/missing", transport=transport)
    assert isinstance(caught.value, RepositoryNotFoundError)
    assert caught.value.status == 404
    assert "repository not found" in str(caught.value).lower()
    assert not transport.closed  # the caller's transport stays open


def test_all_tasks() -> None:
    assert len(ALL_TASKS) == len(set(ALL_TASKS)) == 25
    assert {
        "fill-mask",
        "conversational",
        "text2text-generation",
        "voice-activity-detection",
    } <= set(ALL_TASKS)
    assert "image-to-text" not in ALL_TASKS


@pytest.mark.parametrize(
    ("task", "tag", "expected", "logged"),
    [
        (None, "fill-mask", "fill-mask", False),
        (None, "custom-pipeline", "custom-pipeline", False),  # the Hub's tag is not checked
        ("fill-mask", "fill-mask", "fill-mask", False),
        ("custom-pipeline", "custom-pipeline", "custom-pipeline", False),
        ("feature-extraction", "fill-mask", "feature-extraction", True),
        ("feature-extraction", None, "feature-extraction", True),
    ],
)
def test_task_choice(
    caplog: pytest.LogCaptureFixture, task: str | None, tag: str | None, expected: str, logged: bool
) -> None:
    transport = fake_api({"org/model": tag})
    with caplog.at_level(logging.WARNING, logger="legacy.inference_api"):
        api = build("org/model", task=task, transport=transport)
    assert api.task == expected
    assert api.api_url == f"{INFERENCE}/pipeline/{expected}/org/model"
    assert len(transport.requests) == 1  # the Hub is asked even when a task is given
    records = [r for r in caplog.records if r.name == "legacy.inference_api"]
    assert len(records) == int(logged)
    if logged:
        assert records[0].levelno == logging.WARNING
        assert "different task" in records[0].getMessage()


@pytest.mark.parametrize(
    ("task", "tag", "match"),
    [
        ("invalid-task", "fill-mask", r"^Invalid task invalid-task\. Make sure it's valid\.$"),
        ("custom-pipeline", None, r"^Invalid task custom-pipeline\. Make sure it's valid\.$"),
        (None, None, "Task not specified in the repository.*pipeline_tag"),
    ],
)
def test_task_errors(task: str | None, tag: str | None, match: str) -> None:
    with (
        pytest.warns(FutureWarning, match=DEPRECATED),
        pytest.raises(ValueError, match=match) as caught,
    ):
        InferenceApi("org/model", task=task, transport=fake_api({"org/model": tag}))
    assert isinstance(caught.value, RequestError)


# --- the call -------------------------------------------------------------------------------


def test_call_payload_and_wire() -> None:
    transport = fake_api()
    api = build("bert-base-uncased", token="hf_t", transport=transport)
    assert api("The [MASK] sat.", params={"top_k": 2}) == [{"sequence": "ok", "score": 0.5}]
    sent = transport.requests[-1]
    assert (sent.method, sent.url) == ("POST", api.api_url)
    assert sent.headers == (
        ("user-agent", USER_AGENT),
        ("authorization", "Bearer hf_t"),
        ("content-type", "application/json"),
    )
    payload = json.loads(sent.body or b"")
    assert list(payload) == ["options", "inputs", "parameters"]
    assert payload == {"options": OPTIONS, "inputs": "The [MASK] sat.", "parameters": {"top_k": 2}}


@pytest.mark.parametrize("inputs", [None, "", [], {}, 0])
@pytest.mark.parametrize("params", [None, {}])
def test_falsy_inputs_and_params_are_left_out(inputs: Any, params: Any) -> None:
    transport = fake_api()
    build("bert-base-uncased", transport=transport)(inputs, params=params)
    assert json.loads(transport.requests[-1].body or b"") == {"options": OPTIONS}


def test_structured_inputs_are_sent_as_json() -> None:
    transport = fake_api()
    inputs = {"question": "Who?", "context": "Me. ü"}
    build("bert-base-uncased", transport=transport)(inputs=inputs)
    assert json.loads(transport.requests[-1].body or b"")["inputs"] == inputs


@pytest.mark.parametrize(
    ("data", "body"),
    [
        (b"\x00RIFF raw", b"\x00RIFF raw"),
        (bytearray(b"abc"), b"abc"),
        ("text é", "text é".encode()),
        (io.BytesIO(b"from a file"), b"from a file"),
    ],
)
def test_data_is_sent_raw_and_drops_the_json_payload(data: Any, body: bytes) -> None:
    transport = fake_api()
    build("bert-base-uncased", token="hf_t", transport=transport)(
        inputs="x", params={"p": 1}, data=data
    )
    sent = transport.requests[-1]
    assert sent.body == body
    assert sent.headers == (("user-agent", USER_AGENT), ("authorization", "Bearer hf_t"))


def test_empty_data_falls_back_to_the_json_payload() -> None:
    transport = fake_api()
    build("bert-base-uncased", transport=transport)(inputs="x", data=b"")
    assert json.loads(transport.requests[-1].body or b"") == {"options": OPTIONS, "inputs": "x"}


def test_data_of_another_type_is_refused() -> None:
    transport = fake_api()
    api = build("bert-base-uncased", transport=transport)
    with pytest.raises(RequestError, match="`data` must be bytes"):
        api(data={"form": "field"})
    assert len(transport.requests) == 1


@pytest.mark.parametrize("status", [400, 404, 500, 503])
def test_error_statuses_do_not_raise(status: int) -> None:
    error = {"error": ["Error in `inputs.context`: field required"]}
    api = build(
        "bert-base-uncased", transport=fake_api(answer=lambda r: json_response(error, status))
    )
    assert api(inputs={"question": "Who?"}) == error


def test_redirects_are_followed_without_raising() -> None:
    def answer(request: Request) -> Response:
        if request.url.endswith("/bert-base-uncased"):
            return Response(307, (("location", "/moved"),))
        assert (request.method, request.url) == ("POST", f"{INFERENCE}/moved")
        assert json.loads(request.body or b"")["inputs"] == "x"
        return json_response({"error": "Model is loading"}, 503)

    transport = fake_api(answer=answer)
    api = build("bert-base-uncased", token="hf_t", transport=transport)
    assert api("x") == {"error": "Model is loading"}
    raw = api("x", raw_response=True)
    assert isinstance(raw, HTTPResponse)
    assert (raw.status_code, raw.url) == (503, f"{INFERENCE}/moved")
    assert transport.requests[-1].header("authorization") == "Bearer hf_t"  # same origin


def test_a_redirect_to_another_host_drops_the_token() -> None:
    def answer(request: Request) -> Response:
        if request.url.startswith(INFERENCE):
            return Response(308, (("location", "https://elsewhere.test/x"),))
        return json_response([1.0])

    transport = fake_api(answer=answer)
    assert build("bert-base-uncased", token="hf_t", transport=transport)("x") == [1.0]
    assert transport.requests[-1].header("authorization") is None


def test_endless_redirects_raise() -> None:
    api = build(
        "bert-base-uncased",
        transport=fake_api(answer=lambda r: Response(302, (("location", r.url),))),
    )
    with pytest.raises(RemoteProtocolError, match="redirects"):
        api("x")


def test_transport_errors_propagate() -> None:
    def answer(request: Request) -> Response:
        raise ConnectError("connection refused")

    api = build("bert-base-uncased", transport=fake_api(answer=answer))
    with pytest.raises(ConnectError, match="refused"):
        api("x")


# --- decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["image/jpeg", "image/png", "image"])
def test_image_answers_become_pil_images(content_type: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (5, 2)).save(buffer, format="PNG" if content_type == "image/png" else "JPEG")
    answer = Response(200, (("content-type", content_type),), buffer.getvalue())
    image = build("bert-base-uncased", transport=fake_api(answer=lambda r: answer))("a cat")
    assert isinstance(image, Image.Image)
    assert image.size == (5, 2)


def test_an_image_without_pillow_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = Response(200, (("content-type", "image/jpeg"),), jpeg_bytes())
    api = build("bert-base-uncased", transport=fake_api(answer=lambda r: answer))
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"hf-inference-core\[images\].*`raw_response=True`"):
        api("a cat")
    assert api("a cat", raw_response=True).content == answer.body


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "audio/flac", "text/plain", "Application/JSON", None],
)
def test_other_content_types_are_not_implemented(content_type: str | None) -> None:
    headers = () if content_type is None else (("content-type", content_type),)
    api = build(
        "bert-base-uncased", transport=fake_api(answer=lambda r: Response(200, headers, b"{}"))
    )
    expected = f"{content_type or ''} output type is not implemented yet"
    with pytest.raises(NotImplementedError, match=rf"^{expected}\..*`raw_response=True`"):
        api("x")


def test_a_json_content_type_with_a_body_that_is_not_json() -> None:
    answer = Response(502, JSON, b"<html>bad gateway</html>")
    with pytest.raises(ValueError, match="not JSON"):
        build("bert-base-uncased", transport=fake_api(answer=lambda r: answer))("x")


def test_raw_response_is_a_requests_style_response() -> None:
    answer = Response(200, (("content-type", "audio/flac"), ("x-compute-type", "cpu")), b"fLaC...")
    api = build("bert-base-uncased", transport=fake_api(answer=lambda r: answer))
    raw = api("x", raw_response=True)
    assert isinstance(raw, HTTPResponse)
    assert raw.status_code == 200
    assert raw.content == b"fLaC..."
    assert raw.headers["Content-Type"] == "audio/flac"
    assert raw.headers["X-Compute-Type"] == "cpu"
    assert raw.url == api.api_url
    assert raw.request is not None and raw.request.method == "POST"


def test_raw_response_of_an_error_status() -> None:
    answer = json_response({"error": "boom"}, 400)
    raw = build("bert-base-uncased", transport=fake_api(answer=lambda r: answer))(
        "x", raw_response=True
    )
    assert (raw.status_code, raw.ok, raw.json()) == (400, False, {"error": "boom"})


# --- lifetime -------------------------------------------------------------------------------


@pytest.fixture
def owned(monkeypatch: pytest.MonkeyPatch) -> list[MockTransport]:
    """Make the default transport a MockTransport (recorded here), as the one an InferenceApi
    creates and owns when given none."""
    made: list[MockTransport] = []

    def default_transport(timeout: float | None, proxies: Any) -> MockTransport:
        assert (timeout, proxies) == (None, None)
        made.append(fake_api())
        return made[-1]

    monkeypatch.setattr(transports, "default_transport", default_transport)
    return made


def test_close_closes_the_transport_it_created(owned: list[MockTransport]) -> None:
    api = build("bert-base-uncased")
    assert api("x") == [{"sequence": "ok", "score": 0.5}]
    api.close()
    api.close()  # idempotent
    assert owned[0].closed
    with pytest.raises(RuntimeError, match="closed"):
        api("x")


def test_with_block_closes(owned: list[MockTransport]) -> None:
    with build("bert-base-uncased") as api:
        api("x")
        assert not owned[0].closed
    assert owned[0].closed


def test_garbage_collection_closes(owned: list[MockTransport]) -> None:
    api = build("bert-base-uncased")
    del api
    gc.collect()
    assert owned[0].closed


@pytest.mark.parametrize(
    ("repo_id", "task"), [("org/missing", None), ("bert-base-uncased", "nope")]
)
def test_a_failed_construction_closes(
    owned: list[MockTransport], repo_id: str, task: str | None
) -> None:
    with (
        pytest.warns(FutureWarning, match=DEPRECATED),
        pytest.raises((HfHubHTTPError, RequestError)),
    ):
        InferenceApi(repo_id, task=task)
    assert owned[0].closed


def test_a_transport_passed_in_stays_open() -> None:
    transport = fake_api()
    with build("bert-base-uncased", transport=transport) as api:
        api("x")
    api.close()
    assert not transport.closed


# --- huggingface_hub's test cases, over loopback sockets -------------------------------------

HUB_TAGS = {
    "bert-base-uncased": "fill-mask",
    "stabilityai/stable-diffusion-2-1": "text-to-image",
    "sentence-transformers/paraphrase-albert-small-v2": "sentence-similarity",
    "deepset/roberta-base-squad2": "question-answering",
    "facebook/bart-large-mnli": "zero-shot-classification",
    "facebook/wav2vec2-base-960h": "automatic-speech-recognition",
    "google/vit-base-patch16-224": "image-classification",
}
FLAC = b"fLaC\x00\x00\x00\x22" + bytes(40)
LABELS = [{"score": 0.9, "label": "tabby cat"}, {"score": 0.1, "label": "tiger cat"}]


def hub_route(request: ServerRequest) -> Reply:
    repo_id = request.target.removeprefix("/api/models/")
    if request.method != "GET" or repo_id not in HUB_TAGS:
        return Reply.json(NOT_FOUND, 404, (REPO_NOT_FOUND,))
    return Reply.json({"id": repo_id, "pipeline_tag": HUB_TAGS[repo_id]})


def inference_route(request: ServerRequest) -> Reply:
    """Answers like the serverless Inference API did, per ``/pipeline/<task>/<repo>``."""
    task = request.target.split("/")[2]
    if task in ("automatic-speech-recognition", "image-classification"):
        assert request.header("content-type") is None
        if task == "automatic-speech-recognition":
            assert request.body == FLAC
            return Reply.json({"text": "HELLO WORLD"})
        Image.open(io.BytesIO(request.body)).verify()
        return Reply.json(LABELS)
    payload = request.json()
    assert request.header("content-type") == "application/json"
    assert payload["options"] == {"wait_for_model": True, "use_gpu": False}
    inputs = payload.get("inputs")
    if task == "fill-mask":
        words = ("happiness", "love")
        return Reply.json(
            [{"sequence": inputs.replace("[MASK]", w), "score": 0.1, "token_str": w} for w in words]
        )
    if task == "text-to-image":
        return Reply(200, (("content-type", "image/jpeg"),), jpeg_bytes((8, 8)))
    if task == "feature-extraction":
        return Reply.json([[0.1, 0.2, 0.3]] if isinstance(inputs, list) else [0.1, 0.2, 0.3])
    if task == "question-answering":
        if not isinstance(inputs, dict) or "context" not in inputs:
            return Reply.json({"error": ["Error in `inputs.context`: field required"]}, 400)
        return Reply.json({"score": 0.9, "start": 11, "end": 16, "answer": "Clara"})
    if task == "zero-shot-classification":
        labels = payload["parameters"]["candidate_labels"]
        return Reply.json({"sequence": inputs, "labels": labels, "scores": [0.8, 0.2]})
    return Reply.json({"error": f"unexpected task {task}"}, 400)


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LoopbackServer, LoopbackServer]]:
    """A fake Hub and a fake inference API on 127.0.0.1, found through the environment."""
    with LoopbackServer(hub_route) as hub, LoopbackServer(inference_route) as inference:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_INFERENCE_ENDPOINT", inference.url)
        monkeypatch.setenv("HF_TOKEN", "hf_loopback")
        yield hub, inference


Servers = tuple[LoopbackServer, LoopbackServer]


def test_simple_inference(servers: Servers) -> None:
    hub, inference = servers
    with build("bert-base-uncased") as api:
        output = api(inputs="Hi, I think [MASK] is cool")
    assert api.api_url == f"{inference.url}/pipeline/fill-mask/bert-base-uncased"
    assert isinstance(output, list) and len(output) == 2
    assert all({"sequence", "score"} <= set(item) for item in output)
    [lookup], [sent] = hub.requests, inference.requests
    assert (lookup.method, lookup.target) == ("GET", "/api/models/bert-base-uncased")
    assert lookup.header("authorization") == sent.header("authorization") == "Bearer hf_loopback"
    assert (sent.method, sent.target) == ("POST", "/pipeline/fill-mask/bert-base-uncased")
    assert sent.header("user-agent") == USER_AGENT
    assert sent.json() == {"options": OPTIONS, "inputs": "Hi, I think [MASK] is cool"}


def test_text_to_image(servers: Servers) -> None:
    with build("stabilityai/stable-diffusion-2-1") as api:
        output = api("cat")
    assert isinstance(output, Image.Image)
    assert output.size == (8, 8)


def test_text_to_image_raw_response(servers: Servers) -> None:
    with build("stabilityai/stable-diffusion-2-1") as api:
        output = api("cat", raw_response=True)
    assert isinstance(output, HTTPResponse)
    assert output.status_code == 200
    assert output.headers["Content-Type"] == "image/jpeg"
    assert output.content[:2] == b"\xff\xd8"  # a JPEG


def test_inference_overriding_task(servers: Servers) -> None:
    model = "sentence-transformers/paraphrase-albert-small-v2"
    with build(model, task="feature-extraction") as api:
        output = api(inputs="This is an example again")
    assert api.task == "feature-extraction"
    assert isinstance(output, list)


def test_inference_overriding_invalid_task(servers: Servers) -> None:
    hub, _ = servers
    model = "sentence-transformers/paraphrase-albert-small-v2"
    with (
        pytest.warns(FutureWarning, match=DEPRECATED),
        pytest.raises(ValueError, match="Invalid task"),
    ):
        InferenceApi(model, task="invalid-task")
    assert len(hub.requests) == 1


def test_inference_missing_input(servers: Servers) -> None:
    with build("deepset/roberta-base-squad2") as api:
        result = api({"question": "What's my name?"})
    assert isinstance(result, dict)
    assert "error" in result


def test_inference_with_params(servers: Servers) -> None:
    inputs = "I bought a device but it is not working and I would like to get reimbursed!"
    params = {"candidate_labels": ["refund", "legal", "faq"]}
    with build("facebook/bart-large-mnli") as api:
        result = api(inputs, params)
    assert isinstance(result, dict)
    assert {"sequence", "scores"} <= set(result)


def test_inference_with_dict_inputs(servers: Servers) -> None:
    with build("deepset/roberta-base-squad2") as api:
        result = api(
            {"question": "What's my name?", "context": "My name is Clara and I live in Berkeley."}
        )
    assert isinstance(result, dict)
    assert {"score", "answer"} <= set(result)


def test_inference_with_audio(servers: Servers) -> None:
    _, inference = servers
    with build("facebook/wav2vec2-base-960h") as api:
        result = api(data=FLAC)
    assert result == {"text": "HELLO WORLD"}
    assert inference.requests[0].body == FLAC  # no options: the raw bytes only


def test_inference_with_image(servers: Servers) -> None:
    with build("google/vit-base-patch16-224") as api:
        result = api(data=io.BytesIO(jpeg_bytes()))
    assert isinstance(result, list)
    assert all({"score", "label"} <= set(item) for item in result)


def test_unknown_model_over_sockets(servers: Servers) -> None:
    with pytest.warns(FutureWarning, match=DEPRECATED), pytest.raises(HfHubHTTPError) as caught:
        InferenceApi("org/unknown")
    assert isinstance(caught.value, RepositoryNotFoundError)
    assert caught.value.status == 404
