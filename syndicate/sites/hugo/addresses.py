"""The addresses of Hugo's built-in RSS feeds, a name as Hugo writes it in a URL, and the pages
Hugo's feeds list that are not posts.

Followed: https://gohugo.io/templates/rss/ (a feed for the home page, each section, each
taxonomy and each term; `services.rss.limit`), https://gohugo.io/configuration/outputs/ (the
default outputs of each kind: `html` and `rss` for home, section, taxonomy and term; a kind's
list replaces them), https://gohugo.io/configuration/output-formats/ (the RSS format's base name
`index` and suffix `.xml`; RSS is never ugly), https://gohugo.io/configuration/services/#rss
and https://gohugo.io/methods/site/regularpages/. Checked against Hugo's source at
HUGO_COMMIT: tpl/tplimpl/embedded/templates/rss.xml (the home feed lists `site.RegularPages`,
a section's feed its `.RegularPages`, a term's feed its `.Pages`; the guid is the permalink;
`first $limit` when the limit is 1 or more), config/services/servicesConfig.go
(`services.rss.limit`, else the older `rssLimit`, else -1: every page),
hugolib/content_map_page_assembler.go (a term's page is `/<taxonomy>/<term>`, normalised and
sanitised as any path), resources/page/pages_sort.go (`DefaultPageSort`).
"""

from __future__ import annotations

import itertools
import json
import os
import posixpath
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import urls
from .collation import collation_key

if TYPE_CHECKING:
    from ...config import Config
    from ...errors import Report
    from ...model import Post
    from .. import SiteSettings

RSS_KINDS = ("home", "section", "taxonomy", "term")
# Hugo's taxonomies when the config sets none (https://gohugo.io/configuration/taxonomies/).
DEFAULT_TAXONOMIES = {"category": "categories", "tag": "tags"}
GROUPINGS = ("tags", "categories", "series", "authors")


def rss_kinds(values: Mapping[str, Any]) -> dict[str, bool]:
    """Which kinds of page have an RSS feed: `outputs.<kind>` replaces the default list
    (which holds RSS), `disableKinds` takes a kind or RSS itself away."""
    disabled = {str(k).lower() for k in _names(values.get("disablekinds"))}
    outputs = values.get("outputs") if isinstance(values.get("outputs"), dict) else {}
    kinds: dict[str, bool] = {}
    for kind in RSS_KINDS:
        listed = outputs.get(kind) if isinstance(outputs, dict) else None
        has = any(str(v).lower() == "rss" for v in listed) if isinstance(listed, list) else True
        kinds[kind] = has and kind not in disabled and "rss" not in disabled
    return kinds


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def rss_limit(values: Mapping[str, Any]) -> int:
    """`services.rss.limit`, else `rssLimit`; 0 (every page) where neither is 1 or more."""
    services = values.get("services")
    rss = services.get("rss") if isinstance(services, dict) else None
    limit = rss.get("limit") if isinstance(rss, dict) else None
    if not isinstance(limit, int) or isinstance(limit, bool) or limit == 0:
        limit = values.get("rsslimit")
    return limit if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0 else 0


def rss_base_name(values: Mapping[str, Any]) -> str:
    formats = values.get("outputformats")
    rss = formats.get("rss") if isinstance(formats, dict) else None
    name = rss.get("basename") if isinstance(rss, dict) else None
    return name if isinstance(name, str) and name else "index"


def taxonomies(values: Mapping[str, Any]) -> dict[str, str]:
    """Each taxonomy's plural name -> its singular."""
    table = values.get("taxonomies")
    if not isinstance(table, dict):
        table = DEFAULT_TAXONOMIES
    return {str(plural).lower(): str(single) for single, plural in table.items()}


def describe(
    values: Mapping[str, Any],
    case: urls.Case,
    rules: Sequence[urls.Rule],
    main_sections: Sequence[str],
    nested: Callable[[str], bool],
    layouts: Sequence[str],
    section_page: Callable[[str], Mapping[str, Any]] = lambda _: {},
    prefix: str | None = None,
    language: str = "",
    own_host: bool = False,
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The addresses of Hugo's built-in feeds of one language (the default one unless
    `prefix`, its folder in the output, and `language`, its code, say which), as
    `[feeds.addresses]` entries (pattern, JSON), and what `init` should tell about those it
    does not describe. `nested(section)` says whether a main section holds sections of its
    own; `layouts` are the site's own RSS templates; `section_page(section)` is the front
    matter of the section's page in that language ("" for the home page's): its `outputs`
    replace the config's for that page, its `url` moves it. A language at a host of its own
    (`own_host`, multihost) has every file in its folder `prefix`."""

    def outputs(section: str) -> Any:
        return section_page(section).get("outputs")

    def section_url(section: str) -> Any:
        url = section_page(section).get("url")
        if own_host and isinstance(url, str) and not url.startswith(f"/{prefix}"):
            # Multihost: a `url` from the root is in the language's folder too, unless it
            # names that folder (CreateTargetPaths in resources/page/page_paths.go@HUGO_COMMIT).
            return url.lstrip("/")
        return url

    kinds = _own_outputs(rss_kinds(values), values, outputs, main_sections)
    base = rss_base_name(values) + ".xml"
    limit = rss_limit(values)
    if prefix is None:
        lang = str(values.get("defaultcontentlanguage") or "en").lower()
        prefix = f"{lang}/" if values.get("defaultcontentlanguageinsubdir") is True else ""
    found: list[tuple[str, str]] = []
    notes: list[str] = []

    def entry(feed: str, **more: Any) -> str:
        # Hugo's RSS <guid> is the item's permalink (rss.xml@HUGO_COMMIT).
        keys = {"feed": feed, "format": "rss", "limit": limit, "id_template": "{permalink}"}
        if language:
            keys["language"] = language
        return json.dumps({**keys, **more}, sort_keys=True)

    if kinds["home"]:
        found.append((f"{prefix}{base}", entry("site")))
    with_feeds = [s for s in main_sections if kinds.get(f"section:{s}")]
    if with_feeds or (kinds["section"] and not main_sections):
        every = len(with_feeds) == len(main_sections)
        _sections(
            found, notes, entry, rules, with_feeds, every, nested, section_url, prefix, base, case
        )
    if kinds["term"]:
        _terms(found, notes, entry, values, rules, prefix, base, case)
    if kinds["taxonomy"]:
        notes.append(
            f"Hugo's taxonomy feeds ({', '.join(f'{t}/{base}' for t in taxonomies(values))}) "
            "list term pages, not posts: syndicate does not write them"
        )
    if layouts:
        notes.append(
            f"the site or its theme has its own RSS template ({', '.join(layouts)}): its feeds "
            "may list other pages, or fewer, than Hugo's embedded template, which the addresses "
            "follow"
        )
    return tuple(found), tuple(notes)


def _own_outputs(
    kinds: dict[str, bool],
    values: Mapping[str, Any],
    outputs: Callable[[str], Any],
    main_sections: Sequence[str],
) -> dict[str, bool]:
    """The kinds with RSS, the home page's and each main section's own `outputs` front matter
    applied (https://gohugo.io/configuration/outputs/: "front matter ... overrides")."""
    disabled = {str(k).lower() for k in _names(values.get("disablekinds"))}

    def has(kind: str, own: Any) -> bool:
        if "rss" in disabled or kind in disabled:
            return False
        if isinstance(own, list):
            return any(str(v).lower() == "rss" for v in own)
        return kinds[kind]

    result = dict(kinds)
    result["home"] = has("home", outputs(""))
    for section in main_sections:
        result[f"section:{section}"] = has("section", outputs(section))
    return result


def _sections(
    found: list[tuple[str, str]],
    notes: list[str],
    entry: Callable[..., str],
    rules: Sequence[urls.Rule],
    main_sections: Sequence[str],
    every: bool,
    nested: Callable[[str], bool],
    section_url: Callable[[str], Any],
    prefix: str,
    base: str,
    case: urls.Case,
) -> None:
    """`{section}/index.xml` for every section at any depth (`nested`: each lists the pages
    directly in it, `.RegularPages` in rss.xml@HUGO_COMMIT), of the `main_sections` that have
    a feed (all of them when `every`); a top-level section moved by its page's `url` or by
    `permalinks.section` at its own address. What the addresses cannot say is noted: the
    sections inside a main section listed by name, or below a moving `permalinks.section`."""
    moved: list[str] = []
    for section in main_sections:
        url = section_url(section)
        if isinstance(url, str) and url:
            moved.append(section)
            _section_url(found, notes, entry, section, url, prefix, base)
            continue
        path = "/" + section.lower()
        rule = next((r for r in rules if _targets(r, "section", path)), None)
        if rule is None:
            continue
        moved.append(section)
        if urls.unknown_tokens(rule.pattern) or urls.ATTRIBUTE.search(rule.pattern):
            notes.append(
                f"the feed of section {section!r} is where Hugo's permalink "
                f"{rule.pattern!r} puts it: not described (set its address by hand)"
            )
            continue
        where = case.path(urls.permalink_path(rule.pattern)).strip("/")
        address = f"{prefix}{where}/{base}" if where else f"{prefix}{base}"
        found.append((address, entry("sections", terms=[section], nested=True)))
    others = [s for s in main_sections if s not in moved]
    if not main_sections or others:
        terms = {} if every and not moved else {"terms": others}
        found.append((f"{prefix}{{section}}/{base}", entry("sections", nested=True, **terms)))
    for section in main_sections:
        if not nested(section):
            continue
        inside = f"/{section.lower()}/x"  # any section inside it, as a rule's glob sees it
        if any(_targets(r, "section", inside) for r in rules):
            notes.append(
                f"the feeds of the sections inside {section!r} are where Hugo's "
                "`permalinks.section` puts them, which no address here describes: give each "
                f'an address of its own, with `terms = ["{section}/<folder>"]`'
            )
        elif moved or not every:
            notes.append(
                f"the feeds of the sections inside {section!r} are not described: list "
                f"their paths (as `{section}/<folder>`) in the `terms` of a sections address "
                "with `nested = true`"
            )


def _section_url(
    found: list[tuple[str, str]],
    notes: list[str],
    entry: Callable[..., str],
    section: str,
    url: str,
    prefix: str,
    base: str,
) -> None:
    """A section page's `url` front matter, kept as written: its feed is in that folder (a
    `url` not starting with `/` below the language's prefix; page_paths.go@HUGO_COMMIT)."""
    if ":" in url or "." in url.rsplit("/", 1)[-1]:
        notes.append(
            f"the feed of section {section!r} is where its url {url!r} puts it: not "
            "described (set its address by hand)"
        )
        return
    where = posixpath.normpath("/" + url).strip("/")
    lead = "" if url.startswith("/") else prefix
    found.append(
        (
            f"{lead}{where}/{base}" if where else f"{lead}{base}",
            entry("sections", terms=[section], nested=True),
        )
    )


def _terms(
    found: list[tuple[str, str]],
    notes: list[str],
    entry: Callable[..., str],
    values: Mapping[str, Any],
    rules: Sequence[urls.Rule],
    prefix: str,
    base: str,
    case: urls.Case,
) -> None:
    """`<taxonomy>/{term}/index.xml` for each taxonomy that is one of syndicate's groupings;
    a term moved by a `permalinks` pattern whose only token is `:slug` or `:title`."""
    for plural in sorted(taxonomies(values)):
        if plural not in GROUPINGS:
            notes.append(
                f"Hugo's taxonomy {plural!r} has no syndicate grouping (tags, categories, "
                "series, authors): its term feeds are not described"
            )
            continue
        rule = next((r for r in rules if _targets(r, "term", f"/{plural}/term")), None)
        where = f"{case.path(plural)}/{{term}}"
        if rule is not None:
            tokens = [m.group() for m in urls.ATTRIBUTE.finditer(rule.pattern)]
            if tokens not in ([":slug"], [":title"]) or "\\:" in rule.pattern:
                notes.append(
                    f"the term feeds of {plural!r} are where Hugo's permalink "
                    f"{rule.pattern!r} puts them: not described"
                )
                continue
            before, _, after = rule.pattern.partition(tokens[0])
            where = (urls.permalink_path(case.path(before) + "{term}" + case.path(after))).strip(
                "/"
            )
        found.append((f"{prefix}{where}/{base}", entry(plural)))


def _targets(rule: urls.Rule, kind: str, path: str) -> bool:
    from .posts import _glob

    return (not rule.kind or _glob(rule.kind, kind)) and (not rule.path or _glob(rule.path, path))


# ---------------------------------------------------------------------------------------------
# Names in addresses


def address_name(name: str, kind: str, settings: SiteSettings) -> str:
    """A term's or a section's name as Hugo writes it in a path: lower-cased with spaces as
    `-` (NormalizePathStringBasic), then sanitised (paths.Sanitize; `removePathAccents`);
    `disablePathToLower` keeps the case. Not percent-escaped: this is the folder's name on
    disk (`tags/設定/index.xml`); its URL escapes it (`/tags/%E8%A8%AD%E5%AE%9A/`)."""
    case = case_of(settings)
    text = name.lower().replace(" ", "-") if case.lower else name
    return case.path(text)


def case_of(settings: SiteSettings) -> urls.Case:
    for _, text in settings.rules.defaults:
        entry = json.loads(text)
        if entry.get("kind") == "reading":
            found = entry.get("urls") or {}
            return urls.Case(found.get("lower", True), found.get("accents", True))
    return urls.Case()


# ---------------------------------------------------------------------------------------------
# Pages in Hugo's feeds that are not posts


def pages_in_feeds(config: Config, report: Report) -> int:
    """The regular pages outside the main sections (the pages syndicate does not read as
    posts) that the described feeds list, each counted once: the home feed's
    (`site.RegularPages`), the other sections' feeds (their pages) and the term feeds' (a
    term's `.Pages`), each within its limit in Hugo's default order. Each address counts the
    pages of its language (the default language's where it names none)."""
    settings = config.generator
    if settings is None:
        return 0
    every = _regular_pages(config)
    default = str(_reading(settings).get("default_language", "en"))
    mains = {s.lower() for s in config.site.main_sections}
    counted: set[str] = set()
    for _, text in settings.addresses:
        entry = json.loads(text)
        pages = [p for p in every if p.lang == entry.get("language", default)]
        limit = int(entry.get("limit") or 0)
        if entry.get("feed") == "site":
            listed = _first(pages, limit)
            counted.update(p.file for p in listed if p.section not in mains)
        elif entry.get("feed") == "sections":
            # A section that holds no post still has Hugo's feed of its pages.
            for section in {p.section for p in pages if p.section and p.section not in mains}:
                having = [p for p in pages if p.section == section]
                counted.update(p.file for p in _first(having, limit))
        elif entry.get("feed") in GROUPINGS:
            plural = str(entry["feed"])
            terms = {t for p in pages if p.section not in mains for t in p.terms.get(plural, ())}
            for term in terms:
                having = [p for p in pages if term in p.terms.get(plural, ())]
                counted.update(p.file for p in _first(having, limit) if p.section not in mains)
    return len(counted)


def _reading(settings: SiteSettings) -> Mapping[str, Any]:
    from .posts import _reading_of

    return _reading_of(settings.rules)


class _Page:
    __slots__ = ("date", "file", "lang", "section", "terms", "title", "weight")

    def __init__(
        self,
        file: str,
        section: str,
        weight: int,
        date: datetime,
        title: str,
        terms: dict[str, set[str]],
        lang: str,
    ) -> None:
        self.file = file
        self.lang = lang
        self.section = section
        self.weight = weight
        self.date = date
        self.title = title
        self.terms = terms


def _first(pages: list[_Page], limit: int) -> list[_Page]:
    ordered = hugo_ordered(pages)
    return ordered[:limit] if limit > 0 else ordered


def feed_order(posts: Sequence[Post]) -> list[Post]:
    """The posts in Hugo's default page order (`hugo_ordered`), as its RSS lists them."""
    return [item.post for item in hugo_ordered([_Ordered(post) for post in posts])]


class _Ordered:
    """What Hugo's default order reads of a page, for a post: its `linkTitle` is the title
    the order compares (Page.LinkTitle: front matter `linkTitle`, else the title)."""

    __slots__ = ("date", "file", "post", "title", "weight")

    def __init__(self, post: Post) -> None:
        params = {k.lower(): v for k, v in post.params.items()}
        weight = params.get("weight", 0)
        usable = isinstance(weight, int) and not isinstance(weight, bool)
        self.weight = weight if usable else 0
        self.date = post.date
        link_title = params.get("linktitle")
        self.title = link_title if isinstance(link_title, str) and link_title else post.title
        self.file = post.source
        self.post = post


_Sortable = TypeVar("_Sortable", _Page, _Ordered)


def hugo_ordered(pages: list[_Sortable]) -> list[_Sortable]:
    """DefaultPageSort (resources/page/pages_sort.go@HUGO_COMMIT): weight ascending with 0
    (no weight) last, then date newest first (whole seconds), then the link title by the
    Unicode Collation Algorithm (Hugo's golang.org/x/text/collate: `apple`, `banana`,
    `Cherry`, where code points put `Cherry` first), then the page's path, lower-cased as
    Hugo's normalised path is. The collation table is read only when two pages tie on weight
    and date, and only as far as their titles need (`collation`): most feeds never need it."""
    ordered: list[_Sortable] = []
    for _, run in itertools.groupby(sorted(pages, key=_weight_and_date), key=_weight_and_date):
        tied = list(run)
        ordered.extend(sorted(tied, key=_title_and_path) if len(tied) > 1 else tied)
    return ordered


def _weight_and_date(page: _Page | _Ordered) -> tuple[bool, int, int]:
    weight = int(page.weight or 0)
    return (weight == 0, weight, -int(page.date.timestamp()))


def _title_and_path(page: _Page | _Ordered) -> tuple[tuple[int, ...], str]:
    return (collation_key(page.title), str(page.file).lower())


def _regular_pages(config: Config) -> list[_Page]:
    """Every regular page Hugo publishes, in every language (drafts, future and expired
    pages, headless and unlisted ones left out, as Hugo leaves them out)."""
    from .config import _front_matter, _page_files, split_name
    from .dates import parse_date
    from .posts import _listed, _reading_of

    assert config.generator is not None
    settings = config.generator
    reading = _reading_of(settings.rules)
    root = settings.root
    folders = [(root / f, code) for f, code in reading.get("content_dirs", [])]
    languages = frozenset(str(x) for x in reading.get("languages", []))
    default = str(reading.get("default_language", "en"))
    now = datetime.now(UTC)
    found: list[_Page] = []
    for folder, code in folders:
        others = {f for f, _ in folders if f != folder}
        for file in _page_files(folder, languages, others):
            lang = split_name(file.name, languages)[1] or code or default
            meta = _front_matter(file)  # {} where Hugo would stop on it
            lowered = {str(k).lower(): k for k in meta}
            if not _listed(meta, lowered):
                continue
            date = _date_of(meta, lowered, reading, "date", parse_date, config)
            if _hidden(meta, lowered, settings, now, date, reading, config):
                continue
            parts = file.relative_to(folder).parts
            if len(parts) == 2 and split_name(parts[1], languages)[0] == "index":
                parts = parts[1:]  # a leaf bundle at the root is a page of no section
            weight = meta.get(lowered.get("weight", ""), 0)
            title = meta.get(lowered.get("linktitle", lowered.get("title", "")), "")
            found.append(
                _Page(
                    os.fspath(file),
                    parts[0].lower() if len(parts) > 1 else "",
                    weight if isinstance(weight, int) and not isinstance(weight, bool) else 0,
                    date,
                    str(title or ""),
                    _terms_of(meta, lowered, settings),
                    lang,
                )
            )
    return found


def _hidden(
    meta: Mapping[str, Any],
    lowered: Mapping[str, Any],
    settings: SiteSettings,
    now: datetime,
    date: datetime,
    reading: Mapping[str, Any],
    config: Config,
) -> bool:
    """A draft, a page published in the future or expired: Hugo leaves it out unless its
    build flags keep it (https://gohugo.io/content-management/build-options/)."""
    from .dates import parse_date, zero_date

    zero = zero_date(config.tz)
    draft = meta.get(lowered.get("draft", ""), False)
    if draft is True and not settings.rules.drafts:
        return True
    publish = _date_of(meta, lowered, reading, "publishdate", parse_date, config)
    publish = date if publish == zero else publish
    if publish > now and not settings.rules.future:
        return True
    expiry = _date_of(meta, lowered, reading, "expirydate", parse_date, config)
    return zero < expiry <= now and not settings.rules.expired


def _date_of(
    meta: Mapping[str, Any],
    lowered: Mapping[str, Any],
    reading: Mapping[str, Any],
    name: str,
    parse: Callable[..., datetime | None],
    config: Config,
) -> datetime:
    """The page's `name` date from its front-matter date sources (not `:filename` nor
    `:fileModTime`), else the zero date."""
    from .dates import zero_date

    for key in (reading.get("dates") or {}).get(name, [name]):
        if key in lowered:
            try:
                found = parse(meta[lowered[key]], config.tz)
            except ValueError:
                continue
            if found is not None:
                return found
    return zero_date(config.tz)


def _terms_of(
    meta: Mapping[str, Any], lowered: Mapping[str, Any], settings: SiteSettings
) -> dict[str, set[str]]:
    terms: dict[str, set[str]] = {}
    for plural, _ in settings.rules.taxonomies:
        value = meta.get(lowered.get(plural, ""))
        names = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        terms[plural] = {address_name(str(n), plural, settings) for n in names}
    return terms


def site_rss_templates(root: Path, themes: Sequence[Path] = ()) -> list[str]:
    """The RSS templates of the site and of its themes' folders (`themes/<theme>/`), which
    Hugo looks up after the site's (layouts/**/*rss.xml, layouts/**/*.xml named rss)."""
    found: list[str] = []
    for folder in (root / "layouts", *(theme / "layouts" for theme in themes)):
        if folder.is_dir():
            found += sorted(
                p.relative_to(root).as_posix()
                for p in folder.rglob("*.xml")
                if p.is_file() and "rss" in p.name.lower()
            )
    return found
