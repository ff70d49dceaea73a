"""TOML tables as frozen dataclasses, checked without pydantic when they are valid.

Importing pydantic and building the schema of the config's tables takes ~0.25 s, more than the
rest of a digest or a one-post rebuild. So:
- `quick` takes a table TOML wrote when every value is plainly valid (the exact types, the
  literals, the constraints and checks declared below), making what pydantic would make;
- anything else goes to pydantic (`checked`), which words every problem at once with its key
  path: pydantic stays the validator of record, the quick check only skips it for valid input
  (tests/test_tables.py checks both ways that they agree);
- a config read before is rebuilt from the values made then (`kept`: marshal data in the state
  folder, never pickle), which also skips reading the tables' type hints (~20 ms).

Declaring a table:
- `Limits(ge=0)` / `Limits(min_length=1)` in `Annotated[...]`: pydantic's own constraints;
- `Check(fn)` in `Annotated[...]`: `fn(value)` returns the value (maybe normalised) or raises
  ValueError with the message users see;
- `__post_init__` raising ValueError: a check of the whole table (reported at the table's key);
- `check_field(name, value)` overridden: one check of every key of the table;
- `keys = {"field": "key"}`: a key whose TOML name is not a Python name (`from`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import marshal
import sys
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .datatype import datatype
from .output import atomic_write

if TYPE_CHECKING:
    from pydantic import TypeAdapter

T = TypeVar("T")
_TABLES: dict[str, type[Table]] = {}


class Limits:
    """Constraints pydantic's core schema takes for the type: `ge`, `le`, `gt`, `min_length`."""

    def __init__(self, **constraints: int | float) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        schema = handler(source)
        schema.update(self.constraints)
        return schema


class Check:
    """A check of one value after its type: `fn` returns it or raises ValueError."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.fn, handler(source))


class Table:
    """A TOML table: unknown keys are errors, and values are never coerced across types.
    Subclasses are frozen dataclasses (`@datatype`)."""

    # Strict is for the values: a table itself is written as a TOML table, a dict (see below).
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "strict": True}
    keys: ClassVar[Mapping[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__doc__ is None:  # else @dataclass makes one from its signature: 0.3 ms a class
            cls.__doc__ = f"The TOML table {cls.__name__}."
        _TABLES[f"{cls.__module__}.{cls.__qualname__}"] = cls

    # Equality of values; a table's hash is its class's, as tables hold lists (equal tables
    # must hash alike, and a list has no hash).
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        names = [f.name for f in dataclasses.fields(self)]  # type: ignore[arg-type]
        return [getattr(self, n) for n in names] == [getattr(other, n) for n in names]

    def __hash__(self) -> int:
        return hash(type(self))  # tables hold lists: equal ones share this, as they must

    @classmethod
    def check_field(cls, name: str, value: Any) -> Any:
        return value

    @classmethod
    def key_of(cls, name: str) -> str:
        """The TOML key of the field `name`."""
        return cls.keys.get(name, name)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        schema = handler(source)
        schema["strict"] = False  # strict would take only an instance of the class
        each = "check_field" in vars(cls)
        for field in schema["schema"]["fields"]:
            name = field["name"]
            if name in cls.keys:
                field["validation_alias"] = cls.keys[name]
            if each:  # inside the default, which is never validated
                holder = field["schema"] if field["schema"]["type"] == "default" else field
                check = functools.partial(cls.check_field, name)
                holder["schema"] = core_schema.no_info_after_validator_function(
                    check, holder["schema"]
                )
        return schema


def _mark_given(made: Any, data: Any) -> None:
    """Record in each table pydantic made which keys its TOML table wrote (`given`)."""
    if isinstance(made, Table) and isinstance(data, dict):
        names = {made.key_of(f.name): f.name for f in dataclasses.fields(made)}  # type: ignore[arg-type]
        written = [(names[key], value) for key, value in data.items() if key in names]
        object.__setattr__(made, "_given", frozenset(name for name, _ in written))
        for name, value in written:
            _mark_given(getattr(made, name), value)
    elif isinstance(made, list) and isinstance(data, list):
        for item, raw in zip(made, data, strict=False):
            _mark_given(item, raw)
    elif isinstance(made, dict) and isinstance(data, dict):
        for key, item in made.items():
            _mark_given(item, data.get(key))


def given(table: Table) -> frozenset[str]:
    """The fields whose keys the TOML table wrote (none for a table made in code)."""
    found: frozenset[str] = getattr(table, "_given", frozenset())
    return found


def replace(table: T, **changes: Any) -> T:
    """`dataclasses.replace`, keeping which keys were written."""
    made = dataclasses.replace(table, **changes)  # type: ignore[type-var]
    object.__setattr__(made, "_given", given(table) | set(changes))  # type: ignore[arg-type]
    return made


# --- the quick check -------------------------------------------------------------------------

# "Not sure": a value this check does not take itself, left for pydantic to judge.
_ASK = object()


@datatype(slots=False)
class _Shape:
    hints: dict[str, Any]  # field name -> its type, with Annotated's metadata
    names: dict[str, str]  # TOML key -> field name
    required: frozenset[str]
    each: bool  # whether the class checks every field (`check_field`)


_SHAPES: dict[type[Any], _Shape] = {}


def _shape(cls: type[Table]) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        shape = _SHAPES[cls] = _Shape(
            {f.name: hints[f.name] for f in fields},
            {cls.key_of(f.name): f.name for f in fields},
            frozenset(
                f.name
                for f in fields
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            ),
            "check_field" in vars(cls),
        )
    return shape


def quick(cls: type[T], data: Any) -> T | None:
    """`data` as a `cls` when it is plainly valid, as pydantic would make it; None when
    pydantic must decide: a problem (whose message is pydantic's), or a value of a kind this
    check does not take. It takes what TOML gives for these types: strings, numbers, booleans,
    lists, tables, the literals, and the constraints and checks declared here."""
    try:
        made = _table(cls, data)  # type: ignore[arg-type]
    except (ValueError, TypeError, RecursionError):
        return None
    return None if made is _ASK else made


def _table(cls: type[Table], data: Any) -> Any:
    if type(data) is not dict:
        return _ASK
    shape = _shape(cls)
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = shape.names.get(key)
        if name is None:
            return _ASK
        value = _value(shape.hints[name], value)
        if value is _ASK:
            return _ASK
        values[name] = cls.check_field(name, value) if shape.each else value
    if not shape.required <= values.keys():
        return _ASK
    table = cls(**values)  # its __post_init__ checks the whole table
    object.__setattr__(table, "_given", frozenset(values))
    return table


def _value(kind: Any, value: Any) -> Any:
    origin = typing.get_origin(kind)
    if origin is typing.Annotated:
        return _annotated(kind, value)
    if origin is typing.Union or origin is types.UnionType:
        others = [a for a in typing.get_args(kind) if a is not type(None)]
        if value is None and len(others) < len(typing.get_args(kind)):
            return None
        return _value(others[0], value) if len(others) == 1 else _ASK
    if origin is typing.Literal:
        allowed = typing.get_args(kind)
        return value if any(type(value) is type(a) and value == a for a in allowed) else _ASK
    if origin is list:
        return _items(typing.get_args(kind)[0], value)
    if origin is dict:
        key_kind, item_kind = typing.get_args(kind)
        return _mapping(key_kind, item_kind, value)
    if isinstance(kind, type) and issubclass(kind, Table):
        return _table(kind, value)
    return _scalar(kind, value)


def _annotated(kind: Any, value: Any) -> Any:
    value = _value(kind.__origin__, value)
    for mark in kind.__metadata__:
        if value is _ASK:
            return _ASK
        if isinstance(mark, Check):
            value = mark.fn(value)  # ValueError: pydantic says it
        elif not isinstance(mark, Limits) or not _within(mark.constraints, value):
            return _ASK
    return value


def _within(constraints: Mapping[str, int | float], value: Any) -> bool:
    for name, bound in constraints.items():
        if name == "min_length" and not len(value) >= bound:
            return False
        if (name == "ge" and not value >= bound) or (name == "le" and not value <= bound):
            return False
        if name == "gt" and not value > bound:
            return False
        if name not in ("min_length", "ge", "le", "gt"):
            return False
    return True


def _items(kind: Any, value: Any) -> Any:
    if type(value) is not list:
        return _ASK
    items = [_value(kind, item) for item in value]
    return _ASK if any(item is _ASK for item in items) else items


def _mapping(key_kind: Any, kind: Any, value: Any) -> Any:
    if type(value) is not dict:
        return _ASK
    out = {}
    for key, item in value.items():
        if _value(key_kind, key) is _ASK:
            return _ASK
        out[key] = _value(kind, item)
        if out[key] is _ASK:
            return _ASK
    return out


def _scalar(kind: Any, value: Any) -> Any:
    """What pydantic's strict mode takes: the exact type, and an integer for a float."""
    if kind in (str, int, bool) and type(value) is kind:
        return value
    if kind is float and type(value) in (int, float):
        return float(value)
    return _ASK


# --- pydantic ---------------------------------------------------------------------------------

_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


class Invalid(Exception):
    """What pydantic found wrong: each problem as its `ValidationError.errors()` gives it."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def validate(cls: type[T], data: Any) -> T:
    """`data` as a `cls`; raises Invalid listing every problem."""
    made = quick(cls, data)
    return made if made is not None else checked(cls, data)


def checked(cls: type[T], data: Any) -> T:
    """`data` as a `cls`, by pydantic; raises Invalid listing every problem."""
    from pydantic import TypeAdapter, ValidationError

    adapter = _ADAPTERS.get(cls) or _ADAPTERS.setdefault(cls, TypeAdapter(cls))
    try:
        made: T = adapter.validate_python(data)
    except ValidationError as exc:
        raise Invalid([dict(error) for error in exc.errors()]) from None
    _mark_given(made, data)
    return made


def names_of(cls: type[Table]) -> dict[str, Any]:
    """Each field's TOML key, with the field's type (resolved)."""
    shape = _shape(cls)
    return {key: shape.hints[name] for key, name in shape.names.items()}


# --- validated values kept between runs -----------------------------------------------------

_MAGIC = b"SYNDICATE-TABLES-1\n"
_KEPT = 4  # a few inputs (a build's and `serve`'s), the newest last
# Stores whose folder did not exist yet (a site's first build makes its state folder after
# reading the config): written by `save_unsaved` once it does.
_UNSAVED: dict[Path, bytes] = {}


def _plain(value: Any) -> Any:
    """`value` as marshal data: a table as its class's name and its fields."""
    if isinstance(value, Table):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}  # type: ignore[arg-type]
        name = f"{type(value).__module__}.{type(value).__qualname__}"
        return ("table", name, fields, sorted(given(value)))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _rebuilt(value: Any) -> Any:
    if isinstance(value, tuple):
        _, name, fields, written = value
        table = _TABLES[name](**{k: _rebuilt(v) for k, v in fields.items()})
        object.__setattr__(table, "_given", frozenset(written))
        return table
    if isinstance(value, dict):
        return {k: _rebuilt(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rebuilt(v) for v in value]
    return value


def _schema_stamp(cls: type[Any]) -> bytes:
    """What else decides the validated values: the code of the tables and the interpreter."""
    files = {__file__, sys.modules[cls.__module__].__file__ or ""}
    return b"".join(Path(name).read_bytes() for name in sorted(files)) + sys.version.encode()


def kept(store: Path, data: Any, cls: type[T]) -> T:
    """`validate(cls, data)`, from `store` when the same data was validated before.

    `data` is what tomllib reads (its repr is the key). The store is written only into a folder
    that exists (see `save_unsaved`), and is ignored when it cannot be read."""
    key = hashlib.sha256(repr(data).encode() + _schema_stamp(cls)).hexdigest()
    entries = _read(store)
    if key in entries:
        try:
            found = _rebuilt(entries[key])
        except (KeyError, TypeError, ValueError):
            found = None
        if isinstance(found, cls):
            return found
    made = validate(cls, data)
    entries.pop(key, None)
    entries[key] = _plain(made)
    _UNSAVED[store] = _MAGIC + marshal.dumps(dict(list(entries.items())[-_KEPT:]))
    save_unsaved()
    return made


def save_unsaved() -> None:
    """Write each store `kept` could not, now that its folder exists."""
    for store, data in list(_UNSAVED.items()):
        if store.parent.is_dir():
            del _UNSAVED[store]
            with contextlib.suppress(OSError):  # kept for speed only: the next run validates
                atomic_write(store, data, durable=False)


def _read(store: Path) -> dict[str, Any]:
    try:
        data = store.read_bytes()
    except OSError:
        return {}
    if not data.startswith(_MAGIC):
        return {}
    try:
        entries = marshal.loads(data[len(_MAGIC) :])
    except (EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}
