"""jekyll-relative-links: a post's links to files of the site by their paths, as the plugin
rewrites them (lib/jekyll-relative-links/generator.rb, v0.8.0)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.content.syntax.relative_links import links, path_from_root, rewrite

from .conftest import examples
from .fresh_process import output_within
from .syntax_posts import html_of, problems
from .test_syntax_jekyll import JekyllSite

# The site and post below were built by Jekyll 4.3.1 with jekyll-relative-links 0.8.0; each
# expected address is the one its page held (`/blog/...`), with `url` in front.
CONFIG = (
    "title: T\nurl: https://example.org\nbaseurl: /blog\nplugins:\n  - jekyll-relative-links\n"
    "relative_links:\n  collections: true\n"
    "collections:\n  pages:\n    output: true\n    permalink: /:path/\n"
)
PAGE = "---\nlayout: default\n---\n# page\n"
FILES = {
    "about.md": PAGE,
    "my page.md": PAGE,
    "_pages/team.md": PAGE,
    "docs/guide.markdown": PAGE,
    "docs/custom.md": "---\npermalink: /custom/\n---\n# c\n",
    "assets/pic.png": "PNG",
    "_drafts/2024-01-05-wip.md": PAGE,
    "_posts/2024-01-02-second.md": "---\n---\nsecond\n",
}
POST = """---
---
A [second](2024-01-02-second.md) B [frag](2024-01-02-second.md#part "T") C [about](../about.md) D [root](/about.md)

E [guide](../docs/guide.markdown) F ![img](../assets/pic.png) G [missing](nothing.md) H [abs](https://example.com/x.md)

I [here](#here) J [space](../my%20page.md) K [plus](../my+page.md) L [draft](../_drafts/2024-01-05-wip.md)

M [team](../_pages/team.md) N [custom](../docs/custom.md)

Q [dot](./2024-01-02-second.md) R [up](../_posts/2024-01-02-second.md) S [far](../../x.md)

T [ref one][r1] U [ref two][r2]

[r1]: 2024-01-02-second.md
  [r2]: ../about.md#top "Title"
"""
SITE = "https://example.org/blog"
SECOND = f"{SITE}/2024/01/02/second.html"
# What Jekyll wrote for each link of POST (the post's own folder is `_posts`).
BUILT = [
    f'A <a href="{SECOND}">second</a>',
    f'B <a href="{SECOND}#part" title="T">frag</a>',
    f'C <a href="{SITE}/about.html">about</a>',
    f'D <a href="{SITE}/about.html">root</a>',
    f'E <a href="{SITE}/docs/guide.html">guide</a>',
    f'F <img src="{SITE}/assets/pic.png" alt="img"',
    f'I <a href="{SITE}/2024/01/01/first.html#here">here</a>',
    f'J <a href="{SITE}/my%20page.html">space</a>',
    f'K <a href="{SITE}/my%20page.html">plus</a>',
    f'M <a href="{SITE}/team/">team</a>',
    f'N <a href="{SITE}/custom/">custom</a>',
    f'Q <a href="{SECOND}">dot</a>',
    f'R <a href="{SECOND}">up</a>',
    f'T <a href="{SECOND}">ref one</a>',
    f'U <a href="{SITE}/about.html#top" title="Title">ref two</a>',
]
# Left as written, as Jekyll left them (no page of the site; an absolute URL): resolved against
# the post's own address, as any relative link.
LEFT = [
    f'G <a href="{SITE}/2024/01/01/nothing.md">missing</a>',
    'H <a href="https://example.com/x.md">abs</a>',
    f'L <a href="{SITE}/2024/01/_drafts/2024-01-05-wip.md">draft</a>',
]


def _site(tmp_path: Path, config: str = CONFIG, gemfile: str | None = None) -> JekyllSite:
    jekyll = JekyllSite(tmp_path / "site")
    (jekyll.root / "_config.yml").write_text(config, encoding="utf-8")
    jekyll.write(FILES)
    if gemfile is not None:
        jekyll.write({"Gemfile": gemfile})
    jekyll.post("2024-01-01-first.md", POST)
    return jekyll


def _first(jekyll: JekyllSite) -> str:
    html = html_of(jekyll.load(), "2024-01-01-first.md")
    return re.sub(r"\s+", " ", html)


def test_links_to_files_of_the_site_are_their_pages_addresses(tmp_path: Path) -> None:
    jekyll = _site(tmp_path)
    html = _first(jekyll)
    for expected in BUILT:
        assert expected in html
    for expected in LEFT:
        assert expected in html
    assert problems(jekyll.load()) == []


@pytest.mark.parametrize(
    "config",
    [
        # the plugin's defaults: `collections: false`, pages only (generator.rb:43-44)
        CONFIG.replace("relative_links:\n  collections: true\n", ""),
        CONFIG.replace("collections: true", "collections: true\n  enabled: false"),
        # not loaded at all
        CONFIG.replace("plugins:\n  - jekyll-relative-links\n", ""),
        # the post excluded (generator.rb:49, 173-185)
        CONFIG.replace("collections: true", "collections: true\n  exclude:\n    - _posts"),
    ],
    ids=["pages-only", "disabled", "no-plugin", "excluded"],
)
def test_posts_keep_their_links_where_the_plugin_leaves_them(tmp_path: Path, config: str) -> None:
    html = _first(_site(tmp_path, config))
    assert f'A <a href="{SITE}/2024/01/01/2024-01-02-second.md">second</a>' in html
    assert f'C <a href="{SITE}/about.md">about</a>' in html  # the file, as written


@pytest.mark.parametrize(
    "gemfile",
    [
        'source "https://rubygems.org"\ngroup :jekyll_plugins do\n  gem "jekyll-relative-links"\nend\n',
        'gem "github-pages", group: :jekyll_plugins\n',
    ],
    ids=["jekyll_plugins-group", "github-pages"],
)
def test_the_plugin_loaded_by_the_gemfile(tmp_path: Path, gemfile: str) -> None:
    config = CONFIG.replace("plugins:\n  - jekyll-relative-links\n", "")
    html = _first(_site(tmp_path, config, gemfile))
    assert f'A <a href="{SECOND}">second</a>' in html


def test_a_target_that_moves_changes_the_html_of_a_cached_post(tmp_path: Path) -> None:
    jekyll = _site(tmp_path)
    assert f'C <a href="{SITE}/about.html">about</a>' in _first(jekyll)
    jekyll.write({"about.md": "---\npermalink: /about-us/\n---\n# About\n"})
    assert f'C <a href="{SITE}/about-us/">about</a>' in _first(jekyll)


# --- the plugin's pattern, on text ----------------------------------------------------------


def _known(path: str) -> str | None:
    return {"a.md": "/A/", "d/b.md": "/B/"}.get(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](a.md)", "[x](/A/)"),
        ("[x](a.md#f)", "[x](/A/#f)"),
        ('[x](a.md "t")', '[x](/A/ "t")'),
        ("![x](a.md)", "![x](/A/)"),
        ("[![i](p.png)](a.md)", "[![i](p.png)](/A/)"),  # an image in the text (v0.8.0)
        ("[x](b.md)", "[x](b.md)"),
        ("[x](#a.md)", "[x](#a.md)"),
        ("[x](https://e.org/a.md)", "[x](https://e.org/a.md)"),
        ("[x](d/b.md)", "[x](/B/)"),
        ("[x](../a.md)", "[x](../a.md)"),  # from the site's top: out of the site
        ("para\n[r]: a.md", "para\n\n[r]: /A/"),  # the plugin puts a newline before
        ("  [r]: a.md#f 't'", "\n[r]: /A/#f 't'"),
        ("[a\nb](a.md)", "[a\nb](a.md)"),  # not over two lines
    ],
)
def test_rewrite_follows_the_plugins_pattern(text: str, expected: str) -> None:
    assert rewrite(text, "", _known) == expected


_TEXT = st.text(alphabet=st.sampled_from("[]()!#:\"' \n\tab./-+%"), max_size=40)
# A link the plugin reads: text without brackets or newlines, a path of plain names.
_LINK_TEXT = st.text(alphabet=st.sampled_from("ab !()*_`'\""), max_size=12)
_PATH = st.lists(st.sampled_from(["a", "b", "..", "."]), min_size=1, max_size=4).map(
    lambda parts: "/".join(parts) + ".md"
)
_FRAGMENT = st.sampled_from(["", "#x", "#a-b"])


@given(_TEXT)
@example("[x](a.md) [y](")
@example("[r]: a.md\n[s]: a.md")
def test_rewrite_with_nothing_found_leaves_the_text(text: str) -> None:
    assert rewrite(text, "", lambda path: None) == text


@given(_LINK_TEXT, _PATH, _FRAGMENT, st.sampled_from(["", "d"]))
def test_rewrite_reads_a_links_text_path_and_fragment(
    text: str, path: str, fragment: str, folder: str
) -> None:
    target = path_from_root(path, folder)
    found = {target: "/X/"} if target is not None else {}
    out = rewrite(f"[{text}]({path}{fragment}) tail", folder, found.get)
    url = "/X/" + fragment if target is not None else path + fragment
    assert out == f"[{text}]({url}) tail"


@pytest.mark.parametrize(
    ("config", "says"),
    [
        (CONFIG, "are read as the plugin rewrites them"),
        (CONFIG.replace("relative_links:\n  collections: true\n", ""), "in pages only"),
        (CONFIG.replace("plugins:\n  - jekyll-relative-links\n", ""), None),
    ],
)
def test_init_says_whether_posts_links_are_read_as_the_plugin_rewrites_them(
    tmp_path: Path, config: str, says: str | None
) -> None:
    from syndicate.sites import jekyll

    site = _site(tmp_path, config)
    notes = [n for n in jekyll.read(site.root, "production").notes if "relative-links" in n]
    assert [says in n for n in notes] == ([True] if says else [])


# --- the pattern's matches, found without backtracking ----------------------------------------

# The plugin's pattern (generator.rb:17-23) as `rewrite` ran it with Python's `re` before: exact,
# but exponential on some texts (below). On short texts the two must find the same matches.
_TEXT_RE = r"((?:!\[[^\]]*\](?:\([^\)]*\))?|(?!\]\().)*?)"
_FRAGMENT_RE = r"(#.+?|)?"
_TITLE_RE = r"""(\s+"(?:\\"|[^"])*(?<!\\)"|\s+"(?:\\'|[^'])*(?<!\\)')?"""
_INLINE_RE = rf"\[{_TEXT_RE}\]\(([^)]+?){_FRAGMENT_RE}{_TITLE_RE}\)"
_REFERENCE_RE = rf"^\s*?\[{_TEXT_RE}\]: (.+?){_FRAGMENT_RE}{_TITLE_RE}\s*?$"
BACKTRACKING_LINK = re.compile(rf"({_INLINE_RE}|{_REFERENCE_RE})", re.MULTILINE | re.ASCII)
PIECES_OF_LINKS = [
    *"[]()!#\"'\\: \n\tx",
    ".md",
    "![",
    "](",
    "]: ",
    "![a]",
    "![a](b)",
    ' "t"',
    " 't'",
    '\\"',
    "#f",
    "\n  ",
]


@given(st.lists(st.sampled_from(PIECES_OF_LINKS), max_size=16).map("".join))
@settings(max_examples=examples(3000), deadline=None)
@example("[a](x#))")  # a fragment holds the `)` after its `#`
@example('[a](x "t\') [b](y "t")')  # TITLE's second branch opens with `"`, closes with `'`
@example("x\n \n  [r]: a.md#f 't' \n[s]: b")  # a definition's match starts at the blank line
@example("[![a](b)](x.md) [![a](b)]")  # an image, then its characters, in a link's text
@example("[a]: x\n[b](y)")
def test_links_are_the_matches_the_backtracking_pattern_finds(text: str) -> None:
    expected = []
    for found in BACKTRACKING_LINK.finditer(text):
        inline = found.group(2) is not None
        groups = found.group(*((2, 3, 4, 5) if inline else (6, 7, 8, 9)))
        expected.append((found.span(), inline, *(group or "" for group in groups)))
    got = [
        ((link.start, link.end), link.inline, link.text, link.path, link.fragment, link.title)
        for link in links(text)
    ]
    assert got == expected


# Texts some 20,000 characters long (and the 3,000 images of a link's text) that the pattern
# above never finished reading: exponential in the images of a text no `](` closes (25 s for
# `![a]` 25 times), polynomial in the rest. Each is a head, a piece repeated and a tail, with
# the spans of the links it holds.
HOSTILE = [
    (("[", "![", 3_000, "](x.md)"), [(0, 6_008)]),
    (("[", "![", 10_000, "](x.md"), []),
    (("", "![a]", 5_000, ""), []),
    (("[", "![a]", 5_000, ""), []),
    (("", "![a](", 4_000, ""), []),
    (("", "[a](", 5_000, ""), []),
    (("", "[", 20_000, ""), []),
    (("[a](x", ' "', 10_000, ""), []),
    (("[a]: x", " ", 20_000, "y"), [(0, 20_007)]),
    (("", " \n", 10_000, "[a]:"), []),
    (("[a](", "#x ", 7_000, "\n)"), [(0, 21_006)]),
]


def test_hostile_texts_are_read_at_once() -> None:
    """In a child with a deadline, so that a pattern that backtracks fails here instead of
    hanging (a thread would not do: `re` keeps the interpreter's lock while it matches)."""
    code = (
        "from syndicate.content.syntax.relative_links import links\n"
        f"for head, piece, count, tail in {[shape for shape, _ in HOSTILE]!r}:\n"
        "    print([(link.start, link.end) for link in links(head + piece * count + tail)])\n"
    )
    out = output_within(code)
    assert out.splitlines() == [str(spans) for _, spans in HOSTILE]
