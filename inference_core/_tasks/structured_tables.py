"""Table task plans: table_question_answering, tabular_classification, tabular_regression.

Strategy: a table is checked before any I/O (a non-empty dict of column name -> list of str
cells, every column the same length: what the server builds its DataFrame from), then sent as
huggingface_hub sends it (spec tasks.md §4, §8 rules 16-17). Two deliberate fixes: the call's
``model`` is not leaked into ``parameters`` of table_question_answering, and tabular_regression
is sent (the reference refused it on every provider). The small response helpers shared by the
structured family live here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._config import ClientConfig
from .._converter import structure
from .._errors import ProviderError, RequestError
from .._plan import Plan
from .._types import Padding, TableQuestionAnsweringOutputElement
from ._inputs import check_text
from ._requests import json_task

__all__ = [
    "check_table",
    "numbers",
    "table_question_answering",
    "tabular_classification",
    "tabular_regression",
]


def table_question_answering(
    config: ClientConfig,
    /,
    table: dict[str, Any],
    query: str,
    *,
    model: str | None = None,
    padding: Padding | None = None,
    sequential: bool | None = None,
    truncation: bool | None = None,
) -> Plan[TableQuestionAnsweringOutputElement]:
    """Answer a question about a table (a TAPAS-style table-question-answering model).

    Sends ``{"inputs": {"query": query, "table": table}, "parameters": {...}}`` as JSON
    (options left at None are not sent). Unlike huggingface_hub, the call's ``model`` is not
    copied into ``parameters`` (the reference sent ``"parameters": {"model": ...}``, a bug).

    Args:
        table: the table, as a dict of column name -> list of cells, all as str (write
            numbers as text: ``{"year": ["2019", "2020"]}``); every column the same length.
        query: the question, in plain text.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.
        padding: padding strategy: ``"do_not_pad"``, ``"longest"`` or ``"max_length"``.
        sequential: answer the questions one after the other (for conversational models).
        truncation: truncate the table to the model's maximum length.

    Returns:
        ``TableQuestionAnsweringOutputElement``: the ``answer`` (str), the ``cells`` it comes
        from and their ``coordinates`` (``[row, column]`` pairs), and the ``aggregator``
        (``"SUM"``, ``"AVERAGE"``, ... or ``"NONE"``) when the model gives one.

    Raises:
        RequestError: a malformed table or an empty query, before any I/O (also a
            ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            one answer object.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> table = {
        ...     "Repository": ["Transformers", "Datasets", "Tokenizers"],
        ...     "Stars": ["36542", "4512", "3934"],
        ... }
        >>> out = client.table_question_answering(
        ...     table, "How many stars does the transformers repository have?"
        ... )
        >>> out.answer, out.coordinates
        ('36542', [[0, 1]])
    """
    columns = check_table(table)
    check_text(query, "query")
    parameters = {"padding": padding, "sequential": sequential, "truncation": truncation}
    inputs = {"query": query, "table": columns}
    task = "table-question-answering"
    response = yield from json_task(config, model, task, inputs, parameters)
    return structure(response.json(), TableQuestionAnsweringOutputElement)


def tabular_classification(
    config: ClientConfig, /, table: dict[str, Any], *, model: str | None = None
) -> Plan[list[Any]]:
    """Classify each row of a table (a tabular-classification model, e.g. scikit-learn).

    Sends ``{"inputs": null, "parameters": {}, "table": table}`` as JSON.

    Args:
        table: the rows' features, as a dict of column name -> list of cells, all as str
            (``{"alcohol": ["9.4", "9.8"], ...}``); every column the same length.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.

    Returns:
        ``list``: one predicted label per row, in row order, as the server sent them (usually
        str).

    Raises:
        RequestError: a malformed table, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> table = {
        ...     "fixed_acidity": ["7.4", "7.8", "10.3"],
        ...     "volatile_acidity": ["0.7", "0.88", "0.32"],
        ...     "alcohol": ["9.4", "9.8", "10.1"],
        ... }
        >>> client.tabular_classification(table)
        ['5', '5', '5']
    """
    data = yield from _tabular(config, table, model, "tabular-classification")
    return data


def tabular_regression(
    config: ClientConfig, /, table: dict[str, Any], *, model: str | None = None
) -> Plan[list[float]]:
    """Predict a number for each row of a table (a tabular-regression model).

    Sends ``{"inputs": null, "parameters": {}, "table": table}`` as JSON, like
    tabular_classification. Unlike huggingface_hub, which refused this task before sending
    anything ("not supported for provider 'hf-inference'"), the request is made.

    Args:
        table: the rows' features, as a dict of column name -> list of cells, all as str
            (``{"Height": ["11.52", "12.48"], ...}``); every column the same length.
        model: a Hub model id, or the URL of a deployed model (posted to verbatim);
            defaults to the client's ``model``, then to the Hub's recommended model for the task.

    Returns:
        ``list[float]``: one predicted value per row, in row order.

    Raises:
        RequestError: a malformed table, before any I/O (also a ``ValueError``).
        ProviderError: the server answered with an error status (``HfHubHTTPError`` is this
            class; a 400 raises its subclass ``BadRequestError``), or with an answer that is not
            a list of numbers.
        InferenceTimeoutError: no answer within the client's ``timeout`` (a ``TimeoutError``).
        TransportError: the connection failed (``ConnectError``, ``ReadError``...).

    Example:
        >>> from inference_core import InferenceClient
        >>> client = InferenceClient(model=MODEL_URL)
        >>> table = {
        ...     "Height": ["11.52", "12.48", "12.3778"],
        ...     "Length1": ["23.2", "24", "23.9"],
        ...     "Width": ["4.02", "4.3056", "4.6961"],
        ... }
        >>> client.tabular_regression(table)
        [12.91, 13.6, 13.66]
    """
    data = yield from _tabular(config, table, model, "tabular-regression")
    return numbers(data, "tabular-regression")


def _tabular(config: ClientConfig, table: Any, model: str | None, task: str) -> Plan[list[Any]]:
    columns = check_table(table)
    response = yield from json_task(config, model, task, None, {}, extra={"table": columns})
    data = response.json()
    if not isinstance(data, list):
        raise ProviderError(
            f"unexpected {task} response: expected a list, got {response.text[:200]}",
            response=response,
        )
    return data


def check_table(table: Any) -> dict[str, list[str]]:
    """A table as a plain dict of column name -> list of str cells; RequestError otherwise."""
    expected = "a dict of column name -> list of str cells"
    if not isinstance(table, Mapping):
        raise RequestError(f"`table` must be {expected}, got {type(table).__name__}")
    if not table:
        raise RequestError(f"`table` is empty: give {expected}")
    columns: dict[str, list[str]] = {}
    for name, cells in table.items():
        if not isinstance(name, str):
            raise RequestError(f"`table` column names must be str, got {name!r}")
        if not isinstance(cells, (list, tuple)):
            kind = type(cells).__name__
            raise RequestError(f"`table[{name!r}]` must be a list of str cells, got {kind}")
        for cell in cells:
            if not isinstance(cell, str):
                raise RequestError(
                    f"`table[{name!r}]` holds {cell!r}: cells must be str (write numbers as"
                    " text, e.g. '1.0')"
                )
        columns[name] = list(cells)
    lengths = {name: len(cells) for name, cells in columns.items()}
    if len(set(lengths.values())) > 1:
        raise RequestError(f"`table` columns must have the same number of cells, got {lengths}")
    return columns


def numbers(data: Any, task: str) -> list[float]:
    """``data`` as sent if it is a list of numbers; ProviderError otherwise."""
    if isinstance(data, list) and all(
        isinstance(item, (int, float)) and not isinstance(item, bool) for item in data
    ):
        return data
    raise ProviderError(
        f"unexpected {task} response: expected a list of numbers, got {str(data)[:200]}"
    )
