"""kramdown's end-of-block marker on Jekyll sites (syntax.kramdown_eob), checked against the
HTML kramdown 2.4.0 with Jekyll's GFM input writes for each text."""

from __future__ import annotations

import pytest

from syndicate.content.markdown import make_markdown

from .test_markup import kramdown_html

# Each text, and kramdown's HTML for it, without its line breaks and indentation.
CASES = {
    # www.ruby-lang.org's 2009 release notes: each download's list item ends with one.
    "two-lists": ("* a\n  x\n^\n\n* b\n", "<ul><li>a\nx</li></ul><ul><li>b</li></ul>"),
    "list-then-paragraph": ("* a\n^\ntext\n", "<ul><li>a</li></ul><p>text</p>"),
    "paragraphs": ("one\n^\ntwo\n", "<p>one</p><p>two</p>"),
    "in-a-quote": ("> one\n> ^\n> two\n", "<blockquote><p>one</p><p>two</p></blockquote>"),
    "not-alone-on-its-line": ("a ^ b\n^x\n", "<p>a ^ b\n^x</p>"),
    "in-code": ("```\n^\n```\n", "<pre><code>^\n</code></pre>"),
}


def _compact(html: str) -> str:
    return "".join(line if line.endswith(">") else line + "\n" for line in html.splitlines())


@pytest.mark.parametrize("name", list(CASES))
def test_the_marker_ends_a_block_as_kramdown_ends_it(name: str) -> None:
    text, expected = CASES[name]
    assert _compact(kramdown_html(text)) == expected


def test_other_sites_keep_the_caret() -> None:
    html = make_markdown()("* a\n^\n")
    assert isinstance(html, str) and "^" in html
