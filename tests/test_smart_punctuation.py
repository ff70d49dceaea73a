"""Zola's `smart_punctuation` against pulldown-cmark itself, the Markdown of Zola, through
pyromark (its Python binding): the typographic characters each writes for the same text, in
order. The text is built of pieces both read alike around the quotes (no tab, no block marker
at a line's start: mistune and pulldown-cmark part ways on some of those, quotes or not)."""

from __future__ import annotations

import pyromark
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.content.markdown import make_markdown
from syndicate.content.syntax.smart_punctuation import dashes

from .conftest import examples

# What Zola turns on (components/markdown/src/markdown.rs), smart punctuation included.
_O = pyromark.Options
ZOLA = (
    _O.ENABLE_SMART_PUNCTUATION
    | _O.ENABLE_TABLES
    | _O.ENABLE_FOOTNOTES
    | _O.ENABLE_STRIKETHROUGH
    | _O.ENABLE_TASKLISTS
    | _O.ENABLE_HEADING_ATTRIBUTES
)
OURS = make_markdown(plugins=("zola_footnotes", "smart_punctuation"))
PLAIN = make_markdown(plugins=("zola_footnotes",))
TYPOGRAPHIC = frozenset("“”‘’–—…")
PIECES = [
    *("'", '"', "''", '""', "--", "---", "-", "...", "..", ".", " ", "  ", "\n\n"),
    *("a", "b", "x", "1", "é", "\xa0", "、", "«", "$", "*", "_", "(", ")", "[", "]", ",", "!"),
    *("[a](b)", "`c'd`", "*a*", "'s", "don't", "\\'", '\\"', "&quot;", "<http://a.b>", "|"),
    *('["q"](u)', "['q](u)", '[a "b](u)', "](u)", '!["i"](u)'),
]


def typographic(html: str) -> str:
    return "".join(c for c in html if c in TYPOGRAPHIC)


@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
@settings(max_examples=examples(3000), deadline=None)
@example("\"Hello,\" she said -- it's 'quoted' --- and so...")
@example("'90s, rock 'n' roll, the Smiths' and \"5\" tall\"")
@example(' )"~~"".don\'t~~ $')  # a `~~` run's quotes pair with those around it
@example("[a 'b' link](https://c.example/'d') and `code's` \\'escaped\\'")
@example("'a' 'b'\n\n'c")  # each paragraph pairs its own
@example('"I read ["Pin and suffering"](u) and so."')  # a link's text pairs its own
def test_quotes_dashes_and_dots_are_what_pulldown_cmark_makes(text: str) -> None:
    assert typographic(str(OURS(text))) == typographic(pyromark.html(text, options=ZOLA))


@pytest.mark.parametrize("count", range(2, 20))
def test_a_run_of_hyphens_is_the_dashes_pulldown_cmark_makes(count: int) -> None:
    text = f"a {'-' * count} b"
    assert dashes(count) == typographic(pyromark.html(text, options=ZOLA))


def test_without_the_setting_quotes_stay_straight() -> None:
    text = '"Don\'t" -- she said...'
    assert typographic(str(PLAIN(text))) == ""
    assert typographic(str(OURS(text))) == "“’”–…"


def test_code_html_and_addresses_keep_their_quotes() -> None:
    html = str(OURS("`it's` <span title=\"a'b\">x</span> [l](https://e.example/a--b)"))
    assert "<code>it's</code>" in html and 'title="a\'b"' in html
    assert 'href="https://e.example/a--b"' in html
