"""The command line: the only place that prints, and that chooses exit codes.

Exit codes: 0 success; 1 content errors; 2 usage or configuration errors; 3 a digest not
delivered after retries (safe to run again); 4 a delivery that needs a person; 5 another run
holds the lock.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from . import __version__
from .config import Config, load_config
from .errors import EXIT_CONTENT, EXIT_USAGE, Location, Problem, Report, SyndicateError

F = TypeVar("F", bound=Callable[..., Any])


class Ui:
    """Messages on stderr, colour only on a terminal; results on stdout."""

    def __init__(self, quiet: bool = False, verbose: bool = False) -> None:
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.out = Console(highlight=False, soft_wrap=True)
        self.quiet = quiet
        self.verbose = verbose

    def info(self, text: str) -> None:
        if not self.quiet:
            self.out.print(escape(text))

    def detail(self, text: str) -> None:
        if self.verbose:
            self.err.print(f"[dim]{escape(text)}[/dim]")

    def problem(self, problem: Problem) -> None:
        if problem.severity == "warning" and self.quiet:
            return
        where = f"{_relative(problem.location)}: " if problem.location else ""
        style = "bold red" if problem.severity == "error" else "yellow"
        self.err.print(
            f"{escape(where)}[{style}]{problem.severity}:[/{style}] {escape(problem.message)}"
        )
        if problem.hint:
            self.err.print(f"  [cyan]hint:[/cyan] {escape(problem.hint)}")

    def report(self, report: Report) -> None:
        for problem in report.problems:
            self.problem(problem)

    def error(self, message: str, hint: str | None = None) -> None:
        self.problem(Problem("error", None, message, hint))


def _relative(location: Location) -> str:
    """Paths under the working directory are shown relative to it: shorter, and clickable."""
    try:
        path = location.path.relative_to(Path.cwd())
    except ValueError:
        path = location.path
    return str(Location(path, location.line))


def common(func: F) -> F:
    """Options every command takes."""

    @click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=Path("config.toml"),
        show_default=True,
        help="The site's config.toml; relative paths in it are relative to its folder.",
    )
    @click.option("--quiet", "-q", is_flag=True, help="Print errors only.")
    @click.option("--verbose", "-v", is_flag=True, help="Print more detail.")
    @functools.wraps(func)
    def wrapper(*args: Any, config_path: Path, quiet: bool, verbose: bool, **kwargs: Any) -> Any:
        ui = Ui(quiet=quiet, verbose=verbose)
        try:
            config = load_config(config_path)
            return func(*args, ui=ui, config=config, **kwargs)
        except SyndicateError as exc:
            for line in getattr(exc, "problems", [exc.message]):
                ui.error(line, exc.hint)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def now_option(func: F) -> F:
    return click.option(
        "--now",
        metavar="ISO-8601",
        help="Treat this as the current time (default: SOURCE_DATE_EPOCH, else the clock).",
    )(func)


def content_options(func: F) -> F:
    func = click.option("--drafts", is_flag=True, help="Include posts marked draft.")(func)
    func = click.option("--future", is_flag=True, help="Include posts dated after now.")(func)
    return now_option(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syndicate")
def cli() -> None:
    """Turn a folder of Markdown posts into feeds and a weekly digest email."""


def _load(ui: Ui, config: Config, now: str | None, drafts: bool, future: bool) -> Any:
    from .build import load_site

    try:
        return load_site(
            config, now=now, env=os.environ, drafts=drafts, future=future, parse=_progress(ui)
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--now") from None


def _progress(ui: Ui) -> Any:
    """A parser that shows a progress bar for large folders, on a terminal only."""
    from .content import parse_file

    def parse(sources: Any, ctx: Any) -> Any:
        if len(sources) < 500 or ui.quiet or not ui.err.is_terminal:
            return [parse_file(s, ctx) for s in sources]
        with Progress(console=ui.err, transient=True) as bar:
            task = bar.add_task("reading posts", total=len(sources))
            out = []
            for source in sources:
                out.append(parse_file(source, ctx))
                bar.advance(task)
            return out

    return parse


@cli.command()
@common
@content_options
def check(ui: Ui, config: Config, now: str | None, drafts: bool, future: bool) -> None:
    """Report every problem in config and content; exit 1 if any is an error."""
    site = _load(ui, config, now, drafts, future)
    ui.report(site.report)
    ui.info(site.summary())
    if site.report.errors:
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
def build(
    ui: Ui,
    config: Config,
    now: str | None,
    drafts: bool,
    future: bool,
    strict: bool,
    then_ping: bool,
) -> None:
    """Load the posts and write every feed into the output folder."""
    from .build import write_feeds

    started = time.perf_counter()
    site = _load(ui, config, now, drafts, future)
    if strict:
        ui.report(site.report)
    else:  # a broken post is skipped, and the build goes on
        ui.report(Report([_skipped(p) for p in site.report.problems]))
    ui.info(site.summary())
    if strict and site.report.errors:
        ui.error("--strict: content errors found; nothing was written")
        sys.exit(EXIT_CONTENT)
    result = write_feeds(config, site)
    ui.report(result.report)
    for line in result.lines():
        ui.info(line)
    ui.info(f"done in {time.perf_counter() - started:.2f}s")
    if then_ping:
        _ping(ui, config)


@cli.command()
@common
@now_option
@click.option("--week", metavar="YYYY-Www", help="An ISO week, e.g. 2024-W44.")
@click.option("--since", metavar="DATETIME", help="Start of the period (inclusive).")
@click.option("--until", metavar="DATETIME", help="End of the period (exclusive; default now).")
@click.option("--allow-empty", is_flag=True, help="Write a digest even with no new posts.")
def digest(
    ui: Ui,
    config: Config,
    now: str | None,
    week: str | None,
    since: str | None,
    until: str | None,
    allow_empty: bool,
) -> None:
    """Render the digest email of a period (default: the last complete ISO week).

    Writes outbox/<id>/ (email.html, email.txt, message.eml, digest.json) and the web version
    at <output>/digests/<id>/. A period without new posts writes nothing and exits 0.
    """
    from .build import choose_period, make_digest

    if week and (since or until):
        raise click.UsageError("use either --week or --since/--until")
    site = _load(ui, config, now, False, False)
    ui.report(Report([_skipped(p) for p in site.report.problems]))
    try:
        period = choose_period(config, site.now, week, since, until)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    outcome = make_digest(site, period, allow_empty)
    if outcome.result is None:
        ui.info(f"no new posts between {period.describe()}; no digest written")
        return
    email = outcome.result.email
    for warning in outcome.result.warnings:
        ui.problem(Problem("warning", None, warning))
    ui.info(f"digest {email.digest_id}: {len(outcome.posts)} posts, subject “{email.subject}”")
    ui.info(f"wrote {outcome.outbox} (HTML {len(email.html.encode()) / 1024:.1f} KB)")
    ui.info(f"web version: {email.web_url}")


@cli.command()
@common
def ping(ui: Ui, config: Config) -> None:
    """Tell the WebSub hub which feeds changed since the last ping.

    Run it after the output folder is published: the hub fetches the feeds at once. Failures are
    reported and tried again next time; they never fail the command.
    """
    _ping(ui, config)


def _ping(ui: Ui, config: Config) -> None:
    from .websub import ping as ping_hub

    if not config.feeds.hub:
        ui.error("no WebSub hub configured", "set feeds.hub in config.toml")
        sys.exit(EXIT_USAGE)
    result = ping_hub(config)
    for url, reason in result.failed:
        ui.problem(Problem("warning", None, f"hub did not accept {url}: {reason}"))
    ui.info(
        f"websub: {len(result.sent)} pinged, {result.unchanged} unchanged, "
        f"{len(result.failed)} failed"
    )


def _skipped(problem: Problem) -> Problem:
    if problem.severity != "error":
        return problem
    return Problem("warning", problem.location, f"{problem.message} (skipped)", problem.hint)


def main(argv: Iterable[str] | None = None) -> None:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="syndicate")
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["EXIT_USAGE", "cli", "main"]
