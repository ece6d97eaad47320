"""The base class of every task output and input type: a ``dict`` that is also a dataclass.

Strategy: as in huggingface_hub, each type is a ``@dataclass`` subclass of ``dict``. Unlike
there, the dict's items are the only storage: :func:`inference_type` (``dataclasses.dataclass``
plus one step) replaces each field's class attribute with a property that reads and writes the
item of the same name, so ``out.x`` and ``out["x"]`` can never disagree, whatever wrote last
(``out.x = v``, ``out["x"] = v``, ``update``, ``setdefault``, ``|=``, ``copy``, ``pickle``).
Reading a field is a C-level ``operator.itemgetter`` call, with no Python frame; building an
instance needs no attribute writes at all (see ``_fast_structure.py``). Nested objects are
stored once, so ``out["choices"][0] is out.choices[0]`` and ``json.dumps(out)`` includes every
level's extras.

The items are the declared fields in declaration order, then the keys the server sent that the
class does not declare ("extras"), in the server's order; server keys that are not fields are
normalized first (:func:`normalize_key`). An extra reads as an attribute too, through
``__getattr__``, unless the class defines that name (``items``, ``keys``, ``to_dict``, ...): the
method wins, so ``json.dumps(out)`` and ``out.items()`` keep working.

Equality is the dataclass ``__eq__`` between instances of one class (declared fields only, so
extras are ignored), and ``dict`` equality against anything else: ``out == {...}`` compares the
items. Instances are unhashable. ``__repr__`` is the dataclass one followed by the extras.

Declaring a type: ``@inference_type`` on a subclass whose fields all have a default. A field
the server always sends is annotated with its plain type and defaults to :data:`NONE`, which is
None typed as ``Any``, so that ``out.choices[0]`` type-checks without a None check yet a missing
key still reads as None.
"""

import dataclasses
import reprlib
import sys
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - typing_extensions is a dependency of cattrs on Python 3.10
    from typing_extensions import dataclass_transform

__all__ = [
    "NONE",
    "BaseInferenceType",
    "FieldProperty",
    "inference_type",
    "normalize_key",
    "to_plain",
]

T = TypeVar("T", bound="type[BaseInferenceType]")

NONE: Any = None
"""The default of a field the server always sends (None when it does not, typed ``Any``)."""

_NORMALIZED: dict[str, str] = {}
_NORMALIZED_MAX = 4096


def normalize_key(key: Any) -> Any:
    """The key a server's key is stored under: lower case, ``-`` and spaces turned into ``_``.

    ``"Content-Type"`` gives ``"content_type"``. Non-string keys are returned unchanged.
    """
    if type(key) is str:
        normal = _NORMALIZED.get(key)
        if normal is not None:
            return normal
    elif not isinstance(key, str):
        return key
    normal = key.lower().replace("-", "_").replace(" ", "_")
    if len(_NORMALIZED) < _NORMALIZED_MAX:  # server-chosen keys: keep the cache bounded
        _NORMALIZED[key] = normal
    return normal


class FieldProperty(property):
    """The class attribute of a field: reads and writes the instance's item ``name``."""

    def __init__(self, name: str) -> None:
        def set_item(instance: dict[str, Any], value: Any) -> None:
            dict.__setitem__(instance, name, value)

        def del_item(instance: dict[str, Any]) -> None:
            try:
                dict.__delitem__(instance, name)
            except KeyError:
                raise AttributeError(name) from None

        super().__init__(itemgetter(name), set_item, del_item)


@dataclass_transform()
def inference_type(cls: T) -> T:
    """Make ``cls`` (a :class:`BaseInferenceType` subclass) a dataclass whose fields are items."""
    dataclasses.dataclass(repr=False)(cls)  # the class itself, completed in place
    for field in dataclasses.fields(cls):
        setattr(cls, field.name, FieldProperty(field.name))
    return cls


@dataclasses.dataclass(repr=False, eq=False)  # no fields: a dataclass, as the reference's is
class BaseInferenceType(dict[str, Any]):
    """Base of every task output/input type: a dataclass that is also a ``dict``.

    ``out.field`` and ``out["field"]`` are the same value, before and after assignment through
    either. Unknown keys the server sent are kept as items (and, at runtime, attributes).
    ``json.dumps(out)``, ``dataclasses.asdict(out)``, ``copy.deepcopy`` and ``pickle`` work;
    ``to_dict()`` gives plain dicts and lists, extras included.
    """

    if not TYPE_CHECKING:
        # Hidden from type checkers so that misspelled attributes are still reported; use
        # ``out["key"]`` for extras in typed code.
        def __getattr__(self, name: str) -> Any:
            # Only reached for names the class does not define: extras. Dunder names never
            # are (``copy`` and ``pickle`` probe for ``__deepcopy__`` and the like).
            if not name.startswith("__"):
                try:
                    return self[name]
                except KeyError:
                    pass
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}", name=name, obj=self
            )

        def __setattr__(self, name: str, value: Any) -> None:
            if name in self.__dataclass_fields__ or not _defines(type(self), name):
                dict.__setitem__(self, name, value)  # a field or an extra
            else:
                object.__setattr__(self, name, value)  # e.g. a method replaced by a test double

        def __delattr__(self, name: str) -> None:
            if _defines(type(self), name):
                object.__delattr__(self, name)  # a field (its property) or an instance attribute
            elif name in self:
                del self[name]
            else:
                raise AttributeError(name)

    def __missing__(self, key: str) -> Any:
        # A field whose item was deleted reads as its default, through either view.
        field = self.__dataclass_fields__.get(key)
        if field is None:
            raise KeyError(key)
        return field.default

    def __ne__(self, other: object) -> bool:
        # ``dict.__ne__`` would compare the items (extras included) even where ``==`` compares
        # fields; this keeps ``!=`` the negation of ``==``.
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        fields = self.__dataclass_fields__
        shown = [f"{name}={self[name]!r}" for name in fields]
        shown += [f"{key}={value!r}" for key, value in self.items() if key not in fields]
        return f"{type(self).__qualname__}({', '.join(shown)})"

    def to_dict(self) -> dict[str, Any]:
        """Return the instance as plain dicts and lists (None fields and extras included)."""
        return {key: to_plain(value) for key, value in self.items()}


def _defines(cls: type, name: str) -> bool:
    """True when ``name`` is an attribute of ``cls``'s instances, found on the class."""
    return any(name in klass.__dict__ for klass in cls.__mro__)


def to_plain(value: Any) -> Any:
    """Turn inference types (and lists/dicts of them) into plain JSON-ready values."""
    if isinstance(value, BaseInferenceType):
        return value.to_dict()
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    return value
