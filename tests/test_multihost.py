"""Hugo's multihost sites (a language with its own `baseURL`): each language's posts at its own
host without a language prefix, with its own `permalinks`; its feeds in its folder of the output
(`public/<code>/`, as Hugo writes it) with every URL at its host. The ground truth is Hugo 0.168's
build of tests/fixtures/sites/hugo/ananke-example/multihost/ (its NOTES.md)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.config import address_url, load_config
from syndicate.content.loader import LoadOptions, load_posts
from syndicate.errors import ConfigError
from syndicate.feeds.channels import FeedLanguage, feed_languages, published_url
from syndicate.sites.hugo import addresses

from .conftest import REPO, run_in_process
from .test_languages_feeds import validator
from .test_sites_hugo import AFTER_THE_BUILDS, BASE, MAIN, make_site, post, settings_of, url_site

FIXTURE = REPO / "tests/fixtures/sites/hugo/ananke-example"
VARIANT = FIXTURE / "multihost"
BUILT = "2026-11-29T00:00:00+00:00"  # Hugo's --clock in the fixture's script
EN = "https://gohugo-theme-ananke.pages.dev/"
FR = "https://ananke.example.fr/blog/"
ATOM = "{http://www.w3.org/2005/Atom}"


def _expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VARIANT / "expected.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Ananke example's content with the multihost config, after `init` and `build`."""
    site = tmp_path_factory.mktemp("multihost") / "site"
    shutil.copytree(FIXTURE / "site", site)
    shutil.copy(VARIANT / "config.toml", site / "config.toml")
    init = run_in_process("init", cwd=site)
    assert init.returncode == 0, init.stderr
    (site.parent / "init.txt").write_text(init.stdout, encoding="utf-8")
    build = run_in_process("build", "--now", BUILT, cwd=site)
    assert build.returncode == 0, build.stderr
    return site


def _output(site: Path) -> Path:
    return load_config(site / "syndicate.toml").output_dir


# --- the real site ------------------------------------------------------------------------------


def test_every_multihost_post_is_at_the_url_hugo_publishes_in_its_language(built: Path) -> None:
    output = _output(built)
    for lang in ("en", "fr"):
        feed = json.loads((output / lang / "feed.json").read_text(encoding="utf-8"))
        wanted = {p["url"] for p in _expected()["posts"] if p["lang"] == lang}
        assert {item["url"] for item in feed["items"]} == wanted, lang
    # Hugo writes nothing at the root of its output: neither does syndicate (but its manifest).
    assert sorted(p.name for p in output.iterdir() if p.is_file()) == [".syndicate-manifest.json"]


def test_each_multihost_feed_address_holds_what_hugos_feed_listed_at_its_host(
    built: Path,
) -> None:
    output = _output(built)
    checked = 0
    for feed in _expected()["feeds"]:
        wanted = [(i["link"], i["guid_or_id"]) for i in feed["items"] if i["is_post"]]
        if not wanted:
            continue  # a list of terms, an empty taxonomy: syndicate writes no such feed
        data = (output / feed["address"].lstrip("/")).read_bytes()
        parsed = feedparser.parse(data)
        assert not parsed.bozo, (feed["address"], parsed.get("bozo_exception"))
        assert [(e.link, e.id) for e in parsed.entries] == wanted, feed["address"]
        channel = ET.fromstring(data).find("channel")
        assert channel is not None
        own = [link.get("href") for link in channel.findall(f"{ATOM}link[@rel='self']")]
        assert own == [feed["self_link"]], feed["address"]
        assert channel.findtext("language") == feed["language_element"]
        checked += 1
    assert checked == 6  # the home, section and tag feeds of each language
    # init wrote them in each language's folder, as Hugo writes its feeds.
    config = load_config(built / "syndicate.toml")
    assert sorted(config.feeds.addresses) == [
        f"{lang}/{name}/index.xml".replace("//", "/")
        for lang in ("en", "fr")
        for name in ("categories/{term}", "", "tags/{term}", "{section}")
    ]
    assert all(e.language == p[:2] for p, e in config.feeds.addresses.items())
    told = (built.parent / "init.txt").read_text(encoding="utf-8")
    assert f"(en/ at {EN}, fr/ at {FR}); serve each folder at its host" in told


def test_translations_on_two_hosts_link_each_other(built: Path) -> None:
    output = _output(built)
    french = f"{FR}2017/chapitre-i-la-grande-halle/"
    english = f"{EN}post/chapter-1/"
    for lang, own in (("en", english), ("fr", french)):
        root = ET.parse(output / lang / "atom.xml").getroot()
        entry = next(
            e
            for e in root.findall(f"{ATOM}entry")
            if e.find(f"{ATOM}link[@rel='alternate']").get("href") == own  # type: ignore[union-attr]
        )
        links = {(x.get("hreflang"), x.get("href")) for x in entry.findall(f"{ATOM}link")}
        assert {("en-US", english), ("fr-FR", french)} <= links, links
        # The language feeds link each other at their hosts too.
        feeds = {x.get("href") for x in root.findall(f"{ATOM}link[@hreflang]")}
        assert feeds == {f"{FR if lang == 'en' else EN}atom.xml"}
    expected = {p["url"]: p["translations"] for p in _expected()["posts"]}
    assert expected[english] == [french] and expected[french] == [english]


def test_each_languages_opml_and_feeds_page_are_at_its_host(built: Path) -> None:
    output = _output(built)
    opml = ET.parse(output / "fr/feeds.opml").getroot()
    urls = [o.get("xmlUrl") or o.get("url") for o in opml.iter("outline") if o.get("type")]
    assert urls and all(u.startswith(FR) for u in urls[:-1]), urls
    assert urls[-1] == f"{EN}feeds.opml"
    page = (output / "en/feeds.html").read_text(encoding="utf-8")
    assert f'href="{EN}feeds.opml"' in page and f'href="{FR}feeds.html"' in page
    # The stylesheet is where each host serves it: a copy in each language's folder.
    assert (output / "fr/feed-style.xsl").is_file() and (output / "en/feed-style.xsl").is_file()
    assert 'href="/blog/feed-style.xsl"' in (output / "fr/rss.xml").read_text(encoding="utf-8")


def test_every_multihost_language_feed_passes_feedparser_and_the_w3c_validator(
    built: Path,
) -> None:
    output = _output(built)
    feeds = sorted(p for lang in ("en", "fr") for p in (output / lang).rglob("*.xml"))
    # Site, tag and author, RSS and Atom, and 3 addresses; in French no author's: no French
    # post names one, and the site's default author files none under an author feed.
    assert len(feeds) == (3 * 2 + 3) + (2 * 2 + 3)
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    for path in sorted(output.rglob("*.json")):
        assert json.loads(path.read_text(encoding="utf-8"))
    validate = validator()
    for path in feeds:
        lang, _, rel = path.relative_to(output).as_posix().partition("/")
        events = validate(path.read_bytes(), (EN if lang == "en" else FR) + rel)
        assert not events, (path, [(type(e).__name__, e.params) for e in events])


# --- config and posts ---------------------------------------------------------------------------


HOSTS = (
    '[languages.en]\nweight = 1\nbaseURL = "https://example.com/"\n'
    '[languages.fr]\nweight = 2\nbaseURL = "https://example.fr/blog/"\n'
)


def test_a_languages_own_permalinks_win_over_the_sites_key_by_key(tmp_path: Path) -> None:
    # Checked with hugo 0.168 (the fixture): the French pattern for posts, the site's for notes.
    config = (
        MAIN
        + "[permalinks]\nposts = '/p/:slug/'\nnotes = '/n/:slug/'\n"
        + HOSTS
        + "[languages.fr.permalinks]\nposts = '/:year/:slug/'\n"
    )
    files = {
        "content/posts/a.md": post("A"),
        "content/posts/a.fr.md": post("Un A"),
        "content/notes/b.fr.md": post("B"),
    }
    assert url_site(tmp_path, config, files) == {
        "content/posts/a.md": "https://example.com/p/a/",
        "content/posts/a.fr.md": "https://example.fr/blog/2024/un-a/",
        "content/notes/b.fr.md": "https://example.fr/blog/n/b/",
    }


def test_a_languages_own_permalinks_apply_on_a_site_of_one_host_too(tmp_path: Path) -> None:
    config = MAIN + "[languages.en]\nweight = 1\n[languages.fr.permalinks]\nposts = '/:slug/'\n"
    files = {"content/posts/a.md": post("A"), "content/posts/a.fr.md": post("Un A")}
    assert url_site(tmp_path, config, files) == {
        "content/posts/a.md": "https://example.org/posts/a/",
        "content/posts/a.fr.md": "https://example.org/fr/un-a/",
    }


def test_a_languages_own_ugly_urls_is_not_read_as_hugo_does_not(tmp_path: Path) -> None:
    # Hugo 0.168 asks uglyURLs of the sites' shared config (the fixture's NOTES.md).
    config = MAIN + HOSTS + "uglyURLs = true\n"  # in [languages.fr]
    files = {"content/posts/a.md": post("A"), "content/posts/a.fr.md": post("Un A")}
    assert url_site(tmp_path, config, files) == {
        "content/posts/a.md": "https://example.com/posts/a/",
        "content/posts/a.fr.md": "https://example.fr/blog/posts/a/",
    }


def test_a_multihost_page_url_from_the_root_has_no_language_prefix(tmp_path: Path) -> None:
    config = MAIN + HOSTS
    files = {
        "content/posts/a.fr.md": post("A", "url: /ailleurs/\n"),
        "content/posts/b.fr.md": post("B", "url: plus-loin/\n"),
    }
    assert url_site(tmp_path, config, files) == {
        "content/posts/a.fr.md": "https://example.fr/blog/ailleurs/",
        "content/posts/b.fr.md": "https://example.fr/blog/plus-loin/",
    }


def test_a_language_host_below_the_sites_moves_with_the_base_url_syndicate_sets(
    tmp_path: Path,
) -> None:
    # A deploy that sets the base URL outside Hugo's config ([site] base_url) moves the
    # languages published below it, their posts too.
    config = (
        MAIN
        + '[languages.en]\nweight = 1\n[languages.fr]\nbaseURL = "https://example.org/fr-blog/"\n'
    )
    make_site(
        tmp_path,
        {"hugo.toml": BASE + config, "content/posts/a.fr.md": post("A")},
    )
    (tmp_path / "syndicate.toml").write_text(
        '[site]\ngenerator = "hugo"\nbase_url = "https://staging.example.net/"\n'
    )
    cfg = load_config(tmp_path / "syndicate.toml")
    found = load_posts(cfg, LoadOptions(now=AFTER_THE_BUILDS))
    assert [p.permalink for p in found.posts] == ["https://staging.example.net/fr-blog/posts/a/"]
    languages = {lang.code: lang for lang in feed_languages(cfg)}
    assert languages["fr"].url("fr/rss.xml") == "https://staging.example.net/fr-blog/rss.xml"


def test_a_bad_base_url_of_a_language_is_a_config_error_naming_it(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + HOSTS.replace("https://example.fr/blog/", "fr")})
    with pytest.raises(ConfigError) as caught:
        settings_of(tmp_path)
    assert "hugo.toml: languages.fr.baseURL: 'fr' is not an absolute http(s) URL" in str(
        caught.value
    )


def test_each_multihost_language_has_its_folder_and_its_host(tmp_path: Path) -> None:
    make_site(tmp_path, {"hugo.toml": BASE + MAIN + HOSTS})
    (tmp_path / "syndicate.toml").write_text('[site]\ngenerator = "hugo"\n')
    found = feed_languages(load_config(tmp_path / "syndicate.toml"))
    assert [(f.code, f.prefix, f.url(f"{f.prefix}tags/x/rss.xml")) for f in found] == [
        ("en", "en/", "https://example.com/tags/x/rss.xml"),
        ("fr", "fr/", "https://example.fr/blog/tags/x/rss.xml"),
    ]
    assert all(f.own_host for f in found)


def test_a_multihost_section_url_from_the_root_is_in_the_languages_folder() -> None:
    def described(url: str) -> list[str]:
        found, _ = addresses.describe(
            {},
            addresses.urls.Case(),
            [],
            ["posts"],
            lambda _: False,
            [],
            lambda section: {"url": url} if section else {},
            prefix="fr/",
            language="fr",
            own_host=True,
        )
        return [address for address, entry in found if '"sections"' in entry]

    # CreateTargetPaths: the language's folder unless the url names it already.
    assert described("/articles/") == ["fr/articles/index.xml"]
    assert described("/fr/articles/") == ["fr/articles/index.xml"]


def test_a_languages_own_term_permalinks_move_its_term_feed_addresses(tmp_path: Path) -> None:
    # Checked with hugo 0.168: public/fr/etiquettes/scene/index.xml, public/en/tags/scene/.
    config = MAIN + HOSTS + "[languages.fr.permalinks.term]\ntags = '/etiquettes/:slug/'\n"
    make_site(tmp_path, {"hugo.toml": BASE + config})
    found = [address for address, _ in settings_of(tmp_path).addresses]
    assert "en/tags/{term}/index.xml" in found and "fr/etiquettes/{term}/index.xml" in found
    assert "fr/tags/{term}/index.xml" not in found


def test_websub_topics_of_a_multihost_site_are_its_feeds_at_their_hosts(built: Path) -> None:
    from syndicate.feeds.websub import published_feeds

    topics = published_feeds(load_config(built / "syndicate.toml"))
    assert f"{EN}rss.xml" in topics and f"{FR}tags/scene/index.xml" in topics
    assert all(url.startswith((EN, FR)) for url in topics)
    assert not any(url.startswith((f"{EN}en/", f"{FR}fr/")) for url in topics)


def test_a_bad_token_in_a_languages_own_permalinks_is_told_once_naming_its_key(
    tmp_path: Path,
) -> None:
    config = (
        "[permalinks]\nnotes = '/:nope/'\n"
        + HOSTS
        + "[languages.fr.permalinks]\nposts = '/:neither/:slug/'\n"
    )
    make_site(tmp_path, {"hugo.toml": BASE + config})
    with pytest.raises(ConfigError) as caught:
        settings_of(tmp_path)
    problems = caught.value.problems
    assert len(problems) == 2, problems
    assert problems[0].startswith("hugo.toml: permalinks") and ":nope" in problems[0]
    assert (
        problems[1].startswith("hugo.toml: languages.fr.permalinks") and ":neither" in problems[1]
    )


def test_the_preview_links_the_default_languages_opml_and_feeds_page_in_its_folder(
    built: Path,
) -> None:
    import lxml.html

    from syndicate.build import load_site
    from syndicate.serve import Preview, index_page

    config = load_config(built / "syndicate.toml")
    preview = Preview(config, lambda: load_site(config, BUILT, {}, use_cache=False))
    preview.rebuild()
    page = lxml.html.fromstring(index_page(preview, None))
    links = {a.text_content(): a.get("href") for a in page.iter("a")}
    assert links["raw"] and links["feeds.html"] == "/en/feeds.html"
    assert "/en/feeds.opml" in [a.get("href") for a in page.iter("a")]
    assert (_output(built) / "en/feeds.html").is_file()


def _language(code: str, prefix: str, root: str, own_host: bool) -> FeedLanguage:
    return FeedLanguage(code, code, code, code, prefix, root, not prefix, root, own_host)


SEGMENT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/"),
    min_size=1,
    max_size=12,
)


@given(parts=st.lists(SEGMENT, min_size=1, max_size=4), lang=st.sampled_from(["", "fr/", "de/"]))
def test_a_files_url_is_at_its_languages_host_and_unchanged_on_a_site_of_one_host(
    parts: list[str], lang: str
) -> None:
    base = "https://example.org/site/"
    path = lang + "/".join(parts)
    one_host = [
        _language("en", "", base, False),
        _language("fr", "fr/", f"{base}fr/", False),
        _language("de", "de/", f"{base}de/", False),
    ]
    # As every URL was made before languages had hosts of their own.
    assert published_url(one_host, base, path) == base + path
    assert published_url(one_host, base, path, escape=True) == address_url(base, path)
    hosts = {"en/": base, "fr/": "https://example.fr/", "de/": "https://de.example.net/b/"}
    many = [_language(p[:2], p, root, True) for p, root in hosts.items()]
    where = lang or "en/"
    url = published_url(many, base, where + "/".join(parts), escape=True)
    assert url == address_url(hosts[where], "/".join(parts))
