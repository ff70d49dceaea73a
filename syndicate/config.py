"""config.toml -> `Config`: every option declared once with its type and default, every problem
reported with its dotted key path, all at once.

Paths in the file, and every default path, are relative to the config file's own folder, so a
site builds the same from any working directory (a cron job started in $HOME included).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, TypeVar, get_args, get_origin
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .datatype import datatype
from .errors import ConfigError
from .output import MANIFEST, TMP_PREFIX
from .sites import GENERATORS, OWN_CONFIG, GeneratorName, SiteSettings
from .tables import Check, Invalid, Limits, Table, given, kept, names_of, replace, validate

FeedFormat = Literal["rss", "atom", "json"]
Grouping = Literal["series", "categories", "tags", "authors", "sections"]
AddressFeed = Literal["site", "sections", "series", "categories", "tags", "authors"]
ContentMode = Literal["full", "summary"]
TemplateSyntax = Literal["hugo", "jekyll", "zola", "none"]
ALL_FORMATS: tuple[FeedFormat, ...] = ("rss", "atom", "json")
ALL_GROUPINGS: tuple[Grouping, ...] = ("series", "categories", "tags", "authors")
PERMALINK_FIELDS = frozenset({"year", "month", "day", "slug", "section"})
# The tokens of an item id template (`[feeds] id_template`), see `feeds.items.item_id`.
ID_FIELDS = ("permalink", "base_url", "path", "dir", "slug", "year", "month", "day")
# The placeholder of a feed address pattern, by what the address holds.
ADDRESS_FIELDS: dict[str, str | None] = {
    "site": None,
    "sections": "section",
    "series": "term",
    "categories": "term",
    "tags": "term",
    "authors": "term",
}


_T = TypeVar("_T", bound=Table)
# Each table below is `@datatype(kw_only=True, eq=False, slots=False)`: `Table` compares them
# by value and hashes them by class, as they hold lists (see tables.Table).


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^/\s]+", value):
        raise ValueError(f"expected an absolute http(s) URL, got {json.dumps(value)}")
    return value


def _site_url(value: str) -> str:
    """`base_url` is joined with every path the site publishes: a query or a fragment would
    end up in the middle of every feed and item address."""
    _http_url(value)
    if re.search(r"\s", value):
        raise ValueError(f"must not contain whitespace, got {json.dumps(value)}")
    if "?" in value or "#" in value:  # an empty query or fragment too: `https://e.org/?`
        raise ValueError(
            f"must not have a query (?...) or a fragment (#...), got {json.dumps(value)}"
        )
    return value


def _env_name(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise ValueError(
            f"expected the name of an environment variable, got {json.dumps(value)} "
            "(put the secret itself in the environment, never in config.toml)"
        )
    return value


@datatype(kw_only=True, eq=False, slots=False)
class AuthorEntry(Table):
    name: str
    email: str | None = None
    url: str | None = None
    avatar: str | None = None


@datatype(kw_only=True, eq=False, slots=False)
class AuthorDetails(Table):
    email: str | None = None
    url: str | None = None
    avatar: str | None = None


def _base_url(value: str) -> str:
    return _site_url(value).rstrip("/") + "/"


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {json.dumps(value)}; use an IANA name such as "
            '"Europe/Lisbon" or "UTC"'
        ) from None
    return value


# A language tag (BCP 47, RFC 5646 section 2.1), which RSS, Atom's xml:lang and JSON Feed all
# ask for: subtags of up to 8 letters and digits after a language of 2 or 3 letters (ISO 639;
# the registry has no language subtag of 5 to 8 letters, which a name such as "English"
# would be), or `x-` for a private one and `i-` for the registry's grandfathered ones.
_LANGUAGE_TAG = re.compile(r"([a-zA-Z]{2,3}|[xXiI])(-[a-zA-Z0-9]{1,8})*")


def language_tag(value: str) -> str:
    """A language tag, with a locale's `_` as BCP 47's `-` (`en_US`: `en-US`, as Jekyll's and
    Hugo's configs often write it)."""
    tag = value.strip().replace("_", "-")
    if not _LANGUAGE_TAG.fullmatch(tag):
        raise ValueError(
            f"{json.dumps(value)} is not a language tag; use a BCP 47 tag such as "
            '"en", "en-GB" or "pt-BR"'
        )
    return tag


def _permalink(value: str) -> str:
    unknown = set(re.findall(r"{(\w*)}", value)) - PERMALINK_FIELDS
    if unknown:
        raise ValueError(
            f"unknown placeholder {{{sorted(unknown)[0]}}}; "
            "use {year}, {month}, {day}, {slug} and {section}"
        )
    if "{slug}" not in value:
        raise ValueError("the pattern must contain {slug}, or every post gets the same URL")
    return value


@datatype(kw_only=True, eq=False, slots=False)
class SiteTable(Table):
    generator: GeneratorName | None = None
    title: Annotated[str, Limits(min_length=1)]
    base_url: Annotated[str, Check(_base_url)]
    description: str = ""
    language: Annotated[str, Check(language_tag)] = "en"
    timezone: Annotated[str, Check(_timezone)] = "UTC"
    copyright: str | None = None
    icon: str | None = None
    logo: str | None = None
    authors: list[AuthorEntry] = dataclass_field(default_factory=list)
    permalink: Annotated[str, Check(_permalink)] = "/{section}/{slug}/"
    content_dir: str = "content"
    static_dir: str = "static"
    output_dir: str = "public"
    state_dir: str = ".syndicate"
    main_sections: list[str] = dataclass_field(default_factory=list)
    follow_links_outside: bool = False
    root_links: Literal["host", "base_url"] = "host"
    date_from_path: bool = False


@datatype(kw_only=True, eq=False, slots=False)
class MarkdownTable(Table):
    iframe_hosts: list[str] = dataclass_field(
        default_factory=lambda: [
            "www.youtube.com",
            "www.youtube-nocookie.com",
            "youtube.com",
            "player.vimeo.com",
        ]
    )
    # The template syntax of posts; None: the site generator's, else "none".
    template_syntax: TemplateSyntax | None = None
    # The site's own shortcode templates, relative to the config file (need not exist).
    shortcodes_dir: Annotated[str, Limits(min_length=1)] = "shortcodes"


@datatype(kw_only=True, eq=False, slots=False)
class FeedFilenames(Table):
    rss: str = "rss.xml"
    atom: str = "atom.xml"
    json_feed: str = "feed.json"
    keys: ClassVar[Mapping[str, str]] = {"json_feed": "json"}

    def for_format(self, fmt: FeedFormat) -> str:
        return {"rss": self.rss, "atom": self.atom, "json": self.json_feed}[fmt]


@datatype(kw_only=True, eq=False, slots=False)
class GroupTable(Table):
    content: ContentMode | None = None
    limit: Annotated[int, Limits(ge=0)] | None = None


def _id_template(value: str) -> str:
    unknown = [name for name in re.findall(r"{([^{}]*)}", value) if name not in ID_FIELDS]
    if unknown:
        tokens = ", ".join(f"{{{name}}}" for name in ID_FIELDS)
        raise ValueError(f"unknown token {{{unknown[0]}}}; use {tokens}")
    if not value.strip():
        raise ValueError("must not be empty: every item needs an id")
    return value


@datatype(kw_only=True, eq=False, slots=False)
class AddressTable(Table):
    """One entry of `[feeds.addresses]`: which feed is written at the address, and how."""

    feed: AddressFeed
    format: FeedFormat
    limit: Annotated[int, Limits(ge=0)] | None = None
    id_template: Annotated[str, Check(_id_template)] | None = None
    terms: Annotated[list[str], Limits(min_length=1)] | None = None
    # Whose posts the address holds on a multilingual site: a code of the site's languages
    # (checked against them once the generator's config is read); None: the default language.
    language: Annotated[str, Limits(min_length=1)] | None = None
    # For "sections": one file per section at any depth (`{section}` is its whole path), each
    # holding the posts filed directly in it (`Post.feed_sections`), not those of the sections
    # inside it; false: one file per top-level section, holding every post below it.
    nested: bool = False

    def __post_init__(self) -> None:
        if self.terms is not None and self.feed == "site":
            raise ValueError('`terms` needs a grouping feed ("sections", "tags", ...), not "site"')
        if self.terms is not None and not all(name.strip() for name in self.terms):
            # No post is filed under "": the posts of the content folder itself have no
            # section, so the file would never be written.
            raise ValueError(
                "`terms` holds an empty name, which names no term or section (the posts at the "
                'top of the content folder are in no section: "site" lists every post)'
            )
        if self.nested and self.feed != "sections":
            raise ValueError(f'`nested` is for "sections" feeds, not "{self.feed}"')


# --- the words syndicate writes itself -------------------------------------------------------

WORDS_PLACEHOLDER = re.compile(r"{([^{}]*)}")


def fill_words(text: str, **values: str) -> str:
    """`text` with each `{name}` replaced by `values[name]`, in one pass (a value is never read
    for placeholders itself); a brace that makes no placeholder stays as written."""
    return WORDS_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _placeholders(value: str, allowed: Sequence[str]) -> str:
    """`value`, when each of its placeholders is one of `allowed` (ValueError naming the
    first that is not)."""
    unknown = [name for name in WORDS_PLACEHOLDER.findall(value) if name not in allowed]
    if unknown and allowed:
        use = ", ".join(f"{{{name}}}" for name in allowed)
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use {use}")
    if unknown:
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; this text takes none")
    return value


# Characters XML cannot hold (XML 1.0 `Char`): a label holding one would stop the build when the
# feed or the OPML file is written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str | PluralWords) -> str | PluralWords:
    """`value`, when XML can hold each of its words (ValueError naming the first character
    it cannot)."""
    for text in value.forms() if isinstance(value, PluralWords) else [value]:
        bad = _NOT_XML.search(text)
        if bad:
            code = f"U+{ord(bad.group()):04X}"
            raise ValueError(f"must not hold the control character {code}; remove it")
    return value


@datatype(kw_only=True, eq=False, slots=False)
class PluralWords(Table):
    """Words that hold a number, in each plural form of CLDR the language has (English: `one`,
    `other`); a form left out is written as `other`."""

    zero: str | None = None
    one: str | None = None
    two: str | None = None
    few: str | None = None
    many: str | None = None
    other: str

    def forms(self) -> list[str]:
        return [v for v in (self.zero, self.one, self.two, self.few, self.many, self.other) if v]


def _label(value: str | PluralWords, allowed: Sequence[str] | None) -> str | PluralWords:
    """`value`, when XML can hold each of its words and each placeholder in them is one of
    `allowed` (None: braces are written as they are). Raises ValueError."""
    _xml_text(value)
    if allowed is not None:
        for text in value.forms() if isinstance(value, PluralWords) else [value]:
            _placeholders(text, allowed)
    return value


def _plural(one: str, other: str) -> PluralWords:
    return PluralWords(one=one, other=other)


# The English defaults of the labels that hold a number.
_POSTS = _plural("{count} post", "{count} posts")
_MORE_POSTS = _plural("And {count} more post this week", "And {count} more posts this week")
_MORE_POSTS_TEXT = _plural("And {count} more post", "And {count} more posts")
_PREHEADER = _plural("{count} new post: {titles}", "{count} new posts: {titles}")
_SUBJECT_MORE = _plural("and {count} more", "and {count} more")
_ARCHIVE_POSTS = _POSTS


# What each placeholder of a term or section feed's title and description stands for.
FEED_WORDS = ("site", "label", "name")
# The placeholders each label of the feeds page and the OPML file may hold.
FEED_PAGE_WORDS: dict[str, tuple[str, ...]] = {
    "title": FEED_WORDS,
    "description": FEED_WORDS,
    "page_title": ("site",),
    "follow": ("site",),
    "page_intro": ("opml",),
    "opml_link": (),
    "everything": (),
    "site_group": (),
    "posts": ("count",),
    "site_owners": (),
    "paste": ("head",),
    "other_languages": (),
    "newsletter": (),
    "opml_title": ("site",),
}


@datatype(kw_only=True, eq=False, slots=False)
class FeedLabels(Table):
    """`[feeds.labels]`: how the feeds of a term or a section are titled and described, and
    the words of the feeds page (`feeds.html`) and the OPML file's head and headings."""

    series: Annotated[str, Limits(min_length=1)] = "Series"
    categories: Annotated[str, Limits(min_length=1)] = "Category"
    tags: Annotated[str, Limits(min_length=1)] = "Tag"
    authors: Annotated[str, Limits(min_length=1)] = "Author"
    sections: Annotated[str, Limits(min_length=1)] = "Section"
    title: Annotated[str, Limits(min_length=1)] = "{site} — {label}: {name}"
    description: Annotated[str, Limits(min_length=1)] = "{label} “{name}” on {site}"
    page_title: Annotated[str, Limits(min_length=1)] = "Feeds — {site}"
    follow: Annotated[str, Limits(min_length=1)] = "Follow {site}"
    page_intro: str = (
        "Copy a feed's address into your feed reader, or import {opml}. Each feed comes in "
        "several formats: pick one, they hold the same posts."
    )
    opml_link: Annotated[str, Limits(min_length=1)] = "every feed at once (OPML)"
    everything: Annotated[str, Limits(min_length=1)] = "Everything"
    site_group: Annotated[str, Limits(min_length=1)] = "Site"
    posts: PluralWords = _POSTS
    site_owners: Annotated[str, Limits(min_length=1)] = "For site owners"
    paste: str = "Paste this into the {head} of your pages so browsers and readers find the feeds:"
    other_languages: Annotated[str, Limits(min_length=1)] = "Other languages"
    newsletter: Annotated[str, Limits(min_length=1)] = "Newsletter"
    opml_title: Annotated[str, Limits(min_length=1)] = "{site} — all feeds"

    @classmethod
    def check_field(cls, name: str, value: Any) -> Any:
        # A grouping's word (not in FEED_PAGE_WORDS) takes no placeholders: its braces stay.
        return _label(value, FEED_PAGE_WORDS.get(name))

    def label(self, kind: str) -> str:
        """The word for a grouping (`tags`: "Tag")."""
        return str(getattr(self, kind))


@datatype(kw_only=True, eq=False, slots=False)
class FeedsLanguageTable(Table):
    """`[feeds.language.<code>]`: the feeds in that language."""

    labels: FeedLabels = dataclass_field(default_factory=FeedLabels)


def over(base: _T, table: _T | None) -> _T:
    """`base` with the keys `table` sets (a key it leaves out keeps `base`'s value)."""
    if table is None:
        return base
    return replace(base, **{key: getattr(table, key) for key in given(table)})


def _tag_authority(value: str) -> str:
    # RFC 4151: taggingEntity = authorityName "," date
    if not re.fullmatch(r"[\w.@-]+,\d{4}(-\d{2}(-\d{2})?)?", value):
        raise ValueError(
            f'expected "domain,YYYY" or "domain,YYYY-MM-DD" (RFC 4151), got {json.dumps(value)}'
        )
    return value


def _legacy(value: dict[str, FeedFormat]) -> dict[str, FeedFormat]:
    for name in value:
        if name.startswith("/") or ".." in name.split("/"):
            raise ValueError(f"{json.dumps(name)} must be a path inside the output folder")
    return value


def _some_formats(value: list[FeedFormat]) -> list[FeedFormat]:
    if not value:
        raise ValueError('list at least one of "rss", "atom" and "json"')
    return value


@datatype(kw_only=True, eq=False, slots=False)
class FeedsTable(Table):
    limit: Annotated[int, Limits(ge=0)] = 20
    formats: Annotated[list[FeedFormat], Check(_some_formats)] = dataclass_field(
        default_factory=lambda: list(ALL_FORMATS)
    )
    groupings: list[Grouping] = dataclass_field(default_factory=lambda: list(ALL_GROUPINGS))
    content: ContentMode = "full"
    groups: dict[Grouping, GroupTable] = dataclass_field(default_factory=dict)
    id: Literal["permalink", "tag"] = "permalink"
    id_template: Annotated[str, Check(_id_template)] = "{permalink}"
    tag_authority: Annotated[str, Check(_tag_authority)] | None = None
    filenames: FeedFilenames = dataclass_field(default_factory=FeedFilenames)
    legacy: Annotated[dict[str, FeedFormat], Check(_legacy)] = dataclass_field(default_factory=dict)
    addresses: dict[str, AddressTable] = dataclass_field(default_factory=dict)
    stylesheet: bool = True
    opml_format: FeedFormat = "atom"
    hub: Annotated[str, Check(_http_url)] | None = None
    archives: bool = False
    archive_size: Annotated[int, Limits(ge=1)] = 50
    labels: FeedLabels = dataclass_field(default_factory=FeedLabels)
    language: dict[str, FeedsLanguageTable] = dataclass_field(default_factory=dict)

    def labels_for(self, code: str) -> FeedLabels:
        """The labels of the feeds in the language `code`: its `[feeds.language.<code>]`
        labels, each one it leaves out `[feeds.labels]`'s."""
        table = self.language.get(code)
        return over(self.labels, table.labels if table is not None else None)


@datatype(kw_only=True, eq=False, slots=False)
class UtmTable(Table):
    source: str = "newsletter"
    medium: str = "email"
    campaign: str = "digest-{id}"


# An address plainly valid: `box@example.org`, or a name of words and `<box@example.org>`.
# email.utils reads every other (a property test holds it to accepting these): importing the
# email package took ~5 ms of every build's start with no config kept from the last.
_BOX = r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
_PLAIN_ADDRESS = re.compile(rf"{_BOX}|[A-Za-z0-9]+(?: [A-Za-z0-9]+)* <{_BOX}>")


def _address(value: str) -> str:
    if _PLAIN_ADDRESS.fullmatch(value):
        return value
    import email.utils

    _name, addr = email.utils.parseaddr(value)
    if "@" not in addr or "\n" in value or "\r" in value:
        raise ValueError(
            f'expected an email address like "Site <news@example.org>", got {json.dumps(value)}'
        )
    return value


# Who receives a digest, by transport: the keys of its `[delivery.<name>]` table that name the
# audience (a `[digest.language.<code>]` table gives its own). The outbox and the webhook have
# none: the folder or the receiver decides. Buttondown's is every subscriber of the newsletter.
AUDIENCE: dict[str, tuple[str, ...]] = {
    "smtp": ("to", "recipients_file"),
    "postmark": ("recipients_file",),
    "resend": ("segment_id", "recipients_file"),
    "mailgun": ("list_address", "recipients_file"),
    "sendgrid": ("recipients_file",),
    "listmonk": ("lists",),
    "buttondown": (),
}


# The placeholders each digest label may hold.
DIGEST_WORDS: dict[str, tuple[str, ...]] = {
    "series_heading": ("name",),
    "category_heading": ("name",),
    "other_heading": (),
    "read_post": ("title",),
    "read_more": (),
    "more_posts": ("count",),
    "more_posts_text": ("count",),
    "view_online": (),
    "subscribed": ("site",),
    "follow": (),
    "unsubscribe": (),
    "preheader": ("count", "titles"),
    "subject_more": ("count",),
    "subject_empty": (),
    "archive_title": ("site",),
    "archive_description": ("site",),
    "archive_intro": ("site", "feeds", "all_feeds"),
    "all_feeds": (),
    "archive_posts": ("count",),
}
# The words of the digests' feed and index page, which list the default language's digests.
ARCHIVE_WORDS = (
    "archive_title",
    "archive_description",
    "archive_intro",
    "all_feeds",
    "archive_posts",
)


@datatype(kw_only=True, eq=False, slots=False)
class DigestLabels(Table):
    """`[digest.labels]`: the words of the built-in templates, and of the group headings and
    the preheader, which are made in code; and of the digests' feed and index page."""

    series_heading: str = "Series: {name}"
    category_heading: str = "{name}"
    other_heading: str = "More posts"
    read_post: str = "Read “{title}”"
    read_more: str = "Read more"
    more_posts: PluralWords = _MORE_POSTS
    more_posts_text: PluralWords = _MORE_POSTS_TEXT
    view_online: str = "View in your browser"
    subscribed: str = "You get this email because you subscribed to {site}."
    follow: str = "Follow by feed or email"
    unsubscribe: str = "Unsubscribe"
    preheader: PluralWords = _PREHEADER
    subject_more: PluralWords = _SUBJECT_MORE
    subject_empty: str = "no new posts this week"
    # The digests' feed and its index page, digests/index.html.
    archive_title: str = "{site} — Newsletter"
    archive_description: str = "Every digest email of {site}"
    archive_intro: str = (
        "Every digest email of {site}, newest first. Follow them by feed: {feeds}, or see "
        "{all_feeds}."
    )
    all_feeds: str = "every feed"
    archive_posts: PluralWords = _ARCHIVE_POSTS

    @classmethod
    def check_field(cls, name: str, value: Any) -> Any:
        return _label(value, DIGEST_WORDS[name])


@datatype(kw_only=True, eq=False, slots=False)
class DigestLanguageTable(Table):
    """`[digest.language.<code>]`: what the digest in that language says, and who gets it."""

    subject: str | None = None
    intro: str | None = None
    outro: str | None = None
    templates_dir: str | None = None
    to: Annotated[str, Check(_address)] | None = None
    recipients_file: str | None = None
    segment_id: str | None = None
    list_address: str | None = None
    lists: Annotated[list[int], Limits(min_length=1)] | None = None
    labels: DigestLabels | None = None


def _list_unsubscribe(value: list[str]) -> list[str]:
    for uri in value:
        if not re.match(r"^(https://|mailto:)\S+$", uri):
            raise ValueError(f"expected https:// or mailto: URIs, got {json.dumps(uri)}")
    return value


@datatype(kw_only=True, eq=False, slots=False)
class DigestTable(Table):
    keys: ClassVar[Mapping[str, str]] = {"sender": "from"}

    templates_dir: str = "email_templates"
    outbox_dir: str = "outbox"
    sender: Annotated[str, Check(_address)] | None = None
    to: Annotated[str, Check(_address)] | None = None
    reply_to: Annotated[str, Check(_address)] | None = None
    intro: str = ""
    outro: str = ""
    group_by: Literal["series", "category", "none"] = "series"
    max_posts: Annotated[int, Limits(ge=1)] = 12
    min_posts: Annotated[int, Limits(ge=1)] = 1
    summary_length: Annotated[int, Limits(ge=0)] = 280
    image_width: Annotated[int, Limits(ge=50, le=600)] = 560
    postal_address: str = ""
    unsubscribe_url: str | None = None
    list_unsubscribe: Annotated[list[str], Check(_list_unsubscribe)] = dataclass_field(
        default_factory=list
    )
    list_unsubscribe_post: bool = False
    utm: UtmTable | None = None
    size_limit_kb: Annotated[int, Limits(ge=1)] = 102
    languages: list[str] = dataclass_field(default_factory=list)
    language: dict[str, DigestLanguageTable] = dataclass_field(default_factory=dict)
    labels: DigestLabels = dataclass_field(default_factory=DigestLabels)


def one_click_problems(digest: DigestTable) -> list[str]:
    """RFC 8058's one-click unsubscribe is a POST to the header's https URI: asked for with
    mailto: URIs only, the header would be left out without a word. (With no URI at all there
    is no header; a send to subscribers says what it needs, see delivery.unsubscribe.)"""
    uris = digest.list_unsubscribe
    if digest.list_unsubscribe_post and uris and not any(u.startswith("https://") for u in uris):
        return [
            "digest.list_unsubscribe_post: true needs an https:// URI in "
            "digest.list_unsubscribe (one-click unsubscribe is a POST to it); add one, or "
            "set list_unsubscribe_post = false"
        ]
    return []


def digest_language_problems(parsed: ConfigFile, derived: SiteSettings | None) -> list[str]:
    """Problems with `[digest] languages` and `[digest.language.<code>]`: each code must be one
    of the site's other languages, and each language's digest needs an audience of its own
    wherever the transport has one (else it would reach the default language's readers)."""
    digest = parsed.digest
    site = [lang.code for lang in derived.languages] if derived and derived.languages else []
    codes = site or [parsed.site.language]
    problems: list[str] = []
    for i, code in enumerate(digest.languages):
        key, shown = f"digest.languages[{i}]", json.dumps(code, ensure_ascii=False)
        if code == codes[0]:
            problems.append(
                f"{key}: {shown} is the site's default language, whose digest is always made; "
                "list only the other languages"
            )
        elif code not in codes:
            problems.append(
                f"{key}: {shown} is not one of the site's languages ({', '.join(codes)})"
            )
        elif code in digest.languages[:i]:
            problems.append(f"{key}: {shown} is listed twice")
    for code, table in digest.language.items():
        for name in ("templates_dir", "recipients_file"):
            if "\0" in (getattr(table, name) or ""):
                problems.append(f"{_language_key(code)}.{name}: must not contain a NUL character")
        set_here = given(table.labels) if table.labels is not None else frozenset()
        problems += [
            f"{_language_key(code)}.labels.{key}: the digests' feed and index page list the "
            "default language's digests; set it in [digest.labels]"
            for key in ARCHIVE_WORDS
            if key in set_here
        ]
        if code not in digest.languages:
            problems.append(
                f"{_language_key(code)}: {json.dumps(code, ensure_ascii=False)} is not in "
                "digest.languages; add it there or remove this table"
            )
    return problems or _audience_problems(parsed)


def _language_key(code: str) -> str:
    return "digest.language." + (code if re.fullmatch(r"[\w-]+", code) else json.dumps(code))


def _audience_problems(parsed: ConfigFile) -> list[str]:
    transport = parsed.delivery.transport
    audience = AUDIENCE.get(transport)
    if audience is None or not parsed.digest.languages:
        return []
    if not audience:
        return [
            f"digest.languages: {transport} sends every digest to all the newsletter's "
            "subscribers, so each language's digest would reach every reader; use a transport "
            "with an audience per language (a recipients file, a list or a segment)"
        ]
    keys = " or ".join(f"`{key}`" for key in audience)
    return [
        f"{_language_key(code)}: the {transport} transport needs {keys} here: who receives the "
        f"{code} digest (without it, that digest would go to the default language's readers)"
        for code in parsed.digest.languages
        if not any(getattr(parsed.digest.language.get(code), key, None) for key in audience)
    ]


TransportName = Literal[
    "outbox",
    "webhook",
    "buttondown",
    "postmark",
    "resend",
    "mailgun",
    "sendgrid",
    "listmonk",
    "smtp",
]


@datatype(kw_only=True, eq=False, slots=False)
class RetryTable(Table):
    attempts: Annotated[int, Limits(ge=1)] = 5
    total_seconds: Annotated[float, Limits(gt=0)] = 120.0
    wait_initial: Annotated[float, Limits(ge=0)] = 1.0
    wait_max: Annotated[float, Limits(ge=0)] = 30.0


@datatype(kw_only=True, eq=False, slots=False)
class OutboxTransportTable(Table):
    folder: str = "sent"


@datatype(kw_only=True, eq=False, slots=False)
class WebhookTable(Table):
    url: Annotated[str, Check(_http_url)]
    secret_env: Annotated[str, Check(_env_name)] = "SYNDICATE_WEBHOOK_SECRET"


@datatype(kw_only=True, eq=False, slots=False)
class SmtpTable(Table):
    host: str
    port: Annotated[int, Limits(ge=1, le=65535)] = 587
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password_env: Annotated[str, Check(_env_name)] | None = None
    to: Annotated[str, Check(_address)] | None = None
    recipients_file: str | None = None
    suppression_file: str | None = None
    unsubscribe_mailto: str | None = None
    ca_file: str | None = None


@datatype(kw_only=True, eq=False, slots=False)
class ProviderTable(Table):
    """What every email provider's table takes."""

    api_base: Annotated[str, Check(_http_url)] | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            if field.name.endswith("_env"):
                _env_name(getattr(self, field.name))


@datatype(kw_only=True, eq=False, slots=False)
class RecipientsMixin(Table):
    recipients_file: str | None = None
    suppression_file: str | None = None


@datatype(kw_only=True, eq=False, slots=False)
class ButtondownTable(ProviderTable):
    api_key_env: str = "BUTTONDOWN_API_KEY"
    draft: bool = False
    api_version: str = "2026-04-01"


@datatype(kw_only=True, eq=False, slots=False)
class PostmarkTable(ProviderTable, RecipientsMixin):
    server_token_env: str = "POSTMARK_SERVER_TOKEN"
    message_stream: str = "broadcast"


@datatype(kw_only=True, eq=False, slots=False)
class ResendTable(ProviderTable, RecipientsMixin):
    api_key_env: str = "RESEND_API_KEY"
    segment_id: str | None = None


@datatype(kw_only=True, eq=False, slots=False)
class MailgunTable(ProviderTable, RecipientsMixin):
    api_key_env: str = "MAILGUN_API_KEY"
    domain: str
    region: Literal["us", "eu"] = "us"
    list_address: str | None = None


@datatype(kw_only=True, eq=False, slots=False)
class SendgridTable(ProviderTable, RecipientsMixin):
    api_key_env: str = "SENDGRID_API_KEY"
    region: Literal["global", "eu"] = "global"
    asm_group_id: int | None = None


@datatype(kw_only=True, eq=False, slots=False)
class ListmonkTable(ProviderTable):
    username: str
    token_env: str = "LISTMONK_API_TOKEN"
    lists: Annotated[list[int], Limits(min_length=1)]
    template_id: int | None = None


@datatype(kw_only=True, eq=False, slots=False)
class DeliveryTable(Table):
    transport: TransportName = "outbox"
    ledger: str = ".syndicate/state.db"
    timeout: Annotated[float, Limits(gt=0)] = 30.0
    connect_timeout: Annotated[float, Limits(gt=0)] = 10.0
    deadline: Annotated[float, Limits(gt=0)] = 60.0
    lock_wait: Annotated[float, Limits(ge=0)] = 0.0
    check_web_version: bool = False
    retry: RetryTable = dataclass_field(default_factory=RetryTable)
    outbox: OutboxTransportTable = dataclass_field(default_factory=OutboxTransportTable)
    webhook: WebhookTable | None = None
    smtp: SmtpTable | None = None
    buttondown: ButtondownTable | None = None
    postmark: PostmarkTable | None = None
    resend: ResendTable | None = None
    mailgun: MailgunTable | None = None
    sendgrid: SendgridTable | None = None
    listmonk: ListmonkTable | None = None

    def __post_init__(self) -> None:
        table = getattr(self, self.transport, None)
        if self.transport != "outbox" and table is None:
            raise ValueError(
                f'transport "{self.transport}" needs a [delivery.{self.transport}] table'
            )
        audience = {
            "postmark": ("recipients_file",),
            "sendgrid": ("recipients_file",),
            "resend": ("segment_id", "recipients_file"),
            "mailgun": ("list_address", "recipients_file"),
        }.get(self.transport)
        if audience and not any(getattr(table, key) for key in audience):
            raise ValueError(
                f"[delivery.{self.transport}] needs "
                + " or ".join(f"`{key}`" for key in audience)
                + ": who receives the digest"
            )


def _adopt(value: list[str]) -> list[str]:
    for pattern in value:
        if not pattern or pattern.startswith("/") or ".." in pattern.split("/"):
            raise ValueError(
                f"{json.dumps(pattern)} must be a glob relative to the output folder, "
                'e.g. "index.xml" or "**/index.xml"'
            )
    return value


@datatype(kw_only=True, eq=False, slots=False)
class OutputTable(Table):
    adopt: Annotated[list[str], Check(_adopt)] = dataclass_field(default_factory=list)


@datatype(kw_only=True, eq=False, slots=False)
class BuildTable(Table):
    workers: Annotated[int, Limits(ge=0)] = 0
    cache: bool = True


@datatype(kw_only=True, eq=False, slots=False)
class ConfigFile(Table):
    site: SiteTable
    authors: dict[str, AuthorDetails] = dataclass_field(default_factory=dict)
    markdown: MarkdownTable = dataclass_field(default_factory=MarkdownTable)
    feeds: FeedsTable = dataclass_field(default_factory=FeedsTable)
    digest: DigestTable = dataclass_field(default_factory=DigestTable)
    delivery: DeliveryTable = dataclass_field(default_factory=DeliveryTable)
    build: BuildTable = dataclass_field(default_factory=BuildTable)
    output: OutputTable = dataclass_field(default_factory=OutputTable)


@datatype
class Config:
    """The validated configuration, with every path resolved against the config file's folder."""

    path: Path
    site: SiteTable
    authors: Mapping[str, AuthorDetails]
    markdown: MarkdownTable
    feeds: FeedsTable
    digest: DigestTable
    delivery: DeliveryTable
    build: BuildTable
    output: OutputTable = dataclass_field(default_factory=OutputTable)
    # The site generator's config, read at every build (None without `[site] generator`).
    generator: SiteSettings | None = None
    # Which of the generator's config overrides were read ("production"; `serve`: "development").
    environment: str = "production"

    @property
    def root(self) -> Path:
        return self.path.parent

    def settings_bytes(self) -> bytes:
        """The bytes of every settings file a build reads: this file, then each file of the
        site generator's config, named. A change to any of them defeats the build's "nothing
        changed" shortcut and its cached feed plan."""
        parts = [self.path.read_bytes()]
        if self.generator is not None:  # a development build is never taken for a production one
            parts.append(f"\0environment={self.environment}".encode())
        for file in self.generator.files if self.generator else ():
            parts.extend((b"\0", os.fsencode(file), b"\0", file.read_bytes()))
        return b"".join(parts)

    def _resolve(self, value: str) -> Path:
        return resolved(self.root, value)

    @property
    def content_dir(self) -> Path:
        return self._resolve(self.site.content_dir)

    @property
    def static_dir(self) -> Path:
        return self._resolve(self.site.static_dir)

    @property
    def output_dir(self) -> Path:
        return self._resolve(self.site.output_dir)

    @property
    def state_dir(self) -> Path:
        return self._resolve(self.site.state_dir)

    @property
    def outbox_dir(self) -> Path:
        return self._resolve(self.digest.outbox_dir)

    @property
    def templates_dir(self) -> Path:
        return self._resolve(self.digest.templates_dir)

    @property
    def ledger_path(self) -> Path:
        return self._resolve(self.delivery.ledger)

    def path_of(self, value: str) -> Path:
        """A path from the config file, resolved against its folder."""
        return self._resolve(value)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)

    @property
    def base_url(self) -> str:
        return self.site.base_url


def load_config(path: Path, environment: str = "production") -> Config:
    """Read and validate the config file, and the site generator's config it names (merged
    for `environment`, see `sites`). Raises `ConfigError` listing every problem found."""
    label = str(path)
    path = path.expanduser().resolve()
    try:
        raw = read_toml(path, label)
    except ConfigError:
        if path.suffix.lower() != ".toml":  # a Jekyll _config.yml, Hugo's hugo.yaml
            _refuse_generators_own(path, label)
        raise  # a TOML file that cannot be read: whose it is, its error says best
    if "site" not in raw:
        _refuse_generators_own(path, label)
    derived = _generator_settings(raw, path.parent, environment)
    written = raw.get("site")
    own = set(written) if isinstance(written, dict) else set()
    if derived is not None and isinstance(written, dict):
        raw["site"] = {**derived.site, **written}
    parsed = _validated(raw, path, label, derived, own)
    problems = [f"{label}: {line}" for line in check_paths(path, parsed)]
    problems += [f"{label}: {line}" for line in address_languages(parsed, derived)]
    problems += [f"{label}: {line}" for line in feed_language_problems(parsed, derived)]
    problems += [f"{label}: {line}" for line in digest_language_problems(parsed, derived)]
    problems += [f"{label}: {line}" for line in one_click_problems(parsed.digest)]
    problems += [f"{label}: {line}" for line in _date_from_path_problems(parsed, derived)]
    if problems:
        raise ConfigError(problems[0], problems)
    derived = _with_date_from_path(derived, parsed.site.date_from_path)
    return Config(
        path=path,
        site=parsed.site,
        authors=parsed.authors,
        markdown=parsed.markdown,
        feeds=parsed.feeds,
        digest=parsed.digest,
        delivery=parsed.delivery,
        build=parsed.build,
        output=parsed.output,
        generator=_rebased(derived, parsed.site.base_url),
        environment=environment,
    )


def _refuse_generators_own(path: Path, label: str) -> None:
    """`path` is a site generator's own config (`--config` given Zola's config.toml, say): say
    so, rather than list every key of it syndicate does not know. Raises ConfigError."""
    from .sites import detect
    from .sites.init import LABELS

    found = detect(path.parent)
    if found is not None and found[1].resolve() == path:
        raise ConfigError(
            f"{label}: this is {LABELS[found[0]]}'s config, not syndicate's; run `syndicate "
            "init` in its folder, then build there (or pass --config its syndicate.toml)",
            hint="init writes syndicate.toml, which reads this config at every build",
        )


def _validated(
    raw: dict[str, Any], path: Path, label: str, derived: SiteSettings | None, own: set[str]
) -> ConfigFile:
    """`raw` as a ConfigFile, kept in the state folder for the next run (see `tables`)."""
    store = _store(raw, path.parent)
    try:
        return kept(store, raw, ConfigFile) if store else validate(ConfigFile, raw)
    except Invalid as exc:
        lines, hints = _describe(exc.errors)
        problems = [_labelled(line, label, derived, own) for line in lines]
        hinted = {_labelled(line, label, derived, own): hint for line, hint in hints.items()}
        for line, problem in zip(lines, problems, strict=True):
            overriding = _override_hint(line, label, derived, own)
            if overriding and problem not in hinted:
                hinted[problem] = overriding
        raise ConfigError(problems[0], problems, hints=hinted) from None
    except RecursionError:
        raise ConfigError(f"{label}: values nested too deeply") from None


def _store(raw: dict[str, Any], root: Path) -> Path | None:
    """Where `kept` keeps the tables: in the state folder the file names, when that is a path
    at all (a state_dir with a NUL is reported once the tables are made, see `check_paths`)."""
    site = raw.get("site")
    state = site.get("state_dir", SiteTable.state_dir) if isinstance(site, dict) else None
    if not isinstance(state, str):
        state = SiteTable.state_dir
    try:
        return resolved(root, state) / "config.marshal"
    except (OSError, RuntimeError, ValueError):
        return None


# Looked for, in this order, in the folder a command runs in: syndicate's own name, then the
# name the first releases used (which is also Hugo's and Zola's: only one with [site] is ours).
CONFIG_NAMES = (OWN_CONFIG, "config.toml")


def find_config(folder: Path) -> Path:
    """The config file of the site in `folder`. Raises ConfigError when there is none: a
    folder holding only a site generator's config is told to run `syndicate init`."""
    ours = folder / CONFIG_NAMES[0]
    if ours.is_file():
        return ours
    shared = folder / CONFIG_NAMES[1]
    if shared.is_file() and _is_ours(shared):
        return shared
    from .sites import detect
    from .sites.init import LABELS

    found = detect(folder)
    if found is not None:
        raise ConfigError(
            f"{found[1]}: this looks like a {LABELS[found[0]]} site; run `syndicate init`",
            hint="init writes syndicate.toml, which reads this config at every build",
        )
    raise ConfigError(
        f"{ours}: no such file; run in a site folder, pass --config PATH, or run "
        "`syndicate init` to write one"
    )


def _is_ours(path: Path) -> bool:
    """A config.toml is syndicate's when it has a [site] table (Hugo's and Zola's have none);
    one that cannot be read is taken as ours, so that reading it reports why."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True
    return isinstance(raw.get("site"), dict)


def _date_from_path_problems(parsed: ConfigFile, derived: SiteSettings | None) -> list[str]:
    if not parsed.site.date_from_path or (derived is not None and derived.generator == "zola"):
        return []
    return [
        "site.date_from_path: read on Zola sites only (a `path` front-matter key is Zola's); "
        "remove it"
    ]


def _with_date_from_path(derived: SiteSettings | None, on: bool) -> SiteSettings | None:
    """The Zola rules with `date_from_path` on: a setting of syndicate's that reading each post
    needs, so it travels with the generator's own (and is part of the cache's key)."""
    if derived is None or not on:
        return derived
    settings = (*derived.rules.settings, ("date_from_path", "true"))
    return dataclasses.replace(derived, rules=dataclasses.replace(derived.rules, settings=settings))


def _rebased(derived: SiteSettings | None, base_url: str) -> SiteSettings | None:
    """The generator's settings with its languages moved under `base_url` when syndicate's
    config overrides the generator's base URL (a deploy that sets it outside the config)."""
    if derived is None or not derived.languages:
        return derived
    written = str(derived.site.get("base_url", ""))
    old = written.rstrip("/") + "/" if written else ""
    if old == base_url:
        return derived
    languages = tuple(
        dataclasses.replace(lang, base_url=base_url + lang.base_url[len(old) :])
        if lang.base_url.startswith(old) and (old or "://" not in lang.base_url)
        else lang
        for lang in derived.languages
    )
    return dataclasses.replace(derived, languages=languages)


def read_toml(path: Path, label: str) -> dict[str, Any]:
    """The TOML file at `path`. Raises ConfigError naming it (`label`) and, for invalid TOML,
    the line and column."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{label}: no such file; check the path given to --config, or run in the "
            "site's folder without it"
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            f"{label}: a folder, not a config file; pass the file in it (syndicate.toml, or "
            "the config.toml with a [site] table), or run in that folder without --config"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{label}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {_toml_message(exc)}") from None
    except RecursionError:
        raise ConfigError(f"{label}: invalid TOML: arrays or tables nested too deeply") from None


def _generator_settings(raw: dict[str, Any], root: Path, environment: str) -> SiteSettings | None:
    """The generator's own config, when `[site] generator` names one (a bad name is left to
    validation, which lists the names)."""
    site = raw.get("site")
    name = site.get("generator") if isinstance(site, dict) else None
    if name not in GENERATORS:
        return None
    from .sites import generator

    return generator(name).read(root, environment)


def _labelled(line: str, label: str, derived: SiteSettings | None, own: set[str]) -> str:
    """A validation problem under the file that holds the value: the generator's config for a
    `[site]` value derived from it and not overridden in syndicate's own file."""
    key = line.split(":", 1)[0]
    name = _site_name(key)
    if derived is not None and name is not None:
        if name in derived.origins and name not in own:
            return f"{derived.origins[name]}: {line.split(': ', 1)[1]}"
        theirs = _GENERATOR_KEYS.get(name, {}).get(derived.generator)
        if theirs and line.endswith(": missing required key") and derived.files:
            one = len(derived.files) == 1
            where = derived.files[0].name if one else f"{derived.generator.title()}'s config"
            return (
                f"{label}: {key}: missing: {where} sets no `{theirs}`; set it there, or "
                f"`{name}` under [site] in {label}{_base_path_needed(derived, name)}"
            )
    return f"{label}: {line}"


def _override_hint(line: str, label: str, derived: SiteSettings | None, own: set[str]) -> str:
    """For a `[site]` value the generator's config gave, and syndicate's does not override:
    that syndicate's may (a deploy that gives the generator its base URL on the command
    line, with `baseURL = "/"` in the config); "" for any other problem."""
    name = _site_name(line.split(":", 1)[0])
    if derived is None or name is None or name not in derived.origins or name in own:
        return ""
    return f"fix it there, or set `{name}` under [site] in {label}: it wins over the generator's"


def _site_name(key: str) -> str | None:
    """The `[site]` key a validation problem's key is in (`site.base_url` -> `base_url`)."""
    if not key.startswith("site."):
        return None
    return key.removeprefix("site.").split(".", 1)[0].split("[", 1)[0]


def _base_path_needed(derived: SiteSettings, name: str) -> str:
    """A Jekyll site's `baseurl` is in its pages' addresses, and a `base_url` of syndicate's
    replaces `url` and `baseurl` both: one given as the missing `url` alone (the host) made
    every link and id miss the path."""
    settings = dict(derived.rules.settings) if derived.generator == "jekyll" else {}
    path = json.loads(settings.get("baseurl", '""'))
    if name != "base_url" or not path:
        return ""
    return f', with the baseurl: base_url = "https://<host>/{path}/"'


# The generators' own names of the `[site]` keys their config gives (`_labelled`).
_GENERATOR_KEYS = {
    "base_url": {"hugo": "baseURL", "jekyll": "url", "zola": "base_url"},
    "title": {"hugo": "title", "jekyll": "title", "zola": "title"},
}


# --- where the build writes ------------------------------------------------------------------

# What the build writes besides the feeds: no feed or legacy name may take their place.
BUILD_FOLDERS = ("series", "categories", "tags", "authors", "sections", "archive", "digests")
BUILD_FILES = ("feeds.opml", "feeds.html", "feed-style.xsl")
# Folders of group feeds, where an address may put files of its own beside syndicate's (Hugo's
# `tags/<term>/index.xml`): whether one takes a file of the build's is known only at build time.
GROUP_FOLDERS = frozenset({"series", "categories", "tags", "authors", "sections"})
PLACEHOLDER = re.compile(r"{([^{}]*)}")
RENAME_OWN = (
    "; give syndicate's own files another name in [feeds.filenames], or leave that format "
    "out of [feeds] formats"
)


def check_paths(path: Path, parsed: ConfigFile) -> list[str]:
    """Problems with the paths the config names: none may hold a NUL, the output folder holds
    nothing of the site's own, and no two written files (or a file and a folder) coincide."""
    keys = {
        "site.content_dir": parsed.site.content_dir,
        "site.static_dir": parsed.site.static_dir,
        "site.output_dir": parsed.site.output_dir,
        "site.state_dir": parsed.site.state_dir,
        "digest.templates_dir": parsed.digest.templates_dir,
        "digest.outbox_dir": parsed.digest.outbox_dir,
        "delivery.ledger": parsed.delivery.ledger,
    }
    nul = [f"{key}: must not contain a NUL character" for key, v in keys.items() if "\0" in v]
    return nul or [*_output_folder(path, parsed.site), *_feed_names(parsed.feeds)]


def resolved(root: Path, value: str) -> Path:
    """A path the config file names, relative to its folder `root`. Raises OSError,
    RuntimeError (a symbolic link loop) and ValueError (a NUL)."""
    return (root / Path(value).expanduser()).resolve()


def _output_folder(config_path: Path, site: SiteTable) -> list[str]:
    def resolve(value: str) -> Path:
        return resolved(config_path.parent, value)

    try:
        out = resolve(site.output_dir)
        if out.exists() and not out.is_dir():
            return [f"site.output_dir: {out} is a file; the output folder must be a folder"]
        own = {
            "the config file": config_path,
            "the content folder (site.content_dir)": resolve(site.content_dir),
            "the state folder (site.state_dir)": resolve(site.state_dir),
        }
        static = resolve(site.static_dir)
        if static.exists():
            own["the static folder (site.static_dir)"] = static
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
        return [f"site.output_dir: cannot resolve the site's folders: {exc}"]
    return [
        f"site.output_dir: {out} is or holds {what} ({where}); a build would publish or "
        'overwrite it: give the feeds a folder of their own, e.g. output_dir = "public"'
        for what, where in own.items()
        if where == out or where.is_relative_to(out)
    ] + _output_in_content(out, resolve(site.content_dir), site)


def _output_in_content(out: Path, content: Path, site: SiteTable) -> list[str]:
    """An output folder inside the content folder: the next build would read what this one
    wrote, and the site's generator publish it a second time. A Jekyll site's content folder
    is its source folder, which holds its `_site`: Jekyll and syndicate skip that one."""
    if out == content or not out.is_relative_to(content) or site.generator == "jekyll":
        return []
    return [
        f"site.output_dir: {out} is inside the content folder (site.content_dir, {content}); "
        "the next build would read what this one writes, and the site's generator publish it "
        'twice: give the feeds a folder beside it, e.g. output_dir = "public"'
    ]


def legacy_path(name: str, fmt: FeedFormat) -> str:
    """The file behind a legacy feed address: `feed/` is served from `feed/index.xml`."""
    if not name.endswith("/"):
        return name
    return name + ("index.json" if fmt == "json" else "index.xml")


def address_url(base_url: str, rel: str) -> str:
    """The URL of an address's file (or folder): its path is the file's, as written on disk,
    percent-encoded as Jekyll's URL class escapes a path (sub-delimiters, ":" and "@" kept)."""
    return base_url + quote(rel, safe="/!$&'()*+,;=:@")


def address_key(pattern: str) -> str:
    return f"feeds.addresses.{json.dumps(pattern, ensure_ascii=False)}"


def _feed_names(feeds: FeedsTable) -> list[str]:
    names = feed_names(feeds)
    for pattern, entry in sorted(feeds.addresses.items()):
        key = address_key(pattern)
        fault = _pattern_fault(pattern, entry)
        if fault is not None:
            names.problems.append(f"{key}: {fault}")
        elif PLACEHOLDER.search(pattern) is None:
            taken = not names.claim(key, legacy_path(pattern, entry.format), in_groups=True)
            if taken and "feeds.filenames." in names.problems[-1]:
                names.problems[-1] += RENAME_OWN
        else:
            names.claim_pattern(key, legacy_path(pattern, entry.format), _own_shapes(feeds))
    return names.problems


def feed_names(feeds: FeedsTable) -> PathClaims:
    """The paths that feed file names and legacy names claim (every problem in `problems`)."""
    names = PathClaims()
    for fmt in feeds.formats:
        key = f"feeds.filenames.{fmt}"
        name = feeds.filenames.for_format(fmt)
        if "/" in name or "\\" in name:
            names.problems.append(f"{key}: {json.dumps(name)} must be a file name, not a path")
        else:
            names.claim(key, name)
    if feeds.legacy:
        for name, fmt in sorted(feeds.legacy.items()):
            names.claim(f"feeds.legacy.{json.dumps(name)}", legacy_path(name, fmt))
    return names


def address_languages(parsed: ConfigFile, derived: SiteSettings | None) -> list[str]:
    """An address's `language` must be one of the site's: a code of the languages its
    generator declares, or on a one-language site that language's."""
    declared = derived.languages if derived is not None else ()
    codes = [lang.code for lang in declared] if len(declared) > 1 else [parsed.site.language]
    problems = []
    for pattern, entry in sorted(parsed.feeds.addresses.items()):
        if entry.language is not None and entry.language not in codes:
            what = "languages" if len(codes) > 1 else "one language"
            problems.append(
                f"{address_key(pattern)}.language: {json.dumps(entry.language)} is not a "
                f"language of the site (its {what}: {', '.join(codes)})"
            )
    return problems


def feed_language_problems(parsed: ConfigFile, derived: SiteSettings | None) -> list[str]:
    """Each `[feeds.language.<code>]` must name a language of the site (on a one-language
    site, that language)."""
    declared = derived.languages if derived is not None else ()
    codes = [lang.code for lang in declared] if len(declared) > 1 else [parsed.site.language]
    what = "languages" if len(codes) > 1 else "one language"
    return [
        f"feeds.language.{_code_key(code)}: {json.dumps(code, ensure_ascii=False)} is not a "
        f"language of the site (its {what}: {', '.join(codes)})"
        for code in parsed.feeds.language
        if code not in codes
    ]


def _code_key(code: str) -> str:
    return code if re.fullmatch(r"[\w-]+", code) else json.dumps(code, ensure_ascii=False)


def _pattern_fault(pattern: str, entry: AddressTable) -> str | None:
    """What is wrong with the placeholders of an address pattern, if anything."""
    found = PLACEHOLDER.findall(pattern)
    wanted = ADDRESS_FIELDS[entry.feed]
    unknown = [name for name in found if name not in ("term", "section")]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}}; an address may hold {{term}} or {{section}}"
    if wanted is None and found:
        return f'a "site" feed has one address: remove {{{found[0]}}}'
    if wanted is not None and not found and entry.terms is not None and len(entry.terms) == 1:
        return None  # one term's or section's file, at an address of its own
    if wanted is not None and found != [wanted]:
        return (
            f'a "{entry.feed}" feed needs {{{wanted}}} exactly once in its address (one file '
            f"per {'section' if wanted == 'section' else 'term'})"
        )
    return None


def _own_shapes(feeds: FeedsTable) -> set[str]:
    """The shapes of the group feeds' files, with `{}` for the term: `tags/{}/rss.xml`."""
    return {
        f"{grouping}/{{}}/{feeds.filenames.for_format(fmt)}"
        for grouping in feeds.groupings
        for fmt in feeds.formats
    }


class PathClaims:
    """Paths in the output folder that config keys claim: no two may name the same file, and no
    file may stand where the build needs a folder."""

    def __init__(self) -> None:
        self.files = {name: "a file the build writes" for name in BUILD_FILES}
        self.files[MANIFEST] = "the manifest of the files syndicate owns"
        self.folders = {name: "a folder the build writes" for name in BUILD_FOLDERS}
        self.shapes: dict[str, str] = {}
        self.problems: list[str] = []

    def own(self, rel: str, what: str) -> None:
        """A file the build itself writes there (taken, never refused)."""
        parts = rel.split("/")
        self.files.setdefault(rel, what)
        for i in range(1, len(parts)):
            self.folders.setdefault("/".join(parts[:i]), "a folder the build writes")

    def claim(self, key: str, rel: str, *, in_groups: bool = False, what: str = "") -> bool:
        """Take `rel` for `key`; False (and a problem) when it cannot be. With `in_groups`, a
        file inside a group feeds' folder is allowed (its name is checked at build time)."""
        fault = _bad_name(rel)
        parts = rel.split("/")
        parents = ["/".join(parts[:i]) for i in range(1, len(parts))]
        clash = next((p for p in parents if p in self.files), None)
        inside = len(parts) > 1 and parts[0] in BUILD_FOLDERS
        if fault is None and rel in self.files:
            fault = f"is already {self.files[rel]}"
        elif fault is None and rel in self.folders:
            fault = f"is {self.folders[rel]}; a file cannot take its place"
        elif fault is None and clash is not None:
            fault = f"needs a folder {json.dumps(clash)}, which is {self.files[clash]}"
        elif fault is None and inside and not (in_groups and parts[0] in GROUP_FOLDERS):
            fault = f"is inside {parts[0]}/, a folder the build fills with its own names"
        if fault is not None:
            self.problems.append(f"{key}: {json.dumps(rel, ensure_ascii=False)} {fault}")
            return False
        self.files[rel] = what or f"the file of {key}"
        self.folders.update({p: f"a folder of {key}" for p in parents})
        return True

    def claim_pattern(self, key: str, pattern: str, own_shapes: set[str]) -> None:
        """Check the literal parts of an address pattern: its folders that hold no placeholder
        may not be files, and no other pattern (or the group feeds' files) may have its shape.
        The files it names are checked as the build makes them."""
        shape = PLACEHOLDER.sub("{}", pattern)
        fault = _bad_name(PLACEHOLDER.sub("x", pattern))
        parts = pattern.split("/")
        literal = ["/".join(parts[:i]) for i in range(1, len(parts))]
        literal = [p for p in literal if PLACEHOLDER.search(p) is None]
        clash = next((p for p in literal if p in self.files), None)
        if fault is None and shape in self.shapes:
            fault = f"names the same files as {self.shapes[shape]}"
        elif fault is None and shape in own_shapes:
            fault = "names the files of syndicate's own group feeds" + RENAME_OWN
        elif fault is None and clash is not None:
            fault = f"needs a folder {json.dumps(clash)}, which is {self.files[clash]}"
        elif fault is None and parts[0] in BUILD_FOLDERS and parts[0] not in GROUP_FOLDERS:
            fault = f"is inside {parts[0]}/, a folder the build fills with its own names"
        if fault is not None:
            self.problems.append(f"{key}: {json.dumps(pattern, ensure_ascii=False)} {fault}")
            return
        self.shapes[shape] = key
        self.folders.update({p: f"a folder of {key}" for p in literal})


def _bad_name(rel: str) -> str | None:
    parts = rel.split("/")
    if not rel or rel.startswith(("/", "\\")):
        return "must be a path relative to the output folder"
    if any(part in ("", ".", "..") for part in parts):
        return "must not have empty, . or .. parts"
    if parts[-1].startswith(TMP_PREFIX):
        return f"must not start with {TMP_PREFIX}, the prefix of syndicate's temporary files"
    return None


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    # tomllib says "... (at line 3, column 9)": keep it, it is the line the user needs.
    return str(exc)


def _dotted(loc: Sequence[int | str]) -> str:
    out = ""
    if len(loc) > 2 and tuple(loc[:2]) == ("feeds", "addresses"):  # a path, dots and all
        return _dotted(["feeds.addresses", json.dumps(loc[2], ensure_ascii=False), *loc[3:]])
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _show(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


_EXPECTED = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "string_type": "a string",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a table",
    "dataclass_type": "a table",
    "dataclass_exact_type": "a table",
    "float_type": "a number",
}


def _describe(errors: list[dict[str, Any]]) -> tuple[list[str], dict[str, str]]:
    """Each problem pydantic found, as `key: what is wrong`, and the hints of some of them."""
    lines: list[str] = []
    hints: dict[str, str] = {}
    for err in errors:
        loc = [p for p in err["loc"] if not (isinstance(p, str) and "[" in p)]
        key = _dotted(loc)
        kind = err["type"]
        unknown = kind in ("extra_forbidden", "unexpected_keyword_argument")
        secret = _secret_hint(loc) if unknown else None
        if secret:
            lines.append(f"{key}: unknown key: a secret is never written in the config file")
            hints[lines[-1]] = secret
        elif unknown:
            lines.append(f"{key}: unknown key{_suggest(loc)}")
        elif kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
            lines.append(f"{key}: missing required key")
        elif kind in _EXPECTED:
            lines.append(f"{key}: expected {_EXPECTED[kind]}, got {_show(err['input'])}")
        elif kind in ("literal_error", "enum"):
            expected = err.get("ctx", {}).get("expected", "")
            lines.append(f"{key}: expected one of {expected}, got {_show(err['input'])}")
        elif kind == "value_error":
            lines.append(f"{key}: {err['ctx']['error']}")
        else:
            lines.append(f"{key}: {err['msg'].lower()}, got {_show(err['input'])}")
    return lines, hints


def _table_at(loc: Sequence[int | str]) -> type[Table] | None:
    """The table class that holds the key at `loc`, when the path is one of tables."""
    table: type[Table] | None = ConfigFile
    for part in loc[:-1]:
        annotation = names_of(table).get(str(part)) if table else None
        # An optional table (`smtp: SmtpTable | None`) is the table when it is given.
        kinds = get_args(annotation) if get_origin(annotation) else (annotation,)
        tables = [k for k in kinds if isinstance(k, type) and issubclass(k, Table)]
        table = tables[0] if len(tables) == 1 else None
    return table


def _secret_hint(loc: Sequence[int | str]) -> str | None:
    """What to do instead of `password = "..."` in a table that takes its secret from the
    variable `password_env` names; None for any other key."""
    table = _table_at(loc)
    name = f"{loc[-1]}_env"
    if table is None or name not in names_of(table):
        return None
    where = f"[{_dotted(loc[:-1])}]"
    fields = dataclasses.fields(table)  # type: ignore[arg-type]
    default = next(f.default for f in fields if table.key_of(f.name) == name)
    variable = (
        f'put the secret in the variable {default} (or set {name} = "SOME_VARIABLE" under '
        f"{where} and put it in that one)"
        if isinstance(default, str)
        else f'set {name} = "SOME_VARIABLE" under {where} and put the secret in that variable'
    )
    return (
        f"secrets are read only from environment variables: remove {loc[-1]} from the file, "
        f"{variable}; if the file was shared or committed, change the secret"
    )


def _suggest(loc: Sequence[int | str]) -> str:
    """A "did you mean" for a misspelt key, from the keys its table declares."""
    table = _table_at(loc)
    if table is None:
        return ""
    import difflib  # only for a config with a mistake

    names = list(names_of(table))
    close = difflib.get_close_matches(str(loc[-1]), names, n=1)
    return f" (did you mean {json.dumps(close[0])}?)" if close else ""
