from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.content.loader import read_body
from syndicate.content.markdown import make_markdown, next_emphasis_mark
from syndicate.content.syntax.html_blocks import SPAN_ELEMENTS

from .conftest import examples

ROOT = Path(__file__).resolve().parent.parent
QUICK = make_markdown(plugins=("linkify",))
STOCK = make_markdown(quick_scan=False, plugins=("linkify",))

# Pieces that meet the scanner's edge: URLs, `www.` and email addresses (bare, in links, in
# code, in HTML, broken), words full of "h", emphasis around them, entities and escapes.
PIECES = [
    *("http://a.example/x", "https://b.example/p?q=1&r=2#f", "https://c.example/).", "http:/", "h"),
    *("xhttps://d.example", "HTTP://E.EXAMPLE", "https://", "ht", "tp://", "hhttps://f.example"),
    *("the", "which", "*", "**", "_", "__", "~~", "`", "``", "[", "]", "(", ")", "!", "<", ">"),
    *("&hellip;", "&amp;", "&h", "\\", "\\h", "\n", "\n\n", "  \n", " ", "- ", "1. ", "# ", "|"),
    *("<https://g.example>", '<a href="https://h.example">h</a>', "[^1]", "[x](https://i.example)"),
    *("![alt](https://j.example/i.png)", "[ ] ", "[x] ", "    code http://k.example\n", "ñ", "🙂"),
    *("www.l.example", "www.", "ftp://m.example/f", "jo@n.example", "a@b", "@", "jo.o+p@", "\t"),
    *("https://o.example/a_(b)", "(www.p.example)", "https://q.example/&amp;", "x;", "&copy;"),
]


# A Hugo site's Markdown: its typographer stops the scanner at every quote, dash and dot too.
QUICK_HUGO = make_markdown(plugins=("linkify", "goldmark_footnotes"), typography={})
STOCK_HUGO = make_markdown(
    quick_scan=False, plugins=("linkify", "goldmark_footnotes"), typography={}
)
TYPOGRAPHY = ["'", '"', "--", "---", "...", "<<", ">>", "'s", "n't", "'90s", " '", '" ', "-", "."]


@given(st.lists(st.sampled_from(PIECES + TYPOGRAPHY), max_size=40).map("".join))
@settings(max_examples=examples(1500), deadline=None)
@example("Don't \"quote\" -- me... 'twas <<a>> `it's` [a 'b'](https://c.example/\"d\")")
def test_quick_scan_renders_what_mistune_renders_with_the_typographer(text: str) -> None:
    assert QUICK_HUGO(text) == STOCK_HUGO(text)


# A Zola site's with `smart_punctuation`: pulldown-cmark's quotes, dashes and dots.
QUICK_ZOLA = make_markdown(plugins=("zola_footnotes", "smart_punctuation"))
STOCK_ZOLA = make_markdown(quick_scan=False, plugins=("zola_footnotes", "smart_punctuation"))


@given(st.lists(st.sampled_from(PIECES + TYPOGRAPHY + ["----", "~~"]), max_size=40).map("".join))
@settings(max_examples=examples(1500), deadline=None)
@example("Don't \"quote\" -- me... 'twas ---- `it's` [a 'b'](https://c.example/\"d\")")
def test_quick_scan_renders_what_mistune_renders_with_smart_punctuation(text: str) -> None:
    assert QUICK_ZOLA(text) == STOCK_ZOLA(text)


# A Jekyll site's Markdown: kramdown's smart quotes and symbols stop it at `' >>'` too.
JEKYLL = ("def_list", "abbr", "kramdown_html", "kramdown_footnotes", "kramdown_tables")
JEKYLL += ("kramdown_links", "kramdown_spans", "kramdown_typography", "kramdown_lists")
JEKYLL += ("kramdown_eob", "kramdown_math")
QUICK_JEKYLL = make_markdown(plugins=JEKYLL)
STOCK_JEKYLL = make_markdown(quick_scan=False, plugins=JEKYLL)


def kramdown_html(text: str) -> str:
    """`text` as a Jekyll site's Markdown writes it (syndicate's reading of kramdown)."""
    html = QUICK_JEKYLL(text)
    assert isinstance(html, str)
    return html


@given(
    st.lists(
        st.sampled_from([*PIECES, *TYPOGRAPHY, " >>", "<< ", "\\<<", "<u>", "</u>", "<kbd>"]),
        max_size=40,
    ).map("".join)
)
@settings(max_examples=examples(1500), deadline=None)
@example("Don't \"quote\" -- me... a << b >> c *\"d\"* `it's` [a 'b'](https://c.example/)")
def test_quick_scan_renders_what_mistune_renders_with_kramdowns_typography(text: str) -> None:
    assert QUICK_JEKYLL(text) == STOCK_JEKYLL(text)


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@settings(max_examples=examples(1500), deadline=None)
@example("see https://a.example/x and *this http://b.example* or `https://c.example`")
@example("&hellip; h&h; **h**h_h_ [h](https://d.example) <https://e.example> ~~http://f~~")
def test_quick_scan_renders_what_mistune_renders(text: str) -> None:
    assert QUICK(text) == STOCK(text)


def bodies() -> list[Path]:
    return sorted((ROOT / "content").rglob("*.md"))


@pytest.mark.parametrize("path", bodies(), ids=lambda p: p.name)
def test_quick_scan_renders_the_sample_posts_as_mistune_does(path: Path) -> None:
    body = read_body(path)
    assert QUICK(body) == STOCK(body)


def test_bare_urls_still_become_links() -> None:
    html = str(QUICK("Read https://example.com/a, then http://example.org."))
    assert '<a href="https://example.com/a">https://example.com/a</a>,' in html
    assert '<a href="http://example.org">http://example.org</a>.' in html


def mistunes_own_helper() -> Callable[[str, int], int]:
    """mistune's `_next_delimiter_run` from a fresh copy of its module, which nothing changed."""
    spec = importlib.util.find_spec("mistune._inline.emphasis")
    assert spec is not None and spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    helper: Callable[[str, int], int] = fresh._next_delimiter_run
    return helper


OWN_HELPER = mistunes_own_helper()


@given(st.text(alphabet=st.sampled_from(list("ab *_\n\\é🙂")), max_size=30), st.integers(0, 32))
@settings(max_examples=examples(2000), deadline=None)
@example("", 0)
@example("abc", 5)
@example("a*b", 1)
def test_emphasis_marks_are_found_where_mistune_finds_them(text: str, pos: int) -> None:
    assert next_emphasis_mark(text, pos) == OWN_HELPER(text, pos)


def test_the_quick_emphasis_helper_is_in_use() -> None:
    from mistune._inline import emphasis

    make_markdown()
    assert emphasis._next_delimiter_run is next_emphasis_mark


def mistunes_own_address_reader() -> Callable[..., tuple[str | None, int | None, int]]:
    """mistune's `_parse_link_href` from a fresh copy of its module, which nothing changed."""
    spec = importlib.util.find_spec("mistune.helpers")
    assert spec is not None and spec.loader is not None
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    reader: Callable[..., tuple[str | None, int | None, int]] = fresh._parse_link_href
    return reader


OWN_ADDRESS_READER = mistunes_own_address_reader()
ADDRESS = [*"ab/:.?=#%", " ", "\t", "\n", "\r", "\f", "\x0b", "\x00", "\x1f", "\x7f"]
ADDRESS += ["(", ")", "\\", "\\(", "\\)", "<", ">", "\xa0", "\x85", "é", "🙂", "https://a.example/"]


@given(
    st.lists(st.sampled_from(ADDRESS), max_size=24).map("".join), st.integers(0, 30), st.booleans()
)
@settings(max_examples=examples(3000), deadline=None)
@example("https://a.example/x) and", 0, False)
@example("a(b)c)", 0, False)
@example("a\\)b) ", 0, False)
@example("a\x7fb)", 0, False)
@example("a<b>)", 0, True)
def test_link_addresses_are_read_as_mistune_reads_them(text: str, pos: int, block: bool) -> None:
    from mistune import helpers

    make_markdown()
    for levels in ({}, {"max_nested_level": 1}):
        expected = OWN_ADDRESS_READER(text, pos, block, **levels)
        assert helpers._parse_link_href(text, pos, block, **levels) == expected


def test_the_quick_address_reader_is_in_use() -> None:
    from mistune import helpers

    make_markdown()
    assert getattr(helpers._parse_link_href, "quick", False)
    assert helpers._parse_link_href("https://a.example/x) y", 0) == (
        "https://a.example/x",
        19,
        19,
    )


def test_a_table_row_short_or_long_is_read_as_gfm_does() -> None:
    # GFM spec 0.29, example 202; Hugo 0.168 (goldmark) rendered the same two rows.
    html = QUICK("| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |\n")
    rows = [row.split("</td>")[:-1] for row in html.split("<tbody>")[1].split("</tr>")[:-1]]
    cells = [[cell.split("<td>")[-1] for cell in row] for row in rows]
    assert cells == [["bar", ""], ["bar", "baz"]]


@given(
    st.integers(min_value=1, max_value=5),
    st.lists(st.lists(st.sampled_from(["a", "", "b c", "x \\| y", "`|`"]), min_size=1, max_size=7)),
)
@settings(max_examples=examples(300), deadline=None)
def test_every_table_row_has_the_headers_width(width: int, rows: list[list[str]]) -> None:
    lines = ["| " + " | ".join(f"h{i}" for i in range(width)) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    html = QUICK("\n".join(lines) + "\n")
    assert html.startswith("<table>")
    body = html.split("<tbody>")[1]
    assert [row.count("<td") for row in body.split("</tr>")[:-1]] == [width] * len(rows)


EMOJI_QUICK = make_markdown(emoji=True, plugins=("url",))
EMOJI_STOCK = make_markdown(quick_scan=False, emoji=True, plugins=("url",))


@given(st.lists(st.sampled_from([*PIECES, ":smile:", ":", ":nope:", "a:b:c", ":+1:"]), max_size=40))
@settings(max_examples=examples(500), deadline=None)
def test_emoji_codes_keep_the_quick_scan_exact(pieces: list[str]) -> None:
    # The emoji rule starts only at ":" (its start_chars): the quick scanner still stops there.
    text = "".join(pieces)
    assert EMOJI_QUICK(text) == EMOJI_STOCK(text)


KRAMDOWN = make_markdown(plugins=("kramdown_html",))
HTML_PIECES = ["<div>", "</div>", "<table>", "</table>", "<td>x</td>", "<div class=a>"]
HTML_PIECES += ["\n", "\n\n", "text", "  ", "```\n", "<br/>", "<div/>", "<DIV>", "</Div>"]


@given(st.lists(st.sampled_from(HTML_PIECES), max_size=30).map("".join))
@settings(max_examples=examples(500), deadline=None)
def test_kramdown_html_blocks_differ_from_commonmark_only_across_a_blank_line(text: str) -> None:
    # ...or where a line starts with a span element's tag (`<br/>`), text of a paragraph; or
    # where a line follows the end of an element (its end tag, or `<div/>`), Markdown again.
    span_line = re.search(r"(?mi)^ {0,3}</?(?:" + "|".join(SPAN_ELEMENTS) + r")\b", text)
    after_end = re.search(r"(</\w+>|/>)[^\n]*\n[^\n]*\S", text)
    if not re.search(r"\n[ \t]*\n", text) and not span_line and not after_end:
        assert KRAMDOWN(text) == QUICK(text)
    else:
        KRAMDOWN(text)  # never raises
