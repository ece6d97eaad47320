"""The base class of every task output and input type.

Strategy: subclasses are plain mutable ``@attrs.define`` classes whose fields all default to
None, so a field the server left out reads as None. On top of that the base adds the read-only
dict behaviour that huggingface_hub users relied on when these types were ``dict`` subclasses:
``out["field"]``, ``get``, ``in``, ``keys``/``items``/``values``, iteration and ``len``
(it is a :class:`collections.abc.Mapping`).

Keys the server sent that the class does not declare ("extras") are kept in a private slot
that is neither an ``__init__`` argument nor part of attrs equality. They are readable as
items and, at runtime, as attributes, and ``to_dict()`` includes them.

attrs generates ``__eq__`` and ``__repr__`` per class; ``__attrs_init_subclass__`` (called by
attrs once a subclass is built) wraps them so that an instance also compares equal to the plain
dict it serializes to, and so that extras show at the end of the repr.
"""

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Optional

import attrs

__all__ = ["BaseInferenceType", "to_plain"]


class BaseInferenceType(Mapping[str, Any]):
    """Base of every task output/input type: an attrs class that also reads like a dict.

    Fields the server did not send are None. Unknown keys the server sent are kept and can be
    read as ``out["key"]`` (and, at runtime, ``out.key``). ``to_dict()`` gives plain JSON-ready
    dicts and lists. ``out == {...}`` compares ``out.to_dict()`` with the dict.
    """

    __slots__ = ("_extra",)

    # Set by the structure hook when the payload had keys that are not fields; unset otherwise
    # (reading it then goes through ``__getattr__`` and gives None).
    _extra: Optional[dict[str, Any]]
    # Filled in per subclass by ``__attrs_init_subclass__``.
    _field_names: ClassVar[tuple[str, ...]] = ()
    _field_set: ClassVar[frozenset[str]] = frozenset()
    if TYPE_CHECKING:
        # Every concrete subclass is an attrs class; this lets ``attrs.fields(cls)`` type-check.
        __attrs_attrs__: ClassVar[tuple[attrs.Attribute[Any], ...]]

    @classmethod
    def __attrs_init_subclass__(cls) -> None:
        names = tuple(a.name for a in attrs.fields(cls))
        cls._field_names = names
        cls._field_set = frozenset(names)
        # The methods attrs just generated for this class are wrapped, not replaced.
        setattr(cls, "__eq__", _dict_aware_eq(cls.__eq__))  # noqa: B010
        setattr(cls, "__repr__", _repr_with_extras(cls.__repr__))  # noqa: B010

    if not TYPE_CHECKING:
        # Hidden from type checkers so that misspelled attributes are still reported; use
        # ``out["key"]`` for extras in typed code.
        def __getattr__(self, name: str) -> Any:
            if name == "_extra":
                return None
            extra = self._extra
            if extra is not None and name in extra:
                return extra[name]
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}", name=name, obj=self
            )

    def __getitem__(self, key: str) -> Any:
        if key in self._field_set:
            return getattr(self, key)
        extra = self._extra
        if extra is not None and key in extra:
            return extra[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        yield from self._field_names
        extra = self._extra
        if extra:
            yield from extra

    def __len__(self) -> int:
        extra = self._extra
        return len(self._field_names) + (len(extra) if extra else 0)

    def __reduce__(self) -> tuple[Any, ...]:
        # attrs' slotted pickling only knows the fields; keep the extras through copy/pickle.
        values = {name: getattr(self, name) for name in self._field_names}
        return (_rebuild, (type(self), values, self._extra))

    def to_dict(self) -> dict[str, Any]:
        """Return the instance as plain dicts and lists (None fields and extras included)."""
        out = {name: to_plain(getattr(self, name)) for name in self._field_names}
        extra = self._extra
        if extra:
            for key, value in extra.items():
                out[key] = to_plain(value)
        return out


def to_plain(value: Any) -> Any:
    """Turn inference types (and lists/dicts of them) into plain JSON-ready values."""
    if isinstance(value, BaseInferenceType):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    return value


def _rebuild(
    cls: type[BaseInferenceType], values: dict[str, Any], extra: Optional[dict[str, Any]]
) -> BaseInferenceType:
    instance = cls(**values)
    if extra is not None:
        instance._extra = extra
    return instance


def _dict_aware_eq(attrs_eq: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def __eq__(self: BaseInferenceType, other: object) -> Any:
        if isinstance(other, dict):
            return self.to_dict() == other
        return attrs_eq(self, other)

    return __eq__


def _repr_with_extras(attrs_repr: Callable[[Any], str]) -> Callable[[Any], str]:
    def __repr__(self: BaseInferenceType) -> str:
        text = attrs_repr(self)
        extra = self._extra
        if not extra:
            return text
        shown = ", ".join(f"{key}={value!r}" for key, value in extra.items())
        return f"{text[:-1]}, {shown})"

    return __repr__
