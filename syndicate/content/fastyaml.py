"""YAML front matter in the plain shape nearly every post has, read in one pass over its lines:
`key: scalar`, `key: [a, b]`, and `key:` followed by `- item` lines. `load` returns exactly what
PyYAML's safe loader returns for such text, or `NOT_SIMPLE` for anything else (nesting, block
scalars, anchors, tags, escapes, comments after a value, multi-line scalars...), which the
caller then gives to PyYAML, which also reports any error.

Why: even with libyaml, PyYAML builds a node for every scalar and calls its Python resolver and
constructor on each; that was ~45% of the time it takes to parse a post. Plain scalars are still
typed by PyYAML's own resolver (YAML 1.1: `yes` is true, `2024-01-01` a date), so both paths
agree on every value; tests/test_fastyaml.py checks that against PyYAML with generated text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, ClassVar, Final

import yaml
from yaml.resolver import Resolver

NOT_SIMPLE: Final = object()

# Tabs, carriage returns, YAML's other line breaks (NEL, LS, PS), the BOM and characters YAML
# forbids all take the general path.
# (Listed, not negated: a negated class spanning every plane takes 5 ms to compile.)
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# Each line is one of: `key: value` (key, value), `  - item` (indent, dash, item), blank or a
# whole-line comment (nothing), or anything else (other), which this module does not read.
_LINES = re.compile(
    r"^(?:([A-Za-z_][A-Za-z0-9_-]{0,127}):(?: +(.*[^ \n]))?"
    r"|( *)(-)(?: +(.*[^ \n]))?"
    r"| *(?:#.*)?"
    r"|(.+)) *$",
    re.MULTILINE,
)
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}:#'\"]")
LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
# YAML 1.2's booleans (the core schema's `true`/`false`), for Hugo (goccy/go-yaml since 0.152:
# parser/metadecoders/decoder.go) and Zola (serde_yaml): `no`, `yes`, `on` and `off` are text,
# as a language `no:` (Norwegian) or `title: On`. Jekyll's Psych reads YAML 1.1, as PyYAML.
_BOOL_12 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BOOL = "tag:yaml.org,2002:bool"


class Loader12(LOADER):  # type: ignore[misc]
    """The safe loader with YAML 1.2's booleans."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, regexp) for tag, regexp in found if tag != _BOOL]
        for first, found in LOADER.yaml_implicit_resolvers.items()
    }


Loader12.add_implicit_resolver(_BOOL, _BOOL_12, list("tTfF"))
_STR = "tag:yaml.org,2002:str"
_TYPED = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "null", "timestamp")
)
_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = Resolver().resolve


def load(text: str, yaml12: bool = False) -> Any:
    """The front matter's mapping, as `yaml.load(text, CSafeLoader)` gives it (`yaml12`: as
    `Loader12` does), or NOT_SIMPLE."""
    if _UNUSUAL.search(text):
        return NOT_SIMPLE
    result: dict[str, Any] = {}
    items: list[Any] | None = None  # the list an open `key:` collects its `- item` lines into
    key = ""
    indent = -1
    for name, raw, spaces, dash, item, other in _LINES.findall(text):
        if other:
            return NOT_SIMPLE
        if dash:
            if items is None or (indent >= 0 and len(spaces) != indent):
                return NOT_SIMPLE
            value = _scalar(item, False, yaml12) if item else None
            if value is NOT_SIMPLE:
                return NOT_SIMPLE
            indent = len(spaces)
            items.append(value)
            result[key] = items
        elif name:
            if not _is_text(name, yaml12) or name in result:  # a key twice: see split
                return NOT_SIMPLE
            key, items, indent = name, ([] if not raw else None), -1
            value = _value(raw, yaml12) if raw else None
            if value is NOT_SIMPLE:
                return NOT_SIMPLE
            result[key] = value
    return result if result else NOT_SIMPLE  # all comments: PyYAML says None


def _value(raw: str, yaml12: bool) -> Any:
    if raw[0] != "[":
        return _scalar(raw, False, yaml12)
    if raw[-1] != "]":
        return NOT_SIMPLE
    inner = raw[1:-1].strip(" ")
    if not inner:
        return []
    values = [_scalar(part.strip(" "), True, yaml12) for part in inner.split(",")]
    return NOT_SIMPLE if NOT_SIMPLE in values else values


def _scalar(raw: str, flow: bool, yaml12: bool) -> Any:
    if not raw:
        return NOT_SIMPLE  # `[a, , b]`
    first = raw[0]
    if first == "'":
        quoted = _SINGLE_QUOTED.fullmatch(raw)
        return quoted[1].replace("''", "'") if quoted else NOT_SIMPLE
    if first == '"':
        quoted = _DOUBLE_QUOTED.fullmatch(raw)
        return quoted[1] if quoted else NOT_SIMPLE
    if first in _INDICATORS or raw[-1] == ":" or ": " in raw or " #" in raw:
        return NOT_SIMPLE
    if flow and _FLOW_UNSAFE.search(raw):
        return NOT_SIMPLE
    return _plain(raw, yaml12)


@functools.lru_cache(maxsize=4096)  # tags, authors and categories recur across posts
def _plain(raw: str, yaml12: bool) -> Any:
    tag = _resolve(yaml.ScalarNode, raw, (True, False))
    if tag == _STR or (yaml12 and tag == _BOOL and not _BOOL_12.match(raw)):
        return raw
    if tag not in _TYPED:
        return NOT_SIMPLE
    try:  # the value is immutable (bool, int, float, None, date), so remembering it is safe
        return yaml.load(raw, Loader=LOADER)
    except (yaml.YAMLError, ValueError, OverflowError):
        return NOT_SIMPLE  # `2024-13-45`: PyYAML reports it


@functools.lru_cache(maxsize=1024)
def _is_text(key: str, yaml12: bool) -> bool:
    """Whether a key reads as a string (`on`, `no` and `null` do not, in YAML 1.1)."""
    tag = _resolve(yaml.ScalarNode, key, (True, False))
    return tag == _STR or (yaml12 and tag == _BOOL and not _BOOL_12.match(key))
