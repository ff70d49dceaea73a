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
from .items import FeedMeta, Item, web_url

VERSION = "https://jsonfeed.org/version/1.1"


def _author(author: Author) -> dict[str, str]:
    data = {"name": author.name}
    if web_url(author.url):
        data["url"] = author.url
    if web_url(author.avatar):
        data["avatar"] = author.avatar
    return data


def _item(item: Item, feed_authors: tuple[Author, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.id, "url": item.url, "title": item.title}
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
    if item.series:
        data["_syndicate"] = {"series": [{"name": n, "url": u} for n, u in item.series]}
    return data


def json_bytes(meta: FeedMeta, items: Sequence[Item], next_url: str | None = None) -> bytes:
    """A JSON Feed 1.1 document; `next_url` links the next (older) page of an archive chain."""
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
    feed["items"] = [_item(i, meta.authors) for i in items]
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
