"""The fake inference service: every task of every provider, determinism, streams, faults,
in-process and over loopback HTTP."""

from __future__ import annotations

import contextlib
import io
import threading
import warnings
import wave
from contextlib import redirect_stdout
from typing import Any

import pytest

from fake_service import (
    AsyncFakeTransport,
    FakeServer,
    FakeService,
    FakeTransport,
    model_url,
    serve,
)
from fake_service.catalog import RECOMMENDED
from fake_service.tasks import png_bytes, wav_bytes
from inference_core import (
    AsyncInferenceClient,
    HTTPStatusError,
    InferenceClient,
    InferenceTimeoutError,
    RemoteProtocolError,
    Request,
    RequestError,
    provider_names,
)
from inference_core.providers import get_provider

IMAGE = png_bytes(8, 6)
AUDIO = wav_bytes(0.1)
TOKEN = "hf_" + "Tk7" * 12
CHAT = [{"role": "user", "content": "What is the capital of France?"}]
ARGS: dict[str, tuple[Any, ...]] = {
    "audio_classification": (AUDIO,),
    "audio_to_audio": (AUDIO,),
    "automatic_speech_recognition": (AUDIO,),
    "chat_completion": (CHAT,),
    "document_question_answering": (IMAGE, "Total?"),
    "feature_extraction": ("Hi",),
    "fill_mask": ("Paris is the [MASK] of France.",),
    "image_classification": (IMAGE,),
    "image_segmentation": (IMAGE,),
    "image_to_image": (IMAGE, "make it blue"),
    "image_to_text": (IMAGE,),
    "image_to_video": (IMAGE,),
    "object_detection": (IMAGE,),
    "question_answering": ("Who lives here?", "Clara lives here."),
    "sentence_similarity": ("A cat sits", ["A dog runs", "A cat sits down"]),
    "summarization": ("A long text to make shorter.",),
    "table_question_answering": ({"n": ["1", "2"]}, "sum?"),
    "tabular_classification": ({"f": ["1.0"]},),
    "tabular_regression": ({"f": ["1.0"]},),
    "text_classification": ("I love this",),
    "text_generation": ("The capital of France is",),
    "text_to_image": ("a cat",),
    "text_to_speech": ("Hello there",),
    "text_to_video": ("a cat",),
    "token_classification": ("Sarah lives in Paris",),
    "translation": ("Hello world",),
    "visual_question_answering": (IMAGE, "What animal?"),
    "zero_shot_classification": ("I love it", ["positive", "negative"]),
    "zero_shot_image_classification": (IMAGE, ["cat", "dog"]),
}


def _model(provider: str, method: str) -> str:
    task = method.replace("_", "-")
    if method in ("chat_completion", "text_generation") and provider != "hf-inference":
        task = "conversational"
    return RECOMMENDED["conversational" if task == "chat-completion" else task]


def _call(client: InferenceClient, method: str, model: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # staging mappings of new providers
        return getattr(client, method)(*ARGS[method], model=model)


@pytest.mark.parametrize("method", sorted(ARGS))
def test_every_hf_inference_task_answers_deterministically(method: str) -> None:
    transport = FakeTransport()
    with InferenceClient(token=TOKEN, transport=transport) as client:
        first = _call(client, method, _model("hf-inference", method))
        second = _call(client, method, _model("hf-inference", method))
    assert first is not None
    if hasattr(first, "tobytes"):  # PIL images and numpy arrays
        assert first.tobytes() == second.tobytes()
    else:
        assert first == second
    assert all(r.url.startswith("https://") for r in transport.requests)


def _provider_tasks() -> list[tuple[str, str]]:
    pairs = []
    for name in provider_names():
        tasks = get_provider(name).tasks
        for method in sorted(ARGS):
            task = "conversational" if method == "chat_completion" else method.replace("_", "-")
            if task in tasks and name != "hf-inference":
                pairs.append((name, method))
    return pairs


@pytest.mark.parametrize("key", ["routed", "direct"])
@pytest.mark.parametrize(("provider", "method"), _provider_tasks())
def test_every_provider_task_answers_on_its_wire_format(
    provider: str, method: str, key: str
) -> None:
    token = TOKEN if key == "routed" else "provider-key-0123456789"
    transport = FakeTransport()
    client = InferenceClient(provider=provider, token=token, transport=transport)
    try:
        out = _call(client, method, _model(provider, method))
    except RequestError as exc:
        if "router" in str(exc) or "routing" in str(exc):
            pytest.skip(f"{provider} is not reachable with an {key} key: {exc}")
        raise
    assert out is not None
    assert transport.requests[-1].url.split("/")[2] != "huggingface.co"  # the provider was called


def test_the_service_is_also_a_mock_transport_handler() -> None:
    from transports import MockTransport

    service = FakeService()
    mock = MockTransport(service.respond)
    with InferenceClient("http://model/summarization", transport=mock) as client:
        assert client.summarization("A short text.").summary_text == "A short text."
    assert [call.path for call in service.calls] == ["/summarization"]


@pytest.mark.parametrize(
    "provider",
    [name for name in provider_names() if "conversational" in get_provider(name).tasks],
)
def test_every_chat_provider_streams(provider: str) -> None:
    client = InferenceClient(provider=provider, token="key-0123456789", transport=FakeTransport())
    with client.chat_completion(CHAT, model="m/llama", stream=True) as stream:
        text = "".join(chunk.choices[0].delta.content or "" for chunk in stream)
    assert text == "The capital of France is Paris."


def test_streams_come_chunk_by_chunk_with_and_without_done() -> None:
    transport = FakeTransport()
    chat = Request("POST", "https://x/v1/chat/completions", (), b'{"messages": [], "stream": true}')
    with transport.stream(chat) as response:
        chunks = list(response.chunks)
    assert chunks[-1] == b"data: [DONE]\n\n"
    generate = Request("POST", "http://model", (), b'{"inputs": "Hi there", "stream": true}')
    with transport.stream(generate) as response:
        chunks = list(response.chunks)
    assert len(chunks) == 4 and all(c.startswith(b"data: {") for c in chunks)  # TGI: no [DONE]


def test_streamed_text_generation_on_an_openai_style_provider() -> None:
    with InferenceClient(provider="together", token=TOKEN, transport=FakeTransport()) as client:
        stream = client.text_generation("Once upon a time", model="m/llama", stream=True)
        with stream:
            text = "".join(stream)
    assert text == " there was a little robot who wanted to learn how to paint."


def test_media_answers_are_valid_files() -> None:
    from PIL import Image

    with InferenceClient(provider="fal-ai", token=TOKEN, transport=FakeTransport()) as client:
        image = client.text_to_image("a red cat", model="m/flux", width=40, height=30)
        other = client.text_to_image("a blue cat", model="m/flux", width=40, height=30)
        speech = client.text_to_speech("one two three four", model="m/tts")
    assert image.size == (40, 30)
    assert image.getpixel((0, 0)) != other.getpixel((0, 0))  # the colour follows the prompt
    with wave.open(io.BytesIO(speech)) as audio:
        assert audio.getnframes() == 16000 * 0.2
    assert Image.open(io.BytesIO(png_bytes(3, 2))).size == (3, 2)


def test_a_status_fault_applies_until_cleared_or_a_number_of_times() -> None:
    service = FakeService()
    fault = service.fault(r"/v1/chat/completions$", status=400, body={"error": "bad input"})
    with InferenceClient("http://model", transport=FakeTransport(service)) as client:
        with pytest.raises(HTTPStatusError, match="bad input") as caught:
            client.chat_completion(CHAT)
        assert caught.value.status == 400
        service.clear_faults()
        assert client.chat_completion(CHAT).choices[0].message.content
        once = service.fault("/summarization", status=503, times=1)
        with contextlib.suppress(HTTPStatusError):  # (a retry may already succeed)
            client.summarization("Hi there.", model="http://x/summarization")
        assert client.summarization("Hi there.", model="http://x/summarization")
    assert (fault.hits, once.hits) == (1, 1)


def test_delay_and_stall_faults_time_out_at_once_in_process() -> None:
    service = FakeService()
    service.fault("/text-classification", delay=5)
    service.fault("/fill-mask", stall=True)
    service.fault("/summarization", delay=0.01)
    transport = FakeTransport(service)
    with InferenceClient(timeout=1, transport=transport) as client:
        with pytest.raises(InferenceTimeoutError, match="past the request's 1 s timeout"):
            client.text_classification("Hi", model="http://x/text-classification")
        with pytest.raises(InferenceTimeoutError, match="never answers"):
            client.fill_mask("a [MASK]", model="http://x/fill-mask")
        assert client.summarization("Hi there.", model="http://x/summarization")


def test_cut_faults_break_bodies_and_streams() -> None:
    service = FakeService()
    service.fault("/text-classification", cut_after=5)
    service.fault("/chat/completions", cut_after=2)
    with InferenceClient(transport=FakeTransport(service)) as client:
        with pytest.raises(RemoteProtocolError):
            client.text_classification("Hi", model="http://x/text-classification")
        pieces: list[object] = []
        with pytest.raises(RemoteProtocolError), client.chat_completion(
            CHAT, model="http://x", stream=True
        ) as stream:
            pieces.extend(stream)
        assert len(pieces) == 2


def test_over_http_url_models_the_hub_and_rerouted_providers() -> None:
    with FakeServer() as server:
        url = model_url(server.url, "text_classification")
        with InferenceClient(url, timeout=10) as client:
            assert client.text_classification("I love it")[0].label == "POSITIVE"
            assert client.text_generation("Hi there", model=server.url) == " You said: Hi there"
        with server.transport() as transport:
            client = InferenceClient(provider="replicate", token=TOKEN, transport=transport)
            video = client.text_to_video("a dog", model="m/video")
        hosts = {r.header("host") for r in server.requests}
    assert video[4:8] == b"ftyp"
    assert {"huggingface.co", "router.huggingface.co"} <= hosts


def test_over_http_faults_delay_and_cut() -> None:
    service = FakeService()
    service.fault("/text-classification", delay=2)
    service.fault("/chat/completions", cut_after=1)
    with FakeServer(service) as server, server.transport() as transport:  # sleeps return at once
        client = InferenceClient(server.url, timeout=0.3, transport=transport)
        with pytest.raises(InferenceTimeoutError):
            client.text_classification("Hi", model=f"{server.url}/text-classification")
        with pytest.raises(RemoteProtocolError), client.chat_completion(
            CHAT, stream=True
        ) as stream:
            for _ in stream:
                pass


@pytest.mark.anyio
async def test_the_async_fake_transport() -> None:
    transport = AsyncFakeTransport()
    async with AsyncInferenceClient(provider="fal-ai", token=TOKEN, transport=transport) as client:
        video = await client.text_to_video("a cat", model="m/video")
        stream = await client.chat_completion(CHAT, model="http://x", stream=True)
        async with stream:
            words = [chunk.choices[0].delta.content async for chunk in stream]
    assert video[4:8] == b"ftyp"
    assert "".join(w or "" for w in words) == "The capital of France is Paris."
    assert transport.sleeps == [0.5, 0.5]


def test_serve_prints_its_url_and_stops_on_request() -> None:
    stop = threading.Event()
    printed = io.StringIO()
    done: list[int] = []

    def run() -> None:
        with redirect_stdout(printed):
            done.append(serve(0, stop=stop))

    thread = threading.Thread(target=run)
    thread.start()
    for _ in range(200):
        if "listening on" in printed.getvalue():
            break
        threading.Event().wait(0.01)
    url = printed.getvalue().split("listening on ", 1)[1].split()[0]
    with InferenceClient(f"{url}/translation", timeout=5) as client:
        assert client.translation("hello world").translation_text == "bonjour monde"
    stop.set()
    thread.join(5)
    assert done == [0]
