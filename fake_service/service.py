"""The fake inference service: one route table for every provider's wire format, and faults.

Strategy: :class:`FakeService` turns a request into a server action (:mod:`fake_service.server`:
a whole :class:`Reply`, a :class:`StreamReply`, a :class:`Stall`...). The same service answers
in-process (:class:`fake_service.FakeTransport` gives it absolute URLs) and over HTTP (an
instance is a :class:`LoopbackServer` handler; the URL is rebuilt from the ``Host`` header). The
route is picked from the method, the path (provider prefix removed, see
:mod:`fake_service.call`) and, where two providers share a path, the provider:

* ``GET /_files/...`` (result files), ``GET /api/models/<id>`` and ``GET /api/tasks`` (the Hub);
* ``POST .../chat/completions``, ``.../completions``, ``.../embeddings``,
  ``.../images/generations`` on any host (:mod:`fake_service.openai_routes`);
* fal-ai, Replicate, Black Forest Labs and Novita routes (:mod:`fake_service.jobs`), Together
  videos, WaveSpeed, Z.ai and OpenAI-style audio (:mod:`fake_service.polled`);
* hf-inference: ``POST /models/<id>[/pipeline/<task>]``, the task from the fake Hub
  (:mod:`fake_service.catalog`); ``POST /<task>`` (``fake_service.model_url``); anything else
  is answered as the task its body looks like (a URL model pointed at the server's root).

Faults (:meth:`FakeService.fault`) are checked first: an error status, a delay, a cut body or
stream, on the requests whose URL matches a pattern, every time or a number of times.
"""

from __future__ import annotations

import re
import threading
import traceback
from collections.abc import Mapping
from typing import Any

import attrs

from inference_core.transport import Request, Response

from . import openai_routes, polled
from .call import Call, make_call
from .catalog import guess_task, model_info, model_task, tasks_answer
from .files import serve_file
from .jobs import Jobs
from .server import (
    Action,
    CloseMidBody,
    Delayed,
    Headers,
    Reply,
    ServerRequest,
    Stall,
    StreamReply,
)
from .tasks import TASKS, answer_task

__all__ = ["Fault", "FakeService"]

_FAL_STATUS = re.compile(r"/requests/(?P<id>[^/]+)/status$")
_FAL_RESULT = re.compile(r"/requests/(?P<id>[^/]+)$")
_PIPELINE = re.compile(r"/models/(?P<model>.+)/pipeline/(?P<task>[a-z-]+)$")
_LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


@attrs.define
class Fault:
    """A fault injected on the requests whose absolute URL matches ``pattern`` (a regex,
    searched) and, if given, whose method is ``method``.

    Attributes:
        status: answer with this status instead (body ``body``, or a JSON ``{"error": ...}``).
        body: the error answer's body: bytes as is, anything else as JSON.
        headers: headers of the error answer (``Retry-After``...).
        delay: seconds to wait before answering (in-process: no wait, but a request whose
            ``timeout`` is shorter raises ``InferenceTimeoutError``, as a real one would).
        cut_after: cut the answer short: a stream after this many chunks, a whole body after
            this many bytes; the client sees the connection close mid-body.
        stall: never answer (the client's timeout fires; in-process at once).
        times: apply to this many requests, then stop (None: every time).
        hits: how many requests it applied to so far.
    """

    pattern: str
    method: str | None = None
    status: int | None = None
    body: Any = None
    headers: Headers = ()
    delay: float = 0.0
    cut_after: int | None = None
    stall: bool = False
    times: int | None = None
    hits: int = 0

    def applies(self, method: str, url: str) -> bool:
        """Whether this fault applies to a ``method`` request to ``url`` (not yet counted)."""
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return re.search(self.pattern, url) is not None


class FakeService:
    """A deterministic fake of the Hub, hf-inference and every provider's API.

    Args:
        models: model id -> task id (``{"me/my-model": "text-classification"}``), for models
            whose task the fake Hub cannot tell from their name.
        polls: how many times a polled job (fal-ai queue, Replicate, Black Forest Labs)
            answers "not ready" before its result.

    Attributes:
        calls: every request answered, in order (with the provider it was for).
        faults: the faults in force, checked in order; the first that applies wins.

    An instance is also a :class:`~fake_service.LoopbackServer` handler.
    """

    def __init__(self, *, models: Mapping[str, str] | None = None, polls: int = 1) -> None:
        self.models = dict(models or {})
        self.jobs = Jobs(polls)
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()

    def fault(
        self,
        pattern: str,
        *,
        method: str | None = None,
        status: int | None = None,
        body: Any = None,
        headers: Headers = (),
        delay: float = 0.0,
        cut_after: int | None = None,
        stall: bool = False,
        times: int | None = None,
    ) -> Fault:
        """Add a :class:`Fault` (see its attributes) and return it."""
        fault = Fault(pattern, method, status, body, headers, delay, cut_after, stall, times)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove every fault."""
        with self._lock:
            self.faults.clear()

    def respond(self, request: Request) -> Response:
        """The whole answer to ``request`` in-process: a ``MockTransport`` handler
        (``MockTransport(service.respond)``); faults raise as with :class:`FakeTransport`."""
        from .transport import FakeTransport

        return FakeTransport(self).send(request)

    def __call__(self, request: ServerRequest) -> Action:
        """Answer a request received over HTTP (the URL is rebuilt from its ``Host``)."""
        host = request.header("host") or "127.0.0.1"
        scheme = "http" if host.startswith(_LOOPBACK) else "https"
        return self.answer(request, f"{scheme}://{host}{request.target}")

    def answer(self, request: ServerRequest, url: str) -> Action:
        """Answer ``request``, sent to the absolute ``url``: faults first, then the routes."""
        call = make_call(request, url)
        with self._lock:
            self.calls.append(call)
            fault = next((f for f in self.faults if f.applies(call.method, url)), None)
            if fault is not None:
                fault.hits += 1
        try:
            if fault is not None and fault.status is not None:
                action: Action = _error_reply(fault)
            elif fault is not None and fault.stall:
                action = Stall(3600.0)
            else:
                action = self.route(call)
        except Exception:  # a bug in a route: a 500 with the traceback, as the server does
            text = traceback.format_exc().encode()
            action = Reply(500, (("content-type", "text/plain"),), text)
        if fault is not None and fault.cut_after is not None:
            action = _cut(action, fault.cut_after)
        if fault is not None and fault.delay:
            action = Delayed(fault.delay, action)
        return action

    def route(self, call: Call) -> Action:
        """The answer of the route ``call`` goes to (no faults)."""
        if call.method == "GET":
            return self._get(call)
        if call.method != "POST":
            return Reply.json({"error": f"method {call.method} not allowed"}, 405)
        path, provider = call.path, call.provider
        if path.endswith("/chat/completions"):
            return openai_routes.chat(call.json())
        if path.endswith("/completions"):
            return openai_routes.completions(call.json())
        if path.endswith("/embeddings"):
            return openai_routes.embeddings(call.json())
        if path.endswith("/async/images/generations"):
            return polled.zai_image(call, self.jobs)
        if path.endswith("/images/generations"):
            return openai_routes.images(call.json(), call.base)
        if path.endswith("/audio/speech"):
            return polled.speech(call)
        if path.endswith("/audio/transcriptions"):
            return polled.transcription(call)
        if path == "/v2/videos":
            return polled.together_video(call, self.jobs)
        if path.startswith("/api/v3/"):
            return polled.wavespeed(call, self.jobs)
        if path.endswith("/predictions") and path.startswith("/v1/"):
            return self.jobs.replicate_create(call)
        if provider == "black-forest-labs" and path.startswith("/v1/"):
            return self.jobs.bfl_submit(call)
        if path.startswith("/v3/hf/"):
            return self.jobs.novita_video(call)
        if provider == "fal-ai":
            queued = call.base.endswith("queue.fal.run") or call.query.get("_subdomain")
            return self.jobs.fal_submit(call) if queued else self.jobs.fal(call)
        return self._inference(call)

    def _get(self, call: Call) -> Action:
        path = call.path
        if path.startswith("/_files/"):
            return serve_file(path[len("/_files/") :])
        if path.startswith("/api/models/"):
            return model_info(path[len("/api/models/") :].strip("/"), self.models)
        if path.rstrip("/") == "/api/tasks":
            return tasks_answer()
        if call.provider == "fal-ai" and (match := _FAL_STATUS.search(path)):
            return self.jobs.fal_status(call, match["id"])
        if call.provider == "fal-ai" and (match := _FAL_RESULT.search(path)):
            return self.jobs.fal_result(call, match["id"])
        if path.startswith("/v1/predictions/"):
            return self.jobs.replicate_get(call, path.rsplit("/", 1)[1])
        if path == "/v1/get_result":
            return self.jobs.bfl_result(call)
        if path.startswith("/v2/videos/"):
            return polled.together_video(call, self.jobs)
        if path.startswith("/api/v3/predictions/"):
            return polled.wavespeed(call, self.jobs)
        if "/async-result/" in path:
            return polled.zai_image(call, self.jobs)
        return Reply.json({"error": f"Not found: GET {path}"}, 404)

    def _inference(self, call: Call) -> Action:
        """hf-inference and URL models: the task from the path, the model, or the body."""
        path = call.path
        task: str | None = None
        if match := _PIPELINE.fullmatch(path):
            task = match["task"]
        elif path.startswith("/models/"):
            task = model_task(path[len("/models/") :].strip("/"), self.models)
        else:
            first = path.strip("/").split("/", 1)[0]
            task = first if first in TASKS else None
        if task is None or task == "conversational":
            task = guess_task(call.request)
            if task == "conversational":
                return openai_routes.chat(call.json())
        answer = answer_task(task, call.request)
        if answer is None:
            return Reply.json({"error": f"Task {task} is not served here"}, 404)
        return answer


def _error_reply(fault: Fault) -> Reply:
    assert fault.status is not None
    if isinstance(fault.body, bytes):
        return Reply(fault.status, fault.headers, fault.body)
    body = fault.body if fault.body is not None else {"error": f"injected {fault.status}"}
    return Reply.json(body, fault.status, fault.headers)


def _cut(action: Action, after: int) -> Action:
    if isinstance(action, Delayed):
        return Delayed(action.seconds, _cut(action.action, after))
    if isinstance(action, StreamReply):
        chunks = list(action.chunks)[:after]
        return StreamReply(chunks, action.status, action.headers, action.delay, cut=True)
    if isinstance(action, Reply):
        return CloseMidBody(len(action.body), action.body[:after], action.status)
    return action
