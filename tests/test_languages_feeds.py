"""A multilingual site: one feed set per language, hreflang between translations and between
the language feeds, OPML and feeds.html per language, and addresses holding one language.

The posts are written as a plain site and given their language and translation key the way a
generator's `adapt` gives them (`Post.language`, `Post.translation_key`), so these tests do not
depend on any generator's reading of languages."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import Site, load_site, write_feeds
from syndicate.config import Config, load_config
from syndicate.dates import resolve_now
from syndicate.errors import ConfigError, Report
from syndicate.feeds.channels import build_taxonomy
from syndicate.feeds.listing import feeds_page, opml
from syndicate.sites import Language, PostRules, SiteSettings
from syndicate.sites.hugo.config import GROUPINGS

from .conftest import NOW, examples

BASE = "https://ml.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONFIG = f"""
[site]
title = "Trips"
base_url = "{BASE}"
language = "en"
[feeds]
groupings = ["tags"]
"""
# slug -> (language, translation key, tags); "" is the default language, as adapt may leave it.
POSTS = {
    "trip": ("en", "trip", ["travel"]),
    "voyage": ("fr", "trip", ["voyage"]),
    "reise": ("de", "trip", ["reise"]),
    "home": ("", "", ["travel"]),
    "maison": ("fr", "", ["voyage"]),
}
LANGUAGES = (
    Language("en", "Trips", BASE, "", 1, "en", True),
    Language("fr", "Voyages", f"{BASE}fr/", "fr/", 2, "fr_FR", False),
    Language("de", "Reisen", f"{BASE}de/", "de/", 3, "de", False),
)


ADDRESSES = """
[feeds.addresses."index.xml"]
feed = "site"
format = "rss"
[feeds.addresses."fr/index.xml"]
feed = "site"
format = "rss"
language = "fr"
[feeds.addresses."fr/tags/{term}/index.xml"]
feed = "tags"
format = "rss"
language = "fr"
"""


def write_site(root: Path, toml: str = "") -> Path:
    (root / "content/posts").mkdir(parents=True)
    for day, (slug, (_, _, tags)) in enumerate(POSTS.items(), 1):
        front = {"title": slug.title(), "date": f"2024-03-{day:02d}T08:00:00Z", "tags": tags}
        (root / f"content/posts/{slug}.md").write_text(
            f"{json.dumps(front, indent=1)}\nAbout {slug}.\n"
        )
    path = root / "config.toml"
    path.write_text(CONFIG + textwrap.dedent(toml))
    return path


def site_settings(root: Path, languages: tuple[Language, ...] = LANGUAGES) -> SiteSettings:
    # A taxonomy for each grouping, as a Hugo config declaring them (each term has a page).
    rules = PostRules("hugo", taxonomies=tuple((g, g) for g in GROUPINGS))
    return SiteSettings("hugo", root, (), {}, rules, {}, languages=languages)


def load(
    path: Path, monkeypatch: pytest.MonkeyPatch, languages: tuple[Language, ...] = LANGUAGES
) -> Config:
    """The config as a generator declaring `languages` makes it (its checks included)."""
    made = site_settings(path.parent, languages)
    monkeypatch.setattr("syndicate.config._generator_settings", lambda *_: made)
    return load_config(path)


def multilingual(config: Config) -> Site:
    """The site's posts, each with its language, translation key and its language's URL."""
    plain = dataclasses.replace(config, generator=None)  # the posts are read as a plain site's
    site = load_site(plain, now=NOW, env={})
    assert not site.report.errors, [str(p) for p in site.report.errors]
    site.config = config
    homes = {lang.code: lang.base_url for lang in LANGUAGES}
    posts = []
    for post in site.loaded.posts:
        lang, key, _ = POSTS[post.slug]
        url = f"{homes[lang or 'en']}posts/{post.slug}/"
        posts.append(
            dataclasses.replace(post, language=lang, translation_key=key, permalink=url, id=url)
        )
    site.loaded.posts = posts
    return site


def build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str = "") -> Path:
    config = load(write_site(tmp_path, toml), monkeypatch)
    result = write_feeds(config, multilingual(config))
    assert not result.report.errors, [str(p) for p in result.report.errors]
    return tmp_path / "public"


def xml(path: Path) -> Any:
    return etree.parse(str(path)).getroot()


def rss_titles(path: Path) -> list[str]:
    return [str(t) for t in xml(path).xpath("channel/item/title/text()")]


def test_each_language_has_its_feeds_with_its_posts_title_and_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = build(tmp_path, monkeypatch)
    assert rss_titles(public / "rss.xml") == ["Home", "Trip"]  # "" is the default language
    assert rss_titles(public / "fr/rss.xml") == ["Maison", "Voyage"]
    assert rss_titles(public / "de/rss.xml") == ["Reise"]
    fr_rss, fr_atom = xml(public / "fr/rss.xml"), xml(public / "fr/atom.xml")
    assert fr_rss.findtext("channel/title") == "Voyages"
    assert fr_rss.findtext("channel/language") == "fr-FR"  # the locale, as a language tag
    assert xml(public / "rss.xml").findtext("channel/language") == "en"
    assert fr_atom.get(XML_LANG) == "fr-FR"
    assert fr_atom.findtext(f"{ATOM}id") == f"{BASE}fr/atom.xml"
    assert fr_atom.findtext(f"{ATOM}author/{ATOM}name") == "Voyages"  # the site, in French
    assert fr_atom.findtext(f"{ATOM}author/{ATOM}uri") == f"{BASE}fr/"
    assert fr_atom.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}fr/atom.xml"
    assert fr_atom.find(f"{ATOM}link[@type='text/html']").get("href") == f"{BASE}fr/"
    feed = json.loads((public / "fr/feed.json").read_text())
    assert (feed["language"], feed["title"]) == ("fr-FR", "Voyages")
    assert feed["feed_url"] == f"{BASE}fr/feed.json"
    # Terms per language: each language's terms, under its folder, linked from its items.
    assert rss_titles(public / "fr/tags/voyage/rss.xml") == ["Maison", "Voyage"]
    assert rss_titles(public / "tags/travel/rss.xml") == ["Home", "Trip"]
    assert not (public / "tags/voyage").exists() and not (public / "fr/tags/travel").exists()
    assert xml(public / "fr/tags/voyage/rss.xml").findtext("channel/title") == (
        "Voyages — Tag: voyage"
    )
    [category] = fr_atom.findall(f"{ATOM}entry[{ATOM}title='Voyage']/{ATOM}category")
    assert category.get("scheme") == f"{BASE}fr/tags/"


def test_translations_of_a_post_are_linked_with_hreflang_in_its_atom_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = build(tmp_path, monkeypatch)
    expected = {
        "en": f"{BASE}posts/trip/",
        "fr-FR": f"{BASE}fr/posts/voyage/",
        "de": f"{BASE}de/posts/reise/",
    }
    for path, title in (("atom.xml", "Trip"), ("fr/atom.xml", "Voyage"), ("de/atom.xml", "Reise")):
        [entry] = xml(public / path).findall(f"{ATOM}entry[{ATOM}title='{title}']")
        links = entry.findall(f"{ATOM}link[@hreflang]")
        assert {link.get("hreflang"): link.get("href") for link in links} == expected
        assert {(link.get("rel"), link.get("type")) for link in links} == {
            ("alternate", "text/html")
        }
        parsed = feedparser.parse((public / path).read_bytes()).entries
        [item] = [e for e in parsed if e.title == title]
        assert {link.get("hreflang") for link in item.links} >= set(expected)
    # A post without translations has no hreflang links.
    [home] = xml(public / "atom.xml").findall(f"{ATOM}entry[{ATOM}title='Home']")
    assert home.findall(f"{ATOM}link[@hreflang]") == []


def test_each_language_feed_links_the_same_feed_in_the_other_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = build(tmp_path, monkeypatch)
    atom = xml(public / "fr/atom.xml")
    links = atom.findall(f"{ATOM}link[@hreflang]")
    assert {(link.get("hreflang"), link.get("href")) for link in links} == {
        ("en", f"{BASE}atom.xml"),
        ("de", f"{BASE}de/atom.xml"),
    }
    assert {(link.get("rel"), link.get("type")) for link in links} == {
        ("alternate", "application/atom+xml")
    }
    rss = xml(public / "rss.xml")
    links = rss.findall(f"channel/{ATOM}link[@hreflang]")
    assert {(link.get("hreflang"), link.get("href"), link.get("type")) for link in links} == {
        ("fr-FR", f"{BASE}fr/rss.xml", "application/rss+xml"),
        ("de", f"{BASE}de/rss.xml", "application/rss+xml"),
    }
    assert rss.findtext("channel/link") == BASE  # still the channel's own page
    # A term only one language has links no other.
    assert xml(public / "fr/tags/voyage/atom.xml").findall(f"{ATOM}link[@hreflang]") == []


def validator() -> Any:
    """The W3C feed validator's own code, from a work tree of w3c/feedvalidator
    (SYNDICATE_FEEDVALIDATOR, else /tmp/feedvalidator)."""
    checkout = Path(os.environ.get("SYNDICATE_FEEDVALIDATOR", "/tmp/feedvalidator"))
    if not (checkout / "src/feedvalidator").is_dir():
        pytest.skip(f"no checkout of https://github.com/w3c/feedvalidator at {checkout}")
    sys.path.insert(0, str(checkout / "src"))
    try:
        import feedvalidator  # type: ignore[import-not-found]
        from feedvalidator import compatibility
    finally:
        sys.path.remove(str(checkout / "src"))
    return lambda data, url: compatibility.AA(
        feedvalidator.validateStream(io.BytesIO(data), firstOccurrenceOnly=1, base=url)[
            "loggedEvents"
        ]
    )


def test_every_language_feed_passes_the_w3c_validator_and_feedparser_without_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validate = validator()
    public = build(tmp_path, monkeypatch, ADDRESSES)
    feeds = sorted(public.rglob("*.xml"))
    # The site's and its tags' feeds in each language, and the addresses' files.
    assert len(feeds) == 2 * (3 + 3) + 3
    for path in feeds:
        rel = path.relative_to(public).as_posix()
        data = path.read_bytes()
        events = validate(data, BASE + rel)
        assert not events, (rel, [(type(e).__name__, e.params) for e in events])
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (rel, parsed.get("bozo_exception"))


def test_an_address_holds_the_posts_of_its_language_else_the_default_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = build(tmp_path, monkeypatch, ADDRESSES)
    assert rss_titles(public / "index.xml") == ["Home", "Trip"]
    assert rss_titles(public / "fr/index.xml") == ["Maison", "Voyage"]
    assert rss_titles(public / "fr/tags/voyage/index.xml") == ["Maison", "Voyage"]
    assert not (public / "fr/tags/travel").exists()
    fr = xml(public / "fr/index.xml")
    assert fr.findtext("channel/language") == "fr-FR"
    assert fr.find(f"channel/{ATOM}link[@rel='self']").get("href") == f"{BASE}fr/index.xml"
    # The addresses of one feed in two languages link each other.
    links = fr.findall(f"channel/{ATOM}link[@hreflang]")
    assert [(link.get("hreflang"), link.get("href")) for link in links] == [
        ("en", f"{BASE}index.xml")
    ]


def test_an_address_language_the_site_does_not_have_is_a_config_error_naming_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = '[feeds.addresses."es/index.xml"]\nfeed = "site"\nformat = "rss"\nlanguage = "es"\n'
    path = write_site(tmp_path, toml)
    with pytest.raises(ConfigError) as caught:
        load(path, monkeypatch)
    assert caught.value.problems == [
        f'{path}: feeds.addresses."es/index.xml".language: "es" is not a language of the site '
        "(its languages: en, fr, de)"
    ]
    with pytest.raises(ConfigError) as caught:  # a one-language site: only its language
        load(path, monkeypatch, ())
    assert 'language: "es" is not a language of the site (its one language: en)' in str(
        caught.value
    )
    path.write_text(path.read_text().replace('"es"', '"en"'))
    assert load(path, monkeypatch, ()).feeds.addresses["es/index.xml"].language == "en"


def test_opml_and_feeds_page_per_language_list_its_feeds_and_the_other_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = build(tmp_path, monkeypatch)
    opml = xml(public / "fr/feeds.opml")
    assert opml.findtext("head/title") == "Voyages — all feeds"
    assert opml.findtext("head/dateModified") == "Tue, 05 Mar 2024 08:00:00 +0000"  # Maison
    urls = opml.xpath("body/outline/outline[@type='rss']/@xmlUrl")
    assert urls == [f"{BASE}fr/atom.xml", f"{BASE}fr/tags/voyage/atom.xml"]
    includes = opml.xpath("body/outline/outline[@type='include']/@url")
    assert includes == [f"{BASE}feeds.opml", f"{BASE}de/feeds.opml"]
    root_urls = xml(public / "feeds.opml").xpath("body/outline/outline[@type='rss']/@xmlUrl")
    assert root_urls == [f"{BASE}atom.xml", f"{BASE}tags/travel/atom.xml"]
    page = etree.parse(str(public / "fr/feeds.html"), etree.HTMLParser()).getroot()
    assert page.get("lang") == "fr-FR"
    assert page.xpath("//head/link[@type='application/atom+xml']/@href") == [f"{BASE}fr/atom.xml"]
    alternates = page.xpath("//head/link[@hreflang]")
    assert [(a.get("hreflang"), a.get("href")) for a in alternates] == [
        ("en", f"{BASE}feeds.html"),
        ("de", f"{BASE}de/feeds.html"),
    ]
    assert page.xpath("//a[@hreflang]/text()") == ["Trips", "Reisen"]
    assert page.xpath("//a[contains(@href, 'feeds.opml')]/@href") == [f"{BASE}fr/feeds.opml"]
    assert f"{BASE}tags/travel/atom.xml" not in (public / "fr/feeds.html").read_text()


def test_a_site_whose_generator_declares_one_language_gets_the_feeds_of_a_plain_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_site(tmp_path / "plain")
    plain = load_config(path)
    write_feeds(plain, load_site(plain, now=NOW, env={}))
    path = write_site(tmp_path / "one")
    # What the one language says of itself is not used: [site]'s values are the feeds'.
    own = dataclasses.replace(LANGUAGES[0], title="Other", base_url=f"{BASE}en/", prefix="en/")
    one = load(path, monkeypatch, (dataclasses.replace(own, locale="en_GB"),))
    site = load_site(dataclasses.replace(one, generator=None), now=NOW, env={})
    site.config = one
    write_feeds(one, site)

    def files(public: Path) -> dict[str, bytes]:
        return {p.relative_to(public).as_posix(): p.read_bytes() for p in public.rglob("*.*")}

    assert files(tmp_path / "one/public") == files(tmp_path / "plain/public")


def test_a_multilingual_plan_keeps_what_a_quick_rebuild_needs_for_translations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.feeds.channels import feed_languages
    from syndicate.incremental.feed_plan import BuildPlan

    config = load(write_site(tmp_path), monkeypatch)
    site = multilingual(config)
    assert site.cache is not None
    write_feeds(config, site)
    assert site.cache.plan is not None
    plan = BuildPlan.from_row(site.cache.plan)
    translations = build_taxonomy(config, site.posts, Report()).translations
    assert translations and plan.taxonomy(feed_languages(config)).translations == translations
    linked = [d for d in plan.docs if d.alternates]
    assert linked and all(len(d.alternates) == 2 for d in linked)  # the other two languages


def test_a_post_in_a_language_the_site_does_not_declare_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load(write_site(tmp_path), monkeypatch)
    site = multilingual(config)
    posts = [dataclasses.replace(p, language="es") if p.slug == "home" else p for p in site.posts]
    report = Report()
    taxonomy = build_taxonomy(config, posts, report)
    assert all(p.slug != "home" for c in taxonomy.channels for p in c.posts)
    [warning] = report.warnings
    assert warning.location is not None and warning.location.path.name == "home.md"
    assert "language 'es' is not one of the site's (en, fr, de)" in warning.message


@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
@given(title=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1))
def test_a_language_title_is_text_in_the_feeds_page_and_the_opml(
    tmp_path: Path, title: str
) -> None:
    path = tmp_path / "config.toml"
    if not path.exists():
        path.write_text(CONFIG)
    fr = dataclasses.replace(LANGUAGES[1], title=title)
    config = dataclasses.replace(
        load_config(path), generator=site_settings(tmp_path, (LANGUAGES[0], fr))
    )
    page = feeds_page(config, [])
    root = etree.fromstring(page.data, etree.HTMLParser())
    assert root.xpath("//a[@hreflang]/text()") == [title]
    assert root.xpath("//head/link[@hreflang]/@title") == [title]
    included = etree.fromstring(opml(config, [], datetime(2024, 1, 1, tzinfo=UTC)).data)
    assert included.xpath("//outline[@type='include']/@text") == [f"{title} (fr-FR)"]


def test_an_address_may_not_take_a_languages_feeds_page_or_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    toml = """
    [feeds.addresses."fr/feeds.html"]
    feed = "site"
    format = "rss"
    language = "fr"
    [feeds.addresses."de/tags/{term}/rss.xml"]
    feed = "tags"
    format = "rss"
    language = "de"
    """
    config = load(write_site(tmp_path, toml), monkeypatch)
    report = Report()
    taxonomy = build_taxonomy(config, multilingual(config).posts, report)
    assert taxonomy.addresses == ()
    assert sorted(p.message for p in report.errors) == [
        'feeds.addresses."de/tags/{term}/rss.xml" (tag \'reise\'): "de/tags/reise/rss.xml" is '
        "already a file the build writes",
        'feeds.addresses."fr/feeds.html": "fr/feeds.html" is already a file the build writes',
    ]


def test_two_posts_of_one_language_with_one_translation_key_give_one_link_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(POSTS, "maison", ("fr", "trip", ["voyage"]))
    public = build(tmp_path, monkeypatch)
    [entry] = xml(public / "atom.xml").findall(f"{ATOM}entry[{ATOM}title='Trip']")
    links = [(a.get("hreflang"), a.get("href")) for a in entry.findall(f"{ATOM}link[@hreflang]")]
    assert links == [
        ("fr-FR", f"{BASE}fr/posts/maison/"),  # the first by URL
        ("de", f"{BASE}de/posts/reise/"),
        ("en", f"{BASE}posts/trip/"),  # its own, last
    ]


def test_a_translated_entrys_link_is_its_own_page_for_readers_taking_the_first_or_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    public = build(tmp_path, monkeypatch)
    for path, own in (("atom.xml", "posts/trip/"), ("fr/atom.xml", "fr/posts/voyage/")):
        [entry] = [
            e
            for e in xml(public / path).findall(f"{ATOM}entry")
            if e.findtext(f"{ATOM}id") == BASE + own
        ]
        alternates = [a.get("href") for a in entry.findall(f"{ATOM}link[@rel='alternate']")]
        assert len(alternates) > 2 and alternates[0] == alternates[-1] == BASE + own
        parsed = feedparser.parse((public / path).read_bytes())
        assert BASE + own in {e.link for e in parsed.entries}  # feedparser takes the last


def test_a_language_without_posts_has_feeds_that_do_not_change_with_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A language with no posts yet (letsencrypt.org has 27): its feeds were dated by the
    clock, and so written again at every build; now by the site's newest post."""
    spanish = Language("es", "Viajes", f"{BASE}es/", "es/", 4, "es", False)
    made = []
    for n, now in enumerate(("2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z")):
        config = load(write_site(tmp_path / str(n)), monkeypatch, (*LANGUAGES, spanish))
        site = multilingual(config)
        site.now = resolve_now(now, {}, config.tz)
        write_feeds(config, site)
        made.append((tmp_path / str(n) / "public/es/rss.xml").read_bytes())
    assert made[0] == made[1]
    assert b"<lastBuildDate>Mon, 04 Mar 2024 08:00:00 +0000</lastBuildDate>" in made[0]  # home
