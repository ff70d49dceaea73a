"""A rendered digest -> its public web version, with a feed of every digest, for readers who
follow the newsletter by feed (the outbox folder a transport sends from: `outbox`)."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from ..config import Config, fill_words
from ..feeds.items import FeedMeta, History, Item, feed_authors, web_url
from ..feeds.jsonfeed import json_bytes
from ..feeds.listing import digest_feed_title, digests_page
from ..feeds.newsletter import DIGEST_FEEDS, DIGESTS
from ..feeds.rss_atom import atom_bytes, rss_bytes
from ..model import Artifact, Email
from .archive import keep_pages, published_records
from .editions import Edition, default_edition
from .labels import period_label
from .outbox import summary_json
from .periods import Period


def public_artifacts(
    config: Config, email: Email, web_html: str, edition: Edition | None = None
) -> list[Artifact]:
    """The web version of this digest, and the digest feeds listing every published digest.
    A language's edition (`edition.code`) has its web version only, under `digests/<code>/`:
    the digests' feeds and index list the default language's digests."""
    folder = edition.folder(email.digest_id) if edition else f"digests/{email.digest_id}/"
    record = summary_json(email)
    artifacts = [
        Artifact(folder + "index.html", web_html.encode("utf-8")),
        Artifact(folder + "digest.json", record),
    ]
    if edition is not None and edition.code:
        return artifacts
    records = [*published_records(config, exclude=email.digest_id), json.loads(record)]
    return artifacts + digests_pages(config, records)


def digests_pages(config: Config, records: list[dict[str, Any]]) -> list[Artifact]:
    """The digests' feeds and index page, listing `records` newest first (the id decides
    between two periods that end together, so that every run lists them alike)."""
    records.sort(key=lambda r: (datetime.fromisoformat(r["period"]["end"]), r["id"]), reverse=True)
    items = [_item(config, r) for r in records]
    writers: dict[str, Callable[[FeedMeta, Sequence[Item]], bytes]] = {
        "rss": rss_bytes,
        "atom": atom_bytes,
        "json": json_bytes,
    }
    artifacts = [
        Artifact(path, writers[fmt](_meta(config, items, path, fmt), items))
        for fmt, path in DIGEST_FEEDS
    ]
    locale = default_edition(config).locale
    artifacts.append(digests_page(config, [_listed(r, locale) for r in records]))
    keep_pages(config, records, artifacts)
    return artifacts


def _listed(record: dict[str, Any], locale: str) -> dict[str, object]:
    """What the digests' index page shows of one digest."""
    period = Period(
        datetime.fromisoformat(record["period"]["start"]),
        datetime.fromisoformat(record["period"]["end"]),
        record["id"],
    )
    url = record.get("web_url")
    return {
        "title": record["subject"],
        "url": url if isinstance(url, str) and web_url(url) else None,
        "label": period_label(period, locale),
        "posts": len(record.get("posts", [])),
    }


def _item(config: Config, record: dict[str, Any]) -> Item:
    end = datetime.fromisoformat(record["period"]["end"])
    listing = "".join(
        f'<li><a href="{html.escape(p["url"])}">{html.escape(p["title"])}</a></li>'
        for p in record.get("posts", [])
    )
    return Item(
        id=record["web_url"],
        url=record["web_url"],
        title=record["subject"],
        summary=record.get("preheader", ""),
        content_html=f"<ul>{listing}</ul>",
        published=end,
        modified=end,
        updated=None,
        authors=feed_authors(config),
        categories=(),
        image=None,
        series=(),
    )


def _meta(config: Config, items: Sequence[Item], path: str, fmt: str) -> FeedMeta:
    base = config.base_url
    return FeedMeta(
        title=digest_feed_title(config),
        home_url=base + DIGESTS,
        description=fill_words(config.digest.labels.archive_description, site=config.site.title),
        language=config.site.language,
        copyright=config.site.copyright,
        icon=None,
        logo=None,
        self_url=base + path,
        id=f"{base}digests/atom.xml",
        hub=config.feeds.hub,
        updated=max(i.modified for i in items),
        authors=feed_authors(config),
        history=History(),
        stylesheet=None,
        self_type={"rss": "application/rss+xml", "atom": "application/atom+xml"}.get(
            fmt, "application/feed+json"
        ),
    )
