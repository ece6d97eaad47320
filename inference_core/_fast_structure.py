"""The success path of structuring: one straight-line function per task type, built on first use.

Strategy: building typed outputs is on the per-chunk hot path of streaming, and the cattrs hooks
of :mod:`inference_core._converter` pay for generality there (a result dict, ``in`` checks,
``try`` blocks, ``cls(**res)`` with a Python ``__setattr__`` per field, one closure call per
nested object). :class:`FastStructurers` generates, with ``exec`` in the manner of cattrs' own
generators, a function per :class:`BaseInferenceType` subclass that handles the ordinary case
only. The instance is a dict whose items are its only storage (see ``_types/_base.py``), so it
is filled by two C-level merges, ``o |= defaults`` (every field, in declaration order) then
``o |= d`` (what the server sent: fields land in place, unknown keys follow in the server's
order); only the fields that hold typed objects are then rebuilt, by the nested class' function
or, for lists of them, a list comprehension. It mirrors the converter's rules (plain values kept
as sent, missing keys give the field default, null gives None, unknown keys kept) and leaves any
other field type to the converter's own hook.

Anything unusual (a payload that is not exactly a ``dict`` or ``list``, an unknown key that
:func:`normalize_key` would change, a class whose ``__init__`` does more than store its
arguments) makes the fast function raise, and the caller then runs the converter's detailed
path, which builds the same value or raises today's error. The fast path never reports errors
itself.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
import types
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin, get_type_hints

from cattrs import Converter

from ._types._base import _NORMALIZED, BaseInferenceType, FieldProperty, normalize_key

__all__ = ["Decline", "FastStructurers"]

Fast = Callable[[Any], Any]

_UNION_ORIGINS = (Union, types.UnionType)
_NONE_TYPE = type(None)


class Decline(Exception):
    """Raised by a fast function for any payload it leaves to the converter."""


def _identity(value: Any) -> Any:
    return value


def _has_plain_init(
    cls: type[BaseInferenceType], fields: tuple[dataclasses.Field[Any], ...]
) -> bool:
    """True when filling the items directly gives what ``cls(...)`` gives."""
    if cls.__new__ is not dict.__new__ or hasattr(cls, "__post_init__"):
        return False
    for name in ("__setattr__", "__setitem__", "update", "__ior__"):
        if getattr(cls, name) is not getattr(BaseInferenceType, name):
            return False
    if len(fields) != len(cls.__dataclass_fields__):  # InitVar or ClassVar pseudo-fields
        return False
    return all(
        f.init
        and f.default is not dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
        and isinstance(getattr(cls, f.name), FieldProperty)  # declared with @inference_type
        for f in fields
    )


class FastStructurers:
    """Fast functions for ``converter`` (configured by ``configure_converter``), one per type."""

    def __init__(self, converter: Converter, is_plain: Callable[[Any], bool]) -> None:
        self._converter = converter
        self._is_plain = is_plain
        self._functions: dict[Any, Fast] = {}
        self._building: set[Any] = set()
        # Functions that call a converter hook (None may mean something to them), and the item
        # function of each list function (so that a class inlines the comprehension).
        self._hook_functions: set[Fast] = set()
        self._list_items: dict[Fast, Fast] = {}
        self._lock = threading.RLock()

    def function(self, t: Any) -> Fast:
        """The one-argument fast function for type ``t`` (built and cached on first use)."""
        fn = self._functions.get(t)
        if fn is None:
            with self._lock:
                fn = self._functions.get(t)
                if fn is None:
                    fn = self._value_function(t, t)
                    self._functions[t] = fn
        return fn

    def _value_function(self, t: Any, hook_type: Any) -> Fast:
        """Mirror of the converter's hook for ``t``; ``hook_type`` is what that hook is passed."""
        if self._is_plain(t):
            return _identity
        if isinstance(t, type) and issubclass(t, BaseInferenceType):
            return self._class_function(t)
        origin = get_origin(t)
        if origin in _UNION_ORIGINS:
            arms = [arm for arm in get_args(t) if arm is not _NONE_TYPE]
            if len(arms) == 1:  # Optional[X]: the converter uses X's hook, which maps None to None
                return self._value_function(arms[0], hook_type)
        elif origin is list:
            (item_type,) = get_args(t)
            return self._list_function(self._value_function(item_type, item_type))
        return self._hook_function(t, hook_type)

    def _hook_function(self, t: Any, hook_type: Any) -> Fast:
        hook = self._converter.get_structure_hook(t)

        def call_hook(value: Any) -> Any:
            return hook(value, hook_type)

        self._hook_functions.add(call_hook)
        return call_hook

    def _list_function(self, item: Fast) -> Fast:
        def structure_list(value: Any) -> Any:
            if type(value) is not list:
                if value is None:
                    return None
                raise Decline
            return [item(x) for x in value]

        self._list_items[structure_list] = item
        return structure_list

    def _class_function(self, cls: type[BaseInferenceType]) -> Fast:
        fn = self._functions.get(cls)
        if fn is not None:
            return fn
        if cls in self._building:
            # A class that contains itself: look the function up when called (it exists by then).
            functions = self._functions
            return lambda value: functions[cls](value)
        self._building.add(cls)
        try:
            fn = self._generate(cls)
        finally:
            self._building.discard(cls)
        self._functions[cls] = fn
        return fn

    def _generate(self, cls: type[BaseInferenceType]) -> Fast:
        fields = dataclasses.fields(cls)
        if not _has_plain_init(cls, fields):
            return self._hook_function(cls, cls)
        hints = get_type_hints(cls)
        ns: dict[str, Any] = {
            "_new": dict.__new__,
            "_cls": cls,
            "_defaults": {f.name: f.default for f in fields},
            "_count": len(fields),
            "_normal": _NORMALIZED.get,
            "_normalize": normalize_key,
            "_islice": itertools.islice,
            "_Decline": Decline,
            "_dict": dict,
            "_list": list,
        }
        lines = [
            "def fast(d):",
            "    if type(d) is not _dict:",
            "        if d is None:",
            "            return None",
            "        raise _Decline",
            "    o = _new(_cls)",
            "    o |= _defaults",
            "    o |= d",
        ]
        for i, f in enumerate(fields):
            key, t = repr(f.name), hints[f.name]
            if self._is_plain(t):
                continue  # kept as sent (or the default), by the merges above
            fn = self._value_function(t, t)
            ns[f"_f{i}"] = fn
            item = self._list_items.get(fn)
            if f.default is not None or fn in self._hook_functions:
                # Exactly the converter's generated code: the hook only for a key that is there.
                lines += [f"    if {key} in d:", f"        o[{key}] = _f{i}(d[{key}])"]
            elif item is not None:
                # A list: the comprehension inline, calling the item function.
                ns[f"_f{i}"] = item
                lines += [
                    f"    v = d.get({key})",
                    "    if v is not None:",
                    "        if type(v) is not _list:",
                    "            raise _Decline",
                    f"        o[{key}] = [_f{i}(x) for x in v]",
                ]
            else:
                lines += [
                    f"    v = d.get({key})",
                    "    if v is not None:",
                    f"        o[{key}] = _f{i}(v)",
                ]
        lines += [
            # Unknown keys follow the fields; the converter normalizes those that need it.
            "    if len(o) != _count:",
            "        for k in _islice(o, _count, None):",
            "            if _normal(k) != k and _normalize(k) != k:",
            "                raise _Decline",
            "    return o",
        ]
        filename = f"<fast structure {cls.__module__}.{cls.__qualname__}>"
        exec(compile("\n".join(lines), filename, "exec"), ns)
        fast: Fast = ns["fast"]
        fast.__name__ = fast.__qualname__ = f"fast_structure_{cls.__name__}"
        return fast
