"""Feeds: golden files, real parsers, the spec's rules, and one test per feedgen trap."""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from syndicate.build import load_site, write_feeds
from syndicate.config import load_config

from .conftest import NOW, REPO, RunCli, SiteDir, check_golden, copy_fixture

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "media": "http://search.yahoo.com/mrss/",
    "fh": "http://purl.org/syndication/history/1.0",
}
GOLDEN = REPO / "tests" / "golden" / "feedsite"
GOLDEN_FILES = [
    "rss.xml",
    "atom.xml",
    "feed.json",
    "tags/python/rss.xml",
    "tags/python/feed.json",
    "series/basics/atom.xml",
    "feeds.opml",
]
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def build(root: Path, now: str = NOW):  # type: ignore[no-untyped-def]
    config = load_config(root / "config.toml")
    site = load_site(config, now=now, env={})
    return site, write_feeds(config, site)


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    build(root)
    return root / "public"


@pytest.fixture(scope="module")
def sample_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("sample")
    for name in ("content", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "config.toml", root / "config.toml")
    build(root)
    return root / "public"


def xml(path: Path) -> etree._Element:
    return etree.fromstring(
        path.read_bytes(), etree.XMLParser(recover=False, resolve_entities=False)
    )


def feed_files(public: Path) -> list[Path]:
    return sorted(p for p in public.rglob("*") if p.suffix in (".xml", ".json") and p.is_file())


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_golden_files(fixture_site: Path, name: str, update_golden: bool) -> None:
    check_golden((fixture_site / name).read_bytes(), GOLDEN / name, update_golden)


# --- real parsers on every file of the sample site -------------------------------------------


def test_every_sample_feed_round_trips_through_feedparser(sample_public: Path) -> None:
    files = [p for p in feed_files(sample_public) if p.suffix == ".xml"]
    assert len(files) > 50
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.feed.get("title"), path
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.link.startswith("https://"), path
            assert entry.id, path
            assert entry.get("published_parsed") or entry.get("updated_parsed"), path


def test_every_sample_xml_file_is_well_formed_utf8(sample_public: Path) -> None:
    for path in [*sample_public.rglob("*.xml"), sample_public / "feeds.opml"]:
        data = path.read_bytes()
        data.decode("utf-8")
        assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), path
        xml(path)


def test_json_feeds_follow_the_spec(sample_public: Path) -> None:
    for path in sample_public.rglob("feed.json"):
        feed = json.loads(path.read_text(encoding="utf-8"))
        assert next(iter(feed)) == "version"
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(feed["title"], str) and isinstance(feed["items"], list)
        rel = path.relative_to(sample_public).as_posix()
        assert feed["feed_url"] == f"https://slowdata.example.org/{rel}"
        assert feed["home_page_url"].startswith("https://")
        assert_no_nulls_and_valid_extensions(feed)
        ids = [item["id"] for item in feed["items"]]
        assert len(ids) == len(set(ids))
        for item in feed["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item["url"].startswith("https://")
            assert "content_html" in item or "content_text" in item
            assert "<" not in item["title"] and "<" not in item.get("summary", "")
            assert RFC3339.match(item["date_published"])
            if "date_modified" in item:
                assert RFC3339.match(item["date_modified"])
            for author in item.get("authors", feed.get("authors", [])):
                assert set(author) & {"name", "url", "avatar"}
            assert all(isinstance(t, str) for t in item.get("tags", []))
            if "image" in item:
                assert item["image"].startswith("https://")


def assert_no_nulls_and_valid_extensions(value: object) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            assert inner is not None, key
            if key.startswith("_"):
                assert re.fullmatch(r"_[a-z][a-z0-9_]*", key), key
            assert_no_nulls_and_valid_extensions(inner)
    elif isinstance(value, list):
        for inner in value:
            assert_no_nulls_and_valid_extensions(inner)


def test_no_relative_url_anywhere_in_content(sample_public: Path) -> None:
    for path in sample_public.rglob("feed.json"):
        for item in json.loads(path.read_text())["items"]:
            html = item.get("content_html", "")
            for url in re.findall(r'(?:href|src)="([^"]*)"', html):
                assert url.startswith(("https://", "http://", "mailto:")), (path, url)
            for bad in ("<script", "<iframe", "<object", "<embed", '="javascript:'):
                assert bad not in html
            assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)


# --- what each feed holds --------------------------------------------------------------------


def test_rss_channel_and_items(fixture_site: Path) -> None:
    rss = xml(fixture_site / "rss.xml")
    channel = rss.find("channel")
    assert channel.findtext("link") == "https://fixture.example.net/blog/"
    self_link = channel.find("atom:link[@rel='self']", NS)
    assert self_link.get("href") == "https://fixture.example.net/blog/rss.xml"
    assert self_link.get("type") == "application/rss+xml"
    assert channel.find("atom:link[@rel='hub']", NS).get("href") == "https://hub.example.com/"
    assert channel.findtext("language") == "en-GB"
    assert channel.findtext("generator") == "syndicate"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == [
        "Third, summary only",
        "Second, with an excerpt",
        'First <post> & "quotes"',
    ]
    for item in items:
        assert RFC822.match(item.findtext("pubDate"))
        assert item.find("guid").get("isPermaLink") == "true"
        assert item.findtext("description")
    # newest item's modification time, never the wall clock
    assert channel.findtext("lastBuildDate") == "Wed, 03 Apr 2024 00:00:00 +0100"
    first = items[2]
    assert first.findtext("content:encoded", namespaces=NS).startswith(
        "<p>Hello <strong>world</strong>"
    )
    assert [c.text for c in first.findall("dc:creator", NS)] == ["Jo Writer", "Sam"]
    assert first.find("author") is None
    enclosure = first.find("enclosure")
    assert enclosure.get("url") == "https://fixture.example.net/blog/cover.png"
    assert enclosure.get("type") == "image/png"
    assert enclosure.get("length") == str((REPO / "static/logo.png").stat().st_size)
    assert first.find("media:content", NS).get("url") == enclosure.get("url")
    categories = {(c.get("domain"), c.text) for c in first.findall("category")}
    assert ("https://fixture.example.net/blog/series/", "Basics") in categories
    assert ("https://fixture.example.net/blog/tags/", "Intro") in categories


def test_summary_only_posts_and_feeds_carry_no_full_content(fixture_site: Path) -> None:
    rss = xml(fixture_site / "rss.xml")
    third = rss.find("channel/item")
    assert third.findtext("description") == "Only this summary goes into feeds."
    assert third.find("content:encoded", NS) is None
    tag_feed = xml(fixture_site / "tags/python/atom.xml")
    for entry in tag_feed.findall("atom:entry", NS):
        assert entry.find("atom:content", NS) is None
        assert entry.find("atom:summary", NS) is not None
        assert entry.find("atom:link[@rel='alternate']", NS) is not None


def test_atom_feed_and_entries(fixture_site: Path) -> None:
    atom = xml(fixture_site / "atom.xml")
    assert atom.findtext("atom:id", namespaces=NS) == "https://fixture.example.net/blog/atom.xml"
    assert atom.findtext("atom:updated", namespaces=NS) == "2024-04-03T00:00:00+01:00"
    assert atom.find("atom:author/atom:name", NS).text == "Editors"
    rels = [(link.get("rel"), link.get("href")) for link in atom.findall("atom:link", NS)]
    assert ("self", "https://fixture.example.net/blog/atom.xml") in rels
    assert ("alternate", "https://fixture.example.net/blog/") in rels
    assert ("hub", "https://hub.example.com/") in rels
    first = atom.findall("atom:entry", NS)[2]
    assert first.findtext("atom:published", namespaces=NS) == "2024-03-30T23:30:00+00:00"
    assert first.findtext("atom:updated", namespaces=NS) == "2024-04-02T10:00:00+01:00"
    assert first.find("atom:content", NS).get("type") == "html"
    assert first.find("atom:summary", NS).text == "Where it all starts."
    names = [a.findtext("atom:name", namespaces=NS) for a in first.findall("atom:author", NS)]
    assert names == ["Jo Writer", "Sam"]
    assert first.find("atom:author/atom:uri", NS).text == "https://fixture.example.net/jo/"
    category = first.find("atom:category[@term='intro']", NS)
    assert category.get("label") == "Intro"
    assert category.get("scheme") == "https://fixture.example.net/blog/tags/"
    for entry in atom.findall("atom:entry", NS):
        for when in ("published", "updated"):
            assert RFC3339.match(entry.findtext(f"atom:{when}", namespaces=NS))


def test_group_feeds_say_what_they_are(fixture_site: Path) -> None:
    rss = xml(fixture_site / "series/basics/rss.xml")
    assert rss.findtext("channel/title") == "Fixture & Friends — Series: Basics"
    assert rss.findtext("channel/link") == "https://fixture.example.net/blog/series/basics/"
    assert len(rss.findall("channel/item")) == 2


def test_names_that_slugify_alike_are_one_term(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    site, _ = build(root)
    warnings = [p.message for p in site.report.warnings]
    assert "tags: 'Python' and 'python' are the same term (python); using 'python'" in warnings
    assert len(xml(root / "public/tags/python/rss.xml").findall("channel/item")) == 3
    assert not (root / "public/tags/python-2").exists()


def test_a_name_too_long_for_a_url_is_published_shortened_with_one_warning(
    tmp_path: Path,
) -> None:
    long = "Word " * 50  # a 249-byte slug
    site_dir = SiteDir(tmp_path / "site")
    for i, day in enumerate(("01", "02", "03")):
        site_dir.post(
            f"posts/p{i}.md",
            f"""
            ---
            title: P{i}
            date: 2024-03-{day}
            tags: ["{long.strip()}", "x"]
            ---
            Body.
            """,
        )
    site_dir.config()
    site, _ = build(site_dir.root)
    warned = [p for p in site.report.warnings if "over 200 bytes" in p.message]
    assert [p.location.path.name for p in warned] == ["p2.md"]  # once, at the newest post
    slug = warned[0].message.rpartition("published as ")[2]
    assert len(slug.encode()) <= 200 and slug.startswith("word-word-")
    assert len(xml(site_dir.root / f"public/tags/{slug}/rss.xml").findall("channel/item")) == 3


def test_a_build_keeps_the_size_of_each_file_it_wrote_not_its_bytes(tmp_path: Path) -> None:
    # The documents are handed to the writer as they are made and not held after: kept to
    # the end, they were the largest thing a build held.
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    _, result = build(root)
    out = result.output
    assert out is not None and out.artifacts == []
    written = {
        p.relative_to(root / "public").as_posix(): p.stat().st_size
        for p in (root / "public").rglob("*")
        if p.is_file()
    }
    assert out.sizes and out.sizes == {path: written[path] for path in out.sizes}
    assert set(written) - set(out.sizes) == {".syndicate-manifest.json"}  # the writer's own


def test_same_post_same_id_and_times_in_every_format(sample_public: Path) -> None:
    for folder in ["", "series/scientific-studies/", "tags/python/", "authors/ana-costa/"]:
        rss = xml(sample_public / folder / "rss.xml").findall("channel/item")
        atom = xml(sample_public / folder / "atom.xml").findall("atom:entry", NS)
        feed = json.loads((sample_public / folder / "feed.json").read_text())["items"]
        assert [i.findtext("guid") for i in rss] == [
            e.findtext("atom:id", namespaces=NS) for e in atom
        ]
        assert [i["id"] for i in feed] == [e.findtext("atom:id", namespaces=NS) for e in atom]
        for item, entry, js in zip(rss, atom, feed, strict=True):
            published = datetime.fromisoformat(entry.findtext("atom:published", namespaces=NS))
            assert parsedate_to_datetime(item.findtext("pubDate")) == published
            assert datetime.fromisoformat(js["date_published"]) == published


def test_items_are_newest_first_and_limited(site: SiteDir) -> None:
    site.config("[feeds]\nlimit = 2\nformats = ['rss']\ngroupings = []\n")
    for day in (1, 3, 2):
        site.post(f"posts/p{day}.md", f"---\ntitle: P{day}\ndate: 2024-01-0{day}\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    titles = [
        i.findtext("title") for i in xml(site.root / "public/rss.xml").findall("channel/item")
    ]
    assert titles == ["P3", "P2"]


@pytest.mark.parametrize(
    ("url", "kept"),
    [("https://cdn.example/random/1024x600", True), ("https://cdn.example/clip.mp4", False)],
)
def test_a_remote_image_whose_name_has_no_type_is_shown_without_an_enclosure(
    site: SiteDir, url: str, kept: bool
) -> None:
    # jekyll-feed writes media:thumbnail for any `image`; an enclosure needs a type the URL
    # does not give. A URL of another kind (a video) is no featured image at all.
    site.config("[feeds]\nformats = ['rss', 'atom', 'json']\ngroupings = []\n")
    site.post("posts/a.md", f"---\ntitle: A\ndate: 2024-01-01\nimage: {url}\n---\nx\n")
    site_obj = site.load()
    assert not site_obj.report.problems
    write_feeds(site_obj.config, site_obj)
    public = site.root / "public"
    for name in ("rss.xml", "atom.xml"):
        [entry] = feedparser.parse(public / name).entries
        assert entry.get("enclosures", []) == []
        assert entry.get("media_thumbnail", []) == ([{"url": url}] if kept else [])
        assert entry.get("media_content", []) == ([{"url": url, "medium": "image"}] if kept else [])
    [item] = json.loads((public / "feed.json").read_text())["items"]
    assert item.get("image") == (url if kept else None)


@pytest.mark.parametrize(
    ("name", "mime"),
    [("a.webp", "image/webp"), ("a.AVIF", "image/avif"), ("a.jxl", "image/jxl")],
)
def test_an_image_has_the_same_type_on_a_machine_without_mime_tables(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, name: str, mime: str
) -> None:
    # A slim container has no /etc/mime.types, and Python 3.11's own table lacks .webp: the
    # enclosure of a WebP image was left out there, and written on a full Debian.
    import mimetypes

    monkeypatch.setattr(mimetypes, "knownfiles", [])
    monkeypatch.setattr(mimetypes, "inited", False)
    monkeypatch.setattr(mimetypes, "_db", None)
    site.config("[feeds]\nformats = ['rss', 'atom']\ngroupings = []\n")
    site.post(
        "posts/a.md",
        f"---\ntitle: A\ndate: 2024-01-01\nimage: https://cdn.example/{name}\n---\nx\n",
    )
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    for feed in ("rss.xml", "atom.xml"):
        [entry] = feedparser.parse(site.root / "public" / feed).entries
        assert [e["type"] for e in entry.enclosures] == [mime]


def test_feed_false_applies_before_the_limit(site: SiteDir) -> None:
    site.config("[feeds]\nlimit = 1\nformats = ['json']\ngroupings = []\n")
    site.post("posts/new.md", "---\ntitle: New\ndate: 2024-01-02\nfeed: false\n---\nx\n")
    site.post("posts/old.md", "---\ntitle: Old\ndate: 2024-01-01\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    items = json.loads((site.root / "public/feed.json").read_text())["items"]
    assert [i["title"] for i in items] == ["Old"]


def test_time_zones_across_a_daylight_saving_change(site: SiteDir) -> None:
    site.config("[feeds]\nformats = ['rss', 'atom']\ngroupings = []\n")
    site.post("posts/before.md", "---\ntitle: B\ndate: 2024-10-26T12:00:00\n---\nx\n")
    site.post("posts/after.md", "---\ntitle: A\ndate: 2024-10-27T12:00:00\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    atom = xml(site.root / "public/atom.xml")
    dates = [e.findtext("atom:published", namespaces=NS) for e in atom.findall("atom:entry", NS)]
    assert dates == ["2024-10-27T12:00:00+00:00", "2024-10-26T12:00:00+01:00"]
    rss = xml(site.root / "public/rss.xml")
    assert [i.findtext("pubDate") for i in rss.findall("channel/item")] == [
        "Sun, 27 Oct 2024 12:00:00 +0000",
        "Sat, 26 Oct 2024 12:00:00 +0100",
    ]


def test_tag_ids_are_the_same_in_every_feed(site: SiteDir) -> None:
    site.config('[feeds]\nid = "tag"\ntag_authority = "example.org,2020"\n')
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [t]\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    public = site.root / "public"
    guid = xml(public / "tags/t/rss.xml").find("channel/item/guid")
    assert guid.text == "tag:example.org,2020:a" and guid.get("isPermaLink") == "false"
    assert json.loads((public / "feed.json").read_text())["items"][0]["id"] == guid.text


# --- files on disk ---------------------------------------------------------------------------


def test_two_builds_are_byte_identical_and_unchanged_files_are_not_rewritten(
    tmp_path: Path,
) -> None:
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    build(root)
    files = {
        p: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in (root / "public").rglob("*")
        if p.is_file()
    }
    _, result = build(root)
    assert result.written.written == []
    again = {
        p: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in (root / "public").rglob("*")
        if p.is_file()
    }
    assert again == files


def test_removing_a_tag_deletes_its_feeds_but_not_user_files(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    build(root)
    public = root / "public"
    (public / "tags/intro/notes.txt").write_text("mine")
    (public / "index.html").write_text("my home page")
    post = root / "content/posts/first.md"
    post.write_text(post.read_text().replace("tags: [Intro, python]", "tags: [python]"))
    _, result = build(root)
    assert "tags/intro/rss.xml" in result.written.deleted
    assert not (public / "tags/intro/rss.xml").exists()
    assert (public / "tags/intro/notes.txt").read_text() == "mine"
    assert (public / "index.html").read_text() == "my home page"
    assert (public / "tags/python/rss.xml").exists()


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from syndicate import output
    from syndicate.errors import OutputError

    root = copy_fixture("feedsite", tmp_path / "feedsite")
    build(root)
    before = (root / "public/rss.xml").read_bytes()
    (root / "content/posts/second.md").write_text(
        "---\ntitle: Changed\ndate: 2024-04-01\n---\nnew\n"
    )

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError):  # exit 6, naming the file, instead of a traceback
        build(root)
    monkeypatch.undo()
    assert (root / "public/rss.xml").read_bytes() == before
    assert not [p for p in (root / "public").rglob("*.tmp")]
    assert output.read_manifest(root / "public")


def test_a_failed_generation_deletes_no_feed_it_did_not_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.feeds import documents as feedset

    root = copy_fixture("feedsite", tmp_path / "feedsite")
    build(root)
    public = root / "public"
    before = {p for p in public.rglob("*") if p.is_file()}
    post = root / "content/posts/second.md"
    post.write_text(post.read_text() + "\nAn edit every feed of this post shows.\n")

    def broken(*args: object, **kwargs: object) -> list[bytes]:
        raise RuntimeError("generation failed")

    monkeypatch.setattr(feedset, "json_parts", broken)  # the site's JSON Feed comes third
    with pytest.raises(RuntimeError):
        build(root)
    monkeypatch.undo()
    assert {p for p in public.rglob("*") if p.is_file()} == before


def test_legacy_names_have_their_own_self_link(tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    config = root / "config.toml"
    config.write_text(
        config.read_text()
        + '\n[feeds.legacy]\n"index.xml" = "rss"\n"feed/" = "rss"\n"feed.xml" = "atom"\n'
    )
    build(root)
    public = root / "public"
    for path, url in [("index.xml", "index.xml"), ("feed/index.xml", "feed/")]:
        link = xml(public / path).find("channel/atom:link[@rel='self']", NS)
        assert link.get("href") == f"https://fixture.example.net/blog/{url}"
    atom = xml(public / "feed.xml")
    assert (
        atom.find("atom:link[@rel='self']", NS).get("href")
        == "https://fixture.example.net/blog/feed.xml"
    )
    assert atom.findtext("atom:id", namespaces=NS) == "https://fixture.example.net/blog/atom.xml"


def test_opml_lists_each_feed_once_in_atom_by_default(fixture_site: Path) -> None:
    opml = xml(fixture_site / "feeds.opml")
    urls = [o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")]
    assert len(urls) == len(set(urls)) == 1 + 1 + 2  # site, one series, two tags
    assert "https://fixture.example.net/blog/series/basics/atom.xml" in urls
    assert all(url.endswith("/atom.xml") for url in urls)
    titles = [o.get("text") for o in opml.iter("outline") if o.get("xmlUrl")]
    assert "Fixture & Friends — Series: Basics" in titles


@pytest.mark.parametrize(
    ("feeds", "name", "version"),
    [
        ('opml_format = "rss"\n', "rss.xml", "RSS2"),
        ('opml_format = "json"\n', "feed.json", "JSONFEED"),
        ('formats = ["rss", "json"]\n', "rss.xml", "RSS2"),  # no Atom written: the first format
    ],
)
def test_opml_format_chooses_the_one_format_listed(
    site: SiteDir, feeds: str, name: str, version: str
) -> None:
    site.config(f"[feeds]\ngroupings = ['tags']\n{feeds}")
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [t]\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    outlines = [o for o in xml(site.root / "public/feeds.opml").iter("outline") if o.get("xmlUrl")]
    assert [o.get("xmlUrl") for o in outlines] == [
        f"https://blog.example.com/{name}",
        f"https://blog.example.com/tags/t/{name}",
    ]
    assert {o.get("version") for o in outlines} == {version}


def test_feeds_page_shows_every_format_of_every_feed(fixture_site: Path) -> None:
    page = (fixture_site / "feeds.html").read_text()
    for fmt in ("rss.xml", "atom.xml", "feed.json"):
        assert f'href="https://fixture.example.net/blog/series/basics/{fmt}"' in page


def test_opml_and_discovery_page(fixture_site: Path) -> None:
    page = (fixture_site / "feeds.html").read_text()
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert '<link rel="alternate" type="application/feed+json"' in page
    assert "Fixture &amp; Friends" in page
    assert "&lt;link rel=&#34;alternate&#34;" in page or '&lt;link rel="alternate"' in page


def test_stylesheet_is_referenced_and_written(fixture_site: Path) -> None:
    head = (fixture_site / "rss.xml").read_bytes().split(b"\n")[1]
    assert head == b'<?xml-stylesheet type="text/xsl" href="/blog/feed-style.xsl"?>'
    xsl = xml(fixture_site / "feed-style.xsl")
    transform = etree.XSLT(xsl)
    page = str(transform(xml(fixture_site / "atom.xml")))
    assert "Second, with an excerpt" in page and "web feed" in page
    page = str(transform(xml(fixture_site / "rss.xml")))
    assert "Third, summary only" in page


# --- RFC 5005 archives -----------------------------------------------------------------------


def test_archives_hold_every_post_and_do_not_change_when_a_post_is_added(site: SiteDir) -> None:
    site.config("[feeds]\nlimit = 2\narchives = true\narchive_size = 3\ngroupings = []\n")
    for day in range(1, 9):
        site.post(f"posts/p{day}.md", f"---\ntitle: P{day}\ndate: 2024-01-{day:02d}\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    public = site.root / "public"
    base = "https://blog.example.com/"
    atom = xml(public / "atom.xml")
    titles = [e.findtext("atom:title", namespaces=NS) for e in atom.findall("atom:entry", NS)]
    assert titles == ["P8", "P7"]
    assert (
        atom.find("atom:link[@rel='prev-archive']", NS).get("href") == base + "archive/2/atom.xml"
    )
    archive2 = xml(public / "archive/2/atom.xml")
    assert archive2.find("fh:archive", NS) is not None
    assert archive2.find("atom:link[@rel='current']", NS).get("href") == base + "atom.xml"
    assert (
        archive2.find("atom:link[@rel='prev-archive']", NS).get("href")
        == base + "archive/1/atom.xml"
    )
    assert [
        e.findtext("atom:title", namespaces=NS) for e in archive2.findall("atom:entry", NS)
    ] == ["P6", "P5", "P4"]
    rss1 = xml(public / "archive/1/rss.xml")
    assert rss1.find("channel/fh:archive", NS) is not None
    assert (
        rss1.find("channel/atom:link[@rel='next-archive']", NS).get("href")
        == base + "archive/2/rss.xml"
    )
    js = json.loads((public / "feed.json").read_text())
    assert js["next_url"] == base + "archive/2/feed.json"
    everything = set()
    for path in [public / "atom.xml", *public.glob("archive/*/atom.xml")]:
        everything |= {
            e.findtext("atom:title", namespaces=NS) for e in xml(path).findall("atom:entry", NS)
        }
    assert everything == {f"P{d}" for d in range(1, 9)}
    frozen = (public / "archive/1/atom.xml").read_bytes()
    site.post("posts/p9.md", "---\ntitle: P9\ndate: 2024-01-09\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    assert (public / "archive/1/atom.xml").read_bytes() == frozen
    assert (public / "archive/3/atom.xml").exists()


def test_small_feed_with_archives_enabled_is_complete(site: SiteDir) -> None:
    site.config("[feeds]\nlimit = 5\narchives = true\ngroupings = []\nformats = ['atom']\n")
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    atom = xml(site.root / "public/atom.xml")
    assert atom.find("fh:complete", NS) is not None
    assert atom.find("atom:link[@rel='prev-archive']", NS) is None


def test_a_post_whose_html_is_all_removed_has_no_empty_atom_content(site: SiteDir) -> None:
    # vespa-blog's notebook imports are <script> and <style> first: cut short, nothing of
    # the body is left once sanitised, and the W3C validator flags an empty atom:content.
    site.config("[feeds]\nformats = ['atom', 'rss', 'json']\ngroupings = []\n")
    site.post(
        "posts/import.md",
        '---\ntitle: Import\ndate: 2024-01-02\n---\n<script src="x.js"></script>\n\n'
        "<style>p { color: red }</style>\n",
    )
    site.post("posts/text.md", "---\ntitle: Text\ndate: 2024-01-01\n---\nSome text.\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    entries = xml(site.root / "public/atom.xml").findall("atom:entry", NS)
    assert [e.find("atom:content", NS) is None for e in entries] == [True, False]
    assert entries[0].find("atom:link[@rel='alternate']", NS) is not None
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((site.root / "public" / name).read_bytes())
        assert not parsed.bozo and [e.title for e in parsed.entries] == ["Import", "Text"]
    items = json.loads((site.root / "public/feed.json").read_text())["items"]
    assert "content_html" in items[0] or "content_text" in items[0]


RFC_3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def test_a_zones_historical_offset_with_seconds_is_written_in_utc(site: SiteDir) -> None:
    # Lisbon kept its mean solar time, -0:36:45, until 1912: no feed date can say so.
    site.post("posts/old.md", "---\ntitle: Old\ndate: 1900-06-01\nlastmod: 1901-01-01\n---\nx\n")
    site.post("posts/new.md", "---\ntitle: New\ndate: 2024-06-01\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    public = site.root / "public"
    dates = [i.findtext("pubDate") for i in xml(public / "rss.xml").findall("channel/item")]
    assert dates == ["Sat, 01 Jun 2024 00:00:00 +0100", "Fri, 01 Jun 1900 00:36:45 +0000"]
    assert all(parsedate_to_datetime(d or "") for d in dates)
    atom = xml(public / "atom.xml")
    stamps = [e.text or "" for e in atom.iter("{http://www.w3.org/2005/Atom}published")]
    stamps += [e.text or "" for e in atom.iter("{http://www.w3.org/2005/Atom}updated")]
    items = json.loads((public / "feed.json").read_text())["items"]
    stamps += [i[k] for i in items for k in ("date_published", "date_modified") if k in i]
    assert stamps and all(RFC_3339.fullmatch(s) for s in stamps), stamps
    assert "1900-06-01T00:36:45+00:00" in stamps


def test_an_empty_address_feed_dated_by_such_a_post_is_in_utc_too(site: SiteDir) -> None:
    # An address of a term with no posts yet takes the site's newest post's time.
    site.config(
        '[feeds]\nformats = ["rss"]\n[feeds.addresses]\n'
        '"empty.xml" = {feed = "tags", format = "atom", terms = ["none-yet"]}\n'
    )
    site.post("posts/old.md", "---\ntitle: Old\ndate: 1900-06-01\ntags: [a]\n---\nx\n")
    site_obj = site.load()
    write_feeds(site_obj.config, site_obj)
    updated = xml(site.root / "public/empty.xml").findtext("{http://www.w3.org/2005/Atom}updated")
    assert updated == "1900-06-01T00:36:45+00:00"


def test_a_big_feeds_hint_names_the_limit_that_reaches_it(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`[feeds] limit` does not reach an address of `[feeds.addresses]` (it has its own), and
    `[feeds.groups.site]` is no table: the hint named both for every big feed."""
    from syndicate import build

    monkeypatch.setattr(build, "FEED_SIZE_WARNING", 0)  # every feed is "big"
    site.config(
        '[feeds]\nformats = ["rss"]\n[feeds.addresses."feed.xml"]\nfeed = "site"\nformat = "rss"\n'
    )
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [t]\n---\nx\n")
    loaded = site.load()
    result = write_feeds(loaded.config, loaded)
    hints = {p.message.split(": ", 1)[1].split(" is ")[0]: p.hint for p in result.report.problems}
    assert hints["feed.xml"] == (
        'lower `limit` of [feeds.addresses."feed.xml"] (0 is every post), '
        'or set [feeds] content = "summary"'
    )
    assert hints["rss.xml"] == 'lower [feeds] limit, or set [feeds] content = "summary"'
    assert hints["tags/t/rss.xml"] == (
        "lower [feeds] limit (or [feeds.groups.tags] limit), "
        'or set [feeds.groups.tags] content = "summary" (or [feeds] content, for all)'
    )


def test_a_big_feed_is_warned_of_at_every_build_not_only_the_one_that_made_it(
    site: SiteDir, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed over the size stays over it until it is made smaller: the warning came only from
    the build that generated it; the next (nothing changed) and one that left it as it was
    (another post edited) said "no problems", and `check` never reports it."""
    from syndicate import build

    monkeypatch.setattr(build, "FEED_SIZE_WARNING", 2048)
    site.config('[feeds]\nformats = ["rss"]\n')
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-01\ntags: [big]\n---\n" + "word " * 800)
    small = site.post("posts/b.md", "---\ntitle: B\ndate: 2024-01-02\n---\nsmall\n")
    built = [run_cli("build", cwd=site.root)]
    built.append(run_cli("build", cwd=site.root))
    assert "nothing changed" in built[-1].stdout
    small.write_text(small.read_text().replace("small", "smaller"))
    built.append(run_cli("build", cwd=site.root))
    assert "rendered 1 post" in built[-1].stdout  # the one edited: tags/big/ left as it was
    for result in built:
        assert result.returncode == 0, result.stderr
        assert "warning: feed over 2 KB: tags/big/rss.xml is " in result.stderr
