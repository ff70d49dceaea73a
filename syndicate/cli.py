"""The command line: the only place that prints, and that chooses exit codes.

The exit codes are `errors.EXIT_CODES`; `syndicate --help` and the README show that table.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from . import __version__
from .errors import (
    EXIT_CONTENT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OUTPUT,
    EXIT_USAGE,
    DeliveryError,
    Location,
    Problem,
    Report,
    SyndicateError,
    UsageError,
    counted,
    exit_code_help,
    some_of,
)
from .lifetime import ending_without_teardown, ends_at_once

# Each of these is imported by the one command that needs it; the config's (pydantic, about
# a third of a second on 2 busy cores) when a command reads one, not for --help or --version.
if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from rich.console import Console

    from .build import Site
    from .config import Config
    from .content.loader import Discovered
    from .delivery.ledger import Unsent
    from .digest.archive import Republished
    from .digest.editions import Edition
    from .digest.periods import Period
    from .incremental.ahead import Ahead
    from .incremental.parse_ahead import Parsers
    from .incremental.shortcut import BuildOptions, BuildOutcome
    from .model import Email
    from .sites import SiteSettings

F = TypeVar("F", bound=Callable[..., None])  # a command: its results are printed, not returned


def console(stderr: bool = False) -> Console:
    """Where styled lines go. Text is printed as it is: rich's emoji codes would make the
    line of `post.md:100: error` an emoji (`:100:`), and its highlighting colour numbers."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


SHOWN_PER_KIND = 5  # repeated warnings of one kind beyond this are counted, not printed


class Ui:
    """Messages on stderr, colour only on a terminal; results on stdout.

    Plain lines go out through click; rich (slow to import) is loaded only when something is
    styled: a problem, a table, a progress bar. Paths are shown relative to the site's folder
    (`root`, the config file's). Warnings of one kind beyond the first five are summarised in
    one line, unless `show_all` (`check`, `--verbose`): a site with 10,000 missing images is
    not 10,000 lines. Every problem is counted as it is labelled, for the summary line."""

    def __init__(
        self, quiet: bool = False, verbose: bool = False, root: Path | None = None
    ) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.show_all = verbose
        self.root = root
        self.counts: Counter[str] = Counter()
        self.summarised: Counter[str] = Counter()  # the counts the summary line gave
        self.per_kind: Counter[str] = Counter()
        self.hidden: Counter[str] = Counter()

    @functools.cached_property
    def err(self) -> Console:
        return console(stderr=True)

    @functools.cached_property
    def out(self) -> Console:
        return console()

    def info(self, text: str) -> None:
        if not self.quiet:
            click.echo(text)

    def detail(self, text: str) -> None:
        if self.verbose:
            self.err.print(f"[dim]{escape(text)}[/dim]")

    def problem(self, problem: Problem) -> None:
        self.counts[problem.severity] += 1
        if problem.severity == "warning":
            if self.quiet:
                return
            kind = warning_kind(problem.message)
            self.per_kind[kind] += 1
            if self.per_kind[kind] > SHOWN_PER_KIND and not self.show_all:
                self.hidden[kind] += 1
                return
        where = f"{self.where(problem.location)}: " if problem.location else ""
        style = "bold red" if problem.severity == "error" else "yellow"
        message = self.shorten(problem.message)
        self.err.print(f"{escape(where)}[{style}]{problem.severity}:[/{style}] {escape(message)}")
        if problem.hint:
            self.err.print(f"  [cyan]hint:[/cyan] {escape(self.shorten(problem.hint))}")

    def report(self, report: Report) -> None:
        for problem in report.problems:
            self.problem(problem)
        self.summarise_hidden()

    def summarise_hidden(self) -> None:
        """One line per kind of warning held back since the last call."""
        for kind, count in self.hidden.items():
            self.err.print(
                f"[yellow]warning:[/yellow] {escape(f'…and {count:,} more: {kind}')}\n"
                "  [cyan]hint:[/cyan] --verbose shows every one"
            )
        self.hidden.clear()

    def error(self, message: str, hint: str | None = None) -> None:
        self.problem(Problem("error", None, message, hint))

    def failed(self, exc: SyndicateError) -> None:
        """The error a command stopped with: each of its problems, with its hint."""
        for line, hint in exc.told():
            self.error(line, hint)

    def summary(self, text: str) -> None:
        """The closing line: what was loaded, and the problems above, counted as labelled."""
        self.info(f"{text}; {self.counted_problems() or 'no problems'}")
        self.summarised = Counter(self.counts)

    def counted_problems(self) -> str:
        return ", ".join(counted(self.counts[s], s) for s in ("error", "warning") if self.counts[s])

    def in_all(self) -> str:
        """`; 103 warnings in all` when problems were shown after the summary line (those of
        the feeds, found once every post is read), so the last line's count is the whole."""
        return f"; {self.counted_problems()} in all" if self.counts != self.summarised else ""

    def where(self, location: Location) -> str:
        return str(Location(self.path(location.path), location.line))

    def shorten(self, text: str) -> str:
        """`text` with every path inside the site's folder written relative to it, as `path`
        writes one: a message names `config.toml`, not `/home/ana/blog/config.toml`."""
        if self.root is None:
            return text
        for root in {os.path.abspath(self.root), str(self.root.resolve())}:
            if root != os.sep and root in text:
                # A path starts the text or follows a space, a quote or a bracket: not a URL's
                # path that happens to spell the same folders.
                text = re.sub(r"(?<![^\s\"'(\[`“‘])" + re.escape(root + os.sep), "", text)
        return text

    def path(self, path: Path) -> Path:
        """`path` relative to the site's folder when it is inside it: shorter, and the same
        whichever folder the command was started from (cron starts it in $HOME)."""
        if self.root is None:
            return path
        absolute = Path(os.path.abspath(path))
        for root in (Path(os.path.abspath(self.root)), self.root.resolve()):
            for candidate in (absolute, absolute.resolve()):
                if candidate.is_relative_to(root):
                    return candidate.relative_to(root)
        return path


# What differs between warnings of one kind: quoted names, paths and URLs, file names, numbers.
_NAME = r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*[/\\]\S*|\S+\.\w+\b"
_VARIABLE = re.compile(rf"{_NAME}|\d+")


def warning_kind(message: str) -> str:
    """What warnings of one kind share, as the line counting those held back names it: the
    words before the message's first name or path, numbers in them as `…` (`featured image
    not found: images/a.jpg` -> `featured image not found`; `unknown shortcode 'x' (3 uses,
    ...)` -> `unknown shortcode`; `feed over 512 KB: a/rss.xml is ...` -> `feed over … KB`);
    the message with each name, path and number as `…` when it starts with one."""
    name = re.search(_NAME, message)
    head = re.sub(r"\d+", "…", message[: name.start()] if name else "").rstrip(" :;,(")
    if len(head.split()) >= 2:
        return head
    kind = re.sub(r"…(?:\W*…)+", "…", _VARIABLE.sub("…", message))
    return re.sub(r"[\s:]*…$", "", kind) or message


def escape(text: str) -> str:
    """Text as rich markup shows it literally (a post title may well contain `[b]`)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def common(func: F, environment: str = "production") -> F:
    """Options every command takes. `environment` picks the site generator's config
    overrides (Hugo's `config/production/`, `config/development/`)."""

    @click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path),  # a folder is named by load_config, as a missing file
        metavar="FILE",
        help=CONFIG_HELP,
    )
    @click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
    @click.option(
        "--verbose",
        "-v",
        is_flag=True,
        help="Print more: every repeated warning instead of a count, each file `build` or "
        "`digest` writes or deletes, and the traceback of an internal error.",
    )
    @functools.wraps(func)
    def wrapper(
        *args: object, config_path: Path | None, quiet: bool, verbose: bool, **kwargs: object
    ) -> None:
        from .config import find_config, load_config

        ui = Ui(quiet=quiet, verbose=verbose, root=Path())
        try:
            path = config_path or _group_config() or find_config(Path())
            # Paths relative to the site's folder, once there is a site: a missing config is
            # named as it was given.
            ui.root = path.parent if path.is_file() else ui.root
            config = load_config(path, environment)
            func(*args, ui=ui, config=config, **kwargs)
        except SyndicateError as exc:  # the one place an error becomes an exit code
            ui.failed(exc)
            sys.exit(exc.exit_code)
        finally:  # warnings a command held back and did not count yet (`Ui.problem`)
            ui.summarise_hidden()

    return wrapper  # type: ignore[return-value]


def now_option(func: F) -> F:
    return click.option(
        "--now",
        metavar="ISO-8601",
        help="Treat this as the current time (default: SOURCE_DATE_EPOCH, else the clock).",
    )(func)


def content_options(func: F) -> F:
    func = click.option(
        "--workers",
        type=click.IntRange(min=0),
        help="Processes for parsing and rendering (0: one per core).",
    )(func)
    func = click.option(
        "--no-cache", "no_cache", is_flag=True, help="Ignore the build cache (a cold build)."
    )(func)
    func = click.option("--drafts", is_flag=True, help="Include posts marked draft.")(func)
    func = click.option("--future", is_flag=True, help="Include posts dated after now.")(func)
    return now_option(func)


# `\b` keeps click from re-wrapping the table into one paragraph.
EPILOG = "\b\nExit codes:\n" + exit_code_help()


CONFIG_HELP = (
    "The site's config file (default: ./syndicate.toml, else a ./config.toml with a [site] "
    "table); relative paths in it are relative to its folder. Before or after the command."
)


class _Usage(click.Command):
    """A command whose every mistake of usage ends with its usage lines: click's parser raises
    "Option '--week' requires an argument." without the context that prints them, where
    every other mistake (an unknown option, a bad value) has them."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            exc.ctx = exc.ctx or ctx
            raise


class _Commands(_Usage, click.Group):
    """The commands, stopped by Ctrl-C with the exit code of an interrupt (128 + SIGINT):
    click's own handling printed "Aborted!" and exited 1, the code of content problems."""

    command_class = _Usage

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            _interrupted()


def _interrupted() -> NoReturn:
    click.echo("\ninterrupted", err=True)  # after the terminal's ^C
    sys.exit(EXIT_INTERRUPTED)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EPILOG,
)
@click.version_option(__version__, prog_name="syndicate")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),  # a folder is named by load_config, as a missing file
    metavar="FILE",
    help=CONFIG_HELP,
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Turn a folder of Markdown posts into feeds and a weekly digest email."""
    ctx.meta["syndicate.config"] = config_path


def _group_config() -> Path | None:
    """`--config` given before the command (`syndicate --config x.toml build`)."""
    value = click.get_current_context().meta.get("syndicate.config")
    return value if isinstance(value, Path) else None


def _warn_without_libyaml(ui: Ui) -> None:
    if "syndicate.content.split" not in sys.modules:
        return  # nothing was split: every post came from the cache, and PyYAML is not loaded
    from .content.split import HAS_LIBYAML

    if not HAS_LIBYAML:
        ui.problem(
            Problem(
                "warning",
                None,
                "PyYAML was built without libyaml: front matter beyond plain `key: value` lines "
                "and lists is read about 9 times slower",
                "install libyaml (Debian: apt-get install libyaml-dev), then reinstall PyYAML",
            )
        )


def _load(ui: Ui, config: Config, now: str | None) -> Site:
    """Every post but drafts and future ones, for the digest."""
    from .build import load_site
    from .incremental.cache import paused_collection

    _moment(config, now)  # checked first: only an unreadable --now is a --now error
    with _reading(ui) as progress, paused_collection():
        site = load_site(config, now=now, env=os.environ, progress=progress)
    # The posts stay until the process ends: the collector's passes while the digest imports
    # and renders (and sends) need not walk them again. On the bench's 10,000-post site these
    # passes took ~40 ms of a ~0.5 s digest.
    gc.freeze()
    return site


@contextlib.contextmanager
def _reading(ui: Ui) -> Iterator[Callable[[int, int], None] | None]:
    """Around reading every post: a progress bar, then a word on a slow YAML parser."""
    with _progress(ui) as progress:
        yield progress
    _warn_without_libyaml(ui)


@contextlib.contextmanager
def _progress(ui: Ui) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar while many posts are parsed, on a terminal only."""
    if ui.quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    # Redrawn here as posts arrive, not by rich's refresh thread: a second thread would keep
    # the worker pool from forking (see incremental.pool.choose).
    with Progress(console=ui.err, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("reading posts", total=None, visible=False)
        shown = [0.0]

        def advance(done: int, total: int) -> None:
            if total >= 500:
                bar.update(task, completed=done, total=total, visible=True)
                if time.monotonic() - shown[0] >= 0.1 or done == total:
                    bar.refresh()
                    shown[0] = time.monotonic()

        yield advance


@cli.command()
@common
@content_options
def check(
    ui: Ui,
    config: Config,
    now: str | None,
    drafts: bool,
    future: bool,
    workers: int | None,
    no_cache: bool,
) -> None:
    """Report every problem in config and content; exit 1 if any is an error."""
    from .build import run_check
    from .incremental.shortcut import BuildOptions

    options = BuildOptions(
        now, os.environ, drafts=drafts, future=future, workers=workers, cache=not no_cache
    )
    with _now_option(now):
        checked = run_check(config, options, _Shown(ui))
    ui.show_all = True  # `check` is where a person looks at every problem
    ui.report(checked.report)
    ui.summary(checked.summary)
    if checked.report.errors:
        sys.exit(EXIT_CONTENT)


@cli.command()
@common
@content_options
@click.option(
    "--strict", is_flag=True, help="Fail (exit 1) on any broken post instead of skipping it."
)
@click.option(
    "--ping", "then_ping", is_flag=True, help="Then notify the WebSub hub (see `syndicate ping`)."
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Take over files in the output folder that syndicate did not write, and replace them.",
)
@click.option(
    "--allow-shrink",
    is_flag=True,
    help="Publish even when the site has under half the posts of the last build.",
)
def build(
    ui: Ui,
    config: Config,
    now: str | None,
    drafts: bool,
    future: bool,
    strict: bool,
    then_ping: bool,
    workers: int | None,
    no_cache: bool,
    adopt: bool,
    allow_shrink: bool,
) -> None:
    """Load the posts and write every feed into the output folder."""
    from .incremental.shortcut import BuildOptions, begin_build  # light: no feed machinery
    from .output import published_private

    # A build is a short batch job whose objects are nearly all acyclic: the collector's passes
    # over a heap of 10,000 posts cost more than the garbage they could free (same peak memory).
    gc.disable()
    started = time.perf_counter()
    options = BuildOptions(
        now,
        os.environ,
        drafts=drafts,
        future=future,
        workers=workers,
        cache=not no_cache,
        strict=strict,
        adopt=adopt,
        allow_shrink=allow_shrink,
    )
    events = _Shown(ui, strict)
    with _now_option(now):
        begun = begin_build(config, options, events)  # ends here when nothing changed
        outcome = begun.outcome
        if outcome is None:
            with _rendered_ahead(config, options, begun.discovered) as (ahead, parsers):
                from .build import run_build

                outcome = run_build(config, options, events, begun.discovered, ahead, parsers)
    outcome.report.problems.extend(published_private(config))
    _digests_republished(ui, config, begun.digests, outcome)
    _report_build(ui, config, outcome)
    _finish_build(ui, config, started, then_ping)


def _digests_republished(
    ui: Ui, config: Config, digests: Republished, outcome: BuildOutcome
) -> None:
    """What the build put back of the digests' pages, told with the build's own lines."""
    outcome.report.problems.extend(digests.problems)
    outcome.lines.extend(digests.lines(ui.path(config.outbox_dir)))
    outcome.written.extend(digests.written)


@contextlib.contextmanager
def _rendered_ahead(
    config: Config, options: BuildOptions, discovered: Discovered | None
) -> Iterator[tuple[Ahead | None, Parsers | None]]:
    """A first build's posts rendered in a child while this process starts (`ahead`), or, from
    MAX_FILES files, parsed in children (`parse_ahead`): the post files the build found (None:
    it found none, not using the cache)."""
    from .incremental import ahead as small

    ahead = None if discovered is None else small.start(config, options, discovered[0])
    parsers = None
    if ahead is None and discovered is not None:  # a small site forks its child without it
        from .incremental import parse_ahead as large

        parsers = large.start(config, options, discovered[0])
    try:
        yield ahead, parsers
    finally:
        for started in (ahead, parsers):
            if started is not None:
                started.close(wait=not ends_at_once())


def _finish_build(ui: Ui, config: Config, started: float, then_ping: bool) -> None:
    ui.info(f"done in {time.perf_counter() - started:.2f}s{ui.in_all()}")
    if then_ping:
        _ping(ui, config)


def _moment(config: Config, now: str | None) -> datetime:
    from .dates import resolve_now

    with _now_option(now):
        return resolve_now(now, os.environ, config.tz)


@contextlib.contextmanager
def _now_option(now: str | None) -> Iterator[None]:
    """An unreadable --now in click's own wording for a bad option value, as for every other
    option; an unreadable SOURCE_DATE_EPOCH stays the library's message."""
    try:
        yield
    except UsageError as exc:
        if not now or not exc.message.startswith("--now: "):
            raise
        message = exc.message.removeprefix("--now: ")
        raise click.BadParameter(message, param_hint="--now") from None


class _Shown:
    """A build's events (`shortcut.BuildEvents`), shown as they happen."""

    def __init__(self, ui: Ui, strict: bool = False) -> None:
        self.ui = ui
        self.strict = strict

    def removed(self, path: Path) -> None:
        self.ui.detail(f"removed {self.ui.path(path)}, left by a run that was stopped")

    def reading(self) -> contextlib.AbstractContextManager[Callable[[int, int], None] | None]:
        return _reading(self.ui)

    def loaded(self, problems: Sequence[Problem], summary: str) -> None:
        _report_load(self.ui, problems, self.strict)
        self.ui.summary(summary)


def _report_load(ui: Ui, problems: Sequence[Problem], strict: bool) -> None:
    if strict:
        ui.report(Report(list(problems)))
    else:  # a broken post is skipped, and the build goes on
        ui.report(Report([_skipped(p) for p in problems]))


def _quiet_skipped(ui: Ui, count: int) -> None:
    """With --quiet, skipped posts still get one line: a quiet cron job must not hide them."""
    if ui.quiet and count:
        files = counted(count, "file")
        click.echo(f"warning: {files} skipped; run without --quiet to see why", err=True)


def _report_build(ui: Ui, config: Config, outcome: BuildOutcome) -> None:
    ui.report(outcome.report)
    for line in outcome.lines:
        ui.info(line)
    _quiet_skipped(ui, outcome.skipped)
    if not ui.verbose:
        return  # a path made relative costs a few stats: not thousands of them for nothing
    output = config.output_dir
    for verb, paths in (("wrote", outcome.written), ("deleted", outcome.deleted)):
        for rel in paths:
            ui.detail(f"{verb} {ui.path(output / rel)}")


@cli.command()
@common
@now_option
@click.option("--week", metavar="YYYY-Www", help="An ISO week, e.g. 2024-W44.")
@click.option("--since", metavar="DATETIME", help="Start of the period (inclusive).")
@click.option("--until", metavar="DATETIME", help="End of the period (exclusive; default now).")
@click.option(
    "--since-last-sent",
    is_flag=True,
    help="Start where the last digest sent through the configured transport ended.",
)
@click.option("--allow-empty", is_flag=True, help="Write a digest even with no new posts.")
@click.option("--send", "then_send", is_flag=True, help="Then deliver it (see `syndicate send`).")
@click.option(
    "--dry-run",
    is_flag=True,
    help="With --send: show what would be sent, send nothing (the digest is still written).",
)
def digest(
    ui: Ui,
    config: Config,
    now: str | None,
    week: str | None,
    since: str | None,
    until: str | None,
    since_last_sent: bool,
    allow_empty: bool,
    then_send: bool,
    dry_run: bool,
) -> None:
    """Render the digest email of a period (default: the last complete ISO week).

    Writes outbox/<id>/ (email.html, email.txt, message.eml, digest.json, web.html) and the web
    version at <output>/digests/<id>/, which `build` puts back from there when the site's
    generator removed it. A period without new posts writes nothing and exits 0. With
    [digest] languages, one digest per language too (id <period>-<code>, web version at
    <output>/digests/<code>/<id>/).
    """
    from .build import choose_period
    from .digest.editions import editions, require_sender

    if sum(bool(x) for x in (week, since or until, since_last_sent)) > 1:
        raise UsageError(
            "use one of --week, --since/--until and --since-last-sent",
            "`syndicate digest --help` describes each",
        )
    if dry_run and not then_send:
        # Alone it would be taken for a preview that writes nothing: `digest` writes the
        # digest and publishes its web version whatever the flag says.
        raise UsageError(
            "--dry-run goes with --send (it shows what would be sent)",
            "to see a digest without publishing it, use `syndicate serve`'s preview",
        )
    require_sender(config)
    site = _load(ui, config, now)
    ui.report(Report([_skipped(p) for p in site.report.problems]))
    chosen = None if since_last_sent else choose_period(config, site.now, week, since, until)
    rendered: list[tuple[Config, Email]] = []
    for edition in editions(config):
        period = chosen
        if chosen is None:
            period, unfinished = _period_since_last_sent(ui, config, site.now, edition, then_send)
            rendered += [(edition.config, unfinished)] if unfinished else []
        if period is not None:
            rendered += _digest_edition(ui, site, edition, period, allow_empty, then_send, dry_run)
    # Every language's digest is rendered before any is sent, and each is sent whatever
    # happened to the one before: a digest that does not go out leaves the others' files in
    # place for the next run, and never holds back the next period's.
    _send_each(ui, rendered if then_send else [], dry_run)


def _send_each(ui: Ui, sends: list[tuple[Config, Email]], dry_run: bool) -> None:
    """Send each digest with its config; an error is told as it happens, and the run ends
    with the highest exit code of those it met (4, needs a person, over 3, try later)."""
    codes = []
    for own, email in sends:
        try:
            _send(ui, own, email, force=False, test=None, dry_run=dry_run)
        except SyndicateError as exc:
            ui.failed(exc)
            codes.append(exc.exit_code)
    if codes:
        sys.exit(max(codes))


def _digest_edition(
    ui: Ui,
    site: Site,
    edition: Edition,
    period: Period,
    allow_empty: bool,
    then_send: bool,
    dry_run: bool,
) -> list[tuple[Config, Email]]:
    """Render one edition's digest of `period`; returns it with the config it is sent with
    (that language's audience), or nothing when the period is empty."""
    from .build import make_digest

    config = edition.config
    outcome = make_digest(site, period, allow_empty, edition)
    if outcome.result is None:
        which = f" {edition.code}" if edition.code else ""
        found = len(outcome.posts)
        least = config.digest.min_posts
        why = f"{counted(found, 'new post')}, fewer than digest.min_posts ({least})"
        ui.info(
            f"{why if found else 'no new posts'} between {period.describe()}; "
            f"no{which} digest written"
        )
        if then_send and not dry_run:
            from .delivery.records import record_empty

            record_empty(config, outcome.period)
        return []
    email = outcome.result.email
    for warning in outcome.result.warnings:
        ui.problem(Problem("warning", None, warning))
    ui.summarise_hidden()
    posts = counted(len(outcome.posts), "post")
    ui.info(f"digest {email.digest_id}: {posts}, subject “{email.subject}”")
    assert outcome.outbox is not None  # written with the result
    ui.info(f"wrote {ui.path(outcome.outbox)} (HTML {len(email.html.encode()) / 1024:.1f} KB)")
    for rel in outcome.written.written if outcome.written else []:
        ui.detail(f"wrote {ui.path(config.output_dir / rel)}")
    ui.info(f"web version: {email.web_url}")
    _listed(ui, config, outcome.listed, outcome.not_listed)
    return [(config, email)]


def _listed(ui: Ui, config: Config, listed: list[str], not_listed: list[str]) -> None:
    """What the first digest did to the feeds pages and OPML files, which list its feeds."""
    if listed:
        ui.info(f"{', '.join(listed)}: the digests' feeds are listed")
    for rel in listed:
        ui.detail(f"wrote {ui.path(config.output_dir / rel)}")
    if not_listed:
        ui.info(
            f"{', '.join(not_listed)}: the digests' feeds are listed by the next `syndicate "
            "build` (the last build published other posts than this digest read)"
        )


def _period_since_last_sent(
    ui: Ui, config: Config, now: datetime, edition: Edition, then_send: bool
) -> tuple[Period | None, Email | None]:
    """The period `--since-last-sent` covers, and the digest that reached only some of its
    readers so far, to send first (with `then_send`; else it is named)."""
    from .delivery.records import since_last_sent

    found = since_last_sent(config, now, edition if config.digest.languages else None)
    transport = config.delivery.transport
    if found.period is None and found.last_end is not None:
        which = f" in {edition.code}" if edition.code else ""
        through = found.last_end.isoformat()
        ui.info(
            f"no new period: digests{which} through {through} went out via {transport}, the "
            f"last to some of its readers so far"
            if found.unfinished
            else f"nothing to do: digests{which} through {through} already went out via {transport}"
        )
    if found.unfinished is None:
        return found.period, None
    if not then_send:
        ui.info(
            f"{found.unfinished} has not reached every reader via {transport} yet: "
            f"`syndicate send {found.unfinished}` sends it to the others"
        )
        return found.period, None
    return found.period, _outbox_digest(ui, config, found.unfinished)


def _outbox_digest(ui: Ui, config: Config, digest_id: str) -> Email | None:
    """The digest as the outbox keeps it; None, and a warning, when it is gone."""
    from .digest.outbox import read_outbox

    try:
        return read_outbox(config, digest_id)
    except SyndicateError as exc:
        ui.problem(
            Problem(
                "warning",
                None,
                f"{digest_id} has not reached every reader via {config.delivery.transport}, "
                f"and cannot be sent to the others: {exc.message}",
                "`syndicate status` lists the sends not made",
            )
        )
        return None


def _send(
    ui: Ui, config: Config, email: Email, *, force: bool, test: str | None, dry_run: bool
) -> None:
    from .delivery.run import deliver

    report = deliver(
        config,
        email,
        env=os.environ,
        force=force,
        test_address=test,
        dry_run=dry_run,
        warn=ui.problem,
    )
    ui.summarise_hidden()
    for line in report.planned:
        ui.info(f"would send: {ui.shorten(line)}")
    if dry_run:
        for line in report.held:
            ui.info(f"would not send: {line}")
        if report.already:
            skipped = counted(len(report.already), "send")
            ui.info(
                f"would skip {skipped} that already went out via {report.transport} "
                "(--force sends again)"
            )
        ui.info("dry run: nothing was sent")
        return
    what = "test " if test else ""
    if report.sent or report.verified:
        ui.info(
            f"sent {what}{report.digest_id} via {report.transport}: "
            f"{len(report.sent)} sent, {len(report.verified)} confirmed from an earlier run, "
            f"{len(report.already)} already sent"
        )
    elif report.already:
        ui.info(f"{report.digest_id} already went out via {report.transport}; nothing sent")


@cli.command()
@common
@click.argument("digest_id", required=False)
@click.option(
    "--test", "test_address", metavar="ADDRESS", help="Send to this address only, as [TEST]."
)
@click.option("--force", is_flag=True, help="Send again even if the ledger says it went out.")
@click.option(
    "--mark-sent",
    is_flag=True,
    help="Record the sends of DIGEST_ID a run attempted as sent (after checking they arrived).",
)
@click.option(
    "--mark-failed",
    is_flag=True,
    help="Record the sends of DIGEST_ID left pending as failed (after checking they did not "
    "arrive): the next send makes them again, and only them.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent to whom; send nothing.")
def send(
    ui: Ui,
    config: Config,
    digest_id: str | None,
    test_address: str | None,
    force: bool,
    mark_sent: bool,
    mark_failed: bool,
    dry_run: bool,
) -> None:
    """Deliver a rendered digest (default: the newest in the outbox) through the transport.

    With [digest] languages and no DIGEST_ID, the newest period's digest in every language,
    each to its language's audience.

    Exit codes: 0 sent or nothing to send; 2 configuration (a missing secret variable);
    3 not delivered after retries, safe to run again; 4 needs a person; 5 another run is
    sending; 6 the state folder cannot be written; 130 interrupted (syndicate --help has
    the whole table).
    """
    from .digest.editions import edition_of
    from .digest.outbox import read_outbox

    if test_address is not None:
        test_address = _test_address(test_address)
    if mark_sent or mark_failed:
        option = "--mark-sent" if mark_sent else "--mark-failed"
        if mark_sent and mark_failed:
            raise UsageError("--mark-sent and --mark-failed say opposite things", "give one")
        if not digest_id:
            raise UsageError(
                f"{option} needs the DIGEST_ID", f"e.g. syndicate send {option} 2024-W44"
            )
        mark = _mark_sent if mark_sent else _mark_failed
        mark(ui, config, read_outbox(config, digest_id))
        return
    for email in _to_send(config, digest_id):
        # Each language's digest goes to that language's audience (its own config).
        edition = edition_of(config, dict(email.summary))
        _send(ui, edition.config, email, force=force, test=test_address, dry_run=dry_run)


def _test_address(value: str) -> str:
    """The address `--test` gives; a mistyped one would be sent to, and recorded as tested."""
    from .delivery.base import email_address

    address = email_address(value)
    if address is None:
        raise UsageError(
            f"--test {value!r}: not an email address",
            "give one address, as --test you@example.org (or --test 'You <you@example.org>')",
        )
    return address


def _to_send(config: Config, digest_id: str | None) -> list[Email]:
    """The digest named, or the newest one with the same period's digest in every language."""
    from .digest.editions import edition_of, editions
    from .digest.outbox import read_outbox

    newest = read_outbox(config, digest_id)
    if digest_id or not config.digest.languages:
        return [newest]
    base = newest.digest_id.removesuffix(edition_of(config, dict(newest.summary)).suffix)
    ids = [base + edition.suffix for edition in editions(config)]
    found = [i for i in ids if (config.outbox_dir / i / "digest.json").is_file()]
    return [read_outbox(config, i) for i in found]


def _mark_failed(ui: Ui, config: Config, email: Email) -> None:
    from .delivery.records import mark_failed

    marked = mark_failed(config, email)
    transport, digest_id = config.delivery.transport, email.digest_id
    if not marked:
        ui.info(f"nothing to record: no send of {digest_id} via {transport} is pending")
        return
    ui.info(
        f"recorded {counted(marked, 'pending send')} of {digest_id} via {transport} as failed: "
        f"`syndicate send {digest_id}` makes {'it' if marked == 1 else 'them'} again"
    )


def _mark_sent(ui: Ui, config: Config, email: Email) -> None:
    from .delivery.records import mark_sent

    marked = mark_sent(config, email)
    transport, digest_id = config.delivery.transport, email.digest_id
    if marked.marked:
        sends = counted(marked.marked, "send")
        ui.info(f"recorded {digest_id} as sent via {transport} ({sends})")
    elif not marked.unsent:
        ui.info(
            f"nothing to record: the ledger has every send of {digest_id} via "
            f"{transport} as sent already"
        )
    if marked.unsent:
        # Nobody can have checked that a send no run attempted arrived: marking it would
        # make the digest look complete, and its readers would never get it.
        one = marked.unsent == 1
        raise DeliveryError(
            f"{digest_id} via {transport}: {counted(marked.unsent, 'planned send')} "
            f"{'was' if one else 'were'} never made and {'is' if one else 'are'} left unsent "
            "(the run that planned them stopped before it reached them)",
            f"send {'it' if one else 'them'}: syndicate send {digest_id} "
            "(what went out is not sent again)",
        )


@cli.command()
@common
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many ledger rows to show.",
)
def status(ui: Ui, config: Config, limit: int) -> None:
    """Show the ledger: recent digests, their state, and when and where they went."""
    from .delivery.records import status as read_status

    found = read_status(config, limit)
    if not found.rows:
        ui.info(f"nothing sent yet (ledger {ui.path(config.ledger_path)})")
        return
    header: tuple[str, ...] = ("digest", "transport", "kind", "chunk", "status", "tries", "updated")
    header += ("detail",)
    lines: list[tuple[str, ...]] = [
        (
            row.digest_id,
            row.transport,
            row.kind,
            row.chunk,
            row.status,
            str(row.attempts),
            row.updated_at.isoformat(timespec="seconds"),
            ui.shorten(row.last_error or row.provider_id or "")[:60],
        )
        for row in found.rows
    ]
    _print_table(ui, header, lines)
    for unsent in found.unsent:
        _unsent_lines(ui, config, unsent)
    if found.complete_through:
        ui.info(
            f"digests via {config.delivery.transport} are complete through "
            f"{found.complete_through.isoformat(timespec='seconds')}"
        )


def _unsent_lines(ui: Ui, config: Config, unsent: Unsent) -> None:
    """What `status` says of a digest with sends not made: those planned, and those an
    earlier run left pending (which `send` resolves, or asks a person about)."""
    ours = unsent.transport == config.delivery.transport
    which = f"{unsent.digest_id} via {unsent.transport}"
    if unsent.planned:
        how = f" (`syndicate send {unsent.digest_id}` makes them)" if ours else ""
        ui.info(
            f"{which}: {unsent.planned:,} of {counted(unsent.chunks, 'send')} planned and "
            f"not made yet{how}"
        )
    if unsent.pending:
        from .delivery.run import tells_arrival

        settled = f"`syndicate send {unsent.digest_id}` settles them"
        ask = (
            f"{unsent.transport} cannot tell whether they arrived: check, then record them "
            f"with `syndicate send --mark-sent {unsent.digest_id}` (they arrived) or "
            "`--mark-failed` (they did not)"
        )
        how = f": {settled if tells_arrival(unsent.transport) else ask}" if ours else ""
        ui.info(
            f"{which}: {counted(unsent.pending, 'send')} pending (an earlier run stopped "
            f"during {'it' if unsent.pending == 1 else 'them'}){how}"
        )


def _print_table(ui: Ui, header: tuple[str, ...], lines: list[tuple[str, ...]]) -> None:
    if ui.out.is_terminal:
        from rich.table import Table

        table = Table(*header)
        for line in lines:
            table.add_row(*(escape(cell) for cell in line))
        ui.out.print(table)
    else:  # plain columns for scripts and logs
        widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
        for line in [header, *lines]:
            ui.info("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


@cli.command()
@functools.partial(common, environment="development")  # as `hugo server` reads it
@content_options
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything beyond loopback only when given here.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
def serve(
    ui: Ui,
    config: Config,
    now: str | None,
    drafts: bool,
    future: bool,
    workers: int | None,
    no_cache: bool,
    host: str,
    port: int,
) -> None:
    """Build, serve the output folder, rebuild on every change, and preview feeds and digest.

    The preview page (/_preview/) shows every feed as a readable page, the OPML, and the digest
    at 600 and 375 pixels in light and dark colours, with its text part. Ctrl-C stops.
    """
    import threading

    from .build import load_site
    from .config import load_config
    from .dates import resolve_now
    from .serve import Preview, open_server, watch

    def load() -> Site:
        use_cache = False if no_cache else None
        current = load_config(config.path, "development")  # an edited config counts too
        return load_site(
            current, now, os.environ, drafts, future, workers=workers, use_cache=use_cache
        )

    def clock(tz: ZoneInfo) -> datetime:
        return resolve_now(now, os.environ, tz)

    preview = Preview(config, load, say=ui.error, clock=clock)
    server = open_server(preview, host, port)  # before building: a busy port fails fast
    ui.info(preview.rebuild())
    if host not in ("127.0.0.1", "localhost", "::1"):
        ui.problem(Problem("warning", None, f"listening on {host}: other machines can connect"))
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, stop, ui.info, ready), daemon=True)
    watcher.start()
    ready.wait(timeout=10)
    shown_host = f"[{host}]" if ":" in host else host
    ui.info(
        f"serving {ui.path(config.output_dir)} at http://{shown_host}:{server.server_port}/_preview/"
    )
    ui.info("watching for changes; Ctrl-C stops")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
        ui.info("stopped")


@cli.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
def init(folder: Path | None, quiet: bool) -> None:
    """Write syndicate.toml for the site in FOLDER (default: here): find its Hugo, Jekyll or
    Zola config, say what it derives, and hand the generator's feed files over."""
    from .config import load_config
    from .sites.init import init_site

    ui = Ui(quiet=quiet, root=folder or Path())
    written: Path | None = None
    notes: tuple[str, ...] = ()
    try:
        created = init_site(folder or Path())
        written = created.path
        notes = created.settings.notes if created.settings is not None else ()
        ui.info(f"wrote {created.path}")
        if created.settings is None:
            ui.info("no Hugo, Jekyll or Zola config found: set title and base_url in it")
            return
        _describe_site(ui, load_config(created.path), created.settings)
    except SyndicateError as exc:
        ui.failed(exc)
        if written is not None:  # the generator's config has a problem the file does not fix
            ui.info(
                f"{ui.path(written)} is kept: fix the problem above, or give the value under "
                "[site] in it, then run `syndicate check`"
            )
            for note in notes:  # what the site holds that a build will meet all the same
                ui.info(f"note: {note}")
        sys.exit(exc.exit_code)


def _describe_site(ui: Ui, config: Config, settings: SiteSettings) -> None:
    """What `init` found: the settings it derives, the posts, the generator's own feeds."""
    from .build import load_site
    from .sites.init import FILES_SHOWN, LABELS, adopt_globs

    label = LABELS[settings.generator]
    site = load_site(config, None, os.environ, use_cache=False)  # init writes one file only
    # The posts the summary line counts: drafts and future posts are not published.
    sections = Counter(p.section or "(the content folder itself)" for p in site.posts)
    read = some_of([str(ui.path(f)) for f in settings.files], FILES_SHOWN)
    ui.info(f"{label} site; read at every build: {read}")
    for name, value in (
        ("base URL", config.base_url),
        ("title", config.site.title),
        ("language", config.site.language),
        ("time zone", config.site.timezone),
        ("post sections", ", ".join(f"{s} ({n})" for s, n in sorted(sections.items()))),
    ):
        ui.info(f"  {name}: {value or '(none)'}")
    ui.info(f"  posts: {site.summary()}")
    if site.report.errors:
        ui.info(f"  {counted(len(site.report.errors), 'error')} in posts: run `syndicate check`")
    _describe_addresses(ui, config, settings, label)
    globs = adopt_globs(settings)
    if globs:
        shown = ", ".join(globs)
        ui.info(f"{label}'s own feeds in {ui.path(config.output_dir)}: {shown}; handed over")
        ui.info("  to syndicate in [output] adopt (it may replace them with its own)")
    if globs and settings.feeds_off:
        ui.info(f"  to stop {label} writing them: {settings.feeds_off}")
    for note in settings.notes:
        ui.info(f"note: {note}")
    ui.info(f"next: run {label}'s build, then `syndicate build`, then upload the output folder")


def _describe_addresses(ui: Ui, config: Config, settings: SiteSettings, label: str) -> None:
    """The generator's feed addresses `init` kept, and the pages they list that are no posts."""
    from .sites import generator

    if settings.addresses:
        kept = ", ".join(address for address, _ in settings.addresses)
        ui.info(f"{label}'s feed addresses kept in [feeds.addresses]: {kept}")
    others = generator(settings.generator).pages_in_feeds(config, Report())
    if others:  # counted from the generator's own templates: a theme's may list fewer
        ui.info(f"  {counted(others, 'page')} in {label}'s built-in feeds are not posts: left out")


@cli.command(name="new")
@common
@now_option
@click.argument("title")
@click.option("--bundle", is_flag=True, help="Create a page bundle (a folder with index.md).")
@click.option(
    "--section",
    help="The folder inside the content folder to create it in, new or not (default: the "
    "usual one).",
)
def new_command(
    ui: Ui, config: Config, now: str | None, title: str, bundle: bool, section: str | None
) -> None:
    """Create a draft post with complete front matter, in the style of the site's posts."""
    from .content.newpost import new_post, read_as_post

    path = new_post(config, title, _moment(config, now), bundle, section)
    ui.info(f"created {ui.path(path)}")
    if not read_as_post(config, path):
        ui.problem(
            Problem(
                "warning",
                None,
                f"{ui.path(path)} is not in a folder of posts: no feed will show it",
                "move it to the folder of the site's other posts, or leave out --section",
            )
        )


@cli.command()
@common
def ping(ui: Ui, config: Config) -> None:
    """Tell the WebSub hub which feeds changed since the last ping.

    Run it after the output folder is published: the hub fetches the feeds at once. Failures are
    reported and tried again next time; they never fail the command.
    """
    _ping(ui, config)


def _ping(ui: Ui, config: Config) -> None:
    if not config.feeds.hub:  # a site without WebSub: the recipes' next step must still run
        ui.info("no WebSub hub configured (feeds.hub): nothing to ping")
        return
    from .feeds.websub import ping as ping_hub  # and httpx, ~55 ms: only with a hub

    result = ping_hub(config)
    for url, reason in result.failed:
        ui.problem(Problem("warning", None, f"hub did not accept {url}: {reason}"))
    ui.summarise_hidden()  # the sixth and later, counted in one line
    ui.info(
        f"websub: {len(result.sent)} pinged, {result.unchanged} unchanged, "
        f"{len(result.failed)} failed"
    )


def _skipped(problem: Problem) -> Problem:
    if problem.severity != "error" or problem.kept:
        return problem
    # A message that says so already ("...; this post was skipped") is not told it twice.
    told = problem.message.endswith(("skipped", "skipped)"))
    message = problem.message if told else f"{problem.message} (skipped)"
    return Problem("warning", problem.location, message, problem.hint)


def main(argv: Iterable[str] | None = None) -> None:
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        cli.main(args=args, prog_name="syndicate", standalone_mode=True)
    except KeyboardInterrupt:  # before a command runs (see `_Commands`)
        _interrupted()
    except OSError as exc:
        if exc.errno not in _WRITE_FAULTS:
            _internal_error(exc, args)
        _write_fault(exc)
        sys.exit(EXIT_OUTPUT)
    except Exception as exc:
        _internal_error(exc, args)


_PERMISSIONS = (
    "let the user running syndicate read and write there, or point output_dir / state_dir in "
    "config.toml at a folder it may write"
)
# Faults of the machine, not of syndicate: the disk, the file system, the permissions.
_WRITE_FAULTS: dict[int, str] = {
    errno.ENOSPC: "the disk is full: free some space, then run again",
    errno.EFBIG: "the file is over a size limit (ulimit -f, or the file system's): raise the "
    "limit or free space, then run again",
    errno.EDQUOT: "the disk quota is used up: free some space or raise the quota, then run again",
    errno.EROFS: "the file system is read-only: mount it writable, or point output_dir / "
    "state_dir in config.toml at a writable folder",
    errno.EACCES: _PERMISSIONS,
    errno.EPERM: _PERMISSIONS,
}


def _write_fault(exc: OSError) -> None:
    # `path: error: reason`, as every other problem; EACCES may come from a read as well.
    where = f"{os.fsdecode(exc.filename)}: " if exc.filename is not None else ""
    err = console(stderr=True)
    err.print(f"{escape(where)}[bold red]error:[/bold red] {escape(exc.strerror or str(exc))}")
    err.print(f"  [cyan]hint:[/cyan] {escape(_WRITE_FAULTS[exc.errno or 0])}")


def _internal_error(exc: Exception, args: list[str]) -> NoReturn:
    """A bug: one line and exit 70, after the traceback with --verbose (for a bug report;
    the exit code stays 70, so a script tells a bug from a content problem either way)."""
    err = console(stderr=True)
    if "--verbose" in args or "-v" in args:
        import traceback

        sys.stderr.write("".join(traceback.format_exception(exc)))
        sys.stderr.flush()  # before rich's lines, which go out on their own
        more = "report it with the traceback above"
    else:
        more = "run again with --verbose for details"
    err.print(
        f"[bold red]internal error:[/bold red] {escape(type(exc).__name__)}: {escape(str(exc))}"
    )
    err.print(f"  [cyan]hint:[/cyan] this is a bug in syndicate; {more}")
    sys.exit(EXIT_INTERNAL)


# Commands that write files atomically (and, `digest --send`, record each delivery in the
# ledger as it is made, committed at once) and end within seconds.
_QUICK_EXIT = {"build", "check", "digest"}
_NO_COLLECTOR = {"build", "check"}  # see `build`


def run() -> None:
    """The `syndicate` program: `main`, then, after `build`, `check` or `digest`, an exit that
    skips tearing the interpreter down (freeing every object of a 10,000-post build takes
    40 ms, a tenth of a rebuild; a digest's 70-90 ms, a sixth of it). Everything is written,
    closed and flushed by then. `build` and `check` run without the cyclic garbage
    collector, as `build` explains."""
    args = sys.argv[1:]
    command = _command(args)
    if command not in _NO_COLLECTOR:
        gc.enable()  # off for start-up (see `entry.run`); these commands may run for hours
    if command not in _QUICK_EXIT:
        main(args)
        return
    ending_without_teardown()
    try:
        main(args)
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (`| head`) is no error
            stream.flush()
    os._exit(code or 0)


def _command(args: list[str]) -> str | None:
    """The command's name: the first word that is neither an option nor the value of the one
    option before the command that takes a value (`--config site.toml build`)."""
    words = iter(args)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


if __name__ == "__main__":  # pragma: no cover
    run()

__all__ = ["EXIT_USAGE", "cli", "main", "run"]
