"""The quick rebuild: when the only changes since the last build are edits that leave every
post in the same feeds at the same place (`cache.membership`), regenerate just the documents
that show an edited post, from the last build's plan (`feed_plan.py`), without loading every post.

Anything else (a post added, removed or re-dated, a term changed, settings changed, an earlier
`--now`, an output file touched, an enclosure resized, an error) returns None, and the full
build runs. Both give the same bytes; tests/test_cache.py compares them.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from ..build import (
    BuildResult,
    FeedOutput,
    generate,
    make_renderer,
    open_cache,
    remember_build,
    save_cache,
    warn_big_feeds,
)
from ..config import Config
from ..content.loader import Discovered, ParseContext, SourceFile, image_warning, settle_edited
from ..content.markdown import Finding, Renderer, problems_found
from ..content.syntax.refs import (
    RefIndex,
    content_folders,
    page_addresses,
    site_tree,
    translations,
)
from ..datatype import datatype
from ..dates import within
from ..errors import Problem, Report
from ..feeds.channels import feed_languages
from ..feeds.documents import FeedSet, image_sizes
from ..feeds.items import ItemBuilder, file_size
from ..feeds.newsletter import build_settings
from ..model import Post
from ..output import Writer, output_place
from .cache import (
    BuildCache,
    Entry,
    Packed,
    outputs_intact,
    parse_and_digest,
    paused_collection,
    row_problem,
    stored_membership,
    unpack,
    with_loaded,
)
from .feed_plan import BuildPlan, LoadingPlan, SyntaxPlan

MAX_EDITS = 64  # beyond this, the full build's parallel parsing is the faster way
Edited = dict[str, tuple[SourceFile, Packed, str]]
# Each edited post as a full build loads it, and what loading it reports, by file.
Read = dict[str, tuple[Post | None, list[Problem]]]


@datatype(frozen=False)
class Rebuilt:
    problems: list[Problem]  # what reading the posts reported, as a full build reports it
    summary: str
    result: BuildResult


def rebuild(
    config: Config,
    now: datetime,
    discovered: Discovered,
    flags: tuple[bool, bool],
    workers: int,
    strict: bool = False,
) -> Rebuilt | None:
    """The build's result, or None when a full build is needed."""
    # Its work is small and makes little garbage; collections would walk the loaded cache.
    with paused_collection():
        return _rebuild(config, now, discovered, flags, workers, strict)


def _rebuild(
    config: Config,
    now: datetime,
    discovered: Discovered,
    flags: tuple[bool, bool],
    workers: int,
    strict: bool,
) -> Rebuilt | None:
    sources, found = discovered
    if found:
        return None
    cache = open_cache(config)
    plan = _trusted_plan(config, cache, now, flags)
    if plan is None:
        return None
    renderer = make_renderer(config, cache)
    if renderer.expands_syntax != (plan.syntax is not None):
        return None
    ctx = ParseContext.from_config(config)
    edited = _edits(cache, sources, ctx)
    if edited is None:
        return None
    read = _as_loaded(edited, plan.loading, ctx)
    problems = _problems(cache, sources, read, plan.loading)
    if plan.syntax is not None:
        syntax = _syntax_problems(config, renderer, plan.syntax, read, now)
        if syntax is None:
            return None
        problems += syntax
    if strict and any(p.severity == "error" for p in problems):
        return None  # the full build reports them and writes nothing
    for source, packed, hashed in edited.values():
        cache.remember_packed(source, hashed, packed)
    result = _write(config, cache, renderer, plan, read, now, workers)
    save_cache(config, cache, result)
    grouped = plan.report_problems()  # as a full build records them
    window, summary = plan.window, plan.summary
    # The plan's outputs: each written now, or found intact before (`_trusted_plan`).
    sizes = plan.outputs
    remember_build(config, cache, sources, flags, window, summary, result, problems, grouped, sizes)
    return Rebuilt(problems, plan.summary, result)


def _trusted_plan(
    config: Config, cache: BuildCache, now: datetime, flags: tuple[bool, bool]
) -> BuildPlan | None:
    if cache.plan is None:
        return None
    plan = BuildPlan.from_row(cache.plan)
    if plan.key != BuildPlan.make_key(build_settings(config), flags):
        return None
    if not within(plan.window, now):
        return None
    if not outputs_intact(config.output_dir, plan.outputs):
        return None
    if any(d.path not in cache.feeds for d in plan.docs):
        return None
    if any(file_size(Path(path)) != size for path, size in plan.images.items()):
        return None  # an enclosure's length is in every feed that shows its post
    return plan


def _edits(cache: BuildCache, sources: list[SourceFile], ctx: ParseContext) -> Edited | None:
    """The files whose content changed, parsed; None if any changed more than its content."""
    stale = cache.stale(sources)
    if stale is None or len(stale) > MAX_EDITS:
        return None
    edited: Edited = {}
    for source, entry in stale:
        hashed, packed = parse_and_digest(source, ctx)  # one read: the hash says if it changed
        if hashed is None:
            return None
        if hashed == entry.digest:  # touched, not changed
            cache.retime(source, entry)
            continue
        if not _same_place(entry, packed):
            return None
        edited[source.file] = (source, packed, hashed)
    return edited


def _same_place(entry: Entry, packed: Packed) -> bool:
    blob, problems = packed
    if blob is None or entry.blob is None:
        return False
    if stored_membership(blob) != stored_membership(entry.blob):
        return False
    return not any(p[0] == "error" for p in (*problems, *entry.problems))


def _as_loaded(edited: Edited, loading: LoadingPlan | None, ctx: ParseContext) -> Read:
    """Each edited post as a full build loads it (its problems too), from what loading gave
    it last time (`LoadingPlan`, kept up to date): its `-<section>` suffix, which its
    unchanged address, date and path still give it; its image and bundle files, settled
    among the site's bundle pages."""
    read: Read = {}
    for path, (source, packed, _) in edited.items():
        alone, problems = unpack(packed, source.path)
        if alone is None or loading is None:
            read[path] = (alone, problems)
            continue
        post = alone
        given = loading.changed.get(path)
        if given is not None and (given[0], given[1]) != (alone.permalink, alone.id):
            post = dataclasses.replace(post, permalink=given[0], id=given[1])
        post, problems = settle_edited(post, problems, loading.bundles, ctx)
        loading.remember(path, alone, post)
        read[path] = (post, problems)
    return read


def _problems(
    cache: BuildCache, sources: list[SourceFile], read: Read, loading: LoadingPlan | None
) -> list[Problem]:
    """What loading every post reports, as a full build does: what reading each file did
    (less the warnings of images found elsewhere), then the clashes."""
    out: list[Problem] = []
    files = cache.files
    found = set(loading.found) if loading is not None else set()
    for source in sources:
        key = source.file
        if key in read:
            out.extend(read[key][1])
        elif rows := files[key].problems:  # most files have none: no generator made for them
            problems = [row_problem(p) for p in rows]
            out.extend(p for p in problems if key not in found or not image_warning(p))
    if loading is not None:
        out.extend(row_problem(p) for p in loading.clashes)
    return out


def _syntax_problems(
    config: Config, renderer: Renderer, syntax: SyntaxPlan, read: Read, now: datetime
) -> list[Problem] | None:
    """What a full build reports of every post's template syntax, expanding only the edited
    posts (kept in `syntax` for the next rebuild). No post moved, so every ref names what it
    named; None (a full build) when one now resolves elsewhere all the same: a page it names
    was added or removed."""
    refs = RefIndex.from_state(
        config.content_dir,
        config.base_url,
        syntax.refs,
        page_addresses(config),
        translations(config),
        site_tree(config, now),
        content_folders(config),
    )
    renderer.use_refs(refs)
    findings = syntax.findings
    for path, row in findings.items():
        if path not in read and not renderer.refs_hold(Finding.from_row(row).record, path):
            return None
    published = set(syntax.order)
    for path, (post, _) in read.items():
        findings.pop(path, None)
        if post is None or path not in published:
            continue
        record = renderer.syntax_record(post)
        if record is not None and (record.issues or record.refs):
            findings[path] = Finding(path, post.body_line, record).to_row()
    found = (Finding.from_row(findings[p]) for p in syntax.order if p in findings)
    return problems_found(found, config.markdown.shortcodes_dir)


def _posts(cache: BuildCache, plan: BuildPlan, read: Read, wanted: set[int]) -> dict[str, Post]:
    posts: dict[str, Post] = {}
    changed = plan.loading.changed if plan.loading is not None else {}
    for index in wanted:
        for path in plan.pages[index].posts:
            if path in posts:
                continue
            if path in read:
                post = read[path][0]
            else:
                post = cache.result(cache.files[path], Path(path))[0]
                if post is not None and path in changed:
                    post = with_loaded(post, changed[path])
            assert post is not None  # membership unchanged: it was, and is, a post
            posts[path] = post
    return posts


def _write(
    config: Config,
    cache: BuildCache,
    renderer: Renderer,
    plan: BuildPlan,
    read: Read,
    now: datetime,
    workers: int,
) -> BuildResult:
    wanted = {i for i, page in enumerate(plan.pages) if not read.keys().isdisjoint(page.posts)}
    documents = plan.documents(_posts(cache, plan, read, wanted), wanted)
    builder = ItemBuilder(config, renderer, plan.taxonomy(feed_languages(config)))
    feedset = FeedSet(config, builder, now, cache.feeds)
    affected = [doc for d, doc in zip(plan.docs, documents, strict=True) if d.page in wanted]
    rendered = renderer.prefetch(feedset.posts_shown(affected), workers)
    report = Report(plan.report_problems())
    out = FeedOutput([], [], [], builder.taxonomy, rendered)
    # Each document is written (on the writer's threads) as soon as it is made, while the next
    # is made; `affected` is in the order of `documents`.
    writer = Writer(output_place(config), owner="build")
    made = feedset.documents(affected)
    fresh = {id(doc) for doc in affected}
    with writer.making():
        writer.claim(doc.path for doc in affected)
        for doc in documents:
            if id(doc) in fresh:
                generate([next(made)], out, writer.add)
            else:
                out.feeds.append(feedset.feed_file(doc))
                out.unchanged.append(doc.path)
                feedset.fingerprints[doc.path] = cache.feeds[doc.path]
    warn_big_feeds(report, out.feeds, feedset.fingerprints, config.feeds.addresses)
    doc_paths = {d.path for d in plan.docs}
    others = [p for p in plan.outputs if p not in doc_paths]  # OPML, feeds.html: unchanged
    writer.keep = out.unchanged + others
    written = writer.finish()
    cache.feeds = feedset.fingerprints
    plan.images.update(image_sizes(affected))
    plan.outputs.update(out.sizes)
    cache.plan = plan.to_row()
    generated = len(out.sizes)
    return BuildResult(out.feeds, written, report, rendered, generated)
