"""The build, top to bottom: load config and posts, group them, render the feeds, write them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .config import Config
from .content import Loaded, LoadOptions, ParseContext, SourceFile, load_posts
from .dates import resolve_now
from .discovery import feeds_page, opml, stylesheet
from .errors import Problem, Report
from .feedset import FeedFile, FeedSet
from .items import ItemBuilder
from .markup import Renderer
from .model import Artifact, Post
from .output import WriteResult, write_artifacts
from .taxonomy import Taxonomy, build_taxonomy
from .urls import UrlResolver

FEED_SIZE_WARNING = 512 * 1024  # FeedBurner's old limit, still the de facto ceiling
Parser = Callable[[Sequence[SourceFile], ParseContext], Iterable[tuple[Post | None, list[Problem]]]]


@dataclass(slots=True)
class Site:
    """A loaded site: its posts, and the shared renderer every output uses."""

    config: Config
    now: datetime
    loaded: Loaded
    renderer: Renderer

    @property
    def posts(self) -> list[Post]:
        return self.loaded.posts

    @property
    def report(self) -> Report:
        return self.loaded.report

    def summary(self) -> str:
        loaded = self.loaded
        text = (
            f"{len(loaded.posts)} posts, {loaded.drafts} drafts skipped, "
            f"{loaded.future} future, {loaded.errors} errors"
        )
        return text + (f", {loaded.expired} expired" if loaded.expired else "")


def make_renderer(config: Config) -> Renderer:
    resolver = UrlResolver(config.base_url, config.static_dir)
    return Renderer(resolver, config.markdown.iframe_hosts)


def load_site(
    config: Config,
    now: str | None,
    env: Mapping[str, str],
    drafts: bool = False,
    future: bool = False,
    parse: Parser | None = None,
) -> Site:
    """Load every post. Raises ValueError for an unreadable `now`."""
    moment = resolve_now(now, env, config.tz)
    loaded = load_posts(config, LoadOptions(moment, drafts, future), parse)
    return Site(config, moment, loaded, make_renderer(config))


@dataclass(slots=True)
class BuildResult:
    feeds: list[FeedFile]
    written: WriteResult
    report: Report = field(default_factory=Report)

    def lines(self) -> list[str]:
        channels = {(f.channel.kind, f.channel.slug) for f in self.feeds}
        per_kind = Counter(kind for kind, _ in channels)
        per_format = Counter(f.format for f in self.feeds)
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(per_kind.items()))
        formats = ", ".join(f"{n} {fmt}" for fmt, n in sorted(per_format.items()))
        return [f"feeds for {kinds}: {len(self.feeds)} files ({formats})", self.written.line()]


def feed_artifacts(site: Site) -> tuple[list[FeedFile], list[Artifact], Taxonomy]:
    config = site.config
    report = Report()
    taxonomy = build_taxonomy(config, site.posts, report)
    site.report.extend(report)
    feedset = FeedSet(config, ItemBuilder(config, site.renderer, taxonomy), site.now)
    feeds: list[FeedFile] = []
    artifacts: list[Artifact] = []
    for feed, artifact in feedset.documents(taxonomy.channels):
        feeds.append(feed)
        artifacts.append(artifact)
        if len(artifact.data) > FEED_SIZE_WARNING:
            site.report.warning(
                None,
                f"{artifact.path} is {len(artifact.data) // 1024} KB; many readers and proxies "
                f"give up on feeds over {FEED_SIZE_WARNING // 1024} KB",
                'lower feeds.limit, or set content = "summary" for this grouping',
            )
    newest = max((p.modified for p in taxonomy.site().posts), default=site.now)
    artifacts += [opml(config, feeds, newest), feeds_page(config, feeds)]
    if config.feeds.stylesheet:
        artifacts.append(stylesheet())
    return feeds, artifacts, taxonomy


def write_feeds(config: Config, site: Site) -> BuildResult:
    """Render every feed and write the output folder; stale feeds of earlier builds are removed."""
    before = len(site.report.problems)
    feeds, artifacts, _ = feed_artifacts(site)
    written = write_artifacts(config.output_dir, artifacts, owner="build")
    return BuildResult(feeds, written, Report(site.report.problems[before:]))
