"""The build, top to bottom: load config and posts, group them, render the feeds, write them.

Rebuilds are incremental: posts come from the build cache unless their file changed, HTML is
rendered only for posts some feed shows and only once, and a feed whose inputs did not change
is neither generated nor written.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .config import Config
from .content.loader import (
    Discovered,
    Loaded,
    LoadOptions,
    ParseContext,
    SourceFile,
    bundle_pages,
    discover,
    load_posts,
    parse_file,
    ready_to_parse,
    tag_id_warning,
)
from .content.markdown import Finding, Renderer, problems_found, renderer_for
from .content.syntax.refs import (
    UNRESOLVED,
    RefIndex,
    content_folders,
    page_addresses,
    post_names,
    site_tree,
    translations,
)
from .datatype import datatype
from .dates import Window, parse_datetime, resolve_now
from .digest.periods import Period, between, iso_week, last_complete_week
from .errors import Location, Problem, RefusedError, Report, UsageError, counted
from .feeds.channels import Taxonomy, build_taxonomy
from .feeds.documents import Document, FeedFile, FeedSet, image_sizes
from .feeds.items import ItemBuilder
from .feeds.newsletter import DIGEST_FEEDS, build_settings, published_digest_feeds
from .incremental.cache import (
    BuildCache,
    LastBuild,
    Parsed,
    Row,
    build_inputs,
    cache_key,
    content_digest,
    loaded_row,
    parse_digest_and_record,
    problem_row,
    recent_files,
    unpack,
)
from .incremental.feed_plan import LoadingPlan, SyntaxPlan, make_plan
from .incremental.pool import Running, choose, ready_to_fork, start_map_shared, worker_count
from .incremental.shortcut import (
    BuildEvents,
    BuildOptions,
    BuildOutcome,
    Progress,
    broken_files,
    loaded,
    may_use_cache,
)
from .lifetime import ends_at_once, hold
from .model import Artifact, Post
from .output import (
    Writer,
    WriteResult,
    output_place,
    read_manifest,
    require_content,
    write_artifacts,
)
from .tables import save_unsaved

if TYPE_CHECKING:  # the digest pulls in premailer, slow to import: only `digest` needs it;
    # the quick rebuild imports this module
    from zoneinfo import ZoneInfo

    from .digest.editions import Edition
    from .digest.render import DigestResult
    from .incremental.ahead import Ahead
    from .incremental.parse_ahead import Parsers
    from .incremental.quick_rebuild import Rebuilt

FEED_SIZE_WARNING = 512 * 1024  # FeedBurner's old limit, still the de facto ceiling
Result = tuple[Post | None, list[Problem]]
# Files (whose UNSTATED times and sizes it fills in) -> their results, in order.
Parser = Callable[[list[SourceFile], ParseContext], Iterable[Result]]
# Files a user may have meant as posts, listed when a first build finds none.
TEXT_SUFFIXES = frozenset(
    {".txt", ".text", ".html", ".htm", ".rst", ".adoc", ".asciidoc", ".org", ".mdx", ".mdown"}
    | {".mkd", ".mkdn", ".markdn"}
)
SHOWN_LEFT_OUT = 10


@datatype(frozen=False)
class Site:
    """A loaded site: its posts, and the shared renderer every output uses."""

    config: Config
    now: datetime
    loaded: Loaded
    renderer: Renderer
    cache: BuildCache | None = None
    workers: int = 1
    flags: tuple[bool, bool] = (False, False)
    # With template syntax: the refs posts may name, and what expanding each post found.
    refs: RefIndex | None = None
    findings: list[Finding] = field(default_factory=list)
    # Where the report holds the problems of `findings` (`problems_found`), after what reading
    # the posts reported: serve's edits in memory replace both (`incremental.live`).
    syntax_span: tuple[int, int] = (0, 0)
    # How many files a site without posts left out, once its warnings are in the report
    # (`note_empty_site`); None until then.
    left_out: int | None = None
    ahead: Ahead | None = None  # the child that rendered posts ahead, and writes files

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
        parts = [counted(len(loaded.posts), "post"), f"{counted(loaded.drafts, 'draft')} skipped"]
        parts.append(f"{loaded.future:,} future")
        if loaded.errors:
            parts.append(f"{counted(loaded.errors, 'broken post')} left out")
        if loaded.expired:
            parts.append(f"{loaded.expired:,} expired")
        return ", ".join(parts)


def make_renderer(config: Config, cache: BuildCache | None = None) -> Renderer:
    if cache is None:
        return renderer_for(config)
    return renderer_for(config, cache.html, cache.summaries)


def open_cache(config: Config) -> BuildCache:
    return BuildCache.load(config.state_dir, cache_key(config))


def remember_build(
    config: Config,
    cache: BuildCache,
    sources: list[SourceFile],
    flags: tuple[bool, bool],
    window: Window,
    summary: str,
    result: BuildResult,
    problems: Sequence[Problem] = (),
    grouping: Sequence[Problem] = (),
    sizes: Mapping[str, int] | None = None,
) -> None:
    """Record what this build read and wrote, what reading the posts reported (`problems`),
    and what grouping them reported and its big feeds, for the next build's "nothing changed"
    check, which says them again. `sizes`: the size of each file the build wrote, or found
    as it left it, which need no stat (ropensci.org's 4,514: ~30 ms). The cache is optional:
    failing to write it is a warning."""
    save_unsaved()  # the validated config, when this build made the state folder
    inputs = build_inputs(config, sources, flags)
    recent = _read_digests(cache, recent_files(sources, time.time_ns()))
    if recent is None:
        return
    manifest = read_manifest(output_place(config))
    outputs, folder = {}, config.output_dir
    known = sizes or {}
    for rel in sorted(p for p, owner in manifest.items() if owner == "build"):
        size = known.get(rel)
        try:
            outputs[rel] = size if size is not None else (folder / rel).stat().st_size
        except OSError:
            return
    last = LastBuild(inputs, window[1], summary, result.lines()[:1], outputs, window[0])
    last.problems = [list(problem_row(p)) for p in problems]
    last.later = [list(problem_row(p)) for p in [*grouping, *big_feed_warnings(result.report)]]
    last.recent = recent
    try:
        last.save(config.state_dir)
    except OSError as exc:
        cache_warning(result.report, LastBuild.path(config.state_dir), exc)


def _read_digests(cache: BuildCache, sources: Sequence[SourceFile]) -> dict[str, str] | None:
    """The digest of what this build read of each of `sources`, which the cache holds for every
    file changed within a second of its last save (`BuildCache.stale` reads them again); None
    if one is missing, and the next build then reads every file."""
    found = {source.file: cache.files.get(source.file) for source in sources}
    if any(entry is None for entry in found.values()):
        return None
    return {file: entry.digest for file, entry in found.items() if entry is not None}


def cache_warning(report: Report, path: Path, exc: OSError | str) -> None:
    reason = exc if isinstance(exc, str) else f"cannot write: {exc.strerror or exc}"
    report.warning(
        Location(path),
        f"build cache: {reason}; the build went on without it",
        "the next build reads every post again; check the state folder's permissions and space",
    )


def save_cache(config: Config, cache: BuildCache, result: BuildResult) -> None:
    """Save the cache if this build changed it; a cache that cannot be read or written is a
    warning, never a failed build."""
    if cache.trouble:
        cache_warning(result.report, cache.path, cache.trouble)
    if cache.dirty or result.rendered or result.generated or result.written.written:
        try:
            cache.save()
        except OSError as exc:
            cache_warning(result.report, cache.path, exc)


def _digest_or_none(source: SourceFile) -> str | None:
    try:
        return content_digest(source)
    except OSError:
        return None  # parse_file reports it


# Parsing a file takes ~0.4 ms: below this many, workers save less than starting them costs
# (~50 ms on 2 cores; a build of 100 posts took 0.13-0.15 s to load them on 2 workers, 0.06-0.09 s
# here).
MIN_PARSED = 256


def cached_parser(
    cache: BuildCache | None,
    workers: int,
    progress: Progress | None,
    renderer: Renderer | None = None,
    meanwhile: Callable[[], None] | None = None,
    ahead: ParsesAhead | None = None,
) -> Parser:
    """Parse only files the cache does not hold, on `workers` processes; with `renderer`'s
    template syntax, each new post's shortcodes are expanded there too, for their problems,
    while its body is at hand (reading the 7,234 bodies again took a tenth of the bench's html
    corpus's cold build). `meanwhile` runs here while workers parse (not when this process
    parses by itself): between loading and rendering, a build runs on one core. `ahead`: the
    processes that parse the files before this is asked (a first build's)."""
    early = renderer.early_record if renderer is not None and renderer.expands_syntax else None

    def parse(sources: list[SourceFile], ctx: ParseContext) -> list[Result]:
        """Each file's result, in order; a file discovery left UNSTATED gets its time and size
        in `sources` from the read."""
        results: list[Result | None] = [None] * len(sources)
        todo = _from_cache(cache, sources, results)
        work = [sources[i] for i in todo]
        forked = ahead is None and choose(workers, len(work), MIN_PARSED) == "fork"
        if forked:
            ready_to_parse()
        # Workers hash what they parse: each new file is read once.
        if ahead is not None:
            parsed: Running[Parsed] = ahead.parsed_all(work, partial(_parse_one, (ctx, early)))
        else:
            parsed = start_map_shared(_parse_one, (ctx, early), work, workers, MIN_PARSED)
        try:
            if (forked or ahead is not None) and meanwhile is not None:
                meanwhile()  # while others parse, when this process mostly waits
            for done, (i, parsed_file) in enumerate(zip(todo, parsed, strict=True), 1):
                hashed, packed, record, stated = parsed_file
                if stated is not None:  # the time and size discovery left to the read
                    sources[i] = sources[i]._replace(mtime_ns=stated[0], size=stated[1])
                results[i] = post, _ = unpack(packed, sources[i].path)
                if renderer is not None and post is not None and record is not None:
                    renderer.remember_early(post, record)
                if cache is not None and hashed is not None:
                    cache.remember_packed(sources[i], hashed, packed)
                if progress:
                    progress(done, len(todo))
        finally:
            parsed.close()
        if cache is not None:
            cache.forget_missing({s.file for s in sources})
        return [r for r in results if r is not None]

    return parse


class ParsesAhead(Protocol):
    """What parses the post files before the build asks for them (`incremental.ahead`,
    `incremental.parse_ahead`): each, in order, as it did, or as `parse` does."""

    def parsed_all(
        self, sources: Sequence[SourceFile], parse: Callable[[SourceFile], Parsed]
    ) -> Running[Parsed]: ...


def _from_cache(
    cache: BuildCache | None, sources: list[SourceFile], results: list[Result | None]
) -> list[int]:
    """Each file's result the cache holds, into `results`; returns where the others are."""
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
    return todo


def _parse_one(
    shared: tuple[ParseContext, Callable[[Post], str | None] | None], source: SourceFile
) -> Parsed:
    """Runs in a worker, or here: one file read once, hashed and parsed."""
    return parse_digest_and_record(source, *shared)


def ready_to_build(config: Config, renderer: Renderer, fork_next: bool = False) -> None:
    """What a build needs before the first document, done while others parse the posts: the
    Markdown parser made, the feeds page compiled, and, with `fork_next` (the posts are
    rendered on workers next), what forking them needs imported (`pool.ready_to_fork`)."""
    from .feeds.listing import prepare_pages  # deferred: slow to import

    renderer.ready_to_render()
    prepare_pages(config)
    if fork_next:
        ready_to_fork()


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
    to_render: bool = False,
    ahead: Ahead | None = None,
    parsers: Parsers | None = None,
) -> Site:
    """Load every post; `to_render`: the posts will be rendered next (a build), so the parser is
    made while workers parse them (`Renderer.ready_to_render`), and the feeds page compiled;
    `ahead`: the child that parses them first, sends their bodies and renders them
    (`incremental.ahead`); `parsers`: the children that parse them (`incremental.parse_ahead`).
    Raises UsageError for an unreadable `now` (or SOURCE_DATE_EPOCH), ConfigError for a
    missing content folder."""
    require_content(config)
    moment = resolve_now(now, env, config.tz)
    use_cache = config.build.cache if use_cache is None else use_cache
    cache = open_cache(config) if use_cache else None
    count = worker_count(config.build.workers if workers is None else workers)
    renderer = make_renderer(config, cache)
    renderer.use_refs(UNRESOLVED)  # until every post is loaded (see `early_record`)
    if ahead is not None:
        renderer.use_ahead(ahead)  # the bodies it reads too, for the records made here
    forks = parsers is not None  # the children parse: the build forks first to render
    meanwhile = partial(ready_to_build, config, renderer, forks) if to_render else None
    parser = parse or cached_parser(cache, count, progress, renderer, meanwhile, ahead or parsers)
    loaded = load_posts(config, LoadOptions(moment, drafts, future), parser, discovered)
    # Template syntax: every post's shortcodes expanded once (kept with its HTML), for problems
    # that `check` lists and `build --strict` fails on.
    site = Site(config, moment, loaded, renderer, cache, count, (drafts, future), ahead=ahead)
    read = len(loaded.report.problems)  # what reading the posts reported ends here
    site.syntax_span = (read, read)
    if renderer.expands_syntax:  # the index costs a path operation per post: only when used
        site.refs = RefIndex(
            config.content_dir,
            config.base_url,
            loaded.posts,
            loaded.all_posts,
            pages=page_addresses(config),
            translation=translations(config),
            tree=site_tree(config, moment),
            names=post_names(config),
            folders=content_folders(config),
        )
        renderer.use_refs(site.refs)
        site.findings = renderer.syntax_findings(loaded.posts, count)
        folder = config.markdown.shortcodes_dir
        loaded.report.problems.extend(problems_found(site.findings, folder))
        site.syntax_span = (read, len(loaded.report.problems))
    return site


@datatype(frozen=False)
class BuildResult:
    feeds: list[FeedFile]
    written: WriteResult
    report: Report = field(default_factory=Report)
    rendered: int = 0
    generated: int = 0
    skipped: int = 0  # files left out or broken: one line even with --quiet
    output: FeedOutput | None = None  # what was made: `serve` keeps it (incremental/live.py)

    def lines(self) -> list[str]:
        channels = {(f.channel.kind, f.channel.path) for f in self.feeds}  # a language's own
        per_kind = Counter(kind for kind, _ in channels)
        per_format = Counter(f.format for f in self.feeds)
        kinds = ", ".join(f"{n} {_kind_word(kind, n)}" for kind, n in sorted(per_kind.items()))
        formats = ", ".join(f"{n} {fmt}" for fmt, n in sorted(per_format.items()))
        return [
            f"feeds for {kinds}: {len(self.feeds)} files ({formats})",
            f"rendered {counted(self.rendered, 'post')}, "
            f"generated {counted(self.generated, 'feed')}, "
            + self.written.line().removeprefix("files: "),
        ]


# A kind of channel as the summary counts it: one, or several (a multilingual site's feeds are
# one site per language).
_KIND_WORDS = {
    "site": ("site", "sites"),
    "authors": ("author", "authors"),
    "categories": ("category", "categories"),
    "tags": ("tag", "tags"),
    "series": ("series", "series"),
    "sections": ("section", "sections"),
}


def _kind_word(kind: str, count: int) -> str:
    one, more = _KIND_WORDS.get(kind, (kind, kind))
    return one if count == 1 else more


@datatype(frozen=False)
class FeedOutput:
    feeds: list[FeedFile]
    artifacts: list[Artifact]
    unchanged: list[str]
    taxonomy: Taxonomy
    rendered: int
    documents: list[Document] = field(default_factory=list)  # every feed document planned
    feedset: FeedSet | None = None  # what made them, with its items and entries built
    sizes: dict[str, int] = field(default_factory=dict)  # each new artifact's path and size
    grouping: list[Problem] = field(default_factory=list)  # what grouping the posts reported

    def owned_sizes(self, fingerprints: Mapping[str, tuple[str, int]]) -> dict[str, int]:
        """Each file the build owns, by size: written now, or a document left as it was, by
        the size `FeedSet` found it on disk with (`fingerprints`)."""
        return {**{p: fingerprints[p][1] for p in self.unchanged}, **self.sizes}

    def add(self, artifact: Artifact, sink: Callable[[Artifact], None] | None) -> None:
        """Hand a new artifact to `sink` (the writer) at once, keeping only its size; without
        a sink, keep the artifact. Kept until the build ended, the documents were the largest
        thing it held (39 MB of the 1,000-post bench site's ~100 MB peak), each page of them
        one more fault to the system."""
        self.sizes[artifact.path] = artifact.size
        if sink is not None:
            sink(artifact)
        else:
            self.artifacts.append(artifact)


def feed_artifacts(
    site: Site,
    sink: Callable[[Artifact], None] | None = None,
    claim: Callable[[list[str]], None] | None = None,
) -> FeedOutput:
    """Every feed document (and OPML, feeds page); each new artifact also goes to `sink` as
    soon as it is made, so it can be written while the next is generated. `claim` gets every
    path first, before anything is made (the writer refuses files that are not ours)."""
    config = site.config
    report = Report()
    taxonomy = build_taxonomy(config, site.posts, report)
    site.report.extend(report)
    builder = ItemBuilder(config, site.renderer, taxonomy)
    previous = site.cache.feeds if site.cache else {}
    feedset = FeedSet(config, builder, site.now, previous)
    documents = feedset.plan(taxonomy.channels)
    from .feeds.listing import listing_paths, prepare_pages, stylesheet_paths  # slow to import

    style = stylesheet_paths(config) if config.feeds.stylesheet else []
    # Read before the workers fork: each post read after it is a page of memory copied (the
    # refcounts), 7 MB at 10,000 posts.
    newest = max((p.modified for p in taxonomy.site().posts), default=site.now)
    # The posts render on every core while the documents that show them are made here.
    rendering = site.renderer.rendering(feedset.posts_shown(documents), site.workers)
    out = FeedOutput([], [], [], taxonomy, 0, documents, feedset, grouping=report.problems)
    try:
        if claim is not None:  # while the posts render (a stat a file: ~55 ms for 4,514)
            claim([d.path for d in documents] + listing_paths(config) + style)
        prepare_pages(config)  # before the first document goes to the writer
        for artifact in _listing(config, feedset, documents, newest, style):
            out.add(artifact, sink)
        made = feedset.documents(documents, rendering.until)
        generate(made, out, sink)
        warn_big_feeds(site.report, out.feeds, feedset.fingerprints, config.feeds.addresses)
        # The last pool of a build: when the process ends at once, nothing forks after it, and
        # its workers are left to end on their own (waiting for them took 9-13 ms).
        out.rendered = rendering.finish(wait=not ends_at_once())
    finally:
        rendering.close()
    if site.cache is not None:
        site.cache.feeds = feedset.fingerprints
        site.cache.plan = _plan(site, documents, taxonomy, report, out)
    return out


def _listing(
    config: Config,
    feedset: FeedSet,
    documents: Sequence[Document],
    newest: datetime,
    style: list[str],
) -> list[Artifact]:
    """The OPML files, feeds pages and stylesheets. They list every feed the plan has, so they
    are made while the workers render the posts, before the documents: after them, they held
    one core at the end of the build (ropensci.org's 4,502 feeds: 109-115 ms). `newest`: when
    the site's newest post changed."""
    from .feeds.listing import listing_pages, stylesheet

    pages = listing_pages(config, [feedset.feed_file(d) for d in documents], newest)
    return pages + [stylesheet(path) for path in style]


def generate(
    documents: Iterable[tuple[FeedFile, Artifact | None]],
    out: FeedOutput,
    sink: Callable[[Artifact], None] | None = None,
) -> None:
    """Collect the generated documents (None: unchanged since the last build), passing each
    new one to `sink`."""
    for feed, artifact in documents:
        out.feeds.append(feed)
        if artifact is None:
            out.unchanged.append(feed.path)
            continue
        out.add(artifact, sink)


def warn_big_feeds(
    report: Report,
    feeds: Iterable[FeedFile],
    fingerprints: Mapping[str, tuple[str, int]],
    addresses: Collection[str],
) -> None:
    """A warning for each of `feeds` over FEED_SIZE_WARNING, by its size as `fingerprints`
    (`FeedSet.fingerprints`) has it: generated now, or left as the last build wrote it (a feed
    stays too big until it is made smaller, and is warned of at every build, the
    nothing-changed ones included)."""
    for feed in feeds:
        size = fingerprints[feed.path][1] if feed.path in fingerprints else 0
        if size > FEED_SIZE_WARNING:
            report.warning(
                None,
                f"{_BIG_FEED}{FEED_SIZE_WARNING // 1024} KB: {feed.path} is {size // 1024} KB, "
                "and many readers and proxies give up on such feeds",
                _smaller(feed, addresses),
            )


def big_feed_warnings(report: Report) -> list[Problem]:
    """The warnings of `warn_big_feeds` in `report`, which the record of a build keeps for the
    nothing-changed shortcut to say again."""
    return [p for p in report.problems if p.message.startswith(_BIG_FEED)]


_BIG_FEED = "feed over "  # how `warn_big_feeds`'s warnings start


def _smaller(feed: FeedFile, addresses: Collection[str]) -> str:
    """What makes `feed` smaller: the limit that applies to it (an address's own: `[feeds]
    limit` does not reach it), and where its content mode is set."""
    kind = feed.channel.kind
    content = (
        '[feeds] content = "summary"'
        if kind == "site"
        else f'[feeds.groups.{kind}] content = "summary" (or [feeds] content, for all)'
    )
    if feed.path in addresses:
        where = f'[feeds.addresses."{feed.path}"]'
        return f"lower `limit` of {where} (0 is every post), or set {content}"
    if kind == "site":
        return f"lower [feeds] limit, or set {content}"
    return f"lower [feeds] limit (or [feeds.groups.{kind}] limit), or set {content}"


def _plan(
    site: Site,
    documents: Sequence[Document],
    taxonomy: Taxonomy,
    report: Report,
    out: FeedOutput,
) -> Row | None:
    plan = make_plan(
        build_settings(site.config),
        site.flags,
        site.loaded.window(),
        site.summary(),
        documents,
        taxonomy,
        report.problems,
        image_sizes(documents),
    )
    assert site.cache is not None
    plan.outputs = out.owned_sizes(site.cache.feeds)
    plan.syntax = _syntax_plan(site)
    plan.loading = _loading_plan(site)
    return plan.to_row()


def _loading_plan(site: Site) -> LoadingPlan | None:
    """What loading gave posts beyond reading each alone (`feed_plan.LoadingPlan`): on a Hugo
    site, where an edited post's image may be another page's file, and where posts clash."""
    loaded = site.loaded
    generator = site.config.generator
    hugo = generator is not None and generator.generator == "hugo"
    if not hugo and not loaded.duplicates:
        return None
    shown = {id(post) for post in loaded.posts}  # the pages Hugo builds
    return LoadingPlan(
        {file: loaded_row(post) for file, post in loaded.read_with_others.items()},
        [problem_row(p) for p in loaded.clash_problems],
        sorted(loaded.found_images),
        list(bundle_pages(loaded.all_posts, lambda post: id(post) in shown)) if hugo else [],
    )


def _syntax_plan(site: Site) -> SyntaxPlan | None:
    if site.refs is None:
        return None
    findings = {f.source: f.to_row() for f in site.findings}
    return SyntaxPlan(site.refs.state(), [str(p.source) for p in site.posts], findings)


def write_feeds(
    config: Config, site: Site, *, adopt: bool = False, allow_shrink: bool = False
) -> BuildResult:
    """Render every feed and write the output folder; stale feeds of earlier builds are removed.
    Raises RefusedError, before writing anything, for a file not ours in the way (unless
    `adopt`) or a site under half the size of the last build (unless `allow_shrink`);
    OutputError when the output or state folder cannot be written."""
    skipped = note_empty_site(site)  # with what reading found: the shortcut shows them too
    before = len(site.report.problems)
    # A file where there was none is not flushed to disk (a cold build's 226 files held the
    # writer's threads 0.3-0.6 s on an ext4 disk): the next build checks each file's size
    # against the one recorded here (`remember_build`, the cache's plan) before it trusts it.
    place = output_place(config, adopt)
    lanes = site.ahead.lanes() if site.ahead is not None else None  # the child writes too
    writer = Writer(place, owner="build", posts=len(site.posts), flush_new=False, lanes=lanes)
    with writer.making():
        guard_shrink(config, writer.manifest.posts, len(site.posts), allow_shrink)
        out = feed_artifacts(site, writer.add, writer.claim)
    writer.keep += out.unchanged
    written = writer.finish()
    generated = len(out.feeds) - len(out.unchanged)
    result = BuildResult(
        out.feeds, written, Report(site.report.problems[before:]), out.rendered, generated
    )
    result.skipped = site.loaded.errors + skipped
    result.output = out
    if site.cache is not None:
        save_cache(config, site.cache, result)
        loaded = site.loaded
        # Said again by the next build when nothing changed: what reading and grouping the
        # posts reported (a term's two spellings), as the plan keeps the grouping's too.
        read = site.report.problems[:before]
        window, summary = loaded.window(), site.summary()
        sources, flags = loaded.sources, site.flags
        sizes = out.owned_sizes(site.cache.feeds)
        remember_build(
            config, site.cache, sources, flags, window, summary, result, read, out.grouping, sizes
        )
    return result


def guard_shrink(config: Config, last: int | None, posts: int, allow_shrink: bool) -> None:
    """Refuse a build under half the size of the last one (`last` posts, from the manifest).
    Raises RefusedError."""
    if last is not None and posts * 2 < last and not allow_shrink:
        raise RefusedError(
            f"this build found {posts} posts, under half of the {last} the last build "
            "published; nothing was replaced",
            f"{_where_posts_go(config)}; if the site really shrank, build with --allow-shrink",
        )


# Where a generator reads posts, as the advice of an empty or shrunk site says it.
_POSTS_GO = {
    "jekyll": "Jekyll's posts are dated files in _posts/ (_posts/2024-01-02-title.md)",
    "hugo": "Hugo's posts are in a section below its content folder, e.g. {content}/posts/",
    "zola": "Zola's posts are in a section below its content folder (a folder with an "
    "_index.md), e.g. {content}/blog/",
}


def _where_posts_go(config: Config) -> str:
    """Why a build found far fewer posts than the last, most likely."""
    if config.generator is not None:
        return f"likely causes: posts moved out of where they go ({_posts_go(config)})"
    return (
        f"likely causes: site.content_dir ({_shown(config, config.content_dir)}) is the wrong "
        "folder, posts were moved to the top of it (files there are pages, not posts) or to a "
        "folder not in site.main_sections"
    )


def _posts_go(config: Config) -> str:
    """Where this site's posts go: the generator's place for them, or syndicate's own."""
    if config.generator is not None:
        content = _shown(config, config.content_dir)
        return _POSTS_GO[config.generator.generator].format(content=content)
    return "posts go in a folder below the content folder (a section), e.g. content/posts/"


def note_empty_site(site: Site) -> int:
    """A site without posts: the warnings listing the files left out (`empty_site`), added to
    its report once, whoever asks first (`build` before it says what it read, `check`, or
    `write_feeds`); how many files were left out (0 for a site with posts)."""
    if site.left_out is None:
        problems, site.left_out = ([], 0) if site.posts else empty_site(site.config)
        site.report.problems.extend(problems)
    return site.left_out


def empty_site(config: Config) -> tuple[list[Problem], int]:
    """The warnings of a site where no post was found, listing the files left out and why,
    and how many were left out (`build` and `check` both show them)."""
    found = left_out_files(config)
    where = _posts_go(config)
    left = counted(len(found), "file")
    if not found:
        headline, hint = "no posts found", f"a post with a problem is skipped (see above); {where}"
    elif all(file.placed for file in found):
        headline, hint = f"no posts found: {left} left out by where it is", where
    else:  # files the generator publishes, but not as posts (`NotAPost`): each says why
        headline, hint = f"no posts found: {left} left out, each for the reason shown", None
    problems = [Problem("warning", Location(config.content_dir), headline, hint)]
    for file in found[:SHOWN_LEFT_OUT]:
        problems.append(Problem("warning", Location(file.path), f"left out: {file.why}"))
    if len(found) > SHOWN_LEFT_OUT:
        more = len(found) - SHOWN_LEFT_OUT
        problems.append(Problem("warning", None, f"...and {more} more files left out"))
    return problems, len(found)


def _shown(config: Config, path: Path) -> str:
    """`path` as the user wrote it: relative to the config file's folder when inside it."""
    root = config.root.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


class LeftOut(NamedTuple):
    path: Path
    why: str
    placed: bool  # left out by where it is; else by what it is (its generator's `NotAPost`)


def left_out_files(config: Config, limit: int = 10_000) -> list[LeftOut]:
    """Files in the content folder that a reader may take for posts and that are not, and why
    (the rules of `content.discover`; of the site's generator, for a file it publishes but not
    as a post: `NotAPost`); at most `limit` entries are looked at."""
    root = config.content_dir
    sections = set(config.site.main_sections)
    published = _not_posts(config) if config.generator is not None else {}
    found: list[LeftOut] = []
    seen = 0
    # What the site writes is never a post: a Jekyll site's content folder holds its _site/;
    # nor is what is in Jekyll's own folders (_layouts, _includes; its posts are `published`).
    written = {os.path.realpath(config.output_dir), os.path.realpath(config.state_dir)}
    jekyll = config.generator is not None and config.generator.generator == "jekyll"
    skipped = (".", "_") if jekyll else (".",)
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(skipped)
            and os.path.realpath(os.path.join(folder, d)) not in written
        )
        rel = Path(folder).relative_to(root).parts
        for name in sorted(f for f in files if not f.startswith(".")):
            seen += 1
            path = os.path.join(folder, name)
            if (real := os.path.realpath(path)) in published:
                why = published[real]
                if why is not None:
                    found.append(LeftOut(Path(path), why, placed=False))
            elif jekyll:
                if name.lower().endswith((".md", ".markdown")):
                    why = "Jekyll makes a page of it, not a post: posts are dated files in _posts/"
                    found.append(LeftOut(Path(path), why, placed=True))
            elif (why := _left_out(rel, name, sections)) is not None:
                found.append(LeftOut(Path(path), why, placed=True))
        if seen > limit:
            break
    return found


def _not_posts(config: Config) -> dict[str, str | None]:
    """The files the site's generator publishes, by their real paths (a generator may find
    them through a link, or a `..`, that the folder's own walk does not take), each with why
    it is not a post (None: it is one, or a problem with it was reported)."""
    ctx = ParseContext.from_config(config)
    found: dict[str, str | None] = {}
    for source in discover(config, Report()):
        reasons: list[str] = []
        parse_file(source, ctx, not_a_post=reasons)
        found[os.path.realpath(source.file)] = reasons[0] if reasons else None
    return found


def _left_out(rel: tuple[str, ...], name: str, sections: set[str]) -> str | None:
    suffix = os.path.splitext(name)[1].lower()
    is_markdown = suffix in (".md", ".markdown")
    if not is_markdown:
        return (
            f"unsupported extension {suffix} (posts are .md or .markdown files)"
            if suffix in TEXT_SUFFIXES
            else None
        )
    if name.startswith("_index."):
        return "a section page (_index)"  # the home page's too, at the top
    if not rel:
        return "a page: files at the top of the content folder are pages, not posts"
    if sections and rel[0] not in sections:
        return f"its folder {rel[0]} is not in site.main_sections"
    if name.startswith("index.") and len(rel) == 1:
        return "a page bundle at the top of a section is a page"
    return None


# --- the commands ---------------------------------------------------------------------------


def run_build(
    config: Config,
    options: BuildOptions,
    events: BuildEvents,
    discovered: Discovered | None = None,
    ahead: Ahead | None = None,
    parsers: Parsers | None = None,
) -> BuildOutcome:
    """`syndicate build` after `shortcut.begin_build` found something changed (`discovered`: the
    post files it found, None when the cache is not to be used): the quick rebuild when only
    edits that move no post between feeds were made, else load every post and write every feed
    (with the posts `ahead` renders, or the files `parsers` parse, when given).
    Raises UsageError for an unreadable `now`, ContentError with --strict when a post has an
    error, and what `write_feeds` raises."""
    now = resolve_now(options.now, options.env, config.tz)  # an unreadable `now` comes first
    if discovered is not None and may_use_cache(config, options):
        rebuilt = _quick_rebuild(config, options, now, discovered)
        if rebuilt is not None:
            loaded(events, options, rebuilt.problems, rebuilt.summary)
            return _outcome(rebuilt.result, broken_files(rebuilt.problems))
    site = _read(config, options, events, discovered, True, ahead, parsers)
    hold(site)  # not freed on the way out when the process ends at once (`lifetime`)
    note_empty_site(site)  # the files left out, counted with what reading found
    loaded(events, options, site.report.problems, site.summary())
    result = write_feeds(config, site, adopt=options.adopt, allow_shrink=options.allow_shrink)
    return _outcome(result, result.skipped)


def _quick_rebuild(
    config: Config, options: BuildOptions, now: datetime, discovered: Discovered
) -> Rebuilt | None:
    from .incremental.quick_rebuild import rebuild  # it builds on this module

    workers = worker_count(config.build.workers if options.workers is None else options.workers)
    return rebuild(config, now, discovered, options.flags, workers, options.strict)


@datatype(frozen=False)
class CheckOutcome:
    report: Report  # every problem in config and content
    summary: str


def run_check(config: Config, options: BuildOptions, events: BuildEvents) -> CheckOutcome:
    """`syndicate check`: read every post, group them as a build does (names that make one term
    are problems too), and collect every problem; nothing is written. Raises UsageError for an
    unreadable `now`, ConfigError for a missing content folder."""
    resolve_now(options.now, options.env, config.tz)  # an unreadable `now` comes first
    site = _read(config, options, events)
    hold(site)
    build_taxonomy(config, site.posts, site.report)
    if (ids := tag_id_warning(config)) is not None:
        site.report.problems.append(ids)
    note_empty_site(site)
    return CheckOutcome(site.report, site.summary())


def _read(
    config: Config,
    options: BuildOptions,
    events: BuildEvents,
    discovered: Discovered | None = None,
    to_render: bool = False,
    ahead: Ahead | None = None,
    parsers: Parsers | None = None,
) -> Site:
    with events.reading() as progress:
        return load_site(
            config,
            options.now,
            options.env,
            options.drafts,
            options.future,
            use_cache=options.use_cache,
            workers=options.workers,
            progress=progress,
            discovered=discovered,
            to_render=to_render,
            ahead=ahead,
            parsers=parsers,
        )


def _outcome(result: BuildResult, skipped: int) -> BuildOutcome:
    written = result.written
    return BuildOutcome(result.report, result.lines(), written.written, written.deleted, skipped)


# --- the digest ------------------------------------------------------------------------------


@datatype(frozen=False)
class DigestOutcome:
    period: Period
    posts: list[Post]
    result: DigestResult | None = None
    outbox: Path | None = None
    written: WriteResult | None = None
    # The feeds pages and OPML files the first digest made list its feeds, and those it left
    # to the next build (`_list_digests`).
    listed: list[str] = field(default_factory=list)
    not_listed: list[str] = field(default_factory=list)


def choose_period(
    config: Config,
    now: datetime,
    week: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Period:
    """The period asked for; by default the last complete ISO week. Raises UsageError naming
    the option that cannot be used."""
    tz = config.tz
    if week:
        return iso_week(week, tz)
    if since or until:
        start = _option_date("--since", since, tz)
        end = _option_date("--until", until, tz) or now
        if start is None:
            raise UsageError("--until needs --since", "give the start of the period with --since")
        return between(start, end, tz)
    return last_complete_week(now, tz)


def _option_date(option: str, value: str | None, tz: ZoneInfo) -> datetime | None:
    try:
        return parse_datetime(value, tz)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def make_digest(
    site: Site, period: Period, allow_empty: bool = False, edition: Edition | None = None
) -> DigestOutcome:
    """Render the period's digest in one edition (by default the default language's) and
    write its outbox folder and public web version."""
    from .digest.editions import default_edition
    from .digest.outbox import write_outbox
    from .digest.render import DigestRenderer, posts_in
    from .digest.webcopy import public_artifacts

    edition = edition or default_edition(site.config)
    config = edition.config
    period = edition.period(period)
    posts = edition.posts(posts_in(period, site.posts))
    outcome = DigestOutcome(period, posts)
    if len(posts) < config.digest.min_posts and not allow_empty:
        return outcome
    result = DigestRenderer(config, site.renderer, edition=edition).render(period, posts)
    outcome.result = result
    outcome.outbox = write_outbox(config, result.email, result.web_html)
    artifacts = public_artifacts(config, result.email, result.web_html, edition)
    # The feeds page and OPML file list the digests' feeds once they are published: the first
    # digest's (or the first since they were removed) changes them.
    first = not edition.code and len(published_digest_feeds(config)) < len(DIGEST_FEEDS)
    listing = Listing(site) if first else None
    before = listing.pages() if listing is not None else []
    place = output_place(config)
    outcome.written = write_artifacts(place, artifacts, owner="digest", prune=False)
    if listing is not None:
        outcome.listed, outcome.not_listed = _list_digests(site, before, listing.pages())
    return outcome


class Listing:
    """The feeds a build of `site` writes, planned without generating one (`feed_artifacts`),
    for its OPML files and feeds pages (`pages`)."""

    def __init__(self, site: Site) -> None:
        config = site.config
        taxonomy = build_taxonomy(config, site.posts, Report())
        feedset = FeedSet(config, ItemBuilder(config, site.renderer, taxonomy), site.now)
        self.config = config
        self.feeds = [feedset.feed_file(doc) for doc in feedset.plan(taxonomy.channels)]
        self.newest = max((p.modified for p in taxonomy.site().posts), default=site.now)

    def pages(self) -> list[Artifact]:
        """The OPML files and feeds pages, with the digests' feeds published by now."""
        from .feeds.listing import listing_pages  # deferred: slow to import

        return listing_pages(self.config, self.feeds, self.newest)


def _list_digests(
    site: Site, before: Sequence[Artifact], after: Sequence[Artifact]
) -> tuple[list[str], list[str]]:
    """Bring the feeds pages and OPML files up to date with the digests' feeds just published:
    each becomes what a build writes now (`after`), but only where it is what a build of these
    very posts wrote before (`before`) and the build's own in the manifest. Where the last
    build saw other posts (drafts, a post come due since, an edit), the digest would list feeds
    that are not in the output folder, or leave out some that are: the next build lists the
    digests' feeds.
    Returns the files written and those left to the next build. Raises OutputError."""
    config = site.config
    place = output_place(config)
    owners = read_manifest(place)
    changed: list[Artifact] = []
    left: list[str] = []
    for old, new in zip(before, after, strict=True):
        if old.joined() == new.joined():
            continue  # another language's, which lists no digests' feed
        try:
            there = (config.output_dir / new.path).read_bytes()
        except OSError:
            continue  # no build wrote it, or the site's generator removed it: a build writes it
        if there == old.joined() and owners.get(new.path) == "build":
            changed.append(new)
        elif there != new.joined():
            left.append(new.path)
    if changed:
        write_artifacts(place, changed, owner="build", prune=False)
    return [a.path for a in changed], left
