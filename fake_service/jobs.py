"""Media providers' routes: fal-ai (direct and queue), Replicate, Black Forest Labs, Novita.

Strategy: each function answers one route of one provider's wire format (see the matching
module in ``adapters/``). Jobs that are polled (fal's queue, Replicate predictions, BFL
results) are kept in :class:`Jobs`: a job answers "not ready" ``polls`` times, then ready, so
tests exercise the polling loop without waiting (the client's ``Sleep`` effects go to the
transport). Job ids count up per service, so one service replays the same ids for the same
sequence of calls. Results are URLs of :mod:`fake_service.files` on the host the request came
to; what they hold is derived from the request (the prompt's colour, the text's length).
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import attrs

from .call import Call
from .files import file_url, image_color
from .server import Reply
from .tasks import reply_text

__all__ = ["Jobs", "media"]

_FAL_QUEUE_HOST = "https://queue.fal.run"
_REPLICATE = "https://api.replicate.com"


@attrs.define
class _Job:
    result: Any
    remaining: int


def _bad(message: str, status: int = 422) -> Reply:
    return Reply.json({"detail": message}, status)


def _image_size(body: dict[str, Any]) -> tuple[int, int]:
    size = body.get("image_size")
    if isinstance(size, dict):
        body = size
    width, height = body.get("width"), body.get("height")
    return (width if isinstance(width, int) else 64, height if isinstance(height, int) else 64)


def media(call: Call, body: dict[str, Any], kind: str) -> str:
    """The URL of the result file of ``kind`` for a job whose input is ``body``."""
    text = str(body.get("prompt") or body.get("text") or "")
    color = image_color(text)
    if kind == "image":
        width, height = _image_size(body)
        return file_url(call.base, "image", width, height, color)
    if kind == "audio":
        return file_url(call.base, "audio", 50 * max(1, len(text.split())))
    frames = body.get("num_frames")
    return file_url(call.base, "video", frames if isinstance(frames, int) else 16, color)


class Jobs:
    """Polled jobs of one fake service; each answers "not ready" ``polls`` times first."""

    def __init__(self, polls: int = 1) -> None:
        self.polls = polls
        self._jobs: dict[str, _Job] = {}
        self._count = 0
        self._lock = threading.Lock()

    def new(self, seed: bytes, result: Any) -> str:
        """Start a job whose result is ``result``; its id."""
        return self._new(seed, result)

    def poll(self, job_id: str) -> tuple[bool, Any]:
        """``(known, result)`` after one more poll: the result is None while not ready."""
        job = self._poll(job_id)
        return (False, None) if job is None else (True, job.result)

    def _new(self, seed: bytes, result: Any) -> str:
        with self._lock:
            self._count += 1
            job_id = f"{hashlib.sha256(seed).hexdigest()[:8]}{self._count:04d}"
            self._jobs[job_id] = _Job(result, self.polls)
            return job_id

    def _poll(self, job_id: str) -> _Job | None:
        """The job, one poll older; None for an unknown id."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and job.remaining > 0:
                job.remaining -= 1
                return _Job(None, job.remaining + 1)
            return job

    # --- fal-ai --------------------------------------------------------------------------------

    def fal(self, call: Call) -> Reply:
        """``POST fal.run/<model>``: an image (``prompt``), speech (``text``) or a transcript
        (``audio_url``)."""
        body = call.json()
        if not isinstance(body, dict):
            return _bad("the body must be a JSON object")
        if "audio_url" in body:
            return Reply.json({"text": reply_text("the audio"), "chunks": []})
        if "text" in body and "prompt" not in body:
            return Reply.json({"audio": {"url": media(call, body, "audio")}})
        if isinstance(body.get("prompt"), str):
            width, height = _image_size(body)
            image = {"url": media(call, body, "image"), "width": width, "height": height}
            return Reply.json({"images": [image], "seed": 42, "prompt": body["prompt"]})
        return _bad("field required: prompt")

    def fal_submit(self, call: Call) -> Reply:
        """``POST queue.fal.run/<model>``: a queued video job."""
        body = call.json()
        if not isinstance(body, dict) or not ("prompt" in body or "image_url" in body):
            return _bad("field required: prompt")
        model = call.path.strip("/")
        result: dict[str, Any]
        if "image_urls" in body:  # image-to-image
            result = {"images": [{"url": media(call, body, "image")}]}
        elif body.get("sync_mode") and "image_url" in body:  # segmentation: one mask
            result = {"image": {"url": media(call, body, "image")}}
        else:  # text-to-video, image-to-video
            result = {"video": {"url": media(call, body, "video"), "content_type": "video/mp4"}}
        job_id = self._new(call.request.body, result)
        response_url = f"{_FAL_QUEUE_HOST}/{model}/requests/{job_id}"
        return Reply.json(
            {
                "request_id": job_id,
                "status": "IN_QUEUE",
                "response_url": response_url,
                "status_url": f"{response_url}/status",
            }
        )

    def fal_status(self, call: Call, job_id: str) -> Reply:
        """``GET .../requests/<id>/status``."""
        job = self._poll(job_id)
        if job is None:
            return Reply.json({"detail": f"request {job_id} not found"}, 404)
        return Reply.json({"status": "COMPLETED" if job.result else "IN_PROGRESS"})

    def fal_result(self, call: Call, job_id: str) -> Reply:
        """``GET .../requests/<id>``: the finished job's answer."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.remaining:
            return Reply.json({"detail": f"request {job_id} is not completed"}, 400)
        return Reply.json(job.result)

    # --- Replicate -----------------------------------------------------------------------------

    def replicate_create(self, call: Call) -> Reply:
        """``POST /v1/models/<owner>/<name>/predictions`` or ``POST /v1/predictions``."""
        body = call.json()
        inputs = body.get("input") if isinstance(body, dict) else None
        if not isinstance(inputs, dict):
            return Reply.json({"detail": "input is required", "status": 422}, 422)
        output: Any
        if "audio" in inputs:
            output = {"transcription": reply_text("the audio")}
        elif "text" in inputs and "prompt" not in inputs:
            output = media(call, inputs, "audio")
        elif (call.header("accept") or "").startswith("image/") or "image" in inputs:
            output = [media(call, inputs, "image")]
        else:
            output = media(call, inputs, "video")
        job_id = self._new(call.request.body, output)
        if not self.polls:  # answered within `Prefer: wait`
            return Reply.json(self._prediction(call, job_id, output, "succeeded"), 201)
        return Reply.json(self._prediction(call, job_id, None, "starting"), 201)

    def replicate_get(self, call: Call, job_id: str) -> Reply:
        """``GET /v1/predictions/<id>``."""
        job = self._poll(job_id)
        if job is None:
            return Reply.json({"detail": "Not found."}, 404)
        if job.result is None:
            return Reply.json(self._prediction(call, job_id, None, "processing"))
        return Reply.json(self._prediction(call, job_id, job.result, "succeeded"))

    def _prediction(self, call: Call, job_id: str, output: Any, status: str) -> dict[str, Any]:
        get = f"{_REPLICATE}/v1/predictions/{job_id}"  # the client re-roots it
        return {
            "id": job_id,
            "status": status,
            "output": output,
            "error": None,
            "urls": {"get": get, "cancel": f"{get}/cancel"},
        }

    # --- Black Forest Labs ---------------------------------------------------------------------

    def bfl_submit(self, call: Call) -> Reply:
        """``POST /v1/<model>``: a job to poll at ``polling_url``."""
        body = call.json()
        if not isinstance(body, dict) or not isinstance(body.get("prompt"), str):
            return _bad("field required: prompt")
        sample = media(call, body, "image")
        job_id = self._new(call.request.body, {"sample": sample, "prompt": body["prompt"]})
        polling = f"{call.base}{call.routed_prefix}/v1/get_result?id={job_id}"
        return Reply.json({"id": job_id, "polling_url": polling})

    def bfl_result(self, call: Call) -> Reply:
        """``GET /v1/get_result?id=<id>``."""
        job_id = call.query.get("id", "")
        job = self._poll(job_id)
        if job is None:
            return Reply.json({"id": job_id, "status": "Task not found", "result": None})
        if job.result is None:
            return Reply.json({"id": job_id, "status": "Pending", "result": None})
        return Reply.json({"id": job_id, "status": "Ready", "result": job.result})

    # --- Novita --------------------------------------------------------------------------------

    def novita_video(self, call: Call) -> Reply:
        """``POST /v3/hf/<model>``: the video URL at once."""
        body = call.json()
        if not isinstance(body, dict) or not isinstance(body.get("prompt"), str):
            return _bad("field required: prompt")
        return Reply.json({"video": {"video_url": media(call, body, "video")}})
