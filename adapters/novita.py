"""Novita AI: OpenAI-style chat and completions under ``/v3/openai``, and text-to-video.

Direct base ``https://api.novita.ai``. Text-to-video posts ``{"prompt", **parameters}`` to
``/v3/hf/<provider id>``; the answer is ``{"video": {"video_url": ...}}``, and the video is then
downloaded from that URL without the token (it is on a storage host, not Novita's API).
"""

from __future__ import annotations

from typing import Any

from inference_core.providers import (
    CONVERSATIONAL,
    TEXT_GENERATION,
    TEXT_TO_VIDEO,
    Plan,
    Provider,
    ProviderError,
    Route,
    filter_none,
    send,
)

from ._openai import chat, completions


def _text_to_video(route: Route[Any], prompt: str, parameters: dict[str, Any]) -> Plan[bytes]:
    payload = {"prompt": prompt, **filter_none(parameters)}
    response = yield from send(route.post_json(f"/v3/hf/{route.provider_id}", payload))
    data = response.json()
    video = data.get("video") if isinstance(data, dict) else None
    url = video.get("video_url") if isinstance(video, dict) else None
    if not isinstance(url, str):
        raise ProviderError(
            "unexpected text-to-video answer from novita (expected"
            f" {{'video': {{'video_url': str}}}}): {response.text[:200]}",
            response=response,
        )
    download = yield from send(route.download(url))
    return download.body


PROVIDER = Provider(
    name="novita",
    base_url="https://api.novita.ai",
    tasks=[
        CONVERSATIONAL.use(chat("/v3/openai/chat/completions")),
        TEXT_GENERATION.use(completions("/v3/openai/completions")),
        TEXT_TO_VIDEO.use(_text_to_video),
    ],
)
