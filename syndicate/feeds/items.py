"""Channel + posts -> the one item model that RSS, Atom and JSON Feed are all written from, so
the three formats cannot drift apart (same ids, same times, same order)."""

from __future__ import annotations

import dataclasses
import hashlib
import mimetypes
import posixpath
import re
import stat
from collections.abc import Callable, Collection, Hashable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeGuard, TypeVar
from urllib.parse import quote, urlsplit

from .. import __version__
from ..config import PLACEHOLDER, Config, ContentMode
from ..content.markdown import Renderer
from ..datatype import datatype
from ..model import Author, Channel, Post, TermKind
from .channels import Taxonomy

GENERATOR = "syndicate"
GENERATOR_URL = "https://pypi.org/project/syndicate/"
GENERATOR_VERSION = __version__
_TERM_KINDS: tuple[TermKind, ...] = ("series", "categories", "tags")


@datatype
class Category:
    term: str
    label: str
    scheme: str


@datatype
class Image:
    url: str
    mime: str | None  # None: the URL's name does not say (`/random/1024x600`)
    length: int
    alt: str


@datatype
class Item:
    id: str
    url: str
    title: str
    summary: str
    content_html: str | None
    published: datetime
    modified: datetime
    updated: datetime | None
    authors: tuple[Author, ...]
    categories: tuple[Category, ...]
    image: Image | None
    series: tuple[tuple[str, str], ...]
    # (hreflang, URL) of the post and each of its translations ((): it has none).
    translations: tuple[tuple[str, str], ...] = ()
    # The language the post is written in where it may not be its feed's (`Post.written_in`):
    # Atom's entry `xml:lang`, JSON Feed's item `language` ("": none).
    language: str = ""

    @property
    def id_is_permalink(self) -> bool:
        return self.id == self.url


@datatype
class History:
    """RFC 5005 links of one feed document (URLs of the same format)."""

    complete: bool = False
    archive: bool = False
    current: str | None = None
    prev_archive: str | None = None
    next_archive: str | None = None


@datatype
class FeedMeta:
    """Feed-level values; `self_url` is where this very file is published."""

    title: str
    home_url: str
    description: str
    language: str
    copyright: str | None
    icon: str | None
    logo: str | None
    self_url: str
    id: str
    hub: str | None
    updated: datetime
    authors: tuple[Author, ...]
    history: History
    stylesheet: str | None
    self_type: str
    # (hreflang, URL) of the same feed in each other language of a multilingual site.
    alternates: tuple[tuple[str, str], ...] = ()


def item_digest(item: Item) -> str:
    """A hash of every field of the item. The HTML is hashed as its bytes, after the rest:
    in the item's repr it was first escaped character by character (a quarter to a half of
    the digest's time on the bench's corpus). A repr never holds a NUL, so the parts cannot
    run into each other, and an item without HTML hashes its repr alone."""
    rest = repr(dataclasses.replace(item, content_html=None)) if item.content_html else repr(item)
    h = hashlib.blake2b(rest.encode("utf-8"), digest_size=16)
    if item.content_html:
        h.update(b"\0" + item.content_html.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class ItemBuilder:
    """Builds each post's item once, however many feeds it appears in."""

    def __init__(self, config: Config, renderer: Renderer, taxonomy: Taxonomy) -> None:
        self.config = config
        self.renderer = renderer
        self.taxonomy = taxonomy
        self._items: dict[tuple[str, ContentMode, str], Item] = {}
        self._digests: dict[int, str] = {}
        self._ids: dict[tuple[str, str], str] = {}

    def content_mode(self, channel: Channel) -> ContentMode:
        group = self.config.feeds.groups.get(channel.kind) if channel.kind != "site" else None
        return (group.content if group and group.content else None) or self.config.feeds.content

    def item(self, post: Post, mode: ContentMode, id_template: str | None = None) -> Item:
        """The post's item; its id made with `id_template` (default `[feeds] id_template`).
        Built once per post and mode: another id is the same item with that id."""
        template = id_template or self.config.feeds.id_template
        made = self._ids.get((post.id, template))
        if made is None:
            made = self._ids[(post.id, template)] = item_id(post, template, self.config)
        key = (post.id, mode, made)
        found = self._items.get(key)
        if found is None:
            base = (post.id, mode, post.id)
            found = self._items.get(base)
            if found is None:
                found = self._build(post, mode)
                self._items[base] = found
            if key != base:
                found = dataclasses.replace(found, id=key[2])
                self._items[key] = found
        return found

    def forget(self, post_ids: Collection[str]) -> None:
        """Drop what was built for these posts (edited since), so the next ask builds anew."""
        for key in [k for k in self._items if k[0] in post_ids]:
            self._digests.pop(id(self._items.pop(key)), None)  # an id may be reused once freed
        for made in [k for k in self._ids if k[0] in post_ids]:
            del self._ids[made]

    def digest(self, item: Item) -> str:
        """A hash of everything the item contributes to a feed, computed once per item."""
        found = self._digests.get(id(item))
        if found is None:
            found = item_digest(item)
            self._digests[id(item)] = found
        return found

    def needs_rendering(self, post: Post, mode: ContentMode) -> bool:
        return (mode == "full" and not post.summary_only) or not post.description

    def _base(self, post: Post) -> str:
        """Where the terms of the post's language are: the site's base URL, or another
        language's (its prefix or host)."""
        lang = self.taxonomy.language(post)
        return lang.home if lang is not None and not lang.default else self.config.base_url

    def _build(self, post: Post, mode: ContentMode) -> Item:
        summary = self.renderer.summary(post)
        base = self._base(post)
        wants_full = mode == "full" and not post.summary_only
        return Item(
            id=post.id,
            url=post.permalink,
            title=post.title,
            summary=summary,
            content_html=self.renderer.html(post) if wants_full or not summary else None,
            published=feed_time(post.date),
            modified=feed_time(post.modified),
            updated=feed_time(post.updated) if post.updated is not None else None,
            authors=post.authors,
            categories=self._categories(post, base),
            image=self._image(post),
            series=tuple(
                (name, f"{base}series/{term.slug}/")
                for name in post.series
                if (term := self.taxonomy.term("series", name)) is not None
            ),
            translations=self.taxonomy.translations_of(post),
            language=post.written_in,
        )

    def _categories(self, post: Post, base: str) -> tuple[Category, ...]:
        out: list[Category] = []
        for kind in _TERM_KINDS:
            scheme = f"{base}{kind}/"
            for name in getattr(post, kind):
                term = self.taxonomy.term(kind, name)
                slug = term.slug if term else None
                if slug:
                    out.append(Category(term=slug, label=name, scheme=scheme))
        return tuple(out)

    def _image(self, post: Post) -> Image | None:
        if post.image is None or not post.image.url.startswith(("http://", "https://")):
            return None
        mime = image_type(urlsplit(post.image.url).path)
        if mime is not None and not mime.startswith("image/"):
            return None  # a video or a document is no featured image
        length = file_size(post.image.path) if post.image.path is not None else 0
        return Image(post.image.url, mime, length, post.image_alt or post.title)


# The media type of each image format a featured image comes in, as IANA registers it
# (https://www.iana.org/assignments/media-types/media-types.xhtml#image): fixed, like Hugo's
# own media types, so the feeds say the same on every machine. Python's `mimetypes` reads the
# machine's tables as well: without /etc/mime.types (a slim container), Python 3.11 knows no
# .webp, and the enclosure of a WebP image was left out.
_IMAGE_TYPES = {
    **dict.fromkeys((".jpg", ".jpeg", ".jpe", ".jfif", ".pjpeg", ".pjp"), "image/jpeg"),
    ".png": "image/png",
    ".apng": "image/apng",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    **dict.fromkeys((".svg", ".svgz"), "image/svg+xml"),
    ".bmp": "image/bmp",
    ".ico": "image/vnd.microsoft.icon",
    **dict.fromkeys((".tif", ".tiff"), "image/tiff"),
    **dict.fromkeys((".heic", ".heics"), "image/heic"),
    **dict.fromkeys((".heif", ".heifs"), "image/heif"),
    ".jxl": "image/jxl",
}


def image_type(path: str) -> str | None:
    """The media type of the file at a URL's `path`: an image's from the fixed table above;
    anything else as `mimetypes` knows it (a video, a document: not an image), or None."""
    found = _IMAGE_TYPES.get(posixpath.splitext(path)[1].lower())
    return found if found is not None else mimetypes.guess_type(path)[0]


# What a URL's path segment holds as written (RFC 3986's pchar but the unreserved, which
# `quote` keeps): jekyll-feed's ids go through Jekyll's `absolute_url`, which normalises the
# URL with Addressable, so a slug `café` is `caf%C3%A9` in them, as in the post's permalink.
_PCHAR = "!$&'()*+,;=:@"


def item_id(post: Post, template: str, config: Config) -> str:
    """The id of the post's items under `template`. An id written in the front matter, and
    `[feeds] id = "tag"` ids, are kept as they are: only a permalink id is made again."""
    if template == "{permalink}" or post.id != post.permalink:
        return post.id
    tokens = id_tokens(post, config)
    return PLACEHOLDER.sub(lambda m: tokens[m.group(1)], template)


def id_tokens(post: Post, config: Config) -> dict[str, str]:
    """The value of every id template token for one post."""
    base = config.base_url
    if post.permalink.startswith(base):
        path = post.permalink[len(base) :]
    else:  # published elsewhere than below base_url: its path on its own host
        path = urlsplit(post.permalink).path.lstrip("/")
    # Ruby's File.dirname, as Jekyll's Document#id uses it: a trailing "/" is not a part.
    folder = posixpath.dirname(re.sub(r"/+$", "", path))
    local = post.date.astimezone(config.tz)
    return {
        "permalink": post.permalink,
        "base_url": base,
        "path": path,
        "dir": f"{folder}/" if folder else "",
        "slug": quote(post.slug, safe=_PCHAR),
        "year": f"{local.year:04d}",
        "month": f"{local.month:02d}",
        "day": f"{local.day:02d}",
    }


def file_size(path: Path) -> int:
    """An enclosure's length: the file's size, 0 (unknown, as RSS allows) if it is missing."""
    try:
        info = path.stat()
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


def feed_time(moment: datetime) -> datetime:
    """`moment` as a feed may write it: RFC 822's and RFC 3339's offsets are whole minutes, so
    a zone's historical offset with seconds (Lisbon's -0:36:45 until 1912) is written in UTC."""
    offset = moment.utcoffset()
    return moment.astimezone(UTC) if offset is not None and offset.seconds % 60 else moment


# What a build makes once per item and format, for every feed that shows the item: keyed by
# the item's id and a variant, and kept with the item, whose id is its own only while it lives.
Made = TypeVar("Made")
PerItem = dict[tuple[int, Hashable], tuple[Item, Made]]


def made_once(
    cache: PerItem[Made] | None, item: Item, variant: Hashable, make: Callable[[], Made]
) -> Made:
    """`make()` for `item`, taken from `cache` when this very item was made before."""
    found = made_before(cache, item, variant) if cache is not None else None
    if found is None:
        found = make()
        if cache is not None:
            cache[(id(item), variant)] = (item, found)
    return found


def made_before(cache: PerItem[Made], item: Item, variant: Hashable) -> Made | None:
    """What `cache` holds for this very item (an id is the key only while its item lives)."""
    found = cache.get((id(item), variant))
    return found[1] if found is not None and found[0] is item else None


def web_url(url: str | None) -> TypeGuard[str]:
    """Whether `url` may become a link in a reader: http(s) only, never `javascript:` or
    `data:`, and nothing that could leave an attribute (quotes, angle brackets, spaces)."""
    if not url or not url.lower().startswith(("https://", "http://")):
        return False
    return not any(c in url for c in "\"'<>` \t\r\n")


def feed_authors(config: Config) -> tuple[Author, ...]:
    """The authors of a whole feed: the site's defaults, or the site itself when it has none
    (Atom needs a feed-level author whenever an entry may lack one)."""
    defaults = tuple(Author(a.name, a.email, a.url, a.avatar) for a in config.site.authors)
    return defaults or (Author(config.site.title, url=config.base_url),)
