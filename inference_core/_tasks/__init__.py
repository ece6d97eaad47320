"""Task plans: one module per task family, each a set of pure plan functions."""
