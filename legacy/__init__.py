"""The legacy ``InferenceApi(repo_id, task, token, gpu)`` call style, as a thin layer on the core.

Not implemented yet: nothing is exported.
"""
