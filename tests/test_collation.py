"""Hugo's tie-break by title: the collator for ASCII titles, loaded from the lines of the
Unicode table that ASCII needs, gives the keys the whole table gives."""

from __future__ import annotations

import os

import pyuca  # type: ignore[import-untyped]
from hypothesis import given
from hypothesis import strategies as st

from syndicate.sites.hugo.addresses import _ascii_collator, _collator, collation_key

SHIPPED = os.path.join(
    os.path.dirname(__file__),
    "..",
    "syndicate",
    "data",
    f"allkeys-ascii-{pyuca.Collator.UCA_VERSION}.txt",
)


def _lines(path: str) -> list[str]:
    """The table's lines as pyuca reads them: comments and blank lines left out."""
    with open(path, encoding="utf-8") as file:
        return [body for line in file if (body := line.split("#", 1)[0].rstrip())]


def test_the_ascii_table_is_pyucas_own_lines_for_ascii() -> None:
    whole = os.path.join(
        os.path.dirname(pyuca.__file__), f"allkeys-{pyuca.Collator.UCA_VERSION}.txt"
    )
    wanted = [
        line
        for line in _lines(whole)
        if line.startswith("@") or all(int(c, 16) < 0x80 for c in line.split(";")[0].split())
    ]
    assert _lines(SHIPPED) == wanted
    # No contraction of ASCII code points: one line for each of the 128.
    assert len(wanted) == 128 + sum(line.startswith("@") for line in wanted)


def test_the_ascii_collator_is_loaded_from_the_ascii_table() -> None:
    assert _ascii_collator() is not _collator()
    assert max(_ascii_collator().table.root.children) == 0x7F


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40))
def test_an_ascii_text_has_the_whole_tables_key(text: str) -> None:
    assert _ascii_collator().sort_key(text) == _collator().sort_key(text)
    assert collation_key(text) == tuple(_collator().sort_key(text))


@given(st.text(max_size=20))
def test_any_text_has_the_whole_tables_key(text: str) -> None:
    assert collation_key(text) == tuple(_collator().sort_key(text))


def test_titles_sort_in_the_root_order() -> None:
    titles = ["banana", "Cherry", "apple", "Éclair", "eclair", "ecluse", "10 things", "2 things"]
    assert sorted(titles, key=collation_key) == [
        "10 things",
        "2 things",
        "apple",
        "banana",
        "Cherry",
        "eclair",
        "Éclair",
        "ecluse",
    ]
