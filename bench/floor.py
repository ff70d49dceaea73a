"""The least a goal can cost with this project's libraries, on this machine.

A floor is what the libraries take by themselves for the work a command gives them, with
syndicate's own code taken out: Python starting and importing them, mistune and nh3 rendering
the posts the feeds show, feedgen and lxml making and serializing the feed documents, and for
a rebuild, one stat of every content file (how any tool learns what changed). Each part is
timed in a fresh interpreter, best of several passes, and the CPU work is divided among the
cores as if it split perfectly: every choice makes the floor lower, never higher. A goal
whose floor is over its limit cannot be met by changing syndicate, only by changing the
libraries the project chose (mistune, feedgen, click, Jinja2, Babel): the bench reports it
BLOCKED instead of FAIL, with the floor beside it.

What the floor leaves out is all syndicate's own: reading and checking front matter, URLs,
taxonomy, the feed items, writing the files, the cache. The posts' bodies are rendered as
their files hold them, with syndicate's mistune setup, whose speed-ups make it faster than
plain mistune. Template syntax is not expanded first: on the bench's html corpus mistune then
reads each shortcode as text where syndicate gives it the shortcode's HTML, so there the
rendering part is close to, not surely below, what syndicate's rendering needs.
"""

from __future__ import annotations

import email.utils
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# What each command cannot do without (README, "Dependencies, and why each is there"): the CLI,
# front matter, Markdown, sanitizing, feeds; the feeds page's template; the digest's dates
# in its language, its MIME message.
BUILD_LIBRARIES = ("click", "yaml", "frontmatter", "mistune", "nh3", "feedgen.feed", "jinja2")
REBUILD_LIBRARIES = ("click", "yaml", "frontmatter", "mistune", "nh3", "feedgen.feed")
DIGEST_LIBRARIES = ("click", "jinja2", "babel.dates", "feedgen.feed", "email.policy")
PASSES = 3


@dataclass(frozen=True)
class Floor:
    seconds: float  # wall time, start-up included, the work split over every core
    parts: dict[str, float]  # what it is made of, in seconds (CPU work before the split)

    def describe(self) -> str:
        return ", ".join(f"{name} {secs * 1000:.0f} ms" for name, secs in self.parts.items())


def import_seconds(modules: tuple[str, ...], env: dict[str, str], rounds: int = 7) -> float:
    """The shortest wall time, of `rounds`, of a Python that only imports `modules` (T, its
    start-up, included)."""
    code = "import " + ", ".join(modules)
    return _best(lambda: subprocess.run([sys.executable, "-c", code], env=env, check=True), rounds)


def cold_floor(site: Path, env: dict[str, str]) -> Floor:
    """A cold build: import, render every post shown, make every RSS and Atom document."""
    render, feeds = _fresh(_work_seconds, site, None)
    imports = import_seconds(BUILD_LIBRARIES, env)
    return _floor({"imports": imports}, {"mistune and nh3": render, "feedgen": feeds})


def edit_floor(site: Path, env: dict[str, str], edited: Path) -> Floor:
    """One post edited: import, stat every content file, render the post, make the RSS and
    Atom documents that show it."""
    render, feeds = _fresh(_work_seconds, site, _post_url(site, edited))
    imports = import_seconds(REBUILD_LIBRARIES, env)
    stat = _fresh(_stat_seconds, site / "content")
    return _floor({"imports": imports}, {"stat": stat, "mistune and nh3": render, "feedgen": feeds})


def digest_floor(env: dict[str, str], t: float) -> Floor:
    """The digest, less T as its goal is: importing what it cannot do without."""
    return Floor(import_seconds(DIGEST_LIBRARIES, env) - t, {})


def _floor(fixed: dict[str, float], work: dict[str, float]) -> Floor:
    cores = os.cpu_count() or 1
    return Floor(sum(fixed.values()) + sum(work.values()) / cores, {**fixed, **work})


def _fresh(func: Callable[..., Any], *args: Any) -> Any:
    """`func(*args)` in a new interpreter: nothing imported or warmed by the bench itself."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(func, args)


def _best(work: Callable[[], object], passes: int = PASSES) -> float:
    """The shortest of `passes` runs of `work`, after one that warms caches and regexes."""
    work()
    times = []
    for _ in range(passes):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


# --- in the fresh interpreter


def _work_seconds(site: Path, only: str | None) -> tuple[float, float]:
    """Seconds to render the shown posts (those showing `only`, if given), and to make the
    RSS and Atom documents (those listing `only`)."""
    docs = [doc for doc in _documents(site / "public") if only is None or only in doc.urls]
    urls = {url for doc in docs for url in doc.urls} if only is None else {only}
    bodies = [_body(site, url) for url in sorted(urls)]
    return _best(lambda: _render(bodies)), _best(lambda: _make_feeds(docs))


def _stat_seconds(content: Path) -> float:
    def stat_all() -> None:
        for folder, _dirs, files in os.walk(content):
            for name in files:
                os.stat(os.path.join(folder, name))

    return _best(stat_all)


def _render(bodies: list[str]) -> None:
    import nh3

    from syndicate.content.markdown import make_markdown

    markdown = make_markdown()
    for body in bodies:
        nh3.clean(str(markdown(body)))


def _body(site: Path, url: str) -> str:
    """The Markdown of the post at `url`."""
    text = _post_file(site, url).read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[1]


def _post_file(site: Path, url: str) -> Path:
    """The file of the post at `url` (the bench sites' permalinks end in the file's name)."""
    return site / "content" / "posts" / f"{_slug(url)}.md"


def _post_url(site: Path, post: Path) -> str:
    """The URL of `post` in the site feed (the newest post is in it)."""
    feed = json.loads((site / "public" / "feed.json").read_bytes())
    for item in feed["items"]:
        if _slug(item["url"]) == post.stem:
            return str(item["url"])
    raise ValueError(f"{post} is not in the site's feed")


def _slug(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class _Document:
    rss: bool
    channel: dict[str, Any]
    items: list[dict[str, Any]]

    @property
    def urls(self) -> set[str]:
        return {item["link"] for item in self.items}


def _documents(public: Path) -> list[_Document]:
    """Every RSS and Atom document the build wrote, read back with lxml (not the digests')."""
    found = []
    for folder, dirs, files in os.walk(public):
        if folder == str(public) and "digests" in dirs:
            dirs.remove("digests")
        for name in sorted(files):
            if name in ("rss.xml", "atom.xml"):
                found.append(_read(Path(folder, name), name == "rss.xml"))
    return found


_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def _read(path: Path, rss: bool) -> _Document:
    from lxml import etree

    root: Any = etree.parse(str(path)).getroot()
    if rss:
        channel: Any = root.find("channel")
        items = [_rss_item(item) for item in channel.iterfind("item")]
        head = {k: channel.findtext(k) or "" for k in ("title", "link", "description")}
        return _Document(True, head, items)
    entries = [_atom_entry(entry) for entry in root.iterfind(f"{_ATOM}entry")]
    head = {k: root.findtext(f"{_ATOM}{k}") or "" for k in ("title", "id")}
    head["updated"] = datetime.fromisoformat(root.findtext(f"{_ATOM}updated"))
    return _Document(False, head, entries)


# Dates are read here, before the timing: syndicate hands feedgen datetimes, not text.
def _rss_item(item: Any) -> dict[str, Any]:
    fields = {k: item.findtext(k) or "" for k in ("title", "link", "description")}
    date = email.utils.parsedate_to_datetime(item.findtext("pubDate"))
    return {**fields, "date": date, "content": item.findtext(_CONTENT) or ""}


def _atom_entry(entry: Any) -> dict[str, Any]:
    fields = {k: entry.findtext(f"{_ATOM}{k}") or "" for k in ("title", "id")}
    link = entry.find(f"{_ATOM}link")
    href = link.get("href") if link is not None else fields["id"]
    date = datetime.fromisoformat(entry.findtext(f"{_ATOM}updated"))
    content = entry.findtext(f"{_ATOM}content") or ""
    return {**fields, "link": href, "date": date, "content": content}


def _make_feeds(docs: list[_Document]) -> list[bytes]:
    """Each post's entry built once per format, then each document made and serialized: the
    least feedgen does for these feeds (syndicate adds categories, authors and more)."""
    # syndicate's adaptor that hands feedgen an entry's XML already built (no work of its own)
    from syndicate.feeds.rss_atom import _BuiltEntry

    made: dict[tuple[bool, str], Any] = {}
    out = []
    for doc in docs:
        fg = _generator(doc)
        for item in doc.items:
            key = (doc.rss, item["link"])
            if key not in made:
                made[key] = _entry(item, doc.rss)
            fg.add_entry(_BuiltEntry(made[key]), order="append")
        out.append(fg.rss_str(pretty=True) if doc.rss else fg.atom_str(pretty=True))
    return out


def _generator(doc: _Document) -> Any:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.title(doc.channel["title"] or "untitled")
    if doc.rss:
        fg.link(href=doc.channel["link"], rel="alternate")
        fg.description(doc.channel["description"] or "-")
    else:
        fg.id(doc.channel["id"])
        fg.updated(doc.channel["updated"])
    return fg


def _entry(item: dict[str, Any], rss: bool) -> Any:
    from feedgen.entry import FeedEntry

    fe = FeedEntry()
    fe.title(item["title"])
    fe.link(href=item["link"])
    if rss:
        fe.guid(item["link"], permalink=True)
        fe.pubDate(item["date"])
        fe.description(item["description"])
        fe.content(item["content"])
        return fe.rss_entry()
    fe.id(item["id"])
    fe.updated(item["date"])
    fe.content(item["content"], type="html")
    return fe.atom_entry()
