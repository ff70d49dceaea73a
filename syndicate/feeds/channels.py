"""Posts -> channels: the whole site, one channel per series, category, tag and author term,
and one per top-level section; and the files of `[feeds.addresses]`, each a channel at an
address of its own (a `nested` sections address: one per section at any depth that its
generator files posts in, `Post.feed_sections`).

A multilingual site (its generator declares two languages or more) gets one such set per
language, each of that language's posts only: the default language's at the usual paths, each
other language's under its folder (`fr/rss.xml`, `fr/tags/<slug>/rss.xml`).

Names that slugify alike (`Python`, `python`) are one term, shown under its most used spelling
(on a Zola site, Zola's);
such names, and names whose slug is cut or empty, are reported at the post and line that wrote
them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field

from ..config import (
    ADDRESS_FIELDS,
    AddressFeed,
    AddressTable,
    Config,
    FeedFormat,
    FeedLabels,
    PathClaims,
    address_key,
    address_url,
    feed_names,
    fill_words,
    legacy_path,
)
from ..content.loader import key_line, slugify, term_slug
from ..datatype import datatype
from ..errors import Location, Report
from ..model import Channel, ChannelKind, Post, Term, TermKind

# The words of term and section feeds in English, as `[feeds.labels]` has them by default
# (and as messages to the site's author name a grouping, whatever the feeds' language).
ENGLISH = FeedLabels()


def post_names(post: Post, kind: TermKind, named_only: bool = False) -> tuple[str, ...]:
    """The names of `kind` the post is filed under; `named_only`: not the site's default
    authors of a post that names none (a generator's author pages are terms of its front
    matter: Hugo makes none for `params.author`)."""
    if kind == "authors":
        if named_only and not post.authors_named:
            return ()
        return tuple(a.name for a in post.authors)
    return getattr(post, kind)  # type: ignore[no-any-return]


def _named_only(config: Config | None) -> bool:
    return config is not None and config.generator is not None


SECTIONS: ChannelKind = "sections"


@datatype
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


@datatype
class FeedLanguage:
    """One language's set of feeds: its posts are those whose `language` is `code` ("" on a
    one-language site: every post)."""

    code: str
    tag: str  # BCP 47, for RSS <language>, Atom xml:lang, JSON Feed `language` and hreflang
    title: str
    description: str
    prefix: str  # the folder of its feeds in the output, "" for the default language
    home: str  # where its pages are: the base of its channels' home pages
    default: bool
    # The URL its folder `prefix` is published at: the site's base URL and the prefix, or for a
    # language at a host of its own (Hugo's multihost, each language's folder served at its
    # host), that host's base URL.
    root: str = ""
    own_host: bool = False  # its folder is served at a host of its own (`root`)

    # How its term and section feeds are titled; not part of which language this is.
    labels: FeedLabels = field(default=ENGLISH, compare=False)
    # The name of each section (by its path) in those titles, where the generator's section
    # page gives one (`SiteSettings.section_titles`); else the section's path.
    section_titles: Mapping[str, str] = field(default_factory=dict, compare=False)

    def url(self, path: str) -> str:
        """The URL of the file `path` (relative to the output folder, in this language's)."""
        return self.root + path[len(self.prefix) :]


def labelled(config: Config, languages: Sequence[FeedLanguage]) -> tuple[FeedLanguage, ...]:
    """The languages, each with its labels (`[feeds.language.<code>]`'s over `[feeds]`'s)
    and the titles of its sections."""
    titles = config.generator.section_titles if config.generator is not None else ()
    return tuple(
        dataclasses.replace(
            lang,
            labels=config.feeds.labels_for(lang.code or config.site.language),
            section_titles={
                path: title
                for code, path, title in titles
                if code == ("" if lang.default else lang.code)
            },
        )
        for lang in languages
    )


def feed_languages(config: Config) -> tuple[FeedLanguage, ...]:
    """The languages the site's feeds are written in, the default first: one, from `[site]`,
    unless the site's generator declares two or more. Where each language has a host of its
    own (Hugo's multihost), each language's feeds are in its folder (`en/`, the default's
    too), as the generator writes its pages, and their URLs are at its host."""
    site = config.site
    declared = config.generator.languages if config.generator is not None else ()
    first = next((lang for lang in declared if lang.default), declared[0] if declared else None)
    hosted = first is not None and first.own_host and len(declared) > 1
    default = FeedLanguage(
        code=first.code if first is not None and len(declared) > 1 else "",
        tag=site.language,
        title=site.title,
        description=site.description or site.title,
        prefix=first.prefix if hosted and first is not None else "",
        home=config.base_url,
        default=True,
        root=config.base_url,
        own_host=hosted,
    )
    others = []
    for lang in declared:
        if len(declared) < 2 or lang is first:
            continue
        # Two languages may share a folder on the generator's side (one host each); their
        # feeds may not.
        prefix = lang.prefix or f"{lang.code}/"
        others.append(
            FeedLanguage(
                code=lang.code,
                tag=(lang.locale or lang.code).replace("_", "-"),
                title=lang.title or site.title,
                description=lang.description or lang.title or site.title,
                prefix=prefix,
                home=lang.base_url,
                default=False,
                root=lang.base_url if hosted else config.base_url + prefix,
                own_host=hosted,
            )
        )
    return (default, *others)


def published_url(
    languages: Sequence[FeedLanguage], base_url: str, path: str, escape: bool = False
) -> str:
    """The URL of a file of the output folder: in a language's folder, at that language's
    URL for it (its host, for a language at a host of its own); else below the base URL.
    `escape`: its path percent-encoded as an address's (`address_url`)."""
    lang = language_of_path(languages, path)
    base, rest = base_url, path
    if lang.prefix and lang.root and path.startswith(lang.prefix):
        base, rest = lang.root, path[len(lang.prefix) :]
    return address_url(base, rest) if escape else base + rest


def language_of_path(languages: Sequence[FeedLanguage], path: str) -> FeedLanguage:
    """The language whose feed set a channel's path is in (the longest folder that holds it)."""
    found = [lang for lang in languages if lang.prefix and path.startswith(lang.prefix)]
    return max(found, key=lambda lang: len(lang.prefix)) if found else languages[0]


@datatype
class Taxonomy:
    channels: tuple[Channel, ...]
    terms: dict[tuple[TermKind, str], Term]
    addresses: tuple[Address, ...] = ()
    languages: tuple[FeedLanguage, ...] = ()
    # Translation key -> (hreflang, permalink) of each post that has it, in language order.
    translations: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def term(self, kind: TermKind, name: str) -> Term | None:
        """The term a name written in a post belongs to (None if its slug is empty)."""
        return self.terms.get((kind, name))

    def site(self) -> Channel:
        return self.channels[0]

    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1

    def language(self, post: Post) -> FeedLanguage | None:
        """The language whose feeds hold the post (None: one the site does not declare)."""
        if not self.multilingual:
            return self.languages[0] if self.languages else None
        code = post.language or self.languages[0].code
        return next((lang for lang in self.languages if lang.code == code), None)

    def translations_of(self, post: Post) -> tuple[tuple[str, str], ...]:
        """(hreflang, URL) of the post and of each translation of it, when it has one."""
        if not post.translation_key:
            return ()
        return self.translations.get(post.translation_key, ())


def build_taxonomy(
    config: Config, posts: Sequence[Post], report: Report, kinds: Iterable[TermKind] | None = None
) -> Taxonomy:
    """Channels for the site and each term of the configured groupings, posts newest first,
    and the files of `[feeds.addresses]` (unless `kinds` asks for some groupings only); one
    such set per language, the default language's first."""
    visible = [p for p in posts if p.in_feeds]
    languages = labelled(config, feed_languages(config))
    channels: list[Channel] = []
    terms: dict[tuple[TermKind, str], Term] = {}
    sets: dict[str, LanguageSet] = {}
    for lang in languages:
        mine = visible if len(languages) == 1 else [p for p in visible if _in(p, lang, languages)]
        found = _language_set(config, lang, mine, report, kinds, terms)
        sets[lang.code] = found
        channels.extend(found.channels)
    addresses = () if kinds is not None else _addresses(config, sets, languages[0], report)
    translations = _translations(visible, languages) if len(languages) > 1 else {}
    if len(languages) > 1 and kinds is None:  # once per build, not again for some groupings
        _undeclared(visible, languages, report)
    return Taxonomy(tuple(channels), terms, addresses, languages, translations)


@datatype
class LanguageSet:
    """One language's channels: its site channel first, then those of the groupings written,
    and every channel of each grouping (those addresses use too), by kind."""

    language: FeedLanguage
    channels: list[Channel]
    by_kind: dict[str, list[Channel]]


def _in(post: Post, lang: FeedLanguage, languages: Sequence[FeedLanguage]) -> bool:
    return (post.language or languages[0].code) == lang.code


def _language_set(
    config: Config,
    lang: FeedLanguage,
    visible: Sequence[Post],
    report: Report,
    kinds: Iterable[TermKind] | None,
    terms: dict[tuple[TermKind, str], Term],
) -> LanguageSet:
    channels = [
        Channel(
            kind="site",
            slug="",
            name=lang.title,
            title=lang.title,
            description=lang.description,
            home_url=lang.home,
            path=lang.prefix,
            posts=tuple(visible),
        )
    ]
    by_kind: dict[str, list[Channel]] = {}
    page_name = term_page_namer(config)
    wanted = list(kinds if kinds is not None else config.feeds.groupings)
    extra = [] if kinds is not None else [e.feed for e in config.feeds.addresses.values()]
    for kind in dict.fromkeys([*wanted, *extra]):
        if kind == "site":
            continue
        found: list[Channel] = by_kind.setdefault(kind, [])
        if kind == "sections":
            found.extend(_sections(lang, visible))
            if any(e.nested for e in config.feeds.addresses.values()) and kinds is None:
                by_kind[NESTED] = _nested_sections(lang, visible)
        else:
            pages = term_pages(config, kind)
            for term, (members, names) in _group(kind, visible, report, config).items():
                if kind in wanted:  # items link the terms of the groupings written only
                    terms.update({(kind, name): term for name in names})
                page = page_name(term.name, kind) if page_name is not None else None
                found.append(_channel(lang, term, members, pages, page))
        if kind in wanted:
            channels.extend(found)
    return LanguageSet(lang, channels, by_kind)


def _undeclared(posts: Sequence[Post], languages: Sequence[FeedLanguage], report: Report) -> None:
    """A post in a language the site does not declare is in no language's feeds: say so."""
    codes = [lang.code for lang in languages]
    for post in posts:
        if post.language and post.language not in codes:
            report.warning(
                Location(post.source),
                f"language {post.language!r} is not one of the site's "
                f"({', '.join(codes)}); the post is in no feed",
                "declare the language in the generator's config, or correct the post's",
            )


def _translations(
    posts: Sequence[Post], languages: Sequence[FeedLanguage]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each translation key that posts in two languages or more share: (hreflang, URL) of
    each, in the order of the languages (a post in a language the site does not declare is
    left out). Of two posts of one language with one key, the first by URL is linked: Atom
    allows one alternate link per language."""
    order = {lang.code: i for i, lang in enumerate(languages)}
    shared: dict[str, dict[int, str]] = defaultdict(dict)
    for post in sorted(posts, key=lambda p: p.permalink):
        code = post.language or languages[0].code
        if post.translation_key and code in order:
            shared[post.translation_key].setdefault(order[code], post.permalink)
    return {
        key: tuple((languages[i].tag, found[i]) for i in sorted(found))
        for key, found in shared.items()
        if len(found) > 1
    }


def _group(
    kind: TermKind, posts: Sequence[Post], report: Report, config: Config | None = None
) -> dict[Term, tuple[list[Post], list[str]]]:
    """Each term, with its posts and every spelling of its name that posts use."""
    # Each name's posts first, a dict lookup per name of every post (this runs for all of
    # them); then each distinct name is slugged once. A name with no slug, or one cut short,
    # is reported at each post that uses it: those take `_group_each`, name by name.
    by_name: dict[str, list[Post]] = {}
    named_only = _named_only(config)
    for post in posts:
        for name in post_names(post, kind, named_only):
            found = by_name.get(name)
            if found is None:
                by_name[name] = [post]
            else:
                found.append(post)
    by_slug: dict[str, list[str]] = {}
    for name in by_name:
        slug = term_slug(name)
        if not slug or slug != slugify(name):
            return _group_each(kind, posts, report, config)
        by_slug.setdefault(slug, []).append(name)
    return _terms(kind, posts, by_slug, by_name, report, config)


def _terms(
    kind: TermKind,
    posts: Sequence[Post],
    by_slug: Mapping[str, list[str]],
    by_name: Mapping[str, list[Post]],
    report: Report,
    config: Config | None,
) -> dict[Term, tuple[list[Post], list[str]]]:
    """The terms of the names grouped by slug (`by_slug`), each with its posts (of
    `by_name`, in the order of `posts`) and its spellings."""
    grouped: dict[Term, tuple[list[Post], list[str]]] = {}
    index: dict[int, int] = {}  # each post's place, made when two spellings share a slug
    for base in sorted(by_slug):
        for slug, names in _kept_apart(kind, base, by_slug[base], by_name, report, config):
            counts = Counter(_counts(names, by_name))
            first = {name: by_name[name][0] for name in names}
            name = _term_name(kind, slug, counts, first, report, config)
            if len(names) == 1:
                members = _once(by_name[name])
            else:
                index = index or {id(p): i for i, p in enumerate(posts)}
                shared = {id(p): p for n in names for p in by_name[n]}
                members = sorted(shared.values(), key=lambda p: index[id(p)])
            grouped[Term(kind, name, slug)] = (members, list(counts))
    return grouped


def _counts(names: list[str], by_name: Mapping[str, list[Post]]) -> dict[str, int]:
    return {name: len(by_name[name]) for name in names}


def _kept_apart(
    kind: TermKind,
    slug: str,
    names: list[str],
    by_name: Mapping[str, list[Post]],
    report: Report,
    config: Config | None,
) -> list[tuple[str, list[str]]]:
    """The terms of names that share a slug, each with its slug: one, unless the site's
    generator keeps some apart (Hugo: `C++` at tags/c++/, `C#` at tags/c#/; syndicate's slug
    of both is `c`): then one term for each of its names, the first (in its order) under the
    slug, each other under the slug and 6 hex digits of the generator's name (stable as long
    as that name is), and a warning says where each other one's feeds are. Where the
    generator has no taxonomy of that kind it makes no page of the names to keep apart."""
    name_of = term_page_namer(config) if len(names) > 1 and config is not None else None
    if name_of is None or config is None or config.generator is None:
        return [(slug, names)]  # one name, or no Hugo or Zola: Jekyll's terms have no pages
    if not term_pages(config, kind):
        return [(slug, names)]  # no taxonomy of that kind (Hugo's authors): no pages either
    apart: dict[str, list[str]] = {}
    for name in names:
        apart.setdefault(name_of(name, kind), []).append(name)
    keys = sorted(apart)
    out = [(slug, apart[keys[0]])]
    for key in keys[1:]:
        own = f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"
        out.append((own, apart[key]))
        name, other = (
            _shown_name(config, Counter(_counts(apart[k], by_name))) for k in (key, keys[0])
        )
        _warn_at(
            report,
            by_name[name][0],
            kind,
            f"{kind}: {name!r} has the slug of {other!r} ({slug}), which "
            f"{config.generator.generator.capitalize()} keeps apart: its own feeds are at "
            f"{kind}/{own}/",
            "rename one of them for feeds under a name of their own",
        )
    return out


def _once(posts: list[Post]) -> list[Post]:
    """`posts` (in order) with each post once: a post lists a name twice only in a row."""
    return [p for i, p in enumerate(posts) if not i or posts[i - 1] is not p]


def _term_name(
    kind: TermKind,
    slug: str,
    counts: Counter[str],
    first: Mapping[str, Post],
    report: Report,
    config: Config | None,
) -> str:
    """The spelling a term is shown under; spellings the generator does not also make one
    are reported, at the first post of the first other spelling."""
    name = _shown_name(config, counts)
    if len(counts) > 1 and not _one_for_the_generator(config, kind, counts):
        others = sorted(n for n in counts if n != name)
        _warn_at(
            report,
            first[others[0]],
            kind,
            f"{kind}: {', '.join(repr(n) for n in others)} and {name!r} are the same term "
            f"({slug}); using {name!r}",
            "write the name the same way in every post, or, if they are different terms, "
            "rename one",
        )
    return name


def _group_each(
    kind: TermKind, posts: Sequence[Post], report: Report, config: Config | None = None
) -> dict[Term, tuple[list[Post], list[str]]]:
    """`_group`, name by name, for names with no slug or one cut short: each is reported at
    the post that uses it (a name with no slug at every post, a slug cut short at the first).
    The terms are then made as `_group` makes them, names the generator keeps apart too."""
    by_name: dict[str, list[Post]] = {}
    by_slug: dict[str, list[str]] = {}
    slugs: dict[str, str] = {}
    named_only = _named_only(config)
    for post in posts:
        for name in post_names(post, kind, named_only):
            found = by_name.get(name)
            if found is not None:
                found.append(post)
                continue
            slug = slugs.get(name)
            if slug is None:
                slug = slugs[name] = term_slug(name)
            if not slug:
                _warn_at(
                    report,
                    post,
                    kind,
                    f"{kind}: {name!r} has no letters or digits for a URL; skipped",
                )
                continue
            if slug not in by_slug and slug != slugify(name):
                _warn_at(
                    report,
                    post,
                    kind,
                    f"{kind}: {name[:40]!r}... makes a URL segment over 200 bytes; "
                    f"published as {slug}",
                )
            by_slug.setdefault(slug, []).append(name)
            by_name[name] = [post]
    return _terms(kind, posts, by_slug, by_name, report, config)


def _shown_name(config: Config | None, counts: Counter[str]) -> str:
    """The spelling a term is shown under: the most used; on a Zola site the one Zola shows,
    the first in code-point order (components/content/src/taxonomies.rs `Taxonomy::new` sorts
    by slug and name and keeps the first; Zola 0.17.2 titled the feed of `Devops` x5,
    `DevOps`, `devops` "DevOps")."""
    if config is not None and config.generator is not None and config.generator.generator == "zola":
        return min(counts)
    return min(counts, key=lambda n: (-counts[n], n))


def _one_for_the_generator(config: Config | None, kind: TermKind, names: Iterable[str]) -> bool:
    """Whether the site's generator also makes these spellings one term (Hugo lower-cases
    terms, Zola slugifies them): then telling the author to write them alike is noise."""
    if config is None or config.generator is None:
        return False
    name_of = address_namer(config)
    return len({name_of(n, kind) for n in names}) == 1


def _warn_at(
    report: Report, post: Post, kind: TermKind, message: str, hint: str | None = None
) -> None:
    """A warning at the line of the post's key for `kind` (read again: this is rare)."""
    key: str = kind
    if kind == "authors":
        key = "authors" if key_line(post.source, "authors") is not None else "author"
    report.warning(Location(post.source, key_line(post.source, key)), message, hint)


def _channel(
    lang: FeedLanguage,
    term: Term,
    posts: Sequence[Post],
    pages: str | None = None,
    page: str | None = None,
) -> Channel:
    """The feed of a term; its channel links the term's page, `page` (its slug by default) in
    the folder `pages` (the grouping's own name by default), or the language's home page when
    the site has none."""
    folder = term.kind if pages is None else pages
    home = address_url(lang.home, f"{folder}/{page or term.slug}/") if folder else lang.home
    return Channel(
        kind=term.kind,
        slug=term.slug,
        name=term.name,
        **_worded(lang, term.kind, term.name),
        home_url=home,
        path=f"{lang.prefix}{term.kind}/{term.slug}/",
        posts=tuple(posts),
    )


def term_page_namer(config: Config) -> Namer | None:
    """How a Hugo or Zola site names a term's page in its folder (Hugo's urlize, Zola's
    slugify: `tags/c++/`, `tags/node.js/`, where syndicate's slug is `c`, `node-js`); None
    where the page, if any, is at syndicate's slug."""
    return address_namer(config) if _pages_by_generator(config) else None


def _pages_by_generator(config: Config) -> bool:
    """Whether the site's generator makes a page for each term and section, at a name of
    its own: Hugo and Zola (Jekyll makes none)."""
    return config.generator is not None and config.generator.generator in ("hugo", "zola")


def term_pages(config: Config, kind: str) -> str:
    """The folder of the site's pages of each term of `kind` ("" when it has none), which a
    term's feed links as its home page: on syndicate's own site, the grouping's name (the
    site's pages are its own); on Jekyll's, none (its terms have no pages but for a plugin's,
    jekyll-archives, elsewhere: a link there found nothing); on Hugo's and Zola's, the folder
    of the taxonomy of that grouping (its name), none without one (Hugo keeps `authors`
    without a taxonomy, as each post's authors: no page lists them)."""
    if config.generator is None:
        return kind
    if config.generator.generator == "jekyll":
        return ""
    names = [name for name, grouping in config.generator.rules.taxonomies if grouping == kind]
    return names[0] if names else ""


def _worded(lang: FeedLanguage, kind: ChannelKind, name: str) -> dict[str, str]:
    """The title and description of a term's or section's feed, in the words of `lang`."""
    labels = lang.labels
    words = {"site": lang.title, "label": labels.label(kind), "name": name}
    return {
        "title": fill_words(labels.title, **words),
        "description": fill_words(labels.description, **words),
    }


def _sections(lang: FeedLanguage, posts: Sequence[Post]) -> list[Channel]:
    """One channel per top-level section, by name, each with its posts newest first (a post
    at the top of the content folder has no section, and is in none)."""
    members: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        members[post.section].append(post)
    found = (_section(lang, name, members[name]) for name in sorted(members))
    return [channel for channel in found if channel is not None]


def _section(lang: FeedLanguage, name: str, posts: Sequence[Post]) -> Channel | None:
    slug = term_slug(name)
    if not slug:
        return None
    return Channel(
        kind=SECTIONS,
        slug=slug,
        name=name,
        **_worded(lang, SECTIONS, lang.section_titles.get(name, name)),
        home_url=f"{lang.home}{slug}/",
        path=f"{lang.prefix}sections/{slug}/",
        posts=tuple(posts),
    )


# The channels of `nested` section addresses, by kind beside the top-level sections'.
NESTED = "sections/nested"


def _nested_sections(lang: FeedLanguage, posts: Sequence[Post]) -> list[Channel]:
    """One channel per section at any depth that a post's generator files it in
    (`Post.feed_sections`), by path, each with the posts its own feed lists, newest first. A
    section that lists no post gets none (its generator's own empty feed stays as it is)."""
    members: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for path in post.feed_sections:
            members[path].append(post)
    found = (_nested_section(lang, path, members[path]) for path in sorted(members))
    return [channel for channel in found if channel is not None]


def _nested_section(lang: FeedLanguage, path: str, posts: Sequence[Post]) -> Channel | None:
    """A section's channel named by its whole path (`posts/guides`), its slug each folder's
    slug (`posts/guides`), none where a folder's slug is empty."""
    slug = section_slug(path)
    channel = _section(lang, path, posts) if slug else None
    if channel is None:
        return None
    return dataclasses.replace(
        channel, slug=slug, home_url=f"{lang.home}{slug}/", path=f"{lang.prefix}sections/{slug}/"
    )


def section_slug(path: str) -> str:
    """A section path's slug, folder by folder; "" when any folder has no slug."""
    slugs = [term_slug(part) for part in path.split("/")]
    return "/".join(slugs) if all(slugs) else ""


# --- [feeds.addresses] ----------------------------------------------------------------------

Namer = Callable[[str, str], str]


def _addresses(
    config: Config, sets: dict[str, LanguageSet], default: FeedLanguage, report: Report
) -> tuple[Address, ...]:
    """Every file of every address pattern, each of its `language`'s posts (the default
    language's without one). A file another address, or a file of the build, already takes is
    reported as an error naming both, and left out."""
    if not config.feeds.addresses:
        return ()
    names = _claims(config, [c for found in sets.values() for c in found.channels])
    for found in sets.values():  # each other language's OPML file and feeds page
        for name in ("feeds.opml", "feeds.html") if found.language.prefix else ():
            names.own(f"{found.language.prefix}{name}", "a file the build writes")
    namer = address_namer(config)
    order = _generator_order(config)
    sets_languages = [found.language for found in sets.values()]
    out: list[Address] = []
    for pattern, entry in sorted(config.feeds.addresses.items()):
        key = address_key(pattern)
        # On a one-language site `language` can only name that language (config checks it).
        found = sets.get(entry.language or default.code, sets[default.code])
        members = found.by_kind.get(NESTED if entry.nested else entry.feed, [])
        pages = term_page_namer(config) if entry.feed != "sections" else None
        for channel in _members(found.language, entry, found.channels[0], members, pages):
            rendered = _render(pattern, entry, channel, namer)
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
            url = published_url(sets_languages, config.base_url, rendered, escape=True)
            listed = dataclasses.replace(
                channel,
                posts=tuple(order(channel.posts)),
                home_url=_page_of(config, entry, rendered, sets_languages) or channel.home_url,
            )
            out.append(Address(key, listed, path, url, entry.format, limit, template))
    return tuple(out)


def _page_of(
    config: Config, entry: AddressTable, rendered: str, languages: Sequence[FeedLanguage]
) -> str | None:
    """The page a Hugo or Zola feed of a term or section is the feed of: the folder it is in
    (`tags/c++/index.xml` -> `tags/c++/`), which its channel links as that generator does (the
    term's own name, where syndicate's page of the term is at its slug)."""
    if not _pages_by_generator(config) or entry.feed == "site" or "/" not in rendered:
        return None
    return published_url(languages, config.base_url, rendered.rsplit("/", 1)[0] + "/", True)


def _generator_order(config: Config) -> Callable[[Sequence[Post]], Sequence[Post]]:
    """How an address lists its posts: in the order of the generator whose feed it continues
    (Hugo puts weighted pages first), else syndicate's newest first."""
    if config.generator is None:
        return lambda posts: posts
    from ..sites import generator

    return generator(config.generator.generator).feed_order


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
    lang: FeedLanguage,
    entry: AddressTable,
    site: Channel,
    channels: Sequence[Channel],
    page_name: Namer | None = None,
) -> list[Channel]:
    """The channels an address writes: the site, every term or section, or those `terms`
    names (a name no post uses yet gets an empty feed, as jekyll-feed writes one); a term
    named as Hugo or Zola names its page (`page_name`), where they keep apart terms that
    share a slug (`_kept_apart`)."""
    if entry.feed == "site":
        return [site]
    if entry.terms is None:
        return list(channels)
    by_slug = {c.slug: c for c in channels}
    by_page = {page_name(c.name, entry.feed): c for c in channels} if page_name else {}
    out: dict[str, Channel] = {}
    for name in entry.terms:
        if entry.nested:  # a section's path: "posts/guides"
            found = by_slug.get(section_slug(name)) or _nested_section(lang, name, ())
            if found is not None:
                out.setdefault(found.slug, found)
            continue
        slug = term_slug(name)
        page = by_page.get(page_name(name, entry.feed)) if page_name else None
        found = page or by_slug.get(slug) or _empty(lang, entry.feed, name, slug)
        if found is not None:
            out.setdefault(found.slug, found)
    return list(out.values())


def _empty(lang: FeedLanguage, kind: AddressFeed, name: str, slug: str) -> Channel | None:
    if not slug or kind == "site":
        return None
    if kind == "sections":
        return _section(lang, name, ())
    return _channel(lang, Term(kind, name, slug), ())


def _render(pattern: str, entry: AddressTable, channel: Channel, namer: Namer) -> str:
    kind = entry.feed
    field = ADDRESS_FIELDS[kind]
    if field is None:
        return pattern
    if entry.nested:  # the section's whole path, each folder as the generator writes it
        name = "/".join(namer(part, kind) for part in channel.name.split("/"))
        return pattern.replace(f"{{{field}}}", name)
    return pattern.replace(f"{{{field}}}", namer(channel.name, kind))


def _label(channel: Channel) -> str:
    kind = channel.kind
    if kind == "site":
        return "site"
    return ENGLISH.label(kind).lower()


def address_namer(config: Config) -> Namer:
    """How `{term}` and `{section}` are written in an address: as the site's generator writes
    them in its URLs, else as syndicate's own group feeds are named."""
    settings = config.generator
    if settings is None:
        return lambda name, kind: term_slug(name)
    from ..sites import generator

    module = generator(settings.generator)
    return lambda name, kind: module.address_name(name, kind, settings)
