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

    Sends ``{"inputs": prompt, "parameters": {...}, "stream": ...}`` as JSON, as
    huggingface_hub does: ``details``, ``do_sample``, ``return_full_text`` and ``stop`` (``[]``
    by default) are always in ``"parameters"``, the other options only when set. For chat
    models, prefer ``chat_completion``, which applies the model's chat template.

    A server that is not TGI rejects TGI-only parameters with a 400 naming them ("The following
    `model_kwargs` are not used by the model: [...]"); the client then retries once without
    them, warns, and leaves them out of later calls to that model. Unlike huggingface_hub, that
    memory belongs to the client and is keyed by the resolved model, there is at most one
    retry, and a later ``stream=True`` call is not refused.

    Args:
        prompt: the input text.
        details: return a ``TextGenerationOutput`` (tokens, finish reason, ...) instead of a str
            (TGI servers only).
        stream: return a stream of the generated tokens' texts (with ``details``: of
            ``TextGenerationStreamOutput``) instead of the whole text (TGI servers only).
        model: a Hub model id or the URL of a deployed model (posted to verbatim); defaults to
            the client's ``model``, then to the Hub's recommended model for the task.
        adapter_id: the LoRA adapter to generate with, on a server that loaded several.
        best_of: generate ``best_of`` sequences and return the one with the highest log
            probability (needs sampling).
        decoder_input_details: also return the prompt's tokens with their log probabilities
            (``details.prefill``); needs ``details=True``, and is sent as False otherwise.
        do_sample: sample the next token instead of picking the most likely one (greedy
            decoding, the default).
        frequency_penalty: penalize tokens by how often they already appear in the text (-2.0
            to 2.0; positive values make repetition less likely).
        grammar: constrain the output: ``{"type": "json", "value": <JSON schema>}`` or
            ``{"type": "regex", "value": <regex>}`` (or a ``TextGenerationInputGrammarType``).
        max_new_tokens: the maximum number of tokens to generate.
        repetition_penalty: penalize repeated tokens (1.0: no penalty; above 1.0: less
            repetition).
        return_full_text: put the prompt before the generated text in the answer.
        seed: the seed of the sampler, for reproducible answers.
        stop: stop generating when one of these strings is produced.
        stop_sequences: deprecated alias of ``stop`` (a FutureWarning says so); used only when
            ``stop`` is not given.
        temperature: the sampling temperature (lower: more predictable).
        top_k: sample only among the ``top_k`` most likely tokens.
        top_n_tokens: also return the ``top_n_tokens`` most likely tokens at each step (in
            ``details.top_tokens``, or each stream event's ``top_tokens``).
        top_p: nucleus sampling: sample only from the most likely tokens whose probabilities
            add up to ``top_p`` (0 to 1).
        truncate: truncate the prompt to this many tokens.
        typical_p: typical decoding: sample from the tokens whose probability is closest to the
            expected one, up to this total probability.
        watermark: add a statistical watermark to the output (Kirchenbauer et al., 2023).

    Returns:
        By default, the generated text (``str``). With ``details=True``, a
        ``TextGenerationOutput``: ``generated_text`` and ``details`` (``finish_reason``:
        ``"length"``, ``"eos_token"`` or ``"stop_sequence"``; ``generated_tokens``; ``seed``;
        ``tokens``, ``prefill``, ``top_tokens``, ``best_of_sequences``). With ``stream=True``, a
        ``Stream`` (async: ``AsyncStream``) of ``str`` (each token's text), or with
        ``details=True`` of ``TextGenerationStreamOutput`` (``token``, and on the last event
        ``generated_text`` and ``details``). The request is sent when the method is called.

    Raises:
        RequestError: ``prompt`` is not a str, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status, or with an answer of an
            unexpected shape. ``HfHubHTTPError`` is this class; a 400 raises its subclass
            ``BadRequestError``. A TGI error (``{"error_type": ...}``), in an error body or as
            an event inside a stream, raises its ``TextGenerationError`` subclass:
            ``ValidationError`` (e.g. a prompt too long), ``GenerationError``,
            ``OverloadedError``, ``IncompleteGenerationError`` or ``UnknownError``.
        InferenceTimeoutError: no answer within the client's ``timeout`` (also a
            ``TimeoutError``); for a stream, no bytes for that long.
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Warns:
        UserWarning: ``decoder_input_details=True`` without ``details=True``, or parameters
            dropped because the server is not TGI.
        FutureWarning: ``stop_sequences`` was given.

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> client.text_generation("The huggingface_hub library is ", max_new_tokens=12)
        'a Python library to work with the Hugging Face Hub.'
        >>> out = client.text_generation("Once upon a time, ", max_new_tokens=4, details=True)
        >>> out.generated_text
        'there was a little'
        >>> out.details.finish_reason, out.details.generated_tokens
        ('length', 4)
        >>> [token.text for token in out.details.tokens]
        ['there', ' was', ' a', ' little']

        Streaming the tokens as they are generated:

        >>> prompt = "Once upon a time, "
        >>> for token in client.text_generation(prompt, max_new_tokens=6, stream=True):
        ...     print(token, end="|")
        there| was| a| little| robot| who|
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
