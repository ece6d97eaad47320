"""More providers' routes: Together videos, WaveSpeed and Z.ai jobs, OpenAI-style audio.

Strategy: the same pattern as :mod:`fake_service.jobs` (a job answers "not ready" ``polls``
times through :class:`~fake_service.jobs.Jobs`, then its result), for the job APIs of the
providers added after the first ones, plus OpenAI's ``.../audio/speech`` (a WAV of the text's
length) and ``.../audio/transcriptions`` (a multipart upload; a fixed transcript).
"""

from __future__ import annotations

from typing import Any

from .call import Call
from .jobs import Jobs, media
from .server import Reply
from .tasks import reply_text, wav_bytes

__all__ = ["speech", "together_video", "transcription", "wavespeed", "zai_image"]


def _body(call: Call) -> dict[str, Any] | None:
    body = call.json()
    return body if isinstance(body, dict) else None


def speech(call: Call) -> Reply:
    """``POST .../audio/speech``: WAV audio, 50 ms per word of ``input``."""
    body = _body(call) or {}
    words = len(str(body.get("input") or body.get("text") or "").split())
    return Reply(200, (("content-type", "audio/wav"),), wav_bytes(0.05 * max(1, words)))


def transcription(call: Call) -> Reply:
    """``POST .../audio/transcriptions``: the transcript, with one segment."""
    text = reply_text("the audio")
    segment = {"id": 0, "start": 0.0, "end": 1.0, "text": text}
    return Reply.json({"text": text, "language": "en", "segments": [segment]})


def together_video(call: Call, jobs: Jobs) -> Reply:
    """``POST /v2/videos`` (a job) and ``GET /v2/videos/<id>`` (its state)."""
    if call.method == "POST":
        body = _body(call)
        if body is None:
            return Reply.json({"error": {"message": "a JSON body is required"}}, 400)
        result = {"video_url": media(call, body, "video")}
        job_id = jobs.new(call.request.body, result)
        return Reply.json({"id": job_id, "object": "video", "status": "queued"})
    job_id = call.path.rsplit("/", 1)[1]
    known, result = jobs.poll(job_id)
    if not known:
        return Reply.json({"error": {"message": f"video {job_id} not found"}}, 404)
    if result is None:
        return Reply.json({"id": job_id, "status": "in_progress"})
    return Reply.json({"id": job_id, "status": "completed", "outputs": result})


def wavespeed(call: Call, jobs: Jobs) -> Reply:
    """``POST /api/v3/<model>`` (a job) and ``GET /api/v3/predictions/<id>/result``."""
    if call.method == "POST":
        body = _body(call) or {}
        video = "video" in call.path.lower() or "i2v" in call.path.lower()
        output = media(call, body, "video" if video else "image")
        job_id = jobs.new(call.request.body, output)
        get = f"https://api.wavespeed.ai/api/v3/predictions/{job_id}/result"
        return Reply.json({"code": 200, "data": {"id": job_id, "status": "created",
                                                 "urls": {"get": get}}})  # fmt: skip
    job_id = call.path.split("/")[-2]
    known, output = jobs.poll(job_id)
    if not known:
        return Reply.json({"code": 404, "message": f"prediction {job_id} not found"}, 404)
    if output is None:
        return Reply.json({"code": 200, "data": {"id": job_id, "status": "processing"}})
    data = {"id": job_id, "status": "completed", "outputs": [output]}
    return Reply.json({"code": 200, "data": data})


def zai_image(call: Call, jobs: Jobs) -> Reply:
    """``POST .../async/images/generations`` and ``GET .../async-result/<id>``."""
    if call.method == "POST":
        body = _body(call) or {}
        job_id = jobs.new(call.request.body, [{"url": media(call, body, "image")}])
        return Reply.json({"id": job_id, "task_status": "PROCESSING"})
    job_id = call.path.rsplit("/", 1)[1]
    known, result = jobs.poll(job_id)
    if not known:
        return Reply.json({"error": {"message": f"task {job_id} not found"}}, 404)
    if result is None:
        return Reply.json({"id": job_id, "task_status": "PROCESSING"})
    return Reply.json({"id": job_id, "task_status": "SUCCESS", "image_result": result})
