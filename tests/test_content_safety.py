"""Content that must not escape the site, stop the build, or be published as something it is
not: links outside the site, dates and names beyond what feeds and file systems hold, FIFOs,
huge posts, media, root-relative links, Hugo's `images`, every problem at its line, and ids of
posts that share a slug."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import Site, write_feeds
from syndicate.config import load_config
from syndicate.urls import UrlResolver

from .conftest import REPO, RunCli, SiteDir, bare_post, examples

POST = "---\ntitle: {title}\ndate: 2024-01-01\n---\nBody of {title}.\n"


def messages(site: Site, severity: str = "warning") -> list[str]:
    return [str(p) for p in site.report.problems if p.severity == severity]


# --- 1. nothing outside the site is read or published -----------------------------------------


def test_symlinked_folder_outside_the_site_is_not_walked(site: SiteDir, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(POST.format(title="Secret"), encoding="utf-8")
    os.symlink(outside, site.root / "content/posts/elsewhere")
    site.post("posts/a.md", POST.format(title="A"))
    loaded = site.load()
    assert [p.title for p in loaded.posts] == ["A"]
    [warning] = [m for m in messages(loaded) if "outside the site" in m]
    assert "posts/elsewhere" in warning and "follow_links_outside" in warning


def test_symlinked_post_outside_the_site_is_not_published(site: SiteDir, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(POST.format(title="Secret"), encoding="utf-8")
    os.symlink(secret, site.root / "content/posts/linked.md")
    loaded = site.load()
    assert loaded.posts == []
    assert any("linked.md" in m and "outside the site" in m for m in messages(loaded))


def test_links_inside_the_site_are_followed_and_outside_ones_when_allowed(
    site: SiteDir, tmp_path: Path
) -> None:
    shared = site.root / "shared"
    shared.mkdir()
    (shared / "inside.md").write_text(POST.format(title="Inside"), encoding="utf-8")
    os.symlink(shared, site.root / "content/posts/shared")
    outside = tmp_path / "outside.md"
    outside.write_text(POST.format(title="Outside"), encoding="utf-8")
    os.symlink(outside, site.root / "content/posts/outside.md")
    assert [p.title for p in site.load().posts] == ["Inside"]
    site.config(
        replace=site.config_text.replace("[site]\n", "[site]\nfollow_links_outside = true\n")
    )
    assert sorted(p.title for p in site.load().posts) == ["Inside", "Outside"]


def test_featured_image_outside_the_site_publishes_no_size(site: SiteDir, tmp_path: Path) -> None:
    (tmp_path / "outside.jpg").write_bytes(b"x" * 4321)
    os.symlink(tmp_path / "outside.jpg", site.root / "static/linked.jpg")
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\nfeaturedImage: ../../../outside.jpg\n---\nx\n",
    )
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\nimage: /linked.jpg\n---\nx\n")
    loaded = site.load()
    assert [p.image for p in loaded.posts] == [None, None]
    config = site.load_config()
    write_feeds(config, loaded)
    rss = (config.output_dir / "rss.xml").read_bytes()
    assert b"enclosure" not in rss and b"4321" not in rss


# --- 2. crashes that lost the whole build ------------------------------------------------------


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_dates_no_time_zone_can_hold_skip_the_post_with_its_line(site: SiteDir, when: str) -> None:
    path = site.post("posts/bad.md", f"---\ntitle: Bad\ndate: {when}\n---\nx\n")
    site.post("posts/good.md", POST.format(title="Good"))
    loaded = site.load()
    assert [p.title for p in loaded.posts] == ["Good"]
    [error] = loaded.report.errors
    assert error.location is not None and (error.location.path, error.location.line) == (path, 3)
    assert "too close to the year 1 or 9999" in error.message


def test_a_far_future_expiry_date_is_still_a_date(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\nexpiryDate: 9999-12-31\n---\nx\n")
    [post] = site.load().posts
    assert post.expires is not None and post.expires.year == 9999


def test_long_term_slugs_are_cut_to_180_bytes_and_a_stable_hash(site: SiteDir) -> None:
    from syndicate.content.loader import term_slug

    name = "word " * 80
    slug = term_slug(name)
    full = "-".join(["word"] * 80)
    assert slug == full[:180] + "-" + hashlib.sha256(full.encode()).hexdigest()[:8]
    assert len(slug.encode()) == 189
    path = site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\ntags: [{name}]\n---\nx\n")
    loaded = site.load()
    config = site.load_config()
    write_feeds(config, loaded)
    assert (config.output_dir / "tags" / slug / "rss.xml").is_file()
    [warning] = [p for p in loaded.report.warnings if "URL segment" in p.message]
    assert warning.location is not None and warning.location == type(warning.location)(path, 4)


def test_relative_link_with_an_overlong_segment_keeps_its_href(site: SiteDir) -> None:
    long = "a" * 300
    site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\n---\n[x]({long}.html)\n")
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    assert f'href="https://blog.example.com/posts/a/{long}.html"' in html


def test_a_fifo_named_md_is_skipped_with_a_warning(site: SiteDir) -> None:
    os.mkfifo(site.root / "content/posts/pipe.md")
    site.post("posts/a.md", POST.format(title="A"))
    result: list[Site] = []
    worker = threading.Thread(target=lambda: result.append(site.load()), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "loading the site blocked on the FIFO"
    [loaded] = result
    assert [p.title for p in loaded.posts] == ["A"]
    assert any("pipe.md" in m and "not a regular file" in m for m in messages(loaded))


def test_a_post_over_1_mb_goes_into_feeds_as_its_summary_only(site: SiteDir) -> None:
    body = "First paragraph.\n\n" + ("word " * 250_000)
    path = site.post("posts/big.md", f"---\ntitle: Big\ndate: 2024-01-01\n---\n{body}")
    site.post("posts/small.md", POST.format(title="Small"))
    loaded = site.load()
    by_title = {p.title: p for p in loaded.posts}
    assert by_title["Big"].summary_only and not by_title["Small"].summary_only
    [warning] = [p for p in loaded.report.warnings if "over 1 MB" in p.message]
    assert warning.location is not None and warning.location.path == path


@pytest.mark.slow
def test_a_post_over_1_mb_without_a_summary_is_still_not_copied_whole(site: SiteDir) -> None:
    site.post(
        "posts/big.md", "---\ntitle: Big\ndate: 2024-01-01\n---\n# Head\n\n" + "- item\n" * 200_000
    )
    loaded = site.load()
    config = site.load_config()
    write_feeds(config, loaded)
    assert (config.output_dir / "rss.xml").stat().st_size < 20_000


def test_at_most_100_terms_per_grouping_per_post(site: SiteDir) -> None:
    tags = ", ".join(f"t{i}" for i in range(150))
    path = site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\ntags: [{tags}]\n---\nx\n")
    loaded = site.load()
    [post] = loaded.posts
    assert post.tags == tuple(f"t{i}" for i in range(100))
    [warning] = [p for p in loaded.report.warnings if "only the first 100" in p.message]
    assert warning.location is not None and (warning.location.path, warning.location.line) == (
        path,
        4,
    )


def test_a_hostile_site_is_checked_and_built_without_a_traceback(
    site: SiteDir, tmp_path: Path, run_cli: RunCli
) -> None:
    site.config()
    site.post("posts/early.md", "---\ntitle: E\ndate: 0001-01-01T00:00:00+05:00\n---\nx\n")
    site.post("posts/late.md", "---\ntitle: L\ndate: 9999-12-31T23:59:59-05:00\n---\nx\n")
    site.post("posts/tag.md", f"---\ntitle: T\ndate: 2024-01-02\ntags: [{'x' * 400}]\n---\nx\n")
    site.post("posts/link.md", f"---\ntitle: K\ndate: 2024-01-03\n---\n[a]({'b' * 300})\n")
    site.post("posts/good.md", POST.format(title="Good"))
    os.mkfifo(site.root / "content/posts/pipe.md")
    for command in ("check", "build"):
        done = run_cli(command, "--now", "2024-11-20T12:00:00Z", cwd=site.root)
        output = done.stdout + done.stderr
        assert "Traceback" not in output and done.returncode in (0, 1), output
        assert "early.md:3" in output and "late.md:3" in output
    for feed in (site.root / "public").rglob("*.xml"):
        etree.parse(str(feed))


# --- 3. content -------------------------------------------------------------------------------


MEDIA = """\
<video src="clip.mp4" poster="poster.jpg" autoplay onplay="steal()" controls width="640">
<source src="/media/clip.webm" type="video/webm">
<track src="subs.vtt" kind="subtitles" srclang="en" label="English">
</video>

<audio src="song.mp3" controls autoplay></audio>

<picture><source srcset="a.avif 1x, b.avif 2x" type="image/avif"><img src="a.jpg" alt="A"></picture>
"""


def test_media_elements_are_kept_sanitized_with_absolute_urls(site: SiteDir) -> None:
    site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\n---\n{MEDIA}")
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    page = "https://blog.example.com/posts/a/"
    for fragment in (
        f'<video src="{page}clip.mp4" poster="{page}poster.jpg"',
        '<source src="https://blog.example.com/media/clip.webm" type="video/webm">',
        f'<track src="{page}subs.vtt" kind="subtitles" srclang="en" label="English">',
        f'<audio src="{page}song.mp3" controls',
        f'<source srcset="{page}a.avif 1x, {page}b.avif 2x" type="image/avif">',
        f'<img src="{page}a.jpg" alt="A">',
    ):
        assert fragment in html
    assert "autoplay" not in html and "onplay" not in html and "steal" not in html


def test_a_markdown_link_keeps_every_scheme_the_readme_lists_and_loses_the_others(
    site: SiteDir,
) -> None:
    """mistune's own check knew eight schemes and wrote any other as `#harmful-link`, which the
    resolver made a link to the post itself; the sanitizer alone decides now."""
    from syndicate.content.markdown import URL_SCHEMES

    links = " ".join(f"[{scheme}]({scheme}:x)" for scheme in sorted(URL_SCHEMES))
    body = f"{links} [j](javascript:alert(1)) [v](vbscript:x) ![i](javascript:x)\n"
    site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\n---\n{body}")
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    for scheme in URL_SCHEMES:
        assert f'<a href="{scheme}:x">{scheme}</a>' in html
    assert ' j v <img alt="i">' in html  # the text alone, no link to anything
    assert "harmful" not in html and "script" not in html
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = readme.split("a link keeps its URL when its", 1)[1].split(".", 1)[0]
    assert set(re.findall(r"`([a-z]+)`", listed)) == URL_SCHEMES


NOSCRIPT = """<script src="https://asciinema.org/a/1.js" async></script>
<noscript><a href="https://asciinema.org/a/1">See the example in asciinema</a></noscript>

<script>track()</script>

<NoScript><img height="1" width=1 style="display:none"
src="https://tracker.example.net/tr?id=1"/><img src="cover.jpg" alt="Cover"></NoScript>

<noscript><p>Never closed
"""


def test_what_a_noscript_shows_where_scripts_do_not_run_is_kept_less_tracking_pixels(
    site: SiteDir,
) -> None:
    """Feed readers run no scripts: a `<noscript>`'s content is what readers should get (a link
    to the asciinema recording a script would have played), but not the 1-by-1 image an
    analytics snippet puts there."""
    site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\n---\n{NOSCRIPT}")
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    assert '<a href="https://asciinema.org/a/1">See the example in asciinema</a>' in html
    assert '<img src="https://blog.example.com/posts/a/cover.jpg" alt="Cover">' in html
    assert "tracker" not in html and "track()" not in html and "script" not in html.lower()
    assert "Never closed" not in html and "&lt;" not in html  # never as escaped markup


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value) for name, value in attrs)


@settings(max_examples=examples(150), deadline=None)
@given(
    st.text(max_size=40),
    st.sampled_from(["video", "audio", "source", "track", "picture"]),
    st.sampled_from(["src", "poster", "srcset", "onerror", "autoplay", "style", "formaction"]),
)
def test_media_attributes_never_run_anything(value: str, tag: str, attr: str) -> None:
    from syndicate.content.markdown import Renderer

    resolver = UrlResolver("https://e.org/", Path("/nonexistent/static"))
    renderer = Renderer(resolver, ())
    post = bare_post()
    quoted = value.replace("&", "&amp;").replace('"', "&quot;")
    html = renderer.sanitize(f'<{tag} {attr}="{quoted}" controls></{tag}>', post)
    assert html.startswith(f"<{tag}"), "media are kept, not removed"
    parser = _Attributes()
    parser.feed(html)
    for _, name, found in parser.found:
        assert name not in ("autoplay", "style", "formaction") and not name.startswith("on")
        if name in ("src", "poster") and found:
            assert found.startswith(("https://", "http://", "mailto:", "tel:")), found


def test_root_relative_link_resolves_as_a_browser_does(site: SiteDir) -> None:
    site.config(replace=site.config_text.replace("blog.example.com/", "example.org/blog/"))
    site.static("x.jpg")
    site.post(
        "posts/a.md",
        "---\ntitle: A\ndate: 2024-01-01\n---\n[about](/about/) ![x](/blog/x.jpg) [up](../b/)\n",
    )
    loaded = site.load()
    html = loaded.renderer.html(loaded.posts[0])
    assert 'href="https://example.org/about/"' in html
    assert 'src="https://example.org/blog/x.jpg"' in html
    assert 'href="https://example.org/blog/posts/b/"' in html
    resolver = UrlResolver("https://example.org/blog/", site.root / "static")
    page = "https://example.org/blog/posts/a/"
    found = resolver.resolve("/blog/x.jpg", site.root / "content/posts/a.md", page)
    assert found.path == site.root / "static/x.jpg"


@given(st.from_regex(r"/[A-Za-z0-9._~%!$&'()*+,;=:@/-]{0,30}(\?[a-z=&]{0,10})?", fullmatch=True))
def test_every_root_relative_reference_resolves_by_rfc_3986(ref: str) -> None:
    if ref.startswith("//"):
        return
    page = "https://example.org/blog/posts/a/"
    resolver = UrlResolver("https://example.org/blog/", Path("/nonexistent/static"))
    assert resolver.resolve(ref, Path("/nonexistent/a.md"), page).url == urljoin(page, ref)


def test_hugo_images_are_a_page_resource_first_then_a_static_file(site: SiteDir) -> None:
    site.static("cover.jpg")
    bundled = site.post(
        "posts/bundle/index.md", "---\ntitle: B\ndate: 2024-01-01\nimages: [cover.jpg]\n---\nx\n"
    )
    (bundled.parent / "cover.jpg").write_bytes(b"bundle image")
    site.post(
        "posts/empty/index.md", "---\ntitle: E\ndate: 2024-01-02\nimages: [cover.jpg]\n---\nx\n"
    )
    site.post("posts/plain.md", "---\ntitle: P\ndate: 2024-01-03\nimages: [cover.jpg]\n---\nx\n")
    loaded = site.load()
    images = {p.title: p.image for p in loaded.posts}
    static = (site.root / "static/cover.jpg", "https://blog.example.com/cover.jpg")
    assert images["B"] is not None and images["B"].path == bundled.parent / "cover.jpg"
    assert images["B"].url == "https://blog.example.com/posts/bundle/cover.jpg"
    for title in ("E", "P"):
        image = images[title]
        assert image is not None and (image.path, image.url) == static


def test_hugo_images_with_a_leading_slash_are_under_the_host_as_absurl_makes_them(
    site: SiteDir,
) -> None:
    site.config(replace=site.config_text.replace("blog.example.com/", "example.org/blog/"))
    site.static("cover.jpg")
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\nimages: [/blog/cover.jpg]\n---\nx\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\nimages: [cover.jpg]\n---\nx\n")
    images = {p.title: p.image for p in site.load().posts}
    for title in ("A", "B"):
        image = images[title]
        assert image is not None and image.url == "https://example.org/blog/cover.jpg"
        assert image.path == site.root / "static/cover.jpg"


# --- 4. every problem of every file, at the line of its key -----------------------------------


def test_every_problem_of_a_file_is_reported_at_the_line_of_its_key(site: SiteDir) -> None:
    path = site.post(
        "posts/a.md",
        "---\ntitle:\ndate: 2024-01-01\ntags: {a: 1}\ndraft: maybe\n"
        "featuredImage: nope.jpg\n---\nx\n",
    )
    loaded = site.load()
    found = {
        (p.severity, p.location.line, p.message.split(":")[0])
        for p in loaded.report.problems
        if p.location is not None and p.location.path == path
    }
    assert found == {
        ("error", 2, "missing title"),
        ("error", 4, "tags"),
        ("error", 5, "draft"),
        ("warning", 6, "featured image not found"),
    }
    assert loaded.posts == []


def test_a_missing_date_points_at_the_front_matter_and_toml_keys_have_lines(
    site: SiteDir,
) -> None:
    path = site.post("posts/a.toml.md", '+++\ntitle = "A"\ndate = 2024-01-01\ndraft = 3\n+++\nx\n')
    other = site.post("posts/b.md", "---\ntitle: B\n---\nx\n")
    loaded = site.load()
    lines = {(p.location.path, p.location.line) for p in loaded.report.errors if p.location}
    assert lines == {(path, 4), (other, 1)}


def test_an_empty_date_an_open_toml_list_and_a_bad_offset_are_said_at_their_line(
    site: SiteDir,
) -> None:
    """`date:` with no value was "missing date" at line 1; a TOML list left open, at line 1;
    an offset of +25:00 was Python's words (`offset must be a timedelta strictly between
    -timedelta(hours=24)...`)."""
    empty = site.post("posts/e.md", "---\ntitle: E\ndate:\n---\nx\n")
    toml = site.post("posts/t.md", '+++\ntitle = "T"\ndate = 2024-01-01\ntags = ["a",\n+++\nx\n')
    offset = site.post("posts/o.md", "---\ntitle: O\ndate: 2024-11-01T10:00:00+25:00\n---\nx\n")
    said = {
        p.location.path: (p.location.line, p.message, p.hint)
        for p in site.load().report.errors
        if p.location
    }
    assert said[empty] == (3, "date is empty", "write it: `date: 2024-03-01T09:00:00+01:00`")
    assert said[toml][:2] == (4, "invalid TOML front matter: Invalid value (at end of document)")
    assert said[toml][2] == "a `[`, `{` or quote above is not closed"
    assert said[offset][:2] == (
        3,
        "invalid YAML front matter: a time zone offset is out of range (from -23:59 to +23:59)",
    )


def test_duplicate_permalink_is_reported_at_the_line_of_slug(site: SiteDir) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n")
    second = site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\nslug: a\n---\nx\n")
    [error] = site.load().report.errors
    assert error.location is not None and (error.location.path, error.location.line) == (second, 4)


def test_check_reports_names_that_slugify_alike_at_their_line(
    site: SiteDir, run_cli: RunCli
) -> None:
    site.config()
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [Python]\n---\nx\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\ntags: [Python]\n---\nx\n")
    site.post("posts/c.md", "---\ntitle: C\ndate: 2024-01-03\nseries: x\ntags:\n- python\n---\nx\n")
    done = run_cli("check", "--now", "2024-11-20T12:00:00Z", cwd=site.root)
    output = " ".join((done.stdout + done.stderr).split())  # the terminal may wrap long lines
    assert (
        "c.md:5: warning: tags: 'python' and 'Python' are the same term (python); using 'Python'"
        in output
    ), output


# --- 5. ids of posts that share a slug ---------------------------------------------------------


def test_same_slug_in_two_sections_the_later_post_gets_a_section_suffix(site: SiteDir) -> None:
    site.config('\n[feeds]\nid = "tag"\n')
    site.post("posts/hello.md", "---\ntitle: Old\ndate: 2024-01-01T08:00:00Z\n---\nx\n")
    site.post("notes/hello.md", "---\ntitle: New\ndate: 2024-01-01T20:00:00Z\n---\nx\n")
    loaded = site.load()
    assert not loaded.report.errors
    ids = {p.title: p.id for p in loaded.posts}
    assert ids == {
        "Old": "tag:blog.example.com,2024-01-01:hello",
        "New": "tag:blog.example.com,2024-01-01:hello-notes",
    }


def test_same_slug_and_permalink_pattern_without_section(site: SiteDir) -> None:
    site.config(replace=site.config_text.replace("/{section}/{slug}/", "/{slug}/"))
    site.post("posts/hello.md", "---\ntitle: Old\ndate: 2024-01-01\n---\nx\n")
    site.post("notes/hello.md", "---\ntitle: Same day\ndate: 2024-01-01\n---\nx\n")
    site.post("posts/given.md", "---\ntitle: Given\ndate: 2024-02-01\nid: fixed\n---\nx\n")
    site.post("notes/given.md", "---\ntitle: Given2\ndate: 2024-02-02\nid: fixed\n---\nx\n")
    loaded = site.load()
    links = {p.title: (p.permalink, p.id) for p in loaded.posts}
    # Equal dates: by path, and content/notes/ sorts before content/posts/.
    assert links["Same day"] == ("https://blog.example.com/hello/",) * 2
    assert links["Old"] == ("https://blog.example.com/hello-posts/",) * 2
    # An id written in the front matter is never changed: the later post is skipped.
    assert "Given2" not in links and links["Given"][1] == "fixed"
    [error] = loaded.report.errors
    assert error.location is not None and error.location.line == 4  # the `id:` line


def test_the_fixture_sites_published_ids_are_unchanged(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "feedsite"
    shutil.copytree(REPO / "tests/fixtures/feedsite", root)
    from syndicate.build import load_site

    loaded = load_site(load_config(root / "config.toml"), now="2024-11-20T12:00:00Z", env={})
    ids = {p.id for p in loaded.posts}
    golden = REPO / "tests/golden/feedsite"
    published = {g.text for g in etree.parse(str(golden / "rss.xml")).iter("guid")}
    atom = etree.parse(str(golden / "atom.xml"))
    published |= {e.text for e in atom.iterfind("{*}entry/{*}id")}
    assert len(published) >= 3 and published <= ids


# --- properties of the parsing added here ------------------------------------------------------


@settings(max_examples=examples(100), deadline=None)
@given(
    st.lists(
        st.from_regex(r"[a-z_][a-z0-9_-]{0,12}", fullmatch=True),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    st.sampled_from(["yaml", "toml", "json"]),
)
def test_every_front_matter_key_is_found_on_its_line(keys: list[str], kind: str) -> None:
    from syndicate.content.loader import KeyLines

    if kind == "yaml":
        head = "---\n" + "".join(f"{k}: value {i}\n" for i, k in enumerate(keys)) + "---\n"
    elif kind == "toml":
        head = "+++\n" + "".join(f'{k} = "v{i}"\n' for i, k in enumerate(keys)) + "+++\n"
    else:
        head = "{\n" + ",\n".join(f'  "{k}": {i}' for i, k in enumerate(keys)) + "\n}\n"
    lines = KeyLines(head, kind)
    assert [lines.of(k) for k in keys] == list(range(2, len(keys) + 2))
    assert lines.of("not-a-key-here") is None


@given(st.text(max_size=400))
def test_term_slugs_always_fit_a_folder_name_and_never_change(name: str) -> None:
    from syndicate.content.loader import term_slug

    slug = term_slug(name)
    assert len(slug.encode("utf-8")) <= 200
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    term_slug.cache_clear()
    assert term_slug(name) == slug


def test_a_section_suffix_survives_the_next_build_from_the_cache(
    site: SiteDir, run_cli: RunCli
) -> None:
    site.config(replace=site.config_text.replace("/{section}/{slug}/", "/{slug}/"))
    site.post("posts/hello.md", "---\ntitle: Old\ndate: 2024-01-01\n---\nold\n")
    newer = site.post("notes/hello.md", "---\ntitle: New\ndate: 2024-02-01\n---\nnew\n")
    for path in site.root.rglob("*.md"):
        os.utime(path, (1_700_000_000, 1_700_000_000))

    def build() -> list[str]:
        done = run_cli("build", "--now", "2024-11-20T12:00:00Z", cwd=site.root)
        assert done.returncode == 0, done.stderr
        rss = etree.parse(str(site.root / "public/rss.xml"))
        return sorted(g.text or "" for g in rss.iter("guid"))

    expected = ["https://blog.example.com/hello-notes/", "https://blog.example.com/hello/"]
    assert build() == expected
    newer.write_text("---\ntitle: New\ndate: 2024-02-01\n---\nnew, edited\n", encoding="utf-8")
    os.utime(newer, (1_700_000_100, 1_700_000_100))
    assert build() == expected  # an edit of the body alone: the build the cache allows
