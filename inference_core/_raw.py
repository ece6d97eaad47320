"""``RawResponse``: a call's typed output together with what happened on the wire.

``client.with_raw_response.<method>(...)`` returns one instead of the output, for every method,
so no output type needs a wrapper of its own (openai-python's ``with_raw_response`` shape):
``parse()`` gives the output; ``status_code``, ``headers`` (lower-case names), ``request_id``,
``compute_time`` (``x-compute-time``), ``provider`` (the one that answered), ``retries_taken``
and ``retries`` (each retry's reason and wait) and ``failovers`` (providers given up on) describe
the final exchange. For a stream they describe its head, and ``parse()`` gives the stream.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from ._boundary import Request, Response
from ._policy import CallRecord, RetryEvent

__all__ = ["RawResponse"]

T = TypeVar("T")


class RawResponse(Generic[T]):
    """The typed output of one call plus its final HTTP exchange and retries."""

    __slots__ = ("_record", "_value")

    def __init__(self, record: CallRecord, value: T) -> None:
        self._record = record
        self._value = value

    def parse(self) -> T:
        """The typed output the method returns without ``with_raw_response``."""
        return self._value

    @property
    def http_response(self) -> Response | None:
        """The final response (its head for a stream)."""
        return self._record.response

    @property
    def http_request(self) -> Request | None:
        """The final request sent."""
        return self._record.request

    @property
    def status_code(self) -> int | None:
        """The final response's status."""
        response = self._record.response
        return None if response is None else response.status

    @property
    def headers(self) -> dict[str, str]:
        """The final response's headers, names lower-cased (the first value of a repeated one)."""
        response = self._record.response
        headers: dict[str, str] = {}
        if response is not None:
            for name, value in response.headers:
                headers.setdefault(name.lower(), value)
        return headers

    @property
    def request_id(self) -> str | None:
        """The server's request id (``x-request-id``), if it sent one."""
        response = self._record.response
        return None if response is None else response.header("x-request-id")

    @property
    def compute_time(self) -> str | None:
        """``x-compute-time`` as the server sent it (hf-inference and TGI do)."""
        response = self._record.response
        return None if response is None else response.header("x-compute-time")

    @property
    def provider(self) -> str | None:
        """The provider that answered (None for a call that resolved no provider)."""
        return self._record.provider

    @property
    def retries_taken(self) -> int:
        """How many retries the call made."""
        return len(self._record.retries)

    @property
    def retries(self) -> list[RetryEvent]:
        """Each retry: the attempt, why (response or error) and the wait."""
        return list(self._record.retries)

    @property
    def failovers(self) -> list[str]:
        """Providers given up on, in order, before the one that answered."""
        return list(self._record.failovers)

    def __repr__(self) -> str:
        return (
            f"<RawResponse [{self.status_code}] provider={self.provider!r}"
            f" retries={self.retries_taken} output={type(self._value).__name__}>"
        )
