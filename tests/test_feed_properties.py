"""Property tests: whatever people write in titles, bodies, tags and dates, every feed stays
well-formed, and the title survives the round trip."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import feedparser
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import load_site, write_feeds
from syndicate.config import load_config
from syndicate.feeds import rss_atom
from syndicate.feeds.items import Item, item_digest
from syndicate.feeds.jsonfeed import indented
from syndicate.model import Author
from syndicate.text import STAND_IN_LENGTH, stand_in_title

from .conftest import examples
from .test_escaping import item

CONFIG = """
[site]
title = "P"
base_url = "https://p.example.org/"
timezone = "America/New_York"
[feeds]
groupings = ["tags"]
"""
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),  # no lone surrogates: not UTF-8
    min_size=1,
    max_size=80,
)
hostile = st.sampled_from(
    ["<script>x</script>", "a & b", "]]>", '"q"', "'", "🎉", "שלום", "\x10", "{{ x }}", "*|UNSUB|*"]
)
titles = st.one_of(text, st.lists(st.one_of(text, hostile), min_size=1, max_size=4).map(" ".join))
dates = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2024, 1, 1), timezones=st.just(UTC)
)


def expected_title(title: str) -> str:
    """The title's white space made single, but its no-break spaces kept ("" for none)."""
    cleaned = INVALID_XML.sub("", title)
    return re.sub(r"[^\S\u00a0\u2007\u202f]+", " ", cleaned).strip(" ") if cleaned.strip() else ""


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=titles,
    body=st.one_of(text, hostile),
    tags=st.lists(st.one_of(text, hostile), max_size=3),
    date=dates,
    offset=st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_arbitrary_posts_give_well_formed_feeds(
    title: str, body: str, tags: list[str], date: datetime, offset: int
) -> None:
    assume(expected_title(title))
    assume(not body.lstrip().startswith(("{", "---", "+++")))
    assume("\x00" not in body)  # a NUL byte marks a binary file, reported as such
    when = date.astimezone(timezone(timedelta(minutes=offset))).replace(microsecond=0)
    front = {"title": title, "date": when.isoformat(), "tags": tags}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "config.toml").write_text(CONFIG)
        (root / "content/posts").mkdir(parents=True)
        (root / "content/posts/p.md").write_text(
            json.dumps(front, indent=1) + "\n" + body, encoding="utf-8"
        )
        config = load_config(root / "config.toml")
        site = load_site(config, now="2030-01-01T00:00:00+00:00", env={})
        assert not site.report.errors, [str(p) for p in site.report.errors]
        write_feeds(config, site)
        public = root / "public"
        for name in ("rss.xml", "atom.xml"):
            data = (public / name).read_bytes()
            root = etree.fromstring(data, etree.XMLParser(recover=False))
            found = root.findtext("channel/item/title") or root.findtext(
                "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title"
            )
            assert found == expected_title(title)
            parsed = feedparser.parse(data)
            assert not parsed.bozo, parsed.bozo_exception
            # (feedparser's own title is not compared: it "repairs" text that looks like
            # mojibake, turning a literal "Â¡" into "¡")
            assert parsed.entries[0].published_parsed is not None
        feed = json.loads((public / "feed.json").read_text(encoding="utf-8"))
        assert feed["items"][0]["title"] == expected_title(title)
        assert datetime.fromisoformat(feed["items"][0]["date_published"]) == when
        for tag_feed in public.glob("tags/*/atom.xml"):
            etree.fromstring(tag_feed.read_bytes(), etree.XMLParser(recover=False))
        for rss in [public / "rss.xml", *public.glob("tags/*/rss.xml")]:
            # "&" and "<" in plain-text elements as hex references, as the RSS Profile asks
            data = rss.read_bytes()
            assert rss_atom._PLAIN_TEXT.sub(rss_atom._hex_escape, data) == data


@given(summary=st.one_of(text, st.lists(st.one_of(text, hostile)).map(" ".join)))
def test_an_untitled_posts_stand_in_title_is_its_first_words_never_blank(summary: str) -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    title = stand_in_title(summary, when)
    words = " ".join(summary.split())
    assert title.strip() and len(title) <= STAND_IN_LENGTH
    if not words:
        assert title == "2024-05-01"
    elif title.endswith("…") and title != words:
        assert words.startswith(title[:-1])
    else:
        assert title == words


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.one_of(text, hostile),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@given(value=json_values, depth=st.integers(min_value=0, max_value=3))
def test_indented_json_is_what_json_dumps_writes(value: object, depth: int) -> None:
    """The JSON Feed's items and head are written by `indented`, not json.dumps: the same text,
    at any depth of indentation."""
    written = json.dumps(value, ensure_ascii=False, indent=2)
    at = "  " * depth
    assert indented(value, at) == written.replace("\n", "\n" + at)


optional_html = st.one_of(st.none(), st.just(""), text, hostile)


@given(html=optional_html, other=optional_html, title=text, summary=st.one_of(text, hostile))
def test_an_items_digest_changes_with_its_html_and_with_every_other_field(
    html: str | None, other: str | None, title: str, summary: str
) -> None:
    """A feed is written again only when the digest of one of its items changed (or its own
    fields): the HTML, hashed apart from the rest, counts as much as any other field, and no
    HTML, empty HTML and some HTML are three different items."""
    base = replace(item(title, summary), content_html=html)
    when = base.modified
    same = Item(**{f: getattr(base, f) for f in base.__slots__})  # an equal item, not this one
    assert item_digest(same) == item_digest(base)
    assert (item_digest(replace(base, content_html=other)) == item_digest(base)) == (other == html)
    assert item_digest(replace(base, title=title + "!")) != item_digest(base)
    assert item_digest(replace(base, summary=summary + "!")) != item_digest(base)
    assert item_digest(replace(base, authors=(Author("Ann", url="https://e.org/"),))) != (
        item_digest(base)
    )
    assert item_digest(replace(base, modified=when + timedelta(seconds=1))) != item_digest(base)


_TERM_NAMES = st.sampled_from(
    ["Python", "python", "PYTHON", "Go", "go", "Rust", "C++", "c++", "données", "Donnees", "!!"]
) | st.text(max_size=6)


@given(
    st.lists(st.lists(_TERM_NAMES, max_size=4), max_size=12),
    st.sampled_from(["tags", "authors"]),
)
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_the_taxonomy_groups_names_as_it_does_name_by_name(
    names: list[list[str]], kind: str
) -> None:
    """`_group` slugs each distinct name once; `_group_each` goes name by name (and takes over
    when a name has no slug, or one cut short): the same terms, posts, spellings and
    warnings, in the same order."""
    from syndicate.errors import Report
    from syndicate.feeds.channels import _group, _group_each

    from .conftest import bare_post

    posts = []
    for i, these in enumerate(names):
        terms = {"authors": tuple(Author(n) for n in these)} if kind == "authors" else {}
        posts.append(bare_post(slug=f"p{i}", tags=tuple(these), **terms))
    fast, each = Report(), Report()
    grouped = _group(kind, posts, fast)  # type: ignore[arg-type]
    expected = _group_each(kind, posts, each)  # type: ignore[arg-type]
    assert list(grouped) == list(expected)
    for term, (members, spellings) in expected.items():
        assert [id(p) for p in grouped[term][0]] == [id(p) for p in members]
        assert grouped[term][1] == spellings
    assert [str(p) for p in fast.problems] == [str(p) for p in each.problems]
