"""`syndicate serve`: build, serve the output folder, rebuild on every change, and show what the
outputs look like: every feed as a readable page (rendered here, not by the browser's XSLT),
and the digest at 600 and 375 pixels, light and dark, with its text part.

The live-reload script goes only into the preview pages this server writes, never into the
built files. A broken post or template shows its error in the page and the terminal, and the
last good output stays served.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import field, replace
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, urlsplit

from lxml import etree

from .build import Site, write_feeds
from .config import Config
from .datatype import datatype
from .errors import ConfigError, Location, Problem, SyndicateError
from .feeds.documents import MEDIA_TYPES, FeedFile
from .feeds.listing import digest_feed_title, listing_paths
from .feeds.newsletter import published_digest_feeds
from .incremental.live import LiveSite

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from watchfiles import Change

    from .digest.render import DigestRenderer, DigestResult

# The page knows the build it shows, so any rebuild after it was made reloads it.
RELOAD = (
    "<script>(function(){{var v='{version}';setInterval(function(){{fetch('/_preview/version')"
    ".then(function(r){{return r.text()}}).then(function(t){{if(t!==v){{location.reload()}}}})"
    ".catch(function(){{}})}},{poll})}})();</script>"
)
# How often the page asks for the build version: a request of a few bytes, answered from
# memory, so five times a second costs nothing and a rebuild shows within 200 ms of its end.
POLL_MS = 200
# The watcher hands over a batch of changes once no new one came for STEP_MS, and after at
# most DEBOUNCE_MS of changes that keep coming. An editor's save is a few writes (a temporary
# file, a rename, a truncate and a write) within a millisecond or two of each other: 10 ms
# still gathers them into one batch, and a batch cut in two is only one more rebuild, as each
# reads the files as they are then.
STEP_MS = 10
DEBOUNCE_MS = 200
WARNINGS_SHOWN = 10  # new warnings a rebuild prints; the rest are counted
_DARK = re.compile(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{((?:[^{}]*\{[^{}]*\})*)\s*\}")
NS = {"atom": "http://www.w3.org/2005/Atom"}
# What a request's bad value raises: a week that does not exist, or that dates cannot hold
# (9999-W52 ends in the year 10000), is a UsageError; a path with a NUL byte, a ValueError.
BAD_REQUEST = (ValueError, SyndicateError)


@datatype(frozen=False)
class Preview:
    """The last good build, the last error, and a version number the pages poll.

    With `clock` (the moment a build is for, in a time zone), the site stays in memory
    between builds and an edit of posts is applied to it (`incremental/live.py`); without,
    every change loads the site again."""

    config: Config
    load: Callable[[], Site]
    site: Site | None = None
    feeds: list[FeedFile] = field(default_factory=list)
    error: str | None = None
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Rendering shares the site's renderer and cache: one build or digest render at a time.
    work: threading.RLock = field(default_factory=threading.RLock)
    digests: dict[tuple[int, str], DigestResult | None] = field(default_factory=dict)
    # Where an error the page shows is also printed (the terminal); each once per build.
    say: Callable[[str], None] | None = None
    told: set[tuple[int, str]] = field(default_factory=set)
    clock: Callable[[ZoneInfo], datetime] | None = None
    live: LiveSite | None = None
    # The digest's renderer (its templates compiled), kept while the site is the same.
    renderer: tuple[Site, DigestRenderer] | None = None
    # The files left out for an error when the output was last written (None: not yet).
    broken: frozenset[str] | None = None
    # The warnings the terminal was last told, as shown: a rebuild says only new ones.
    warned: frozenset[str] = frozenset()

    def tell(self, message: str) -> None:
        with self.lock:
            key = (self.version, message)
            if self.say is None or key in self.told:
                return
            self.told = {k for k in self.told if k[0] == self.version} | {key}
        self.say(message)

    def digest(self, week: str) -> DigestResult | None:
        """The week's digest (None without posts) as `syndicate digest` renders it: the
        default language's posts, in the default language's edition. Rendered once per
        build: the page and its four frames all ask for it. Raises UsageError for a week that
        does not exist."""
        from .digest.editions import default_edition
        from .digest.periods import iso_week
        from .digest.render import DigestRenderer, posts_in

        with self.work:
            key = (self.version, week)
            site = self.site
            if key not in self.digests and site is not None:
                if self.renderer is None or self.renderer[0] is not site:
                    made = DigestRenderer(
                        site.config, site.renderer, edition=default_edition(site.config)
                    )
                    self.renderer = site, made
                renderer = self.renderer[1]
                edition = renderer.edition
                period = edition.period(iso_week(week, edition.config.tz))
                posts = edition.posts(posts_in(period, site.posts))
                result = renderer.render(period, posts) if posts else None
                self.digests = {key: result}  # older builds are stale
            return self.digests.get(key)

    def rebuild(self, changed: Collection[str] = ()) -> str:
        """Build again after `changed` (paths; none: build everything) and say what was done.
        The version the pages poll moves once the files are written."""
        try:
            with self.work:
                quick = self._apply(changed)
                if quick is not None:
                    return quick
                site = self.load()
                broken = _broken(site)
                held = self._newly_broken(site, broken)
                if held is not None:
                    return held
                digests = _republished(site)
                result = write_feeds(site.config, site)
                self.broken = broken
                self.live = LiveSite.of(site, result) if self.clock is not None else None
        except Exception as exc:
            self.live = None  # what is in memory may no longer be what is on disk
            if isinstance(exc, SyndicateError):
                # As `build` words them: each an error, its path from the site's folder.
                root = f"{self.config.path.parent}{os.sep}"
                problems = getattr(exc, "problems", [exc.message])
                message = "\n".join(f"error: {p.removeprefix(root)}" for p in problems)
            else:
                message = f"internal error: {type(exc).__name__}: {exc}"
            with self.lock:
                self.error, self.version = message, self.version + 1
            return f"build failed, still serving the last good output:\n{message}"
        errors = self._errors(site)
        with self.lock:
            self.config, self.site, self.feeds = site.config, site, result.feeds
            self.error = "\n".join(errors) or None
            self.version += 1
        # The terminal gets the same text as the page: whoever watches either sees the error.
        line = f"rebuilt: {site.summary()}; {result.written.line()}"
        return "\n".join([*errors, *self._new_warnings(site), *digests, line])

    def _new_warnings(self, site: Site, more: Iterable[Problem] = ()) -> list[str]:
        """The site's warnings (and `more`, an edit's) the terminal has not been told since
        the last rebuild, as `build` words them: an edit that makes one (an unknown shortcode,
        a broken ref) is told, and the site's other warnings are not told again at each
        change. (An edit applied in memory makes the site's report anew: `LiveSite._report`.)"""
        root = self.config.path.parent
        problems = [*site.report.problems, *more]
        shown = [_shown(p, root) for p in problems if p.severity == "warning"]
        new = [text for text in dict.fromkeys(shown) if text not in self.warned]
        self.warned = frozenset(shown)
        if len(new) <= WARNINGS_SHOWN:
            return new
        hidden = len(new) - WARNINGS_SHOWN
        return [
            *new[:WARNINGS_SHOWN],
            f"warning: …and {hidden:,} more (syndicate check lists every one)",
        ]

    def _errors(self, site: Site) -> list[str]:
        """The site's errors as the page and the terminal show them."""
        return [_shown(p, self.config.path.parent) for p in site.report.errors]

    def _newly_broken(self, site: Site, broken: frozenset[str]) -> str | None:
        """The message of a rebuild that is not written: an edit broke a post the output
        shows (the README: the last good output stays served, rather than feeds losing the
        post, or a term's feed deleted, at every typo); None when it is to be written."""
        if self.broken is None or broken <= self.broken:
            return None
        errors = self._errors(site)
        held = (
            "not written: still serving the last good output, until the post is fixed (or "
            "its file deleted, to leave it out)"
        )
        with self.lock:
            self.error, self.version = "\n".join([*errors, held]), self.version + 1
        return "\n".join([*errors, held])

    def _apply(self, changed: Collection[str]) -> str | None:
        """Apply an edit of posts to the site in memory, or None when a full build must run.
        Raises what writing the files raises (the next change then takes the full build)."""
        live, site = self.live, self.site
        if not changed or live is None or self.clock is None or site is not live.site:
            return None
        self.live = None  # until the edit is applied whole
        applied = live.apply(changed, self.clock(site.config.tz))
        if applied is None:
            return None
        if not applied.edited:
            self.live = live
            return "changed: files no output reads (an editor's temporary files); nothing rebuilt"
        with self.lock:
            self.version += 1  # the files are written: the pages may load them
        self.live = live
        live.persist(applied)  # for the next `syndicate build`, after the pages were told
        names = ", ".join(os.path.basename(e.source.file) for e in applied.edited)
        errors = self._errors(site)
        line = f"rebuilt in memory ({names}): {site.summary()}; {applied.result.written.line()}"
        warnings = self._new_warnings(site, applied.result.report.problems)
        return "\n".join([*errors, *warnings, line])

    def media_type(self, rel: str) -> str:
        for feed in self.feeds:
            if feed.path == rel:
                return MEDIA_TYPES[feed.format]
        if rel.endswith(".opml"):
            return "text/x-opml"
        if rel.endswith(".xsl"):
            return "application/xslt+xml"
        guessed = mimetypes.guess_type(rel)[0] or "application/octet-stream"
        return guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")


def _shown(problem: Problem, root: Path) -> str:
    """A problem as the page and the terminal show it: paths relative to the site's folder."""
    where = problem.location
    if where is not None and where.path.is_relative_to(root):
        problem = replace(problem, location=Location(where.path.relative_to(root), where.line))
    return str(problem)


def _page(title: str, body: str, version: int) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        '</title><meta name="viewport" content="width=device-width, initial-scale=1"><style>'
        "body{font:15px/1.5 system-ui,sans-serif;margin:1.5rem;color:#222222}"
        ".error{background:#fde8e8;color:#8a1111;padding:.8rem;white-space:pre-wrap}"
        ".frames{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}"
        "iframe{border:1px solid #cccccc;background:#ffffff}"
        "pre.text{background:#f6f6f6;padding:1rem;max-width:80ch;white-space:pre-wrap}"
        f"</style></head><body>{body}{RELOAD.format(version=version, poll=POLL_MS)}</body></html>"
    ).encode()


def index_page(preview: Preview, week: str | None) -> bytes:
    with preview.lock:
        feeds, error, site = list(preview.feeds), preview.error, preview.site
        version = preview.version
    parts = [f"<h1>Preview of {html.escape(preview.config.site.title)}</h1>"]
    if error:
        parts.append(f'<div class="error" id="error">{html.escape(error)}</div>')
    parts.append(digest_section(preview, site, week))
    parts.append('<h2>Feeds</h2><ul id="feeds">')
    for title, members in _by_channel(feeds):
        links = _feed_links((f.format, f.path) for f in members)
        parts.append(f"<li>{html.escape(title)}: {links}</li>")
    parts.append(_digest_feeds_item(preview.config))
    # The default language's (in its folder on a site whose languages have hosts of their own).
    opml, page = (html.escape(quote(p)) for p in listing_paths(preview.config)[:2])
    parts.append(
        f'</ul><p><a href="/_preview/opml">feeds.opml</a> (<a href="/{opml}">raw</a>) · '
        f'<a href="/{page}">feeds.html</a></p>'
    )
    return _page("Preview", "".join(parts), version)


def _by_channel(feeds: Iterable[FeedFile]) -> list[tuple[str, list[FeedFile]]]:
    """The subscription feeds of each channel, under its title; a title that several channels
    share (each language's site feed, on a multilingual site) says which by the channel's
    folder, where their links were run together under one title."""
    channels: dict[tuple[str, str], list[FeedFile]] = {}
    for feed in feeds:
        if feed.subscription:
            channels.setdefault((feed.channel.title, feed.channel.path), []).append(feed)
    shared = Counter(title for title, _ in channels)
    return [
        (f"{title} ({path or '/'})" if shared[title] > 1 else title, members)
        for (title, path), members in channels.items()
    ]


def _digest_feeds_item(config: Config) -> str:
    """The digests' own feeds, once a digest has published them (as feeds.html lists them)."""
    published = published_digest_feeds(config)
    if not published:
        return ""
    return f"<li>{html.escape(digest_feed_title(config))}: {_feed_links(published)}</li>"


def _feed_links(feeds: Iterable[tuple[str, str]]) -> str:
    """Each (format, path) as a link to its page in the preview, then to the file itself."""
    return " · ".join(
        f'<a href="/_preview/feed?path={quote(path)}">{fmt}</a> '
        f'(<a href="/{html.escape(path)}">raw</a>)'
        for fmt, path in feeds
    )


def digest_section(preview: Preview, site: Site | None, week: str | None) -> str:
    if site is None or not site.posts:
        return "<h2>Digest</h2><p>No posts yet.</p>"
    newest = site.posts[0].date.astimezone(preview.config.tz).isocalendar()
    week = week or f"{newest[0]:04d}-W{newest[1]:02d}"
    form = (
        '<form id="period"><label>Week <input name="week" type="week" value="'
        f'{html.escape(week)}"></label> <button>Show</button></form>'
    )
    if not site.config.digest.sender:
        # A site that wants feeds only has no sender: said here, not as an error in the
        # terminal at every rebuild.
        where = html.escape(site.config.path.name)
        return (
            "<h2>Digest</h2><p>The digest needs a sender: set <code>from</code> under "
            f"<code>[digest]</code> in {where} to preview it.</p>"
        )
    try:
        result = preview.digest(week)
    except BAD_REQUEST as exc:
        message = getattr(exc, "message", str(exc))
        preview.tell(f"digest {week}: {message}")
        return f'<h2>Digest</h2>{form}<div class="error">{html.escape(message)}</div>'
    if result is None:
        return f"<h2>Digest</h2>{form}<p>No posts in {html.escape(week)}.</p>"
    email = result.email
    size = len(email.html.encode("utf-8")) / 1024
    frames = "".join(
        f"<figure><figcaption>{w} px, {'dark' if dark else 'light'}</figcaption>"
        f'<iframe class="digest" title="digest, {w} px, {"dark" if dark else "light"}" '
        f'width="{w}" height="900" '
        f'src="/_preview/digest.html?week={quote(week)}{"&amp;dark=1" if dark else ""}">'
        "</iframe></figure>"
        for w in (600, 375)
        for dark in (False, True)
    )
    clip = "over" if size > 102 else "under"
    return (
        f"<h2>Digest {html.escape(email.digest_id)}</h2>{form}"
        f"<p><b>Subject:</b> {html.escape(email.subject)}<br><b>Preheader:</b> "
        f"{html.escape(email.preheader)}<br><b>Size:</b> {size:.1f} KB ({clip} Gmail's 102 KB "
        f'clip limit)</p><div class="frames">{frames}</div>'
        f'<h3>Plain text</h3><pre class="text">{html.escape(email.text)}</pre>'
    )


def digest_html(preview: Preview, week: str, dark: bool) -> bytes:
    result = preview.digest(week)
    if result is None:
        raise FileNotFoundError(week)
    text = result.email.html
    if dark:  # show the dark-mode rules as a dark-mode client would apply them
        text = _DARK.sub(lambda m: m.group(1), text)
    return text.encode("utf-8")


def _feed_rows(rel: str, data: bytes) -> tuple[str, list[tuple[str, str, str, str]]]:
    """Title, and (title, link, date, summary) of each item, from any of the three formats."""
    if rel.endswith(".json"):
        feed = json.loads(data)
        items = feed.get("items", [])
        return feed.get("title", rel), [
            (
                i.get("title", ""),
                i.get("url", ""),
                i.get("date_published", ""),
                i.get("summary", ""),
            )
            for i in items
        ]
    root = etree.fromstring(data)
    if root.tag == "rss":
        return root.findtext("channel/title") or rel, [
            (
                item.findtext("title") or "",
                item.findtext("link") or "",
                item.findtext("pubDate") or "",
                html.unescape(item.findtext("description") or ""),
            )
            for item in root.iterfind("channel/item")
        ]
    rows = []
    for entry in root.iterfind("atom:entry", NS):
        link = entry.find("atom:link[@rel='alternate']", NS)
        rows.append(
            (
                entry.findtext("atom:title", namespaces=NS) or "",
                link.get("href", "") if link is not None else "",
                entry.findtext("atom:published", namespaces=NS) or "",
                entry.findtext("atom:summary", namespaces=NS) or "",
            )
        )
    return root.findtext("atom:title", namespaces=NS) or rel, rows


def feed_page(preview: Preview, rel: str) -> bytes:
    path = (preview.config.output_dir / rel).resolve()
    if not path.is_relative_to(preview.config.output_dir.resolve()) or not path.is_file():
        raise FileNotFoundError(rel)
    title, rows = _feed_rows(rel, path.read_bytes())
    items = "".join(
        f'<li><a href="{html.escape(url)}">{html.escape(name)}</a><br>'
        f"<small>{html.escape(when)}</small><p>{html.escape(summary)}</p></li>"
        for name, url, when, summary in rows
    )
    body = (
        f'<p><a href="/_preview/">← preview</a></p><h1>{html.escape(title)}</h1>'
        f'<p>{len(rows)} items · <a href="/{html.escape(rel)}">raw file</a></p><ol>{items}</ol>'
    )
    return _page(title, body, preview.version)


def opml_page(preview: Preview) -> bytes:
    root = etree.fromstring((preview.config.output_dir / "feeds.opml").read_bytes())
    groups = []
    for group in root.iterfind("body/outline"):
        rows = "".join(
            f'<li><a href="{html.escape(o.get("xmlUrl", ""))}">'
            f"{html.escape(o.get('text', ''))}</a></li>"
            for o in group.iterfind("outline")
        )
        groups.append(f"<h2>{html.escape(group.get('text', ''))}</h2><ul>{rows}</ul>")
    title = root.findtext("head/title") or "feeds.opml"
    body = f'<p><a href="/_preview/">← preview</a></p><h1>{html.escape(title)}</h1>' + "".join(
        groups
    )
    return _page(title, body, preview.version)


Page = tuple[int, str, bytes]
HTML = "text/html; charset=utf-8"


def _routes(preview: Preview) -> dict[str, Callable[[Mapping[str, str]], Page]]:
    return {
        "/_preview/": lambda q: (200, HTML, index_page(preview, q.get("week"))),
        "/_preview/version": lambda q: (200, "text/plain", str(preview.version).encode()),
        "/_preview/feed": lambda q: (200, HTML, feed_page(preview, q.get("path", ""))),
        "/_preview/opml": lambda q: (200, HTML, opml_page(preview)),
        "/_preview/digest.html": lambda q: (
            200,
            HTML,
            digest_html(preview, q.get("week", ""), q.get("dark") == "1"),
        ),
    }


def output_file(preview: Preview, rel: str) -> Page:
    """A built file, with the media type readers expect of it; for a folder, its index.html
    (a digest's web copy, the digests' list), else its index.xml (a feed at a folder address),
    as the web server the site is published on gives them."""
    root = preview.config.output_dir.resolve()
    target = (root / rel).resolve()
    if target.is_dir():
        index = "index.html" if (target / "index.html").is_file() else "index.xml"
        target, rel = target / index, f"{rel.rstrip('/')}/{index}"
    if not target.is_relative_to(root) or not target.is_file():
        raise FileNotFoundError(rel)
    return 200, preview.media_type(rel.lstrip("/")), target.read_bytes()


def _published(preview: Preview, path: str) -> Page:
    """The built file at `path`, or at `path` below the base URL's own path: a site published
    at https://e.org/blog/ has its feed at /blog/feed.xml, where a reader of the preview's
    links (and of the feeds' own) asks for it."""
    try:
        return output_file(preview, path.lstrip("/"))
    except FileNotFoundError:
        base = urlsplit(preview.config.base_url).path
        if base in ("", "/") or not f"{path}/".startswith(base):
            raise
        return output_file(preview, path[len(base) :])  # `/blog` is the folder, as `/blog/`


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    routes = _routes(preview)

    class Handler(BaseHTTPRequestHandler):
        server_version = "syndicate-preview"

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/":
                self._send(302, "text/plain", b"", {"Location": "/_preview/"})
                return
            route = routes.get(url.path if url.path != "/_preview" else "/_preview/")
            try:
                page = route(query) if route else _published(preview, url.path)
            except FileNotFoundError:
                page = (404, "text/plain; charset=utf-8", b"not found\n")
            except BAD_REQUEST as exc:
                page = (400, "text/plain; charset=utf-8", f"{exc}\n".encode())
            self._send(*page)

        def _send(
            self, status: int, media_type: str, body: bytes, extra: Mapping[str, str] | None = None
        ) -> None:
            # A reader gone before the answer is written: `_Server.handle_error` ignores it.
            self.send_response(status)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    """The preview's HTTP server. A reader that goes away in the middle of a request (a
    browser cancelling one it no longer needs, a closed tab, a reset connection) is nothing to
    report: socketserver printed a traceback in the terminal for each. Anything else that
    escapes a page is a bug, told in one line where the preview tells its errors."""

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        super().__init__(address, make_handler(preview))
        self.preview = preview

    def handle_error(self, request: object, client_address: object) -> None:
        exc = sys.exc_info()[1]
        if exc is None or isinstance(exc, ConnectionError | TimeoutError):
            return
        message = (
            f"internal error answering a request: {type(exc).__name__}: {exc} "
            "(a bug in syndicate: please report it)"
        )
        if self.preview.say is None:
            sys.stderr.write(message + "\n")
        else:
            self.preview.tell(message)


def open_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    try:
        return _Server((host, port), preview)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} on {host} is in use; choose another with --port"
            ) from None
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def watch(
    preview: Preview,
    stop: threading.Event,
    say: Callable[[str], None],
    ready: threading.Event | None = None,
) -> None:
    """Rebuild on every change to content, static files, templates or config.toml; `ready` is
    set once the watch is in place, so no change made after start-up is missed."""
    while not stop.is_set() and _watch_until_a_file_is_replaced(preview, stop, say, ready):
        pass


def _watch_until_a_file_is_replaced(
    preview: Preview,
    stop: threading.Event,
    say: Callable[[str], None],
    ready: threading.Event | None,
) -> bool:
    """Watch and rebuild until `stop`; True when a config file changed: a watch on a file
    follows the file it found, and an editor (or `sed -i`) that saves by writing a new file
    and renaming it over the old one left the watch on the old one, so that every later
    change was missed. Watched again, the new file is."""
    import watchfiles

    paths = watched_paths(preview.config)
    files = {os.path.realpath(p) for p in paths if not p.is_dir()}
    for changes in watchfiles.watch(
        *paths,
        watch_filter=_SourcesOnly(preview.config),
        stop_event=stop,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        rust_timeout=200,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if ready is not None:
            ready.set()
        if changes:
            say(preview.rebuild({path for _, path in changes}))
            if any(os.path.realpath(path) in files for _, path in changes):
                return True
    return False


class _SourcesOnly:
    """watchfiles' default filter (editors' swap files, `.git`, ...), and nothing under the
    folders syndicate writes: on a Jekyll site the posts are in the site's folder, with the
    output (`_site/`) and the state folder in it, and each rebuild's writes there started
    the next, forever."""

    def __init__(self, config: Config) -> None:
        import watchfiles

        self._default = watchfiles.DefaultFilter()
        written = (config.output_dir, config.state_dir, config.outbox_dir)
        self._written = {
            os.path.join(p, "") for f in written for p in (os.path.abspath(f), os.path.realpath(f))
        }

    def __call__(self, change: Change, path: str) -> bool:
        inside = os.path.join(path, "")
        return self._default(change, path) and not any(
            inside.startswith(folder) for folder in self._written
        )


def _republished(site: Site) -> list[str]:
    """The digests' pages put back into the output folder, as `build` puts them back (Jekyll
    and Zola empty it at each of their builds), said as `build` says it; raises what
    `republish` raises."""
    from .digest.archive import republish

    done = republish(site.config)
    site.report.problems.extend(done.problems)
    return done.lines(os.path.relpath(site.config.outbox_dir, site.config.path.parent))


def _broken(site: Site) -> frozenset[str]:
    """The files the site's loading left out for an error."""
    return frozenset(
        str(p.location.path) for p in site.report.errors if p.location is not None and not p.kept
    )


def watched_paths(config: Config) -> list[Path]:
    """What a change to rebuilds on: the site's folders, its config, and the site generator's
    config files (read again, with the config, at every rebuild), and its shortcode templates."""
    generator = config.generator.files if config.generator else ()
    shortcodes = config.path_of(config.markdown.shortcodes_dir)
    candidates = (config.content_dir, config.static_dir, config.templates_dir, config.path)
    return [p for p in (*candidates, shortcodes, *generator) if p.exists()]
