"""The chat-completion types: the OpenAI-compatible output, stream chunk and input shapes.

Strategy: one ``@inference_type`` dataclass (a ``dict`` subclass, see ``_base.py``) per JSON
object, with huggingface_hub's class names, field names and field order (required fields first,
then optional ones, each group alphabetical). Every field defaults to None; fields the server
must send are annotated without ``Optional`` and default to ``NONE`` (as in the reference), so
typed code can read ``out.choices[0]`` directly. Leaf classes come first so that every
annotation is a real class when cattrs reads it.
"""

from typing import Any, Literal, Optional, Union

from ._base import NONE, BaseInferenceType, inference_type

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


@inference_type
class ChatCompletionOutputTopLogprob(BaseInferenceType):
    """One of the most likely alternatives at a position, with its log-probability."""

    logprob: float = NONE
    token: str = NONE


@inference_type
class ChatCompletionOutputLogprob(BaseInferenceType):
    """A generated token, its log-probability and the top alternatives."""

    logprob: float = NONE
    token: str = NONE
    top_logprobs: list[ChatCompletionOutputTopLogprob] = NONE


@inference_type
class ChatCompletionOutputLogprobs(BaseInferenceType):
    """Log-probabilities of a choice's tokens."""

    content: list[ChatCompletionOutputLogprob] = NONE


@inference_type
class ChatCompletionOutputFunctionDefinition(BaseInferenceType):
    """The function a tool call invokes.

    ``arguments`` is kept as the server sent it: usually a JSON string, sometimes a dict.
    """

    arguments: Any = None
    name: str = NONE
    description: Optional[str] = None


@inference_type
class ChatCompletionOutputToolCall(BaseInferenceType):
    """A tool call requested by the model."""

    function: ChatCompletionOutputFunctionDefinition = NONE
    id: str = NONE
    type: str = NONE


@inference_type
class ChatCompletionOutputMessage(BaseInferenceType):
    """The assistant message of a choice."""

    role: str = NONE
    content: Optional[str] = None
    tool_call_id: Optional[str] = None
    tool_calls: Optional[list[ChatCompletionOutputToolCall]] = None


@inference_type
class ChatCompletionOutputComplete(BaseInferenceType):
    """One completed choice."""

    finish_reason: str = NONE
    index: int = NONE
    message: ChatCompletionOutputMessage = NONE
    logprobs: Optional[ChatCompletionOutputLogprobs] = None


@inference_type
class ChatCompletionOutputUsage(BaseInferenceType):
    """Token counts of a request."""

    completion_tokens: int = NONE
    prompt_tokens: int = NONE
    total_tokens: int = NONE


@inference_type
class ChatCompletionOutput(BaseInferenceType):
    """A whole chat completion. Extra keys such as ``object`` are kept as extras."""

    choices: list[ChatCompletionOutputComplete] = NONE
    created: int = NONE
    id: str = NONE
    model: str = NONE
    system_fingerprint: str = NONE
    usage: ChatCompletionOutputUsage = NONE


# --- Streaming output --------------------------------------------------------------------------


@inference_type
class ChatCompletionStreamOutputTopLogprob(BaseInferenceType):
    """One of the most likely alternatives at a position, with its log-probability."""

    logprob: float = NONE
    token: str = NONE


@inference_type
class ChatCompletionStreamOutputLogprob(BaseInferenceType):
    """A streamed token, its log-probability and the top alternatives."""

    logprob: float = NONE
    token: str = NONE
    top_logprobs: list[ChatCompletionStreamOutputTopLogprob] = NONE


@inference_type
class ChatCompletionStreamOutputLogprobs(BaseInferenceType):
    """Log-probabilities of the tokens in a chunk."""

    content: list[ChatCompletionStreamOutputLogprob] = NONE


@inference_type
class ChatCompletionStreamOutputFunction(BaseInferenceType):
    """A fragment of a streamed tool call's function (``arguments`` arrive in pieces)."""

    arguments: str = NONE
    name: Optional[str] = None


@inference_type
class ChatCompletionStreamOutputDeltaToolCall(BaseInferenceType):
    """A fragment of a streamed tool call."""

    function: ChatCompletionStreamOutputFunction = NONE
    id: str = NONE
    index: int = NONE
    type: str = NONE


@inference_type
class ChatCompletionStreamOutputDelta(BaseInferenceType):
    """What a chunk adds to the assistant message."""

    role: str = NONE
    content: Optional[str] = None
    tool_call_id: Optional[str] = None
    tool_calls: Optional[list[ChatCompletionStreamOutputDeltaToolCall]] = None


@inference_type
class ChatCompletionStreamOutputChoice(BaseInferenceType):
    """One choice of a stream chunk."""

    delta: ChatCompletionStreamOutputDelta = NONE
    index: int = NONE
    finish_reason: Optional[str] = None
    logprobs: Optional[ChatCompletionStreamOutputLogprobs] = None


@inference_type
class ChatCompletionStreamOutputUsage(BaseInferenceType):
    """Token counts, sent in the last chunk when ``include_usage`` was requested."""

    completion_tokens: int = NONE
    prompt_tokens: int = NONE
    total_tokens: int = NONE


@inference_type
class ChatCompletionStreamOutput(BaseInferenceType):
    """One chunk of a streamed chat completion."""

    choices: list[ChatCompletionStreamOutputChoice] = NONE
    created: int = NONE
    id: str = NONE
    model: str = NONE
    system_fingerprint: str = NONE
    usage: Optional[ChatCompletionStreamOutputUsage] = None


# --- Inputs ------------------------------------------------------------------------------------


@inference_type
class ChatCompletionInputURL(BaseInferenceType):
    """An image URL (``http(s)://`` or a ``data:`` URL) in a message chunk."""

    url: str = NONE


@inference_type
class ChatCompletionInputMessageChunk(BaseInferenceType):
    """One part of a multi-part message: ``type`` is ``"text"`` or ``"image_url"``."""

    type: str = NONE
    image_url: Optional[ChatCompletionInputURL] = None
    text: Optional[str] = None


@inference_type
class ChatCompletionInputFunctionDefinition(BaseInferenceType):
    """A function offered to the model as a tool (``parameters`` is a JSON schema)."""

    name: str = NONE
    parameters: Any = None
    description: Optional[str] = None


@inference_type
class ChatCompletionInputToolCall(BaseInferenceType):
    """A tool call in an earlier assistant message."""

    function: ChatCompletionInputFunctionDefinition = NONE
    id: str = NONE
    type: str = NONE


@inference_type
class ChatCompletionInputMessage(BaseInferenceType):
    """A message of the conversation sent to the model."""

    role: str = NONE
    content: Optional[Union[list[ChatCompletionInputMessageChunk], str]] = None
    name: Optional[str] = None
    tool_calls: Optional[list[ChatCompletionInputToolCall]] = None


@inference_type
class ChatCompletionInputTool(BaseInferenceType):
    """A tool the model may call."""

    function: ChatCompletionInputFunctionDefinition = NONE
    type: str = NONE


@inference_type
class ChatCompletionInputFunctionName(BaseInferenceType):
    """Names the function a forced tool choice must call."""

    name: str = NONE


@inference_type
class ChatCompletionInputToolChoiceClass(BaseInferenceType):
    """Forces the model to call one function: ``{"function": {"name": ...}}``."""

    function: ChatCompletionInputFunctionName = NONE


@inference_type
class ChatCompletionInputJSONSchema(BaseInferenceType):
    """A named JSON schema that the response must follow."""

    name: str = NONE
    description: Optional[str] = None
    schema: Optional[dict[str, object]] = None
    strict: Optional[bool] = None


@inference_type
class ChatCompletionInputResponseFormatText(BaseInferenceType):
    """Plain-text response format. ``type`` defaults to its only valid value."""

    type: str = "text"


@inference_type
class ChatCompletionInputResponseFormatJSONSchema(BaseInferenceType):
    """Response format constrained by a JSON schema. ``type`` defaults to its only value."""

    json_schema: ChatCompletionInputJSONSchema = NONE
    type: str = "json_schema"


@inference_type
class ChatCompletionInputResponseFormatJSONObject(BaseInferenceType):
    """Response format "any JSON object". ``type`` defaults to its only valid value."""

    type: str = "json_object"


ChatCompletionInputGrammarType = Union[
    ChatCompletionInputResponseFormatText,
    ChatCompletionInputResponseFormatJSONSchema,
    ChatCompletionInputResponseFormatJSONObject,
]


@inference_type
class ChatCompletionInputStreamOptions(BaseInferenceType):
    """Streaming options; ``include_usage=True`` adds a final chunk with token counts."""

    include_usage: Optional[bool] = None
