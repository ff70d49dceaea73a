"""FeedMeta + items -> RSS 2.0 and Atom 1.0 bytes, through feedgen, with its traps closed.

feedgen 1.0 writes invalid feeds without an error in several ways. This module is the only one
that imports it, and it prevents each (tests/test_feeds.py has one test per trap):

- the RSS channel `<link>` is whichever `link()` came last: the alternate link is added last;
- RSS drops `rel="hub"` (and every rel but self): those links are added by `_FeedExtension`;
- Atom entry links lose `rel`/`type`/`length`: entry links are completed by `_EntryExtension`,
  and enclosures never go through `FeedEntry.enclosure()`/`link()`;
- `enclosure()` without a length writes `length="None"`: lengths are always integers;
- feed and entry times default to the wall clock: every time is set from the posts;
- `add_entry()` prepends: entries are added with `order="append"`;
- an RSS author without an email is dropped: names go out as `dc:creator`;
- Atom entry links lose `hreflang` too: the links to a post's translations are written by
  `_EntryExtension`; RSS drops every feed link but self: the links to the same feed in other
  languages are written by `_FeedExtension` as `atom:link`;
- RSS dates are `strftime("%Y")`, unpadded before the year 1000: those are written again with
  four digits (`_four_digit_year`).
"""

from __future__ import annotations

import functools
import html
import html.entities
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from ..dates import rfc822
from ..model import Author
from ..text import stand_in_title
from .items import (
    GENERATOR,
    GENERATOR_URL,
    GENERATOR_VERSION,
    FeedMeta,
    Item,
    PerItem,
    made_before,
    made_once,
    web_url,
)

NS_ATOM = "http://www.w3.org/2005/Atom"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_MEDIA = "http://search.yahoo.com/mrss/"
NS_FH = "http://purl.org/syndication/history/1.0"
_XML_DECL = re.compile(rb"<\?xml[^>]*\?>\s*")


class _FeedExtension:
    """Feed-level elements feedgen cannot write: WebSub hub and RFC 5005 links in RSS, and the
    feed-history markers in both formats."""

    def __init__(self) -> None:
        self.meta: FeedMeta | None = None

    def extend_ns(self) -> dict[str, str]:
        ns = {"dc": NS_DC, "media": NS_MEDIA}
        if self.meta and (self.meta.history.archive or self.meta.history.complete):
            ns["fh"] = NS_FH
        return ns

    def _history_links(self) -> list[tuple[str, str]]:
        assert self.meta is not None
        h = self.meta.history
        links = [("hub", self.meta.hub)] if self.meta.hub else []
        links += [
            (rel, url)
            for rel, url in (
                ("current", h.current),
                ("prev-archive", h.prev_archive),
                ("next-archive", h.next_archive),
            )
            if url
        ]
        return links

    def _markers(self, parent: Any) -> None:
        assert self.meta is not None
        if self.meta.history.archive:
            etree.SubElement(parent, f"{{{NS_FH}}}archive")
        elif self.meta.history.complete:
            etree.SubElement(parent, f"{{{NS_FH}}}complete")

    def extend_rss(self, rss: Any) -> Any:
        assert self.meta is not None
        channel = rss.find("channel")
        for name in ("pubDate", "lastBuildDate"):
            _four_digit_year(channel.find(name), self.meta.updated)
        anchor = channel.find(f"{{{NS_ATOM}}}link")
        index = list(channel).index(anchor) + 1 if anchor is not None else 3
        for rel, url in self._history_links():
            link = etree.Element(f"{{{NS_ATOM}}}link", href=url, rel=rel)
            channel.insert(index, link)
            index += 1
        for tag, url in self.meta.alternates:
            link = etree.Element(f"{{{NS_ATOM}}}link", href=url, rel="alternate")
            link.set("type", self.meta.self_type)
            link.set("hreflang", tag)
            channel.insert(index, link)
            index += 1
        self._markers(channel)
        return rss

    def extend_atom(self, feed: Any) -> Any:
        self._markers(feed)
        return feed


def _four_digit_year(element: Any, moment: datetime) -> None:
    """feedgen writes RFC 822 dates with strftime's `%Y`, which glibc does not pad: a Hugo page
    without a date (0001-01-01) got `Mon, 01 Jan 1 00:00:00 +0000`, which no reader parses.
    RFC 822's year has four digits (email.utils writes them, and `rfc822`)."""
    if element is not None and moment.year < 1000:
        element.text = rfc822(moment)


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _EntryExtension:
    """Per-entry elements: dc:creator, the enclosure (one, with a real length), MRSS media."""

    def __init__(self) -> None:
        self.item: Item | None = None

    def extend_ns(self) -> dict[str, str]:
        return {}

    def _media(self, parent: Any) -> None:
        assert self.item is not None
        image = self.item.image
        if image is None:
            return
        content = etree.SubElement(parent, f"{{{NS_MEDIA}}}content", url=image.url)
        if image.mime:
            content.set("type", image.mime)
        content.set("medium", "image")
        if image.length:
            content.set("fileSize", str(image.length))
        etree.SubElement(parent, f"{{{NS_MEDIA}}}thumbnail", url=image.url)

    def extend_rss(self, entry: Any) -> Any:
        assert self.item is not None
        _four_digit_year(entry.find("pubDate"), self.item.published)
        if _rss_author(self.item) is None:
            for author in self.item.authors:
                etree.SubElement(entry, f"{{{NS_DC}}}creator").text = author.name
        image = self.item.image
        if image is not None and image.mime:  # RSS requires an enclosure's type
            etree.SubElement(
                entry, "enclosure", url=image.url, length=str(image.length), type=image.mime
            )
        self._media(entry)
        return entry

    def extend_atom(self, entry: Any) -> Any:
        assert self.item is not None
        if self.item.language:  # RSS has no language of an item, only of its channel
            entry.set(_XML_LANG, self.item.language)
        # feedgen writes Atom elements without a namespace and declares it as an attribute.
        own = set()
        for link in entry.findall("link"):
            link.set("rel", "alternate")
            link.set("type", "text/html")
            own.add(link.get("href"))
        # The entry's own page first and last: readers take the first alternate link or, as
        # feedparser does, the last, and either must be this entry's, not a translation's.
        for tag, url in sorted(self.item.translations, key=lambda t: t[1] in own):
            etree.SubElement(
                entry, "link", rel="alternate", type="text/html", hreflang=tag, href=url
            )
        image = self.item.image
        if image is not None and image.mime:  # as in RSS: an enclosure says what it is
            etree.SubElement(
                entry,
                "link",
                rel="enclosure",
                href=image.url,
                type=image.mime,
                length=str(image.length),
            )
        self._media(entry)
        return entry


def _generator(meta: FeedMeta, items: Sequence[Item], rss: bool) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("syndicate", _FeedExtension, _EntryExtension)
    fg.syndicate.meta = meta
    fg.title(meta.title)
    fg.id(meta.id)
    # RSS readers show the channel description as HTML (a term name would be live markup);
    # Atom's subtitle is type="text".
    description = meta.description or meta.title
    fg.description(html_text(description) if rss else description)
    fg.language(meta.language)
    fg.generator(GENERATOR, GENERATOR_VERSION, GENERATOR_URL)
    fg.updated(meta.updated)
    fg.lastBuildDate(meta.updated)
    if meta.copyright:
        fg.rights(meta.copyright)
    for author in meta.authors:
        fg.author(_author(author))
    if meta.logo:
        fg.logo(meta.logo)  # also the RSS channel <image>, titled and linked like the channel
    # The order matters: feedgen uses the *last* link as the RSS channel link.
    fg.link(href=meta.self_url, rel="self", type=meta.self_type)
    fg.link(href=meta.home_url, rel="alternate", type="text/html")
    if not rss:  # feedgen keeps hreflang on Atom feed links; RSS gets them from the extension
        for tag, url in meta.alternates:
            fg.link(href=url, rel="alternate", type=meta.self_type, hreflang=tag)
    for item in items:
        fg.add_entry(_BuiltEntry(_entry_xml(item, rss)), order="append")
    return fg


def _author(author: Author) -> dict[str, str]:
    data = {"name": author.name}
    if author.email:
        data["email"] = author.email
    if web_url(author.url):
        data["uri"] = author.url
    return data


class _BuiltEntry(FeedEntry):  # type: ignore[misc]
    """An entry whose XML is built already (`_entry_xml`). feedgen asks it only for that
    element, and (`add_entry`) to take the feed's extensions, which the element was built
    with: FeedEntry's own set-up of its ~40 fields, and an extension object per entry and
    feed, would go unused."""

    def __init__(self, element: Any) -> None:  # without FeedEntry.__init__: see above
        self._element = element

    def register_extension(self, *args: Any, **kwargs: Any) -> None:
        pass

    def rss_entry(self, extensions: bool = True) -> Any:
        return self._element

    def atom_entry(self, extensions: bool = True) -> Any:
        return self._element


# Each item's bytes in a feed of its format, shared by the feeds of one build: the same post
# is in a dozen feeds or more (the site's, its tags', its authors'...), serialised once.
EntryCache = PerItem[bytes]  # variant: RSS (True) or Atom, or RSS hex-escaped (`_ESCAPED`)


def _entry_xml(item: Item, rss: bool) -> Any:
    """The item's <item> or <entry> element, built through feedgen as any feed would."""
    fe = FeedEntry()
    fe.register_extension("syndicate", _EntryExtension, atom=True, rss=True)
    (_fill_rss if rss else _fill_atom)(fe, item)
    return fe.rss_entry() if rss else fe.atom_entry()


# How lxml's pretty-printed feed starts each entry and ends the document. An entry's bytes do
# not depend on the feed it is in (every feed declares the same prefixes for the namespaces
# entries use), and the start cannot occur inside one: text and attributes escape "<". An
# Atom entry may have attributes (`xml:lang`).
_START = {True: b"\n    <item>", False: b"\n  <entry"}
_CLOSE = {True: b"  </channel>\n</rss>\n", False: b"</feed>\n"}


def _serialised(
    meta: FeedMeta, items: Sequence[Item], rss: bool, cache: EntryCache | None
) -> tuple[FeedGenerator, Callable[[FeedGenerator], list[bytes]]]:
    """The feed's generator with the entries `cache` lacks, and how to make the document's
    bytes of it, in parts that join into feedgen's document, with every entry taken from
    `cache` in `items`' order. A document is joined once, at the end (`_finish`): each copy
    of it on the way cost as much as joining it."""
    new = [i for i in items if cache is None or made_before(cache, i, rss) is None]
    fg = _generator(meta, new, rss)

    def document(fg: FeedGenerator) -> list[bytes]:
        body = (fg.rss_str if rss else fg.atom_str)(
            pretty=True, xml_declaration=False, encoding="UTF-8"
        )
        if cache is None:
            return [body]
        head, made = _entries(body, rss)
        for item, data in zip(new, made, strict=True):
            cache[(id(item), rss)] = (item, data)
        entries = [cache[(id(i), rss)][1] for i in items]  # each one is there now
        return [head, *entries, b"\n", _CLOSE[rss]]

    return fg, document


def _entries(body: bytes, rss: bool) -> tuple[bytes, list[bytes]]:
    """A document's bytes up to its first entry, and each entry's (its start included)."""
    close, start = _CLOSE[rss], _START[rss]
    if not body.endswith(b"\n" + close):
        raise AssertionError("feedgen's document does not end as lxml's pretty print does")
    end = len(body) - len(close) - 1
    cuts = []
    at = body.find(start, 0, end)
    while at != -1:
        cuts.append(at)
        at = body.find(start, at + len(start), end)
    if not cuts:
        return body[:end], []
    cuts.append(end)
    return body[: cuts[0]], [body[a:b] for a, b in itertools.pairwise(cuts)]


def _common_entry(fe: Any, item: Item) -> Any:
    fe.syndicate.item = item
    if item.title:  # an untitled post (Hugo, Zola) has none in RSS and JSON Feed
        fe.title(item.title)
    fe.guid(item.id, permalink=item.id_is_permalink)
    fe.link(href=item.url, rel="alternate")
    fe.published(item.published)
    fe.updated(item.modified)
    for cat in item.categories:
        fe.category(term=cat.term, scheme=cat.scheme, label=cat.label)
    return fe


def _fill_atom(fe: Any, item: Item) -> None:
    _common_entry(fe, item)
    if not item.title:  # Atom requires one, and the validator a non-blank one
        fe.title(stand_in_title(item.summary, item.published))
    for author in item.authors:
        fe.author(_author(author))
    if item.summary and _MARKUP_LIKE.search(item.summary):
        fe.summary(html.escape(item.summary, quote=False), type="html")
    elif item.summary:
        fe.summary(item.summary, type="text")
    # A body that sanitising left empty (only scripts and styles) gets no content, which an
    # entry with an alternate link may leave out (RFC 4287 4.1.2), rather than an empty one.
    if item.content_html:
        fe.content(item.content_html, type="html")


# What the W3C validator takes for HTML in a text construct ("summary should not contain HTML
# unless declared in the type attribute": an end tag, an entity), as in a summary quoting code
# (`<span style="color: red;">`): such a summary is written as HTML, the text escaped, which a
# reader shows as the same text.
_MARKUP_LIKE = re.compile(r"</\w+>|&#?\w")


def _fill_rss(fe: Any, item: Item) -> None:
    _common_entry(fe, item)
    author = _rss_author(item)
    if author is not None:
        fe.author(_author(author))
    # The summary is the description, with the full HTML beside it in content:encoded; with
    # no summary the full HTML is the description.
    fe.description(html.escape(item.summary, quote=False) if item.summary else item.content_html)
    if item.summary and item.content_html is not None:
        fe.content(item.content_html)
    if not (item.title or item.summary or item.content_html):
        # RSS needs a title or a description: an untitled post with no text has its day.
        fe.title(stand_in_title(item.summary, item.published))


def _rss_author(item: Item) -> Author | None:
    """RSS <author> holds one email address, and the validator warns when an item has both it and
    dc:creator: a single author with an email goes in <author>, anything else in dc:creator."""
    if len(item.authors) == 1 and item.authors[0].email:
        return item.authors[0]
    return None


def rss_bytes(meta: FeedMeta, items: Sequence[Item], cache: EntryCache | None = None) -> bytes:
    """An RSS 2.0 document for `items`, which must already be newest first and limited.
    `cache` shares each item's XML between the feeds of one build."""
    return b"".join(rss_parts(meta, items, cache))


def rss_parts(
    meta: FeedMeta, items: Sequence[Item], cache: EntryCache | None = None
) -> list[bytes]:
    """`rss_bytes`, in the parts that join into it (see `Artifact`)."""
    fg, document = _serialised(meta, items, True, cache)
    parts = document(fg)
    if any("&" in text or "<" in text for text in _plain_texts(meta, items)):
        # A scan of the whole document, only if needed; each entry's part scanned once in a
        # build (no element the scan rewrites spans two parts: `_entries` cuts at an entry's
        # start), where each feed showing it scanned it again (ropensci.org: 58 feeds, ~35 ms).
        parts = _hex_escaped(parts, items, cache)
    return _finish(parts, meta)


def _hex_escaped(
    parts: list[bytes], items: Sequence[Item], cache: EntryCache | None
) -> list[bytes]:
    """The document's parts with the plain texts `_PLAIN_TEXT` finds hex-escaped, each
    entry's (with `cache`: parts are the head, each item's entry, the end) made once."""
    if cache is None:
        return [_PLAIN_TEXT.sub(_hex_escape, b"".join(parts))]
    head, *entries, newline, close = parts
    escaped = [
        made_once(cache, item, _ESCAPED, functools.partial(_PLAIN_TEXT.sub, _hex_escape, entry))
        for item, entry in zip(items, entries, strict=True)
    ]
    return [_PLAIN_TEXT.sub(_hex_escape, head), *escaped, newline, close]


_ESCAPED = "rss, plain texts hex-escaped"  # an RSS entry's variant in `EntryCache`


def html_text(text: str) -> str:
    """`text` as HTML that shows it: `<` and `>` escaped, and each `&` an HTML reader would
    take for a character reference (`&#…`, `&name;`, or a name HTML reads without its `;`,
    such as `&copy`). Any other `&` stays as it is: escaped too, `R&D` reached the feed as
    `R&amp;amp;D`, text a reader of plain text shows as `R&amp;D`, and which the W3C validator
    (RSS Profile) warns of as HTML in the description."""
    return _REFERENCE.sub(_escaped_reference, text).replace("<", "&lt;").replace(">", "&gt;")


# The names HTML reads without a `;` after them (the HTML5 tokenizer's legacy references),
# longest first: `&notin` is `&notin;`, `&notit` `¬it`.
_LEGACY = tuple(sorted((k for k in html.entities.html5 if not k.endswith(";")), key=len)[::-1])
_REFERENCE = re.compile(r"&(#|[A-Za-z][A-Za-z0-9]*;?)")


def _escaped_reference(match: re.Match[str]) -> str:
    name = match.group(1)
    known = name == "#" or name in html.entities.html5 or name.startswith(_LEGACY)
    return "&amp;" + name if known else match.group(0)


def _plain_texts(meta: FeedMeta, items: Sequence[Item]) -> Iterator[str]:
    """Every text that goes into a plain-text element `_PLAIN_TEXT` rewrites (and more)."""
    yield meta.title
    yield meta.copyright or ""
    for item in items:
        yield item.title
        yield from (author.name for author in item.authors)
        yield from (cat.term for cat in item.categories)
        yield from (cat.label or "" for cat in item.categories)


# The RSS Profile (and the W3C validator) ask for "&" and "<" in plain-text elements as hex
# character references, so no reader mistakes a title like "a <b> c" for markup.
_PLAIN_TEXT = re.compile(rb"(<(title|dc:creator|category|copyright)\b[^>]*>)([^<]*)(</\2>)")


def _hex_escape(match: re.Match[bytes]) -> bytes:
    text = match.group(3).replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;")
    return match.group(1) + text + match.group(4)


def atom_bytes(meta: FeedMeta, items: Sequence[Item], cache: EntryCache | None = None) -> bytes:
    """An Atom 1.0 document for `items`, which must already be newest first and limited."""
    return b"".join(atom_parts(meta, items, cache))


def atom_parts(
    meta: FeedMeta, items: Sequence[Item], cache: EntryCache | None = None
) -> list[bytes]:
    """`atom_bytes`, in the parts that join into it (see `Artifact`)."""
    fg, document = _serialised(meta, items, False, cache)
    if meta.hub:
        fg.link(href=meta.hub, rel="hub")
    h = meta.history
    for rel, url in (
        ("current", h.current),
        ("prev-archive", h.prev_archive),
        ("next-archive", h.next_archive),
    ):
        if url:
            fg.link(href=url, rel=rel)
    if meta.icon:
        fg.icon(meta.icon)
    return _finish(document(fg), meta)


def _finish(parts: list[bytes], meta: FeedMeta) -> list[bytes]:
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    if meta.stylesheet:
        head += f'<?xml-stylesheet type="text/xsl" href="{meta.stylesheet}"?>\n'.encode()
    found = _XML_DECL.match(parts[0])  # match, not sub: a sub scans the whole document
    if found:
        parts = [parts[0][found.end() :], *parts[1:]]
    return [head, *parts]
