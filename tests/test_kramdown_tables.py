"""Jekyll sites' tables as kramdown reads them (syntax.kramdown_tables), checked against the
HTML Jekyll 4.3.1 (kramdown 2.4.0) wrote for each of these posts."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.content.markdown import make_markdown

from .conftest import examples
from .fresh_process import output_within
from .syntax_posts import html_of
from .test_syntax_jekyll import JekyllSite

Cell = tuple[str, str, str | None]  # th or td, its text, its alignment
Table = list[tuple[str, list[list[Cell]]]]  # each part: thead, tbody or tfoot, and its rows


def tables(html: str) -> list[Table]:
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [
        [
            (part.tag, [[_cell(c) for c in row.iterchildren()] for row in part.iterchildren()])
            for part in table.iterchildren()
        ]
        for table in root.iter("table")
    ]


def _cell(cell: lxml.html.HtmlElement) -> Cell:
    style = (cell.get("style") or "").replace(" ", "")
    align = style.removeprefix("text-align:") or None
    return cell.tag, cell.text_content().replace("\xa0", " ").strip(), align


def td(*texts: str) -> list[Cell]:
    return [("td", t, None) for t in texts]


def th(*texts: str) -> list[Cell]:
    return [("th", t, None) for t in texts]


# Each post's Markdown, and the tables of the page Jekyll made of it.
CASES: dict[str, tuple[str, list[Table]]] = {
    "code-pipe": (
        "| Op | Meaning |\n|----|---------|\n| `a|b` | or |\n| `x` | plain \\| escaped |\n"
        "|====|====|\n| foot | row |\n",
        [
            [
                ("thead", [th("Op", "Meaning")]),
                ("tbody", [td("a|b", "or"), td("x", "plain | escaped")]),
                ("tfoot", [td("foot", "row")]),
            ]
        ],
    ),
    "no-header": (
        "| a | b |\n| c | d |\n",
        [[("tbody", [td("a", "b"), td("c", "d")])]],
    ),
    "no-leading-pipe": (
        "a | b\n--|--\nc | d\n",
        [[("thead", [th("a", "b")]), ("tbody", [td("c", "d")])]],
    ),
    "ragged": (
        "| a | b | c |\n|:--|--:|:-:|\n| 1 |\n| 1 | 2 | 3 | 4 |\n",
        [
            [
                (
                    "thead",
                    [[("th", "a", "left"), ("th", "b", "right"), ("th", "c", "center"), *th("")]],
                ),
                (
                    "tbody",
                    [
                        [("td", "1", "left"), ("td", "", "right"), ("td", "", "center"), *td("")],
                        [
                            ("td", "1", "left"),
                            ("td", "2", "right"),
                            ("td", "3", "center"),
                            *td("4"),
                        ],
                    ],
                ),
            ]
        ],
    ),
    "two-bodies": (
        "| h |\n|---|\n| 1 |\n|---|\n| 2 |\n",
        [[("thead", [th("h")]), ("tbody", [td("1")]), ("tbody", [td("2")])]],
    ),
    "empty-cells": (
        "| a |  | c |\n|---|---|---|\n| | x | |\n",
        [[("thead", [th("a", "", "c")]), ("tbody", [td("", "x", "")])]],
    ),
    "code-element": (
        "| <code>a|b</code> | c |\n",
        [[("tbody", [td("a|b", "c")])]],
    ),
    # In a list item and a quote (jruby.org's release notes: `{Kernel|Thread|Fiber}#raise`).
    "in-a-list-and-a-quote": (
        "- #9236 [Properly handle {Kernel|Thread}#raise][x]\n- other\n\n> a | b\n\n"
        "[x]: https://e.org\n",
        [
            [("tbody", [td("#9236 [Properly handle {Kernel", "Thread}#raise]x")])],
            [("tbody", [td("a", "b")])],
        ],
    ),
    # Not tables for kramdown: right under a paragraph or a heading, text right after, no body.
    "under-a-paragraph": ("Text\n| a | b |\n| c | d |\n", []),
    "under-a-heading": ("## H\n| a | b |\n| c | d |\n", []),
    "text-right-after": ("| a | b |\n| c | d |\ntext after\n", []),
    "head-and-foot-only": ("| a |\n|---|\n|===|\n| f |\n", []),
}


@pytest.fixture
def jekyll(tmp_path: Path) -> JekyllSite:
    return JekyllSite(tmp_path / "site")


@pytest.mark.parametrize("name", list(CASES))
def test_tables_are_the_ones_jekyll_made(jekyll: JekyllSite, name: str) -> None:
    text, expected = CASES[name]
    jekyll.post(f"2024-01-01-{name}.md", f"---\ntitle: T\n---\n\n{text}\nEnd.\n")
    html = html_of(jekyll.load(), f"2024-01-01-{name}.md")
    assert tables(html) == expected
    assert html.endswith("<p>End.</p>")
    if not expected:  # the lines are a paragraph's text, as on Jekyll's page
        assert "| a |" in html


def test_cells_keep_their_markdown(jekyll: JekyllSite) -> None:
    jekyll.post(
        "2024-01-01-m.md",
        "---\ntitle: M\n---\n\n| **bold** | [link](http://x.org) |\n"
        "| _em_ | ![i](http://x.org/i.png) |\n",
    )
    html = html_of(jekyll.load(), "2024-01-01-m.md")
    assert "<td><strong>bold</strong></td>" in html
    assert '<td><a href="http://x.org">link</a></td>' in html
    assert "<td><em>em</em></td>" in html and '<img src="http://x.org/i.png" alt="i">' in html


def test_other_sites_read_tables_as_gfm_does(tmp_path: Path) -> None:
    # Hugo's goldmark and Zola's pulldown-cmark split a cell at a `|` in a code span (GFM
    # "Tables", example 200: it must be escaped) and need a delimiter row.
    html = make_markdown()("| a | b |\n|---|---|\n| `x\\|y` | z |\n\n| a | b |\n| c | d |\n")
    assert isinstance(html, str)
    assert tables(html) == [[("thead", [th("a", "b")]), ("tbody", [td("x|y", "z")])]]


_WORD = st.text(alphabet="abcxyz 019.!", min_size=1, max_size=8).map(str.strip).filter(bool)
# A cell as written, and its text on the page: a word (maybe emphasised), or code.
_CELL = st.one_of(
    _WORD.map(lambda w: (w, w)),
    _WORD.map(lambda w: (f"**{w}**", w)),
    st.text(alphabet="ab|-=:x", min_size=1, max_size=6).map(lambda c: (f"`{c}`", c)),
)


@given(st.lists(st.lists(_CELL, min_size=1, max_size=4), min_size=1, max_size=5))
@settings(max_examples=examples(300), deadline=None)
def test_every_cell_as_written_whatever_its_code_holds(
    rows: list[list[tuple[str, str]]],
) -> None:
    markdown = make_markdown(plugins=("kramdown_tables",))
    html = markdown("".join(f"| {' | '.join(w for w, _ in row)} |\n" for row in rows))
    assert isinstance(html, str)
    width = max(map(len, rows))
    found = tables(html)
    assert len(found) == 1 and [part for part, _ in found[0]] == ["tbody"]
    shown = [[text for _, text, _ in row] for row in found[0][0][1]]
    assert shown == [[text for _, text in row] + [""] * (width - len(row)) for row in rows]


# The table lines' patterns before each was read once: exact, but quadratic in a separator or
# footer line (`- |` many times), cubic in a row of `<code>` no `</code>` closes (7 s for
# 5,000 characters). On short lines the same.
BACKTRACKING_SEPARATOR = re.compile(r"([+|: \t-]*?-[+|: \t-]*?)[ \t]*")
BACKTRACKING_FOOTER = re.compile(r"[+|: \t=]*?=[+|: \t=]*?[ \t]*")
BACKTRACKING_CODE_ELEMENT = re.compile(r"(<code.*?>.*?</code>)")
PIECES_OF_LINES = [*"+|: \t-=x<>/", "<code", "<code>", "</code>", "code"]


@given(st.lists(st.sampled_from(PIECES_OF_LINES), max_size=16).map("".join))
@settings(max_examples=examples(3000), deadline=None)
@example("| :-- | --: |  ")
@example("|===| \t")
@example("a <code x>b</code> <code>c</code")
def test_table_lines_are_read_as_the_backtracking_patterns_read_them(line: str) -> None:
    from syndicate.content.syntax import kramdown_tables

    separator = kramdown_tables._SEPARATOR.fullmatch(line)
    expected = BACKTRACKING_SEPARATOR.fullmatch(line)
    assert (separator and separator.group(1)) == (expected and expected.group(1))
    footer = bool(kramdown_tables._FOOTER.fullmatch(line))
    assert footer == bool(BACKTRACKING_FOOTER.fullmatch(line))
    assert kramdown_tables._code_elements(line) == BACKTRACKING_CODE_ELEMENT.split(line)


def test_long_table_lines_are_read_at_once() -> None:
    """A table whose row holds 96,000 characters of `<code>` not closed, one whose footer line
    is `= |` 100,000 times, and one whose separator is `- |` as many times. In a child with a
    deadline, so that a pattern that backtracks fails here instead of hanging."""
    code = (
        "from syndicate.content.markdown import make_markdown\n"
        "md = make_markdown(plugins=['kramdown_tables'])\n"
        "head = '|a|b|\\n|-|-|\\n'\n"
        "for body in [head + '|' + '<code>' * 16_000 + '|\\n',\n"
        "             head + '|c|d|\\n' + '= |' * 100_000 + '\\n|e|f|\\n',\n"
        "             '|a|\\n' + '- |' * 100_000 + '\\n|b|\\n']:\n"
        "    html = md(body)\n"
        "    print(html.count('<table>'), html.count('<tfoot>'))\n"
    )
    out = output_within(code)
    assert out.splitlines() == ["1 0", "1 1", "1 0"]
