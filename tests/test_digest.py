"""The weekly digest: golden files, the HTML-email checklist, the MIME message, and hostile input."""

from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from syndicate.build import choose_period, load_site, make_digest
from syndicate.config import load_config
from syndicate.errors import TemplateError

from .conftest import NOW, REPO, RunCli, SiteDir, check_golden, copy_fixture
from .local_templates import this_trees_templates  # noqa: F401

GOLDEN = REPO / "tests" / "golden" / "digest"
WEEK = "2024-W14"


def digest_for(root: Path, week: str = WEEK, now: str = NOW, **kwargs: bool):  # type: ignore[no-untyped-def]
    config = load_config(root / "config.toml")
    site = load_site(config, now=now, env={})
    return make_digest(site, choose_period(config, site.now, week=week), **kwargs)


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    return copy_fixture("feedsite", tmp_path / "feedsite")


@pytest.fixture
def outbox(fixture_root: Path) -> Path:
    outcome = digest_for(fixture_root)
    assert outcome.outbox is not None
    return outcome.outbox


def page(outbox: Path) -> etree._Element:
    return lxml_html.fromstring((outbox / "email.html").read_bytes())


@pytest.mark.parametrize("name", ["email.html", "email.txt", "message.eml", "digest.json"])
def test_golden_files(outbox: Path, name: str, update_golden: bool) -> None:
    check_golden((outbox / name).read_bytes(), GOLDEN / name, update_golden)


def test_the_week_holds_the_posts_published_in_it(fixture_root: Path) -> None:
    outcome = digest_for(fixture_root)
    assert [p.slug for p in outcome.posts] == ["third", "second"]
    assert outcome.period.id == WEEK


def test_the_outbox_keeps_the_web_version_as_published(fixture_root: Path, outbox: Path) -> None:
    published = fixture_root / "public/digests" / WEEK / "index.html"
    assert (outbox / "web.html").read_bytes() == published.read_bytes()


def test_rendering_twice_gives_the_same_bytes(fixture_root: Path, outbox: Path) -> None:
    before = {p.name: p.read_bytes() for p in outbox.iterdir()}
    digest_for(fixture_root)
    assert {p.name: p.read_bytes() for p in outbox.iterdir()} == before


# --- the HTML-email checklist ----------------------------------------------------------------


def test_every_styled_element_has_inline_styles(outbox: Path) -> None:
    doc = page(outbox)
    for element in doc.iter():
        if isinstance(element.tag, str) and element.get("class"):
            assert element.get("style"), (
                f"<{element.tag} class={element.get('class')}> has no inline style"
            )


def test_only_media_queries_remain_in_style_and_keep_important(outbox: Path) -> None:
    [style] = page(outbox).iter("style")
    css = style.text or ""
    assert "@media screen and (max-width: 620px)" in css
    assert "@media (prefers-color-scheme: dark)" in css
    assert "!important" in css
    outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    assert ".post-title {" not in outside_media and "body {" not in outside_media


def test_links_are_absolute_images_have_alt_and_width(outbox: Path) -> None:
    doc = page(outbox)
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert hrefs
    for href in hrefs:
        assert href.startswith("https://") or href == "*|UNSUB|*", href
    images = list(doc.iter("img"))
    assert images
    for img in images:
        assert img.get("alt") and img.get("width", "").isdigit()
        assert img.get("src").startswith("https://")
    assert not list(doc.iter("script")) and not list(doc.iter("link"))


def test_an_image_several_posts_share_is_not_repeated_above_each(fixture_root: Path) -> None:
    """A site's default card (Jekyll's front-matter `defaults`: elixir-lang.org gives every
    post its social card) stood above each post of the email, the same picture every time.
    An image two posts of the digest share is left out of the email; each post keeps it in
    `digest.json`, as in the feeds."""
    third = fixture_root / "content/posts/third.md"
    third.write_text(
        third.read_text().replace("date: 2024-04-03", "date: 2024-04-03\nimage: /cover.png")
    )
    outcome = digest_for(fixture_root)
    assert outcome.outbox is not None
    assert not list(page(outcome.outbox).iter("img"))
    record = json.loads((outcome.outbox / "digest.json").read_text())
    assert [p["image"] for p in record["posts"]] == [
        "https://fixture.example.net/blog/cover.png"
    ] * 2


def test_an_image_of_one_post_is_shown_above_it(outbox: Path) -> None:
    [img] = page(outbox).iter("img")
    assert img.get("src") == "https://fixture.example.net/blog/cover.png"


def test_a_long_first_title_is_cut_and_the_subject_keeps_how_many_more(
    fixture_root: Path,
) -> None:
    """The subject is cut to 78 characters: cut as a whole, a long first title took "and 1
    more" with it, and the reader could not tell the digest held another post."""
    third = fixture_root / "content/posts/third.md"
    long_title = "A very long title about summaries " * 3
    third.write_text(third.read_text().replace("Third, summary only", long_title.strip()))
    outcome = digest_for(fixture_root)
    assert outcome.result is not None
    subject = outcome.result.email.subject
    assert len(subject) <= 78 and subject.endswith("… and 1 more"), subject
    assert subject.startswith("Fixture & Friends: A very long title about summaries A very")


def test_colours_keep_six_digits(outbox: Path) -> None:
    text = (outbox / "email.html").read_text()
    assert "#333333" in text
    assert not re.search(r"#[0-9a-fA-F]{3}\b(?![0-9a-fA-F])", text)


def test_structure_preheader_and_layout(outbox: Path) -> None:
    text = (outbox / "email.html").read_text()
    assert text.startswith("<!DOCTYPE html>")
    doc = page(outbox)
    body = doc.find("body")
    preheader = body[0]
    assert preheader.get("class") == "preheader" and "display:none" in preheader.get(
        "style"
    ).replace(" ", "")
    assert preheader.text_content().startswith(
        "2 new posts: Third, summary only · Second, with an excerpt"
    )
    for table in doc.iter("table"):
        assert table.get("role") == "presentation"
        assert table.get("cellpadding") == table.get("cellspacing") == table.get("border") == "0"
    container = doc.find_class("container")[0]
    assert container.get("width") == "600" and "max-width:600px" in container.get("style").replace(
        " ", ""
    )
    assert len(text.encode()) < 90_000


def test_footer_links_and_utm(outbox: Path) -> None:
    doc = page(outbox)
    links = {a.text_content().strip(): a.get("href") for a in doc.iter("a")}
    assert links["Unsubscribe"] == "*|UNSUB|*"
    assert links["View in your browser"].startswith(
        f"https://fixture.example.net/blog/digests/{WEEK}/?utm_"
    )
    post = links["Read “Second, with an excerpt”"]
    assert post == (
        "https://fixture.example.net/blog/2024/04/second/"
        "?utm_source=newsletter&utm_medium=email&utm_campaign=weekly-2024-W14"
    )
    assert "1 Test Street, Testville" in doc.text_content()


def test_web_version_has_no_unsubscribe_placeholder(fixture_root: Path, outbox: Path) -> None:
    web = (fixture_root / f"public/digests/{WEEK}/index.html").read_text()
    assert "*|UNSUB|*" not in web and "Unsubscribe" not in web
    assert "Second, with an excerpt" in web


def test_web_copy_links_carry_no_email_utm_tags(fixture_root: Path, outbox: Path) -> None:
    web = lxml_html.fromstring((fixture_root / f"public/digests/{WEEK}/index.html").read_bytes())
    links = [a.get("href") for a in web.iter("a")]
    assert "https://fixture.example.net/blog/2024/04/second/" in links
    assert not [link for link in links if "utm_" in link]
    email_links = [a.get("href") for a in page(outbox).iter("a")]
    assert any("utm_medium=email" in link for link in email_links)


# --- text part and MIME message --------------------------------------------------------------


def test_text_part_is_wrapped_and_writes_urls_out(outbox: Path) -> None:
    text = (outbox / "email.txt").read_text()
    for line in text.splitlines():
        assert len(line) <= 78 or re.fullmatch(r"[\w ]*: ?https://\S+|\S+", line), line
    assert "Second, with an excerpt" in text and "Third, summary only" in text
    assert "https://fixture.example.net/blog/2024/04/second/?utm_source=newsletter" in text
    assert "<" not in text


def test_eml_parses_into_text_then_html(outbox: Path) -> None:
    msg = email.message_from_bytes(
        (outbox / "message.eml").read_bytes(), policy=email.policy.default
    )
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert parts[0].get_content().replace("\r\n", "\n") == (outbox / "email.txt").read_text()
    assert parts[1].get_content().replace("\r\n", "\n") == (outbox / "email.html").read_text()
    assert msg["Subject"] == "Fixture & Friends: Third, summary only and 1 more"
    assert msg["From"] == "Fixture & Friends <news@fixture.example.net>"
    assert msg["To"] == "Readers <readers@fixture.example.net>"
    assert msg["Date"] == "Mon, 08 Apr 2024 00:00:00 +0100"
    assert msg["Message-ID"] == f"<digest.{WEEK}@fixture.example.net>"
    assert (
        msg["List-Unsubscribe"]
        == "<https://fixture.example.net/unsubscribe/abc>, <mailto:leave@fixture.example.net>"
    )
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_digest_json_for_tooling(outbox: Path) -> None:
    data = json.loads((outbox / "digest.json").read_text())
    assert data["id"] == WEEK
    assert data["period"] == {
        "start": "2024-04-01T00:00:00+01:00",
        "end": "2024-04-08T00:00:00+01:00",
    }
    assert [p["title"] for p in data["posts"]] == ["Third, summary only", "Second, with an excerpt"]
    assert set(data["posts"][0]) == {
        "title",
        "url",
        "date",
        "authors",
        "series",
        "categories",
        "summary",
        "image",
    }


# --- placeholders survive the inliner --------------------------------------------------------


@pytest.mark.parametrize(
    "placeholder",
    [
        "{{ UnsubscribeURL }}",
        "*|UNSUB|*",
        "%unsubscribe_url%",
        "{{{ pm:unsubscribe }}}",
        "{{{RESEND_UNSUBSCRIBE_URL}}}",
    ],
)
def test_provider_placeholders_reach_the_email_untouched(
    fixture_root: Path, placeholder: str
) -> None:
    config = fixture_root / "config.toml"
    config.write_text(config.read_text().replace('"*|UNSUB|*"', json.dumps(placeholder)))
    outcome = digest_for(fixture_root)
    assert outcome.result is not None
    html = outcome.result.email.html
    assert f'href="{placeholder}"' in html
    assert "%20" not in html and "placeholder.syndicate.invalid" not in html
    assert f"Unsubscribe: {placeholder}" in outcome.result.email.text


# --- periods and empty weeks -----------------------------------------------------------------


def test_empty_week_writes_nothing(run_cli: RunCli, fixture_root: Path) -> None:
    result = run_cli("digest", "--week", "2024-W20", "--now", NOW, cwd=fixture_root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "no new posts between 2024-05-13T00:00:00+01:00 and 2024-05-20T00:00:00+01:00"
    )
    assert not (fixture_root / "outbox").exists()


def test_allow_empty_writes_a_digest(fixture_root: Path) -> None:
    outcome = digest_for(fixture_root, week="2024-W20", allow_empty=True)
    assert outcome.result is not None
    assert outcome.result.email.subject == "Fixture & Friends: no new posts this week"


def test_minimum_number_of_posts(fixture_root: Path, run_cli: RunCli) -> None:
    config = fixture_root / "config.toml"
    config.write_text(config.read_text().replace("[digest]\n", "[digest]\nmin_posts = 3\n"))
    assert digest_for(fixture_root).result is None
    said = run_cli("digest", "--week", WEEK, "--now", NOW, cwd=fixture_root)
    assert said.returncode == 0 and not (fixture_root / "outbox").exists()
    assert "2 new posts, fewer than digest.min_posts (3) between " in said.stdout  # not "no posts"


def test_since_until_period_and_its_id(run_cli: RunCli, fixture_root: Path) -> None:
    result = run_cli(
        "digest", "--since", "2024-03-01", "--until", "2024-04-02", "--now", NOW, cwd=fixture_root
    )
    assert result.returncode == 0, result.stderr
    folder = fixture_root / "outbox/2024-03-01--2024-04-01"
    data = json.loads((folder / "digest.json").read_text())
    assert [p["title"] for p in data["posts"]] == [
        "Second, with an excerpt",
        'First <post> & "quotes"',
    ]


def test_default_period_is_the_last_complete_week(run_cli: RunCli, fixture_root: Path) -> None:
    result = run_cli("digest", "--now", "2024-04-08T09:00:00+01:00", cwd=fixture_root)
    assert result.returncode == 0, result.stderr
    assert (fixture_root / f"outbox/{WEEK}/message.eml").exists()


def test_bad_week_is_a_usage_error(run_cli: RunCli, fixture_root: Path) -> None:
    result = run_cli("digest", "--week", "2024-W60", cwd=fixture_root)
    assert result.returncode == 2 and "2024 has no week 60" in result.stderr


def test_week_beyond_datetimes_range_is_a_usage_error(run_cli: RunCli, fixture_root: Path) -> None:
    result = run_cli("digest", "--week", "9999-W52", cwd=fixture_root)
    assert result.returncode == 2, result.stderr
    assert "week 9999-W52 is out of range" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# --- long weeks, hostile posts, templates ----------------------------------------------------


def test_long_week_is_cut_with_a_link_to_the_rest(site: SiteDir) -> None:
    site.config('[digest]\nfrom = "a@b.org"\nmax_posts = 3\nsize_limit_kb = 5\n')
    for day in range(1, 7):
        site.post(
            f"posts/p{day}.md",
            f"---\ntitle: P{day}\ndate: 2024-01-0{day}T10:00:00\n---\n" + "word " * 200,
        )
    config = site.load_config()
    loaded = load_site(config, now=NOW, env={})
    outcome = make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))
    assert outcome.result is not None
    html = outcome.result.email.html
    assert html.count('class="post"') == 3
    assert "And 3 more posts this week" in html
    assert (
        "And 3 more posts: https://blog.example.com/digests/2024-W01/" in outcome.result.email.text
    )
    summary = lxml_html.fromstring(html).find_class("post-summary")[0].text_content()
    assert len(summary) <= 280 and summary.endswith("…")
    assert any("Gmail clips" in w for w in outcome.result.warnings)


def test_subject_counts_every_post_of_the_period_not_only_those_shown(site: SiteDir) -> None:
    site.config('[digest]\nfrom = "a@b.org"\nmax_posts = 2\n')
    for day in range(1, 6):
        site.post(
            f"posts/p{day}.md", f"---\ntitle: P{day}\ndate: 2024-01-0{day}T10:00:00\n---\nx\n"
        )
    config = site.load_config()
    loaded = load_site(config, now=NOW, env={})
    outcome = make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))
    assert outcome.result is not None
    assert outcome.result.email.subject == "Test Site: P5 and 4 more"
    assert outcome.result.more_count == 3


def test_hostile_title_is_text_never_markup_or_template(site: SiteDir) -> None:
    site.config('[digest]\nfrom = "a@b.org"\nunsubscribe_url = "*|UNSUB|*"\n')
    title = "<script>alert(1)</script> {{ 7*7 }} {% if x %} *|UNSUB|* & more"
    site.post(
        "posts/evil.md",
        "---\ntitle: " + json.dumps(title) + "\ndate: 2024-01-02\n---\nBody {{ 8*8 }}\n",
    )
    config = site.load_config()
    loaded = load_site(config, now=NOW, env={})
    outcome = make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))
    assert outcome.result is not None
    html, text = outcome.result.email.html, outcome.result.email.text
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html
    assert title in text
    doc = lxml_html.fromstring(html)
    assert doc.find_class("post-title")[0].text_content() == title


def test_user_templates_override_the_builtin_ones(site: SiteDir) -> None:
    site.config('[digest]\nfrom = "a@b.org"\ntemplates_dir = "my_templates"\n')
    (site.root / "my_templates").mkdir()
    (site.root / "my_templates/subject.txt").write_text("Custom: {{ posts|length }} posts")
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\nx\n")
    config = site.load_config()
    loaded = load_site(config, now=NOW, env={})
    outcome = make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))
    assert outcome.result is not None and outcome.result.email.subject == "Custom: 1 posts"


def test_broken_template_names_file_and_line(site: SiteDir, run_cli: RunCli) -> None:
    site.config('[digest]\nfrom = "a@b.org"\ntemplates_dir = "t"\n')
    (site.root / "t").mkdir()
    (site.root / "t/digest.txt").write_text("line one\n{% for x in %}\n")
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\nx\n")
    result = run_cli("digest", "--week", "2024-W01", "--now", NOW, cwd=site.root)
    assert result.returncode == 2
    assert "t/digest.txt:2: Expected an expression" in result.stderr
    assert "Traceback" not in result.stderr


def test_undefined_variable_names_template_and_line(site: SiteDir) -> None:
    site.config('[digest]\nfrom = "a@b.org"\ntemplates_dir = "t"\n')
    (site.root / "t").mkdir()
    (site.root / "t/subject.txt").write_text("ok\n{{ no_such_thing.x }}\n")
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\nx\n")
    config = site.load_config()
    loaded = load_site(config, now=NOW, env={})
    with pytest.raises(TemplateError, match=r"t/subject.txt:2: 'no_such_thing' is undefined"):
        make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))


def test_external_stylesheet_is_refused(site: SiteDir) -> None:
    site.config('[digest]\nfrom = "a@b.org"\ntemplates_dir = "t"\n')
    (site.root / "t").mkdir()
    builtin = (REPO / "email_templates/digest.html").read_text()
    (site.root / "t/digest.html").write_text(
        builtin.replace(
            "<style>", '<link rel="stylesheet" href="https://cdn.example/x.css">\n<style>'
        )
    )
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\nx\n")
    config = site.load_config()
    loaded = load_site(config, now=NOW, env={})
    with pytest.raises(TemplateError, match="external stylesheet"):
        make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))


def test_missing_sender_is_a_configuration_error(site: SiteDir, run_cli: RunCli) -> None:
    site.post("posts/a.md", "---\ntitle: A\ndate: 2024-01-02\n---\nx\n")
    site.config()
    result = run_cli("digest", "--week", "2024-W01", "--now", NOW, cwd=site.root)
    assert result.returncode == 2 and "digest.from: missing required key" in result.stderr
    assert 'e.g. from = "News <news@example.org>"' in result.stderr


def test_missing_sender_stops_the_digest_before_it_reads_a_post(
    site: SiteDir, run_cli: RunCli
) -> None:
    # Whether or not the period has new posts: a scheduled digest without a sender fails on
    # its first run, not on the first week someone posts, and says so before reading a site.
    site.post("posts/a.md", "---\ntitle: A\ndate: [2024-01-02\n---\nx\n")  # unreadable
    site.config()
    result = run_cli("digest", "--week", "2023-W01", "--now", NOW, cwd=site.root)
    assert result.returncode == 2 and "digest.from: missing required key" in result.stderr
    assert "posts/a.md" not in result.stderr and "no new posts" not in result.stdout


# --- the web archive and the digest feed -----------------------------------------------------


def test_digest_feed_lists_every_digest_and_survives_builds(
    fixture_root: Path, run_cli: RunCli
) -> None:
    digest_for(fixture_root, week="2024-W13")
    digest_for(fixture_root, week=WEEK)
    public = fixture_root / "public"
    parsed = feedparser.parse((public / "digests/atom.xml").read_bytes())
    assert not parsed.bozo
    assert [e.link for e in parsed.entries] == [
        "https://fixture.example.net/blog/digests/2024-W14/",
        "https://fixture.example.net/blog/digests/2024-W13/",
    ]
    rss = feedparser.parse((public / "digests/rss.xml").read_bytes())
    assert not rss.bozo and len(rss.entries) == 2
    result = run_cli("build", "--now", NOW, cwd=fixture_root)
    assert result.returncode == 0, result.stderr
    assert (public / "digests/2024-W13/index.html").exists()  # a build never prunes digests
    assert (public / "digests/atom.xml").exists()


def test_digest_feed_home_is_an_index_of_every_digest(fixture_root: Path) -> None:
    digest_for(fixture_root, week="2024-W13")
    digest_for(fixture_root, week=WEEK)
    public = fixture_root / "public"
    home = feedparser.parse((public / "digests/atom.xml").read_bytes()).feed.link
    assert home == "https://fixture.example.net/blog/digests/"
    index = lxml_html.fromstring((public / "digests/index.html").read_bytes())
    links = [a.get("href") for a in index.iter("a")]
    web_copies = [link for link in links if re.fullmatch(r".*/digests/\d{4}-W\d{2}/", link)]
    assert web_copies == [
        "https://fixture.example.net/blog/digests/2024-W14/",
        "https://fixture.example.net/blog/digests/2024-W13/",
    ]
    assert "https://fixture.example.net/blog/digests/atom.xml" in links
    subject = json.loads((public / "digests/2024-W14/digest.json").read_text())["subject"]
    assert subject in index.text_content()


def test_digests_feed_is_listed_in_opml_and_feeds_page(fixture_root: Path, run_cli: RunCli) -> None:
    digest_for(fixture_root)
    result = run_cli("build", "--now", NOW, cwd=fixture_root)
    assert result.returncode == 0, result.stderr
    public = fixture_root / "public"
    opml = etree.fromstring((public / "feeds.opml").read_bytes())
    urls = [o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")]
    assert urls.count("https://fixture.example.net/blog/digests/atom.xml") == 1
    assert not [u for u in urls if "/digests/" in u and not u.endswith("atom.xml")]
    page = lxml_html.fromstring((public / "feeds.html").read_bytes())
    links = {a.get("href") for a in page.iter("a")}
    for name in ("rss.xml", "atom.xml", "feed.json"):
        assert f"https://fixture.example.net/blog/digests/{name}" in links
    assert "https://fixture.example.net/blog/digests/" in links


@pytest.mark.parametrize("between", ["nothing", "one post edited"])
def test_the_first_digest_published_is_listed_by_the_next_build(
    fixture_root: Path, run_cli: RunCli, between: str
) -> None:
    # The build before the digest and the one after it: the second must not take the
    # nothing-changed shortcut, nor a one-post rebuild, which both keep the listing as it was.
    assert run_cli("build", "--now", NOW, cwd=fixture_root).returncode == 0
    digest_for(fixture_root)
    if between == "one post edited":
        post = fixture_root / "content/posts/first.md"
        post.write_text(post.read_text() + "\nOne more line.\n")
    result = run_cli("build", "--now", NOW, cwd=fixture_root)
    assert result.returncode == 0, result.stderr
    assert "nothing changed" not in result.stdout
    for page in ("feeds.opml", "feeds.html"):
        assert "/digests/atom.xml" in (fixture_root / "public" / page).read_text(), page
    again = run_cli("build", "--now", NOW, cwd=fixture_root)  # and then nothing to write
    assert "nothing changed" in again.stdout or " 0 written," in again.stdout, again.stdout


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        '{"id": "2024-W13"}',
        '{"id": "2024-W13", "subject": "S", "web_url": "https://e.org/", "posts": [{"title": 5}],'
        ' "period": {"start": "2024-03-25T00:00:00+00:00", "end": "2024-04-01T00:00:00+00:00"}}',
        '{"id": "2024-W13", "subject": "S", "web_url": "javascript:alert(1)",'
        ' "period": {"start": "2024-03-25T00:00:00+00:00", "end": "2024-04-01T00:00:00+00:00"}}',
    ],
)
def test_a_damaged_digest_record_only_drops_that_digest(fixture_root: Path, damage: str) -> None:
    folder = fixture_root / "public/digests/2024-W13"
    folder.mkdir(parents=True)
    (folder / "digest.json").write_text(damage)
    digest_for(fixture_root)
    public = fixture_root / "public"
    assert len(feedparser.parse((public / "digests/atom.xml").read_bytes()).entries) == 1
    index = (public / "digests/index.html").read_text()
    assert "2024-W14/" in index and "2024-W13/" not in index and "javascript:" not in index


def test_a_templates_folder_that_is_not_there_is_named(fixture_root: Path, run_cli: RunCli) -> None:
    # The built-in templates would otherwise stand in for a mistyped folder without a word.
    config = fixture_root / "config.toml"
    config.write_text(
        config.read_text().replace("[digest]\n", '[digest]\ntemplates_dir = "nope"\n')
    )
    said = run_cli("digest", "--week", WEEK, "--now", NOW, cwd=fixture_root)
    assert said.returncode == 2, said.stderr
    assert "error: config.toml: digest.templates_dir: " in said.stderr and "nope" in said.stderr
    assert not (fixture_root / "outbox").exists()
    assert run_cli("build", "--now", NOW, cwd=fixture_root).returncode == 0  # feeds need none


def test_an_untitled_post_is_headed_and_linked_by_its_first_words(tmp_path: Path) -> None:
    # Hugo publishes pages without a title; the digest's heading, its link and the subject
    # need words, and take the post's first ones.
    (tmp_path / "hugo.toml").write_text('baseURL = "https://e.org/"\ntitle = "Notes"\n')
    (tmp_path / "syndicate.toml").write_text(
        '[site]\ngenerator = "hugo"\n[digest]\nfrom = "a@b.org"\n', encoding="utf-8"
    )
    posts = tmp_path / "content/posts"
    posts.mkdir(parents=True)
    body = "Walked to the lighthouse & back before the rain, " + "and then more words " * 9
    (posts / "n.md").write_text(f"---\ndate: 2024-01-02T10:00:00Z\n---\n{body}\n")
    config = load_config(tmp_path / "syndicate.toml")
    loaded = load_site(config, now=NOW, env={})
    outcome = make_digest(loaded, choose_period(config, loaded.now, week="2024-W01"))
    assert outcome.result is not None
    heading = "Walked to the lighthouse & back before the rain, and then…"
    assert outcome.result.email.subject == f"Notes: {heading}"
    [link] = lxml_html.fromstring(outcome.result.email.html).find_class("post-title-link")[-1:]
    assert link.text_content() == heading and link.get("href").startswith("https://e.org/posts/n/")
    assert heading in outcome.result.email.text
