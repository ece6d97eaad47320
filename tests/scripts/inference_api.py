"""The legacy InferenceApi (deprecated, still used by older code)."""

import os
import warnings

from huggingface_hub import InferenceApi

warnings.simplefilter("ignore", FutureWarning)
HF_INFERENCE_ENDPOINT = os.environ["HF_INFERENCE_ENDPOINT"]

inference = InferenceApi(repo_id="bert-base-uncased", token="hf_fake")
print("task:", inference.task)
print("api_url:", inference.api_url.replace(HF_INFERENCE_ENDPOINT, "<endpoint>"))
print("repr:", repr(inference).replace(HF_INFERENCE_ENDPOINT, "<endpoint>"))
print("options:", inference.options)
for item in inference(inputs="The goal of life is [MASK]."):
    print("  ", item["token_str"], item["score"], item["sequence"])

embedder = InferenceApi("sentence-transformers/all-MiniLM-L6-v2", task="feature-extraction")
print("override task:", embedder.task, embedder(inputs="hello world"))

try:
    InferenceApi("bert-base-uncased", task="not-a-task")
except ValueError as e:
    print("invalid task:", e)

qa = InferenceApi("deepset/roberta-base-squad2")
print("missing input:", qa(inputs={"question": "Where?"}))
print("answer:", qa(inputs={"question": "Where?", "context": "I live in Paris."}))

painter = InferenceApi("stabilityai/sd-turbo", gpu=True)
image = painter("a cat")
print("image:", image.size, image.mode, image.format)
raw = painter("a cat", raw_response=True)
print("raw:", raw.status_code, raw.headers["content-type"], raw.content[:4])
