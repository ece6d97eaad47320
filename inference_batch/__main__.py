"""``python -m inference_batch TASK --input in.jsonl --output out.jsonl ...`` (see ``cli``)."""

import sys

from .cli import main

sys.exit(main())
