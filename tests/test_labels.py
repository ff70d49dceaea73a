"""The words syndicate writes itself, in each language: the labels of term and section feeds
(`[feeds.labels]`, `[feeds.language.<code>]`) and of the digest (`[digest.labels]`,
`[digest.language.<code>]`), English by default; each checked as the config loads, and each
escaped for where it lands."""

from __future__ import annotations

import atexit
import dataclasses
import html
import importlib.util
import json
import re
import shutil
import sys
import tempfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import Site, choose_period, feed_artifacts
from syndicate.config import (
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

from .conftest import REPO, SiteDir, examples, run_in_process
from .local_templates import this_trees_templates  # noqa: F401

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
"""
# A French post in a category, newer than the site's French chapter (a Hugo taxonomy).
CHAPTER = """---
title: "Chapitre II: Pierre Gringoire"
date: 2017-04-10T11:00:59-04:00
categories: ["Roman"]
---
Texte.
"""


def _templates() -> ModuleType:
    """This tree's built-in templates (see local_templates: the module-wide fixture below runs
    before that module's per-test one)."""
    here = REPO / "email_templates"
    spec = importlib.util.spec_from_file_location(
        "syndicate.email_templates", here / "__init__.py", submodule_search_locations=[str(here)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ananke(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the Hugo site ananke-example (English and French), after `init`, with French
    labels, built, and its digest of March and April 2017 written in each language."""
    root = tmp_path_factory.mktemp("ananke") / "site"
    shutil.copytree(ANANKE, root)
    (root / "content/fr/post/chapitre-2.md").write_text(CHAPTER, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "syndicate.email_templates", _templates())
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
        assert feed_text(public / "fr/sections/post" / name)[0] == "Rubrique « post » — Ananke Fr"
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
    assert feed_text(public / "fr/post/index.xml")[0] == "Rubrique « post » — Ananke Fr"


def test_a_languages_feeds_page_and_opml_head_its_groups_in_its_words(ananke: Path) -> None:
    page = etree.parse(str(ananke / "public/fr/feeds.html"), etree.HTMLParser())
    assert page.xpath("//h2/text()") == [
        "Everything",
        "Étiquette",
        "Author",
        "Rubrique",
        "For site owners",
        "Other languages",
    ]
    outlines = etree.parse(str(ananke / "public/fr/feeds.opml")).xpath("/opml/body/outline/@text")
    assert "Étiquette" in outlines and "Rubrique" in outlines
    english = etree.parse(str(ananke / "public/feeds.html"), etree.HTMLParser())
    assert "Tag" in english.xpath("//h2/text()")


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
    assert links == ["Ananke", "Voir dans le navigateur"]
    footer = "".join(page.xpath("//td[@class='footer']//text()"))
    assert "Vous recevez ce courriel car vous êtes abonné à Ananke." in footer
    text = (outbox(ananke, "-fr") / "email.txt").read_text(encoding="utf-8")
    assert "CATÉGORIE : ROMAN\n-----------------\n" in text
    assert "\nLire la suite: https://gohugo-theme-ananke.pages.dev/fr/post/chapitre-2/\n" in text
    assert "\nEt 1 autre article: https://" in text
    assert "\nVoir dans le navigateur: https://" in text
    assert "Read" not in text and "View in your browser" not in text


def test_the_default_languages_digest_keeps_the_english_words(ananke: Path) -> None:
    page = etree.parse(str(outbox(ananke) / "email.html"), etree.HTMLParser())
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
    files = {a.path: a.data for a in feed_artifacts(site.load()).artifacts}
    assert feed_text_of(files["tags/alps/feed.json"]) == (
        "Etikett Alps (Test Site)",
        "Etikett “Alps” on Test Site",
    )


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
        st.characters(blacklist_categories=["Cs", "Cc"]),
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
    feeds = config.feeds.model_copy(update={"labels": labels})
    return dataclasses.replace(site, config=dataclasses.replace(config, feeds=feeds), cache=None)


@settings(max_examples=examples(30), deadline=None, suppress_health_check=list(HealthCheck))
@given(label=TEXT, title=around("label"), description=around("name"))
def test_any_feed_label_is_escaped_in_xml_and_html_and_exact_in_json(
    label: str, title: str, description: str
) -> None:
    site = with_feeds(plain_site(), FeedLabels(tags=label, title=title, description=description))
    files = {a.path: a.data for a in feed_artifacts(site).artifacts}
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


def render(site: Site, labels: DigestLabels) -> Any:
    config: Config = site.config
    digest = config.digest.model_copy(update={"labels": labels})
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
    digest = site.config.digest.model_copy(update={"templates_dir": str(own)})
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
        site.config, digest=site.config.digest.model_copy(update={"labels": labels})
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
        ("**The words of term and section feeds (`[feeds.labels]`).**", FeedLabels),
        ("**The words of the digest (`[digest.labels]`).**", DigestLabels),
    ],
)
def test_the_readme_documents_every_label_with_its_default(heading: str, model: Any) -> None:
    rows = readme_table(heading)
    assert sorted(rows) == sorted(model.model_fields)
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
    assert len(FeedLabels.model_validate(feeds).model_fields_set) == len(FeedLabels.model_fields)
    words = DigestLabels.model_validate(digest)
    assert words.model_fields_set == set(DigestLabels.model_fields)
    assert heading(words, "other", "") == "Weitere Beiträge"
