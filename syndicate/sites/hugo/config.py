"""Hugo's config, found and merged as `hugo` merges it, in syndicate's terms: `[site]` values,
the rules for reading posts (date sources, cascades, taxonomies), Hugo's own feed files.

`@HUGO_COMMIT` in comments is the commit named in the package's docstring.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import tomllib
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from ...content.fastyaml import Loader12
from ...errors import ConfigError, kind_of
from ...text import html_as_text
from .. import Language, PostRules, SiteSettings
from .dates import DATE_SOURCES, with_aliases
from .urls import Case, Rule
from .urls import rules_from as url_rules

# config/allconfig/load.go and config/configLoader.go@HUGO_COMMIT: the first of `hugo.*`, else
# `config.*` (extensions in this order), then `config/_default/`, then `config/<environment>/`.
CONFIG_NAMES = ("hugo", "config")
CONFIG_SUFFIXES = ("toml", "yaml", "yml", "json")
CONFIG_DIR = "config"

# Content files Hugo reads as Markdown or HTML (https://gohugo.io/content-management/formats/);
# AsciiDoc, Org, Pandoc and reStructuredText need tools syndicate does not run.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
HTML_SUFFIXES = (".html", ".htm")
CONTENT_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES
OTHER_SUFFIXES = (".adoc", ".asciidoc", ".ad", ".org", ".pandoc", ".pdc", ".rst")

# Hugo's taxonomies when the config sets none (https://gohugo.io/configuration/taxonomies/).
DEFAULT_TAXONOMIES = {"category": "categories", "tag": "tags"}
GROUPINGS = ("tags", "categories", "series", "authors")


# ---------------------------------------------------------------------------------------------
# Finding the config


def detect(root: Path) -> Path | None:
    """Hugo's config file in `root`: `hugo.*` or `config.*`, else a `config/_default/` folder.
    A `config.toml` with a `[site]` table is syndicate's, and one with Zola's `base_url` and
    no `baseURL` is Zola's."""
    found = _main_file(root)
    if found is not None:
        if found.name == "config.toml" and not _hugo_toml(found):
            return None
        return found
    default = root / CONFIG_DIR / "_default"
    return default if default.is_dir() else None


def _main_file(root: Path) -> Path | None:
    for name in CONFIG_NAMES:
        for suffix in CONFIG_SUFFIXES:
            path = root / f"{name}.{suffix}"
            if path.is_file():
                return path
    return None


def _hugo_toml(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True  # `read` says what is wrong with it
    keys = {k.lower() for k in data}
    if isinstance(data.get("site"), dict) or "output" in data or "digest" in data:
        return False  # syndicate's own config
    return not ("base_url" in data and "baseurl" not in keys)  # Zola's


# ---------------------------------------------------------------------------------------------
# Reading and merging the config


class _Source:
    """One config file: its name as reported, where its values go in the merged config
    (`params.toml` -> `params`), and its values as written."""

    def __init__(self, label: str, path: Path, prefix: tuple[str, ...], data: dict[str, Any]):
        self.label = label
        self.path = path
        self.prefix = prefix
        self.data = data

    def written(self, keys: Sequence[str]) -> str | None:
        """`keys` (lower case, from the merged config's root) as written in this file, when
        this file sets them."""
        if tuple(keys[: len(self.prefix)]) != self.prefix:
            return None
        node: Any = self.data
        names: list[str] = []
        for key in keys[len(self.prefix) :]:
            if not isinstance(node, dict):
                return None
            name = next((k for k in node if str(k).lower() == key), None)
            if name is None:
                return None
            names.append(str(name))
            node = node[name]
        return ".".join(names) if names else None


class _Merged:
    """The merged config (keys lower case), where each value came from, and every problem."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.values: dict[str, Any] = {}
        self.sources: list[_Source] = []
        self.problems: list[str] = []
        self._pages: dict[Path, dict[str, Any]] = {}

    def front_matter(self, page: Path) -> dict[str, Any]:
        """A section page's front matter (`_front_matter`), not to be changed: read once for
        every part of the config that asks (its cascades, titles and addresses each read
        them: on opentelemetry.io, 329 pages read twice took a fifth of the config's time)."""
        found = self._pages.get(page)
        if found is None:
            found = self._pages[page] = _front_matter(page)
        return found

    def add(self, source: _Source) -> None:
        tree: dict[str, Any] = _lowered(source.data)
        for key in reversed(source.prefix):
            tree = {key: tree}
        _merge_into(self.values, tree)
        self.sources.append(source)

    def get(self, *keys: str) -> Any:
        node: Any = self.values
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def where(self, *keys: str) -> str:
        """`file: key` of the file that set `keys` last (the merged value's origin)."""
        for source in reversed(self.sources):
            written = source.written(keys)
            if written is not None:
                return f"{source.label}: {written}"
        return f"{self.sources[-1].label if self.sources else 'hugo.toml'}: {'.'.join(keys)}"

    def problem(self, keys: Sequence[str], message: str) -> None:
        self.problems.append(f"{self.where(*keys)}: {message}")

    def text(self, *keys: str) -> str | None:
        value = self.get(*keys)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        self.problem(keys, f"expected text, got {kind_of(value, 'a table')}")
        return None

    def flag(self, *keys: str) -> bool:
        value = self.get(*keys)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        # cast.ToBool, as Hugo reads its flags: "true" and "false" are read too.
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
        self.problem(keys, f"expected true or false, got {kind_of(value, 'a table')}")
        return False

    def names(self, *keys: str) -> list[str] | None:
        value = self.get(*keys)
        if value is None:
            return None
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        self.problem(keys, f"expected a list of names, got {kind_of(value, 'a table')}")
        return None

    def table(self, *keys: str) -> dict[str, Any]:
        value = self.get(*keys)
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.problem(keys, f"expected a table of settings, got {kind_of(value, 'a table')}")
        return {}


def _kind(value: object) -> str:
    return kind_of(value, "a table")  # Hugo's configs are TOML's tables, YAML's mappings


def _lowered(value: Any) -> Any:
    """Hugo's config keys are case-insensitive: it lower-cases them as it reads them
    (hmaps.ToParamsAndPrepare in config/defaultConfigProvider.go@HUGO_COMMIT)."""
    if isinstance(value, dict):
        return {str(k).lower(): _lowered(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lowered(v) for v in value]
    return value


def _merge_into(target: dict[str, Any], new: Mapping[str, Any]) -> None:
    """Tables merged key by key, anything else replaced (hmaps.SetParams: "Set will overwrite
    keys with the same name, recursively")."""
    for key, value in new.items():
        old = target.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            _merge_into(old, value)
        else:
            target[key] = value


def _load_file(path: Path, label: str) -> tuple[dict[str, Any] | None, str | None]:
    """A config file's values, or the problem reading it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"{label}: cannot read: {getattr(exc, 'strerror', None) or exc}"
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            data: Any = tomllib.loads(text)
        elif suffix == ".json":
            data = json.loads(text) if text.strip() else {}
        else:
            data = yaml.load(text, Loader=Loader12)  # YAML 1.2's booleans, as Hugo's
    except tomllib.TOMLDecodeError as exc:
        return None, f"{label}: invalid TOML: {exc}"
    except json.JSONDecodeError as exc:
        return None, f"{label}: invalid JSON: {exc.msg} (line {exc.lineno})"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        return None, f"{label}: invalid YAML: {getattr(exc, 'problem', None) or exc}{where}"
    except (ValueError, RecursionError) as exc:
        return None, f"{label}: invalid {suffix.lstrip('.').upper()}: {exc}"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return None, f"{label}: expected a table of settings, got {kind_of(data, 'a table')}"
    return data, None


def _config_files(
    root: Path, environment: str
) -> Iterator[tuple[Path, tuple[tuple[str, ...], str]]]:
    """Every config file Hugo reads, in merge order, with where its values go."""
    main = _main_file(root)
    if main is not None:
        yield main, ((), "")
    folder = root / CONFIG_DIR
    for sub in ("_default", environment):
        top = folder / sub
        if not top.is_dir():
            continue
        # afero.Walk: lexical order, into sub-folders too.
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                stem, _, suffix = name.rpartition(".")
                if suffix.lower() in CONFIG_SUFFIXES and stem:
                    yield Path(dirpath, name), _prefix(stem)


def _prefix(stem: str) -> tuple[tuple[str, ...], str]:
    """Where a config folder file's values go, and the key that may wrap them (LoadConfigFromDir
    in config/configLoader.go@HUGO_COMMIT): `hugo` and `config` at the root, `params` under
    `params`, `menus.en` under `languages.en.menus`, `params.en` under `languages.en.params`,
    any other `name.en` under `languages.en`."""
    if stem in CONFIG_NAMES:
        return (), ""
    name, _, lang = stem.rpartition(".") if "." in stem else (stem, "", "")
    key = "menus" if name.lower() == "menu" else name.lower()
    if not lang:
        return (key,), name
    if key in ("menus", "params"):
        return ("languages", lang.lower(), key), name
    return ("languages", lang.lower()), name


def _merged(root: Path, environment: str) -> _Merged:
    merged = _Merged(root)
    for path, (prefix, wrapper) in _config_files(root, environment):
        label = os.path.relpath(path, root)
        data, problem = _load_file(path, label)
        if problem is not None:
            merged.problems.append(problem)
            continue
        assert data is not None
        # A file may wrap its values in its own name (`cascade.yaml` holding `cascade: [...]`:
        # a top-level list cannot be written).
        if wrapper and len(data) == 1 and wrapper in data:
            inner = data[wrapper]
            if isinstance(inner, dict):
                data = inner
            else:
                prefix, data = prefix[:-1], {prefix[-1]: inner}
        merged.add(_Source(label, path, prefix, data))
    return merged


def read(root: Path, environment: str) -> SiteSettings:
    """Hugo's config, merged as `hugo` merges it for `environment`, in syndicate's terms.
    Raises ConfigError listing every problem as `file: key: message`."""
    root = root.resolve()
    merged = _merged(root, environment)
    if not merged.sources and not merged.problems:
        raise ConfigError(
            f"{root}: no Hugo config found (hugo.toml, config.toml, config/_default/)",
        )
    site, origins = _site_values(merged)
    rules = _rules(merged, root, environment)
    feed_globs, feeds_off = _feeds(merged)
    languages = _languages(merged, site)
    if merged.problems:
        raise ConfigError(merged.problems[0], merged.problems)
    cascades = [Path(f) for f in _cascade_files(rules)]
    sections = _section_pages(merged)
    cascades += [p for p, _, _ in sections if p not in cascades]
    addresses, address_notes = _addresses(merged, rules, site, languages)
    notes = _notes(merged) + _host_notes(languages) + address_notes
    return SiteSettings(
        generator="hugo",
        root=root,
        files=tuple(s.path for s in merged.sources) + tuple(cascades),
        site=site,
        rules=rules,
        origins=origins,
        feed_globs=feed_globs,
        feeds_off=feeds_off,
        other_feeds=_other_feeds(merged),
        notes=notes,
        addresses=addresses,
        languages=languages,
        section_titles=_section_titles(merged, sections),
    )


def _languages(merged: _Merged, site: Mapping[str, object]) -> tuple[Language, ...]:
    """Every language of a multilingual site (https://gohugo.io/configuration/languages/),
    the default first, then in Hugo's order: weight, a weight of 0 last, then the code
    (`Languages.Less` in langs/language.go@HUGO_COMMIT). Disabled languages are left out;
    a site of one language has none. A language's `title`, `baseURL` (multihost: its own
    host, published in its own folder) and `locale` / `languageCode` win over the site's."""
    table = merged.get("languages")
    if not isinstance(table, dict):
        return ()
    default = _default_language(merged)
    enabled = _enabled_languages(merged)
    in_subdir = merged.flag("defaultcontentlanguageinsubdir")
    multihost = _multihost(merged)
    hosts = _hosts(merged)
    found: list[Language] = []
    for code, settings in table.items():
        own: Mapping[str, Any] = settings if isinstance(settings, dict) else {}
        if code not in enabled:
            continue
        weight = own.get("weight", 0)
        if not isinstance(weight, int) or isinstance(weight, bool):
            merged.problem(
                ("languages", code, "weight"),
                f"expected a number, got {kind_of(weight, 'a table')}",
            )
            weight = 0
        # Multihost: each language is at its own base URL, and Hugo writes it to its own
        # folder in the output (https://gohugo.io/configuration/languages/#multihost).
        prefix = f"{code}/" if (multihost or code != default or in_subdir) else ""
        base = str(site.get("base_url") or "")
        if multihost and code != default:  # its own, else the site's (not the default's)
            base = hosts.get(code) or base
            _check_base_url(merged, code)
        base = base.rstrip("/") + "/" if base else ""
        locale = _text_of(own.get("locale")) or _text_of(own.get("languagecode"))
        if code == default and not locale:
            locale = str(site.get("language") or "")
        found.append(
            Language(
                code=code,
                title=_text_of(own.get("title")) or str(site.get("title") or ""),
                base_url=base if multihost else base + prefix,
                prefix=prefix,
                weight=weight,
                locale=(locale or code).replace("-", "_"),
                default=code == default,
                own_host=multihost,
                description=_description(merged, code, own=True) or "",
            )
        )
    if len(found) < 2:
        return ()
    found.sort(key=lambda lang: (not lang.default, lang.weight == 0, lang.weight, lang.code))
    return tuple(found)


def _enabled_languages(merged: _Merged) -> list[str]:
    """The codes of the languages Hugo builds: not in `disableLanguages`, not `disabled`."""
    table = merged.get("languages")
    if not isinstance(table, dict):
        return []
    disabled = {str(x).lower() for x in merged.names("disablelanguages") or []}
    return [
        str(code)
        for code, own in table.items()
        if code not in disabled and not (isinstance(own, dict) and own.get("disabled") is True)
    ]


def _language_order(merged: _Merged) -> list[str]:
    """The languages Hugo builds, in the order its sites matrix numbers them: by weight, a
    weight of 0 last, then by code (`LanguagesInternal.init` in langs/config.go@HUGO_COMMIT).
    Hugo takes a page's missing bundle resource from the nearest language in this order."""
    table = merged.get("languages")
    if not isinstance(table, dict):
        return []

    def weight(code: str) -> int:
        own = table.get(code)
        value = own.get("weight", 0) if isinstance(own, dict) else 0
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    return sorted(
        _enabled_languages(merged), key=lambda code: (weight(code) == 0, weight(code), code)
    )


def _text_of(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _section_pages(merged: _Merged) -> list[tuple[Path, Path, str]]:
    """The section pages (`_index.*`) a post's section feed depends on (the nearest folder
    with one is its section), its URL when a permalink pattern reads the sections
    (`:sections` looks for them, `:sectionslug` reads their titles) and its feed's title: read
    at every build, and watched, as the config is. Each with its content folder and that
    folder's language (`content_dirs`)."""
    found: list[tuple[Path, Path, str]] = []
    for folder, lang in content_dirs(merged.values, merged.root):
        if folder.is_dir():
            found.extend(
                (p, folder, lang)
                for p in sorted(folder.rglob("_index.*"))
                if p.is_file() and p.name.lower().endswith(CONTENT_SUFFIXES)
            )
    return found


def _section_titles(
    merged: _Merged, pages: Sequence[tuple[Path, Path, str]]
) -> tuple[tuple[str, str, str], ...]:
    """The `title` of each section page, by language and section path: Hugo titles the
    section's feed with it ("<title> on <site>", rss.xml@HUGO_COMMIT), where a section without
    one gets its folder name, title-cased (syndicate keeps the folder name then). A page's
    language is the one its name gives (`_index.fr.md`), else its content folder's; "" is the
    default language."""
    default = str(merged.values.get("defaultcontentlanguage") or "en").lower()
    codes = languages_of(merged.values)
    found: list[tuple[str, str, str]] = []
    for page, folder, lang in pages:
        section = page.parent.relative_to(folder).as_posix()
        named = page.name.split(".")[1:-1]  # ["fr"] of `_index.fr.md`
        if section == "." or len(named) > 1 or (named and named[0].lower() not in codes):
            continue  # the home page, or a language the site does not build
        code = named[0].lower() if named else lang
        own = {str(k).lower(): v for k, v in merged.front_matter(page).items()}
        title = _text_of(own.get("title"))
        if title:
            found.append(("" if code in ("", default) else code, section, title))
    return tuple(found)


def _addresses(
    merged: _Merged,
    rules: PostRules,
    site: Mapping[str, object],
    languages: Sequence[Language],
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The addresses of Hugo's built-in feeds (addresses.py), from the merged config: the
    default language's, then each other language's under its prefix (`fr/index.xml`,
    `fr/tags/{term}/index.xml`), each entry naming its language on a multilingual site
    (https://gohugo.io/content-management/multilingual/: "all content, sitemap, RSS feeds,
    paginations and taxonomy pages will be rendered below / in [the default language] and
    below /fr in French")."""
    from . import addresses

    reading = json.loads(rules.defaults[0][1])
    found = reading.get("urls") or {}
    case = Case(found.get("lower", True), found.get("accents", True))
    url_rules_ = [Rule(*r) for r in found.get("rules", [])]
    main = [str(s) for s in site.get("main_sections") or []]  # type: ignore[attr-defined]
    dirs = content_dirs(merged.values, merged.root)
    folders = [folder for folder, _ in dirs]
    default = _default_language(merged)

    @functools.cache  # asked again by each language's addresses: one walk of its folder
    def nested(section: str) -> bool:
        return any(
            name.startswith("_index.")
            for folder in folders
            for dirpath, _, names in os.walk(folder / section)
            if Path(dirpath) != folder / section
            for name in names
        )

    def section_page(section: str, code: str) -> dict[str, Any]:
        """The section's page in language `code`: `_index.<code>.md`, or `_index.md` in the
        language's own content folder (in the shared folder: the default language's)."""
        for folder, own in dirs:
            if own and own != code:
                continue
            plain = own == code or (not own and code == default)
            for name in section_page_names(code, plain):
                page = folder / section / name
                if page.is_file():
                    matter = {str(k).lower(): v for k, v in merged.front_matter(page).items()}
                    return {**cascaded(section, code), **matter}
        return cascaded(section, code)

    def cascaded(section: str, code: str) -> dict[str, Any]:
        return _section_cascade(merged, section, code, reading)

    layouts = addresses.site_rss_templates(merged.root, _theme_folders(merged))
    if not languages:
        page: Callable[[str], Mapping[str, Any]] = functools.partial(section_page, code=default)
        values = _language_values(merged, default)
        return addresses.describe(values, case, url_rules_, main, nested, layouts, page)
    every: list[tuple[str, str]] = []
    notes: tuple[str, ...] = ()
    own_rules = found.get("language_rules") or {}
    for language in languages:
        page = functools.partial(section_page, code=language.code)
        rules_of = own_rules.get(language.code)
        described, said = addresses.describe(
            _language_values(merged, language.code),
            case,
            url_rules_ if rules_of is None else [Rule(*r) for r in rules_of],
            main,
            nested,
            layouts,
            page,
            prefix=language.prefix,
            language=language.code,
            own_host=language.own_host,
        )
        every.extend(described)
        notes += tuple(note for note in said if note not in notes)  # each told once
    return tuple(every), notes


def _section_cascade(
    merged: _Merged, section: str, code: str, reading: Mapping[str, Any]
) -> dict[str, Any]:
    """What the config's `cascade` gives the page of a section (`outputs`, say, which turns a
    section's feed on: opentelemetry.io's `target: {kind: section, path: /blog}`); the first
    entry to set a key wins (https://gohugo.io/configuration/cascade/)."""
    from .posts import section_targeted  # posts reads this module: imported when used

    found: dict[str, Any] = {}
    for _, text in _config_cascade(merged):
        entry = json.loads(text)
        if section_targeted(entry.get("target") or {}, "/" + section.lower(), code, reading):
            for key, value in entry["values"].items():
                found.setdefault(str(key).lower(), value)
    return found


def _default_language(merged: _Merged) -> str:
    return (merged.text("defaultcontentlanguage") or "en").lower()


def _site_values(merged: _Merged) -> tuple[dict[str, object], dict[str, str]]:
    """syndicate's `[site]` values, each with the `file: key` it was read from. A language's
    own value (`languages.en.title`) wins over the site's, as Hugo's per-language config does."""
    lang = _default_language(merged)
    site: dict[str, object] = {}
    origins: dict[str, str] = {}

    def take(name: str, *keys: str, validate: Any = None) -> None:
        """The first of `keys` set, the language's own before the site's."""
        paths = [("languages", lang, key) for key in keys] + [(key,) for key in keys]
        for path in paths:
            value = merged.text(*path)
            if value is not None and value.strip():
                problem = validate(value) if validate else None
                if problem:
                    merged.problem(path, problem)
                site[name] = value.strip()
                origins[name] = merged.where(*path)
                return

    take("title", "title")
    # Checked with the rest of [site], where syndicate's own `base_url` may replace it (a deploy
    # that gives Hugo its base URL on the command line: `baseURL: /` in the config).
    take("base_url", "baseurl")
    # `locale` since Hugo 0.158, `languageCode` before (allconfig.go@HUGO_COMMIT reads
    # `languageCode` where `locale` is not set).
    take("language", "locale", "languagecode")
    if "language" not in site and merged.get("defaultcontentlanguage") is not None:
        site["language"] = lang
        origins["language"] = merged.where("defaultcontentlanguage")
    take("timezone", "timezone", validate=_timezone_problem)
    take("copyright", "copyright")
    if "copyright" in site:
        # Themes write it into their pages as HTML (the Congo theme's `&copy; 2024 ...`, which
        # an Atom <rights> of text showed as `&copy;`); a feed's copyright is text.
        site["copyright"] = " ".join(html_as_text(str(site["copyright"])).split())
    _params_values(merged, lang, site, origins)
    for name, key, default in (
        ("content_dir", "contentdir", "content"),
        ("output_dir", "publishdir", "public"),
    ):
        value = merged.text(key)
        site[name] = value.strip().rstrip("/") if value and value.strip() else default
        origins[name] = merged.where(key)
    folders = content_dirs(merged.values, merged.root)
    mounted = _content_mounts(merged.values, merged.root, ())
    if folders and (folders[0][1] or mounted):  # not the site's one folder: the default's
        own = next((f for f, code in folders if code == lang), folders[0][0])
        site["content_dir"] = os.path.relpath(own, merged.root)
        keys = ("module", "mounts") if mounted else ("languages", lang, "contentdir")
        origins["content_dir"] = merged.where(*keys)
    _root_links(merged, site, origins)
    static = merged.names("staticdir")
    site["static_dir"] = static[0] if static else "static"
    origins["static_dir"] = merged.where("staticdir")
    _main_sections(merged, lang, site, origins)
    return site, origins


def _main_sections(
    merged: _Merged, lang: str, site: dict[str, object], origins: dict[str, str]
) -> None:
    """The main sections, into `site`, and where they were read, into `origins`."""
    # `params.mainSections` as before Hugo 0.112, else the top-level key (alldecoders.go@
    # HUGO_COMMIT: the params' value, when set, replaces the top-level one); each as the
    # default language sets it, else the site (a language's table holds the root keys it
    # changes: https://gohugo.io/configuration/languages/; the Congo theme's example site
    # sets `[params] mainSections` in each `languages.<code>.toml` only).
    mine = ("languages", lang)
    keys = (
        (*mine, "params", "mainsections"),
        ("params", "mainsections"),
        (*mine, "mainsections"),
        ("mainsections",),
    )
    where = next((k for k in keys if merged.get(*k) is not None), None)
    sections = merged.names(*where) if where is not None else None
    if where is not None and sections is not None:
        site["main_sections"] = sections
        origins["main_sections"] = merged.where(*where)
    else:
        site["main_sections"] = _busiest_section(merged)
        origins["main_sections"] = (
            f"{merged.sources[0].label if merged.sources else 'hugo.toml'}: params.mainSections "
            "(not set: the top-level section with the most pages)"
        )


def _root_links(merged: _Merged, site: dict[str, object], origins: dict[str, str]) -> None:
    """`canonifyURLs` and `relativeURLs` rewrite a root-relative link (`/img/x.png`) in the
    page to one under the base URL, path included: https://gohugo.io/content-management/urls/
    ("Canonical URLs", "Relative URLs"); without them a browser takes it from the host."""
    for key in ("canonifyurls", "relativeurls"):
        if merged.flag(key):
            site["root_links"] = "base_url"
            origins["root_links"] = merged.where(key)
            return


def _params_values(
    merged: _Merged, lang: str, site: dict[str, object], origins: dict[str, str]
) -> None:
    """What Hugo's embedded RSS template shows besides `copyright` (tpl/tplimpl/embedded/
    templates/rss.xml@HUGO_COMMIT): the author of `params.author` (a name, or a table with
    `name` and `email`); and `params.description`, the description most themes show."""
    path = _description_path(merged, lang)
    if path is not None:
        site["description"] = _description(merged, lang)
        origins["description"] = merged.where(*path)
    for path in (("languages", lang, "params", "author"), ("params", "author")):
        author = _author(merged.get(*path))
        if author is not None:
            site["authors"] = [author]
            origins["authors"] = merged.where(*path)
            break


def _description_path(merged: _Merged, lang: str, own: bool = False) -> tuple[str, ...] | None:
    """Where the language's `params.description` is: its own, else (unless `own`) the site's,
    as Hugo merges a language's params over the site's."""
    paths = [("languages", lang, "params", "description"), ("params", "description")]
    for path in paths[:1] if own else paths:
        value = merged.get(*path)
        if isinstance(value, str) and value.strip():
            return path
    return None


def _description(merged: _Merged, lang: str, own: bool = False) -> str | None:
    """The language's `params.description` as text: themes write it into their pages and feeds
    as HTML (letsencrypt.org's holds links), and a feed's description is text. `own`: only a
    description the language sets itself (another language's feeds keep their own title
    rather than take the site's, written in the default language)."""
    path = _description_path(merged, lang, own)
    if path is None:
        return None
    return " ".join(html_as_text(str(merged.get(*path))).split())


def _author(value: Any) -> dict[str, str] | None:
    """`params.author` as one of syndicate's `[site] authors`, when it names someone."""
    if isinstance(value, str) and value.strip():
        return {"name": value.strip()}
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
        author = {"name": value["name"].strip()}
        if isinstance(value.get("email"), str) and value["email"].strip():
            author["email"] = value["email"].strip()
        return author
    return None  # a theme's own shape (a list, a table without a name): not Hugo's


def _base_url_problem(value: str) -> str | None:
    """A language's own `baseURL`, which syndicate's config does not override."""
    if not re.match(r"^https?://[^/\s]+", value.strip()):
        return f"{value!r} is not an absolute http(s) URL; syndicate's feeds need one"
    return None


def _timezone_problem(value: str) -> str | None:
    try:
        ZoneInfo(value.strip())
    except (ZoneInfoNotFoundError, ValueError):
        return f'unknown time zone "{value}"; use an IANA name such as "Europe/Lisbon"'
    return None


def content_dirs(values: Mapping[str, Any], root: Path) -> list[tuple[Path, str]]:
    """Each content folder Hugo reads, with the language it holds ("" for the site's own
    folder, whose files are in the default language unless their name says otherwise): a
    language's `contentDir`, else the site's (https://gohugo.io/content-management/
    multilingual/#translation-by-content-directory). Disabled languages are not read."""
    base = root / str(values.get("contentdir") or "content")
    languages = values.get("languages")
    disabled = {str(x).lower() for x in values.get("disablelanguages") or []}
    for code, settings in languages.items() if isinstance(languages, dict) else ():
        if isinstance(settings, dict) and settings.get("disabled") is True:
            disabled.add(str(code))
    mounted = _content_mounts(values, root, disabled)
    if mounted:
        return mounted
    found: list[tuple[Path, str]] = []
    shared = not isinstance(languages, dict) or not languages
    default = str(values.get("defaultcontentlanguage") or "en").lower()
    if isinstance(languages, dict) and default not in languages:
        shared = True
    for code, settings in sorted(languages.items()) if isinstance(languages, dict) else []:
        own = settings.get("contentdir") if isinstance(settings, dict) else None
        if code in disabled or (isinstance(settings, dict) and settings.get("disabled") is True):
            continue
        if not isinstance(own, str) or not own.strip():
            shared = True
        elif all(root / own != folder for folder, _ in found):
            found.append((root / own, str(code)))
    if shared:
        found.insert(0, (base, ""))
    return found


def _mounts(values: Mapping[str, Any]) -> list[dict[str, Any]]:
    module = values.get("module")
    mounts = module.get("mounts") if isinstance(module, dict) else None
    return [m for m in mounts if isinstance(m, dict)] if isinstance(mounts, list) else []


def _mount_target(mount: Mapping[str, Any]) -> str:
    return str(mount.get("target") or "").strip().strip("/")


def matrix_languages(node: Mapping[str, Any]) -> list[str] | None:
    """The languages (code globs, lower case) of a mount's or a cascade target's
    `sites.matrix.languages`, Hugo 0.153's successor of `lang`; None where it names none."""
    sites = node.get("sites")
    matrix = sites.get("matrix") if isinstance(sites, dict) else None
    codes = matrix.get("languages") if isinstance(matrix, dict) else None
    if isinstance(codes, str):
        codes = [codes]
    return [str(c).lower() for c in codes] if isinstance(codes, list) and codes else None


def _mount_languages(mount: Mapping[str, Any]) -> list[str]:
    """The languages a content mount's files belong to: `lang`, or the newer
    `sites.matrix.languages`; none names the default language, unless a file's own name says
    another (https://gohugo.io/configuration/module/#mounts)."""
    codes = matrix_languages(mount)
    if codes:
        return codes
    lang = mount.get("lang")
    return [lang.lower()] if isinstance(lang, str) and lang.strip() else [""]


def _content_mounts(
    values: Mapping[str, Any], root: Path, disabled: Collection[str]
) -> list[tuple[Path, str]]:
    """The folders `module.mounts` puts at the top of the content tree (`target = "content"`),
    each with its language. Such a mount replaces the site's own content folder, as Hugo
    drops the default mount of a component its mounts name (https://gohugo.io/configuration/
    module/#mounts; checked with Hugo 0.168: `content/x.md` is then not a page). A folder
    mounted for a second language is read once, for the first (see `mount_notes`)."""
    found: list[tuple[Path, str]] = []
    for mount in _mounts(values):
        source = str(mount.get("source") or "").strip()
        if _mount_target(mount) != "content" or not source:
            continue
        folder = root / source
        for code in _mount_languages(mount):
            if code not in disabled and all(folder != f for f, _ in found):
                found.append((folder, code))
    return found


def mount_notes(values: Mapping[str, Any]) -> list[str]:
    """What syndicate does not follow of the site's content mounts, one line each."""
    notes: list[str] = []
    mounts = _mounts(values)
    whole = [m for m in mounts if _mount_target(m) == "content"]
    parts = [m for m in mounts if _mount_target(m).startswith("content/")]
    if mounts and not whole:
        notes.append("module mounts are not read: only the content folders of the config are")
    if whole and any(k in m for m in whole for k in ("files", "excludefiles", "includefiles")):
        notes.append(
            "the `files`, `excludeFiles` and `includeFiles` filters of content mounts are not "
            "applied: every file of a mounted folder is read"
        )
    sources = [str(m.get("source") or "").strip() for m in whole]
    twice = sorted({x for x in sources if sources.count(x) > 1})
    twice += sorted({str(m.get("source")) for m in whole if len(_mount_languages(m)) > 1})
    if twice:
        notes.append(
            f"a folder mounted for several languages ({', '.join(twice)}) is read for the "
            "first one only"
        )
    if parts:
        shown = sorted({f"{m.get('source')} -> {_mount_target(m)}" for m in parts})
        more = f" and {len(shown) - 3} more" if len(shown) > 3 else ""
        notes.append(
            f"mounts into a folder of the content ({', '.join(shown[:3])}{more}) are not read: "
            "their pages are not posts; a section they hold cannot be a post section"
        )
    return notes


def languages_of(values: Mapping[str, Any]) -> frozenset[str]:
    languages = values.get("languages")
    return (
        frozenset(str(k).lower() for k in languages) if isinstance(languages, dict) else frozenset()
    )


def split_name(name: str, languages: Collection[str]) -> tuple[str, str]:
    """A content file's base name and the language its name gives: `trip.de.md` -> ("trip",
    "de") when `de` is a configured language, `v0.10.md` -> ("v0.10", "") (only a language
    code is a language: https://gohugo.io/content-management/multilingual/
    #translation-by-file-name)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    base, dot, lang = stem.rpartition(".")
    if dot and lang.lower() in languages:
        return base, lang.lower()
    return stem, ""


def section_page_names(code: str, plain: bool) -> Iterator[str]:
    """The names a folder's section page in language `code` may have, by content suffix:
    `_index.<code>.md` (a file name's language is read without case, `split_name`: the Congo
    theme's `_index.zh-Hans.md` is the `zh-hans` section's page for Hugo 0.168, so the
    code is tried as written in BCP 47's case too), and `_index.md` where that file is the
    language's (`plain`)."""
    spellings = dict.fromkeys((code, _bcp47_case(code)))
    for suffix in CONTENT_SUFFIXES:
        yield from (f"_index.{spelt}{suffix}" for spelt in spellings)
        if plain:
            yield f"_index{suffix}"


def _bcp47_case(code: str) -> str:
    """`zh-hans-tw` as BCP 47 writes it: `zh-Hans-TW` (a script title-cased, a region upper)."""
    first, *rest = code.split("-")
    cased = [p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p for p in rest]
    return "-".join([first, *cased])


def _busiest_section(merged: _Merged) -> list[str]:
    """Hugo's main section when `params.mainSections` is not set: the top-level section with
    the most regular pages (applyAggregates in hugolib/content_map_page_assembler.go@
    HUGO_COMMIT, counted for the default language; https://gohugo.io/methods/site/
    mainsections/). A tie goes to the name first in order (Hugo's map order is random)."""
    counts: dict[str, int] = {}
    lang = _default_language(merged)
    languages = languages_of(merged.values)
    folders = content_dirs(merged.values, merged.root)
    for folder, code in folders:
        nested = {f for f, _ in folders if f != folder}
        top = os.path.join(folder, "")
        for file in _page_file_paths(folder, languages, nested):
            if (split_name(os.path.basename(file), languages)[1] or code or lang) != lang:
                continue
            parts = file[len(top) :].split(os.sep)
            if len(parts) > 1:
                counts[parts[0]] = counts.get(parts[0], 0) + 1
    if not counts:
        return []
    most = max(counts.values())
    return [min(name for name, count in counts.items() if count == most)]


def _page_files(folder: Path, languages: Collection[str], others: set[Path]) -> Iterator[Path]:
    """Regular page files under `folder` as Hugo finds them: content files but `_index.*`,
    and in a leaf bundle only its `index.*` (the rest are its resources); the content folders
    of other languages (`others`) inside it are not its own."""
    return map(Path, _page_file_paths(folder, languages, others))


def _page_file_paths(folder: Path, languages: Collection[str], others: set[Path]) -> Iterator[str]:
    """`_page_files`, each path as a string: walked with strings, since a Path made for each
    folder and file was most of the time a site of thousands of files took."""
    if not folder.is_dir():
        return
    top = os.fspath(folder)
    skip = {os.fspath(other) for other in others}
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and os.path.join(dirpath, d) not in skip
        )
        contents = [n for n in filenames if n.lower().endswith(CONTENT_SUFFIXES)]
        index = [n for n in contents if split_name(n, languages)[0] == "index"]
        if index and dirpath != top:
            dirnames[:] = []  # a leaf bundle: everything below is a resource
            yield from (os.path.join(dirpath, n) for n in sorted(index))
            continue
        for name in sorted(contents):
            if split_name(name, languages)[0] not in ("_index", "index") and not _ignored_name(
                name
            ):
                yield os.path.join(dirpath, name)


def _ignored_name(name: str) -> bool:
    # Hugo skips editors' leftovers: names starting with "." or "#", ending with "~".
    return name.startswith((".", "#")) or name.endswith("~")


# ---------------------------------------------------------------------------------------------
# Post rules


def _rules(merged: _Merged, root: Path, environment: str) -> PostRules:
    taxonomies = _taxonomies(merged)
    defaults: list[tuple[str, str]] = [
        ("", json.dumps(_reading(merged, root, environment), sort_keys=True))
    ]
    defaults.extend(_config_cascade(merged))
    defaults.extend(_content_cascades(merged, root))
    return PostRules(
        generator="hugo",
        drafts=merged.flag("builddrafts"),
        future=merged.flag("buildfuture"),
        expired=merged.flag("buildexpired"),
        defaults=tuple(defaults),
        taxonomies=taxonomies,
        summary_separator="<!--more-->",  # https://gohugo.io/content-management/summaries/
        root=str(root),
        settings=_markup_settings(merged),
    )


def _markup_settings(merged: _Merged) -> tuple[tuple[str, str], ...]:
    """What rendering reads of `markup.goldmark.parser.attribute` (https://gohugo.io/
    configuration/markup/#parserattribute): `block`, off by default, makes a `{.class}` line
    under a block that block's attributes; `title`, on by default, reads heading attributes."""
    block = merged.flag("markup", "goldmark", "parser", "attribute", "block")
    definition_list = merged.get("markup", "goldmark", "extensions", "definitionlist")
    linkify = merged.get("markup", "goldmark", "extensions", "linkify")
    protocol = merged.get("markup", "goldmark", "extensions", "linkifyprotocol")
    title = merged.get("markup", "goldmark", "parser", "attribute", "title")
    headings = title if isinstance(title, bool) else True
    return (
        ("block_attributes", json.dumps(block)),
        ("emoji", json.dumps(merged.flag("enableemoji"))),
        ("inline_shortcodes", json.dumps(_inline_shortcodes(merged))),
        ("definition_list", json.dumps(definition_list is not False)),
        ("linkify", json.dumps(linkify is not False)),  # bare URLs made links, by default
        # `www.` addresses become https:// links unless `linkifyProtocol = "http"`.
        ("linkify_http", json.dumps(isinstance(protocol, str) and protocol.lower() == "http")),
        ("heading_attributes", json.dumps(headings)),
        ("typographer", json.dumps(_typographer(merged))),
        # Raw HTML in Markdown is left out unless `markup.goldmark.renderer.unsafe` (false by
        # default: https://gohugo.io/configuration/markup/#rendererunsafe).
        ("raw_html", json.dumps(merged.flag("markup", "goldmark", "renderer", "unsafe"))),
        ("link_hook", json.dumps(_embedded_link_hook(merged))),
        # A ref naming no page: a warning rather than an error (which stops Hugo's build), and
        # the address its link gets ("" by default): https://gohugo.io/configuration/all/
        # #reflinkserrorlevel, #reflinksnotfoundurl.
        ("ref_warning", json.dumps(str(merged.get("reflinkserrorlevel")).upper() == "WARNING")),
        ("ref_not_found_url", json.dumps(merged.text("reflinksnotfoundurl") or "")),
        # What the `param` shortcode finds when the page has no such key (site.Params), the
        # default language's and each other language's.
        ("params", json.dumps(_language_params(merged, None), sort_keys=True, default=str)),
        ("language_params", json.dumps(_language_params(merged, ()), sort_keys=True, default=str)),
    )


def _embedded_link_hook(merged: _Merged) -> bool:
    """Whether Hugo renders the site's Markdown links with its embedded link render hook,
    which looks a destination up as a page first (https://gohugo.io/render-hooks/links/#default).
    `markup.goldmark.renderHooks.link.useEmbedded` says (`always`, `fallback`: yes; `never`:
    no); `auto`, its default, is `fallback` on a multilingual site at one host whose bundles
    share their files, the sites `resources.shares_files` reads, and `never` elsewhere; the
    older `enableDefault` overrides it (config/allconfig/allconfig.go@HUGO_COMMIT). A
    `render-link` hook of the site's or its theme's own is run instead of a fallback."""
    keys = ("markup", "goldmark", "renderhooks", "link")
    mode = str(merged.get(*keys, "useembedded") or "auto").lower()
    if merged.get(*keys, "enabledefault") is not None:
        mode = "fallback" if merged.flag(*keys, "enabledefault") else "never"
    if mode == "auto":
        shared = not _multihost(merged) and not merged.flag(
            "markup", "goldmark", "duplicateresourcefiles"
        )
        mode = "fallback" if len(_enabled_languages(merged)) > 1 and shared else "never"
    return mode == "always" or (mode == "fallback" and not _own_link_hook(merged))


def _language_params(merged: _Merged, codes: Sequence[str] | None) -> dict[str, Any]:
    """A language's `site.Params`: the config's `params` with the language's own merged in
    (https://gohugo.io/configuration/languages/: a language's params win); `codes` None: the
    default language's, else each language's by code (`()`: every enabled one)."""
    if codes is None:
        default = _default_language(merged)
        own: dict[str, Any] = _language_params(merged, [default])[default]
        return own
    found: dict[str, Any] = {}
    for code in codes or _enabled_languages(merged):
        params = copy.deepcopy(merged.get("params"))
        params = params if isinstance(params, dict) else {}
        own = merged.get("languages", code.lower(), "params")
        _merge_into(params, copy.deepcopy(own) if isinstance(own, dict) else {})
        found[code.lower()] = params
    return found


def _typographer(merged: _Merged) -> dict[str, str] | None:
    """`markup.goldmark.extensions.typographer` (https://gohugo.io/configuration/markup/
    #typographer): None when `disable` is true, else the substitutions the site sets (its
    keys in lower case; the rest are Hugo's defaults)."""
    table = merged.get("markup", "goldmark", "extensions", "typographer")
    if table is False or (isinstance(table, dict) and table.get("disable") is True):
        return None  # `typographer = false`: how Hugo before 0.81 turned it off
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if k != "disable" and isinstance(v, str)}


def _taxonomies(merged: _Merged) -> tuple[tuple[str, str], ...]:
    """Hugo's taxonomies whose plural name is one of syndicate's groupings: the default
    language's own (`languages.<code>.taxonomies`), else the site's, else Hugo's two."""
    keys = _taxonomies_key(merged, _default_language(merged))
    if merged.get(*keys) is None:
        table: Mapping[str, Any] = DEFAULT_TAXONOMIES
    else:
        table = merged.table(*keys)
    disabled = {k.lower() for k in merged.names("disablekinds") or []}
    if {"taxonomy", "term"} <= disabled:
        return ()
    found: list[tuple[str, str]] = []
    for singular, plural in table.items():
        if not isinstance(plural, str):
            merged.problem((*keys, singular), f"expected a name, got {kind_of(plural, 'a table')}")
            continue
        if plural.lower() in GROUPINGS:
            found.append((plural.lower(), plural.lower()))
    return tuple(sorted(set(found)))


def _taxonomies_key(merged: _Merged, code: str) -> tuple[str, ...]:
    """Where language `code`'s taxonomies are set: its own table wins over the site's, as
    every per-language setting of Hugo's does (https://gohugo.io/configuration/languages/)."""
    own = ("languages", code, "taxonomies")
    return own if merged.get(*own) is not None else ("taxonomies",)


def _list_pages(merged: _Merged) -> dict[str, Any]:
    """What a ref may name that has no content file (`sites.hugo.tree`): each language's
    taxonomies by plural name, all of them (a taxonomy's page and its terms' pages, whatever
    syndicate's groupings), and the kinds of page Hugo does not make (`disableKinds`)."""
    taxonomies: dict[str, list[str]] = {}
    for code in _enabled_languages(merged) or [_default_language(merged)]:
        table = merged.get(*_taxonomies_key(merged, code))
        table = DEFAULT_TAXONOMIES if table is None else table  # reported by `_taxonomies`
        plurals = table.values() if isinstance(table, dict) else ()
        taxonomies[code.lower()] = sorted({p.lower() for p in plurals if isinstance(p, str)})
    kinds = merged.get("disablekinds")
    kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
    return {"taxonomies": taxonomies, "disabled_kinds": sorted({str(k).lower() for k in kinds})}


def _language_values(merged: _Merged, code: str) -> Mapping[str, Any]:
    """The config as language `code` has it, for the addresses: its own taxonomies."""
    keys = _taxonomies_key(merged, code)
    if len(keys) == 1:
        return merged.values
    return {**merged.values, "taxonomies": merged.get(*keys)}


def _date_sources(merged: _Merged) -> dict[str, list[str]]:
    """`[frontmatter]`: which front-matter keys give each of a page's dates, `:default`
    standing for Hugo's own list."""
    sources: dict[str, list[str]] = {}
    table = merged.table("frontmatter")
    for name, default in DATE_SOURCES.items():
        given = table.get(name)
        if given is None:
            chosen = list(default)
        elif isinstance(given, str | list) and all(
            isinstance(v, str) for v in ([given] if isinstance(given, str) else given)
        ):
            chosen = [v.lower() for v in ([given] if isinstance(given, str) else given)]
            chosen = [x for v in chosen for x in (default if v == ":default" else (v,))]
        else:
            merged.problem(
                ("frontmatter", name), f"expected a list of names, got {kind_of(given, 'a table')}"
            )
            chosen = list(default)
        sources[name] = with_aliases(chosen)
    return sources


def _reading(merged: _Merged, root: Path, environment: str) -> dict[str, Any]:
    """What `find_posts` and `adapt` need besides cascades: the date sources, the content
    folders and their languages, the languages, `ignoreFiles`."""
    languages = merged.get("languages")
    return {
        "kind": "reading",
        "environment": environment,
        "dates": _date_sources(merged),
        "languages": sorted(languages) if isinstance(languages, dict) else [],
        "ignore_files": _ignore_files(merged),
        "default_language": _default_language(merged),
        # A site of two languages or more: each post says its language and its translations'
        # key (one language: neither, as before).
        "multilingual": len(_enabled_languages(merged)) > 1,
        # Languages Hugo does not build (`disableLanguages`, `disabled`): their pages are not
        # published (https://gohugo.io/configuration/languages/#disablelanguages).
        "disabled_languages": sorted(
            set(languages if isinstance(languages, dict) else ()) - set(_enabled_languages(merged))
        ),
        "language_order": _language_order(merged),
        # Each Markdown page of a language gets its own copy of the bundle's files, where
        # they are otherwise published once (https://gohugo.io/content-management/
        # page-resources/#multilingual).
        "duplicate_resources": merged.flag("markup", "goldmark", "duplicateresourcefiles"),
        "content_dirs": [
            [os.path.relpath(folder, root), lang]
            for folder, lang in content_dirs(merged.values, root)
        ],
        "urls": _url_settings(merged),
        "list_pages": _list_pages(merged),
        # Whether a section's page has RSS when neither its front matter nor a cascade says
        # (`outputs.section`, `disableKinds`: https://gohugo.io/configuration/outputs/).
        "section_rss": _section_rss(merged),
    }


def _section_rss(merged: _Merged) -> bool:
    from .addresses import rss_kinds  # addresses reads this module: imported when used

    return rss_kinds(merged.values)["section"]


def _url_settings(merged: _Merged) -> dict[str, Any]:
    """What a page's URL needs of the config (https://gohugo.io/content-management/urls/):
    `permalinks` (checked: a token Hugo does not know stops Hugo), `uglyURLs` (one flag or
    one per section), `disablePathToLower`, `removePathAccents`, and where each language's
    pages go (`defaultContentLanguageInSubdir`; each language's host when one has its own
    `baseURL`, multihost), and a language's own `permalinks`."""
    value = merged.get("permalinks")
    rules = _permalink_rules(merged, value, ("permalinks",))
    ugly = merged.get("uglyurls")
    if ugly is not None and not isinstance(ugly, bool | dict):
        merged.problem(
            ("uglyurls",),
            f"expected true, false or a table of sections, got {kind_of(ugly, 'a table')}",
        )
        ugly = False
    return {
        "rules": rules,
        "ugly": ugly if ugly is not None else False,
        "lower": not merged.flag("disablepathtolower"),
        "accents": not merged.flag("removepathaccents"),
        "in_subdir": merged.flag("defaultcontentlanguageinsubdir"),
        "language_rules": _language_rules(merged, value),
        "hosts": _hosts(merged),
        # Hugo's versions and roles: the content folder's pages are the default version's
        # and role's, without a prefix unless `defaultContentVersionInSubdir` (or
        # ...RoleInSubdir) puts them under one syndicate does not compute
        # (hugolib/page__paths.go@HUGO_COMMIT, getPrefixRole/getPrefixVersion).
        "dimensions": [
            k
            for k in ("roles", "versions")
            if merged.get(k) and merged.flag(f"defaultcontent{k[:-1]}insubdir")
        ],
    }


def _permalink_rules(merged: _Merged, value: Any, keys: tuple[str, ...]) -> list[list[str]]:
    """`permalinks` as rules (kind, path glob, pattern, environment), each problem reported
    under `keys`."""
    if value is None:
        return []

    def problem(more: Sequence[str], message: str) -> None:
        told = f"{merged.where(*keys, *more)}: {message}"
        if told not in merged.problems:  # a section's pattern is a page's and a term's rule
            merged.problems.append(told)

    return [[r.kind, r.path, r.pattern, r.environment] for r in url_rules(value, problem)]


def _language_rules(merged: _Merged, root: Any) -> dict[str, list[list[str]]]:
    """The `permalinks` of each language that has its own: its table over the site's, key by
    key, the language's winning (a language's table is merged with the root's,
    `hmaps.MergeParams` in config/allconfig/allconfig.go@HUGO_COMMIT). A language's own
    `uglyURLs` is not read: Hugo asks the flag of the sites' shared config
    (`s.h.Conf.IsUglyURLs` in hugolib/page__paths.go@HUGO_COMMIT; Hugo 0.168 builds a
    language's pages without `.html` when only that language sets it)."""
    found: dict[str, list[list[str]]] = {}
    for code in _enabled_languages(merged):
        own = merged.get("languages", code, "permalinks")
        if own is None:
            continue
        checked = _permalink_rules(merged, own, ("languages", code, "permalinks"))
        if not (isinstance(own, dict) and isinstance(root, dict)):
            found[code] = checked
            continue
        value = json.loads(json.dumps(root))  # a copy: the site's table stays as it is
        _merge_into(value, own)
        # Both tables are checked already: their problems are not told twice.
        rules = url_rules(value, lambda keys, message: None)
        found[code] = [[r.kind, r.path, r.pattern, r.environment] for r in rules]
    return found


def _hosts(merged: _Merged) -> dict[str, str]:
    """Each language's base URL when one language has its own `baseURL` (multihost, https://
    gohugo.io/configuration/languages/#multihost: "a baseURL set on the language level"
    makes it one, config/allconfig/allconfig.go@HUGO_COMMIT), the site's where it has none;
    empty otherwise."""
    if not _multihost(merged):
        return {}
    site = _text_of(merged.get("baseurl"))
    hosts: dict[str, str] = {}
    for code in _enabled_languages(merged):
        own = _text_of(merged.get("languages", code, "baseurl"))
        base = own or site
        hosts[code] = base.rstrip("/") + "/" if base else ""
    return hosts


def _check_base_url(merged: _Merged, code: str) -> None:
    """A language's own `baseURL` (the default language's is read as `[site] base_url`)."""
    own = merged.text("languages", code, "baseurl")
    problem = _base_url_problem(own) if own is not None and own.strip() else None
    if problem:
        merged.problem(("languages", code, "baseurl"), problem)


def _multihost(merged: _Merged) -> bool:
    """Whether a language sets `baseURL` (allconfig.go@HUGO_COMMIT: the key, whatever its
    value)."""
    table = merged.get("languages")
    return isinstance(table, dict) and any(
        isinstance(v, dict) and "baseurl" in v for v in table.values()
    )


def _ignore_files(merged: _Merged) -> list[str]:
    """`ignoreFiles`: regular expressions for content files Hugo does not read
    (https://gohugo.io/configuration/all/#ignorefiles)."""
    patterns = merged.names("ignorefiles") or []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            merged.problem(("ignorefiles",), f"{pattern!r} is not a regular expression: {exc}")
            return []
    return patterns


def _config_cascade(merged: _Merged) -> list[tuple[str, str]]:
    """The site config's `cascade` (https://gohugo.io/configuration/cascade/): one table or a
    list of them, each with its `target` (or the older `_target`)."""
    value = merged.get("cascade")
    if value is None:
        return []
    return [
        ("", json.dumps(entry, sort_keys=True, default=str))
        for entry in _cascade_entries(
            value, lambda message: merged.problem(("cascade",), message), ""
        )
    ]


def _cascade_entries(value: Any, problem: Any, folder: str) -> list[dict[str, Any]]:
    entries = value if isinstance(value, list) else [value]
    found: list[dict[str, Any]] = []
    for entry in entries:
        if not isinstance(entry, dict):
            problem(f"expected a table of front matter, got {kind_of(entry, 'a table')}")
            continue
        values = {k: v for k, v in entry.items() if str(k).lower() not in ("target", "_target")}
        target = entry.get("target", entry.get("_target")) or {}
        if not isinstance(target, dict):
            problem(f"target: expected a table, got {kind_of(target, 'a table')}")
            continue
        # Front matter `params` under cascade are the page's own params (Hugo >= 0.123).
        params = values.pop("params", None)
        if isinstance(params, dict):
            values = {**params, **values}
        found.append(
            {
                "kind": "cascade",
                "folder": folder,
                "values": values,
                "target": {str(k).lower(): v for k, v in target.items()},
            }
        )
    return found


def _content_cascades(merged: _Merged, root: Path) -> list[tuple[str, str]]:
    """`cascade` in the front matter of section pages (`_index.md`), shallowest first: a
    nearer section's cascade wins over a farther one, and the page's own front matter over
    both (https://gohugo.io/content-management/front-matter/#cascade)."""
    found: list[tuple[int, str, str]] = []
    for folder, _ in content_dirs(merged.values, root):
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("_index.") or not name.lower().endswith(CONTENT_SUFFIXES):
                    continue
                path = Path(dirpath, name)
                meta = merged.front_matter(path)
                cascade = {k.lower(): v for k, v in meta.items()}.get("cascade")
                if cascade is None:
                    continue
                label = os.path.relpath(path, root)
                relative = os.path.relpath(dirpath, root)

                def problem(message: str, label: str = label) -> None:
                    merged.problems.append(f"{label}: cascade: {message}")

                for entry in _cascade_entries(cascade, problem, relative):
                    entry["file"] = label
                    found.append((relative.count(os.sep), label, json.dumps(entry, default=str)))
    found.sort()
    return [(scope, text) for _, scope, text in found]


def _cascade_files(rules: PostRules) -> list[str]:
    files: list[str] = []
    for _, text in rules.defaults:
        entry = json.loads(text)
        file = entry.get("file")
        if file and os.path.join(rules.root, file) not in files:
            files.append(os.path.join(rules.root, file))
    return files


def _front_matter(path: Path) -> dict[str, Any]:
    """A section page's front matter (empty when it has none or it cannot be read: the
    loader does not read section pages, and Hugo would stop on a broken one); a key given
    twice has its last value, as a post's (`loader._split`)."""
    from ...content.split import read_front_matter  # the loader's own reading

    return read_front_matter(path, yaml12=True, last_key_wins=True) or {}


# ---------------------------------------------------------------------------------------------
# Hugo's own feeds


def _feeds(merged: _Merged) -> tuple[tuple[str, ...], str]:
    """The `[output] adopt` globs of the feed files Hugo writes, and the setting that turns
    them off (https://gohugo.io/templates/rss/, https://gohugo.io/configuration/outputs/)."""
    main = merged.sources[0].path if merged.sources else Path("hugo.toml")
    off = _feeds_off(main.suffix.lower())
    disabled = {k.lower() for k in merged.names("disablekinds") or []}
    if "rss" in disabled:
        return (), off
    base = merged.text("outputformats", "rss", "basename") or "index"
    languages = len(content_dirs(merged.values, merged.root)) > 1 or bool(merged.get("languages"))
    outputs = merged.table("outputs")
    kinds = {"home": True, "section": True, "taxonomy": True, "term": True}
    for kind in kinds:
        listed = outputs.get(kind)
        if isinstance(listed, list):
            kinds[kind] = any(str(v).lower() == "rss" for v in listed) and kind not in disabled
        else:
            kinds[kind] = kind not in disabled
    globs: list[str] = []
    if kinds["home"]:
        globs.append(f"{base}.xml")
    # `**/` also holds the home feeds of the other languages (`/fr/index.xml`).
    if kinds["section"] or kinds["taxonomy"] or kinds["term"] or (kinds["home"] and languages):
        globs.append(f"**/{base}.xml")
    return tuple(globs), off


_FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def _other_feeds(merged: _Merged) -> tuple[str, ...]:
    """The files of the site's own feed output formats (https://gohugo.io/configuration/
    output-formats/): one whose media type is RSS or Atom, other than Hugo's `rss`, that some
    kind of page has in its `outputs`, writes `{baseName}.xml` from the site's template
    (utf9k.net's `rssalt` writes `rss.xml`)."""
    listed = {
        str(v).lower()
        for kinds in merged.table("outputs").values()
        if isinstance(kinds, list)
        for v in kinds
    }
    found: list[str] = []
    for name, spec in merged.table("outputformats").items():
        if name.lower() == "rss" or name.lower() not in listed or not isinstance(spec, dict):
            continue
        fields = {str(k).lower(): v for k, v in spec.items()}
        if str(fields.get("mediatype", "")).lower() in _FEED_TYPES:
            found.append(f"{fields.get('basename') or name.lower()}.xml")
    return tuple(sorted(set(found)))


def _host_notes(languages: Sequence[Language]) -> tuple[str, ...]:
    """Where a multihost site's feeds go: Hugo writes each language to its folder, which its
    host serves."""
    if not any(lang.own_host for lang in languages):
        return ()
    where = ", ".join(f"{lang.prefix} at {lang.base_url}" for lang in languages)
    return (
        "each language has a host of its own (Hugo's multihost): its feeds are written in its "
        f"folder of the output, as Hugo writes its pages ({where}); serve each folder at its host",
    )


def _feeds_off(suffix: str) -> str:
    if suffix in (".yaml", ".yml"):
        return "disableKinds: [RSS]"
    if suffix == ".json":
        return '"disableKinds": ["RSS"]'
    return 'disableKinds = ["RSS"]'


def _theme_folders(merged: _Merged) -> list[Path]:
    """The folders of the site's themes (`theme`, one name or a list, under `themesDir`), and
    of the modules it imports that are there (`_unfetched_imports`)."""
    names = merged.names("theme") or []
    themes_dir = _themes_dir(merged)
    found = [themes_dir / name for name in names if name and "/" not in name]
    return found + [themes_dir / path for path in _imports_in_themes(merged)]


def _import_paths(merged: _Merged) -> list[str]:
    """The paths of `module.imports` (and of a `theme` naming a module path)."""
    imports = merged.get("module", "imports")
    paths = [str(entry.get("path") or "") for entry in imports or [] if isinstance(entry, dict)]
    paths += [name for name in merged.names("theme") or [] if "/" in name]
    return [path for path in paths if path]


def _imports_in_themes(merged: _Merged) -> list[str]:
    """The imported modules Hugo reads from the themes folder: without a `go.mod`, Hugo looks
    an import path up as a folder below `themesDir` ("the directory name for the module as
    stored in your themes folder", https://gohugo.io/configuration/module/#imports; the
    Stack theme's demo builds so with `--themesDir`); with one, Go's module system finds it."""
    if (merged.root / "go.mod").is_file():
        return []
    themes_dir = _themes_dir(merged)
    return [path for path in _import_paths(merged) if (themes_dir / path).is_dir()]


def _themes_dir(merged: _Merged) -> Path:
    """`themesDir`, from the site's folder ("themes" by default)."""
    return merged.root / (merged.text("themesdir") or "themes")


def _inline_shortcodes(merged: _Merged) -> bool:
    """`security.enableInlineShortcodes`, else the older top-level key, as Hugo reads them
    (config/security/securityConfig.go)."""
    return merged.flag("security", "enableinlineshortcodes") or merged.flag(
        "enableinlineshortcodes"
    )


_HOOK_FOLDERS = ("layouts/_markup", "layouts/_default/_markup")


def _own_link_hook(merged: _Merged) -> bool:
    """Whether the site or one of its themes has a link render hook (`_render_hooks`)."""
    roots = (merged.root, *_theme_folders(merged))
    return any(any((r / f).glob("render-link*")) for r in roots for f in _HOOK_FOLDERS)


def _render_hooks(merged: _Merged) -> list[str]:
    """The render hooks of the site and its themes (https://gohugo.io/render-hooks/:
    `layouts/_markup/render-*.html`, `layouts/_default/_markup/` before Hugo 0.146)."""
    found: list[str] = []
    for root in (merged.root, *_theme_folders(merged)):
        for folder in _HOOK_FOLDERS:
            names = sorted(p.stem for p in (root / folder).glob("render-*") if p.is_file())
            if names:
                where = (root / folder).relative_to(merged.root).as_posix()
                found.append(f"{where}/: {', '.join(names)}")
    return found


def _notes(merged: _Merged) -> tuple[str, ...]:
    notes: list[str] = []
    theme = merged.get("theme")
    imports = merged.get("module", "imports")
    if theme or imports:
        notes.append(
            "the theme's own config (themes/<theme>/hugo.toml or a module's) is not read: "
            "a setting only the theme makes is not seen"
        )
    if imports and set(_import_paths(merged)) - set(_imports_in_themes(merged)):
        notes.append(
            "a theme or component imported as a module is in Hugo's module cache, not read: "
            "its render hooks are not run, and its feed templates not seen"
        )
    notes.extend(mount_notes(merged.values))
    hooks = _render_hooks(merged)
    if hooks:
        notes.append(
            f"render hooks are not run ({'; '.join(hooks)}): feeds show links, images, "
            "headings, code blocks and quotes as Hugo renders them without hooks"
        )
    notes.append(
        "HUGO_* environment variables and `--config`/`--baseURL` flags are not read; set what "
        "they change under [site] in syndicate.toml"
    )
    return tuple(notes)
