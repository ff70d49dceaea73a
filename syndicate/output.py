"""Artifacts -> files in the output folder: atomic writes, unchanged files left untouched, and a
manifest so that only files this tool wrote are ever replaced or deleted.

The manifest records which command owns each file ("build" for feeds, "digest" for the digest
archive), so a build removes its own stale feeds and never a digest page or a user's file. A
file in the output folder that the manifest does not list belongs to someone else: a write
that would replace it is refused before anything is written, unless the user handed it over
(`[output] adopt`, `build --adopt`). A copy of the manifest in the state folder keeps that
knowledge, and the number of posts the last build published, when the output folder is
emptied by another tool or a fresh CI runner.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field
from fnmatch import fnmatchcase
from functools import partial
from pathlib import Path
from queue import SimpleQueue
from typing import TYPE_CHECKING, Any, Protocol

from .datatype import datatype
from .errors import ConfigError, Location, OutputError, Problem, RefusedError, counted, some_of
from .model import Artifact

if TYPE_CHECKING:
    from .config import Config

MANIFEST = ".syndicate-manifest.json"
STATE_MANIFEST = "manifest.json"  # the copy in the state folder
# Every temporary file syndicate makes starts with this, then the writing process's id: one
# left by a killed run is recognised, and one of a run still going is left alone.
TMP_PREFIX = ".syndicate-tmp-"
_DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def atomic_write(
    path: Path, data: bytes | Sequence[bytes], durable: bool = True, public: bool = False
) -> None:
    """Write `data` (or its parts, one after the other, so that a large file need not be
    joined in memory first) to `path` so that readers see the old file or the new one, never
    a part.

    `durable=False` skips the flush to disk, for files that are checked when read and rebuilt
    when damaged (the build cache): a power cut may lose them, never corrupt what they feed.
    `public`: a file of the output folder, which a web server's user reads: mode 0644
    whatever the umask. Any other file (the outbox's mails and frozen recipients, the state
    folder's) is made as a program makes a file, 0666 less the umask, so that a umask of 077
    keeps subscribers' addresses from other users of the machine. Raises OSError."""
    tmp, fd = _temporary(path.parent, 0o644 if public else 0o666)
    try:
        try:
            if isinstance(data, bytes | bytearray | memoryview):
                write_all(fd, data)
            else:
                write_parts(fd, data)
            if public:
                _readable_by_all(fd, tmp)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Where `tempfile.mkstemp` and a buffered file made six system calls before the first byte, and
# `Path.mkdir` one more, this makes one: on a writer's threads (`_Lanes`) each call waits for the
# interpreter's lock when it returns (with `Targets.looked_up`, cold builds of 100 posts,
# alternating, 16 runs each: tmpfs 0.341 -> 0.325 s, the bench's disk 0.400 -> 0.386 s).
_CREATE = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
)
_NAMES = itertools.count()  # with the process id, a name no other writer is using


def _temporary(folder: Path, mode: int) -> tuple[str, int]:
    """A new file in `folder` (made, with its parents, when missing), open for writing, of
    `mode` less the umask: its path and descriptor. Its name says which process writes it
    (`remove_temporaries`)."""
    prefix = f"{folder}{os.sep}{TMP_PREFIX}{os.getpid()}-"
    made = False
    while True:
        tmp = f"{prefix}{next(_NAMES)}.tmp"
        try:
            return tmp, os.open(tmp, _CREATE, mode)
        except FileExistsError:
            continue  # left by a killed run that had this process id
        except FileNotFoundError:
            if made:
                raise
            folder.mkdir(parents=True, exist_ok=True)
            made = True


def write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    """Every byte of `data` to `fd` (`os.write` may take fewer at a time)."""
    view = memoryview(data).cast("B")
    while view:
        view = view[os.write(fd, view) :]


def write_parts(fd: int, parts: Sequence[bytes]) -> None:
    """Every byte of `parts`, in order, to `fd`: a feed document is its header and its
    entries' bytes (`Artifact`), written with one system call that gathers them, where joining
    them first copied each document into new memory: a cold build of the bench's 100 posts
    took 16,200 page faults, 12,900 without."""
    if not hasattr(os, "writev"):
        for part in parts:
            write_all(fd, part)
        return
    views = [memoryview(p).cast("B") for p in parts if p]
    at = 0
    while at < len(views):
        done = os.writev(fd, views[at : at + IOV_MAX])
        while at < len(views) and done >= len(views[at]):
            done -= len(views[at])
            at += 1
        if done:  # the system took part of this one
            views[at] = views[at][done:]


def _iov_max() -> int:
    try:
        return max(os.sysconf("SC_IOV_MAX"), 16)
    except (AttributeError, ValueError, OSError):
        return 16  # POSIX's least


IOV_MAX = _iov_max()


def _readable_by_all(fd: int, path: str) -> None:
    """Mode 0644, whatever the umask: a published file is read by a web server's user."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o644)
    else:
        os.chmod(path, 0o644)


def output_error(path: Path, exc: OSError) -> OutputError:
    """The OutputError for a failed write of `path`, saying what to do about it."""
    if exc.errno in _DISK_FULL:
        return OutputError(
            f"{path}: cannot write: the disk is full (or a file size limit was reached)",
            "free some space and build again; the files already published are unchanged",
        )
    return OutputError(
        f"{path}: cannot write: {exc.strerror or exc}",
        "make the folder writable by this user, or point the config at another folder",
    )


def published_private(config: Config) -> list[Problem]:
    """A warning for each copy of the config file, the outbox and the outbox transport's
    `sent` folder in the output folder: the site's generator copied it there (Jekyll copies
    every file its `exclude` does not list), and the upload would publish the webhook, mail
    server and sender the config names, the digests with their recipients, the mails sent.
    A few stats when there is none."""
    found = []
    copy = config.output_dir / config.path.name
    try:
        if copy.is_file() and copy.read_bytes() == config.path.read_bytes():
            found.append((copy, config.path.name, "its webhook, mail server and sender"))
    except OSError:
        pass
    for folder, what in (
        (config.outbox_dir, "the digests and their recipients"),
        (config.path_of(config.delivery.outbox.folder), "the mails sent"),
    ):
        copied = _copy_in_output(config, folder)
        if copied is not None:
            found.append((copied, folder.name, what))
    return [_published(config, *each) for each in found]


def _copy_in_output(config: Config, folder: Path) -> Path | None:
    """Where the output folder would hold `folder` (of the site's folder) copied as it is."""
    try:
        rel = folder.resolve().relative_to(config.root.resolve())
    except (OSError, ValueError):
        return None
    copy = config.output_dir / rel
    return copy if rel.parts and copy.is_dir() and copy != folder else None


def _published(config: Config, copy: Path, name: str, what: str) -> Problem:
    jekyll = config.generator is not None and config.generator.generator == "jekyll"
    hint = (
        f"add {name} to `exclude` in _config.yml, and remove the copy"
        if jekyll
        else f"keep {name} out of the folders the site's generator copies, and remove the copy"
    )
    return Problem(
        "warning",
        Location(copy),
        f"a copy of {name} is in the output folder: uploading it publishes {what}",
        hint,
    )


def remove_temporaries(root: Path, everywhere: bool = True) -> list[Path]:
    """Delete the temporary files that runs which are no longer alive left under `root` (a
    killed build); returns them. Nothing without syndicate's prefix is touched. Without
    `everywhere`, the folders below are searched only when the top holds one (a `Writer`'s
    mark): a build does not walk 60,000 feeds to find nothing."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    if not everywhere:
        try:
            names = os.listdir(root)
        except OSError:
            return removed
        if not any(n.startswith(TMP_PREFIX) and not _writer_alive(n) for n in names):
            return removed
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.startswith(TMP_PREFIX) and not _writer_alive(name):
                path = Path(folder, name)
                try:
                    path.unlink()
                except OSError:
                    continue  # a read-only folder: the write that follows reports it
                removed.append(path)
    return removed


def _writer_alive(name: str) -> bool:
    pid = name[len(TMP_PREFIX) :].split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by another user
    return not _ended(int(pid))


def _ended(pid: int) -> bool:
    """Whether the process `pid` has ended and waits to be reaped (a zombie), which writes no
    more: a build killed with the child that writes its files (`incremental.ahead_writes`)
    leaves that child to an init that may never reap it (a container's). Linux says so in
    /proc; elsewhere a process that is there is taken for alive."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat_file:
            state = stat_file.read().rpartition(b")")[2].split()[:1]
    except OSError:
        return False
    return state in ([b"Z"], [b"X"])


@datatype
class Place:
    """Where a command writes: the output folder; the state folder, which keeps a copy of the
    manifest; and which files already there the user hands over (globs, or all of them)."""

    root: Path
    state_dir: Path | None = None
    adopt: tuple[str, ...] = ()
    adopt_all: bool = False
    config_name: str = "syndicate.toml"  # the config file `[output] adopt` goes in

    def adoptable(self, rel: str) -> bool:
        parts = tuple(rel.split("/"))
        return self.adopt_all or any(_glob(parts, tuple(p.split("/"))) for p in self.adopt)


def output_place(config: Config, adopt_all: bool = False) -> Place:
    """The output folder as syndicate writes it: its manifest's copy in the state folder, and the
    files the user hands over."""
    adopt = tuple(config.output.adopt)
    return Place(config.output_dir, config.state_dir, adopt, adopt_all, config.path.name)


def _glob(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """As .gitignore reads a path pattern: `**` is any number of folders, `*` any part of one
    name, and the pattern matches the whole path."""
    if not pattern:
        return not parts
    if pattern[0] == "**":
        return any(_glob(parts[i:], pattern[1:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatchcase(parts[0], pattern[0]) and _glob(parts[1:], pattern[1:])


@datatype(frozen=False)
class Manifest:
    files: dict[str, str] = field(default_factory=dict)
    posts: int | None = None  # how many posts the last build published

    def document(self) -> bytes:
        data: dict[str, Any] = {"version": 1}
        if self.posts is not None:
            data["posts"] = self.posts
        data["files"] = dict(sorted(self.files.items()))
        return (json.dumps(data, indent=1) + "\n").encode()


def _parse_manifest(path: Path, root: Path | None = None) -> Manifest | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return None
    if root is not None and data.get("output") != str(root.resolve()):
        return None  # the copy of another output folder's manifest
    posts = data.get("posts")
    files = {str(k): str(v) for k, v in data["files"].items()}
    return Manifest(files, posts if isinstance(posts, int) else None)


def load_manifest(place: Place) -> Manifest | None:
    """The output folder's manifest, with every file its copy in the state folder names too
    (a run that could write only one of them, the output's disk full, wrote files that only
    the other names); either alone when the other is missing; None when the folder was never
    built."""
    found = _parse_manifest(place.root / MANIFEST)
    copy = None
    if place.state_dir is not None:
        copy = _parse_manifest(place.state_dir / STATE_MANIFEST, place.root)
    if found is None or copy is None:
        return found or copy
    found.files = {**copy.files, **found.files}
    return found


def read_manifest(root: Path | Place) -> dict[str, str]:
    place = root if isinstance(root, Place) else Place(root)
    found = load_manifest(place)
    return found.files if found else {}


@datatype(frozen=False)
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    adopted: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (
            f"files: {len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted"
        )
        return text + (f", {len(self.adopted)} adopted" if self.adopted else "")


def _target(root: Path, rel: str) -> Path:
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        raise RefusedError(f"refusing to write outside the output folder: {rel}")
    return target


class Targets:
    """`_target` for the many files of one writer: each folder is resolved once (resolving a
    path makes a system call per folder of it, in Python: 0.12 ms a file on a quiet machine,
    0.35 ms on a busy one, twice per file; 225 files took 26-30 ms a pass, 6-7 ms here); a file
    that is itself a symbolic link is resolved whole."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.folders: dict[str, Path | None] = {}  # None: outside the output folder

    def __call__(self, rel: str) -> Path:
        return self.looked_up(rel)[0]

    def looked_up(self, rel: str) -> tuple[Path, os.stat_result | None]:
        """Where `rel` is written, with its stat (None: nothing there), in one look at the disk
        where a file that is not a link, or nothing, is (almost always)."""
        folder, _, name = rel.rpartition("/")
        real_folder = self._folder(folder)
        if real_folder is not None and name not in ("", ".", ".."):
            target = real_folder / name
            try:
                there = os.lstat(target)
            except OSError:
                return target, None
            if not stat.S_ISLNK(there.st_mode):
                return target, there
        target = _target(self.root, rel)  # raises, or follows the link
        try:
            return target, target.stat()
        except OSError:
            return target, None

    def _folder(self, folder: str) -> Path | None:
        """The real path of `folder` (relative to the root), None when it leads out: its
        parent's, and its own name unless it is a link (one look at the disk per folder)."""
        if not folder:
            return self.real_root
        if folder not in self.folders:
            parent, _, name = folder.rpartition("/")
            base = self._folder(parent)
            if (
                base is not None
                and name not in ("", ".", "..")
                and not os.path.islink(self.root / folder)
            ):
                self.folders[folder] = base / name
            else:
                real = (self.root / folder).resolve()
                self.folders[folder] = real if real.is_relative_to(self.real_root) else None
        return self.folders[folder]


class Written(Protocol):
    """A file handed to a writer's lanes: `result` waits for it, and says whether it was
    written (False: the file held those bytes already); raises what writing it raised."""

    def result(self) -> bool: ...


class Lanes(Protocol):
    """What writes a writer's files (`write_one` of each), in the order they came: this
    process's threads (`_Lanes`), or the child of a first build once it has rendered
    (`incremental.ahead_writes`)."""

    def submit(self, targets: Targets, artifact: Artifact, flush_new: bool) -> Written: ...

    def shutdown(self) -> None: ...


class _Lanes:
    """The threads that write a writer's files, one file at a time each, every file of a folder
    on the same one, in the order they came. Two threads creating files in one folder wait for
    each other in the kernel (the folder's lock, on which Linux spins, burning the CPU the
    build needs), and more threads than cores wait for the interpreter's lock more than they
    write. A cold build of the bench's 100 posts on its ext4 disk (12 runs each,
    alternating): 8 threads taking any file 0.451 s; 8 lanes by folder 0.432 s; 2 lanes 0.404 s.
    So a lane per core, from 2 (a rebuild flushes each file it replaces to disk and waits for
    it: two lanes still overlap that) to 8, as many threads as before there were lanes."""

    def __init__(self) -> None:
        count = min(8, max(2, os.cpu_count() or 2))
        self._lanes = [_Lane() for _ in range(count)]
        self._lane_of: dict[str, int] = {}

    def submit(self, targets: Targets, artifact: Artifact, flush_new: bool) -> _Write:
        """`write_one` of `artifact`, on its folder's lane."""
        folder = artifact.path.rpartition("/")[0]
        lane = self._lane_of.setdefault(folder, len(self._lane_of) % len(self._lanes))
        return self._lanes[lane].submit(partial(write_one, targets, artifact, flush_new))

    def shutdown(self) -> None:
        """Drop every write not started, then wait for the others."""
        for lane in self._lanes:
            lane.cancel()
        for lane in self._lanes:
            lane.join()


class _Write:
    """One write on a lane: whether it wrote, or what it raised, once done (`running` is held
    until then)."""

    __slots__ = ("call", "error", "running", "wrote")

    def __init__(self, call: Callable[[], bool]) -> None:
        self.call: Callable[[], bool] | None = call  # let go once done: it holds the document
        self.running = threading.Lock()
        self.running.acquire()
        self.wrote = False
        self.error: BaseException | None = None

    def result(self) -> bool:
        """Whether it wrote, once done; raises what it raised."""
        with self.running:
            pass
        if self.error is not None:
            raise self.error
        return self.wrote


class _Lane:
    """A thread of its own and the writes queued for it, done in order. Started with its first
    write. A plain thread, not a ThreadPoolExecutor: concurrent.futures, with logging, took
    ~4 ms of a build that forks no process pool (a small site's)."""

    def __init__(self) -> None:
        self._queue: SimpleQueue[_Write | None] = SimpleQueue()
        self._thread: threading.Thread | None = None
        self._cancelled = False

    def submit(self, call: Callable[[], bool]) -> _Write:
        write = _Write(call)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="syndicate-writer", daemon=True)
            self._thread.start()
        self._queue.put(write)
        return write

    def cancel(self) -> None:
        """Drop the writes not started, and end the thread once it has done the one it does."""
        self._cancelled = True
        self._queue.put(None)

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while (write := self._queue.get()) is not None:
            call, write.call = write.call, None
            if self._cancelled or call is None:
                write.error = CancelledWrite()
            else:
                try:
                    write.wrote = call()
                except BaseException as exc:  # handed to whoever waits for the write
                    write.error = exc
            del call
            write.running.release()


class CancelledWrite(Exception):
    """A write dropped before it started: the writer stopped (`_Lanes.shutdown`)."""


def write_artifacts(
    root: Path | Place,
    artifacts: Iterable[Artifact],
    owner: str,
    prune: bool = True,
    keep: Iterable[str] = (),
) -> WriteResult:
    """Write every artifact under `root`. With `prune`, files `owner` wrote before and did not
    write now are deleted, except those in `keep` (known unchanged, so not generated again).
    Raises RefusedError, before writing anything, if one would replace a file not ours."""
    writer = Writer(root, owner, prune, keep)
    listed = list(artifacts)
    writer.claim(a.path for a in listed)
    for artifact in listed:
        writer.add(artifact)
    return writer.finish()


class Writer:
    """`write_artifacts` for artifacts that arrive one by one: each is written on a thread as
    soon as it comes (the disk works while the next feed is generated), and `finish` waits for
    all, then records the manifest and prunes. Waiting on the disk (fsync) releases the GIL.

    `claim` the paths first, when they are known, so that a file that is not ours stops the
    whole write before the first file is replaced. `flush_new=False`: a file where there was
    none is not flushed to disk (`_write_changed`), for a writer whose files the next run
    checks before it trusts them."""

    def __init__(
        self,
        root: Path | Place,
        owner: str,
        prune: bool = True,
        keep: Iterable[str] = (),
        posts: int | None = None,
        flush_new: bool = True,
        lanes: Lanes | None = None,
    ) -> None:
        self.place = root if isinstance(root, Place) else Place(root)
        self.root, self.owner, self.prune = self.place.root, owner, prune
        self.keep = list(keep)
        self.posts = posts
        self.flush_new = flush_new
        self.manifest = load_manifest(self.place) or Manifest()
        self.claimed: set[str] = set()
        self.folders: set[str] = set()
        self.adopted: list[str] = []
        self.pending: list[tuple[str, Written]] = []
        self.lanes = lanes if lanes is not None else _Lanes()
        # While files are written, this mark at the top says so: if the run is killed, the
        # next one knows to look for the temporary files it left (`remove_temporaries`).
        self.mark = self.root / f"{TMP_PREFIX}{os.getpid()}-writing"
        self.targets = Targets(self.root)

    def claim(self, paths: Iterable[str]) -> None:
        """Check that every path is ours to write. Raises RefusedError naming every file that
        belongs to someone else."""
        foreign: list[str] = []
        for rel in paths:
            if rel in self.claimed:
                continue
            self.targets(rel)
            blocker = self._blocker(rel)
            if blocker is None:
                self.claimed.add(rel)
            elif blocker == rel and self.place.adoptable(rel) and _is_file(self.root / rel):
                self.claimed.add(rel)
                self.adopted.append(rel)
            else:
                foreign.append(blocker)
        if foreign:
            raise refused(self.root, sorted(set(foreign)), self.place.config_name)
        if self.posts == 0 and self.adopted:
            raise _empty_over(self.root, self.adopted, self.place.config_name)

    def _blocker(self, rel: str) -> str | None:
        """What stands in the way of writing `rel`: itself, when it is there and not ours, or a
        file that is not ours where the build needs a folder."""
        if rel in self.manifest.files:
            return None
        parts = rel.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if parent in self.folders or parent in self.manifest.files:
                continue
            if _is_file(self.root / parent):
                return parent
            self.folders.add(parent)  # a folder, or nothing yet: a few stats for 60,000 feeds
        return rel if os.path.lexists(self.root / rel) else None

    def add(self, artifact: Artifact) -> None:
        self.claim([artifact.path])  # refused here, before it is queued
        if not self.pending:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                self.mark.touch()
            except OSError as exc:
                raise output_error(self.root, exc) from None  # the folder, not our mark
        write = self.lanes.submit(self.targets, artifact, self.flush_new)
        self.pending.append((artifact.path, write))

    @contextlib.contextmanager
    def making(self) -> Iterator[Writer]:
        """Around making the files to write: if that fails, what was written so far is
        recorded (`finish` without pruning) and nothing else is touched, then the failure goes
        on. On success the caller sets `keep` and calls `finish`."""
        try:
            yield self
        except BaseException:
            self.finish(prune=False)
            raise

    def finish(self, prune: bool = True) -> WriteResult:
        """Wait for every write and record them; `prune=False` (after a failure) deletes
        nothing, whatever the writer was made with. Raises OutputError when a file, the
        manifest or its copy cannot be written; every file written is recorded first."""
        result = WriteResult()
        failure: BaseException | None = None
        wrote: list[tuple[str, bool]] = []
        try:
            for path, future in self.pending:
                try:
                    wrote.append((path, future.result()))
                except BaseException as exc:
                    failure = failure or exc
        finally:
            self.lanes.shutdown()
        files = self.manifest.files
        current: set[str] = set(self.keep)
        result.unchanged.extend(self.keep)
        for path in self.keep:
            files[path] = self.owner
        for path, written in wrote:
            current.add(path)
            (result.written if written else result.unchanged).append(path)
            files[path] = self.owner
        result.adopted = [p for p in self.adopted if p in current]
        if failure is None and self.prune and prune:
            deleted, failure = _prune(self.root, files, self.owner, current)
            result.deleted.extend(deleted)
        if self.posts is not None and failure is None:
            self.manifest.posts = self.posts
        if wrote or self.keep:  # a write refused before its first file changes nothing
            try:
                self._save()
            except OutputError as exc:
                failure = failure or exc
        with contextlib.suppress(OSError):
            self.mark.unlink(missing_ok=True)
        if failure is not None:
            raise failure
        return result

    def _save(self) -> None:
        """The manifest, and its copy in the state folder (with the output folder it is for),
        each written even when the other cannot be: either names the files written. Raises the
        first OutputError."""
        data = self.manifest.document()
        failure: OutputError | None = None
        try:
            _write_changed(self.root / MANIFEST, data)
        except OutputError as exc:
            failure = exc
        if self.place.state_dir is not None:
            # The same document, naming the folder it is for (spliced in: a manifest of 60,000
            # files takes 0.1 s to parse and write again).
            output = json.dumps(str(self.root.resolve())).encode()
            try:
                copy = b'{\n "output": ' + output + b"," + data[1:]
                _write_changed(self.place.state_dir / STATE_MANIFEST, copy)
            except OutputError as exc:
                failure = failure or exc
        if failure is not None:
            raise failure


def _write_changed(path: Path, data: bytes, flush_new: bool = True) -> bool:
    """Write `data` unless `path` holds it already; returns whether it wrote (`_write_over`).
    Raises OutputError."""
    try:
        there = path.stat()
    except OSError:
        there = None
    return _write_over(path, there, data, flush_new)


def _write_over(
    path: Path, there: os.stat_result | None, data: bytes | Sequence[bytes], flush_new: bool
) -> bool:
    """Write `data` unless `path`, whose stat is `there` (None: no file), holds it already;
    returns whether it wrote. A file that replaces another is flushed to disk before it does,
    so a power cut leaves the old file or the new one; with `flush_new=False` a file where
    there was none is not: it replaces nothing, and one a power cut left short is not the size
    the build recorded, which the next build checks before it trusts a file (`outputs_intact`,
    `FeedSet._intact`) and so writes it again. Raises OutputError."""
    if there is not None and _holds(path, there.st_size, data):
        return False
    try:
        atomic_write(path, data, durable=flush_new or there is not None, public=True)
    except OSError as exc:
        raise output_error(path, exc) from None
    return True


def refused(root: Path, foreign: Sequence[str], config_name: str) -> RefusedError:
    shown = some_of(foreign, 20)
    return RefusedError(
        f"the output folder {root} holds {counted(len(foreign), 'file')} that syndicate did not "
        f"write and would replace: {shown}; nothing was written",
        f"if syndicate should own them from now on, list them in [output] adopt in {config_name} "
        '(globs, e.g. adopt = ["index.xml", "**/index.xml"]) or build once with --adopt; '
        "otherwise choose another site.output_dir or other feed names",
    )


def _empty_over(root: Path, adopted: Sequence[str], config_name: str) -> RefusedError:
    """A build of no posts would replace a generator's feeds (adopted, not yet ours) with
    empty ones: on utf9k.net, Hugo's 94-item index.xml. Most likely the posts were not found
    where they are, which is no reason to empty its readers' feeds."""
    shown = some_of(adopted, 5)
    return RefusedError(
        f"this build found no posts, and would replace {shown} in {root}, which syndicate did "
        "not write, with feeds of none; nothing was written",
        "`syndicate check` tells which files were left out and why; on a generator's site the "
        f"posts are the pages of its main sections: set [site] main_sections in {config_name} "
        "to the folders that hold them",
    )


def _is_file(path: Path) -> bool:
    return os.path.lexists(path) and not path.is_dir()


def _prune(
    root: Path, manifest: dict[str, str], owner: str, current: set[str]
) -> tuple[list[str], OutputError | None]:
    """Delete what `owner` wrote before and not now; returns what was deleted, and the first
    failure (a file that could not be deleted stays in the manifest, for the next build)."""
    stale = sorted(p for p, o in manifest.items() if o == owner and p not in current)
    deleted: list[str] = []
    failure: OutputError | None = None
    for rel in stale:
        try:
            _remove(root, rel)
        except OutputError as exc:
            failure = failure or exc
            continue
        del manifest[rel]
        deleted.append(rel)
    return deleted, failure


def write_one(targets: Targets, artifact: Artifact, flush_new: bool) -> bool:
    target, there = targets.looked_up(artifact.path)
    if there is not None and stat.S_ISDIR(there.st_mode):
        raise RefusedError(
            f"{target}: is a folder, where the build writes the file {artifact.path}",
            "move the folder away, or change the feed's name in config.toml",
        )
    return _write_over(target, there, artifact.data, flush_new)


def _holds(path: Path, size: int, data: bytes | Sequence[bytes]) -> bool:
    parts = [data] if isinstance(data, bytes) else data
    if size != sum(map(len, parts)):
        return False  # without reading the file, or joining a document's parts
    try:
        return path.read_bytes() == b"".join(parts)
    except OSError:
        return False


def _remove(root: Path, rel: str) -> None:
    target = _target(root, rel)
    try:
        target.unlink(missing_ok=True)
    except OSError as exc:
        raise output_error(target, exc) from None
    folder = target.parent
    stop = root.resolve()
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()  # only succeeds when empty: a user's file keeps its folder
        except OSError:
            break
        folder = folder.parent


def require_content(config: Config) -> None:
    """Raises ConfigError when the content folder is missing: a mistyped path must not publish
    empty feeds over good ones. It names where the path was set: syndicate's config, or the
    generator's (`hugo.toml: contentDir`, `_config.yml: source`) when it was read there."""
    if config.content_dir.is_dir():
        return
    derived, shown = config.generator, config.content_dir
    theirs = derived.site.get("content_dir") if derived is not None else None
    if derived is None or theirs is None or (derived.root / str(theirs)) != shown:
        raise ConfigError(
            f"{config.path}: site.content_dir: {shown} is not a folder; "
            "set site.content_dir to the folder that holds the posts"
        )
    name = derived.generator.capitalize()
    origin = derived.origins.get("content_dir")
    where = f"{origin}: {shown} is not a folder" if origin else f"{shown} is not a folder"
    fix = f"fix the path in {name}'s config" if origin else "move the folder back"
    raise ConfigError(
        f"{where}: {name} reads the posts there, and so does syndicate",
        hint=(
            f"{fix}, or run syndicate in the site's folder; site.content_dir in "
            f"{config.path.name} would override it"
        ),
    )


def start_build(config: Config) -> list[Path]:
    """Check the content folder, and remove the temporary files a killed run left in the output
    and state folders (only files with syndicate's own prefix); returns those removed. It lives
    here, away from the feed machinery, so the nothing-changed shortcut imports none of it.
    Raises ConfigError."""
    require_content(config)
    output = remove_temporaries(config.output_dir, everywhere=False)
    return [*output, *remove_temporaries(config.state_dir)]
