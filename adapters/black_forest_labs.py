"""Black Forest Labs: FLUX text-to-image at ``https://api.us1.bfl.ai/v1/<model>``.

Calls send the key as ``X-Key`` (no ``authorization``). The submit body is
``{"prompt", **parameters}`` with ``num_inference_steps`` renamed ``steps`` and
``guidance_scale`` renamed ``guidance`` (both moved to the end). BFL answers with a
``polling_url``; the plan waits 1 s before each GET of it until the status is ``Ready``, then
downloads ``result.sample``. Polls and the download carry no token: the polling URL is on
BFL's own host and keyed by the job id, exactly as huggingface_hub polled it.

Deliberate differences from huggingface_hub 0.33.5:

* the polling budget is the client's ``timeout`` (one poll per second of it); with no timeout,
  six polls as before. Running out raises ``InferenceTimeoutError`` (a ``TimeoutError``);
* failure statuses (``Error``, ``Content Moderated``, ``Request Moderated``, ``Task not
  found``) raise ``ProviderError`` at once instead of being polled until the budget runs out;
* an answer without ``polling_url`` is a ``ProviderError`` before any poll.

Direct only: the provider left the Hugging Face router after huggingface_hub v0.33.5
(spec providers.md Appendix A.1), so an ``hf_`` token is refused before any request
(``RequestError``); pass the provider's own API key.
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    TEXT_TO_IMAGE,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._polling import Deadline, download, field

NAME = "black-forest-labs"
POLL_INTERVAL = 1.0
DEFAULT_POLLS = 6
_RENAMES = (("num_inference_steps", "steps"), ("guidance_scale", "guidance"))
_FAILED = frozenset({"Error", "Content Moderated", "Request Moderated", "Task not found"})


def text_to_image(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    """Submit the job, poll its ``polling_url`` until ``Ready``, download the sample."""
    params = filter_none(parameters)
    renamed = {new: params.pop(old) for old, new in _RENAMES if old in params}
    payload = {"prompt": prompt, **params, **renamed}
    request = route.post_json(f"/v1/{route.provider_id}", payload, accept="image/png")
    submitted = yield from send(request)
    job = submitted.json()
    polling_url = field(job, NAME, "polling_url")
    if not isinstance(polling_url, str) or not polling_url.startswith(("https://", "http://")):
        raise ProviderError(f"{NAME}: `polling_url` is not a URL: {polling_url!r:.200}")
    budget = route.timeout if route.timeout is not None else DEFAULT_POLLS * POLL_INTERVAL
    deadline = Deadline(budget, f"{NAME} job {job.get('id') or polling_url}")
    while True:
        yield from deadline.wait(POLL_INTERVAL)
        polled = yield from send(route.download(polling_url))
        state = polled.json()
        status = state.get("status") if isinstance(state, dict) else None
        result = state.get("result") if isinstance(state, dict) else None
        if status == "Ready" and isinstance(result, dict) and result.get("sample"):
            return (yield from download(route, result["sample"]))
        if status in _FAILED:
            raise ProviderError(
                f"{NAME} job failed with status {status!r}: {polled.text[:200]}",
                response=polled,
            )


PROVIDER = Provider(
    name=NAME,
    base_url="https://api.us1.bfl.ai",
    tasks=[TEXT_TO_IMAGE.use(text_to_image)],
    auth="x-key",
    routable=False,
    left_router=True,
)
