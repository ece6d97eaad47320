"""The chat-completion types: the OpenAI-compatible output, stream chunk and input shapes.

Strategy: one attrs class per JSON object, with huggingface_hub's class names, field names and
field order (required fields first, then optional ones, each group alphabetical). Every field
defaults to None; fields the server must send are annotated without ``Optional`` (as in the
reference) so typed code can read ``out.choices[0]`` directly. Leaf classes come first so that
every annotation is a real class when cattrs reads it.
"""

from typing import Any, Literal, Optional, Union

import attrs
from attrs import field

from ._base import BaseInferenceType

__all__ = [
    "ChatCompletionOutput",
    "ChatCompletionOutputComplete",
    "ChatCompletionOutputMessage",
    "ChatCompletionOutputToolCall",
    "ChatCompletionOutputFunctionDefinition",
    "ChatCompletionOutputLogprobs",
    "ChatCompletionOutputLogprob",
    "ChatCompletionOutputTopLogprob",
    "ChatCompletionOutputUsage",
    "ChatCompletionStreamOutput",
    "ChatCompletionStreamOutputChoice",
    "ChatCompletionStreamOutputDelta",
    "ChatCompletionStreamOutputDeltaToolCall",
    "ChatCompletionStreamOutputFunction",
    "ChatCompletionStreamOutputLogprobs",
    "ChatCompletionStreamOutputLogprob",
    "ChatCompletionStreamOutputTopLogprob",
    "ChatCompletionStreamOutputUsage",
    "ChatCompletionInputMessage",
    "ChatCompletionInputMessageChunk",
    "ChatCompletionInputMessageChunkType",
    "ChatCompletionInputURL",
    "ChatCompletionInputTool",
    "ChatCompletionInputFunctionDefinition",
    "ChatCompletionInputToolCall",
    "ChatCompletionInputToolChoiceClass",
    "ChatCompletionInputToolChoiceEnum",
    "ChatCompletionInputFunctionName",
    "ChatCompletionInputJSONSchema",
    "ChatCompletionInputResponseFormatText",
    "ChatCompletionInputResponseFormatJSONSchema",
    "ChatCompletionInputResponseFormatJSONObject",
    "ChatCompletionInputGrammarType",
    "ChatCompletionInputStreamOptions",
]

ChatCompletionInputMessageChunkType = Literal["text", "image_url"]
ChatCompletionInputToolChoiceEnum = Literal["auto", "none", "required"]


# --- Non-streaming output ----------------------------------------------------------------------


@attrs.define
class ChatCompletionOutputTopLogprob(BaseInferenceType):
    """One of the most likely alternatives at a position, with its log-probability."""

    logprob: float = field(default=None)
    token: str = field(default=None)


@attrs.define
class ChatCompletionOutputLogprob(BaseInferenceType):
    """A generated token, its log-probability and the top alternatives."""

    logprob: float = field(default=None)
    token: str = field(default=None)
    top_logprobs: list[ChatCompletionOutputTopLogprob] = field(default=None)


@attrs.define
class ChatCompletionOutputLogprobs(BaseInferenceType):
    """Log-probabilities of a choice's tokens."""

    content: list[ChatCompletionOutputLogprob] = field(default=None)


@attrs.define
class ChatCompletionOutputFunctionDefinition(BaseInferenceType):
    """The function a tool call invokes.

    ``arguments`` is kept as the server sent it: usually a JSON string, sometimes a dict.
    """

    arguments: Any = None
    name: str = field(default=None)
    description: Optional[str] = None


@attrs.define
class ChatCompletionOutputToolCall(BaseInferenceType):
    """A tool call requested by the model."""

    function: ChatCompletionOutputFunctionDefinition = field(default=None)
    id: str = field(default=None)
    type: str = field(default=None)


@attrs.define
class ChatCompletionOutputMessage(BaseInferenceType):
    """The assistant message of a choice."""

    role: str = field(default=None)
    content: Optional[str] = None
    tool_call_id: Optional[str] = None
    tool_calls: Optional[list[ChatCompletionOutputToolCall]] = None


@attrs.define
class ChatCompletionOutputComplete(BaseInferenceType):
    """One completed choice."""

    finish_reason: str = field(default=None)
    index: int = field(default=None)
    message: ChatCompletionOutputMessage = field(default=None)
    logprobs: Optional[ChatCompletionOutputLogprobs] = None


@attrs.define
class ChatCompletionOutputUsage(BaseInferenceType):
    """Token counts of a request."""

    completion_tokens: int = field(default=None)
    prompt_tokens: int = field(default=None)
    total_tokens: int = field(default=None)


@attrs.define
class ChatCompletionOutput(BaseInferenceType):
    """A whole chat completion. Extra keys such as ``object`` are kept as extras."""

    choices: list[ChatCompletionOutputComplete] = field(default=None)
    created: int = field(default=None)
    id: str = field(default=None)
    model: str = field(default=None)
    system_fingerprint: str = field(default=None)
    usage: ChatCompletionOutputUsage = field(default=None)


# --- Streaming output --------------------------------------------------------------------------


@attrs.define
class ChatCompletionStreamOutputTopLogprob(BaseInferenceType):
    """One of the most likely alternatives at a position, with its log-probability."""

    logprob: float = field(default=None)
    token: str = field(default=None)


@attrs.define
class ChatCompletionStreamOutputLogprob(BaseInferenceType):
    """A streamed token, its log-probability and the top alternatives."""

    logprob: float = field(default=None)
    token: str = field(default=None)
    top_logprobs: list[ChatCompletionStreamOutputTopLogprob] = field(default=None)


@attrs.define
class ChatCompletionStreamOutputLogprobs(BaseInferenceType):
    """Log-probabilities of the tokens in a chunk."""

    content: list[ChatCompletionStreamOutputLogprob] = field(default=None)


@attrs.define
class ChatCompletionStreamOutputFunction(BaseInferenceType):
    """A fragment of a streamed tool call's function (``arguments`` arrive in pieces)."""

    arguments: str = field(default=None)
    name: Optional[str] = None


@attrs.define
class ChatCompletionStreamOutputDeltaToolCall(BaseInferenceType):
    """A fragment of a streamed tool call."""

    function: ChatCompletionStreamOutputFunction = field(default=None)
    id: str = field(default=None)
    index: int = field(default=None)
    type: str = field(default=None)


@attrs.define
class ChatCompletionStreamOutputDelta(BaseInferenceType):
    """What a chunk adds to the assistant message."""

    role: str = field(default=None)
    content: Optional[str] = None
    tool_call_id: Optional[str] = None
    tool_calls: Optional[list[ChatCompletionStreamOutputDeltaToolCall]] = None


@attrs.define
class ChatCompletionStreamOutputChoice(BaseInferenceType):
    """One choice of a stream chunk."""

    delta: ChatCompletionStreamOutputDelta = field(default=None)
    index: int = field(default=None)
    finish_reason: Optional[str] = None
    logprobs: Optional[ChatCompletionStreamOutputLogprobs] = None


@attrs.define
class ChatCompletionStreamOutputUsage(BaseInferenceType):
    """Token counts, sent in the last chunk when ``include_usage`` was requested."""

    completion_tokens: int = field(default=None)
    prompt_tokens: int = field(default=None)
    total_tokens: int = field(default=None)


@attrs.define
class ChatCompletionStreamOutput(BaseInferenceType):
    """One chunk of a streamed chat completion."""

    choices: list[ChatCompletionStreamOutputChoice] = field(default=None)
    created: int = field(default=None)
    id: str = field(default=None)
    model: str = field(default=None)
    system_fingerprint: str = field(default=None)
    usage: Optional[ChatCompletionStreamOutputUsage] = None


# --- Inputs ------------------------------------------------------------------------------------


@attrs.define
class ChatCompletionInputURL(BaseInferenceType):
    """An image URL (``http(s)://`` or a ``data:`` URL) in a message chunk."""

    url: str = field(default=None)


@attrs.define
class ChatCompletionInputMessageChunk(BaseInferenceType):
    """One part of a multi-part message: ``type`` is ``"text"`` or ``"image_url"``."""

    type: str = field(default=None)
    image_url: Optional[ChatCompletionInputURL] = None
    text: Optional[str] = None


@attrs.define
class ChatCompletionInputFunctionDefinition(BaseInferenceType):
    """A function offered to the model as a tool (``parameters`` is a JSON schema)."""

    name: str = field(default=None)
    parameters: Any = None
    description: Optional[str] = None


@attrs.define
class ChatCompletionInputToolCall(BaseInferenceType):
    """A tool call in an earlier assistant message."""

    function: ChatCompletionInputFunctionDefinition = field(default=None)
    id: str = field(default=None)
    type: str = field(default=None)


@attrs.define
class ChatCompletionInputMessage(BaseInferenceType):
    """A message of the conversation sent to the model."""

    role: str = field(default=None)
    content: Optional[Union[list[ChatCompletionInputMessageChunk], str]] = None
    name: Optional[str] = None
    tool_calls: Optional[list[ChatCompletionInputToolCall]] = None


@attrs.define
class ChatCompletionInputTool(BaseInferenceType):
    """A tool the model may call."""

    function: ChatCompletionInputFunctionDefinition = field(default=None)
    type: str = field(default=None)


@attrs.define
class ChatCompletionInputFunctionName(BaseInferenceType):
    """Names the function a forced tool choice must call."""

    name: str = field(default=None)


@attrs.define
class ChatCompletionInputToolChoiceClass(BaseInferenceType):
    """Forces the model to call one function: ``{"function": {"name": ...}}``."""

    function: ChatCompletionInputFunctionName = field(default=None)


@attrs.define
class ChatCompletionInputJSONSchema(BaseInferenceType):
    """A named JSON schema that the response must follow."""

    name: str = field(default=None)
    description: Optional[str] = None
    schema: Optional[dict[str, object]] = None
    strict: Optional[bool] = None


@attrs.define
class ChatCompletionInputResponseFormatText(BaseInferenceType):
    """Plain-text response format. ``type`` defaults to its only valid value."""

    type: str = "text"


@attrs.define
class ChatCompletionInputResponseFormatJSONSchema(BaseInferenceType):
    """Response format constrained by a JSON schema. ``type`` defaults to its only value."""

    json_schema: ChatCompletionInputJSONSchema = field(default=None)
    type: str = "json_schema"


@attrs.define
class ChatCompletionInputResponseFormatJSONObject(BaseInferenceType):
    """Response format "any JSON object". ``type`` defaults to its only valid value."""

    type: str = "json_object"


ChatCompletionInputGrammarType = Union[
    ChatCompletionInputResponseFormatText,
    ChatCompletionInputResponseFormatJSONSchema,
    ChatCompletionInputResponseFormatJSONObject,
]


@attrs.define
class ChatCompletionInputStreamOptions(BaseInferenceType):
    """Streaming options; ``include_usage=True`` adds a final chunk with token counts."""

    include_usage: Optional[bool] = None
