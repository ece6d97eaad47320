"""``python -m hf_inference_cli``: the ``hf-inference`` command line."""

import sys

from .main import main

sys.exit(main())
