"""The digests' archive, outbox/<id>/ -> what `digest` published in the output folder,
published again.

A site generator that empties its output folder before each build (Jekyll, Zola) takes every
digest's web version, the digests' index and their feeds with it, and the link "View in your
browser" of every email sent points nowhere. Every build puts them back, the very bytes `digest`
wrote: each web version and record from its outbox folder (`web.html`, `digest.json`), the index
and feeds made again from the records, as `digest` makes them (`webcopy.archive_artifacts`).
Nothing is rendered again. A digest is published as long as its outbox folder is there.

Light until something is missing: every build looks, the nothing-changed one too, and only a
build that finds a page missing imports the feed writers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import Location, Problem
from ..feeds.newsletter import DIGEST_FEEDS, DIGESTS, web_folder
from ..output import output_place, write_artifacts

# Each digest's web version in its outbox folder, as published (`outbox` writes it; it needs
# the email package, which every build would import for this name): a build publishes it
# again from here after the site's generator emptied the output folder, rendering nothing.
WEB_VERSION = "web.html"
# An id or a language's code names a folder of the output: one plain name, never a path.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True, slots=True)
class Archived:
    """One digest in the outbox: its id, its folder there, its record (digest.json) as written
    and read, and its language's code ("" for the default language's digest)."""

    digest_id: str
    folder: Path
    record: bytes
    summary: dict[str, Any]
    code: str

    @property
    def web_folder(self) -> str:
        return web_folder(self.digest_id, self.code)

    def web_version(self) -> bytes | None:
        """The web version as `digest` published it; None when an older syndicate, which did
        not archive it, rendered this digest."""
        try:
            return (self.folder / WEB_VERSION).read_bytes()
        except OSError:
            return None


def archived(config: Config) -> list[Archived]:
    """Every digest in the outbox whose record can be read, by id. A damaged record is left
    out: its digest is not published again (`send` reports it when asked to send it)."""
    found: list[Archived] = []
    for path in sorted(config.outbox_dir.glob("*/digest.json")):
        try:
            record = path.read_bytes()
            summary = json.loads(record)
        except (OSError, ValueError):
            continue
        if not isinstance(summary, dict) or summary.get("id") != path.parent.name:
            continue
        code = summary.get("language") or ""
        if _NAME.fullmatch(path.parent.name) and (code == "" or _plain(code)):
            found.append(Archived(path.parent.name, path.parent, record, summary, code))
    return found


def _plain(code: object) -> bool:
    return isinstance(code, str) and _NAME.fullmatch(code) is not None


@dataclass(slots=True)
class Republished:
    """What a build published again of the digests, and the digests it could not."""

    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def republish(config: Config, adopt: bool = False) -> Republished:
    """Publish again, into the output folder, the pages of the archived digests that are not
    there (and with them the index and feeds of every digest, which list them); nothing when
    every page is there. The files stay the digest's in the manifest: a build never prunes
    them. Raises RefusedError, before writing anything, for a file not ours in the way (unless
    `adopt`), OutputError when the output folder cannot be written."""
    found = archived(config)
    out = Republished()
    output = config.output_dir
    missing = False
    for entry in found:
        there = (output / entry.web_folder / "index.html").is_file()
        if not (entry.folder / WEB_VERSION).is_file():
            if not there:
                out.problems.append(_not_archived(config, entry))
            continue
        missing = missing or not there or not (output / entry.web_folder / "digest.json").is_file()
    # The index and feeds list the digests whose web version is there to link: without one to
    # put back (digests made before the outbox kept it), they would link pages that are gone.
    restorable = [e for e in found if not e.code and (e.folder / WEB_VERSION).is_file()]
    if restorable:
        pages = [path for _, path in DIGEST_FEEDS] + [DIGESTS + "index.html"]
        missing = missing or not all((output / path).is_file() for path in pages)
    if not missing:
        return out
    from .webcopy import archive_artifacts  # the feed writers: only when something is missing

    artifacts = archive_artifacts(config, found)
    written = write_artifacts(output_place(config, adopt), artifacts, owner="digest", prune=False)
    out.written = written.written
    return out


def _not_archived(config: Config, entry: Archived) -> Problem:
    period = entry.summary.get("period")
    start = period.get("start", "") if isinstance(period, dict) else ""
    end = period.get("end", "") if isinstance(period, dict) else ""
    base = entry.digest_id.removesuffix(f"-{entry.code}") if entry.code else entry.digest_id
    again = (
        f"syndicate digest --week {base}"
        if re.fullmatch(r"\d{4}-W\d{2}", base)
        else f"syndicate digest --since {start} --until {end}"
    )
    return Problem(
        "warning",
        Location(entry.folder),
        f"no web version archived (rendered by an older syndicate): {entry.web_folder}"
        "index.html, which the digest links to, cannot be published again",
        f"render the digest again to archive it: `{again}`",
    )
