"""Feed files -> the ways people find them: `feeds.opml` (import every feed at once),
`feeds.html` (a page with autodiscovery links and a snippet to paste), `digests/index.html`
(every digest's web copy), and the XSL stylesheet that makes an RSS or Atom file readable when
opened in a browser (a nicety only: browsers are removing XSLT, so nothing depends on it and
feeds.html is the page to link people to).

A feed is one subscription whatever its formats: the OPML lists each feed once, in
`[feeds] opml_format` (a reader importing it would otherwise subscribe two or three times),
while feeds.html shows every format of each.

A multilingual site gets an OPML file and a feeds page per language, each in its language's
folder listing that language's feeds, and pointing to the other languages' (OPML `include`
outlines; links with hreflang). Every word of the page and of the OPML file's head and headings
is the language's label (`[feeds.labels]`, `[feeds.language.<code>]`); the digests' index
page's are `[digest.labels]`. Each page says its language and, for a language written right to
left, its direction (`dir="rtl"`).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..config import Config, FeedFormat, FeedLabels, PluralWords, fill_words
from ..datatype import datatype
from ..dates import rfc822
from ..model import Artifact
from .channels import FeedLanguage, feed_languages, language_of_path
from .documents import MEDIA_TYPES, STYLESHEET, FeedFile, stylesheet_path
from .newsletter import DIGEST_FEEDS, DIGESTS, published_digest_feeds

if TYPE_CHECKING:
    from jinja2 import Environment

_FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
_OPML_VERSIONS = {"rss": "RSS2", "atom": "ATOM1", "json": "JSONFEED"}


@datatype
class Listing:
    """One feed as people subscribe to it: its kind ("site", a grouping, or "newsletter" for
    the digests'), its names, its page, and its URL in each format."""

    kind: str
    group: str
    title: str
    name: str
    home_url: str
    posts: int | None
    urls: tuple[tuple[FeedFormat, str], ...]

    def preferred(self, fmt: FeedFormat) -> tuple[FeedFormat, str]:
        """The URL in `fmt`, or in the first format written when that one is not."""
        return next(((f, u) for f, u in self.urls if f == fmt), self.urls[0])


def digest_feed_title(config: Config) -> str:
    """The digests' feed's title, in the words of the default language's digest."""
    return fill_words(config.digest.labels.archive_title, site=config.site.title)


def listings(
    config: Config, feeds: Sequence[FeedFile], lang: FeedLanguage | None = None
) -> list[Listing]:
    """Every subscription feed once, site first, then each grouping's, then the digests' feed
    when a digest has been published into the output folder; those of `lang` only (the
    digests' feed in the default language's listing)."""
    languages = feed_languages(config)
    lang = lang or languages[0]
    by_channel: dict[str, list[FeedFile]] = {}
    for feed in feeds:
        if feed.subscription and language_of_path(languages, feed.channel.path) == lang:
            by_channel.setdefault(feed.channel.path, []).append(feed)
    labels = config.feeds.labels_for(lang.code or config.site.language)
    out = [
        Listing(
            kind=members[0].channel.kind,
            group=_group_title(labels, members[0].channel.kind),
            title=members[0].channel.title,
            name=members[0].channel.name,
            home_url=members[0].channel.home_url,
            posts=len(members[0].channel.posts),
            urls=tuple((f.format, f.url) for f in members),
        )
        for members in by_channel.values()
    ]
    published = published_digest_feeds(config) if lang.default else []
    digests = tuple((fmt, config.base_url + path) for fmt, path in published)
    if digests:
        title = digest_feed_title(config)
        home = config.base_url + DIGESTS
        out.append(Listing("newsletter", labels.newsletter, title, title, home, None, digests))
    return out


def _group_title(labels: FeedLabels, kind: str) -> str:
    """The heading of a kind of feed in the OPML file and the feeds page, in its language."""
    return labels.site_group if kind == "site" else labels.label(kind)


def _grouped(items: Sequence[Listing]) -> list[tuple[str, list[Listing]]]:
    """The listings by kind, each kind under its heading: two kinds whose labels are the same
    words stay two groups (as one, the feeds page left the tags' out with the site's feed,
    when `site_group` was the tags' label)."""
    groups: dict[str, tuple[str, list[Listing]]] = {}
    for item in items:
        groups.setdefault(item.kind, (item.group, []))[1].append(item)
    return list(groups.values())


def prepare_pages(config: Config) -> None:
    """Import Jinja2 and compile the feeds page now, before the writer's threads are busy: each
    module file read while they run waited for the interpreter's lock (at 100 posts, importing,
    compiling and rendering the listing after the documents took 0.10-0.21 s; the import and
    compile before them take 0.07-0.08 s, the listing after 0.01-0.03 s)."""
    _env(config, config.site.language).get_template("feeds.html")


# Each config's environment per language, with the templates it compiled: (config, env), kept
# while that very config is (an id is the key only while its object lives).
_ENVS: dict[tuple[int, str], tuple[Config, Environment]] = {}


def _env(config: Config, tag: str) -> Environment:
    """The pages' templates, with the filters that word a label in the language of `tag`:
    `fill` (its placeholders filled) and `plural` (its form for a number, `{count}` filled).
    Compiled once and kept in the state folder, with the build cache."""
    found = _ENVS.get((id(config), tag))
    if found is not None and found[0] is config:
        return found[1]
    if len(_ENVS) >= 8:
        _ENVS.clear()  # `serve` reads the config again after each edit of it
    env = _new_env(config, tag)
    _ENVS[(id(config), tag)] = (config, env)
    return env


def _new_env(config: Config, tag: str) -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape  # slow; not every build

    from ..digest.compiled import PAGES_FOLDER, CompiledTemplates

    # A compiled page that cannot be written is compiled again next time; the state folder's
    # trouble is the build cache's to report.
    keep = config.build.cache
    env = Environment(
        loader=PackageLoader("syndicate", "data"),
        autoescape=select_autoescape(["html", "xml", "xsl"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=CompiledTemplates(config.state_dir, PAGES_FOLDER) if keep else None,
    )
    env.filters["fill"] = _filled
    env.filters["plural"] = lambda words, count: _filled(
        count_words(words, count, tag), count=count
    )
    return env


def _filled(text: str, **values: Any) -> Markup:
    """A label as HTML: its words escaped, each placeholder filled with its value escaped, or
    as it is when the template made it markup (a link)."""
    return Markup(fill_words(_escape(text), **{k: _escape(v) for k, v in values.items()}))


def _escape(value: Any) -> str:
    if isinstance(value, Markup):
        return str(value)
    # What HTML needs in text and in a double-quoted attribute; an apostrophe stays as written.
    return html.escape(str(value), quote=False).replace('"', "&quot;")


def _language(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()


def count_words(words: PluralWords, count: int, tag: str) -> str:
    """The form of `words` for `count` in the language of `tag` (CLDR's rules, from Babel,
    which English pages do without: it is slow to load)."""
    if _language(tag) == "en":
        return (words.one if count == 1 else None) or words.other
    from ..digest.labels import plural_words

    return plural_words(words, count, tag)


def text_direction(tag: str) -> str:
    """How the language of `tag` is written: "rtl" for right to left (Arabic, Hebrew,
    Persian...), from CLDR's character order; else "ltr"."""
    if _language(tag) == "en":
        return "ltr"
    from ..digest.labels import locale_of

    locale = locale_of(tag)
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


PAGES = ("feeds.opml", "feeds.html")


def listing_paths(config: Config) -> list[str]:
    """The OPML file and feeds page of each language."""
    return [f"{lang.prefix}{name}" for lang in feed_languages(config) for name in PAGES]


def listing_pages(config: Config, feeds: Sequence[FeedFile], updated: datetime) -> list[Artifact]:
    """The OPML file and the feeds page of each language (one of each on a one-language
    site), in the order of `listing_paths`."""
    languages = feed_languages(config)
    # Each feed's language found once: each page and OPML file of each language looked for
    # its own among every feed (4,502 on ropensci.org, in 5 languages: 45,020 lookups).
    own: dict[FeedLanguage, list[FeedFile]] = {lang: [] for lang in languages}
    for feed in feeds:
        own[language_of_path(languages, feed.channel.path)].append(feed)
    out: list[Artifact] = []
    for lang in languages:
        mine = own[lang]
        changed = updated if lang.default else _newest(mine, updated)
        out += [opml(config, mine, changed, lang), feeds_page(config, mine, lang)]
    return out


def _newest(feeds: Sequence[FeedFile], default: datetime) -> datetime:
    """When a language's feeds (`feeds`, all of that language) last changed: its newest
    post's time."""
    posts = [post for feed in feeds if feed.channel.kind == "site" for post in feed.channel.posts]
    return max((p.modified for p in posts), default=default)


def _others(config: Config, lang: FeedLanguage) -> list[FeedLanguage]:
    return [other for other in feed_languages(config) if other != lang]


def opml(
    config: Config, feeds: Sequence[FeedFile], updated: datetime, lang: FeedLanguage | None = None
) -> Artifact:
    """OPML 2.0: one outline per feed, in `[feeds] opml_format`, grouped by kind; on a
    multilingual site, `lang`'s feeds, then an `include` outline per other language."""
    from lxml import etree  # made once, while the posts render: not on the one core before

    lang = lang or feed_languages(config)[0]
    labels = config.feeds.labels_for(lang.code or config.site.language)
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = fill_words(labels.opml_title, site=lang.title)
    etree.SubElement(head, "dateModified").text = rfc822(updated)
    etree.SubElement(head, "ownerName").text = lang.title
    body = etree.SubElement(root, "body")
    for group, members in _grouped(listings(config, feeds, lang)):
        outline = etree.SubElement(body, "outline", text=group, title=group)
        for item in members:
            fmt, url = item.preferred(config.feeds.opml_format)
            etree.SubElement(
                outline,
                "outline",
                type="rss",
                text=item.title,
                title=item.title,
                xmlUrl=url,
                htmlUrl=item.home_url,
                version=_OPML_VERSIONS[fmt],
            )
    others = _others(config, lang)
    if others:
        words = labels.other_languages
        outline = etree.SubElement(body, "outline", text=words, title=words)
        for other in others:
            url = other.url(f"{other.prefix}feeds.opml")
            text = f"{other.title} ({other.tag})"
            etree.SubElement(outline, "outline", type="include", text=text, url=url)
    data = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    path = f"{lang.prefix}feeds.opml"
    return Artifact(path, b'<?xml version="1.0" encoding="UTF-8"?>\n' + data)


@datatype
class _PageSite:
    """What feeds.html shows of the site, in one language."""

    title: str
    description: str
    language: str


def feeds_page(
    config: Config, feeds: Sequence[FeedFile], lang: FeedLanguage | None = None
) -> Artifact:
    """feeds.html: every feed in every format, the site's with autodiscovery links; on a
    multilingual site, `lang`'s, linking the other languages' pages."""
    lang = lang or feed_languages(config)[0]
    found = listings(config, feeds, lang)
    site = next((item for item in found if item.kind == "site"), None)
    others = _others(config, lang)
    shown = config.site if lang.default else _PageSite(lang.title, "", lang.tag)
    page = (
        _env(config, shown.language)
        .get_template("feeds.html")
        .render(
            site=shown,
            dir=text_direction(shown.language),
            labels=config.feeds.labels_for(lang.code or config.site.language),
            base_url=lang.url(lang.prefix),
            site_feed=site,
            groups=[(title, items) for title, items in _grouped(found) if items[0] is not site],
            media_types=MEDIA_TYPES,
            format_names=_FORMAT_NAMES,
            languages=[
                (o.title, o.tag, o.url(f"{o.prefix}feeds.html"), text_direction(o.tag))
                for o in others
            ],
        )
    )
    return Artifact(f"{lang.prefix}feeds.html", page.encode("utf-8"))


def digests_page(config: Config, digests: Sequence[Mapping[str, object]]) -> Artifact:
    """digests/index.html, the digest feed's home page: every digest, newest first, linking
    its web copy. Each of `digests` has `title`, `url` (None: not linked), `label`, `posts`."""
    page = (
        _env(config, config.site.language)
        .get_template("digests.html")
        .render(
            site=config.site,
            dir=text_direction(config.site.language),
            labels=config.digest.labels,
            base_url=config.base_url,
            title=digest_feed_title(config),
            digests=digests,
            feeds=[(fmt, config.base_url + path) for fmt, path in DIGEST_FEEDS],
            media_types=MEDIA_TYPES,
            format_names=_FORMAT_NAMES,
        )
    )
    return Artifact(DIGESTS + "index.html", page.encode("utf-8"))


def stylesheet_paths(config: Config) -> list[str]:
    """The stylesheet's files: one, or one per language at a host of its own."""
    return sorted({stylesheet_path(lang) for lang in feed_languages(config)})


def stylesheet(path: str = STYLESHEET) -> Artifact:
    from importlib import resources  # with tempfile, ~2 ms: only for a site that has it

    data = resources.files("syndicate").joinpath("data", "feed-style.xsl").read_bytes()
    return Artifact(path, data)
