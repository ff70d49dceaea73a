"""Bare addresses made links as Hugo makes them (`syntax.linkify`), against what Hugo 0.168.0
built from the same Markdown: tests/fixtures/linkify/cases.md, one case a paragraph, and
hugo-0.168.0.html, that page's content as Hugo wrote it (`hugo` with a layout printing
`.Content`, its default Markdown settings)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.content.markdown import make_markdown
from syndicate.content.syntax.linkify import address

from .conftest import examples
from .syntax_posts import hugo_post_html

FIXTURES = Path(__file__).parent / "fixtures" / "linkify"
CASES = (FIXTURES / "cases.md").read_text(encoding="utf-8").rstrip("\n").split("\n\n")
BUILT = re.findall(r"<p>(.*?)</p>", (FIXTURES / "hugo-0.168.0.html").read_text(), re.S)
# Where syndicate differs, on purpose or not yet:
KNOWN = {
    # An entity written inside a bare URL: Hugo links (and shows) `&amp;` as written; syndicate
    # reads it as `&`, as CommonMark reads entities in text, so that the link works.
    "https://example.com/a&b=c&amp;d=e amps.",
    "x https://example.com/a&amp;) x",
    # Hugo 0.168 reads `~text~` as strikethrough too; syndicate (mistune) only `~~text~~`.
    "x ~www.example.com~ tilde",
}
# Hugo's typographer (on by default) is not applied (README, Writing posts): its characters
# are read back as typed.
TYPOGRAPHY = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "–": "--",
        "—": "---",
        "…": "...",
        "«": "<<",
        "»": ">>",
    }
)


class _Pieces(HTMLParser):
    """A paragraph as its text and links, in order: ("text", t) and ("link", href, t)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, ...]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.pieces.append(("link", self._href, "".join(self._text).translate(TYPOGRAPHY)))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)
        elif self.pieces and self.pieces[-1][0] == "text":
            self.pieces[-1] = ("text", self.pieces[-1][1] + data.translate(TYPOGRAPHY))
        else:
            self.pieces.append(("text", data.translate(TYPOGRAPHY)))


def pieces(paragraph: str) -> list[tuple[str, ...]]:
    parser = _Pieces()
    parser.feed(paragraph)
    return parser.pieces


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Each case's paragraph as a Hugo site's feed shows it."""
    html = hugo_post_html(tmp_path_factory.mktemp("hugo"), "\n\n".join(CASES))
    return re.findall(r"<p>(.*?)</p>", html, re.S)


def test_the_fixture_holds_one_built_paragraph_a_case() -> None:
    assert len(CASES) == len(BUILT) == 132


@pytest.mark.parametrize("index", range(len(CASES)), ids=lambda i: CASES[i][:40])
def test_a_bare_address_is_linked_as_hugo_links_it(rendered: list[str], index: int) -> None:
    if CASES[index] in KNOWN:
        assert pieces(rendered[index]) != pieces(BUILT[index])
        return
    assert pieces(rendered[index]) == pieces(BUILT[index])


def test_a_wikipedia_address_keeps_its_parentheses() -> None:
    # mistune's `url` rule ended it at its first ")": the link went to `...Interval_(mathematics`.
    html = make_markdown(plugins=("linkify",))(
        "(https://en.wikipedia.org/wiki/Interval_(mathematics))"
    )
    url = "https://en.wikipedia.org/wiki/Interval_(mathematics)"
    assert html == f'<p>(<a href="{url}">{url}</a>)</p>\n'


def test_linkify_protocol_http_gives_www_addresses_http(tmp_path: Path) -> None:
    body = "See www.example.com and https://example.net."
    html = hugo_post_html(tmp_path, body, "linkifyProtocol = 'http'")
    assert '<a href="http://www.example.com">www.example.com</a>' in html
    assert '<a href="https://example.net">https://example.net</a>' in html


def test_linkify_false_leaves_addresses_as_text(tmp_path: Path) -> None:
    html = hugo_post_html(tmp_path, "See www.example.com, jo@example.com.", "linkify = false")
    assert "<a" not in html and "www.example.com" in html


_ADDRESS_TEXT = st.lists(
    st.sampled_from([*"abw.:/@()_-~;&#?!,*'\"<> \n%=+", "www.", "https://", "x@y.z", "ftp://"]),
    max_size=30,
).map("".join)


@given(_ADDRESS_TEXT, st.integers(0, 40))
@settings(max_examples=examples(1000), deadline=None)
def test_an_address_is_a_stretch_of_its_text_and_links_to_it(text: str, pos: int) -> None:
    pos = min(pos, max(len(text) - 1, 0))
    found = address(text, pos) if text else None
    if found is None:
        return
    end, href = found
    shown = text[pos:end]
    assert pos < end <= len(text) and shown and not any(c.isspace() for c in shown)
    assert href in (shown, f"https://{shown}", f"mailto:{shown}")
