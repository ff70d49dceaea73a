"""FeedMeta + items -> JSON Feed 1.1 bytes (https://www.jsonfeed.org/version/1.1/).

feedgen has no JSON Feed, so this follows the specification directly: `version` first, no
`null` values (optional keys are left out), plain-text `title` and `summary`, HTML only in
`content_html`, RFC 3339 dates, `authors` as objects, and extensions under `_syndicate`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..model import Author
from .items import FeedMeta, Item, PerItem, made_once, web_url

VERSION = "https://jsonfeed.org/version/1.1"


def _author(author: Author) -> dict[str, str]:
    data = {"name": author.name}
    if web_url(author.url):
        data["url"] = author.url
    if web_url(author.avatar):
        data["avatar"] = author.avatar
    return data


def _item(item: Item, feed_authors: tuple[Author, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "url": item.url}
    if item.title:  # optional in JSON Feed 1.1, left out for untitled posts (microblog posts)
        data["title"] = item.title
    if item.content_html is not None:
        data["content_html"] = item.content_html
    else:
        data["content_text"] = item.summary
    if item.summary:
        data["summary"] = item.summary
    if item.image is not None:
        data["image"] = item.image.url
    data["date_published"] = item.published.isoformat()
    if item.updated is not None:
        data["date_modified"] = item.modified.isoformat()
    if item.authors and item.authors != feed_authors:
        data["authors"] = [_author(a) for a in item.authors]
    tags = list(dict.fromkeys(c.label for c in item.categories))
    if tags:
        data["tags"] = tags
    if item.language:
        data["language"] = item.language
    if item.series:
        data["_syndicate"] = {"series": [{"name": n, "url": u} for n, u in item.series]}
    return data


# Each item's JSON, as it stands in a feed's `items` (UTF-8), kept with the item (whose id is the
# key only while it lives) for the feeds of one build: an item is in a feed of each of its
# terms, and is encoded once, not once per feed.
ItemCache = PerItem[bytes]  # variant: the feed's own authors, which an item leaves out


def json_bytes(
    meta: FeedMeta,
    items: Sequence[Item],
    next_url: str | None = None,
    cache: ItemCache | None = None,
) -> bytes:
    """A JSON Feed 1.1 document; `next_url` links the next (older) page of an archive chain.
    `cache` shares each item's JSON between the feeds of one build."""
    return b"".join(json_parts(meta, items, next_url, cache))


def json_parts(
    meta: FeedMeta,
    items: Sequence[Item],
    next_url: str | None = None,
    cache: ItemCache | None = None,
) -> list[bytes]:
    """`json_bytes`, in the parts that join into it (see `Artifact`)."""
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": meta.title,
        "home_page_url": meta.home_url,
        "feed_url": meta.self_url,
    }
    if meta.description:
        feed["description"] = meta.description
    if next_url:
        feed["next_url"] = next_url
    if meta.logo:
        feed["icon"] = meta.logo
    if meta.icon:
        feed["favicon"] = meta.icon
    if meta.authors:
        feed["authors"] = [_author(a) for a in meta.authors]
    feed["language"] = meta.language
    if meta.hub:
        feed["hubs"] = [{"type": "WebSub", "url": meta.hub}]
    if not items:
        feed["items"] = []
        return [(indented(feed) + "\n").encode("utf-8")]
    # What json.dumps(indent=2) writes with the items in place: they come last, each indented
    # two levels.
    head = indented(feed).removesuffix("\n}")
    listed = [_item_json(i, meta.authors, cache) for i in items]
    separated = [b",\n"] * (2 * len(listed) - 1)
    separated[::2] = listed
    return [f'{head},\n  "items": [\n'.encode(), *separated, b"\n  ]\n}\n"]


def _item_json(item: Item, feed_authors: tuple[Author, ...], cache: ItemCache | None) -> bytes:
    def make() -> bytes:
        return ("    " + indented(_item(item, feed_authors), "    ")).encode()

    return made_once(cache, item, feed_authors, make)


_SCALAR = json.JSONEncoder(ensure_ascii=False).encode  # in C for a string, a number, a bool


def indented(value: object, at: str = "") -> str:
    """What `json.dumps(value, ensure_ascii=False, indent=2)` writes of a value whose mappings'
    keys are strings (a feed's are), each line after the first also indented by `at`: the same
    text in less time (json's encoder is pure Python as soon as it indents, a call per value;
    here each string is one call into C)."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = at + "  "
        fields = ",\n".join(f"{inner}{_SCALAR(k)}: {indented(v, inner)}" for k, v in value.items())
        return f"{{\n{fields}\n{at}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = at + "  "
        return "[\n" + ",\n".join(inner + indented(v, inner) for v in value) + f"\n{at}]"
    return _SCALAR(value)
