"""`site.data`: a Jekyll site's data folder, as its posts' Liquid sees it.

Jekyll reads every file of `data_dir` (default `_data`, under `source`) into `site.data` by its
name without the extension: YAML and JSON as they are, CSV and TSV as a list of rows keyed by
the header; a folder is a mapping of its own files; a name that is there twice is the last one
read, in sorted order (jekyll/readers/data_reader.rb, read, not copied;
https://jekyllrb.com/docs/datafiles/). A post such as ruby-lang.org's release notes writes
`{% assign release = site.data.releases | where: "version", "3.3.12" | first %}` and then
`{{ release.url.gz }}`.

Each file is parsed when a post first asks for it, once a process: most builds of most sites
ask for none. The files are among the generator's files (`SiteSettings.files`), so a change to
one changes the build cache's key and makes `serve` rebuild. A file that cannot be parsed is
nothing to the post, as Jekyll would stop instead: `problems` says why, and the expansion reports
it at the line that asked. Only files inside the site's folder are read (a symbolic link out of
it is passed over).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".tsv")
_UNSAFE = re.compile(r"[^\w\s-]+")


def data_folder(root: Path, settings: Mapping[str, Any]) -> Path:
    """The site's data folder: `data_dir` (default `_data`) under `source` (default the site's
    folder), as `_config.yml` sets them; a value that is no string is the default."""
    source, folder = settings.get("source"), settings.get("data_dir")
    source = source if isinstance(source, str) else "."
    return root / source / (folder if isinstance(folder, str) else "_data")


def data_files(folder: Path, root: Path) -> tuple[Path, ...]:
    """Every data file below `folder` that Jekyll reads, sorted, inside `root`. A folder linked
    from elsewhere is not entered (a link may loop), hidden files and folders are passed over."""
    found: list[Path] = []
    if not folder.is_dir() or not _inside(folder, root):
        return ()
    for at, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(at, name)
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            if path.is_file() and _inside(path, root):
                found.append(path)
    return tuple(sorted(found))


def key_of(name: str) -> str:
    """A file's or folder's name as a key of `site.data` (Jekyll's `sanitize_filename`)."""
    return re.sub(r"\s+", "_", _UNSAFE.sub("", name).strip())


class DataFolder(Mapping[str, Any]):
    """One folder of `site.data`: its files and folders by key, each read when asked for."""

    def __init__(self, folder: Path, files: tuple[Path, ...]) -> None:
        self.folder = folder
        self.problems: list[tuple[str, str]] = []  # (key, why) of each file not parsed
        self._entries: dict[str, Path | DataFolder] = {}
        below: dict[str, list[Path]] = {}
        for path in files:
            parts = path.relative_to(folder).parts
            if len(parts) == 1:
                self._entries[key_of(path.stem)] = path  # sorted: the last one read stays
            else:
                below.setdefault(parts[0], []).append(path)
        for name, inside in below.items():
            self._entries[key_of(name)] = DataFolder(folder / name, tuple(inside))
        self._read: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        entry = self._entries[key]
        if isinstance(entry, DataFolder):
            return entry
        if key not in self._read:
            self._read[key] = self._parsed(key, entry)
        return self._read[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def failures(self, prefix: str = "site.data.") -> list[tuple[str, str]]:
        """Each file read so far, here or below, that could not be parsed: how a post names
        it (`site.data.releases`), and why."""
        found = [(prefix + key, why) for key, why in self.problems]
        for key, entry in self._entries.items():
            if isinstance(entry, DataFolder):
                found += entry.failures(f"{prefix}{key}.")
        return found

    def _parsed(self, key: str, path: Path) -> Any:
        try:
            return parse(path)
        except ValueError as exc:
            self.problems.append((key, f"{path.name}: {exc}"))
            return None


def parse(path: Path) -> Any:
    """The file's value. Raises ValueError saying what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read: {exc}") from None
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        rows = csv.DictReader(io.StringIO(text), delimiter="\t" if suffix == ".tsv" else ",")
        return [dict(row) for row in rows]
    if suffix == ".json":
        try:
            return json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise ValueError(f"invalid JSON: {exc}") from None
    return load_yaml(text)


def load_yaml(text: str) -> Any:
    """YAML as Jekyll reads it (safely), for `_config.yml` and the data files. Raises
    ValueError saying what is wrong, and where when PyYAML knows."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValueError(f"invalid YAML{where}: {problem}") from None
    except (ValueError, RecursionError) as exc:  # PyYAML's constructors: `2024-13-45`
        raise ValueError(f"invalid YAML: {exc}") from None


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False
