"""The ``text_generation`` plan: TGI's ``generate`` API, plain, with details, or streamed.

Strategy: build ``{"inputs", "parameters", "stream"}`` as huggingface_hub does (spec tasks.md
§5.2: ``details``, ``do_sample``, ``return_full_text`` and ``stop`` always sent), send it, and
parse the answer: a str, a :class:`TextGenerationOutput` with ``details=True``, or a
:class:`Streamed` yielding token texts (or :class:`TextGenerationStreamOutput` with details).

Servers that are not TGI reject TGI-only parameters with a 400 naming them ("The following
`model_kwargs` are not used by the model: [...]"). The plan then remembers those names for the
model *in this client* and retries once without them, warning about the dropped values. Unlike
huggingface_hub the memory is per client, keyed by the resolved model, and bounded to one retry.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any, Union

from .._boundary import Completed, Request, Response, Streamed
from .._config import ClientConfig
from .._contract import TEXT_GENERATION
from .._converter import structure, structurer
from .._errors import BadRequestError, ProviderError, RequestError
from .._plan import Plan, open_stream, send
from .._resolve import resolve
from .._sse import JSONStreamDecoder
from .._types import TextGenerationOutput, TextGenerationStreamOutput
from .._wire import to_wire

__all__ = ["text_generation"]

TextGenerationResult = Union[
    Completed[Union[str, TextGenerationOutput]], Streamed[Union[str, TextGenerationStreamOutput]]
]

_UNUSED_KWARGS = re.compile(r"The following `model_kwargs` are not used by the model: \[(.*?)\]")


def text_generation(
    config: ClientConfig,
    /,
    prompt: str,
    *,
    details: bool = False,
    stream: bool = False,
    model: str | None = None,
    adapter_id: str | None = None,
    best_of: int | None = None,
    decoder_input_details: bool | None = None,
    do_sample: bool | None = False,
    frequency_penalty: float | None = None,
    grammar: Any = None,
    max_new_tokens: int | None = None,
    repetition_penalty: float | None = None,
    return_full_text: bool | None = False,
    seed: int | None = None,
    stop: list[str] | None = None,
    stop_sequences: list[str] | None = None,
    temperature: float | None = None,
    top_k: int | None = None,
    top_n_tokens: int | None = None,
    top_p: float | None = None,
    truncate: int | None = None,
    typical_p: float | None = None,
    watermark: bool | None = None,
) -> Plan[TextGenerationResult]:
    """Continue ``prompt`` with a text-generation model (TGI-compatible ``generate`` API).

    Args:
        prompt: the input text.
        details: return a ``TextGenerationOutput`` (tokens, finish reason, ...) instead of a str.
        stream: return an iterator of generated token texts (with ``details``: of
            ``TextGenerationStreamOutput``).
        model: a Hub model id or a URL (posted to verbatim); defaults to the client's model.
        stop_sequences: deprecated alias of ``stop``.
        Other parameters: TGI generation parameters (``None`` means "not sent").

    Returns:
        ``str``, ``TextGenerationOutput``, or a ``Stream`` (async: ``AsyncStream``) of ``str``
        or ``TextGenerationStreamOutput``.

    Raises:
        RequestError: bad arguments, before any I/O. ValidationError, GenerationError,
        OverloadedError, IncompleteGenerationError, UnknownError: TGI errors, from an error
        body or inside a stream. ProviderError, TransportError: other failures.
    """
    if not isinstance(prompt, str):
        raise RequestError(f"`prompt` must be a str, got {type(prompt).__name__}")
    if decoder_input_details and not details:
        warnings.warn(
            "`decoder_input_details=True` has been passed to the server but `details=False` is"
            " set meaning that the output from the server won't include the decoder input"
            " details.",
            UserWarning,
            stacklevel=2,
        )
        decoder_input_details = False
    if stop_sequences is not None:
        warnings.warn(
            "`stop_sequences` is a deprecated argument for `text_generation`; use `stop`.",
            FutureWarning,
            stacklevel=2,
        )
        if stop is None:
            stop = stop_sequences
    parameters: dict[str, Any] = {
        "adapter_id": adapter_id,
        "best_of": best_of,
        "decoder_input_details": decoder_input_details,
        "details": details,
        "do_sample": do_sample,
        "frequency_penalty": frequency_penalty,
        "grammar": to_wire(grammar),
        "max_new_tokens": max_new_tokens,
        "repetition_penalty": repetition_penalty,
        "return_full_text": return_full_text,
        "seed": seed,
        "stop": stop if stop is not None else [],
        "temperature": temperature,
        "top_k": top_k,
        "top_n_tokens": top_n_tokens,
        "top_p": top_p,
        "truncate": truncate,
        "typical_p": typical_p,
        "watermark": watermark,
    }
    route = yield from resolve(config, model or config.model, TEXT_GENERATION)
    convert: Callable[[Any], Any] | None = None
    convert_event: Callable[[Any], Any] | None = None

    def build(params: dict[str, Any]) -> Request:
        nonlocal convert, convert_event
        prepared = route.adapter(route, prompt, params, bool(stream))
        convert, convert_event = prepared.convert, prepared.convert_event
        return prepared.request

    def attempt(params: dict[str, Any]) -> Plan[Any]:
        request = build(params)
        if not stream:
            return (yield from send(request))
        parse = _stream_parser(bool(params.get("details")), convert_event)
        return (yield from open_stream(request, partial(JSONStreamDecoder, parse)))

    memory_key = ("text-generation-unsupported", route.provider.name, route.provider_id)
    unsupported: list[str] = config.cache.get(memory_key, [])
    if unsupported:
        _drop_unsupported(parameters, unsupported)
    try:
        answer = yield from attempt(parameters)
    except BadRequestError as error:
        match = _UNUSED_KWARGS.search(str(error.server_message or error))
        if match is None or unsupported:
            raise
        names = [name.strip().strip("'") for name in match.group(1).split(",")]
        config.cache[memory_key] = names
        _drop_unsupported(parameters, names)
        answer = yield from attempt(parameters)
    if stream:
        streamed: Streamed[Union[str, TextGenerationStreamOutput]] = answer
        return streamed
    response: Response = answer
    data = response.json()
    if isinstance(data, list) and data:
        data = data[0]
    if convert is not None:
        data = convert(data)
    if parameters.get("details"):
        return Completed(structure(data, TextGenerationOutput))
    if isinstance(data, dict) and isinstance(data.get("generated_text"), str):
        return Completed(str(data["generated_text"]))
    raise ProviderError(
        f"unexpected text-generation response: {response.text[:200]}", response=response
    )


def _stream_parser(
    details: bool, convert_event: Callable[[Any], Any] | None
) -> Callable[[Any], Union[str, TextGenerationStreamOutput]]:
    parse: Callable[[Any], Union[str, TextGenerationStreamOutput]] = (
        _parse_stream_details if details else _parse_stream_token
    )
    if convert_event is None:
        return parse
    return lambda event: parse(convert_event(event))


def _drop_unsupported(parameters: dict[str, Any], names: list[str]) -> None:
    ignored = [name for name in names if parameters.get(name)]
    for name in names:
        parameters.pop(name, None)
    if ignored:
        warnings.warn(
            "API endpoint/model for text-generation is not served via TGI. Ignoring following"
            f" parameters: {', '.join(ignored)}.",
            UserWarning,
            stacklevel=3,
        )
    if parameters.get("details"):
        parameters["details"] = False


def _parse_stream_token(data: Any) -> str:
    try:
        return str(data["token"]["text"])
    except (KeyError, TypeError) as exc:
        raise ProviderError(f"unexpected text-generation stream event: {str(data)[:200]}") from exc


_parse_stream_details = structurer(TextGenerationStreamOutput)
