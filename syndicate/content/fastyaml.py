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
from typing import Any, Final

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
_STR = "tag:yaml.org,2002:str"
_TYPED = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "null", "timestamp")
)
_resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = Resolver().resolve


def load(text: str) -> Any:
    """The front matter's mapping, as `yaml.load(text, CSafeLoader)` gives it, or NOT_SIMPLE."""
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
            value = _scalar(item, flow=False) if item else None
            if value is NOT_SIMPLE:
                return NOT_SIMPLE
            indent = len(spaces)
            items.append(value)
            result[key] = items
        elif name:
            if not _is_text(name):
                return NOT_SIMPLE
            key, items, indent = name, ([] if not raw else None), -1
            value = _value(raw) if raw else None
            if value is NOT_SIMPLE:
                return NOT_SIMPLE
            result[key] = value
    return result if result else NOT_SIMPLE  # all comments: PyYAML says None


def _value(raw: str) -> Any:
    if raw[0] != "[":
        return _scalar(raw, flow=False)
    if raw[-1] != "]":
        return NOT_SIMPLE
    inner = raw[1:-1].strip(" ")
    if not inner:
        return []
    values = [_scalar(part.strip(" "), flow=True) for part in inner.split(",")]
    return NOT_SIMPLE if NOT_SIMPLE in values else values


def _scalar(raw: str, flow: bool) -> Any:
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
    return _plain(raw)


@functools.lru_cache(maxsize=4096)  # tags, authors and categories recur across posts
def _plain(raw: str) -> Any:
    tag = _resolve(yaml.ScalarNode, raw, (True, False))
    if tag == _STR:
        return raw
    if tag not in _TYPED:
        return NOT_SIMPLE
    try:  # the value is immutable (bool, int, float, None, date), so remembering it is safe
        return yaml.load(raw, Loader=LOADER)
    except (yaml.YAMLError, ValueError, OverflowError):
        return NOT_SIMPLE  # `2024-13-45`: PyYAML reports it


@functools.lru_cache(maxsize=1024)
def _is_text(key: str) -> bool:
    """Whether a key reads as a string (`on`, `no` and `null` do not, in YAML 1.1)."""
    return _resolve(yaml.ScalarNode, key, (True, False)) == _STR
