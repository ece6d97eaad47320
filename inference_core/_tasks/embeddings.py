"""Embeddings over OpenAI's API: ``client.embeddings.create``, and the OpenAI route of
``feature_extraction`` and ``sentence_similarity``.

Strategy: a server URL speaks OpenAI's embeddings API when its path says so (the detection rule,
:func:`openai_embeddings_url`): a path ending in ``/v1`` or holding a ``/v1/`` segment, or
ending in ``/embeddings``. Such a URL gets ``POST <...>/v1/embeddings`` with ``{"input": ...,
"model": ...}`` instead of the Hugging Face ``{"inputs": ...}`` body, which those servers
(infinity, TEI's ``/v1``, vLLM, llama.cpp) refuse. Every other URL and every model id keep the
Hugging Face route.

Which server and which model name (:func:`openai_target`), as for chat: a URL passed as
``model`` is the server; otherwise the client's ``model``/``base_url`` is, when it is an
OpenAI-compatible URL, and a model id passed as ``model`` is then the *served model name* sent
in the body (what OpenAI's client calls ``model``). Without a name the body says ``"default"``.

``embeddings.create`` always speaks OpenAI's API to a URL (``/v1/embeddings`` is appended to a
URL that does not say it, as ``chat_url`` does for chat); with a model id it goes through the
provider's feature-extraction route and wraps the vectors in OpenAI's answer shape.

The requests take the one route ``resolve`` gives a URL model (its headers, token, timeout);
nothing here performs I/O.
"""

from __future__ import annotations

import array
import base64
import binascii
import math
import sys
from collections.abc import Sequence
from typing import Any, Union
from urllib.parse import urlsplit, urlunsplit

from .._config import ClientConfig
from .._contract import FEATURE_EXTRACTION
from .._converter import structure
from .._errors import ProviderError, RequestError
from .._plan import Plan, send
from .._resolve import resolve
from .._types.embeddings import CreateEmbeddingResponse
from .._wire import filter_none, is_url, openai_base, to_wire
from ._inputs import check_text

__all__ = [
    "DEFAULT_SERVED_MODEL",
    "cosine_similarities",
    "create_embeddings",
    "openai_embeddings",
    "openai_embeddings_url",
    "openai_target",
    "vectors",
]

DEFAULT_SERVED_MODEL = "default"
"""The body's ``model`` when no served model name is known."""

EmbeddingInput = Union[str, Sequence[str], Sequence[int], Sequence[Sequence[int]]]


def openai_embeddings_url(url: str, *, force: bool = False) -> str | None:
    """The embeddings endpoint of an OpenAI-compatible server URL, or None for another URL.

    ``http://h/v1``, ``http://h/v1/`` and ``http://h/v1/chat/completions`` give
    ``http://h/v1/embeddings``; a URL whose path ends in ``/embeddings`` is used as it is. With
    ``force``, any other URL gets ``/v1/embeddings`` appended instead of None.
    """
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    if parts.path.rstrip("/").endswith("/embeddings"):
        return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), parts.query, ""))
    base = openai_base(url)
    if base is None:
        if not force:
            return None
        base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", "")) + "/v1"
    return f"{base}/embeddings{query}"


def openai_target(config: ClientConfig, model: str | None) -> tuple[str | None, str | None]:
    """``(server URL, served model name)`` for the call's ``model`` and the client's.

    A URL given to the call is the server (no name); else the client's URL model is, and a
    model id given to the call is the served name. ``(None, None)`` without any URL."""
    if model is not None and not isinstance(model, str):
        kind = type(model).__name__
        raise RequestError(f"`model` must be a model id or a URL string, got {kind}")
    if is_url(model):
        return model, None
    if is_url(config.model):
        return config.model, model or None
    return None, None


def openai_embeddings(
    config: ClientConfig,
    url: str,
    endpoint: str,
    served_model: str | None,
    inputs: Any,
    options: dict[str, Any],
) -> Plan[CreateEmbeddingResponse]:
    """POST OpenAI's embeddings body to ``endpoint`` (see :func:`openai_embeddings_url`) with
    the headers, token and timeout of the route ``resolve`` gives the server ``url``; the
    answer, its embeddings in input order."""
    route = yield from resolve(config, url, FEATURE_EXTRACTION)
    payload = {"input": inputs, "model": served_model or DEFAULT_SERVED_MODEL}
    payload.update(filter_none(to_wire(options)))
    response = yield from send(route.post_json(endpoint, payload))
    data = response.json()
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise ProviderError(
            f"unexpected embeddings answer from {endpoint}: expected an object with a `data`"
            f" list, got {response.text[:200]}",
            response=response,
        )
    data["data"] = sorted(data["data"], key=_index)
    return structure(data, CreateEmbeddingResponse)


def _index(item: Any) -> int:
    index = item.get("index") if isinstance(item, dict) else None
    return index if isinstance(index, int) else 0


def vectors(answer: CreateEmbeddingResponse) -> list[Any]:
    """The embeddings of an answer, in input order, base64 ones decoded to floats."""
    return [_decode(item.embedding) for item in answer.data]


def _decode(embedding: Any) -> Any:
    if not isinstance(embedding, str):
        return embedding
    try:
        raw = base64.b64decode(embedding, validate=True)
    except binascii.Error as exc:
        message = f"an embedding is neither floats nor base64: {embedding[:80]!r}"
        raise ProviderError(message) from exc
    floats = array.array("f")
    floats.frombytes(raw[: len(raw) - len(raw) % 4])
    if sys.byteorder == "big":  # the wire's float32 are little-endian
        floats.byteswap()
    return floats.tolist()


def cosine_similarities(source: Sequence[float], others: Sequence[Sequence[float]]) -> list[float]:
    """The cosine similarity of ``source`` with each of ``others`` (0.0 for a zero vector)."""
    norm = math.sqrt(math.fsum(x * x for x in source))
    scores = []
    for other in others:
        if len(other) != len(source):
            raise ProviderError(
                f"embeddings of different sizes ({len(source)} and {len(other)}): cannot compare"
            )
        dot = math.fsum(x * y for x, y in zip(source, other, strict=True))
        other_norm = math.sqrt(math.fsum(y * y for y in other))
        scores.append(dot / (norm * other_norm) if norm and other_norm else 0.0)
    return scores


def check_input(value: Any) -> Any:
    """OpenAI's ``input``: a text, a non-empty list of texts, or token ids; before any I/O."""
    if isinstance(value, str):
        return check_text(value, "input")
    if not isinstance(value, (list, tuple)) or not value:
        raise RequestError(f"`input` must be a str or a non-empty list of str, got {value!r:.80}")
    items: list[Any] = []
    for item in value:
        if isinstance(item, str):
            items.append(check_text(item, "input[]"))
        elif isinstance(item, int) and not isinstance(item, bool):
            items.append(item)
        elif isinstance(item, (list, tuple)) and item and all(
            isinstance(token, int) and not isinstance(token, bool) for token in item
        ):
            items.append(list(item))
        else:
            raise RequestError(f"`input` items must be str (or token ids), got {item!r:.80}")
    return items


def create_embeddings(
    config: ClientConfig,
    /,
    *,
    input: EmbeddingInput,
    model: str | None = None,
    encoding_format: str | None = None,
    dimensions: int | None = None,
    user: str | None = None,
    extra_body: dict[str, Any] | None = None,
) -> Plan[CreateEmbeddingResponse]:
    """Embed ``input`` with OpenAI's embeddings API (the ``openai`` package's call shape).

    This is ``client.embeddings.create(input=..., model=...)``. To a server URL (the call's
    ``model`` if it is a URL, else the client's ``model``/``base_url``) it sends ``{"input":
    ..., "model": <served model name or "default">, "encoding_format": ..., "dimensions": ...,
    "user": ...}`` (options left at None are not sent; ``extra_body`` merged last) as JSON to
    ``<server>/v1/embeddings``: a URL already ending in ``/v1`` (or holding ``/v1/``) gets
    ``/embeddings``, one ending in ``/embeddings`` is used as it is. With a model id and no
    URL, the provider's feature-extraction route is used (only ``dimensions`` is passed on) and
    its vectors are returned in the same shape (``usage`` is then None).

    Args:
        input: a text, a list of texts (one embedding each), or token ids.
        model: the served model name (sent in the body) when the client's ``model`` or
            ``base_url`` is the server's URL; or the server's URL itself; or, without any URL,
            a Hub model id for the client's provider.
        encoding_format: ``"float"`` or ``"base64"``, sent as given; base64 embeddings are
            returned as the server's strings, as the ``openai`` package does when asked for them.
        dimensions: the number of dimensions of the output, for models that can shorten it.
        user: an end-user identifier, sent as given.
        extra_body: extra top-level payload keys (server-specific options).

    Returns:
        ``CreateEmbeddingResponse``: ``data[i].embedding`` (a list of floats) for the i-th
        input, ``model``, and ``usage`` (``prompt_tokens``, ``total_tokens``); also a dict.

    Raises:
        RequestError: ``input`` is not a text, a non-empty list of texts or token ids, before
            any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (its ``{"detail": ...}`` or
            ``{"error": ...}`` message is in the error's message), or without a ``data`` list.
        InferenceTimeoutError: no answer within the client's ``timeout``.
        TransportError: the connection failed.
    """
    inputs = check_input(input)
    options: dict[str, Any] = {
        "encoding_format": encoding_format,
        "dimensions": dimensions,
        "user": user,
        **to_wire(extra_body or {}),
    }
    url, served = openai_target(config, model)
    if url is not None:
        endpoint = openai_embeddings_url(url, force=True)
        assert endpoint is not None  # forced
        return (yield from openai_embeddings(config, url, endpoint, served, inputs, options))
    route = yield from resolve(config, model or config.model, FEATURE_EXTRACTION)
    data = yield from route.adapter(route, inputs, {"dimensions": dimensions})
    if isinstance(inputs, str) and isinstance(data, list) and data and _is_number(data[0]):
        data = [data]  # a single text answered with one flat vector
    if not isinstance(data, list):
        name = route.provider.name
        raise ProviderError(f"unexpected embeddings answer from {name}: {data!r:.200}")
    items = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(data)]
    answer = {"object": "list", "data": items, "model": route.provider_id}
    return structure(answer, CreateEmbeddingResponse)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
