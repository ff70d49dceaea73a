"""The last build's feed plan: every document it wrote, which posts each shows, and what a
rebuild must check before trusting it. Stored in the build cache as plain values.

With it, a post edited without changing what decides feed membership (its dates, terms, draft
state, slug...: `cache.membership`) regenerates only the documents that show it, without
loading the other 10,000 posts or grouping them again (`quick_rebuild.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field

from ..config import FeedFormat
from ..content.loader import image_found, read_with_others
from ..datatype import datatype
from ..dates import Window
from ..errors import Problem
from ..feeds.channels import FeedLanguage, Taxonomy
from ..feeds.documents import Document, Page
from ..feeds.items import History
from ..model import Channel, Post, Term
from .cache import Row, digest, loaded_row, problem_row, row_problem


@datatype(frozen=False)
class PlannedPage:
    channel: int  # index into BuildPlan.channels
    posts: tuple[str, ...]  # source paths, newest first
    history: Row
    name: str
    next_name: str | None


@datatype(frozen=False)
class PlannedDoc:
    page: int  # index into BuildPlan.pages
    format: FeedFormat
    path: str
    subscription: bool
    self_url: str | None
    # An address's own feed id and item id template (a plan of an older build has neither).
    feed_id: str | None = None
    id_template: str | None = None
    alternates: Row = ()  # (hreflang, URL) of the same feed in each other language


@datatype(frozen=False)
class SyntaxPlan:
    """A site with template syntax: what a quick rebuild needs to expand the edited posts and
    report every post's syntax problems as a full build does, without loading every post."""

    refs: Row  # RefIndex.state(): every post a ref may name, and the unpublished ones
    order: list[str]  # every published post's file, in the order problems are reported
    findings: dict[str, Row]  # Finding.to_row() of each post with issues or refs, by file

    def to_row(self) -> Row:
        return (self.refs, self.order, self.findings)

    @classmethod
    def from_row(cls, row: Row | None) -> SyntaxPlan | None:
        if row is None:
            return None
        refs, order, findings = row
        return cls(tuple(refs), list(order), dict(findings))


@datatype(frozen=False)
class LoadingPlan:
    """What loading gave posts that reading each alone does not, for a quick rebuild that reads
    only the edited posts to give it them too (`loader.read_with_others`): a `-<section>`
    suffix where two posts share a permalink or id, and on a Hugo site a featured image or
    bundle files another post's page publishes. An edit keeps what decides them (the posts'
    addresses, dates, paths, bundles, languages: `cache.membership`), so the other posts'
    stay as they were, and the edited ones are given theirs again (`quick_rebuild`)."""

    changed: dict[str, Row]  # `cache.loaded_row` of each post given something, by file
    clashes: list[Row]  # the problems of posts that share a permalink or id (`_unique`)
    found: list[str]  # the files whose warning of an image not found was taken back
    bundles: list[Row]  # every built page of a bundle (`loader.bundle_pages`)

    def to_row(self) -> Row:
        return (self.changed, self.clashes, self.found, self.bundles)

    @classmethod
    def from_row(cls, row: Row | None) -> LoadingPlan | None:
        if row is None:
            return None
        changed, clashes, found, bundles = row
        return cls(dict(changed), list(clashes), list(found), list(bundles))

    def remember(self, file: str, alone: Post, loaded: Post) -> None:
        """An edited post, as read alone and as loading gives it."""
        if read_with_others(loaded) != read_with_others(alone):
            self.changed[file] = loaded_row(loaded)
        else:
            self.changed.pop(file, None)
        found = set(self.found)
        if image_found(loaded):
            found.add(file)
        else:
            found.discard(file)
        self.found = sorted(found)


@datatype(frozen=False)
class BuildPlan:
    key: str  # the config file's bytes and the --drafts/--future flags
    window: Window  # the plan holds while `dates.within(window, now)`
    summary: str
    channels: list[Row]
    pages: list[PlannedPage]
    docs: list[PlannedDoc]
    terms: list[Row]
    problems: list[Row]  # what grouping the posts reported (merged spellings)
    images: dict[str, int]  # every enclosure file and the size its items were written with
    outputs: dict[str, int] = field(default_factory=dict)  # every file the build owns, by size
    syntax: SyntaxPlan | None = None  # with template syntax only
    # A multilingual site's translation keys, each with (hreflang, URL) of every translation.
    translations: dict[str, Row] = field(default_factory=dict)
    loading: LoadingPlan | None = None  # a Hugo site's, or where posts clash

    @staticmethod
    def make_key(config_bytes: bytes, flags: tuple[bool, bool]) -> str:
        return digest(config_bytes + repr(flags).encode())

    def to_row(self) -> Row:
        pages = [(p.channel, p.posts, p.history, p.name, p.next_name) for p in self.pages]
        docs = [_doc_row(d) for d in self.docs]
        return (
            self.key,
            self.window,
            self.summary,
            self.channels,
            pages,
            docs,
            self.terms,
            self.problems,
            self.images,
            self.outputs,
            self.syntax.to_row() if self.syntax is not None else None,
            self.translations,
            self.loading.to_row() if self.loading is not None else None,
        )

    @classmethod
    def from_row(cls, row: Row) -> BuildPlan:
        key, window, summary, channels, pages, docs, terms, problems, images, outputs = row[:10]
        syntax, translations, loading = row[10:]
        return cls(
            key,
            tuple(window),
            summary,
            list(channels),
            [PlannedPage(*p) for p in pages],
            [PlannedDoc(*d) for d in docs],
            list(terms),
            list(problems),
            dict(images),
            dict(outputs),
            SyntaxPlan.from_row(syntax),
            dict(translations),
            LoadingPlan.from_row(loading),
        )

    # --- what a rebuild makes of it ----------------------------------------------------------

    def taxonomy(self, languages: tuple[FeedLanguage, ...]) -> Taxonomy:
        """The terms and translations items link to, and the site's `languages`
        (`channels.feed_languages`); channels are not needed to build items."""
        terms = {(kind, name): Term(kind, term, slug) for kind, name, term, slug in self.terms}
        translations = {key: tuple(map(tuple, found)) for key, found in self.translations.items()}
        return Taxonomy((), terms, (), languages, translations)

    def report_problems(self) -> list[Problem]:
        return [row_problem(p) for p in self.problems]

    def documents(self, posts: Mapping[str, Post], wanted: set[int]) -> list[Document]:
        """Every document; the pages numbered in `wanted` with their posts (from `posts`), the
        others empty (their files are kept as they are)."""
        channels = [Channel(*c, posts=()) for c in self.channels]  # type: ignore[misc]
        pages: list[Page] = []
        for i, page in enumerate(self.pages):
            shown = tuple(posts[p] for p in page.posts) if i in wanted else ()
            pages.append(Page(shown, History(*page.history), page.name, page.next_name))
        return [
            Document(
                channels[self.pages[d.page].channel],
                pages[d.page],
                d.format,
                d.path,
                d.subscription,
                d.self_url,
                d.feed_id,
                d.id_template,
                tuple(map(tuple, d.alternates)),
            )
            for d in self.docs
        ]


def make_plan(
    config_bytes: bytes,
    flags: tuple[bool, bool],
    window: Window,
    summary: str,
    documents: Sequence[Document],
    taxonomy: Taxonomy,
    problems: Sequence[Problem],
    images: Mapping[str, int],
) -> BuildPlan:
    channels: dict[int, int] = {}
    pages: dict[int, int] = {}
    plan = BuildPlan(
        key=BuildPlan.make_key(config_bytes, flags),
        window=window,
        summary=summary,
        channels=[],
        pages=[],
        docs=[],
        terms=[(k, name, t.name, t.slug) for (k, name), t in sorted(taxonomy.terms.items())],
        problems=[problem_row(p) for p in problems],
        images=dict(images),
        translations=dict(taxonomy.translations),
    )
    for doc in documents:
        channel, page = doc.channel, doc.page
        if id(channel) not in channels:
            channels[id(channel)] = len(plan.channels)
            plan.channels.append(_channel_row(channel))
        if id(page) not in pages:
            pages[id(page)] = len(plan.pages)
            plan.pages.append(
                PlannedPage(
                    channels[id(channel)],
                    tuple(str(p.source) for p in page.posts),
                    _history_row(page.history),
                    page.name,
                    page.next_name,
                )
            )
        plan.docs.append(
            PlannedDoc(
                pages[id(page)],
                doc.format,
                doc.path,
                doc.subscription,
                doc.self_url,
                doc.feed_id,
                doc.id_template,
                doc.alternates,
            )
        )
    return plan


def _doc_row(d: PlannedDoc) -> Row:
    return (
        *(d.page, d.format, d.path, d.subscription, d.self_url),
        *(d.feed_id, d.id_template, d.alternates),
    )


def _channel_row(channel: Channel) -> Row:
    c = channel
    return (c.kind, c.slug, c.name, c.title, c.description, c.home_url, c.path)


def _history_row(h: History) -> Row:
    return (h.complete, h.archive, h.current, h.prev_archive, h.next_archive)
