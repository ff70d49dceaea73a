"""Jekyll sites' span HTML as kramdown reads it (syntax.kramdown_spans): the content of `<u>`,
`<kbd>`, `<mark>`... as written, checked against the pages Jekyll 4.3.1 (kramdown 2.4.0) built
of these posts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from syndicate.build import Site
from syndicate.content.markdown import make_markdown

from .conftest import examples
from .syntax_posts import html_of, hugo_post_html
from .test_markup import JEKYLL
from .test_syntax_jekyll import FRONT, JekyllSite

# Each post's Markdown, and the HTML of the page Jekyll 4.3.1 made of it.
CASES = {
    # crystal-lang.org's _posts/success_stories/2020-02-11-nikola-motor-company.md, line 34
    "crystal": (
        "<u>It's a lot faster, twice as fast as Go, for example</u>. We tried using Go at first,"
        " because it's 1.0",
        "<p><u>It's a lot faster, twice as fast as Go, for example</u>. We tried using Go at"
        " first, because it’s 1.0</p>",
    ),
    "u-kbd-mark": (
        "<u>It's \"quoted\"</u> and <kbd>Don't</kbd> and <mark>it's</mark>.",
        "<p><u>It's \"quoted\"</u> and <kbd>Don't</kbd> and <mark>it's</mark>.</p>",
    ),
    "no-markdown-inside": (
        "<u>*em* [l](x) `c` -- ... << a >></u> *em* -- ...",
        "<p><u>*em* [l](x) `c` -- ... &lt;&lt; a &gt;&gt;</u> <em>em</em> – …</p>",
    ),
    "raw-model": (
        "x <code>it's</code> <samp>it's</samp> <var>it's</var> <textarea>it's</textarea>"
        " <option>it's</option>",
        "<p>x <code>it's</code> <samp>it's</samp> <var>it's</var> <textarea>it's</textarea>"
        " <option>it's</option></p>",
    ),
    "unlisted-elements": (
        "x <s>it's</s> <strike>it's</strike> <time>it's</time> <font>it's</font>"
        " <my-el>it's</my-el>",
        "<p>x <s>it's</s> <strike>it's</strike> <time>it's</time> <font>it's</font>"
        " <my-el>it's</my-el></p>",
    ),
    "span-model": (
        "<span>it's</span> <em>it's</em> <small>it's</small> <a href=\"/x\">it's</a>"
        " <abbr>it's</abbr>",
        '<p><span>it’s</span> <em>it’s</em> <small>it’s</small> <a href="/x">it’s</a>'
        " <abbr>it’s</abbr></p>",
    ),
    "span-model-more": (
        "<sup>it's</sup> <sub>it's</sub> <b>it's</b> <i>it's</i> <q>it's</q> <cite>it's</cite>"
        " <del>it's</del> <ins>it's</ins> <button>it's</button> <label>it's</label>",
        "<p><sup>it’s</sup> <sub>it’s</sub> <b>it’s</b> <i>it’s</i> <q>it’s</q> <cite>it’s</cite>"
        " <del>it’s</del> <ins>it’s</ins> <button>it’s</button> <label>it’s</label></p>",
    ),
    "nested-same": (
        "<u>it's <u>nested \"x\"</u> still</u> after's",
        '<p><u>it\'s <u>nested "x"</u> still</u> after’s</p>',
    ),
    "nested-span-model-in-raw": (
        "<u>it's <em>inner's</em> x</u> y's",
        "<p><u>it's <em>inner's</em> x</u> y’s</p>",
    ),
    "raw-in-span-model": (
        "<span>it's <u>raw's</u> and's</span>",
        "<p><span>it’s <u>raw's</u> and’s</span></p>",
    ),
    "markdown-attribute": (
        '<u markdown="span">it\'s *a*</u> <u markdown="1">it\'s</u>'
        ' <span markdown="0">it\'s *a*</span>',
        "<p><u>it’s <em>a</em></u> <u>it's</u> <span>it's *a*</span></p>",
    ),
    "unclosed": (
        '<u>unclosed it\'s\nnext "line"',
        '<p><u>unclosed it\'s\nnext "line"</u></p>',
    ),
    "capitals": ("<U>it's</U> <MARK>it's</MARK>", "<p><u>it's</u> <mark>it's</mark></p>"),
    "self-closed": ("<u/>it's <u />'s", "<p><u></u>it’s <u></u>’s</p>"),
    "end-tag-space": ("<u>a</u >it's", "<p><u>a</u>it’s</p>"),
    "across-lines": (
        "<u>it's\nacross \"lines\"</u> z's",
        '<p><u>it\'s\nacross "lines"</u> z’s</p>',
    ),
    "quote-after": ("x <kbd>it's</kbd>'s", "<p>x <kbd>it's</kbd>’s</p>"),
    "attribute": ("x <u title=\"it's\">it's</u>", "<p>x <u title=\"it's\">it's</u></p>"),
    "escaped-text": (
        "x <kbd>a < b & c &amp; d</kbd>",
        "<p>x <kbd>a &lt; b &amp; c &amp; d</kbd></p>",
    ),
    "list": (
        "- <kbd>Ctrl</kbd>'s list\n- <mark>it's</mark> \"item\"",
        "<ul>\n  <li><kbd>Ctrl</kbd>’s list</li>\n  <li><mark>it's</mark> “item”</li>\n</ul>",
    ),
    "quote": (
        "> <u>it's</u> it's",
        "<blockquote>\n  <p><u>it's</u> it’s</p>\n</blockquote>",
    ),
    "table": (
        '| <kbd>it\'s</kbd> | it\'s |\n|---|---|\n| <mark>"a"</mark> | "a" |',
        "<table>\n  <thead>\n    <tr>\n      <th><kbd>it's</kbd></th>\n      <th>it’s</th>\n"
        '    </tr>\n  </thead>\n  <tbody>\n    <tr>\n      <td><mark>"a"</mark></td>\n'
        "      <td>“a”</td>\n    </tr>\n  </tbody>\n</table>",
    ),
    "heading": ("# <u>It's</u> it's", '<h1 id="its-its"><u>It\'s</u> it’s</h1>'),
    # A line that starts with one of kramdown's span elements is a paragraph's; with another
    # element's tag, an HTML block (parser/kramdown/html.rb:78).
    "mark-lines": ("<mark>\n*x* it's\n</mark>", "<p><mark>\n*x* it's\n</mark></p>"),
    "ins-lines": ("<ins>\n*x* it's\n</ins>", "<p><ins>\n<em>x</em> it’s\n</ins></p>"),
    "s-lines": ("<s>\n*x* it's\n</s>", "<s>\n*x* it's\n</s>"),
    "textarea-lines": ("<textarea>\n*x* it's\n</textarea>", "<textarea>\n*x* it's\n</textarea>"),
}


def seen(html: str) -> str:
    """HTML as a reader sees it: parsed, without the space between blocks, and without ids
    (kramdown's headings have them; a feed's have no use for them)."""
    root = lxml.html.fragment_fromstring(html.strip(), create_parent="div")
    for element in root.iter():
        element.attrib.pop("id", None)
        if element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    return lxml.html.tostring(root, encoding="unicode")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = JekyllSite(tmp_path_factory.mktemp("spans") / "site")
    for name, (text, _) in CASES.items():
        site.post(f"2024-01-01-{name}.md", f"{FRONT}{text}\n")
    return site.load()


@pytest.mark.parametrize("name", list(CASES))
def test_span_html_is_the_one_jekyll_made(built: Site, name: str) -> None:
    post = next(p for p in built.posts if p.source.name == f"2024-01-01-{name}.md")
    jekylls = built.renderer.sanitize(CASES[name][1], post)  # as the feed would hold it
    assert seen(html_of(built, post.source.name)) == seen(jekylls)


def test_a_hugo_site_reads_inside_u_as_its_typographer_does(tmp_path: Path) -> None:
    # Hugo 0.111 wrote `<u>It&rsquo;s &ldquo;q&rdquo;</u>` for this line (raw HTML let
    # through): goldmark reads the text between inline tags as Markdown. By default Hugo
    # leaves the tags out (`markup.goldmark.renderer.unsafe`), and the text stays.
    line = '<u>It\'s "q"</u>'
    assert hugo_post_html(tmp_path / "a", line, unsafe=True) == "<p><u>It’s “q”</u></p>"
    assert hugo_post_html(tmp_path / "b", line) == "<p>It’s “q”</p>"


KRAMDOWN = make_markdown(plugins=JEKYLL)  # a Jekyll site's Markdown
# Text inside an element, each line after the first a word's (no block starts there).
_INSIDE = st.text(alphabet="ab '\"*_`[]()-.!\n&;", max_size=20).filter(
    lambda t: all(line[:1] in ("a", "b") for line in t.split("\n")[1:])
)
# Elements of kramdown's raw content model: named so (parser/html.rb:44), or not named at all.
RAW = ["kbd", "code", "samp", "var", "u", "mark", "s", "strike", "time", "font", "my-el"]


@given(st.sampled_from(RAW), _INSIDE)
@settings(max_examples=examples(500), deadline=None)
@example("u", 'It\'s "quoted" *a* -- b...')
def test_what_a_raw_element_holds_stays_as_written(tag: str, inside: str) -> None:
    # kramdown reads no Markdown in an element whose content model is raw
    # (parser/kramdown/html.rb:121-125): no quote made curly, no emphasis, no link.
    html = str(KRAMDOWN(f"x <{tag}>{inside}</{tag}> y"))
    shown = re.search(rf"<{tag}>(.*)</{tag}>", html, re.DOTALL)
    assert shown is not None and shown.group(1) == inside


HTML_PIECES = [*"<>/\"'= *`[]()\n", "<u>", "</u>", "<kbd>", "</kbd>", "<span>", "</span>"]
HTML_PIECES += ["<u/>", '<u a="1">', "<em>", "</em>", 'markdown="span"', "it's", "&amp;"]


@given(st.lists(st.sampled_from(HTML_PIECES), max_size=30).map("".join))
@settings(max_examples=examples(1000), deadline=None)
def test_any_text_with_span_html_renders(text: str) -> None:
    assert isinstance(KRAMDOWN(text), str)


def test_an_elements_end_is_found_in_one_pass_over_many_unclosed_tags() -> None:
    """Each start tag is read to the next `<` at most: read to the text's next `>`, a line of
    60,000 `<u ` took minutes (each try from each `<u`). In a child with a deadline, so that
    such a change fails here instead of hanging."""
    code = (
        "from syndicate.content.syntax.html_blocks import matching_end;"
        "print(matching_end('<u ' * 60000, 0, 'u'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "None\n"


def test_a_long_tag_without_its_end_is_read_at_once() -> None:
    # Each attribute is read once, as kramdown's atomic groups read it: with quotes that could
    # pair in many ways and no `>`, trying every pairing took minutes at 20 attributes.
    text = "x <u" + " a=\"\" b=''" * 200 + ' " y'
    assert str(KRAMDOWN(text)).startswith("<p>x &lt;u a=")  # text, as in CommonMark
