"""The build cache (`.syndicate/cache/build.bin`): each post's normalised fields and rendered
HTML, and what the last build wrote, so a rebuild parses, renders and writes only what changed.

A post is keyed by its file's content hash (its size and modification time only spare reading
an unchanged file, as git's index does, and a file modified within the cache's own second is
always re-read). The whole cache is keyed by everything else that shapes what it holds
(`cache_key`): the code (this package's source, the libraries' versions, Python's) and the
settings that shape a post or its HTML. It is stored, as marshal data and never as pickle,
with a checksum, and discarded, never trusted, when the checksum, the format or the key does
not match.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import json
import marshal
import operator
import os
import re
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from datetime import date, datetime, timezone
from datetime import time as dt_time
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from .. import __version__
from ..config import Config
from ..content.loader import (
    Discovered,
    ParseContext,
    SourceFile,
    discover,
    file_digest,
    parse_file,
    read_bytes,
    read_stated,
)
from ..content.syntax import shortcodes_key
from ..datatype import datatype
from ..dates import within
from ..errors import Location, Problem, Report
from ..feeds.newsletter import build_settings
from ..model import Asset, Author, Post
from ..output import atomic_write

MAGIC = b"SYNDICATE-CACHE-10\n"
JOURNAL_MAGIC = b"SYNDICATE-JOURNAL-2\n"
JOURNAL_LIMIT = 1000  # changed posts; beyond this the base is written again
Row = tuple[Any, ...]


def digest(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:32]  # see content.text_digest


# --- posts as plain rows (marshal is many times faster than pickling dataclasses) -----------
#
# A row holds a post's fields in the order `dataclasses.fields(Post)` lists them, each encoded
# by its declared type (`_CODECS`). A field of a type the table does not know stops the import,
# and the field names are part of the cache's key: adding, removing or reordering a field
# discards old caches instead of reading a value into the wrong field.

POST_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Post))


def _when(value: datetime | None) -> tuple[str, str, int] | None:
    """A datetime as marshal-safe values that restore it exactly: its ISO form (with a named
    zone, its wall time and the zone's name, so a time in a DST gap keeps its wall time) and
    its fold."""
    if value is None:
        return None
    zone = value.tzinfo
    if isinstance(zone, ZoneInfo) and zone.key:
        return (value.replace(tzinfo=None).isoformat(), zone.key, value.fold)
    if zone is not None and not isinstance(zone, timezone):
        raise TypeError(f"cannot cache a datetime in time zone {zone!r}")
    return (value.isoformat(), "", value.fold)


def _unwhen(value: tuple[str, str, int] | None) -> datetime | None:
    if value is None:
        return None
    text, zone, fold = value
    moment = datetime.fromisoformat(text)
    if zone:
        return moment.replace(tzinfo=ZoneInfo(zone), fold=fold)
    return moment.replace(fold=fold) if fold else moment


def _optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _authors(authors: tuple[Author, ...]) -> Row:
    return tuple((a.name, a.email, a.url, a.avatar) for a in authors)


def _unauthors(rows: Row) -> tuple[Author, ...]:
    return tuple(_author(*a) for a in rows)


def _asset(image: Asset) -> Row:
    return (image.url, str(image.path) if image.path else None)


def _unasset(row: Row) -> Asset:
    return Asset(row[0], _path(row[1]) if row[1] else None)


# Posts share a few images and authors: one object each, built once.
_path = functools.lru_cache(maxsize=4096)(Path)
_author = functools.lru_cache(maxsize=4096)(Author)


# --- front-matter values (Post.params) as marshal-safe values --------------------------------
#
# Front matter comes from PyYAML's safe loader, tomllib or json: besides what marshal holds
# exactly (None, bool, int, float, str, bytes, list, dict, tuple, set), dates, datetimes and
# times. Params marshal holds are kept as they are ("plain", the common case, decoded for
# free); any others are kept "tagged": every date, time and tuple becomes a tuple (tag, payload),
# and no other tuple remains, so reading them back is unambiguous.

_SCALARS = frozenset({type(None), bool, int, float, complex, str, bytes})


def params_row(params: Mapping[str, Any]) -> tuple[str, Any]:
    """Raises TypeError for a value no front-matter reader produces."""
    plain = dict(params)
    try:
        marshal.dumps(plain)  # exact builtins only: what it takes, it gives back equal
    except ValueError:
        return ("tagged", _tagged(plain, []))
    return ("plain", plain)


def row_params(row: tuple[str, Any]) -> dict[str, Any]:
    kind, value = row
    return dict(value) if kind == "plain" else dict(_untagged(value, []))


def _tagged(value: Any, path: list[int]) -> Any:
    """`value` tagged; `path` holds the ids of the lists and dicts it is inside, so a YAML alias
    to one of them (`a: &x [*x]`, a list that holds itself) becomes ("cycle", its depth)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if id(value) in path:
        return ("cycle", path.index(id(value)))
    if kind is list or kind is dict:
        path.append(id(value))
        if kind is list:
            out: Any = [_tagged(v, path) for v in value]
        else:
            out = {_tagged(k, path): _tagged(v, path) for k, v in value.items()}
        path.pop()
        return out
    if kind in (tuple, set, frozenset):
        return (kind.__name__, tuple(_tagged(v, path) for v in value))
    if kind is datetime:
        return ("datetime", _when(value))
    if kind is date:
        return ("date", value.isoformat())
    if kind is dt_time:
        if value.tzinfo is not None and not isinstance(value.tzinfo, timezone):
            raise TypeError(f"cannot cache a time in time zone {value.tzinfo!r}")
        return ("time", (value.isoformat(), value.fold))
    raise TypeError(f"cannot cache a front-matter value of type {kind.__name__}")


_UNTAG: dict[str, Callable[[Any, list[Any]], Any]] = {
    "tuple": lambda items, path: tuple(_untagged(v, path) for v in items),
    "set": lambda items, path: {_untagged(v, path) for v in items},
    "frozenset": lambda items, path: frozenset(_untagged(v, path) for v in items),
    "cycle": lambda depth, path: path[depth],
    "datetime": lambda row, _: _unwhen(row),
    "date": lambda text, _: date.fromisoformat(text),
    "time": lambda row, _: dt_time.fromisoformat(row[0]).replace(fold=row[1]),
}


def _untagged(value: Any, path: list[Any]) -> Any:
    """`path`: the lists and dicts being filled, each made before its items (which may be it)."""
    kind = type(value)
    if kind is tuple:
        return _UNTAG[value[0]](value[1], path)
    if kind is not list and kind is not dict:
        return value
    out: Any = [] if kind is list else {}
    path.append(out)
    if kind is list:
        out.extend(_untagged(v, path) for v in value)
    else:
        out.update((_untagged(k, path), _untagged(v, path)) for k, v in value.items())
    path.pop()
    return out


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # (to the row, from the row)
_PLAIN = frozenset(  # marshal keeps them
    {"str", "str | None", "int", "bool", "tuple[str, ...]", "tuple[tuple[str, str], ...]"}
)
_CODECS: dict[str, Codec] = {
    "Path": (str, Path),
    "Path | None": (_optional(str), _optional(Path)),
    "datetime": (_when, _unwhen),
    "datetime | None": (_when, _unwhen),
    "tuple[Author, ...]": (_authors, _unauthors),
    "Asset | None": (_optional(_asset), _optional(_unasset)),
    "Mapping[str, Any]": (params_row, row_params),
}


def _field_codecs(kind: type[Any] = Post) -> list[tuple[int, Codec]]:
    """The position and codec of every field marshal cannot hold as it is. Raises TypeError
    for a field of a type `_CODECS` does not know."""
    found: list[tuple[int, Codec]] = []
    for index, f in enumerate(dataclasses.fields(kind)):
        declared = str(f.type)
        if declared in _CODECS:
            found.append((index, _CODECS[declared]))
        elif declared not in _PLAIN:
            raise TypeError(f"{kind.__name__}.{f.name}: the build cache cannot store a {declared}")
    return found


_ENCODED = _field_codecs()
_fields_of = operator.attrgetter(*POST_FIELDS)
_SOURCE = POST_FIELDS.index("source")
_DECODED = [(index, decode) for index, (_, decode) in _ENCODED]
_DECODED_BUT_SOURCE = [(index, decode) for index, decode in _DECODED if index != _SOURCE]
BODY = POST_FIELDS.index("body")  # the body stays in its file (see Post)


def _same(value: Any) -> Any:
    return value


# What loading may give a post from the other posts (`loader.read_with_others`).
_WITH_OTHERS = ("permalink", "id", "image", "shared_files")
_WITH_OTHERS_CODECS = [
    (name, dict(_ENCODED).get(POST_FIELDS.index(name), (_same, _same))) for name in _WITH_OTHERS
]


def loaded_row(post: Post) -> Row:
    """What loading gave `post` from the other posts, as plain values (`with_loaded`)."""
    return tuple(encode(getattr(post, name)) for name, (encode, _) in _WITH_OTHERS_CODECS)


def with_loaded(post: Post, row: Row) -> Post:
    """`post`, read alone, with what loading gave it from the other posts (`loaded_row`)."""
    given = {
        name: decode(v) for (name, (_, decode)), v in zip(_WITH_OTHERS_CODECS, row, strict=True)
    }
    return dataclasses.replace(post, **given)


def post_row(post: Post) -> Row:
    values = list(_fields_of(post))
    for index, (encode, _) in _ENCODED:
        values[index] = encode(values[index])
    return tuple(values)


def row_post(row: Row, source: Path | None = None) -> Post:
    """The post of a row; `source`, when given, is the same path already as a Path (building
    10,000 Paths costs more than the rest of the row)."""
    values = list(row)
    for index, decode in _DECODED if source is None else _DECODED_BUT_SOURCE:
        values[index] = decode(values[index])
    if source is not None:
        values[_SOURCE] = source
    return Post(*values)


def membership(row: Row) -> str:
    """A hash of the fields that decide which feeds a post is in and where: a post edited
    without changing them changes only the documents that show it (see `rebuild`). Made
    when an edit is weighed (`stored_membership`), not kept for every post: that cost a
    cold build 3.4 us a post."""
    kept = [row[i] for i in _MEMBERSHIP]
    kept[_MEMBERSHIP_AUTHORS] = tuple(a[0] for a in kept[_MEMBERSHIP_AUTHORS])  # names only
    return digest(repr(kept))


def stored_membership(blob: bytes) -> str:
    """`membership` of a post as packed (`pack`) or cached (`Entry.blob`)."""
    return membership(marshal.loads(blob))


_MEMBERSHIP_FIELDS = (
    *("source", "slug", "section", "permalink", "id", "date", "updated", "authors"),
    *("tags", "categories", "series", "draft", "in_feeds", "expires", "feed_sections"),
    "authors_named",
)
# On a multilingual site a post's language decides its feeds, and its translation key which
# posts its items link (by URL) as its translations.
_LANGUAGE_FIELDS = ("language", "translation_key")
_MEMBERSHIP = [POST_FIELDS.index(name) for name in (*_MEMBERSHIP_FIELDS, *_LANGUAGE_FIELDS)]
_MEMBERSHIP_AUTHORS = _MEMBERSHIP_FIELDS.index("authors")


def problem_row(problem: Problem) -> Row:
    where = problem.location
    return (
        problem.severity,
        str(where.path) if where else None,
        where.line if where else None,
        problem.message,
        problem.hint,
        problem.kept,
    )


def row_problem(row: Row) -> Problem:
    where = Location(Path(row[1]), row[2]) if row[1] else None
    return Problem(row[0], where, row[3], row[4], bool(row[5]) if len(row) > 5 else False)


# --- what the cache's contents depend on besides the posts --------------------------------

# The libraries whose output is cached: front matter (PyYAML), HTML (mistune, nh3), feed
# documents (feedgen, which writes through lxml) and the feeds page (Jinja2).
DEPENDENCIES = ("mistune", "nh3", "PyYAML", "feedgen", "lxml", "Jinja2", "python-liquid")
_PACKAGE = Path(__file__).resolve().parent.parent  # the syndicate package this process runs


@functools.cache
def code_key() -> str:
    """A hash of the code that makes the cache's contents: Python's version, the post row's
    layout, the installed version of each of `DEPENDENCIES` and this package's source files.
    Once per process: what matters is the code this process runs, imported when it started."""
    versions = [installed_version(name) for name in DEPENDENCIES]
    return digest(repr((sys.implementation.cache_tag, POST_FIELDS, versions, source_digest())))


def installed_version(name: str) -> str:
    """The distribution's version as installed, "" when it is not. Read from the name of its
    `name-version.dist-info` folder (the form pip and uv write) on sys.path: importlib.metadata
    took 10-30 ms to find and parse these six METADATA files here (2 cores, busy), a large
    share of the nothing-changed check. Other forms (eggs, zips) are left to importlib.metadata."""
    wanted = _normalised(name)
    for folder in sys.path:
        for entry in _dist_infos(folder):
            project, _, version = entry.removesuffix(".dist-info").partition("-")
            if _normalised(project) == wanted and version and "-" not in version:
                return version
    import importlib.metadata  # 15-20 ms to import: only for the forms not read above

    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


@functools.cache
def _dist_infos(folder: str) -> list[str]:
    try:
        return sorted(e for e in os.listdir(folder or ".") if e.endswith(".dist-info"))
    except OSError:
        return []


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()  # as wheel folder names spell projects


def source_files() -> list[Path]:
    """Every file of the package that shapes output: its modules and its data (templates)."""
    root = str(_PACKAGE)
    data = os.path.join(root, "data")
    found: list[str] = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        every = folder == data or folder.startswith(data + os.sep)
        found += [os.path.join(folder, n) for n in names if every or n.endswith(".py")]
    return [Path(p) for p in sorted(found)]


def source_digest() -> str:
    """A hash of the files' names (relative to the package) and contents. Contents, not times
    and sizes: the package's ~60 files (430 KB) hash in about 2 ms, and an edit that keeps the
    size and the time (a checkout, `cp -p`, an unpacked archive) must not serve old output."""
    prefix = str(_PACKAGE) + os.sep
    hashed = hashlib.sha256()
    for path in source_files():
        name = str(path)
        with open(name, "rb") as file:
            data = file.read()
        hashed.update(b"%s\0%d\0" % (name.removeprefix(prefix).encode(), len(data)))
        hashed.update(data)
    return hashed.hexdigest()[:32]


def cache_key(config: Config) -> str:
    """Everything besides the posts' files that shapes what the cache holds: the code, the
    settings that shape a post or its HTML, and the static folder's file list (posts resolve
    image paths against it), and the site generator's config files, whose every key may shape
    how a post reads, and the site's shortcode templates (`[markdown] shortcodes_dir`). The email
    templates are not here: no feed shows them."""
    ctx = ParseContext.from_config(config)
    generator = (
        [(str(f), digest(f.read_bytes())) for f in config.generator.files]
        if config.generator
        else []
    )
    settings = (
        __version__,
        ctx,
        repr(config.markdown),
        config.site.root_links,
        generator,
        shortcodes_key(config),
    )
    return digest(repr((code_key(), settings, static_listing(config))))


# --- the cache -------------------------------------------------------------------------------


@contextlib.contextmanager
def paused_collection() -> Iterator[None]:
    """No cyclic garbage collection inside: loading the cache makes some 30,000 objects and no
    garbage, and a collection every 700 new objects walked all made so far (a quarter of the
    load). Collection resumes, as it was, on the way out."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Entry(NamedTuple):
    """One post file as the last build saw it. Its row is kept marshalled: a rebuild decodes
    only the rows it needs, and saving copies bytes instead of walking 10,000 tuples. A tuple,
    so that loading makes the 10,000 entries from the stored rows without a Python call each
    (a third of loading the cache, as a dataclass)."""

    mtime_ns: int
    size: int
    digest: str
    blob: bytes | None  # marshal.dumps of the post's row, None when the file held no post
    problems: list[Row]


@datatype(frozen=False)
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
    def file_in(state_dir: Path) -> Path:
        return state_dir / "cache" / "build.bin"

    @classmethod
    def load(cls, state_dir: Path, key: str) -> BuildCache:
        """The cache saved under `key` (`cache_key`); empty if there is none, or another."""
        path = cls.file_in(state_dir)
        cache = cls(path, key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return cache
        except OSError as exc:
            cache.discarded = cache.trouble = f"cannot read: {exc.strerror or exc}"
            return cache
        try:
            with paused_collection():
                content = marshal.loads(_verified(data, MAGIC))
                if content["key"] != key:
                    cache.discarded = "settings or version changed"
                    return cache
                check = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
                cache._apply_base(content, check)
                cache._apply_journal()
        except Exception as exc:
            fresh = cls(path, key)
            fresh.discarded = fresh.trouble = f"damaged ({type(exc).__name__})"
            return fresh
        return cache

    def _apply_base(self, content: dict[str, Any], check: int) -> None:
        rows: dict[str, Row] = content["files"]
        self.files = dict(zip(rows, map(_as_entry, rows.values()), strict=True))
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
        self.files[source.file] = entry._replace(mtime_ns=source.mtime_ns, size=source.size)
        self.changed.add(source.file)
        self.dirty = True

    def stale(self, sources: list[SourceFile]) -> list[tuple[SourceFile, Entry]] | None:
        """The files that `fresh_by_stat` cannot vouch for, with their entries; None when the
        files are not the ones the cache holds (one added, removed or renamed). One pass, for
        10,000 files on every rebuild."""
        files = self.files
        if len(sources) != len(files):
            return None
        recent = self.written_at - 1_000_000_000
        found: list[tuple[SourceFile, Entry]] = []
        for source in sources:
            entry = files.get(source.file)
            if entry is None:
                return None
            mtime = source.mtime_ns
            if mtime != entry.mtime_ns or source.size != entry.size or mtime >= recent:
                found.append((source, entry))
        return found

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
        return unpack((entry.blob, entry.problems), source)

    def remember_packed(self, source: SourceFile, content_digest: str, packed: Packed) -> None:
        self.dirty = True
        self.changed.add(source.file)
        blob, problems = packed
        entry = Entry(source.mtime_ns, source.size, content_digest, blob, problems)
        self.files[source.file] = entry

    def forget_missing(self, present: set[str]) -> None:
        for path in [p for p in self.files if p not in present]:
            del self.files[path]
            self.changed.add(path)
            self.dirty = True


Packed = tuple[bytes | None, list[Row]]  # an Entry's blob and problems


def pack(post: Post | None, problems: Sequence[Problem]) -> Packed:
    """A parsed post (None if unusable) and its problems as the cache stores them, which is
    also what crosses between processes: a marshalled row (bytes pickle many times faster than
    a dataclass or a nested tuple)."""
    found = [problem_row(p) for p in problems]
    if post is None:
        return None, found
    row = post_row(post)
    row = (*row[:BODY], "", *row[BODY + 1 :])  # the body stays in its file (see Post)
    return marshal.dumps(row), found


def parse_and_digest(source: SourceFile, ctx: ParseContext) -> tuple[str | None, Packed]:
    """The content digest the cache keys the file by, and the post packed, from one read: the
    work a worker process can take off the parent."""
    hashed, packed, _, _ = parse_digest_and_record(source, ctx)
    return hashed, packed


# A parsed file: its content digest, the post packed, what `record` made of the post while its
# body was at hand (a template syntax's record, `Renderer.early_record`), and the file's time
# and size when discovery left them UNSTATED (None if it did not, or the file is unreadable).
Parsed = tuple[str | None, Packed, str | None, tuple[int, int] | None]


def parse_digest_and_record(
    source: SourceFile, ctx: ParseContext, record: Callable[[Post], str | None] | None = None
) -> Parsed:
    """`parse_and_digest`, and `record(post)` when given and the file holds a post."""
    return parse_and_record(source, ctx, record)[1]


def parse_and_record(
    source: SourceFile, ctx: ParseContext, record: Callable[[Post], str | None] | None = None
) -> tuple[Post | None, Parsed]:
    """`parse_digest_and_record`, with the post it packed."""
    source, data, hashed, stated = read_and_digest(source)
    post, problems = parse_file(source, ctx, data, hashed)
    made = record(post) if record is not None and post is not None else None
    return post, (hashed, pack(post, problems), made, stated)


def read_and_digest(
    source: SourceFile,
) -> tuple[SourceFile, bytes | None, str | None, tuple[int, int] | None]:
    """A post file read once: the file (with the time and size of what was read when
    discovery left them UNSTATED), its bytes, its content digest, and that time and size
    (None when discovery had them). No bytes and no digest when it cannot be read:
    `parse_file` reports why."""
    stated: tuple[int, int] | None = None
    try:
        if source.stated:
            data = read_bytes(source.file)
        else:
            data, mtime_ns, size = read_stated(source.file)
            stated = (mtime_ns, size)
            source = source._replace(mtime_ns=mtime_ns, size=size)
        return source, data, content_digest(source, data), stated
    except OSError:
        return source, None, None, stated


def unpack(packed: Packed, source: Path) -> tuple[Post | None, list[Problem]]:
    blob, problems = packed
    post = row_post(marshal.loads(blob), source) if blob is not None else None
    return post, [row_problem(p) for p in problems]


def _entry_row(e: Entry) -> Row:
    return tuple(e)  # marshal takes a plain tuple only


# A stored row as an Entry, in C: `Entry(*row)` is a Python call per row. The rows are written
# by `_entry_row` and read back only under a matching checksum and key, so they fit.
_as_entry: Callable[[Row], Entry] = functools.partial(tuple.__new__, Entry)


def _write_checked(path: Path, magic: bytes, content: dict[str, Any]) -> int:
    """Write `content` as `_verified` reads it back; returns its checksum. No fsync: a cache
    file lost to a power cut is detected and rebuilt."""
    payload = marshal.dumps(content)
    check = zlib.crc32(payload)
    # Written in two parts: joined, a 10,000-post site's cache (13 MB) was in memory twice, the
    # build's peak.
    atomic_write(path, [magic + check.to_bytes(4, "big"), payload], durable=False)
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
    return file_digest(read_bytes(source.file) if data is None else data, source.bundle)


@datatype(frozen=False)
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
    # What the build reported after (grouping the posts, feeds too big): said after them, as
    # a build that goes on says them; not by one that --strict stops at an error.
    later: list[list[Any]] = field(default_factory=list)
    # The post files too recent to be judged by their times (`recent_files`), each with the
    # digest of what the build read (`content_digest`): the next build reads these again.
    recent: dict[str, str] = field(default_factory=dict)

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
            "later": self.later,
            "recent": self.recent,
        }
        atomic_write(self.path(state_dir), (json.dumps(data) + "\n").encode(), durable=False)

    def reported(self) -> list[Problem]:
        """What the last build's reading of the posts reported: the shortcut reports the same."""
        return [row_problem(tuple(p)) for p in self.problems]

    def reported_later(self) -> list[Problem]:
        """What the last build reported after reading the posts: the shortcut says it too."""
        return [row_problem(tuple(p)) for p in self.later]

    def still_valid(
        self, inputs: str, sources: Sequence[SourceFile], now: datetime, output_dir: Path
    ) -> bool:
        if inputs != self.inputs:
            return False
        if not within((self.valid_since, self.valid_until), now):
            return False  # a post is due or expired since, or an earlier --now
        return self.recent_unchanged(sources) and outputs_intact(output_dir, self.outputs)

    def recent_unchanged(self, sources: Sequence[SourceFile]) -> bool:
        """Whether each post file too recent to be judged by its time when this build was
        recorded still holds what the build read. Their names, times and sizes are the same
        (`inputs` says so), but one changed again within its time's granularity after the
        build read it would have the same time: the cache rereads such files too (`stale`)."""
        for source in recent_files(sources, self.written_at):
            if source.file not in self.recent:
                return False
        if not self.recent:
            return True
        by_file = {source.file: source for source in sources}
        for file, known in self.recent.items():
            found = by_file.get(file)
            try:
                if found is None or content_digest(found) != known:
                    return False
            except OSError:
                return False
        return True


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
    config_bytes: bytes, key: str, sources: list[SourceFile], flags: tuple[bool, bool]
) -> str:
    """A hash of everything a build reads, its post files by their names, times and sizes
    (those too recent to be judged so are read again: `LastBuild.recent_unchanged`)."""
    return digest("\n".join([key, repr(flags), digest(config_bytes), _listing(sources)]))


def recent_files(sources: Sequence[SourceFile], written_at: int) -> list[SourceFile]:
    """The files changed within a second of `written_at`: one changed again within its time's
    granularity after it was read would keep the same time."""
    recent = written_at - 1_000_000_000
    return [source for source in sources if source.mtime_ns >= recent]


_listed: tuple[list[SourceFile], str] | None = None


def _listing(sources: list[SourceFile]) -> str:
    """A hash of the files' names, times and sizes (and their bundles'). A build checks its
    files before it runs and records them after: one list, hashed once."""
    global _listed
    if _listed is not None and _listed[0] is sources:
        return _listed[1]
    parts = [f"{s.file}\0{s.mtime_ns}\0{s.size}" for s in sources]
    for bundle in sorted({s.bundle for s in sources if s.bundle is not None}):
        parts.append(f"{bundle}\0{bundle.stat().st_mtime_ns}")
    _listed = (sources, digest("\n".join(parts)))
    return _listed[1]


def static_listing(config: Config) -> str:
    """Posts resolve image paths against the static folder: its file list is part of the key.
    The output and state folders are not, when they are inside it (a Jekyll site's static
    folder is the site itself): the build writes there, and the key changed after every build,
    so every other build started cold."""
    if not config.static_dir.is_dir():
        return "[]"
    written = (str(config.output_dir), str(config.state_dir))
    return repr(sorted(_files_under(str(config.static_dir), written)))


def _files_under(root: str, skip: tuple[str, ...] = ()) -> list[str]:
    """Every file below `root`, as `Path.rglob("*")` filtered by `is_file()` lists them (folders
    reached through a symlink are not entered; unreadable folders are skipped), ten times
    faster: a build lists the static folder up to three times, and docs sites hold thousands
    of images. The folders in `skip` (paths as `root` spells them) are left out."""
    left_out = {os.path.normpath(folder) for folder in skip}
    found: list[str] = []
    folders = [root]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if os.path.normpath(entry.path) not in left_out:
                            folders.append(entry.path)
                    elif entry.is_file():
                        found.append(entry.path)
        except PermissionError:
            continue
    return found


def build_inputs(config: Config, sources: list[SourceFile], flags: tuple[bool, bool]) -> str:
    """See `inputs_digest`: the cache's key covers the code and the settings that shape posts,
    the config file's bytes every other setting."""
    return inputs_digest(build_settings(config), cache_key(config), sources, flags)


def unchanged_since_last_build(
    config: Config, now: datetime, drafts: bool, future: bool
) -> tuple[LastBuild | None, Discovered]:
    """The last build, if nothing it read has changed and every file it wrote is intact; and the
    post files found, so a build that must run does not look for them twice."""
    report = Report()
    last = LastBuild.load(config.state_dir)
    # Nothing to compare the files' times with (a first build, or after `rm -rf .syndicate`):
    # the read looks them up instead (`UNSTATED`), as it opens each file.
    with_stat = last is not None or BuildCache.file_in(config.state_dir).exists()
    sources = discover(config, report, with_stat)
    found = (sources, report.problems)
    if last is None:
        return None, found
    inputs = build_inputs(config, sources, (drafts, future))
    if not last.still_valid(inputs, sources, now, config.output_dir):
        return None, found
    return last, found
