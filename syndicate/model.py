"""The values passed between stages, each defined once: Post, Term, Channel, Artifact."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from .datatype import datatype

TermKind = Literal["series", "categories", "tags", "authors"]
ChannelKind = Literal["site", "series", "categories", "tags", "authors", "sections"]


@datatype
class Author:
    name: str
    email: str | None = None
    url: str | None = None
    avatar: str | None = None


@datatype
class Asset:
    """A URL the post refers to, and the local file behind it when there is one."""

    url: str
    path: Path | None = None


@datatype
class Post:
    """One published (or draft) post, normalised from its file.

    `body` is Markdown; the HTML is produced on demand by `content.Renderer`, because rendering is
    most of a build's cost and only the posts some output shows need it.
    """

    source: Path
    body_line: int
    title: str
    slug: str
    section: str
    permalink: str
    id: str
    date: datetime
    updated: datetime | None
    description: str | None
    excerpt: str | None  # the summary of a post without a description (None when it has one)
    authors: tuple[Author, ...]
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    series: tuple[str, ...]
    image: Asset | None
    image_alt: str | None
    draft: bool
    in_feeds: bool
    summary_only: bool
    body: str
    bundle: Path | None = None
    expires: datetime | None = None
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    # A post read back from the build cache has an empty `body`: the renderer reads it from the
    # file again in the rare case its HTML is not cached too. The digest names the text either
    # way: the hash of the file it came from, or of the text itself.
    body_digest: str = ""
    # The post's language ("": the site's own), and a key its translations share ("": none).
    language: str = ""
    translation_key: str = ""
    # The body holds `{{`, `{%` or `@/` (`syntax.MAY_BEGIN`), where a template syntax may
    # begin: the check for shortcode problems reads the bodies of these posts only.
    templated: bool = False
    # The sections whose own feeds list the post, each a path of folders below the content
    # folder ("posts/guides"), as its generator files it: Hugo's nearest section, Zola's own
    # section and those its pages reach through transparency; without a generator, the
    # top-level section. Addresses with `nested = true` group posts by these.
    feed_sections: tuple[str, ...] = ()
    # Whether the front matter names the authors (else they are the site's default authors):
    # a generator's author pages list only the posts that name them.
    authors_named: bool = True
    # The URL the featured image names when no file was found behind it (`image` is then
    # None, with a warning), else "": on a Hugo site, another page's bundle may publish a file
    # there, which only every post loaded tells (`content.loader.settle_images`).
    image_unfound: str = ""
    # The language the front matter says the post is written in, where it may differ from its
    # feeds' (a Jekyll post's `lang`): its entries carry it. "": theirs.
    written_in: str = ""
    # A Hugo bundle's files that the post's text may name by path ("pic.jpg") but that Hugo
    # publishes elsewhere, each with its URL: a translation on a multilingual site at one host
    # shares the files published under another translation's address, which Hugo's link and
    # image render hooks write. Known only once every post is loaded (`resources.settle`).
    shared_files: tuple[tuple[str, str], ...] = ()

    @property
    def modified(self) -> datetime:
        """The time readers should see as "last changed": updated if later than date."""
        return self.updated if self.updated and self.updated > self.date else self.date


@datatype
class Term:
    """A taxonomy term: `king’s college` shown as written, published under `kings-college`."""

    kind: TermKind
    name: str
    slug: str


@datatype
class Channel:
    """One feed's worth of posts: the whole site, or one series, category, tag, author or
    top-level section."""

    kind: ChannelKind
    slug: str
    name: str
    title: str
    description: str
    home_url: str
    path: str
    posts: tuple[Post, ...]


@datatype
class Artifact:
    """A file to write under the output folder: `path` is relative and uses "/". `data` is
    its bytes, or the parts they join from: a feed document is written as its header and
    each entry's bytes, which the build makes once and every document showing it shares."""

    path: str
    data: bytes | tuple[bytes, ...]

    @property
    def size(self) -> int:
        return len(self.data) if isinstance(self.data, bytes) else sum(map(len, self.data))

    def joined(self) -> bytes:
        return self.data if isinstance(self.data, bytes) else b"".join(self.data)


@datatype
class Email:
    """A rendered digest: everything a transport needs, and the files `digest` writes."""

    digest_id: str
    period_start: datetime
    period_end: datetime
    subject: str
    preheader: str
    sender: str
    to: str | None
    html: str
    text: str
    message: bytes
    web_url: str
    posts: tuple[Post, ...]
    summary: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
