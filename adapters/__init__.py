"""Provider adapters: one pure module per inference provider (routes, payloads, auth, parsing).

Only hf-inference routing exists so far, inside ``inference_core._tasks._routing``; the
third-party providers land here, each behind the same adapter contract.
"""
