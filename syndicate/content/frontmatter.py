"""Front-matter keys, declared once: each key's names, the function that normalises its value,
the line the README's key table gives it, and what `syndicate new` writes for it.

The loader reads every field through `KEYS`, `check` names keys and finds their lines by the
names written here, `new` writes a draft's keys in this order, and a test holds the README's
table equal to `readme_table()`. Normalisers raise `Invalid` naming the key as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Generic, Literal, NamedTuple, Protocol, TypeVar
from zoneinfo import ZoneInfo

from ..datatype import datatype
from ..dates import parse_datetime
from ..errors import kind_of
from ..model import Author


class Invalid(Exception):
    """One field of one post is unusable; the post is reported and skipped. `key` names the
    front-matter key, whose line the report gives when `line` is not known."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        hint: str | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint
        self.key = key


class RepeatedKey(Invalid):
    """A top-level key given twice in YAML front matter read by YAML 1.2's rules (Hugo's and
    Zola's); `lines`: where it is given first and again."""

    def __init__(self, key: str, lines: tuple[int, int]) -> None:
        super().__init__(
            f"{key}: given twice in the front matter (lines {lines[0]} and {lines[1]}); Zola "
            "refuses such a page",
            lines[1],
            "keep one of them",
        )
        self.repeated, self.lines = key, lines


class Site(Protocol):
    """What normalising needs from the site's settings (the loader's `ParseContext`)."""

    @property
    def tz(self) -> ZoneInfo: ...

    @property
    def default_authors(self) -> tuple[Author, ...]: ...

    @property
    def author_details(self) -> Mapping[str, Author]: ...

    @property
    def untitled(self) -> bool: ...


_T = TypeVar("_T")
Meta = Mapping[str, Any]
# A key's value from the front matter: the mapping, the key's names, the site's settings.
Normaliser = Callable[[Meta, tuple[str, ...], Site], _T]
# What `syndicate new` writes for a key: the title given, an empty text, the moment of "now",
# nothing (YAML only: TOML has no empty value), the site's authors, an empty list, `true`.
NewValue = Literal["title", "text", "now", "nothing", "authors", "list", "true"]


@datatype
class Key(Generic[_T]):
    """A front-matter key: its name, then its aliases (looked for in this order)."""

    names: tuple[str, ...]
    normalise: Normaliser[_T]
    doc: str
    new: NewValue | None = None

    @property
    def name(self) -> str:
        return self.names[0]

    def read(self, meta: Meta, site: Site) -> _T:
        """The normalised value. Raises Invalid."""
        return self.normalise(meta, self.names, site)

    def written(self, meta: Meta) -> str | None:
        """The first of the key's names present in `meta`, as the post wrote it."""
        return _first_written(meta, self.names)


def _first_written(meta: Meta, names: tuple[str, ...]) -> str | None:
    for key in names:  # a loop, not `next()` over a generator: this runs for every post
        if key in meta:
            return key
    return None


# ---------------------------------------------------------------------------------------------
# Normalisers


def kind(value: object) -> str:
    """How a message names a value of the wrong type."""
    return kind_of(value)


_SPACES = re.compile("[^\\S\u00a0\u2007\u202f]+")  # white space but the no-break spaces


def _title(meta: Meta, names: tuple[str, ...], site: Site) -> str:
    value = meta.get(names[0])
    if (value is None or isinstance(value, str)) and site.untitled:
        return _SPACES.sub(" ", value or "").strip(" ")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise Invalid("missing title", hint="add `title: ...` to the front matter", key="title")
    if isinstance(value, bool):
        raise Invalid(
            f"title is the YAML boolean {str(value).lower()}",
            hint='quote it as written: `title: "No"` (YAML reads yes, no, on, off as true/false)',
            key="title",
        )
    if isinstance(value, str | int | float):
        # Runs of white space made one space, but a no-break space (`&nbsp;` in a Jekyll
        # title), the author's, kept as jekyll-feed keeps it.
        return _SPACES.sub(" ", str(value)).strip(" ")
    raise Invalid(f"title must be text, got {kind(value)}", key="title")


def _date(meta: Meta, names: tuple[str, ...], site: Site) -> datetime | None:
    """The first of `names` present, as an aware datetime (None when empty)."""
    for key in names:
        if key in meta:
            tz = site.tz
            try:
                return in_range(parse_datetime(meta[key], tz), key, tz)
            except ValueError as exc:
                raise Invalid(f"{key}: {exc}", key=key) from None
    return None


def in_range(value: datetime | None, key: str, tz: ZoneInfo | None = None) -> datetime | None:
    """`value`, if it can be shown in UTC and in the site's time zone (`tz`), as every feed
    and period shows it: `0001-01-01T00:00:00+05:00` is in year 0 in UTC, which `datetime`
    cannot hold. (`9999-12-31`, a common "never" for expiryDate, can.)"""
    if value is None:
        return None
    try:
        value.astimezone(UTC)
        if tz is not None:
            value.astimezone(tz)
    except OverflowError:
        raise Invalid(
            f"{key}: {value.isoformat()} is too close to the year 1 or 9999 to be shown in UTC",
            hint="check the year",
            key=key,
        ) from None
    return value


def _text(meta: Meta, names: tuple[str, ...], site: Site) -> str | None:
    """The first of `names` that holds some text (a number as text), stripped. A value of
    another kind is passed over: the loader warns of it (`not_text`)."""
    for key in names:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
    return None


def not_text(value: object) -> bool:
    """Whether a key meant to hold text holds something else: a list, a mapping, true/false."""
    return value is not None and (
        isinstance(value, bool) or not isinstance(value, str | int | float)
    )


def _given(meta: Meta, names: tuple[str, ...], site: Site) -> str | None:
    """The first of `names` present, as text (a number as text). Raises Invalid for another
    kind of value: a slug and an id make a post's address and identity, which a value passed
    over would silently change."""
    for key in names:
        if key in meta:
            value = meta[key]
            if not_text(value):
                raise Invalid(
                    f"{key} must be text, got {kind(value)}",
                    hint=f'write one text, quoted: `{key}: "..."`',
                    key=key,
                )
            return None if value is None else str(value)
    return None


def _flag(default: bool) -> Normaliser[bool]:
    def flag(meta: Meta, names: tuple[str, ...], site: Site) -> bool:
        key = names[0]
        value = meta.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no"):
            return value.lower() in ("true", "yes")
        raise Invalid(f"{key}: expected true or false, got {kind(value)}", key=key)

    return flag


def _names(meta: Meta, names: tuple[str, ...], site: Site) -> tuple[str, ...]:
    """A grouping's names: a list, or one name; each with its white space made single."""
    key = names[0]
    value = meta.get(key)
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise Invalid(
            f"{key}: expected a list of names, got {kind(value)}",
            hint=f"write `{key}: [first, second]` or one name per `- ` line",
            key=key,
        )
    found: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise Invalid(f"{key}: expected a name, got {kind(item)} in the list", key=key)
        name = " ".join(str(item).split())
        if name and name not in found:
            found.append(name)
    return tuple(found)


def _authors(meta: Meta, names: tuple[str, ...], site: Site) -> tuple[Author, ...]:
    """Names, or `{name, email, url, avatar}` mappings, completed from the config's authors;
    the site's default authors when none is given."""
    key = _first_written(meta, names) or names[0]
    value = meta.get(key)
    if value is None or value == "" or value == []:
        return site.default_authors
    authors: list[Author] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and item.strip():
            name, url = _linked_name(" ".join(item.split()))
            authors.append(site.author_details.get(name) or Author(name, url=url))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            authors.append(_author(item, site.author_details))
        elif isinstance(item, dict):
            raise Invalid(
                f"{key}: an author written as a mapping needs a `name` (text), got "
                f"{kind(item.get('name'))}",
                hint=f"write `{key}: [{{name: Ana, email: ana@example.org}}]`, or a name",
                key=key,
            )
        else:
            raise Invalid(f"{key}: expected names, got {kind(item)}", key=key)
    return tuple(dict.fromkeys(authors))


# A Markdown link in an author's name, as Docsy's themes render the `author` text
# (opentelemetry.io: `[Alex Boten](https://github.com/codeboten) (Honeycomb)`).
_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]*)\)")


def _linked_name(name: str) -> tuple[str, str | None]:
    """The name as its readers see it, each Markdown link its text (a feed's author name is
    text: `[Ana](...)` was published as written); the link's address when it is the only one
    and a web address, as the author's URL."""
    links = _LINK.findall(name)
    if not links:
        return name, None
    text = " ".join(_LINK.sub(lambda m: m.group(1), name).split())
    url = links[0][1] if len(links) == 1 else ""
    return text, url if url.startswith(("https://", "http://")) else None


def _author(item: Mapping[str, Any], details: Mapping[str, Author]) -> Author:
    known = details.get(item["name"]) or Author(item["name"])
    return Author(
        known.name,
        opt_str(item.get("email")) or known.email,
        opt_str(item.get("url")) or known.url,
        opt_str(item.get("avatar")) or known.avatar,
    )


def opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


# The featured image as written: its reference, the alt text beside it, the key written.
ImageRef = tuple[str, str | None, str]


def _image(meta: Meta, names: tuple[str, ...], site: Site) -> ImageRef | None:
    """The first of `names` holding a reference: a text, or a mapping with `image` or `src`
    (and maybe `alt`), as some themes write `cover`."""
    for key in names:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip(), None, key
        if isinstance(value, dict):
            src = opt_str(value.get("image")) or opt_str(value.get("src"))
            if src:
                return src.strip(), opt_str(value.get("alt")), key
    return None


def _first_image(meta: Meta, names: tuple[str, ...], site: Site) -> str | None:
    images = meta.get(names[0])
    if isinstance(images, list) and images and isinstance(images[0], str) and images[0].strip():
        return str(images[0].strip())
    return None


def _not_read(meta: Meta, names: tuple[str, ...], site: Site) -> None:
    return None


# ---------------------------------------------------------------------------------------------
# The table: the README's rows, and a draft's keys, in this order


class Keys(NamedTuple):
    title: Key[str]
    description: Key[str | None]
    date: Key[datetime | None]
    lastmod: Key[datetime | None]
    authors: Key[tuple[Author, ...]]
    tags: Key[tuple[str, ...]]
    categories: Key[tuple[str, ...]]
    series: Key[tuple[str, ...]]
    draft: Key[bool]
    publish_date: Key[datetime | None]
    expiry_date: Key[datetime | None]
    feed: Key[bool]
    summary_only: Key[bool]
    feed_excerpt_only: Key[bool]
    slug: Key[str | None]
    id: Key[str | None]
    image: Key[ImageRef | None]
    image_alt: Key[str | None]
    images: Key[str | None]
    url: Key[None]


_A_LIST = "a list, or one string"
KEYS = Keys(
    title=Key(
        ("title",),
        _title,
        "required, but on a Hugo or Zola site, which publish untitled pages: an untitled post "
        "has no title in RSS and JSON Feed, and its first words in Atom (which needs one) and "
        "in digests",
        "title",
    ),
    description=Key(
        ("description", "summary"),
        _text,
        "the summary; else the text before `<!--more-->`, else the first paragraph of prose "
        "(not a heading, an image or linked image, HTML, a table, code, a quote, a list, or a "
        "paragraph that is one shortcode or Liquid tag alone)",
        "text",
    ),
    date=Key(
        ("date",),
        _date,
        "required, unless `publishDate` is given or the file name is Jekyll-style "
        "(`2024-03-01-my-post.md`); a quoted string, a YAML/TOML timestamp, a time without an "
        "offset or a bare date",
        "now",
    ),
    lastmod=Key(
        ("lastmod", "updated"),
        _date,
        "when the post last changed; empty means never; one earlier than `date` is ignored "
        "with a warning",
        "nothing",
    ),
    authors=Key(
        ("authors", "author"),
        _authors,
        "a list, or one name; each a name or `{name, email, url, avatar}`, completed from "
        "the config's `[authors]` (a name holding Markdown links, as Docsy's themes render "
        "it, `[Ana](https://ana.example)`, is their text, and a single link's web address is "
        "the author's URL); else the site's default authors (on a Hugo, Jekyll or Zola "
        "site those are the item's authors but file the post under no author's feed: the "
        "generator's author pages list the posts that name them)",
        "authors",
    ),
    tags=Key(("tags",), _names, _A_LIST, "list"),
    categories=Key(("categories",), _names, _A_LIST, "list"),
    series=Key(("series",), _names, _A_LIST, "list"),
    draft=Key(("draft",), _flag(False), "`true`: left out unless `--drafts`", "true"),
    publish_date=Key(
        ("publishDate", "publishdate"),
        _date,
        "the post appears from this time on, and is dated by it when it is later than `date`",
    ),
    expiry_date=Key(("expiryDate", "expirydate"), _date, "the post disappears at this time"),
    feed=Key(("feed",), _flag(True), "`false`: kept out of every feed and digest"),
    summary_only=Key(
        ("summary_only",), _flag(False), "`true`: feeds carry only the summary of this post"
    ),
    feed_excerpt_only=Key(
        ("feed_excerpt_only",), _flag(False), "`true`: the same as `summary_only: true`"
    ),
    slug=Key(("slug",), _given, "else the file or bundle name, else the title"),
    id=Key(
        ("id", "guid"),
        _given,
        "a fixed feed id for this post, overriding the permalink or `tag:` id",
    ),
    image=Key(
        ("featuredImage", "featured_image", "image", "cover"),
        _image,
        "the featured image: a path or URL, or a mapping with `image` (or `src`) and `alt`; "
        "a path starting with `/` is a file of the static folder; an image whose file is not "
        "found, or lies outside the content and static folders, is left out with a warning, "
        "as is a value of another kind (a number, a list). Its enclosure's media type comes "
        "from a fixed table of image formats (`.jpg`, `.png`, `.gif`, `.webp`, `.avif`, `.svg`, "
        "`.jxl`, `.heic`…), the same on every machine (any other extension as Python's "
        "`mimetypes` knows it); an image of no known type is shown (`media:content`) without "
        "an enclosure, and a video or a document is no featured image",
    ),
    image_alt=Key(("featuredImageAlt", "image_alt"), _text, "the featured image's alt text"),
    images=Key(
        ("images",),
        _first_image,
        "its first entry is the featured image when no other image key gives one, read as "
        "Hugo's Open Graph template reads it: a file of the page bundle first, else a URL "
        "under `base_url` (`cover.jpg`, a static file) or, starting with `/`, under the host",
    ),
    url=Key(
        ("url",),
        _not_read,
        "not read (the permalink comes from `[site] permalink`), and not kept in `params`",
    ),
)

# Every name the table reads; any other key of a post is kept as its `params` for templates.
KNOWN_NAMES = frozenset(name for key in KEYS for name in key.names)


def readme_table() -> str:
    """The README's table of front-matter keys, one row per key of `KEYS`."""
    rows = ["| front matter | meaning |", "|---|---|"]
    rows.extend(f"| {' / '.join(f'`{n}`' for n in key.names)} | {key.doc} |" for key in KEYS)
    return "\n".join(rows) + "\n"


def draft_keys() -> Iterator[tuple[str, NewValue]]:
    """The keys `syndicate new` writes, in order, with what it writes for each."""
    return ((key.name, key.new) for key in KEYS if key.new is not None)
