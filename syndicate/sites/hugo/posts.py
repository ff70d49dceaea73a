"""Which files Hugo publishes as posts, and one post's front matter in syndicate's terms.

`@HUGO_COMMIT` in comments is the commit named in the package's docstring.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ...errors import kind_of
from .. import (
    FEED_SECTIONS,
    LANGUAGE,
    SUMMARY,
    TRANSLATION,
    URL_PATH,
    WARNINGS,
    NotAPost,
    PostRules,
)
from . import urls
from .config import (
    CONTENT_SUFFIXES,
    GROUPINGS,
    HTML_SUFFIXES,
    OTHER_SUFFIXES,
    _ignored_name,
    matrix_languages,
    section_page_names,
    split_name,
)
from .dates import (
    DATE_ALIASES,
    DATE_KEYS,
    DATE_SOURCES,
    date_from_file_name,
    parse_date,
    with_aliases,
    zero_date,
)

if TYPE_CHECKING:
    from ...config import Config
    from ...content.loader import SourceFile
    from ...errors import Report

# Groupings that are nothing but terms: without a Hugo taxonomy of that name, Hugo publishes no
# page for them, so neither does syndicate. Authors are also each item's authors: always kept.
TERMS_ONLY = frozenset(g for g in GROUPINGS if g != "authors")

# Front-matter keys Hugo reads whatever their case, under syndicate's spelling.
CANONICAL = {
    "title": "title",
    "description": "description",
    "summary": "summary",
    "draft": "draft",
    "slug": "slug",
    "url": "url",
    "images": "images",
    "aliases": "aliases",
}


# ---------------------------------------------------------------------------------------------
# Which files are posts


def find_posts(config: Config, report: Report, with_stat: bool = True) -> list[SourceFile]:
    """The regular pages of the main sections, in every language: `.md` and `.html` content
    files, a leaf bundle's `index.*` (its other files are resources), never `_index.*`
    (https://gohugo.io/content-management/page-bundles/). Drafts, future and expired posts are
    included (the loader counts them); headless bundles are left out by `adapt`."""
    from ...content.loader import site_folders

    assert config.generator is not None
    root = config.generator.root
    reading = _reading_of(config.generator.rules)
    sections = set(config.site.main_sections)
    inside = None if config.site.follow_links_outside else site_folders(config)
    found: list[SourceFile] = []
    folders = [(root / folder, lang) for folder, lang in reading.get("content_dirs", [])]
    if not any(folder.is_dir() for folder, _ in folders):
        from ...errors import Location

        report.error(
            Location(root / str(config.site.content_dir)),
            "content folder not found",
            "check contentDir in Hugo's config, or set content_dir under [site]",
        )
        return []
    names = _Names(reading, [str(folder) for folder, _ in folders])
    for folder, _ in folders:
        if folder.is_dir():
            found.extend(_posts_in(folder, names, sections, inside, report, with_stat))
    found.sort(key=lambda s: s.file)
    return found


class _Names:
    """What tells a content file's role from its path: the languages (`index.fr.md` is a
    bundle's index), the content folders (one may hold another), `ignoreFiles`."""

    def __init__(self, reading: Mapping[str, Any], folders: list[str]) -> None:
        self.languages = frozenset(str(x) for x in reading.get("languages", []))
        self.folders = folders
        self.ignore = [re.compile(p) for p in reading.get("ignore_files", [])]

    def base(self, name: str) -> str:
        return split_name(name, self.languages)[0]

    def elsewhere(self, folder: str, here: str) -> bool:
        """Whether `here`, under `folder`, is in another content folder nested in it."""
        return any(
            other != folder and (here == other or here.startswith(other + os.sep))
            for other in self.folders
            if other.startswith(folder + os.sep)
        )

    def ignored(self, path: str) -> bool:
        # Hugo matches each expression against the file's full path (hugofs/walk.go).
        return _ignored_name(os.path.basename(path)) or any(p.search(path) for p in self.ignore)


def _posts_in(
    folder: Path,
    names: _Names,
    sections: set[str],
    inside: tuple[str, ...] | None,
    report: Report,
    with_stat: bool = True,
) -> Iterator[SourceFile]:
    """The posts of one content folder (a language's, or the site's)."""
    from ...content.loader import SourceFile, walk

    bundles: set[str] = set()
    suffixes = CONTENT_SUFFIXES + OTHER_SUFFIXES
    for prefix, files in walk(folder, report, inside, suffixes, with_stat=with_stat):
        if not prefix or (sections and prefix[0] not in sections):
            continue
        here = os.path.join(str(folder), *prefix)
        if names.elsewhere(str(folder), here) or any(here.startswith(b + os.sep) for b in bundles):
            continue  # another language's content folder, or a leaf bundle's resources
        if any(names.base(name) == "index" for name, *_ in files):
            bundles.add(here)
            for name, path, mtime_ns, size in files:
                if names.base(name) == "index" and name.lower().endswith(CONTENT_SUFFIXES):
                    yield SourceFile(path, prefix[0], Path(here), mtime_ns, size)
            continue
        for name, path, mtime_ns, size in files:
            if names.base(name) == "_index" or names.ignored(path):
                continue
            if name.lower().endswith(OTHER_SUFFIXES):
                _unsupported(report, path)
                continue
            yield SourceFile(path, prefix[0], None, mtime_ns, size)


def _unsupported(report: Report, path: str) -> None:
    from ...errors import Location

    report.warning(
        Location(Path(path)),
        "Hugo publishes this file with an external tool (AsciiDoc, Org, Pandoc or "
        "reStructuredText); syndicate reads Markdown and HTML only, so it is left out",
        "convert it to Markdown to have it in the feeds",
    )


def _reading_of(rules: PostRules) -> Mapping[str, Any]:
    return _parsed(rules)[0]


@functools.lru_cache(maxsize=8)
def _cascade_folders(rules: PostRules) -> tuple[str, ...]:
    """Where each cascade of `_parsed` reaches, as the start of the paths below its folder
    ("" for one without a folder, which reaches every page). Made once: a site's config can
    hold dozens of cascades, and every page and section was checked against each (on
    opentelemetry.io, 48 of them took over half the time its 667 pages took to read)."""
    root = Path(rules.root)
    return tuple(
        (root / folder).as_posix() + "/" if (folder := entry.get("folder") or "") else ""
        for entry in _parsed(rules)[1]
    )


@functools.lru_cache(maxsize=8)
def _parsed(rules: PostRules) -> tuple[Mapping[str, Any], tuple[Mapping[str, Any], ...]]:
    """The rules' reading settings and cascades (nearest first), parsed once per site and
    not on every post. Shared by every post: never changed."""
    reading: Mapping[str, Any] = {
        "kind": "reading",
        "dates": {k: with_aliases(v) for k, v in DATE_SOURCES.items()},
    }
    cascades: list[Mapping[str, Any]] = []
    for _, text in rules.defaults:
        entry = json.loads(text)
        if entry.get("kind") == "reading":
            reading = entry
        elif entry.get("kind") == "cascade":
            cascades.append(entry)
    return reading, tuple(reversed(cascades))


# ---------------------------------------------------------------------------------------------
# One post's URL


def _url_path(
    own: Mapping[str, Any],
    lowered: Mapping[str, Any],
    slug: str,
    date: datetime,
    source: SourceFile,
    rules: PostRules,
    reading: Mapping[str, Any],
) -> str:
    """The page's link below the base URL, as Hugo makes it (urls.py). A token or setting
    syndicate does not compute is `Invalid` naming it, never a URL Hugo would not give."""
    from ...content.frontmatter import Invalid

    settings: Mapping[str, Any] = reading.get("urls") or {}
    case = urls.Case(settings.get("lower", True), settings.get("accents", True))
    path = Path(source.file)
    folder, parts = _in_content_folder(path, rules)
    languages = frozenset(str(x) for x in reading.get("languages", []))
    default = str(reading.get("default_language", "en"))
    lang = _language(path, rules.root, reading)
    hosts: Mapping[str, str] = settings.get("hosts") or {}
    prefix = _prefix(lang, reading)
    bundle = source.bundle is not None
    container = parts[:-2] if bundle else parts[:-1]
    base = source.bundle.name if source.bundle is not None else split_name(parts[-1], languages)[0]
    section = parts[0] if len(parts) > 1 else ""
    title = own[lowered["title"]] if "title" in lowered else ""
    written_url = own[lowered["url"]] if "url" in lowered else None
    _refuse_unsupported(settings, written_url)
    try:
        page = urls.PageFacts(
            title=_text(title),
            slug=slug,
            base_name=base,
            section=_normal(section, case),
            date=date,
            sections=lambda: tuple(
                _normal(s, case) for s in _current_section(folder, container, rules, reading)
            ),
            section_slugs=lambda: _section_slugs(
                folder, container, lang, default, rules, reading, case
            ),
        )
        url = _expanded_url(written_url, page, case)
        expanded = _matching_pattern(_logical_path(path, rules), lang, reading)
        place = urls.Place(
            container="/".join(_normal(c, case) for c in container),
            base_name=slug or _normal(base, case),
            url=url,
            expanded=urls.permalink_path(urls.expand(expanded, page, case)) if expanded else None,
            ugly=urls.ugly_for(settings.get("ugly"), _normal(section, case).lower()),
            prefix=prefix,
        )
        return _on_host(urls.link(place, case), hosts.get(lang), hosts.get(default))
    except urls.Unsupported as exc:
        raise Invalid(
            f"Hugo's permalink {exc} is not computed by syndicate, so this post's URL "
            "would not be the one Hugo publishes",
            hint="set `url` in the post's front matter to the URL Hugo gives it",
            key="url",
        ) from None
    except ValueError as exc:
        raise Invalid(f"url: {exc}", key="url") from None


def _prefix(lang: str, reading: Mapping[str, Any]) -> str:
    """The path prefix of a language's pages: its code, but for the default language (unless
    `defaultContentLanguageInSubdir`); none on a multihost site, where a language's pages are
    at its own host (getLanguagePermalinkLang in hugolib/site.go@HUGO_COMMIT)."""
    settings: Mapping[str, Any] = reading.get("urls") or {}
    default = str(reading.get("default_language", "en"))
    in_subdir = lang != default or settings.get("in_subdir")
    return lang if in_subdir and not settings.get("hosts") else ""


def _on_host(link: str, host: str | None, default: str | None) -> str:
    """A multihost page's link at its language's host: the link as it is for a language at
    the site's base URL (the default language's), else its absolute URL (Hugo's permalink is
    the language's base URL, its path kept, then the link: PermalinkForBaseURL in
    helpers/pathspec.go@HUGO_COMMIT)."""
    if host is None or default is None or host == default:
        return link
    url = host + link.lstrip("/")
    # Below the site's base URL: a path, so that a base URL set in syndicate.toml moves it.
    return "/" + url[len(default) :] if url.startswith(default) else url


def _refuse_unsupported(settings: Mapping[str, Any], written_url: Any) -> None:
    """`Invalid` for a page whose URL depends on a setting syndicate does not compute:
    Hugo's roles and versions."""
    from ...content.frontmatter import Invalid

    absolute = isinstance(written_url, str) and written_url.startswith("/")
    if settings.get("dimensions") and not absolute:
        raise Invalid(
            f"Hugo's {' and '.join(settings['dimensions'])} put pages under path prefixes "
            "syndicate does not compute",
            hint="set `url` (starting with /) in the front matter of each post",
            key="url",
        )


def _text(value: Any) -> str:
    """A front-matter value as Hugo's cast.ToString reads it (`slug: 2024` is "2024")."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return ""


def _normal(text: str, case: urls.Case) -> str:
    """A path element as Hugo's normalised page path holds it (NormalizePathStringBasic:
    lower case, spaces as `-`), or as written with `disablePathToLower`."""
    return text.lower().replace(" ", "-") if case.lower else text


def _in_content_folder(path: Path, rules: PostRules) -> tuple[Path, list[str]]:
    """The content folder that holds `path` (the deepest), and the path's parts below it."""
    file = path.as_posix()
    for start, folder in _content_folders(rules)[1]:
        if file.startswith(start):
            return folder, file[len(start) :].split("/")
    return path.parent, [path.name]


def _expanded_url(written: Any, page: urls.PageFacts, case: urls.Case) -> str | None:
    """Front matter `url`, with any permalink token in it expanded (then QueryUnescape'd)."""
    if not isinstance(written, str) or not written:
        return None
    if ":" not in written:
        return written
    unknown = urls.unknown_tokens(written)
    if unknown:
        raise urls.Unsupported(f"{unknown[0]} in url (a token Hugo does not know)")
    expanded = urls.expand(written, page, case)
    decoded = urls._unescape(expanded.replace("+", " "))
    return decoded if decoded is not None else expanded


def _matching_pattern(logical: str, lang: str, reading: Mapping[str, Any]) -> str | None:
    """The pattern of the first `permalinks` rule whose target matches this regular page: of
    its language's own `permalinks` where it has them (over the site's), else the site's."""
    environment = str(reading.get("environment", "production"))
    settings = reading.get("urls") or {}
    own = (settings.get("language_rules") or {}).get(lang)
    for kind, glob, pattern, env in own if own is not None else settings.get("rules", []):
        if kind and not _glob(kind, "page"):
            continue
        if glob and not _glob(glob, logical):
            continue
        if env and not _glob(env, environment):
            continue
        return str(pattern)
    return None


def _feed_sections(
    source: SourceFile, rules: PostRules, reading: Mapping[str, Any]
) -> tuple[str, ...]:
    """The one section whose feed lists the page: its current section in the page's language,
    its top-level folder or the deepest folder below it with a section page in that language
    (a section's feed lists `.RegularPages`, the pages directly in it, never its
    sub-sections': tpl/tplimpl/embedded/templates/rss.xml@HUGO_COMMIT; checked with hugo
    0.168: `_index.fr.md` makes a section in French only, `_index.md` in the default language
    only); none when that section's page sets `outputs` without RSS
    (https://gohugo.io/configuration/outputs/: front matter `outputs` overrides the site's)."""
    path = Path(source.file)
    folder, parts = _in_content_folder(path, rules)
    container = parts[:-2] if source.bundle is not None else parts[:-1]
    if not container:
        return ()
    lang = _language(path, rules.root, reading)
    plain = lang == reading.get("default_language", "en") or any(
        code == lang and Path(rules.root) / f == folder for f, code in reading["content_dirs"]
    )
    deepest, page = 1, _section_file(str(folder / container[0]), lang, plain)
    for depth in range(2, len(container) + 1):
        found = _section_file(str(folder.joinpath(*container[:depth])), lang, plain)
        if found is not None:
            deepest, page = depth, found
    outputs = _outputs_of(page, *_stamp(page)) if page is not None else None
    if outputs is None:
        section = folder.joinpath(*container[:deepest])
        outputs = _cascaded_outputs(section, container[:deepest], lang, rules, reading)
    if outputs is None:
        outputs = () if reading.get("section_rss") is False else ("rss",)
    if "rss" not in outputs:
        return ()
    return ("/".join(container[:deepest]),)


def _cascaded_outputs(
    section: Path, parts: list[str], lang: str, rules: PostRules, reading: Mapping[str, Any]
) -> tuple[str, ...] | None:
    """The `outputs` a cascade gives a section's page, nearest first: the config's, or a
    section page's above it (a cascade reaches the pages below its own), whose `target`
    takes section pages (https://gohugo.io/configuration/cascade/)."""
    logical = "/" + "/".join(parts).lower()
    where = section.as_posix()
    for entry, below in zip(_parsed(rules)[1], _cascade_folders(rules), strict=True):
        if below and not where.startswith(below):
            continue
        if not section_targeted(entry.get("target") or {}, logical, lang, reading):
            continue
        found = next((v for k, v in entry["values"].items() if str(k).lower() == "outputs"), None)
        if isinstance(found, list):
            return tuple(str(v).lower() for v in found)
    return None


def section_targeted(
    target: Mapping[str, Any], logical: str, lang: str, reading: Mapping[str, Any]
) -> bool:
    """A cascade's `target` against a section's page: kind, path, environment, `lang` and
    Hugo 0.153's `sites.matrix.languages`, each one of Hugo's globs."""
    wanted = {
        "kind": "section",
        "path": logical,
        "environment": str(reading.get("environment", "production")),
        "lang": lang,
    }
    for key, value in wanted.items():
        pattern = target.get(key)
        if isinstance(pattern, str) and pattern and not _glob(pattern.lower(), value):
            return False
    codes = matrix_languages(target)
    return codes is None or any(_glob(code, lang) for code in codes)


def _section_file(folder: str, lang: str, plain: bool) -> str | None:
    """The section page of a folder in language `lang`: `_index.<lang>.md` (any content
    suffix), or `_index.md` where that is the language's (`plain`); None if there is none."""
    for name in section_page_names(lang, plain):
        page = os.path.join(folder, name)
        if os.path.isfile(page):
            return page
    return None


def _stamp(page: str) -> tuple[int, int]:
    try:
        stat = os.stat(page)
    except OSError:
        return 0, 0
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=1024)
def _outputs_of(page: str, stamp: int, size: int) -> tuple[str, ...] | None:
    """The output formats a section page's front matter sets (lower case), None if none.
    Keyed by the file's time and size: every post of a section asks, and `serve` sees edits."""
    from .config import _front_matter

    meta = _front_matter(Path(page))
    found = next((v for k, v in meta.items() if str(k).lower() == "outputs"), None)
    return tuple(str(v).lower() for v in found) if isinstance(found, list) else None


def _current_section(
    folder: Path, container: list[str], rules: PostRules, reading: Mapping[str, Any]
) -> list[str]:
    """The path of the page's section: its top-level folder, and below it each folder down
    to the deepest one with a section page (`_index.*`); a folder without one is not a
    section (https://gohugo.io/content-management/sections/)."""
    if not container:
        return []
    deepest = 1
    for depth in range(2, len(container) + 1):
        if _has_section_page(str(folder.joinpath(*container[:depth]))):
            deepest = depth
    return container[:deepest]


def _has_section_page(folder: str) -> bool:
    try:
        return any(
            name.startswith("_index.") and name.lower().endswith(CONTENT_SUFFIXES)
            for name in os.listdir(folder)
        )
    except OSError:
        return False


def _section_slugs(
    folder: Path,
    container: list[str],
    lang: str,
    default: str,
    rules: PostRules,
    reading: Mapping[str, Any],
    case: urls.Case,
) -> tuple[str | None, ...]:
    """Each section's slug, else its title, urlized (pageToPermalinkSlugElseTitle), from its
    section page in the page's language; None where there is neither (Hugo makes a title of
    the folder name then)."""
    found: list[str | None] = []
    sections = _current_section(folder, container, rules, reading)
    # `_index.md` is the page's language's in that language's own content folder.
    plain = lang == default or any(
        code == lang and Path(rules.root) / f == folder for f, code in reading["content_dirs"]
    )
    for depth in range(1, len(sections) + 1):
        meta = _section_page(str(folder.joinpath(*sections[:depth])), lang, plain)
        lowered = {str(k).lower(): v for k, v in meta.items()}
        slug, title = lowered.get("slug"), lowered.get("title")
        if isinstance(slug, str) and slug:
            found.append(case.urlize(slug))
        elif isinstance(title, str) and title:
            found.append(case.urlize(title))
        elif case.lower:
            # Hugo's title of a section without one is its folder name, title-cased
            # (`capitalizeListTitles`): lower-cased again in the path, the case is lost.
            found.append(case.urlize(sections[depth - 1]))
        else:
            found.append(None)
    return tuple(found)


def _section_page(folder: str, lang: str, plain: bool) -> Mapping[str, Any]:
    from .config import _front_matter

    for name in section_page_names(lang, plain):
        path = Path(folder, name)
        if path.is_file():
            return _front_matter(path)
    return {}


# ---------------------------------------------------------------------------------------------
# What a ref names: any page or section, in a language


def translation(config: Config) -> Callable[[str, str], tuple[str, str]]:
    """A content file's language and its path without the language code, from its path below
    its content folder and that folder's language ("" for a folder of no one language):
    (`about/index.fr.md`, "") -> ("fr", "about/index.md"); (`about/index.md`, "ja") -> ("ja",
    "about/index.md"); (`about/index.md`, "") -> the default language's. Only a configured
    language's code is one (`split_name`). A ref looks the path up in the referring page's
    language, whatever code it writes: hugolib/pagecollections.go@HUGO_COMMIT
    `getContentNodeForRef` takes the code off (`ParseBaseAndBaseNameNoIdentifier`) and
    searches the page's own site."""
    assert config.generator is not None
    reading = _reading_of(config.generator.rules)
    # A site without `languages` is in its default language, whose code a name may hold.
    default = str(reading.get("default_language", "en"))
    languages = frozenset(str(x) for x in reading.get("languages", [])) | {default}

    def of(rel: str, folder: str) -> tuple[str, str]:
        head, slash, name = rel.rpartition("/")
        base, lang = split_name(name, languages)
        if lang:
            name = base + os.path.splitext(name)[1]
        return lang or folder or default, f"{head}{slash}{name}"

    return of


def content_folders(config: Config) -> list[tuple[Path, str]]:
    """The folders Hugo reads content from (`config.content_dirs`), each with the language it
    holds ("" for the site's own); the content folder alone if the config names none. Each
    language's pages sit at the top of its own tree, whichever folder they are read from:
    `content/ja/posts/b.md`, in Japanese's folder `content/ja`, is the page `posts/b`
    (https://gohugo.io/content-management/multilingual/#translation-by-content-directory)."""
    assert config.generator is not None
    root = Path(config.generator.root)
    reading = _reading_of(config.generator.rules)
    found = [(root / str(folder), str(lang)) for folder, lang in reading.get("content_dirs", [])]
    return found or [(config.content_dir, "")]


def page_address(config: Config) -> Callable[[str], str | None]:
    """The permalink of the page or section at a path below the content folder (language
    code and extension included; `../ja/posts/b.md` for a file of another content folder,
    `content_folders`), as a ref names it once found. A regular page's is the one
    `adapt` gives a post (its `url`, `slug`, `permalinks`, its language's prefix or host); a
    section's (`_index`) is its folder under its language's prefix or host (its `url` and
    `permalinks.section` are not read). None where Hugo publishes no page: no such content
    file, an ignored one, a draft (unless drafts are built), a headless or unlisted page."""
    from ...content.frontmatter import Invalid
    from ...content.loader import SourceFile, given_permalink
    from .config import _front_matter

    assert config.generator is not None
    rules = config.generator.rules
    reading = _reading_of(rules)
    languages = frozenset(str(x) for x in reading.get("languages", []))
    content = config.content_dir
    # Lexical, as `rel` is: a `..` out of every content folder names no page.
    folders = [Path(os.path.normpath(f)) for f, _ in [(content, ""), *content_folders(config)]]

    def address(rel: str) -> str | None:
        file = Path(os.path.normpath(content / rel))
        name = file.name
        if not any(file.is_relative_to(f) for f in folders):
            return None
        if _ignored_name(name) or not file.is_file():
            return None
        if not name.lower().endswith(CONTENT_SUFFIXES):
            return None
        base = split_name(name, languages)[0]
        if base == "_index":
            return given_permalink(config.base_url, _section_link(file, rules, reading))
        parts = _in_content_folder(file, rules)[1]
        bundle = file.parent if base == "index" else None
        source = SourceFile(str(file), parts[0] if len(parts) > 1 else "", bundle)
        try:
            out = adapt(dict(_front_matter(file)), source, rules, config.tz)
        except (Invalid, NotAPost):
            return None
        if out.get("draft") is True and not rules.drafts:
            return None
        return given_permalink(config.base_url, str(out[URL_PATH]))

    return address


def _section_link(file: Path, rules: PostRules, reading: Mapping[str, Any]) -> str:
    """A section page's link (the home page's for the content folder's `_index`): its folders,
    under its language's prefix, at its language's host."""
    settings: Mapping[str, Any] = reading.get("urls") or {}
    case = urls.Case(settings.get("lower", True), settings.get("accents", True))
    parts = _in_content_folder(file, rules)[1]
    lang = _language(file, rules.root, reading)
    place = urls.Place(
        container="/".join(_normal(c, case) for c in parts[:-1]),
        base_name="",
        url=None,
        expanded=None,
        ugly=False,
        prefix=_prefix(lang, reading),
    )
    hosts: Mapping[str, str] = settings.get("hosts") or {}
    default = str(reading.get("default_language", "en"))
    return _on_host(urls.link(place, case), hosts.get(lang), hosts.get(default))


# ---------------------------------------------------------------------------------------------
# One post's front matter


def adapt(
    meta: dict[str, Any], source: SourceFile, rules: PostRules, tz: ZoneInfo
) -> dict[str, Any]:
    """One Hugo page's front matter in syndicate's terms: cascades applied under it, keys read
    whatever their case, Hugo's four dates from its date sources, taxonomies mapped, a bundle's
    featured image found by name. Raises `Invalid`, or `NotAPost` for a page Hugo does not list
    (headless, `build.list` "never" or "local") or an `.html` file without front matter."""
    path = Path(source.file)
    reading = _reading_of(rules)
    if not _published_file(meta, path, rules, reading):
        raise NotAPost(
            "a file Hugo does not publish (HTML without front matter, or a disabled language)"
        )
    own = _with_cascades(meta, path, rules, reading)
    lowered = {str(k).lower(): k for k in own}
    if not _listed(own, lowered):
        raise NotAPost("a page Hugo does not list (headless, or build.list or build.render)")
    reader = _DateReader(own, lowered, source, reading, tz)
    dates = _dates(reader, reading)
    out = _mapped(own, reader.consumed)
    _draft(out)
    _params_author(own, lowered, out)
    if reader.slug is not None:
        out["slug"] = reader.slug
    if isinstance(out.get("summary"), str) and out["summary"].strip():
        # Hugo's feeds show `.Summary`, which front matter `summary` sets and `description`
        # never does (rss.xml@HUGO_COMMIT): with both, the summary is the summary. It is
        # Markdown, which Hugo renders (a layout printing `.Summary`, Hugo 0.168).
        out.pop("description", None)
        out[SUMMARY] = out.pop("summary")
    for low, value in dates.items():
        out[DATE_KEYS[low]] = value
    for name, grouping in rules.taxonomies:
        if name in lowered:
            out[grouping] = own[lowered[name]]
    if source.bundle is not None:
        _bundle_image(out, own, lowered, source, rules)
    hugo_slug = _text(out.get("slug"))
    slug = _translation_slug(path, source, rules.root, reading)
    if slug is not None and "slug" not in out:
        out["slug"] = slug
    out[URL_PATH] = _url_path(own, lowered, str(hugo_slug), dates["date"], source, rules, reading)
    out[FEED_SECTIONS] = _feed_sections(source, rules, reading)
    if reading.get("multilingual"):
        _set_language(out, own, lowered, path, rules, reading)
    return out


def _bundle_image(
    out: dict[str, Any],
    own: Mapping[str, Any],
    lowered: Mapping[str, Any],
    source: SourceFile,
    rules: PostRules,
) -> None:
    """`images` with its first entry as the path in the bundle of the page's resource it
    matches, or, where `images` is not set, of the one Hugo's templates take as the featured
    image: of the files the page has (`resources.page_resources`: a translation has its own
    language's file of a name, else the one it shares)."""
    from .resources import featured, get_match, page_resources, resource_names

    assert source.bundle is not None
    found = page_resources(source.bundle, Path(source.file), rules)
    names = resource_names(found, own, lowered)
    images = out.get("images")
    if images is None:
        pick = featured(found, names)
        if pick is not None:
            out["images"] = [pick]
    elif isinstance(images, list) and images and isinstance(images[0], str):
        pick = get_match(images[0].strip(), found, names, _reading_of(rules))
        if pick is not None:
            out["images"] = [pick, *images[1:]]


def _published_file(
    meta: Mapping[str, Any], path: Path, rules: PostRules, reading: Mapping[str, Any]
) -> bool:
    """Whether Hugo publishes the file at all: an HTML file needs front matter
    (https://gohugo.io/content-management/formats/); a page of a language Hugo does not build
    is not published (https://gohugo.io/configuration/languages/#disablelanguages)."""
    if not meta and path.suffix.lower() in HTML_SUFFIXES:
        return False
    return _language(path, rules.root, reading) not in reading.get("disabled_languages", ())


def _set_language(
    out: dict[str, Any],
    own: Mapping[str, Any],
    lowered: Mapping[str, Any],
    path: Path,
    rules: PostRules,
    reading: Mapping[str, Any],
) -> None:
    """On a multilingual site, every post's language and its translations' key (the
    default language's posts too: consumers compare codes)."""
    out[LANGUAGE] = _language(path, rules.root, reading)
    out[TRANSLATION] = _translation_key(own, lowered, path, rules)
    if "translationkey" in lowered:
        out.pop(lowered["translationkey"], None)  # Hugo's, never a param


def _language(path: Path, root: str, reading: Mapping[str, Any]) -> str:
    """The page's language: its file name's (`trip.de.md`, `index.de.md`), else its content
    folder's, else the default language (https://gohugo.io/content-management/multilingual/
    #translate-your-content: "If a file has no language code, it will be assigned the
    default language")."""
    languages = frozenset(str(x) for x in reading.get("languages", []))
    return (
        split_name(path.name, languages)[1]
        or _folder_language(path, root, reading)
        or str(reading.get("default_language", "en"))
    )


def _translation_key(
    own: Mapping[str, Any],
    lowered: Mapping[str, Any],
    path: Path,
    rules: PostRules,
) -> str:
    """What the page's translations share: its `translationKey`, else its logical path
    (`/posts/trip` for `posts/trip.de.md`, `posts/trip/index.de.md`, or `posts/trip.md` in
    any language's content folder): `pageState.TranslationKey` in hugolib@HUGO_COMMIT returns
    `pageConfig.TranslationKey` if set, else `Path()`; https://gohugo.io/methods/page/
    translationkey/."""
    written = _text(own[lowered["translationkey"]]) if "translationkey" in lowered else ""
    return written or _logical_path(path, rules)


# Go's strconv.ParseBool, which Hugo's `draft` goes through (cast.ToBoolE).
_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})
_GO_FALSE = frozenset({"0", "f", "F", "FALSE", "false", "False"})


def _draft(out: dict[str, Any]) -> None:
    """`draft` as Hugo reads it: true for true, a number but 0, and Go's true words; false
    for anything else, which Hugo publishes without a word (`draft: yes`, text in YAML 1.2,
    `on`, `y`: checked with Hugo 0.168): so does syndicate, with a warning."""
    value = out.get("draft")
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, int | float):
        out["draft"] = value != 0
    elif isinstance(value, str) and value in _GO_TRUE | _GO_FALSE:
        out["draft"] = value in _GO_TRUE
    elif isinstance(value, str) and value.lower() in ("no", "n", "off"):
        out["draft"] = False  # what it says, if not in Go's words: nothing to tell
    else:
        out["draft"] = False
        shown = f"{value!r}" if isinstance(value, str) else kind_of(value)
        message = (
            f"draft: {shown} is not true to Hugo (only true, 1 and t are): Hugo publishes "
            "the page, and so does syndicate"
        )
        out.setdefault(WARNINGS, []).append(("draft", message, "write `draft: true` or `false`"))


def _params_author(
    meta: Mapping[str, Any], lowered: Mapping[str, Any], out: dict[str, Any]
) -> None:
    """A page's `params.author` (or `authors`) as its author when the page names none at the
    top: since Hugo 0.123 custom fields go under `params`, read by templates as
    `.Params.author` (https://gohugo.io/content-management/front-matter/, "params")."""
    params = meta.get(lowered.get("params", "params"))
    if not isinstance(params, Mapping) or "author" in out or "authors" in out:
        return
    for key, value in params.items():
        if str(key).lower() in ("author", "authors") and value not in (None, "", []):
            out["author"] = value
            return


def _mapped(meta: Mapping[str, Any], consumed: set[Any]) -> dict[str, Any]:
    """The keys Hugo reads whatever their case under syndicate's spelling, the others as they
    are; the dates read (`consumed`) and the term groupings (set from the taxonomies) left
    out."""
    out: dict[str, Any] = {}
    for key, value in meta.items():
        low = str(key).lower()
        if key in consumed or low in TERMS_ONLY:
            continue
        if low in CANONICAL:
            out.setdefault(CANONICAL[low], value)
        else:
            out[key] = value
    return out


def _translation_slug(
    path: Path, source: SourceFile, root: str, reading: Mapping[str, Any]
) -> str | None:
    """`chapter-1-fr` for a translation into French: `post/chapter-1.fr.md`, or
    `post/chapter-1.md` in the French content folder, or the bundle `post/chapter-1/
    index.fr.md`. Each language's permalink is its own (under its prefix), but a tag id
    (`[feeds] id = "tag"`) is made of the slug and the date, which translations share: with
    one slug, the loader would drop every translation as a clash. The default language keeps
    the plain name, so no id already published changes."""
    languages = frozenset(str(x) for x in reading.get("languages", []))
    lang = split_name(path.name, languages)[1] or _folder_language(path, root, reading)
    if not lang or lang == reading.get("default_language"):
        return None
    from ...content.loader import slugify

    # The slug syndicate gives the default language's post (made of its name), then the
    # language: only a slug the page sets is kept as written.
    return f"{slugify(_base_name(source, reading)) or 'post'}-{lang}"


def _base_name(source: SourceFile, reading: Mapping[str, Any]) -> str:
    """A post's name without extension or language: its bundle's folder name for a bundle."""
    if source.bundle is not None:
        return source.bundle.name
    languages = frozenset(str(x) for x in reading.get("languages", []))
    return split_name(Path(source.file).name, languages)[0]


def _listed(meta: Mapping[str, Any], lowered: Mapping[str, Any]) -> bool:
    """Whether Hugo lists the page among the site's regular pages: not a headless bundle, not
    `build.list` "never" or "local" (https://gohugo.io/content-management/build-options/)."""
    listed, _ = build_options(meta, lowered)
    return listed not in ("never", "local", "false") and rendered(meta, lowered)


def rendered(meta: Mapping[str, Any], lowered: Mapping[str, Any]) -> bool:
    """Whether Hugo renders the page: not a headless bundle, not `build.render` "never"."""
    # `false` is how Hugo before 0.84 wrote "never" (a YAML/TOML boolean).
    return build_options(meta, lowered)[1] not in ("never", "false")


def build_options(meta: Mapping[str, Any], lowered: Mapping[str, Any]) -> tuple[str, str]:
    """The page's `build.list` and `build.render`, lower case: "always" where it sets none,
    "never" for a headless bundle (https://gohugo.io/content-management/build-options/)."""
    if "headless" in lowered and meta[lowered["headless"]] is True:
        return "never", "never"
    key = lowered.get("build", lowered.get("_build"))  # `_build` before Hugo 0.92
    build = meta.get(key) if key is not None else None
    if not isinstance(build, dict):
        return "always", "always"
    options = {str(k).lower(): v for k, v in build.items()}
    listed, render = (str(options.get(n, "always")).lower() for n in ("list", "render"))
    return listed, render


def _with_cascades(
    meta: Mapping[str, Any], path: Path, rules: PostRules, reading: Mapping[str, Any]
) -> dict[str, Any]:
    """The page's front matter over the cascades that reach it (nearest wins), keys compared
    without case as Hugo compares them."""
    result = dict(meta)
    have = {str(k).lower() for k in meta}
    logical = _logical_path(path, rules)
    where = path.parent.as_posix() + "/"
    cascades = zip(_parsed(rules)[1], _cascade_folders(rules), strict=True)
    for entry, below in cascades:  # nearest first: the first to set a key wins
        if below and not where.startswith(below):
            continue
        if not _target_matches(entry.get("target") or {}, logical, path, rules.root, reading):
            continue
        for key, value in entry["values"].items():
            if str(key).lower() not in have:
                result[key] = copy.deepcopy(value)  # each post its own: the entry is shared
                have.add(str(key).lower())
    return result


def _logical_path(path: Path, rules: PostRules) -> str:
    """The page's path as a cascade `target.path` sees it: `/posts/my-post`, from its content
    folder, without extension or language, lower case (https://gohugo.io/methods/page/path/)."""
    languages, folders = _content_folders(rules)
    file = path.as_posix()
    for start, _ in folders:  # the deepest folder that holds the file
        if not file.startswith(start):
            continue
        parts = file[len(start) :].split("/")
        stem = split_name(parts[-1], languages)[0]
        parts = parts[:-1] if stem == "index" else [*parts[:-1], stem]
        return "/" + "/".join(parts).lower().replace(" ", "-")
    return "/" + path.stem.lower()


@functools.lru_cache(maxsize=8)
def _content_folders(
    rules: PostRules,
) -> tuple[frozenset[str], tuple[tuple[str, Path], ...]]:
    """The site's languages, and its content folders, each as the start of the paths below it
    and as itself, the last in name order first (so a folder inside another comes before it):
    read once, not with a `Path` made and compared for each folder, twice a page."""
    reading = _reading_of(rules)
    languages = frozenset(str(x) for x in reading.get("languages", []))
    folders = sorted((Path(rules.root) / f for f, _ in reading.get("content_dirs", [])), key=str)
    # With "/", as the paths are compared (`as_posix`) and as `_cascade_folders` ends its own.
    return languages, tuple((folder.as_posix() + "/", folder) for folder in reversed(folders))


def _target_matches(
    target: Mapping[str, Any], logical: str, path: Path, root: str, reading: Mapping[str, Any]
) -> bool:
    """A cascade's `target` (path glob, kind, lang or Hugo 0.153's `sites.matrix.languages`,
    environment) against a regular page."""
    kind = target.get("kind")
    if isinstance(kind, str) and kind and not _glob(kind.lower(), "page"):
        return False
    pattern = target.get("path")
    if isinstance(pattern, str) and pattern and not _glob(pattern.lower(), logical):
        return False
    environment = target.get("environment")
    current = str(reading.get("environment", "production"))
    if isinstance(environment, str) and environment and not _glob(environment.lower(), current):
        return False
    lang = target.get("lang")
    codes = matrix_languages(target)
    wanted = [lang] if isinstance(lang, str) and lang else []
    if not wanted and codes is None:
        return True
    languages = frozenset(str(x) for x in reading.get("languages", []))
    default = str(reading.get("default_language", "en"))
    own = split_name(path.name, languages)[1] or _folder_language(path, root, reading) or default
    if wanted and not _glob(wanted[0].lower(), own):
        return False
    return codes is None or any(_glob(code, own) for code in codes)


def _folder_language(path: Path, root: str, reading: Mapping[str, Any]) -> str:
    """The language of the content folder that holds `path` ("" for the site's own)."""
    for folder, lang in reading.get("content_dirs", []):
        if lang and path.is_relative_to(Path(root) / folder):
            return str(lang)
    return ""


def _glob(pattern: str, logical: str) -> bool:
    """Hugo's path globs (gobwas/glob with `/` as separator): `*` stays within a folder, `**`
    crosses folders, `{a,b}` is a choice."""
    return _glob_compiled(pattern).fullmatch(logical) is not None


@functools.lru_cache(maxsize=512)
def _glob_compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(_glob_regex(pattern))


def _glob_regex(pattern: str) -> str:
    regex = ""
    i = 0
    while i < len(pattern):
        char = pattern[i]
        end = pattern.find("}", i) if char == "{" else -1
        if pattern.startswith("**", i):
            regex += ".*"
            i += 1
        elif char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif end > 0:
            choices = pattern[i + 1 : end].split(",")
            regex += "(?:" + "|".join(_glob_regex(c) for c in choices) + ")"
            i = end
        else:
            regex += re.escape(char)
        i += 1
    return regex


class _DateReader:
    """Reads one page's date sources, each key once; remembers every key read."""

    def __init__(
        self,
        meta: Mapping[str, Any],
        lowered: Mapping[str, Any],
        source: SourceFile,
        reading: Mapping[str, Any],
        tz: ZoneInfo,
    ) -> None:
        self.meta = meta
        self.reading = reading
        self.lowered = lowered
        self.source = source
        self.tz = tz
        self.parsed: dict[str, datetime | None] = {}
        self.consumed: set[Any] = set()
        self.slug: str | None = None  # from a `:filename` date, when the page sets none

    def read(self, item: str) -> datetime | None:
        if item.startswith(":"):
            return self._special(item)
        if item not in self.lowered:
            return None
        written = self.lowered[item]
        self.consumed.add(written)
        if item not in self.parsed:
            self.parsed[item] = self._parse(written)
        return self.parsed[item]

    def _parse(self, written: Any) -> datetime | None:
        from ...content.frontmatter import Invalid

        try:
            return parse_date(self.meta[written], self.tz)
        except ValueError as exc:
            raise Invalid(
                f"{written}: {exc}",
                hint=(
                    "write it as 2024-03-01 or 2024-03-01T09:00:00+01:00; the README lists every "
                    "form Hugo reads"
                ),
                key=str(written),
            ) from None

    def _special(self, item: str) -> datetime | None:
        """`:filename` (the bundle's folder name for a bundle; it gives the slug too, as
        newDateFilenameHandler does) and `:fileModTime`; `:git` needs Git's history, which
        syndicate does not read, so it gives nothing."""
        path = Path(self.source.file)
        if item == ":filename":
            found = date_from_file_name(_base_name(self.source, self.reading), self.tz)
            if found is None:
                return None
            if "slug" not in self.lowered and found[1]:
                self.slug = found[1]
            return found[0]
        if item == ":filemodtime":
            try:
                return datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except OSError:
                return None
        return None


def _dates(reader: _DateReader, reading: Mapping[str, Any]) -> dict[str, datetime]:
    """Hugo's `date`, `lastmod`, `publishDate` and `expiryDate` from their sources
    (`[frontmatter]`): the first source that gives a date wins; a page without one gets the
    zero date, as Hugo gives it. Every date key of the page is consumed (none is a param)."""
    sources: Mapping[str, list[str]] = reading.get("dates") or {}
    found: dict[str, datetime] = {}
    for name, default in DATE_SOURCES.items():
        for item in sources.get(name) or with_aliases(default):
            moment = reader.read(item)
            if moment is not None:
                found[name] = moment
                break
    for item, aliases in DATE_ALIASES.items():
        for alias in (item, *aliases):
            if alias in reader.lowered:
                reader.consumed.add(reader.lowered[alias])
    result: dict[str, datetime] = {"date": found.get("date") or zero_date(reader.tz)}
    # Only what the page gives besides its date: a `lastmod` or `publishDate` that is just
    # the date again tells syndicate nothing more.
    for name in ("lastmod", "publishdate"):
        if name in found and found[name] != result["date"]:
            result[name] = found[name]
    if "expirydate" in found:
        result["expirydate"] = found["expirydate"]
    return result
