"""A Jekyll site read as Jekyll publishes it: its `_config.yml`, the files of its `posts`
collection, their front matter and dates; checked on real sites (tests/fixtures/sites/jekyll)."""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import shutil
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from lxml import etree

from syndicate.config import load_config
from syndicate.content.frontmatter import Invalid
from syndicate.content.loader import Loaded, LoadOptions, SourceFile, load_posts
from syndicate.errors import ConfigError, Report
from syndicate.model import Post
from syndicate.sites import URL_PATH, NotAPost, PostRules, generator
from syndicate.sites.jekyll import DATE_FORMS, adapt, dates, read, urls

from .conftest import RunCli

FIXTURES = Path(__file__).parent / "fixtures" / "sites" / "jekyll"
NOW = datetime(2026, 5, 1, tzinfo=UTC)  # after both fixtures were built (April 2026)
LA = ZoneInfo("America/Los_Angeles")


def site(root: Path, files: dict[str, str], config: str = "title: T\nurl: https://e.org\n") -> Path:
    """A Jekyll site in `root`: `_config.yml`, the files given, and a syndicate.toml naming
    only the generator."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n', encoding="utf-8")
    return root


def load(root: Path) -> Loaded:
    return load_posts(load_config(root / "syndicate.toml"), LoadOptions(now=NOW))


def sources(loaded: Loaded, root: Path, every: bool = False) -> list[str]:
    posts = loaded.all_posts if every else loaded.posts
    return sorted(p.source.relative_to(root).as_posix() for p in posts)


POST = "---\ntitle: A post\n---\nBody.\n"


def built_summaries(root: Path, run_cli: RunCli) -> dict[str | None, str | None]:
    """`syndicate build` of the site in `root`, and the summary of each entry of its Atom
    feed, by title."""
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=root).returncode == 0
    atom = "{http://www.w3.org/2005/Atom}"
    feed = etree.parse(str(root / "_site/atom.xml"))
    return {
        e.findtext(f"{atom}title"): e.findtext(f"{atom}summary") for e in feed.iter(f"{atom}entry")
    }


# --- detect ----------------------------------------------------------------------------------


def test_detect_finds_config_yml_then_yaml_then_toml(tmp_path: Path) -> None:
    assert generator("jekyll").detect(tmp_path) is None
    (tmp_path / "_config.toml").write_text("title = 'T'\n")
    assert generator("jekyll").detect(tmp_path) == tmp_path / "_config.toml"
    (tmp_path / "_config.yaml").write_text("title: T\n")
    assert generator("jekyll").detect(tmp_path) == tmp_path / "_config.yaml"
    (tmp_path / "_config.yml").write_text("title: T\n")
    assert generator("jekyll").detect(tmp_path) == tmp_path / "_config.yml"


def test_detect_does_not_claim_a_syndicate_or_hugo_folder(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://e.org"\n')
    (tmp_path / "hugo.toml").write_text('title = "T"\n')
    assert generator("jekyll").detect(tmp_path) is None


# --- read: _config.yml in syndicate's terms ---------------------------------------------------


def test_read_derives_site_values_with_their_origins(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "name: Named\nurl: https://e.org/\nbaseurl: blog/\nlang: en_US\n"
        "timezone: Europe/Lisbon\nsource: src\ndestination: out\ndescription: ' About it '\n"
    )
    settings = read(tmp_path, "production")
    assert settings.site == {
        "title": "Named",
        "description": "About it",  # jekyll-feed's <subtitle>
        "base_url": "https://e.org/blog/",
        "language": "en-US",
        "timezone": "Europe/Lisbon",
        "content_dir": "src",
        "static_dir": "src",
        "output_dir": "out",
    }
    config = str(tmp_path / "_config.yml")
    assert settings.origins["title"] == f"{config}: name"
    assert settings.origins["base_url"] == f"{config}: url"
    assert settings.origins["description"] == f"{config}: description"
    assert settings.files == (tmp_path / "_config.yml",)


def test_title_prefers_title_to_name(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("name: Named\ntitle: Titled\n")
    assert read(tmp_path, "production").site["title"] == "Titled"


def test_the_sites_title_is_jekyll_feeds(tmp_path: Path) -> None:
    """jekyll-feed 0.17 titles the feed `site.title | smartify` (HTML): Jekyll 4.3.1 wrote
    `<title type="html">Bob’s “Notes” – daily…</title>` for this config, where syndicate's
    feeds kept the straight quotes, as its posts' titles no longer do."""
    (tmp_path / "_config.yml").write_text('title: Bob\'s "Notes" -- daily...\n')
    assert read(tmp_path, "production").site["title"] == "Bob’s “Notes” – daily…"
    (tmp_path / "_config.yml").write_text(
        "title: Ours\nkramdown:\n  smart_quotes: lsquo,rsquo,ldquo,rdquo\n"
    )
    assert read(tmp_path, "production").site["title"] == "Ours"


@given(
    st.text(st.sampled_from("ab .-'\"&<>\\*_`\t\n\u00a0é"), max_size=24),
    st.sampled_from([(), (("kramdown_smart_quotes", '"lsaquo,rsaquo,laquo,raquo"'),)]),
)
@example("Don't -- go...", ())
def test_a_title_without_typography_skips_kramdowns_and_reads_the_same(
    title: str, settings: tuple[tuple[str, str], ...]
) -> None:
    """`feed_title` leaves kramdown's typography out (and its import off the start of every
    command) where the title holds nothing it changes: what it gives is what the typography
    gives, for any title."""
    from syndicate.sites.jekyll.posts import feed_title, smart_title

    assert feed_title(title, settings) == smart_title(title, settings)


def test_base_url_comes_from_cname_when_config_has_no_url(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: T\nurl: ''\nbaseurl:\n")
    (tmp_path / "CNAME").write_text("blog.example.org\n")
    settings = read(tmp_path, "production")
    assert settings.site["base_url"] == "https://blog.example.org/"
    assert settings.files == (tmp_path / "_config.yml", tmp_path / "CNAME")
    assert any("CNAME" in note for note in settings.notes)


def test_no_url_and_no_cname_derives_no_base_url(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: T\nurl: ''\n")
    assert "base_url" not in read(tmp_path, "production").site


def test_rules_take_show_drafts_future_unpublished_and_excerpt_separator(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "show_drafts: true\nfuture: true\nunpublished: true\nexcerpt_separator: <!--cut-->\n"
    )
    rules = read(tmp_path, "production").rules
    assert (rules.drafts, rules.future, rules.expired) == (True, True, True)
    assert rules.summary_separator == "<!--cut-->"
    assert dict(rules.settings)["unpublished"] == "true"
    defaults = read(tmp_path.parent / tmp_path.name, "production")  # same again: pure
    assert defaults.rules == rules


def test_rules_default_to_jekylls_defaults(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("")
    rules = read(tmp_path, "production").rules
    assert (rules.drafts, rules.future) == (False, False)
    assert rules.summary_separator == "\n\n"
    settings = {k: json.loads(v) for k, v in rules.settings}
    assert settings["markdown_ext"] == [".markdown", ".mkdown", ".mkdn", ".mkd", ".md"]
    assert "node_modules" in settings["exclude"]
    assert settings["permalink"] == "date"


def test_config_toml_is_read(tmp_path: Path) -> None:
    (tmp_path / "_config.toml").write_text('title = "From TOML"\nurl = "https://t.org"\n')
    assert read(tmp_path, "production").site["title"] == "From TOML"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("future: yes please\n", "future: expected true or false, got the text 'yes please'"),
        ("title: [a, b]\n", "title: expected text, got a list"),
        ("exclude: vendor\n", "exclude: expected a list, got the text 'vendor'"),
        ("defaults: {a: 1}\n", "defaults: expected a list of `scope` and `values`, got a mapping"),
        (
            "defaults:\n  - scope: {path: 3}\n    values: {}\n",
            "defaults[0].scope.path: expected text",
        ),
        ("feed: {posts_limit: ten}\n", "feed.posts_limit: expected a number"),
        ("timezone: Mars/Olympus\n", 'timezone: unknown time zone "Mars/Olympus"'),
    ],
)
def test_bad_config_values_name_the_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "_config.yml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        read(tmp_path, "production")
    assert str(caught.value).startswith(f"{tmp_path / '_config.yml'}: {message}")
    assert all(line.startswith(str(tmp_path / "_config.yml")) for line in caught.value.problems)


def test_every_bad_key_is_listed_at_once(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("future: 1\nshow_drafts: 2\n")
    with pytest.raises(ConfigError) as caught:
        read(tmp_path, "production")
    assert len(caught.value.problems) == 2


def test_invalid_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: T\nurl: [unclosed\n")
    with pytest.raises(ConfigError, match=r"_config\.yml: invalid YAML at line \d"):
        read(tmp_path, "production")


def test_a_config_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="expected `key: value` settings, got a list"):
        read(tmp_path, "production")


def test_a_bad_config_stops_load_config_with_exit_2(tmp_path: Path) -> None:
    root = site(tmp_path, {}, "timezone: Nowhere/Land\n")
    with pytest.raises(ConfigError) as caught:
        load_config(root / "syndicate.toml")
    assert caught.value.exit_code == 2
    assert "_config.yml: timezone" in str(caught.value)


def test_syndicate_toml_overrides_derived_values(tmp_path: Path) -> None:
    root = site(tmp_path, {}, "title: Jekyll's\nurl: https://e.org\n")
    (root / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\ntitle = "Mine"\n')
    config = load_config(root / "syndicate.toml")
    assert (config.site.title, config.base_url) == ("Mine", "https://e.org/")


def test_site_author_is_every_posts_default_author(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "author: {name: Ann, email: ann@e.org, uri: https://ann.org}\n"
    )
    assert read(tmp_path, "production").site["authors"] == [
        {"name": "Ann", "email": "ann@e.org", "url": "https://ann.org"}
    ]
    root = site(
        tmp_path / "s",
        {"_posts/2024-01-02-a.md": POST},
        "title: T\nurl: https://e.org\nauthor: Bob\n",
    )
    (post,) = load(root).posts
    assert [a.name for a in post.authors] == ["Bob"]


def test_post_authors_are_looked_up_in_data_authors(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "_data/authors.yml": "parkr:\n  name: Parker Moore\n  email: p@e.org\n  uri: https://p.org\n",
            "_posts/2024-01-02-a.md": "---\ntitle: A\nauthor: parkr\n---\nB\n",
            "_posts/2024-01-03-b.md": "---\ntitle: B\nauthor: someone\n---\nB\n",
        },
    )
    config = load_config(root / "syndicate.toml")
    assert config.generator is not None and root / "_data/authors.yml" in config.generator.files
    first, second = sorted(load_posts(config, LoadOptions(now=NOW)).posts, key=lambda p: p.title)
    assert (first.authors[0].name, first.authors[0].email, first.authors[0].url) == (
        "Parker Moore",
        "p@e.org",
        "https://p.org",
    )
    assert second.authors[0].name == "someone"


@pytest.mark.parametrize("name", ["authors.yaml", "authors.json"])
def test_data_authors_is_read_from_the_files_jekyll_reads(tmp_path: Path, name: str) -> None:
    # crystal-lang.org's _data/authors.yaml: jekyll-feed showed "Julien Portalier" for
    # `author: ysbaddaden`; Jekyll reads .yml, .yaml and .json data files alike.
    text = (
        '{"jp": {"name": "Julien Portalier"}}\n'
        if name.endswith("json")
        else "jp:\n  name: Julien Portalier\n"
    )
    root = site(
        tmp_path,
        {f"_data/{name}": text, "_posts/2024-01-02-a.md": "---\ntitle: A\nauthor: jp\n---\nB\n"},
    )
    (post,) = load(root).posts
    assert [a.name for a in post.authors] == ["Julien Portalier"]


def test_bad_data_authors_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / "_data").mkdir()
    (tmp_path / "_data/authors.yml").write_text("a: [unclosed\n")
    with pytest.raises(ConfigError, match=r"_data/authors\.yml: invalid YAML"):
        read(tmp_path, "production")


def test_limit_posts_is_noted(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("limit_posts: 5\ntimezone: UTC\n")
    assert any("limit_posts" in note for note in read(tmp_path, "production").notes)


def test_the_sites_own_feed_pages_are_noted_and_a_clash_says_what_to_do(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # elixir-lang.org makes its feed with a Liquid page, atom.xml: `init` did not mention it,
    # and the build then stopped at it ("a file syndicate did not write") with no word of why.
    liquid = "---\nlayout: null\n---\n<feed>{% for post in site.posts %}{% endfor %}</feed>\n"
    site(
        tmp_path,
        {
            "atom.xml": liquid,
            "feed/index.xml": liquid.replace("site.posts", "paginator.posts"),
            "sitemap.xml": "---\n---\n<urlset>{% for p in site.pages %}{% endfor %}</urlset>\n",
            "plain.xml": "<feed>{% for post in site.posts %}</feed>\n",  # no front matter
            "_layouts/feed.xml": liquid,
            "_posts/2024-01-02-a.md": "---\ntitle: A\n---\nB\n",
        },
    )
    notes = [n for n in read(tmp_path, "production").notes if "own feed" in n]
    assert [n.split(" ", 1)[0] for n in notes] == ["atom.xml", "feed/index.xml"]
    assert "syndicate's atom.xml has its name" in notes[0] and "[feeds.filenames]" in notes[0]
    assert "has its name" not in notes[1]
    (tmp_path / "syndicate.toml").unlink()
    assert "atom.xml is the site's own feed" in run_cli("init", cwd=tmp_path).stdout


def test_a_feed_page_whose_layout_lists_the_posts_is_noted_two_folders_down(
    tmp_path: Path,
) -> None:
    # www.ruby-lang.org: `en/feeds/news.rss` is front matter only (`layout: news_feed`), its
    # `_layouts/news_feed.rss` loops over `site.categories[page.lang]`; `init` named none of
    # its 17 feeds.
    page = "---\nlayout: news_feed\nlang: {}\n---\n"
    layout = "<rss>{% for post in site.categories[page.lang] limit:10 %}{% endfor %}</rss>\n"
    site(
        tmp_path,
        {
            "en/feeds/news.rss": page.format("en"),
            "ja/feeds/news.rss": page.format("ja"),
            "en/feeds/other.rss": "---\nlayout: plain\n---\n",
            "en/a/b/deep.rss": page.format("en"),  # three folders down: not looked for
            "node_modules/x/feed.rss": page.format("en"),  # Jekyll's own `exclude`
            "_layouts/news_feed.rss": layout,
            "_layouts/plain.html": "{{ content }}\n",
            "_posts/2024-01-02-a.md": "---\ntitle: A\n---\nB\n",
        },
    )
    notes = [n for n in read(tmp_path, "production").notes if "own feed" in n]
    assert [n.split(" ", 1)[0] for n in notes] == ["en/feeds/news.rss", "ja/feeds/news.rss"]
    assert "its layout news_feed" in notes[0]


# --- jekyll-feed's files ---------------------------------------------------------------------


def test_jekyll_feed_files_become_adopt_globs(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "plugins: [jekyll-feed]\nfeed:\n  categories: [release]\n  tags: true\n"
        "  collections: [docs]\n"
    )
    settings = read(tmp_path, "production")
    assert settings.feed_globs == (
        "feed/docs.xml",
        "feed/release.xml",
        "feed.xml",
        "feed/by_tag/*.xml",
    )
    assert settings.feeds_off == 'remove "jekyll-feed" from `plugins` in _config.yml'


def test_jekyll_feed_limit_is_kept_default_10(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\n")
    assert json.loads(dict(read(tmp_path, "production").addresses)["feed.xml"])["limit"] == 10
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\nfeed: {posts_limit: 20}\n")
    assert json.loads(dict(read(tmp_path, "production").addresses)["feed.xml"])["limit"] == 20


def test_jekyll_feed_path_setting_moves_the_feed(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\nfeed: {path: /atom.xml}\n")
    assert read(tmp_path, "production").feed_globs == ("atom.xml",)


def test_a_feed_file_of_the_site_itself_is_not_adopted(tmp_path: Path) -> None:
    # jekyll-feed's generator.rb skips a path where the source already has a file.
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\n")
    (tmp_path / "feed.xml").write_text("---\n---\n<rss/>\n")
    settings = read(tmp_path, "production")
    assert settings.feed_globs == ()


def test_no_jekyll_feed_no_globs(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-sitemap]\n")
    settings = read(tmp_path, "production")
    assert (settings.feed_globs, settings.feeds_off) == ((), "")


def test_jekyll_feed_in_the_gemfile_plugins_group_counts(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / "Gemfile").write_text(
        'source "https://rubygems.org"\ngroup :jekyll_plugins do\n  gem "jekyll-feed"\nend\n'
    )
    settings = read(tmp_path, "production")
    assert settings.feed_globs == ("feed.xml",)
    assert "Gemfile" in settings.feeds_off


def test_jekyll_feed_in_plugins_and_the_gemfile_group_says_to_remove_both(tmp_path: Path) -> None:
    # al-folio lists jekyll-feed in both: Bundler loads the group's gems whatever `plugins`
    # says, so removing it from `plugins` alone left Jekyll writing feed.xml.
    (tmp_path / "_config.yml").write_text("title: T\nplugins: [jekyll-feed]\n")
    (tmp_path / "Gemfile").write_text(
        'source "https://rubygems.org"\ngroup :jekyll_plugins do\n  gem "jekyll-feed"\nend\n'
    )
    assert read(tmp_path, "production").feeds_off == (
        'remove "jekyll-feed" from `plugins` in _config.yml and `gem "jekyll-feed"` from the '
        "jekyll_plugins group of Gemfile"
    )


def test_the_sites_own_plugins_are_noted_unless_safe(tmp_path: Path) -> None:
    # al-folio's _plugins/external-posts.rb adds its Medium posts to site.posts, so
    # jekyll-feed lists them; syndicate's feeds lacked them with no word of why.
    (tmp_path / "_plugins/sub").mkdir(parents=True)
    (tmp_path / "_plugins/external-posts.rb").write_text("class G < Jekyll::Generator; end\n")
    (tmp_path / "_plugins/sub/details.rb").write_text("\n")
    (tmp_path / "_config.yml").write_text("timezone: UTC\n")
    notes = [n for n in read(tmp_path, "production").notes if "_plugins/" in n]
    assert notes == [
        "_plugins/ holds the site's own plugins (external-posts.rb, sub/details.rb), which "
        "syndicate does not run: a post one adds is not in syndicate's feeds, and a tag one "
        "defines is removed from posts, with a warning at its line"
    ]
    (tmp_path / "_config.yml").write_text("timezone: UTC\nsafe: true\n")
    assert not [n for n in read(tmp_path, "production").notes if "_plugins/" in n]


@pytest.mark.parametrize(
    ("engine", "noted"), [("katex", True), ("null", True), ("MathJax", True), ("mathjax", False)]
)
def test_a_math_engine_other_than_mathjax_is_noted(
    tmp_path: Path, engine: str, noted: bool
) -> None:
    (tmp_path / "_config.yml").write_text(f"timezone: UTC\nkramdown:\n  math_engine: {engine}\n")
    notes = [n for n in read(tmp_path, "production").notes if "math_engine" in n]
    expected = (
        f"_config.yml: kramdown: math_engine: {engine}: syndicate writes math ($$...$$) as "
        "kramdown's default MathJax engine does, \\(...\\) inline and \\[...\\] for a block"
    )
    assert notes == ([expected] if noted else [])


def test_a_theme_is_noted_as_not_read(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("theme: minima\ntimezone: UTC\n")
    assert any("theme" in note for note in read(tmp_path, "production").notes)


# --- jekyll-feed's addresses -----------------------------------------------------------------

JEKYLL_FEED_ID = "{base_url}{dir}{slug}"


def addresses(root: Path) -> dict[str, dict[str, Any]]:
    return {k: json.loads(v) for k, v in read(root, "production").addresses}


def test_jekyll_feed_site_feed_is_an_atom_address_of_ten_with_jekylls_ids(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\n")
    assert addresses(tmp_path) == {
        "feed.xml": {"feed": "site", "format": "atom", "limit": 10, "id_template": JEKYLL_FEED_ID}
    }


@pytest.mark.parametrize(
    ("baseurl", "ids"),
    [
        ("/blog", "https://example.org//blog/2024/01/02/a"),
        ("", "https://example.org//2024/01/02/a"),
    ],
)
def test_a_url_ending_in_a_slash_gives_jekyll_feeds_ids_with_two(
    tmp_path: Path, run_cli: RunCli, baseurl: str, ids: str
) -> None:
    # Jekyll 4.3.1 + jekyll-feed 0.17.0 gave this post the id `ids` (absolute_url is url +
    # baseurl + the path; nim-lang.org's `url: "https://nim-lang.org/"`); its readers hold it.
    config = (
        f'title: T\nurl: "https://example.org/"\nbaseurl: "{baseurl}"\nplugins: [jekyll-feed]\n'
    )
    (tmp_path / "_config.yml").write_text(config)
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2024-01-02-a.md").write_text("---\ntitle: A\n---\nHi.\n")
    assert run_cli("init", cwd=tmp_path).returncode == 0
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    feed = (tmp_path / "_site" / "feed.xml").read_text(encoding="utf-8")
    assert f"<id>{ids}</id>" in feed
    # the link is the post's URL, one slash after the host
    assert f'href="https://example.org{baseurl}/2024/01/02/a.html"' in feed


def test_jekyll_feed_path_limit_and_categories_are_its_addresses(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "plugins: [jekyll-feed]\nfeed:\n  path: /atom.xml\n  posts_limit: 20\n"
        "  categories: [release, News]\n"
    )
    assert addresses(tmp_path) == {
        "atom.xml": {"feed": "site", "format": "atom", "limit": 20, "id_template": JEKYLL_FEED_ID},
        "feed/{term}.xml": {
            "feed": "categories",
            "format": "atom",
            "limit": 20,
            "id_template": JEKYLL_FEED_ID,
            "terms": ["release", "News"],  # as written: jekyll-feed matches them exactly
        },
    }


def test_jekyll_feed_posts_collection_settings_win(tmp_path: Path) -> None:
    # generator.rb `normalize_posts_meta`: `collections: posts:` before the top-level keys.
    (tmp_path / "_config.yml").write_text(
        "plugins: [jekyll-feed]\nfeed:\n  path: /top.xml\n  collections:\n    posts:\n"
        "      path: /posts.atom\n      categories: [a]\n"
    )
    assert sorted(addresses(tmp_path)) == ["feed/{term}.xml", "posts.atom"]
    assert addresses(tmp_path)["feed/{term}.xml"]["terms"] == ["a"]


def test_jekyll_feed_tag_feeds_keep_to_only_less_except_and_simple_names(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "plugins: [jekyll-feed]\nfeed:\n  tags:\n    path: /tags/\n"
        "    only: [ruby, web dev, rust_lang, go]\n    except: [go]\n"
    )
    found = addresses(tmp_path)["tags/{term}.xml"]
    assert (found["feed"], found["terms"]) == ("tags", ["ruby", "rust_lang"])
    assert not any("feed.tags" in note for note in read(tmp_path, "production").notes)


def test_jekyll_feed_addresses_hold_what_jekyll_feed_wrote(tmp_path: Path) -> None:
    # Built with jekyll 4.3.1 + jekyll-feed 0.17.0: the files it wrote and their entry ids
    # (`feed/gone.xml` is the site's own file; a category matches as written: "Release" is
    # not "release"; "web dev" is no simple name; "go" is excepted).
    post = "---\ntitle: P\ncategories: [Release, news]\ntags: [ruby, go, rust_lang]\n---\nx\n"
    root = site(
        tmp_path,
        {
            **{f"_posts/2024-01-0{i}-p{i}.md": post for i in (1, 2, 3)},
            "_posts/2024-01-05-q.md": "---\ntitle: Q\ncategories: [release]\ntags: [web dev]\n---\n",
            "feed/gone.xml": "---\ntitle: G\n---\n",
        },
        "title: T\nurl: https://e.org\ntimezone: UTC\nplugins: [jekyll-feed]\nfeed:\n"
        "  posts_limit: 2\n  categories: [Release, news, gone]\n  tags:\n    path: /t/\n"
        "    only: [ruby, web dev, rust_lang, go]\n    except: [go]\n",
    )
    config = load_config(root / "syndicate.toml")
    assert config.generator is not None
    posts = load_posts(config, LoadOptions(now=NOW)).posts
    described = {k: json.loads(v) for k, v in config.generator.addresses}
    written = {}
    for pattern, entry in described.items():
        for term in entry.get("terms", [""]):
            items = address_items(entry, term, posts, config.base_url)
            written[pattern.replace("{term}", term)] = [i for _, i in items]
    p2, p3 = "https://e.org/release/news/2024/01/02/p2", "https://e.org/release/news/2024/01/03/p3"
    assert written == {
        "feed.xml": ["https://e.org/release/2024/01/05/q", p3],
        "feed/Release.xml": [p3, p2],
        "feed/news.xml": [p3, p2],
        "t/ruby.xml": [p3, p2],
        "t/rust_lang.xml": [p3, p2],
    }


def test_jekyll_feed_tags_for_every_tag_are_noted_where_syndicate_differs(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text(
        "plugins: [jekyll-feed]\nfeed:\n  tags:\n    except: [old]\ntimezone: UTC\n"
    )
    settings = read(tmp_path, "production")
    found = dict(settings.addresses)["feed/by_tag/{term}.xml"]
    assert "terms" not in json.loads(found)
    notes = [note for note in settings.notes if "feed.tags" in note]
    assert len(notes) == 2 and "letters, digits and `_`" in notes[0] and "except" in notes[1]


def test_jekyll_feed_other_collections_are_noted_not_addressed(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\nfeed:\n  collections: [docs]\n")
    settings = read(tmp_path, "production")
    assert [k for k, _ in settings.addresses] == ["feed.xml"]
    assert any("feed.collections: docs" in note for note in settings.notes)


def test_jekyll_feed_skips_paths_the_site_has_a_file_at(tmp_path: Path) -> None:
    # generator.rb: `next if file_exists?(path)` (the vespa-blog fixture's own feed.xml).
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\nfeed:\n  categories: [a, b]\n")
    (tmp_path / "feed").mkdir()
    (tmp_path / "feed.xml").write_text("---\n---\n")
    (tmp_path / "feed/a.xml").write_text("---\n---\n")
    assert addresses(tmp_path) == {
        "feed/{term}.xml": {
            "feed": "categories",
            "format": "atom",
            "limit": 10,
            "id_template": JEKYLL_FEED_ID,
            "terms": ["b"],
        }
    }


def test_jekyll_feed_posts_limit_zero_lists_nothing_and_is_noted(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\nfeed: {posts_limit: 0}\n")
    settings = read(tmp_path, "production")
    assert settings.addresses == ()
    assert any("posts_limit: 0" in note for note in settings.notes)


def test_no_jekyll_feed_no_addresses(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("feed: {categories: [a]}\n")
    assert read(tmp_path, "production").addresses == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feed: {tags: {only: ruby}}\n", "feed.tags.only: expected a list of names"),
        ("feed: {tags: {except: 3}}\n", "feed.tags.except: expected a list of names"),
        ("feed: {tags: {path: [a]}}\n", "feed.tags.path: expected text"),
    ],
)
def test_bad_jekyll_feed_tag_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\n" + text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        read(tmp_path, "production")


def test_address_names_are_jekyll_feeds_as_written(tmp_path: Path) -> None:
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-feed]\n")
    settings = read(tmp_path, "production")
    jekyll = generator("jekyll")
    assert jekyll.address_name("Release Notes", "categories", settings) == "Release Notes"
    assert jekyll.address_name("rust_lang", "tags", settings) == "rust_lang"


def test_jekyll_feed_lists_no_pages(tmp_path: Path) -> None:
    root = site(tmp_path, {"_posts/2024-01-02-a.md": POST, "about.md": POST})
    config = load_config(root / "syndicate.toml")
    assert generator("jekyll").pages_in_feeds(config, Report()) == 0


# --- which files are posts -------------------------------------------------------------------


def test_posts_are_dated_files_of_every_posts_folder(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "_posts/2024-01-02-a.md": POST,
            "_posts/2024-01-03-b.markdown": POST,
            "_posts/2024-01-04-c.mkd": POST,  # markdown_ext
            "_posts/2024-01-05-d.html": POST,
            "_posts/sub/2024-01-06-e.md": POST,  # folders inside _posts are read
            "blog/_posts/2024-01-07-f.md": POST,  # and _posts below other folders
            "_posts/2024-1-8-g.md": POST,
            "_posts/undated.md": POST,  # no date in the name: not a post
            "_posts/2024-01-09-h.txt": POST,  # any extension: Jekyll publishes it as it is
            "_posts/2024-01-09-photo.png": POST,  # media files are not UTF-8: skipped
            "_posts/_old/2024-01-10-i.md": POST,  # entries starting with _ are skipped
            "_posts/2024-01-11-j.md~": POST,
            "node_modules/x/_posts/2024-01-12-k.md": POST,  # Jekyll's default excludes
            "_site/_posts/2024-01-13-l.md": POST,  # folders starting with _ are not read
            "drafts/2024-01-14-m.md": POST,  # not in a _posts folder
            "2024-01-15-n.md": POST,
        },
    )
    assert sources(load(root), root) == [
        "_posts/2024-01-02-a.md",
        "_posts/2024-01-03-b.markdown",
        "_posts/2024-01-04-c.mkd",
        "_posts/2024-01-05-d.html",
        "_posts/2024-01-09-h.txt",
        "_posts/2024-1-8-g.md",
        "_posts/sub/2024-01-06-e.md",
        "blog/_posts/2024-01-07-f.md",
    ]


def test_exclude_and_include_decide_which_folders_are_read(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "old/_posts/2024-01-02-a.md": POST,
            "_archive/_posts/2024-01-03-b.md": POST,
            "keep/_posts/2024-01-04-c.md": POST,
            "_posts/2024-01-05-skip.md": POST,
        },
        "title: T\nurl: https://e.org\nexclude: [old, _posts/*skip*]\ninclude: [_archive]\n",
    )
    assert sources(load(root), root) == [
        "_archive/_posts/2024-01-03-b.md",
        "keep/_posts/2024-01-04-c.md",
    ]


def test_collections_dir_holds_the_posts(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "_posts/2024-01-02-outside.md": POST,
            "coll/_posts/2024-01-03-in.md": POST,
            "coll/news/_posts/2024-01-04-deeper.md": POST,
        },
        "title: T\nurl: https://e.org\ncollections_dir: coll\n",
    )
    loaded = load(root)
    assert sources(loaded, root) == [
        "coll/_posts/2024-01-03-in.md",
        "coll/news/_posts/2024-01-04-deeper.md",
    ]
    deeper = next(p for p in loaded.posts if p.source.name == "2024-01-04-deeper.md")
    assert deeper.categories == ("news",)


def test_source_setting_moves_the_site(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {"src/_posts/2024-01-02-a.md": POST, "_posts/2024-01-03-b.md": POST},
        "title: T\nurl: https://e.org\nsource: src\n",
    )
    assert sources(load(root), root) == ["src/_posts/2024-01-02-a.md"]


def test_drafts_are_published_only_with_show_drafts(tmp_path: Path) -> None:
    files = {"_drafts/idea.md": POST, "_posts/2024-01-02-a.md": POST}
    root = site(tmp_path / "off", files)
    loaded = load(root)
    assert sources(loaded, root) == ["_posts/2024-01-02-a.md"]
    assert loaded.drafts == 1
    root = site(tmp_path / "on", files, "title: T\nurl: https://e.org\nshow_drafts: true\n")
    os.utime(root / "_drafts/idea.md", (1e9, 1e9))  # dated by its file: not in the future
    assert sources(load(root), root) == ["_drafts/idea.md", "_posts/2024-01-02-a.md"]


def test_a_draft_without_a_date_is_dated_by_its_file(tmp_path: Path) -> None:
    root = site(
        tmp_path, {"_drafts/idea.md": POST}, "title: T\nurl: https://e.org\nshow_drafts: true\n"
    )
    moment = datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC).timestamp()
    os.utime(root / "_drafts/idea.md", (moment, moment))
    (post,) = load(root).posts
    assert post.date == datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC)


def test_published_false_is_left_out_unless_unpublished(tmp_path: Path) -> None:
    files = {"_posts/2024-01-02-a.md": "---\ntitle: A\npublished: false\n---\nx\n"}
    root = site(tmp_path / "default", files)
    assert sources(load(root), root) == []
    root = site(tmp_path / "on", files, "title: T\nurl: https://e.org\nunpublished: true\n")
    assert sources(load(root), root) == ["_posts/2024-01-02-a.md"]
    root = site(tmp_path / "drafts", files, "title: T\nurl: https://e.org\nshow_drafts: true\n")
    assert sources(load(root), root, every=True) == []


def test_future_posts_are_published_only_with_future(tmp_path: Path) -> None:
    files = {"_posts/2999-01-02-later.md": POST}
    root = site(tmp_path / "off", files)
    assert load(root).future == 1
    root = site(tmp_path / "on", files, "title: T\nurl: https://e.org\nfuture: true\n")
    assert sources(load(root), root) == ["_posts/2999-01-02-later.md"]


def test_front_matter_opened_with_trailing_spaces_is_read(tmp_path: Path) -> None:
    # Jekyll's YAML_FRONT_MATTER_REGEXP is `\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)`.
    root = site(tmp_path, {"_posts/2024-01-02-a.md": "--- \ntitle: Spaced \n---  \nBody\n"})
    (post,) = load(root).posts
    assert post.title == "Spaced"


def test_front_matter_after_a_blank_line_is_not_read(tmp_path: Path) -> None:
    # Checked with jekyll 4.3.1: the title comes from the file name, the `---` lines are text.
    root = site(
        tmp_path,
        {
            "_posts/2024-01-02-blank-first.md": "\n---\ntitle: Never\n---\nBody\n",
            "_posts/2024-01-03-toml.md": "+++\ntitle = 'Never'\n+++\nBody\n",
            "_posts/2024-01-04-bom.md": "\ufeff---\ntitle: With BOM\n---\nBody\n",
        },
    )
    titles = sorted(post.title for post in load(root).posts)
    assert titles == ["Blank First", "Toml", "With BOM"]


# --- one post's front matter -----------------------------------------------------------------


def rules_for(tmp_path: Path, config: str = "") -> PostRules:
    (tmp_path / "_config.yml").write_text(config)
    return read(tmp_path, "production").rules


def source(tmp_path: Path, rel: str, mtime_ns: int = 0) -> SourceFile:
    return SourceFile(str(tmp_path / rel), "posts", None, mtime_ns, 0)


def test_adapt_returns_a_new_dict(tmp_path: Path) -> None:
    meta: dict[str, Any] = {"title": "T", "category": "a", "date": "2024-01-02"}
    copy = dict(meta)
    out = adapt(meta, source(tmp_path, "_posts/2024-01-02-x.md"), rules_for(tmp_path), UTC)
    assert meta == copy and out is not meta


def test_categories_come_from_folders_above_posts_then_front_matter(tmp_path: Path) -> None:
    meta = {"title": "T", "categories": "release  notes", "category": "one two"}
    out = adapt(meta, source(tmp_path, "a/b/_posts/2024-01-02-x.md"), rules_for(tmp_path), UTC)
    # `categories` as a string splits on spaces; the singular `category` is kept whole.
    assert out["categories"] == ["a", "b", "release", "notes", "one two"]
    assert "category" not in out


def test_folders_inside_posts_are_not_categories(tmp_path: Path) -> None:
    meta = {"title": "T"}
    out = adapt(meta, source(tmp_path, "_posts/news/2024-01-02-x.md"), rules_for(tmp_path), UTC)
    assert out["categories"] == []


def test_tags_split_on_spaces_and_tag_wins(tmp_path: Path) -> None:
    rules, where = rules_for(tmp_path), source(tmp_path, "_posts/2024-01-02-x.md")
    assert adapt({"title": "T", "tags": "a b  c"}, where, rules, UTC)["tags"] == ["a", "b", "c"]
    both = {"title": "T", "tags": ["x"], "tag": "only one"}
    out = adapt(both, where, rules, UTC)
    assert out["tags"] == ["only one"] and "tag" not in out


def test_defaults_apply_by_scope_path_and_type_longest_path_winning(tmp_path: Path) -> None:
    rules = rules_for(
        tmp_path,
        "defaults:\n"
        "  - scope: {path: ''}\n    values: {author: Everyone, layout: page}\n"
        "  - scope: {path: 'blog', type: posts}\n    values: {author: Blog, tags: [b]}\n"
        "  - scope: {path: '', type: pages}\n    values: {layout: not-for-posts}\n"
        "  - scope: {path: 'blog/*/_posts'}\n    values: {series: Globbed}\n"
        "  - scope: {path: ''}\n    values: {author: Overruled}\n",
    )
    out = adapt({"title": "T"}, source(tmp_path, "blog/x/_posts/2024-01-02-a.md"), rules, UTC)
    assert (out["author"], out["layout"], out["tags"], out["series"]) == (
        "Blog",
        "page",
        ["b"],
        "Globbed",
    )
    own = adapt(
        {"title": "T", "author": "Me"}, source(tmp_path, "blog/_posts/2024-01-02-a.md"), rules, UTC
    )
    assert own["author"] == "Me"  # the front matter beats every default


def test_a_null_value_does_not_replace_a_default(tmp_path: Path) -> None:
    rules = rules_for(tmp_path, "defaults:\n  - values: {author: Default}\n")
    out = adapt(
        {"title": "T", "author": None}, source(tmp_path, "_posts/2024-01-02-a.md"), rules, UTC
    )
    assert out["author"] == "Default"


def test_title_comes_from_the_file_name_when_missing(tmp_path: Path) -> None:
    out = adapt(
        {}, source(tmp_path, "_posts/2024-01-02-my-first-POST..md"), rules_for(tmp_path), UTC
    )
    assert out["title"] == "My First Post"


@pytest.mark.parametrize(
    ("written", "title", "summary"),
    [
        (
            "Special&nbsp;---&nbsp;Characters",
            "Special\u00a0—\u00a0Characters",
            "Special\u00a0---\u00a0Characters",
        ),
        ("Q&amp;A with <em>Ana</em>", "Q&A with Ana", "Q&A with Ana"),
        ("Plain -- as written", "Plain – as written", "Plain -- as written"),
    ],
)
def test_a_title_and_excerpt_are_the_text_jekyll_feed_readers_show(
    tmp_path: Path, written: str, title: str, summary: str
) -> None:
    # jekyll-feed writes `post.title | smartify | strip_html`, and the excerpt `| strip_html`,
    # as Atom HTML: entities are characters to readers, tags are gone, only the title's
    # quotes and dashes typographic (Jekyll 4.3.1 + jekyll-feed 0.17.0, a real theme's
    # "Special&nbsp;---&nbsp;Characters" post). syndicate's titles are text.
    meta = {"title": written, "excerpt": written, "summary": written}  # crystal-lang.org's
    out = adapt(meta, source(tmp_path, "_posts/2024-01-02-a.md"), rules_for(tmp_path), UTC)
    assert (out["title"], out["description"], out["summary"]) == (title, summary, summary)


def test_date_comes_from_the_file_name_at_midnight_in_the_site_zone(tmp_path: Path) -> None:
    out = adapt({"title": "T"}, source(tmp_path, "_posts/2024-1-2-x.md"), rules_for(tmp_path), LA)
    assert out["date"] == datetime(2024, 1, 2, tzinfo=LA)


def test_front_matter_date_replaces_the_file_names(tmp_path: Path) -> None:
    meta = {"title": "T", "date": "2013-05-06 02:12:52 +0200"}
    out = adapt(meta, source(tmp_path, "_posts/2013-05-06-x.md"), rules_for(tmp_path), LA)
    assert out["date"] == datetime(2013, 5, 6, 2, 12, 52, tzinfo=timezone(timedelta(hours=2)))


def test_an_impossible_file_name_date_is_reported(tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="the file name's date"):
        adapt({"title": "T"}, source(tmp_path, "_posts/2024-13-45-x.md"), rules_for(tmp_path), UTC)


def test_an_unreadable_date_names_the_key_and_the_forms(tmp_path: Path) -> None:
    with pytest.raises(Invalid) as caught:
        adapt(
            {"date": "next tuesday"},
            source(tmp_path, "_posts/2024-01-02-x.md"),
            rules_for(tmp_path),
            UTC,
        )
    assert caught.value.key == "date"
    assert caught.value.hint is not None and "2024-01-02 13:14:15 -0800" in caught.value.hint


def test_last_modified_at_is_the_update_time(tmp_path: Path) -> None:
    meta = {"title": "T", "last_modified_at": "2024-02-03 04:05:06 -0800"}
    out = adapt(meta, source(tmp_path, "_posts/2024-01-02-x.md"), rules_for(tmp_path), UTC)
    assert out["lastmod"] == datetime(2024, 2, 3, 12, 5, 6, tzinfo=UTC)
    assert "last_modified_at" not in out


def test_excerpt_is_the_summary_unless_a_description_is_given(tmp_path: Path) -> None:
    rules, where = rules_for(tmp_path), source(tmp_path, "_posts/2024-01-02-x.md")
    assert adapt({"title": "T", "excerpt": "Short."}, where, rules, UTC)["description"] == "Short."
    both = adapt({"title": "T", "excerpt": "E", "description": "D"}, where, rules, UTC)
    assert both["description"] == "D" and "excerpt" not in both


def test_seo_tag_image_is_a_path_under_the_site(tmp_path: Path) -> None:
    rules, where = rules_for(tmp_path), source(tmp_path, "_posts/2024-01-02-x.md")
    out = adapt({"title": "T", "image": {"path": "img/a.png", "alt": "A"}}, where, rules, UTC)
    assert out["image"] == {"src": "/img/a.png", "alt": "A"}
    assert adapt({"title": "T", "image": "https://c.org/a.png"}, where, rules, UTC)["image"] == (
        "https://c.org/a.png"
    )


def test_unknown_keys_stay_and_mapped_keys_leave(tmp_path: Path) -> None:
    meta = {"title": "T", "layout": "post", "published": True, "permalink": "/x/"}
    out = adapt(meta, source(tmp_path, "_posts/2024-01-02-x.md"), rules_for(tmp_path), UTC)
    assert out["layout"] == "post"
    assert "published" not in out and "permalink" not in out  # it is the URL, not a param
    assert out[URL_PATH] == "/x/"


def test_published_false_with_show_drafts_is_not_a_post(tmp_path: Path) -> None:
    rules = rules_for(tmp_path, "show_drafts: true\n")
    with pytest.raises(NotAPost, match="published: false"):
        adapt(
            {"title": "T", "published": False},
            source(tmp_path, "_posts/2024-01-02-x.md"),
            rules,
            UTC,
        )


def test_site_posts_keep_their_categories_and_tags(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {"news/_posts/2024-01-02-a.md": "---\ntitle: A\ncategories: release\ntags: x y\n---\nB\n"},
    )
    (post,) = load(root).posts
    assert (post.categories, post.tags) == (("news", "release"), ("x", "y"))


def test_a_posts_lang_is_its_entrys_language_as_jekyll_feed_writes_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # www.ruby-lang.org files each language's posts in its folder with `lang: ja` in the front
    # matter: jekyll-feed 0.17 writes it on the entry (feed.xml: `<entry xml:lang="{{
    # post.lang }}">`), syndicate wrote every entry as the site's `en`.
    post = "---\ntitle: {}\nlang: {}\n---\nB\n"
    root = site(
        tmp_path,
        {
            "ja/news/_posts/2024-01-03-a.md": post.format("A", "ja"),
            "zh_tw/news/_posts/2024-01-02-b.md": post.format("B", "zh_TW"),
            "_posts/2024-01-01-c.md": "---\ntitle: C\n---\nB\n",
            "_posts/2024-01-01-d.md": post.format("D", "English"),
        },
        config="title: T\nurl: https://e.org\nlang: en\n",
    )
    result = run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=root)
    assert result.returncode == 0, result.stderr
    assert '_posts/2024-01-01-d.md:3: warning: lang: "English" is not a language tag' in (
        result.stderr
    )
    atom = "{http://www.w3.org/2005/Atom}"
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    entries = etree.parse(str(root / "_site/atom.xml")).iter(f"{atom}entry")
    assert [(e.findtext(f"{atom}title"), e.get(lang)) for e in entries] == [
        ("A", "ja"),
        ("B", "zh-TW"),
        ("C", None),
        ("D", None),
    ]
    items = json.loads((root / "_site/feed.json").read_text(encoding="utf-8"))["items"]
    assert [i.get("language") for i in items] == ["ja", "zh-TW", None, None]


# --- dates -----------------------------------------------------------------------------------

MINUS_8 = timezone(timedelta(hours=-8))
PLUS_1 = timezone(timedelta(hours=1))
DATE_TABLE: list[tuple[object, datetime]] = [
    (date(2024, 1, 2), datetime(2024, 1, 2, tzinfo=LA)),
    ("2024-01-02", datetime(2024, 1, 2, tzinfo=LA)),
    ("2024-1-2", datetime(2024, 1, 2, tzinfo=LA)),
    (datetime(2024, 1, 2, 13, 14, 15), datetime(2024, 1, 2, 13, 14, 15, tzinfo=UTC)),
    ("2024-01-02 13:14:15", datetime(2024, 1, 2, 13, 14, 15, tzinfo=LA)),
    ("2024-01-02 13:14", datetime(2024, 1, 2, 13, 14, tzinfo=LA)),
    ("2024-1-2 3:04", datetime(2024, 1, 2, 3, 4, tzinfo=LA)),
    ("2024-01-02 13:14:15 -0800", datetime(2024, 1, 2, 13, 14, 15, tzinfo=MINUS_8)),
    ("2024-01-02 13:14:15 -08:00", datetime(2024, 1, 2, 13, 14, 15, tzinfo=MINUS_8)),
    ("2024-01-02 13:14:15 -08", datetime(2024, 1, 2, 13, 14, 15, tzinfo=MINUS_8)),
    ("2024-01-02 13:14:15-0800", datetime(2024, 1, 2, 13, 14, 15, tzinfo=MINUS_8)),
    ("2024-01-02 13:14:15 UTC", datetime(2024, 1, 2, 13, 14, 15, tzinfo=UTC)),
    ("2024-01-02 13:14:15 gmt", datetime(2024, 1, 2, 13, 14, 15, tzinfo=UTC)),
    ("2024-01-02T13:14:15Z", datetime(2024, 1, 2, 13, 14, 15, tzinfo=UTC)),
    ("2024-01-02T13:14:15.5+01:00", datetime(2024, 1, 2, 13, 14, 15, 500000, tzinfo=PLUS_1)),
    ("2023-01-29 18:30:22 2023 -0800", datetime(2023, 1, 29, 18, 30, 22, tzinfo=MINUS_8)),
    ("2024-01-02 13:14:15 1999", datetime(2024, 1, 2, 13, 14, 15, tzinfo=LA)),
    ("Tue, 02 Jan 2024 13:14:15 -0800", datetime(2024, 1, 2, 13, 14, 15, tzinfo=MINUS_8)),
    ("02 Jan 2024 13:14:15 +0000", datetime(2024, 1, 2, 13, 14, 15, tzinfo=UTC)),
    # Day first (scala-lang.org's `date: 11-9-2017`, which Jekyll published on 11 September;
    # syndicate left the post out), and a year first with slashes.
    ("11-9-2017", datetime(2017, 9, 11, tzinfo=LA)),
    ("11/9/2017", datetime(2017, 9, 11, tzinfo=LA)),
    ("11.9.2017", datetime(2017, 9, 11, tzinfo=LA)),
    ("2017/9/11", datetime(2017, 9, 11, tzinfo=LA)),
    ("11-9-2017 10:30", datetime(2017, 9, 11, 10, 30, tzinfo=LA)),
    ("11/9/2017 10:30:05 -0800", datetime(2017, 9, 11, 10, 30, 5, tzinfo=MINUS_8)),
]


@pytest.mark.parametrize(("value", "expected"), DATE_TABLE, ids=[str(v) for v, _ in DATE_TABLE])
def test_date_forms_jekyll_reads(value: object, expected: datetime) -> None:
    # Each row checked against Ruby: TZ=America/Los_Angeles, Psych.safe_load then
    # Time.parse(value.to_s).localtime, as Jekyll's Utils.parse_date.
    parsed = dates.parse(value, LA)
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "value",
    [
        "next tuesday",
        "2024-13-45",
        "2024-02-30",
        "2024-01-02 25:00",
        "12:00",
        "",
        2024,
        True,
        None,
        ["2024-01-02"],
        "2024-01-02 13:14:15 +2500",
        "32-1-2017",  # Ruby: argument out of range
    ],
)
def test_other_date_forms_are_refused(value: object) -> None:
    with pytest.raises(dates.NotADate):
        dates.parse(value, LA)


def test_every_example_in_the_listed_date_forms_is_read() -> None:
    examples = [
        example
        for form in DATE_FORMS
        for example in re.findall(r"`'?([^`']+?)'?`", form)
        if re.match(r"[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}( |T|$)|[A-Z][a-z]{2}, ", example)
    ]
    assert len(examples) >= 12
    for written in examples:
        assert dates.parse(written, LA).tzinfo is not None, written


@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    minutes=st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59),
    separator=st.sampled_from([" ", "T", "t", "  "]),
    colon=st.sampled_from(["", ":"]),
    space=st.sampled_from(["", " "]),
)
def test_written_times_with_an_offset_read_back(
    moment: datetime, minutes: int, separator: str, colon: str, space: str
) -> None:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    text = f"{moment:%Y-%m-%d}{separator}{moment:%H:%M:%S}{space}{sign}{hours:02d}{colon}{mins:02d}"
    expected = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=minutes)))
    assert dates.parse(text, LA) == expected


@given(st.text(max_size=40))
def test_any_text_is_a_date_or_refused_with_not_a_date(text: str) -> None:
    try:
        parsed = dates.parse(text, LA)
    except dates.NotADate:
        return
    assert parsed.tzinfo is not None


# --- URLs ------------------------------------------------------------------------------------

# A site built with jekyll 4.3.1 (Debian), `url: https://e.org`, `baseurl: /blog`, once per
# permalink style below; the paths are below https://e.org/blog, as jekyll-feed's `absolute_url`
# writes them (a `_plugins` hook dumped `Document#url` made absolute for each post).
CHECKED_SITE = {
    "_posts/2024-01-02-Hello-World.md": "---\ntitle: A\n---\nx\n",
    "news/_posts/2024-03-04-cats.md": (
        '---\ntitle: B\ncategories: [Release Notes, "c#", News]\n---\nx\n'
    ),
    "_posts/2021-01-01-every-token.md": (
        "---\ntitle: C\ndate: 2021-01-01 13:14:15 -0800\ncategories: [Ünï Cödé, news]\n"
        'permalink: "/:year/:month/:day/:hour/:minute/:second/:i_day/:i_month/:short_month/'
        ":long_month/:short_year/:w_year/:week/:w_day/:short_day/:long_day/:y_day/:title/:slug/"
        ':name/:path/:collection/:categories/:slugified_categories:output_ext"\n---\nx\n'
    ),
    "_posts/2024-01-04-slugged.md": (
        "---\ntitle: D\nslug: My Slug ünïcode.v2\npermalink: /:title/:slug/\n---\nx\n"
    ),
    "_posts/2024-01-05-café-ﬁ.md": "---\ntitle: E\n---\nx\n",
    "_posts/2024-01-06-page.html": "---\ntitle: F\n---\nx\n",
    "_posts/2024-01-07-notes.txt": "---\ntitle: G\n---\nx\n",
    "_posts/2024-01-08-php.md": "---\ntitle: H\npermalink: /x/:month_:day/:title.php\n---\nx\n",
    "_posts/2024-01-09-numslug.md": "---\ntitle: I\nslug: 2024\npermalink: /n/:year/\n---\nx\n",
    "_posts/2024-01-10-spaces.md": "---\ntitle: J\ncategory: product updates\n---\nx\n",
    "_posts/sub/2024-01-11-in-sub.md": "---\ntitle: K\npermalink: /p/:path/\n---\nx\n",
    "_posts/2024-01-12-dots...md": "---\ntitle: L\n---\nx\n",
    "_posts/2024-01-13-Under_Score & Co.md": "---\ntitle: M\n---\nx\n",
    "_posts/2024-01-14-no-ext.md": "---\ntitle: N\npermalink: /plain/:title\n---\nx\n",
    "_posts/2024-01-15-colon.md": '---\ntitle: O\ncategories: ["a:b"]\n---\nx\n',
}
CHECKED_OWN_PERMALINKS = {
    "_posts/2021-01-01-every-token.md": "/2021/01/01/13/14/15/1/1/Jan/January/21/2020/53/5/Fri/Friday/001/every-token/every-token/2021-01-01-every-token/2021-01-01-every-token/posts/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9/news/%C3%BCn%C3%AF-c%C3%B6d%C3%A9/news.html",
    "_posts/2024-01-04-slugged.md": "/My-Slug-%C3%BCn%C3%AFcode.v2/my-slug-%C3%BCn%C3%AFcode-v2/",
    "_posts/2024-01-08-php.md": "/x/01_08/php.php",
    "_posts/2024-01-09-numslug.md": "/n/2024/",
    "_posts/2024-01-14-no-ext.md": "/plain/no-ext",
    "_posts/sub/2024-01-11-in-sub.md": "/p/sub/2024-01-11-in-sub/",
}
CHECKED_STYLES = {
    "date": {
        "_posts/2024-01-02-Hello-World.md": "/2024/01/02/Hello-World.html",
        "_posts/2024-01-05-café-ﬁ.md": "/2024/01/05/caf%C3%A9-fi.html",
        "_posts/2024-01-06-page.html": "/2024/01/06/page.html",
        "_posts/2024-01-07-notes.txt": "/2024/01/07/notes.txt",
        "_posts/2024-01-10-spaces.md": "/product%20updates/2024/01/10/spaces.html",
        "_posts/2024-01-12-dots...md": "/2024/01/12/dots.html",
        "_posts/2024-01-13-Under_Score & Co.md": "/2024/01/13/Under_Score-&-Co.html",
        "_posts/2024-01-15-colon.md": "/a:b/2024/01/15/colon.html",
        "news/_posts/2024-03-04-cats.md": "/news/release%20notes/c%23/2024/03/04/cats.html",
    },
    "pretty": {
        "_posts/2024-01-02-Hello-World.md": "/2024/01/02/Hello-World/",
        "_posts/2024-01-05-café-ﬁ.md": "/2024/01/05/caf%C3%A9-fi/",
        "_posts/2024-01-06-page.html": "/2024/01/06/page/",
        "_posts/2024-01-07-notes.txt": "/2024/01/07/notes/",
        "_posts/2024-01-10-spaces.md": "/product%20updates/2024/01/10/spaces/",
        "_posts/2024-01-12-dots...md": "/2024/01/12/dots/",
        "_posts/2024-01-13-Under_Score & Co.md": "/2024/01/13/Under_Score-&-Co/",
        "_posts/2024-01-15-colon.md": "/a:b/2024/01/15/colon/",
        "news/_posts/2024-03-04-cats.md": "/news/release%20notes/c%23/2024/03/04/cats/",
    },
    "ordinal": {
        "_posts/2024-01-02-Hello-World.md": "/2024/002/Hello-World.html",
        "_posts/2024-01-05-café-ﬁ.md": "/2024/005/caf%C3%A9-fi.html",
        "_posts/2024-01-06-page.html": "/2024/006/page.html",
        "_posts/2024-01-07-notes.txt": "/2024/007/notes.txt",
        "_posts/2024-01-10-spaces.md": "/product%20updates/2024/010/spaces.html",
        "_posts/2024-01-12-dots...md": "/2024/012/dots.html",
        "_posts/2024-01-13-Under_Score & Co.md": "/2024/013/Under_Score-&-Co.html",
        "_posts/2024-01-15-colon.md": "/a:b/2024/015/colon.html",
        "news/_posts/2024-03-04-cats.md": "/news/release%20notes/c%23/2024/064/cats.html",
    },
    "weekdate": {
        "_posts/2024-01-02-Hello-World.md": "/2024/W01/Tue/Hello-World.html",
        "_posts/2024-01-05-café-ﬁ.md": "/2024/W01/Fri/caf%C3%A9-fi.html",
        "_posts/2024-01-06-page.html": "/2024/W01/Sat/page.html",
        "_posts/2024-01-07-notes.txt": "/2024/W01/Sun/notes.txt",
        "_posts/2024-01-10-spaces.md": "/product%20updates/2024/W02/Wed/spaces.html",
        "_posts/2024-01-12-dots...md": "/2024/W02/Fri/dots.html",
        "_posts/2024-01-13-Under_Score & Co.md": "/2024/W02/Sat/Under_Score-&-Co.html",
        "_posts/2024-01-15-colon.md": "/a:b/2024/W03/Mon/colon.html",
        "news/_posts/2024-03-04-cats.md": "/news/release%20notes/c%23/2024/W10/Mon/cats.html",
    },
    "none": {
        "_posts/2024-01-02-Hello-World.md": "/Hello-World.html",
        "_posts/2024-01-05-café-ﬁ.md": "/caf%C3%A9-fi.html",
        "_posts/2024-01-06-page.html": "/page.html",
        "_posts/2024-01-07-notes.txt": "/notes.txt",
        "_posts/2024-01-10-spaces.md": "/product%20updates/spaces.html",
        "_posts/2024-01-12-dots...md": "/dots.html",
        "_posts/2024-01-13-Under_Score & Co.md": "/Under_Score-&-Co.html",
        "_posts/2024-01-15-colon.md": "/a:b/colon.html",
        "news/_posts/2024-03-04-cats.md": "/news/release%20notes/c%23/cats.html",
    },
    "/:categories/:title/": {
        "_posts/2024-01-02-Hello-World.md": "/Hello-World/",
        "_posts/2024-01-05-café-ﬁ.md": "/caf%C3%A9-fi/",
        "_posts/2024-01-06-page.html": "/page/",
        "_posts/2024-01-07-notes.txt": "/notes/",
        "_posts/2024-01-10-spaces.md": "/product%20updates/spaces/",
        "_posts/2024-01-12-dots...md": "/dots/",
        "_posts/2024-01-13-Under_Score & Co.md": "/Under_Score-&-Co/",
        "_posts/2024-01-15-colon.md": "/a:b/colon/",
        "news/_posts/2024-03-04-cats.md": "/news/release%20notes/c%23/cats/",
    },
    "/:year/:i_month/:i_day/:title.html": {
        "_posts/2024-01-02-Hello-World.md": "/2024/1/2/Hello-World.html",
        "_posts/2024-01-05-café-ﬁ.md": "/2024/1/5/caf%C3%A9-fi.html",
        "_posts/2024-01-06-page.html": "/2024/1/6/page.html",
        "_posts/2024-01-07-notes.txt": "/2024/1/7/notes.html",
        "_posts/2024-01-10-spaces.md": "/2024/1/10/spaces.html",
        "_posts/2024-01-12-dots...md": "/2024/1/12/dots.html",
        "_posts/2024-01-13-Under_Score & Co.md": "/2024/1/13/Under_Score-&-Co.html",
        "_posts/2024-01-15-colon.md": "/2024/1/15/colon.html",
        "news/_posts/2024-03-04-cats.md": "/2024/3/4/cats.html",
    },
}


def urls_of(loaded: Loaded, root: Path, base: str) -> dict[str, str]:
    return {
        p.source.relative_to(root).as_posix(): p.permalink.removeprefix(base) for p in loaded.posts
    }


@pytest.mark.parametrize("style", sorted(CHECKED_STYLES))
def test_urls_are_the_ones_jekyll_writes_for_each_permalink_style(
    style: str, tmp_path: Path
) -> None:
    config = (
        "title: T\nurl: https://e.org\nbaseurl: /blog\ntimezone: America/Los_Angeles\n"
        f"permalink: {json.dumps(style)}\n"
    )
    root = site(tmp_path, CHECKED_SITE, config)
    loaded = load(root)
    assert [str(p) for p in loaded.report.problems] == []
    assert urls_of(loaded, root, "https://e.org/blog") == {
        **CHECKED_STYLES[style],
        **CHECKED_OWN_PERMALINKS,
    }


def test_drafts_and_collections_dir_give_jekylls_paths(tmp_path: Path) -> None:
    # Checked with jekyll 4.3.1 (`show_drafts`): `:path` is the path below collections_dir
    # without the first `_posts`; a draft keeps `_drafts`.
    root = site(
        tmp_path,
        {
            "col/_posts/2024-01-02-a.md": POST,
            "col/_drafts/idea.md": "---\ntitle: D\ndate: 2024-02-03\n---\nx\n",
            "col/news/_posts/2024-01-05-n.md": POST,
        },
        "title: T\nurl: https://e.org\ncollections_dir: col\ntimezone: UTC\nshow_drafts: true\n"
        "permalink: /:categories/:year/:month/:day/:title/:path/\n",
    )
    assert urls_of(load(root), root, "https://e.org") == {
        "col/_drafts/idea.md": "/2024/02/03/idea/_drafts/idea/",
        "col/_posts/2024-01-02-a.md": "/2024/01/02/a/2024-01-02-a/",
        "col/news/_posts/2024-01-05-n.md": "/news/2024/01/05/n/news/2024-01-05-n/",
    }


# Each placeholder of https://jekyllrb.com/docs/permalinks/#placeholders for one post: values
# as `Drops::UrlDrop` gives them (checked against jekyll 4.3.1 with the site above). 2021-01-01
# is a Friday in ISO week 53 of 2020.
TOKEN_POST = urls.Document(
    relative_path="blog/_posts/2021-01-01-Slap-Chop..md",
    slug="Slap Chop!",
    categories=["Work 2 Progress", "work 2 progress", "Ünï"],
    date=datetime(2021, 1, 1, 9, 5, 7, tzinfo=LA),
    output_ext=".html",
)
TOKEN_VALUES = {
    "collection": "posts",
    "path": "blog//2021-01-01-Slap-Chop",
    "name": "2021-01-01-slap-chop",
    "title": "Slap-Chop!",
    "slug": "slap-chop",
    "categories": "work 2 progress/ünï",
    "slugified_categories": "work-2-progress/ünï",
    "year": "2021",
    "month": "01",
    "day": "01",
    "hour": "09",
    "minute": "05",
    "second": "07",
    "i_day": "1",
    "i_month": "1",
    "short_month": "Jan",
    "long_month": "January",
    "short_year": "21",
    "w_year": "2020",
    "week": "53",
    "w_day": "5",
    "short_day": "Fri",
    "long_day": "Friday",
    "y_day": "001",
    "output_ext": ".html",
}


def test_every_placeholder_jekyll_has_is_in_the_table() -> None:
    assert sorted(TOKEN_VALUES) == sorted(urls.TOKENS)


@pytest.mark.parametrize(("token", "value"), sorted(TOKEN_VALUES.items()))
def test_each_placeholder_gives_jekylls_value(token: str, value: str) -> None:
    assert urls.placeholder(token, TOKEN_POST) == value


@pytest.mark.parametrize(
    ("style", "path"),
    [
        ("date", "/work%202%20progress/%C3%BCn%C3%AF/2021/01/01/Slap-Chop!.html"),
        ("pretty", "/work%202%20progress/%C3%BCn%C3%AF/2021/01/01/Slap-Chop!/"),
        ("ordinal", "/work%202%20progress/%C3%BCn%C3%AF/2021/001/Slap-Chop!.html"),
        ("weekdate", "/work%202%20progress/%C3%BCn%C3%AF/2021/W53/Fri/Slap-Chop!.html"),
        ("none", "/work%202%20progress/%C3%BCn%C3%AF/Slap-Chop!.html"),
        ("/:slugified_categories/:title/", "/work-2-progress/%C3%BCn%C3%AF/Slap-Chop!/"),
        ("/:year-:month_:day/:name", "/2021-01_01/2021-01-01-slap-chop"),
    ],
)
def test_permalink_styles_are_jekylls_templates(style: str, path: str) -> None:
    # https://jekyllrb.com/docs/permalinks/#built-in-formats
    assert urls.post_path(urls.template(None, None, style), TOKEN_POST) == path


def test_a_style_name_in_front_matter_is_a_template_not_a_style() -> None:
    # The docs: "Built-in permalink styles are not recognized in front matter."
    assert urls.template("pretty", None, "date") == "pretty"
    assert urls.template(None, "/news/:title/", "pretty") == "/news/:title/"
    assert urls.template(None, None, None) == urls.STYLES["date"]


def test_collections_posts_permalink_wins_over_the_site_permalink(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {"_posts/2024-01-02-a.md": POST},
        "title: T\nurl: https://e.org\npermalink: pretty\ncollections:\n  posts:\n"
        "    permalink: /news/:year/:title/\n",
    )
    assert urls_of(load(root), root, "https://e.org") == {"_posts/2024-01-02-a.md": "/news/2024/a/"}


def test_defaults_permalink_applies_and_front_matter_wins(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "_posts/2024-01-02-a.md": POST,
            "_posts/2024-01-03-b.md": "---\ntitle: B\npermalink: /own/\n---\nx\n",
        },
        "title: T\nurl: https://e.org\ndefaults:\n  - scope: {path: ''}\n    values: {permalink: /d/:title/}\n",
    )
    assert urls_of(load(root), root, "https://e.org") == {
        "_posts/2024-01-02-a.md": "/d/a/",
        "_posts/2024-01-03-b.md": "/own/",
    }


def test_the_url_date_is_in_the_site_time_zone(tmp_path: Path) -> None:
    # jekyllrb.com: `date: "2013-05-06 02:12:52 +0200"` in America/Los_Angeles is May 5th.
    root = site(
        tmp_path,
        {"_posts/2013-05-06-x.md": '---\ntitle: X\ndate: "2013-05-06 02:12:52 +0200"\n---\nx\n'},
        "title: T\nurl: https://e.org\ntimezone: America/Los_Angeles\npermalink: pretty\n",
    )
    assert urls_of(load(root), root, "https://e.org") == {
        "_posts/2013-05-06-x.md": "/2013/05/05/x/"
    }


@pytest.mark.parametrize(
    ("permalink", "message"),
    [
        ("/:year/:titel/", ":titel is no placeholder"),
        ("/:basename/", ":basename is no placeholder"),  # a page's, not a post's
        ("/:title__/", ":title__ or :title_ is no placeholder"),
        ("/x/?p=:title", "holds `?` or `#`"),
        (2024, "permalink: expected text, got a number (2024)"),
    ],
)
def test_a_permalink_jekyll_would_not_write_is_an_error_at_the_post(
    permalink: object, message: str, tmp_path: Path
) -> None:
    text = f"---\ntitle: T\npermalink: {json.dumps(permalink)}\n---\nx\n"
    root = site(tmp_path, {"_posts/2024-01-02-a.md": text})
    loaded = load(root)
    assert loaded.posts == []
    (problem,) = loaded.report.errors
    assert message in problem.message and "permalink" in problem.message
    assert problem.location.line == 3  # the `permalink:` line


@pytest.mark.parametrize(
    ("category", "message"),
    [("what?", "`?`"), ("2024: a year", "invalid scheme"), ("//a b", "no URL path")],
)
def test_a_category_jekyll_cannot_put_in_a_path_is_an_error(
    category: str, message: str, tmp_path: Path
) -> None:
    text = f"---\ntitle: T\ncategories: [{json.dumps(category)}]\n---\nx\n"
    root = site(tmp_path, {"_posts/2024-01-02-a.md": text})
    (problem,) = load(root).report.errors
    assert message in problem.message


def test_a_number_slug_is_refused_only_where_the_url_slugifies_it(tmp_path: Path) -> None:
    files = {"_posts/2024-01-02-a.md": "---\ntitle: T\nslug: 7\n---\nx\n"}
    root = site(tmp_path / "date", files)
    (problem,) = load(root).report.errors
    assert "slug: expected text" in problem.message
    root = site(
        tmp_path / "own", files, "title: T\nurl: https://e.org\npermalink: /:year/:i_day/\n"
    )
    (post,) = load(root).posts
    assert (post.permalink, post.slug) == ("https://e.org/2024/2/", "7")


# Values checked with jekyll 4.3.1: `Jekyll::URL.escape_path(value)`, then Addressable's
# `normalize` of the absolute URL (as `absolute_url`).
ESCAPED = [
    ("a b", "a%20b"),
    ("c#", "c%23"),
    ("a#b#c", "a%23b%23c"),
    ("a:b", "a:b"),
    ("news: 2024", "news:%202024"),
    ("é", "%C3%A9"),
    ("100%", "100%25"),
    ("%41", "%2541"),
    ("c++", "c++"),
    ("a[b]", "a%5Bb%5D"),
    ("it's", "it's"),
    ("x/y", "x/y"),
    ("ﬁ", "fi"),  # NFKC
    ("Ａ", "A"),
    ("e\u0301x", "%C3%A9x"),  # composed
    ("\u0301é", "%CC%81e%CC%81"),  # Addressable composes nothing after a leading mark
]


@pytest.mark.parametrize(("value", "path"), ESCAPED)
def test_values_are_escaped_and_normalised_as_jekyll_and_addressable_do(
    value: str, path: str
) -> None:
    assert urls.normalized("/" + urls.escape_path(value)) == "/" + path


def _normalized_slowly(path: str) -> str:
    """`urls.normalized` as it was before plain segments were left as they are: each one
    decoded, composed and encoded."""
    from urllib.parse import quote, unquote_to_bytes

    segments = []
    for segment in path.strip().split("/"):
        text = unquote_to_bytes(segment).decode("utf-8")
        if text == "..":
            raise urls.BadUrl("..")
        segments.append(quote(urls._normalize_kc(text), safe=urls._PCHAR))
    result = "/".join(segments)
    while "/./" in result:
        result = result.replace("/./", "/")
    return result[:-1] if result.endswith("/.") else result


_SEGMENT = st.lists(
    st.sampled_from(
        ["a", "Z9", "-._~", "!$&'()*+,;=", ":@", " ", "%41", "%2F", "é", "ﬁ", ".", ".."]
    ),
    max_size=4,
).map("".join)


@given(st.lists(_SEGMENT, max_size=5).map("/".join))
@example("/news/2024/01/02/a-b_c~d/")
@example("/a/../b")
def test_a_paths_plain_segments_are_normalised_as_any_other(path: str) -> None:
    try:
        expected: str | None = _normalized_slowly(path)
    except urls.BadUrl:
        expected = None
    if expected is None:
        with pytest.raises(urls.BadUrl):
            urls.normalized(path)
    else:
        assert urls.normalized(path) == expected


@given(
    under=st.lists(st.sampled_from(["_posts", "en", "news", "a b", ".", "..", "x"]), max_size=4),
    collections=st.sampled_from(["", "coll", "coll/", "./coll"]),
    source=st.sampled_from([".", "src", "./src/"]),
)
def test_a_documents_relative_path_is_from_its_collections_folder(
    under: list[str], collections: str, source: str
) -> None:
    from syndicate.sites.jekyll.posts import _relative_path

    root = "/site"
    file = os.path.join(root, source, collections, *under, "2024-01-02-a.md")
    base = os.path.normpath(Path(root, source, collections))
    expected = os.path.relpath(file, base)
    if expected.startswith(".."):
        expected = os.path.relpath(file, root)
    settings = {"source": source, "collections_dir": collections}
    rules = PostRules("jekyll", root=root)
    assert _relative_path(file, rules, settings) == expected.replace(os.sep, "/")


_GLOB = st.lists(
    st.sampled_from(["a", "b", "/", "*", "**", "?", "[ab]", "[!a]", ".", "_", "~", "(", "\\"]),
    max_size=5,
).map("".join)


@given(
    patterns=st.lists(_GLOB, max_size=5),
    rel=st.lists(st.sampled_from(["a", "b", "/", ".", "_", "ab", "(", "\\"]), max_size=6).map(
        "".join
    ),
    is_dir=st.booleans(),
)
@example(patterns=["*.md", "a*b", "**/x"], rel="a/b", is_dir=False)
@example(patterns=["a/"], rel="a", is_dir=True)
@example(patterns=["a/"], rel="a", is_dir=False)
@example(patterns=[""], rel="b", is_dir=False)
def test_patterns_tried_at_once_match_as_each_alone(
    patterns: list[str], rel: str, is_dir: bool
) -> None:
    from syndicate.sites.jekyll.posts import _matches, _Patterns

    expected = any(_matches(p, rel, is_dir) for p in patterns)
    assert _Patterns(patterns).match(rel, is_dir) == expected


def test_categories_are_lower_cased_as_ruby_does() -> None:
    # Ruby's downcase has no final sigma: "ΟΔΟΣ" is "οδοσ" (Python's lower gives "οδος").
    post = urls.Document("_posts/2024-01-02-a.md", "a", ["ΟΔΟΣ"], datetime(2024, 1, 2), ".html")
    assert urls.placeholder("categories", post) == "οδοσ"
    assert urls.slugify("ΟΔΟΣ Σ") == "οδοσ-σ"


@given(st.text(max_size=30))
@example("0.")  # Jekyll's sanitize_url drops "./": the category runs into the year, /02024/
def test_any_category_gives_a_url_path_or_a_clear_refusal(text: str) -> None:
    post = urls.Document("_posts/2024-01-02-a.md", "a", [text], datetime(2024, 1, 2), ".html")
    try:
        path = urls.post_path(urls.STYLES["date"], post)
    except urls.BadUrl:
        return
    assert re.fullmatch(r"/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*", path), path
    assert "//" not in path and path.endswith("2024/01/02/a.html")


SLUGIFIED = [
    # https://jekyllrb.com/docs/liquid/filters/ (slugify), checked with jekyll 4.3.1:
    # (text, raw, default, pretty, ascii, pretty cased)
    ("The _config.yml file", "the-_config.yml-file", "the-config-yml-file",
     "the-_config.yml-file", "the-config-yml-file", "The-_config.yml-file"),
    ("The _cönfig.yml file", "the-_cönfig.yml-file", "the-cönfig-yml-file",
     "the-_cönfig.yml-file", "the-c-nfig-yml-file", "The-_cönfig.yml-file"),
    ("  Hello,  World!! ", "hello,-world!!", "hello-world", "hello,-world!!", "hello-world",
     "Hello,-World!!"),
    ("--x--", "-x-", "x", "x", "x", "x"),
    ("C# & F#", "c#-&-f#", "c-f", "c-&-f", "c-f", "C-&-F"),
    ("日本語 テスト", "日本語-テスト", "日本語-テスト", "日本語-テスト", "", "日本語-テスト"),
]  # fmt: skip


@pytest.mark.parametrize("row", SLUGIFIED, ids=[row[0] for row in SLUGIFIED])
def test_slugify_modes_are_jekylls(row: tuple[str, ...]) -> None:
    text, *expected = row
    modes = [urls.slugify(text, mode) for mode in ("raw", "default", "pretty", "ascii")]
    assert [*modes, urls.slugify(text, "pretty", cased=True)] == expected
    assert urls.slugify(text, "other") == text.lower()


# --- slugs -----------------------------------------------------------------------------------


def test_post_slug_is_jekylls_slug_as_written(tmp_path: Path) -> None:
    root = site(tmp_path, CHECKED_SITE)
    slugs = {p.source.name: p.slug for p in load(root).posts}
    assert slugs["2024-01-02-Hello-World.md"] == "Hello-World"  # case kept
    assert slugs["2024-01-04-slugged.md"] == "My Slug ünïcode.v2"  # front matter, as written
    assert slugs["2024-01-12-dots...md"] == "dots"  # `populate_title` drops trailing dots
    assert slugs["2024-01-13-Under_Score & Co.md"] == "Under_Score & Co"
    assert slugs["2024-01-09-numslug.md"] == "2024"


# --- real sites ------------------------------------------------------------------------------


def feed_id(base_url: str, post: Post) -> str:
    """`{base_url}{dir}{slug}` (jekyll-feed's `post.id | absolute_url`, `Document#id` being
    `File.join(File.dirname(url), slug)`), with {dir} the folder of the post's path below
    base_url, as Ruby's File.dirname gives it, with a trailing "/" unless empty."""
    path = post.permalink.removeprefix(base_url)
    folder = posixpath.dirname(path.rstrip("/"))
    return f"{base_url}{folder + '/' if folder else ''}{post.slug}"


REAL_SITES = sorted(p.parent for p in FIXTURES.glob("*/expected.json"))


@pytest.mark.parametrize("fixture", REAL_SITES, ids=lambda p: p.name)
def test_real_site_posts_are_the_ones_jekyll_publishes(fixture: Path, tmp_path: Path) -> None:
    truth = json.loads((fixture / "expected.json").read_text(encoding="utf-8"))
    root = tmp_path / "site"
    shutil.copytree(fixture / "site", root)
    (root / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n', encoding="utf-8")
    loaded = load(root)
    assert [str(p) for p in loaded.report.errors] == []
    found = {p.source.relative_to(root).as_posix(): p for p in loaded.posts}
    assert sorted(found) == sorted(post["source"] for post in truth["posts"])
    for post in truth["posts"]:
        mine = found[post["source"]]
        # As jekyll-feed writes it (`smartify | strip_html | normalize_whitespace`: typographic
        # quotes, dashes and dots, a no-break space kept), entities as characters (a Jekyll
        # title is HTML in jekyll-feed's feed: vespa-blog's `&ldquo;` is a quote mark to its
        # readers). The raw `title` was compared before smartify was followed.
        assert mine.title == html.unescape(post["feed_title"]), post["source"]
        assert mine.date == datetime.fromisoformat(post["date"]), post["source"]
    # Issue 18: every post at the URL Jekyll published it at, and jekyll-feed's entry id made
    # of its path and slug by the `id_template` `init` writes.
    base = load_config(root / "syndicate.toml").base_url
    assert {s: p.permalink for s, p in found.items()} == {
        post["source"]: post["url"] for post in truth["posts"]
    }
    assert {s: feed_id(base, p) for s, p in found.items()} == {
        post["source"]: post["id"] for post in truth["posts"]
    }
    # jekyll-feed's addresses, each holding the posts its feed listed, in order, with its ids.
    settings = load_config(root / "syndicate.toml").generator
    assert settings is not None
    described = {k: json.loads(v) for k, v in settings.addresses}
    matched = [address_of(feed["address"], described) for feed in truth["feeds"]]
    assert sorted(described) == sorted({pattern for pattern, _, _ in matched})
    for feed, (_, entry, term) in zip(truth["feeds"], matched, strict=True):
        assert entry["limit"] == feed["limit"] and entry["format"] == feed["format"]
        items = address_items(entry, term, loaded.posts, base)
        assert items == [(i["link"], i["guid_or_id"]) for i in feed["items"]], feed["address"]


def address_of(
    address: str, described: dict[str, dict[str, Any]]
) -> tuple[str, dict[str, Any], str]:
    """The pattern and entry that give `address` (`/feed/release.xml`), and its term."""
    for pattern, entry in described.items():
        regex = re.escape(pattern).replace(re.escape("{term}"), "(?P<term>[^/]+)")
        found = re.fullmatch(regex, address.lstrip("/"))
        if found and ("term" not in found.groupdict() or found["term"] in entry.get("terms", [])):
            return pattern, entry, found.groupdict().get("term") or ""
    raise AssertionError(f"no address gives {address}")


def address_items(
    entry: dict[str, Any], term: str, posts: list[Post], base: str
) -> list[tuple[str, str]]:
    """What the feed at an address holds: the feed's posts (a term's: those carrying it as
    written), newest first, cut at the limit, each with the id its template gives."""
    assert entry["id_template"] == JEKYLL_FEED_ID
    kind = entry["feed"]
    chosen = [p for p in posts if kind == "site" or term in getattr(p, kind)]
    chosen.sort(key=lambda p: p.date, reverse=True)
    return [(p.permalink, feed_id(base, p)) for p in chosen[: entry["limit"] or None]]


def test_a_relative_link_in_a_post_is_not_a_file_of_posts_folder(tmp_path: Path) -> None:
    """Jekyll publishes no file of `_posts/`: a post's `img.png` is under its page's URL, as
    the page's own link resolves, never `.../_posts/img.png`."""
    from syndicate.build import load_site

    (tmp_path / "_config.yml").write_text("title: T\nurl: https://ex.org\nbaseurl: /blog\n")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts/img.png").write_bytes(b"\x89PNG")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/b.png").write_bytes(b"\x89PNG")
    (tmp_path / "_posts/2024-01-02-a.md").write_text(
        "---\ntitle: A\n---\n![a](img.png) ![b](../assets/b.png)\n"
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n')
    site = load_site(load_config(tmp_path / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    html = site.renderer.html(site.posts[0])
    assert "_posts" not in html
    assert 'src="https://ex.org/blog/2024/01/02/img.png"' in html  # as the page's link reads
    assert 'src="https://ex.org/blog/assets/b.png"' in html  # a file Jekyll publishes


def test_a_relative_link_that_names_no_file_resolves_against_the_posts_page(
    tmp_path: Path,
) -> None:
    """`[tables](../tables/)` in a post at /blog/2024/a/ is /blog/2024/tables/ on the site
    (Jekyll writes the link as it is, and jekyll-feed gives the entry the page's `xml:base`);
    read from `_posts/` it named the site's top folder, and the feed linked /tables."""
    from syndicate.build import load_site

    (tmp_path / "_config.yml").write_text(
        "title: T\nurl: https://ex.org\nbaseurl: /al\npermalink: /blog/:year/:title/\n"
    )
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts/2024-01-02-a.md").write_text(
        "---\ntitle: A\n---\n[tables](../tables/) [x](../x.html#top)\n"
    )
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n')
    site = load_site(load_config(tmp_path / "syndicate.toml"), "2025-01-01T00:00:00Z", {})
    html = site.renderer.html(site.posts[0])
    assert 'href="https://ex.org/al/blog/2024/tables/"' in html
    assert 'href="https://ex.org/al/blog/2024/x.html#top"' in html


def test_an_unknown_placeholder_in_the_sites_permalink_is_a_config_error(tmp_path: Path) -> None:
    """Jekyll stops its build on it; syndicate refused every post and wrote empty feeds."""
    (tmp_path / "_config.yml").write_text(
        "title: T\nurl: https://ex.org\npermalink: /:nonsense/:title/\n"
    )
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts/2024-01-02-a.md").write_text("---\ntitle: A\n---\nx\n")
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "syndicate.toml")
    assert "_config.yml: permalink: the permalink's :nonsense is no placeholder" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("exclude", "noted"),
    [
        ("", "syndicate.toml, outbox, sent"),
        ("exclude: [Gemfile]\n", "syndicate.toml, outbox, sent"),
        ("exclude: [syndicate.toml]\n", "outbox, sent"),
        ("exclude: ['*.toml', outbox]\n", "sent"),
        ("exclude: ['*.toml', outbox, sent]\n", None),
    ],
)
def test_what_jekyll_would_publish_is_noted(tmp_path: Path, exclude: str, noted: str) -> None:
    # Jekyll copies every file its `exclude` does not list into _site (checked with Jekyll
    # 4.3.1: `_site/syndicate.toml` after `jekyll build`, none with the exclude; the same for
    # the digests' outbox and the outbox transport's `sent`).
    (tmp_path / "_config.yml").write_text(f"timezone: UTC\n{exclude}")
    notes = [n for n in read(tmp_path, "production").notes if "to `exclude`" in n]
    assert notes == (
        [
            f"Jekyll copies every file it does not exclude into the site: add {noted}"
            " to `exclude` in _config.yml, or they are published once made (the config's"
            " webhook and mail settings, the digests with their recipients, the mails"
            " sent)"
        ]
        if noted
        else []
    )


def test_a_copy_of_the_config_in_the_output_folder_is_a_warning(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = site(tmp_path, {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"})
    (root / "_site").mkdir()
    shutil.copy(root / "syndicate.toml", root / "_site/syndicate.toml")  # as Jekyll copies it
    result = run_cli("build", cwd=root)
    assert result.returncode == 0
    assert (
        "_site/syndicate.toml: warning: a copy of syndicate.toml is in the output folder: "
        "uploading it publishes its webhook, mail server and sender\n"
        "  hint: add syndicate.toml to `exclude` in _config.yml, and remove the copy"
    ) in result.stderr
    (root / "_site/syndicate.toml").write_text("# the site's own file of that name\n")
    assert "a copy of syndicate.toml" not in run_cli("build", cwd=root).stderr


def test_a_term_feed_links_the_sites_home_page_jekyll_making_no_term_pages(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Jekyll makes no page for a tag or a category (only a plugin, jekyll-archives, does, at
    addresses of its own): their feeds' channels linked /tags/<slug>/, a page not there."""
    root = site(tmp_path, {"_posts/2024-01-01-a.md": "---\ntitle: A\ntags: [x]\n---\nx\n"})
    result = run_cli("build", cwd=root)
    assert result.returncode == 0, result.stderr
    channel = etree.fromstring((root / "_site/tags/x/rss.xml").read_bytes()).find("channel")
    assert channel is not None and channel.findtext("link") == "https://e.org/"


def test_a_copy_of_the_outbox_or_the_sent_mails_in_the_output_folder_is_a_warning(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Jekyll copies `outbox/` (the digests, their recipients) and `sent/` into `_site` as it
    copies the config, unless excluded."""
    root = site(tmp_path, {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"})
    for folder in ("outbox/2024-W44", "sent", "_site/outbox/2024-W44", "_site/sent"):
        (root / folder).mkdir(parents=True)
    result = run_cli("build", cwd=root)
    assert result.returncode == 0
    assert (
        "_site/outbox: warning: a copy of outbox is in the output folder: uploading it "
        "publishes the digests and their recipients\n"
        "  hint: add outbox to `exclude` in _config.yml, and remove the copy"
    ) in result.stderr
    assert "_site/sent: warning: a copy of sent is in the output folder: uploading it " in (
        result.stderr
    )
    shutil.rmtree(root / "_site/outbox")
    shutil.rmtree(root / "_site/sent")
    assert "a copy of" not in run_cli("build", cwd=root).stderr


def test_the_summary_is_jekylls_excerpt_whatever_its_first_block_is(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # jekyll-feed 0.17.0's summaries of these posts (Jekyll 4.3.1): the excerpt is the post
    # up to the first "\n\n", a heading or a quote too. syndicate took the first paragraph of
    # prose ("Body paragraph.", "Next paragraph.", "After."): 53 of scala-lang.org's 333
    # posts had another summary.
    site(
        tmp_path,
        {
            "_posts/2024-01-01-h.md": "---\ntitle: H\n---\n# Big heading\n\nBody paragraph.\n",
            "_posts/2024-01-02-i.md": "---\ntitle: I\n---\n![img](/x.png)\n\nNext paragraph.\n",
            "_posts/2024-01-03-q.md": "---\ntitle: Q\n---\n> A quote\n\nAfter.\n",
            "_posts/2024-01-04-n.md": "---\ntitle: N\n---\n\nLeading blank, then text.\n\nB.\n",
        },
    )
    summaries = built_summaries(tmp_path, run_cli)
    assert summaries == {
        "N": "Leading blank, then text.",
        "Q": "A quote",
        "I": None,  # jekyll-feed writes an empty summary
        "H": "Big heading",
    }


# Titles and what jekyll-feed 0.17 wrote for them (`post.title | smartify | strip_html |
# normalize_whitespace`) as its readers read that HTML, from a Jekyll 4.3.1 build of a site
# of these posts: with kramdown's defaults, and with `smart_quotes: apos,apos,quot,quot` and
# `typographic_symbols: {mdash: "---"}`. syndicate wrote every one as written but for its
# entities and tags (`---`, `--`, `...` and straight quotes).
TITLES = [
    (
        "Markup: Title with Special&nbsp;---&nbsp;Characters",
        "Markup: Title with Special\u00a0—\u00a0Characters",
        "Markup: Title with Special\u00a0---\u00a0Characters",
    ),
    (
        'Don\'t stop -- "quoted" title...',
        "Don’t stop – “quoted” title…",
        'Don\'t stop – "quoted" title…',
    ),
    ("Markup: Title *with* **Markdown**", "Markup: Title *with* **Markdown**", None),
    ('Q&amp;A with <em>"Ana"</em> & Bo', "Q&A with “Ana” & Bo", 'Q&A with "Ana" & Bo'),
    ("The '90s, rock 'n' roll", "The ’90s, rock ‘n’ roll", "The '90s, rock 'n' roll"),
    ("<< Angle >> quotes", "«\u00a0Angle\u00a0» quotes", None),
    ("1 < 2 > 0", "1 < 2 > 0", None),  # kramdown escapes them: strip_html leaves them
    ('<code>"raw" -- code</code> -- text', '"raw" -- code – text', None),
    ("The <div> element", "The <div> element", None),  # a block's tag in text: text
    ("A  title\twith   spaces", "A title with spaces", None),
    ("&#8220;Numeric&#8221; &mdash; entities", "“Numeric” — entities", None),
]


@pytest.mark.parametrize("options", [False, True], ids=["defaults", "kramdown options"])
def test_titles_are_jekyll_feeds_in_every_feed(
    tmp_path: Path, run_cli: RunCli, options: bool
) -> None:
    config = "title: T\nurl: https://e.org\n"
    if options:
        config += 'kramdown:\n  smart_quotes: "apos,apos,quot,quot"\n'
        config += '  typographic_symbols: {mdash: "---"}\n'
    posts = {
        f"_posts/2024-01-{n:02d}-t{n}.md": f"---\ntitle: {json.dumps(title)}\n---\nText.\n"
        for n, (title, _, _) in enumerate(TITLES, 1)
    }
    site(tmp_path, posts, config)
    assert run_cli("build", "--now", "2025-01-01T00:00:00Z", cwd=tmp_path).returncode == 0
    wanted = {
        f"https://e.org/2024/01/{n:02d}/t{n}.html": (mine if options and mine else jekyll)
        for n, (_, jekyll, mine) in enumerate(TITLES, 1)
    }
    atom = "{http://www.w3.org/2005/Atom}"
    feed = etree.parse(str(tmp_path / "_site/atom.xml"))
    titles = {
        e.find(f"{atom}link").get("href"): e.findtext(f"{atom}title")
        for e in feed.iter(f"{atom}entry")
    }
    assert titles == wanted
    rss = etree.parse(str(tmp_path / "_site/rss.xml"))
    assert {i.findtext("link"): i.findtext("title") for i in rss.iter("item")} == wanted
    items = json.loads((tmp_path / "_site/feed.json").read_text())["items"]
    assert {i["url"]: i["title"] for i in items} == wanted


def test_a_posts_own_excerpt_separator_cuts_its_summary_as_jekyll_cuts_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # jekyll-feed 0.17.0's summaries of these posts, built by Jekyll 4.3.1 with this
    # _config.yml (document.rb `excerpt_separator`: the post's own, `defaults:` included,
    # before the site's; excerpt.rb `extract_excerpt`: the whole post without it). syndicate
    # cut every one at the site's "\n\n" ("First paragraph.") and made "Empty"'s one.
    # Minimal Mistakes' "Post: Standard" and "Layout: More Tag" are cut so too.
    two = "First paragraph.\n\nSecond paragraph.\n"
    site(
        tmp_path,
        {
            "_posts/2024-01-01-own.md": '---\ntitle: Own\nexcerpt_separator: "<!--more-->"\n'
            "---\n\n" + two + "\n<!--more-->\n\nAfter.\n",
            "_posts/2024-01-02-absent.md": '---\ntitle: Absent\nexcerpt_separator: "<!--more-->"'
            "\n---\n\n" + two + "\nThird.\n",
            "_posts/2024-01-03-empty.md": '---\ntitle: Empty\nexcerpt_separator: ""\n---\n\n' + two,
            "_posts/2024-01-04-number.md": "---\ntitle: Number\nexcerpt_separator: 42\n---\n\n"
            "First paragraph.\n\nSecond 42 paragraph.\n",
            "_posts/2024-01-05-by-default.md": "---\ntitle: By default\n---\n\nFirst paragraph."
            "\n\nSecond paragraph.\n<!--cut-->\nAfter.\n",
            "_posts/2024-01-06-false.md": "---\ntitle: F\nexcerpt_separator: false\n---\n\n" + two,
        },
        "title: T\nurl: https://e.org\ndefaults:\n"
        '  - scope: {path: "_posts/2024-01-05-by-default.md"}\n'
        '    values: {excerpt_separator: "<!--cut-->"}\n',
    )
    summaries = built_summaries(tmp_path, run_cli)
    assert summaries == {
        "F": "First paragraph.",  # false: the site's
        "By default": "First paragraph. Second paragraph.",
        "Number": "First paragraph. Second",
        "Empty": None,
        "Absent": "First paragraph. Second paragraph. Third.",
        "Own": "First paragraph. Second paragraph.",
    }


def test_init_tells_its_notes_when_the_config_lacks_a_value(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # jruby.org's _config.yml has no title: init stopped there, and its note that the site's
    # own atom.xml stops a build was never told.
    (tmp_path / "_config.yml").write_text("url: https://e.org\n")
    (tmp_path / "atom.xml").write_text(
        "---\nlayout: null\n---\n<feed>{% for post in site.posts %}{{ post.title }}{% endfor %}</feed>\n"
    )
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: A\n---\nx\n")
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 2 and "title" in result.stderr
    assert "note: atom.xml is the site's own feed" in result.stdout


def test_a_post_in_another_markup_is_published_with_a_warning(tmp_path: Path) -> None:
    # nim-lang.org's _posts/2017-10-02-documenting-profiling-and-debugging-nim-code.adoc,
    # which its site converts with jekyll-asciidoc: published with nothing said.
    root = site(
        tmp_path,
        {
            "_posts/2024-01-02-a.adoc": "---\ntitle: A\n---\n= A guide\n",
            "_posts/2024-01-03-b.markdown": "---\ntitle: B\n---\nText.\n",
            "_posts/2024-01-04-c.txt": "---\ntitle: C\n---\nText.\n",  # passed through
        },
    )
    loaded = load(root)
    assert sorted(p.title for p in loaded.posts) == ["A", "B", "C"]
    [warning] = loaded.report.warnings
    assert warning.location is not None and warning.location.path.name == "2024-01-02-a.adoc"
    assert "a .adoc post is read as Markdown" in warning.message


def test_a_missing_source_folder_is_reported_at_jekylls_source(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = site(tmp_path, {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n"})
    (root / "_config.yml").write_text("title: T\nurl: https://e.org\nsource: srcc\n")
    result = run_cli("build", cwd=root)
    assert result.returncode == 2
    assert "_config.yml: source: " in result.stderr and "Jekyll reads the posts" in result.stderr


def test_a_jekyll_site_without_posts_is_told_where_jekylls_posts_go(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Posts moved out of _posts/: the advice was Hugo's (`content/posts/`, site.content_dir,
    site.main_sections), and it listed the pages of Jekyll's own output folder (_site/) as
    files left out, but not the moved post."""
    root = site(tmp_path, {"_posts/2024-01-02-first.md": "---\ntitle: First\n---\nHello.\n"})
    assert run_cli("build", "-q", cwd=root).returncode == 0
    (root / "posts").mkdir()
    (root / "_posts/2024-01-02-first.md").rename(root / "posts/2024-01-02-first.md")
    (root / "_site/posts").mkdir(parents=True)
    (root / "_site/posts/2024-01-02-first.html").write_text("<p>Hello.</p>\n")
    result = run_cli("build", cwd=root)
    assert result.returncode == 1  # under half of the last build's posts: nothing replaced
    said = " ".join(result.stderr.split())
    assert "Jekyll's posts are dated files in _posts/" in said
    assert "posts/2024-01-02-first.md: warning: left out: Jekyll makes a page of it" in said
    assert "_site" not in said and "content/posts" not in said and "main_sections" not in said


def test_two_posts_given_one_permalink_are_told_to_change_a_permalink(tmp_path: Path) -> None:
    """The hint said to give one its own `slug`, which changes no permalink written out."""
    root = site(
        tmp_path,
        {
            "_posts/2024-05-07-one.md": "---\ntitle: One\npermalink: /dup/\n---\nx\n",
            "_posts/2024-05-08-two.md": "---\ntitle: Two\npermalink: /dup/\n---\nx\n",
        },
    )
    [problem] = load(root).report.errors
    assert problem.location is not None
    assert (problem.location.path.name, problem.location.line) == ("2024-05-08-two.md", 3)
    assert problem.hint == "give one of them its own `permalink` in the front matter"
