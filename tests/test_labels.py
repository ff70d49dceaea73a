"""The words syndicate writes itself, in each language: the labels of term and section feeds
(`[feeds.labels]`, `[feeds.language.<code>]`) and of the digest (`[digest.labels]`,
`[digest.language.<code>]`), English by default; each checked as the config loads, and each
escaped for where it lands."""

from __future__ import annotations

import atexit
import dataclasses
import html
import json
import re
import shutil
import sys
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import html5lib
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import Site, choose_period, feed_artifacts
from syndicate.config import (
    ARCHIVE_WORDS,
    WORDS_PLACEHOLDER,
    Config,
    DigestLabels,
    FeedLabels,
    PluralWords,
    fill_words,
    load_config,
)
from syndicate.digest.labels import plural_words
from syndicate.digest.merge_tags import DIALECTS
from syndicate.digest.render import DigestRenderer, group_posts, heading, posts_in
from syndicate.errors import ConfigError
from syndicate.tables import given as keys_given
from syndicate.tables import validate

from .conftest import (
    BASE_CONFIG,
    REPO,
    SiteDir,
    check_golden,
    copy_fixture,
    examples,
    run_in_process,
)
from .conftest import NOW as LATER
from .local_templates import templates_module, this_trees_templates  # noqa: F401

ANANKE = REPO / "tests/fixtures/sites/hugo/ananke-example/site"
NOW = "2024-01-01T00:00:00Z"

FRENCH = """
[feeds]
groupings = ["tags", "authors", "sections"]

[feeds.language.fr.labels]
tags = "Étiquette"
sections = "Rubrique"
title = "{label} « {name} » — {site}"
description = "Articles de {site} : {label} « {name} »"
page_title = "Flux — {site}"
follow = "Suivre {site}"
page_intro = "Copiez l'adresse d'un flux dans votre lecteur, ou importez {opml}."
opml_link = "tous les flux d'un coup (OPML)"
everything = "Tout"
posts = {one = "{count} article", other = "{count} articles"}
site_owners = "Pour les propriétaires du site"
paste = "Collez ceci dans le {head} de vos pages :"
other_languages = "Autres langues"
opml_title = "{site} — tous les flux"

[digest]
from = "Ananke <news@example.org>"
max_posts = 1
languages = ["fr"]

[digest.language.fr.labels]
category_heading = "Catégorie : {name}"
read_post = "Lire « {title} »"
read_more = "Lire la suite"
view_online = "Voir dans le navigateur"
subscribed = "Vous recevez ce courriel car vous êtes abonné à {site}."
more_posts = {one = "Et {count} autre article cette semaine", other = "Et {count} autres articles cette semaine"}
more_posts_text = {one = "Et {count} autre article", other = "Et {count} autres articles"}
subject_more = {one = "et {count} autre", other = "et {count} autres"}
"""
# A French post in a category, newer than the site's French chapter (a Hugo taxonomy), that
# names its author (the site's default author files no post under an author feed).
CHAPTER = """---
title: "Chapitre II: Pierre Gringoire"
date: 2017-04-10T11:00:59-04:00
categories: ["Roman"]
author: Victor Hugo
---
Texte.
"""


@pytest.fixture(scope="module")
def ananke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Hugo site ananke-example (English and French), after `init`, with French
    labels, built, and its digest of March and April 2017 written in each language."""
    root = tmp_path_factory.mktemp("ananke") / "site"
    shutil.copytree(ANANKE, root)
    (root / "content/fr/post/chapitre-2.md").write_text(CHAPTER, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "syndicate.email_templates", templates_module())
        for args in (
            ["init"],
            ["build", "--now", NOW],
            ["digest", "--since", "2017-03-01", "--until", "2017-05-01", "--now", NOW],
        ):
            if args == ["build", "--now", NOW]:
                with (root / "syndicate.toml").open("a", encoding="utf-8") as config:
                    config.write(FRENCH)
            result = run_in_process(*args, cwd=root)
            assert result.returncode == 0, result.stderr
    return root


def feed_text(path: Path) -> tuple[str, str]:
    """The title and description of a feed file, read as a feed reader reads it."""
    if path.suffix == ".json":
        feed = json.loads(path.read_bytes())
        return feed["title"], feed["description"]
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, (path, parsed.bozo_exception)
    return parsed.feed.title, parsed.feed.subtitle


def feed_text_of(data: bytes) -> tuple[str, str]:
    feed = json.loads(data)
    return feed["title"], feed["description"]


def test_a_languages_term_and_section_feeds_are_titled_in_its_words(ananke: Path) -> None:
    public = ananke / "public"
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert feed_text(public / "fr/tags/scene" / name) == (
            "Étiquette « scene » — Ananke Fr",
            "Articles de Ananke Fr : Étiquette « scene »",
        ), name
        # The section's name is its section page's title (content/fr/post/_index.md).
        assert feed_text(public / "fr/sections/post" / name)[0] == (
            "Rubrique « Articles » — Ananke Fr"
        )
        # A key the language leaves out is [feeds]'s, here the English default.
        assert feed_text(public / "fr/authors/victor-hugo" / name)[0] == (
            "Author « Victor Hugo » — Ananke Fr"
        )
        assert feed_text(public / "tags/scene" / name) == (
            "Ananke — Tag: scene",
            "Tag “scene” on Ananke",
        ), name
    # The generator's own addresses carry the same feeds.
    assert feed_text(public / "fr/tags/scene/index.xml")[0] == "Étiquette « scene » — Ananke Fr"
    assert feed_text(public / "fr/post/index.xml")[0] == "Rubrique « Articles » — Ananke Fr"


def test_a_languages_feeds_page_and_opml_head_its_groups_in_its_words(ananke: Path) -> None:
    page = etree.parse(str(ananke / "public/fr/feeds.html"), etree.HTMLParser())
    assert page.xpath("//h2/text()") == [
        "Tout",
        "Étiquette",
        "Author",
        "Rubrique",
        "Pour les propriétaires du site",
        "Autres langues",
    ]
    outlines = etree.parse(str(ananke / "public/fr/feeds.opml")).xpath("/opml/body/outline/@text")
    assert "Étiquette" in outlines and "Rubrique" in outlines
    english = etree.parse(str(ananke / "public/feeds.html"), etree.HTMLParser())
    assert "Tag" in english.xpath("//h2/text()")


def test_every_word_of_a_languages_feeds_page_is_its_own(ananke: Path) -> None:
    page = etree.parse(str(ananke / "public/fr/feeds.html"), etree.HTMLParser())
    assert page.xpath("/html/@lang") == ["fr-FR"] and not page.xpath("/html/@dir")
    assert page.xpath("//title/text()") == ["Flux — Ananke Fr"]
    assert page.xpath("//h1/text()") == ["Suivre Ananke Fr"]
    intro = page.xpath("//p[a[contains(@href, 'feeds.opml')]]")[0]
    assert "".join(intro.itertext()) == (
        "Copiez l'adresse d'un flux dans votre lecteur, ou importez tous les flux d'un coup (OPML)."
    )
    assert intro.xpath("a/@href") == ["https://gohugo-theme-ananke.pages.dev/fr/feeds.opml"]
    paste = page.xpath("//p[code]")[0]
    assert "".join(paste.itertext()) == "Collez ceci dans le <head> de vos pages :"
    # French counts 0 and 1 in the `one` form (CLDR), from Babel.
    counts = {
        li.xpath("a/text()")[0]: li.xpath("text()")[0].strip()
        for li in page.xpath("//h2[text()='Rubrique']/following-sibling::ul[1]/li")
    }
    assert counts == {"post": "(2 articles)"}
    tag = page.xpath("//h2[text()='Étiquette']/following-sibling::ul[1]/li/text()")[0]
    assert tag.strip() == "(1 article)"
    english = page.xpath("//h2[text()='Autres langues']/following-sibling::ul[1]/li/a")[0]
    assert (english.get("lang"), english.text) == ("en-US", "Ananke")
    opml = etree.parse(str(ananke / "public/fr/feeds.opml"))
    assert opml.findtext("head/title") == "Ananke Fr — tous les flux"
    others = opml.xpath("/opml/body/outline[@text='Autres langues']/outline[@type='include']")
    assert [o.get("text") for o in others] == ["Ananke (en-US)"]
    assert opml.xpath("/opml/body/outline[1]/@text") == ["Site"]


def test_the_default_languages_feeds_page_keeps_the_english_words(ananke: Path) -> None:
    page = etree.parse(str(ananke / "public/feeds.html"), etree.HTMLParser())
    assert page.xpath("//h1/text()") == ["Follow Ananke"]
    assert page.xpath("//h2/text()")[0] == "Everything"
    assert page.xpath("//h2/text()")[-2:] == ["For site owners", "Other languages"]
    assert etree.parse(str(ananke / "public/feeds.opml")).findtext("head/title") == (
        "Ananke — all feeds"
    )


def outbox(root: Path, suffix: str = "") -> Path:
    return root / "outbox" / f"2017-03-01--2017-04-30{suffix}"


def test_a_languages_digest_is_worded_by_its_labels_in_html_and_text(ananke: Path) -> None:
    page = etree.parse(str(outbox(ananke, "-fr") / "email.html"), etree.HTMLParser())
    assert page.xpath("//td[@class='group-title']/text()") == ["Catégorie : Roman"]
    assert page.xpath("//a[@class='read-more']/text()") == [
        "Lire « Chapitre II: Pierre Gringoire »"
    ]
    assert page.xpath("//a[@class='more-link']/text()") == ["Et 1 autre article cette semaine"]
    links = page.xpath("//td[@class='footer']//a/text()")
    assert links == ["Ananke Fr", "Voir dans le navigateur"]
    footer = "".join(page.xpath("//td[@class='footer']//text()"))
    assert "Vous recevez ce courriel car vous êtes abonné à Ananke Fr." in footer
    text = (outbox(ananke, "-fr") / "email.txt").read_text(encoding="utf-8")
    assert "CATÉGORIE : ROMAN\n-----------------\n" in text
    assert "\nLire la suite: https://gohugo-theme-ananke.pages.dev/fr/post/chapitre-2/\n" in text
    assert "\nEt 1 autre article: https://" in text
    assert "\nVoir dans le navigateur: https://" in text
    assert "Read" not in text and "View in your browser" not in text


FRENCH_HOME = "https://gohugo-theme-ananke.pages.dev/fr/"


def test_a_languages_digest_is_titled_and_linked_in_its_language(ananke: Path) -> None:
    folder = outbox(ananke, "-fr")
    summary = json.loads((folder / "digest.json").read_text(encoding="utf-8"))
    assert summary["subject"] == "Ananke Fr: Chapitre II: Pierre Gringoire et 1 autre"
    message = (folder / "message.eml").read_text(encoding="utf-8")
    assert f"\nSubject: {summary['subject']}\n" in "\n" + message
    page = html5lib.parse((folder / "email.html").read_bytes(), namespaceHTMLElements=False)
    assert page.get("lang") == "fr"
    masthead = page.find(".//td[@class='masthead']/a")
    assert (masthead.text, masthead.get("href")) == ("Ananke Fr", FRENCH_HOME)
    assert page.findtext(".//title") == summary["subject"]
    footer_site = page.find(".//td[@class='footer']/a")
    assert (footer_site.text, footer_site.get("href")) == ("Ananke Fr", FRENCH_HOME)
    text = (folder / "email.txt").read_text(encoding="utf-8")
    assert text.startswith("Ananke Fr\n")


def test_a_languages_web_copy_is_in_its_words_and_links_its_feeds_page(ananke: Path) -> None:
    folder = ananke / "public/digests/fr/2017-03-01--2017-04-30-fr"
    page = html5lib.parse((folder / "index.html").read_bytes(), namespaceHTMLElements=False)
    assert page.get("lang") == "fr" and page.get("dir") is None
    assert page.findtext(".//td[@class='masthead']/a") == "Ananke Fr"
    assert [a.text for a in page.iterfind(".//a[@class='read-more']")] == [
        "Lire « Chapitre II: Pierre Gringoire »"
    ]
    links = {a.text: a.get("href") for a in page.iterfind(".//td[@class='footer']/a")}
    assert links["Ananke Fr"] == FRENCH_HOME
    # Its "follow" label is the English default here: [digest.language.fr.labels] has none.
    assert links["Follow by feed or email"] == FRENCH_HOME + "feeds.html"


def test_the_default_languages_digest_keeps_the_english_words(ananke: Path) -> None:
    page = etree.parse(str(outbox(ananke) / "email.html"), etree.HTMLParser())
    assert page.xpath("//td[@class='masthead']/a/text()") == ["Ananke"]
    assert page.xpath("//td[@class='masthead']/a/@href") == [
        "https://gohugo-theme-ananke.pages.dev/"
    ]
    assert page.xpath("//a[@class='read-more']/text()")[0].startswith("Read “")
    assert page.xpath("//a[@class='more-link']/text()") == ["And 5 more posts this week"]
    text = (outbox(ananke) / "email.txt").read_text(encoding="utf-8")
    assert "\nRead more: https://" in text and "\nAnd 5 more posts: https://" in text


# --- the config -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[feeds.labels]\ntag = "Schlagwort"\n',
            'feeds.labels.tag: unknown key (did you mean "tags"?)',
        ),
        (
            '[feeds.labels]\ntitle = "{site}: {kind}"\n',
            "feeds.labels.title: unknown placeholder {kind}; use {site}, {label}, {name}",
        ),
        (
            '[feeds.language.en.labels]\ndescription = "{term} on {site}"\n',
            "feeds.language.en.labels.description: unknown placeholder {term}; "
            "use {site}, {label}, {name}",
        ),
        (
            '[feeds.language.de.labels]\ntags = "Schlagwort"\n',
            'feeds.language.de: "de" is not a language of the site (its one language: en)',
        ),
        (
            '[feeds.labels]\ntags = ""\n',
            'feeds.labels.tags: string should have at least 1 character, got ""',
        ),
        (
            '[digest.labels]\nseries_heading = "Serie: {series}"\n',
            "digest.labels.series_heading: unknown placeholder {series}; use {name}",
        ),
        (
            '[digest.labels]\nview_online = "Im Browser {ansehen}"\n',
            "digest.labels.view_online: unknown placeholder {ansehen}; this text takes none",
        ),
        (
            '[digest.labels]\nmore_posts = {one = "Und ein weiterer"}\n',
            "digest.labels.more_posts.other: missing required key",
        ),
        (
            '[digest.labels]\nmore_posts = {other = "{n} weitere", few = "{count}"}\n',
            "digest.labels.more_posts: unknown placeholder {n}; use {count}",
        ),
        (
            "[digest.labels]\nread_more = 3\n",
            "digest.labels.read_more: expected a string, got 3",
        ),
        (
            '[feeds.labels]\ntags = "Tag\\u0001"\n',
            "feeds.labels.tags: must not hold the control character U+0001; remove it",
        ),
        (
            '[digest.labels]\narchive_posts = {one = "1", other = "{count}\\u000b"}\n',
            "digest.labels.archive_posts: must not hold the control character U+000B; remove it",
        ),
        (
            '[feeds.labels]\nfollow = "{name} folgen"\n',
            "feeds.labels.follow: unknown placeholder {name}; use {site}",
        ),
        (
            '[feeds.labels]\neverything = "Alles {site}"\n',
            "feeds.labels.everything: unknown placeholder {site}; this text takes none",
        ),
        (
            '[feeds.language.en.labels]\nposts = {one = "{n} Beitrag", other = "{count}"}\n',
            "feeds.language.en.labels.posts: unknown placeholder {n}; use {count}",
        ),
        (
            '[digest.labels]\narchive_intro = "{site}: {feed}"\n',
            "digest.labels.archive_intro: unknown placeholder {feed}; use {site}, {feeds}, "
            "{all_feeds}",
        ),
    ],
)
def test_a_bad_label_is_a_config_error_naming_its_key(
    site: SiteDir, toml: str, message: str
) -> None:
    path = site.config(toml)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [f"{path}: {message}"]
    result = run_in_process("check", "--config", str(path), cwd=site.root)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_digest_languages_labels_fall_back_key_by_key(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.digest.editions import language_edition
    from syndicate.sites import Language, PostRules, SiteSettings

    path = site.config(
        """
        [digest]
        from = "T <t@example.com>"
        languages = ["de"]
        [digest.labels]
        read_more = "Continue"
        [digest.language.de.labels]
        view_online = "Im Browser ansehen"
        """
    )
    languages = (
        Language("en", "Test Site", "https://blog.example.com/", "", 1, "en", True),
        Language("de", "Testseite", "https://blog.example.com/de/", "de/", 2, "de", False),
    )
    made = SiteSettings("hugo", site.root, (), {}, PostRules("hugo"), {}, languages=languages)
    monkeypatch.setattr("syndicate.config._generator_settings", lambda *_: made)
    config = load_config(path)
    labels = language_edition(config, "de").config.digest.labels
    assert labels.view_online == "Im Browser ansehen"
    assert labels.read_more == "Continue"
    assert labels.series_heading == DigestLabels().series_heading
    assert config.digest.labels.view_online == "View in your browser"


def test_a_digest_languages_table_cannot_word_the_default_languages_digests_index(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.sites import Language, PostRules, SiteSettings

    path = site.config(
        """
        [digest]
        from = "T <t@example.com>"
        languages = ["de"]
        [digest.language.de.labels]
        view_online = "Im Browser ansehen"
        archive_title = "{site} — Rundbrief"
        """
    )
    languages = (
        Language("en", "Test Site", "https://blog.example.com/", "", 1, "en", True),
        Language("de", "Testseite", "https://blog.example.com/de/", "de/", 2, "de", False),
    )
    made = SiteSettings("hugo", site.root, (), {}, PostRules("hugo"), {}, languages=languages)
    monkeypatch.setattr("syndicate.config._generator_settings", lambda *_: made)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        f"{path}: digest.language.de.labels.archive_title: the digests' feed and index page "
        "list the default language's digests; set it in [digest.labels]"
    ]


def test_a_one_language_sites_language_table_words_its_feeds(site: SiteDir) -> None:
    site.config(
        """
        [feeds.labels]
        tags = "Label"
        title = "{label} {name} ({site})"
        [feeds.language.en.labels]
        tags = "Etikett"
        """
    )
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-11-12\ntags: [Alps]\n---\nA\n")
    files = {a.path: a.joined() for a in feed_artifacts(site.load()).artifacts}
    assert feed_text_of(files["tags/alps/feed.json"]) == (
        "Etikett Alps (Test Site)",
        "Etikett “Alps” on Test Site",
    )


# --- one-language sites: the defaults, another language, a language written right to left ---

GOLDEN = REPO / "tests/golden/feedsite"


def test_the_default_words_keep_the_feeds_page_and_digests_index_byte_for_byte(
    tmp_path: Path, update_golden: bool
) -> None:
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    for args in (["digest", "--week", "2024-W14", "--now", LATER], ["build", "--now", LATER]):
        result = run_in_process(*args, cwd=root)
        assert result.returncode == 0, result.stderr
    for name in ("feeds.html", "digests/index.html"):
        check_golden((root / "public" / name).read_bytes(), GOLDEN / name, update_golden)


def one_language_site(site: SiteDir, language: str, extra: str = "") -> Path:
    """`site` in `language`, with two posts in the week 2024-W46, its digest of that week
    published, then built (so that its feeds page lists the digests' feed)."""
    text = BASE_CONFIG.replace("timezone =", f'language = "{language}"\ntimezone =')
    site.config(replace=text + '[digest]\nfrom = "T <t@example.com>"\n' + extra)
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-11-12\ntags: [Alps]\n---\nA\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-11-13\ntags: [Alps]\n---\nB\n")
    for args in (["digest", "--week", "2024-W46", "--now", LATER], ["build", "--now", LATER]):
        result = run_in_process(*args, cwd=site.root)
        assert result.returncode == 0, result.stderr
    return site.root / "public"


GERMAN = """
[digest.labels]
archive_title = "{site} — Rundbrief"
archive_description = "Jede Ausgabe von {site}"
archive_intro = "Alle Ausgaben von {site}, die neueste zuerst, per Feed: {feeds}; oder {all_feeds}."
all_feeds = "alle Feeds"
archive_posts = {one = "{count} Beitrag", other = "{count} Beiträge"}

[feeds.labels]
newsletter = "Rundbrief"
posts = {one = "{count} Beitrag", other = "{count} Beiträge"}
"""


def test_the_digests_index_and_feed_are_worded_by_the_digest_labels(site: SiteDir) -> None:
    public = one_language_site(site, "de", GERMAN)
    page = html5lib.parse((public / "digests/index.html").read_bytes(), namespaceHTMLElements=False)
    assert page.get("lang") == "de" and page.get("dir") is None
    assert page.findtext(".//title") == page.findtext(".//h1") == "Test Site — Rundbrief"
    intro = page.find(".//body/p")
    assert "".join(intro.itertext()) == (
        "Alle Ausgaben von Test Site, die neueste zuerst, per Feed: RSS Atom JSON Feed; "
        "oder alle Feeds."
    )
    assert [a.get("href") for a in intro.iterfind("a")] == [
        "https://blog.example.com/",
        *(
            f"https://blog.example.com/digests/{name}"
            for name in ("rss.xml", "atom.xml", "feed.json")
        ),
        "https://blog.example.com/feeds.html",
    ]
    assert page.findtext(".//li/span[@class='meta']") == "11.–17. November 2024 · 2 Beiträge"
    parsed = feedparser.parse((public / "digests/atom.xml").read_bytes())
    assert not parsed.bozo
    assert (parsed.feed.title, parsed.feed.subtitle) == (
        "Test Site — Rundbrief",
        "Jede Ausgabe von Test Site",
    )
    feeds = html5lib.parse((public / "feeds.html").read_bytes(), namespaceHTMLElements=False)
    assert [a.text for a in listed(feeds, "Rundbrief")] == ["Test Site — Rundbrief"]
    assert [a.tail for a in listed(feeds, "Tag")] == [" (2 Beiträge) "]


def listed(page: Any, heading: str) -> list[Any]:
    """The first link of each item listed under the heading `heading` of a feeds page."""
    body = list(page.find("body"))
    found = next(i for i, e in enumerate(body) if e.tag == "h2" and e.text == heading)
    return [li.find("a") for li in body[found + 1].iterfind("li")]


@pytest.mark.parametrize("language", ["ar", "fa", "he"])
def test_a_site_written_right_to_left_says_so_on_every_page(site: SiteDir, language: str) -> None:
    public = one_language_site(site, language)
    pages = [
        public / "feeds.html",
        public / "digests/index.html",
        public / "digests/2024-W46/index.html",
        site.root / "outbox/2024-W46/email.html",
    ]
    for path in pages:
        root = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
        assert (root.get("lang"), root.get("dir")) == (language, "rtl"), path


def test_a_language_written_right_to_left_has_its_feeds_page_and_links_marked_so(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.sites import Language, PostRules, SiteSettings

    site.config()
    languages = (
        Language("en", "Test Site", "https://blog.example.com/", "", 1, "en", True),
        Language("ar", "موقع", "https://blog.example.com/ar/", "ar/", 2, "ar", False),
    )
    made = SiteSettings("hugo", site.root, (), {}, PostRules("hugo"), {}, languages=languages)
    monkeypatch.setattr("syndicate.config._generator_settings", lambda *_: made)
    files = {a.path: a.joined() for a in feed_artifacts(site.load()).artifacts}
    english = html5lib.parse(files["feeds.html"], namespaceHTMLElements=False)
    assert english.get("dir") is None
    arabic = english.find(".//li/a[@hreflang='ar']")
    assert (arabic.text, arabic.get("lang"), arabic.get("dir")) == ("موقع", "ar", "rtl")
    page = html5lib.parse(files["ar/feeds.html"], namespaceHTMLElements=False)
    assert (page.get("lang"), page.get("dir")) == ("ar", "rtl")
    back = page.find(".//li/a[@hreflang='en']")
    assert (back.get("lang"), back.get("dir")) == ("en", None)


# --- words in code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "1 Beitrag"), (3, "3 Beiträge"), (0, "0 Beiträge")]
)
def test_a_number_takes_its_languages_plural_form(count: int, expected: str) -> None:
    words = PluralWords(one="{count} Beitrag", other="{count} Beiträge")
    assert fill_words(plural_words(words, count, "de"), count=str(count)) == expected


@pytest.mark.parametrize(("count", "form"), [(1, "one"), (3, "few"), (5, "many"), (22, "few")])
def test_polish_numbers_take_the_few_and_many_forms(count: int, form: str) -> None:
    words = PluralWords(one="one", few="few", many="many", other="other")
    assert plural_words(words, count, "pl") == form
    assert plural_words(PluralWords(other="other"), count, "pl") == "other"


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["en", "en-GB", "en_US"]))
def test_english_numbers_take_babels_plural_form_without_its_locale_data(
    count: int, tag: str
) -> None:
    from babel import Locale

    words = PluralWords(zero="zero", one="one", two="two", few="few", many="many", other="other")
    assert plural_words(words, count, tag) == Locale.parse("en").plural_form(count)


def test_group_headings_are_kind_and_name_worded_by_the_labels(site: SiteDir) -> None:
    site.config()
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-11-12\nseries: [Trips]\n---\nA\n")
    site.post("posts/b.md", "---\ntitle: B\ndate: 2024-11-13\ncategories: [notes]\n---\nB\n")
    site.post("posts/c.md", "---\ntitle: C\ndate: 2024-11-14\n---\nC\n")
    posts = sorted(site.load().posts, key=lambda p: p.title)
    groups = group_posts(posts, "series")
    assert [(kind, name) for kind, name, _ in groups] == [
        ("series", "Trips"),
        ("category", "Notes"),
        ("other", ""),
    ]
    german = DigestLabels(
        series_heading="Reihe „{name}“", category_heading="Rubrik {name}", other_heading="Mehr"
    )
    assert [heading(german, kind, name) for kind, name, _ in groups] == [
        "Reihe „Trips“",
        "Rubrik Notes",
        "Mehr",
    ]
    assert [heading(DigestLabels(), kind, name) for kind, name, _ in groups] == [
        "Series: Trips",
        "Notes",
        "More posts",
    ]
    assert heading(german, "", "") == ""


# --- escaping ---------------------------------------------------------------------------------

TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("<>&\"'{}}{ "),
        # Any character a label may hold (XML's: the config refuses the others).
        st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"),
    ),
    min_size=1,
    max_size=30,
)
PLAIN = TEXT.filter(lambda text: WORDS_PLACEHOLDER.search(text) is None)


def around(placeholder: str) -> st.SearchStrategy[str]:
    """Any text with `{placeholder}` once, and no other placeholder."""
    return st.tuples(PLAIN | st.just(""), PLAIN | st.just("")).map(
        lambda parts: f"{parts[0]}{{{placeholder}}}{parts[1]}"
    )


_SITES: dict[str, Site] = {}


def plain_site() -> Site:
    """A one-language site with a tagged post, loaded once for every example."""
    if "site" not in _SITES:
        folder = tempfile.mkdtemp()
        atexit.register(shutil.rmtree, folder, True)
        root = Path(folder) / "site"
        made = SiteDir(root)
        made.config('[digest]\nfrom = "T <t@example.com>"\ngroup_by = "series"\n')
        made.post(
            "posts/trip.md",
            "---\ntitle: Trip\ndate: 2024-11-12\ntags: [travel]\nseries: [Away]\n---\nHi\n",
        )
        _SITES["site"] = made.load()
        assert not _SITES["site"].report.errors
    return _SITES["site"]


def with_feeds(site: Site, labels: FeedLabels) -> Site:
    config = site.config
    feeds = dataclasses.replace(config.feeds, labels=labels)
    return dataclasses.replace(site, config=dataclasses.replace(config, feeds=feeds), cache=None)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(label=TEXT, title=around("label"), description=around("name"))
def test_any_feed_label_is_escaped_in_xml_and_html_and_exact_in_json(
    label: str, title: str, description: str
) -> None:
    site = with_feeds(plain_site(), FeedLabels(tags=label, title=title, description=description))
    files = {a.path: a.joined() for a in feed_artifacts(site).artifacts}
    want_title = fill_words(title, label=label)
    want_description = fill_words(description, name="travel")
    rss = etree.fromstring(files["tags/travel/rss.xml"])
    assert rss.findtext("channel/title") == want_title
    # RSS descriptions are HTML: the text is escaped once more, and comes back whole.
    assert html.unescape(rss.findtext("channel/description") or "") == want_description
    atom = etree.fromstring(files["tags/travel/atom.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.xpath("a:title/text()", namespaces=ns) == [want_title]
    assert atom.xpath("a:subtitle/text()", namespaces=ns) == [want_description]
    feed = json.loads(files["tags/travel/feed.json"])
    assert (feed["title"], feed["description"]) == (want_title, want_description)
    page = etree.fromstring(files["feeds.html"], etree.HTMLParser())
    assert label in page.xpath("//h2/text()")
    assert not page.xpath("//script") and len(page.xpath("//h2")) == 5
    opml = etree.fromstring(files["feeds.opml"])
    assert label in opml.xpath("/opml/body/outline/@text")
    assert want_title in opml.xpath("//outline[@type='rss']/@title")


def test_a_group_labelled_as_another_kind_keeps_its_own_section() -> None:
    """The site's group labelled with the tags' word: the feeds page listed the tags under
    the site's feed, which it leaves out, so they were gone; each kind keeps its heading."""
    labels = FeedLabels(site_group="Tag")
    files = {a.path: a.joined() for a in feed_artifacts(with_feeds(plain_site(), labels)).artifacts}
    page = html5lib.parse(files["feeds.html"], namespaceHTMLElements=False)
    assert len(listed(page, "Tag")) == 1 and len(page.findall(".//h2")) == 5
    opml = etree.fromstring(files["feeds.opml"])
    assert opml.xpath("/opml/body/outline/@text").count("Tag") == 2


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    words=st.fixed_dictionaries(
        {
            "page_title": around("site"),
            "follow": around("site"),
            "page_intro": around("opml"),
            "opml_link": TEXT,
            "everything": TEXT,
            "site_owners": TEXT,
            "paste": around("head"),
            "opml_title": around("site"),
            "site_group": TEXT,
        }
    ),
    one=around("count"),
    other=around("count"),
)
def test_any_feeds_page_label_is_escaped_in_html_and_xml(
    words: dict[str, str], one: str, other: str
) -> None:
    assume("Tag" not in (words["everything"], words["site_owners"]))  # the tags' heading found
    labels = FeedLabels(**words, posts=PluralWords(one=one, other=other))
    files = {a.path: a.joined() for a in feed_artifacts(with_feeds(plain_site(), labels)).artifacts}
    page = html5lib.parse(files["feeds.html"], namespaceHTMLElements=False)
    assert page.findtext(".//title") == fill_words(words["page_title"], site="Test Site")
    assert page.findtext(".//h1") == fill_words(words["follow"], site="Test Site")
    intro = next(p for p in page.iterfind(".//p") if p.find("a") is not None)
    assert "".join(intro.itertext()) == fill_words(words["page_intro"], opml=words["opml_link"])
    assert [a.text for a in intro.iterfind("a")] == [words["opml_link"]]
    headings = [h.text for h in page.iterfind(".//h2")]
    assert headings[0] == words["everything"] and headings[-1] == words["site_owners"]
    assert [a.tail for a in listed(page, "Tag")] == [f" ({fill_words(one, count='1')}) "]
    paste = next(p for p in page.iterfind(".//p") if p.find("code") is not None)
    assert "".join(paste.itertext()) == fill_words(words["paste"], head="<head>")
    assert page.find(".//script") is None and len(headings) == 5
    opml = etree.fromstring(files["feeds.opml"])
    assert opml.findtext("head/title") == fill_words(words["opml_title"], site="Test Site")
    assert opml.xpath("/opml/body/outline[1]/@text") == [words["site_group"]]


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    title=around("site"),
    intro=st.tuples(PLAIN | st.just(""), PLAIN | st.just(""), PLAIN | st.just("")),
    all_feeds=TEXT,
    posts=around("count"),
)
def test_any_digests_index_label_is_escaped_in_html(
    title: str, intro: tuple[str, str, str], all_feeds: str, posts: str
) -> None:
    from syndicate.feeds.listing import digests_page

    archive_intro = f"{intro[0]}{{site}}{intro[1]}{{feeds}}{intro[2]}{{all_feeds}}"
    labels = DigestLabels(
        archive_title=title,
        archive_intro=archive_intro,
        all_feeds=all_feeds,
        archive_posts=PluralWords(other=posts),
    )
    config = plain_site().config
    config = dataclasses.replace(config, digest=dataclasses.replace(config.digest, labels=labels))
    listed_digest = {"title": "<i>T</i>", "url": None, "label": "1 May", "posts": 3}
    data = digests_page(config, [listed_digest]).data
    page = html5lib.parse(data, namespaceHTMLElements=False)
    assert (
        page.findtext(".//title") == page.findtext(".//h1") == fill_words(title, site="Test Site")
    )
    shown = page.find(".//body/p")
    assert "".join(shown.itertext()) == fill_words(
        archive_intro, site="Test Site", feeds="RSS Atom JSON Feed", all_feeds=all_feeds
    )
    assert len(shown.findall("a")) == 5
    item = page.find(".//li")
    assert item.text == "<i>T</i>"
    assert item.findtext("span") == f"1 May · {fill_words(posts, count='3')}"
    assert page.find(".//script") is None and page.find(".//i") is None


def render(site: Site, labels: DigestLabels) -> Any:
    config: Config = site.config
    digest = dataclasses.replace(config.digest, labels=labels)
    config = dataclasses.replace(config, digest=digest)
    period = choose_period(config, datetime(2024, 11, 20, tzinfo=UTC), week="2024-W46")
    posts = posts_in(period, site.posts)
    return DigestRenderer(config, site.renderer).render(period, posts).email


@settings(max_examples=examples(20), deadline=None, suppress_health_check=list(HealthCheck))
@given(
    series=around("name"),
    read_post=around("title"),
    read_more=PLAIN,
    view_online=PLAIN,
    subscribed=around("site"),
)
def test_any_digest_label_is_escaped_in_html_and_exact_in_text(
    series: str, read_post: str, read_more: str, view_online: str, subscribed: str
) -> None:
    labels = DigestLabels(
        series_heading=series,
        read_post=read_post,
        read_more=read_more,
        view_online=view_online,
        subscribed=subscribed,
    )
    email = render(plain_site(), labels)
    page = etree.fromstring(email.html, etree.HTMLParser())
    assert page.xpath("//td[@class='group-title']/text()") == [fill_words(series, name="Away")]
    assert page.xpath("//a[@class='read-more']/text()") == [fill_words(read_post, title="Trip")]
    footer = page.xpath("//td[@class='footer']")[0]
    assert footer.xpath(".//a/text()") == ["Test Site", view_online]
    before, _, after = subscribed.partition("{site}")
    assert "".join(footer.itertext()).lstrip("\n").startswith(f"{before}Test Site{after}")
    assert not page.xpath("//body//script | //body//img | //body//style")
    text = email.text
    assert f"\n{read_more}: https://blog.example.com/posts/trip/\n" in text
    assert f"\n{view_online}: https://" in text
    # The text part ends no line with spaces (see _tidy_text).
    shown = fill_words(series, name="Away").upper().rstrip(" \t")
    assert f"\n{shown}\n" in text


def test_a_sites_own_templates_get_the_labels_and_the_groups_kind_and_name(
    tmp_path: Path,
) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "digest.txt").write_text(
        "{% for group in groups %}[{{ group.kind }}|{{ group.name }}|{{ group.title }}]{% endfor %}\n"
        "{{ labels.read_more }} / {{ labels.more_posts_text|plural(3) }}"
        " / {{ labels.read_post|fill(title='<T>') }}\n",
        encoding="utf-8",
    )
    site = plain_site()
    digest = dataclasses.replace(site.config.digest, templates_dir=str(own))
    labelled = DigestLabels(series_heading="Reihe {name}", read_more="Weiter")
    email = render(
        dataclasses.replace(site, config=dataclasses.replace(site.config, digest=digest)), labelled
    )
    assert email.text == "[series|Away|Reihe Away]Weiter / And 3 more posts / Read “<T>”\n"


def test_a_label_holding_a_providers_merge_tag_reaches_the_email_as_text() -> None:
    labels = DigestLabels(
        read_post="%recipient.name%: {title}", read_more="%recipient.name%", view_online="100%"
    )
    site = plain_site()
    period = choose_period(site.config, datetime(2024, 11, 20, tzinfo=UTC), week="2024-W46")
    config = dataclasses.replace(
        site.config, digest=dataclasses.replace(site.config.digest, labels=labels)
    )
    renderer = DigestRenderer(config, site.renderer, dialect=DIALECTS["mailgun"])
    email = renderer.render(period, posts_in(period, site.posts)).email
    assert "&#37;recipient.name%: Trip</a>" in email.html
    assert "%recipient.name%" not in email.html
    assert "\n%\u200crecipient.name%: https://" in email.text


# --- the README -------------------------------------------------------------------------------

README = (REPO / "README.md").read_text(encoding="utf-8")


def readme_table(heading: str) -> dict[str, str]:
    """Each key of the first table after `heading`, with its row."""
    after = README.split(heading, 1)[1].split("\n|", 1)[1]
    rows = ("|" + after).split("\n\n", 1)[0].splitlines()[2:]
    return {key: row for row in rows for key in re.findall(r"`(\w+)`", row.split(" | ", 1)[0])}


@pytest.mark.parametrize(
    ("heading", "model"),
    [
        ("**The words of feeds and feeds pages (`[feeds.labels]`).**", FeedLabels),
        ("**The words of the digest (`[digest.labels]`).**", DigestLabels),
    ],
)
def test_the_readme_documents_every_label_with_its_default(heading: str, model: Any) -> None:
    rows = readme_table(heading)
    assert sorted(rows) == sorted(f.name for f in dataclasses.fields(model))
    defaults = model()
    for key, row in rows.items():
        value = getattr(defaults, key)
        for text in value.forms() if isinstance(value, PluralWords) else [value]:
            assert json.dumps(text, ensure_ascii=False) in row, key


def test_the_readmes_german_examples_are_valid_labels() -> None:
    blocks = [
        tomllib.loads(b)
        for b in re.findall(r"```toml\n(.*?)```", README, re.S)
        if ".de.labels]" in b
    ]
    feeds = next(b["feeds"]["language"]["de"]["labels"] for b in blocks if "feeds" in b)
    digest = next(b["digest"]["language"]["de"]["labels"] for b in blocks if "digest" in b)
    every_feed_label = {f.name for f in dataclasses.fields(FeedLabels)}
    assert keys_given(validate(FeedLabels, feeds)) == every_feed_label
    words = validate(DigestLabels, digest)
    assert keys_given(words) == {f.name for f in dataclasses.fields(DigestLabels)} - set(
        ARCHIVE_WORDS
    )
    assert heading(words, "other", "") == "Weitere Beiträge"
