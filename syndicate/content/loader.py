"""Content files -> `Post`s: front matter read and normalised, every problem reported with its
file and line, drafts, future and expired posts counted and left out.

Parsing a file is a pure function of its bytes and a `ParseContext`, so files can be parsed in
any order, in other processes, or taken from a cache.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar
from urllib.parse import quote, urljoin, urlsplit
from zoneinfo import ZoneInfo

from ..config import Config
from ..datatype import datatype
from ..dates import Window, parse_datetime
from ..errors import ContentError, Location, Problem, Report
from ..model import Asset, Author, Post
from ..sites import (
    EXCERPT_SEPARATOR,
    FEED_SECTIONS,
    ID_PATH,
    LANGUAGE,
    SUMMARY,
    TRANSLATION,
    URL_PATH,
    WARNINGS,
    WRITTEN_IN,
    NotAPost,
    PostRules,
    generator,
)
from ..urls import UrlResolver, is_inside
from .frontmatter import (
    KEYS,
    KNOWN_NAMES,
    ImageRef,
    Invalid,
    Key,
    RepeatedKey,
    Site,
    in_range,
    kind,
    not_text,
)
from .syntax import has_syntax, may_begin

MARKDOWN_SUFFIXES: tuple[str, ...] = (".md", ".markdown")
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")  # content files whose body is HTML
# XML 1.0 forbids C0 controls (feedgen/lxml raise on them) and discourages C1 controls (readers
# decode them as Windows-1252); both are stripped, with a warning.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# How a featured image whose file is missing is told (`settle_images` takes it back).
NOT_FOUND = "featured image not found: "
_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ASCII_NAME = re.compile(r"[A-Za-z0-9 _-]+")  # `Machine Learning`, `topic 2`, `web_dev`
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"['’‘`]")
_XML_OK_BYTES = bytes(range(0x20, 0x7F)) + b"\t\n\r" + bytes(range(0x80, 0x100))
_JEKYLL_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")
# What a first paragraph of prose does not start with: a heading, an image (linked or not), HTML,
# a table, code, a quote, a list or a footnote.
_NOT_PROSE = re.compile(r"(#|!\[|\[!\[|<|\||```|~~~|>|[-*+] |\d+[.)] |\[\^|    )")
# Nor is a paragraph that is one template tag or call alone (Hugo's `{{< x >}}`, Liquid's
# `{% x %}`, Zola's `{{ x() }}`): its text is the template's, and the opening of a paired call
# alone rendered "None" where the template printed the body it lacked.
_ONE_CALL = re.compile(
    r"\{\{<(?:(?!\}\})[^\n])*>\}\}|\{\{%(?:(?!\}\})[^\n])*%\}\}|\{%(?:(?!%\})[^\n])*%\}"
    r"|\{\{-?\s*\w+\([^\n]*\)\s*-?\}\}"
)

_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\](?!:)")
# A link reference definition, `[label]: url` (not a footnote's `[^1]:`): its label and line.
_LINK_DEFINITION = re.compile(r"^( {0,3}\[(?!\^)([^\]\n]+)\]:[ \t]*\S.*)$", re.MULTILINE)
_URL_WITH_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@functools.lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """`king’s college` -> `kings-college`: apostrophes join words instead of splitting them.

    Cached: the same tag and author names come back in thousands of posts; and a name that is
    already a slug (most file names) is its own slug, without python-slugify's passes."""
    if _PLAIN_SLUG.fullmatch(text):
        return text
    text = _APOSTROPHES.sub("", text)
    if _ASCII_NAME.fullmatch(text):
        # What python-slugify makes of such a name (a property test holds the two equal): its
        # words, lowercased, joined by hyphens. Importing it took ~2.5 ms of every build.
        return "-".join(_ASCII_WORD.findall(text.lower()))
    from slugify import slugify as _slugify  # for the names that are neither

    return str(_slugify(text))


# What a generator says of a post, besides its feeds' sections and warnings (`parse_file`).
_GIVEN = (URL_PATH, ID_PATH, LANGUAGE, TRANSLATION, SUMMARY, EXCERPT_SEPARATOR, WRITTEN_IN)

MAX_SLUG_BYTES = 200  # a term's folder name; file systems refuse names over 255 bytes
_CUT_SLUG_BYTES = 180


# A file's time and size not looked up when it was found: a build with no earlier build to
# compare them with (no cache, no record of the last build) has them from the read instead,
# which opens the file anyway (`read_stated`); a stat of each of 10,000 files took 30 ms.
UNSTATED = -1


@functools.lru_cache(maxsize=65536)
def term_slug(name: str) -> str:
    """The slug a tag, category, series or author is published under: its `slugify`, and when
    that is over 200 bytes, its first 180 bytes, `-` and 8 hex digits of the SHA-256 of the
    whole slug (the same on every run, and two long names that share a start stay apart)."""
    slug = slugify(name)
    data = slug.encode("utf-8")
    if len(data) <= MAX_SLUG_BYTES:
        return slug
    cut = data[:_CUT_SLUG_BYTES].decode("utf-8", "ignore")
    return f"{cut}-{hashlib.sha256(data).hexdigest()[:8]}"


class SourceFile(NamedTuple):  # a tuple: ten thousand are made on every build, before caching
    file: str  # the path as found; a Path costs microseconds, times every file, every build
    section: str
    bundle: Path | None
    mtime_ns: int = 0  # UNSTATED (with size) when discovery left them to the read
    size: int = 0

    @property
    def stated(self) -> bool:
        return self.mtime_ns != UNSTATED

    @property
    def path(self) -> Path:
        return Path(self.file)


@datatype
class ParseContext:
    """What parsing one file needs from the configuration (small and picklable)."""

    base_url: str
    timezone: str
    permalink: str
    static_dir: Path
    default_authors: tuple[Author, ...]
    author_details: Mapping[str, Author]
    id_mode: str
    tag_authority: str | None
    # Where a featured image's file may be (its size is published), and whether symbolic links
    # in them may lead elsewhere.
    asset_folders: tuple[Path, ...] = ()
    follow_links_outside: bool = False
    # The site generator's rules for reading a post (None: syndicate's own rules).
    rules: PostRules | None = None

    @classmethod
    def from_config(cls, config: Config) -> ParseContext:
        details = {
            name: Author(name, d.email, d.url, d.avatar) for name, d in config.authors.items()
        }
        defaults = tuple(
            details.get(a.name) or Author(a.name, a.email, a.url, a.avatar)
            for a in config.site.authors
        )
        return cls(
            base_url=config.base_url,
            timezone=config.site.timezone,
            permalink=config.site.permalink,
            static_dir=config.static_dir,
            default_authors=defaults,
            author_details=details,
            id_mode=config.feeds.id,
            tag_authority=config.feeds.tag_authority,
            asset_folders=(config.content_dir, config.static_dir),
            follow_links_outside=config.site.follow_links_outside,
            rules=config.generator.rules if config.generator else None,
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def yaml12(self) -> bool:
        """Whether YAML front matter has YAML 1.2's booleans, as Hugo and Zola read it
        (`fastyaml.Loader12`); Jekyll's, and syndicate's own, are YAML 1.1's."""
        return self.rules is not None and self.rules.generator in ("hugo", "zola")

    @property
    def images_wait(self) -> bool:
        """Whether a post's image may be a file that another post's page publishes, known
        only once every post is loaded (`settle_images`): a Hugo bundle's file, which its
        translations share, or a file another Hugo bundle publishes at a path of the site."""
        return self.rules is not None and self.rules.generator == "hugo"

    @property
    def untitled(self) -> bool:
        """Whether a post may have no title: Hugo and Zola publish such a page, with an
        empty title in their feeds; Jekyll makes one of the file name; syndicate's own rules
        ask for one."""
        return self.rules is not None and self.rules.generator in ("hugo", "zola")


@datatype(frozen=False)
class Loaded:
    """The posts that outputs may show (newest first), and what was left out, and why."""

    posts: list[Post]
    report: Report
    drafts: int = 0
    future: int = 0
    expired: int = 0
    errors: int = 0
    # Posts skipped, or given a `-<section>` suffix, for sharing a permalink or id with another:
    # which post keeps it depends on every post (their dates and paths).
    duplicates: int = 0
    # Posts given the image another post's page publishes (`settle_images`): read alone, a
    # post would not have it.
    linked: int = 0
    # With either: the posts whose loading gave them what reading each alone does not
    # (`read_with_others`), by file, and the problems of the clashes; the files whose warning
    # of an image not found was taken back (another bundle publishes it). A quick rebuild's
    # plan keeps them.
    read_with_others: dict[str, Post] = field(default_factory=dict)
    clash_problems: list[Problem] = field(default_factory=list)
    found_images: frozenset[str] = frozenset()
    all_posts: list[Post] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    now: datetime | None = None
    _window: Window | None = field(default=None, init=False, repr=False, compare=False)

    def window(self) -> Window:
        """The stretch of time in which these files give these posts: from the last moment up
        to now at which a post appeared or expired, to the first such moment after now. (Read
        once loading is done; remembered, as the build asks twice and it scans every post.)"""
        if self.now is None:
            return (None, None)
        if self._window is None:
            since, until = _around(self.all_posts, self.now)
            self._window = (
                since.isoformat() if since else None,
                until.isoformat() if until else None,
            )
        return self._window


def _around(posts: Sequence[Post], now: datetime) -> tuple[datetime | None, datetime | None]:
    """The latest date or expiry at or before `now`, and the earliest after it. Sorted, not
    compared with `now` one by one: each post's date has a time zone object of its own, so
    each comparison asks both for their offsets, and posts come newest first, which sorting
    sees as one run (10,000 posts: 2 ms, 11 ms by comparisons)."""
    moments = [p.date for p in posts]
    moments += [p.expires for p in posts if p.expires is not None]
    moments.sort()
    at = bisect.bisect_right(moments, now)
    return (moments[at - 1] if at else None), (moments[at] if at < len(moments) else None)


@datatype
class LoadOptions:
    now: datetime
    drafts: bool = False
    future: bool = False
    expired: bool = False

    def with_rules(self, rules: PostRules | None) -> LoadOptions:
        """These options, with what the site generator's config publishes besides."""
        if rules is None:
            return self
        return LoadOptions(
            self.now,
            self.drafts or rules.drafts,
            self.future or rules.future,
            self.expired or rules.expired,
        )


class _Rejected(Exception):
    """A post with unusable fields, every one of them already reported."""


_KEY_PATTERNS = {
    "yaml": re.compile(r"""^["']?([A-Za-z_][\w-]*)["']?[ \t]*:""", re.MULTILINE),
    # `key = ...`, or a table's header (`[taxonomies]`, `[extra.x]`): its line is the key's.
    "toml": re.compile(
        r"""^[ \t]*(?:\[\[?[ \t]*)?["']?([A-Za-z_][\w-]*)["']?[ \t]*(?:=|[\].])""", re.MULTILINE
    ),
    "json": re.compile(r"""^[ \t]*"([^"\n]+)"[ \t]*:""", re.MULTILINE),
}


class KeyLines:
    """The line each front-matter key is written on, found only when a problem needs one (a
    post without problems pays nothing)."""

    def __init__(self, head: str = "", kind: str = "") -> None:
        self._head = head
        self._kind = kind
        self._lines: dict[str, int] | None = None

    def of(self, key: str | None) -> int | None:
        if key is None or self._kind not in _KEY_PATTERNS:
            return None
        if self._lines is None:
            self._lines = {}
            for match in _KEY_PATTERNS[self._kind].finditer(self._head):
                line = self._head.count("\n", 0, match.start()) + 1
                self._lines.setdefault(match.group(1), line)
        return self._lines.get(key)


def key_line(path: Path, key: str) -> int | None:
    """The line of `key` in a post file's front matter, read again (for problems found once
    every post is loaded, such as two posts with one permalink)."""
    from .split import kind_of, parts

    try:
        text = _decode(read_bytes(path))
        handler, _, body = parts(text)
    except (OSError, Invalid):
        return None
    if handler is None:
        return None
    return KeyLines(text[: len(text) - len(body)], kind_of(handler)).of(key)


def ready_to_parse() -> None:
    """Import what reading a file needs, here, before worker processes are forked to read
    many: each would otherwise import it for itself (PyYAML, ~25 ms). Not python-slugify:
    a name of ASCII words and digits does without it (`slugify`), and the rest are few."""
    _splitter()


def _split(
    text: str, ctx: ParseContext, file: Path, report: Report
) -> tuple[dict[str, Any], str, int, str, str]:
    """`split.split` of a post's text. A Hugo page with a key given twice is read as Hugo
    before 0.152 reads it, with its last value, and warned of: Hugo 0.152 and later stop the
    build on it (goccy/go-yaml; gohugoio/hugo v0.152.0's release notes), so a site that builds
    is built by an earlier one. Raises Invalid."""
    try:
        return _splitter()(text, ctx.yaml12, False)
    except RepeatedKey as exc:
        if ctx.rules is None or ctx.rules.generator != "hugo":
            raise
        first, again = exc.lines
        report.warning(
            Location(file, again),
            f"{exc.repeated}: given twice in the front matter (lines {first} and {again}); "
            "read as its last value, as Hugo before 0.152 reads it (0.152 and later stop the "
            "build)",
            "keep one of them",
        )
        return _splitter()(text, ctx.yaml12, True)


@functools.cache
def _splitter() -> Callable[[str, bool, bool], tuple[dict[str, Any], str, int, str, str]]:
    """`split.split`, imported when a file is first read (see `content.split`); kept here,
    since an import statement in `parse_file` would cost 2 us for each of 10,000 files."""
    from .split import split

    return split


# ---------------------------------------------------------------------------------------------
# Finding the files


def discover(config: Config, report: Report, with_stat: bool = True) -> list[SourceFile]:
    """Every post file under the content dir, sorted by path; pages and section indexes
    excluded. A site generator's site: the files its generator publishes as posts.
    `with_stat=False` leaves each file's time and size UNSTATED."""
    if config.generator is not None:
        return generator(config.generator.generator).find_posts(config, report, with_stat)
    root = config.content_dir
    if not root.is_dir():
        report.error(
            Location(root), "content folder not found", "set site.content_dir in config.toml"
        )
        return []
    sections = set(config.site.main_sections)
    found: list[SourceFile] = []
    inside = None if config.site.follow_links_outside else site_folders(config)
    # Plain strings and one batch per folder: this runs on every build, over every file,
    # before anything is cached.
    for prefix, files in walk(root, report, inside, with_stat=with_stat):
        if not prefix:
            continue  # top-level pages (about.md) are not posts
        section = prefix[0]
        if sections and section not in sections:
            continue
        for name, path, mtime_ns, size in files:
            if name == "_index.md":
                continue  # section pages
            is_index = name.startswith("index.") and name.count(".") == 1
            if is_index and len(prefix) == 1:
                continue  # a top-level page bundle is a page too
            bundle = Path(os.path.dirname(path)) if is_index else None
            found.append(SourceFile(path, section, bundle, mtime_ns, size))
    found.sort(key=_by_file)
    return found


def _by_file(source: SourceFile) -> str:
    return source.file


FoundFile = tuple[str, str, int, int]  # name, path, mtime_ns, size
Discovered = tuple[list[SourceFile], list[Problem]]  # post files, and what finding them reported


def site_folders(config: Config) -> tuple[str, ...]:
    """The real paths a symbolic link under the content folder may lead into: the folder of the
    config file, and the content folder itself (which may be configured elsewhere)."""
    return (os.path.realpath(config.root), os.path.realpath(config.content_dir))


def walk(
    root: Path,
    report: Report,
    inside: Sequence[str] | None = None,
    suffixes: tuple[str, ...] = MARKDOWN_SUFFIXES,
    keep: Callable[[tuple[str, ...]], bool] | None = None,
    with_stat: bool = True,
) -> Iterator[tuple[tuple[str, ...], list[FoundFile]]]:
    """For each folder under `root`: its parts below `root`, and its Markdown files. Links are
    followed but never round in a loop, and, when `inside` is given, only into those folders:
    a link to /etc is not walked and a linked post from elsewhere is not published. Anything
    but a regular file (a FIFO would block the read forever) is skipped with a warning.
    `suffixes` (lower case) name the files wanted; `keep`, given a folder's parts below `root`,
    says whether to go into it (a generator's excluded folders are never read).
    `with_stat=False`: each file's time and size are UNSTATED."""
    seen: set[str] = {os.path.realpath(root)}
    stack: list[tuple[str, tuple[str, ...]]] = [(str(root), ())]
    while stack:
        folder, prefix = stack.pop()
        files: list[FoundFile] = []
        others: list[os.DirEntry[str]] = []
        try:
            _scan(folder, files, others, suffixes, with_stat)
        except OSError as exc:
            report.error(Location(Path(folder)), f"cannot read folder: {exc.strerror}")
            continue
        others.sort(key=lambda e: e.name)
        for entry in others:  # folders, links and the odd socket: sorted, so reports are too
            if keep is not None and entry.is_dir() and not keep((*prefix, entry.name)):
                continue  # before the link's checks: nothing in an excluded folder is reported
            if entry.is_symlink() and not _link_usable(entry, inside, report):
                continue
            if entry.is_dir():
                real = os.path.realpath(entry.path)
                if real in seen:
                    report.error(
                        Location(Path(entry.path)),
                        "symbolic link loop: this folder leads back to one already read",
                        "remove the link or point it outside the content folder",
                    )
                    continue
                seen.add(real)
                stack.append((entry.path, (*prefix, entry.name)))
            elif entry.name.lower().endswith(suffixes):
                if _is_regular(entry):
                    files.append((entry.name, entry.path, *_stat(entry, with_stat)))
                else:
                    report.warning(
                        Location(Path(entry.path)),
                        "not a regular file (a FIFO, socket or device); it was skipped",
                        "remove it from the content folder",
                    )
        yield prefix, files


def _scan(
    folder: str,
    files: list[FoundFile],
    others: list[os.DirEntry[str]],
    suffixes: tuple[str, ...],
    with_stat: bool = True,
) -> None:
    """Regular files of `folder` named with `suffixes` into `files`; everything but regular
    files into `others`. Raises OSError when the folder cannot be read."""
    with os.scandir(folder) as scan:
        for entry in scan:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_file(follow_symlinks=False):
                if name.lower().endswith(suffixes):
                    files.append((name, entry.path, *_stat(entry, with_stat)))
            else:
                others.append(entry)


def _link_usable(entry: os.DirEntry[str], inside: Sequence[str] | None, report: Report) -> bool:
    """Whether a symbolic link may be followed; if not, the report says why."""
    where = Location(Path(entry.path))
    if not os.path.exists(entry.path):
        report.error(where, "broken or looping symbolic link; it was skipped")
        return False
    real = os.path.realpath(entry.path)
    if inside is not None and not is_inside(real, inside):
        report.warning(
            where,
            f"symbolic link leads outside the site (to {real}); it was not followed",
            "move what it points to into the site, or set "
            "`follow_links_outside = true` under [site] in the config",
        )
        return False
    return True


def _is_regular(entry: os.DirEntry[str]) -> bool:
    try:
        return stat.S_ISREG(os.stat(entry.path).st_mode)
    except OSError:
        return False


def _stat(entry: os.DirEntry[str], with_stat: bool = True) -> tuple[int, int]:
    if not with_stat:
        return (UNSTATED, UNSTATED)
    try:
        info = entry.stat()
    except OSError:
        return (0, 0)  # parse_file reports why it cannot be read
    return (info.st_mtime_ns, info.st_size)


# ---------------------------------------------------------------------------------------------
# Reading one file


def parse_file(
    source: SourceFile,
    ctx: ParseContext,
    data: bytes | None = None,
    digest: str | None = None,
    not_a_post: list[str] | None = None,
) -> tuple[Post | None, list[Problem]]:
    """Read one post file (or parse its bytes, already read, whose content hash is `digest`).
    Returns the post (None if unusable) and the problems found in it; for a file the site's
    generator publishes, but not as a post, why goes to `not_a_post`."""
    report = Report()
    lines: KeyLines | None = None
    try:
        path = source.path
        data = _read_bytes(path) if data is None else data
        text = _decode(data)
        clean = not may_hold_invalid(data)
        if not clean:
            text = _strip_invalid(text, path, report)
        meta, body, body_line, head, kind = _split(text, ctx, Path(source.file), report)
        lines = KeyLines(head, kind)
        if not clean or b"\\" in data:  # an escape ("\u0010") makes what the bytes lack
            meta = _clean_values(meta, path, report)
        given: dict[str, str] = {}
        warnings: list[tuple[str, str, str | None]] = []
        if ctx.rules is not None:
            meta = generator(ctx.rules.generator).adapt(meta, source, ctx.rules, ctx.tz)
            given = {k: str(meta.pop(k)) for k in _GIVEN if k in meta}
            if FEED_SECTIONS in meta:  # paths, which hold no NUL: one text, as the others
                given[FEED_SECTIONS] = "\0".join(meta.pop(FEED_SECTIONS))
            warnings = meta.pop(WARNINGS, [])
        post = _normalise(meta, body, body_line, source, ctx, report, path, digest, lines, given)
        for key, message, hint in warnings:
            report.warning(Location(Path(source.file), lines.of(key)), message, hint)
    except Invalid as exc:  # the file, or (from a generator's `adapt`) one key of it
        line = exc.line or (lines.of(exc.key) if lines is not None else None)
        report.error(Location(Path(source.file), line), exc.message, exc.hint)
        return None, report.problems
    except _Rejected:
        return None, report.problems
    except NotAPost as exc:
        if not_a_post is not None:
            not_a_post.append(exc.reason)
        return None, []
    return post, report.problems


def given_permalink(base_url: str, url_path: str) -> str:
    """The permalink of a page at the URL path its generator gives it (`URL_PATH`): below the
    base URL, or as it is when it is at a host of its own (a language of Hugo's multihost
    site)."""
    if url_path.startswith(("https://", "http://")):
        return url_path
    return base_url + url_path.lstrip("/")


def text_digest(text: str) -> str:
    # SHA-256 (truncated): twice as fast as BLAKE2 where the CPU has SHA instructions.
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def file_digest(data: bytes, bundle: Path | None) -> str:
    """A post file's content digest, as the build cache keys it and `Post.body_digest` holds
    it: its bytes and, for a page bundle, the names of the files beside it (its images)."""
    if bundle is not None:
        data += "\0".join(sorted(p.name for p in bundle.iterdir())).encode()
    return hashlib.sha256(data).hexdigest()[:32]


def read_body(path: Path) -> str:
    """The Markdown body of a post file, exactly as `parse_file` reads it."""
    from .split import parts

    try:
        _, text = _read_text(path)
        handler, _, body = parts(text)
    except Invalid as exc:
        raise _read_again_error(path, exc) from None
    return body.lstrip("\r\n") if handler is not None else body


def post_body(post: Post) -> str:
    """`read_body` of a post's file. While the file is the one it was read from
    (`Post.body_digest`), the body is what follows the line before `Post.body_line`: read so,
    a render worker does without the front matter's readers, whose import
    (python-frontmatter's brings PyYAML's) took ~11 ms of CPU in each."""
    if not post.body_digest:
        return read_body(post.source)
    try:
        data, text = _read_text(post.source)
        same = file_digest(data, post.bundle) == post.body_digest
    except (Invalid, OSError) as exc:
        raise _read_again_error(post.source, exc) from None
    body = _body_from(text, post.body_line) if same else None
    return body if body is not None else read_body(post.source)


def _read_text(path: Path) -> tuple[bytes, str]:
    """A post file's bytes, and its text as `parse_file` reads it. Raises Invalid."""
    data = _read_bytes(path)
    text = _decode(data)
    if may_hold_invalid(data):
        text = _XML_INVALID.sub("", text)  # as parse_file strips them, without the warning
    return data, text


def _read_again_error(path: Path, exc: Invalid | OSError) -> ContentError:
    why = exc.message if isinstance(exc, Invalid) else exc.strerror or str(exc)
    return ContentError(f"{path}: cannot read the post again: {why}")


def _body_from(text: str, line: int) -> str | None:
    """The body of a post's `text` whose body starts at `line` (`split.split`'s count), or
    None where that line may be the closing delimiter's. Line 1 is a file without front
    matter, all body. A closing delimiter's match (its line, `$`) ends before a newline,
    which the body starts with and `split` strips with any carriage return: so after the
    newline before `line`, only those lie before the body. Only at the end of the text may a
    delimiter end with no newline after it, the body empty: a last line is left to `split`."""
    if line <= 1:
        return text
    at = 0
    for _ in range(line - 1):
        at = text.index("\n", at) + 1
    return text[at:].lstrip("\r\n") if text.find("\n", at) != -1 else None


def read_bytes(file: str | Path) -> bytes:
    """A file's bytes: unbuffered, read in one go. Half the cost of `Path.read_bytes`, which
    counts when it is paid for every post on every cold build."""
    with open(file, "rb", buffering=0) as handle:
        return handle.readall()


def read_stated(file: str) -> tuple[bytes, int, int]:
    """A file's bytes, time (ns) and size, from one open: the time and size of what was read,
    with the read sized by them (`readall` looks them up too, and then grows its buffer)."""
    fd = os.open(file, os.O_RDONLY)
    try:
        info = os.fstat(fd)
        data = os.read(fd, info.st_size + 1)  # one more byte: the end of the file is seen
        if len(data) != info.st_size:  # it changed size since: read on to its end
            data += _read_rest(fd)
        return data, info.st_mtime_ns, info.st_size
    finally:
        os.close(fd)


def _read_rest(fd: int) -> bytes:
    with open(fd, "rb", buffering=0, closefd=False) as handle:
        return handle.readall()


def _read_bytes(path: Path) -> bytes:
    try:
        return read_bytes(path)
    except OSError as exc:
        raise Invalid(f"cannot read file: {exc.strerror}") from None


def may_hold_invalid(data: bytes) -> bool:
    """False when UTF-8 `data` surely holds no character XML forbids (`_XML_INVALID`): no C0
    control but tab and newlines, no DEL, no C1 control (C2 80-9F), no U+FFFE/FFFF (EF BF BE/BF).
    A C-speed scan; the regex over every character cost more than the YAML parser."""
    return bool(data.translate(None, _XML_OK_BYTES)) or b"\xc2" in data or b"\xef\xbf" in data


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise Invalid("binary file, not Markdown", hint="rename it or move it out of content/")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Invalid(
            f"not UTF-8 (byte 0x{data[exc.start]:02x})", line, "save the file as UTF-8"
        ) from None
    if not text.strip():
        raise Invalid("empty file", hint="add front matter and a body, or delete the file")
    return text


def _strip_invalid(text: str, path: Path, report: Report) -> str:
    match = _XML_INVALID.search(text)
    if match is None:
        return text
    line = text.count("\n", 0, match.start()) + 1
    report.warning(
        Location(path, line),
        f"control character U+{ord(match.group()):04X} is not allowed in feeds; removed",
    )
    return _XML_INVALID.sub("", text)


def _clean_values(value: Any, path: Path, report: Report) -> Any:
    """Strip XML-invalid characters that escapes in front matter (`"\\u0010"`) produced."""
    if isinstance(value, str):
        if _XML_INVALID.search(value):
            report.warning(
                Location(path), f"front matter value {value!r}: control characters removed"
            )
            return _XML_INVALID.sub("", value)
        return value
    if isinstance(value, list):
        return [_clean_values(v, path, report) for v in value]
    if isinstance(value, dict):
        return {k: _clean_values(v, path, report) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------------------------
# Normalising front matter


def _normalise(
    meta: dict[str, Any],
    body: str,
    body_line: int,
    source: SourceFile,
    ctx: ParseContext,
    report: Report,
    path: Path,
    digest: str | None = None,
    lines: KeyLines | None = None,
    given: Mapping[str, str] | None = None,
) -> Post:
    """The post of one file's front matter and body. Every unusable field is reported (each at
    the line of its key) before the post is rejected with `_Rejected`. `given` holds what the
    site's generator said of the post: its path below the site's URL (`URL_PATH`) and in its
    id (`ID_PATH`), its language, its translations' key and the sections whose feeds list
    it."""
    given = given or {}
    url_path = given.get(URL_PATH)
    check = _Fields(path, report, lines or KeyLines(), meta, ctx)
    title = check.read(KEYS.title, "")
    jekyll = _JEKYLL_NAME.match(path.stem)
    date = check.get(None, _post_date, meta, ctx, jekyll)
    updated = check.read(KEYS.lastmod, None)
    publish = check.read(KEYS.publish_date, None)
    expires = check.read(KEYS.expiry_date, None)
    authors = check.read(KEYS.authors, _NO_AUTHORS)
    tags = check.read(KEYS.tags, _NO_NAMES)
    categories = check.read(KEYS.categories, _NO_NAMES)
    series = check.read(KEYS.series, _NO_NAMES)
    draft, in_feeds = check.read(KEYS.draft, False), check.read(KEYS.feed, True)
    summary_only = check.read(KEYS.summary_only, False)
    summary_only = check.read(KEYS.feed_excerpt_only, False) or summary_only
    if date is None:
        raise _Rejected()
    slug = _slug(meta, ctx, source, path, jekyll, title)
    if url_path:
        permalink = given_permalink(ctx.base_url, url_path)
    else:
        permalink = _permalink(ctx, source.section, slug, date)
    image, alt, unfound = _featured_image(meta, source, path, permalink, ctx, check)
    if check.failed:
        raise _Rejected()  # after the image, so that its problem is reported with the others
    if updated is not None and updated < date:
        check.warn(KEYS.lastmod.written(meta), "lastmod is earlier than date; it was ignored")
        updated = None
    description = KEYS.description.read(meta, ctx)
    _warn_not_text(meta, KEYS.description, check)
    summary = _summary(body, description, ctx, given)
    if _too_big(body):
        summary_only, summary = True, _huge_summary(check, body, body_line, summary, description)
    given_id = _given_id(meta, ctx, check)
    id_path = given.get(ID_PATH)
    as_id = ctx.base_url + id_path.lstrip("/") if id_path else permalink
    return Post(
        source=path,
        body_line=body_line,
        title=title,
        slug=slug,
        section=source.section,
        permalink=permalink,
        id=_post_id(given_id, ctx, as_id, slug, date),
        date=max(date, publish) if publish else date,
        updated=updated,
        description=description,
        excerpt=None if description else summary,
        authors=check.capped(authors, KEYS.authors.written(meta) or KEYS.authors.name),
        tags=check.capped(tags, KEYS.tags.name),
        categories=check.capped(categories, KEYS.categories.name),
        series=check.capped(series, KEYS.series.name),
        image=image,
        image_alt=alt,
        draft=draft,
        in_feeds=in_feeds,
        summary_only=summary_only,
        body=body,
        # The file's own hash, when the caller has it, names the body too: one hash, not two.
        body_digest=digest or text_digest(body),
        bundle=source.bundle,
        expires=expires,
        params={k: v for k, v in meta.items() if k not in KNOWN_NAMES},
        language=given.get(LANGUAGE, ""),
        translation_key=given.get(TRANSLATION, ""),
        feed_sections=_feed_sections(given, source.section),
        templated=has_syntax(body, may_begin(ctx.rules)),
        authors_named=authors is not ctx.default_authors,
        image_unfound=unfound,
        written_in=given.get(WRITTEN_IN, ""),
    )


def _feed_sections(given: Mapping[str, str], section: str) -> tuple[str, ...]:
    """The sections whose feeds list the post: the generator's, else its top-level section."""
    if FEED_SECTIONS in given:
        return tuple(p for p in given[FEED_SECTIONS].split("\0") if p)
    return (section,) if section else ()


def _huge_summary(
    check: _Fields, body: str, body_line: int, summary: str | None, description: str | None
) -> str | None:
    """The summary of a post too big for feeds, which then carry only that (with a warning)."""
    check.warn(
        None,
        f"the Markdown is over 1 MB ({len(body.encode('utf-8')):,} bytes); feeds carry "
        "only the post's summary",
        "split the post, or move what makes it large into files it links to",
        body_line,
    )
    # A feed shows the whole post when its summary is empty: never this one's.
    return summary or description or body[:_SUMMARY_CUT].strip() or None


_NO_NAMES: tuple[str, ...] = ()
_NO_AUTHORS: tuple[Author, ...] = ()
MAX_MARKDOWN_BYTES = 1_000_000  # beyond this a post goes into feeds as its summary only
_SUMMARY_CUT = 2000  # characters of a huge post without a summary that stand in for one
MAX_TERMS = 100  # names per grouping per post; 20,000 tags once made 60,000 feed files


def _too_big(body: str) -> bool:
    # Characters first: most posts are far below the limit, and encoding costs a copy.
    return len(body) * 4 > MAX_MARKDOWN_BYTES and len(body.encode("utf-8")) > MAX_MARKDOWN_BYTES


_T = TypeVar("_T")


class _Fields:
    """Reads a post's fields one by one, reporting each unusable one at the line of its key
    (line 1, where the front matter opens, for a key that is missing)."""

    def __init__(
        self, path: Path, report: Report, lines: KeyLines, meta: Mapping[str, Any], ctx: Site
    ) -> None:
        self.path = path
        self.report = report
        self.lines = lines
        self.meta = meta
        self.ctx = ctx
        self.failed = False

    def where(self, key: str | None, line: int | None = None) -> Location:
        return Location(self.path, line or self.lines.of(key) or 1)

    def read(self, key: Key[_T], default: _T) -> _T:
        """The key's normalised value, or `default` when it is unusable (and reported)."""
        try:
            return key.normalise(self.meta, key.names, self.ctx)
        except Invalid as exc:
            self._failed(exc)
            return default

    def get(self, default: _T, read: Callable[..., _T], *args: Any) -> _T:
        try:
            return read(*args)
        except Invalid as exc:
            self._failed(exc)
            return default

    def _failed(self, exc: Invalid) -> None:
        self.failed = True
        self.report.error(self.where(exc.key, exc.line), exc.message, exc.hint)

    def warn(
        self, key: str | None, message: str, hint: str | None = None, line: int | None = None
    ) -> None:
        self.report.warning(self.where(key, line), message, hint)

    def capped(self, values: tuple[_T, ...], key: str) -> tuple[_T, ...]:
        if len(values) <= MAX_TERMS:
            return values
        self.warn(
            key,
            f"{key}: {len(values):,} names; only the first {MAX_TERMS} are kept",
            "a post may have at most 100 names in each of tags, categories, series and authors",
        )
        return values[:MAX_TERMS]


def _post_date(meta: Mapping[str, Any], ctx: Site, jekyll: re.Match[str] | None) -> datetime:
    """`date`, else `publishDate`, else the date of a Jekyll-style file name. Raises Invalid."""
    date = KEYS.date.read(meta, ctx) or KEYS.publish_date.read(meta, ctx)
    if date is None and jekyll:
        tz = ctx.tz
        try:
            date = in_range(parse_datetime("-".join(jekyll.groups()[:3]), tz), "date", tz)
        except ValueError:
            date = None  # `2024-13-45-x.md`: not a date after all
    if date is None:
        empty = next((k for k in (*KEYS.date.names, *KEYS.publish_date.names) if k in meta), None)
        if empty is not None:  # `date:` with nothing after it: at its own line
            raise Invalid(
                f"{empty} is empty", key=empty, hint="write it: `date: 2024-03-01T09:00:00+01:00`"
            )
        raise Invalid(
            "missing date", hint="add `date: 2024-03-01T09:00:00+01:00` to the front matter"
        )
    return date


def _featured_image(
    meta: Mapping[str, Any],
    source: SourceFile,
    path: Path,
    permalink: str,
    ctx: ParseContext,
    check: _Fields,
) -> tuple[Asset | None, str | None, str]:
    """The featured image, or None (with a warning) when it is not a usable URL or its file is
    missing: an enclosure with no file behind it would announce a length of 0. And the URL of
    an image whose file is missing, where another post's page may publish it (`Post.
    image_unfound`), else ""."""
    _warn_not_text(meta, KEYS.image_alt, check)
    _warn_not_an_image(meta, check)
    ref, alt, key = _image_ref(meta, ctx)
    if not ref:
        return None, None, ""
    resolver = _resolver(ctx.base_url, ctx.static_dir, ctx.asset_folders, ctx.follow_links_outside)
    image = _image_asset(ref, key, source, path, permalink, resolver)
    if not image.url.startswith(("http://", "https://")) or not _parses(image.url):
        check.warn(key, f"featured image {image.url!r} is not a usable URL; ignored")
        return None, alt, ""
    if image.path is None and not _is_remote(ref):
        check.warn(key, f"{NOT_FOUND}{ref}", "check the path")
        return None, alt, image.url if ctx.images_wait else ""
    return image, alt, ""


def _warn_not_text(meta: Mapping[str, Any], key: Key[Any], check: _Fields) -> None:
    """A warning for each of the key's names that holds no text (a list, a mapping, true or
    false): the post is published without it, which its author should know."""
    for name in key.names:
        value = meta.get(name)
        if not_text(value):
            check.warn(
                name,
                f"{name} must be text, got {kind(value)}; it was ignored",
                f'write one text, quoted: `{name}: "..."`',
            )


def _warn_not_an_image(meta: Mapping[str, Any], check: _Fields) -> None:
    """A warning for an image key holding what names no image (a number, true/false, a list
    where one path is meant; `images` holding other than paths): it was passed over silently.
    A mapping is a theme's (`cover: {image, hidden}`), read when it has `image` or `src`."""
    for name in KEYS.image.names:
        value = meta.get(name)
        if value is not None and not isinstance(value, str | dict):
            check.warn(name, f"{name} must be a path or URL, got {kind(value)}; it was ignored")
    images = meta.get(KEYS.images.name)
    if images is not None and not (
        isinstance(images, list) and all(isinstance(i, str) for i in images)
    ):
        check.warn(
            KEYS.images.name,
            f"{KEYS.images.name} must be a list of paths or URLs, got {kind(images)}; "
            "it was ignored",
        )


def _parses(url: str) -> bool:
    """Whether `url` can be taken apart as a URL (`http://[::1` cannot: its host is cut)."""
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def _image_ref(meta: Mapping[str, Any], ctx: Site) -> tuple[str | None, str | None, str]:
    """The featured image's reference, its alt text, and the key it was written under: one of
    the image keys, else the first of `images`."""
    alt = KEYS.image_alt.read(meta, ctx)
    found: ImageRef | None = KEYS.image.read(meta, ctx)
    if found is not None:
        ref, own_alt, key = found
        return ref, own_alt or alt, key
    first = KEYS.images.read(meta, ctx)
    if first is not None:
        return first, alt, KEYS.images.name
    return None, None, KEYS.images.name


def _image_asset(
    ref: str, key: str, source: SourceFile, path: Path, permalink: str, resolver: UrlResolver
) -> Asset:
    if _is_remote(ref) or _URL_WITH_SCHEME.match(ref) or ref.startswith("."):
        return resolver.resolve(ref, path, permalink)  # a URL, or a path from the post's file
    if key == "images":
        # Hugo's embedded Open Graph and Twitter Cards templates (https://gohugo.io/templates/
        # embedded/, through `_partials/_funcs/get-page-images.html`) take each `images` entry
        # as a page resource (`$.Resources.GetMatch`) first, else give it to `absURL`: under
        # the site's URL (a static file), or under the host for a path starting with "/".
        if source.bundle is not None:
            resource = Path(os.path.normpath(source.bundle / ref.lstrip("/")))
            if resolver.usable(resource):
                return Asset(urljoin(permalink, quote(ref.lstrip("/"))), resource)
        if ref.startswith("/"):
            return resolver.resolve(ref, path, permalink)  # absURL: against the host
        return resolver.site_root(ref)
    if ref.startswith("/"):
        return resolver.site_root(ref)  # a theme's path into the static folder
    return resolver.resolve(ref, path, permalink)


@functools.lru_cache(maxsize=8)
def _resolver(
    base_url: str, static_dir: Path, folders: tuple[Path, ...], follow: bool
) -> UrlResolver:
    return UrlResolver(base_url, static_dir, folders, follow)  # one per site: look-ups are kept


def _slug(
    meta: Mapping[str, Any],
    ctx: ParseContext,
    source: SourceFile,
    path: Path,
    jekyll: re.Match[str] | None,
    title: str,
) -> str:
    given = KEYS.slug.read(meta, ctx)
    if given is not None and ctx.rules is not None and given.strip():
        return given.strip()  # a generator's slug, as it writes it (its ids are made of it)
    if given is not None and slugify(given):
        return slugify(given)
    name = source.bundle.name if source.bundle else (jekyll.group(4) if jekyll else path.stem)
    return slugify(name) or slugify(title) or "post"


def _permalink(ctx: ParseContext, section: str, slug: str, date: datetime) -> str:
    local = date.astimezone(ctx.tz)
    path = ctx.permalink.format(
        year=f"{local.year:04d}",
        month=f"{local.month:02d}",
        day=f"{local.day:02d}",
        slug=slug,
        section=slugify(section) or section,
    )
    return ctx.base_url + re.sub(r"/{2,}", "/", path).lstrip("/")


def _given_id(meta: Mapping[str, Any], ctx: ParseContext, check: _Fields) -> str | None:
    """The id the front matter gives, with a warning when it is no absolute IRI (Atom's
    entry id must be one: readers and the W3C validator reject `fixed-guid-2`)."""
    given = KEYS.id.read(meta, ctx)
    if given is not None and given.strip() and not _URL_WITH_SCHEME.match(given.strip()):
        check.warn(
            KEYS.id.written(meta),
            f"id {given.strip()!r} is not an absolute IRI, which Atom needs for an entry id",
            "write it as urn:…, tag:… or https://…, or leave it out (the permalink is the id)",
        )
    return given


def _post_id(
    given: str | None, ctx: ParseContext, permalink: str, slug: str, date: datetime
) -> str:
    """The id written in the front matter (`given`), else one made as `[feeds] id` says."""
    if given is not None and given.strip():
        return given.strip()
    if ctx.id_mode == "tag":
        # RFC 4151: tag:authority,date:specific. Neither base_url nor the folder is part of it.
        authority = ctx.tag_authority or (
            f"{_host(ctx.base_url)},{date.astimezone(ctx.tz).date().isoformat()}"
        )
        return f"tag:{authority}:{slug}"
    return permalink


def _host(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0].split(":")[0]


def tag_id_warning(config: Config) -> Problem | None:
    """A warning when `[feeds] id = "tag"` has no `tag_authority`: the authority then comes
    from base_url's host (see `_post_id`), so every id changes with the domain."""
    if config.feeds.id != "tag" or config.feeds.tag_authority:
        return None
    host = _host(config.base_url)
    return Problem(
        "warning",
        Location(config.path, _key_line(config.path, "feeds", "id")),
        f'feeds.id = "tag" without tag_authority: ids are made from {host} (base_url) and '
        "each post's date, so they all change if the site moves to another domain",
        f'set [feeds] tag_authority = "{host},YYYY" (a domain you held on that date) before '
        "ids are published; once they are, setting it changes every id once",
    )


def _key_line(path: Path, table: str, key: str) -> int | None:
    """The line of `key = ...` in `[table]` of a TOML file, when it is written that way."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    current = ""
    for number, line in enumerate(lines, 1):
        header = re.match(r"\s*\[([^\[\]]+)\]\s*(#.*)?$", line)
        if header:
            current = header.group(1).strip()
        elif current == table and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _is_remote(ref: str) -> bool:
    return bool(re.match(r"^(https?:)?//", ref))


def _summary(
    body: str, description: str | None, ctx: ParseContext, given: Mapping[str, str]
) -> str | None:
    """The Markdown of the post's summary: its generator's summary as Markdown (`SUMMARY`),
    else none where the description is the summary, else cut where its generator cuts it
    (`excerpt`)."""
    if SUMMARY in given:
        return _manual_summary(body) or given[SUMMARY]
    if description:
        return None
    cut = given.get(EXCERPT_SEPARATOR)
    if cut is not None:
        return excerpt(body, cut, whole=True) if cut else None
    return excerpt(body, ctx.rules.summary_separator if ctx.rules else None)


def excerpt(body: str, separator: str | None = None, whole: bool = False) -> str | None:
    """The Markdown before `separator` (a generator's, such as Jekyll's `excerpt_separator`)
    or `<!--more-->`, else the first paragraph of prose; `whole`: the whole body when
    `separator` is not in it (Jekyll's partition); with the definitions of the reference links
    it uses (`[text][ref]`), which the generators keep for it, and without its footnote marks
    (`[^1]`)."""
    found = _excerpt(body, separator, whole)
    if found and "[^" in found:
        found = _FOOTNOTE_MARK.sub("", found)  # its note is not in the summary: nor its mark
    return _with_link_definitions(found, body) if found and "]:" in body else found


def _manual_summary(body: str) -> str | None:
    """The Markdown before `<!--more-->`, if the body has one (`excerpt`)."""
    return excerpt(body) if "<!--" in body and _MORE.search(body) else None


def _with_link_definitions(found: str, body: str) -> str:
    """`found` and, after it, each of `body`'s link reference definitions whose label it uses:
    Jekyll renders an excerpt with the post's (`Excerpt#extract_excerpt`), and Hugo and Zola
    summarise the rendered post, so `[@BrewTestBot]` in a summary is a link, not brackets."""
    wanted = found.lower()
    lines = [
        line
        for line, label in _LINK_DEFINITION.findall(body)
        if f"[{label.lower()}]" in wanted and line not in found
    ]
    return found + "\n\n" + "\n".join(lines) if lines else found


def _excerpt(body: str, separator: str | None, whole: bool = False) -> str | None:
    if separator and (whole or separator in body):
        # Whatever comes first, as Jekyll's `Excerpt#extract_excerpt` partitions the post at
        # its `excerpt_separator` (by default "\n\n": its first block, a heading too), the
        # whole post when it is not there (`return head if tail.empty?`).
        return body.partition(separator)[0].strip() or None
    more = _MORE.search(body) if "<!--" in body else None  # the scan is the slow part
    if more:
        return body[: more.start()].strip() or None
    start = 0
    for gap in itertools.chain(_BLANK_LINES.finditer(body), (None,)):
        end = gap.start() if gap is not None else len(body)
        block = body[start:end]
        first = block.lstrip()
        if first and not _NOT_PROSE.match(first) and not _ONE_CALL.fullmatch(block.strip()):
            return block.strip()
        if gap is None:
            return None
        start = gap.end()
    return None  # pragma: no cover


# ---------------------------------------------------------------------------------------------
# The whole folder


def load_posts(
    config: Config,
    options: LoadOptions,
    parse: Callable[[list[SourceFile], ParseContext], Iterable[tuple[Post | None, list[Problem]]]]
    | None = None,
    discovered: Discovered | None = None,
) -> Loaded:
    """Load every post; `parse` maps files to results (in order) and may run them in parallel;
    it fills in the times and sizes discovery left UNSTATED.

    `discovered` may hold the files just found, with the problems finding them reported."""
    report = Report()
    if discovered is None:
        sources = discover(config, report)
    else:
        sources, problems = discovered
        report.problems.extend(problems)
    ctx = ParseContext.from_config(config)
    results = (parse or _parse_serially)(sources, ctx)
    posts: list[Post] = []
    for post, problems in results:
        report.problems.extend(problems)
        if post is not None:
            posts.append(post)
    mark = len(report.problems)
    unique, clashes = _unique(posts, report, ctx)
    clash_problems = report.problems[mark:]
    options = options.with_rules(ctx.rules)
    unique, linked, found = settle_images(unique, ctx, options, report)
    loaded = _select(unique, options, report)
    loaded.duplicates = clashes
    loaded.linked = linked
    loaded.clash_problems = clash_problems
    loaded.found_images = found
    if clashes or linked:
        loaded.read_with_others = _read_with_others(posts, unique)
    loaded.sources = sources
    loaded.now = options.now
    return loaded


def settle_images(
    posts: list[Post], ctx: ParseContext, options: LoadOptions, report: Report
) -> tuple[list[Post], int, frozenset[str]]:
    """The posts, each with the image its generator gives it once every post is known, where
    a post's page decides another's (`ParseContext.images_wait`): a bundle's file shared by
    translations, under the address of the one that publishes it; the file another bundle
    publishes at a URL where none was found, the warning that said so taken back. Also how
    many posts it changed, and the files whose warning it took back."""
    if ctx.rules is None or not ctx.images_wait:
        return posts, 0, frozenset()
    from ..sites.hugo.resources import settle

    settled = settle(posts, ctx.rules, lambda post: held_back(post, options) is None)
    found = {new.source for new in settled if image_found(new)}
    if found:
        report.problems[:] = [p for p in report.problems if not _not_found_in(p, found)]
    changed = sum(
        old.image != new.image or old.shared_files != new.shared_files
        for old, new in zip(posts, settled, strict=True)
    )
    return settled, changed, frozenset(str(source) for source in found)


def read_with_others(post: Post) -> tuple[str, str, Asset | None, tuple[tuple[str, str], ...]]:
    """What loading may give a post from the other posts: its permalink and id (`-<section>`,
    `_unique`), its image and shared files (`settle_images`)."""
    return (post.permalink, post.id, post.image, post.shared_files)


def image_found(post: Post) -> bool:
    """Whether loading found the post's image, which reading it alone did not (and warned of:
    `settle_images` takes the warning back)."""
    return bool(post.image_unfound) and post.image is not None


def _read_with_others(read: Iterable[Post], loaded: Iterable[Post]) -> dict[str, Post]:
    """The posts of `loaded` that loading gave something that reading each alone (`read`)
    does not, by file."""
    alone = {post.source: read_with_others(post) for post in read}
    return {str(p.source): p for p in loaded if read_with_others(p) != alone[p.source]}


def _not_found_in(problem: Problem, sources: set[Path]) -> bool:
    where = problem.location
    return where is not None and where.path in sources and image_warning(problem)


def image_warning(problem: Problem) -> bool:
    """Whether `problem` is the warning that a post's featured image was not found."""
    return problem.severity == "warning" and problem.message.startswith(NOT_FOUND)


# A built page of a bundle as plain values: its file, its bundle, its language, its permalink.
BundleRow = tuple[str, str, str, str]


def bundle_pages(posts: Iterable[Post], built: Callable[[Post], bool]) -> list[BundleRow]:
    """The built pages of bundles among the posts of a Hugo site, as plain values, as
    `settle_edited` needs them (`built`: whether Hugo builds a post's page)."""
    from ..sites.hugo.resources import bundle_pages as pages_of

    return [page.row() for page in pages_of(posts, built)]


def settle_edited(
    post: Post, problems: list[Problem], pages: Sequence[BundleRow], ctx: ParseContext
) -> tuple[Post, list[Problem]]:
    """An edit of a post, read by itself, as `settle_images` gives it among every post, whose
    built bundle pages are `pages` (`bundle_pages` of posts holding its earlier version, at
    the same address and built or not as it is: see `resources.settle_one`); and those of the
    `problems` reading it reported that still stand (the warning that its image was not
    found, taken back when another bundle publishes it)."""
    if ctx.rules is None or not ctx.images_wait:
        return post, problems
    from ..sites.hugo.resources import BundlePage, settle_one

    settled = settle_one(post, map(BundlePage.of_row, pages), ctx.rules)
    if not image_found(settled):
        return settled, problems
    return settled, [p for p in problems if not _not_found_in(p, {post.source})]


def _parse_serially(
    sources: Sequence[SourceFile], ctx: ParseContext
) -> Iterator[tuple[Post | None, list[Problem]]]:
    return (parse_file(s, ctx) for s in sources)


def _unique(
    posts: list[Post], report: Report, ctx: ParseContext | None = None
) -> tuple[list[Post], int]:
    """The posts, each with its own permalink and id. Of two posts that share one, the earlier
    (by date, then path) keeps it, so an id already published never changes; the later, when
    its id and permalink come from its slug and it is in another section, gets `-<section>`
    after its slug; otherwise it is reported and skipped. Also returns how many posts clashed."""
    clashes = 0
    by_link: dict[str, Post] = {}
    by_id: dict[str, Post] = {}
    kept: list[Post] = []
    for post in sorted(posts, key=_by_date_then_path):
        first = by_link.get(post.permalink) or by_id.get(post.id)
        if first is not None:
            clashes += 1
        if first is not None and ctx is not None and first.section != post.section:
            post = _with_section_suffix(post, ctx)
        clash = _clash(post, by_link, by_id)
        if clash is not None:
            (what, key), other = clash
            at = _clash_key(post, what)
            report.error(
                Location(post.source, key_line(post.source, at)),
                f"same {what} as {other.source} ({key}); this post was skipped",
                f"give one of them its own `{at if at != KEYS.title.name else 'slug'}` in the "
                "front matter",
            )
            continue
        by_link[post.permalink] = post
        by_id[post.id] = post
        kept.append(post)
    kept.sort(key=_by_path)  # the order the files were found in, as before
    return kept, clashes


def _by_date_then_path(post: Post) -> tuple[datetime, str]:
    return (post.date, str(post.source))


def _by_path(post: Post) -> str:
    return str(post.source)


def _clash(
    post: Post, by_link: Mapping[str, Post], by_id: Mapping[str, Post]
) -> tuple[tuple[str, str], Post] | None:
    if post.permalink in by_link:
        return ("permalink", post.permalink), by_link[post.permalink]
    if post.id in by_id:
        return ("id", post.id), by_id[post.id]
    return None


# The front-matter keys that give a page its address as written (Jekyll's `permalink`,
# Hugo's `url`, Zola's `path`): where two posts given one address differ, not in their slugs.
_ADDRESS_KEYS = ("permalink", "url", "path")


def _clash_key(post: Post, what: str) -> str:
    """The front-matter key that made the post's clashing id or permalink."""
    if what == "id" and key_line(post.source, KEYS.id.name) is not None:
        return KEYS.id.name
    given = (k for k in _ADDRESS_KEYS if key_line(post.source, k) is not None)
    if what == "permalink" and (address := next(given, None)) is not None:
        return address
    slug, title = KEYS.slug.name, KEYS.title.name
    return slug if key_line(post.source, slug) is not None else title


def _with_section_suffix(post: Post, ctx: ParseContext) -> Post:
    """`post` with `-<section>` after its slug in the permalink and id made from it; an id or
    permalink given in the front matter is kept as it is."""
    slug = f"{post.slug}-{slugify(post.section) or post.section}"
    derived_link = _permalink(ctx, post.section, post.slug, post.date)
    if post.permalink != derived_link:
        return post
    permalink = _permalink(ctx, post.section, slug, post.date)
    made = _post_id(None, ctx, post.permalink, post.slug, post.date)
    post_id = _post_id(None, ctx, permalink, slug, post.date) if post.id == made else post.id
    return dataclasses.replace(post, permalink=permalink, id=post_id)


def _select(posts: list[Post], options: LoadOptions, report: Report) -> Loaded:
    loaded = Loaded(posts=[], report=report, all_posts=sort_posts(posts))
    loaded.errors = len({p.location.path for p in report.errors if p.location})
    for post in loaded.all_posts:
        held = held_back(post, options)
        if held == "drafts":
            loaded.drafts += 1
        elif held == "future":
            loaded.future += 1
        elif held == "expired":
            loaded.expired += 1
        else:
            loaded.posts.append(post)
    return loaded


def held_back(post: Post, options: LoadOptions) -> Literal["drafts", "future", "expired"] | None:
    """Why a build leaves `post` out (the count `Loaded` keeps of such posts), or None."""
    if post.draft and not options.drafts:
        return "drafts"
    if post.date > options.now and not options.future:
        return "future"
    if post.expires is not None and post.expires <= options.now and not options.expired:
        return "expired"
    return None


def sort_posts(posts: Iterable[Post]) -> list[Post]:
    """Newest first; equal dates by slug, so every run gives the same order."""
    return sorted(sorted(posts, key=lambda p: p.slug), key=lambda p: p.date, reverse=True)
