"""Zola's config -> syndicate's settings: `zola.toml`, else `config.toml`
(https://www.getzola.org/documentation/getting-started/configuration/: "Zola loads config.toml
as a fallback if zola.toml does not exist"; src/main.rs `get_config_file_path`), read as
components/config/src/config/mod.rs reads it
(getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ...errors import ConfigError
from .. import GeneratorName, PostRules, SiteSettings
from .. import Language as SiteLanguage
from .feeds import FORMATS, Feeds, Language, Tree, addresses, feed_globs
from .paths import SLUGIFY_MODES, SlugifyMode
from .split import front_matter

NAME: GeneratorName = "zola"
CONFIG_NAMES = ("zola.toml", "config.toml")

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
    title_notes = _home_title(root, path.name, site, origins)
    feeds_key = next((k for k in ("generate_feeds", "generate_feed", "generate_rss") if k in raw),
                     "generate_feeds")  # fmt: skip
    default = check.get("default_language", str, "en")
    languages = _languages(check, feeds_key, default)
    slugify = _slugify(check)
    ignored = check.names("ignored_content") or ()
    taxonomy_root = check.get("taxonomy_root", str, "")
    # pulldown-cmark's definition lists, off unless `[markdown] definition_list = true`
    # (components/markdown/src/markdown.rs).
    definition_list = check.get("definition_list", bool, False, "markdown")
    # Footnotes at the end with GitHub's ids (Zola 0.19 on; off by default).
    bottom_footnotes = check.get("bottom_footnotes", bool, False, "markdown")
    # pulldown-cmark's typographic quotes, dashes and dots (off by default).
    smart_punctuation = check.get("smart_punctuation", bool, False, "markdown")
    theme = check.get("theme", str, "")
    limit = _feed_limit(check)
    site_languages = _site_languages(check, site, default, languages)
    if check.problems:
        raise ConfigError(check.problems[0], check.problems)
    rules = PostRules(
        generator=NAME,
        future=True,  # Zola publishes pages dated in the future (it has no such setting)
        taxonomies=_taxonomies(languages),
        root=str(root),
        settings=(
            *_settings(default, languages, slugify, ignored),
            ("definition_list", json.dumps(definition_list)),
            ("bottom_footnotes", json.dumps(bottom_footnotes)),
            ("smart_punctuation", json.dumps(smart_punctuation)),
        ),
    )
    feeds = Feeds(default, languages, slugify[1], taxonomy_root, limit, dict(rules.taxonomies),
                  theme)  # fmt: skip
    sections = Tree.read(root / "content", feeds)
    found, feed_notes = addresses(root, feeds, sections)
    return SiteSettings(
        generator=NAME,
        root=root,
        files=(path, *sections.index_files),
        site=site,
        rules=rules,
        origins=origins,
        feed_globs=feed_globs(root, feeds, sections),
        feeds_off=_feeds_off(path.name, feeds_key, default, languages, sections.feed_files, root)
        if _all_built_in(languages)
        else "",
        notes=title_notes + _notes(theme, site_languages) + feed_notes,
        addresses=found,
        languages=site_languages,
        section_titles=tuple(sections.titles),
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
    # Its value is checked with the rest of [site], where syndicate's own `base_url` may
    # replace it (a deploy that gives Zola its base URL on the command line).
    if "base_url" not in check.raw:
        check.fail("base_url", "missing; Zola needs it, and so do feeds")
    author = check.get("author", str, None)
    if author:
        site["authors"] = [{"name": author}]
        origins["authors"] = f"{check.path}: author"
    return site, origins


def _home_title(
    root: Path, config_name: str, site: dict[str, object], origins: dict[str, str]
) -> tuple[str, ...]:
    """Without a `title` in Zola's config (it is optional: https://www.getzola.org/
    documentation/getting-started/configuration/), the home section's, `content/_index.md`,
    which a site's own templates title its pages and feeds with (blog.rust-lang.org's feed:
    `section.title`); the note saying so."""
    if "title" in site:
        return ()
    index = root / "content" / "_index.md"
    title = front_matter(index).get("title")
    if not isinstance(title, str) or not title.strip():
        return ()
    site["title"] = title.strip()
    origins["title"] = f"{index}: title"
    return (
        f"{config_name} sets no `title`: the home section's (content/_index.md) is the feeds' "
        "title",
    )


def _languages(check: _Checked, feeds_key: str, default: str) -> dict[str, Language]:
    """Every language's feeds and taxonomies; the default language's come from the top level
    (merged with its own `[languages.xx]`, as `Config::add_default_language` does; its site
    feed is only ever turned on at the top level: site/src/lib.rs `render`)."""
    names = check.names("feed_filenames")
    if names is None:
        single = check.get("feed_filename", str, None)  # Zola 0.11 to 0.18
        names = (single,) if single else ("rss.xml",) if feeds_key == "generate_rss" else None
    taxonomies = _taxonomy_list(check, "")
    top = Language(
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
        own = Language(
            check.get("generate_feeds", bool, False, where),
            check.names("feed_filenames", where) or ("atom.xml",),
            tuple((name, feed) for name, feed, _ in _taxonomy_list(check, where)),
        )
        if code == default:
            own = Language(
                top.feeds,
                top.feed_filenames if names else own.feed_filenames,
                top.taxonomies or own.taxonomies,
            )
        found[code] = own
    return found


def _old_languages(
    check: _Checked,
    languages: list[Any],
    top: Language,
    taxonomies: tuple[tuple[str, bool, str], ...],
) -> dict[str, Language]:
    """Before Zola 0.14: `languages = [{code = "fr", feed = true}]` (`rss` before 0.11), and
    each taxonomy's `lang` names its language (docs/content/documentation/content/
    multilingual.md at getzola/zola@95163284)."""
    found: dict[str, Language] = {}
    for item in languages:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            check.fail("languages", 'expected a list of tables such as {code = "fr"}')
            continue
        feeds = item.get("feed", item.get("rss", False)) is True
        own = tuple((name, feed) for name, feed, lang in taxonomies if lang == code)
        found[code] = Language(feeds, top.feed_filenames, own)
    return found


def _taxonomy_list(check: _Checked, table: str) -> tuple[tuple[str, bool, str], ...]:
    """Each taxonomy's name, whether its terms have feeds (`feed`, and not `render = false`:
    site/src/lib.rs renders neither its pages nor its feeds), and its `lang` (before 0.14)."""
    value = check.get("taxonomies", list, [], table)
    key = f"{table}.taxonomies" if table else "taxonomies"
    found: list[tuple[str, bool, str]] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            check.fail(key, 'expected a list of tables such as {name = "tags", feed = true}')
            continue
        feed = item.get("feed", item.get("rss", False))
        render = item.get("render", True)
        for name, flag in (("feed", feed), ("render", render)):
            if not isinstance(flag, bool):
                check.fail(f"{key}.{item['name']}.{name}", "expected true or false")
        feed = feed is True and render is not False
        lang = item.get("lang", "")
        found.append((item["name"], feed, lang if isinstance(lang, str) else ""))
    return tuple(found)


def _feed_limit(check: _Checked) -> int | None:
    """`feed_limit`: at most this many pages in each feed; unset, every page."""
    limit: int | None = check.get("feed_limit", int, None)
    if limit is not None and limit < 0:
        check.fail("feed_limit", f"expected a whole number of 0 or more, got {limit}")
        return None
    return limit


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


def _taxonomies(languages: Mapping[str, Language]) -> tuple[tuple[str, str], ...]:
    names = sorted({name for lang in languages.values() for name, _ in lang.taxonomies})
    return tuple((name, _GROUPINGS[name]) for name in names if name in _GROUPINGS)


def _settings(
    default: str,
    languages: Mapping[str, Language],
    slugify: tuple[SlugifyMode, SlugifyMode, bool],
    ignored: tuple[str, ...],
) -> tuple[tuple[str, str], ...]:
    taxonomies = {code: [n for n, _ in lang.taxonomies] for code, lang in languages.items()}
    return (
        ("default_language", json.dumps(default)),
        ("languages", json.dumps(taxonomies, sort_keys=True)),
        ("slugify_paths", json.dumps(slugify[0])),
        ("slugify_taxonomies", json.dumps(slugify[1])),
        ("paths_keep_dates", json.dumps(slugify[2])),
        ("ignored_content", json.dumps(list(ignored))),
    )


def _feeds_off(
    file: str,
    feeds_key: str,
    default: str,
    languages: Mapping[str, Language],
    section_files: Sequence[Path],
    root: Path,
) -> str:
    """The settings that turn Zola's own feeds off, as they are written in its config and
    in the sections' `_index.md` front matter."""
    where = [f"{feeds_key} = false in {file}"]
    where.extend(
        f"generate_feeds = false in [languages.{code}]"
        for code, lang in languages.items()
        if code != default and lang.feeds
    )
    taxonomies = sorted({n for lang in languages.values() for n, feed in lang.taxonomies if feed})
    if taxonomies:
        where.append(f"feed = false in the taxonomies {', '.join(taxonomies)}")
    if section_files:
        files = ", ".join(p.relative_to(root).as_posix() for p in section_files)
        where.append(f"generate_feeds = false in the front matter of {files}")
    return "; ".join(where)


def _all_built_in(languages: Mapping[str, Language]) -> bool:
    """Whether every feed file Zola writes has a built-in template: one of the site's own
    (blog.rust-lang.org's `feed.xml`) is not replaced by syndicate, so turning Zola's feeds
    off would take it from its readers."""
    return all(name in FORMATS for lang in languages.values() for name in lang.feed_filenames)


def _notes(theme: str, languages: tuple[SiteLanguage, ...]) -> tuple[str, ...]:
    notes = ["Zola has no time zone: dates without an offset are UTC"]
    if theme:
        notes.append(f"the theme's config (themes/{theme}/theme.toml) is not read")
    if languages:
        codes = ", ".join(f"{x.code} (default)" if x.default else x.code for x in languages)
        notes.append(
            f"languages {codes}: each page's from its file name (name.{{code}}.md), each "
            "language's posts at its own path and in its own feeds"
        )
    return tuple(notes)


def _site_languages(
    check: _Checked, site: Mapping[str, object], default: str, languages: Mapping[str, Language]
) -> tuple[SiteLanguage, ...]:
    """Every language of a multilingual site, the default first, then by code: Zola keeps its
    languages in a hash map (components/config/src/config/mod.rs `Config::languages`) and has no
    weight. Other languages are at `{base_url}/{code}/` ("Zola outputs the translated content
    with a base URL of `{base_url}/{code}/`", https://www.getzola.org/documentation/content/
    multilingual/); Zola has no base URL per language. A language's title is its
    `[languages.xx] title`; Zola leaves the site's title empty in a language without one
    (getzola/zola#1634), where syndicate keeps the site's."""
    if len(languages) < 2:
        return ()
    base = str(site.get("base_url", "")).rstrip("/") + "/"
    title = str(site.get("title", ""))
    found: list[SiteLanguage] = []
    for code in sorted(languages, key=lambda c: (c != default, c)):
        own = check.get("title", str, None, f"languages.{code}")
        prefix = "" if code == default else f"{code}/"
        found.append(
            SiteLanguage(
                code=code,
                title=own or title,
                base_url=base + prefix,
                prefix=prefix,
                weight=0,
                locale=code,
                default=code == default,
            )
        )
    return tuple(found)


def _name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", bool: "true or false", int: "a whole number", list: "a list",
             dict: "a table"}  # fmt: skip
    return " or ".join(names.get(k, k.__name__) for k in _as_tuple(kind))


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)
