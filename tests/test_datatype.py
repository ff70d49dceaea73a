"""`datatype` against the standard library's `dataclass`: the same fields, `__init__`, repr,
equality and hashing, with one compiled method a class instead of five."""

from __future__ import annotations

import builtins
import dataclasses
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.datatype import datatype

Maker = Callable[[type[Any]], type[Any]]


def _shape(name: str) -> type[Any]:
    """A fresh class body (the same qualname each time), for both decorators to make."""
    body: dict[str, Any] = {
        "__module__": __name__,
        "__qualname__": name,
        "__annotations__": {"a": "Any", "b": "Any", "c": "Any", "d": "Any"},
        "c": dataclasses.field(default=0, compare=False),
        "d": dataclasses.field(default=(), repr=False, hash=False),
    }
    return type(name, (), body)


SHAPES: dict[str, tuple[Maker, Maker]] = {
    "frozen": (datatype, dataclasses.dataclass(frozen=True, slots=True)),
    "mutable": (datatype(frozen=False), dataclasses.dataclass(slots=True)),
    "keywords": (
        datatype(kw_only=True, slots=False),
        dataclasses.dataclass(frozen=True, kw_only=True),
    ),
}

values = st.one_of(
    st.integers(),
    st.text(max_size=5),
    st.floats(allow_nan=True),
    st.tuples(st.integers(), st.text(max_size=3)),
    st.none(),
)


@pytest.mark.parametrize("shape", SHAPES)
@given(st.lists(values, min_size=4, max_size=4), st.lists(values, min_size=4, max_size=4))
def test_repr_eq_and_hash_are_the_dataclass_ones(
    shape: str, one: list[Any], two: list[Any]
) -> None:
    ours, theirs = (make(_shape("Shape")) for make in SHAPES[shape])
    a, b, x, y = (
        cls(**dict(zip("abcd", v, strict=True))) for cls in (ours, theirs) for v in (one, two)
    )
    assert repr(a) == repr(x)
    assert (a == b) == (x == y)
    assert (a == a) == (x == x)  # a NaN field: equal to itself, as tuples compare
    assert (a != b) == (x != y)
    assert (a == x) is False  # another class
    if theirs.__hash__ is None:
        assert ours.__hash__ is None
    elif a == b:
        assert hash(a) == hash(b)


def test_the_fields_left_out_of_equality_and_hashing() -> None:
    cls = datatype(_shape("Shape"))
    assert cls(1, 2, c=3) == cls(1, 2, c=4)  # c: compare=False
    assert hash(cls(1, 2, d=(1,))) == hash(cls(1, 2, d=(2,))) != hash(cls(2, 2))
    assert math.isnan(cls(math.nan, 1).a)


def test_what_a_class_writes_itself_is_kept() -> None:
    class Own:
        a: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 7

    made = datatype(Own)
    assert (repr(made(1)), made(1) == made(2), hash(made(1))) == ("own", True, 7)

    def eq_only() -> type[Any]:  # Python sets __hash__ to None; dataclass adds one when frozen
        class EqOnly:
            a: int

            def __eq__(self, other: object) -> bool:
                return False

        return EqOnly

    assert hash(datatype(eq_only())(1)) == hash(dataclasses.dataclass(frozen=True)(eq_only())(1))


def test_dataclass_tools_see_a_dataclass() -> None:
    cls = datatype(kw_only=True)(_shape("Shape"))
    made = cls(a=1, b=2)
    assert [f.name for f in dataclasses.fields(made)] == ["a", "b", "c", "d"]
    assert dataclasses.replace(made, b=3) == cls(a=1, b=3)
    assert dataclasses.asdict(made) == {"a": 1, "b": 2, "c": 0, "d": ()}
    with pytest.raises(TypeError):
        cls(1, 2)  # keyword-only
    assert not hasattr(made, "__dict__")  # slots


def test_one_method_is_compiled_a_class(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled: list[str] = []
    real = builtins.exec

    def counting(source: Any, *args: Any) -> Any:
        compiled.append(str(source))
        return real(source, *args)

    monkeypatch.setattr(builtins, "exec", counting)
    datatype(_shape("Shape"))
    assert len(compiled) == 1 and "__init__" in compiled[0]
    compiled.clear()
    dataclasses.dataclass(frozen=True, slots=True)(_shape("Shape"))
    assert len(compiled) == 6  # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__
