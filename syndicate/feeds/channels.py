"""Posts -> channels: the whole site, and one channel per series, category, tag and author term.

Names that slugify alike (`Python`, `python`) are one term, shown under its most used spelling;
such names, and names whose slug is cut or empty, are reported at the post and line that wrote
them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..config import Config
from ..content.loader import key_line, slugify, term_slug
from ..errors import Location, Report
from ..model import Channel, Post, Term, TermKind

LABELS: dict[TermKind, str] = {
    "series": "Series",
    "categories": "Category",
    "tags": "Tag",
    "authors": "Author",
}


def post_names(post: Post, kind: TermKind) -> tuple[str, ...]:
    if kind == "authors":
        return tuple(a.name for a in post.authors)
    return getattr(post, kind)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    channels: tuple[Channel, ...]
    terms: dict[tuple[TermKind, str], Term]

    def term(self, kind: TermKind, name: str) -> Term | None:
        """The term a name written in a post belongs to (None if its slug is empty)."""
        return self.terms.get((kind, name))

    def site(self) -> Channel:
        return self.channels[0]


def build_taxonomy(
    config: Config, posts: Sequence[Post], report: Report, kinds: Iterable[TermKind] | None = None
) -> Taxonomy:
    """Channels for the site and each term of the configured groupings, posts newest first."""
    visible = [p for p in posts if p.in_feeds]
    site = config.site
    channels = [
        Channel(
            kind="site",
            slug="",
            name=site.title,
            title=site.title,
            description=site.description or site.title,
            home_url=config.base_url,
            path="",
            posts=tuple(visible),
        )
    ]
    terms: dict[tuple[TermKind, str], Term] = {}
    for kind in kinds if kinds is not None else config.feeds.groupings:
        for term, (members, names) in _group(kind, visible, report).items():
            for name in names:
                terms[(kind, name)] = term
            channels.append(_channel(config, term, members))
    return Taxonomy(tuple(channels), terms)


def _group(
    kind: TermKind, posts: Sequence[Post], report: Report
) -> dict[Term, tuple[list[Post], list[str]]]:
    """Each term, with its posts and every spelling of its name that posts use."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    first: dict[str, dict[str, Post]] = defaultdict(dict)  # slug -> spelling -> first post
    members: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for name in post_names(post, kind):
            slug = term_slug(name)
            if not slug:
                _warn_at(
                    report,
                    post,
                    kind,
                    f"{kind}: {name!r} has no letters or digits for a URL; skipped",
                )
                continue
            if slug not in first and slug != slugify(name):
                _warn_at(
                    report,
                    post,
                    kind,
                    f"{kind}: {name[:40]!r}... makes a URL segment over 200 bytes; "
                    f"published as {slug}",
                )
            first[slug].setdefault(name, post)
            spellings[slug][name] += 1
            if not members[slug] or members[slug][-1] is not post:
                members[slug].append(post)
    grouped: dict[Term, tuple[list[Post], list[str]]] = {}
    for slug in sorted(spellings):
        counts = spellings[slug]
        name = min(counts, key=lambda n: (-counts[n], n))
        if len(counts) > 1:
            others = sorted(n for n in counts if n != name)
            _warn_at(
                report,
                first[slug][others[0]],
                kind,
                f"{kind}: {', '.join(repr(n) for n in others)} and {name!r} are the same term "
                f"({slug}); using {name!r}",
                "write the name the same way in every post",
            )
        grouped[Term(kind, name, slug)] = (members[slug], list(counts))
    return grouped


def _warn_at(
    report: Report, post: Post, kind: TermKind, message: str, hint: str | None = None
) -> None:
    """A warning at the line of the post's key for `kind` (read again: this is rare)."""
    key: str = kind
    if kind == "authors":
        key = "authors" if key_line(post.source, "authors") is not None else "author"
    report.warning(Location(post.source, key_line(post.source, key)), message, hint)


def _channel(config: Config, term: Term, posts: Sequence[Post]) -> Channel:
    label = LABELS[term.kind]
    site = config.site.title
    return Channel(
        kind=term.kind,
        slug=term.slug,
        name=term.name,
        title=f"{site} — {label}: {term.name}",
        description=f"{label} “{term.name}” on {site}",
        home_url=f"{config.base_url}{term.kind}/{term.slug}/",
        path=f"{term.kind}/{term.slug}/",
        posts=tuple(posts),
    )
