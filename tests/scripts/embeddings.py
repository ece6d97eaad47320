"""Sentence embeddings as numpy arrays."""

import os

import numpy as np
from huggingface_hub import InferenceClient

client = InferenceClient(model=os.environ["SERVER_URL"] + "/embed")

embedding = client.feature_extraction("Today is a sunny day and I will get some ice cream.")
print("type:", type(embedding).__name__)
print("shape:", embedding.shape, "dtype:", embedding.dtype)
print("values:", np.round(embedding, 4).tolist())

batch = client.feature_extraction(
    ["first sentence", "a second, longer sentence"], normalize=True, truncate=True
)
print("batch shape:", batch.shape)
a, b = batch
cosine = float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
print("cosine:", round(cosine, 4))
