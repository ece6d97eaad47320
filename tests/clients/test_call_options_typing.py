"""Users' type checkers see the call options (``deadline=``, ``max_retries=``) on every method,
with each method's own result type, through the generated stub (``_signatures.pyi``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """\
from inference_core import AsyncInferenceClient, InferenceClient

client = InferenceClient()
vector = client.feature_extraction("x", deadline=3, max_retries=1)
reveal_type(vector)
stream = client.chat_completion([{"role": "user", "content": "x"}], stream=True, deadline=2)
reveal_type(stream)
client.fill_mask("x", deadlin=3)  # line 8: a typo is caught
client.fill_mask("x", max_retries="3")  # line 9: a wrong type is caught


async def main() -> None:
    aclient = AsyncInferenceClient()
    image = await aclient.text_to_image("x", max_retries=0)
    reveal_type(image)
    reveal_type(aclient.with_options(deadline=3))
"""


def test_every_method_is_typed_with_the_call_options(tmp_path: Path) -> None:
    snippet = tmp_path / "options_snippet.py"
    snippet.write_text(SNIPPET)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", str(snippet)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    out = result.stdout
    errors = sorted({int(line.split(":")[1]) for line in out.splitlines() if ": error:" in line})
    assert errors == [8, 9], out
    assert "numpy.ndarray" in out and "Stream[inference_core._types" in out
    assert '"PIL.Image.Image"' in out
    assert '"inference_core._async_client.AsyncInferenceClient"' in out
