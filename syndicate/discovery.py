"""Feed files -> the ways people find them: `feeds.opml` (import every feed at once),
`feeds.html` (a page with autodiscovery links and a snippet to paste), and the XSL stylesheet
that makes an RSS or Atom file readable when opened in a browser (a nicety only: browsers are
removing XSLT, so nothing depends on it and feeds.html is the page to link people to)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from importlib import resources
from typing import TYPE_CHECKING

from lxml import etree

from .config import Config
from .feedset import MEDIA_TYPES, STYLESHEET, FeedFile
from .model import Artifact
from .taxonomy import LABELS

if TYPE_CHECKING:
    from jinja2 import Environment

_FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
_GROUP_TITLES: dict[str, str] = {"site": "Site"} | {str(k): v for k, v in LABELS.items()}


def _env() -> Environment:
    from jinja2 import Environment, PackageLoader, select_autoescape  # slow; not every build

    return Environment(
        loader=PackageLoader("syndicate", "data"),
        autoescape=select_autoescape(["html", "xml", "xsl"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def opml(config: Config, feeds: Sequence[FeedFile], updated: datetime) -> Artifact:
    """OPML 2.0: one outline per channel and format, grouped by kind."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"{config.site.title} — all feeds"
    etree.SubElement(head, "dateModified").text = format_datetime(updated)
    etree.SubElement(head, "ownerName").text = config.site.title
    body = etree.SubElement(root, "body")
    groups: dict[str, list[FeedFile]] = defaultdict(list)
    for feed in feeds:
        if feed.subscription:
            groups[feed.channel.kind].append(feed)
    for kind, members in groups.items():
        outline = etree.SubElement(
            body, "outline", text=_GROUP_TITLES[kind], title=_GROUP_TITLES[kind]
        )
        for feed in members:
            etree.SubElement(
                outline,
                "outline",
                type="rss",
                text=f"{feed.channel.title} ({_FORMAT_NAMES[feed.format]})",
                title=f"{feed.channel.title} ({_FORMAT_NAMES[feed.format]})",
                xmlUrl=feed.url,
                htmlUrl=feed.channel.home_url,
                version={"rss": "RSS2", "atom": "ATOM1", "json": "JSONFEED"}[feed.format],
            )
    data = etree.tostring(root, encoding="UTF-8", pretty_print=True)
    return Artifact("feeds.opml", b'<?xml version="1.0" encoding="UTF-8"?>\n' + data)


def feeds_page(config: Config, feeds: Sequence[FeedFile]) -> Artifact:
    subscription = [f for f in feeds if f.subscription]
    groups: dict[str, list[FeedFile]] = defaultdict(list)
    for feed in subscription:
        groups[feed.channel.kind].append(feed)
    site_feeds = [f for f in subscription if f.channel.kind == "site"]
    html = (
        _env()
        .get_template("feeds.html")
        .render(
            site=config.site,
            base_url=config.base_url,
            site_feeds=site_feeds,
            groups=[(_GROUP_TITLES[k], _by_channel(v)) for k, v in groups.items() if k != "site"],
            media_types=MEDIA_TYPES,
            format_names=_FORMAT_NAMES,
        )
    )
    return Artifact("feeds.html", html.encode("utf-8"))


def _by_channel(feeds: Sequence[FeedFile]) -> list[tuple[FeedFile, list[FeedFile]]]:
    out: dict[str, list[FeedFile]] = {}
    for feed in feeds:
        out.setdefault(feed.channel.path, []).append(feed)
    return [(members[0], members) for members in out.values()]


def stylesheet() -> Artifact:
    data = resources.files("syndicate").joinpath("data", "feed-style.xsl").read_bytes()
    return Artifact(STYLESHEET, data)
