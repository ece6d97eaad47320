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

    Sends ``{"model": ..., <options>, "stream": ..., "messages": [...]}`` as JSON to
    ``<model URL>/v1/chat/completions`` (options left at None are not sent; ``extra_body`` is
    merged last). ``client.chat.completions.create(...)`` is this same method, for code written
    against OpenAI's client.

    Args:
        messages: the conversation so far: dicts (or ``ChatCompletionInputMessage``) with a
            ``role`` (``"system"``, ``"user"``, ``"assistant"``, ``"tool"``) and a ``content``
            (a str, or a list of ``{"type": "text", ...}`` and ``{"type": "image_url", ...}``
            parts), or an assistant's ``tool_calls``.
        model: a Hub model id or a URL. The client's ``model`` wins for the URL, this one for
            the payload's ``model`` field (a URL is sent there as ``"dummy"``); defaults to the
            Hub's recommended chat model when neither is set.
        stream: return a stream of ``ChatCompletionStreamOutput`` chunks instead of one answer.
        frequency_penalty: penalize tokens by how often they already appear in the text
            (-2.0 to 2.0; positive values make repetition less likely).
        logit_bias: biases added to the tokens' logits before sampling, in the form the server
            expects.
        logprobs: return the log probability of each output token, in
            ``choices[].logprobs``.
        max_tokens: the maximum number of tokens to generate.
        n: the number of completions to generate (``choices``), for servers that support it.
        presence_penalty: penalize tokens that already appear at all (-2.0 to 2.0; positive
            values favour new topics).
        response_format: constrain the answer's form: ``{"type": "json", "value": <JSON
            schema>}`` or ``{"type": "regex", "value": <regex>}`` (TGI's grammars), or
            OpenAI's ``{"type": "json_schema", "json_schema": {"name": ..., "schema": <JSON
            schema>}}``, which hf-inference receives as ``{"type": "json_object", "value":
            <schema>}``, as huggingface_hub sends it.
        seed: the seed of the sampler, for reproducible answers.
        stop: up to four strings that end the generation when produced.
        stream_options: streaming options, e.g. ``{"include_usage": True}`` for a last chunk
            with the token ``usage`` (and no ``choices``).
        temperature: the sampling temperature (0 to 2; lower: more predictable).
        tool_choice: which tool the model must call: ``"auto"`` (the model decides),
            ``"none"``, ``"required"``, or ``{"function": {"name": ...}}`` for one tool.
        tool_prompt: a text placed before the tools' descriptions in the prompt (TGI).
        tools: the functions the model may call: ``{"type": "function", "function": {"name",
            "description", "parameters": <JSON schema>}}`` dicts (or
            ``ChatCompletionInputTool``); the calls come back in ``message.tool_calls``.
        top_logprobs: with ``logprobs=True``, how many of the most likely tokens (0 to 5) to
            return at each position.
        top_p: nucleus sampling: sample only from the most likely tokens whose probabilities
            add up to ``top_p`` (0 to 1).
        extra_body: extra top-level payload keys (provider-specific options); they may
            override any other key.

    Returns:
        ``ChatCompletionOutput``: ``choices[0].message.content`` holds the answer (and
        ``choices[0].message.tool_calls`` the tool calls), ``choices[0].finish_reason`` why it
        ended, ``usage`` the token counts. With ``stream=True``, a ``Stream`` (async:
        ``AsyncStream``) of ``ChatCompletionStreamOutput``, whose ``choices[0].delta.content``
        is the next piece of text. The request is sent when the method is called, the answer
        read as you iterate; exhausting the stream, ``close()`` or leaving its ``with`` block
        releases the connection.

    Raises:
        RequestError: ``messages`` is not a non-empty list of messages with a ``role`` and a
            ``content`` (or ``tool_calls``), before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status, or with an answer of an
            unexpected shape. ``HfHubHTTPError`` is this class; a 400 raises its subclass
            ``BadRequestError``. A TGI error (``{"error_type": ...}``), in an error body or as
            an event inside a stream, raises its ``TextGenerationError`` subclass:
            ``ValidationError``, ``GenerationError``, ``OverloadedError``,
            ``IncompleteGenerationError`` or ``UnknownError`` (huggingface_hub mapped error
            bodies only in text_generation).
        InferenceTimeoutError: no answer within the client's ``timeout`` (also a
            ``TimeoutError``); for a stream, no bytes for that long.
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> messages = [{"role": "user", "content": "What is the capital of France?"}]
        >>> out = client.chat_completion(messages, max_tokens=100)
        >>> out.choices[0].message.content
        'The capital of France is Paris.'
        >>> out.choices[0].finish_reason, out.usage.total_tokens
        ('stop', 12)

        Streaming, with the OpenAI-style name:

        >>> stream = client.chat.completions.create(messages=messages, max_tokens=100, stream=True)
        >>> for chunk in stream:
        ...     print(chunk.choices[0].delta.content, end="|")
        The| capital| of| France| is| Paris.|

        With ``AsyncInferenceClient``, the same call is awaited:

        >>> import asyncio
        >>> from inference_core import AsyncInferenceClient
        >>> async def ask(question):
        ...     async with AsyncInferenceClient(model=MODEL_URL) as client:
        ...         messages = [{"role": "user", "content": question}]
        ...         out = await client.chat_completion(messages, max_tokens=100)
        ...     return out.choices[0].message.content
        >>> asyncio.run(ask("What is the capital of France?"))
        'The capital of France is Paris.'
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
