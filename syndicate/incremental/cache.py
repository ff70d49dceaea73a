"""The build cache (`.syndicate/cache/build.bin`): each post's normalised fields and rendered
HTML, and what the last build wrote, so a rebuild parses, renders and writes only what changed.

A post is keyed by its file's content hash (its size and modification time only spare reading
an unchanged file, as git's index does, and a file modified within the cache's own second is
always re-read). The whole cache is keyed by the tool's version and every setting that shapes a
post; it is stored with a checksum and discarded, never trusted, when the checksum, the format
or the key does not match.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import pickle
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .. import __version__
from ..config import Config
from ..content.loader import Discovered, ParseContext, SourceFile, discover, parse_file, read_bytes
from ..dates import within
from ..errors import Location, Problem, Report
from ..model import Asset, Author, Post
from ..output import atomic_write

MAGIC = b"SYNDICATE-CACHE-8\n"
JOURNAL_MAGIC = b"SYNDICATE-JOURNAL-1\n"
JOURNAL_LIMIT = 1000  # changed posts; beyond this the base is written again
Row = tuple[Any, ...]
BODY = 20  # the body's place in a post row


def digest(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:32]  # see content.text_digest


# --- posts as plain rows (marshal is many times faster than pickling dataclasses) -----------


def _when(value: datetime | None) -> tuple[str, str] | None:
    if value is None:
        return None
    zone = value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else ""
    return (value.isoformat(), zone)


def _unwhen(value: tuple[str, str] | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value[0])
    return moment.astimezone(ZoneInfo(value[1])) if value[1] else moment


def _params(params: Mapping[str, Any]) -> tuple[str, bytes]:
    try:
        return ("marshal", marshal.dumps(dict(params)))
    except ValueError:  # dates and other YAML values marshal cannot hold
        return ("pickle", pickle.dumps(dict(params), protocol=5))


def _unparams(value: tuple[str, bytes]) -> dict[str, Any]:
    kind, data = value
    loaded = marshal.loads(data) if kind == "marshal" else pickle.loads(data)
    return dict(loaded)


def post_row(post: Post) -> Row:
    return (
        str(post.source),
        post.body_line,
        post.title,
        post.slug,
        post.section,
        post.permalink,
        post.id,
        _when(post.date),
        _when(post.updated),
        post.description,
        post.excerpt,
        tuple((a.name, a.email, a.url, a.avatar) for a in post.authors),
        post.tags,
        post.categories,
        post.series,
        (post.image.url, str(post.image.path) if post.image.path else None) if post.image else None,
        post.image_alt,
        post.draft,
        post.in_feeds,
        post.summary_only,
        post.body,
        str(post.bundle) if post.bundle else None,
        _when(post.expires),
        _params(post.params),
        post.body_digest,
    )


def row_post(row: Row, source: Path | None = None) -> Post:
    """The post of a row; `source`, when given, is the same path already as a Path (building
    10,000 Paths costs more than the rest of the row)."""
    image = row[15]
    date = _unwhen(row[7])
    assert date is not None
    return Post(
        source=source if source is not None else Path(row[0]),
        body_line=row[1],
        title=row[2],
        slug=row[3],
        section=row[4],
        permalink=row[5],
        id=row[6],
        date=date,
        updated=_unwhen(row[8]),
        description=row[9],
        excerpt=row[10],
        authors=tuple(_author(*a) for a in row[11]),
        tags=tuple(row[12]),
        categories=tuple(row[13]),
        series=tuple(row[14]),
        image=Asset(image[0], _path(image[1]) if image[1] else None) if image else None,
        image_alt=row[16],
        draft=row[17],
        in_feeds=row[18],
        summary_only=row[19],
        body=row[20],
        bundle=Path(row[21]) if row[21] else None,
        expires=_unwhen(row[22]),
        params=_unparams(row[23]),
        body_digest=row[24],
    )


# Posts share a few images and authors: one object each, built once.
_path = functools.lru_cache(maxsize=4096)(Path)
_author = functools.lru_cache(maxsize=4096)(Author)


def membership(row: Row) -> str:
    """A hash of the fields that decide which feeds a post is in and where: a post edited
    without changing them changes only the documents that show it (see `rebuild`)."""
    authors = tuple(a[0] for a in row[11])
    kept = (row[0], *row[3:9], authors, *row[12:15], row[17], row[18], row[22])
    return digest(repr(kept))


def problem_row(problem: Problem) -> Row:
    where = problem.location
    return (
        problem.severity,
        str(where.path) if where else None,
        where.line if where else None,
        problem.message,
        problem.hint,
    )


def row_problem(row: Row) -> Problem:
    where = Location(Path(row[1]), row[2]) if row[1] else None
    return Problem(row[0], where, row[3], row[4])


# --- the cache -------------------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """One post file as the last build saw it. Its row is kept marshalled: a rebuild decodes
    only the rows it needs, and saving copies bytes instead of walking 10,000 tuples."""

    mtime_ns: int
    size: int
    digest: str
    blob: bytes | None  # marshal.dumps of the post's row, None when the file held no post
    problems: list[Row]
    membership: str | None = None


@dataclass(slots=True)
class BuildCache:
    """Everything a rebuild may reuse; `load` returns an empty cache for anything suspicious.

    It is stored as a base file and a journal of what changed since: a rebuild after one edit
    writes a few kilobytes instead of every post again. The journal names the base it follows
    (by checksum); a journal that does not match its base, or is damaged, discards both."""

    path: Path
    key: str
    files: dict[str, Entry] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)
    summaries: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, tuple[str, int]] = field(default_factory=dict)
    plan: Any = None  # the last build's feed documents, for `rebuild`
    written_at: int = 0
    discarded: str | None = None
    trouble: str | None = None  # why the cache could not be used: a warning, never a failure
    dirty: bool = False
    base: int | None = None  # the base file's checksum, once there is one
    changed: set[str] = field(default_factory=set)  # file entries changed since the base
    base_html: frozenset[str] = frozenset()  # html and summary keys the base holds
    base_summaries: frozenset[str] = frozenset()

    @property
    def journal_path(self) -> Path:
        return self.path.with_suffix(".journal")

    @staticmethod
    def make_key(ctx: ParseContext, extra_key: str = "") -> str:
        return digest(repr((__version__, ctx, extra_key)))

    @classmethod
    def load(cls, state_dir: Path, ctx: ParseContext, extra_key: str = "") -> BuildCache:
        path = state_dir / "cache" / "build.bin"
        key = cls.make_key(ctx, extra_key)
        cache = cls(path, key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return cache
        except OSError as exc:
            cache.discarded = cache.trouble = f"cannot read: {exc.strerror or exc}"
            return cache
        try:
            content = marshal.loads(_verified(data, MAGIC))
            if content["key"] != key:
                cache.discarded = "settings or version changed"
                return cache
            cache._apply_base(content, int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big"))
            cache._apply_journal()
        except Exception as exc:
            fresh = cls(path, key)
            fresh.discarded = fresh.trouble = f"damaged ({type(exc).__name__})"
            return fresh
        return cache

    def _apply_base(self, content: dict[str, Any], check: int) -> None:
        self.files = {p: Entry(*e) for p, e in content["files"].items()}
        self.html = content["html"]
        self.summaries = content["summaries"]
        self._apply_state(content)
        self.base = check
        self.base_html, self.base_summaries = frozenset(self.html), frozenset(self.summaries)

    def _apply_state(self, content: dict[str, Any]) -> None:
        self.feeds = {p: (str(v[0]), int(v[1])) for p, v in content["feeds"].items()}
        self.plan = content["plan"]
        self.written_at = content["written_at"]

    def _apply_journal(self) -> None:
        try:
            data = self.journal_path.read_bytes()
        except FileNotFoundError:
            return
        content = marshal.loads(_verified(data, JOURNAL_MAGIC))
        if content["key"] != self.key or content["base"] != self.base:
            raise ValueError("the journal does not follow this cache")
        for path, entry in content["files"].items():
            self.changed.add(path)
            if entry is None:
                self.files.pop(path, None)
            else:
                self.files[path] = Entry(*entry)
        self.html.update(content["html"])
        self.summaries.update(content["summaries"])
        self._apply_state(content)

    def save(self) -> None:
        """Raises OSError when the cache folder cannot be written."""
        if self.base is not None and len(self.changed) <= JOURNAL_LIMIT:
            self._save_journal()
            return
        if self.base is not None:
            self._prune_rendered()
        content = {
            "key": self.key,
            "files": {p: _entry_row(e) for p, e in self.files.items()},
            "html": self.html,
            "summaries": self.summaries,
            "feeds": self.feeds,
            "plan": self.plan,
            "written_at": time.time_ns(),
        }
        check = _write_checked(self.path, MAGIC, content)
        self.journal_path.unlink(missing_ok=True)
        self.base, self.changed = check, set()
        self.base_html, self.base_summaries = frozenset(self.html), frozenset(self.summaries)

    def _prune_rendered(self) -> None:
        """Drop the HTML and summaries of files that are gone, and the HTML of earlier versions
        of files that changed (keys are "permalink NUL source NUL digest"). Done when the base
        is written again, so the cache stays the size of the site, not of its history."""
        current = {str(Path(p)): e.digest for p, e in self.files.items()}
        for key in list(self.html):
            parts = key.split("\0")
            if current.get(parts[1]) != parts[2]:
                del self.html[key]
        for key in [k for k in self.summaries if k.split("\0")[1] not in current]:
            del self.summaries[key]

    def _save_journal(self) -> None:
        files = {p: _entry_row(self.files[p]) if p in self.files else None for p in self.changed}
        content = {
            "key": self.key,
            "base": self.base,
            "files": files,
            "html": {k: v for k, v in self.html.items() if k not in self.base_html},
            "summaries": {k: v for k, v in self.summaries.items() if k not in self.base_summaries},
            "feeds": self.feeds,
            "plan": self.plan,
            "written_at": time.time_ns(),
        }
        _write_checked(self.journal_path, JOURNAL_MAGIC, content)

    def retime(self, source: SourceFile, entry: Entry) -> None:
        """The file was touched, not changed: remember its new time."""
        entry.mtime_ns, entry.size = source.mtime_ns, source.size
        self.changed.add(source.file)
        self.dirty = True

    def fresh_by_stat(self, source: SourceFile) -> Entry | None:
        """The entry, if the file's size and time say it is unchanged and that can be trusted."""
        entry = self.files.get(source.file)
        if entry is None or (entry.mtime_ns, entry.size) != (source.mtime_ns, source.size):
            return None
        # A file changed within the second the cache was written could have the same time.
        if source.mtime_ns >= self.written_at - 1_000_000_000:
            return None
        return entry

    def result(self, entry: Entry, source: Path) -> tuple[Post | None, list[Problem]]:
        return unpack((entry.blob, entry.membership, entry.problems), source)

    def remember_packed(self, source: SourceFile, content_digest: str, packed: Packed) -> None:
        self.dirty = True
        self.changed.add(source.file)
        blob, sig, problems = packed
        self.files[source.file] = Entry(
            source.mtime_ns, source.size, content_digest, blob, problems, sig
        )

    def forget_missing(self, present: set[str]) -> None:
        for path in [p for p in self.files if p not in present]:
            del self.files[path]
            self.changed.add(path)
            self.dirty = True


Packed = tuple[bytes | None, str | None, list[Row]]  # an Entry's blob, membership and problems


def parse_packed(
    source: SourceFile, ctx: ParseContext, data: bytes | None = None, hashed: str | None = None
) -> Packed:
    """Parse one file into what the cache stores, which is also what crosses between processes:
    a marshalled row (bytes pickle many times faster than a dataclass or a nested tuple)."""
    post, problems = parse_file(source, ctx, data, hashed)
    found = [problem_row(p) for p in problems]
    if post is None:
        return None, None, found
    row = post_row(post)
    row = (*row[:BODY], "", *row[BODY + 1 :])  # the body stays in its file (see Post)
    return marshal.dumps(row), membership(row), found


def parse_and_digest(source: SourceFile, ctx: ParseContext) -> tuple[str | None, Packed]:
    """The content digest the cache keys the file by, and `parse_packed`, from one read: the
    work a worker process can take off the parent."""
    try:
        data = read_bytes(source.file)
        hashed: str | None = content_digest(source, data)
    except OSError:
        data, hashed = None, None  # parse_file reports why the file cannot be read
    return hashed, parse_packed(source, ctx, data, hashed)


def unpack(packed: Packed, source: Path) -> tuple[Post | None, list[Problem]]:
    blob, _, problems = packed
    post = row_post(marshal.loads(blob), source) if blob is not None else None
    return post, [row_problem(p) for p in problems]


def _entry_row(e: Entry) -> Row:
    return (e.mtime_ns, e.size, e.digest, e.blob, e.problems, e.membership)


def _write_checked(path: Path, magic: bytes, content: dict[str, Any]) -> int:
    """Write `content` as `_verified` reads it back; returns its checksum. No fsync: a cache
    file lost to a power cut is detected and rebuilt."""
    payload = marshal.dumps(content)
    check = zlib.crc32(payload)
    atomic_write(path, magic + check.to_bytes(4, "big") + payload, durable=False)
    return check


def _verified(data: bytes, magic: bytes) -> memoryview:
    # CRC-32 finds accidental damage (a torn write, a flipped bit) at memory speed; the cache
    # guards against accidents, not against someone forging it in the user's own folder.
    if not data.startswith(magic):
        raise ValueError("not a cache file of this format")
    check = data[len(magic) : len(magic) + 4]
    payload = memoryview(data)[len(magic) + 4 :]
    if zlib.crc32(payload).to_bytes(4, "big") != check:
        raise ValueError("checksum mismatch")
    return payload


def content_digest(source: SourceFile, data: bytes | None = None) -> str:
    """The file's bytes, and for a page bundle the names of the files beside it (its images)."""
    data = read_bytes(source.file) if data is None else data
    if source.bundle is not None:
        names = sorted(p.name for p in source.bundle.iterdir())
        data += "\0".join(names).encode()
    return digest(data)


@dataclass(slots=True)
class LastBuild:
    """What the last `build` saw and wrote, in a small file of its own, so that a build with
    nothing changed can stop after a directory scan without loading the cache."""

    inputs: str
    valid_until: str | None
    summary: str
    lines: list[str]
    outputs: dict[str, int]
    valid_since: str | None = None
    written_at: int = 0
    problems: list[list[Any]] = field(default_factory=list)  # what reading the posts reported

    @staticmethod
    def path(state_dir: Path) -> Path:
        return state_dir / "cache" / "last-build.json"

    @classmethod
    def load(cls, state_dir: Path) -> LastBuild | None:
        try:
            data = json.loads(cls.path(state_dir).read_text(encoding="utf-8"))
            if "problems" not in data:
                return None  # written before problems were kept: the shortcut could not report them
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    def save(self, state_dir: Path) -> None:
        data = {
            "inputs": self.inputs,
            "valid_until": self.valid_until,
            "summary": self.summary,
            "lines": self.lines,
            "outputs": self.outputs,
            "valid_since": self.valid_since,
            "written_at": time.time_ns(),
            "problems": self.problems,
        }
        atomic_write(self.path(state_dir), (json.dumps(data) + "\n").encode(), durable=False)

    def reported(self) -> list[Problem]:
        """What the last build's reading of the posts reported: the shortcut reports the same."""
        return [row_problem(tuple(p)) for p in self.problems]

    def still_valid(self, inputs: str, now: datetime, output_dir: Path) -> bool:
        if inputs != self.inputs:
            return False
        if not within((self.valid_since, self.valid_until), now):
            return False  # a post is due or expired since, or an earlier --now
        return outputs_intact(output_dir, self.outputs)


def outputs_intact(output_dir: Path, outputs: Mapping[str, int]) -> bool:
    """Every file is there with the size it was written with."""
    for rel, size in outputs.items():
        try:
            if os.stat(os.path.join(output_dir, rel)).st_size != size:
                return False
        except OSError:
            return False
    return True


def inputs_digest(
    config_bytes: bytes,
    key: str,
    sources: list[SourceFile],
    flags: tuple[bool, bool],
    written_at: int,
) -> str | None:
    """A hash of everything a build reads; None when a file is too recent to judge by its time."""
    listed, newest = _listing(sources)
    if newest >= written_at - 1_000_000_000:
        return None
    return digest("\n".join([key, repr(flags), digest(config_bytes), listed]))


_listed: tuple[list[SourceFile], str, int] | None = None


def _listing(sources: list[SourceFile]) -> tuple[str, int]:
    """A hash of the files' names, times and sizes (and their bundles'), and the newest time.
    A build checks its files before it runs and records them after: one list, hashed once."""
    global _listed
    if _listed is not None and _listed[0] is sources:
        return _listed[1], _listed[2]
    parts = [f"{s.file}\0{s.mtime_ns}\0{s.size}" for s in sources]
    for bundle in sorted({s.bundle for s in sources if s.bundle is not None}):
        parts.append(f"{bundle}\0{bundle.stat().st_mtime_ns}")
    newest = max((s.mtime_ns for s in sources), default=0)
    _listed = (sources, digest("\n".join(parts)), newest)
    return _listed[1], newest


def static_listing(config: Config) -> str:
    # Posts resolve image paths against the static folder: its file list is part of the key.
    if not config.static_dir.is_dir():
        return "[]"
    return repr(sorted(_files_under(str(config.static_dir))))


def _files_under(root: str) -> list[str]:
    """Every file below `root`, as `Path.rglob("*")` filtered by `is_file()` lists them (folders
    reached through a symlink are not entered; unreadable folders are skipped), ten times
    faster: a build lists the static folder up to three times, and docs sites hold thousands
    of images."""
    found: list[str] = []
    folders = [root]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.is_file():
                        found.append(entry.path)
        except PermissionError:
            continue
    return found


def build_inputs(
    config: Config, sources: list[SourceFile], flags: tuple[bool, bool], since: int
) -> str | None:
    key = BuildCache.make_key(ParseContext.from_config(config), static_listing(config))
    return inputs_digest(config.path.read_bytes(), key, sources, flags, since)


def unchanged_since_last_build(
    config: Config, now: datetime, drafts: bool, future: bool
) -> tuple[LastBuild | None, Discovered]:
    """The last build, if nothing it read has changed and every file it wrote is intact; and the
    post files found, so a build that must run does not look for them twice."""
    report = Report()
    sources = discover(config, report)
    found = (sources, report.problems)
    last = LastBuild.load(config.state_dir)
    if last is None:
        return None, found
    inputs = build_inputs(config, sources, (drafts, future), last.written_at)
    if inputs is None or not last.still_valid(inputs, now, config.output_dir):
        return None, found
    return last, found
