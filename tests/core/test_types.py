"""Tests for the chat-completion and text-generation types and the converter that builds them.

The payloads are shaped like what TGI and OpenAI-compatible servers send on the wire.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from collections.abc import Mapping
from typing import Any, get_args, get_type_hints

import pytest

from inference_core import _types
from inference_core._converter import (
    _fast,
    _shape_error,
    converter,
    structure,
    structure_list,
    structurer,
)
from inference_core._errors import ProviderError
from inference_core._fast_structure import Decline
from inference_core._types import (
    BaseInferenceType,
    ChatCompletionInputFunctionDefinition,
    ChatCompletionInputGrammarType,
    ChatCompletionInputJSONSchema,
    ChatCompletionInputMessage,
    ChatCompletionInputMessageChunk,
    ChatCompletionInputResponseFormatJSONObject,
    ChatCompletionInputResponseFormatJSONSchema,
    ChatCompletionInputResponseFormatText,
    ChatCompletionInputTool,
    ChatCompletionInputToolChoiceClass,
    ChatCompletionInputURL,
    ChatCompletionOutput,
    ChatCompletionOutputComplete,
    ChatCompletionOutputFunctionDefinition,
    ChatCompletionOutputLogprob,
    ChatCompletionOutputLogprobs,
    ChatCompletionOutputMessage,
    ChatCompletionOutputToolCall,
    ChatCompletionOutputTopLogprob,
    ChatCompletionOutputUsage,
    ChatCompletionStreamOutput,
    ChatCompletionStreamOutputChoice,
    ChatCompletionStreamOutputDelta,
    ChatCompletionStreamOutputDeltaToolCall,
    ChatCompletionStreamOutputFunction,
    ChatCompletionStreamOutputUsage,
    TextGenerationInputGrammarType,
    TextGenerationOutput,
    TextGenerationOutputBestOfSequence,
    TextGenerationOutputDetails,
    TextGenerationOutputPrefillToken,
    TextGenerationOutputToken,
    TextGenerationStreamOutput,
    TextGenerationStreamOutputStreamDetails,
    TextGenerationStreamOutputToken,
)
from inference_core._types._base import NONE, inference_type

# --- Wire payloads -----------------------------------------------------------------------------

# Every declared field is present, so ``to_dict()`` gives back exactly this (plus the ``object``
# extra, which is kept).
CHAT_COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-9f2",
    "object": "chat.completion",
    "created": 1722000000,
    "model": "meta-llama/Llama-3.1-8B-Instruct",
    "system_fingerprint": "3.0.1-sha-bb9095a",
    "choices": [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": None,
                "tool_call_id": None,
                "tool_calls": [
                    {
                        "id": "call_0",
                        "type": "function",
                        "function": {
                            "name": "get_weather",
                            "arguments": '{"city": "Paris"}',
                            "description": None,
                        },
                    }
                ],
            },
            "logprobs": {
                "content": [
                    {
                        "token": "get",
                        "logprob": -0.25,
                        "top_logprobs": [{"token": "get", "logprob": -0.25}],
                    }
                ]
            },
            "finish_reason": "tool_calls",
        }
    ],
    "usage": {"prompt_tokens": 31, "completion_tokens": 17, "total_tokens": 48},
}

CHAT_CHUNK: dict[str, Any] = {
    "id": "chatcmpl-9f2",
    "object": "chat.completion.chunk",
    "created": 1722000001,
    "model": "meta-llama/Llama-3.1-8B-Instruct",
    "system_fingerprint": "3.0.1-sha-bb9095a",
    "choices": [
        {
            "index": 0,
            "delta": {
                "role": "assistant",
                "content": " Paris",
                "tool_call_id": None,
                "tool_calls": None,
            },
            "logprobs": None,
            "finish_reason": None,
        }
    ],
    "usage": None,
}

CHAT_CHUNK_TOOL_CALL: dict[str, Any] = {
    "id": "",
    "object": "chat.completion.chunk",
    "created": 1722000001,
    "model": "tgi",
    "system_fingerprint": "3.0.1-sha-bb9095a",
    "choices": [
        {
            "index": 0,
            "delta": {
                "role": "assistant",
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "",
                        "type": "function",
                        "function": {"name": None, "arguments": '{"ci'},
                    }
                ],
            },
            "logprobs": None,
            "finish_reason": None,
        }
    ],
    "usage": None,
}

CHAT_CHUNK_USAGE: dict[str, Any] = {
    "id": "chatcmpl-9f2",
    "object": "chat.completion.chunk",
    "created": 1722000002,
    "model": "gpt-4o-mini",
    "system_fingerprint": "fp_0ba0d124f1",
    "choices": [],
    "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21},
}


def _token(id_: int, text: str, logprob: float, special: bool = False) -> dict[str, Any]:
    return {"id": id_, "text": text, "logprob": logprob, "special": special}


TGI_DETAILS: dict[str, Any] = {
    "generated_text": " Paris.",
    "details": {
        "finish_reason": "eos_token",
        "generated_tokens": 3,
        "seed": None,
        "prefill": [
            {"id": 1, "text": "<s>", "logprob": None},
            {"id": 415, "text": "The", "logprob": -3.5},
        ],
        "tokens": [
            _token(5465, " Paris", -0.2),
            _token(28723, ".", -0.5),
            _token(2, "</s>", 0, special=True),
        ],
        "top_tokens": [
            [_token(5465, " Paris", -0.2), _token(1015, " Lyon", -2.1)],
            [_token(28723, ".", -0.5), _token(28725, ",", -1.5)],
            [_token(2, "</s>", 0, special=True)],
        ],
        "best_of_sequences": [
            {
                "generated_text": " Lyon.",
                "finish_reason": "length",
                "generated_tokens": 2,
                "seed": 42,
                "prefill": [{"id": 1, "text": "<s>", "logprob": None}],
                "tokens": [_token(1015, " Lyon", -2.1), _token(28723, ".", -0.4)],
                "top_tokens": [[_token(1015, " Lyon", -2.1)], [_token(28723, ".", -0.4)]],
            }
        ],
    },
}

TGI_STREAM_TOKEN: dict[str, Any] = {
    "index": 1,
    "token": _token(5465, " Paris", -0.2),
    "top_tokens": [_token(5465, " Paris", -0.2), _token(1015, " Lyon", -2.1)],
    "generated_text": None,
    "details": None,
}

TGI_STREAM_LAST: dict[str, Any] = {
    "index": 3,
    "token": _token(2, "</s>", 0, special=True),
    "top_tokens": [],
    "generated_text": " Paris.",
    "details": {
        "finish_reason": "eos_token",
        "generated_tokens": 3,
        "input_length": 7,
        "seed": None,
    },
}


# --- Chat completion ---------------------------------------------------------------------------


def test_chat_completion_typed_values() -> None:
    out = structure(CHAT_COMPLETION, ChatCompletionOutput)
    assert isinstance(out, ChatCompletionOutput)
    assert out.id == "chatcmpl-9f2"
    assert out.created == 1722000000
    assert out.model == "meta-llama/Llama-3.1-8B-Instruct"
    choice = out.choices[0]
    assert isinstance(choice, ChatCompletionOutputComplete)
    assert choice.finish_reason == "tool_calls"
    assert isinstance(choice.message, ChatCompletionOutputMessage)
    assert choice.message.role == "assistant"
    assert choice.message.content is None
    call = choice.message.tool_calls[0]  # type: ignore[index]
    assert isinstance(call, ChatCompletionOutputToolCall)
    assert isinstance(call.function, ChatCompletionOutputFunctionDefinition)
    assert call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"city": "Paris"}
    assert isinstance(choice.logprobs, ChatCompletionOutputLogprobs)
    logprob = choice.logprobs.content[0]
    assert isinstance(logprob, ChatCompletionOutputLogprob)
    assert isinstance(logprob.top_logprobs[0], ChatCompletionOutputTopLogprob)
    assert logprob.top_logprobs[0].logprob == -0.25
    assert out.usage == ChatCompletionOutputUsage(
        completion_tokens=17, prompt_tokens=31, total_tokens=48
    )


def test_chat_completion_item_access_and_round_trip() -> None:
    out = structure(CHAT_COMPLETION, ChatCompletionOutput)
    assert out["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "get_weather"
    assert out["usage"]["total_tokens"] == 48
    assert out.to_dict() == CHAT_COMPLETION
    assert out == CHAT_COMPLETION
    assert CHAT_COMPLETION == out  # noqa: SIM300 (the reflected comparison)
    assert json.loads(json.dumps(out.to_dict())) == CHAT_COMPLETION
    assert structure(out.to_dict(), ChatCompletionOutput) == out


def test_chat_completion_content_item_access() -> None:
    payload = copy.deepcopy(CHAT_COMPLETION)
    payload["choices"][0]["message"] = {"role": "assistant", "content": "Hello!"}
    out = structure(payload, ChatCompletionOutput)
    assert out["choices"][0]["message"]["content"] == "Hello!"
    assert out.choices[0].message.tool_calls is None


def test_function_arguments_dict_kept_as_sent() -> None:
    payload = copy.deepcopy(CHAT_COMPLETION)
    payload["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] = {"city": "Paris"}
    out = structure(payload, ChatCompletionOutput)
    assert out.choices[0].message.tool_calls[0].function.arguments == {"city": "Paris"}  # type: ignore[index]


def test_chat_stream_chunk() -> None:
    chunk = structure(CHAT_CHUNK, ChatCompletionStreamOutput)
    choice = chunk.choices[0]
    assert isinstance(choice, ChatCompletionStreamOutputChoice)
    assert isinstance(choice.delta, ChatCompletionStreamOutputDelta)
    assert choice.delta.content == " Paris"
    assert choice.delta.tool_calls is None
    assert choice.finish_reason is None
    assert choice.logprobs is None
    assert chunk.usage is None
    assert chunk["choices"][0]["delta"]["content"] == " Paris"
    assert chunk.object == "chat.completion.chunk"  # type: ignore[attr-defined]
    assert chunk.to_dict() == CHAT_CHUNK


def test_chat_stream_chunk_with_tool_call() -> None:
    chunk = structure(CHAT_CHUNK_TOOL_CALL, ChatCompletionStreamOutput)
    call = chunk.choices[0].delta.tool_calls[0]  # type: ignore[index]
    assert isinstance(call, ChatCompletionStreamOutputDeltaToolCall)
    assert call.index == 0
    assert isinstance(call.function, ChatCompletionStreamOutputFunction)
    assert call.function.name is None
    assert call.function.arguments == '{"ci'
    # Fields the chunk left out read as None (and appear in to_dict as None).
    assert chunk.choices[0].delta.content is None
    assert chunk.to_dict()["choices"][0]["delta"]["content"] is None


def test_chat_stream_chunk_with_usage() -> None:
    chunk = structure(CHAT_CHUNK_USAGE, ChatCompletionStreamOutput)
    assert chunk.choices == []
    assert isinstance(chunk.usage, ChatCompletionStreamOutputUsage)
    assert chunk.usage.total_tokens == 21
    assert chunk == CHAT_CHUNK_USAGE


# --- Text generation ---------------------------------------------------------------------------


def test_text_generation_details() -> None:
    out = structure(TGI_DETAILS, TextGenerationOutput)
    assert out.generated_text == " Paris."
    details = out.details
    assert isinstance(details, TextGenerationOutputDetails)
    assert details.finish_reason == "eos_token"
    assert details.generated_tokens == 3
    assert details.seed is None
    assert all(isinstance(t, TextGenerationOutputPrefillToken) for t in details.prefill)
    assert details.prefill[0]["logprob"] is None  # typed float, like the reference; TGI sends null
    assert all(isinstance(t, TextGenerationOutputToken) for t in details.tokens)
    assert details.tokens[2].special is True
    # An int where a float is declared is kept as sent.
    assert details.tokens[2].logprob == 0
    assert type(out["details"]["tokens"][2]["logprob"]) is int
    # top_tokens (a list of lists) is parsed into token objects.
    assert details.top_tokens is not None
    assert isinstance(details.top_tokens[0][1], TextGenerationOutputToken)
    assert details.top_tokens[0][1].text == " Lyon"
    assert out["details"]["top_tokens"][0][1]["text"] == " Lyon"
    best = details.best_of_sequences[0]  # type: ignore[index]
    assert isinstance(best, TextGenerationOutputBestOfSequence)
    assert best.seed == 42
    assert best.finish_reason == "length"
    assert isinstance(best.top_tokens[1][0], TextGenerationOutputToken)  # type: ignore[index]
    assert out.to_dict() == TGI_DETAILS
    assert out == TGI_DETAILS


def test_text_generation_stream_events() -> None:
    event = structure(TGI_STREAM_TOKEN, TextGenerationStreamOutput)
    assert isinstance(event.token, TextGenerationStreamOutputToken)
    assert event.token.text == " Paris"
    assert event.token.special is False
    assert event.details is None
    assert event.generated_text is None
    assert [t.text for t in event.top_tokens] == [" Paris", " Lyon"]  # type: ignore[union-attr]
    assert event.to_dict() == TGI_STREAM_TOKEN

    last = structure(TGI_STREAM_LAST, TextGenerationStreamOutput)
    assert last.generated_text == " Paris."
    assert isinstance(last.details, TextGenerationStreamOutputStreamDetails)
    assert last.details.finish_reason == "eos_token"
    assert last.details.input_length == 7
    assert last.token.special is True
    assert last == TGI_STREAM_LAST


def test_structure_list() -> None:
    outs = structure_list([TGI_DETAILS, {"generated_text": "hi"}], TextGenerationOutput)
    assert [o.generated_text for o in outs] == [" Paris.", "hi"]
    assert outs[1].details is None


# --- Leniency: missing, null and unknown keys --------------------------------------------------


def test_missing_fields_are_none() -> None:
    out = structure({"choices": [{"message": {"content": "hi"}}]}, ChatCompletionOutput)
    # Item access here: these fields are annotated non-Optional (as in the reference), so mypy
    # would call an ``is None`` check on the attribute unreachable.
    assert out["id"] is None
    assert out["usage"] is None
    assert out.choices[0]["index"] is None
    assert out.choices[0].message["role"] is None
    assert out["model"] is None
    assert structure({}, TextGenerationStreamOutput) == TextGenerationStreamOutput()


def test_null_for_required_fields_is_none() -> None:
    payload = {**CHAT_COMPLETION, "system_fingerprint": None, "usage": None, "choices": None}
    out = structure(payload, ChatCompletionOutput)
    assert out["system_fingerprint"] is None
    assert out["usage"] is None
    assert out["choices"] is None


def test_unknown_fields_are_kept() -> None:
    payload = copy.deepcopy(CHAT_CHUNK)
    payload["service_tier"] = "default"
    payload["choices"][0]["delta"]["reasoning_content"] = "thinking"
    chunk = structure(payload, ChatCompletionStreamOutput)
    assert chunk["service_tier"] == "default"
    assert chunk.service_tier == "default"  # type: ignore[attr-defined]
    delta = chunk.choices[0].delta
    assert delta.reasoning_content == "thinking"  # type: ignore[attr-defined]
    assert delta["reasoning_content"] == "thinking"
    assert "reasoning_content" in delta
    assert chunk.to_dict() == payload
    assert "reasoning_content='thinking')" in repr(delta)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = delta.nope  # type: ignore[attr-defined]
    with pytest.raises(KeyError):
        _ = delta["nope"]


def test_extras_ignored_by_equality_between_instances() -> None:
    a = structure({"generated_text": "x", "extra": 1}, TextGenerationOutput)
    b = TextGenerationOutput(generated_text="x")
    assert a == b
    assert (a != b) is False
    assert a != {"generated_text": "x", "details": None}
    assert a == {"generated_text": "x", "details": None, "extra": 1}
    assert a != TextGenerationStreamOutput()


def test_extras_are_not_init_arguments_or_fields() -> None:
    names = [f.name for f in dataclasses.fields(TextGenerationOutput)]
    assert names == ["generated_text", "details"]
    with pytest.raises(TypeError):
        TextGenerationOutput(extra=1)  # type: ignore[call-arg]
    assert repr(TextGenerationOutput()) == "TextGenerationOutput(generated_text=None, details=None)"


# --- The dict view -----------------------------------------------------------------------------


def test_mapping_behaviour() -> None:
    token = structure({**_token(5, "a", -1.0), "extra": True}, TextGenerationOutputToken)
    assert isinstance(token, Mapping)
    assert list(token) == ["id", "logprob", "special", "text", "extra"]
    assert list(token.keys()) == ["id", "logprob", "special", "text", "extra"]
    assert list(token.values()) == [5, -1.0, False, "a", True]
    assert dict(token.items()) == {**_token(5, "a", -1.0), "extra": True}
    assert len(token) == 5
    assert "text" in token
    assert "nope" not in token
    assert token.get("text") == "a"
    assert token.get("nope", "default") == "default"
    plain = TextGenerationOutputToken(id=1)
    assert len(plain) == 4
    assert list(plain) == ["id", "logprob", "special", "text"]


def test_instances_are_unhashable_and_mutable() -> None:
    token = TextGenerationOutputToken(id=1)
    with pytest.raises(TypeError):
        hash(token)
    token.text = "x"
    assert token["text"] == "x"


def test_copy_and_pickle_keep_extras() -> None:
    chunk = structure(CHAT_CHUNK, ChatCompletionStreamOutput)
    for clone in (copy.copy(chunk), copy.deepcopy(chunk), pickle.loads(pickle.dumps(chunk))):
        assert clone == chunk
        assert clone["object"] == "chat.completion.chunk"
    assert copy.deepcopy(TextGenerationOutput()) == TextGenerationOutput()


def test_to_dict_converts_nested_values() -> None:
    fn = ChatCompletionInputFunctionDefinition(
        name="f", parameters={"type": "object", "required": ("a",)}
    )
    tool = ChatCompletionInputTool(function=fn, type="function")
    assert tool.to_dict() == {
        "function": {
            "name": "f",
            "parameters": {"type": "object", "required": ["a"]},
            "description": None,
        },
        "type": "function",
    }


# --- Wrong shapes ------------------------------------------------------------------------------


def test_wrong_shape_is_a_provider_error_with_a_path() -> None:
    with pytest.raises(ProviderError) as info:
        structure({**CHAT_COMPLETION, "choices": "oops"}, ChatCompletionOutput)
    message = str(info.value)
    assert message.startswith("unexpected response shape for ChatCompletionOutput:")
    assert "expected an array, got a string @ $.choices" in message


def test_every_wrong_shape_is_reported() -> None:
    payload = {"choices": [{"message": []}, 3], "usage": "x"}
    with pytest.raises(ProviderError) as info:
        structure(payload, ChatCompletionOutput)
    message = str(info.value)
    assert "got an array @ $.choices[0].message" in message
    assert "got a number @ $.choices[1]" in message
    assert "got a string @ $.usage" in message


@pytest.mark.parametrize(
    ("data", "kind"),
    [(None, "null"), ("text", "a string"), ([], "an array"), (True, "a boolean"), (b"{}", "bytes")],
)
def test_wrong_top_level_shape(data: Any, kind: str) -> None:
    with pytest.raises(ProviderError, match=f"got {kind} @ \\$$"):
        structure(data, TextGenerationOutput)


def test_structure_list_wrong_shapes() -> None:
    with pytest.raises(ProviderError, match=r"list\[TextGenerationOutput\]: expected an array"):
        structure_list({"generated_text": "x"}, TextGenerationOutput)
    with pytest.raises(ProviderError, match=r"expected an array, got null @ \$$"):
        structure_list(None, TextGenerationOutput)
    with pytest.raises(ProviderError, match=r"got an array @ \$\[1\]\.details"):
        structure_list([{}, {"details": []}], TextGenerationOutput)


# --- Inputs ------------------------------------------------------------------------------------


def test_input_message_content_union() -> None:
    text = structure({"role": "user", "content": "hi"}, ChatCompletionInputMessage)
    assert text.content == "hi"
    parts = structure(
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": "https://x/cat.png"}},
            ],
        },
        ChatCompletionInputMessage,
    )
    assert isinstance(parts.content, list)
    chunk = parts.content[1]
    assert isinstance(chunk, ChatCompletionInputMessageChunk)
    assert chunk.image_url == ChatCompletionInputURL(url="https://x/cat.png")
    assert ChatCompletionInputMessage(role="user", content="hi").to_dict() == {
        "role": "user",
        "content": "hi",
        "name": None,
        "tool_calls": None,
    }


def test_input_helpers() -> None:
    assert ChatCompletionInputResponseFormatText().to_dict() == {"type": "text"}
    assert ChatCompletionInputResponseFormatJSONObject().type == "json_object"
    fmt = ChatCompletionInputResponseFormatJSONSchema(
        json_schema=ChatCompletionInputJSONSchema(name="answer", schema={"type": "object"})
    )
    assert fmt.to_dict()["type"] == "json_schema"
    assert fmt["json_schema"]["schema"] == {"type": "object"}
    choice = structure({"function": {"name": "f"}}, ChatCompletionInputToolChoiceClass)
    assert choice.function.name == "f"
    schema = structure({"name": "a", "schema": {"type": "object"}}, ChatCompletionInputJSONSchema)
    assert schema.schema == {"type": "object"}
    grammar = structure({"type": "regex", "value": "\\d+"}, TextGenerationInputGrammarType)
    assert grammar.value == "\\d+"
    assert ChatCompletionInputResponseFormatText in get_args(ChatCompletionInputGrammarType)


# --- Declarations match the reference ----------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "names"),
    [
        (
            ChatCompletionOutput,
            ["choices", "created", "id", "model", "system_fingerprint", "usage"],
        ),
        (ChatCompletionOutputComplete, ["finish_reason", "index", "message", "logprobs"]),
        (ChatCompletionOutputMessage, ["role", "content", "tool_call_id", "tool_calls"]),
        (ChatCompletionOutputFunctionDefinition, ["arguments", "name", "description"]),
        (ChatCompletionStreamOutputChoice, ["delta", "index", "finish_reason", "logprobs"]),
        (ChatCompletionStreamOutputDeltaToolCall, ["function", "id", "index", "type"]),
        (ChatCompletionInputMessage, ["role", "content", "name", "tool_calls"]),
        (ChatCompletionInputJSONSchema, ["name", "description", "schema", "strict"]),
        (
            TextGenerationOutputDetails,
            [
                "finish_reason",
                "generated_tokens",
                "prefill",
                "tokens",
                "best_of_sequences",
                "seed",
                "top_tokens",
            ],
        ),
        (
            TextGenerationStreamOutput,
            ["index", "token", "details", "generated_text", "top_tokens"],
        ),
        (
            TextGenerationStreamOutputStreamDetails,
            ["finish_reason", "generated_tokens", "input_length", "seed"],
        ),
    ],
)
def test_field_order_matches_reference(cls: type[BaseInferenceType], names: list[str]) -> None:
    assert [f.name for f in dataclasses.fields(cls)] == names


def test_every_exported_class_defaults_to_none() -> None:
    with_defaults = {
        ChatCompletionInputResponseFormatText,
        ChatCompletionInputResponseFormatJSONSchema,
        ChatCompletionInputResponseFormatJSONObject,
    }
    classes = [
        obj
        for obj in (getattr(_types, name) for name in _types.__all__)
        if isinstance(obj, type) and obj is not BaseInferenceType
    ]
    assert len(classes) >= 40  # 40 chat and text-generation classes, plus the other tasks' types
    for cls in classes:
        assert issubclass(cls, BaseInferenceType)
        instance = cls()
        if cls not in with_defaults:
            assert all(value is None for value in instance.values()), cls


# --- Converter corners -------------------------------------------------------------------------


@inference_type
class _Holder(BaseInferenceType):
    """A test-only type with a union that has an object arm, a list arm and a plain arm."""

    value: ChatCompletionInputURL | list[ChatCompletionInputURL] | str | None = None


def test_union_picks_the_arm_from_the_json_kind() -> None:
    url = ChatCompletionInputURL(url="u")
    assert structure({"value": {"url": "u"}}, _Holder).value == url
    assert structure({"value": [{"url": "u"}]}, _Holder).value == [url]
    assert structure({"value": "u"}, _Holder).value == "u"
    assert structure({"value": None}, _Holder).value is None
    content = {"type": "text", "text": "hi"}
    assert structure({"content": content}, ChatCompletionInputMessage)["content"] == content


def test_structure_accepts_an_instance() -> None:
    out = structure(CHAT_COMPLETION, ChatCompletionOutput)
    again = structure(out, ChatCompletionOutput)
    assert again == out
    assert again.to_dict() == CHAT_COMPLETION


class _BrokenMapping(Mapping[str, Any]):
    def __getitem__(self, key: str) -> Any:
        raise RuntimeError("boom")

    def __iter__(self) -> Any:
        return iter(["url"])

    def __len__(self) -> int:
        return 1

    def __contains__(self, key: object) -> bool:
        return True


def test_other_failures_are_reported_with_their_path() -> None:
    with pytest.raises(ProviderError, match=r"unknown error \(boom\) @ \$\.url"):
        structure(_BrokenMapping(), ChatCompletionInputURL)


def test_package_lists_every_type_of_every_module() -> None:
    import importlib

    for module in ("chat_completion", "text_generation", "audio", "structured", "text", "vision"):
        names = importlib.import_module(f"inference_core._types.{module}").__all__
        assert set(names) <= set(_types.__all__), module


# --- The fast success path ---------------------------------------------------------------------
# ``structure``, ``structure_list`` and ``structurer`` first run a generated function per type
# (``_fast_structure``) and fall back to the converter on anything it declines. These tests run
# both on the same payloads and require identical results, down to value types and extras.

_EXPORTED_CLASSES = [
    obj
    for obj in (getattr(_types, name) for name in _types.__all__)
    if isinstance(obj, type) and obj is not BaseInferenceType
]


def _snapshot(value: Any) -> Any:
    """A comparable picture of a structured value: classes, value types, key order, extras."""
    if isinstance(value, BaseInferenceType):
        items = tuple((key, _snapshot(item)) for key, item in value.items())
        fields = tuple(getattr(value, f.name) is value[f.name] for f in dataclasses.fields(value))
        return (type(value), items, fields, value.__dict__)
    if isinstance(value, list):
        return (list, tuple(_snapshot(item) for item in value))
    if isinstance(value, dict):
        return (dict, tuple((key, _snapshot(item)) for key, item in value.items()))
    return (type(value), value)


def _sample(t: Any, mode: str, depth: int = 0) -> Any:
    """A JSON value for type ``t``; ``mode`` picks the oddity applied at every level."""
    if isinstance(t, type) and issubclass(t, BaseInferenceType):
        hints = get_type_hints(t)
        names = [f.name for f in dataclasses.fields(t)]
        if mode == "empty objects" or depth > 6:
            return {}
        if mode == "nulls":
            return dict.fromkeys(names)
        out = {
            name: _sample(hints[name], mode, depth + 1)
            for index, name in enumerate(names)
            if not (mode == "sparse" and index % 2)
        }
        if mode == "extras":
            out["zz_extra"] = {"nested": [1, None]}
            out["another"] = None
        return out
    origin, args = getattr(t, "__origin__", None), get_args(t)
    if origin is list:
        if mode == "empty lists":
            return []
        item = _sample(args[0], mode, depth + 1)
        return [None, item, item] if mode == "null items" else [item, item]
    if args and origin is not dict and str(origin) != "typing.Literal":  # a union
        arms = [arm for arm in args if arm is not type(None)]
        arm = arms[-1] if mode == "last arms" else arms[0]
        return _sample(arm, mode, depth + 1)
    if origin is dict:
        return {"type": "object", "n": [1, 2.5]}
    if str(origin) == "typing.Literal":
        return args[0]
    scalars: dict[Any, Any] = {
        str: "text",
        int: 7,
        bool: True,
        float: 3 if mode in {"ints for floats", "sparse"} else 0.5,
        object: {"o": 1},
    }
    return scalars.get(t, {"any": [1, "x", None]})


_MODES = [
    "full",
    "ints for floats",
    "extras",
    "null items",
    "empty lists",
    "nulls",
    "empty objects",
    "sparse",
    "last arms",
]

_FIXTURES: list[tuple[dict[str, Any], type[BaseInferenceType]]] = [
    (CHAT_COMPLETION, ChatCompletionOutput),
    (CHAT_CHUNK, ChatCompletionStreamOutput),
    (CHAT_CHUNK_TOOL_CALL, ChatCompletionStreamOutput),
    (CHAT_CHUNK_USAGE, ChatCompletionStreamOutput),
    (TGI_DETAILS, TextGenerationOutput),
    (TGI_STREAM_TOKEN, TextGenerationStreamOutput),
    (TGI_STREAM_LAST, TextGenerationStreamOutput),
    (
        {**TGI_STREAM_TOKEN, "top_tokens": [None, {}], "token": {"extra": 1}},
        TextGenerationStreamOutput,
    ),
    ({"choices": [], "usage": None, "object": None}, ChatCompletionOutput),
    ({"choices": [None, {"message": None, "logprobs": {}}]}, ChatCompletionOutput),
    ({"role": "user", "content": "hi"}, ChatCompletionInputMessage),
    ({"role": "user", "content": None, "tool_calls": []}, ChatCompletionInputMessage),
    ({"content": [{"type": "text", "text": "a", "x": 1}, None]}, ChatCompletionInputMessage),
    ({"content": {"type": "text"}}, ChatCompletionInputMessage),
    ({"content": 3}, ChatCompletionInputMessage),
    ({"value": {"url": "u"}, "x": 1}, _Holder),
    ({"value": [{"url": "u"}, None]}, _Holder),
    ({"value": "u"}, _Holder),
    ({"value": None}, _Holder),
    ({}, _Holder),
    ({"type": None}, ChatCompletionInputResponseFormatText),
    ({}, ChatCompletionInputResponseFormatJSONSchema),
    ({"json_schema": {"name": "n"}, "x": 1}, ChatCompletionInputResponseFormatJSONSchema),
]


def _payloads() -> list[tuple[Any, type[BaseInferenceType]]]:
    cases: list[tuple[Any, type[BaseInferenceType]]] = list(_FIXTURES)
    for data, cls in _FIXTURES[:7]:
        extras = copy.deepcopy(data)
        extras["zz"] = 1
        cases.append((extras, cls))
    for cls in [*_EXPORTED_CLASSES, _Holder]:
        cases += [(_sample(cls, mode), cls) for mode in _MODES]
    return cases


def _assert_same(fast: Any, slow: Any) -> None:
    assert _snapshot(fast) == _snapshot(slow)
    assert fast == slow
    assert repr(fast) == repr(slow)
    if isinstance(slow, BaseInferenceType):
        assert fast.to_dict() == slow.to_dict()
    else:
        assert [item.to_dict() for item in fast] == [item.to_dict() for item in slow]


def test_fast_path_equals_the_converter_on_every_payload() -> None:
    cases = _payloads()
    assert len(cases) > 500
    for data, cls in cases:
        slow = converter.structure(data, cls)
        fast = _fast.function(cls)(data)  # the fast path takes all of these: no fallback
        _assert_same(fast, slow)
        _assert_same(structure(data, cls), slow)
        _assert_same(structurer(cls)(data), slow)
        as_list = structure_list([data, data], cls)
        _assert_same(as_list, converter.structure([data, data], list[cls]))  # type: ignore[valid-type]


def test_fast_path_is_generated_code_for_every_class() -> None:
    for cls in _EXPORTED_CLASSES:
        assert _fast.function(cls).__name__ == f"fast_structure_{cls.__name__}"


def test_fast_path_is_built_on_first_use_not_at_import() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import inference_core; from inference_core._converter import _fast; "
        "assert not _fast._functions, _fast._functions"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def _converter_message(data: Any, cls: Any, name: str) -> str:
    try:
        converter.structure(data, cls)
    except Exception as exc:
        return str(_shape_error(name, exc))
    raise AssertionError("the converter accepted the payload")


_WRONG_SHAPES: list[tuple[Any, type[BaseInferenceType]]] = [
    ({**CHAT_COMPLETION, "choices": "oops"}, ChatCompletionOutput),
    ({"choices": [{"message": []}, 3], "usage": "x"}, ChatCompletionOutput),
    ({"choices": [{"delta": {"tool_calls": {"index": 0}}}]}, ChatCompletionStreamOutput),
    ({"choices": [{"delta": {"tool_calls": [{"function": "f"}]}}]}, ChatCompletionStreamOutput),
    ({"choices": ({"delta": {}},)}, ChatCompletionStreamOutput),  # a tuple is not an array
    ({"details": {"top_tokens": [[{}], {}]}}, TextGenerationOutput),
    ({"details": {"tokens": [{}, "x"], "prefill": 1}}, TextGenerationOutput),
    ({"token": [], "details": "x"}, TextGenerationStreamOutput),
    ({"content": [{"image_url": "u"}]}, ChatCompletionInputMessage),
    ({"json_schema": []}, ChatCompletionInputResponseFormatJSONSchema),
    ("text", TextGenerationOutput),
    ([], ChatCompletionStreamOutput),
    (True, ChatCompletionStreamOutput),
]


@pytest.mark.parametrize(("data", "cls"), _WRONG_SHAPES)
def test_fast_path_leaves_wrong_shapes_to_the_converter(
    data: Any, cls: type[BaseInferenceType]
) -> None:
    expected = _converter_message(data, cls, cls.__name__)
    with pytest.raises(ProviderError) as info:
        structure(data, cls)
    assert str(info.value) == expected
    assert isinstance(info.value.__cause__, Exception)
    assert info.value.__cause__.__context__ is None  # the declined fast attempt is not chained
    with pytest.raises(ProviderError) as info:
        structurer(cls)(data)
    assert str(info.value) == expected
    name = f"list[{cls.__name__}]"
    expected = _converter_message([{}, data], list[cls], name)  # type: ignore[valid-type]
    with pytest.raises(ProviderError) as info:
        structure_list([{}, data], cls)
    assert str(info.value) == expected


def test_fast_path_leaves_other_mappings_to_the_converter() -> None:
    out = structure(CHAT_COMPLETION, ChatCompletionOutput)
    with pytest.raises(Decline):  # not a dict
        _fast.function(ChatCompletionOutput)(out)
    assert structure(out, ChatCompletionOutput) == out
    assert structurer(ChatCompletionOutput)(out) == out


@pytest.mark.parametrize(
    "data",
    [
        {"generated_text": "x", "Details-Extra": 1},  # an extra that normalizes to another key
        {"Generated_Text": "x"},  # an extra that normalizes to a field
        {"generated_text": "y", "Generated Text": "x", "zz": None},
    ],
)
def test_fast_path_leaves_keys_to_normalize_to_the_converter(data: dict[str, Any]) -> None:
    with pytest.raises(Decline):
        _fast.function(TextGenerationOutput)(data)
    slow = converter.structure(data, TextGenerationOutput)
    _assert_same(structure(data, TextGenerationOutput), slow)
    _assert_same(structurer(TextGenerationOutput)(data), slow)
    assert all(key == key.lower() and "-" not in key and " " not in key for key in slow)
    assert slow.generated_text == "x"


def test_fast_path_takes_new_keys_that_need_no_normalizing() -> None:
    data = {"generated_text": "x", "never_seen_before_key": 1}
    out = _fast.function(TextGenerationOutput)(data)  # no Decline, even on the first sight
    assert list(out) == ["generated_text", "details", "never_seen_before_key"]


@inference_type
class _Node(BaseInferenceType):
    """A test-only type that contains itself."""

    name: str = NONE
    children: list[_Node] | None = None


@inference_type
class _Checked(BaseInferenceType):
    """A test-only type whose ``__init__`` does more than store values: left to the converter."""

    count: int = NONE
    name: str = "anonymous"

    def __post_init__(self) -> None:
        if self.count is not None:
            self.count = int(self.count)


def test_fast_path_self_referencing_and_converted_types() -> None:
    tree = {"name": "a", "children": [{"name": "b", "children": [], "x": 1}, None]}
    _assert_same(_fast.function(_Node)(tree), converter.structure(tree, _Node))
    for data in ({"count": "3"}, {"count": None, "name": None}, {"z": 1}):
        _assert_same(structure(data, _Checked), converter.structure(data, _Checked))
    assert structure({"count": "3"}, _Checked).count == 3
    assert structure({}, _Checked).name == "anonymous"
