"""Non-task helpers: health_check, get_endpoint_info, get_model_status, list_deployed_models."""

import os
import warnings

from huggingface_hub import InferenceClient

# get_model_status and list_deployed_models are deprecated
warnings.simplefilter("ignore", FutureWarning)
SERVER_URL = os.environ["SERVER_URL"]

endpoint = InferenceClient(SERVER_URL, provider="hf-inference")
print("health:", endpoint.health_check())
info = endpoint.get_endpoint_info()
print("info:", sorted(info.items()))

client = InferenceClient(provider="hf-inference")
print("info by id:", client.get_endpoint_info(model="HuggingFaceH4/zephyr-7b-beta")["model_id"])

status = client.get_model_status("meta-llama/Llama-3.1-8B-Instruct")
print("status type:", type(status).__name__)
print("status:", status.loaded, status.state, status.compute_type, status.framework)

try:
    client.get_model_status("fake/missing")
except ValueError as e:
    print("missing model:", e)

try:
    client.get_model_status("https://example.com/model")
except NotImplementedError as e:
    print("url model:", e)

try:
    client.health_check("meta-llama/Llama-3.1-8B-Instruct")
except ValueError as e:
    print("health_check needs a URL:", str(e).split(".")[0])

deployed = client.list_deployed_models(["text-generation-inference", "sentence-transformers"])
for task, models in deployed.items():
    print("deployed:", task, models)

default = InferenceClient(SERVER_URL)
try:
    print("health with provider=None:", default.health_check())
except ValueError as e:
    print("provider=None:", e)
