"""Hugo's tie-break by title: the collator for ASCII titles, loaded from the lines of the
Unicode table that ASCII needs, and the one for other titles, which reads the table's lines
as their code points first need them, give the keys the whole table gives."""

from __future__ import annotations

import os

import pyuca  # type: ignore[import-untyped]
from hypothesis import example, given
from hypothesis import strategies as st

from syndicate.sites.hugo.collation import (
    _ascii_collator,
    _collator,
    _from_ascii_lines,
    _Growing,
    _growing,
    _TableLines,
    collation_key,
)

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


WHOLE = os.path.join(os.path.dirname(pyuca.__file__), f"allkeys-{pyuca.Collator.UCA_VERSION}.txt")


def test_the_ascii_table_is_pyucas_own_lines_for_ascii() -> None:
    whole = WHOLE
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


def _fresh() -> _Growing:
    with open(WHOLE, encoding="utf-8") as file:
        return _Growing(_from_ascii_lines(), _TableLines(file.read()))


# Texts one after another, as a build's tied titles come: the first few code points are
# looked for in the table's text, the rest in its index of every line. `l·` and `L·` are
# contractions of an ASCII letter and a non-ASCII point, `เก` one that starts with the
# non-ASCII point, and Hangul and CJK ideographs have keys the table does not list.
@given(st.lists(st.text(max_size=12), max_size=12))
@example(["Col·lecció", "COL·LECCIÓ", "L·l"])
@example(["ΑΒΓΔΕΖΗΘΙΚ", "Col·lecció"])  # found in the index, which has the contraction's `·` too
@example(["เกม", "ເກ", "Ωμέγα", "Über", "naïve", "Rock’n’roll", "日本語", "한국어", "🙂"])
def test_texts_given_in_turn_have_the_whole_tables_keys(texts: list[str]) -> None:
    growing = _fresh()
    for text in texts:
        growing.cover(text)
        assert growing.collator.sort_key(text) == _collator().sort_key(text), text


def test_a_title_with_a_curly_apostrophe_reads_its_few_lines_not_the_whole_table() -> None:
    growing = _fresh()
    growing.cover("Want to Intern with rOpenSci’s Community Manager?")
    points = set(growing.collator.table.root.children)
    assert 0x2019 in points and len(points) < 0x80 + 4  # ASCII, and the apostrophe's line


def test_a_non_ascii_title_takes_its_key_from_the_growing_collator() -> None:
    title = "Publicación — “ropensci”"
    assert collation_key(title) == tuple(_collator().sort_key(title))
    assert 0x2014 in _growing().collator.table.root.children
