"""Posts -> channels: the whole site, one channel per series, category, tag and author term,
and one per top-level section; and the files of `[feeds.addresses]`, each a channel at an
address of its own.

Names that slugify alike (`Python`, `python`) are one term, shown under its most used spelling;
such names, and names whose slug is cut or empty, are reported at the post and line that wrote
them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..config import (
    ADDRESS_FIELDS,
    AddressFeed,
    AddressTable,
    Config,
    FeedFormat,
    PathClaims,
    address_key,
    address_url,
    feed_names,
    legacy_path,
)
from ..content.loader import key_line, slugify, term_slug
from ..errors import Location, Report
from ..model import Channel, ChannelKind, Post, Term, TermKind

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


SECTION_LABEL = "Section"
SECTIONS: ChannelKind = "sections"


@dataclass(frozen=True, slots=True)
class Address:
    """One file of `[feeds.addresses]`: a channel's newest `limit` posts (0: all), published
    at `url` (the file `path`), with `url` as its feed id and item ids made by `id_template`."""

    key: str
    channel: Channel
    path: str
    url: str
    format: FeedFormat
    limit: int
    id_template: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    channels: tuple[Channel, ...]
    terms: dict[tuple[TermKind, str], Term]
    addresses: tuple[Address, ...] = ()

    def term(self, kind: TermKind, name: str) -> Term | None:
        """The term a name written in a post belongs to (None if its slug is empty)."""
        return self.terms.get((kind, name))

    def site(self) -> Channel:
        return self.channels[0]


def build_taxonomy(
    config: Config, posts: Sequence[Post], report: Report, kinds: Iterable[TermKind] | None = None
) -> Taxonomy:
    """Channels for the site and each term of the configured groupings, posts newest first,
    and the files of `[feeds.addresses]` (unless `kinds` asks for some groupings only)."""
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
    by_kind: dict[str, list[Channel]] = {}
    wanted = list(kinds if kinds is not None else config.feeds.groupings)
    extra = [] if kinds is not None else [e.feed for e in config.feeds.addresses.values()]
    for kind in dict.fromkeys([*wanted, *extra]):
        if kind == "site":
            continue
        found: list[Channel] = by_kind.setdefault(kind, [])
        if kind == "sections":
            found.extend(_sections(config, visible))
        else:
            for term, (members, names) in _group(kind, visible, report, config).items():
                if kind in wanted:  # items link the terms of the groupings written only
                    terms.update({(kind, name): term for name in names})
                found.append(_channel(config, term, members))
        if kind in wanted:
            channels.extend(found)
    addresses = () if kinds is not None else _addresses(config, channels, by_kind, report)
    return Taxonomy(tuple(channels), terms, addresses)


def _group(
    kind: TermKind, posts: Sequence[Post], report: Report, config: Config | None = None
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
        if len(counts) > 1 and not _one_for_the_generator(config, kind, counts):
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


def _one_for_the_generator(config: Config | None, kind: TermKind, names: Iterable[str]) -> bool:
    """Whether the site's generator also makes these spellings one term (Hugo lower-cases
    terms, Zola slugifies them): then telling the author to write them alike is noise."""
    if config is None or config.generator is None:
        return False
    from ..sites import generator

    settings = config.generator
    name_of = generator(settings.generator).address_name
    return len({name_of(n, kind, settings) for n in names}) == 1


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


def _sections(config: Config, posts: Sequence[Post]) -> list[Channel]:
    """One channel per top-level section, by name, each with its posts newest first (a post
    at the top of the content folder has no section, and is in none)."""
    members: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        members[post.section].append(post)
    found = (_section(config, name, members[name]) for name in sorted(members))
    return [channel for channel in found if channel is not None]


def _section(config: Config, name: str, posts: Sequence[Post]) -> Channel | None:
    slug = term_slug(name)
    if not slug:
        return None
    site = config.site.title
    return Channel(
        kind=SECTIONS,
        slug=slug,
        name=name,
        title=f"{site} — {SECTION_LABEL}: {name}",
        description=f"{SECTION_LABEL} “{name}” on {site}",
        home_url=f"{config.base_url}{slug}/",
        path=f"sections/{slug}/",
        posts=tuple(posts),
    )


# --- [feeds.addresses] ----------------------------------------------------------------------

Namer = Callable[[str, str], str]


def _addresses(
    config: Config, channels: Sequence[Channel], by_kind: dict[str, list[Channel]], report: Report
) -> tuple[Address, ...]:
    """Every file of every address pattern. A file another address, or a file of the build,
    already takes is reported as an error naming both, and left out."""
    if not config.feeds.addresses:
        return ()
    names = _claims(config, channels)
    namer = address_namer(config)
    out: list[Address] = []
    for pattern, entry in sorted(config.feeds.addresses.items()):
        key = address_key(pattern)
        for channel in _members(config, entry, channels[0], by_kind.get(entry.feed, [])):
            rendered = _render(pattern, entry.feed, channel, namer)
            what = key if entry.feed == "site" else f"{key} ({_label(channel)} {channel.name!r})"
            path = legacy_path(rendered, entry.format)
            if not names.claim(what, path, in_groups=True, what=f"the file of {what}"):
                report.error(
                    Location(config.path, _line_of(config, pattern)),
                    names.problems[-1],
                    "give the address a pattern whose files differ, or list the terms it "
                    "writes with `terms`",
                )
                continue
            limit = config.feeds.limit if entry.limit is None else entry.limit
            template = entry.id_template or config.feeds.id_template
            url = address_url(config.base_url, rendered)
            out.append(Address(key, channel, path, url, entry.format, limit, template))
    return tuple(out)


def _line_of(config: Config, pattern: str) -> int | None:
    """The line of the config file that names an address (a clash is reported there)."""
    try:
        lines = config.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    quoted = (json.dumps(pattern, ensure_ascii=False), f"'{pattern}'")
    return next((n for n, line in enumerate(lines, 1) if any(q in line for q in quoted)), None)


def _claims(config: Config, channels: Sequence[Channel]) -> PathClaims:
    """The files the build writes itself, which no address may take."""
    feeds = config.feeds
    names = feed_names(feeds)
    for channel in channels:
        for fmt in feeds.formats:
            names.own(f"{channel.path}{feeds.filenames.for_format(fmt)}", "a file the build writes")
        if feeds.archives:
            names.folders.setdefault(f"{channel.path}archive", "a folder the build writes")
    return names


def _members(
    config: Config, entry: AddressTable, site: Channel, channels: Sequence[Channel]
) -> list[Channel]:
    """The channels an address writes: the site, every term or section, or those `terms`
    names (a name no post uses yet gets an empty feed, as jekyll-feed writes one)."""
    if entry.feed == "site":
        return [site]
    if entry.terms is None:
        return list(channels)
    by_slug = {c.slug: c for c in channels}
    out: dict[str, Channel] = {}
    for name in entry.terms:
        slug = term_slug(name)
        found = by_slug.get(slug) or _empty(config, entry.feed, name, slug)
        if found is not None:
            out.setdefault(found.slug, found)
    return list(out.values())


def _empty(config: Config, kind: AddressFeed, name: str, slug: str) -> Channel | None:
    if not slug or kind == "site":
        return None
    if kind == "sections":
        return _section(config, name, ())
    return _channel(config, Term(kind, name, slug), ())


def _render(pattern: str, kind: AddressFeed, channel: Channel, namer: Namer) -> str:
    field = ADDRESS_FIELDS[kind]
    if field is None:
        return pattern
    return pattern.replace(f"{{{field}}}", namer(channel.name, kind))


def _label(channel: Channel) -> str:
    kind = channel.kind
    if kind == "site":
        return "site"
    return (SECTION_LABEL if kind == "sections" else LABELS[kind]).lower()


def address_namer(config: Config) -> Namer:
    """How `{term}` and `{section}` are written in an address: as the site's generator writes
    them in its URLs, else as syndicate's own group feeds are named."""
    settings = config.generator
    if settings is None:
        return lambda name, kind: term_slug(name)
    from ..sites import generator

    module = generator(settings.generator)
    return lambda name, kind: module.address_name(name, kind, settings)
