"""The ``chat_completion`` plan: OpenAI-style chat on TGI, Inference Endpoints and the router.

Strategy: validate the messages before anything is sent, build the payload exactly as
huggingface_hub puts it on the wire (spec tasks.md §5.1: parameter order, ``filter_none``, the
``"dummy"`` model for URL targets, the ``json_schema`` rewrite, ``extra_body`` merged last), then
either one round trip parsed into :class:`ChatCompletionOutput`, or a :class:`Streamed` whose
decoder yields :class:`ChatCompletionStreamOutput` chunks.

Model precedence is the reference's: the URL comes from the client's model first, the payload
``model`` from the call's argument first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any, Union

from .._boundary import Completed, Streamed
from .._config import ClientConfig
from .._contract import CONVERSATIONAL
from .._converter import structure, structurer
from .._errors import RequestError
from .._plan import Plan, open_stream, send
from .._resolve import resolve
from .._sse import JSONStreamDecoder
from .._types import ChatCompletionInputMessage, ChatCompletionOutput, ChatCompletionStreamOutput
from .._types._base import BaseInferenceType
from .._wire import filter_none, is_url, to_wire

__all__ = ["chat_completion"]

ChatCompletionResult = Union[Completed[ChatCompletionOutput], Streamed[ChatCompletionStreamOutput]]


def chat_completion(
    config: ClientConfig,
    /,
    messages: Sequence[Union[Mapping[str, Any], ChatCompletionInputMessage]],
    *,
    model: str | None = None,
    stream: bool = False,
    frequency_penalty: float | None = None,
    logit_bias: list[float] | None = None,
    logprobs: bool | None = None,
    max_tokens: int | None = None,
    n: int | None = None,
    presence_penalty: float | None = None,
    response_format: Any = None,
    seed: int | None = None,
    stop: list[str] | None = None,
    stream_options: Any = None,
    temperature: float | None = None,
    tool_choice: Any = None,
    tool_prompt: str | None = None,
    tools: list[Any] | None = None,
    top_logprobs: int | None = None,
    top_p: float | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Plan[ChatCompletionResult]:
    """A completion for a conversation, from a chat model (OpenAI's chat-completions API).

    Args:
        messages: the conversation: dicts (or ``ChatCompletionInputMessage``) with a ``role``
            and a ``content`` (or ``tool_calls``).
        model: a Hub model id or a URL; the client's model wins for the URL, this one for the
            payload ``model`` field.
        stream: return an iterator of ``ChatCompletionStreamOutput`` chunks instead.
        extra_body: extra top-level payload keys (provider-specific options); they may
            override any other key.
        Other parameters: as in OpenAI's API (``None`` means "not sent").

    Returns:
        ``ChatCompletionOutput``, or with ``stream=True`` a ``Stream`` (async: ``AsyncStream``)
        of ``ChatCompletionStreamOutput`` that is also a context manager.

    Raises:
        RequestError: bad arguments, before any I/O.
        ProviderError: the server answered with an error (TGI errors map to their class, also
            inside a stream); TransportError: the connection failed or timed out.
    """
    wire_messages = _validate_messages(messages)
    url_model = config.model or model
    payload_model = model or config.model
    parameters: dict[str, Any] = {
        "model": payload_model,
        "frequency_penalty": frequency_penalty,
        "logit_bias": logit_bias,
        "logprobs": logprobs,
        "max_tokens": max_tokens,
        "n": n,
        "presence_penalty": presence_penalty,
        "response_format": to_wire(response_format),
        "seed": seed,
        "stop": stop,
        "temperature": temperature,
        "tool_choice": to_wire(tool_choice),
        "tool_prompt": tool_prompt,
        "tools": to_wire(tools),
        "top_logprobs": top_logprobs,
        "top_p": top_p,
        "stream": bool(stream),
        "stream_options": to_wire(stream_options),
    }
    if extra_body:
        parameters.update(to_wire(extra_body))
    selection = url_model if is_url(url_model) else payload_model
    route = yield from resolve(config, selection, CONVERSATIONAL)
    request = route.adapter(route, wire_messages, parameters).request
    if stream:
        return (yield from open_stream(request, partial(JSONStreamDecoder, _parse_chunk)))
    response = yield from send(request)
    return Completed(structure(response.json(), ChatCompletionOutput))


_parse_chunk = structurer(ChatCompletionStreamOutput)


def _validate_messages(messages: Any) -> list[Any]:
    if type(messages) is not list and (
        isinstance(messages, (str, bytes, Mapping)) or not isinstance(messages, Sequence)
    ):
        raise RequestError(
            "`messages` must be a list of messages such as"
            f" [{{'role': 'user', 'content': 'Hello'}}], got {type(messages).__name__}"
        )
    if not messages:
        raise RequestError("`messages` is empty: give at least one message")
    wire: list[Any] = []
    for index, message in enumerate(messages):
        if type(message) is not dict:
            if isinstance(message, BaseInferenceType):
                message = filter_none(message.to_dict())
            elif not isinstance(message, Mapping):
                raise RequestError(
                    f"messages[{index}] must be a dict with 'role' and 'content', got"
                    f" {type(message).__name__}"
                )
        role = message.get("role")
        if type(role) is not str or not role:
            raise RequestError(f"messages[{index}] has no 'role' (a non-empty string)")
        if "content" not in message and not message.get("tool_calls"):
            raise RequestError(f"messages[{index}] has no 'content' (or 'tool_calls')")
        wire.append(to_wire(message))
    return wire
