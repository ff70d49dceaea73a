"""One test per feedgen 1.0 trap that syndicate/feeds/rss_atom.py closes."""

from __future__ import annotations

import dataclasses
import email.utils
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from syndicate.dates import rfc822
from syndicate.feeds.items import FeedMeta, History, Image, Item
from syndicate.feeds.rss_atom import atom_bytes, rss_bytes
from syndicate.model import Author

NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}
TZ = timezone(timedelta(hours=2))


def item(
    n: int, image: Image | None = None, authors: tuple[Author, ...] = (Author("Ann"),)
) -> Item:
    when = datetime(2024, 5, n, 8, 0, tzinfo=TZ)
    return Item(
        id=f"https://e.org/p{n}/",
        url=f"https://e.org/p{n}/",
        title=f"Post {n}",
        summary=f"Summary {n}",
        content_html=f"<p>Body {n}</p>",
        published=when,
        modified=when,
        updated=None,
        authors=authors,
        categories=(),
        image=image,
        series=(),
    )


def meta(fmt: str, **changes: object) -> FeedMeta:
    values: dict[str, object] = {
        "title": "Site",
        "home_url": "https://e.org/",
        "description": "d",
        "language": "en",
        "copyright": None,
        "icon": None,
        "logo": None,
        "self_url": f"https://e.org/{fmt}.xml",
        "id": "https://e.org/atom.xml",
        "hub": "https://hub.example/",
        "updated": datetime(2024, 5, 3, 8, 0, tzinfo=TZ),
        "authors": (Author("Site"),),
        "history": History(),
        "stylesheet": None,
        "self_type": f"application/{fmt}+xml",
    }
    values.update(changes)
    return FeedMeta(**values)  # type: ignore[arg-type]


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def test_rss_channel_link_is_the_site_not_the_last_link_added() -> None:
    channel = parse(rss_bytes(meta("rss"), [item(1)])).find("channel")
    assert channel.findtext("link") == "https://e.org/"


def test_rss_keeps_the_hub_link() -> None:
    channel = parse(rss_bytes(meta("rss"), [item(1)])).find("channel")
    assert channel.find("atom:link[@rel='hub']", NS).get("href") == "https://hub.example/"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == "https://e.org/rss.xml"


def test_atom_enclosure_is_not_a_second_alternate_link() -> None:
    image = Image("https://e.org/a.jpg", "image/jpeg", 1234, "alt")
    entry = parse(atom_bytes(meta("atom"), [item(1, image)])).find("atom:entry", NS)
    links = [
        (link.get("rel"), link.get("type"), link.get("length"))
        for link in entry.findall("atom:link", NS)
    ]
    assert links == [("alternate", "text/html", None), ("enclosure", "image/jpeg", "1234")]


def test_enclosure_length_is_always_an_integer() -> None:
    remote = Image("https://cdn.example/a.png", "image/png", 0, "alt")
    rss = parse(rss_bytes(meta("rss"), [item(1, remote)]))
    [enclosure] = rss.findall("channel/item/enclosure")
    assert enclosure.get("length") == "0"
    assert b"None" not in rss_bytes(meta("rss"), [item(1, remote)])


def test_times_come_from_the_posts_never_the_clock() -> None:
    first = rss_bytes(meta("rss"), [item(3), item(2)]) + atom_bytes(
        meta("atom"), [item(3), item(2)]
    )
    second = rss_bytes(meta("rss"), [item(3), item(2)]) + atom_bytes(
        meta("atom"), [item(3), item(2)]
    )
    assert first == second
    atom = parse(atom_bytes(meta("atom"), [item(3)]))
    assert atom.findtext("atom:updated", namespaces=NS) == "2024-05-03T08:00:00+02:00"
    assert atom.findtext("atom:entry/atom:updated", namespaces=NS) == "2024-05-03T08:00:00+02:00"
    rss = parse(rss_bytes(meta("rss"), [item(3)]))
    assert rss.findtext("channel/lastBuildDate") == "Fri, 03 May 2024 08:00:00 +0200"


def test_entries_keep_the_given_order() -> None:
    items = [item(3), item(2), item(1)]
    rss = parse(rss_bytes(meta("rss"), items))
    assert [i.findtext("title") for i in rss.findall("channel/item")] == [
        "Post 3",
        "Post 2",
        "Post 1",
    ]
    atom = parse(atom_bytes(meta("atom"), items))
    assert [e.findtext("atom:title", namespaces=NS) for e in atom.findall("atom:entry", NS)] == [
        "Post 3",
        "Post 2",
        "Post 1",
    ]


def test_rss_author_without_email_becomes_dc_creator() -> None:
    rss = parse(
        rss_bytes(meta("rss"), [item(1, authors=(Author("Ann"), Author("Bo", "bo@e.org")))])
    )
    entry = rss.find("channel/item")
    assert [c.text for c in entry.findall("dc:creator", NS)] == ["Ann", "Bo"]
    assert entry.find("author") is None
    single = parse(rss_bytes(meta("rss"), [item(1, authors=(Author("Bo", "bo@e.org"),))]))
    assert single.findtext("channel/item/author") == "bo@e.org (Bo)"
    assert single.find("channel/item/dc:creator", NS) is None


def test_an_rss_date_in_the_first_millennium_has_a_four_digit_year() -> None:
    # feedgen's strftime("%Y") gave "Mon, 01 Jan 1 00:00:00 +0000" for a Hugo page without a
    # date (0001-01-01), which the W3C validator refuses as no RFC 822 date.
    year_one = datetime(1, 1, 1, tzinfo=UTC)
    old = dataclasses.replace(item(1), published=year_one, modified=year_one)
    channel = parse(rss_bytes(meta("rss", updated=year_one), [old])).find("channel")
    written = [channel.findtext("lastBuildDate"), channel.findtext("item/pubDate")]
    assert written == ["Mon, 01 Jan 0001 00:00:00 +0000"] * 2
    later = parse(rss_bytes(meta("rss"), [item(3)])).find("channel")
    assert later.findtext("item/pubDate") == "Fri, 03 May 2024 08:00:00 +0200"  # as before


@given(
    st.datetimes(
        timezones=st.none()
        | st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23)).map(timezone)
    )
)
def test_syndicate_writes_an_rfc_822_date_as_the_email_package_does(moment: datetime) -> None:
    assert rfc822(moment) == email.utils.format_datetime(moment)
