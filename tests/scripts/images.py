"""Generate an image and work with it as a PIL image."""

import os
import tempfile
from pathlib import Path

from huggingface_hub import InferenceClient

client = InferenceClient()

image = client.text_to_image(
    "An astronaut riding a horse on the moon.",
    model=os.environ["SERVER_URL"] + "/image",
    negative_prompt="blurry",
    width=4,
    height=2,
    guidance_scale=7.5,
    seed=0,
)
print("type:", type(image).__module__.split(".")[0], "Image:", hasattr(image, "save"))
print("size:", image.size, "mode:", image.mode, "format:", image.format)
print("pixels:", [image.getpixel((x, y)) for y in range(2) for x in range(4)])

with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "astronaut.png"
    image.save(path)
    print("saved bytes > 0:", path.stat().st_size > 0)
