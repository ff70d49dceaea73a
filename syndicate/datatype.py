"""`datatype`: a dataclass whose methods are written once, not compiled for each class.

Python 3.11 compiles each method `@dataclass` generates (`exec` of its source, ~0.05-0.1 ms
each). The ~100 dataclasses a build defines cost ~39 ms of every command's start that way, an
eighth of a cold build of 100 posts. `datatype` has the standard library make the class (its
fields, `__init__`, slots, `__match_args__`; `dataclasses.fields`, `replace` and pydantic see a
dataclass) and gives it `__repr__`, `__eq__` and `__hash__` written once here, which return
what the generated ones return.

A frozen datatype is frozen where it counts: the type checker (`mypy --strict`) refuses any
assignment to its fields, as it does for `@dataclass(frozen=True)`, through PEP 681's
`dataclass_transform`. At run time the stdlib's frozen class also refuses assignment in a
generated `__setattr__`, which makes its `__init__` assign through `object.__setattr__`; that
check is the one thing left out (the build's code is all type-checked).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")


@overload
def datatype(cls: type[_T], /) -> type[_T]: ...


@overload
def datatype(
    *, frozen: bool = True, eq: bool = True, kw_only: bool = False, slots: bool = True
) -> Callable[[type[_T]], type[_T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def datatype(
    cls: type[_T] | None = None,
    /,
    *,
    frozen: bool = True,
    eq: bool = True,
    kw_only: bool = False,
    slots: bool = True,
) -> type[_T] | Callable[[type[_T]], type[_T]]:
    """`@dataclass(frozen=True, slots=True)` by default; `frozen`, `eq`, `kw_only` and `slots`
    as `dataclass` takes them."""

    def make(cls: type[_T]) -> type[_T]:
        return _made(cls, frozen=frozen, eq=eq, kw_only=kw_only, slots=slots)

    return make if cls is None else make(cls)


def _made(cls: type[_T], *, frozen: bool, eq: bool, kw_only: bool, slots: bool) -> type[_T]:
    own = dict(vars(cls))
    if not cls.__doc__:  # else dataclass writes one from inspect.signature: ~0.3 ms
        cls.__doc__ = f"The {cls.__name__} datatype."
    made = dataclasses.dataclass(cls, repr=False, eq=False, kw_only=kw_only, slots=slots)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]
    methods: dict[str, Any] = {}
    if "__repr__" not in own:
        methods.update(__repr__=_repr, _datatype_shown=_shown([f.name for f in fields if f.repr]))
    if eq and "__eq__" not in own:
        key = _getter([f.name for f in fields if f.compare])
        methods.update(__eq__=_eq, _datatype_key=staticmethod(key))
    if eq and not _explicit_hash(own):
        hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
        methods.update(
            __hash__=_hash if frozen else None, _datatype_hashed=staticmethod(_getter(hashed))
        )
    for name, value in methods.items():
        setattr(made, name, value)
    return made


def _explicit_hash(own: dict[str, Any]) -> bool:
    """Whether the class body wrote `__hash__` (as `dataclass` reads it: Python sets it to
    None in a class that writes `__eq__` alone)."""
    written = own.get("__hash__", dataclasses.MISSING)
    return not (written is dataclasses.MISSING or (written is None and "__eq__" in own))


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The values of `names` of an instance, as a tuple (compared as the generated methods
    compare them: element by element, identity first)."""
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda made: (one(made),)
    if not names:
        return lambda _: ()
    many: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*names)
    return many


def _shown(names: list[str]) -> tuple[str, Callable[[Any], tuple[Any, ...]]]:
    """What a repr shows after the class's name: one %-format and the values it takes (a
    repr is part of the fingerprints of feed documents and items: it is made often)."""
    return "(" + ", ".join(f"{name}=%r" for name in names) + ")", _getter(names)


def _repr(self: Any) -> str:
    form, values = self._datatype_shown
    shown: str = type(self).__qualname__ + form % values(self)
    return shown


def _eq(self: Any, other: Any) -> object:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self._datatype_key
    return key(self) == key(other)


def _hash(self: Any) -> int:
    return hash(self._datatype_hashed(self))
