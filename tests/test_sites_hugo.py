"""Hugo sites: the config merged as `hugo` merges it, exactly the posts Hugo publishes, and
their front matter read as Hugo reads it; checked on real sites (tests/fixtures/sites/hugo)."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import UTC, datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import feedparser
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import load_site
from syndicate.config import Config, load_config
from syndicate.content.frontmatter import Invalid
from syndicate.content.loader import Loaded, LoadOptions, SourceFile, load_posts
from syndicate.errors import ConfigError, Report
from syndicate.feeds.channels import build_taxonomy
from syndicate.sites import (
    LANGUAGE,
    SUMMARY,
    TRANSLATION,
    URL_PATH,
    NotAPost,
    PostRules,
    SiteSettings,
    detect,
    generator,
    hugo,
)

from .conftest import RunCli
from .test_languages_feeds import validator

FIXTURES = Path(__file__).parent / "fixtures" / "sites" / "hugo"
REAL_SITES = sorted(p.parent for p in FIXTURES.glob("*/expected.json"))
# After every fixture's build (the newest was built with --clock 2026-11-29T00:00:00Z).
AFTER_THE_BUILDS = datetime(2026, 11, 30, tzinfo=UTC)
NEW_YORK = ZoneInfo("America/New_York")
UTC_ZONE = ZoneInfo("UTC")
OWN_CONFIG = '[site]\ngenerator = "hugo"\n'


def make_site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def post(title: str, extra: str = "", date: str = "2024-01-02") -> str:
    dated = f"date: {date}\n" if date else ""
    return f"---\ntitle: {title}\n{dated}{extra}---\nBody of {title}.\n"


BASE = 'baseURL = "https://example.org/"\ntitle = "Example"\n'


def config_of(root: Path) -> Config:
    (root / "syndicate.toml").write_text(OWN_CONFIG, encoding="utf-8")
    return load_config(root / "syndicate.toml")


def loaded(root: Path, now: datetime = AFTER_THE_BUILDS) -> Loaded:
    return load_posts(config_of(root), LoadOptions(now=now))


def sources(root: Path) -> list[str]:
    report = Report()
    found = hugo.find_posts(config_of(root), report)
    assert not report.errors, report.errors
    return [Path(s.file).relative_to(root).as_posix() for s in found]


def adapted(
    meta: dict[str, Any],
    file: str = "content/posts/p.md",
    rules: PostRules | None = None,
    root: Path = Path("/site"),
    bundle: Path | None = None,
    tz: ZoneInfo = UTC_ZONE,
) -> dict[str, Any]:
    rules = rules or PostRules("hugo", root=str(root))
    return hugo.adapt(meta, SourceFile(str(root / file), "posts", bundle), rules, tz)


def settings_of(root: Path, environment: str = "production") -> SiteSettings:
    return hugo.read(root, environment)


# --- detect ----------------------------------------------------------------------------------


def test_detect_finds_hugo_toml_before_config_toml(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.yaml": "title: a\n", "config.toml": BASE})
    assert hugo.detect(tmp_path) == tmp_path / "hugo.yaml"
    assert detect(tmp_path) == ("hugo", tmp_path / "hugo.yaml")


def test_detect_finds_a_config_folder_alone(tmp_path: Path) -> None:
    make_site(tmp_path, {"config/_default/hugo.toml": BASE})
    assert hugo.detect(tmp_path) == tmp_path / "config" / "_default"


@pytest.mark.parametrize(
    "files",
    [
        {"config.toml": '[site]\ntitle = "x"\nbase_url = "https://e.org/"\n'},  # syndicate's
        {"config.toml": 'base_url = "https://e.org/"\ntitle = "Zola"\n'},  # Zola's
        {"_config.yml": "title: Jekyll\n"},
        {},
    ],
    ids=["syndicate", "zola", "jekyll", "empty"],
)
def test_detect_leaves_other_folders_alone(tmp_path: Path, files: dict[str, str]) -> None:
    make_site(tmp_path, files)
    assert hugo.detect(tmp_path) is None


# --- read: merging ---------------------------------------------------------------------------


def test_config_folder_overrides_the_root_file_and_production_overrides_default(
    tmp_path: Path,
) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + 'timeZone = "UTC"\n',
            "config/_default/hugo.toml": 'title = "Default"\n',
            "config/_default/params.toml": 'mainSections = ["blog"]\n',
            "config/production/hugo.toml": 'baseURL = "https://prod.example.org/"\n',
            "config/development/hugo.toml": 'baseURL = "http://localhost:1313/"\n',
        },
    )
    built = settings_of(tmp_path)
    assert built.site["title"] == "Default"
    assert built.site["base_url"] == "https://prod.example.org/"
    assert built.site["main_sections"] == ["blog"]
    assert built.origins["main_sections"] == "config/_default/params.toml: mainSections"
    assert built.origins["base_url"] == "config/production/hugo.toml: baseURL"
    assert settings_of(tmp_path, "development").site["base_url"] == "http://localhost:1313/"
    assert [p.relative_to(tmp_path).as_posix() for p in built.files] == [
        "hugo.toml",
        "config/_default/hugo.toml",
        "config/_default/params.toml",
        "config/production/hugo.toml",
    ]


@pytest.mark.parametrize(
    ("files", "origin"),
    [
        (
            {
                "config/_default/languages.en.toml": "[params]\nmainSections = ['samples']\n",
                "config/_default/languages.de.toml": "[params]\nmainSections = ['samples']\n",
            },
            "config/_default/languages.en.toml: params.mainSections",
        ),
        (
            {"hugo.toml": BASE + "[languages.en]\nmainSections = ['samples']\n[languages.de]\n"},
            "hugo.toml: languages.en.mainSections",
        ),
        (
            {
                "hugo.toml": BASE + "mainSections = ['docs']\n[languages.en.params]\n"
                "mainSections = ['samples']\n[languages.de]\n"
            },
            "hugo.toml: languages.en.params.mainSections",
        ),
    ],
)
def test_main_sections_set_for_the_default_language_are_the_sites(
    tmp_path: Path, files: dict[str, str], origin: str
) -> None:
    """The Congo theme's example site sets `[params] mainSections` in each language's file
    only; Hugo's `site.MainSections` is then `[samples]` (a layout printing it, Hugo 0.168),
    where syndicate took the busiest section, `docs`, and left every post out."""
    pages = {f"content/docs/d{i}.md": post(f"D{i}", "") for i in range(3)}
    samples = {f"content/samples/s{i}.md": post(f"S{i}", "") for i in range(2)}
    make_site(tmp_path, {"hugo.toml": BASE, **pages, **samples, **files})
    built = settings_of(tmp_path)
    assert built.site["main_sections"] == ["samples"]
    assert built.origins["main_sections"] == origin


def test_a_section_page_named_with_the_language_in_bcp47_case_is_the_languages(
    tmp_path: Path,
) -> None:
    """The Congo theme's `_index.zh-Hans.md` is the section page of the `zh-hans` language
    (Hugo 0.168 wrote zh-hans/docs/version-2/index.xml, listing its page): syndicate looked
    for `_index.zh-hans.md` only, and put the page in its parent section's feed."""
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "mainSections = ['docs']\n[languages.en]\nweight = 1\n"
            "[languages.zh-Hans]\nweight = 2\n",
            "content/docs/_index.md": "---\ntitle: Docs\n---\n",
            "content/docs/v2/_index.md": "---\ntitle: V2\n---\n",
            "content/docs/v2/_index.zh-Hans.md": "---\ntitle: V2\n---\n",
            "content/docs/v2/up.md": post("Up", ""),
            "content/docs/v2/up.zh-Hans.md": post("Shang", ""),
        },
    )
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    sections = {p.title: p.feed_sections for p in site.posts}
    assert sections == {"Up": ("docs/v2",), "Shang": ("docs/v2",)}


def test_tables_merge_key_by_key_across_files(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "[params]\nmainSections = ['a']\nother = 1\n",
            "config/production/params.yaml": "MainSections: [b]\n",
        },
    )
    assert settings_of(tmp_path).site["main_sections"] == ["b"]


def test_config_folder_files_go_under_their_name_and_language(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "config/_default/hugo.toml": BASE + "defaultContentLanguage = 'de'\n",
            "config/_default/languages.de.toml": "title = 'Beispiel'\n",
            "config/_default/params.toml": "[params]\nmainSections = ['blog']\n",
            "config/_default/cascade.yaml": "cascade:\n  - draft: true\n",
            "config/_default/taxonomies.toml": "tag = 'tags'\n",
        },
    )
    built = settings_of(tmp_path)
    assert built.site["title"] == "Beispiel"
    assert built.site["main_sections"] == ["blog"]  # unwrapped from its own name
    assert built.rules.taxonomies == (("tags", "tags"),)
    assert any('"draft": true' in text for _, text in built.rules.defaults)


def test_keys_are_read_whatever_their_case(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "config.yaml": "BaseUrl: https://example.org/\nTITLE: Shout\ntimezone: Europe/Lisbon\n"
            "LanguageCode: pt-PT\nbuilddrafts: true\n",
        },
    )
    built = settings_of(tmp_path)
    assert built.site["base_url"] == "https://example.org/"
    assert built.site["title"] == "Shout"
    assert built.site["timezone"] == "Europe/Lisbon"
    assert built.site["language"] == "pt-PT"
    assert built.origins["timezone"] == "config.yaml: timezone"
    assert built.rules.drafts is True


def test_the_default_languages_own_title_wins(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + 'defaultContentLanguage = "fr"\n[languages.fr]\ntitle = "Exemple"\n'
            'languageCode = "fr-FR"\n[languages.en]\ntitle = "English"\n',
        },
    )
    built = settings_of(tmp_path)
    assert (built.site["title"], built.site["language"]) == ("Exemple", "fr-FR")
    assert built.origins["title"] == "hugo.toml: languages.fr.title"


def test_each_language_is_described_by_its_own_params_description_as_text(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # letsencrypt/website: each languages.<code>.toml sets params.description, with links
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + 'defaultContentLanguage = "en"\n[languages.en]\ntitle = "LE"\n'
            '[languages.en.params]\ndescription = """\nFree, by the <a href="https://isrg.example/">'
            'ISRG</a> &amp; friends.\n"""\n[languages.fr]\ntitle = "LE"\n'
            '[languages.fr.params]\ndescription = "Gratuit, par l\'ISRG."\n[languages.de]\n'
            'title = "LE"\n[params]\ndescription = "Site-wide."\n',
            "content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nA.\n",
            "content/posts/a.fr.md": "---\ntitle: A\ndate: 2024-01-01\n---\nA.\n",
        },
    )
    built = settings_of(tmp_path)
    assert built.site["description"] == "Free, by the ISRG & friends."
    by_code = {lang.code: lang.description for lang in built.languages}
    assert by_code == {
        "en": "Free, by the ISRG & friends.",
        "fr": "Gratuit, par l'ISRG.",
        "de": "",  # none of its own: its feeds keep its title, not the default language's text
    }
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n', encoding="utf-8")
    assert run_cli("build", cwd=tmp_path).returncode == 0
    for rel, text in (("rss.xml", by_code["en"]), ("fr/rss.xml", by_code["fr"])):
        shown = etree.parse(str(tmp_path / "public" / rel)).findtext("channel/description")
        assert html.unescape(shown or "") == text  # RSS's description is HTML: text escaped


def test_the_language_is_hugos_locale_else_its_language_code(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + "languageCode = 'en-US'\nlocale = 'en-GB'\n"})
    assert settings_of(tmp_path).site["language"] == "en-GB"
    make_site(
        tmp_path,
        {"hugo.toml": BASE + "locale = 'en-GB'\n[languages.en]\nlanguageCode = 'en-AU'\n"},
    )
    assert settings_of(tmp_path).site["language"] == "en-AU"


def test_copyright_author_and_description_come_from_what_hugos_feed_shows(
    tmp_path: Path,
) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "copyright = '© Ann'\n[params]\ndescription = 'About  things'\n"
            "[params.author]\nname = 'Ann'\nemail = 'ann@example.org'\n",
        },
    )
    built = settings_of(tmp_path)
    assert built.site["copyright"] == "© Ann"
    assert built.site["description"] == "About things"
    assert built.site["authors"] == [{"name": "Ann", "email": "ann@example.org"}]
    assert built.origins["authors"] == "hugo.toml: params.author"
    config = config_of(tmp_path)
    assert [a.name for a in config.site.authors] == ["Ann"]
    make_site(tmp_path, {"hugo.toml": BASE + "[params]\nauthor = ['a list', 'of a theme']\n"})
    assert "authors" not in settings_of(tmp_path).site


def test_a_copyright_written_as_html_is_text_in_the_feeds(tmp_path: Path) -> None:
    """The Congo theme's `&copy; 2024 Congo contributors`, written into its pages as HTML,
    was `&amp;copy;` in an Atom <rights> of text (the validator: "rights should not contain
    HTML")."""
    copyright = "'&copy; 2024 <a href=\"/about/\">Congo</a>  contributors'"
    make_site(tmp_path, {"hugo.toml": BASE + f"copyright = {copyright}\n"})
    assert settings_of(tmp_path).site["copyright"] == "\u00a9 2024 Congo contributors"


def test_folders_come_from_hugos_settings_with_its_defaults(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE})
    site = settings_of(tmp_path).site
    assert (site["content_dir"], site["static_dir"], site["output_dir"]) == (
        "content",
        "static",
        "public",
    )
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE
            + 'contentDir = "posts"\nstaticDir = ["assets", "s2"]\npublishDir = "out"\n'
        },
    )
    site = settings_of(tmp_path).site
    assert (site["content_dir"], site["static_dir"], site["output_dir"]) == (
        "posts",
        "assets",
        "out",
    )


def test_drafts_future_and_expired_follow_hugos_build_flags(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + "buildFuture = true\nbuildExpired = 'true'\n"})
    rules = settings_of(tmp_path).rules
    assert (rules.drafts, rules.future, rules.expired) == (False, True, True)


def test_main_sections_fall_back_to_the_section_with_the_most_pages(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE,
            "content/about.md": post("About"),
            "content/blog/a.md": post("A"),
            "content/blog/b.md": post("B"),
            "content/docs/_index.md": post("Docs"),
            "content/docs/x/index.md": post("X"),
            "content/docs/x/notes.md": post("Resource"),
            "content/docs/y.md": post("Y"),
            "content/docs/guide/z.md": post("Z"),
        },
    )
    built = settings_of(tmp_path)
    assert built.site["main_sections"] == ["docs"]  # x, y, z: 3 pages against 2
    assert "params.mainSections" in built.origins["main_sections"]


def test_taxonomies_become_syndicates_groupings(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE})
    assert settings_of(tmp_path).rules.taxonomies == (
        ("categories", "categories"),
        ("tags", "tags"),
    )
    make_site(
        tmp_path,
        {"hugo.toml": BASE + '[taxonomies]\nseries = "series"\ntag = "tags"\ntopic = "topics"\n'},
    )
    assert settings_of(tmp_path).rules.taxonomies == (("series", "series"), ("tags", "tags"))


# --- read: Hugo's feeds and notes ------------------------------------------------------------


def test_feed_globs_are_hugos_index_xml_files(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE})
    built = settings_of(tmp_path)
    assert built.feed_globs == ("index.xml", "**/index.xml")
    assert built.feeds_off == 'disableKinds = ["RSS"]'


def test_feed_globs_follow_the_rss_base_name_and_the_home_outputs(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.yaml": "baseURL: https://example.org/\noutputFormats:\n  RSS:\n    baseName: feed\n"
            "outputs:\n  home: [HTML]\n",
        },
    )
    built = settings_of(tmp_path)
    assert built.feed_globs == ("**/feed.xml",)
    assert built.feeds_off == "disableKinds: [RSS]"


def test_no_feed_globs_when_rss_is_disabled(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + 'disableKinds = ["rss"]\n'})
    assert settings_of(tmp_path).feed_globs == ()


def test_a_theme_is_noted_as_not_read(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + 'theme = "ananke"\n'})
    assert any("theme" in note for note in settings_of(tmp_path).notes)
    make_site(tmp_path, {"hugo.toml": BASE})
    assert not any("theme" in note for note in settings_of(tmp_path).notes)


# --- read: problems --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"hugo.toml": BASE + 'timeZone = "Mars/Olympus"\n'},
            "hugo.toml: timeZone: unknown time zone",
        ),
        (
            {"hugo.toml": BASE + "buildDrafts = 3\n"},
            "hugo.toml: buildDrafts: expected true or false",
        ),
        ({"hugo.toml": BASE + "[params]\nmainSections = 3\n"}, "hugo.toml: params.mainSections:"),
        ({"hugo.toml": BASE + 'taxonomies = "tags"\n'}, "hugo.toml: taxonomies: expected a table"),
        ({"hugo.toml": "title = \n"}, "hugo.toml: invalid TOML"),
        ({"hugo.yaml": "title: [\n"}, "hugo.yaml: invalid YAML"),
        ({"hugo.json": "{"}, "hugo.json: invalid JSON"),
        ({"hugo.yaml": "- a list\n"}, "hugo.yaml: expected a table of settings"),
        (
            {"hugo.toml": BASE, "config/_default/params.toml": "mainSections = 'a\n"},
            "config/_default/params.toml: invalid TOML",
        ),
        (
            {"hugo.toml": BASE, "config/production/hugo.toml": 'title = ["a"]\n'},
            "config/production/hugo.toml: title: expected text",
        ),
        (
            {"hugo.toml": BASE + '[languages.en]\n[languages.fr]\nWeight = "heavy"\n'},
            "hugo.toml: languages.fr.Weight: expected a number",
        ),
    ],
)
def test_config_problems_name_the_file_and_the_key(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    make_site(tmp_path, files)
    with pytest.raises(ConfigError) as caught:
        settings_of(tmp_path)
    assert str(caught.value).startswith(expected), str(caught.value)
    assert caught.value.problems[0] == str(caught.value)


def test_every_config_problem_is_listed_at_once(tmp_path: Path) -> None:
    # (`baseURL` is checked with syndicate's [site], which may replace it: test_existing_sites)
    files = {"hugo.toml": 'title = ["x"]\ntimeZone = "Nowhere"\nbuildFuture = 2\n'}
    make_site(tmp_path, files)
    with pytest.raises(ConfigError) as caught:
        settings_of(tmp_path)
    assert [p.split(":")[1].strip() for p in caught.value.problems] == [
        "title",
        "timeZone",
        "buildFuture",
    ]


def test_load_config_reports_hugos_file_and_exits_as_a_config_error(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + 'timeZone = "Nowhere/Land"\n'})
    with pytest.raises(ConfigError) as caught:
        config_of(tmp_path)
    assert "hugo.toml: timeZone" in str(caught.value)


def test_syndicates_own_site_keys_override_what_hugo_says(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE})
    (tmp_path / "syndicate.toml").write_text(OWN_CONFIG + 'title = "Mine"\n', encoding="utf-8")
    config = load_config(tmp_path / "syndicate.toml")
    assert config.site.title == "Mine"
    assert config.base_url == "https://example.org/"
    assert config.generator is not None and config.generator.generator == "hugo"


# --- find_posts ------------------------------------------------------------------------------


def test_posts_are_the_regular_pages_of_the_main_sections(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "[params]\nmainSections = ['blog']\n",
            "content/_index.md": post("Home"),
            "content/about.md": post("About"),
            "content/about/index.md": post("About bundle"),
            "content/docs/page.md": post("Docs"),
            "content/blog/_index.md": post("Blog"),
            "content/blog/plain.md": post("Plain"),
            "content/blog/page.html": post("HTML"),
            "content/blog/notes.txt": "not content",
            "content/blog/trip/index.md": post("Trip"),
            "content/blog/trip/day-1.md": post("A resource"),
            "content/blog/trip/more/day-2.md": post("A resource too"),
            "content/blog/2024/_index.md": post("2024"),
            "content/blog/2024/nested.md": post("Nested"),
            "content/blog/.hidden.md": post("Hidden"),
            "content/blog/backup.md~": post("Backup"),
        },
    )
    assert sources(tmp_path) == [
        "content/blog/2024/nested.md",
        "content/blog/page.html",
        "content/blog/plain.md",
        "content/blog/trip/index.md",
    ]


def test_a_post_belongs_to_its_top_level_section_and_a_bundle_to_its_folder(
    tmp_path: Path,
) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE,
            "content/blog/2024/nested.md": post("Nested"),
            "content/blog/trip/index.md": post("Trip"),
        },
    )
    found = hugo.find_posts(config_of(tmp_path), Report())
    assert [(s.section, s.bundle) for s in found] == [
        ("blog", None),
        ("blog", tmp_path.resolve() / "content/blog/trip"),
    ]


def test_posts_are_found_in_every_languages_content_folder(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "[params]\nmainSections = ['post']\n"
            "[languages.en]\ncontentDir = 'content/en'\n[languages.fr]\ncontentDir = 'content/fr'\n",
            "content/en/post/one.md": post("One"),
            "content/fr/post/one.md": post("Un"),
            "content/en/post/two.de.md": post("Zwei"),
        },
    )
    assert sources(tmp_path) == [
        "content/en/post/one.md",
        "content/en/post/two.de.md",
        "content/fr/post/one.md",
    ]
    result = loaded(tmp_path)
    assert not result.report.errors, result.report.errors
    assert sorted(p.slug for p in result.posts) == ["one", "one-fr", "two-de"]


def test_when_every_language_has_its_own_folder_the_sites_folder_is_not_read(
    tmp_path: Path,
) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "defaultContentLanguage = 'fr'\n[params]\nmainSections = ['post']\n"
            "[languages.en]\ncontentDir = 'content/en'\n[languages.fr]\ncontentDir = 'content/fr'\n"
            "[languages.de]\ncontentDir = 'content/de'\ndisabled = true\n",
            "content/en/post/one.md": post("One"),
            "content/fr/post/un.md": post("Un"),
            "content/de/post/eins.md": post("Eins"),
            "content/post/stray.md": post("Stray"),
        },
    )
    assert sources(tmp_path) == ["content/en/post/one.md", "content/fr/post/un.md"]
    built = settings_of(tmp_path)
    assert built.site["content_dir"] == "content/fr"
    assert built.origins["content_dir"] == "hugo.toml: languages.fr.contentDir"


def test_content_mounts_replace_the_content_folder_each_with_its_language(
    tmp_path: Path,
) -> None:
    # As opentelemetry.io mounts `content/<lang>`: with no language the default's (a file
    # name may still say another), `lang` or Hugo 0.153's `sites.matrix.languages`; the
    # site's own `content/` is then not read (Hugo 0.168 builds exactly these four pages).
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "[params]\nmainSections = ['post']\n"
            "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n[languages.de]\nweight = 3\n"
            "[[module.mounts]]\nsource = 'content/en'\ntarget = 'content'\n"
            "[[module.mounts]]\nsource = 'content/fr'\ntarget = 'content'\n"
            "[module.mounts.sites.matrix]\nlanguages = ['fr']\n"
            "[[module.mounts]]\nsource = 'content/de'\ntarget = 'content'\nlang = 'de'\n"
            "[[module.mounts]]\nsource = 'content/en/post'\ntarget = 'content/post'\n"
            "lang = 'fr'\n",
            "content/en/post/one.md": post("One"),
            "content/en/post/two.fr.md": post("Deux"),
            "content/fr/post/one.md": post("Un"),
            "content/de/post/one.md": post("Eins"),
            "content/post/stray.md": post("Stray"),
        },
    )
    result = loaded(tmp_path)
    assert not result.report.errors, result.report.errors
    assert sorted(p.permalink for p in result.posts) == [
        "https://example.org/de/post/one/",
        "https://example.org/fr/post/one/",
        "https://example.org/fr/post/two/",
        "https://example.org/post/one/",
    ]
    built = settings_of(tmp_path)
    assert built.site["content_dir"] == "content/en"
    assert built.origins["content_dir"] == "hugo.toml: module.mounts"
    assert any("content/en/post -> content/post" in note for note in built.notes)


def test_a_language_folder_inside_the_sites_folder_is_read_once(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "[languages.en]\n[languages.fr]\ncontentDir = 'content/fr'\n",
            "content/blog/a.md": post("A"),
            "content/fr/blog/b.md": post("B"),
        },
    )
    # Every section (syndicate's empty main_sections): `fr/` is not a section of `content/`.
    (tmp_path / "syndicate.toml").write_text(OWN_CONFIG + "main_sections = []\n", "utf-8")
    found = hugo.find_posts(load_config(tmp_path / "syndicate.toml"), Report())
    assert [(Path(s.file).relative_to(tmp_path).as_posix(), s.section) for s in found] == [
        ("content/blog/a.md", "blog"),
        ("content/fr/blog/b.md", "blog"),
    ]


def test_the_busiest_section_is_counted_in_the_default_languages_folder(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "[languages.en]\n[languages.fr]\ncontentDir = 'content/fr'\n",
            "content/blog/a.md": post("A"),
            "content/docs/b.md": post("B"),
            "content/docs/b.fr.md": post("B fr"),
            "content/fr/docs/c.md": post("C"),
            "content/fr/docs/d.md": post("D"),
        },
    )
    assert settings_of(tmp_path).site["main_sections"] == ["blog"]  # a tie: the first name


def test_ignore_files_are_not_posts(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "ignoreFiles = ['\\.draft\\.md$', '/private/']\n",
            "content/blog/a.md": post("A"),
            "content/blog/b.draft.md": post("B"),
            "content/blog/private/c.md": post("C"),
        },
    )
    assert sources(tmp_path) == ["content/blog/a.md"]


def test_a_bad_ignore_files_expression_is_a_config_problem(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + "ignoreFiles = ['(']\n"})
    with pytest.raises(ConfigError, match=r"hugo.toml: ignoreFiles: '\(' is not a regular"):
        settings_of(tmp_path)


def test_only_a_language_code_in_a_file_name_is_a_language(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "[languages.en]\n[languages.fa]\n",
            "content/blog/v0.10.md": post("Ten"),
            "content/blog/v0.10.fa.md": post("Ten fa"),
            "content/blog/trip/index.fa.md": post("Trip fa"),
            "content/blog/trip/index.md": post("Trip"),
            "content/blog/trip/index.notes.md": post("A resource"),
        },
    )
    assert sources(tmp_path) == [
        "content/blog/trip/index.fa.md",
        "content/blog/trip/index.md",
        "content/blog/v0.10.fa.md",
        "content/blog/v0.10.md",
    ]
    result = loaded(tmp_path)
    assert not result.report.errors, [str(p) for p in result.report.errors]
    assert sorted(p.slug for p in result.posts) == ["trip", "trip-fa", "v0-10", "v0-10-fa"]


def test_asciidoc_and_org_posts_are_left_out_with_a_warning(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {"hugo.toml": BASE, "content/blog/a.md": post("A"), "content/blog/b.adoc": "= B\n"},
    )
    report = Report()
    found = hugo.find_posts(config_of(tmp_path), report)
    assert [Path(s.file).name for s in found] == ["a.md"]
    assert [p.location.path.name for p in report.warnings if p.location] == ["b.adoc"]


def test_a_missing_content_folder_is_reported(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE})
    report = Report()
    assert hugo.find_posts(config_of(tmp_path), report) == []
    assert [p.message for p in report.errors] == ["content folder not found"]


# --- adapt: keys -----------------------------------------------------------------------------


def test_front_matter_keys_are_read_whatever_their_case() -> None:
    out = adapted(
        {
            "Title": "T",
            "Date": "2024-01-02",
            "PublishDate": "2024-02-03",
            "ExpiryDate": "2030-01-01",
            "Draft": True,
            "Slug": "s",
            "Summary": "sum",
        }
    )
    assert out["title"] == "T" and out["draft"] is True and out["slug"] == "s"
    assert out[SUMMARY] == "sum"
    assert out["date"] == datetime(2024, 1, 2, tzinfo=ZoneInfo("UTC"))
    assert out["publishDate"] == datetime(2024, 2, 3, tzinfo=ZoneInfo("UTC"))
    assert out["expiryDate"] == datetime(2030, 1, 1, tzinfo=ZoneInfo("UTC"))
    assert not {"Title", "Date", "PublishDate", "ExpiryDate", "Draft", "Slug"} & set(out)


def test_the_summary_wins_over_the_description_as_in_hugos_feeds() -> None:
    out = adapted({"title": "T", "Description": "meta", "summary": "feed"})
    assert out[SUMMARY] == "feed" and "description" not in out
    assert adapted({"title": "T", "description": "meta"})["description"] == "meta"


def test_a_front_matter_summary_is_markdown_and_a_manual_one_wins_as_in_hugo(
    tmp_path: Path,
) -> None:
    """Hugo renders front matter `summary` (the Congo theme's "This is an _example_ ..."
    showed its underscores in the feeds), and a summary the body marks with `<!--more-->`
    wins over it. Expected: `.Summary` of these two posts in a layout, Hugo 0.168:
    `It&rsquo;s an <em>example</em> of <strong>rich</strong> text &ndash; &ldquo;quoted&rdquo;.`
    and `<p>Manual part.</p>`."""
    summary = 'summary: "It\'s an _example_ of **rich** text -- \\"quoted\\"."\n'
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE,
            "content/posts/one.md": post("One", summary, "2024-01-02"),
            "content/posts/two.md": post("Two", 'summary: "Front."\n', "2024-01-03").replace(
                "Body of Two.", "Manual part.\n\n<!--more-->\n\nRest."
            ),
        },
    )
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    summaries = {p.title: site.renderer.summary(p) for p in site.posts}
    assert summaries == {
        "One": "It\u2019s an example of rich text \u2013 \u201cquoted\u201d.",
        "Two": "Manual part.",
    }


def test_adapt_returns_a_new_dict_and_leaves_the_front_matter_alone() -> None:
    meta = {"title": "T", "date": "2024-01-02", "Tags": ["a"], "custom": 1}
    before = json.dumps(meta)
    out = adapted(meta, rules=PostRules("hugo", taxonomies=(("tags", "tags"),)))
    assert out is not meta and json.dumps(meta) == before
    assert out["custom"] == 1 and out["tags"] == ["a"]


def test_hugos_date_aliases_are_dates_and_not_params() -> None:
    out = adapted(
        {
            "title": "T",
            "pubdate": "2024-03-04",
            "modified": "2024-05-06",
            "unpublishdate": "2030-01-01",
        }
    )
    assert out["date"] == datetime(2024, 3, 4, tzinfo=ZoneInfo("UTC"))  # date <- publishdate
    assert out["lastmod"] == datetime(2024, 5, 6, tzinfo=ZoneInfo("UTC"))
    assert out["expiryDate"] == datetime(2030, 1, 1, tzinfo=ZoneInfo("UTC"))
    assert not {"pubdate", "modified", "unpublishdate"} & set(out)


def test_a_page_without_a_date_gets_hugos_zero_date() -> None:
    assert adapted({"title": "T"})["date"] == datetime(1, 1, 1, tzinfo=UTC)
    assert adapted({"title": "T"}, tz=ZoneInfo("Asia/Tokyo"))["date"] == datetime(
        1, 1, 1, tzinfo=UTC
    )


def test_a_page_without_a_date_is_published_west_of_utc_too(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + "timeZone = 'America/New_York'\n",
            "content/blog/x.md": "---\ntitle: X\n---\nx\n",
        },
    )
    result = loaded(tmp_path)
    assert not result.report.errors, [str(p) for p in result.report.errors]
    [only] = result.posts
    assert only.date == datetime(1, 1, 1, tzinfo=NEW_YORK)


def test_an_unreadable_date_is_invalid_naming_the_key_and_where_the_forms_are() -> None:
    with pytest.raises(Invalid) as caught:
        adapted({"title": "T", "PubDate": "next tuesday"})
    assert caught.value.key == "PubDate"
    assert caught.value.message.startswith("PubDate: cannot read 'next tuesday' as a date")
    assert caught.value.hint is not None and len(caught.value.message + caught.value.hint) < 200
    assert caught.value.hint.endswith("the README lists every form Hugo reads")
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`2006-01-02T15:04:05Z07:00`" in readme  # one of them


def test_filename_dates_and_slugs_when_the_config_asks_for_them(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[frontmatter]\ndate = [":filename", ":default"]\n',
            "content/blog/2024-03-05-first-post.md": "---\ntitle: First\n---\nx\n",
            "content/blog/2024-03-06_10-11-12 second.md": "---\ntitle: Second\nslug: mine\n---\nx\n",
            "content/blog/2024-03-07-bundle/index.md": "---\ntitle: Third\n---\nx\n",
            "content/blog/undated.md": "---\ntitle: Fourth\ndate: 2024-01-01\n---\nx\n",
        },
    )
    result = loaded(tmp_path)
    assert not result.report.errors, result.report.errors
    by_title = {p.title: p for p in result.posts}
    assert by_title["First"].date == datetime(2024, 3, 5, tzinfo=UTC)
    assert by_title["First"].slug == "first-post"
    assert by_title["Second"].date == datetime(2024, 3, 6, 10, 11, 12, tzinfo=UTC)
    assert by_title["Second"].slug == "mine"
    assert by_title["Third"].date == datetime(2024, 3, 7, tzinfo=UTC)
    assert by_title["Fourth"].date == datetime(2024, 1, 1, tzinfo=UTC)


def test_without_filename_in_the_config_a_dated_file_name_gives_no_date(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {"hugo.toml": BASE, "content/blog/2024-03-05-first.md": "---\ntitle: First\n---\nx\n"},
    )
    [only] = loaded(tmp_path).posts
    assert only.date == datetime(1, 1, 1, tzinfo=UTC)


def test_groupings_come_only_from_hugos_taxonomies() -> None:
    rules = PostRules("hugo", taxonomies=(("tags", "tags"),))
    out = adapted({"title": "T", "Tags": ["a"], "categories": ["c"], "series": ["s"]}, rules=rules)
    assert out["tags"] == ["a"]
    assert "categories" not in out and "series" not in out


def test_authors_are_kept_without_a_taxonomy_as_each_posts_authors() -> None:
    out = adapted({"title": "T", "authors": ["Ann"], "author": "Bob"})
    assert (out["authors"], out["author"]) == (["Ann"], "Bob")


def test_a_pages_params_author_is_its_author_when_it_names_none_at_the_top() -> None:
    # Hugo 0.123+: custom fields under `params`, read by templates as `.Params.author`.
    assert adapted({"title": "T", "params": {"author": "Carol"}})["author"] == "Carol"
    assert adapted({"title": "T", "Params": {"Authors": ["Dee"]}})["author"] == ["Dee"]
    out = adapted({"title": "T", "author": "Bob", "params": {"author": "Carol"}})
    assert out["author"] == "Bob"
    assert "author" not in adapted({"title": "T", "params": {"author": ""}})


def test_the_default_author_files_no_post_under_an_author_page(tmp_path: Path) -> None:
    """`params.author` of the site is each post's author when it names none, but Hugo's author
    pages (and so their feeds) list only the posts whose front matter names the author."""
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[params.author]\nname = "Alice"\n'
            '[taxonomies]\ntag = "tags"\nauthor = "authors"\n',
            "content/posts/one.md": post("One", "authors: [Bob]\n"),
            "content/posts/two.md": post("Two", date="2024-01-03"),
            "content/posts/three.md": post("Three", "authors: [Alice]\n", "2024-01-04"),
            "content/posts/four.md": post("Four", "params:\n  author: Carol\n", "2024-01-05"),
        },
    )
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    by_title = {p.title: p for p in site.posts}
    assert [a.name for a in by_title["Two"].authors] == ["Alice"]  # the item's author
    taxonomy = build_taxonomy(site.config, site.posts, Report())
    authors = {c.name: sorted(p.title for p in c.posts) for c in taxonomy.channels}
    assert authors["Alice"] == ["Three"] and authors["Bob"] == ["One"]
    assert authors["Carol"] == ["Four"]
    homes = {c.name: c.home_url for c in taxonomy.channels}
    assert homes["Bob"] == "https://example.org/authors/bob/"  # the taxonomy's term page


def test_a_term_feed_links_its_page_only_where_hugo_makes_one(tmp_path: Path) -> None:
    """Without an `authors` taxonomy Hugo makes no author pages (letsencrypt.org): the author's
    feed links the site's home page, not /authors/<slug>/, a page that is not there."""
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[taxonomies]\ntag = "tags"\n',
            "content/posts/one.md": post("One", "author: Bob\ntags: [x]\n"),
        },
    )
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    taxonomy = build_taxonomy(site.config, site.posts, Report())
    homes = {(c.kind, c.name): c.home_url for c in taxonomy.channels}
    assert homes[("authors", "Bob")] == "https://example.org/"
    assert homes[("tags", "x")] == "https://example.org/tags/x/"


# A tag's page as Hugo 0.168 makes it and links it from its own feed's channel (a site with
# these tags, built with `hugo`: public/tags/<name>/index.xml, its <link>).
HUGO_TERM_PAGES = {
    "C++": "https://example.org/tags/c++/",
    "F#": "https://example.org/tags/f%23/",
    "Node.js": "https://example.org/tags/node.js/",
    "Größe Über": "https://example.org/tags/gr%C3%B6%C3%9Fe-%C3%BCber/",
    "R&D": "https://example.org/tags/rd/",
    "a b": "https://example.org/tags/a-b/",
}


def test_a_term_feed_links_the_page_hugo_makes_for_the_term(tmp_path: Path) -> None:
    """Hugo names a term's page by urlize (`c++`, `node.js`); the channel linked a page at
    syndicate's slug (`c`, `node-js`), which is not there."""
    tags = ", ".join(f'"{name}"' for name in HUGO_TERM_PAGES)
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[taxonomies]\ntag = "tags"\n',
            "content/posts/one.md": post("One", f"tags: [{tags}]\n"),
        },
    )
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    taxonomy = build_taxonomy(site.config, site.posts, Report())
    homes = {c.name: c.home_url for c in taxonomy.channels if c.kind == "tags"}
    assert homes == HUGO_TERM_PAGES


@pytest.mark.parametrize("other", [None, "!!!", "Word " * 50])
def test_terms_hugo_keeps_apart_that_share_a_slug_are_two_feeds(
    tmp_path: Path, other: str | None
) -> None:
    """`C++` and `C#` are two terms for Hugo (tags/c++/, tags/c#/), one for syndicate's slug
    (`c`): the feed at Hugo's tags/c++/index.xml listed the C# posts too. Each is a term now,
    with the posts Hugo 0.168 lists in its own feed of it (a site with these three posts,
    built with `hugo`: tags/c++/index.xml Three and One, tags/c#/index.xml Two); the term
    whose name sorts first keeps the slug, the other's own feeds are under a longer one. So
    too when another post has a tag with no slug, or one cut short, which the taxonomy groups
    name by name: that way made them one term still."""
    files = {
        "hugo.toml": BASE + '[taxonomies]\ntag = "tags"\n',
        "content/posts/one.md": post("One", 'tags: ["C++"]\n', "2024-01-01"),
        "content/posts/two.md": post("Two", 'tags: ["C#"]\n', "2024-01-02"),
        "content/posts/three.md": post("Three", 'tags: ["c++"]\n', "2024-01-03"),
    }
    if other is not None:
        files["content/posts/four.md"] = post("Four", f'tags: ["{other}"]\n', "2024-01-04")
    make_site(tmp_path, files)
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    report = Report()
    taxonomy = build_taxonomy(site.config, site.posts, report)
    tags = {c.home_url: (c.slug, [p.title for p in c.posts]) for c in taxonomy.channels}
    assert tags["https://example.org/tags/c%23/"] == ("c", ["Two"])
    assert tags["https://example.org/tags/c++/"] == (
        "c-" + sha256(b"c++").hexdigest()[:6],
        ["Three", "One"],
    )
    [warning] = [p for p in report.problems if "keeps apart" in p.message]
    assert "'C++' has the slug of 'C#' (c), which Hugo keeps apart" in warning.message


def test_authors_of_one_slug_are_one_term_where_hugo_has_no_author_pages(
    tmp_path: Path,
) -> None:
    """opentelemetry.io has no authors taxonomy: Hugo makes no page of an author, so none
    keeps two spellings apart. The build said Hugo did, and split them in two feeds."""
    one, two = (
        "[Alex Boten](https://github.com/codeboten)(Honeycomb)",
        "[Alex Boten](https://github.com/codeboten) (Honeycomb)",
    )
    files = {
        "hugo.toml": BASE,
        "content/posts/one.md": post("One", f"author: '{one}'\n", "2024-01-01"),
        "content/posts/two.md": post("Two", f"author: '{two}'\n", "2024-01-02"),
    }
    make_site(tmp_path, files)
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    report = Report()
    taxonomy = build_taxonomy(site.config, site.posts, report)
    authors = [(c.slug, [p.title for p in c.posts]) for c in taxonomy.channels if c.slug]
    assert authors == [("alex-boten-honeycomb", ["Two", "One"])]
    [warning] = report.problems
    assert "are the same term" in warning.message and "keeps apart" not in warning.message


def test_an_authors_name_written_as_markdown_is_published_as_its_text(tmp_path: Path) -> None:
    """Docsy renders `author` as Markdown (opentelemetry.io): `[Sergey
    Kanzhelev](https://github.com/SergeyKanzhelev)` went out as written in every feed's
    author name, and named the author's feed. The text is the name, the link its URL."""
    files = {
        "hugo.toml": BASE,
        "content/posts/one.md": post(
            "One",
            "author: '[Sergey Kanzhelev](https://github.com/SergeyKanzhelev) (Google), "
            "[Ana](https://ana.example) and Bo'\n",
            "2024-01-01",
        ),
        "content/posts/two.md": post(
            "Two",
            "author: '[Sergey Kanzhelev](https://github.com/SergeyKanzhelev)'\n",
            "2024-01-02",
        ),
    }
    make_site(tmp_path, files)
    site = load_site(config_of(tmp_path), "2025-01-01T00:00:00Z", {}, use_cache=False)
    by_title = {p.title: p.authors for p in site.posts}
    assert [(a.name, a.url) for a in by_title["One"]] == [
        ("Sergey Kanzhelev (Google), Ana and Bo", None)
    ]
    assert [(a.name, a.url) for a in by_title["Two"]] == [
        ("Sergey Kanzhelev", "https://github.com/SergeyKanzhelev")
    ]


def test_the_opentelemetry_blog_shows_what_hugo_rendered(tmp_path: Path) -> None:
    """The otel-blog fixture (NOTES.md), as Hugo 0.168 rendered its pages: a section the
    post comments out is not published, the Japanese footnote is the Japanese note of the
    site's params with its link inside the note, and the blog's year folders have no feed."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "otel-blog" / "site", site)
    loaded = load_site(config_of(site), AFTER_THE_BUILDS, {}, use_cache=False)
    html = {p.source.relative_to(site / "content").as_posix(): p for p in loaded.posts}
    na = loaded.renderer.html(html["en/blog/2025/kubecon-na.md"])
    assert "Contribfest" not in na and "cSpell" not in na
    day = loaded.renderer.html(html["en/blog/2025/otel-day.md"])
    assert "cSpell" not in day
    ja = loaded.renderer.html(html["ja/blog/2023/end-user-q-and-a-02.md"])
    note = ja[ja.index('<li id="fn:1">') :]
    assert "は非推奨です" in note and "https://docs.docker.com/compose/" in note
    assert all(p.feed_sections == () for p in loaded.posts)


@pytest.mark.parametrize("hugo_base", ["", 'baseURL = "https://staging.example.net/"\n'])
def test_the_base_url_of_syndicates_config_is_every_languages(
    tmp_path: Path, hugo_base: str
) -> None:
    """A site built with `hugo -b URL` (the Congo theme's example site) has no baseURL in its
    config, and `init` asks for `[site] base_url` in syndicate.toml: the other languages'
    addresses were relative (`de/`), their feeds' links invalid."""
    make_site(
        tmp_path,
        {
            "hugo.toml": hugo_base + 'title = "T"\n[languages.en]\nweight = 1\n'
            "[languages.de]\nweight = 2\n",
            "content/posts/one.md": post("One", ""),
            "content/posts/one.de.md": post("Eins", ""),
        },
    )
    (tmp_path / "syndicate.toml").write_text(
        OWN_CONFIG + 'base_url = "https://example.org/blog/"\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "syndicate.toml")
    assert config.generator is not None
    homes = {lang.code: lang.base_url for lang in config.generator.languages}
    assert homes == {"en": "https://example.org/blog/", "de": "https://example.org/blog/de/"}


def test_an_address_of_named_terms_finds_the_term_hugo_keeps_apart(tmp_path: Path) -> None:
    """An address's `terms` found a term by syndicate's slug: `C#` found the feed of `c`,
    whichever term that was."""
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[taxonomies]\ntag = "tags"\n',
            "content/posts/one.md": post("One", 'tags: ["C++"]\n', "2024-01-01"),
            "content/posts/two.md": post("Two", 'tags: ["C#"]\n', "2024-01-02"),
        },
    )
    (tmp_path / "syndicate.toml").write_text(
        OWN_CONFIG
        + '[feeds.addresses]\n"lang/{term}.xml" = {feed = "tags", format = "rss", terms = ["C++"]}\n',
        encoding="utf-8",
    )
    config = load_config(tmp_path / "syndicate.toml")
    site = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False)
    taxonomy = build_taxonomy(site.config, site.posts, Report())
    [address] = taxonomy.addresses
    assert (address.path, [p.title for p in address.channel.posts]) == ("lang/c++.xml", ["One"])


@pytest.mark.parametrize(
    "head",
    [
        "date: 2024-01-02\ndate: 2024-01-05\n",  # simple front matter
        "date: 2024-01-02\nparams:\n  x: {a: 1}\ndate: 2024-01-05\n",  # PyYAML's
    ],
)
def test_a_key_given_twice_has_its_last_value_as_hugo_before_0_152_reads_it_with_a_warning(
    tmp_path: Path, head: str
) -> None:
    # Hugo 0.111.3 published such a page with the last value; 0.168.0 stops the whole build
    # ("mapping key already defined"), so a site that builds has a Hugo before 0.152, where
    # goccy/go-yaml came in. digital.gov (Hugo 0.133.1) has 14 news posts with `expirydate`
    # twice.
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE,
            "content/posts/twice.md": f"---\ntitle: Twice\n{head}---\nBody.\n",
            "content/posts/once.md": post("Once"),
        },
    )
    result = loaded(tmp_path)
    twice = next(p for p in result.posts if p.title == "Twice")
    assert twice.date.date().isoformat() == "2024-01-05"
    assert not result.report.errors
    (warning,) = result.report.warnings
    assert warning.location is not None and warning.location.line == head.count("\n") + 2
    assert warning.message.startswith("date: given twice in the front matter (lines 3 and ")
    assert "as Hugo before 0.152 reads it" in warning.message


def test_headless_and_unlisted_pages_are_not_posts() -> None:
    for meta in (
        {"title": "T", "headless": True},
        {"title": "T", "build": {"list": "never"}},
        {"title": "T", "Build": {"List": "local"}},
        {"title": "T", "build": {"render": "never"}},
    ):
        with pytest.raises(NotAPost, match="a page Hugo does not list"):
            adapted(meta)
    assert adapted({"title": "T", "build": {"list": "always"}})["title"] == "T"


def test_an_html_file_without_front_matter_is_not_a_post() -> None:
    # Hugo 0.111 copies it as it is; Hugo >= 0.162 refuses it unless security.allowContent
    # admits text/html (then it is a page without a title).
    with pytest.raises(NotAPost, match="a file Hugo does not publish"):
        adapted({}, file="content/posts/p.html")
    assert adapted({}, file="content/posts/p.md")["date"] == hugo.dates.ZERO_DATE


def test_an_html_post_with_front_matter_is_published_as_html(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE,
            "content/blog/p.html": "\n\n---\ntitle: H\ndate: 2024-01-01\n---\n<p>x</p>\n",
        },
    )
    [only] = loaded(tmp_path).posts
    assert (only.title, only.body.strip()) == ("H", "<p>x</p>")


# --- adapt: cascade --------------------------------------------------------------------------


def test_cascade_from_a_section_page_reaches_the_pages_below(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE,
            "content/blog/_index.md": "---\ntitle: Blog\ncascade:\n  tags: [cascaded]\n"
            "  description: from the section\n---\n",
            "content/blog/2024/_index.md": "---\ntitle: Y\ncascade:\n  description: nearer\n---\n",
            "content/blog/a.md": post("A"),
            "content/blog/2024/b.md": post("B"),
            "content/blog/2024/c.md": post("C", "description: own\n"),
            "content/docs/d.md": post("D"),
        },
    )
    result = loaded(tmp_path)
    by_title = {p.title: p for p in result.all_posts}
    assert by_title["A"].tags == ("cascaded",)
    assert by_title["A"].description == "from the section"
    assert by_title["B"].description == "nearer"
    assert by_title["B"].tags == ("cascaded",)
    assert by_title["C"].description == "own"
    built = config_of(tmp_path).generator
    assert built is not None
    assert tmp_path.resolve() / "content/blog/_index.md" in built.files


def test_cascade_with_a_target_reaches_only_matching_pages(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE
            + "[[cascade]]\ndraft = true\n[cascade.target]\npath = '/blog/drafts/**'\n"
            + "[[cascade]]\n[cascade.build]\nlist = 'never'\n[cascade.target]\n"
            + "path = '/blog/hidden/*'\n"
            + "[[cascade]]\ndescription = 'dev only'\n[cascade.target]\nenvironment = 'development'\n",
            "content/blog/a.md": post("A"),
            "content/blog/drafts/b.md": post("B"),
            "content/blog/hidden/c.md": post("C"),
            "content/blog/hidden/deeper/d.md": post("D"),
        },
    )
    result = loaded(tmp_path)
    assert sorted(p.title for p in result.posts) == ["A", "D"]
    assert result.drafts == 1
    assert all(p.description != "dev only" for p in result.all_posts)


def test_cascade_targets_by_language_and_kind(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE
            + "[languages.en]\n[languages.de]\n"
            + "[[cascade]]\ndescription = 'German'\n[cascade.target]\nlang = 'de'\n"
            + "[[cascade]]\ndescription = 'sections only'\n[cascade.target]\nkind = 'section'\n"
            + "[[cascade]]\ntags = ['pages']\n[cascade.target]\nkind = '{page,section}'\n"
            + "path = '/blog/v0.10'\n",
            "content/blog/v0.10.md": post("En"),
            "content/blog/v0.10.de.md": post("De"),
        },
    )
    by_title = {p.title: p for p in loaded(tmp_path).posts}
    assert by_title["De"].description == "German"
    assert by_title["En"].description is None
    # The path has no language: `v0.10.de.md` is `/blog/v0.10` too.
    assert by_title["En"].tags == by_title["De"].tags == ("pages",)


_FOLDER = st.lists(st.sampled_from(["content", "en", "de", "docs", "a b", "x.de"]), max_size=3)
_SITE = Path("/site")


def _folders_deepest_first(folders: list[list[str]]) -> tuple[PostRules, list[Path]]:
    """Rules of a site at /site with these content folders (languages `de` and `en`), and the
    folders as the definitions before them tried them: the last in name order first."""
    dirs = [["/".join(f), ""] for f in folders]
    reading = {"kind": "reading", "languages": ["de", "en"], "content_dirs": dirs}
    rules = PostRules("hugo", root=str(_SITE), defaults=(("", json.dumps(reading)),))
    return rules, list(reversed(sorted((_SITE / f for f, _ in dirs), key=str)))


@given(
    folders=st.lists(_FOLDER, min_size=1, max_size=4),
    under=_FOLDER,
    name=st.sampled_from(["Trip.de.md", "index.md", "index.en.md", "a b.md", "de.md"]),
)
@example(folders=[["content"], ["content", "de"]], under=["content", "de"], name="index.md")
@example(folders=[["content"]], under=["contents"], name="index.md")
def test_a_pages_logical_path_is_from_the_deepest_content_folder_holding_it(
    folders: list[list[str]], under: list[str], name: str
) -> None:
    # Against the definition it had before the folders were read once per site: each content
    # folder, last in name order first, tried with Path.relative_to.
    from syndicate.sites.hugo.posts import _logical_path, split_name

    rules, bases = _folders_deepest_first(folders)
    path = _SITE.joinpath(*under, name)
    expected = "/" + path.stem.lower()
    for base in bases:
        try:
            parts = list(path.relative_to(base).parts)
        except ValueError:
            continue
        stem = split_name(parts[-1], frozenset(["de", "en"]))[0]
        parts = parts[:-1] if stem == "index" else [*parts[:-1], stem]
        expected = "/" + "/".join(parts).lower().replace(" ", "-")
        break
    assert _logical_path(path, rules) == expected


@given(
    folders=st.lists(_FOLDER, min_size=1, max_size=4),
    under=_FOLDER,
    name=st.sampled_from(["a.md", "index.de.md", "_index.md"]),
)
@example(folders=[["content"], ["content", "de"]], under=["content", "de"], name="a.md")
@example(folders=[["content"]], under=["contents"], name="a.md")
def test_a_pages_content_folder_is_the_deepest_holding_it(
    folders: list[list[str]], under: list[str], name: str
) -> None:
    # Against the definition it had before the folders were read once per site.
    from syndicate.sites.hugo.posts import _in_content_folder

    rules, bases = _folders_deepest_first(folders)
    path = _SITE.joinpath(*under, name)
    expected = path.parent, [path.name]
    for base in bases:
        if path.is_relative_to(base):
            expected = base, list(path.relative_to(base).parts)
            break
    assert _in_content_folder(path, rules) == expected


def test_cascade_targets_languages_by_the_sites_matrix(tmp_path: Path) -> None:
    # Hugo 0.153's `target.sites.matrix.languages` (opentelemetry.io targets its home pages
    # so): checked with Hugo 0.168, a cascade of `build: {list: never, render: never}` for
    # French left out a.fr.md only, the English page published.
    make_site(
        tmp_path,
        {
            "hugo.yaml": "baseURL: https://example.org/\ntitle: T\n"
            "languages: {en: {weight: 1}, fr: {weight: 2}}\ncascade:\n"
            "  - build: {list: never, render: never}\n"
            "    target: {kind: page, sites: {matrix: {languages: [fr]}}}\n"
            "  - description: Deutsch oder Englisch\n"
            "    target: {sites: {matrix: {languages: ['{de,en}']}}}\n",
            "content/posts/a.md": post("A"),
            "content/posts/a.fr.md": post("A fr"),
        },
    )
    [english] = loaded(tmp_path).posts
    assert (english.title, english.description) == ("A", "Deutsch oder Englisch")


def test_old_build_options_hide_a_page_too() -> None:
    for meta in (
        {"title": "T", "_build": {"list": False}},
        {"title": "T", "_build": {"render": False}},
    ):
        with pytest.raises(NotAPost):
            adapted(meta)


def test_hugo_path_globs() -> None:
    glob = hugo.posts._glob
    assert glob("/blog/**", "/blog/a/b")
    assert glob("/blog/*", "/blog/a") and not glob("/blog/*", "/blog/a/b")
    assert glob("{*cover*,*thumbnail*}", "my-thumbnail.jpg")
    assert not glob("*cover*", "images/cover.jpg")


# --- adapt: featured image -------------------------------------------------------------------


def test_a_bundles_featured_image_is_found_by_name_as_hugos_templates_find_it(
    tmp_path: Path,
) -> None:
    bundle = make_site(
        tmp_path / "b",
        {"index.md": "", "a-cover.png": "x", "the-feature.jpg": "x", "zthumbnail.gif": "x"},
    )
    assert adapted({"title": "T"}, bundle=bundle)["images"] == ["the-feature.jpg"]
    (bundle / "the-feature.jpg").unlink()
    assert adapted({"title": "T"}, bundle=bundle)["images"] == ["a-cover.png"]
    assert adapted({"title": "T", "images": ["mine.png"]}, bundle=bundle)["images"] == ["mine.png"]
    renamed = {"title": "T", "resources": [{"src": "zthumbnail.gif", "name": "featured"}]}
    assert adapted(renamed, bundle=bundle)["images"] == ["zthumbnail.gif"]
    assert "images" not in adapted({"title": "T"})  # not a bundle


def test_a_bundles_featured_image_reaches_the_post(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE,
            "content/blog/trip/index.md": post("Trip"),
            "content/blog/trip/cover.jpg": "x",
        },
    )
    [only] = loaded(tmp_path).posts
    assert only.image is not None and only.image.url == "https://example.org/blog/trip/cover.jpg"


# --- bundle files: a translation's, and those another page publishes -------------------------

# A site built with Hugo 0.168.0, and the `.Permalink` of each page's image as its embedded
# `_partials/_funcs/get-page-images.html` gave it (its output folder held each file, and no
# other image): on a multilingual site at one host, Hugo publishes a bundle's file once, under
# the address of the page in the file's language (its name's code, else the default language)
# and a translation without a file of that name of its own shares it from there, if that page
# is built (https://gohugo.io/content-management/page-resources/#multilingual).
SHARING_CONFIG = (
    BASE + 'defaultContentLanguage = "en"\n'
    "[languages.en]\nweight = 1\n[languages.zh-cn]\nweight = 2\n[languages.fr]\nweight = 3\n"
)
SHARING = {
    "content/posts/shared/index.md": post("Shared"),
    "content/posts/shared/index.zh-cn.md": post("Shared zh"),
    "content/posts/shared/featured-image.jpg": "x",
    "content/posts/translated/index.md": post("Translated", "images: [cover.jpg]\n"),
    "content/posts/translated/index.zh-cn.md": post("Translated zh", "images: [cover.jpg]\n"),
    "content/posts/translated/cover.jpg": "x",
    "content/posts/translated/cover.zh-cn.jpg": "x",
    # As DoIt's example site names its image: a theme's key, relative to the page.
    "content/posts/moved/index.md": post("Moved", "url: /elsewhere/moved/\n"),
    "content/posts/moved/index.zh-cn.md": post("Moved zh", "featuredImage: feature.jpg\n"),
    "content/posts/moved/feature.jpg": "x",
    "content/posts/french/index.md": post("French"),
    "content/posts/french/index.zh-cn.md": post("French zh"),
    "content/posts/french/index.fr.md": post("French fr"),
    "content/posts/french/feature.fr.jpg": "x",
    "content/posts/alone/index.zh-cn.md": post("Alone zh"),
    "content/posts/alone/feature.jpg": "x",
    "content/posts/drafted/index.md": post("Drafted", "draft: true\n"),
    "content/posts/drafted/index.zh-cn.md": post("Drafted zh"),
    "content/posts/drafted/feature.jpg": "x",
}
HUGO_SHARED = {
    "posts/shared/": "posts/shared/featured-image.jpg",
    "zh-cn/posts/shared/": "posts/shared/featured-image.jpg",
    "posts/translated/": "posts/translated/cover.jpg",
    "zh-cn/posts/translated/": "zh-cn/posts/translated/cover.zh-cn.jpg",
    "elsewhere/moved/": "elsewhere/moved/feature.jpg",
    "zh-cn/posts/moved/": "elsewhere/moved/feature.jpg",
    "posts/french/": "fr/posts/french/feature.fr.jpg",  # the nearest language's: a tie, the
    "zh-cn/posts/french/": "fr/posts/french/feature.fr.jpg",  # earlier (Hugo's order)
    "fr/posts/french/": "fr/posts/french/feature.fr.jpg",
    "zh-cn/posts/alone/": None,  # its file is the default language's, which has no page
    "zh-cn/posts/drafted/": None,  # ...whose page is not built
}
# The same site with `markup.goldmark.duplicateResourceFiles`: each Markdown page has its copy.
HUGO_DUPLICATED = {
    "posts/shared/": "posts/shared/featured-image.jpg",
    "zh-cn/posts/shared/": "zh-cn/posts/shared/featured-image.jpg",
    "posts/translated/": "posts/translated/cover.jpg",
    "zh-cn/posts/translated/": "zh-cn/posts/translated/cover.zh-cn.jpg",
    "elsewhere/moved/": "elsewhere/moved/feature.jpg",
    "zh-cn/posts/moved/": "zh-cn/posts/moved/feature.jpg",
    "posts/french/": "posts/french/feature.fr.jpg",
    "zh-cn/posts/french/": "zh-cn/posts/french/feature.fr.jpg",
    "fr/posts/french/": "fr/posts/french/feature.fr.jpg",
    "zh-cn/posts/alone/": "zh-cn/posts/alone/feature.jpg",
    "zh-cn/posts/drafted/": "zh-cn/posts/drafted/feature.jpg",
}


def images_of(result: Loaded) -> dict[str, str | None]:
    """Each post's image URL, by page, both below the site's URL."""
    site = "https://example.org/"
    return {
        p.permalink.removeprefix(site): p.image.url.removeprefix(site) if p.image else None
        for p in result.posts
    }


def test_a_translation_takes_its_own_languages_file_of_a_bundle_as_hugos_templates_do(
    tmp_path: Path,
) -> None:
    make_site(tmp_path, {"hugo.toml": SHARING_CONFIG, **SHARING})
    rules = settings_of(tmp_path).rules

    def image(name: str, meta: dict[str, Any] | None = None) -> list[str] | None:
        bundle = tmp_path / "content/posts" / name.split("/")[0]
        found = adapted(meta or {"title": "T"}, f"content/posts/{name}", rules, tmp_path, bundle)
        return found.get("images")

    assert image("translated/index.md", {"images": ["cover.jpg"]}) == ["cover.jpg"]
    # `Resources.GetMatch` tries the name without its language code too.
    assert image("translated/index.zh-cn.md", {"images": ["cover.jpg"]}) == ["cover.zh-cn.jpg"]
    assert image("translated/index.zh-cn.md") == ["cover.zh-cn.jpg"]  # by name: `*cover*`
    assert image("translated/index.md") == ["cover.jpg"]
    assert image("alone/index.zh-cn.md") is None  # the default language has no page there
    assert image("french/index.zh-cn.md") == ["feature.fr.jpg"]
    (tmp_path / "content/posts/shared/pic.png").write_text("x", encoding="utf-8")
    assert image("shared/index.md", {"images": ["*.png", "other.png"]}) == ["pic.png", "other.png"]


def test_a_bundle_file_translations_share_is_at_the_address_hugo_publishes_it(
    tmp_path: Path,
) -> None:
    make_site(tmp_path, {"hugo.toml": SHARING_CONFIG, **SHARING})
    result = loaded(tmp_path)
    assert not result.report.problems, [str(p) for p in result.report.problems]
    assert images_of(result) == HUGO_SHARED
    shared = next(p for p in result.posts if p.permalink.endswith("/zh-cn/posts/shared/"))
    assert shared.image is not None  # the file stays the one the enclosure's length is of
    assert shared.image.path == tmp_path / "content/posts/shared/featured-image.jpg"


# Links in a body to its bundle's files, on a multilingual site at one host: Hugo 0.168.0's
# embedded link and image render hooks (on by default there) write each destination that names
# a resource of the page as that resource's permalink, the address of the translation that
# publishes it; one naming no resource stays as written. The `src`s and `href`s of each page
# in Hugo's RSS feeds (the Stack theme's example site links its gallery's images so, and
# syndicate linked them under /zh/..., which Hugo does not publish).
LINKS = "![i](feature.jpg) [d](doc.pdf) ![s](sub/pic.png) ![c](cover.jpg) ![q](feature.jpg?x=1#f)"
LINKED = {
    "content/posts/shared/index.md": post("Shared") + LINKS,
    # (its own language's `cover.zh-cn.jpg`, which Hugo links for `cover.jpg`, is not followed)
    "content/posts/shared/index.zh-cn.md": post("Shared zh")
    + LINKS.replace(" ![c](cover.jpg)", ""),
    "content/posts/shared/index.fr.md": post("Shared fr") + LINKS,
    "content/posts/shared/feature.jpg": "x",
    "content/posts/shared/doc.pdf": "x",
    "content/posts/shared/sub/pic.png": "x",
    "content/posts/shared/cover.jpg": "x",
    "content/posts/shared/cover.zh-cn.jpg": "x",
    "content/posts/moved/index.md": post("Moved", "url: /elsewhere/moved/\n") + LINKS,
    "content/posts/moved/index.zh-cn.md": post("Moved zh") + LINKS,
    "content/posts/moved/feature.jpg": "x",
}
HUGO_LINKED = {
    "posts/shared/": ["feature.jpg", "doc.pdf", "sub/pic.png", "cover.jpg", "feature.jpg?x=1#f"],
    "zh-cn/posts/shared/": [
        "/posts/shared/feature.jpg",
        "/posts/shared/doc.pdf",
        "/posts/shared/sub/pic.png",
        "/posts/shared/feature.jpg?x=1#f",
    ],
    "fr/posts/shared/": [  # `cover.jpg`: the nearest language's (Hugo's order)
        "/posts/shared/feature.jpg",
        "/posts/shared/doc.pdf",
        "/posts/shared/sub/pic.png",
        "/zh-cn/posts/shared/cover.zh-cn.jpg",
        "/posts/shared/feature.jpg?x=1#f",
    ],
    "zh-cn/posts/moved/": [  # Hugo leaves the three naming no file relative: the same place
        "/elsewhere/moved/feature.jpg",
        "doc.pdf",
        "sub/pic.png",
        "cover.jpg",
        "/elsewhere/moved/feature.jpg?x=1#f",
    ],
}


def test_a_translations_links_to_its_bundles_files_lead_where_hugo_publishes_them(
    tmp_path: Path, run_cli: RunCli
) -> None:
    make_site(tmp_path, {"hugo.toml": SHARING_CONFIG, **LINKED})
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    site = "https://example.org/"
    found: dict[str, list[str]] = {}
    for feed in ("feed.json", "zh-cn/feed.json", "fr/feed.json"):
        text = (tmp_path / "public" / feed).read_text(encoding="utf-8")
        for item in json.loads(text)["items"]:
            page = item["url"].removeprefix(site)
            links = re.findall(r'(?:src|href)="([^"]*)"', item["content_html"])
            found[page] = [
                x.removeprefix(item["url"]) if x.startswith(item["url"]) else x for x in links
            ]
    expected = {
        page: [x if not x.startswith("/") else site + x[1:] for x in links]
        for page, links in HUGO_LINKED.items()
    }
    assert {page: found[page] for page in expected} == expected


# Markdown links to pages on a multilingual site at one host, where Hugo 0.168.0's embedded link
# render hook is on by default: it looks a destination up as a page of the post's language
# (`.Page.GetPage`) and writes that page's address, query and fragment kept; one with a scheme
# or naming no page stays as written. The `href`s below are Hugo's own output (a stub
# single.html printing `.Content`), resolved against the page's address as a reader does.
HOOKED = (
    "[a](/posts/shared/) [c](../other/) [c2](./other/) [c3](other) [d](/posts/moved/) "
    "[e](/posts/moved/index.md) [f](/nope/) [g](/posts/shared/?q=1#x) [h](#x) [i](mailto:a@b.c) "
    "[j](https://example.com/posts/shared/) [k](?q=2) [l](/) [n](/posts/) [o](shared) "
    "[p](//example.org/posts/shared/) [r][ref] [s](/posts/other.md)\n\n[ref]: /posts/shared/\n\n"
    "`[t](/posts/shared/)`\n"
)
HOOK_SITE = {
    "content/posts/shared/index.md": post("Shared"),
    "content/posts/shared/index.zh-cn.md": post("Shared zh"),
    "content/posts/moved/index.md": post("Moved", "url: /elsewhere/moved/\n"),
    "content/posts/moved/index.zh-cn.md": post("Moved zh"),
    "content/posts/other.md": post("Other"),
    "content/posts/other.zh-cn.md": post("Other zh"),
    "content/posts/linker/index.md": post("Linker", date="2024-01-03") + HOOKED,
    "content/posts/linker/index.zh-cn.md": post("Linker zh", date="2024-01-03") + HOOKED,
    "content/posts/plain.zh-cn.md": post("Plain zh", date="2024-01-03") + HOOKED,
}
HUGO_HOOKED = {
    "posts/linker/": "/posts/shared/ ../other/ /posts/other/ /posts/other/ /elsewhere/moved/ "
    "/elsewhere/moved/ /nope/ /posts/shared/?q=1#x /posts/linker/#x mailto:a@b.c "
    "https://example.com/posts/shared/ /?q=2 / /posts/ /posts/shared/ /posts/shared/ "
    "/posts/shared/ /posts/other/",
    "zh-cn/posts/linker/": "/zh-cn/posts/shared/ ../other/ /zh-cn/posts/other/ "
    "/zh-cn/posts/other/ /zh-cn/posts/moved/ /zh-cn/posts/moved/ /nope/ "
    "/zh-cn/posts/shared/?q=1#x /zh-cn/posts/linker/#x mailto:a@b.c "
    "https://example.com/posts/shared/ /zh-cn/?q=2 /zh-cn/ /zh-cn/posts/ /zh-cn/posts/shared/ "
    "/zh-cn/posts/shared/ /zh-cn/posts/shared/ /zh-cn/posts/other/",
}
HUGO_HOOKED["zh-cn/posts/plain/"] = HUGO_HOOKED["zh-cn/posts/linker/"].replace("linker", "plain")
# With the hook off (`useEmbedded = "never"`, or a site's own `render-link.html`, which Hugo
# runs instead): each destination as written, in each page.
HUGO_UNHOOKED = (
    "/posts/shared/ ../other/ ./other/ other /posts/moved/ /posts/moved/index.md /nope/ "
    "/posts/shared/?q=1#x #x mailto:a@b.c https://example.com/posts/shared/ ?q=2 / /posts/ "
    "shared //example.org/posts/shared/ /posts/shared/ /posts/other.md"
)


def _hooked_links(root: Path) -> dict[str, list[str]]:
    """Each page's links in the JSON feeds, by the page's path."""
    found: dict[str, list[str]] = {}
    for feed in ("feed.json", "zh-cn/feed.json"):
        for item in json.loads((root / "public" / feed).read_text(encoding="utf-8"))["items"]:
            links = re.findall(r'href="([^"]*)"', item["content_html"])
            found[item["url"].removeprefix("https://example.org/")] = [
                html.unescape(x) for x in links
            ]
    return found


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"hugo.toml": '[markup.goldmark.renderHooks.link]\nuseEmbedded = "never"\n'},
        {"layouts/_markup/render-link.html": '<a href="{{ .Destination }}">{{ .Text }}</a>'},
    ],
    ids=["default", "never", "own-hook"],
)
def test_a_markdown_link_to_a_page_leads_where_hugos_link_hook_writes_it(
    tmp_path: Path, run_cli: RunCli, extra: dict[str, str]
) -> None:
    """Links from Hugo's own output: `/posts/moved/` in the zh-cn post is the zh-cn page's
    address, not the English page's `url` (nor a path Hugo does not publish)."""
    config = SHARING_CONFIG.replace("[languages.fr]\nweight = 3\n", "")
    files = {**HOOK_SITE, **extra, "hugo.toml": config + extra.get("hugo.toml", "")}
    make_site(tmp_path, files)
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    hooked = not extra
    expected = {
        page: [
            urljoin("https://example.org/" + page, x)
            for x in (links if hooked else HUGO_UNHOOKED).split()
        ]
        for page, links in HUGO_HOOKED.items()
    }
    found = _hooked_links(tmp_path)
    assert {page: found[page] for page in expected} == expected
    if not hooked:
        return
    # A page moved: the links to it, kept with the HTML, are written again.
    moved = tmp_path / "content/posts/moved/index.md"
    moved.write_text(post("Moved", "url: /gone/moved/\n"), encoding="utf-8")
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    links = _hooked_links(tmp_path)["posts/linker/"]
    assert links[4:6] == ["https://example.org/gone/moved/"] * 2
    # A post edited in place (the quick rebuild): its links are looked up again.
    edited = tmp_path / "content/posts/plain.zh-cn.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "[z](/posts/moved/)\n", "utf-8")
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    plain = "zh-cn/posts/plain/"
    assert _hooked_links(tmp_path)[plain] == [*expected[plain], expected[plain][4]]


def test_duplicated_resource_files_are_each_pages_own_as_hugo_copies_them(tmp_path: Path) -> None:
    config = SHARING_CONFIG.replace(
        "[languages.en]", "[markup.goldmark]\nduplicateResourceFiles = true\n[languages.en]"
    )
    make_site(tmp_path, {"hugo.toml": config, **SHARING})
    assert images_of(loaded(tmp_path)) == HUGO_DUPLICATED


# `images` naming a file another page's bundle publishes, as linkerd.io's posts name one: Hugo's
# templates take an entry that matches none of the page's resources as a URL (`absURL`), which
# a page whose address it starts with may publish. Built with Hugo 0.168.0, as above.
ELSEWHERE_CONFIG = BASE + '[permalinks]\nposts = "/:year/:month/:day/:slug/"\n'
ELSEWHERE = {
    "content/posts/0102-target/index.md": post("Target", "slug: target-post\n"),
    "content/posts/0102-target/cover.jpg": "x",
    "content/posts/rooted/index.md": post(
        "Rooted", "images: [/2024/01/02/target-post/cover.jpg]\n", "2024-02-01"
    ),
    "content/posts/relative/index.md": post(
        "Relative", "images: [2024/01/02/target-post/cover.jpg]\n", "2024-02-02"
    ),
    "content/posts/plain.md": post(
        "Plain", "images: [/2024/01/02/target-post/cover.jpg]\n", "2024-02-03"
    ),
    "content/posts/globbed/index.md": post("Globbed", 'images: ["*.png"]\n', "2024-02-04"),
    "content/posts/globbed/pic.png": "x",
    "content/posts/hidden/index.md": post("Hidden", "slug: hidden\ndraft: true\n", "2024-02-05"),
    "content/posts/hidden/cover.jpg": "x",
    "content/posts/to-draft/index.md": post(
        "To draft", "images: [/2024/02/05/hidden/cover.jpg]\n", "2024-02-06"
    ),
    "content/posts/nowhere/index.md": post(
        "Nowhere", "images: [/2024/01/02/nothing/cover.jpg]\n", "2024-02-07"
    ),
}
TARGET = "2024/01/02/target-post/cover.jpg"
HUGO_ELSEWHERE = {
    "2024/01/02/target-post/": TARGET,
    "2024/02/01/rooted/": TARGET,
    "2024/02/02/relative/": TARGET,
    "2024/02/03/plain/": TARGET,
    "2024/02/04/globbed/": "2024/02/04/globbed/pic.png",
    # Hugo links these, but publishes no file there (a draft's bundle, no bundle): no
    # enclosure can announce a file's length, so syndicate leaves them out, and says so.
    "2024/02/06/to-draft/": None,
    "2024/02/07/nowhere/": None,
}


def test_images_naming_a_file_another_bundle_publishes_find_it_as_hugo_links_it(
    tmp_path: Path,
) -> None:
    make_site(tmp_path, {"hugo.toml": ELSEWHERE_CONFIG, **ELSEWHERE})
    result = loaded(tmp_path)
    assert images_of(result) == HUGO_ELSEWHERE
    rooted = next(p for p in result.posts if p.title == "Rooted")
    assert rooted.image is not None
    assert rooted.image.path == tmp_path / "content/posts/0102-target/cover.jpg"
    said = [
        (p.location.path.relative_to(tmp_path).as_posix(), p.location.line, p.message)
        for p in result.report.problems
        if p.location is not None
    ]
    assert said == [
        (
            "content/posts/nowhere/index.md",
            4,
            "featured image not found: /2024/01/02/nothing/cover.jpg",
        ),
        (
            "content/posts/to-draft/index.md",
            4,
            "featured image not found: /2024/02/05/hidden/cover.jpg",
        ),
    ]


# --- dates: the forms Hugo's parser accepts --------------------------------------------------

E = timezone(timedelta(hours=-8))
# Each string form was also written in the front matter of a tiny site built with Hugo 0.168.0
# (timeZone America/New_York): its `.Date` was this moment, offset included, for all of them.
DATE_TABLE = [
    ("2024-01-02", datetime(2024, 1, 2, tzinfo=NEW_YORK)),
    ("2024-01-02T15:04:05Z", datetime(2024, 1, 2, 15, 4, 5, tzinfo=UTC)),
    ("2024-01-02T15:04:05.25-08:00", datetime(2024, 1, 2, 15, 4, 5, 250000, tzinfo=E)),
    ("2024-01-02T15:04:05", datetime(2024, 1, 2, 15, 4, 5, tzinfo=NEW_YORK)),
    ("Tue, 02 Jan 2024 15:04:05 -0800", datetime(2024, 1, 2, 15, 4, 5, tzinfo=E)),
    ("Tue, 02 Jan 2024 15:04:05 PST", datetime(2024, 1, 2, 15, 4, 5, tzinfo=NEW_YORK)),
    ("02 Jan 24 15:04 -0800", datetime(2024, 1, 2, 15, 4, tzinfo=E)),
    ("02 Jan 99 15:04 UTC", datetime(1999, 1, 2, 15, 4, tzinfo=NEW_YORK)),
    ("Tuesday, 02-Jan-24 15:04:05 EST", datetime(2024, 1, 2, 15, 4, 5, tzinfo=NEW_YORK)),
    ("2024-01-02 15:04:05.123 -0800 PST", datetime(2024, 1, 2, 15, 4, 5, 123000, tzinfo=E)),
    ("2024-01-02T15:04:05-0800", datetime(2024, 1, 2, 15, 4, 5, tzinfo=E)),
    ("2024-01-02 15:04:05Z", datetime(2024, 1, 2, 15, 4, 5, tzinfo=UTC)),
    ("2024-01-02 15:04:05-0800", datetime(2024, 1, 2, 15, 4, 5, tzinfo=E)),
    ("2024-01-02 15:04:05", datetime(2024, 1, 2, 15, 4, 5, tzinfo=NEW_YORK)),
    ("Tue Jan  2 15:04:05 2024", datetime(2024, 1, 2, 15, 4, 5, tzinfo=NEW_YORK)),
    ("Tue Jan  2 15:04:05 MST 2024", datetime(2024, 1, 2, 15, 4, 5, tzinfo=NEW_YORK)),
    ("Tue Jan 02 15:04:05 -0800 2024", datetime(2024, 1, 2, 15, 4, 5, tzinfo=E)),
    ("2024-01-02 15:04:05-08:00", datetime(2024, 1, 2, 15, 4, 5, tzinfo=E)),
    ("02 Jan 2024", datetime(2024, 1, 2, tzinfo=NEW_YORK)),
    ("2024-01-02 15:04:05 -08:00", datetime(2024, 1, 2, 15, 4, 5, tzinfo=E)),
    ("2024-01-02 15:04:05 -0800", datetime(2024, 1, 2, 15, 4, 5, tzinfo=E)),
    (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)),
    (datetime(2024, 1, 2, 3, 4), datetime(2024, 1, 2, 3, 4, tzinfo=NEW_YORK)),
]


@pytest.mark.parametrize(("written", "expected"), DATE_TABLE, ids=lambda v: str(v))
def test_every_date_form_hugo_accepts(written: object, expected: datetime) -> None:
    parsed = hugo.dates.parse_date(written, NEW_YORK)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


def test_the_date_table_covers_every_listed_form() -> None:
    written = [w for w, _ in DATE_TABLE if isinstance(w, str)]
    for form, pattern in hugo.dates._FORMS:
        assert any(pattern.fullmatch(w) for w in written), form


@pytest.mark.parametrize(
    "written",
    [
        "2024-1-2",
        "2024-01-02T15:04",
        "3:04PM",
        "Jan  2 15:04:05",
        "2024/01/02",
        " 2024-01-02",
        "\u0662\u0660\u0662\u0664-01-02",
        "2024-01-02T15:04:05+25:00",
        "yesterday",
        True,
        1.5,
    ],
)
def test_forms_hugo_refuses_or_no_feed_can_show_are_refused(written: object) -> None:
    with pytest.raises(ValueError):
        hugo.dates.parse_date(written, NEW_YORK)


@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9998, 12, 31)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
    st.sampled_from(
        [
            "%Y-%m-%dT%H:%M:%S{z}",
            "%a, %d %b %Y %H:%M:%S {zz}",
            "%Y-%m-%d %H:%M:%S {zz}",
            "%a %b %d %H:%M:%S {zz} %Y",
            "%Y-%m-%d %H:%M:%S{z}",
        ]
    ),
)
def test_a_written_date_reads_back_as_the_same_moment(
    moment: datetime, minutes: int, layout: str
) -> None:
    offset = timezone(timedelta(minutes=minutes))
    aware = moment.replace(microsecond=0, tzinfo=offset)
    sign = "-" if minutes < 0 else "+"
    hh, mm = divmod(abs(minutes), 60)
    text = aware.strftime(layout.format(z=f"{sign}{hh:02d}:{mm:02d}", zz=f"{sign}{hh:02d}{mm:02d}"))
    assert hugo.dates.parse_date(text, NEW_YORK) == aware


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_a_value_error(text: str) -> None:
    try:
        parsed = hugo.dates.parse_date(text, NEW_YORK)
    except ValueError:
        return
    assert parsed is None or parsed.tzinfo is not None


def test_file_name_dates() -> None:
    tz = ZoneInfo("UTC")
    assert hugo.dates.date_from_file_name("2024-01-02-my-post", tz) == (
        datetime(2024, 1, 2, tzinfo=tz),
        "my-post",
    )
    assert hugo.dates.date_from_file_name("2024-01-02-10-11-12_x", tz) == (
        datetime(2024, 1, 2, 10, 11, 12, tzinfo=tz),
        "x",
    )
    assert hugo.dates.date_from_file_name("my-post", tz) is None
    assert hugo.dates.date_from_file_name("2024-13-45-x", tz) is None


def test_date_forms_are_listed_for_the_readme() -> None:
    assert generator("hugo").DATE_FORMS == hugo.DATE_FORMS
    assert "2006-01-02" in hugo.DATE_FORMS and len(hugo.DATE_FORMS) == len(hugo.dates._FORMS) + 2


# --- real sites ------------------------------------------------------------------------------


def _same_title(ours: str, theirs: str) -> bool:
    # syndicate makes white space in a title single (a feed shows it so); Hugo keeps it.
    return ours == " ".join(theirs.split())


@pytest.mark.parametrize("fixture", REAL_SITES, ids=lambda p: p.name)
def test_a_real_hugo_site_gives_exactly_the_posts_hugo_publishes(
    fixture: Path, tmp_path: Path
) -> None:
    truth = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    site = tmp_path / "site"
    shutil.copytree(fixture / "site", site)
    result = loaded(site)
    assert not result.report.errors, [str(p) for p in result.report.errors]
    ours = {p.source.relative_to(site).as_posix(): p for p in result.posts}
    expected = {p["source"]: p for p in truth["posts"]}
    assert set(ours) == set(expected)
    for source, post in expected.items():
        assert _same_title(ours[source].title, post["title"]), source
        assert ours[source].date == datetime.fromisoformat(post["date"].replace("Z", "+00:00"))


# --- URLs (issue 18) -------------------------------------------------------------------------
# Each expected URL below was checked with the real Hugo 0.168 on the same files and config
# (`hugo list all`), unless it is a documentation example (cited).


def urls_of(root: Path) -> dict[str, str]:
    result = loaded(root)
    assert not result.report.errors, [str(p) for p in result.report.errors]
    return {p.source.relative_to(root).as_posix(): p.permalink for p in result.posts}


def url_site(tmp_path: Path, config: str, files: dict[str, str]) -> dict[str, str]:
    return urls_of(make_site(tmp_path, {"hugo.toml": BASE + config, **files}))


MAIN = '[params]\nmainSections = ["posts", "notes", "misc"]\n'


def test_the_default_url_is_the_section_path_with_nested_folders_and_the_file_name(
    tmp_path: Path,
) -> None:
    # https://gohugo.io/content-management/urls/: "the resulting URL matches the file path
    # within the content directory" (content/posts/post-1.md -> /posts/post-1/).
    found = url_site(
        tmp_path,
        MAIN,
        {
            "content/posts/post-1.md": post("One"),
            "content/posts/guides/setup.md": post("Setup"),
            "content/posts/guides/deeper/x.md": post("X"),
            "content/posts/bundle-One/index.md": post("Bundle"),
            "content/posts/My Notes_Here.md": post("Notes"),
        },
    )
    assert found == {
        "content/posts/post-1.md": "https://example.org/posts/post-1/",
        "content/posts/guides/setup.md": "https://example.org/posts/guides/setup/",
        "content/posts/guides/deeper/x.md": "https://example.org/posts/guides/deeper/x/",
        "content/posts/bundle-One/index.md": "https://example.org/posts/bundle-one/",
        "content/posts/My Notes_Here.md": "https://example.org/posts/my-notes_here/",
    }


def test_a_slug_replaces_the_last_segment_sanitised_and_lower_cased(tmp_path: Path) -> None:
    found = url_site(
        tmp_path,
        MAIN,
        {
            "content/posts/a.md": post("A", "slug: my-first-post\n"),  # the docs' example
            "content/posts/b.md": post("B", "slug: My_Notes Are Great!\n"),
            "content/posts/c/index.md": post("C", "slug: Release-2.4.0\n"),
        },
    )
    assert found == {
        "content/posts/a.md": "https://example.org/posts/my-first-post/",
        "content/posts/b.md": "https://example.org/posts/my_notes-are-great/",
        "content/posts/c/index.md": "https://example.org/posts/release-2.4.0/",
    }


def test_url_front_matter_is_kept_as_written_below_the_base_urls_path(tmp_path: Path) -> None:
    config = (
        'baseURL = "https://example.org/sub/"\ntitle = "T"\n'
        '[params]\nmainSections = ["posts"]\n'
        "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n"
    )
    make_site(
        tmp_path,
        {
            "hugo.toml": config,
            "content/posts/abs.md": post("Abs", "url: /Custom/Path/\n"),
            "content/posts/rel.md": post("Rel", "url: relative/Here\n"),
            "content/posts/file.md": post("File", "url: /files/thing.html\n"),
            "content/posts/rel.fr.md": post("RelFr", "url: relative/Ici\n"),
            "content/posts/abs.fr.md": post("AbsFr", "url: /ailleurs/\n"),
        },
    )
    assert urls_of(tmp_path) == {
        "content/posts/abs.md": "https://example.org/sub/Custom/Path/",
        "content/posts/rel.md": "https://example.org/sub/relative/Here/",
        "content/posts/file.md": "https://example.org/sub/files/thing.html",
        "content/posts/rel.fr.md": "https://example.org/sub/fr/relative/Ici/",
        "content/posts/abs.fr.md": "https://example.org/sub/ailleurs/",
    }


def test_url_front_matter_expands_tokens_cleans_dots_and_escapes(tmp_path: Path) -> None:
    found = url_site(
        tmp_path,
        MAIN,
        {
            "content/posts/a.md": post("Tok Title", "url: /:year/:title/\n"),
            "content/posts/b.md": post("B", "url: /x/../y/Ünï Code/\n"),
            "content/posts/c.md": post("C", "url: /c#sharp/\n"),
            "content/posts/d.md": post("D", 'url: "d/e"\n'),
        },
    )
    assert found == {
        "content/posts/a.md": "https://example.org/2024/tok-title/",
        "content/posts/b.md": "https://example.org/y/%C3%9Cn%C3%AF%20Code/",
        "content/posts/c.md": "https://example.org/c%23sharp/",
        "content/posts/d.md": "https://example.org/d/e/",
    }


def test_other_languages_are_under_their_prefix_and_the_default_too_in_a_subdir(
    tmp_path: Path,
) -> None:
    languages = "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n"
    files = {
        "content/posts/chapter.md": post("Chapter"),
        "content/posts/chapter.fr.md": post("Chapitre"),
    }
    found = url_site(tmp_path / "a", MAIN + languages, files)
    assert found == {
        "content/posts/chapter.md": "https://example.org/posts/chapter/",
        "content/posts/chapter.fr.md": "https://example.org/fr/posts/chapter/",
    }
    config = "defaultContentLanguageInSubdir = true\n" + MAIN + languages
    found = url_site(tmp_path / "b", config, files)
    assert found["content/posts/chapter.md"] == "https://example.org/en/posts/chapter/"


def test_names_are_escaped_as_hugo_writes_them(tmp_path: Path) -> None:
    found = url_site(
        tmp_path,
        '[params]\nmainSections = ["posts", "Über"]\n',
        {
            "content/posts/漢字.md": post("Kanji"),
            "content/posts/C# & C++ (notes), really?.md": post("C"),
            "content/Über/café déjà vu.md": post("Cafe"),
            "content/posts/nats-to implement-mesh.md": post("Mesh"),
        },
    )
    assert found == {
        "content/posts/漢字.md": "https://example.org/posts/%E6%BC%A2%E5%AD%97/",
        "content/posts/C# & C++ (notes), really?.md": (
            "https://example.org/posts/c%23--c++-notes-really/"
        ),
        "content/Über/café déjà vu.md": (
            "https://example.org/%C3%BCber/caf%C3%A9-d%C3%A9j%C3%A0-vu/"
        ),
        "content/posts/nats-to implement-mesh.md": (
            "https://example.org/posts/nats-to-implement-mesh/"
        ),
    }


def test_disable_path_to_lower_keeps_the_case_and_remove_path_accents_drops_accents(
    tmp_path: Path,
) -> None:
    found = url_site(
        tmp_path,
        "disablePathToLower = true\nremovePathAccents = true\n"
        '[params]\nmainSections = ["posts", "Über"]\n',
        {
            "content/posts/My Notes_Here.md": post("Notes"),
            "content/Über/café déjà vu.md": post("Cafe"),
        },
    )
    assert found == {
        "content/posts/My Notes_Here.md": "https://example.org/posts/My-Notes_Here/",
        "content/Über/café déjà vu.md": "https://example.org/Uber/cafe-deja-vu/",
    }


def test_ugly_urls_globally_and_per_section(tmp_path: Path) -> None:
    files = {"content/posts/guides/a.md": post("A"), "content/misc/b.md": post("B")}
    found = url_site(tmp_path / "one", "uglyURLs = true\n" + MAIN, files)
    assert found == {
        "content/posts/guides/a.md": "https://example.org/posts/guides/a.html",
        "content/misc/b.md": "https://example.org/misc/b.html",
    }
    found = url_site(tmp_path / "two", MAIN + "[uglyURLs]\nmisc = true\n", files)
    assert found == {
        "content/posts/guides/a.md": "https://example.org/posts/guides/a/",
        "content/misc/b.md": "https://example.org/misc/b.html",
    }


def test_permalinks_from_the_docs_example(tmp_path: Path) -> None:
    # https://gohugo.io/configuration/permalinks/ "Monolingual example".
    config = (
        '[params]\nmainSections = ["posts", "tutorials"]\n'
        "[permalinks.page]\nposts = '/articles/:year/:month/:slug/'\n"
        "tutorials = '/training/:slug/'\n"
    )
    found = url_site(
        tmp_path,
        config,
        {
            "content/posts/bash-in-slow-motion.md": post("Bash in slow motion", date="2023-02-01"),
            "content/tutorials/git-for-beginners.md": post("Git for beginners"),
        },
    )
    assert found == {
        "content/posts/bash-in-slow-motion.md": (
            "https://example.org/articles/2023/02/bash-in-slow-motion/"
        ),
        "content/tutorials/git-for-beginners.md": "https://example.org/training/git-for-beginners/",
    }


# A page at content/notes/sub/deep/N File.md (notes/sub has a section page titled "Sub
# Section"; notes/sub/deep has none, so it is no section), dated Tuesday 2024-03-05.
TOKEN_CASES = [
    (":year/:month/:day", "/2024/03/05/"),
    (":monthname/:weekday/:weekdayname/:yearday", "/march/2/tuesday/65/"),
    (":section", "/notes/"),
    (":sections", "/notes/sub/"),
    (":sections[1:]", "/sub/"),
    (":sections[last]", "/sub/"),
    (":sections[:last]", "/notes/"),
    (":sections[0]", "/notes/"),
    (":sections[5:]", "/"),
    (":title", "/the-title/"),
    (":slug", "/the-title/"),  # no slug: the title
    (":filename", "/n-file/"),
    (":slugorfilename", "/n-file/"),
    (":contentbasename", "/n-file/"),
    (":slugorcontentbasename", "/n-file/"),
    (":sectionslug", "/notes/"),  # no section page: Hugo's title of the folder name
    (":sectionslugs", "/notes/sub-section/"),
    (":sectionslugs[1:]", "/sub-section/"),
    (":06/:1/:2", "/24/3/5/"),  # the docs' Go layout example
    (":2006-:01-:02", "/2024-03-05/"),
    (":Jan_2", "/mar-5/"),
    ("x\\:y/:year", "/xy/2024/"),  # the escaped colon is kept, then sanitised away
]


@pytest.mark.parametrize(("pattern", "expected"), TOKEN_CASES)
def test_every_permalink_token(tmp_path: Path, pattern: str, expected: str) -> None:
    config = f"[params]\nmainSections = [\"notes\"]\n[permalinks]\nnotes = '/{pattern}/'\n"
    found = url_site(
        tmp_path,
        config,
        {
            "content/notes/sub/_index.md": "---\ntitle: Sub Section\n---\n",
            "content/notes/sub/deep/N File.md": post("The Title", date="2024-03-05"),
        },
    )
    assert found == {"content/notes/sub/deep/N File.md": "https://example.org" + expected}


def test_section_pages_are_read_at_every_build(tmp_path: Path) -> None:
    """A pattern that reads the sections needs them, and so does every post's section feed
    (the nearest folder with a section page is the post's section), whatever the pattern."""
    files = {"content/notes/sub/_index.md": "---\ntitle: Sub\n---\n"}
    make_site(
        tmp_path / "a",
        {"hugo.toml": BASE + "[permalinks]\nnotes = '/:sectionslugs/:slug/'\n", **files},
    )
    assert tmp_path / "a/content/notes/sub/_index.md" in settings_of(tmp_path / "a").files
    make_site(
        tmp_path / "b", {"hugo.toml": BASE + "[permalinks]\nnotes = '/:year/:slug/'\n", **files}
    )
    assert tmp_path / "b/content/notes/sub/_index.md" in settings_of(tmp_path / "b").files


def test_slug_tokens_take_the_slug_when_there_is_one(tmp_path: Path) -> None:
    config = "[params]\nmainSections = [\"notes\"]\n[permalinks]\nnotes = '/:slug/:slugorfilename/:slugorcontentbasename/'\n"
    found = url_site(tmp_path, config, {"content/notes/n.md": post("Title", "slug: Own Slug\n")})
    assert found == {"content/notes/n.md": "https://example.org/own-slug/own-slug/own-slug/"}


def test_a_dated_file_names_slug_and_a_number_as_slug_are_hugos_slugs(tmp_path: Path) -> None:
    # Checked with hugo 0.168 (`:filename` gives the date and the slug: newDateFilenameHandler).
    config = (
        '[params]\nmainSections = ["posts"]\n[frontmatter]\ndate = [":filename", ":default"]\n'
        '[permalinks]\nposts = "/:year/:slug/"\n'
    )
    found = url_site(
        tmp_path,
        config,
        {
            "content/posts/2024-01-02-my-post.md": post("My Title", date=""),
            "content/posts/2023-05-06-numbered.md": post("Other", "slug: 2024\n", date=""),
            "content/posts/2024-02-03-bundled/index.md": post("B", date=""),
        },
    )
    assert found == {
        "content/posts/2024-01-02-my-post.md": "https://example.org/2024/my-post/",
        "content/posts/2023-05-06-numbered.md": "https://example.org/2023/2024/",
        "content/posts/2024-02-03-bundled/index.md": "https://example.org/2024/bundled/",
    }


def test_the_permalinks_list_form_targets_pages_by_path(tmp_path: Path) -> None:
    config = (
        MAIN
        + '[[permalinks]]\npattern = "/n/:slugorfilename/"\n'
        + '[permalinks.target]\nkind = "page"\npath = "{/notes/**,/misc/**}"\n'
    )
    found = url_site(
        tmp_path,
        config,
        {"content/notes/sub/a.md": post("A"), "content/posts/b.md": post("B")},
    )
    assert found == {
        "content/notes/sub/a.md": "https://example.org/n/a/",
        "content/posts/b.md": "https://example.org/posts/b/",
    }


def test_a_permalink_token_hugo_does_not_know_is_a_config_error(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + "[permalinks]\nposts = '/:nope/:slug/'\n"})
    with pytest.raises(ConfigError) as caught:
        settings_of(tmp_path)
    assert "hugo.toml: permalinks" in str(caught.value) and ":nope" in str(caught.value)


def test_a_token_syndicate_does_not_compute_is_invalid_naming_it(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + MAIN + "[permalinks]\nposts = '/:MST/:slug/'\n",
            "content/posts/a.md": post("A"),
        },
    )
    result = loaded(tmp_path)
    assert not result.posts
    assert [":MST" in p.message for p in result.report.errors] == [True]


def test_a_language_with_its_own_base_url_has_its_pages_at_that_host(tmp_path: Path) -> None:
    # Multihost (checked with hugo 0.168): no language prefix in the link; the language that
    # sets no base URL has the site's.
    config = (
        BASE
        + MAIN
        + '[languages.en]\nweight = 1\n[languages.fr]\nbaseURL = "https://fr.example.org/"\n'
    )
    make_site(
        tmp_path,
        {
            "hugo.toml": config,
            "content/posts/a.md": post("A"),
            "content/posts/a.fr.md": post("A fr"),
        },
    )
    result = loaded(tmp_path)
    assert sorted(p.permalink for p in result.posts) == [
        "https://example.org/posts/a/",
        "https://fr.example.org/posts/a/",
    ]
    assert not result.report.errors


def test_hugos_versions_in_a_subdir_are_urls_syndicate_cannot_compute_unless_url_is_set(
    tmp_path: Path,
) -> None:
    # Checked with hugo 0.168: without the subdir setting the page is at /posts/a/.
    versions = '[versions."v1.0.0"]\nweight = 1\n'
    make_site(
        tmp_path / "plain",
        {"hugo.toml": BASE + MAIN + versions, "content/posts/a.md": post("A")},
    )
    assert urls_of(tmp_path / "plain") == {"content/posts/a.md": "https://example.org/posts/a/"}
    make_site(
        tmp_path,
        {
            "hugo.toml": "defaultContentVersionInSubdir = true\n" + BASE + MAIN + versions,
            "content/posts/a.md": post("A"),
            "content/posts/b.md": post("B", "url: /b/\n"),
        },
    )
    result = loaded(tmp_path)
    assert [p.permalink for p in result.posts] == ["https://example.org/b/"]
    assert ["Hugo's versions put pages" in p.message for p in result.report.errors] == [True]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # https://gohugo.io/functions/urls/urlize/ (and anchorize-vs-urlize)
        ("A B C", "a-b-c"),
        ("a b   c", "a-b-c"),
        ("< a, b, & c >", "a-b-c"),
        ("main.go", "main.go"),
        ("Hugö", "hug%C3%B6"),
        ("Vim (text editor)", "vim-text-editor"),  # helpers/url.go's own example
        ("50%", "50"),
        ("50%41", "50%41"),
    ],
)
def test_urlize(text: str, expected: str) -> None:
    assert hugo.urls.Case().urlize(text) == expected


@given(st.text())
@example("%80")  # an escape of a byte that is not UTF-8: kept as that byte
def test_a_sanitised_path_escapes_to_ascii_and_escaping_again_changes_nothing(text: str) -> None:
    path = "/" + hugo.urls.sanitize(text).replace("#", "%23")
    escaped = hugo.urls.escaped_path(path)
    assert escaped.isascii()
    assert hugo.urls.escaped_path(escaped) == escaped


@pytest.mark.parametrize("fixture", REAL_SITES, ids=lambda p: p.name)
def test_every_real_post_is_at_the_url_hugo_published(fixture: Path, tmp_path: Path) -> None:
    truth = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    site = tmp_path / "site"
    shutil.copytree(fixture / "site", site)
    own = OWN_CONFIG
    if fixture.name == "hextra-docs":
        # NOTES.md: deployed with HUGO_BASEURL=https://imfing.github.io/hextra/, the config
        # says https://example.com/; what a flag sets is set under [site] (read()'s notes).
        own += f'base_url = "{truth["base_url"]}"\n'
    (site / "syndicate.toml").write_text(own, encoding="utf-8")
    result = load_posts(load_config(site / "syndicate.toml"), LoadOptions(now=AFTER_THE_BUILDS))
    assert not result.report.errors, [str(p) for p in result.report.errors]
    ours = {p.source.relative_to(site).as_posix(): p.permalink for p in result.posts}
    assert ours == {p["source"]: p["url"] for p in truth["posts"]}


# --- feed addresses (issue 18) ---------------------------------------------------------------


def addresses_of(root: Path) -> dict[str, dict[str, Any]]:
    return {pattern: json.loads(text) for pattern, text in settings_of(root).addresses}


def rss(feed: str, limit: int = 0, **more: Any) -> dict[str, Any]:
    # Hugo has a feed for each section at any depth, listing the pages directly in it.
    nested = {"nested": True} if feed == "sections" else {}
    return {
        "feed": feed,
        "format": "rss",
        "limit": limit,
        "id_template": "{permalink}",
        **nested,
        **more,
    }


def test_hugos_default_feeds_are_home_sections_and_terms(tmp_path: Path) -> None:
    # https://gohugo.io/templates/rss/: home, section, taxonomy and term pages have RSS; the
    # taxonomy feeds list terms, not posts, so they are left to the notes.
    make_site(tmp_path, {"hugo.toml": BASE})
    assert addresses_of(tmp_path) == {
        "index.xml": rss("site"),
        "{section}/index.xml": rss("sections"),
        "categories/{term}/index.xml": rss("categories"),
        "tags/{term}/index.xml": rss("tags"),
    }
    assert any("list term pages" in n for n in settings_of(tmp_path).notes)


def test_feeds_follow_outputs_and_disable_kinds(tmp_path: Path) -> None:
    # nats.io: `home = ["HTML", "REDIRECTS"]` leaves the home page without a feed.
    make_site(tmp_path / "a", {"hugo.toml": BASE + '[outputs]\nhome = ["HTML", "REDIRECTS"]\n'})
    assert "index.xml" not in addresses_of(tmp_path / "a")
    make_site(tmp_path / "b", {"hugo.toml": BASE + 'disableKinds = ["term"]\n'})
    assert set(addresses_of(tmp_path / "b")) == {"index.xml", "{section}/index.xml"}
    make_site(tmp_path / "c", {"hugo.toml": BASE + 'disableKinds = ["RSS"]\n'})
    assert addresses_of(tmp_path / "c") == {}


def test_a_pages_own_outputs_decide_its_feed(tmp_path: Path) -> None:
    # Checked with hugo 0.168: public/index.xml and public/notes/index.xml, no posts/index.xml.
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE
            + '[params]\nmainSections = ["posts", "notes"]\n[outputs]\nhome = ["html"]\n',
            "content/_index.md": "---\ntitle: H\noutputs: [html, rss]\n---\n",
            "content/posts/_index.md": "---\ntitle: P\noutputs: [html]\n---\n",
        },
    )
    found = addresses_of(tmp_path)
    assert found["index.xml"] == rss("site")
    assert found["{section}/index.xml"] == rss("sections", terms=["notes"])


def test_the_configs_cascade_gives_a_section_its_feed(tmp_path: Path) -> None:
    # opentelemetry.io turns RSS on for /blog only, by a cascade in its config. Checked with
    # hugo 0.168: public/blog/index.xml, public/fr/blog/index.xml, public/fr/notes/index.xml,
    # no notes/index.xml (the second entry targets French by Hugo 0.153's sites matrix).
    make_site(
        tmp_path,
        {
            "hugo.yaml": "baseURL: https://example.org/\ntitle: T\n"
            "languages: {en: {weight: 1}, fr: {weight: 2}}\n"
            "params: {mainSections: [blog, notes]}\noutputs: {section: [html]}\ncascade:\n"
            "  - outputs: [html, rss]\n    target: {kind: section, path: /blog}\n"
            "  - outputs: [html, rss]\n"
            "    target: {kind: section, path: /notes, sites: {matrix: {languages: [fr]}}}\n",
            "content/blog/a.md": post("A"),
            "content/notes/a.fr.md": post("B"),
        },
    )
    found = addresses_of(tmp_path)
    assert found["{section}/index.xml"] == rss("sections", terms=["blog"], language="en")
    assert found["fr/{section}/index.xml"] == rss("sections", language="fr")


def test_a_section_pages_url_moves_its_feed(tmp_path: Path) -> None:
    # Checked with hugo 0.168: public/Blog/index.xml, the url kept as written.
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + '[params]\nmainSections = ["posts", "notes"]\n',
            "content/notes/_index.md": "---\ntitle: N\nurl: /Blog/\n---\n",
        },
    )
    found = addresses_of(tmp_path)
    assert found["Blog/index.xml"] == rss("sections", terms=["notes"])
    assert found["{section}/index.xml"] == rss("sections", terms=["posts"])


def test_the_rss_base_name_and_limit_are_hugos(tmp_path: Path) -> None:
    config = '[outputFormats.RSS]\nbaseName = "feed"\n[services.rss]\nlimit = 2\n'
    make_site(tmp_path / "a", {"hugo.toml": BASE + config})
    assert addresses_of(tmp_path / "a")["feed.xml"] == rss("site", 2)
    make_site(tmp_path / "b", {"hugo.toml": "rssLimit = 15\n" + BASE})  # before Hugo 0.114
    assert addresses_of(tmp_path / "b")["index.xml"] == rss("site", 15)
    make_site(tmp_path / "c", {"hugo.toml": BASE + "[services.rss]\nlimit = -1\n"})
    assert addresses_of(tmp_path / "c")["index.xml"] == rss("site", 0)


def test_feeds_moved_by_permalinks_in_a_language_subdir(tmp_path: Path) -> None:
    # Checked with hugo 0.168: public/en/feed.xml, en/articles/feed.xml,
    # en/series/s-one/feed.xml, en/topic/guest-post/feed.xml.
    config = (
        'baseURL = "https://example.org/"\ndefaultContentLanguageInSubdir = true\n'
        '[params]\nmainSections = ["posts"]\n'
        '[taxonomies]\ntag = "tags"\nseries = "series"\ntopic = "topics"\n'
        '[permalinks]\ntags = "/topic/:slug/"\n[permalinks.section]\nposts = "/articles/"\n'
        '[outputFormats.RSS]\nbaseName = "feed"\n'
    )
    make_site(tmp_path, {"hugo.toml": config})
    assert addresses_of(tmp_path) == {
        "en/feed.xml": rss("site"),
        "en/articles/feed.xml": rss("sections", terms=["posts"]),
        "en/series/{term}/feed.xml": rss("series"),
        "en/topic/{term}/feed.xml": rss("tags"),
    }
    assert any("'topics' has no syndicate grouping" in n for n in settings_of(tmp_path).notes)


def test_feeds_syndicate_cannot_place_are_noted(tmp_path: Path) -> None:
    config = (
        '[params]\nmainSections = ["posts"]\n'
        '[permalinks.term]\ntags = "/t/:year/:slug/"\n[permalinks.section]\nposts = "/:title/"\n'
    )
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + config,
            "content/posts/guides/_index.md": "---\ntitle: Guides\n---\n",
            "layouts/_default/rss.xml": "<rss/>",
        },
    )
    assert set(addresses_of(tmp_path)) == {"index.xml", "categories/{term}/index.xml"}
    notes = " | ".join(settings_of(tmp_path).notes)
    for said in (
        "term feeds of 'tags'",
        "feed of section 'posts' is where",
        "sections inside 'posts' are where Hugo's `permalinks.section` puts them, which no",
        "layouts/_default/rss.xml",
    ):
        assert said in notes


@pytest.mark.parametrize(
    ("config", "files", "noted"),
    [
        ('theme = "paper"\n', {"themes/paper/layouts/rss.xml": "<rss/>"}, True),
        ('theme = ["a", "paper"]\n', {"themes/paper/layouts/_default/rss.xml": "<rss/>"}, True),
        (
            'theme = "paper"\nthemesDir = "t"\n',
            {"t/paper/layouts/home.rss.xml": "<rss/>"},
            True,
        ),
        ('theme = "other"\n', {"themes/paper/layouts/rss.xml": "<rss/>"}, False),
        ("", {"themes/paper/layouts/rss.xml": "<rss/>"}, False),
    ],
)
def test_a_themes_rss_template_is_noted(
    tmp_path: Path, config: str, files: dict[str, str], noted: bool
) -> None:
    # Hugo looks a template up in the site's layouts, then in each theme's (PaperMod ships
    # layouts/rss.xml, which leaves out posts with `hiddenInRss`).
    make_site(tmp_path, {"hugo.toml": BASE + config, **files})
    notes = " | ".join(settings_of(tmp_path).notes)
    assert (f"its own RSS template ({next(iter(files))})" in notes) is noted


@pytest.mark.parametrize(
    ("name", "expected"),
    [  # each as hugo 0.168 named the folder of the term's feed
        ("a - b", "a---b"),
        ("Guest Post", "guest-post"),
        ("guest-post", "guest-post"),
        ("C#", "c#"),
        (".NET", ".net"),
        ("設定", "設定"),
        ("Café", "café"),
        ("a/b", "a/b"),
        ("x?y", "xy"),
        ("50%", "50"),
        ("Ab  Cd", "ab--cd"),
        ("C++", "c++"),
        ("it's", "its"),
        ("Über Cat", "über-cat"),
    ],
)
def test_address_names_are_hugos_term_paths(tmp_path: Path, name: str, expected: str) -> None:
    make_site(tmp_path, {"hugo.toml": BASE})
    assert hugo.address_name(name, "tags", settings_of(tmp_path)) == expected


def test_address_names_of_sections_and_with_hugos_case_settings(tmp_path: Path) -> None:
    make_site(tmp_path / "a", {"hugo.toml": BASE})
    assert hugo.address_name("My Section", "sections", settings_of(tmp_path / "a")) == (
        "my-section"
    )
    make_site(
        tmp_path / "b",
        {"hugo.toml": BASE + "disablePathToLower = true\nremovePathAccents = true\n"},
    )
    assert hugo.address_name("Café Talk", "tags", settings_of(tmp_path / "b")) == "Cafe-Talk"


def test_pages_in_feeds_counts_the_pages_hugo_lists_that_are_not_posts(tmp_path: Path) -> None:
    files = {
        "content/posts/one.md": post("One", "tags: [Guest Post]\n", date="2024-01-01"),
        "content/posts/two.md": post("Two", date="2024-01-02"),
        "content/about/index.md": post("About", "tags: [guest post]\n", date=""),
        "content/contact.md": post("Contact", date="2023-01-01"),
        "content/pages/draft.md": post("Draft", "draft: true\n", date="2024-05-01"),
        "content/pages/later.md": post("Later", date="2099-05-01"),
    }
    make_site(tmp_path / "all", {"hugo.toml": BASE + MAIN, **files})
    assert hugo.pages_in_feeds(config_of(tmp_path / "all"), Report()) == 2  # about, contact
    # Newest first, undated last: with 2 items the home feed lists the posts only, and the
    # tag's feed one, then about.
    limited = BASE + MAIN + "[services.rss]\nlimit = 2\n"
    make_site(tmp_path / "two", {"hugo.toml": limited, **files})
    assert hugo.pages_in_feeds(config_of(tmp_path / "two"), Report()) == 1
    limited = BASE + MAIN + "[services.rss]\nlimit = 1\n"
    make_site(tmp_path / "one", {"hugo.toml": limited, **files})
    assert hugo.pages_in_feeds(config_of(tmp_path / "one"), Report()) == 0
    # A section of pages that are not posts has its own feed of them.
    files["content/pages/guide.md"] = post("Guide", date="2020-01-01")
    make_site(tmp_path / "section", {"hugo.toml": limited, **files})
    assert hugo.pages_in_feeds(config_of(tmp_path / "section"), Report()) == 1


def _hugo_order(post: Any) -> tuple[Any, ...]:
    """Hugo's order of weight (0 last), then date (newest first)."""
    weight = post.params.get("weight", 0)
    return (weight == 0, weight, -int(post.date.timestamp()))


def _real_site(fixture: Path, tmp_path: Path) -> tuple[Path, dict[str, Any], Config]:
    truth = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    site = tmp_path / "site"
    shutil.copytree(fixture / "site", site)
    own = OWN_CONFIG
    if "base_url" in truth:
        # hextra: deployed with HUGO_BASEURL (NOTES.md); what a flag sets is set under [site].
        own += f'base_url = "{truth["base_url"]}"\n'
    (site / "syndicate.toml").write_text(own, encoding="utf-8")
    return site, truth, load_config(site / "syndicate.toml")


# Feeds of the real sites that no address describes, and why (each fixture's NOTES.md).
NOT_DESCRIBED = {
    # The theme's own template (layouts/list.rss.xml, in its module) lists every page below a
    # section, its sub-sections' too; the addresses follow Hugo's embedded template, whose
    # section feed lists the pages directly in it (`.RegularPages`).
    "hextra-docs": {"/docs/index.xml", "/docs/advanced/index.xml", "/docs/guide/index.xml",
                    "/docs/guide/shortcodes/index.xml"},
    # French and Persian have taxonomies of their own (`languages.fr.taxonomies`: FRtags,
    # FRcategories, FRseries), none of them a syndicate grouping: `init` notes each one.
    "papermod-example": {f"/{lang}{kind}/{term}/index.xml" for lang in ("fr", "fa")
                         for kind, term in (("categories", "syntax"), ("categories", "themes"),
                                            ("series", "themes-guide"), ("tags", "css"),
                                            ("tags", "html"), ("tags", "markdown"),
                                            ("tags", "themes"))},
}  # fmt: skip
# Sites whose feeds come from the theme's own RSS template, which leaves out pages that Hugo's
# embedded one lists (PaperMod's: `hiddenInRss`, and the search and archives layouts):
# `pages_in_feeds` counts the embedded template's, and `init` names the theme's template.
THEME_TEMPLATE = {"papermod-example"}


def _channels(
    entry: dict[str, Any], posts: list[Any], settings: SiteSettings
) -> dict[str, list[Any]]:
    """The posts of each term or section of a grouping, by its name in an address (a nested
    section's: its path, each folder's name as Hugo writes it)."""
    feed = entry["feed"]
    if feed == "site":
        return {"": posts}
    channels: dict[str, list[Any]] = {}
    for p in posts:
        if entry.get("nested"):
            for path in p.feed_sections:
                name = "/".join(hugo.address_name(s, feed, settings) for s in path.split("/"))
                channels.setdefault(name, []).append(p)
            continue
        names = [p.section] if feed == "sections" else getattr(p, feed)
        for name in names:
            channels.setdefault(hugo.address_name(name, feed, settings), []).append(p)
    return channels


def _rendered(
    settings: SiteSettings, posts: list[Any], addresses: list[tuple[str, str]]
) -> dict[str, tuple[dict[str, Any], list[Any]]]:
    """Each address a pattern renders to, with its entry and its posts in Hugo's order,
    cut at its limit."""
    rendered: dict[str, tuple[dict[str, Any], list[Any]]] = {}
    for pattern, text in addresses:
        entry = json.loads(text)
        for name, members in _channels(entry, posts, settings).items():
            address = "/" + pattern.replace("{term}", name).replace("{section}", name)
            ordered = hugo.feed_order(sorted(set(members), key=lambda p: str(p.source)))
            rendered[address] = (entry, ordered[: entry["limit"] or None])
    return rendered


# Hugo's taxonomy feeds list term pages: no address describes them (ananke's expected.json
# does not record the page kinds).
TAXONOMY_LISTS = {"/tags/index.xml", "/categories/index.xml"}


def _unprefixed(address: str, prefix: str) -> str:
    return "/" + address.removeprefix("/" + prefix)


# Languages whose collation the CLDR tailors (kana order, pinyin): Hugo orders pages of one
# weight and date by it, syndicate by the root order (sites/hugo/addresses.py collation_key).
TAILORED = {"ja", "zh-cn"}


def _same_items(
    ours: list[tuple[str, str]],
    theirs: list[tuple[str, str]],
    members: list[Any],
    exact_order: bool,
) -> None:
    """Our items are Hugo's, in Hugo's order. Hugo orders pages of one weight and date by
    their link titles in the collation of their language (collatorStringCompare in
    resources/page/pages_sort.go@HUGO_COMMIT); syndicate by the root collation, which is the
    same order except in a language the CLDR tailors: there, the same items in the same order
    of weight and date."""
    if exact_order:
        assert ours == theirs
        return
    assert sorted(ours) == sorted(theirs)
    rank = {p.permalink: _hugo_order(p)[:3] for p in members}
    assert [rank[link] for link, _ in theirs] == sorted(rank.values())


@pytest.mark.parametrize("fixture", REAL_SITES, ids=lambda p: p.name)
def test_each_real_feed_address_holds_the_posts_hugo_listed(fixture: Path, tmp_path: Path) -> None:
    """Every feed of every language whose items hold a post: an address of that language
    renders to it, with Hugo's limit, and the posts of its channel in that language, in
    Hugo's order (DefaultPageSort), cut at that limit, are its post items (link and guid =
    permalink); its other items are counted by pages_in_feeds."""
    _, truth, config = _real_site(fixture, tmp_path)
    default = truth.get("default_language", "en")
    posts = load_posts(config, LoadOptions(now=AFTER_THE_BUILDS)).posts
    settings = config.generator
    assert settings is not None
    prefixes = {lang.code: lang.prefix for lang in settings.languages} or {default: ""}
    others: set[str] = set()
    checked: set[str] = set()
    for code, prefix in prefixes.items():
        mine = [
            (p, t) for p, t in settings.addresses if json.loads(t).get("language", default) == code
        ]
        rendered = _rendered(settings, [p for p in posts if (p.language or default) == code], mine)
        patterns = [
            re.compile("/" + re.escape(p).replace(r"\{term\}", ".+").replace(r"\{section\}", ".+"))
            for p, _ in mine
        ]
        for feed in truth["feeds"]:
            address = _unprefixed(feed["address"], prefix)
            if feed.get("lang", default) != code or address in NOT_DESCRIBED.get(
                fixture.name, set()
            ):
                continue
            in_posts = [(i["link"], i["guid_or_id"]) for i in feed["items"] if i["is_post"]]
            taxonomy = feed.get("page_kind") == "taxonomy" or address in TAXONOMY_LISTS
            if any(p.fullmatch(feed["address"]) for p in patterns) and not taxonomy:
                others.update(i["link"] for i in feed["items"] if not i["is_post"])
            if not in_posts:
                continue
            assert feed["address"] in rendered, feed["address"]
            entry, members = rendered[feed["address"]]
            ours = [(p.permalink, p.permalink) for p in members]
            theirs_limit = feed.get("limit") or 0
            # hextra's theme template cuts at 50 itself (no feed has that many): Hugo's own
            # limit (none) is what the address says.
            assert entry["limit"] == (0 if fixture.name == "hextra-docs" else theirs_limit)
            _same_items(ours, in_posts, members, exact_order=code not in TAILORED)
            checked.add(feed["address"])
    assert {f["lang"] for f in truth["feeds"] if f["address"] in checked} == set(prefixes)
    if fixture.name not in THEME_TEMPLATE:
        assert hugo.pages_in_feeds(config, Report()) == len(others)


@pytest.mark.parametrize("setting", ["canonifyURLs", "relativeURLs"])
def test_root_relative_links_are_under_the_base_url_with_canonify_or_relative_urls(
    tmp_path: Path, setting: str
) -> None:
    """gohugo.io/content-management/urls: both rewrite `/x` to a link below baseURL's path."""
    (tmp_path / "hugo.toml").write_text(
        f'baseURL = "https://example.org/blog/"\ntitle = "T"\n{setting} = true\n'
    )
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/a.md").write_text(
        "---\ntitle: A\ndate: 2024-01-02\n---\n[About](/about/) ![x](/img/x.png)\n"
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    config = load_config(tmp_path / "syndicate.toml")
    assert config.site.root_links == "base_url"
    site = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False)
    html = site.renderer.html(site.posts[0])
    assert 'href="https://example.org/blog/about/"' in html
    assert 'src="https://example.org/blog/img/x.png"' in html


def test_root_relative_links_are_under_the_host_without_them(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/blog/"\ntitle = "T"\n')
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/a.md").write_text(
        "---\ntitle: A\ndate: 2024-01-02\n---\n[About](/about/)\n"
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    config = load_config(tmp_path / "syndicate.toml")
    site = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False)
    assert 'href="https://example.org/about/"' in site.renderer.html(site.posts[0])


def test_an_html_content_file_is_published_as_its_html_sanitized(tmp_path: Path) -> None:
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "T"\n')
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / "content/posts/page.html").write_text(
        "---\ntitle: Page\ndate: 2024-01-02\n---\n<div>\n    <p>Indented *not emphasis*</p>\n"
        "</div>\n<script>alert(1)</script>\n"
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    config = load_config(tmp_path / "syndicate.toml")
    site = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False)
    html = site.renderer.html(site.posts[0])
    # Markdown would have made the indented line a code block and the stars emphasis.
    assert "<p>Indented *not emphasis*</p>" in html
    assert "<pre>" not in html and "<em>" not in html and "script" not in html


def test_spellings_hugo_makes_one_term_are_not_warned_about(tmp_path: Path) -> None:
    from syndicate.feeds.channels import build_taxonomy

    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "T"\n')
    (tmp_path / "content/posts").mkdir(parents=True)
    for name, tag in (("a", "Guest Post"), ("b", "guest-post"), ("c", "C#"), ("d", "c")):
        (tmp_path / f"content/posts/{name}.md").write_text(
            f"---\ntitle: {name}\ndate: 2024-01-02\ntags: [{tag!r}]\n---\nx\n"
        )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    config = load_config(tmp_path / "syndicate.toml")
    site = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False)
    report = Report()
    build_taxonomy(config, site.posts, report)
    warned = [p.message for p in report.problems]
    # Hugo's /tags/guest-post/ holds both; "C#" and "c" are two terms to Hugo (c#, c).
    assert not any("'Guest Post'" in m or "'guest-post'" in m for m in warned), warned
    assert any("'C#'" in m or "'c'" in m for m in warned), warned


# --- languages and translations (issue 19) --------------------------------------------------
# https://gohugo.io/configuration/languages/ and
# https://gohugo.io/content-management/multilingual/; each URL below as Hugo 0.168 gives it.


def languages_of(root: Path) -> list[tuple[str, str, str, str, int, str, bool]]:
    return [
        (lang.code, lang.title, lang.base_url, lang.prefix, lang.weight, lang.locale, lang.default)
        for lang in settings_of(root).languages
    ]


def test_languages_come_default_first_then_in_hugos_weight_order(tmp_path: Path) -> None:
    # Languages.Less (langs/language.go): weight ascending, a weight of 0 after every other,
    # then the code; disabled languages are not built.
    config = (
        'defaultContentLanguage = "fr"\ndisableLanguages = ["it"]\n'
        '[languages.en]\nweight = 2\nlanguageCode = "en-US"\ntitle = "In English"\n'
        '[languages.fr]\nweight = 3\nlocale = "fr-CA"\nlanguageCode = "fr-FR"\n'
        "[languages.de]\nweight = 1\n[languages.es]\n[languages.ca]\n"
        "[languages.it]\nweight = 1\n[languages.nl]\nweight = 1\ndisabled = true\n"
    )
    make_site(tmp_path, {"hugo.toml": BASE + config})
    assert languages_of(tmp_path) == [
        ("fr", "Example", "https://example.org/", "", 3, "fr_CA", True),
        ("de", "Example", "https://example.org/de/", "de/", 1, "de", False),
        ("en", "In English", "https://example.org/en/", "en/", 2, "en_US", False),
        ("ca", "Example", "https://example.org/ca/", "ca/", 0, "ca", False),
        ("es", "Example", "https://example.org/es/", "es/", 0, "es", False),
    ]


def test_the_default_language_in_a_subdir_and_a_languages_own_base_url(tmp_path: Path) -> None:
    two = "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n"
    make_site(tmp_path / "a", {"hugo.toml": BASE + "defaultContentLanguageInSubdir = true\n" + two})
    assert [(c, b, p) for c, _, b, p, *_ in languages_of(tmp_path / "a")] == [
        ("en", "https://example.org/en/", "en/"),
        ("fr", "https://example.org/fr/", "fr/"),
    ]
    # Multihost: each language at its own base URL, written to its own folder.
    hosts = (
        '[languages.en]\nweight = 1\nbaseURL = "https://example.com"\n'
        '[languages.fr]\nweight = 2\nbaseURL = "https://example.fr/blog/"\n'
    )
    make_site(tmp_path / "b", {"hugo.toml": BASE + hosts})
    assert [(c, b, p) for c, _, b, p, *_ in languages_of(tmp_path / "b")] == [
        ("en", "https://example.com/", "en/"),
        ("fr", "https://example.fr/blog/", "fr/"),
    ]


@pytest.mark.parametrize(
    "config",
    ["", "[languages.en]\nweight = 1\n", "[languages.en]\n[languages.fr]\ndisabled = true\n"],
)
def test_a_site_of_one_language_has_no_languages(tmp_path: Path, config: str) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + config, "content/posts/a.md": post("A")})
    assert settings_of(tmp_path).languages == ()
    assert [(p.language, p.translation_key) for p in loaded(tmp_path).posts] == [("", "")]


def test_each_post_has_its_language_and_translations_share_a_key(tmp_path: Path) -> None:
    # By file name (a page or a bundle's index), by content folder, or by translationKey;
    # a file without a language code is the default language's.
    config = (
        MAIN + "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\ncontentDir = 'content/de'\n"
        "[languages.fr]\nweight = 3\n"
    )
    files = {
        "content/posts/trip.md": post("Trip"),
        "content/posts/trip.fr.md": post("Voyage"),
        "content/de/posts/trip.md": post("Reise"),
        "content/posts/bundle/index.en.md": post("Bundle"),
        "content/posts/bundle/index.fr.md": post("Paquet"),
        "content/posts/hello.md": post("Hello", "translationKey: greeting\n"),
        "content/de/posts/hallo.md": post("Hallo", "translationKey: greeting\n"),
        "content/posts/alone.md": post("Alone"),
        "content/posts/_index.fr.md": "---\ntitle: Articles\n---\n",
        "content/de/posts/_index.md": "---\ntitle: Beiträge\n---\n",
    }
    make_site(tmp_path, {"hugo.toml": BASE + config, **files})
    result = loaded(tmp_path)
    assert not result.report.errors, [str(p) for p in result.report.errors]
    found = {
        p.source.relative_to(tmp_path).as_posix(): (p.language, p.translation_key, p.permalink)
        for p in result.posts
    }
    assert found == {
        "content/posts/trip.md": ("en", "/posts/trip", "https://example.org/posts/trip/"),
        "content/posts/trip.fr.md": ("fr", "/posts/trip", "https://example.org/fr/posts/trip/"),
        "content/de/posts/trip.md": ("de", "/posts/trip", "https://example.org/de/posts/trip/"),
        "content/posts/bundle/index.en.md": (
            "en", "/posts/bundle", "https://example.org/posts/bundle/"
        ),
        "content/posts/bundle/index.fr.md": (
            "fr", "/posts/bundle", "https://example.org/fr/posts/bundle/"
        ),
        "content/posts/hello.md": ("en", "greeting", "https://example.org/posts/hello/"),
        "content/de/posts/hallo.md": ("de", "greeting", "https://example.org/de/posts/hallo/"),
        "content/posts/alone.md": ("en", "/posts/alone", "https://example.org/posts/alone/"),
    }  # fmt: skip
    assert all("translationKey" not in p.params for p in result.posts)


LANGUAGE_CODES = ("en", "de", "zh-cn")
MULTILINGUAL_RULES = PostRules(
    "hugo",
    root="/site",
    defaults=(
        (
            "",
            json.dumps(
                {
                    "kind": "reading",
                    "languages": sorted(LANGUAGE_CODES),
                    "default_language": "en",
                    "multilingual": True,
                    "content_dirs": [["content", ""]],
                }
            ),
        ),
    ),
)


@given(
    st.text(st.sampled_from("abcXYZ019 -_.é"), min_size=1, max_size=20).filter(
        lambda n: not n.startswith((".", "_", "#", "index")) and not n.endswith(("~", "."))
    ),
    st.sampled_from(LANGUAGE_CODES[1:]),
)
def test_a_file_and_its_translation_by_name_share_a_key(name: str, lang: str) -> None:
    # https://gohugo.io/content-management/multilingual/#translation-by-file-name: "By having
    # the same path and base file name, the content pieces are linked together".
    if hugo.config.split_name(f"{name}.md", LANGUAGE_CODES)[1]:
        return  # the name itself ends in a language code: another page
    meta = {"title": "T", "date": "2024-01-02"}
    plain = adapted(dict(meta), f"content/posts/{name}.md", MULTILINGUAL_RULES)
    other = adapted(dict(meta), f"content/posts/{name}.{lang}.md", MULTILINGUAL_RULES)
    assert (plain[LANGUAGE], other[LANGUAGE]) == ("en", lang)
    assert plain[TRANSLATION] == other[TRANSLATION] != ""
    assert other[URL_PATH] == f"/{lang}{plain[URL_PATH]}"


def test_pages_of_a_disabled_language_are_not_posts(tmp_path: Path) -> None:
    # https://gohugo.io/configuration/languages/#disablelanguages: not built, not published.
    config = (
        'disableLanguages = ["it"]\n'
        + MAIN
        + "[languages.en]\nweight = 1\n[languages.it]\nweight = 2\n"
        "[languages.fr]\nweight = 3\ndisabled = true\n"
    )
    files = {
        "content/posts/trip.md": post("Trip"),
        "content/posts/trip.it.md": post("Viaggio"),
        "content/posts/bundle/index.fr.md": post("Paquet"),
    }
    make_site(tmp_path, {"hugo.toml": BASE + config, **files})
    result = loaded(tmp_path)
    assert not result.report.errors, [str(p) for p in result.report.errors]
    assert [p.source.relative_to(tmp_path).as_posix() for p in result.posts] == [
        "content/posts/trip.md"
    ]
    assert [(p.language, p.translation_key) for p in result.posts] == [("", "")]


def test_translations_keep_ids_of_their_own_with_tag_ids(tmp_path: Path) -> None:
    # A tag id is made of the slug and the date, which translations share: each language's
    # slug keeps its own (`trip-de`, `bundle-fr`), so no translation is dropped as a clash.
    config = (
        MAIN + "[languages.en]\nweight = 1\n[languages.de]\nweight = 2\ncontentDir = 'content/de'\n"
        "[languages.fr]\nweight = 3\n"
    )
    files = {
        "content/posts/trip.md": post("Trip"),
        "content/de/posts/trip.md": post("Reise"),
        "content/posts/bundle/index.md": post("Bundle"),
        "content/posts/bundle/index.fr.md": post("Paquet"),
    }
    make_site(tmp_path, {"hugo.toml": BASE + config, **files})
    (tmp_path / "syndicate.toml").write_text(
        OWN_CONFIG + '[feeds]\nid = "tag"\ntag_authority = "example.org,2024"\n', encoding="utf-8"
    )
    result = load_posts(load_config(tmp_path / "syndicate.toml"), LoadOptions(now=AFTER_THE_BUILDS))
    assert not result.report.errors, [str(p) for p in result.report.errors]
    assert sorted(p.id.rpartition(":")[2] for p in result.posts) == [
        "bundle",
        "bundle-fr",
        "trip",
        "trip-de",
    ]


def test_each_language_has_hugos_feeds_under_its_prefix(tmp_path: Path) -> None:
    # https://gohugo.io/content-management/multilingual/: RSS feeds and taxonomy pages of
    # French are rendered below /fr; a section page of one language turns off only its feed.
    config = (
        MAIN.replace('"notes", "misc"', '"notes"')
        + "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n"
    )
    files = {"content/notes/_index.fr.md": "---\ntitle: Notes\noutputs: [html]\n---\n"}
    make_site(tmp_path, {"hugo.toml": BASE + config, **files})
    assert addresses_of(tmp_path) == {
        "index.xml": rss("site", language="en"),
        "{section}/index.xml": rss("sections", language="en"),
        "categories/{term}/index.xml": rss("categories", language="en"),
        "tags/{term}/index.xml": rss("tags", language="en"),
        "fr/index.xml": rss("site", language="fr"),
        "fr/{section}/index.xml": rss("sections", language="fr", terms=["posts"]),
        "fr/categories/{term}/index.xml": rss("categories", language="fr"),
        "fr/tags/{term}/index.xml": rss("tags", language="fr"),
    }
    assert not any("other languages" in n for n in settings_of(tmp_path).notes)
    in_subdir = BASE + "defaultContentLanguageInSubdir = true\n" + config
    make_site(tmp_path / "sub", {"hugo.toml": in_subdir})
    found = addresses_of(tmp_path / "sub")
    assert found["en/index.xml"] == rss("site", language="en")
    assert "index.xml" not in found


def _translations(post: dict[str, Any]) -> set[tuple[str, str]]:
    """A post's translations in expected.json: URLs (ananke) or {lang, url} (hextra)."""
    by_url = {p["url"]: p["lang"] for p in post.get("_all", [])}
    return {
        (t["lang"], t["url"]) if isinstance(t, dict) else (by_url[t], t)
        for t in post["translations"]
    }


MULTILINGUAL = [p for p in REAL_SITES if p.name in ("ananke-example", "hextra-docs")]


@pytest.mark.parametrize("fixture", MULTILINGUAL, ids=lambda p: p.name)
def test_every_real_post_has_the_language_and_url_hugo_gave_it(
    fixture: Path, tmp_path: Path
) -> None:
    site, truth, config = _real_site(fixture, tmp_path)
    result = load_posts(config, LoadOptions(now=AFTER_THE_BUILDS))
    assert not result.report.errors, [str(p) for p in result.report.errors]
    ours = {p.source.relative_to(site).as_posix(): (p.language, p.permalink) for p in result.posts}
    assert ours == {p["source"]: (p["lang"], p["url"]) for p in truth["posts"]}
    assert config.generator is not None
    codes = [lang.code for lang in config.generator.languages]
    assert codes == list(truth.get("main_sections") or [x["lang"] for x in truth["languages"]])


@pytest.mark.parametrize("fixture", MULTILINGUAL, ids=lambda p: p.name)
def test_real_translations_are_linked_as_hugo_links_them(fixture: Path, tmp_path: Path) -> None:
    site, truth, config = _real_site(fixture, tmp_path)
    posts = load_posts(config, LoadOptions(now=AFTER_THE_BUILDS)).posts
    by_key: dict[str, list[Any]] = {}
    for p in posts:
        assert p.translation_key, p.source
        by_key.setdefault(p.translation_key, []).append(p)
    linked = 0
    for expected in truth["posts"]:
        expected["_all"] = truth["posts"]
        ours = next(p for p in posts if p.source.relative_to(site).as_posix() == expected["source"])
        others = {(p.language, p.permalink) for p in by_key[ours.translation_key] if p is not ours}
        assert others == _translations(expected), expected["source"]
        linked += bool(others)
    assert linked == sum(bool(p["translations"]) for p in truth["posts"]) > 0


def test_an_address_lists_its_posts_in_hugos_order_weighted_first(tmp_path: Path) -> None:
    """DefaultPageSort: weight ascending (0, no weight, last), then date newest first."""
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "T"\n')
    (tmp_path / "content/posts").mkdir(parents=True)
    for name, date, weight in (("old", "2024-01-01", "weight: 2\n"), ("mid", "2024-02-01", "")):
        (tmp_path / f"content/posts/{name}.md").write_text(
            f"---\ntitle: {name}\ndate: {date}\n{weight}---\nx\n"
        )
    (tmp_path / "content/posts/new.md").write_text("---\ntitle: new\ndate: 2024-03-01\n---\nx\n")
    (tmp_path / "content/posts/first.md").write_text(
        "---\ntitle: first\ndate: 2023-01-01\nweight: 1\n---\nx\n"
    )
    (tmp_path / "syndicate.toml").write_text(
        '[site]\ngenerator = "hugo"\n[feeds.addresses]\n"index.xml" = {feed = "site", format = "rss"}\n'
    )
    config = load_config(tmp_path / "syndicate.toml")
    site = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False)
    from syndicate.feeds.channels import build_taxonomy

    [address] = build_taxonomy(config, site.posts, Report()).addresses
    assert [p.title for p in address.channel.posts] == ["first", "old", "new", "mid"]
    assert [p.title for p in site.posts] == ["new", "mid", "old", "first"]  # syndicate's own


def test_posts_of_one_date_are_in_hugos_order_of_link_title_by_collation(tmp_path: Path) -> None:
    # Hugo 0.168 on these four files (`hugo`, the home page ranging .Site.RegularPages) gave
    # apple|banana|Cherry|Zed: the link title, compared by the Unicode Collation Algorithm
    # (code points would put `Cherry` and `Zed` first), the title only without a link title.
    files = {
        "content/posts/one.md": post('"Bee"', 'linkTitle: "apple"\n', date="2024-01-01"),
        "content/posts/two.md": post('"apple pie"', 'linkTitle: "Zed"\n', date="2024-01-01"),
        "content/posts/three.md": post('"banana"', date="2024-01-01"),
        "content/posts/four.md": post('"Cherry"', date="2024-01-01"),
        "content/posts/old.md": post('"Aardvark"', date="2023-01-01"),
    }
    make_site(tmp_path, {"hugo.toml": BASE, **files})
    posts = load_posts(config_of(tmp_path), LoadOptions(now=AFTER_THE_BUILDS)).posts
    ordered = hugo.feed_order(sorted(posts, key=lambda p: p.title))
    assert [p.title for p in ordered] == ["Bee", "banana", "Cherry", "apple pie", "Aardvark"]


def test_a_language_code_that_is_no_tag_is_refused_at_its_key(tmp_path: Path) -> None:
    # Hugo writes it into its RSS as it stands; syndicate's feeds (Atom's xml:lang, JSON Feed)
    # need a BCP 47 tag, so `[site] language` in syndicate.toml must give one.
    make_site(tmp_path, {"hugo.toml": BASE + 'languageCode = "Deutsch"\n'})
    with pytest.raises(ConfigError) as caught:
        config_of(tmp_path)
    assert str(caught.value).startswith('hugo.toml: languageCode: "Deutsch" is not a language tag')
    make_site(tmp_path, {"hugo.toml": BASE + 'languageCode = "en_US"\n'})
    assert config_of(tmp_path).site.language == "en-US"


@pytest.mark.parametrize(
    ("config", "expected", "origin"),
    [
        ("mainSections = ['notes']\n", ["notes"], "hugo.toml: mainSections"),
        (
            "mainSections = ['notes']\n[params]\nmainSections = ['posts']\n",
            ["posts"],
            "hugo.toml: params.mainSections",
        ),
        ("mainSections = []\n", [], "hugo.toml: mainSections"),
    ],
)
def test_main_sections_at_the_top_level_as_hugo_reads_them(
    tmp_path: Path, config: str, expected: list[str], origin: str
) -> None:
    # Since Hugo 0.112 `mainSections` is a project setting; `params.mainSections`, the older
    # place, wins when both are set (config/allconfig/alldecoders.go).
    make_site(tmp_path, {"hugo.toml": BASE + config})
    built = settings_of(tmp_path)
    assert built.site["main_sections"] == expected
    assert built.origins["main_sections"] == origin


def test_a_languages_own_taxonomies_win_over_the_sites(tmp_path: Path) -> None:
    # Hugo 0.168 built series/s1/index.xml (and no categories feed) for a site whose only
    # taxonomies are `[languages.en.taxonomies]`; PaperMod's French `FRtags` are published at
    # fr/frtags/, which no syndicate grouping is (noted, not fr/tags/).
    config = (
        'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n'
        '[languages.en.taxonomies]\ntag = "tags"\nseries = "series"\n'
        '[languages.fr]\nweight = 2\n[languages.fr.taxonomies]\nfrtag = "frtags"\n'
    )
    make_site(tmp_path, {"hugo.toml": BASE + config})
    found = set(addresses_of(tmp_path))
    assert {"tags/{term}/index.xml", "series/{term}/index.xml"} <= found
    assert not any("categories" in address or "fr/tags" in address for address in found)
    settings = settings_of(tmp_path)
    assert dict(settings.rules.taxonomies) == {"series": "series", "tags": "tags"}
    assert any("taxonomy 'frtags' has no syndicate grouping" in n for n in settings.notes)


def test_yaml_is_read_as_hugo_reads_it_no_is_norwegian_not_false(tmp_path: Path) -> None:
    # Hugo 0.168 (goccy/go-yaml, YAML 1.2) built no/index.xml, tags/no/ and tags/on/ for this
    # site; YAML 1.1 would make the language `false` and skip the post titled "On".
    make_site(
        tmp_path,
        {
            "hugo.yaml": "baseURL: https://e.org/\ntitle: T\ndefaultContentLanguage: en\n"
            "languages:\n  en:\n    weight: 1\n  no:\n    weight: 2\n",
            "content/posts/a.md": "---\ntitle: On\ndate: 2024-01-01\ntags: [no, on]\n---\nx\n",
            "content/posts/b.no.md": "---\ntitle: Norsk\ndate: 2024-01-02\n---\ny\n",
        },
    )
    config = config_of(tmp_path)
    assert config.generator is not None
    assert [lang.code for lang in config.generator.languages] == ["en", "no"]
    found = loaded(tmp_path)
    assert not found.report.problems
    by_title = {p.title: p for p in found.posts}
    assert by_title["On"].tags == ("no", "on")
    assert by_title["Norsk"].language == "no"
    assert by_title["Norsk"].permalink == "https://e.org/no/posts/b/"


def test_a_feed_at_hugos_address_links_hugos_page_of_its_term(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Hugo 0.168 linked tags/c++/index.xml to https://e.org/tags/c++/ and the 隐私 feed to its
    # percent-encoded page: the folder the feed is in, named as Hugo names it, where
    # syndicate's own page of a term would be at its slug (tags/c/, tags/yin-si/).
    make_site(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://e.org/"\ntitle = "T"\n',
            "content/posts/a.md": '---\ntitle: A\ndate: 2024-01-01\ntags: ["隐私", "C++"]\n---\nx\n',
        },
    )
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    public = tmp_path / "public"
    for feed, page in (
        ("tags/c++", "tags/c++"),
        ("tags/隐私", "tags/%E9%9A%90%E7%A7%81"),
        ("posts", "posts"),
    ):
        link = etree.parse(str(public / feed / "index.xml")).findtext("channel/link")
        assert link == f"https://e.org/{page}/", feed


def test_render_hooks_of_the_site_and_its_theme_are_noted(tmp_path: Path) -> None:
    # The Stack theme's render-image and render-link hooks shape its pages: the feeds are made
    # without them, which `init` says (https://gohugo.io/render-hooks/).
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + 'theme = "stack"\n',
            "themes/stack/layouts/_markup/render-image.html": "<img>",
            "themes/stack/layouts/_markup/render-link.html": "<a>",
            "layouts/_default/_markup/render-heading.html": "<h>",
        },
    )
    [note] = [n for n in settings_of(tmp_path).notes if "render hooks" in n]
    assert note.startswith(
        "render hooks are not run (layouts/_default/_markup/: render-heading; "
        "themes/stack/layouts/_markup/: render-image, render-link)"
    )
    make_site(tmp_path / "plain", {"hugo.toml": BASE})
    assert not any("render hooks" in n for n in settings_of(tmp_path / "plain").notes)
    # a theme imported as a module (CaiJimmy/hugo-theme-stack's demo): its hooks are not here
    imports = '[module]\n[[module.imports]]\npath = "github.com/CaiJimmy/hugo-theme-stack/v3"\n'
    make_site(tmp_path / "module", {"hugo.toml": BASE + imports})
    [note] = [n for n in settings_of(tmp_path / "module").notes if "render hooks" in n]
    assert note.startswith("a theme or component imported as a module is in Hugo's module cache")


def test_a_module_import_in_the_themes_folder_is_read_as_hugo_reads_it(tmp_path: Path) -> None:
    # Without a go.mod, Hugo 0.168.0 looks an import path up below `themesDir`: the Stack
    # theme's demo, its theme in themes/github.com/CaiJimmy/hugo-theme-stack/v3/, was built
    # with that theme's rss.xml and render hooks (https://gohugo.io/configuration/module/).
    folder = "themes/github.com/CaiJimmy/hugo-theme-stack/v3"
    imports = '[[module.imports]]\npath = "github.com/CaiJimmy/hugo-theme-stack/v3"\n'
    files = {
        "hugo.toml": BASE + imports,
        f"{folder}/layouts/rss.xml": "<rss/>",
        f"{folder}/layouts/_markup/render-image.html": "<img>",
    }
    make_site(tmp_path, files)
    notes = " | ".join(settings_of(tmp_path).notes)
    assert "module cache" not in notes
    assert f"render hooks are not run ({folder}/layouts/_markup/: render-image)" in notes
    assert f"its own RSS template ({folder}/layouts/rss.xml)" in notes
    # With a go.mod, Go's module system finds the module, wherever it is.
    make_site(tmp_path / "go", {**files, "go.mod": "module example.org/site\n"})
    notes = " | ".join(settings_of(tmp_path / "go").notes)
    assert "module cache" in notes and "render-image" not in notes and "rss.xml" not in notes


def test_init_keeps_its_file_and_says_what_to_do_when_hugos_config_has_a_problem(
    tmp_path: Path, run_cli: RunCli
) -> None:
    hugo = "baseURL: https://e.org/\ntitle: T\nlanguageCode: English\n"
    make_site(tmp_path, {"hugo.yaml": hugo, "content/posts/a.md": "---\ntitle: A\n---\nx\n"})
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 2
    assert 'hugo.yaml: languageCode: "English" is not a language tag' in done.stderr
    assert "syndicate.toml is kept: fix the problem above, or give the value under [site]" in (
        done.stdout
    )
    (tmp_path / "syndicate.toml").write_text(
        (tmp_path / "syndicate.toml")
        .read_text()
        .replace('generator = "hugo"', 'generator = "hugo"\nlanguage = "en"')
    )
    assert run_cli("check", cwd=tmp_path).returncode == 0


def test_untitled_pages_are_published_as_hugo_publishes_them(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Hugo 0.168 published both untitled pages in posts/index.xml, in this order, with an
    # empty <title> (the bare file dated 0001-01-01); syndicate skipped them ("missing title").
    # RSS and JSON Feed leave an untitled item's title out; Atom requires one (and the W3C
    # validator a non-blank one): the post's first words.
    make_site(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "Notes"\n',
            "content/posts/note.md": "---\ndate: 2024-05-01T10:00:00Z\n---\n"
            "A short note without a title, with *emphasis*.\n",
            "content/posts/bare.md": "No front matter at all, just text.\n",
            "content/posts/titled.md": "---\ntitle: Titled\ndate: 2024-04-01T10:00:00Z\n---\nB\n",
        },
    )
    assert run_cli("init", cwd=tmp_path).returncode == 0
    done = run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path)
    assert done.returncode == 0 and "missing title" not in done.stderr
    public = tmp_path / "public"
    rss = etree.parse(str(public / "posts/index.xml")).findall("channel/item")
    assert [(i.findtext("link"), i.findtext("title"), i.findtext("pubDate")) for i in rss] == [
        ("https://example.org/posts/note/", None, "Wed, 01 May 2024 10:00:00 +0000"),
        ("https://example.org/posts/titled/", "Titled", "Mon, 01 Apr 2024 10:00:00 +0000"),
        ("https://example.org/posts/bare/", None, "Mon, 01 Jan 0001 00:00:00 +0000"),
    ]
    atom = feedparser.parse((public / "atom.xml").read_bytes())
    assert [e.title for e in atom.entries] == [
        "A short note without a title, with emphasis.",
        "Titled",
        "No front matter at all, just text.",
    ]
    items = json.loads((public / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [i.get("title") for i in items] == [None, "Titled", None]
    # The browser's view of the feed (feed-style.xsl) names an untitled item by its address.
    page = etree.XSLT(etree.parse(str(public / "feed-style.xsl")))(
        etree.parse(str(public / "posts/index.xml"))
    )
    assert [a.text for a in page.getroot().iterfind(".//li/a")] == [
        "https://example.org/posts/note/",
        "Titled",
        "https://example.org/posts/bare/",
    ]
    validate = validator()
    for rel in ("posts/index.xml", "index.xml", "atom.xml"):
        events = validate((public / rel).read_bytes(), f"https://example.org/{rel}")
        # Hugo's date of an undated page, year 1, is the one thing the validator doubts.
        assert {type(e).__name__ for e in events} <= {"ImplausibleDate"}, rel


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({"hugo.toml": 'title = "T"\n'}, "hugo.toml sets no `baseURL`"),
        ({"_config.yml": "title: T\n"}, "_config.yml sets no `url`"),
        ({"_config.yml": "title: T\nbaseurl: /test\n"}, "_config.yml sets no `url`"),
        (
            {"config/_default/hugo.toml": 'title = "T"\n', "config/_default/params.toml": ""},
            "Hugo's config sets no `baseURL`",
        ),
    ],
)
def test_a_missing_base_url_is_named_as_the_generator_names_it(
    tmp_path: Path, run_cli: RunCli, files: dict[str, str], said: str
) -> None:
    # It said `syndicate.toml: site.base_url: missing required key`, a key the user never
    # wrote, of a file init had just written.
    make_site(tmp_path, files)
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 2
    assert (
        f"syndicate.toml: site.base_url: missing: {said}; set it there, or `base_url` under "
        "[site] in syndicate.toml"
    ) in done.stderr
    # A base_url given as the missing `url` alone made every link miss Jekyll's baseurl.
    path = 'with the baseurl: base_url = "https://<host>/test/"'
    assert (path in " ".join(done.stderr.split())) == ("baseurl" in str(files))


def test_draft_is_read_as_hugo_reads_it(tmp_path: Path, run_cli: RunCli) -> None:
    # Hugo 0.168 published exactly the pages listed below of these (its `draft` goes through
    # Go's strconv.ParseBool; YAML 1.2 makes `yes` text): syndicate held `yes` as a draft
    # and skipped `on`, `y`, `1` and `t` as errors.
    values = {
        "yes": True, '"yes"': True, "on": True, "y": True, "no": True, '"false"': True,
        "true": False, "True": False, "TRUE": False, "1": False, '"1"': False, "t": False,
        '"t"': False, "0": True, "2": False,
    }  # fmt: skip
    files = {"hugo.toml": BASE}
    for i, value in enumerate(values):
        files[f"content/posts/p{i}.md"] = post(f"P{i}", f"draft: {value}\n")
    files["content/posts/toml.md"] = '+++\ntitle = "T"\ndate = 2024-01-02\ndraft = "yes"\n+++\nx\n'
    make_site(tmp_path, files)
    assert run_cli("init", cwd=tmp_path).returncode == 0
    done = run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path)
    assert done.returncode == 0
    rss = etree.parse(str(tmp_path / "public/posts/index.xml"))
    published = {i.findtext("title") for i in rss.iterfind("channel/item")}
    assert published == {f"P{i}" for i, shown in enumerate(values.values()) if shown} | {"T"}
    warned = re.findall(r"(p\d+|toml)\.md:\d+: warning: draft: '(\w+)' is not true", done.stderr)
    expected = [("p0", "yes"), ("p1", "yes"), ("p2", "on"), ("p3", "y"), ("toml", "yes")]
    assert sorted(warned) == expected


def test_a_section_feed_is_titled_with_its_section_pages_title_in_each_language(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Hugo 0.168 titled these feeds "Writing on Site", "Écrits on Le site", "Guides & How-tos
    # on Site" and "Notes on Site" (no section page: the folder's name, title-cased); the
    # sections were named by their folders' paths ("posts/guides").
    make_site(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://e.org/"\ntitle = "Site"\n'
            'mainSections = ["posts", "notes"]\n'
            '[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\ntitle = "Le site"\n',
            "content/posts/_index.md": "---\ntitle: Writing\n---\n",
            "content/posts/_index.fr.md": "---\ntitle: Écrits\n---\n",
            "content/posts/_index.de.md": "---\ntitle: Schriften\n---\n",  # no such language
            "content/posts/guides/_index.md": "---\nTitle: Guides & How-tos\n---\n",
            "content/posts/a.md": post("A"),
            "content/posts/a.fr.md": post("A fr"),
            "content/posts/guides/g.md": post("G"),
            "content/notes/n.md": post("N"),
        },
    )
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    titles = {
        rel: etree.parse(str(tmp_path / "public" / rel)).findtext("channel/title")
        for rel in ("posts/index.xml", "fr/posts/index.xml", "posts/guides/index.xml")
    }
    assert titles == {
        "posts/index.xml": "Site — Section: Writing",
        "fr/posts/index.xml": "Le site — Section: Écrits",
        "posts/guides/index.xml": "Site — Section: Guides & How-tos",
    }
    notes = etree.parse(str(tmp_path / "public/notes/index.xml")).findtext("channel/title")
    assert notes == "Site — Section: notes"


def test_a_build_of_no_posts_does_not_empty_the_generators_feeds(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # utf9k.net: Hugo's main section (the one of most pages) held only `build: render: never`
    # pages, so syndicate found no posts, and `build --adopt` replaced Hugo's 94-item
    # index.xml with an empty feed.
    never = "---\ntitle: B\ndate: 2024-01-01\nbuild:\n  render: never\n---\nx\n"
    files = {"hugo.toml": 'baseURL = "https://e.org/"\ntitle = "T"\n'}
    files |= {f"content/bookmarks/b{i}.md": never for i in range(3)}
    files |= {"content/blog/a.md": post("A"), "public/index.xml": "<rss>Hugo's</rss>\n"}
    make_site(tmp_path, files)
    assert run_cli("init", cwd=tmp_path).returncode == 0
    result = run_cli("build", "--adopt", cwd=tmp_path)
    assert result.returncode == 1
    assert "found no posts" in result.stderr and "main_sections" in result.stderr
    assert (tmp_path / "public" / "index.xml").read_text() == "<rss>Hugo's</rss>\n"
    assert not (tmp_path / "public" / "rss.xml").exists()


def test_init_hands_over_a_section_feed_its_front_matter_turns_on(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # linkerd.io: RSS named `feed`, off for every kind but the blog section, whose _index.md
    # turns it on; Hugo 0.168 wrote public/blog/feed.xml, and the first build was refused.
    config = (
        'baseURL = "https://e.org/"\ntitle = "T"\ndisableKinds = ["taxonomy", "term"]\n'
        '[outputFormats.RSS]\nbaseName = "feed"\n[outputs]\nhome = ["HTML"]\nsection = ["HTML"]\n'
    )
    make_site(
        tmp_path,
        {
            "hugo.toml": config,
            "content/blog/_index.md": "---\ntitle: Blog\noutputs: [HTML, RSS]\n---\n",
            "content/blog/a.md": post("A"),
            "public/blog/feed.xml": "<rss>Hugo's</rss>\n",
        },
    )
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert 'adopt = ["**/feed.xml"]' in (tmp_path / "syndicate.toml").read_text()
    assert run_cli("build", cwd=tmp_path).returncode == 0
    assert "<item>" in (tmp_path / "public" / "blog" / "feed.xml").read_text()


def test_init_gives_syndicates_feed_another_name_where_a_sites_own_format_writes_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # utf9k.net: an output format of its own, `rssalt` (baseName rss, RSS's media type), writes
    # rss.xml with the site's template; the first build after Hugo's was refused at it.
    config = (
        "baseURL: https://e.org/\ntitle: T\noutputFormats:\n  rssalt:\n    baseName: rss\n"
        "    mediaType: application/rss+xml\noutputs:\n  home: [html, rss, rssalt]\n"
    )
    make_site(
        tmp_path,
        {
            "hugo.yaml": config,
            "content/blog/a.md": post("A"),
            "public/rss.xml": "<rss>Hugo's</rss>\n",
        },
    )
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert '[feeds.filenames]\nrss = "feed.rss"' in (tmp_path / "syndicate.toml").read_text()
    assert run_cli("build", cwd=tmp_path).returncode == 0
    assert (tmp_path / "public" / "rss.xml").read_text() == "<rss>Hugo's</rss>\n"
    assert "<item>" in (tmp_path / "public" / "feed.rss").read_text()


@pytest.mark.parametrize("linked", [False, True], ids=["folder", "linked folder"])
def test_a_site_of_pages_hugo_does_not_list_is_told_why_it_has_no_posts(
    tmp_path: Path, run_cli: RunCli, linked: bool
) -> None:
    # Hugo finds its files below `root / contentDir` as written: through a link, its paths
    # and the content folder's own walk (from the resolved folder) must still meet.
    site = tmp_path / "site"
    content = tmp_path / "real-content" if linked else site / "content"
    make_site(site, {"hugo.toml": BASE, "syndicate.toml": OWN_CONFIG})
    make_site(
        content,
        {
            "posts/kept/index.md": post("Kept", "headless: true\n"),
            "posts/unlisted.md": post("Unlisted", "build:\n  list: never\n"),
        },
    )
    if linked:
        (site / "content").symlink_to(content, target_is_directory=True)
    checked = run_cli("check", "--now", "2025-01-01T00:00:00Z", cwd=site)
    assert checked.returncode == 0, checked.stderr
    assert "no posts found: 2 files left out, each for the reason shown" in checked.stderr
    for name in ("posts/kept/index.md", "posts/unlisted.md"):
        assert f"content/{name}: warning: left out: a page Hugo does not list" in checked.stderr


def test_a_missing_content_folder_is_reported_where_hugo_set_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A mistyped `contentDir` was blamed on `site.content_dir` of syndicate.toml, a key that
    file does not have; following the hint overrode Hugo's value instead of fixing it."""
    make_site(
        tmp_path,
        {
            "hugo.toml": BASE + 'contentDir = "contnt"\n',
            "content/posts/one.md": post("One"),
        },
    )
    (tmp_path / "syndicate.toml").write_text(OWN_CONFIG, encoding="utf-8")
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "error: hugo.toml: contentDir: contnt is not a folder: Hugo reads the posts" in (
        result.stderr
    )
    assert "fix the path in Hugo's config" in result.stderr
    (tmp_path / "syndicate.toml").write_text(
        OWN_CONFIG + 'content_dir = "posts-here"\n', encoding="utf-8"
    )
    own = run_cli("build", cwd=tmp_path)  # syndicate's own setting: named as before
    assert "syndicate.toml: site.content_dir: " in own.stderr
