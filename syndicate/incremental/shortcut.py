"""The start of every build, and its cheapest end: nothing changed since the last build.

In: the config, what the command line asked for, and the last build's record in the state
folder. Out: that build's outcome again, without writing a file, or the post files found for
the build that must run (`build.run_build`). It stays apart from `build.py` so that a build
with nothing to do imports none of the feed machinery (tests/test_startup.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import field
from pathlib import Path
from typing import Protocol

from ..config import Config
from ..content.loader import Discovered
from ..datatype import datatype
from ..dates import resolve_now
from ..digest.archive import Republished, republish
from ..errors import ContentError, Problem, Report
from ..output import start_build
from .cache import unchanged_since_last_build

STRICT_REFUSAL = "--strict: content errors found; nothing was written"
Progress = Callable[[int, int], None]  # posts parsed so far, of how many


@datatype
class BuildOptions:
    """What the command line asked of `build` or `check`."""

    now: str | None  # --now; else SOURCE_DATE_EPOCH in `env`, else the clock
    env: Mapping[str, str]
    drafts: bool = False
    future: bool = False
    workers: int | None = None  # None: as config.build.workers says
    cache: bool = True  # False: --no-cache; True: as config.build.cache says
    strict: bool = False
    adopt: bool = False
    allow_shrink: bool = False

    @property
    def flags(self) -> tuple[bool, bool]:
        return self.drafts, self.future

    @property
    def use_cache(self) -> bool | None:
        """`load_site`'s `use_cache`: None leaves it to the config."""
        return None if self.cache else False


@datatype(frozen=False)
class BuildOutcome:
    """What a build did, for the command line to show: the problems found while writing (those
    found reading the posts went to `BuildEvents.loaded`), the result lines, the files written
    and deleted, and how many files were skipped (one line even with --quiet)."""

    report: Report
    lines: list[str]
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: int = 0


class BuildEvents(Protocol):
    """What a build tells as it goes, so that it is shown even when a later step fails."""

    def removed(self, path: Path) -> None:
        """A temporary file left by a run that was stopped was removed."""

    def reading(self) -> AbstractContextManager[Progress | None]:
        """Around reading every post: gives the callback that counts posts parsed, if any."""

    def loaded(self, problems: Sequence[Problem], summary: str) -> None:
        """What reading the posts found, before anything is written."""


@datatype(frozen=False)
class Begun:
    outcome: BuildOutcome | None  # the last build's, when nothing changed since
    discovered: Discovered | None  # the post files found, when the cache may be used
    digests: Republished = field(default_factory=Republished)  # the digests' pages put back


def may_use_cache(config: Config, options: BuildOptions) -> bool:
    """--adopt and --allow-shrink need the full build's checks; --no-cache asks for it."""
    return options.cache and config.build.cache and not (options.adopt or options.allow_shrink)


def begin_build(config: Config, options: BuildOptions, events: BuildEvents) -> Begun:
    """Check the content folder, remove what a stopped run left, and end here if nothing
    changed since the last build. Raises ConfigError, UsageError for an unreadable `now`,
    ContentError with --strict when the last build's posts had errors; RefusedError and
    OutputError from putting back the digests' pages."""
    for path in start_build(config):
        events.removed(path)
    # First, so that this build lists the digests' feeds they bring back (and its record of
    # which are published, `build_settings`, is the next build's): the site's generator may
    # have emptied the output folder since the last build.
    digests = republish(config, adopt=options.adopt)
    if not may_use_cache(config, options):
        return Begun(None, None, digests)
    now = resolve_now(options.now, options.env, config.tz)
    last, discovered = unchanged_since_last_build(config, now, *options.flags)
    if last is None:
        return Begun(None, discovered, digests)
    problems = last.reported()
    loaded(events, options, problems, last.summary)
    changed = f"nothing changed since the last build; no file written ({len(last.outputs)} files)"
    later = Report(last.reported_later())
    outcome = BuildOutcome(later, [*last.lines, changed], skipped=broken_files(problems))
    return Begun(outcome, discovered, digests)


def loaded(
    events: BuildEvents, options: BuildOptions, problems: Sequence[Problem], summary: str
) -> None:
    """Tell what reading the posts found; with --strict, an error stops the build here.
    Raises ContentError."""
    events.loaded(problems, summary)
    if options.strict and any(p.severity == "error" for p in problems):
        raise ContentError(STRICT_REFUSAL)


def broken_files(problems: Sequence[Problem]) -> int:
    """How many files were skipped for an error (a post kept despite one, such as a missing
    ref target, is not)."""
    skipped = (p for p in problems if p.severity == "error" and not p.kept)
    return len({p.location.path for p in skipped if p.location})
