"""Zola's pages -> posts: which files are pages, and each page's front matter in syndicate's
terms. A page is "any file ending with `.md` in the `content` directory, except files named
`_index.md`" (https://www.getzola.org/documentation/content/page/), with TOML (`+++`) or YAML
(`---`) front matter ("YAML front matter is also supported to ease porting legacy content";
components/content/src/front_matter/split.rs); the posts are the pages Zola's feeds list:
"Only pages with a date will be available" (https://www.getzola.org/documentation/templates/
feeds/; components/site/src/feeds.rs keeps the pages whose `date` is set). Source checked:
getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9, files named where used.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from ...content.frontmatter import KNOWN_NAMES, Invalid, kind
from ...content.loader import SourceFile, given_permalink, site_folders, walk
from ...errors import Location, Report
from .. import FEED_SECTIONS, ID_PATH, LANGUAGE, TRANSLATION, URL_PATH, NotAPost, PostRules
from .dates import file_name_date, read_date
from .paths import SlugifyMode, content_components, page_path, slugify_paths
from .paths import url_path as _url_path
from .split import front_matter

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from ...config import Config

_IMAGE_KEYS = frozenset(
    {"featuredImage", "featured_image", "image", "cover", "images", "featuredImageAlt",
     "image_alt"}
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Finding the posts


class _Options(NamedTuple):
    default_language: str
    languages: dict[str, list[str]]  # each language's code -> its taxonomies' names
    slugify_paths: SlugifyMode
    paths_keep_dates: bool
    ignored: Callable[[str], bool] | None
    date_from_path: bool  # syndicate's `[site] date_from_path`


@functools.lru_cache(maxsize=8)
def _read_options(rules: PostRules) -> _Options:
    raw = {name: json.loads(text) for name, text in rules.settings}
    return _Options(
        raw.get("default_language", "en"),
        raw.get("languages", {}),
        raw.get("slugify_paths", "on"),
        raw.get("paths_keep_dates", False),
        _glob_matcher(tuple(raw.get("ignored_content", ()))),
        raw.get("date_from_path", False),
    )


def _glob_matcher(patterns: tuple[str, ...]) -> Callable[[str], bool] | None:
    """`ignored_content`, matched as Zola's `globset` matches it: against the file's whole
    path, `*` crossing `/` too, `{a,b}` alternatives (components/utils/src/globs.rs)."""
    if not patterns:
        return None
    regex = re.compile("|".join(f"(?:{_glob_regex(p)})" for p in patterns), re.S)
    return lambda path: regex.fullmatch(path) is not None


def _glob_regex(pattern: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            inner = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append(f"[{'^' + inner[1:] if inner.startswith('!') else inner}]")
            i = end
        elif char == "{" and "}" in pattern[i:]:
            end = pattern.index("}", i)
            out.append("(?:" + "|".join(_glob_regex(p) for p in pattern[i + 1 : end].split(","))
                       + ")")  # fmt: skip
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def find_posts(config: Config, report: Report, with_stat: bool = True) -> list[SourceFile]:
    """Every page under `content/` (drafts too: the loader counts them), sorted by path; the
    pages without a date, and an `index.md` Zola refuses, are left out later by `adapt`, which
    knows their paths. A folder whose section (`_index.md`,
    or `_index.{code}.md` of a configured language) is a draft is skipped whole, as Zola does
    without `--drafts` (components/site/src/lib.rs `Site::load`)."""
    assert config.generator is not None
    options = _read_options(config.generator.rules)
    root = config.content_dir
    if not root.is_dir():
        report.error(Location(root), "content folder not found", "Zola reads pages from content/")
        return []
    codes = [c for c in options.languages if c != options.default_language]
    sections = {"_index.md", *(f"_index.{code}.md" for code in codes)}
    wanted = set(config.site.main_sections)
    inside = None if config.site.follow_links_outside else site_folders(config)
    drafted: list[tuple[str, ...]] = []
    found: list[SourceFile] = []
    for prefix, files in walk(root, report, inside, (".md",), with_stat=with_stat):
        if any(prefix[: len(d)] == d for d in drafted):
            continue
        here = [path for name, path, _, _ in files if name in sections]
        if any(front_matter(Path(path)).get("draft") is True for path in here):
            drafted.append(prefix)
            continue
        if wanted and (not prefix or prefix[0] not in wanted):
            continue
        for name, path, mtime_ns, size in files:
            if name.startswith("_index.") or not name.endswith(".md"):
                continue  # sections, and `.MD` (Zola's test is case-sensitive)
            if options.ignored is not None and options.ignored(path):
                continue
            bundle = Path(path).parent if prefix and name.split(".")[0] == "index" else None
            # A bundle's folder is the page, not a section: `content/x/index.md` is a page of
            # the root section (https://www.getzola.org/documentation/content/overview/,
            # "Asset colocation").
            sections_of = prefix[:-1] if bundle is not None else prefix
            section = sections_of[0] if sections_of else ""
            found.append(SourceFile(path, section, bundle, mtime_ns, size))
    found.sort(key=lambda source: source.file)
    return found


# ---------------------------------------------------------------------------------------------
# Reading one page


def adapt(
    meta: dict[str, Any], source: SourceFile, rules: PostRules, tz: ZoneInfo
) -> dict[str, Any]:
    """One page's front matter in syndicate's terms. Raises `NotAPost` for a page without a
    date, and `Invalid` for what would stop `zola build`. On a multilingual site every page
    gets its language (from its file name: "Zola uses the filename to detect the language",
    https://www.getzola.org/documentation/content/multilingual/) and, as its translations'
    key, Zola's `canonical`: the file's folder below `content/` and its name without the
    language code (components/content/src/file_info.rs `FileInfo::new_page`, `find_language`;
    components/content/src/library.rs groups translations by it), so `trip/index.md` and
    `trip/index.fr.md` are one page, and so are `walk.md` and `walk.fr.md`."""
    options = _read_options(rules)
    file = PurePath(source.file)
    name, lang = _language(file.name[: -len(".md")], options)
    _check_types(meta)
    where = _address(meta, file, rules.root, name, lang, options)
    if meta.get("draft") is not True or rules.drafts:  # Zola skips drafts before the test
        _check_index(file, where, rules.root, options)
    out = _extra(meta)
    out.update((k, v) for k, v in meta.items() if k not in _TAKEN)
    folder_name = file.parent.name if name == "index" else name
    dated = file_name_date(folder_name)
    when = _date(meta, "date")
    if when is None and dated is not None:
        when = dated[0]
        if when is None:
            raise Invalid(
                f"the name {folder_name!r} starts with a date that is no real day",
                hint="Zola cannot sort it; fix the date in the name, or add `date` to the "
                "front matter",
                key="date",
            )
    if when is None and options.date_from_path:
        when = _path_date(where.path)
    updated = _date(meta, "updated", lenient=True)
    _check_taxonomies(meta, lang, options)
    if when is None:
        raise NotAPost(_undated(where.path))
    out["date"] = when
    if updated is not None:
        out["updated"] = updated
    if where.slug:
        out["slug"] = where.slug
    if len(options.languages) > 1:
        out[LANGUAGE] = lang
        out[TRANSLATION] = "/".join([*content_components(_relative(file, rules.root)), name])
    out[URL_PATH] = _url_path(where.path)
    if out[URL_PATH] != where.path:  # Zola's feeds give the id unencoded (`make_permalink`)
        out[ID_PATH] = where.path
    # A page not rendered is in no section's pages (library.rs `populate_sections`).
    rendered = meta.get("render") is not False
    out[FEED_SECTIONS] = (
        _feed_sections(file, rules.root, where.sections, lang, options) if rendered else ()
    )
    out.update(_groupings(meta, rules))
    return out


class _Address(NamedTuple):
    """Where Zola publishes a page (components/content/src/page.rs `Page::parse`)."""

    slug: str
    sections: tuple[str, ...]  # the folders of its section below content/ (a bundle's taken off)
    colocated: bool  # a bundle: `x/index.md` (or `x/index.{code}.md`) is the page `x`
    path: str  # below the base URL, "/" at both ends: `page.path`


def _address(
    meta: Mapping[str, Any], file: PurePath, root: str, name: str, lang: str, options: _Options
) -> _Address:
    """The page's slug and path, from its front matter (`slug`, `path`, type-checked already)
    and its file, whose name without the language code is `name`."""
    folder_name = file.parent.name if name == "index" else name
    slug = _slug(meta, folder_name, file_name_date(folder_name), options)
    components = content_components(_relative(file, root))
    colocated = name.split(".")[0] == "index" and bool(components)
    if colocated:
        components.pop()  # a page bundle: the folder is the page
    # `content/index.{code}.md`, no bundle: the language's home, "" (page.rs `Page::parse`).
    home = not components and name == "index" and not colocated
    given = meta.get("path")
    path = page_path(components, "" if home else slug, given, lang, options.default_language)
    return _Address(slug, tuple(components), colocated, path)


def _check_index(file: PurePath, where: _Address, root: str, options: _Options) -> None:
    """Raises `Invalid` for a file named `index.md` that Zola refuses: one whose URL is a
    section's path, or `content/index.md` at the site's root (components/site/src/lib.rs
    `Site::load`: only `page.file.filename == "index.md"` is tested, not its translations, and
    `sections.contains(&page.components.join("/"))`, the components coming from the page's
    path, so a bundle beside its folder's `_index.md` with a `path` of its own is a page)."""
    if file.name != "index.md":
        return
    parts = [part for part in where.path.split("/") if part]
    refused = _is_section(parts, file, root, options) if parts else not where.colocated
    if refused:
        raise Invalid(
            f"Zola refuses a page named index.md whose path is a section's ({where.path})",
            hint="give the page another `path` (or `slug`), or rename the file",
            key="path",
        )


def _is_section(parts: list[str], file: PurePath, root: str, options: _Options) -> bool:
    """Whether a section's path is `parts`: `{folders}/_index.md` for the default language,
    `{code}/{folders}` for `{folders}/_index.{code}.md` (components/content/src/section.rs
    `Section::parse`; lib.rs keeps every section file's, drafts included)."""
    content = _content_folder(file, root)
    if content is None or any(part in (".", "..") for part in parts):
        return False
    if content.joinpath(*parts, "_index.md").is_file():
        return True
    code = parts[0]
    other = code in options.languages and code != options.default_language
    return other and content.joinpath(*parts[1:], f"_index.{code}.md").is_file()


def _content_folder(file: PurePath, root: str) -> Path | None:
    """The `content` folder the page is in (the first one below the site's folder, as
    `find_content_components` takes it), or None."""
    relative = _relative(file, root).parts
    if "content" not in relative[:-1]:
        return None
    return Path(root, *relative[: relative.index("content") + 1])


def _feed_sections(
    file: PurePath, root: str, components: tuple[str, ...], lang: str, options: _Options
) -> tuple[str, ...]:
    """The sections whose feeds list the page: the section of its folder (a page in a folder
    without one is an orphan, in none), then each one above while the one below is
    transparent (components/content/src/library.rs `populate_sections`: a page is pushed into
    `{folder}/_index.{lang}.md`'s pages, and up the chain while that section is transparent).
    The root section is left out: its feed is where the site's is (feeds.py)."""
    content = _content_folder(file, root)
    if content is None:
        return ()
    name = "_index.md" if lang == options.default_language else f"_index.{lang}.md"
    found: list[str] = []
    folder = list(components)
    while folder:
        transparent = _section_transparent(str(content.joinpath(*folder, name)))
        if transparent is None:  # no section here (an orphan page, or the top of the chain)
            break
        found.append("/".join(folder))
        if not transparent:
            break
        folder.pop()
    return tuple(found)


def _section_transparent(index: str) -> bool | None:
    """Whether the section of an `_index` file is transparent; None when there is no file."""
    meta = _section_meta(index)
    return None if meta is None else meta.get("transparent") is True


def _section_meta(index: str) -> Mapping[str, Any] | None:
    """The front matter of an `_index` file; None when there is no file."""
    try:
        stamp = os.stat(index).st_mtime_ns
    except OSError:
        return None
    return _read_section(index, stamp)


@functools.lru_cache(maxsize=1024)
def _read_section(index: str, stamp: int) -> Mapping[str, Any]:
    # Keyed by the file's time: every post of a section asks, and `serve` sees edits.
    return MappingProxyType(front_matter(Path(index)))


# ---------------------------------------------------------------------------------------------
# The address of any page or section (what an internal link names)


def page_address(config: Config) -> Callable[[str], str | None]:
    """The permalink of the page or section at a path below `content/`, as an internal link
    names it: "@/" + "the path of the file relative to content"
    (https://www.getzola.org/documentation/content/linking/#internal-links), language code
    and extension included (components/site/src/lib.rs keys its permalinks by each file's
    `relative`). A page's is the one `adapt` gives a post. None where Zola has no page: no
    such `.md` file, one it ignores or refuses, a draft or one in a draft section."""
    assert config.generator is not None
    rules = config.generator.rules
    options = _read_options(rules)
    content = config.content_dir

    def address(rel: str) -> str | None:
        file = content / rel
        if not rel.endswith(".md") or ".." in PurePath(rel).parts or file.name[0] == ".":
            return None
        if not file.is_file() or (options.ignored is not None and options.ignored(str(file))):
            return None
        if not rules.drafts and _in_draft_section(file, content, options):
            return None
        if file.name.startswith("_index."):
            path = _section_path(file, rules.root, options)
        else:
            path = _page_path(file, rules, options)
        return None if path is None else given_permalink(config.base_url, _url_path(path))

    return address


def _page_path(file: Path, rules: PostRules, options: _Options) -> str | None:
    """A page's path, as `adapt` makes a post's; None for a page Zola does not publish."""
    meta = front_matter(file)
    if meta.get("draft") is True and not rules.drafts:
        return None
    try:
        name, lang = _language(file.name[: -len(".md")], options)
        _check_types(meta)
        where = _address(meta, PurePath(file), rules.root, name, lang, options)
        _check_index(PurePath(file), where, rules.root, options)
    except Invalid:
        return None  # Zola stops there: no page
    return where.path


def _section_path(file: Path, root: str, options: _Options) -> str | None:
    """A section's path: its folders below content/, under `/{code}/` for another language
    (components/content/src/section.rs `Section::parse`). A file `_index.{code}.md` of no
    other configured language is no section (lib.rs `allowed_index_filenames`)."""
    code = file.name[: -len(".md")].partition(".")[2]
    if code and (code == options.default_language or code not in options.languages):
        return None
    folders = content_components(_relative(PurePath(file), root))
    return "/" + "".join(f"{part}/" for part in [*([code] if code else []), *folders])


def _in_draft_section(file: Path, content: Path, options: _Options) -> bool:
    """Whether a folder from content/ down to the file's is a draft section, in any language,
    which Zola skips whole (as `find_posts` does)."""
    codes = [c for c in options.languages if c != options.default_language]
    names = ["_index.md", *(f"_index.{code}.md" for code in codes)]
    parts = file.relative_to(content).parts
    for depth in range(len(parts)):
        folder = content.joinpath(*parts[:depth])
        for name in names:
            meta = _section_meta(str(folder / name))
            if meta is not None and meta.get("draft") is True:
                return True
    return False


# Zola's keys that `adapt` reads itself; any other key is kept as it is (syndicate reads its
# own keys, such as `feed` or `id`, which Zola ignores; the rest become params).
_TAKEN = frozenset({"date", "updated", "slug", "path", "taxonomies", "extra"})


def _language(stem: str, options: _Options) -> tuple[str, str]:
    """The page's name and language from `name.{code}.md` (file_info.rs `find_language`; the
    default language's code stays in the name)."""
    default = options.default_language
    if len(options.languages) <= 1 or "." not in stem:
        return stem, default
    base, code = stem.split(".", 1)
    if code == default:
        return stem, default
    if code not in options.languages:
        raise Invalid(
            f"the file name's language code {code!r} is not in the site's [languages]",
            hint="Zola refuses to build this: add the language to its config, or rename the file",
        )
    return base, code


_STRINGS = ("title", "description", "slug", "path")


def _check_types(meta: Mapping[str, Any]) -> None:
    """What Zola's `PageFrontMatter` refuses (components/content/src/front_matter/page.rs)."""
    for key in _STRINGS:
        if key in meta and not isinstance(meta[key], str):
            raise Invalid(f"{key}: expected text, got {kind(meta[key])}", key=key)
    for key in ("slug", "path"):
        if key in meta and not meta[key]:
            raise Invalid(f"{key}: can't be empty if present (Zola)", key=key)
    if "draft" in meta and not isinstance(meta["draft"], bool):
        raise Invalid(f"draft: expected true or false, got {kind(meta['draft'])}", key="draft")
    authors = meta.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise Invalid("authors: expected a list of names", key="authors")
    if not isinstance(meta.get("extra", {}), dict):
        raise Invalid("extra: expected a table", key="extra")


# The day a site's own templates read from a page's `path` when it has no `date`, as
# blog.rust-lang.org's feed template does: the three components before the last, as in
# `[inside-rust/]2026/03/26/slug` (`page.components`,
# https://www.getzola.org/documentation/templates/pages/). Zola itself dates no page by it.
_PATH_DATE = re.compile(r"/(?P<year>[0-9]{4})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/[^/]+/\Z")


def _path_date(path: str) -> datetime | None:
    """The date in a page's path (`/`-ended, as `_Address.path`), at midnight UTC; None when
    it has none. Raises Invalid for a day that does not exist."""
    found = _PATH_DATE.search(path)
    if found is None:
        return None
    year, month, day = (int(found[k]) for k in ("year", "month", "day"))
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        raise Invalid(
            f"path: '{found[0][1:11]}' is no real day",
            hint="fix the date in `path`, or add `date` to the front matter",
            key="path",
        ) from None


def _undated(path: str) -> str:
    reason = "a page without a date: Zola's feeds list only pages that have one"
    if _PATH_DATE.search(path) is None:
        return reason
    return (
        f"{reason}; its path holds a day: `date_from_path = true` under [site] in "
        "syndicate.toml dates such pages by it, as a site's own feed template may"
    )


def dated_by_path(content: Path) -> tuple[int, int]:
    """For `init`: how many pages under `content` have a date of Zola's (`date`, or the file
    name's), and how many have none but a `path` that holds a day (`_PATH_DATE`)."""
    dated = by_path = 0
    for file in content.rglob("*.md"):
        if file.name.startswith("_index."):
            continue
        meta = front_matter(file)
        name = file.parent.name if file.name.split(".")[0] == "index" else file.stem
        if "date" in meta or file_name_date(name) is not None:
            dated += 1
        elif isinstance(meta.get("path"), str):
            by_path += _PATH_DATE.search(f"/{meta['path'].strip('/')}/") is not None
    return dated, by_path


def _date(meta: Mapping[str, Any], key: str, lenient: bool = False) -> datetime | None:
    if key not in meta:
        return None
    value = meta[key]
    try:
        return read_date(value)
    except ValueError as exc:
        if lenient and not isinstance(value, str):
            return None  # an unreadable TOML `updated` is dropped (page.rs date_to_datetime)
        raise Invalid(
            f"{key}: {exc}",
            hint=(
                "write it as 2024-03-01 or 2024-03-01T09:30:00+01:00; the README lists every form "
                "Zola reads"
            ),
            key=key,
        ) from None


def _check_taxonomies(meta: Mapping[str, Any], lang: str, options: _Options) -> None:
    taxonomies = meta.get("taxonomies", {})
    if not isinstance(taxonomies, dict):
        raise Invalid("taxonomies: expected a table of lists", key="taxonomies")
    allowed = options.languages.get(lang, [])
    for name, terms in taxonomies.items():
        # Each problem at the line of its own name under [taxonomies] (`key`).
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise Invalid(f"taxonomies.{name}: expected a list of names", key=str(name))
        if any(not term.strip() for term in terms):
            raise Invalid(f"taxonomies.{name}: a term cannot be empty", key=str(name))
        if name not in allowed:
            raise Invalid(
                f"taxonomies.{name}: the site's config defines no taxonomy {name!r} for "
                f"language {lang!r}; Zola refuses to build this",
                hint=f'add {{name = "{name}"}} to taxonomies in the config',
                key=str(name),
            )


def _slug(
    meta: Mapping[str, Any],
    folder_name: str,
    dated: tuple[datetime | None, str | None] | None,
    options: _Options,
) -> str:
    given = meta.get("slug")
    if isinstance(given, str):
        return slugify_paths(given, options.slugify_paths)
    if dated is not None and dated[1] is not None and not options.paths_keep_dates:
        return slugify_paths(dated[1], options.slugify_paths)
    return slugify_paths(folder_name, options.slugify_paths)


def _relative(file: PurePath, root: str) -> PurePath:
    if root:
        try:
            return file.relative_to(root)
        except ValueError:
            pass
    return file


def _extra(meta: Mapping[str, Any]) -> dict[str, Any]:
    """`[extra]`'s keys, which become params; those that are syndicate's keys stay in `extra`,
    but for a featured image (`[extra] image = "cover.jpg"`, as many themes write it)."""
    extra = meta.get("extra") or {}
    out: dict[str, Any] = {}
    kept: dict[str, Any] = {}
    for key, value in extra.items():
        if key in meta or (key in KNOWN_NAMES and key not in _IMAGE_KEYS):
            kept[key] = value
        else:
            out[key] = value
    if kept:
        out["extra"] = kept
    return out


def _groupings(meta: Mapping[str, Any], rules: PostRules) -> dict[str, Any]:
    """`[taxonomies]` terms under syndicate's groupings; the other taxonomies in the params'
    `taxonomies`. Zola's own `authors` comes before an `authors` taxonomy."""
    mapped = dict(rules.taxonomies)
    groups: dict[str, list[str]] = {}
    others: dict[str, Any] = {}
    for name, terms in meta.get("taxonomies", {}).items():
        grouping = mapped.get(name)
        if grouping is None:
            others[name] = terms
        elif not (grouping == "authors" and "authors" in meta):
            known = groups.setdefault(grouping, [])
            known.extend(term for term in terms if term not in known)
    result: dict[str, Any] = dict(groups)
    if others:
        result["taxonomies"] = others
    return result
