"""Optional libraries for task outputs: Pillow (images) and numpy (embeddings), imported lazily.

Strategy: importing the core never imports either; a task that returns an image or an array
imports it on first use and, if it is missing, fails with an ImportError naming the extra to
install.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["decode_image", "import_numpy", "import_pil_image"]


def import_pil_image() -> Any:
    """The ``PIL.Image`` module, or an ImportError naming the ``images`` extra."""
    try:
        from PIL import Image
    except ImportError as exc:
        raise ImportError(
            "This task returns images, which needs Pillow: pip install 'hf-inference-core[images]'"
        ) from exc
    return Image


def import_numpy() -> Any:
    """The ``numpy`` module, or an ImportError naming the ``numpy`` extra."""
    try:
        import numpy
    except ImportError as exc:
        raise ImportError(
            "This task returns arrays, which needs numpy: pip install 'hf-inference-core[numpy]'"
        ) from exc
    return numpy


def decode_image(data: bytes) -> Any:
    """A ``PIL.Image.Image`` from encoded image bytes (PNG, JPEG, ...)."""
    image = import_pil_image().open(io.BytesIO(data))
    image.load()
    return image
