"""Generate ``docs/providers.md``: the provider x task table and the auth and routing rules.

Each provider's row says whether the Hugging Face router serves it today (``hf_`` tokens go
through it), whether it left the router (direct only: pass the provider's own key), and which
tasks it serves.

The table is read from the provider registry (``adapters``), so it cannot drift from the code.
``--check`` exits 1 when the page is stale (the test suite runs the check).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters import get_provider, provider_names  # noqa: E402

TARGET = ROOT / "docs" / "providers.md"
TASK_COLUMNS = (
    "conversational",
    "text-generation",
    "text-to-image",
    "text-to-video",
    "text-to-speech",
    "automatic-speech-recognition",
    "feature-extraction",
    "image-to-image",
    "image-to-video",
    "image-segmentation",
)
AUTH = {
    "bearer": "`authorization: Bearer <key>`",
    "fal-key": "`authorization: Key <key>`",
    "x-key": "`X-Key: <key>` (no authorization)",
}

RULES = """
## Choosing a provider

* `provider="<name>"` uses that provider; `provider="auto"` or `None` (the default) with a model
  id looks up the model's provider mapping on the Hub
  (`GET {HF_ENDPOINT}/api/models/<id>?expand=inferenceProviderMapping`, once per client) and
  uses its **first** entry, in the order of your Hub preferences.
* A model given as an `http(s)://` URL always goes to that URL (hf-inference style), whatever
  `provider` says; no model at all with `provider` None/"auto" uses hf-inference with the Hub's
  recommended model for the task.
* Errors, all before the inference request: an unknown provider (naming the known ones), a task
  the provider does not serve (naming the tasks it does), a model the provider does not serve or
  serves for another task, an empty mapping, and a missing key. A mapping entry in `staging` or
  `error` status only warns.

## Keys, routing and headers

* A key starting with `hf_` (a Hugging Face token) goes **through the Hugging Face router**,
  `https://router.huggingface.co/<provider>/...`, with `authorization: Bearer hf_...`; HF bills
  the call (or `bill_to`'s organisation, sent as `X-HF-Bill-To`).
* Any other key is the provider's own: the call goes **directly** to the provider's base URL
  with the provider's auth scheme (column "direct auth" above).
* Providers that left the router (column "Hugging Face router") only work with their own key:
  an `hf_` token raises `RequestError` before any request, saying so. openai never takes one.
* The token is the one given to the client (`token=` / `api_key=`), else `HF_TOKEN`, else the
  saved token file, resolved once when the client is built. Hub lookups only ever carry an
  `hf_` token, never a provider key.
* Result files (images, audio, video) that providers host elsewhere are downloaded **without**
  your token or headers. Polling (fal-ai queue, Black Forest Labs, Replicate, together video,
  WaveSpeed, Z.ai images) waits with
  `Sleep` effects, never blocking an event loop, and gives up with `InferenceTimeoutError` once
  the waits add up to the client's `timeout`.

## Adding a provider

Register a `Provider` and name it in `provider=`. This one serves chat completions from an
OpenAI-compatible API (here a server on your machine; use your provider's base URL):

```python
from adapters import chat
from inference_core import InferenceClient
from inference_core.providers import CONVERSATIONAL, Provider, register_provider

register_provider(Provider(
    name="my-provider",
    base_url="http://127.0.0.1:8080",  # the provider's API base
    tasks=[CONVERSATIONAL.use(chat("/v1/chat/completions"))],
    uses_hub_mapping=False,  # model names are the provider's own: no Hub lookup
))
with InferenceClient(provider="my-provider", api_key="my-provider-key") as client:
    out = client.chat_completion([{"role": "user", "content": "Hi"}], model="my-model")
    print(out.choices[0].message.content)
```

A key that does not start with `hf_` goes straight to `base_url` with the provider's `auth`
scheme (Bearer by default). `uses_hub_mapping=False` sends the call's model name as given.
Leave it at its default (True) only for a provider the Hugging Face Hub knows: a model id is
then looked up on the Hub (`GET {HF_ENDPOINT}/api/models/<id>?expand=inferenceProviderMapping`)
and the call fails before sending unless the model's mapping has an entry for your provider's
`name`; the provider's own model id comes from that entry.

`TASK.use(adapter)` only type-checks with an adapter of the task's kind: see the module
docstring of `inference_core.providers` (`ChatAdapter`, `MediaAdapter`, ...) for each kind's
arguments. Adapters import only that public module.
"""


def render() -> str:
    """The whole page."""
    lines = [
        "# Inference providers",
        "",
        "Generated by `tools/generate_provider_docs.py` from the provider registry.",
        "",
        "| provider | Hugging Face router | direct base URL | direct auth | "
        + " | ".join(TASK_COLUMNS)
        + " |",
        "| --- | --- | --- | --- | " + " | ".join("---" for _ in TASK_COLUMNS) + " |",
    ]
    names = provider_names()
    for name in names:
        provider = get_provider(name)
        tasks = set(provider.tasks)
        if name == "hf-inference":
            base = "`https://router.huggingface.co/hf-inference` (always; token optional)"
        else:
            base = f"`{provider.base_url}`"
        auth = AUTH[provider.auth]
        cells = ["✅" if task in tasks else "" for task in TASK_COLUMNS]
        row = f"| {name} | {_router(name, provider)} | {base} | {auth} | "
        lines.append(row + " | ".join(cells) + " |")
    routed = [n for n in names if get_provider(n).routable]
    left = [n for n in names if get_provider(n).left_router]
    lines += [
        "",
        f"{len(names)} providers: {len(routed)} served through the Hugging Face router today,"
        f" {len(left)} direct only since they left it ({', '.join(left)}), and openai, never"
        " routed.",
        "",
        "hf-inference serves all 29 task methods (the 19 others: see `docs/tasks.md`), and"
        " every model given as a URL (an Inference Endpoint or a local server), whatever"
        " `provider` says.",
    ]
    return "\n".join(lines) + "\n" + RULES


def _router(name: str, provider: Any) -> str:
    if name == "hf-inference":
        return "always (the router is its home)"
    if provider.routable:
        return "routed (`hf_` token)"
    if provider.left_router:
        return "**direct only**: left the router"
    return "never routed"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            stale = TARGET.relative_to(ROOT)
            print(f"{stale} is stale: run python tools/generate_provider_docs.py")
            return 1
        return 0
    TARGET.write_text(text)
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
