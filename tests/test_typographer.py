"""Hugo's typographer (`syntax.typographer`), against what Hugo 0.168.0 built from the same
Markdown: tests/fixtures/typographer holds two post bodies (`lines.md`, a case a paragraph;
`blocks.md`, quotes and dashes in headings, lists, quotes, tables, links, code, footnotes and
across paragraphs) and Hugo's HTML of each."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from syndicate.build import load_site
from syndicate.config import load_config

from .syntax_posts import hugo_post_html

FIXTURES = Path(__file__).parent / "fixtures" / "typographer"


def text_lines(fragment: str) -> list[str]:
    """The text of an HTML fragment, a line per element, entities read: what a reader sees,
    whatever the markup around it (Hugo's raw HTML left out, as it omits it)."""
    fragment = re.sub(r"<!-- raw HTML omitted -->|<span>|</span>|<br>", "", fragment)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", fragment))
    return [line.strip() for line in text.split("\n") if line.strip()]


@pytest.mark.parametrize("name", ["lines", "blocks"])
def test_quotes_dashes_and_dots_read_as_hugo_writes_them(tmp_path: Path, name: str) -> None:
    body = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    built = (FIXTURES / f"{name}.hugo-0.168.0.html").read_text(encoding="utf-8")
    ours = hugo_post_html(tmp_path, body)
    assert text_lines(ours) == text_lines(built)


def test_a_site_that_turns_the_typographer_off_keeps_its_quotes(tmp_path: Path) -> None:
    html_ = hugo_post_html(tmp_path, 'Don\'t "quote" -- me...', "typographer.disable = true")
    assert text_lines(html_) == ['Don\'t "quote" -- me...']


def test_a_sites_own_substitutions_are_used(tmp_path: Path) -> None:
    extensions = "typographer.leftDoubleQuote = '&laquo;'\ntypographer.rightDoubleQuote = '&raquo;'"
    html_ = hugo_post_html(tmp_path, 'A "quote" isn\'t -- here.', extensions)
    assert text_lines(html_) == ["A «quote» isn’t – here."]


@pytest.mark.parametrize("generator", [None, "jekyll", "zola"])
def test_other_generators_keep_quotes_as_written(tmp_path: Path, generator: str | None) -> None:
    # kramdown's smart quotes and Zola's smart_punctuation are not applied (README).
    (tmp_path / "content/posts").mkdir(parents=True)
    post = '---\ntitle: A\ndate: 2024-01-01\n---\nDon\'t "quote" -- me...\n'
    if generator == "jekyll":
        (tmp_path / "_config.yml").write_text("title: T\nurl: https://example.org\n")
        (tmp_path / "_posts").mkdir()
        (tmp_path / "_posts/2024-01-01-a.md").write_text(post)
    elif generator == "zola":
        (tmp_path / "zola.toml").write_text('base_url = "https://example.org"\ntitle = "T"\n')
        (tmp_path / "content/posts/a.md").write_text(
            post.replace("---", "+++", 2).replace(
                "title: A\ndate: 2024-01-01", 'title = "A"\ndate = 2024-01-01'
            )
        )
    else:
        (tmp_path / "content/posts/a.md").write_text(post)
    site_toml = (
        f'[site]\ngenerator = "{generator}"\n'
        if generator
        else ('[site]\ntitle = "T"\nbase_url = "https://example.org/"\n')
    )
    (tmp_path / "syndicate.toml").write_text(site_toml)
    site = load_site(load_config(tmp_path / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    assert text_lines(site.renderer.html(site.posts[0])) == ['Don\'t "quote" -- me...']
