"""``python -m inference_core``: the ``hf-inference`` command line (``hf_inference_cli``)."""

import sys

from hf_inference_cli import main

sys.exit(main())
