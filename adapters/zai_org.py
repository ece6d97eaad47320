"""Z.ai (zai-org): GLM chat, and CogView text-to-image as an asynchronous job, at ``api.z.ai``.

Added to Hugging Face's Inference Providers after huggingface_hub v0.33.5 (spec providers.md
Appendix A.2). Every request carries ``Accept-Language: en-US,en`` and
``x-source-channel: hugging_face``.

* conversational: ``/api/paas/v4/chat/completions``;
* text-to-image: ``{"model", "prompt", "size": "<W>x<H>"?, **parameters}`` to
  ``/api/paas/v4/async/images/generations`` (``width`` and ``height`` become ``size`` when both
  are given); the job is polled at ``/api/paas/v4/async-result/<id>``, with a 5 s wait before
  each GET, at most 60 times and within the client's ``timeout``, until its ``task_status`` is
  ``SUCCESS`` (the image at ``image_result[0].url`` is downloaded) or ``FAIL`` (a
  ``ProviderError``).
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    TEXT_TO_IMAGE,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._openai import chat
from ._polling import Deadline, download, field

NAME = "zai-org"
POLL_INTERVAL = 5.0
MAX_POLLS = 60
_API = "/api/paas/v4"


def _text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """Submit the image job, poll its result until it succeeds, download the image."""
    params: dict[str, Any] = filter_none(parameters)
    payload: dict[str, Any] = {"model": route.provider_id, "prompt": prompt}
    if "width" in params and "height" in params:
        payload["size"] = f"{params.pop('width')}x{params.pop('height')}"
    payload.update(params)
    request = route.post_json(f"{_API}/async/images/generations", payload, accept="image/png")
    submitted = yield from send(request)
    job = submitted.json()
    job_id = field(job, NAME, "id")
    limit = MAX_POLLS * POLL_INTERVAL
    budget = limit if route.timeout is None else min(route.timeout, limit)
    deadline = Deadline(budget, f"{NAME} image job {job_id}")
    while True:
        status = job.get("task_status") if isinstance(job, dict) else None
        if status == "SUCCESS":
            return (yield from download(route, field(job, NAME, "image_result", 0, "url")))
        if status == "FAIL":
            raise ProviderError(f"{NAME} image job {job_id} failed: {str(job)[:200]}")
        yield from deadline.wait(POLL_INTERVAL)
        polled = yield from send(route.get(route.url(f"{_API}/async-result/{job_id}")))
        job = polled.json()


PROVIDER = Provider(
    name=NAME,
    base_url="https://api.z.ai",
    tasks=[
        CONVERSATIONAL.use(chat(f"{_API}/chat/completions")),
        TEXT_TO_IMAGE.use(_text_to_image),
    ],
    extra_headers=(("Accept-Language", "en-US,en"), ("x-source-channel", "hugging_face")),
)
