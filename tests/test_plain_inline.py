"""A plain block's text written at once (`content.plain_inline`) is what mistune writes: for
generated texts near and across the edge of what it takes, with every generator's Markdown,
and for every post of the real sites' fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.config import load_config
from syndicate.content.loader import read_body
from syndicate.content.markdown import make_markdown, parser_for
from syndicate.content.plain_inline import _stock
from syndicate.content.syntax import OWN_MARKDOWN
from syndicate.content.syntax import setup as setup_syntax

from .conftest import REPO, RunCli, examples

# Each generator's Markdown, as `syntax.setup` makes it for a site, and syndicate's own.
JEKYLL = ("def_list", "abbr", "kramdown_html", "kramdown_footnotes", "kramdown_tables")
JEKYLL += ("kramdown_links", "kramdown_spans", "kramdown_typography", "kramdown_lists")
JEKYLL += ("kramdown_eob", "kramdown_math")
SETUPS: dict[str, dict[str, Any]] = {
    "own": {"plugins": OWN_MARKDOWN},
    "plain mistune": {},
    "hugo": {
        "plugins": ("linkify", "goldmark_footnotes", "def_list"),
        "typography": {},
        "heading_ids": True,
        "emoji": True,
        "link_hook": True,
    },
    "hugo, http links, no raw HTML": {
        "plugins": ("linkify_http", "goldmark_footnotes"),
        "heading_ids": True,
        "raw_html": False,
    },
    "jekyll": {"plugins": JEKYLL, "kramdown": {}, "heading_ids": True},
    "zola": {"plugins": ("zola_footnotes",), "heading_ids": True},
    "zola, smart punctuation": {"plugins": ("zola_bottom_footnotes", "smart_punctuation")},
}
PARSERS = {
    name: (make_markdown(**args), make_markdown(quick_scan=False, **args))
    for name, args in SETUPS.items()
}

# What the shapes are made of, and what sits at their edges or just outside them.
WORDS = ["word", "Ab", "x9", "é", "ñandú", "🙂", "42", " ", " ", "  ", "\t", "\u00a0"]
MARKS = ["*", "**", "***", "_", "`", "``", "[", "]", "(", ")", "!", "^", "\\", "&", "&amp;"]
MARKS += [".", ",", ";", ":", "?", "'", '"', "<", ">", "-", "--", "...", "~~", "@", "#", "h"]
MARKS += ["\n", "\n  ", "  \n", "\\\n", "\n\t", " \n", "\n\u00a0"]
SHAPES = ["*em*", "**strong**", "*two words.*", "**a b**", "`code`", "` x `", "`a*b[c`"]
SHAPES += [
    "[link](https://a.example/p?q=1#f)",
    "[a b](http://b.example)",
    "[^1](https://c.example)",
]
SHAPES += ["[rel](/rel)", "[x](https://d.example/a_(b))", "[t](https://e.example 'title')"]
SHAPES += ["<https://f.example>", "https://g.example/x", "www.h.example", "jo@i.example", ":smile:"]
TEXTS = st.lists(st.sampled_from(WORDS + MARKS + SHAPES), max_size=30).map("".join)


@pytest.mark.parametrize("setup", SETUPS)
@given(TEXTS)
@settings(max_examples=examples(600), deadline=None)
@example("Sleep *month* street. Author [year](https://example.org/year) *request.* end")
@example("a*b* (*c*) *d*e **f**. `g` [h](https://i.example)\nj\n   k")
@example("x &amp; y: z! < w > `v` **u.**, *t*; (s) &*r*")
def test_a_text_is_written_as_mistune_writes_it(setup: str, text: str) -> None:
    quick, stock = PARSERS[setup]
    assert quick(text) == stock(text)


@pytest.mark.parametrize("setup", SETUPS)
@given(TEXTS)
@settings(max_examples=examples(200), deadline=None)
def test_a_list_item_or_heading_is_written_as_mistune_writes_it(setup: str, text: str) -> None:
    quick, stock = PARSERS[setup]
    for block in (f"- {text}\n- b", f"# {text}", f"1. {text}\n\n   {text}", f"> {text}"):
        assert quick(block) == stock(block)


def _without_inline(md: Any) -> Callable[[str], str]:
    """`md`, failing if mistune's inline reader reads any text."""

    def refuse(*_: object) -> None:
        raise AssertionError("read by mistune")

    md.inline = refuse
    return lambda text: str(md(text))


@pytest.mark.parametrize("setup", ["own", "plain mistune", "hugo", "zola"])
def test_plain_texts_are_not_read_by_mistunes_inline_reader(setup: str) -> None:
    write = _without_inline(make_markdown(**SETUPS[setup]))
    html = write(
        "## A heading\n\nWords with *emphasis*, **strong words.** and `code`, a\n"
        "[link](https://example.org/a) (*b*): the end!\n\n- an item\n- another"
    )
    assert (
        '<em>emphasis</em>, <strong>strong words.</strong> and <code>code</code>, a\n<a href="https://example.org/a">link</a> (<em>b</em>): the end!'
        in html
    )


def test_a_parser_unlike_the_one_shown_reads_every_text_itself() -> None:
    # smart punctuation wraps the inline reader; kramdown has links of its own.
    for setup in ("zola, smart punctuation", "jekyll"):
        with pytest.raises(AssertionError, match="read by mistune"):
            _without_inline(make_markdown(**SETUPS[setup]))("plain words")
    with pytest.raises(AssertionError, match="read by mistune"):
        _without_inline(make_markdown(quick_scan=False))("plain words")
    hard_wrap = make_markdown()
    hard_wrap.inline.hard_wrap = True
    assert not _stock(hard_wrap.inline)


FIXTURES = REPO / "tests/fixtures/sites"
SITES = sorted(p.parent for p in FIXTURES.glob("*/*/expected.json"))


@pytest.mark.slow
@pytest.mark.parametrize("fixture", SITES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_post_of_a_real_site_is_written_as_mistune_writes_it(
    fixture: Path, tmp_path: Path, run_cli: RunCli
) -> None:
    site = tmp_path / fixture.name
    shutil.copytree(fixture / "site", site)
    assert run_cli("init", cwd=site).returncode == 0
    syntax = setup_syntax(load_config(site / "syndicate.toml"))
    quick, stock = parser_for(syntax), parser_for(syntax, quick_scan=False)
    bodies = [read_body(path) for path in sorted(site.rglob("*.md"))]
    assert bodies
    for body in bodies:
        assert quick(body) == stock(body)
