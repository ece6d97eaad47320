"""The wire steps of the legacy ``InferenceApi``, as plans: the Hub task lookup and the call.

Strategy: ``InferenceApi`` has no HTTP code of its own. Its construction and each call are plans
over the core's effects (:class:`~inference_core.Request`, and :class:`~inference_core.Load` for
a file object given as ``data``), run by the core's blocking driver on whatever transport it
holds; nothing here performs I/O.

* The Hub lookup, :func:`pipeline_tag`, uses the core's ``send``: redirects are followed and an
  error status raises the typed error (``HfHubHTTPError``), as huggingface_hub's ``model_info``
  did from the constructor.
* The call, :func:`call`, must never raise for a status: the legacy API decodes an error body
  like a success. So it uses :func:`fetch`, which follows redirects exactly as ``send`` does
  (the core's own redirect step: the method rewritten for 303, credentials dropped across
  origins) and returns the final response, whatever its status.
* Decoding goes by Content-Type, as huggingface_hub did: ``image*`` -> a PIL image, exactly
  ``application/json`` -> JSON (``; charset=...`` does not match), anything else ->
  ``NotImplementedError``. ``raw_response=True`` returns a requests-style response instead.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from inference_core import (
    Plan,
    ProviderError,
    RemoteProtocolError,
    Request,
    RequestError,
    Response,
    send,
)
from inference_core._http_response import HTTPResponse
from inference_core._plan import _REDIRECTS, MAX_REDIRECTS, _redirected, load
from inference_core._wire import json_body

__all__ = ["call", "decode", "fetch", "pipeline_tag"]

Headers = tuple[tuple[str, str], ...]


def pipeline_tag(hub_endpoint: str, repo_id: str, headers: Headers) -> Plan[str | None]:
    """The model's ``pipeline_tag`` from ``GET {hub_endpoint}/api/models/{repo_id}`` (None when
    the model card has none); an error status raises, as ``send`` does."""
    url = f"{hub_endpoint}/api/models/{repo_id}"
    response = yield from send(Request("GET", url, headers))
    info = response.json()
    if not isinstance(info, dict):
        raise ProviderError(
            f"unexpected answer from {url}: {response.text[:200]!r}",
            status=response.status,
            response=response,
        )
    tag = info.get("pipeline_tag")
    return tag if isinstance(tag, str) else None


def fetch(request: Request) -> Plan[tuple[Request, Response]]:
    """Send ``request`` and follow redirects as ``send`` does, but never raise for a status:
    return the final request and its response."""
    for _ in range(MAX_REDIRECTS + 1):
        response = yield request
        assert isinstance(response, Response), "the driver must answer a Request with a Response"
        if response.status not in _REDIRECTS or response.header("location") is None:
            return request, response
        request = _redirected(request, response)
    raise RemoteProtocolError(f"more than {MAX_REDIRECTS} redirects, last to {request.url}")


def call(
    api_url: str,
    headers: Mapping[str, str],
    options: Mapping[str, Any],
    inputs: Any,
    params: Any,
    data: Any,
    raw_response: bool,
) -> Plan[Any]:
    """One ``InferenceApi.__call__``: POST the payload (or the raw ``data``), decode the answer.

    The payload is ``{"options": ...}``, then ``"inputs"`` only if ``inputs`` is truthy, then
    ``"parameters"`` only if ``params`` is truthy. A truthy ``data`` is sent as the raw body
    instead, so the options, inputs and parameters are dropped (as requests did with both
    ``json=`` and ``data=``)."""
    pairs = tuple(headers.items())
    if data:
        body = yield from _raw_body(data)
    else:
        payload: dict[str, Any] = {"options": options}
        if inputs:
            payload["inputs"] = inputs
        if params:
            payload["parameters"] = params
        body = json_body(payload)
        if all(name.lower() != "content-type" for name, _ in pairs):
            pairs = (*pairs, ("content-type", "application/json"))
    final, response = yield from fetch(Request("POST", api_url, pairs, body))
    return decode(final, response, raw_response)


def decode(request: Request, response: Response, raw_response: bool = False) -> Any:
    """The call's result: the raw response, a PIL image, JSON, or ``NotImplementedError``.

    Raises:
        ImportError: an image answer without Pillow installed.
        NotImplementedError: a Content-Type other than ``image*`` or ``application/json``.
    """
    if raw_response:
        return HTTPResponse(response, request)
    content_type = response.header("content-type") or ""
    if content_type.startswith("image"):
        return _open_image(response.body)
    if content_type == "application/json":
        return response.json()
    raise NotImplementedError(
        f"{content_type} output type is not implemented yet. Pass `raw_response=True` to get"
        " the raw response and parse the output yourself."
    )


def _raw_body(data: Any) -> Plan[bytes]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, str):
        return data.encode("utf-8")
    if callable(getattr(data, "read", None)):
        return (yield from load(data))
    raise RequestError(
        f"`data` must be bytes, a str or a binary file object, got {type(data).__name__}"
    )


def _open_image(content: bytes) -> Any:
    try:
        from PIL import Image
    except ImportError as exc:
        raise ImportError(
            "The answer is an image, and decoding it needs Pillow: pip install"
            " 'hf-inference-core[images]'. Or pass `raw_response=True` to get the raw response"
            " and decode the image yourself."
        ) from exc
    image = Image.open(io.BytesIO(content))
    image.load()
    return image
