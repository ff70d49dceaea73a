"""Channels -> feed files: every configured format of every channel, RFC 5005 archives, the
legacy file names a site published before, and the files of `[feeds.addresses]`.

Each document gets its own `self` URL (the address it is published at). A legacy copy's Atom id
stays the channel's canonical feed address, so it is the same feed to a reader; an address's
Atom id is its own URL, as the generators' feeds it continues had (jekyll-feed's and Zola's).

On a multilingual site each subscription feed, and each address, links the same feed in the
other languages (same format, same channel under another language's folder), with hreflang.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..config import Config, FeedFormat, legacy_path
from ..datatype import datatype
from ..model import Artifact, Author, Channel, Post
from .channels import FeedLanguage, feed_languages, language_of_path, published_url
from .items import FeedMeta, History, Item, ItemBuilder, feed_authors, feed_time, file_size
from .jsonfeed import ItemCache, json_parts

if TYPE_CHECKING:
    from .rss_atom import EntryCache

MEDIA_TYPES: dict[FeedFormat, str] = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
STYLESHEET = "feed-style.xsl"


def stylesheet_path(lang: FeedLanguage) -> str:
    """Where the feeds of `lang` find the stylesheet in the output folder: the site's, or a
    copy in the folder of a language at a host of its own."""
    return f"{lang.prefix}{STYLESHEET}" if lang.own_host else STYLESHEET


# Part of every fingerprint: raise it when the same inputs give other bytes (an escaping fix),
# so feeds written by an older syndicate are generated again.
RENDERING = 2
Rendered = tuple[str, list[bytes] | None]  # a document's fingerprint, and its parts if changed


@datatype
class FeedFile:
    """One written feed document, for the build summary, OPML, feeds.html and WebSub pings."""

    channel: Channel
    format: FeedFormat
    path: str
    url: str
    subscription: bool


@datatype
class Page:
    """The posts of one document of a channel: the subscription feed, or one archive of it."""

    posts: Sequence[Post]
    history: History
    name: str  # folder under the channel, "" for the subscription feed
    next_name: str | None  # the older archive, for JSON Feed's next_url


@datatype
class Document:
    """One feed file to write: a page of a channel in one format, at one path."""

    channel: Channel
    page: Page
    format: FeedFormat
    path: str
    subscription: bool
    self_url: str | None = None  # where a legacy copy is published, if not at `path`
    feed_id: str | None = None  # an address's own URL; None: the channel's canonical one
    id_template: str | None = None  # how its item ids are made; None: `[feeds] id_template`
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, URL): it in other languages


class FeedSet:
    """Every feed document of every channel. A document whose fingerprint (a hash of all it is
    made from) matches the last build's, and whose file is still there, is not generated again:
    `documents` yields None for it."""

    def __init__(
        self,
        config: Config,
        builder: ItemBuilder,
        now: datetime,
        previous: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        self.config = config
        self.builder = builder
        self.now = now
        self.previous = previous or {}
        self.fingerprints: dict[str, tuple[str, int]] = {}
        self.entries: EntryCache = {}
        self.json_items: ItemCache = {}
        self.languages = feed_languages(config)
        self._output: str | None = None  # the output folder, resolved once (`_intact`)

    def url(self, path: str) -> str:
        return published_url(self.languages, self.config.base_url, path)

    def filename(self, fmt: FeedFormat) -> str:
        return self.config.feeds.filenames.for_format(fmt)

    def limit(self, channel: Channel) -> int:
        group = self.config.feeds.groups.get(channel.kind) if channel.kind != "site" else None
        return group.limit if group and group.limit is not None else self.config.feeds.limit

    def plan(self, channels: Sequence[Channel]) -> list[Document]:
        """Every document of every channel, then legacy copies of the site feed, then the files
        of `[feeds.addresses]` (found when the channels were made)."""
        docs: list[Document] = []
        for channel in channels:
            for page in self._pages(channel):
                for fmt in self.config.feeds.formats:
                    path = f"{channel.path}{page.name}{self.filename(fmt)}"
                    docs.append(Document(channel, page, fmt, path, subscription=not page.name))
        site = channels[0]
        first = next(iter(self._pages(site)))
        for name, fmt in sorted(self.config.feeds.legacy.items()):
            docs.append(Document(site, first, fmt, legacy_path(name, fmt), False, self.url(name)))
        for address in self.builder.taxonomy.addresses:
            posts = address.channel.posts
            page = Page(posts[: address.limit] if address.limit else posts, History(), "", None)
            url = address.url
            docs.append(
                Document(
                    address.channel,
                    page,
                    address.format,
                    address.path,
                    False,
                    url,
                    url,
                    address.id_template,
                )
            )
        return self._link_languages(docs) if len(self.languages) > 1 else docs

    def language(self, channel: Channel) -> FeedLanguage:
        return language_of_path(self.languages, channel.path)

    def _link_languages(self, docs: list[Document]) -> list[Document]:
        """Each subscription feed and address, with the URL of the same feed in every other
        language that has exactly one (an address pattern per language and kind, say)."""
        groups: dict[tuple[object, ...], dict[str, list[int]]] = defaultdict(dict)
        for i, doc in enumerate(docs):
            if not doc.subscription and doc.feed_id is None:
                continue  # an archive page or a legacy copy: no other language has it
            lang = self.language(doc.channel)
            rest = doc.channel.path[len(lang.prefix) :]
            key = (doc.feed_id is not None, doc.format, doc.channel.kind, rest)
            groups[key].setdefault(lang.code, []).append(i)
        out = list(docs)
        tags = {lang.code: lang.tag for lang in self.languages}
        for found in groups.values():
            single = {code: ids[0] for code, ids in found.items() if len(ids) == 1}
            for code, i in single.items():
                others = tuple(
                    (tags[other], self._published_url(docs[j]))
                    for other, j in single.items()
                    if other != code
                )
                out[i] = dataclasses.replace(docs[i], alternates=others)
        return out

    def _published_url(self, doc: Document) -> str:
        return doc.self_url or self.url(doc.path)

    def posts_shown(self, documents: Sequence[Document]) -> list[Post]:
        """Every post that some document shows and that needs rendering for it."""
        shown: dict[str, Post] = {}
        for doc in documents:
            mode = self.builder.content_mode(doc.channel)
            for post in doc.page.posts:
                if self.builder.needs_rendering(post, mode):
                    shown.setdefault(post.id, post)
        return list(shown.values())

    def documents(
        self, docs: Sequence[Document], ready: Callable[[Sequence[Post]], None] | None = None
    ) -> Iterator[tuple[FeedFile, Artifact | None]]:
        """Each file, and its bytes unless the last build wrote the same and it is intact; in
        order. Made here, one after the other, each handed on (to the writer's threads) as soon
        as it is made; `ready(posts)` first waits for the posts a document shows (rendered on
        other cores meanwhile). On two workers (each one run of one format, so that no entry
        is made twice) a cold build of 10,000 posts took ~0.15 s less and 90-100 MB more memory
        (peak PSS summed over the processes: 243-259 MB against 152-153 MB here): each worker
        holds the entries it makes and its documents until it sends them back."""
        for doc in docs:
            if ready is not None:
                ready(doc.page.posts)
            yield self.settle(doc, self.render(doc))

    def render(self, doc: Document) -> Rendered:
        """The document's fingerprint (a hash of all it is made from), and its bytes unless the
        last build wrote a file with that fingerprint which is still intact."""
        channel, page, fmt, path = doc.channel, doc.page, doc.format, doc.path
        mode = self.builder.content_mode(channel)
        items = [self.builder.item(p, mode, doc.id_template) for p in page.posts]
        meta = self._meta(channel, fmt, items, page.history, doc.self_url or self.url(path))
        meta = dataclasses.replace(meta, alternates=doc.alternates) if doc.alternates else meta
        if doc.feed_id is not None:
            meta = dataclasses.replace(meta, id=doc.feed_id)  # `_meta` dated it
        older = page.next_name and self.url(f"{channel.path}{page.next_name}{self.filename(fmt)}")
        inputs = (RENDERING, fmt, path, meta, [self.builder.digest(i) for i in items], older)
        fingerprint = hashlib.blake2b(repr(inputs).encode("utf-8"), digest_size=16).hexdigest()
        known = self.previous.get(path)
        if known is not None and known[0] == fingerprint and self._intact(path, known[1]):
            return fingerprint, None
        if fmt == "json":
            return fingerprint, json_parts(meta, items, older or None, self.json_items)
        # feedgen, with lxml and dateutil, takes ~20 ms to import: in a build, here, while the
        # workers render the posts, not on the one core before they start.
        from .rss_atom import atom_parts, rss_parts

        if fmt == "rss":
            return fingerprint, rss_parts(meta, items, self.entries)
        return fingerprint, atom_parts(meta, items, self.entries)

    def settle(self, doc: Document, rendered: Rendered) -> tuple[FeedFile, Artifact | None]:
        fingerprint, data = rendered
        if data is None:
            self.fingerprints[doc.path] = self.previous[doc.path]
            return self.feed_file(doc), None
        artifact = Artifact(doc.path, tuple(data))
        self.fingerprints[doc.path] = (fingerprint, artifact.size)
        return self.feed_file(doc), artifact

    def feed_file(self, doc: Document) -> FeedFile:
        return FeedFile(doc.channel, doc.format, doc.path, self.url(doc.path), doc.subscription)

    def _updated(self, items: Sequence[Item]) -> datetime:
        """When a feed last changed; for one with no posts (a term an address's `terms` lists, a
        language with none yet), the site's newest post, so that its bytes do not change with
        the clock (letsencrypt.org's 27 languages without posts: 54 files written again at
        every build)."""
        if items:
            return max(i.modified for i in items)
        channels = self.builder.taxonomy.channels
        newest = max((p.modified for p in channels[0].posts), default=None) if channels else None
        return feed_time(newest) if newest is not None else self.now  # as an item's would be

    def _intact(self, path: str, size: int) -> bool:
        """Whether the file at `path` is there with `size` bytes. The output folder is resolved
        once: `config.output_dir` resolves it at each call (a system call per folder of its
        path), 4,485 times when one post of ropensci.org is edited."""
        try:
            if self._output is None:
                self._output = str(self.config.output_dir)
            return os.stat(os.path.join(self._output, path)).st_size == size
        except OSError:
            return False

    def _meta(
        self,
        channel: Channel,
        fmt: FeedFormat,
        items: Sequence[Item],
        history: History,
        self_url: str,
    ) -> FeedMeta:
        site = self.config.site
        lang = self.language(channel)
        authors = feed_authors(self.config)
        if not site.authors and not lang.default:  # the site itself, in this language
            authors = (Author(lang.title, url=lang.home),)
        return FeedMeta(
            title=channel.title,
            home_url=channel.home_url,
            description=channel.description,
            language=lang.tag,
            copyright=site.copyright,
            icon=self._asset(site.icon),
            logo=self._asset(site.logo),
            self_url=self_url,
            id=self.url(f"{channel.path}{self.filename('atom')}"),
            hub=self.config.feeds.hub,
            updated=self._updated(items),
            authors=authors,
            history=self._format_history(history, channel, fmt),
            stylesheet=self._stylesheet(lang) if fmt != "json" else None,
            self_type=MEDIA_TYPES[fmt],
        )

    def _stylesheet(self, lang: FeedLanguage) -> str | None:
        """The stylesheet's path on the feed's host: a language at a host of its own has a
        copy in its folder (a browser applies XSLT from the feed's own origin only)."""
        if not self.config.feeds.stylesheet:
            return None
        return urlsplit(self.url(stylesheet_path(lang))).path

    def _asset(self, ref: str | None) -> str | None:
        if not ref:
            return None
        return ref if ref.startswith(("http://", "https://")) else self.url(ref.lstrip("/"))

    def _format_history(self, history: History, channel: Channel, fmt: FeedFormat) -> History:
        """History links are stored as archive folder names; make them URLs of this format."""

        def url(name: str | None) -> str | None:
            if name is None:
                return None
            return self.url(f"{channel.path}{name}{self.filename(fmt)}")

        return History(
            complete=history.complete,
            archive=history.archive,
            current=url(history.current),
            prev_archive=url(history.prev_archive),
            next_archive=url(history.next_archive),
        )

    def _pages(self, channel: Channel) -> Iterator[Page]:
        posts = channel.posts
        limit = self.limit(channel)
        if not self.config.feeds.archives:
            yield Page(posts[:limit] if limit else posts, History(), "", None)
            return
        size = self.config.feeds.archive_size
        full = len(posts) // size
        tail = len(posts) - full * size
        # The subscription feed holds every post not yet in a full archive, so nothing is lost.
        shown = max(limit, tail) if limit else len(posts)
        # A lone archive could link to no other archive, and validators then take it for an
        # incomplete one: archives start when two are full, until then the feed is complete.
        if full < 2 or shown >= len(posts):
            yield Page(posts, History(complete=True), "", None)
            return
        yield Page(posts[:shown], History(prev_archive=_archive(full)), "", _archive(full))
        oldest_first = posts[::-1]
        for k in range(1, full + 1):
            chunk = oldest_first[(k - 1) * size : k * size][::-1]
            history = History(
                archive=True,
                current="",
                prev_archive=_archive(k - 1) if k > 1 else None,
                next_archive=_archive(k + 1) if k < full else None,
            )
            yield Page(chunk, history, _archive(k), _archive(k - 1) if k > 1 else None)


def image_sizes(docs: Iterable[Document]) -> dict[str, int]:
    """The size of every local image the documents' items may enclose: their feeds show it."""
    sizes: dict[str, int] = {}
    for doc in docs:
        for post in doc.page.posts:
            if post.image is not None and post.image.path is not None:
                key = str(post.image.path)
                if key not in sizes:
                    sizes[key] = file_size(post.image.path)
    return sizes


def _archive(k: int) -> str:
    return f"archive/{k}/"
