"""Jekyll sites' list items as kramdown wraps their paragraphs (syntax.kramdown_lists),
checked against the HTML kramdown 2.4.0 (Jekyll 4.3.1's) writes for each of these lists."""

from __future__ import annotations

import lxml.html
import pytest

from syndicate.content.markdown import make_markdown

from .test_markup import kramdown_html


def wrapped(html: str) -> list[bool]:
    """For each list item in document order: whether its text starts in a `<p>`."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [
        not (li.text or "").strip() and len(li) > 0 and li[0].tag == "p" for li in root.iter("li")
    ]


# Each list, and for each of its items (nested ones in document order) whether kramdown's
# HTML has the item's text in a paragraph.
CASES: dict[str, tuple[str, list[bool]]] = {
    "tight": ("* one\n* two\n", [False, False]),
    "blank-between-items": ("* one\n\n* two\n", [True, True]),
    "blank-between-three": ("* one\n\n* two\n\n* three\n", [True, True, True]),
    # www.ruby-lang.org's release notes: sub-lists, a blank line before the next item.
    "nested-then-blank": ("* one\n  * sub\n\n* two\n", [False, False, False]),
    "text-nested-then-blank": (
        "* one\n  more.\n  * sub\n  * sub2\n\n* two\n  more.\n  * sub\n\n* three\n",
        [False, False, False, False, False, False],
    ),
    "second-has-two-paragraphs": ("* one\n* two\n\n  para\n", [False, True]),
    "blank-inside-first": ("* a\n\n  * sub\n* b\n", [True, False, True]),
    "ordered": ("1. one\n   * sub\n\n2. two\n", [False, False, False]),
    "one-item-blank-after": ("* one\n\nText.\n", [False]),
    "last-not-blank-earlier-tight": ("* one\n* two\n\n* three\n", [False, True, False]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_list_paragraphs_are_the_ones_kramdown_writes(name: str) -> None:
    text, expected = CASES[name]
    assert wrapped(kramdown_html(text)) == expected


def test_a_second_paragraph_is_wrapped_and_other_sites_keep_commonmark_lists() -> None:
    assert "<p>para</p>" in kramdown_html("* one\n* two\n\n  para\n")
    commonmark = make_markdown()("* one\n  * sub\n\n* two\n")
    assert isinstance(commonmark, str) and wrapped(commonmark) == [True, False, True]


def definitions(html: str) -> list[tuple[bool, list[str]]]:
    """For each `<dd>`: whether its text starts in a `<p>`, and the tags of its elements."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [
        (not (dd.text or "").strip() and len(dd) > 0 and dd[0].tag == "p", [e.tag for e in dd])
        for dd in root.iter("dd")
    ]


# kramdown 2.4.0's HTML for each: a first paragraph wrapped only after a blank line before
# its `:`; lines indented by the `:` and its space, four more being code (www.ruby-lang.org's
# 2008 security notes: `: Check out ...` then `      $ svn co ...`).
DEFINITIONS: dict[str, tuple[str, list[tuple[bool, list[str]]]]] = {
    "tight": ("T\n: d\n", [(False, [])]),
    "blank-before": ("T\n\n: d\n", [(True, ["p"])]),
    "second-paragraph": ("T\n: d\n\n  more\n", [(False, ["p"])]),
    "blank-before-the-second": ("T\n: d\n\n: e\n", [(False, []), (True, ["p"])]),
    "text-then-a-list": ("T\n: d\n  more.\n\n  * x\n", [(False, ["ul"])]),
    "code": ("T\n: d\n\n      code\n", [(False, ["pre"])]),
}


@pytest.mark.parametrize("name", list(DEFINITIONS))
def test_definitions_are_the_ones_kramdown_writes(name: str) -> None:
    text, expected = DEFINITIONS[name]
    assert definitions(kramdown_html(text)) == expected


def test_other_sites_keep_mistunes_definitions() -> None:
    html = make_markdown(plugins=("def_list",))("T\n: d\n\n      code\n")
    assert isinstance(html, str) and definitions(html) == [(True, ["p", "p"])]


def test_a_definition_list_in_a_list_item_or_a_quote_is_one() -> None:
    html = kramdown_html("* [a][1]\n  SIZE\n  :   84 bytes\n* b\n\n> T\n> : d\n")
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert [dt.text_content() for dt in root.iter("dt")] == ["[a][1]", "SIZE", "T"]
    assert [dd.text_content() for dd in root.iter("dd")] == ["84 bytes", "d"]
