"""Hugo's tie-break by title: the Unicode Collation Algorithm's sort key of a text, by the
default table (UTS #10, https://www.unicode.org/reports/tr10/; the CLDR root order Hugo's
golang.org/x/text/collate uses for English and every language the CLDR does not tailor), from
pyuca.

pyuca loads the whole table (~30,000 lines) into its collator: 80-140 ms, in the main
process, whenever two pages of a feed tie on weight and date, which a curly apostrophe in
one of their titles was enough for. The table is read here only where a text needs it. A key
looks up the table for runs of the text's own code points (after NFD, the longest run the
table has; then a non-starter after it: pyuca's `collation_elements`), so a collator holding
every line made only of the code points of the texts it is given, and any other lines of the
table, gives each of those texts the whole table's key (tests/test_collation.py checks any
text). ASCII titles take their keys from the table's 128 lines for ASCII, shipped as
data/allkeys-ascii-<UCA version>.txt; the collator for other titles starts from those and
takes the lines of each other code point the first time a title has it.
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from typing import Any

# Code points looked for one by one, each a scan of the table's text (~2.5 ms for the two); a
# site whose tied titles have more (Cyrillic, Greek, CJK) indexes every line once (~30 ms).
_SCANS = 8


def collation_key(text: str) -> tuple[int, ...]:
    """A sort key of `text` by the Unicode Collation Algorithm's default table (a language's
    own tailoring, such as Chinese pinyin order, is not applied)."""
    if text.isascii():
        return tuple(_ascii_collator().sort_key(text))
    growing = _growing()
    growing.cover(text)
    return tuple(growing.collator.sort_key(text))


@lru_cache(maxsize=1)
def _collator() -> Any:
    """pyuca's collator with the whole table."""
    import pyuca  # type: ignore[import-untyped]

    return pyuca.Collator()


@lru_cache(maxsize=1)
def _ascii_collator() -> Any:
    """pyuca's collator with only the table's lines for ASCII: the same keys for texts of
    ASCII only, loaded in under a millisecond. The whole table for a UCA version the shipped
    file is not of."""
    return _from_ascii_lines() or _collator()


def _from_ascii_lines() -> Any:
    from importlib import resources

    import pyuca

    data = resources.files("syndicate").joinpath(
        "data", f"allkeys-ascii-{pyuca.Collator.UCA_VERSION}.txt"
    )
    if not data.is_file():
        return None
    with resources.as_file(data) as path:
        return pyuca.Collator(str(path))


class _Growing:
    """A collator that takes the table's lines for each code point when a text first has it
    (`_TableLines`), parsed as pyuca parses its file."""

    def __init__(self, collator: Any, lines: _TableLines | None) -> None:
        self.collator = collator
        self._lines = lines  # None: the collator has the whole table
        self._covered: set[int] = set(range(0x80))

    def cover(self, text: str) -> None:
        if self._lines is None:
            return
        from pyuca.collator import COLL_ELEMENT_PATTERN  # type: ignore[import-untyped]
        from pyuca.utils import hexstrings2int  # type: ignore[import-untyped]

        for char in set(unicodedata.normalize("NFD", text)):
            code = ord(char)
            if code in self._covered:
                continue
            for line in self._lines.holding(code):
                points, weights = line.split(";", 1)
                elements = [
                    hexstrings2int(m.groups()) for m in COLL_ELEMENT_PATTERN.finditer(weights)
                ]
                self.collator.table.add(hexstrings2int(points.split()), elements)
            self._covered.add(code)


@lru_cache(maxsize=1)
def _growing() -> _Growing:
    import pyuca

    start = _from_ascii_lines()
    path = os.path.join(
        os.path.dirname(pyuca.__file__), f"allkeys-{pyuca.Collator.UCA_VERSION}.txt"
    )
    if start is None or not os.path.isfile(path):
        return _Growing(_collator(), None)
    with open(path, encoding="utf-8") as file:
        return _Growing(start, _TableLines(file.read()))


class _TableLines:
    """The table's text, and the lines that hold a code point (its code points before the
    `;`, without the comment): found by scanning the text, for the first few code points,
    then from an index of every line."""

    def __init__(self, text: str) -> None:
        self._text = "\n" + text  # every line, the first too, starts after a line break
        self._scans = 0
        self._index: dict[int, list[str]] | None = None

    def holding(self, code: int) -> list[str]:
        if self._index is None and self._scans < _SCANS:
            self._scans += 1
            return self._scanned(code)
        if self._index is None:
            self._index = self._indexed()
        return self._index.get(code, [])

    def _scanned(self, code: int) -> list[str]:
        hexa = f"{code:04X}"
        found: list[str] = []
        for needle in (f"\n{hexa} ", f" {hexa} "):  # first in its line, or after another
            at = self._text.find(needle)
            while at != -1:
                start = self._text.rfind("\n", 0, at + 1) + 1
                end = self._text.find("\n", at + 1)
                line = _entry(self._text[start : end if end != -1 else len(self._text)])
                if line is not None and code in _points(line) and line not in found:
                    found.append(line)
                at = self._text.find(needle, at + 1)
        return found

    def _indexed(self) -> dict[int, list[str]]:
        index: dict[int, list[str]] = {}
        for raw in self._text.split("\n"):
            line = _entry(raw)
            if line is not None:
                for code in set(_points(line)):
                    index.setdefault(code, []).append(line)
        return index


def _entry(raw: str) -> str | None:
    """A line of the table as pyuca reads it (its comment cut off), if it is an entry: not a
    comment, a blank line, or an `@` line (the implicit weights are the ASCII file's too)."""
    line = raw.split("#", 1)[0].rstrip()
    return line if line and not line.startswith("@") and ";" in line else None


def _points(line: str) -> list[int]:
    return [int(part, 16) for part in line.split(";", 1)[0].split()]
