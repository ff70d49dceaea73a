"""The build, top to bottom: load config and posts, group them, render the feeds, write them.

Rebuilds are incremental: posts come from the build cache unless their file changed, HTML is
rendered only for posts some feed shows and only once, and a feed whose inputs did not change
is neither generated nor written.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import (
    BuildCache,
    LastBuild,
    Row,
    build_inputs,
    content_digest,
    parse_and_digest,
    static_listing,
    unpack,
)
from .config import Config
from .content import (
    Discovered,
    Loaded,
    LoadOptions,
    ParseContext,
    SourceFile,
    load_posts,
)
from .dates import Window, parse_datetime, resolve_now
from .errors import Problem, Report
from .feedset import Document, FeedFile, FeedSet, image_sizes
from .items import ItemBuilder
from .markup import Renderer
from .model import Artifact, Post
from .output import Writer, WriteResult, read_manifest, write_artifacts
from .parallel import parallel_map, worker_count
from .periods import Period, between, iso_week, last_complete_week
from .plan import make_plan
from .taxonomy import Taxonomy, build_taxonomy
from .urls import UrlResolver

if TYPE_CHECKING:  # the digest pulls in premailer, slow to import: only `digest` needs it
    from .digest import DigestResult

FEED_SIZE_WARNING = 512 * 1024  # FeedBurner's old limit, still the de facto ceiling
Result = tuple[Post | None, list[Problem]]
Parser = Callable[[Sequence[SourceFile], ParseContext], Iterable[Result]]
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Site:
    """A loaded site: its posts, and the shared renderer every output uses."""

    config: Config
    now: datetime
    loaded: Loaded
    renderer: Renderer
    cache: BuildCache | None = None
    workers: int = 1
    flags: tuple[bool, bool] = (False, False)

    @property
    def posts(self) -> list[Post]:
        return self.loaded.posts

    @property
    def report(self) -> Report:
        return self.loaded.report

    def summary(self) -> str:
        """What was loaded. Problems are not counted here: the command line counts them as it
        labels them (a broken post is an error in `check`, a skipped post in `build`)."""
        loaded = self.loaded
        parts = [_counted(len(loaded.posts), "post"), f"{_counted(loaded.drafts, 'draft')} skipped"]
        parts.append(f"{loaded.future:,} future")
        if loaded.errors:
            parts.append(f"{_counted(loaded.errors, 'broken post')} left out")
        if loaded.expired:
            parts.append(f"{loaded.expired:,} expired")
        return ", ".join(parts)


def _counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def make_renderer(config: Config, cache: BuildCache | None = None) -> Renderer:
    resolver = UrlResolver(config.base_url, config.static_dir)
    if cache is None:
        return Renderer(resolver, config.markdown.iframe_hosts)
    return Renderer(resolver, config.markdown.iframe_hosts, cache.html, cache.summaries)


def open_cache(config: Config) -> BuildCache:
    ctx = ParseContext.from_config(config)
    return BuildCache.load(config.state_dir, ctx, static_listing(config))


def remember_build(
    config: Config,
    sources: list[SourceFile],
    flags: tuple[bool, bool],
    window: Window,
    summary: str,
    result: BuildResult,
) -> None:
    """Record what this build read and wrote, for the next build's "nothing changed" check."""
    inputs = build_inputs(config, sources, flags, time.time_ns())
    if inputs is None:
        return  # files too fresh to be judged by their times next time
    manifest = read_manifest(config.output_dir)
    outputs = {}
    for rel in sorted(p for p, owner in manifest.items() if owner == "build"):
        try:
            outputs[rel] = (config.output_dir / rel).stat().st_size
        except OSError:
            return
    last = LastBuild(inputs, window[1], summary, result.lines()[:1], outputs, window[0])
    last.save(config.state_dir)


def _digest_or_none(source: SourceFile) -> str | None:
    try:
        return content_digest(source)
    except OSError:
        return None  # parse_file reports it


def cached_parser(cache: BuildCache | None, workers: int, progress: Progress | None) -> Parser:
    """Parse only files the cache does not hold, on `workers` processes."""

    def parse(sources: Sequence[SourceFile], ctx: ParseContext) -> list[Result]:
        results: list[Result | None] = [None] * len(sources)
        todo: list[int] = []
        for i, source in enumerate(sources):
            entry = cache.fresh_by_stat(source) if cache else None
            if entry is not None and cache is not None:
                results[i] = cache.result(entry, source.path)
                continue
            known = cache.files.get(source.file) if cache else None
            if cache is not None and known is not None and _digest_or_none(source) == known.digest:
                results[i] = cache.result(known, source.path)  # touched, not changed
                cache.retime(source, known)
            else:
                todo.append(i)
        work = [sources[i] for i in todo]
        # Workers hash what they parse: each new file is read once.
        parsed = parallel_map(functools.partial(parse_and_digest, ctx=ctx), work, workers)
        for done, (i, (hashed, packed)) in enumerate(zip(todo, parsed, strict=True), 1):
            results[i] = unpack(packed, sources[i].path)
            if cache is not None and hashed is not None:
                cache.remember_packed(sources[i], hashed, packed)
            if progress:
                progress(done, len(todo))
        if cache is not None:
            cache.forget_missing({s.file for s in sources})
        return [r for r in results if r is not None]

    return parse


def load_site(
    config: Config,
    now: str | None,
    env: Mapping[str, str],
    drafts: bool = False,
    future: bool = False,
    parse: Parser | None = None,
    *,
    use_cache: bool | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    discovered: Discovered | None = None,
) -> Site:
    """Load every post. Raises ValueError for an unreadable `now`."""
    moment = resolve_now(now, env, config.tz)
    use_cache = config.build.cache if use_cache is None else use_cache
    cache = open_cache(config) if use_cache else None
    count = worker_count(config.build.workers if workers is None else workers)
    parser = parse or cached_parser(cache, count, progress)
    loaded = load_posts(config, LoadOptions(moment, drafts, future), parser, discovered)
    renderer = make_renderer(config, cache)
    return Site(config, moment, loaded, renderer, cache, count, (drafts, future))


@dataclass(slots=True)
class BuildResult:
    feeds: list[FeedFile]
    written: WriteResult
    report: Report = field(default_factory=Report)
    rendered: int = 0
    generated: int = 0

    def lines(self) -> list[str]:
        channels = {(f.channel.kind, f.channel.slug) for f in self.feeds}
        per_kind = Counter(kind for kind, _ in channels)
        per_format = Counter(f.format for f in self.feeds)
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(per_kind.items()))
        formats = ", ".join(f"{n} {fmt}" for fmt, n in sorted(per_format.items()))
        return [
            f"feeds for {kinds}: {len(self.feeds)} files ({formats})",
            f"rendered {self.rendered} posts, generated {self.generated} feeds, "
            + self.written.line().removeprefix("files: "),
        ]


@dataclass(slots=True)
class FeedOutput:
    feeds: list[FeedFile]
    artifacts: list[Artifact]
    unchanged: list[str]
    taxonomy: Taxonomy
    rendered: int

    def add(self, artifact: Artifact, sink: Callable[[Artifact], None] | None) -> None:
        """Keep a new artifact, and hand it to `sink` (the writer) at once."""
        self.artifacts.append(artifact)
        if sink is not None:
            sink(artifact)


def feed_artifacts(site: Site, sink: Callable[[Artifact], None] | None = None) -> FeedOutput:
    """Every feed document (and OPML, feeds page); each new artifact also goes to `sink` as
    soon as it is made, so it can be written while the next is generated."""
    config = site.config
    report = Report()
    taxonomy = build_taxonomy(config, site.posts, report)
    site.report.extend(report)
    builder = ItemBuilder(config, site.renderer, taxonomy)
    previous = site.cache.feeds if site.cache else {}
    feedset = FeedSet(config, builder, site.now, previous)
    documents = feedset.plan(taxonomy.channels)
    rendered = site.renderer.prefetch(feedset.posts_shown(documents), site.workers)
    out = FeedOutput([], [], [], taxonomy, rendered)
    generate(site.report, feedset.documents(documents, site.workers), out, sink)
    newest = max((p.modified for p in taxonomy.site().posts), default=site.now)
    from .discovery import feeds_page, opml, stylesheet  # a quick rebuild keeps these as they are

    pages = [opml(config, out.feeds, newest), feeds_page(config, out.feeds)]
    pages += [stylesheet()] if config.feeds.stylesheet else []
    for artifact in pages:
        out.add(artifact, sink)
    if site.cache is not None:
        site.cache.feeds = feedset.fingerprints
        site.cache.plan = _plan(site, documents, taxonomy, report, out)
    return out


def generate(
    report: Report,
    documents: Iterable[tuple[FeedFile, Artifact | None]],
    out: FeedOutput,
    sink: Callable[[Artifact], None] | None = None,
) -> None:
    """Collect the generated documents (None: unchanged since the last build), passing each
    new one to `sink`; warn about big ones."""
    for feed, artifact in documents:
        out.feeds.append(feed)
        if artifact is None:
            out.unchanged.append(feed.path)
            continue
        out.add(artifact, sink)
        if len(artifact.data) > FEED_SIZE_WARNING:
            report.warning(
                None,
                f"{artifact.path} is {len(artifact.data) // 1024} KB; many readers and proxies "
                f"give up on feeds over {FEED_SIZE_WARNING // 1024} KB",
                'lower feeds.limit, or set content = "summary" for this grouping',
            )


def _plan(
    site: Site,
    documents: Sequence[Document],
    taxonomy: Taxonomy,
    report: Report,
    out: FeedOutput,
) -> Row | None:
    if site.loaded.duplicates:
        return None  # which of two clashing posts wins depends on every post: no shortcuts
    plan = make_plan(
        site.config.path.read_bytes(),
        site.flags,
        site.loaded.window(),
        site.summary(),
        documents,
        taxonomy,
        report.problems,
        image_sizes(documents),
    )
    plan.outputs = {a.path: len(a.data) for a in out.artifacts}
    assert site.cache is not None
    plan.outputs.update({p: site.cache.feeds[p][1] for p in out.unchanged})
    return plan.to_row()


def write_feeds(config: Config, site: Site) -> BuildResult:
    """Render every feed and write the output folder; stale feeds of earlier builds are removed."""
    before = len(site.report.problems)
    writer = Writer(config.output_dir, owner="build")
    try:
        out = feed_artifacts(site, writer.add)
    except BaseException:
        writer.finish(prune=False)  # what was written is recorded; nothing else is touched
        raise
    writer.keep += out.unchanged
    written = writer.finish()
    generated = len(out.feeds) - len(out.unchanged)
    result = BuildResult(
        out.feeds, written, Report(site.report.problems[before:]), out.rendered, generated
    )
    if site.cache is not None:
        if site.cache.dirty or out.rendered or generated or written.written:
            site.cache.save()
        loaded = site.loaded
        remember_build(config, loaded.sources, site.flags, loaded.window(), site.summary(), result)
    return result


# --- the digest ------------------------------------------------------------------------------


@dataclass(slots=True)
class DigestOutcome:
    period: Period
    posts: list[Post]
    result: DigestResult | None = None
    outbox: Path | None = None
    written: WriteResult | None = None


def choose_period(
    config: Config,
    now: datetime,
    week: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Period:
    """The period asked for; by default the last complete ISO week. Raises ValueError."""
    tz = config.tz
    if week:
        return iso_week(week, tz)
    if since or until:
        start = parse_datetime(since, tz) if since else None
        end = parse_datetime(until, tz) if until else now
        if start is None:
            raise ValueError("--until needs --since")
        assert end is not None
        return between(start, end, tz)
    return last_complete_week(now, tz)


def make_digest(site: Site, period: Period, allow_empty: bool = False) -> DigestOutcome:
    """Render the period's digest and write its outbox folder and public web version."""
    from .archive import public_artifacts, write_outbox
    from .digest import DigestRenderer, posts_in

    config = site.config
    posts = posts_in(period, site.posts)
    outcome = DigestOutcome(period, posts)
    if len(posts) < config.digest.min_posts and not allow_empty:
        return outcome
    result = DigestRenderer(config, site.renderer).render(period, posts)
    outcome.result = result
    outcome.outbox = write_outbox(config, result.email)
    artifacts = public_artifacts(config, result.email, result.web_html)
    outcome.written = write_artifacts(config.output_dir, artifacts, owner="digest", prune=False)
    return outcome
