"""Section feeds at any depth (`[feeds.addresses]` `nested = true`): one file per section a
post's generator files it in (`Post.feed_sections`), as Hugo's and Zola's section feeds list
their pages; `{section}` is the section's whole path."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import feedparser
import pytest

from syndicate.build import load_site
from syndicate.config import load_config
from syndicate.errors import Report
from syndicate.feeds.channels import build_taxonomy
from syndicate.incremental.cache import membership, post_row
from syndicate.model import Post
from syndicate.sites import PostRules, SiteSettings

from .conftest import NOW, REPO, RunCli
from .test_addresses import feedsite, problems_of
from .test_sites_hugo import BASE, make_site, post, settings_of
from .test_sites_zola import BASE as ZOLA_BASE
from .test_sites_zola import page as zola_page
from .test_sites_zola import write as zola_write

FIXTURES = REPO / "tests/fixtures/sites"
BUILT = "2026-11-29T00:00:00+00:00"  # when the generators built the fixtures
NESTED = '"{section}/index.xml" = {feed = "sections", format = "rss", limit = 0, nested = true}\n'


def _posts(root: Path) -> tuple[Any, list[Post]]:
    config = load_config(root / "config.toml")
    return config, list(load_site(config, now=NOW, env={}).posts)


def _filed(posts: list[Post], where: dict[str, tuple[str, ...]]) -> list[Post]:
    """The posts, each filed in the sections `where` gives for its file's stem."""
    return [dataclasses.replace(p, feed_sections=where.get(p.source.stem, ())) for p in posts]


def _files(config: Any, posts: list[Post]) -> dict[str, list[str]]:
    report = Report()
    addresses = build_taxonomy(config, posts, report).addresses
    assert not report.errors
    return {a.path: [p.source.stem for p in a.channel.posts] for a in addresses}


# --- configuration ---------------------------------------------------------------------------


def test_nested_is_refused_on_a_feed_that_is_not_sections(tmp_path: Path) -> None:
    root = feedsite(tmp_path, '[feeds.addresses]\n"t/{term}.xml" = {feed = "tags", format = '
                    '"rss", nested = true}\n')  # fmt: skip
    problems = problems_of(root / "config.toml")
    assert any(
        'feeds.addresses."t/{term}.xml": `nested` is for "sections" feeds, not "tags"' in p
        for p in problems
    ), problems


def test_nested_must_be_true_or_false(tmp_path: Path) -> None:
    root = feedsite(tmp_path, '[feeds.addresses]\n"{section}.xml" = {feed = "sections", format = '
                    '"rss", nested = "yes"}\n')  # fmt: skip
    problems = problems_of(root / "config.toml")
    assert any('feeds.addresses."{section}.xml".nested: expected true or false' in p
               for p in problems), problems  # fmt: skip


def test_one_section_named_in_terms_may_have_an_address_without_section(
    tmp_path: Path,
) -> None:
    """Hugo moves a section's feed with `permalinks.section` or its page's `url`: init writes
    that one section's address as it is, which the config must accept."""
    one = '"articles/index.xml" = {feed = "sections", format = "rss", nested = true, '
    root = feedsite(tmp_path, f'[feeds.addresses]\n{one}terms = ["posts"]}}\n')
    config, posts = _posts(root)
    assert _files(config, posts) == {"articles/index.xml": ["third", "second", "first", "fourth"]}
    two = feedsite(tmp_path, f'[feeds.addresses]\n{one}terms = ["posts", "news"]}}\n', "two")
    assert any("needs {section} exactly once" in p for p in problems_of(two / "config.toml"))


def test_a_hugo_section_moved_by_permalinks_is_served_at_its_address(
    tmp_path: Path, run_cli: RunCli
) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[permalinks.section]\nposts = "/articles/"\n',
            "content/posts/a.md": post("A"),
            "content/posts/guides/_index.md": "---\ntitle: Guides\n---\n",
            "content/posts/guides/b.md": post("B", date="2024-01-03"),
        },
    )
    init = run_cli("init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert "the feeds of the sections inside 'posts' are where Hugo's" in init.stdout
    build = run_cli("build", "--now", BUILT, cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    parsed = feedparser.parse((tmp_path / "public/articles/index.xml").read_bytes())
    assert [e.link for e in parsed.entries] == ["https://example.org/posts/a/"]


# --- which posts each file holds -------------------------------------------------------------


def test_without_a_generator_a_post_is_filed_in_its_top_level_section(tmp_path: Path) -> None:
    _, posts = _posts(feedsite(tmp_path))
    assert {p.source.stem: p.feed_sections for p in posts} == {
        "first": ("posts",),
        "second": ("posts",),
        "third": ("posts",),
        "fourth": ("posts",),
        "launch": ("news",),
    }


def test_a_nested_address_has_a_file_per_section_holding_its_own_posts(tmp_path: Path) -> None:
    root = feedsite(tmp_path, "[feeds.addresses]\n" + NESTED)
    config, posts = _posts(root)
    filed = _filed(
        posts,
        {
            "first": ("posts",),
            "second": ("posts/guides",),
            "third": ("posts/guides/deep",),
            "fourth": ("posts/guides",),
            "launch": ("news",),
        },
    )
    # Each holds the posts filed in it, newest first, and none of a section inside it.
    assert _files(config, filed) == {
        "news/index.xml": ["launch"],
        "posts/index.xml": ["first"],
        "posts/guides/index.xml": ["second", "fourth"],
        "posts/guides/deep/index.xml": ["third"],
    }


def test_a_post_may_be_in_several_sections_feeds(tmp_path: Path) -> None:
    """Zola: a page is in its section's pages and, through a transparent section, in the one
    above it too."""
    root = feedsite(tmp_path, "[feeds.addresses]\n" + NESTED)
    config, posts = _posts(root)
    filed = _filed(posts, {"second": ("posts/old", "posts"), "first": ("posts",)})
    assert _files(config, filed) == {
        "posts/index.xml": ["second", "first"],
        "posts/old/index.xml": ["second"],
    }


def test_each_folder_of_a_section_path_is_named_as_the_generator_writes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = feedsite(tmp_path, "[feeds.addresses]\n" + NESTED)
    config, posts = _posts(root)
    filed = _filed(posts, {"first": ("Posts/Case Studies",), "launch": ("news",)})
    # Without a generator: syndicate's slug of each folder.
    assert set(_files(config, filed)) == {"posts/case-studies/index.xml", "news/index.xml"}
    settings = SiteSettings("jekyll", root, (), {}, PostRules("jekyll"), {})
    calls: list[tuple[str, str]] = []

    def address_name(name: str, kind: str, given: SiteSettings) -> str:
        calls.append((name, kind))
        return name.upper()

    module = SimpleNamespace(address_name=address_name, feed_order=list)
    monkeypatch.setattr("syndicate.sites.generator", lambda _: module)
    config = dataclasses.replace(config, generator=settings)
    assert set(_files(config, filed)) == {"POSTS/CASE STUDIES/index.xml", "NEWS/index.xml"}
    assert ("Posts", "sections") in calls and ("Case Studies", "sections") in calls


def test_terms_name_section_paths_and_a_section_without_posts_gets_an_empty_file(
    tmp_path: Path,
) -> None:
    table = NESTED.replace("nested = true", 'nested = true, terms = ["posts/guides", "a/Later"]')
    root = feedsite(tmp_path, "[feeds.addresses]\n" + table)
    config, posts = _posts(root)
    filed = _filed(posts, {"first": ("posts",), "second": ("posts/guides",)})
    assert _files(config, filed) == {"posts/guides/index.xml": ["second"], "a/later/index.xml": []}


def test_a_nested_address_leaves_the_top_level_sections_grouping_as_it_is(
    tmp_path: Path,
) -> None:
    plain = '"all/{section}.xml" = {feed = "sections", format = "rss", limit = 0}\n'
    root = feedsite(tmp_path, "[feeds.addresses]\n" + NESTED + plain)
    config, posts = _posts(root)
    filed = _filed(posts, {"first": ("posts",), "second": ("posts/guides",)})
    files = _files(config, filed)
    assert files["all/posts.xml"] == ["third", "second", "first", "fourth"]
    assert files["posts/index.xml"] == ["first"]


def test_the_sections_a_post_is_filed_in_decide_its_cached_membership(tmp_path: Path) -> None:
    _, posts = _posts(feedsite(tmp_path))
    moved = dataclasses.replace(posts[0], feed_sections=("posts/guides",))
    assert membership(post_row(moved)) != membership(post_row(posts[0]))


# --- Hugo: real Hugo 0.168's feeds (tests/fixtures/sites/hugo/nats-nested) --------------------


def _site(fixture: str, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / fixture / "site", site)
    return site


def test_hugo_files_a_page_in_its_nearest_section(tmp_path: Path) -> None:
    """The deepest folder above the page with an `_index` file; a folder without one is not
    a section (https://gohugo.io/content-management/sections/)."""
    site = _site("hugo/nats-nested", tmp_path)
    (site / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    config = load_config(site / "syndicate.toml")
    posts = load_site(config, now=BUILT, env={}, use_cache=False).posts
    filed = {p.source.relative_to(site / "content").as_posix(): p.feed_sections for p in posts}
    assert filed["blog/cybervet.md"] == ("blog",)
    assert filed["blog/notes/gophercon-2017.md"] == ("blog",)
    assert filed["blog/archive/2018-year-review-upcoming-2019.md"] == ("blog",)
    assert filed["blog/archive/2016/microonnats.md"] == ("blog/archive/2016",)
    assert filed["blog/guides/jetstream-java-client-01-stream-create/index.md"] == ("blog/guides",)
    assert filed["blog/guides/advanced/jetstream-java-client-05-pull-subscribe.md"] == (
        "blog/guides/advanced",
    )
    finance = "blog/Case Studies/finance"
    assert filed[f"{finance}/nats-and-nextgenleads-auctions.md"] == (finance,)
    # The section page of talks/ sets `outputs` without RSS: no section feed lists its post.
    assert filed["blog/talks/cli-benchmark.md"] == ()


@pytest.mark.parametrize(
    ("index", "english", "french"),
    [  # as hugo 0.168 listed them: /posts/guides/index.xml, /fr/posts/guides/index.xml
        ("_index.fr.md", ("posts",), ("posts/guides",)),
        ("_index.md", ("posts/guides",), ("posts",)),
    ],
)
def test_a_hugo_section_page_makes_a_section_in_its_own_language_only(
    tmp_path: Path, index: str, english: tuple[str, ...], french: tuple[str, ...]
) -> None:
    files = {
        "hugo.toml": BASE + 'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n'
        "[languages.fr]\nweight = 2\n",
        f"content/posts/guides/{index}": "---\ntitle: G\n---\n",
        "content/posts/guides/a.md": post("A"),
        "content/posts/guides/a.fr.md": post("A fr"),
    }
    make_site(tmp_path, files)
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    config = load_config(tmp_path / "syndicate.toml")
    posts = load_site(config, now=BUILT, env={}, use_cache=False).posts
    assert {p.source.name: p.feed_sections for p in posts} == {
        "a.md": english,
        "a.fr.md": french,
    }


def test_a_hugo_section_has_a_feed_as_the_configs_outputs_and_cascade_say(
    tmp_path: Path,
) -> None:
    """opentelemetry.io: `outputs.section` without RSS, a config cascade giving /blog one, its
    posts in year sections. As hugo 0.168 built it: blog/index.xml (a), news/2023/index.xml
    (d), no blog/2024, notes or news feed."""
    files = {
        "hugo.yaml": "baseURL: https://example.org/\ntitle: T\n"
        "params: {mainSections: [blog, notes, news]}\noutputs: {section: [html]}\ncascade:\n"
        "  - outputs: [html, rss]\n    target: {kind: section, path: '/{blog,news/*}'}\n",
        "content/blog/2024/_index.md": "---\ntitle: Y\n---\n",
        "content/news/2023/_index.md": "---\ntitle: Y\n---\n",
        "content/blog/a.md": post("a"),
        "content/blog/2024/b.md": post("b"),
        "content/notes/c.md": post("c"),
        "content/news/2023/d.md": post("d"),
    }
    make_site(tmp_path, files)
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    config = load_config(tmp_path / "syndicate.toml")
    posts = load_site(config, now=BUILT, env={}, use_cache=False).posts
    assert {p.source.stem: p.feed_sections for p in posts} == {
        "a": ("blog",),
        "b": (),
        "c": (),
        "d": ("news/2023",),
    }


@pytest.mark.slow
def test_every_hugo_section_feed_holding_posts_is_served_as_hugo_listed_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Each section feed real Hugo wrote, at any depth, with its items in Hugo's order; and
    no section feed Hugo did not write (its empty ones are left to it)."""
    site = _site("hugo/nats-nested", tmp_path)
    assert run_cli("init", cwd=site).returncode == 0
    build = run_cli("build", "--now", BUILT, cwd=site)
    assert build.returncode == 0, build.stderr
    expected = json.loads((FIXTURES / "hugo/nats-nested/expected.json").read_text())
    sections = {
        f["address"]: [(i["link"], i["guid_or_id"]) for i in f["items"]]
        for f in expected["feeds"]
        if f["page_kind"] == "section"
    }
    served = {
        "/" + p.relative_to(site / "public").as_posix()
        for p in (site / "public/blog").rglob("index.xml")
    }
    assert served == {address for address, items in sections.items() if items}
    for address in served:
        parsed = feedparser.parse((site / "public" / address.lstrip("/")).read_bytes())
        assert [(e.link, e.id) for e in parsed.entries] == sections[address], address


def test_hugo_init_notes_sections_inside_a_section_listed_by_name(tmp_path: Path) -> None:
    """With a main section without a feed, the address lists the others by name: the
    sections inside them are then not described, and init says so."""
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[params]\nmainSections = ["posts", "notes"]\n',
            "content/posts/a.md": post("A"),
            "content/posts/guides/_index.md": "---\ntitle: Guides\n---\n",
            "content/posts/guides/b.md": post("B"),
            "content/notes/_index.md": "---\ntitle: Notes\noutputs: [html]\n---\n",
            "content/notes/c.md": post("C"),
        },
    )
    settings = settings_of(tmp_path)
    entries = {pattern: json.loads(text) for pattern, text in settings.addresses}
    assert entries["{section}/index.xml"]["terms"] == ["posts"]
    assert entries["{section}/index.xml"]["nested"] is True
    assert any("the feeds of the sections inside 'posts' are not described" in n
               for n in settings.notes)  # fmt: skip


# --- Zola: its documented rules, on fornjot (tests/fixtures/sites/zola/fornjot) --------------

# https://www.getzola.org/documentation/content/section/: `generate_feeds` "The section feed
# will only include posts from that respective feed, and not from any other sections,
# including sub-sections under that section"; `transparent`: "the section will pass its pages
# on to the parent section". getzola/zola@b2242262 components/content/src/library.rs
# `populate_sections` pushes a page into its folder's section, then up while that section is
# transparent; components/site/src/lib.rs `render_section` writes a section's feed at its
# path; components/site/src/feeds.rs orders by date, newest first, ties by permalink, and cuts
# at `feed_limit`. fornjot's six sub-sections of blog/ are transparent; here sponsors/ is made
# opaque, and blog/, blog/sponsors/ and blog/release/ get feeds.
ZOLA_FEEDS = {
    # blog/'s own pages and those of its five transparent sub-sections; never sponsors'.
    "blog/atom.xml": {
        "blog",
        "blog/release",
        "blog/cross-posts",
        "blog/last-month-in-fornjot",
        "blog/weekly-release",
        "blog/weekly-dev-log",
    },
    "blog/sponsors/atom.xml": {"blog/sponsors"},
    "blog/release/atom.xml": {"blog/release"},
}
ZOLA_LIMIT = 10


def _zola_expected(folders: set[str]) -> list[tuple[str, str]]:
    posts = json.loads((FIXTURES / "zola/fornjot/expected.json").read_text())["posts"]
    mine = [p for p in posts if p["source"].split("/")[1:-2] and
            "/".join(p["source"].split("/")[1:-2]) in folders]  # fmt: skip
    mine.sort(key=lambda p: p["url"])
    mine.sort(key=lambda p: p["date"], reverse=True)
    return [(p["url"], p["url"]) for p in mine[:ZOLA_LIMIT]]


def test_zola_files_a_page_in_its_section_and_up_through_transparent_ones(
    tmp_path: Path,
) -> None:
    """library.rs `populate_sections`: a page goes into `{its folder}/_index.md`'s pages (a
    page in a folder without one is an orphan, in none; a page with `render = false` is in
    none), then into the section above while the one below is transparent. The root
    section's feed is the site's: it is not among them."""
    dated = 'title = "P"\ndate = 2024-01-01'
    zola_write(
        tmp_path,
        {
            "config.toml": ZOLA_BASE,
            "content/_index.md": zola_page('title = "Home"'),
            "content/news/_index.md": zola_page("transparent = true"),
            "content/news/a.md": zola_page(dated),
            "content/news/old/_index.md": zola_page("transparent = true"),
            "content/news/old/b/index.md": zola_page(dated),
            "content/news/old/deep/_index.md": zola_page('title = "opaque"'),
            "content/news/old/deep/c.md": zola_page(dated),
            "content/news/hidden.md": zola_page(dated + "\nrender = false"),
            "content/loose/d.md": zola_page(dated),
        },
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n')
    config = load_config(tmp_path / "syndicate.toml")
    posts = load_site(config, now=BUILT, env={}, use_cache=False).posts
    assert {
        p.source.relative_to(tmp_path / "content").as_posix(): p.feed_sections for p in posts
    } == {
        "news/a.md": ("news",),
        "news/old/b/index.md": ("news/old", "news"),
        "news/old/deep/c.md": ("news/old/deep",),
        "news/hidden.md": (),
        "loose/d.md": (),
    }


@pytest.mark.slow
def test_zolas_section_feeds_at_any_depth_list_what_its_rules_say(
    tmp_path: Path, run_cli: RunCli
) -> None:
    site = _site("zola/fornjot", tmp_path)
    config = site / "config.toml"
    config.write_text(config.read_text().replace("\n[", f"\nfeed_limit = {ZOLA_LIMIT}\n\n[", 1))
    blog = site / "content/blog"
    for index, old, new in (
        ("_index.md", 'sort_by = "update_date"', 'sort_by = "update_date"\ngenerate_feeds = true'),
        ("sponsors/_index.md", "transparent = true", "transparent = false\ngenerate_feeds = true"),
        ("release/_index.md", "transparent = true", "transparent = true\ngenerate_feeds = true"),
    ):
        text = (blog / index).read_text()
        assert old in text
        (blog / index).write_text(text.replace(old, new))
    init = run_cli("init", cwd=site)
    assert init.returncode == 0, init.stderr
    written = (site / "syndicate.toml").read_text()
    assert '"{section}/atom.xml" = { feed = "sections"' in written
    assert 'terms = ["blog", "blog/release", "blog/sponsors"], nested = true' in written
    assert not [n for n in init.stdout.splitlines() if n.startswith("note:") and "section" in n]
    build = run_cli("build", "--now", BUILT, cwd=site)
    assert build.returncode == 0, build.stderr
    for address, folders in ZOLA_FEEDS.items():
        parsed = feedparser.parse((site / "public" / address).read_bytes())
        assert not parsed.bozo, address
        assert parsed.feed.id == f"https://www.fornjot.app/{address}"
        assert [(e.link, e.id) for e in parsed.entries] == _zola_expected(folders), address


# --- a new section reaches the next build -----------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "folder", "index"),
    [
        ("hugo/nats-nested", "content/blog/notes", "---\ntitle: Notes\n---\n"),
        ("zola/fornjot", "content/blog/sponsors", "+++\ntransparent = false\n+++\n"),
    ],
    ids=["hugo", "zola"],
)
def test_a_section_page_added_or_changed_reaches_the_next_build(
    fixture: str, folder: str, index: str, tmp_path: Path, run_cli: RunCli
) -> None:
    """Which folders are sections (and, for Zola, which are transparent) decides the section
    feeds a post is in: the section pages are read at every build, as the config is, so an
    edit to one is no "nothing changed" build that keeps the posts' old sections."""
    site = _site(fixture, tmp_path)
    assert run_cli("init", cwd=site).returncode == 0
    config = site / "syndicate.toml"
    config.write_text(config.read_text() + "\n[feeds.addresses.\"{section}/s.xml\"]\n"
                      'feed = "sections"\nformat = "rss"\nnested = true\nlimit = 0\n')  # fmt: skip
    assert run_cli("build", "--now", BUILT, cwd=site).returncode == 0
    (site / folder / "_index.md").write_text(index)
    build = run_cli("build", "--now", BUILT, cwd=site)
    assert build.returncode == 0, build.stderr
    moved = folder.removeprefix("content/")
    parent = moved.rsplit("/", 1)[0]
    own = feedparser.parse((site / "public" / moved / "s.xml").read_bytes()).entries
    above = feedparser.parse((site / "public" / parent / "s.xml").read_bytes()).entries
    assert own and not {e.link for e in own} & {e.link for e in above}
