"""Zola: its config file -> syndicate's settings; its pages with a date -> posts.

Zola's config is `zola.toml`, else `config.toml` (https://www.getzola.org/documentation/
getting-started/configuration/: "Zola loads config.toml as a fallback if zola.toml does not
exist"; src/main.rs `get_config_file_path`). A page is "any file ending with `.md` in the
`content` directory, except files named `_index.md`" (https://www.getzola.org/documentation/
content/page/); the posts are the pages Zola's feeds list: "Only pages with a date will be
available" (https://www.getzola.org/documentation/templates/feeds/). Sources checked:
getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9 (v0.22.1+), files named where used.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

import yaml

from ...content.frontmatter import KNOWN_NAMES, Invalid, kind
from ...content.loader import SourceFile, site_folders, walk
from ...errors import ConfigError, Location, Report
from .. import URL_PATH, GeneratorName, NotAPost, PostRules, SiteSettings
from .dates import DATE_FORMS, file_name_date, read_date
from .paths import SLUGIFY_MODES, SlugifyMode, content_components, page_path, slugify_paths
from .paths import url_path as _url_path

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from ...config import Config

NAME: GeneratorName = "zola"
CONFIG_NAMES = ("zola.toml", "config.toml")
__all__ = ["DATE_FORMS", "NAME", "adapt", "detect", "find_posts", "read"]

# Top-level keys of a Hugo `config.toml` (https://gohugo.io/configuration/all/; Hugo reads keys
# in any case), none of which Zola accepts: its `Config` is `deny_unknown_fields`
# (components/config/src/config/mod.rs).
_HUGO_KEYS = frozenset(
    {"baseurl", "params", "languagecode", "defaultcontentlanguage", "permalinks", "markup",
     "module", "outputs", "menus", "menu", "contentdir", "publishdir", "buildfuture"}
)  # fmt: skip
# Syndicate's groupings, by the taxonomy names that mean them.
_GROUPINGS = {
    "tags": "tags", "tag": "tags", "categories": "categories", "category": "categories",
    "series": "series", "authors": "authors", "author": "authors",
}  # fmt: skip
_IMAGE_KEYS = frozenset(
    {"featuredImage", "featured_image", "image", "cover", "images", "featuredImageAlt",
     "image_alt"}
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Finding the site


def detect(root: Path) -> Path | None:
    """`zola.toml`, or a `config.toml` with Zola's `base_url` and no key of Hugo's (nor
    syndicate's `[site]` table)."""
    own = root / CONFIG_NAMES[0]
    if own.is_file():
        return own
    legacy = root / CONFIG_NAMES[1]
    try:
        raw = tomllib.loads(legacy.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    if "site" in raw or any(key.lower() in _HUGO_KEYS for key in raw):
        return None
    return legacy if isinstance(raw.get("base_url"), str) else None


# ---------------------------------------------------------------------------------------------
# Reading its config


class _Language(NamedTuple):
    feeds: bool
    feed_filenames: tuple[str, ...]
    taxonomies: tuple[tuple[str, bool], ...]  # name, feed


class _Checked:
    """Values of a config file read by type, every wrong one remembered as `file: key: why`."""

    def __init__(self, path: Path, raw: Mapping[str, Any]) -> None:
        self.path = path
        self.raw = raw
        self.problems: list[str] = []

    def get(self, key: str, kind: type | tuple[type, ...], default: Any, table: str = "") -> Any:
        source = self._table(table)
        if key not in source:
            return default
        value = source[key]
        if isinstance(value, bool) and kind is not bool and bool not in _as_tuple(kind):
            value = object()  # a bool is an int to Python, not to TOML
        if not isinstance(value, kind):
            self.fail(f"{table}.{key}" if table else key, f"expected {_name(kind)}")
            return default
        return value

    def names(self, key: str, table: str = "") -> tuple[str, ...] | None:
        value = self.get(key, list, None, table)
        if value is None:
            return None
        if not all(isinstance(item, str) for item in value):
            self.fail(f"{table}.{key}" if table else key, "expected a list of strings")
            return None
        return tuple(value)

    def fail(self, key: str, why: str) -> None:
        self.problems.append(f"{self.path}: {key}: {why}")

    def _table(self, table: str) -> Mapping[str, Any]:
        source: Any = self.raw
        for part in table.split(".") if table else ():
            source = source.get(part) if isinstance(source, dict) else None
        return source if isinstance(source, dict) else {}


def read(root: Path, environment: str) -> SiteSettings:
    """The site's `zola.toml` (or `config.toml`) in syndicate's terms. Zola has one config for
    every command, so `environment` changes nothing. Raises ConfigError."""
    path = root / CONFIG_NAMES[0]
    if not path.is_file():
        path = root / CONFIG_NAMES[1]
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{root}: neither zola.toml nor config.toml is there") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    check = _Checked(path, raw)
    site, origins = _site(check)
    feeds_key = next((k for k in ("generate_feeds", "generate_feed", "generate_rss") if k in raw),
                     "generate_feeds")  # fmt: skip
    default = check.get("default_language", str, "en")
    languages = _languages(check, feeds_key, default)
    slugify = _slugify(check)
    ignored = check.names("ignored_content") or ()
    taxonomy_root = check.get("taxonomy_root", str, "")
    theme = check.get("theme", str, "")
    if check.problems:
        raise ConfigError(check.problems[0], check.problems)
    rules = PostRules(
        generator=NAME,
        future=True,  # Zola publishes pages dated in the future (it has no such setting)
        taxonomies=_taxonomies(languages),
        root=str(root),
        options=_options(default, languages, slugify, ignored),
    )
    return SiteSettings(
        generator=NAME,
        root=root,
        files=(path,),
        site=site,
        rules=rules,
        origins=origins,
        feed_globs=_feed_globs(root, default, languages, slugify[1], taxonomy_root),
        feeds_off=_feeds_off(path.name, feeds_key, default, languages),
        notes=_notes(theme, default, languages),
    )


def _site(check: _Checked) -> tuple[dict[str, object], dict[str, str]]:
    """`[site]` values, and where each was read."""
    site: dict[str, object] = {
        "timezone": "UTC",  # Zola has no time zone: a date without an offset is UTC
        "content_dir": "content",
        "static_dir": "static",
        "output_dir": "public",
    }
    origins: dict[str, str] = {}
    keys = {"base_url": "base_url", "title": "title", "description": "description",
            "language": "default_language", "output_dir": "output_dir"}  # fmt: skip
    for ours, theirs in keys.items():
        value = check.get(theirs, str, None)
        if value is not None:
            site[ours] = value
            origins[ours] = f"{check.path}: {theirs}"
    base_url = site.get("base_url")
    if "base_url" not in check.raw:
        check.fail("base_url", "missing; Zola needs it, and so do feeds")
    elif isinstance(base_url, str) and not _is_http_url(base_url):
        check.fail("base_url", f"{base_url!r} is not an absolute http:// or https:// URL")
    author = check.get("author", str, None)
    if author:
        site["authors"] = [{"name": author}]
        origins["authors"] = f"{check.path}: author"
    return site, origins


def _is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _languages(check: _Checked, feeds_key: str, default: str) -> dict[str, _Language]:
    """Every language's feeds and taxonomies; the default language's come from the top level
    (merged with its own `[languages.xx]`, as `Config::add_default_language` does; its site
    feed is only ever turned on at the top level: site/src/lib.rs `render`)."""
    names = check.names("feed_filenames")
    if names is None:
        single = check.get("feed_filename", str, None)  # Zola 0.11 to 0.18
        names = (single,) if single else ("rss.xml",) if feeds_key == "generate_rss" else None
    taxonomies = _taxonomy_list(check, "")
    top = _Language(
        check.get(feeds_key, bool, False),
        names or ("atom.xml",),
        tuple((name, feed) for name, feed, lang in taxonomies if lang in ("", default)),
    )
    found = {default: top}
    languages = check.raw.get("languages", {})
    if isinstance(languages, list):
        return found | _old_languages(check, languages, top, taxonomies)
    for code, table in check.get("languages", dict, {}).items():
        if not isinstance(table, dict):
            check.fail(f"languages.{code}", "expected a table")
            continue
        where = f"languages.{code}"
        own = _Language(
            check.get("generate_feeds", bool, False, where),
            check.names("feed_filenames", where) or ("atom.xml",),
            tuple((name, feed) for name, feed, _ in _taxonomy_list(check, where)),
        )
        if code == default:
            own = _Language(
                top.feeds,
                top.feed_filenames if names else own.feed_filenames,
                top.taxonomies or own.taxonomies,
            )
        found[code] = own
    return found


def _old_languages(
    check: _Checked,
    languages: list[Any],
    top: _Language,
    taxonomies: tuple[tuple[str, bool, str], ...],
) -> dict[str, _Language]:
    """Before Zola 0.14: `languages = [{code = "fr", feed = true}]` (`rss` before 0.11), and
    each taxonomy's `lang` names its language (docs/content/documentation/content/
    multilingual.md at getzola/zola@95163284)."""
    found: dict[str, _Language] = {}
    for item in languages:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            check.fail("languages", 'expected a list of tables such as {code = "fr"}')
            continue
        feeds = item.get("feed", item.get("rss", False)) is True
        own = tuple((name, feed) for name, feed, lang in taxonomies if lang == code)
        found[code] = _Language(feeds, top.feed_filenames, own)
    return found


def _taxonomy_list(check: _Checked, table: str) -> tuple[tuple[str, bool, str], ...]:
    """Each taxonomy's name, whether its terms have feeds, and its `lang` (before 0.14)."""
    value = check.get("taxonomies", list, [], table)
    key = f"{table}.taxonomies" if table else "taxonomies"
    found: list[tuple[str, bool, str]] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            check.fail(key, 'expected a list of tables such as {name = "tags", feed = true}')
            continue
        feed = item.get("feed", item.get("rss", False))
        if not isinstance(feed, bool):
            check.fail(f"{key}.{item['name']}.feed", "expected true or false")
            feed = False
        lang = item.get("lang", "")
        found.append((item["name"], feed, lang if isinstance(lang, str) else ""))
    return tuple(found)


def _slugify(check: _Checked) -> tuple[SlugifyMode, SlugifyMode, bool]:
    """`[slugify]`: paths, taxonomies, paths_keep_dates."""
    modes: list[SlugifyMode] = []
    for key in ("paths", "taxonomies"):
        value = check.get(key, str, "on", "slugify")
        if value not in SLUGIFY_MODES:
            check.fail(f"slugify.{key}", f'expected "on", "safe" or "off", got {value!r}')
            value = "on"
        modes.append(value)
    return modes[0], modes[1], check.get("paths_keep_dates", bool, False, "slugify")


def _taxonomies(languages: Mapping[str, _Language]) -> tuple[tuple[str, str], ...]:
    names = sorted({name for lang in languages.values() for name, _ in lang.taxonomies})
    return tuple((name, _GROUPINGS[name]) for name in names if name in _GROUPINGS)


def _options(
    default: str,
    languages: Mapping[str, _Language],
    slugify: tuple[SlugifyMode, SlugifyMode, bool],
    ignored: tuple[str, ...],
) -> tuple[tuple[str, str], ...]:
    taxonomies = {code: [n for n, _ in lang.taxonomies] for code, lang in languages.items()}
    return (
        ("default_language", json.dumps(default)),
        ("languages", json.dumps(taxonomies, sort_keys=True)),
        ("slugify_paths", json.dumps(slugify[0])),
        ("paths_keep_dates", json.dumps(slugify[2])),
        ("ignored_content", json.dumps(list(ignored))),
    )


def _feed_globs(
    root: Path,
    default: str,
    languages: Mapping[str, _Language],
    taxonomy_mode: SlugifyMode,
    taxonomy_root: str,
) -> tuple[str, ...]:
    """Zola's feed files, relative to its output folder (components/site/src/lib.rs
    `render_feeds` callers): the site's, each language's under `{code}/`, each term's of a
    taxonomy with `feed = true` at `[{code}/][{taxonomy_root}/]{taxonomy}/{term}/`, and each
    section's with `generate_feeds = true` in its `_index.md`."""
    globs: list[str] = []
    for code, lang in languages.items():
        prefix = "" if code == default else f"{code}/"
        if lang.feeds:
            globs.extend(f"{prefix}{name}" for name in lang.feed_filenames)
        for name, feed in lang.taxonomies:
            if feed:
                where = f"{prefix}{taxonomy_root.strip('/') + '/' if taxonomy_root else ''}"
                slug = slugify_paths(name, taxonomy_mode)
                globs.extend(f"{where}{slug}/*/{file}" for file in lang.feed_filenames)
    for section, code in _sections_with_feeds(root / "content", default, languages):
        globs.extend(f"{section}{file}" for file in languages[code].feed_filenames)
    return tuple(dict.fromkeys(globs))


def _sections_with_feeds(
    content: Path, default: str, languages: Mapping[str, _Language]
) -> list[tuple[str, str]]:
    """(section path relative to the output folder, language) of each section whose front
    matter says `generate_feeds = true` (`generate_feed` before Zola 0.19)."""
    found: list[tuple[str, str]] = []
    names = {"_index.md": default} | {f"_index.{c}.md": c for c in languages if c != default}
    for folder, dirs, files in os.walk(content):
        dirs.sort()
        for name in sorted(set(files) & names.keys()):
            meta = _front_matter(Path(folder, name))
            if not (meta.get("generate_feeds") is True or meta.get("generate_feed") is True):
                continue
            code = names[name]
            parts = Path(folder).relative_to(content).parts
            path = "/".join(([] if code == default else [code]) + list(parts))
            found.append((f"{path}/" if path else "", code))
    return found


def _feeds_off(file: str, feeds_key: str, default: str, languages: Mapping[str, _Language]) -> str:
    """The settings that turn Zola's own feeds off, as they are written in its config."""
    where = [f"{feeds_key} = false in {file}"]
    where.extend(
        f"generate_feeds = false in [languages.{code}]"
        for code, lang in languages.items()
        if code != default and lang.feeds
    )
    taxonomies = sorted({n for lang in languages.values() for n, feed in lang.taxonomies if feed})
    if taxonomies:
        where.append(f"feed = false in the taxonomies {', '.join(taxonomies)}")
    return "; ".join(where)


def _notes(theme: str, default: str, languages: Mapping[str, _Language]) -> tuple[str, ...]:
    notes = ["Zola has no time zone: dates without an offset are UTC"]
    if theme:
        notes.append(f"the theme's config (themes/{theme}/theme.toml) is not read")
    others = sorted(code for code in languages if code != default)
    if others:
        notes.append(f"pages in {', '.join(others)} are posts too, each at its own language's path")
    return tuple(notes)


def _front_matter(path: Path) -> dict[str, Any]:
    """A content file's TOML (`+++`) or YAML (`---`) front matter, as Zola splits it
    (components/content/src/front_matter/split.rs); empty when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        found = _FRONT_MATTER.match(text)
        if found is None:
            return {}
        body = found.group("toml") if found.group("toml") is not None else found.group("yaml")
        meta = tomllib.loads(body) if found.group("toml") is not None else yaml.safe_load(body)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, yaml.YAMLError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


_FRONT_MATTER = re.compile(
    r"\A\s*(?:\+\+\+(?P<toml>\r?\n.*?)\+\+\+|---(?P<yaml>\r?\n.*?)---)[ \t]*(?:\r?\n|\Z)", re.S
)


# ---------------------------------------------------------------------------------------------
# Finding the posts


class _Options(NamedTuple):
    default_language: str
    languages: dict[str, list[str]]  # each language's code -> its taxonomies' names
    slugify_paths: SlugifyMode
    paths_keep_dates: bool
    ignored: Callable[[str], bool] | None


@functools.lru_cache(maxsize=8)
def _read_options(rules: PostRules) -> _Options:
    raw = {name: json.loads(text) for name, text in rules.options}
    return _Options(
        raw.get("default_language", "en"),
        raw.get("languages", {}),
        raw.get("slugify_paths", "on"),
        raw.get("paths_keep_dates", False),
        _glob_matcher(tuple(raw.get("ignored_content", ()))),
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


def find_posts(config: Config, report: Report) -> list[SourceFile]:
    """Every page under `content/` (drafts too: the loader counts them), sorted by path; the
    pages without a date are left out later by `adapt`. A folder whose section (`_index.md`,
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
    for prefix, files in walk(root, report, inside, (".md",)):
        if any(prefix[: len(d)] == d for d in drafted):
            continue
        here = [path for name, path, _, _ in files if name in sections]
        if any(_front_matter(Path(path)).get("draft") is True for path in here):
            drafted.append(prefix)
            continue
        if wanted and (not prefix or prefix[0] not in wanted):
            continue
        for name, path, mtime_ns, size in files:
            if name.startswith("_index.") or not name.endswith(".md"):
                continue  # sections, and `.MD` (Zola's test is case-sensitive)
            if options.ignored is not None and options.ignored(path):
                continue
            if name == "index.md" and (here or not prefix):
                report.error(
                    Location(Path(path)),
                    "Zola refuses a page named index.md beside a section's _index.md",
                    "rename one of them",
                )
                continue
            bundle = Path(path).parent if prefix and name.split(".")[0] == "index" else None
            found.append(SourceFile(path, prefix[0] if prefix else "", bundle, mtime_ns, size))
    found.sort(key=lambda source: source.file)
    return found


# ---------------------------------------------------------------------------------------------
# Reading one page


def adapt(
    meta: dict[str, Any], source: SourceFile, rules: PostRules, tz: ZoneInfo
) -> dict[str, Any]:
    """One page's front matter in syndicate's terms. Raises `NotAPost` for a page without a
    date, and `Invalid` for what would stop `zola build`."""
    options = _read_options(rules)
    file = PurePath(source.file)
    name, lang = _language(file.name[: -len(".md")], options)
    _check_types(meta)
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
    updated = _date(meta, "updated", lenient=True)
    _check_taxonomies(meta, lang, options)
    if when is None:
        raise NotAPost()
    out["date"] = when
    if updated is not None:
        out["updated"] = updated
    slug = _slug(meta, folder_name, dated, options)
    if slug:
        out["slug"] = slug
    components = content_components(_relative(file, rules.root))
    if name.split(".")[0] == "index" and components:
        components.pop()  # a page bundle: the folder is the page
    path = page_path(components, slug, meta.get("path"), lang, options.default_language)
    out[URL_PATH] = _url_path(path)
    out.update(_groupings(meta, rules))
    return out


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
            f"{key}: {exc}", hint="Zola reads: " + "; ".join(DATE_FORMS[:-1]), key=key
        ) from None


def _check_taxonomies(meta: Mapping[str, Any], lang: str, options: _Options) -> None:
    taxonomies = meta.get("taxonomies", {})
    if not isinstance(taxonomies, dict):
        raise Invalid("taxonomies: expected a table of lists", key="taxonomies")
    allowed = options.languages.get(lang, [])
    for name, terms in taxonomies.items():
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
            raise Invalid(f"taxonomies.{name}: expected a list of names", key="taxonomies")
        if any(not term.strip() for term in terms):
            raise Invalid(f"taxonomies.{name}: a term cannot be empty", key="taxonomies")
        if name not in allowed:
            raise Invalid(
                f"taxonomies.{name}: the site's config defines no taxonomy {name!r} for "
                f"language {lang!r}; Zola refuses to build this",
                hint=f'add {{name = "{name}"}} to taxonomies in the config',
                key="taxonomies",
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


def _name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", bool: "true or false", int: "a whole number", list: "a list",
             dict: "a table"}  # fmt: skip
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)
