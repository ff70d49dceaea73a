"""Every user-supplied text is escaped for where it lands: one property test per place.

Each test writes hostile strings (markup, attribute breakers, entities, CRLF) into the fields
that reach one output, parses that output with a real parser (lxml for XML, html5lib for HTML,
as a browser or a reader would), and checks that the text comes back as text and that no
element or attribute was added: the element structure is the same as with harmless words.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import html
import json
import re
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import feedparser
import html5lib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate.build import choose_period, load_site, make_digest, write_feeds
from syndicate.config import Config, load_config
from syndicate.digest.webcopy import _item as digest_item
from syndicate.feeds.documents import FeedFile
from syndicate.feeds.items import FeedMeta, History, Item
from syndicate.feeds.jsonfeed import ItemCache, json_bytes
from syndicate.feeds.listing import feeds_page, opml
from syndicate.feeds.rss_atom import EntryCache, atom_bytes, rss_bytes
from syndicate.model import Author, Channel

from .conftest import REPO, SiteDir
from .local_templates import this_trees_templates  # noqa: F401

NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/elements/1.1/"}
TZ = timezone(timedelta(hours=1))
WHEN = datetime(2024, 5, 3, 8, 0, tzinfo=TZ)
PAYLOADS = [
    "<img src=x onerror=alert(7)>",
    '"><script>alert(1)</script>',
    "'><svg onload=alert(2)>",
    "</title><script>alert(3)</script>",
    "</textarea><b>bold</b>",
    '<a href="javascript:alert(4)">x</a>',
    "&lt;b&gt;not bold&lt;/b&gt;",
    "&#60;i&#62;",
    "a & b &amp; c",
    "<!-- comment -->",
    "]]><x>",
    "<![CDATA[<b>]]>",
    "{{ 7*7 }} {% if x %}",
    "<style>body{}</style>",
    "<p",
    'x">',
]
# Text an XML document can hold as it is (no control characters, no lone surrogates; \r is
# normalised by every parser, so CRLF gets tests of its own).
_CHARS = st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff")
_WORDS = st.text(alphabet=_CHARS, min_size=1, max_size=20)
HOSTILE = (
    st.lists(st.one_of(st.sampled_from(PAYLOADS), _WORDS), min_size=1, max_size=3)
    .map(" ".join)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
SLOW_EXAMPLES = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))


# --- helpers ---------------------------------------------------------------------------------


def html_doc(text: str) -> Element:
    return html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)


def html_fragment(text: str) -> Element:
    return html5lib.parseFragment(text, treebuilder="etree", namespaceHTMLElements=False)


def elements(root: Element) -> Iterator[Element]:
    return (e for e in root.iter() if isinstance(e.tag, str))


def structure(root: Element) -> list[tuple[str, tuple[str, ...]]]:
    """Every element and the names of its attributes, in document order."""
    return [(e.tag, tuple(sorted(e.attrib))) for e in elements(root)]


def text_of(root: Element) -> str:
    return " ".join("".join(root.itertext()).split())


def attributes_of(root: Element) -> list[str]:
    return [value for e in elements(root) for value in e.attrib.values()]


def assert_no_injection(root: Element) -> None:
    for element in elements(root):
        assert element.tag not in ("script", "svg", "textarea"), element.tag
        assert not [name for name in element.attrib if name.lower().startswith("on")]
        for name in ("href", "src"):
            assert not element.get(name, "").lower().startswith("javascript:")


def plain_text(text: str) -> Element:
    """Parse HTML text (an RSS description) and require it to hold no element at all."""
    root = html_fragment(text)
    assert [e.tag for e in elements(root)][1:] == []  # [0] is the fragment's own root
    return root


def item(title: str = "Post", summary: str = "Summary", author: str = "Ann") -> Item:
    return Item(
        id="https://e.org/p/",
        url="https://e.org/p/",
        title=title,
        summary=summary,
        content_html="<p>Body</p>",
        published=WHEN,
        modified=WHEN,
        updated=None,
        authors=(Author(author, url="https://e.org/ann/"),),
        categories=(),
        image=None,
        series=(),
    )


def meta(fmt: str, title: str = "Site", description: str = "About", rights: str = "CC") -> FeedMeta:
    return FeedMeta(
        title=title,
        home_url="https://e.org/",
        description=description,
        language="en",
        copyright=rights,
        icon=None,
        logo=None,
        self_url=f"https://e.org/{fmt}.xml",
        id="https://e.org/atom.xml",
        hub=None,
        updated=WHEN,
        authors=(Author("Site"),),
        history=History(),
        stylesheet=None,
        self_type=f"application/{fmt}+xml",
    )


def xml(data: bytes) -> Any:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False))


# --- RSS: HTML inside XML ---------------------------------------------------------------------


def test_a_tag_named_like_markup_is_text_in_its_rss_description(site: SiteDir) -> None:
    """The issue's case: the term name reached readers as a live <img onerror>."""
    site.config("[feeds]\ngroupings = ['tags']\n")
    site.post(
        "posts/a.md",
        '---\ntitle: A\ndate: 2024-01-01\ntags: ["<img src=x onerror=alert(7)>"]\n---\nx\n',
    )
    loaded = site.load()
    write_feeds(loaded.config, loaded)
    [path] = (site.root / "public/tags").glob("*/rss.xml")
    description = xml(path.read_bytes()).findtext("channel/description")
    root = plain_text(description)
    assert "<img src=x onerror=alert(7)>" in text_of(root)


@EXAMPLES
@given(
    st.lists(st.sampled_from([*"&#;<>x D1", "amp", "copy", "notit", "lt", "Dagger"])).map("".join)
)
def test_html_text_shows_any_text_as_it_is_and_leaves_a_plain_ampersand_alone(text: str) -> None:
    from syndicate.feeds.rss_atom import html_text

    shown = html_text(text)
    assert html.unescape(shown) == text and "<" not in shown and ">" not in shown
    if not re.search(r"&[#A-Za-z]", text):
        assert shown.count("&amp;") == text.count("&amp;")  # no `&` escaped but for `<`, `>`


def test_a_term_with_an_ampersand_is_plain_text_in_its_rss_description() -> None:
    # `R&D` came out `R&amp;amp;D`: readers of plain text showed `R&amp;D`, and the W3C
    # validator warned of HTML in the description.
    channel = xml(rss_bytes(meta("rss", description="Tag “R&D” on AT&T"), [item()]))
    assert channel.findtext("channel/description") == "Tag “R&D” on AT&T"


@given(description=HOSTILE)
def test_rss_channel_description_is_html_escaped_text(description: str) -> None:
    channel = xml(rss_bytes(meta("rss", description=description), [item()])).find("channel")
    assert text_of(plain_text(channel.findtext("description"))) == description


@EXAMPLES
@given(summary=HOSTILE)
def test_rss_item_description_is_html_escaped_text(summary: str) -> None:
    entry = xml(rss_bytes(meta("rss"), [item(summary=summary)])).find("channel/item")
    assert text_of(plain_text(entry.findtext("description"))) == summary


@EXAMPLES
@given(title=HOSTILE, site_title=HOSTILE, author=HOSTILE, rights=HOSTILE)
def test_rss_plain_text_elements_come_back_as_the_same_text(
    title: str, site_title: str, author: str, rights: str
) -> None:
    data = rss_bytes(meta("rss", title=site_title, rights=rights), [item(title, author=author)])
    channel = xml(data).find("channel")
    assert channel.findtext("title") == site_title
    assert channel.findtext("copyright") == rights
    assert channel.findtext("item/title") == title
    assert channel.findtext("item/dc:creator", namespaces=NS) == author
    # and no element came out of them
    tags = [e.tag for e in channel.iter() if isinstance(e.tag, str)]
    assert tags == [e.tag for e in xml(rss_bytes(meta("rss"), [item()])).find("channel").iter()]


@EXAMPLES
@given(titles=st.lists(HOSTILE, min_size=1, max_size=4), site_title=HOSTILE)
def test_rss_entries_escaped_once_for_every_feed_are_the_document_escaped_whole(
    titles: list[str], site_title: str
) -> None:
    """Each entry's plain texts are hex-escaped once in a build, kept with its XML for every
    feed that shows it: the same bytes as each feed's whole document escaped alone."""
    items = [item(title) for title in titles]
    entries: EntryCache = {}
    feeds = [items, items[::-1], items[:1]]
    for shown in feeds:
        alone = rss_bytes(meta("rss", title=site_title), shown)
        assert rss_bytes(meta("rss", title=site_title), shown, entries) == alone


@SLOW_EXAMPLES
@given(body=st.lists(st.sampled_from(PAYLOADS), min_size=1, max_size=5).map("\n\n".join))
def test_post_html_in_every_format_carries_no_injected_script_or_handler(body: str) -> None:
    """content:encoded, Atom type="html" and JSON content_html: the post's HTML, sanitized."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "content/posts").mkdir(parents=True)
        (root / "config.toml").write_text(
            '[site]\ntitle = "T"\nbase_url = "https://e.org/"\n[feeds]\ngroupings = []\n'
        )
        (root / "content/posts/p.md").write_text(
            "---\ntitle: P\ndate: 2024-01-02\n---\n" + body + "\n", encoding="utf-8"
        )
        config = load_config(root / "config.toml")
        loaded = load_site(config, now="2024-01-20T00:00:00+00:00", env={}, use_cache=False)
        write_feeds(config, loaded)
        public = root / "public"
        rss = xml((public / "rss.xml").read_bytes())
        atom = xml((public / "atom.xml").read_bytes())
        feed = json.loads((public / "feed.json").read_text(encoding="utf-8"))
    fragments = [
        rss.findtext("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded")
        or rss.findtext("channel/item/description"),
        atom.findtext("atom:entry/atom:content", namespaces=NS),
        feed["items"][0].get("content_html"),
    ]
    for fragment in fragments:
        assert_no_injection(html_fragment(fragment or ""))  # (a body sanitized away is empty)


# --- Atom: text constructs ------------------------------------------------------------------


@EXAMPLES
@given(title=HOSTILE, description=HOSTILE, summary=HOSTILE, author=HOSTILE)
def test_atom_text_constructs_are_type_text_and_come_back_the_same(
    title: str, description: str, summary: str, author: str
) -> None:
    data = atom_bytes(
        meta("atom", title=title, description=description), [item(title, summary, author)]
    )
    feed = xml(data)
    for path, expected in [
        ("atom:title", title),
        ("atom:subtitle", description),
        ("atom:entry/atom:title", title),
    ]:
        element = feed.find(path, NS)
        assert element.get("type", "text") == "text", path
        assert element.text == expected, path
    # A summary that looks like markup to the validator (`</b>`, `&amp`) is the same text
    # escaped as HTML; a reader shows either as written.
    element = feed.find("atom:entry/atom:summary", NS)
    if element.get("type", "text") == "html":
        assert html.unescape(element.text) == summary
        assert re.search(r"</\w+>|&#?\w", summary)
    else:
        assert element.text == summary
    assert feed.findtext("atom:entry/atom:author/atom:name", namespaces=NS) == author


def test_a_summary_quoting_markup_passes_the_validator_and_reads_the_same() -> None:
    """Minimal Mistakes' post quoting `<span style="color: red;">red</span>` in its first
    paragraph had a text summary the W3C validator warned of ("summary should not contain
    HTML unless declared in the type attribute")."""
    from .test_languages_feeds import validator

    quoted = 'Use <span style="color: red;">red</span> for AT&T &amp; co.'
    data = atom_bytes(meta("atom"), [item(summary=quoted)])
    assert html.unescape(feedparser.parse(data).entries[0].summary) == quoted
    events = validator()(data, "https://e.org/atom.xml")
    assert not [type(e).__name__ for e in events]


# --- JSON Feed ---------------------------------------------------------------------------------


@EXAMPLES
@given(title=HOSTILE, summary=HOSTILE, author=HOSTILE)
def test_json_feed_text_fields_are_plain_text(title: str, summary: str, author: str) -> None:
    feed = json.loads(json_bytes(meta("json", title=title), [item(title, summary, author)]))
    entry = feed["items"][0]
    assert (feed["title"], entry["title"], entry["summary"]) == (title, title, summary)
    assert entry["authors"][0]["name"] == author


@EXAMPLES
@given(titles=st.lists(HOSTILE, max_size=3), summary=st.text(), author=HOSTILE)
def test_json_feed_items_written_once_and_shared_are_what_one_json_dumps_writes(
    titles: list[str], summary: str, author: str
) -> None:
    """Each item's JSON is made once and spliced into every feed that shows it: the document
    is byte for byte the one json.dumps writes of the whole feed, from the cache or not."""
    items = [item(t, summary, author) for t in titles]
    cache: ItemCache = {}
    first = json_bytes(meta("json"), items, cache=cache)
    whole = json.dumps(json.loads(first), ensure_ascii=False, indent=2) + "\n"
    assert first.decode("utf-8") == whole
    assert json_bytes(meta("json"), items[::-1], cache=cache) == json_bytes(
        meta("json"), items[::-1]
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<script>", 'https://e.org/"><script>', ""]
)
def test_author_urls_that_are_not_web_links_are_left_out(url: str) -> None:
    author = Author("Ann", url=url or None, avatar=url or None)
    one = dataclasses.replace(item(), authors=(author,))
    feed = json.loads(json_bytes(meta("json"), [one]))
    assert feed["items"][0]["authors"] == [{"name": "Ann"}]
    entry = xml(atom_bytes(meta("atom"), [one])).find("atom:entry", NS)
    assert entry.find("atom:author/atom:uri", NS) is None


@EXAMPLES
@given(subject=HOSTILE, titles=st.lists(HOSTILE, min_size=1, max_size=3))
def test_digest_feed_content_html_holds_titles_as_text(subject: str, titles: list[str]) -> None:
    config = load_config(REPO / "tests/fixtures/feedsite/config.toml")
    record = {
        "id": "2024-W01",
        "subject": subject,
        "web_url": "https://e.org/digests/2024-W01/",
        "period": {"start": "2024-01-01T00:00:00+00:00", "end": "2024-01-08T00:00:00+00:00"},
        "posts": [
            {"title": t, "url": f"https://e.org/{n}/?a=1&b=\"'"} for n, t in enumerate(titles)
        ],
    }
    digest = digest_item(config, record)
    assert digest.content_html is not None
    root = html_fragment(digest.content_html)
    assert [e.tag for e in elements(root)][1:] == ["ul"] + ["li", "a"] * len(titles)
    assert [a.text for a in root.iter("a")] == titles
    assert [a.get("href") for a in root.iter("a")] == [p["url"] for p in record["posts"]]
    feed = json.loads(json_bytes(meta("json"), [digest]))
    assert feed["items"][0]["title"] == subject


# --- the XSL stylesheet's page ---------------------------------------------------------------


XSLT = etree.XSLT(etree.parse(str(REPO / "syndicate/data/feed-style.xsl")))


def xsl_page(data: bytes) -> Element:
    return html_doc(str(XSLT(etree.fromstring(data))))


@EXAMPLES
@given(title=HOSTILE, description=HOSTILE, post=HOSTILE)
def test_the_stylesheet_page_shows_every_text_as_text(
    title: str, description: str, post: str
) -> None:
    for fmt, write in (("rss", rss_bytes), ("atom", atom_bytes)):
        benign = xsl_page(write(meta(fmt), [item()]))
        page = xsl_page(write(meta(fmt, title=title, description=description), [item(post)]))
        assert structure(page) == structure(benign), fmt
        assert_no_injection(page)
        shown = [
            " ".join("".join(e.itertext()).split())
            for e in elements(page)
            if e.tag in ("h1", "p", "a")
        ]
        assert " ".join(title.split()) in shown, fmt
        assert " ".join(description.split()) in shown, fmt
        assert " ".join(post.split()) in shown, fmt


# --- feeds.html and feeds.opml -----------------------------------------------------------------


def site_config(tmp: Path, **site: str) -> Config:
    (tmp / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n')
    config = load_config(tmp / "config.toml")
    return dataclasses.replace(config, site=dataclasses.replace(config.site, **site))


def discovery_feeds(name: str, title: str) -> list[FeedFile]:
    site = Channel("site", "", title, title, title, "https://e.org/", "", ())
    tag = Channel(
        "tags", "t", name, f"{title} — Tag: {name}", name, "https://e.org/tags/t/", "tags/t/", ()
    )
    return [
        FeedFile(
            channel, fmt, f"{channel.path}{fmt}.xml", f"https://e.org/{channel.path}{fmt}.xml", True
        )
        for channel in (site, tag)
        for fmt in ("rss", "atom", "json")
    ]


@EXAMPLES
@given(title=HOSTILE, description=HOSTILE, name=HOSTILE)
def test_feeds_page_shows_names_as_text(title: str, description: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        benign_config = site_config(Path(tmp), title="Site", description="About")
        config = site_config(Path(tmp), title=title, description=description)
        benign = html_doc(feeds_page(benign_config, discovery_feeds("Name", "Site")).data.decode())
        page = html_doc(feeds_page(config, discovery_feeds(name, title)).data.decode())
    assert structure(page) == structure(benign)
    assert_no_injection(page)
    text = text_of(page)
    assert all(" ".join(s.split()) in text for s in (title, description, name))
    assert f"{title} (RSS)" in attributes_of(page)


@EXAMPLES
@given(title=HOSTILE, name=HOSTILE)
def test_opml_outlines_carry_names_as_the_same_text(title: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        config = site_config(Path(tmp), title=title)
        data = opml(config, discovery_feeds(name, title), WHEN).data
    root = xml(data)
    texts = [o.get("text") for o in root.iter("outline") if o.get("xmlUrl")]
    assert texts == [title, f"{title} — Tag: {name}"]
    assert root.findtext("head/ownerName") == title


# --- the digest: email, web copy, archive page, headers ------------------------------------------


def toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # astral characters as they are: TOML refuses
    # the surrogate pairs ensure_ascii would write


def digest_site(root: Path, text: dict[str, str]) -> tuple[Path, Any]:
    """A one-post site whose every digest text is taken from `text`; its rendered digest."""
    (root / "content/posts").mkdir(parents=True)
    (root / "config.toml").write_text(
        "[site]\n"
        f"title = {toml(text['site'])}\n"
        'base_url = "https://e.org/"\n'
        f"description = {toml(text['site'])}\n"
        "[digest]\n"
        'from = "T <t@e.org>"\n'
        f"intro = {toml(text['intro'])}\n"
        f"outro = {toml(text['outro'])}\n"
        f"postal_address = {toml(text['address'])}\n"
    )
    front = {
        "title": text["title"],
        "date": "2024-01-02T10:00:00+00:00",
        "description": text["summary"],
        "authors": [text["author"]],
        "categories": [text["category"]],
        "series": [text["series"]],
        "image": "https://e.org/i.png",
        "image_alt": text["alt"],
    }
    (root / "content/posts/p.md").write_text(
        json.dumps(front, indent=1) + "\nBody\n", encoding="utf-8"
    )
    config = load_config(root / "config.toml")
    loaded = load_site(config, now="2024-01-20T00:00:00+00:00", env={}, use_cache=False)
    assert not loaded.report.errors, [str(p) for p in loaded.report.errors]
    outcome = make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))
    assert outcome.result is not None
    return root / "public", outcome.result


FIELDS = (
    "site",
    "intro",
    "outro",
    "address",
    "title",
    "summary",
    "author",
    "category",
    "series",
    "alt",
)
_BENIGN: dict[str, Any] = {}


def benign_digest() -> dict[str, Any]:
    """The structure of every digest output with harmless words (rendered once)."""
    if not _BENIGN:
        with tempfile.TemporaryDirectory() as tmp:
            public, result = digest_site(Path(tmp), {f: f.capitalize() for f in FIELDS})
            _BENIGN["email"] = structure(html_doc(result.email.html))
            _BENIGN["web"] = structure(html_doc(result.web_html))
            _BENIGN["index"] = structure(html_doc((public / "digests/index.html").read_text()))
    return _BENIGN


@SLOW_EXAMPLES
@given(st.fixed_dictionaries({f: HOSTILE for f in FIELDS}))
def test_digest_email_web_copy_and_index_show_every_text_as_text(text: dict[str, str]) -> None:
    expected = benign_digest()
    with tempfile.TemporaryDirectory() as tmp:
        public, result = digest_site(Path(tmp), text)
        pages = {
            "email": html_doc(result.email.html),
            "web": html_doc(result.web_html),
            "index": html_doc((public / "digests/index.html").read_text()),
        }
    for name, page in pages.items():
        assert structure(page) == expected[name], name
        assert_no_injection(page)
    shown = text_of(pages["email"])
    for field in ("intro", "outro", "address", "title", "author"):
        assert " ".join(text[field].split()) in shown, field
    alts = [img.get("alt") for img in pages["email"].iter("img")]
    assert " ".join(text["alt"].split()) in [" ".join((a or "").split()) for a in alts]
    assert " ".join(result.email.subject.split()) in text_of(pages["index"])


@SLOW_EXAMPLES
@given(site=HOSTILE, title=HOSTILE, crlf=st.sampled_from(["\r\n", "\n", "\r", "\u2028", "\x85"]))
def test_digest_headers_take_no_line_from_titles(site: str, title: str, crlf: str) -> None:
    evil = f"{crlf}Bcc: evil@example.org{crlf}X-Evil: 1"
    text = {f: f.capitalize() for f in FIELDS} | {"site": site + evil, "title": title + evil}
    with tempfile.TemporaryDirectory() as tmp:
        _, result = digest_site(Path(tmp), text)
    message = email.message_from_bytes(result.email.message, policy=email.policy.default)
    assert sorted(message.keys()) == sorted(
        [
            "Subject",
            "From",
            "To",
            "Date",
            "Message-ID",
            "X-Syndicate-Digest",
            "MIME-Version",
            "Content-Type",
        ]
    )
    assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
    # (folding a long header and unfolding it again may change the spaces, nothing else)
    assert str(message["Subject"]).split() == result.email.subject.split()


@pytest.mark.parametrize("value", ["T <t@e.org>\r\nBcc: evil@example.org", "t@e.org\nX: y"])
def test_a_sender_with_a_line_break_is_refused(tmp_path: Path, value: str) -> None:
    from syndicate.errors import ConfigError

    (tmp_path / "config.toml").write_text(
        f'[site]\ntitle = "T"\nbase_url = "https://e.org/"\n[digest]\nfrom = {json.dumps(value)}\n'
    )
    with pytest.raises(ConfigError, match=r"digest\.from"):
        load_config(tmp_path / "config.toml")


def test_hostile_payloads_are_all_tried() -> None:
    """A payload list that stops parsing as markup would make every test above vacuous."""
    for payload in PAYLOADS[:6]:
        assert re.search(r"<\w", payload)
        assert len(list(elements(html_fragment(payload)))) > 1, payload


@pytest.mark.parametrize(
    "subject",
    [
        "<img src=x onerror=alert(7)> Bcc: evil@example.org X-Evil: 1: ¡ Bcc…",  # found by hypothesis
        "Café crème: ¡Hola! " * 6,
        "日本語 の 件名 and spaces",
    ],
)
def test_a_non_ascii_subject_keeps_every_space(subject: str) -> None:
    from syndicate.digest.mime import build_message

    with tempfile.TemporaryDirectory() as tmp:
        config_path = Path(tmp) / "config.toml"
        config_path.write_text(
            '[site]\ntitle = "T"\nbase_url = "https://e.org/"\n[digest]\nfrom = "T <t@e.org>"\n'
        )
        config = load_config(config_path)
    data = build_message(
        config=config,
        digest_id="2024-W14",
        subject=subject,
        date=datetime(2024, 4, 8, tzinfo=UTC),
        text="text",
        html="<p>html</p>",
    )
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert str(message["Subject"]) == subject
    assert all(len(line) <= 78 for line in data.split(b"\r\n\r\n")[0].split(b"\r\n"))
