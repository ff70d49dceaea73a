"""`serve`'s site kept in memory between builds. In: the last full build (its posts, feed
documents and their fingerprints) and the paths the watcher saw change. Out: the files a full
build would write for those changes, written, or None when only a full build can tell.

Only edits that leave every post in the same feeds at the same place (`cache.membership`, as
the quick rebuild of `syndicate build` decides it: on a multilingual site its language and
translation key too), with no error, are applied here: the edited files are read again, and the
documents that show them are generated again from the posts already in memory, without
discovery, the build cache, parsing or grouping the other posts. The site's report follows: an
edited post's warnings (its front matter's, its template syntax's) replace those it had, as a
full build reports them. Anything else (a post added, removed, re-dated, moved to another
term, drafted; an error; a file beside a post; a setting, a template, the clock passing a
post's date) takes the full build, which then hands its result over again. Both write the
same bytes (tests/test_serve.py compares them with a fresh build, on real sites too).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Collection
from dataclasses import field
from datetime import datetime

from ..build import BuildResult, FeedOutput, Site, generate, save_cache, warn_big_feeds
from ..content.loader import (
    MARKDOWN_SUFFIXES,
    BundleRow,
    ParseContext,
    SourceFile,
    bundle_pages,
    settle_edited,
)
from ..content.markdown import Finding, problems_found
from ..datatype import datatype
from ..dates import within
from ..errors import Problem, Report
from ..feeds.documents import Document, FeedSet, Page, image_sizes
from ..model import Post
from ..output import Writer, WriteResult, output_place
from .cache import Packed, membership, parse_and_digest, post_row, stored_membership, unpack
from .feed_plan import BuildPlan

# Files whose change may add a post or change how others read (a section's `_index.md`, a
# generator's data or cascade): a full build. Beyond the Markdown suffixes: Hugo's `.mdown`
# and HTML posts, and front matter or data in files of their own.
POSSIBLE_INPUTS = (*MARKDOWN_SUFFIXES, ".mdown", ".html", ".htm", ".toml", ".yaml", ".yml")
POSSIBLE_INPUTS += (".json",)
MAX_EDITS = 16  # more files at once is a checkout or a sync: the full build's parallel parse


@datatype(frozen=False)
class Edited:
    """One edited file, read again: its stat, content hash and cache entry, and its post."""

    source: SourceFile
    digest: str
    packed: Packed
    old: Post
    alone: Post  # as read by itself
    post: Post  # as every post loaded gives it (`loader.settle_edited`)
    problems: list[Problem]  # what reading it reported, as a full build reports it
    finding: Finding | None  # what expanding its template syntax found (a post shown only)


@datatype(frozen=False)
class Applied:
    """What an edit wrote, and what `LiveSite.persist` records of it afterwards."""

    result: BuildResult
    edited: list[Edited]
    affected: list[Document]


@datatype(frozen=False)
class LiveSite:
    """The last build's site and feed documents, kept to apply the next edits to."""

    site: Site
    documents: list[Document]
    # What made the documents, with every item and feed entry it built (those of an edited
    # post are dropped before it makes them again), and each document's fingerprint.
    feedset: FeedSet
    owned: set[str]  # every file the build wrote or kept: the others are kept as they are
    content: str  # the content folder, absolute
    sources: dict[str, SourceFile] = field(default_factory=dict)  # by absolute path
    posts: dict[str, Post] = field(default_factory=dict)  # every post read, drafts too
    # Files with an error: an edit of one takes the full build, which reports what it changed.
    broken: set[str] = field(default_factory=set)
    # Paths that files a post depends on are at or under: its bundle folder, its image.
    held: set[str] = field(default_factory=set)
    # Where each post is in the site's lists (every post read; those shown), by id: an edit
    # replaces a post in place, never moves it.
    places: dict[int, tuple[int, int | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, site: Site, result: BuildResult) -> LiveSite | None:
        """The site, if edits can be applied to it in memory. (An edit applied here keeps
        what each post is read with from the others: with a template syntax, a `ref` names a
        post by its path and gives its permalink; an item links its translations by theirs;
        a bundle's files shared by its translations are under the address of the one that
        publishes them; of two posts that share a permalink or id, the earlier by date and
        path keeps it, and the other, skipped or given `-<section>`, reads differently alone:
        an edit of it takes the full build.)"""
        out = result.output
        if out is None or out.feedset is None:
            return None
        owned = set(out.sizes) | set(out.unchanged)
        content = os.path.abspath(site.config.content_dir)
        live = cls(site, list(out.documents), out.feedset, owned, content)
        live.sources = {os.path.abspath(s.file): s for s in site.loaded.sources}
        shown = {id(p): i for i, p in enumerate(site.loaded.posts)}
        for i, post in enumerate(site.loaded.all_posts):
            live._hold(post)
            live.places[id(post)] = (i, shown.get(id(post)))
        for problem in site.report.errors:
            if problem.location is not None:
                live.broken.add(os.path.abspath(problem.location.path))
        return live

    def _hold(self, post: Post) -> None:
        key = os.path.abspath(post.source)
        self.posts[key] = post
        if post.bundle is not None:
            self.held.add(os.path.abspath(post.bundle))
        if post.image is not None and post.image.path is not None:
            self.held.add(os.path.abspath(post.image.path))

    # --- which changes ------------------------------------------------------------------------

    def edited_files(self, changed: Collection[str]) -> list[str] | None:
        """The post files among `changed`, or None if any other change may matter."""
        edited: list[str] = []
        for raw in changed:
            path = os.path.abspath(raw)
            if path in self.sources:
                edited.append(path)
            elif not self._inert(path):
                return None
        return edited if len(edited) <= MAX_EDITS else None

    def _inert(self, path: str) -> bool:
        """Whether a change to `path`, which is no post file, leaves every output as it is: a
        file under the content folder that is gone (an editor's temporary file, a backup), of
        no type a post or its front matter is read from, in no bundle, and that no post file,
        bundle or image is at or under. A file that is there may be one a post names and did
        not find: a full build looks again."""
        if not path.startswith(self.content + os.sep) or os.path.lexists(path):
            return False
        if path.lower().endswith(POSSIBLE_INPUTS):
            return False
        under = path + os.sep
        if any(p == path or p.startswith(under) or path.startswith(p + os.sep) for p in self.held):
            return False  # a bundle's post is hashed with the names of the files beside it
        return not any(p.startswith(under) for p in self.sources)

    # --- applying them --------------------------------------------------------------------------

    def apply(self, changed: Collection[str], now: datetime) -> Applied | None:
        """Read the changed files again and write the documents that show their posts; None,
        with nothing changed here or on disk, when a full build is needed. Raises what
        `output.write_artifacts` raises."""
        site = self.site
        if not within(site.loaded.window(), now):
            return None  # a post came due or expired since: the feeds' members change
        files = self.edited_files(changed)
        if files is None:
            return None
        if not files:
            return Applied(BuildResult([], WriteResult()), [], [])  # no output reads them
        ctx = ParseContext.from_config(site.config)
        # The built bundle pages the edited posts are settled among (`loader.settle_edited`).
        loaded = site.loaded.all_posts
        pages = bundle_pages(loaded, self._shown) if ctx.images_wait else []
        edited: list[Edited] = []
        for path in files:
            found = self._read(path, ctx, pages)
            if found is None:
                return None
            edited.append(found)
        return self._write(edited, now)

    def _read(self, path: str, ctx: ParseContext, pages: list[BundleRow]) -> Edited | None:
        """The file read again, if it is still a post in the same place, with no error (neither
        before nor now)."""
        old = self.posts.get(path)
        if old is None or path in self.broken:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None  # deleted: other posts may take its permalink
        source = self.sources[path]._replace(mtime_ns=info.st_mtime_ns, size=info.st_size)
        digest, packed = parse_and_digest(source, ctx)
        blob, problems = packed
        if digest is None or blob is None or any(p[0] == "error" for p in problems):
            return None  # the full build reports them
        if stored_membership(blob) != membership(post_row(old)):
            return None
        read, said = unpack(packed, old.source)
        assert read is not None  # it has a blob
        shown = self.places[id(old)][1] is not None  # Hugo builds its page
        post, kept = settle_edited(read, said, pages, ctx)
        # As a full build, the posts shown only (`load_site`).
        found = self.site.renderer.syntax_findings([post]) if shown else []
        if any(p.severity == "error" for p in problems_found(found)):
            return None  # the full build reports them, as the page must show an error
        finding = found[0] if found else None
        return Edited(source, digest, packed, old, read, post, kept, finding)

    def _shown(self, post: Post) -> bool:
        return self.places[id(post)][1] is not None

    def _write(self, edited: list[Edited], now: datetime) -> Applied:
        site, config, feedset = self.site, self.site.config, self.feedset
        new = {id(e.old): e.post for e in edited}
        documents, affected = self._documents(new)
        feedset.builder.forget({e.old.id for e in edited})
        feedset.now, feedset.previous = now, dict(feedset.fingerprints)
        rendered = site.renderer.prefetch(feedset.posts_shown(affected), 1)
        report = Report()
        out = FeedOutput([], [], [], feedset.builder.taxonomy, rendered)
        # Each document is written (on the writer's threads) as soon as it is made.
        writer = Writer(output_place(config), owner="build")
        with writer.making():
            writer.claim(d.path for d in affected)
            generate(feedset.documents(affected), out, writer.add)
        warn_big_feeds(report, out.feeds, feedset.fingerprints, config.feeds.addresses)
        writer.keep = sorted(self.owned - set(out.sizes))
        written = writer.finish()
        # Written: from here the memory follows the disk.
        self.documents = documents
        for e in edited:
            self.sources[os.path.abspath(e.source.file)] = e.source
            self._hold(e.post)
        for e in edited:
            every, shown = self.places.pop(id(e.old))
            site.loaded.all_posts[every] = e.post
            if shown is not None:
                site.loaded.posts[shown] = e.post
            self.places[id(e.post)] = (every, shown)
        self._report(edited)
        result = BuildResult([], written, report, rendered, len(out.sizes))
        result.output = out
        return Applied(result, edited, affected)

    def _report(self, edited: list[Edited]) -> None:
        """The site's report as a full build would give it now: each edited file's problems
        from reading it in place of those it had, and every post's template syntax problems
        made again from the findings, the edited posts' replaced (an unknown shortcode is one
        warning for the whole site, with its uses counted)."""
        site = self.site
        start, end = site.syntax_span
        problems = site.report.problems
        loading = self._read_anew(problems[:start], edited)
        after = problems[end:]
        findings = {f.source: f for f in site.findings}
        for e in edited:
            findings.pop(str(e.old.source), None)
            if e.finding is not None:
                findings[e.finding.source] = e.finding
        site.findings = [f for p in site.loaded.posts if (f := findings.get(str(p.source)))]
        syntax = problems_found(site.findings, site.config.markdown.shortcodes_dir)
        problems[:] = [*loading, *syntax, *after]
        site.syntax_span = (len(loading), len(loading) + len(syntax))

    def _read_anew(self, loading: list[Problem], edited: list[Edited]) -> list[Problem]:
        """What reading the posts reported, as `load_posts` orders it: finding the files, then
        each post file's problems in the order the files were found (the edited ones' now),
        then the posts that share a permalink or id."""
        clashes = {id(p) for p in self.site.loaded.clash_problems}
        found: list[Problem] = []
        shared: list[Problem] = []
        files: dict[str, list[Problem]] = {}
        for problem in loading:
            path = os.path.abspath(problem.location.path) if problem.location else None
            if id(problem) in clashes:
                shared.append(problem)
            elif path is None or path not in self.sources:
                found.append(problem)
            else:
                files.setdefault(path, []).append(problem)
        files.update((os.path.abspath(e.source.file), e.problems) for e in edited)
        order = {path: n for n, path in enumerate(self.sources)}
        read = [p for path in sorted(files, key=order.__getitem__) for p in files[path]]
        return [*found, *read, *shared]

    def _documents(self, new: dict[int, Post]) -> tuple[list[Document], list[Document]]:
        """Every document, those showing an edited post with its new version; and those."""
        pages: dict[int, Page] = {}
        documents: list[Document] = []
        affected: list[Document] = []
        for doc in self.documents:
            page = pages.get(id(doc.page))
            if page is None:
                page = pages[id(doc.page)] = _page_with(doc.page, new)
            if page is not doc.page:
                doc = dataclasses.replace(doc, page=page)
                affected.append(doc)
            documents.append(doc)
        return documents, affected

    def persist(self, applied: Applied) -> None:
        """Record the edit in the build cache, as `syndicate build`'s quick rebuild does, so
        that the next build reads only what changed. A cache that cannot be written is a
        warning in the result's report."""
        cache, config = self.site.cache, self.site.config
        if cache is None:
            return
        for e in applied.edited:
            cache.remember_packed(e.source, e.digest, e.packed)
            _forget_html(cache.html, cache.base_html, e.old, e.post)
        cache.feeds = dict(self.feedset.fingerprints)
        if cache.plan is not None:
            plan = BuildPlan.from_row(cache.plan)
            for e in applied.edited:
                if plan.syntax is not None:  # what the quick rebuild reports, whose refs hold
                    plan.syntax.findings.pop(str(e.old.source), None)
                    if e.finding is not None:
                        plan.syntax.findings[e.finding.source] = e.finding.to_row()
                if plan.loading is not None:  # what the other posts gave it
                    plan.loading.remember(e.source.file, e.alone, e.post)
            plan.images.update(image_sizes(applied.affected))
            out = applied.result.output
            plan.outputs.update(out.sizes if out else {})
            cache.plan = plan.to_row()
        save_cache(config, cache, applied.result)


def _page_with(page: Page, new: dict[int, Post]) -> Page:
    if not any(id(p) in new for p in page.posts):
        return page
    return dataclasses.replace(page, posts=tuple(new.get(id(p), p) for p in page.posts))


def _forget_html(html: dict[str, str], saved: frozenset[str], old: Post, new: Post) -> None:
    """Drop the HTML of the version of a post an edit replaced, unless the cache's base file
    holds it: the journal is written again at each edit with every HTML the base lacks, and
    would otherwise grow by a version of the post at every save. (Keys: "permalink NUL source
    NUL digest", see `cache.BuildCache`.)"""
    if not old.body_digest or old.body_digest == new.body_digest:
        return
    stale = f"{old.permalink}\0{old.source}\0{old.body_digest}"
    for key in [k for k in html if k.startswith(stale) and k not in saved]:
        del html[key]
