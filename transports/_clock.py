"""The clock call deadlines are measured on: ``time.monotonic`` (the core reads no clock)."""

from time import monotonic

__all__ = ["monotonic"]
