"""The digest's CSS inliner gives premailer's bytes without premailer on the common path: the
transform is premailer's own on lxml, and premailer's answers for a stylesheet are remembered
in the state folder (`digest-inline.json`), checked and never trusted."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.build import choose_period, load_site, make_digest
from syndicate.config import load_config
from syndicate.digest.css_inline import MEMO_FILE, Memo, inline_css, premailer_transform

from .conftest import REPO, copy_fixture, examples
from .fresh_process import in_a_fresh_process
from .local_templates import this_trees_templates  # noqa: F401

WEEK = "2024-W14"
TEMPLATES = REPO / "email_templates"

SELECTORS = [
    "p", "a", "td", "img", ".c", ".d", "#main", "p.c", "td a", "div > p", "a:hover", "p:first-child",
    "p:last-child", "li:nth-child(2)", "a:visited", "*", "body", "table td.c", "h2 a.d",
    "div#main p", "p, .d", ":root", "img.thumb",
]  # fmt: skip
DECLARATIONS = [
    "color: #333333", "color: #abc", "background-color: #fff", "background-color: transparent",
    "text-align: center", "vertical-align: top", "width: 600px", "height: 10px", "float: left",
    "float: right", "margin: 0 0 4px 0", "font-weight: bold !important", "padding: unset",
    "display: block", "font-family: Georgia, 'Times New Roman', serif", "border: 0",
]  # fmt: skip
ELEMENTS = [
    '<p class="c">one</p>', '<p>two <a href="https://e.org/?a=1&amp;b=2">link</a></p>',
    '<div id="main"><p class="c d">three</p><p>four</p></div>', '<img class="thumb" src="x.png">',
    '<table><tr><td class="c" style="color: red">cell</td><td><a class="d">x</a></td></tr></table>',
    '<ul><li>a</li><li>b</li><li style="margin:0">c</li></ul>', '<h2><a class="d">title</a></h2>',
    '<p style="width: 50%; float: left">styled</p>', "<p>caf\u00e9 &amp; &#8204;&nbsp;</p>",
    '<img src="y.png" style="float:right" width="10">',
]  # fmt: skip
MEDIA = "@media (max-width: 600px) { .c { width: 100% !important; } }"


def page(css: str, body: str, doctype: bool = True, head: bool = True) -> str:
    style = f"<style>\n{css}\n</style>"
    html = f"<html><head><title>t</title>{style}</head><body>{body}</body></html>"
    if not head:
        html = f"<html><body>{style}{body}</body></html>"
    return ("<!DOCTYPE html>\n" if doctype else "") + html


rules = st.builds(
    lambda sel, decls: f"{', '.join(sel)} {{ {'; '.join(decls)}; }}",
    st.lists(st.sampled_from(SELECTORS), min_size=1, max_size=3),
    st.lists(st.sampled_from(DECLARATIONS), min_size=1, max_size=4),
)
pages = st.builds(
    page,
    st.lists(st.one_of(rules, st.just(MEDIA)), max_size=8).map("\n".join),
    st.lists(st.sampled_from(ELEMENTS), max_size=8).map("".join),
    st.booleans(),
    st.booleans(),
)


@settings(deadline=None, max_examples=examples(200))  # premailer's first call imports it
@given(pages)
def test_inlining_gives_premailers_bytes_fresh_and_from_a_remembered_memo(html: str) -> None:
    fresh = Memo()
    assert inline_css(html, {}, fresh) == premailer_transform(html)
    remembered = Memo(sheets=dict(fresh.sheets), styles=dict(fresh.styles))
    remembered.floats, remembered.selectors = dict(fresh.floats), dict(fresh.selectors)
    assert inline_css(html, {}, remembered) == premailer_transform(html)
    assert not remembered.changed  # nothing was asked of premailer the second time


@pytest.mark.parametrize(
    "html",
    [
        page("p { color: #333333 }", "<p>x</p>", doctype=False),
        page("p { color: #333333 }", "<p>x</p>", head=False),
        page("", "<p>x</p>"),
        page("a:hover { color: red } p:first-child { color: blue }", "<p>x</p><p>y</p>"),
        page("p { color: red }", "<p>x</p>").replace("<style>", '<style media="print">'),
        page("p { color: red }", "<p>x</p>").replace("<style>", '<style data-premailer="ignore">'),
        page("p { color: red }", "<p>x</p>") + page("p { margin: 0 }", "<p>y</p>"),
    ],
)
def test_inlining_gives_premailers_bytes_for_the_unusual_pages(html: str) -> None:
    assert inline_css(html, {}) == premailer_transform(html)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_fixture("feedsite", tmp_path / "feedsite")


def digest_html(root: Path) -> tuple[str, list[str]]:
    config = load_config(root / "config.toml")
    loaded = load_site(config, now="2024-11-20T12:00:00+00:00", env={})
    outcome = make_digest(loaded, choose_period(config, loaded.now, week=WEEK))
    assert outcome.result is not None
    return outcome.result.email.html, outcome.result.warnings


def imports_of_a_second_digest(root: str) -> list[str]:
    """In a new interpreter, after a first digest of the site was rendered in another one."""
    import importlib.util

    # This tree's templates, as the fixture gives the test (see local_templates).
    spec = importlib.util.spec_from_file_location(
        "syndicate.email_templates",
        TEMPLATES / "__init__.py",
        submodule_search_locations=[str(TEMPLATES)],
    )
    assert spec is not None and spec.loader is not None
    sys.modules[spec.name] = module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    html, _ = digest_html(Path(root))
    assert html.count('style="') > 10
    return sorted(
        {name.split(".")[0] for name in sys.modules} & {"premailer", "cssutils", "cssselect"}
    )


def test_a_digest_whose_css_was_seen_imports_no_css_library(site: Path) -> None:
    first, _ = digest_html(site)
    assert (site / ".syndicate" / MEMO_FILE).is_file()
    assert in_a_fresh_process(imports_of_a_second_digest, str(site)) == []
    assert digest_html(site)[0] == first


@pytest.mark.parametrize(
    "damage",
    [b"", b"\x00\xff not json", b"[]", b'{"key": 1}', b"{}", None],
)
def test_a_damaged_or_stale_memo_is_ignored_and_rewritten(site: Path, damage: bytes | None) -> None:
    first, _ = digest_html(site)
    memo = site / ".syndicate" / MEMO_FILE
    if damage is None:  # the right shape, made by other code: a key that does not match
        data = json.loads(memo.read_bytes())
        data["key"] = "0" * 64
        for rules, _ in data["sheets"].values():
            for rule in rules:
                rule[2] = [["color", "#000000"]]
        memo.write_text(json.dumps(data))
    else:
        memo.write_bytes(damage)
    assert digest_html(site)[0] == first
    assert json.loads(memo.read_bytes())["key"] != "0" * 64


def test_a_memo_that_cannot_be_written_is_a_warning_and_the_digest_is_unchanged(
    site: Path,
) -> None:
    first, _ = digest_html(site)
    memo = site / ".syndicate" / MEMO_FILE
    memo.unlink()
    memo.mkdir()  # a folder where the file goes: no write can replace it
    html, warnings = digest_html(site)
    assert html == first
    assert any(MEMO_FILE in w and "cannot write" in w for w in warnings)


def test_without_the_build_cache_nothing_is_kept(site: Path) -> None:
    config = site / "config.toml"
    config.write_text(config.read_text() + "\n[build]\ncache = false\n")
    digest_html(site)
    assert not (site / ".syndicate" / MEMO_FILE).exists()


def test_the_memo_keeps_the_newest_stylesheets_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("syndicate.digest.css_inline.MEMO_SHEETS", 2)
    monkeypatch.setattr("syndicate.digest.css_inline.MEMO_ENTRIES", 3)
    memo = Memo.load(tmp_path)
    for colour in ("#000001", "#000002", "#000003"):
        html = page(f".c {{ color: {colour} }} p.c {{ margin: 0 }}", '<p class="c">x</p>')
        assert inline_css(html, {}, memo) == premailer_transform(html)
        memo.save()
    kept = Memo.load(tmp_path)
    assert len(kept.sheets) == 2 and len(kept.selectors) == 3
    assert all("#000001" not in str(sheet.rules) for sheet in kept.sheets.values())
