"""The digests' archive, outbox/<id>/ -> what `digest` published in the output folder,
published again.

A site generator that empties its output folder before each build (Jekyll, Zola) takes every
digest's web version, the digests' index and their feeds with it, and the link "View in your
browser" of every email sent points nowhere. Every build puts them back, the very bytes `digest`
wrote: each web version and record from its outbox folder (`web.html`, `digest.json`), the index
and feeds as kept, or made again from the records as `digest` makes them (`webcopy.digests_pages`).
Nothing is rendered again. A digest is published as long as its outbox folder is there.

Light until something is missing: every build looks, the nothing-changed one too, and only a
build that finds a page missing imports the feed writers.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import Config
from ..datatype import datatype
from ..errors import Location, Problem, counted
from ..feeds.newsletter import DIGEST_FEEDS, DIGESTS, web_folder
from ..model import Artifact
from ..output import atomic_write, output_place, write_artifacts

# Each digest's web version in its outbox folder, as published (`outbox` writes it; it needs
# the email package, which every build would import for this name): a build publishes it
# again from here after the site's generator emptied the output folder, rendering nothing.
WEB_VERSION = "web.html"
# The pages that list every digest of the default language: its feeds and its index.
LISTING = (*(path for _, path in DIGEST_FEEDS), DIGESTS + "index.html")
# An id or a language's code names a folder of the output: one plain name, never a path.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@datatype
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


@datatype(frozen=False)
class Republished:
    """What a build published again of the digests, and the digests it could not."""

    written: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def lines(self, outbox: str | Path) -> list[str]:
        """What a build says of the pages it put back (`build` and `serve` alike), with the
        outbox's path as the user reads it."""
        if not self.written:
            return []
        return [
            f"digests: {counted(len(self.written), 'file')} published again from {outbox} "
            "(web versions, index and feeds missing from the output folder, or listing a "
            "digest withdrawn)"
        ]


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
    restorable = False  # a digest of the default language with its web version to put back
    for entry in found:
        there = (output / entry.web_folder / "index.html").is_file()
        if not (entry.folder / WEB_VERSION).is_file():
            if not there:
                out.problems.append(_not_archived(config, entry))
            continue
        restorable = restorable or not entry.code
        missing = missing or not there or not (output / entry.web_folder / "digest.json").is_file()
    # The index and feeds list the digests whose web version is there to link: without one to
    # put back (digests made before the outbox kept it), they would link pages that are gone.
    if restorable:
        missing = missing or not all((output / path).is_file() for path in LISTING)
    if not missing and not _listed_as_now(config, found):
        missing = True  # a digest withdrawn (its outbox and pages deleted) is still listed
    if not missing:
        return out
    records = published_records(config, exclude="", archive=found)
    listing = _kept_pages(config, records) if records else []
    if listing is None:
        from .webcopy import digests_pages  # the feed writers: when none were kept

        listing = digests_pages(config, records)
    artifacts = web_artifacts(found) + listing
    written = write_artifacts(output_place(config, adopt), artifacts, owner="digest", prune=False)
    out.written = written.written
    return out


def published_records(
    config: Config, exclude: str, archive: Sequence[Archived] | None = None
) -> list[dict[str, Any]]:
    """The records of every published digest of the default language but `exclude`: those in
    the output folder, and those archived in the outbox (`archive`, read when not given), which
    a site generator that empties the output folder does not take away."""
    records: dict[str, dict[str, Any]] = {}
    for path in sorted((config.output_dir / "digests").glob("*/digest.json")):
        if path.parent.name == exclude:
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if valid_record(record):
                records[record["id"]] = record
        except (OSError, ValueError):
            pass  # a damaged record only drops that digest from the feed and the index
    for entry in archived(config) if archive is None else archive:
        if not entry.code and entry.digest_id != exclude and valid_record(entry.summary):
            records[entry.digest_id] = entry.summary
    records.pop(exclude, None)
    return list(records.values())


def valid_record(record: Any) -> bool:
    """Whether a digest.json read back holds what the feed and the index show."""
    from ..feeds.items import web_url  # not for every build: only one putting pages back

    try:
        for key in ("start", "end"):
            datetime.fromisoformat(record["period"][key])
        posts = record.get("posts", [])
        return (
            isinstance(record["id"], str)
            and isinstance(record["subject"], str)
            and isinstance(record.get("preheader", ""), str)
            and web_url(record["web_url"])
            and isinstance(posts, list)
            and all(isinstance(p["title"], str) and web_url(p["url"]) for p in posts)
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return False


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


# The digests' index and feeds as last made, kept in the outbox under the key of what they
# were made of (`_pages_key`): putting them back is then a copy, not the feed writers,
# Jinja2 and Babel again (40 ms of a cold 100-post build, each time a generator emptied the
# output folder). A folder whose name starts with "." holds no digest (`archived`).
PAGES = ".pages"


def _pages_key(config: Config, records: Sequence[dict[str, Any]]) -> str:
    """What the pages are made of: the records listed, the config (its labels, language,
    title, URLs...) and syndicate's code."""
    from ..incremental.cache import code_key

    listed = json.dumps(sorted(records, key=lambda r: str(r.get("id"))), sort_keys=True)
    made_of = repr((code_key(), repr(config), listed))
    return hashlib.sha256(made_of.encode("utf-8")).hexdigest()[:32]


# Beside the kept pages: the ids of the digests they list, to tell that one was withdrawn.
LISTED = "listed.json"


def keep_pages(
    config: Config, records: Sequence[dict[str, Any]], pages: Sequence[Artifact]
) -> None:
    """Keep the digests' index and feeds just made, in place of those kept before, with the
    ids they list. A page that cannot be kept is made again next time."""
    folder = config.outbox_dir / PAGES
    key = _pages_key(config, records)
    ids = sorted(str(r.get("id")) for r in records)
    try:
        atomic_write(folder / key / LISTED, json.dumps(ids).encode(), durable=False)
        for page in pages:
            atomic_write(folder / key / page.path, page.data, durable=False)
        for old in folder.iterdir():
            if old.name != key and old.is_dir():
                import shutil  # with bz2 and lzma, ~2 ms of every build's start otherwise

                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass


def _listed_as_now(config: Config, found: Sequence[Archived]) -> bool:
    """Whether the digests' index and feeds, as last made, list the digests of the default
    language there are now (in the outbox or the output folder): not once one was withdrawn,
    its outbox folder and pages deleted (README, Output layout). True when the pages kept do
    not say (none kept, or kept by an older syndicate): nothing to compare with."""
    kept = [p for p in (config.outbox_dir / PAGES).glob(f"*/{LISTED}")]
    if len(kept) != 1:
        return True
    try:
        listed = json.loads(kept[0].read_bytes())
    except (OSError, ValueError):
        return True
    now = {str(r.get("id")) for r in published_records(config, exclude="", archive=found)}
    return isinstance(listed, list) and set(listed) == now


def _kept_pages(config: Config, records: Sequence[dict[str, Any]]) -> list[Artifact] | None:
    """The digests' index and feeds kept for the very records they list; None when none were
    kept for them."""
    folder = config.outbox_dir / PAGES / _pages_key(config, records)
    try:
        return [Artifact(path, (folder / path).read_bytes()) for path in LISTING]
    except OSError:
        return None


def web_artifacts(found: Sequence[Archived]) -> list[Artifact]:
    """Each web version and record of `found` as `digest` published it (those archived with
    their web version)."""
    artifacts: list[Artifact] = []
    for entry in found:
        web = entry.web_version()
        if web is not None:
            artifacts.append(Artifact(entry.web_folder + "index.html", web))
            artifacts.append(Artifact(entry.web_folder + "digest.json", entry.record))
    return artifacts
