from __future__ import annotations

import os
import re
import string
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.content import fastyaml
from syndicate.content.frontmatter import Invalid
from syndicate.content.loader import (
    ParseContext,
    SourceFile,
    excerpt,
    parse_file,
    read_body,
    slugify,
)
from syndicate.content.split import split
from syndicate.errors import Location, Problem

from .conftest import RunCli, SiteDir

LISBON = ZoneInfo("Europe/Lisbon")


def only_post(site: SiteDir, **kwargs: bool):  # type: ignore[no-untyped-def]
    loaded = site.load(**kwargs)
    assert not loaded.report.errors, [str(p) for p in loaded.report.errors]
    [post] = loaded.posts
    return post


def errors_of(site: SiteDir) -> list[str]:
    return [str(p) for p in site.load().report.errors]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (
            "'2021-11-05T00:48:00+01:00'",
            datetime(2021, 11, 5, 0, 48, tzinfo=timezone(timedelta(hours=1))),
        ),
        (
            "2021-11-05T00:48:00+01:00",
            datetime(2021, 11, 5, 0, 48, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2021-11-05T00:48:00", datetime(2021, 11, 5, 0, 48, tzinfo=LISBON)),
        ("2021-07-05 10:00", datetime(2021, 7, 5, 10, 0, tzinfo=LISBON)),
        ("2021-11-05", datetime(2021, 11, 5, 0, 0, tzinfo=LISBON)),
        (
            "'Fri, 05 Nov 2021 00:48:00 +0100'",
            datetime(2021, 11, 5, 0, 48, tzinfo=timezone(timedelta(hours=1))),
        ),
    ],
)
def test_every_date_form_becomes_an_aware_instant(
    site: SiteDir, written: str, expected: datetime
) -> None:
    site.post("posts/a.md", f"---\ntitle: A\ndate: {written}\n---\nBody.\n")
    post = only_post(site)
    assert post.date.tzinfo is not None
    assert post.date == expected
    assert post.date.utcoffset() == expected.utcoffset()


def test_naive_date_takes_site_timezone_with_daylight_saving(site: SiteDir) -> None:
    site.post("posts/summer.md", "---\ntitle: S\ndate: 2024-07-01T12:00:00\n---\nx\n")
    site.post("posts/winter.md", "---\ntitle: W\ndate: 2023-12-01T12:00:00\n---\nx\n")
    posts = {p.slug: p for p in site.load().posts}
    assert posts["summer"].date.utcoffset() == timedelta(hours=1)
    assert posts["winter"].date.utcoffset() == timedelta(0)


def test_toml_and_json_front_matter_dates(site: SiteDir) -> None:
    site.post("posts/t.md", '+++\ntitle = "T"\ndate = 2024-03-01T10:00:00+02:00\n+++\nBody\n')
    site.post("posts/j.md", '{\n"title": "J",\n"date": "2024-03-02"\n}\nBody\n')
    posts = {p.slug: p for p in site.load().posts}
    assert posts["t"].date == datetime(2024, 3, 1, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert posts["j"].date == datetime(2024, 3, 2, tzinfo=LISBON)


def test_empty_lastmod_means_no_update_and_earlier_lastmod_is_ignored(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-03-01\nlastmod:\n---\nx\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-03-05\nlastmod: 2024-03-01\n---\nx\n")
    site.post("posts/c.md", "---\ntitle: C\ndate: 2024-03-01\nupdated: 2024-03-09\n---\nx\n")
    loaded = site.load()
    posts = {p.slug: p for p in loaded.posts}
    assert posts["a"].updated is None
    assert posts["b"].updated is None
    assert any("lastmod is earlier" in p.message for p in loaded.report.warnings)
    assert posts["c"].updated == datetime(2024, 3, 9, tzinfo=LISBON)
    assert posts["c"].modified == posts["c"].updated


def test_jekyll_file_name_gives_date_and_slug(site: SiteDir) -> None:
    site.post("posts/2024-03-01-my-first-post.md", "---\ntitle: Hello\n---\nx\n")
    post = only_post(site)
    assert post.slug == "my-first-post"
    assert post.date == datetime(2024, 3, 1, tzinfo=LISBON)
    assert post.permalink == "https://blog.example.com/posts/my-first-post/"


def test_front_matter_date_wins_over_jekyll_name(site: SiteDir) -> None:
    site.post("posts/2024-03-01-x.md", "---\ntitle: Hello\ndate: 2024-04-02\n---\nx\n")
    assert only_post(site).date == datetime(2024, 4, 2, tzinfo=LISBON)


# --- slugs, permalinks, ids ------------------------------------------------------------------


def test_slug_sources_in_order(site: SiteDir) -> None:
    site.post("posts/file-name.md", "---\ntitle: T1\ndate: 2024-01-01\nslug: Given Slug\n---\nx\n")
    site.post("posts/Other File.md", "---\ntitle: T2\ndate: 2024-01-02\n---\nx\n")
    site.post("posts/bundle-name/index.md", "---\ntitle: T3\ndate: 2024-01-03\n---\nx\n")
    slugs = sorted(p.slug for p in site.load().posts)
    assert slugs == ["bundle-name", "given-slug", "other-file"]


def test_curly_apostrophe_joins_the_word() -> None:
    assert slugify("king’s college") == "kings-college"
    assert slugify("King's College") == "kings-college"


def test_permalink_pattern_placeholders(site: SiteDir) -> None:
    site.config(
        replace=site.config_text.replace(
            '"/{section}/{slug}/"', '"/{section}/{year}/{month}/{day}/{slug}.html"'
        )
    )
    # 00:30 on the 1st in Lisbon is still the 31st in UTC: the site's calendar decides.
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-08-01T00:30:00+01:00\n---\nx\n")
    assert only_post(site).permalink == "https://blog.example.com/posts/2024/08/01/a.html"


def test_front_matter_id_overrides_and_tag_ids_ignore_base_url(site: SiteDir) -> None:
    site.config('[feeds]\nid = "tag"\n')
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-03-01\n---\nx\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-03-02\nid: urn:uuid:1234\n---\nx\n")
    posts = {p.slug: p for p in site.load().posts}
    assert posts["a"].id == "tag:blog.example.com,2024-03-01:a"
    assert posts["b"].id == "urn:uuid:1234"
    # Moving the post to another section keeps its id.
    (site.root / "content/notes").mkdir()
    (site.root / "content/posts/a.md").rename(site.root / "content/notes/a.md")
    moved = {p.slug: p for p in site.load().posts}["a"]
    assert moved.id == posts["a"].id and moved.permalink != posts["a"].permalink


# --- authors and taxonomy values -------------------------------------------------------------


def test_author_forms(site: SiteDir) -> None:
    site.config(
        '[authors."Ana Costa"]\nemail = "ana@example.com"\nurl = "https://ana.example.com/"\n'
    )
    site.post(
        "posts/list.md", "---\ntitle: L\ndate: 2024-01-01\nauthors: [Ana Costa, Bo]\n---\nx\n"
    )
    site.post("posts/string.md", "---\ntitle: S\ndate: 2024-01-02\nauthor: Bo\n---\nx\n")
    site.post(
        "posts/map.md",
        "---\ntitle: M\ndate: 2024-01-03\nauthors:\n  - name: Cy\n    email: cy@example.com\n---\nx\n",
    )
    site.post("posts/none.md", "---\ntitle: N\ndate: 2024-01-04\n---\nx\n")
    posts = {p.slug: p for p in site.load().posts}
    assert [a.name for a in posts["list"].authors] == ["Ana Costa", "Bo"]
    assert posts["list"].authors[0].email == "ana@example.com"
    assert posts["list"].authors[0].url == "https://ana.example.com/"
    assert [a.name for a in posts["string"].authors] == ["Bo"]
    assert posts["map"].authors[0].email == "cy@example.com"
    assert [a.name for a in posts["none"].authors] == ["Default Author"]


def test_taxonomy_values_accept_a_list_or_a_single_string(site: SiteDir) -> None:
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\ntags: [one, two, one]\ncategories: solo\nseries: S\n---\nx\n",
    )
    post = only_post(site)
    assert post.tags == ("one", "two")
    assert post.categories == ("solo",)
    assert post.series == ("S",)


# --- summary ---------------------------------------------------------------------------------


def test_summary_prefers_description(site: SiteDir) -> None:
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\ndescription: The  short\n  one.\n---\nBody.\n",
    )
    loaded = site.load()
    assert loaded.renderer.summary(loaded.posts[0]) == "The short one."


def test_summary_is_text_before_more_marker(site: SiteDir) -> None:
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\nIntro with *emphasis* & [a link](/x).\n\nSecond.\n<!--more-->\nRest.\n",
    )
    loaded = site.load()
    assert loaded.renderer.summary(loaded.posts[0]) == "Intro with emphasis & a link. Second."


def test_summary_falls_back_to_first_prose_paragraph() -> None:
    body = "# Heading\n\n![img](x.png)\n\n<div>raw</div>\n\n- a list\n\nThe first real paragraph.\n\nMore."
    assert excerpt(body) == "The first real paragraph."
    assert excerpt("# Only a heading") is None
    # a linked image, and a shortcode's or a Liquid tag's line: their text is not the post's
    for first in ["[![alt](x.png)](https://e.org/)", "{{< youtube abc >}}", "{{% note %}}"]:
        assert excerpt(f"{first}\n\nThe text.") == "The text."
    for first in ["{% include figure.html %}", "{{ youtube(id='abc') }}", "{{- note() }}"]:
        assert excerpt(f"{first}\n\nThe text.") == "The text."
    assert (
        excerpt("{{ page.title }} is written here.\n\nMore.") == "{{ page.title }} is written here."
    )


def test_a_summarys_reference_links_are_links(site: SiteDir) -> None:
    # Homebrew's 2025-02-03 post: jekyll-feed's summary reads "for @BrewTestBot commits"
    # (Jekyll renders an excerpt with the post's link definitions); a footnote mark is left out.
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\nSigned by [@BrewTestBot] and [the docs][d][^1].\n\n"
        "More.\n\n[@BrewTestBot]: https://github.com/BrewTestBot\n[D]: https://docs.brew.sh\n"
        "[unused]: https://x.example\n[^1]: A note.\n",
    )
    loaded = site.load()
    post = loaded.posts[0]
    assert post.excerpt is not None and "[unused]" not in post.excerpt
    assert loaded.renderer.summary(post) == "Signed by @BrewTestBot and the docs."


# --- Markdown and URLs -----------------------------------------------------------------------


def test_raw_html_line_renders_as_a_small_element(site: SiteDir) -> None:
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\n<small>_photo from [Unsplash](https://unsplash.com/)_</small>\n",
    )
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    assert '<small><em>photo from <a href="https://unsplash.com/">Unsplash</a></em></small>' in html
    assert "&lt;small" not in html


def test_markdown_extensions(site: SiteDir) -> None:
    site.post(
        "posts/a.md",
        """
        ---
        title: A
        date: 2024-01-01
        ---
        | a | b |
        |---|---|
        | 1 | 2 |

        ~~gone~~ and https://example.org/auto and a note[^1]

        - [x] done
        - [ ] todo

        ```python
        print("hi")
        ```

        [^1]: The note.
        """,
    )
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    assert "<table>" in html and "<td>1</td>" in html
    assert "<del>gone</del>" in html
    assert '<a href="https://example.org/auto">' in html
    assert "☑ done" in html and "☐ todo" in html
    assert '<code class="language-python">' in html
    assert 'href="https://blog.example.com/posts/a/#fn-1"' in html


def test_sanitizer_removes_everything_that_could_run(site: SiteDir) -> None:
    site.post(
        "posts/a.md",
        """
        ---
        title: A
        date: 2024-01-01
        ---
        <script>alert(1)</script>
        <p onclick="alert(2)" onmouseover="x()">para</p>
        <a href="javascript:alert(3)">js</a> <a href=" JaVaScRiPt:alert(4)">js2</a>
        <iframe src="https://evil.example/x"></iframe>
        <iframe src="https://www.youtube.com/embed/abc" title="A video"></iframe>
        <img src="x.png" onerror="alert(5)">
        <style>body{display:none}</style>
        """,
    )
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0]).lower()
    for bad in (
        "<script",
        "alert(",
        "onclick",
        "onmouseover",
        "javascript:",
        "evil.example",
        "<iframe",
        "<style",
        "onerror",
    ):
        assert bad not in html
    assert '<a href="https://www.youtube.com/embed/abc">a video</a>' in html


def test_links_of_schemes_that_run_nothing_keep_their_url(site: SiteDir) -> None:
    # jruby.org's and nim-lang.org's posts link their IRC channels: `<a>#jruby</a>` was left.
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\n[#jruby](irc://irc.libera.chat/jruby) "
        "[f](ftp://e.org/f) [x](data:text/html,x) [v](vbscript:x)\n",
    )
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    assert '<a href="irc://irc.libera.chat/jruby">#jruby</a>' in html
    assert '<a href="ftp://e.org/f">f</a>' in html
    assert "data:" not in html and "vbscript:" not in html


def test_relative_urls_become_absolute(site: SiteDir) -> None:
    site.static("images/photo.jpg")
    site.post(
        "posts/a.md",
        """
        ---
        title: A
        date: 2024-01-01
        featuredImage: ../static/images/photo.jpg
        ---
        ![s](../static/images/photo.jpg) ![p](pic.png) ![r](/images/photo.jpg)
        [link](../b/) [frag](#top) [mail](mailto:a@b.c) ![d](data:image/png;base64,AAAA)
        <img srcset="small.jpg 1x, /big.jpg 2x" src="small.jpg">
        """,
    )
    loaded = site.load()
    post = loaded.posts[0]
    html = loaded.renderer.html(post)
    assert 'src="https://blog.example.com/images/photo.jpg"' in html
    assert 'src="https://blog.example.com/posts/a/pic.png"' in html
    assert 'href="https://blog.example.com/posts/b/"' in html
    assert 'href="https://blog.example.com/posts/a/#top"' in html
    assert 'href="mailto:a@b.c"' in html
    assert (
        'srcset="https://blog.example.com/posts/a/small.jpg 1x, https://blog.example.com/big.jpg 2x"'
        in html
    )
    assert post.image is not None
    assert post.image.url == "https://blog.example.com/images/photo.jpg"
    assert post.image.path == (site.root / "static/images/photo.jpg").resolve()


def test_static_path_resolved_through_the_file_system(site: SiteDir) -> None:
    site.static("cover.png")
    site.post("top-level-section.md", "---\ntitle: page\n---\n")  # a page, ignored
    site.post(
        "posts/a.md", "---\ntitle: A\ndate: 2024-01-01\nimage: ../../static/cover.png\n---\nx\n"
    )
    post = only_post(site)
    assert post.image is not None and post.image.url == "https://blog.example.com/cover.png"


def test_page_bundle_images_resolve_to_the_bundle(site: SiteDir) -> None:
    bundle = site.post(
        "posts/trip/index.md",
        "---\ntitle: Trip\ndate: 2024-01-01\ncover:\n  image: view.jpg\n  alt: The view\n---\n![v](view.jpg)\n",
    )
    (bundle.parent / "view.jpg").write_bytes(b"jpeg")
    loaded = site.load()
    post = loaded.posts[0]
    assert post.bundle == bundle.parent
    assert (
        post.image is not None and post.image.url == "https://blog.example.com/posts/trip/view.jpg"
    )
    assert post.image.path == (bundle.parent / "view.jpg").resolve()
    assert post.image_alt == "The view"
    assert 'src="https://blog.example.com/posts/trip/view.jpg"' in loaded.renderer.html(post)


# --- which files are posts, and which posts are shown ----------------------------------------


def test_sections_pages_and_main_sections(site: SiteDir) -> None:
    site.post("about.md", "---\ntitle: About\ndate: 2024-01-01\n---\nx\n")
    site.post("posts/_index.md", "---\ntitle: Posts\n---\n")
    site.post("posts/a.markdown", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n")
    site.post("docs/deep/b.md", "---\ntitle: B\ndate: 2024-01-02\n---\nx\n")
    site.post("posts/notes.txt", "not markdown")
    assert sorted(p.slug for p in site.load().posts) == ["a", "b"]
    site.config(
        replace=site.config_text.replace("permalink", 'main_sections = ["posts"]\npermalink')
    )
    assert [p.slug for p in site.load().posts] == ["a"]


def test_drafts_future_expired_and_hidden(site: SiteDir) -> None:
    site.post("posts/draft.md", "---\ntitle: D\ndate: 2024-01-01\ndraft: true\n---\nx\n")
    site.post("posts/future.md", "---\ntitle: F\ndate: 2030-01-01\n---\nx\n")
    site.post(
        "posts/later.md", "---\ntitle: L\ndate: 2024-01-01\npublishDate: 2030-01-01\n---\nx\n"
    )
    site.post("posts/gone.md", "---\ntitle: G\ndate: 2024-01-01\nexpiryDate: 2024-06-01\n---\nx\n")
    site.post("posts/hidden.md", "---\ntitle: H\ndate: 2024-01-01\nfeed: false\n---\nx\n")
    site.post("posts/shown.md", "---\ntitle: S\ndate: 2024-01-01\n---\nx\n")
    loaded = site.load()
    assert sorted(p.slug for p in loaded.posts) == ["hidden", "shown"]
    assert (loaded.loaded.drafts, loaded.loaded.future, loaded.loaded.expired) == (1, 2, 1)
    assert not next(p for p in loaded.posts if p.slug == "hidden").in_feeds
    assert loaded.summary() == "2 posts, 1 draft skipped, 2 future, 1 expired"
    everything = site.load(drafts=True, future=True)
    assert len(everything.posts) == 5


def test_now_comes_from_source_date_epoch(site: SiteDir) -> None:
    from syndicate.build import load_site

    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n")
    config = site.load_config()
    assert len(load_site(config, None, {"SOURCE_DATE_EPOCH": "1700000000"}).posts) == 0
    assert len(load_site(config, None, {"SOURCE_DATE_EPOCH": "1800000000"}).posts) == 1


def test_order_is_newest_first_then_slug(site: SiteDir) -> None:
    for slug in ("b", "a", "c"):
        site.post(f"posts/{slug}.md", f"---\ntitle: {slug}\ndate: 2024-01-01\n---\nx\n")
    site.post("posts/new.md", "---\ntitle: new\ndate: 2024-02-01\n---\nx\n")
    assert [p.slug for p in site.load().posts] == ["new", "a", "b", "c"]


def test_unknown_keys_stay_available_as_params(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntoc: false\nweight: 3\n---\nx\n")
    post = only_post(site)
    assert dict(post.params) == {"toc": False, "weight": 3}


def test_body_line_points_after_front_matter(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n\nFirst line.\n")
    assert only_post(site).body_line == 6


# --- bad input: one test per case, each naming the file ---------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line", "fragment"),
    [
        ("yaml.md", "---\ntitle: A\ndate: [unclosed\n---\nx\n", None, "invalid YAML front matter"),
        (
            "colon.md",
            "---\ntitle: Part 1: the start\ndate: 2024-01-01\n---\nx\n",
            2,
            "invalid YAML",
        ),
        ("toml.md", '+++\ntitle = "A"\ndate = \n+++\nx\n', 3, "invalid TOML front matter"),
        (  # tomllib's "(at line 1, column 11)": the line is the location's
            "tomlquote.md",
            '+++\ntitle = "A\ndate = 2024-01-01\n+++\nx\n',
            2,
            "invalid TOML front matter: Illegal character '\\n' (column 11)",
        ),
        (  # a block mapping's error stays at its line, not at the mapping's first key
            "yamlindent.md",
            "---\ntitle: A\ndate: 2024-01-01\ntags:\n  - sleep\n - memory\n---\nx\n",
            6,
            "invalid YAML front matter: did not find expected key",
        ),
        (  # found at the end of the front matter, reported where the quote opens
            "yamlquote.md",
            '---\ntitle: "Broken post\ndate: 2024-01-01\n---\nx\n',
            2,
            "invalid YAML front matter: while scanning a quoted scalar, found unexpected end",
        ),
        ("json.md", '{\n"title": "A",\n"date": \n}\nx\n', 4, "invalid JSON front matter"),
        ("notitle.md", "---\ndate: 2024-01-01\n---\nx\n", None, "missing title"),
        ("booltitle.md", "---\ntitle: no\ndate: 2024-01-01\n---\nx\n", None, "YAML boolean"),
        (
            "baddate.md",
            "---\ntitle: A\ndate: next tuesday\n---\nx\n",
            None,
            "date: cannot read 'next tuesday'",
        ),
        ("nodate.md", "---\ntitle: A\n---\nx\n", None, "missing date"),
        (
            "nosuchday.md",
            "---\ntitle: A\ndate: 2024-13-45\n---\nx\n",
            3,
            "invalid YAML front matter: month must be in 1..12",
        ),
        (
            "nosuchdayinlist.md",
            "---\ntitle: A\ndate: 2024-01-01\nevents:\n  - when: 2024-01-02\n"
            "  - {when: 2024-02-30}\n---\nx\n",
            6,
            "invalid YAML front matter: day is out of range for month",
        ),
        (
            "tagsnum.md",
            "---\ntitle: A\ndate: 2024-01-01\ntags: 42\n---\nx\n",
            None,
            "tags: expected a list of names, got a number (42)",
        ),
        (
            "authornoname.md",
            "---\ntitle: A\ndate: 2024-01-01\nauthors:\n  - email: a@e.org\n---\nx\n",
            4,
            "authors: an author written as a mapping needs a `name` (text), got nothing",
        ),
        (
            "tagsmap.md",
            "---\ntitle: A\ndate: 2024-01-01\ntags:\n  a: b\n---\nx\n",
            None,
            "tags: expected a list of names, got a mapping",
        ),
        ("empty.md", "  \n\n", None, "empty file"),
        (
            "unclosed.md",
            "---\ntitle: A\ndate: 2024-01-01\nbody without end\n",
            1,
            "front matter is not closed",
        ),
        ("list.md", "---\n- a\n- b\n---\nx\n", 1, "front matter must be"),
    ],
)
def test_bad_front_matter_is_reported_with_file_and_line(
    site: SiteDir, name: str, text: str, line: int | None, fragment: str
) -> None:
    path = site.post(f"posts/{name}", text)
    site.post("posts/good.md", "---\ntitle: Good\ndate: 2024-01-01\n---\nx\n")
    loaded = site.load()
    assert [p.slug for p in loaded.posts] == ["good"], "one bad post never stops the others"
    [problem] = loaded.report.errors
    assert problem.location is not None and problem.location.path == path
    assert fragment in problem.message
    if line is not None:
        assert problem.location.line == line


def test_an_unclosed_yaml_quote_has_a_hint_as_toml_s_has(site: SiteDir) -> None:
    # TOML's said "a `[`, `{` or quote above is not closed"; YAML's gave PyYAML's words only.
    site.post("posts/quote.md", '---\ntitle: "abc\ndate: 2024-01-01\n---\nx\n')
    [problem] = site.load().report.errors
    assert problem.location is not None and problem.location.line == 2
    assert problem.hint is not None and "quote" in problem.hint and "not closed" in problem.hint


@pytest.mark.parametrize("reader", ["libyaml", "python"])
@pytest.mark.parametrize(
    ("front", "line", "said"),
    [
        ('title: "abc\ndate: 2024-01-01\n', 2, "quote that opens the value on this line"),
        ("title: 'abc\n", 2, "quote that opens the value on this line"),
        ("title: A\ntags: [a, b\n", 3, "the `[` on this line is not closed"),
        ("title: A\nextra: {a: 1\n", 3, "the `{` on this line is not closed"),
        ("title: Part 1: the start\n", 2, 'needs quotes (title: "Part 1: the start")'),
        ("title: A\n\tdate: 2024-01-01\n", 3, "replace the tab with spaces"),
        ("title: *bold* words\n", 2, "starts with `*` needs quotes"),
        ("title: @home\n", 2, "starts with `@`"),
        ("title: `code`\n", 2, "a backquote"),
        ("title: A\njust words\ndate: 2024-01-01\n", 3, "each line is `key: value`"),
        ('title: "A" and B\n', 2, "text follows a quoted value"),
        ('title: "a\\q"\n', 2, "a backslash starts an escape"),
    ],
)
def test_yaml_syntax_errors_say_what_to_do(
    reader: str, front: str, line: int, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml and PyYAML's own reader word their errors differently: both get the hint.
    if reader == "python":
        monkeypatch.setattr(fastyaml, "LOADER", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    with pytest.raises(Invalid) as caught:
        split(f"---\n{front}---\nx\n")
    assert caught.value.message.startswith("invalid YAML front matter: ")
    assert caught.value.line == line
    assert caught.value.hint is not None and said in caught.value.hint


def test_not_utf8_names_the_line(site: SiteDir) -> None:
    path = site.root / "content/posts/latin1.md"
    path.write_bytes("---\ntitle: A\ndate: 2024-01-01\n---\nCaf\xe9\n".encode("latin-1"))
    [problem] = site.load().report.errors
    assert problem.location is not None and problem.location.path == path
    assert problem.location.line == 5 and "not UTF-8" in problem.message


def test_binary_file_named_md(site: SiteDir) -> None:
    path = site.root / "content/posts/image.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    [problem] = site.load().report.errors
    assert problem.location is not None and problem.location.path == path
    assert "binary" in problem.message


def test_symlink_loop_is_reported_not_followed_forever(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n")
    os.symlink(site.root / "content", site.root / "content/posts/loop")
    os.symlink("self", site.root / "content/posts/self")
    loaded = site.load()
    assert [p.slug for p in loaded.posts] == ["a"]
    messages = {p.location.path.name: p.message for p in loaded.report.errors if p.location}
    assert "symbolic link loop" in messages["loop"]
    assert "looping symbolic link" in messages["self"]


def test_two_posts_with_the_same_permalink(site: SiteDir) -> None:
    first = site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n")
    second = site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\nslug: a\n---\nx\n")
    loaded = site.load()
    assert [p.source for p in loaded.posts] == [first]
    [problem] = loaded.report.errors
    assert problem.location is not None and problem.location.path == second
    assert str(first) in problem.message and "same permalink" in problem.message
    assert problem.hint is not None and "its own `slug`" in problem.hint


def test_two_posts_with_the_same_id_are_told_to_change_an_id(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\nid: urn:x:1\n---\nx\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\nid: urn:x:1\n---\nx\n")
    [problem] = site.load().report.errors
    assert "same id" in problem.message
    assert problem.hint is not None and "its own `id`" in problem.hint


def test_control_characters_are_stripped_with_a_warning(site: SiteDir) -> None:
    path = site.post(
        "posts/a.md", "---\ntitle: Bad\x10Title\ndate: 2024-01-01\n---\nBody\x1d here\n"
    )
    loaded = site.load()
    [warning] = loaded.report.warnings
    assert (
        warning.location is not None
        and warning.location.path == path
        and warning.location.line == 2
    )
    assert "U+0010" in warning.message
    assert loaded.posts[0].title == "BadTitle"
    # The loader keeps the body in its file (Post.body_digest names it); read back, it is clean.
    assert read_body(loaded.posts[0].source) == "Body here\n"


# --- properties ------------------------------------------------------------------------------


def _context(tmp: Path) -> ParseContext:
    return ParseContext(
        base_url="https://e.org/",
        timezone="UTC",
        permalink="/{section}/{slug}/",
        static_dir=tmp / "static",
        default_authors=(),
        author_details={},
        id_mode="permalink",
        tag_authority=None,
    )


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_post_or_a_problem_never_an_exception(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts" / "x.md"
        path.parent.mkdir()
        path.write_bytes(data)
        post, problems = parse_file(SourceFile(str(path), "posts", None), _context(Path(tmp)))
        assert post is not None or any(
            isinstance(p, Problem) and p.severity == "error" for p in problems
        )


# Files shaped as front matter is written, and as it is not: its three forms, blank lines and
# whitespace around the delimiters, CRLF and CR line ends, a BOM, control characters the
# loader strips, text before it, none at all.
_DELIMITED = st.sampled_from(
    [
        ("---", "---", "title: T\ndate: 2024-01-01"),
        ("+++", "+++", 'title = "T"\ndate = 2024-01-01'),
        ("{", "}", '"title": "T", "date": "2024-01-01"'),
    ]
)
_ENDS = st.sampled_from(["\n", "\r\n", "\r", " \n", "\t\r\n", "\n\n", "\r\n\r\n", ""])
_BODY = st.text(st.sampled_from("ab *_\n\r\t-+{}#\x10\ufeff"), max_size=40)


@st.composite
def post_files(draw: st.DrawFn) -> str:
    opening, closing, keys = draw(_DELIMITED)
    end = draw(_ENDS)
    keys = keys.replace("\n", draw(st.sampled_from(["\n", "\r\n"])))
    head = draw(st.sampled_from(["", "\ufeff", "\n", " \n\r\n", "x\n"]))
    shape = draw(st.sampled_from(["front matter", "none", "unclosed"]))
    if shape == "none":
        return head + draw(_BODY)
    if shape == "unclosed":
        return f"{head}{opening}\n{keys}\n{draw(_BODY)}"
    return f"{head}{opening}{end}{keys}{end or chr(10)}{closing}{end}{draw(_BODY)}"


@settings(max_examples=300, deadline=None)
@given(post_files(), st.booleans())
def test_a_body_read_again_by_its_line_is_the_body_parsed(text: str, bundle: bool) -> None:
    import dataclasses
    import tempfile

    from syndicate.content.loader import file_digest, post_body

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "posts" / "a"
        folder.mkdir(parents=True)
        path = folder / ("index.md" if bundle else "x.md")
        path.write_bytes(text.encode("utf-8"))
        (folder / "photo.jpg").write_bytes(b"")
        source = SourceFile(str(path), "posts", folder if bundle else None)
        data = path.read_bytes()
        post, _ = parse_file(source, _context(Path(tmp)), data, file_digest(data, source.bundle))
        if post is None:
            return
        kept = dataclasses.replace(post, body="")  # as the build cache and workers hold it
        assert post_body(kept) == post.body == read_body(path)
        # Once the file changed, the line is not trusted: the body is read from the new text.
        path.write_bytes(b"---\ntitle: New\n---\n\nNew body\n")
        assert post_body(kept) == "New body\n"


def test_a_body_is_read_again_without_the_front_matter_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from syndicate.content import split
    from syndicate.content.loader import file_digest, post_body

    path = tmp_path / "posts" / "x.md"
    path.parent.mkdir()
    path.write_bytes(b"---\r\ntitle: T\r\ndate: 2024-01-01\r\n---\r\n\r\nBody\r\n")
    data = path.read_bytes()
    source = SourceFile(str(path), "posts", None)
    post, _ = parse_file(source, _context(tmp_path), data, file_digest(data, None))
    assert post is not None and post.body == "Body\r\n"

    def unread(text: str) -> None:
        raise AssertionError("the front matter was read again")

    monkeypatch.setattr(split, "parts", unread)  # what imports PyYAML in a render worker
    assert post_body(dataclasses.replace(post, body="")) == "Body\r\n"


@given(st.text(max_size=60))
def test_slugs_are_always_url_safe(text: str) -> None:
    slug = slugify(text)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


def test_an_image_path_with_spaces_or_letters_is_a_url_a_feed_may_hold(
    site: SiteDir, run_cli: RunCli
) -> None:
    # crystal-lang.org's `image: "/assets/blog/2024/2024-09-19 helvetic-ruby power of
    # crystal.jpg"`: jekyll-feed wrote it %20-encoded; the W3C validator refused the spaces.
    site.static("img/a b ü.jpg")
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nimage: /img/a b ü.jpg\n---\n"
        "![x](</img/a b ü.jpg>) and ![y](<../static/img/a b ü.jpg>)\n",
    )
    loaded = site.load()
    [post] = loaded.posts
    url = f"{loaded.config.base_url}img/a%20b%20%C3%BC.jpg"
    assert post.image is not None and post.image.url == url and post.image.path is not None
    assert loaded.renderer.html(post).count(f'src="{url}"') == 2
    assert run_cli("build", cwd=site.root).returncode == 0
    assert f'<enclosure url="{url}"' in (site.root / "public" / "rss.xml").read_text()


def test_missing_featured_image_is_a_warning(site: SiteDir) -> None:
    path = site.post(
        "posts/a.md", "---\ntitle: A\ndate: 2024-01-01\nfeaturedImage: ../static/nope.jpg\n---\nx\n"
    )
    site.post(
        "posts/b.md", "---\ntitle: B\ndate: 2024-01-02\nimage: https://cdn.example/x.jpg\n---\nx\n"
    )
    loaded = site.load()
    [warning] = loaded.report.warnings
    assert warning.location is not None and warning.location.path == path
    assert "featured image not found" in warning.message and "nope.jpg" in warning.message
    # No enclosure announces a file that is not there (it would say length="0").
    assert {p.slug: p.image.url for p in loaded.posts if p.image} == {
        "b": "https://cdn.example/x.jpg",
    }
    assert warning.location.line == 4  # the line of `featuredImage:`


@given(
    st.text(max_size=200)
    | st.text(
        st.characters(max_codepoint=0x1FF, exclude_categories=["Cs"])
        | st.sampled_from("\ufffe\uffff"),
        max_size=50,
    )
)
def test_the_quick_byte_scan_never_misses_a_character_xml_forbids(text: str) -> None:
    from syndicate.content.loader import _XML_INVALID, may_hold_invalid

    if _XML_INVALID.search(text) is not None:
        assert may_hold_invalid(text.encode("utf-8"))


@given(st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True))
def test_a_name_that_is_already_a_slug_is_its_own_slug(name: str) -> None:
    from slugify import slugify as python_slugify

    assert slugify(name) == python_slugify(name) == name


@given(st.text(st.sampled_from(string.ascii_letters + string.digits + " _-'’‘`"), min_size=1))
def test_a_name_of_ascii_words_slugs_as_python_slugify_slugs_it(name: str) -> None:
    """`slugify` does without python-slugify for such names; apostrophes join words."""
    from slugify import slugify as python_slugify

    joined = re.sub("['’‘`]", "", name)
    assert slugify.__wrapped__(name) == python_slugify(joined)


def test_a_featured_image_url_that_cannot_be_parsed_is_ignored_with_a_warning(
    tmp_path: Path,
) -> None:
    """`http://[::1` passed `check` and then stopped `build` with an internal error."""
    from syndicate.build import load_site, write_feeds
    from syndicate.config import load_config

    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/a.md").write_text(
        '---\ntitle: A\ndate: 2024-01-02\nfeaturedImage: "http://[::1"\n---\nx\n'
    )
    (tmp_path / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n')
    site = load_site(load_config(tmp_path / "config.toml"), "2025-01-01T00:00:00Z", {})
    assert [p.message for p in site.report.problems] == [
        "featured image 'http://[::1' is not a usable URL; ignored"
    ]
    assert site.posts[0].image is None
    write_feeds(site.config, site)  # no exception


def test_an_id_that_is_no_absolute_iri_is_a_warning(site: SiteDir) -> None:
    path = site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\nid: fixed-guid-2\n---\nx\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\nguid: urn:uuid:1234\n---\nx\n")
    loaded = site.load()
    assert sorted(p.id for p in loaded.posts) == ["fixed-guid-2", "urn:uuid:1234"]  # kept
    [warning] = loaded.report.warnings
    assert warning.location == Location(path, 4)
    assert "id 'fixed-guid-2' is not an absolute IRI" in warning.message


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("description", "[a, b]", "a list"),
        ("summary", "{a: 1}", "a mapping"),
        ("description", "yes", "a true/false value"),
        ("featuredImageAlt", "[x]", "a list"),
    ],
)
def test_text_keys_holding_no_text_are_ignored_with_a_warning(
    site: SiteDir, key: str, value: str, kind: str
) -> None:
    text = f"---\ntitle: A\ndate: 2024-01-01\n{key}: {value}\n---\nThe first paragraph.\n"
    path = site.post("posts/a.md", text)
    loaded = site.load()
    [post] = loaded.posts  # published all the same
    assert post.description is None and post.excerpt == "The first paragraph."
    assert post.image_alt is None
    [warning] = loaded.report.problems
    assert warning.severity == "warning" and warning.location == Location(path, 4)
    assert warning.message == f"{key} must be text, got {kind}; it was ignored"


def test_a_number_is_text_to_description_slug_and_id(site: SiteDir) -> None:
    site.post(
        "posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ndescription: 42\nslug: 2024\n---\nx\n"
    )
    image = "featuredImage: https://e.org/a.jpg\nfeaturedImageAlt: 3"
    site.post("posts/b.md", f"---\ntitle: B\ndate: 2024-01-02\nid: 17\n{image}\n---\nx\n")
    loaded = site.load()
    a, b = sorted(loaded.posts, key=lambda p: p.title)
    assert (a.description, a.slug, b.id, b.image_alt) == ("42", "2024", "17", "3")


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("slug", "[a]", "a list"),
        ("slug", "no", "a true/false value"),
        ("guid", "{a: 1}", "a mapping"),
    ],
)
def test_a_slug_or_id_that_is_no_text_is_an_error(
    site: SiteDir, key: str, value: str, kind: str
) -> None:
    # A slug or id passed over would publish the post under another address or identity.
    path = site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\n{key}: {value}\n---\nx\n")
    loaded = site.load()
    assert loaded.posts == []
    [error] = loaded.report.errors
    assert error.location == Location(path, 4)
    assert error.message == f"{key} must be text, got {kind}"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("featuredImage: 5", "featuredImage must be a path or URL, got a number (5)"),
        ("cover: true", "cover must be a path or URL, got a true/false value"),
        ("image: [a.jpg, b.jpg]", "image must be a path or URL, got a list"),
        ("images: 7", "images must be a list of paths or URLs, got a number (7)"),
    ],
)
def test_an_image_key_that_names_no_image_is_a_warning(
    site: SiteDir, line: str, message: str
) -> None:
    path = site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\n{line}\n---\nx\n")
    loaded = site.load()
    [post] = loaded.posts
    assert post.image is None
    [warning] = loaded.report.problems
    assert warning.location == Location(path, 4)
    assert warning.message == f"{message}; it was ignored"


def test_a_themes_cover_mapping_without_an_image_is_no_problem(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ncover:\n  hidden: true\n---\nx\n")
    assert not site.load().report.problems
