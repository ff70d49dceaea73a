"""Artifacts -> files in the output folder: atomic writes, unchanged files left untouched, and a
manifest so that only files this tool wrote are ever deleted.

The manifest records which command owns each file ("build" for feeds, "digest" for the digest
archive), so a build removes its own stale feeds and never a digest page or a user's file.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SyndicateError
from .model import Artifact

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
    result = WriteResult()
    manifest = read_manifest(root)
    current: set[str] = set(keep)
    result.unchanged.extend(keep)
    for path in keep:
        manifest[path] = owner
    artifacts = list(artifacts)
    for artifact in artifacts:
        _target(root, artifact.path)  # refuse the whole set before writing any of it
    for artifact, wrote in zip(artifacts, _write_all(root, artifacts), strict=True):
        current.add(artifact.path)
        (result.written if wrote else result.unchanged).append(artifact.path)
        manifest[artifact.path] = owner
    if prune:
        for rel in sorted(p for p, o in manifest.items() if o == owner and p not in current):
            _remove(root, rel)
            del manifest[rel]
            result.deleted.append(rel)
    document = {"version": 1, "files": dict(sorted(manifest.items()))}
    data = (json.dumps(document, indent=1) + "\n").encode()
    if not _same(root / MANIFEST, data):
        atomic_write(root / MANIFEST, data)
    return result


def _write_all(root: Path, artifacts: list[Artifact]) -> list[bool]:
    """Write each changed artifact; True for each one written. Waiting for the disk (fsync)
    releases the GIL, and the file system commits several waiting files at once: threads."""
    if len(artifacts) < 8:
        return [_write_one(root, a) for a in artifacts]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(functools.partial(_write_one, root), artifacts))


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
