"""Outputs behave like huggingface_hub's: each is a ``dict`` subclass *and* a dataclass.

The expected reprs and JSON texts below were produced by huggingface_hub v0.33.5 from the same
payloads. Deliberate differences from the reference, each pinned by a test here:

* nested outputs appear in the dict view as themselves (typed objects, which are dicts), where
  the reference stores plain-dict copies that drop the nested extras and miss later changes;
* ``out["new"] = v`` also makes ``out.new`` readable (the reference sets the item only);
* a server key named like a dict method (``items``, ...) stays an item only, where the reference
  shadows the method and breaks ``json.dumps(out)``;
* ``copy.deepcopy`` keeps nested objects typed (the reference turns some into plain dicts);
* ``del out["field"]`` makes both views read the field's default (the reference keeps the
  attribute);
* every field is optional in ``__init__`` (the reference requires the non-Optional ones).
"""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from typing import Any

import pytest

from inference_core import _types
from inference_core._converter import structure, structure_list, structurer
from inference_core._types import (
    BaseInferenceType,
    ChatCompletionInputMessage,
    ChatCompletionOutput,
    ChatCompletionOutputComplete,
    ChatCompletionOutputMessage,
    ChatCompletionOutputUsage,
    ChatCompletionStreamOutput,
    ChatCompletionStreamOutputDelta,
    FillMaskOutputElement,
    TextClassificationOutputElement,
    TextGenerationOutput,
    TextGenerationOutputDetails,
    TextGenerationOutputToken,
)

CHAT: dict[str, Any] = {
    "id": "c1",
    "object": "chat.completion",
    "created": 1,
    "model": "m",
    "system_fingerprint": "fp",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": "hi", "refusal": None},
            "logprobs": None,
        }
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
}
CHAT_REPR = (
    "ChatCompletionOutput(choices=[ChatCompletionOutputComplete(finish_reason='stop', index=0,"
    " message=ChatCompletionOutputMessage(role='assistant', content='hi', tool_call_id=None,"
    " tool_calls=None, refusal=None), logprobs=None)], created=1, id='c1', model='m',"
    " system_fingerprint='fp', usage=ChatCompletionOutputUsage(completion_tokens=2,"
    " prompt_tokens=1, total_tokens=3), object='chat.completion')"
)
# The reference's text, except that it drops the nested extra ``"refusal": null``.
CHAT_JSON = (
    '{"choices": [{"finish_reason": "stop", "index": 0, "message": {"role": "assistant",'
    ' "content": "hi", "tool_call_id": null, "tool_calls": null, "refusal": null},'
    ' "logprobs": null}], "created": 1, "id": "c1", "model": "m", "system_fingerprint": "fp",'
    ' "usage": {"completion_tokens": 2, "prompt_tokens": 1, "total_tokens": 3},'
    ' "object": "chat.completion"}'
)

CHUNK: dict[str, Any] = {
    "id": "c",
    "object": "chat.completion.chunk",
    "created": 1,
    "model": "m",
    "system_fingerprint": "f",
    "choices": [
        {
            "index": 0,
            "delta": {"role": "assistant", "content": " Paris"},
            "logprobs": None,
            "finish_reason": None,
        }
    ],
}
CHUNK_REPR = (
    "ChatCompletionStreamOutput(choices=[ChatCompletionStreamOutputChoice(delta="
    "ChatCompletionStreamOutputDelta(role='assistant', content=' Paris', tool_call_id=None,"
    " tool_calls=None), index=0, finish_reason=None, logprobs=None)], created=1, id='c',"
    " model='m', system_fingerprint='f', usage=None, object='chat.completion.chunk')"
)
CHUNK_JSON = (
    '{"choices": [{"delta": {"role": "assistant", "content": " Paris", "tool_call_id": null,'
    ' "tool_calls": null}, "index": 0, "finish_reason": null, "logprobs": null}], "created": 1,'
    ' "id": "c", "model": "m", "system_fingerprint": "f", "usage": null,'
    ' "object": "chat.completion.chunk"}'
)

FILL_MASK: list[dict[str, Any]] = [
    {"score": 0.5, "token": 3, "token_str": "Paris", "sequence": "The capital is Paris."}
]
FILL_MASK_REPR = (
    "[FillMaskOutputElement(score=0.5, sequence='The capital is Paris.', token=3,"
    " token_str='Paris', fill_mask_output_token_str=None)]"
)
FILL_MASK_JSON = (
    '[{"score": 0.5, "sequence": "The capital is Paris.", "token": 3, "token_str": "Paris",'
    ' "fill_mask_output_token_str": null}]'
)

TGI: dict[str, Any] = {
    "generated_text": " Paris.",
    "details": {
        "finish_reason": "eos_token",
        "generated_tokens": 1,
        "seed": None,
        "prefill": [],
        "tokens": [{"id": 5, "text": " Paris", "logprob": -0.2, "special": False}],
    },
}
TGI_REPR = (
    "TextGenerationOutput(generated_text=' Paris.', details=TextGenerationOutputDetails("
    "finish_reason='eos_token', generated_tokens=1, prefill=[], tokens=[TextGenerationOutputToken("
    "id=5, logprob=-0.2, special=False, text=' Paris')], best_of_sequences=None, seed=None,"
    " top_tokens=None))"
)
TGI_JSON = (
    '{"generated_text": " Paris.", "details": {"finish_reason": "eos_token", "generated_tokens": 1,'
    ' "prefill": [], "tokens": [{"id": 5, "logprob": -0.2, "special": false, "text": " Paris"}],'
    ' "best_of_sequences": null, "seed": null, "top_tokens": null}}'
)


def _chat() -> ChatCompletionOutput:
    return structure(CHAT, ChatCompletionOutput)


def _chunk() -> ChatCompletionStreamOutput:
    return structurer(ChatCompletionStreamOutput)(CHUNK)


def _fill_mask() -> list[FillMaskOutputElement]:
    return structure_list(FILL_MASK, FillMaskOutputElement)


def _tgi() -> TextGenerationOutput:
    return structure(TGI, TextGenerationOutput)


CASES = [
    pytest.param(_chat, CHAT_REPR, CHAT_JSON, id="chat"),
    pytest.param(_chunk, CHUNK_REPR, CHUNK_JSON, id="chunk"),
    pytest.param(_fill_mask, FILL_MASK_REPR, FILL_MASK_JSON, id="fill_mask"),
    pytest.param(_tgi, TGI_REPR, TGI_JSON, id="text_generation"),
]


def _objects(value: Any) -> list[BaseInferenceType]:
    """Every typed object in ``value``, outermost first."""
    if isinstance(value, BaseInferenceType):
        return [value, *(o for item in value.values() for o in _objects(item))]
    if isinstance(value, list):
        return [o for item in value for o in _objects(item)]
    return []


# --- Both a dict and a dataclass ---------------------------------------------------------------


@pytest.mark.parametrize(("build", "text", "dumped"), CASES)
def test_repr_and_json_match_the_reference(build: Any, text: str, dumped: str) -> None:
    out = build()
    assert repr(out) == text
    assert json.dumps(out) == dumped
    assert str(out) == repr(out)


@pytest.mark.parametrize(("build", "text", "dumped"), CASES)
def test_every_level_is_a_dict_and_a_dataclass(build: Any, text: str, dumped: str) -> None:
    objects = _objects(build())
    assert len(objects) >= 1
    for obj in objects:
        assert isinstance(obj, dict)
        assert dataclasses.is_dataclass(obj)
        names = [f.name for f in dataclasses.fields(obj)]
        assert list(obj)[: len(names)] == names  # fields first, in declaration order
        for name in names:
            assert getattr(obj, name) is obj[name]
        assert json.loads(json.dumps(obj)) == obj.to_dict()


def test_asdict_gives_the_declared_fields_only() -> None:
    out = _chat()
    assert dataclasses.asdict(out) == {
        "choices": [
            {
                "finish_reason": "stop",
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "hi",
                    "tool_call_id": None,
                    "tool_calls": None,
                },
                "logprobs": None,
            }
        ],
        "created": 1,
        "id": "c1",
        "model": "m",
        "system_fingerprint": "fp",
        "usage": {"completion_tokens": 2, "prompt_tokens": 1, "total_tokens": 3},
    }
    assert [f.name for f in dataclasses.fields(out)] == [
        "choices",
        "created",
        "id",
        "model",
        "system_fingerprint",
        "usage",
    ]
    assert dataclasses.asdict(_tgi())["details"]["tokens"][0]["text"] == " Paris"


def test_nested_outputs_are_the_same_objects_in_both_views() -> None:
    out = _chat()
    assert out["choices"] is out.choices
    assert out["choices"][0] is out.choices[0]
    assert isinstance(out["choices"][0], ChatCompletionOutputComplete)
    assert isinstance(out["usage"], ChatCompletionOutputUsage)
    out.choices[0].index = 9
    assert out["choices"][0]["index"] == 9
    out["usage"]["total_tokens"] = 99
    assert out.usage.total_tokens == 99
    details = _tgi()["details"]
    assert isinstance(details, TextGenerationOutputDetails)
    assert isinstance(details["tokens"][0], TextGenerationOutputToken)


def test_lists_of_outputs() -> None:
    elements = _fill_mask()
    assert type(elements) is list
    assert isinstance(elements[0], FillMaskOutputElement)
    assert elements[0].token_str == elements[0]["token_str"] == "Paris"
    assert elements == [{**FILL_MASK[0], "fill_mask_output_token_str": None}]
    assert json.loads(json.dumps(elements)) == [e.to_dict() for e in elements]


# --- Writing through either view -------------------------------------------------------------


def test_item_assignment_shows_as_attribute() -> None:
    out = _chat()
    out["id"] = "x"
    assert out.id == "x"
    out["created"] = 5
    assert out.created == 5 == out["created"]


def test_attribute_assignment_shows_as_item() -> None:
    out = _chat()
    out.id = "y"
    assert out["id"] == "y"
    assert json.loads(json.dumps(out))["id"] == "y"


def test_new_keys_through_either_view() -> None:
    out = _chunk()
    out["new_item"] = 5
    assert out.new_item == 5  # type: ignore[attr-defined]  # the reference: item only
    out.new_attr = 6  # type: ignore[attr-defined]
    assert out["new_attr"] == 6
    assert list(out)[-2:] == ["new_item", "new_attr"]
    assert json.loads(json.dumps(out))["new_attr"] == 6
    assert repr(out).endswith("object='chat.completion.chunk', new_item=5, new_attr=6)")


def test_dict_methods_keep_both_views_in_step() -> None:
    out = _chat()
    out.update({"id": "u"}, model="um")
    assert (out.id, out.model) == ("u", "um")
    out |= {"system_fingerprint": "or"}
    assert out.system_fingerprint == "or"
    assert out.setdefault("id", "ignored") == "u"
    assert out.setdefault("later", 1) == 1
    assert out.later == 1  # type: ignore[attr-defined]
    assert out.pop("object") == "chat.completion"
    with pytest.raises(AttributeError):
        _ = out.object  # type: ignore[attr-defined]
    del out["model"]
    assert "model" not in out
    assert out.model is None and out["model"] is None  # a deleted field reads as its default
    del out.id
    assert "id" not in out and out.id is None
    out.clear()
    assert out == {} and out.choices is None


def test_deleting_extras_through_either_view() -> None:
    out = _chunk()
    del out.object  # type: ignore[attr-defined]
    assert "object" not in out
    with pytest.raises(AttributeError):
        del out.object  # type: ignore[attr-defined]
    with pytest.raises(KeyError):
        del out["object"]
    with pytest.raises(KeyError):
        _ = out["object"]


def test_methods_can_still_be_replaced_on_an_instance() -> None:
    out = _chat()
    out.to_dict = lambda: {"patched": True}  # type: ignore[method-assign]  # a test double
    assert out.to_dict() == {"patched": True}
    assert "to_dict" not in out
    del out.to_dict
    assert out.to_dict()["id"] == "c1"
    out.mro = 1  # type: ignore[attr-defined]  # a name only the metaclass defines: an extra
    assert out["mro"] == 1


def test_the_base_is_a_dataclass_without_fields() -> None:
    assert dataclasses.is_dataclass(BaseInferenceType)
    assert dataclasses.fields(BaseInferenceType) == ()


# --- Equality, hashing, unknown keys -----------------------------------------------------------


def test_equality_with_plain_dicts() -> None:
    out = _chat()
    plain = json.loads(CHAT_JSON)
    assert out == plain
    assert plain == out
    assert (out != plain) is False
    assert out != CHAT  # the server body lacks the None fields
    element = TextClassificationOutputElement(label="a", score=1.0)
    assert element == {"label": "a", "score": 1.0}
    assert {"label": "a", "score": 1.0} == element  # noqa: SIM300 (the reflected comparison)
    assert element != {"label": "a"}


def test_equality_between_instances_ignores_extras() -> None:
    a = _chat()
    b = structure({k: v for k, v in CHAT.items() if k != "object"}, ChatCompletionOutput)
    assert a == b
    assert (a != b) is False
    b.id = "other"
    assert a != b
    assert a != _chunk()


def test_instances_are_unhashable() -> None:
    with pytest.raises(TypeError):
        hash(_chat())
    with pytest.raises(TypeError):
        hash(TextClassificationOutputElement())


def test_unknown_keys_are_items_and_attributes() -> None:
    out = _chat()
    assert out["object"] == "chat.completion"
    assert out.object == "chat.completion"  # type: ignore[attr-defined]
    message = out.choices[0].message
    assert "refusal" in message and message.refusal is None  # type: ignore[attr-defined]
    assert list(message) == ["role", "content", "tool_call_id", "tool_calls", "refusal"]
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        _ = message.nope  # type: ignore[attr-defined]
    assert not hasattr(message, "__deepcopy__")


def test_unknown_keys_are_normalized_as_in_the_reference() -> None:
    out = structure(
        {"label": "a", "score": 1, "Content-Type": "x", "Model Name": "m", "LABEL": "b"},
        TextClassificationOutputElement,
    )
    assert dict(out) == {"label": "b", "score": 1, "content_type": "x", "model_name": "m"}
    assert out.content_type == "x"  # type: ignore[attr-defined]
    same = structurer(TextClassificationOutputElement)({"label": "a", "Content-Type": "x"})
    assert list(same) == ["label", "score", "content_type"]


def test_unknown_keys_named_like_methods_stay_items() -> None:
    out = structure({"label": "a", "items": [1], "keys": 2}, TextClassificationOutputElement)
    assert out["items"] == [1]
    assert callable(out.items) and callable(out.keys)
    assert json.dumps(out) == '{"label": "a", "score": null, "items": [1], "keys": 2}'
    out["to_dict"] = 3
    assert out.to_dict()["to_dict"] == 3


# --- Copies --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("build", "text", "dumped"), CASES)
def test_copy_deepcopy_and_pickle_keep_everything(build: Any, text: str, dumped: str) -> None:
    out = build()
    for clone in (copy.copy(out), copy.deepcopy(out), pickle.loads(pickle.dumps(out))):
        assert clone == out
        assert repr(clone) == text
        assert json.dumps(clone) == dumped
        assert [type(o) for o in _objects(clone)] == [type(o) for o in _objects(out)]


def test_deepcopy_is_independent_and_keeps_shared_objects_shared() -> None:
    out = _chat()
    clone = copy.deepcopy(out)
    assert clone.choices[0] is clone["choices"][0]
    assert clone.choices[0] is not out.choices[0]
    clone.choices[0].message.content = "changed"
    assert out.choices[0].message.content == "hi"
    shallow = copy.copy(out)
    assert shallow.choices is out.choices


def test_replace_builds_a_new_instance_from_the_fields() -> None:
    element = TextClassificationOutputElement(label="a", score=1.0)
    assert dataclasses.replace(element, score=2.0) == {"label": "a", "score": 2.0}


# --- Construction ----------------------------------------------------------------------------


def test_direct_construction() -> None:
    message = ChatCompletionInputMessage(role="user", content="hi")
    assert repr(message) == (
        "ChatCompletionInputMessage(role='user', content='hi', name=None, tool_calls=None)"
    )
    assert json.dumps(message) == (
        '{"role": "user", "content": "hi", "name": null, "tool_calls": null}'
    )
    delta = ChatCompletionStreamOutputDelta(role="assistant")
    assert delta == {"role": "assistant", "content": None, "tool_call_id": None, "tool_calls": None}
    assert ChatCompletionOutputMessage("assistant", "hi").content == "hi"  # positional, in order


_OUTPUT_CLASSES = [
    obj
    for obj in (getattr(_types, name) for name in _types.__all__)
    if isinstance(obj, type) and issubclass(obj, BaseInferenceType) and obj is not BaseInferenceType
]


def test_the_parametrized_list_has_every_exported_class() -> None:
    exported = {obj for obj in (getattr(_types, name) for name in _types.__all__)}
    others = {obj.__name__ for obj in exported - set(_OUTPUT_CLASSES) if isinstance(obj, type)}
    assert others <= {"BaseInferenceType", "ModelStatus"}  # ModelStatus: a plain dataclass
    assert len(_OUTPUT_CLASSES) >= 70


@pytest.mark.parametrize("cls", _OUTPUT_CLASSES, ids=lambda cls: cls.__name__)
def test_every_exported_class_is_a_dict_and_a_dataclass(cls: type[BaseInferenceType]) -> None:
    assert issubclass(cls, dict)
    assert dataclasses.is_dataclass(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    assert names
    # No field hides a dict method (it would break ``out.items()`` and ``json.dumps``).
    assert not set(names) & set(dir(dict))
    empty = cls()
    assert list(empty) == names
    assert json.loads(json.dumps(empty)) == empty.to_dict() == dict(empty)
    built = structure({name: None for name in names} | {"zz_extra": 1}, cls)
    assert type(built) is cls
    assert built["zz_extra"] == built.zz_extra == 1  # type: ignore[attr-defined]
    assert pickle.loads(pickle.dumps(built)) == built
    assert copy.deepcopy(built)["zz_extra"] == 1
