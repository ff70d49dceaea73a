"""[feeds.addresses], [feeds] id_template and the sections grouping: any feed at any address,
with its own self link and feed id, under the ids an old feed used."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import textwrap
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import feedparser
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import load_site, write_feeds
from syndicate.config import Config, load_config
from syndicate.errors import ConfigError, Report
from syndicate.feeds.channels import build_taxonomy
from syndicate.feeds.items import item_id
from syndicate.feeds.websub import published_feeds
from syndicate.model import Post
from syndicate.sites import PostRules, SiteSettings

from .conftest import NOW, SiteDir, copy_fixture, examples
from .test_cache import cold_snapshot, edit, quick, snapshot

BASE = "https://fixture.example.net/blog/"
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return caught.value.problems


def with_feeds(root: Path, toml: str) -> Path:
    """The feedsite fixture's config with `toml` added at its end."""
    config = root / "config.toml"
    config.write_text(config.read_text() + "\n" + textwrap.dedent(toml))
    return config


def build(root: Path, now: str = NOW) -> Any:
    config = load_config(root / "config.toml")
    site = load_site(config, now=now, env={})
    return site, write_feeds(config, site)


def feedsite(tmp_path: Path, toml: str = "", name: str = "feedsite") -> Path:
    root = copy_fixture("feedsite", tmp_path / name)
    (root / "content/news").mkdir()
    (root / "content/news/launch.md").write_text(
        "---\ntitle: Launch\ndate: 2024-04-05T08:00:00Z\ncategories: [Updates]\n---\nIt is out.\n"
    )
    if toml:
        with_feeds(root, toml)
    return root


def xml(path: Path) -> Any:
    return etree.parse(str(path)).getroot()


# --- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key", "fault"),
    [
        ('"feed.xml" = {format = "atom"}', 'feeds.addresses."feed.xml".feed', "missing"),
        ('"feed.xml" = {feed = "site"}', 'feeds.addresses."feed.xml".format', "missing"),
        ('"f.xml" = {feed = "pages", format = "rss"}', 'feeds.addresses."f.xml".feed', "one of"),
        ('"f.xml" = {feed = "site", format = "xml"}', 'feeds.addresses."f.xml".format', "one of"),
        (
            '"f.xml" = {feed = "site", format = "rss", limit = -1}',
            'feeds.addresses."f.xml".limit',
            "greater than or equal to 0",
        ),
        (
            '"f.xml" = {feed = "site", format = "rss", id_template = "{base_url}{slugg}"}',
            'feeds.addresses."f.xml".id_template',
            "unknown token {slugg}",
        ),
        (
            '"f.xml" = {feed = "site", format = "rss", terms = ["a"]}',
            'feeds.addresses."f.xml"',
            "`terms` needs a grouping feed",
        ),
        (
            '"t/{term}.xml" = {feed = "tags", format = "rss", terms = []}',
            'feeds.addresses."t/{term}.xml".terms',
            "at least 1",
        ),
        (
            # The home section of a Zola site, whose posts have no section: the file was
            # silently never written, where a name no post uses gets an empty feed.
            '"feed.xml" = {feed = "sections", format = "atom", terms = [""]}',
            'feeds.addresses."feed.xml"',
            "`terms` holds an empty name",
        ),
        (
            '"f.xml" = {feed = "site", format = "rss", colour = 1}',
            'feeds.addresses."f.xml".colour',
            "unknown key",
        ),
        ('"{term}.xml" = {feed = "site", format = "rss"}', "", "remove {term}"),
        ('"tags.xml" = {feed = "tags", format = "rss"}', "", "needs {term} exactly once"),
        ('"{section}.xml" = {feed = "tags", format = "rss"}', "", "needs {term} exactly once"),
        ('"{term}/{term}.xml" = {feed = "tags", format = "rss"}', "", "needs {term} exactly"),
        ('"{term}.xml" = {feed = "sections", format = "rss"}', "", "needs {section} exactly"),
        ('"{slug}.xml" = {feed = "tags", format = "rss"}', "", "unknown placeholder {slug}"),
        (
            '"rss.xml" = {feed = "site", format = "rss"}',
            "",
            "already the file of feeds.filenames.rss; give syndicate's own files another name",
        ),
        ('"feeds.html" = {feed = "site", format = "rss"}', "", "a file the build writes"),
        ('"tags" = {feed = "site", format = "rss"}', "", "a folder the build writes"),
        ('"archive/x.xml" = {feed = "site", format = "rss"}', "", "inside archive/"),
        ('"digests/{term}.xml" = {feed = "tags", format = "rss"}', "", "inside digests/"),
        ('"../x.xml" = {feed = "site", format = "rss"}', "", "empty, . or .. parts"),
        ('"a//{term}.xml" = {feed = "tags", format = "rss"}', "", "empty, . or .. parts"),
        (
            '"tags/{term}/rss.xml" = {feed = "tags", format = "rss"}',
            "",
            "the files of syndicate's own group feeds; give syndicate's own files another name",
        ),
        (
            '"{term}/index.xml" = {feed = "tags", format = "rss"}\n'
            '"{section}/" = {feed = "sections", format = "rss"}',
            "",
            'the same files as feeds.addresses."{section}/"',
        ),
        (
            '"feed" = {feed = "site", format = "rss"}\n'
            '"feed/{term}.xml" = {feed = "categories", format = "atom"}',
            'feeds.addresses."feed/{term}.xml"',
            'needs a folder "feed"',
        ),
        (
            '"index.xml" = {feed = "site", format = "rss"}',
            "",
            "already the file of feeds.legacy",
        ),
    ],
)
def test_bad_addresses_are_config_errors_naming_the_key(
    site: SiteDir, table: str, key: str, fault: str
) -> None:
    path = site.config(f'[feeds.legacy]\n"index.xml" = "rss"\n[feeds.addresses]\n{table}\n')
    pattern = json.dumps(table.split(" = ", 1)[0].strip('"'))
    key = key or f"feeds.addresses.{pattern}"
    problems = problems_of(path)
    assert any(p.startswith(f"{path}: {key}") and fault in p for p in problems), problems


def test_an_unknown_id_template_token_names_the_key(site: SiteDir) -> None:
    path = site.config('[feeds]\nid_template = "{base_url}{title}"\n')
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}: feeds.id_template: unknown token {{title}}")


def test_good_addresses_load_with_their_defaults(site: SiteDir) -> None:
    config = site.config(
        """
        [feeds]
        limit = 7
        id_template = "{base_url}{path}"
        [feeds.addresses]
        "feed/" = {feed = "site", format = "rss"}
        "tags/{term}/index.xml" = {feed = "tags", format = "rss", limit = 0}
        "{section}/index.xml" = {feed = "sections", format = "atom"}
        "feed/{term}.xml" = {feed = "categories", format = "atom", terms = ["News"]}
        """
    )
    feeds = load_config(config).feeds
    assert feeds.id_template == "{base_url}{path}"
    assert feeds.addresses["feed/"].limit is None
    assert feeds.addresses["tags/{term}/index.xml"].limit == 0
    assert feeds.addresses["feed/{term}.xml"].terms == ["News"]
    assert load_config(site.config()).feeds.id_template == "{permalink}"


# --- ids -------------------------------------------------------------------------------------


def one_post(
    site: SiteDir, permalink: str = "/{year}/{month}/{day}/{slug}/"
) -> tuple[Config, Post]:
    site.post(
        "posts/hello-world.md",
        """
        ---
        title: Hello
        date: 2024-03-31T23:30:00Z
        ---
        Hi.
        """,
    )
    site.config_text = site.config_text.replace("/{section}/{slug}/", permalink)
    loaded = site.load()
    return loaded.config, loaded.posts[0]


# The post is dated 2024-03-31 23:30 UTC: 2024-04-01 in Lisbon, the site's zone.
ID_TOKENS = [
    ("{permalink}", "https://blog.example.com/2024/04/01/hello-world/"),
    ("{base_url}", "https://blog.example.com/"),
    ("{path}", "2024/04/01/hello-world/"),
    ("{dir}", "2024/04/01/"),
    ("{slug}", "hello-world"),
    ("{year}-{month}-{day}", "2024-04-01"),
    ("{base_url}{dir}{slug}", "https://blog.example.com/2024/04/01/hello-world"),
    ("urn:x:{slug}", "urn:x:hello-world"),
]


@pytest.mark.parametrize(("template", "expected"), ID_TOKENS)
def test_each_id_template_token(site: SiteDir, template: str, expected: str) -> None:
    config, post = one_post(site)
    assert item_id(post, template, config) == expected


@pytest.mark.parametrize(
    ("path", "slug", "expected"),
    [
        # jekyllrb.com's feed.xml: Document#id = File.join(File.dirname(url), slug)
        (
            "news/2013/05/05/jekyll-1-0-0-released/",
            "jekyll-1-0-0-released",
            "https://jekyllrb.com/news/2013/05/05/jekyll-1-0-0-released",
        ),
        ("2024/01/02/post/", "post", "https://jekyllrb.com/2024/01/02/post"),
        ("post.html", "post", "https://jekyllrb.com/post"),
        ("post/", "post", "https://jekyllrb.com/post"),
        # Jekyll 4.3.1 and jekyll-feed 0.17.0, _posts/2024-04-02-café-ünïcode.md: the slug
        # is percent-encoded in the id as in the post's URL (Addressable's normalize).
        (
            "2024/04/02/caf%C3%A9-%C3%BCn%C3%AFcode.html",
            "café-ünïcode",
            "https://jekyllrb.com/2024/04/02/caf%C3%A9-%C3%BCn%C3%AFcode",
        ),
        ("2024/04/02/a+b.html", "a+b", "https://jekyllrb.com/2024/04/02/a+b"),
    ],
)
def test_jekyll_feed_ids_come_from_base_url_dir_and_slug(
    site: SiteDir, path: str, slug: str, expected: str
) -> None:
    site.config_text = site.config_text.replace(
        "https://blog.example.com/", "https://jekyllrb.com/"
    )
    config, post = one_post(site)
    post = dataclasses.replace(
        post, permalink="https://jekyllrb.com/" + path, id="https://jekyllrb.com/" + path, slug=slug
    )
    assert item_id(post, "{base_url}{dir}{slug}", config) == expected


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        # A path below base_url, as Jekyll's URL class leaves it: no "//", no leading "/".
        st.lists(st.sampled_from(["a", "2024", "b.html", "/", ".", "-"]), max_size=6)
        .map("".join)
        .filter(lambda p: "//" not in p and not p.startswith("/")),
        min_size=1,
        max_size=12,
    )
)
def test_dir_is_what_rubys_file_dirname_gives_as_jekyll_makes_its_ids(
    site: SiteDir, paths: list[str]
) -> None:
    ruby = shutil.which("ruby")
    if ruby is None:
        pytest.skip("Ruby is not installed")
    if not (site.root / "config.toml").exists():
        site.config_text = site.config_text.replace("blog.example.com", "jekyllrb.com")
        one_post(site)
    config = site.load_config()
    post = site.load().posts[0]
    script = "STDIN.each_line { |l| puts File.join(File.dirname('/' + l.chomp), 'slug') }"
    run = subprocess.run(
        [ruby, "-e", script], input="\n".join(paths) + "\n", capture_output=True, text=True
    )
    expected = ["https://jekyllrb.com" + line for line in run.stdout.splitlines()]
    made = [
        item_id(
            dataclasses.replace(
                post, permalink=config.base_url + p, id=config.base_url + p, slug="slug"
            ),
            "{base_url}{dir}{slug}",
            config,
        )
        for p in paths
    ]
    assert made == expected


def test_a_front_matter_id_and_tag_ids_win_over_the_template(site: SiteDir) -> None:
    config, post = one_post(site)
    given = dataclasses.replace(post, id="urn:uuid:1")
    assert item_id(given, "{base_url}{slug}", config) == "urn:uuid:1"
    tagged = dataclasses.replace(post, id="tag:blog.example.com,2024:hello-world")
    assert item_id(tagged, "{base_url}{slug}", config) == tagged.id


def test_the_id_template_gives_syndicates_own_feeds_their_ids(tmp_path: Path) -> None:
    root = feedsite(tmp_path)
    config = root / "config.toml"
    template = 'limit = 3\nid_template = "{base_url}{slug}"\n'
    config.write_text(config.read_text().replace("limit = 3\n", template))
    build(root)
    ids = [e.id for e in feedparser.parse((root / "public/atom.xml").read_bytes()).entries]
    assert ids == [f"{BASE}launch", f"{BASE}third", f"{BASE}second"]
    rss = feedparser.parse((root / "public/rss.xml").read_bytes()).entries
    assert rss[0].id == f"{BASE}launch" and rss[0].link == f"{BASE}2024/04/launch/"


# --- the sections grouping -------------------------------------------------------------------


def test_sections_are_a_grouping_left_out_by_default(tmp_path: Path) -> None:
    root = feedsite(tmp_path)
    site, _ = build(root)
    kinds = {c.kind for c in build_taxonomy(site.config, site.posts, Report()).channels}
    assert "sections" not in kinds and not (root / "public/sections").exists()
    config = root / "config.toml"
    config.write_text(config.read_text().replace('["series", "tags"]', '["sections"]'))
    site, _ = build(root)
    sections = build_taxonomy(site.config, site.posts, Report()).channels[1:]
    assert [(c.kind, c.name, len(c.posts)) for c in sections] == [
        ("sections", "news", 1),
        ("sections", "posts", 4),
    ]
    parsed = feedparser.parse((root / "public/sections/posts/atom.xml").read_bytes())
    assert parsed.feed.title == "Fixture & Friends — Section: posts"
    assert parsed.entries[0].title == "Third, summary only"
    news = feedparser.parse((root / "public/sections/news/rss.xml").read_bytes())
    assert [e.title for e in news.entries] == ["Launch"]


# --- address documents -----------------------------------------------------------------------

ADDRESSES = """
[feeds.addresses]
"index.xml" = {feed = "site", format = "rss"}
"feed.xml" = {feed = "site", format = "atom", limit = 2, id_template = "{base_url}{dir}{slug}"}
"feed/" = {feed = "site", format = "json", limit = 0}
"{section}/index.xml" = {feed = "sections", format = "rss"}
"tags/{term}/index.xml" = {feed = "tags", format = "rss", limit = 1}
"feed/{term}.xml" = {feed = "categories", format = "atom", terms = ["Updates", "Releases"]}
"""


def test_address_documents_have_their_own_self_link_feed_id_and_limit(tmp_path: Path) -> None:
    root = feedsite(tmp_path, ADDRESSES)
    build(root)
    public = root / "public"
    atom = feedparser.parse((public / "feed.xml").read_bytes())
    assert not atom.bozo
    assert atom.feed.id == f"{BASE}feed.xml"
    assert [link.href for link in atom.feed.links if link.rel == "self"] == [f"{BASE}feed.xml"]
    assert [e.id for e in atom.entries] == [f"{BASE}2024/04/launch", f"{BASE}2024/04/third"]
    assert atom.entries[0].link == f"{BASE}2024/04/launch/"
    rss = xml(public / "index.xml")
    assert rss.find("channel/a:link[@rel='self']", ATOM).get("href") == f"{BASE}index.xml"
    assert len(rss.findall("channel/item")) == 3  # [feeds] limit
    guids = [g.text for g in rss.findall("channel/item/guid")]
    assert guids[0] == f"{BASE}2024/04/launch/"  # the default template: the permalink
    feed = json.loads((public / "feed/index.json").read_text())
    assert feed["feed_url"] == f"{BASE}feed/" and len(feed["items"]) == 5  # limit 0: all
    tag = xml(public / "tags/python/index.xml")
    assert tag.find("channel/a:link[@rel='self']", ATOM).get("href") == (
        f"{BASE}tags/python/index.xml"
    )
    assert [t.text for t in tag.findall("channel/item/title")] == ["Third, summary only"]
    section = feedparser.parse((public / "posts/index.xml").read_bytes())
    assert section.feed.title == "Fixture & Friends — Section: posts"
    assert len(section.entries) == 3
    assert [
        e.title for e in feedparser.parse((public / "news/index.xml").read_bytes()).entries
    ] == ["Launch"]


def test_terms_choose_which_terms_get_a_file_and_a_listed_term_without_posts_gets_an_empty_feed(
    tmp_path: Path,
) -> None:
    root = feedsite(tmp_path, ADDRESSES)
    root_public = root / "public"
    build(root)
    assert sorted(p.name for p in (root_public / "feed").iterdir()) == [
        "index.json",
        "releases.xml",
        "updates.xml",
    ]
    updates = feedparser.parse((root_public / "feed/updates.xml").read_bytes())
    assert [e.title for e in updates.entries] == ["Launch"]
    assert updates.feed.id == f"{BASE}feed/updates.xml"
    releases = feedparser.parse((root_public / "feed/releases.xml").read_bytes())
    assert releases.entries == [] and releases.feed.title.endswith("Category: Releases")
    first = (root_public / "feed/releases.xml").read_bytes()
    build(root, now="2024-12-20T12:00:00+00:00")
    assert (root_public / "feed/releases.xml").read_bytes() == first  # not stamped with now
    only = with_feeds(root, "")
    only.write_text(only.read_text().replace('terms = ["Updates", "Releases"]', 'terms = ["x"]'))
    build(root)
    assert not (root_public / "feed/updates.xml").exists()


def test_addresses_leave_syndicates_own_and_legacy_feeds_byte_identical(tmp_path: Path) -> None:
    legacy = '[feeds.legacy]\n"old.xml" = "rss"\n"old/" = "atom"\n'
    plain = feedsite(tmp_path, legacy, "plain")
    build(plain)
    both = feedsite(tmp_path, legacy + ADDRESSES, "both")
    _, result = build(both)
    before, after = snapshot(plain / "public"), snapshot(both / "public")
    assert before and all(after[p] == data for p, data in before.items())
    extra = sorted(set(after) - set(before))
    assert "feed.xml" in extra and "tags/python/index.xml" in extra
    # Listed once each in the build's summary; OPML and feeds.html list syndicate's own only.
    assert {f.path for f in result.feeds} >= set(extra) - {".syndicate-manifest.json"}
    assert b"index.xml" not in after["feeds.opml"] and b"feed.xml" not in after["feeds.html"]


def test_two_terms_on_one_file_are_reported_naming_both(tmp_path: Path) -> None:
    root = feedsite(
        tmp_path,
        """
        [feeds.addresses]
        "x-{term}.xml" = {feed = "tags", format = "rss"}
        "{term}-b.xml" = {feed = "categories", format = "rss"}
        """,
    )
    (root / "content/news/launch.md").write_text(
        "---\ntitle: Launch\ndate: 2024-04-05T08:00:00Z\ncategories: [x]\ntags: [b]\n---\nOut.\n"
    )
    site, result = build(root)
    [problem] = [p for p in result.report.problems if p.severity == "error"]
    assert problem.location is not None and problem.location.path == site.config.path
    lines = site.config.path.read_text().splitlines()
    assert problem.location.line is not None
    assert lines[problem.location.line - 1].startswith('"{term}-b.xml"')
    assert '"x-b.xml"' in problem.message
    assert "(category 'x')" in problem.message and "(tag 'b')" in problem.message
    kept = feedparser.parse((root / "public/x-b.xml").read_bytes())
    assert kept.feed.title.endswith("Tag: b")  # the first claim is kept, whole


def test_an_address_onto_a_file_of_the_build_is_reported_not_written(tmp_path: Path) -> None:
    address = '"{section}/rss.xml" = {feed = "sections", format = "atom"}'
    root = feedsite(tmp_path, f"[feeds.addresses]\n{address}\n")
    config = root / "config.toml"
    config.write_text(config.read_text().replace('["series", "tags"]', '["tags", "sections"]'))
    (root / "content/tags").mkdir()
    (root / "content/tags/t.md").write_text("---\ntitle: T\ndate: 2024-04-06\ntags: [x]\n---\nT\n")
    _, result = build(root)
    assert not result.report.errors
    config.write_text(config.read_text().replace('"{section}/rss.xml"', '"{section}/x/rss.xml"'))
    _, result = build(root)
    [problem] = result.report.errors
    assert '"tags/x/rss.xml" is already a file the build writes' in problem.message
    assert xml(root / "public/tags/x/rss.xml").findtext("channel/title").endswith("Tag: x")


def test_a_generators_address_name_writes_terms_and_sections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = feedsite(tmp_path, ADDRESSES)
    site = load_site(load_config(root / "config.toml"), now=NOW, env={})
    settings = SiteSettings("jekyll", root, (), {}, PostRules("jekyll"), {})
    config = dataclasses.replace(site.config, generator=settings)
    calls: list[tuple[str, str]] = []

    def address_name(name: str, kind: str, given: SiteSettings) -> str:
        assert given is settings
        calls.append((name, kind))
        return name.upper() if kind != "categories" else f"{name} & co"

    module = SimpleNamespace(address_name=address_name, feed_order=list)
    monkeypatch.setattr("syndicate.sites.generator", lambda _: module)

    def addresses(config: Config) -> Any:
        return build_taxonomy(config, site.posts, Report()).addresses

    paths = {a.path for a in addresses(config)}
    assert {"POSTS/index.xml", "NEWS/index.xml", "tags/PYTHON/index.xml"} <= paths
    assert ("python", "tags") in calls and ("posts", "sections") in calls
    # The name is the file's, as written; its URL is percent-encoded as Jekyll escapes a path.
    [updates] = [a for a in addresses(config) if a.path.startswith("feed/Updates")]
    assert updates.path == "feed/Updates & co.xml"
    assert updates.url == f"{BASE}feed/Updates%20&%20co.xml"


def test_websub_pings_every_address(tmp_path: Path) -> None:
    root = feedsite(tmp_path, ADDRESSES)
    build(root)
    urls = set(published_feeds(load_config(root / "config.toml")))
    assert {
        f"{BASE}index.xml",
        f"{BASE}feed.xml",
        f"{BASE}feed/",
        f"{BASE}posts/index.xml",
        f"{BASE}tags/python/index.xml",
        f"{BASE}feed/updates.xml",
    } <= urls
    assert f"{BASE}feed/index.json" not in urls


# --- the quick rebuild -----------------------------------------------------------------------


def test_a_quick_rebuild_updates_address_feeds_like_a_cold_build(tmp_path: Path) -> None:
    root = feedsite(tmp_path, ADDRESSES)
    build(root)
    before = snapshot(root / "public")
    edit(root / "content/news/launch.md", "It is out.", "It is out, edited.")
    rebuilt = quick(root)
    assert rebuilt is not None, "the quick rebuild should have been used"
    after = snapshot(root / "public")
    assert after == cold_snapshot(root, tmp_path / "cold")
    changed = {p for p in after if after[p] != before.get(p)}
    assert {"feed.xml", "index.xml", "news/index.xml", "feed/updates.xml"} <= changed
    assert b"It is out, edited." in after["feed.xml"]
    assert feedparser.parse(after["feed.xml"]).entries[0].id == f"{BASE}2024/04/launch"
    shutil.rmtree(tmp_path / "cold")


SEGMENTS = [
    "a",
    ".",
    "..",
    "",
    "tags",
    "archive",
    "digests",
    "{term}",
    "rss.xml",
    "x{term}.xml",
    "{",
]


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=4).map("/".join)
    | st.lists(st.sampled_from(["a", ".", "/", "-", "tags", "{term}", "\\", "{"])).map("".join),
    st.sampled_from(["rss", "atom", "json"]),
)
@example("archive/{term}", "rss")
@example("digests/x{term}.xml", "json")
@example("tags/{term}/rss.xml", "rss")
def test_an_accepted_address_stays_inside_the_output_folder_and_clashes_with_nothing(
    site: SiteDir, pattern: str, fmt: str
) -> None:
    from syndicate.config import BUILD_FILES, legacy_path
    from syndicate.output import MANIFEST

    feed = "tags" if "{term}" in pattern else "site"
    path = site.config(
        f"\n[feeds.addresses]\n{json.dumps(pattern)} = {{feed = {json.dumps(feed)}, "
        f"format = {json.dumps(fmt)}}}\n"
    )
    try:
        config = load_config(path)
    except ConfigError:
        return
    rel = legacy_path(pattern.replace("{term}", "python"), fmt)  # type: ignore[arg-type]
    parts = rel.split("/")
    assert rel and not rel.startswith("/") and all(p not in ("", ".", "..") for p in parts)
    assert (config.output_dir / rel).resolve().is_relative_to(config.output_dir)
    assert rel not in (*BUILD_FILES, MANIFEST, "rss.xml", "atom.xml", "feed.json")
    assert parts[0] not in ("archive", "digests") and rel != "tags/python/rss.xml"
