"""Hugo's page tree as a `ref` finds list pages and pages by name (`sites.hugo.tree`): a term's
page reads only the front matter that holds its words, which must find every term reading
all of it finds, whatever the values (numbers, booleans, dates, escapes, any letters)."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate.config import load_config
from syndicate.content.split import read_front_matter
from syndicate.sites.hugo import tree
from syndicate.sites.hugo.tree import HugoTree, path_key

from .conftest import examples
from .test_sites_hugo import BASE, OWN_CONFIG, make_site

NOW = datetime(2024, 11, 20, tzinfo=UTC)
CONFIG = BASE + '[taxonomies]\ntag = "tags"\ncategory = "categories"\n'

# YAML values whose text is not the term's (numbers, booleans, dates, nulls, escapes), and
# letters whose lower case is another's (the Kelvin sign's is `k`, a capital sigma's two).
YAML_VALUES = st.one_of(
    st.sampled_from(
        [
            "0x1A",
            "1e5",
            "1.50",
            "yes",
            "No",
            "true",
            "~",
            "null",
            "2015-01-09",
            "2015-01-09T10:00:00Z",
            ".inf",
            ".NaN",
            "1_000",
            "012",
            "+12",
            "-5",
            '"\\u0050ersonas 101"',
            "'it''s'",
            '"\\x41bc"',
            "\u212aelvin",
            "ΟΔΟΣ",
            "Über uns",
            "[a, 1]",
            "{a: b}",
        ]
    ),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 _-]{0,10}[A-Za-z0-9]", fullmatch=True),
    st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True),
)


def _site(root: Path, pages: list[list[str]]) -> Path:
    files = {"hugo.toml": CONFIG, "syndicate.toml": OWN_CONFIG}
    for n, tags in enumerate(pages):
        listed = ", ".join(tags)
        files[f"content/posts/p{n}.md"] = f"---\ntitle: P{n}\ntags: [{listed}]\n---\nBody.\n"
    files["content/posts/toml.md"] = '+++\ntitle = "T"\ntags = ["Tom \\u004cee", 7]\n+++\nx\n'
    return make_site(root, files)


def _tree(root: Path) -> HugoTree:
    return HugoTree(load_config(root / "syndicate.toml"), NOW)


def _names(root: Path) -> set[str]:
    """Each term's key and name as reading every file gives them, and some words of them."""
    found: set[str] = set()
    for file in (root / "content").rglob("*.md"):
        meta = read_front_matter(file, yaml12=True, last_key_wins=True) or {}
        values = meta.get("tags") or []
        for value in values if isinstance(values, list) else [values]:
            key = path_key(str(value))
            found |= {key, key.rpartition("/")[2], *re.split(r"[-/ ]", key)}
    return {name for name in found if name}


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.lists(YAML_VALUES, min_size=1, max_size=4), min_size=1, max_size=4))
def test_terms_are_found_reading_only_the_front_matter_that_holds_their_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: list[list[str]]
) -> None:
    root = tmp_path / "site"
    shutil.rmtree(root, ignore_errors=True)
    names = sorted(_names(_site(root, pages)))
    filtered = _tree(root)
    found = {n: (filtered.named(n, "en"), filtered.list_page(f"tags/{n}", "en")) for n in names}
    with monkeypatch.context() as patched:
        patched.setattr(tree.HugoTree, "_may_hold", lambda self, file, words: True)
        every = _tree(root)
        assert found == {
            n: (every.named(n, "en"), every.list_page(f"tags/{n}", "en")) for n in names
        }


def test_a_term_written_with_an_escape_or_as_a_number_is_found() -> None:
    """The words of a key a number, a boolean or a date may give are not looked for; an
    escape in the front matter makes it read."""
    assert tree._words("personas-101") == ("personas", "101")
    assert tree._words("2015-01-09") is None  # a date's
    assert tree._words("26") is None  # `0x1A`'s
    assert tree._words("true") is None and tree._words("1e-05") is None
    assert tree._words("c++") is None and tree._words("über-uns") is None


def test_a_term_named_as_a_page_is_ambiguous_and_a_draft_gives_none(tmp_path: Path) -> None:
    """A name two pages have (a file's and a term's) is ambiguous; a draft's terms are none."""
    make_site(
        tmp_path,
        {
            "hugo.toml": CONFIG,
            "syndicate.toml": OWN_CONFIG,
            "content/docs/personas-101.md": "---\ntitle: Personas\n---\nx\n",
            "content/posts/a.md": '---\ntitle: A\ntags: ["Personas 101", x]\n---\nx\n',
            "content/posts/d.md": "---\ntitle: D\ndraft: true\ntags: [drafted]\n---\nx\n",
            "content/posts/e.md": '---\ntitle: E\ntags: ["\\u0045scaped"]\n---\nx\n',
        },
    )
    pages = HugoTree(load_config(tmp_path / "syndicate.toml"), NOW)
    assert pages.named("personas-101", "en") == ["docs/personas-101", "tags/personas-101"]
    assert pages.named("drafted", "en") == [] and pages.list_page("tags/drafted", "en") is None
    assert pages.list_page("tags/escaped", "en") == "https://example.org/tags/escaped/"
    assert pages.named("escaped", "en") == ["tags/escaped"]
