"""Artifacts -> files in the output folder: atomic writes, unchanged files left untouched, and a
manifest so that only files this tool wrote are ever deleted.

The manifest records which command owns each file ("build" for feeds, "digest" for the digest
archive), so a build removes its own stale feeds and never a digest page or a user's file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SyndicateError
from .model import Artifact

if TYPE_CHECKING:
    from concurrent.futures import Future

MANIFEST = ".syndicate-manifest.json"


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    `durable=False` skips the flush to disk, for files that are checked when read and rebuilt
    when damaged (the build cache): a power cut may lose them, never corrupt what they feed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(slots=True)
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"files: {len(self.written)} written, {len(self.unchanged)} unchanged, "
            f"{len(self.deleted)} deleted"
        )


def _target(root: Path, rel: str) -> Path:
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        raise SyndicateError(f"refusing to write outside the output folder: {rel}")
    return target


def read_manifest(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("files", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def write_artifacts(
    root: Path,
    artifacts: Iterable[Artifact],
    owner: str,
    prune: bool = True,
    keep: Iterable[str] = (),
) -> WriteResult:
    """Write every artifact under `root`. With `prune`, files `owner` wrote before and did not
    write now are deleted, except those in `keep` (known unchanged, so not generated again)."""
    writer = Writer(root, owner, prune, keep)
    for artifact in artifacts:
        writer.add(artifact)
    return writer.finish()


class Writer:
    """`write_artifacts` for artifacts that arrive one by one: each is written on a thread as
    soon as it comes (the disk works while the next feed is generated), and `finish` waits for
    all, then records the manifest and prunes. Waiting on the disk (fsync) releases the GIL."""

    def __init__(
        self, root: Path, owner: str, prune: bool = True, keep: Iterable[str] = ()
    ) -> None:
        from concurrent.futures import ThreadPoolExecutor  # not needed on every command

        self.root, self.owner, self.prune = root, owner, prune
        self.keep = list(keep)
        self.pending: list[tuple[str, Future[bool]]] = []
        self.pool = ThreadPoolExecutor(max_workers=8)

    def add(self, artifact: Artifact) -> None:
        _target(self.root, artifact.path)  # refused here, before it is queued
        self.pending.append((artifact.path, self.pool.submit(_write_one, self.root, artifact)))

    def finish(self, prune: bool = True) -> WriteResult:
        """Wait for every write and record them; `prune=False` (after a failure) deletes
        nothing, whatever the writer was made with."""
        result = WriteResult()
        try:
            wrote = [(path, future.result()) for path, future in self.pending]
        finally:
            self.pool.shutdown(cancel_futures=True)
        manifest = read_manifest(self.root)
        current: set[str] = set(self.keep)
        result.unchanged.extend(self.keep)
        for path in self.keep:
            manifest[path] = self.owner
        for path, written in wrote:
            current.add(path)
            (result.written if written else result.unchanged).append(path)
            manifest[path] = self.owner
        if self.prune and prune:
            result.deleted.extend(_prune(self.root, manifest, self.owner, current))
        document = {"version": 1, "files": dict(sorted(manifest.items()))}
        data = (json.dumps(document, indent=1) + "\n").encode()
        if not _same(self.root / MANIFEST, data):
            atomic_write(self.root / MANIFEST, data)
        return result


def _prune(root: Path, manifest: dict[str, str], owner: str, current: set[str]) -> list[str]:
    """Delete what `owner` wrote before and not now; returns what was deleted."""
    stale = sorted(p for p, o in manifest.items() if o == owner and p not in current)
    for rel in stale:
        _remove(root, rel)
        del manifest[rel]
    return stale


def _write_one(root: Path, artifact: Artifact) -> bool:
    target = _target(root, artifact.path)
    if _same(target, artifact.data):
        return False
    atomic_write(target, artifact.data)
    return True


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _remove(root: Path, rel: str) -> None:
    target = _target(root, rel)
    target.unlink(missing_ok=True)
    folder = target.parent
    stop = root.resolve()
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()  # only succeeds when empty: a user's file keeps its folder
        except OSError:
            break
        folder = folder.parent
