"""A Jekyll site's `_config.yml`, read as Jekyll reads it, in syndicate's terms.

Jekyll reads the first of `_config.yml`, `_config.yaml`, `_config.toml` in the site's folder
(`Configuration#config_files`, jekyll/jekyll lib/jekyll/configuration.rb at 91e00b2, v4.3.1)
over its defaults (`Configuration::DEFAULTS`, the same file;
https://jekyllrb.com/docs/configuration/default/). Every key syndicate reads is checked for
its type, and every problem is reported as `file: key: what is wrong`.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...errors import ConfigError, kind_of
from .. import OWN_CONFIG, PostRules, SiteSettings
from .data import data_files, data_folder, load_yaml

CONFIG_NAMES = ("_config.yml", "_config.yaml", "_config.toml")
# `Configuration::DEFAULT_EXCLUDES`, added to `exclude` unless it is set to null.
DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)
_TEXT_KEYS = ("title", "name", "url", "lang", "locale", "timezone", "permalink")
_PATH_KEYS = ("source", "destination", "collections_dir")
_FLAGS = ("show_drafts", "future", "unpublished")
_LISTS = ("exclude", "include", "plugins", "gems")
_FEED_PLUGIN = "jekyll-feed"
_RELATIVE_LINKS = "jekyll-relative-links"
# The gem GitHub Pages builds with: it turns jekyll-relative-links on for every site
# (github/pages-gem lib/github-pages/plugins.rb `DEFAULT_PLUGINS`; configuration.rb
# `configure_plugins`: `Array(config["plugins"]) | DEFAULT_PLUGINS`).
_GITHUB_PAGES = "github-pages"


def config_file(root: Path) -> Path | None:
    """The config file Jekyll reads in `root`: the first of `CONFIG_NAMES` there."""
    for name in CONFIG_NAMES:
        path = root / name
        if path.is_file():
            return path
    return None


def read(root: Path, environment: str) -> SiteSettings:
    """The site's `_config.yml` in syndicate's terms. Raises ConfigError listing every problem
    as `file: key: message`. (`environment` changes nothing: Jekyll reads one config for every
    `JEKYLL_ENV`.)"""
    path = config_file(root)
    if path is None:
        raise ConfigError(
            f'{root / CONFIG_NAMES[0]}: no such file: [site] generator is "jekyll", but '
            "this folder has no Jekyll config"
        )
    label = str(path)
    data = load(path, label)
    problems = [f"{label}: {line}" for line in _type_problems(data)]
    problems += [f"{label}: {line}" for line in _permalink_problems(data)]
    if problems:
        raise ConfigError(problems[0], problems)
    site, origins, more = _site_values(data, root, label)
    problems = [f"{origins[key]}: {line}" for key, line in _value_problems(site)]
    if problems:
        raise ConfigError(problems[0], problems)
    source = root / _text(data, "source", ".")
    folder = data_folder(root, data)
    authors_file = _authors_file(folder)
    authors = _authors_data(authors_file)
    # `site.data` (`data.py`): its files key the build cache and are watched by `serve`
    authors_files = [authors_file] if authors_file.is_file() else []
    files = tuple(dict.fromkeys((path, *more, *authors_files, *data_files(folder, root))))
    globs, off = _feeds(data, source, path.name, root)
    addresses, feed_notes = _feed_addresses(data, source, path.name) if off else ((), [])
    rules = _rules(data, root, authors)
    if isinstance(site.get("title"), str):
        # As jekyll-feed titles its feed, `site.title | smartify` in a `type="html"` title
        # (lib/jekyll-feed/feed.xml), as its posts' titles are: `Bob's Notes` is `Bob’s Notes`.
        from .posts import feed_title  # posts.py, where its posts' titles are made

        site["title"] = feed_title(str(site["title"]), rules.settings)
    return SiteSettings(
        generator="jekyll",
        root=root,
        files=files,
        site=site,
        rules=rules,
        origins=origins,
        feed_globs=globs,
        feeds_off=off,
        notes=(
            *_notes(data, path.name, origins),
            *feed_notes,
            *_feed_page_notes(source, data),
            *_relative_links_note(data, root, path.name),
            *_own_plugins_note(data, source),
        ),
        addresses=addresses,
    )


def _permalink_problems(data: Mapping[str, Any]) -> list[str]:
    """A placeholder Jekyll does not have in the site's permalinks: Jekyll stops the build,
    and every post would be refused one by one."""
    from .urls import STYLES, BadUrl, fill

    problems = []
    written = {"permalink": data.get("permalink")}
    written["collections.posts.permalink"] = _posts_permalink(data)
    for key, value in written.items():
        if not isinstance(value, str):
            continue
        try:
            fill(STYLES.get(value, value), lambda name: "x")
        except BadUrl as exc:
            problems.append(f"{key}: {exc}")
    return problems


def load(path: Path, label: str) -> dict[str, Any]:
    """The file's mapping (an empty file is an empty one). Raises ConfigError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{label}: cannot read: {exc}") from None
    try:
        data: Any = tomllib.loads(text) if path.suffix == ".toml" else load_yaml(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: invalid TOML: {exc}") from None
    except ValueError as exc:  # load_yaml's, saying what is wrong
        raise ConfigError(f"{label}: {exc}") from None
    except RecursionError as exc:  # tomllib's, nested too deeply (load_yaml catches its own)
        raise ConfigError(f"{label}: invalid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        # Jekyll: "Configuration file: (INVALID)".
        raise ConfigError(f"{label}: expected `key: value` settings, got {kind_of(data)}")
    return data


# --- what each key must be -------------------------------------------------------------------


def _type_problems(data: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    for key in (*_TEXT_KEYS, *_PATH_KEYS, "markdown_ext", "excerpt_separator"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"{key}: expected text, got {kind_of(value)}")
    value = data.get("baseurl")
    if value is not None and not isinstance(value, str):
        problems.append(f"baseurl: expected text, got {kind_of(value)}")
    for key in _FLAGS:
        value = data.get(key)
        if value is not None and not isinstance(value, bool):
            problems.append(f"{key}: expected true or false, got {kind_of(value)}")
    for key in _LISTS:
        value = data.get(key)
        if value is None:
            continue
        # Jekyll refuses them too (`check_include_exclude`, `check_plugins`).
        if not isinstance(value, list):
            problems.append(f"{key}: expected a list, got {kind_of(value)}")
        elif not all(isinstance(item, str) for item in value):
            problems.append(f"{key}: expected a list of text")
    problems.extend(_defaults_problems(data.get("defaults")))
    for key in ("feed", "collections"):
        value = data.get(key)
        if value is not None and not isinstance(
            value, dict | list if key == "collections" else dict
        ):
            problems.append(f"{key}: expected a mapping, got {kind_of(value)}")
    problems.extend(_feed_problems(data.get("feed")))
    return problems


def _defaults_problems(value: object) -> list[str]:
    """`defaults:` as https://jekyllrb.com/docs/configuration/front-matter-defaults/ writes
    it: a list of `{scope: {path, type}, values: {...}}`. (Jekyll skips a bad set with a
    warning; its posts would then differ from what syndicate reads, so it is an error here.)"""
    if value is None:
        return []
    if not isinstance(value, list):
        return [f"defaults: expected a list of `scope` and `values`, got {kind_of(value)}"]
    problems: list[str] = []
    for index, entry in enumerate(value):
        at = f"defaults[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            problems.append(f"{at}: expected `values:` with front-matter keys")
            continue
        scope = entry.get("scope", {})
        if not isinstance(scope, dict):
            problems.append(f"{at}.scope: expected `path` and `type`, got {kind_of(scope)}")
            continue
        for key in ("path", "type"):
            if scope.get(key) is not None and not isinstance(scope[key], str):
                problems.append(f"{at}.scope.{key}: expected text, got {kind_of(scope[key])}")
    return problems


def _feed_problems(feed: object) -> list[str]:
    if not isinstance(feed, dict):
        return []
    problems: list[str] = []
    for key in ("path",):
        if feed.get(key) is not None and not isinstance(feed[key], str):
            problems.append(f"feed.{key}: expected text, got {kind_of(feed[key])}")
    if feed.get("categories") is not None and not _names(feed["categories"]):
        problems.append(
            f"feed.categories: expected a list of names, got {kind_of(feed['categories'])}"
        )
    limit = feed.get("posts_limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        problems.append(f"feed.posts_limit: expected a number, got {kind_of(limit)}")
    tags = feed.get("tags")
    if isinstance(tags, dict):
        if tags.get("path") is not None and not isinstance(tags["path"], str):
            problems.append(f"feed.tags.path: expected text, got {kind_of(tags['path'])}")
        for key in ("only", "except"):
            if tags.get(key) is not None and not _names(tags[key]):
                problems.append(
                    f"feed.tags.{key}: expected a list of names, got {kind_of(tags[key])}"
                )
    collections = feed.get("collections")
    if collections is not None and not isinstance(collections, list | dict):
        problems.append(f"feed.collections: expected a list or mapping, got {kind_of(collections)}")
    return problems


def _names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str | int) for v in value)


# --- [site] values ---------------------------------------------------------------------------


def _site_values(
    data: Mapping[str, Any], root: Path, label: str
) -> tuple[dict[str, object], dict[str, str], tuple[Path, ...]]:
    site: dict[str, object] = {}
    origins: dict[str, str] = {}
    more: list[Path] = []

    def derive(key: str, value: object, origin: str) -> None:
        site[key] = value
        origins[key] = origin

    # jekyll-feed and jekyll-seo-tag title a site `site.title | default: site.name`.
    for key in ("title", "name"):
        if _text(data, key, "").strip():
            derive("title", _text(data, key, "").strip(), f"{label}: {key}")
            break
    if _text(data, "description", "").strip():  # jekyll-feed's <subtitle>: site.description
        derive("description", _text(data, "description", "").strip(), f"{label}: description")
    url = _text(data, "url", "").strip()
    if url:
        derive("base_url", _join_url(url, _text(data, "baseurl", "")), f"{label}: url")
    else:
        # GitHub Pages sets `site.url` from the CNAME file (jekyll-github-metadata) when
        # `_config.yml` has none; served over HTTPS.
        cname = root / "CNAME"
        host = _cname(cname)
        if host:
            more.append(cname)
            base = _join_url(f"https://{host}", _text(data, "baseurl", ""))
            derive("base_url", base, f"{cname}: (the host GitHub Pages serves the site at)")
    for key in ("lang", "locale"):  # jekyll-seo-tag: `site.lang | default: site.locale`
        if _text(data, key, "").strip():
            derive("language", _text(data, key, "").strip().replace("_", "-"), f"{label}: {key}")
            break
    if _text(data, "timezone", "").strip():
        derive("timezone", _text(data, "timezone", "").strip(), f"{label}: timezone")
    author = _site_author(data.get("author"))
    if author is not None:
        derive("authors", [author], f"{label}: author")
    source = _text(data, "source", ".") or "."
    derive("content_dir", source, f"{label}: source")
    # Jekyll copies every other file of the source folder as it is: `/img/x.png` is there.
    derive("static_dir", source, f"{label}: source")
    derive("output_dir", _text(data, "destination", "_site") or "_site", f"{label}: destination")
    return site, origins, tuple(more)


def _site_author(value: object) -> dict[str, str] | None:
    """`author:` of the site, jekyll-feed's author of the feed and of every post without one
    (its feed.xml: `post.author | default: site.author`): a name, or `{name, email, uri}`."""
    if isinstance(value, str) and value.strip():
        return {"name": value.strip()}
    if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip():
        return _person(value)
    return None


def _person(value: Mapping[str, Any]) -> dict[str, str]:
    found = {"name": str(value["name"]).strip()}
    for key, theirs in (("email", "email"), ("url", "uri"), ("url", "url"), ("avatar", "avatar")):
        if isinstance(value.get(theirs), str) and value[theirs].strip() and key not in found:
            found[key] = value[theirs].strip()
    return found


def _authors_file(folder: Path) -> Path:
    """`site.data.authors`' file: Jekyll reads `authors.json`, `.yaml` and `.yml`, in that
    order, each over the one before (readers/data_reader.rb: sorted entries)."""
    for name in ("authors.yml", "authors.yaml", "authors.json"):
        if (folder / name).is_file():
            return folder / name
    return folder / "authors.yml"


def _authors_data(path: Path) -> dict[str, dict[str, str]]:
    """`_data/authors.yml`: jekyll-feed looks a post's `author` up in it
    (`site.data.authors[post_author]`; https://github.com/jekyll/jekyll-feed#author-information)
    for its name, email and uri. Entries without a name are left to the post as written."""
    if not path.is_file():
        return {}
    data = load(path, str(path))
    return {
        str(key): _person(value)
        for key, value in data.items()
        if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"].strip()
    }


def _join_url(url: str, baseurl: str) -> str:
    """`url` + `baseurl` as Jekyll's `absolute_url` joins them (the base path gets a leading
    slash and loses its trailing one; https://jekyllrb.com/docs/liquid/filters/)."""
    path = baseurl.strip().strip("/")
    return url.rstrip("/") + "/" + (path + "/" if path else "")


def _cname(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return ""
    host = lines[0] if lines else ""
    return host if re.fullmatch(r"[A-Za-z0-9.-]+", host) else ""


def _value_problems(site: Mapping[str, object]) -> list[tuple[str, str]]:
    """What syndicate would refuse of the values derived, at the key they came from."""
    problems: list[tuple[str, str]] = []
    # `base_url` is checked with the rest of [site], where syndicate's own may replace it.
    zone = site.get("timezone")
    if isinstance(zone, str):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                (
                    "timezone",
                    f"unknown time zone {json.dumps(zone)}; use an IANA name such as "
                    '"America/New_York"',
                )
            )
    for key in ("content_dir", "output_dir"):
        value = site.get(key)
        if isinstance(value, str) and "\0" in value:
            problems.append((key, "must not contain a NUL character"))
    return problems


# --- what reading a post needs ---------------------------------------------------------------


def _kramdown_option(data: Mapping[str, Any], name: str) -> Any:
    """An option of `_config.yml`'s `kramdown` table (None when it is not set), as JSON can
    hold it."""
    table = data.get("kramdown")
    value = table.get(name) if isinstance(table, dict) else None
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return value if isinstance(value, str) else None


def _rules(data: Mapping[str, Any], root: Path, authors: Mapping[str, Any]) -> PostRules:
    settings = {
        "source": _text(data, "source", ".") or ".",
        "destination": _text(data, "destination", "_site") or "_site",
        # Where the site is below its host: what a `base_url` given in syndicate.toml needs.
        "baseurl": _text(data, "baseurl", "").strip().strip("/"),
        "collections_dir": _text(data, "collections_dir", "").strip("/"),
        "unpublished": bool(data.get("unpublished")),
        "markdown_ext": _markdown_ext(data),
        "exclude": _excludes(data),
        "include": data["include"] if isinstance(data.get("include"), list) else [".htaccess"],
        # The posts' URL template (`urls.template`): the site's style, the collection's own.
        "permalink": _text(data, "permalink", "date"),
        "posts_permalink": _posts_permalink(data),
        "collections": _output_collections(data),
        "authors": dict(authors),
        # kramdown's options for its quotes and symbols (`syntax.kramdown_typography`).
        "kramdown_smart_quotes": _kramdown_option(data, "smart_quotes"),
        "kramdown_typographic_symbols": _kramdown_option(data, "typographic_symbols"),
        # jekyll-relative-links, where it rewrites posts (`syntax.relative_links`).
        "relative_links": _relative_links(data, root),
    }
    return PostRules(
        generator="jekyll",
        drafts=bool(data.get("show_drafts")),
        future=bool(data.get("future")),
        # Jekyll has no expiry: a post with `expiryDate` stays published.
        expired=True,
        defaults=_defaults(data.get("defaults")),
        taxonomies=(("categories", "categories"), ("tags", "tags")),
        summary_separator=_text(data, "excerpt_separator", "\n\n"),
        root=str(root),
        settings=tuple((key, json.dumps(value)) for key, value in settings.items()),
    )


def _markdown_ext(data: Mapping[str, Any]) -> list[str]:
    """`markdown_ext`, comma-separated, as the Markdown converter matches a file's extension
    (`Converters::Markdown#extname_list`)."""
    text = _text(data, "markdown_ext", "markdown,mkdown,mkdn,mkd,md")
    return [f".{ext.strip().lower()}" for ext in text.split(",") if ext.strip()]


def _excludes(data: Mapping[str, Any]) -> list[str]:
    """`exclude` with Jekyll's own (`add_default_excludes`: unless `exclude` is null)."""
    if "exclude" in data and data["exclude"] is None:
        return []
    own = list(data.get("exclude") or [])
    return own + [entry for entry in DEFAULT_EXCLUDES if entry not in own]


def _posts_permalink(data: Mapping[str, Any]) -> str | None:
    collections = data.get("collections")
    if isinstance(collections, dict) and isinstance(collections.get("posts"), dict):
        value = collections["posts"].get("permalink")
        return value if isinstance(value, str) else None
    return None


def _output_collections(data: Mapping[str, Any]) -> dict[str, str | None]:
    """Each collection but posts that Jekyll writes pages of (`output: true`), with its
    `permalink` (None: Jekyll's default): what `{% link _docs/x.md %}` is addressed by."""
    collections = data.get("collections")
    if not isinstance(collections, dict):
        return {}
    return {
        str(name): meta.get("permalink") if isinstance(meta.get("permalink"), str) else None
        for name, meta in collections.items()
        if name != "posts" and isinstance(meta, dict) and meta.get("output") is True
    }


def _defaults(value: object) -> tuple[tuple[str, str], ...]:
    """`defaults:` as (scope as JSON, values as JSON), in the order written; their precedence
    is worked out per post (`FrontmatterDefaults#all`)."""
    if not isinstance(value, list):
        return ()
    return tuple(
        (json.dumps(entry.get("scope") or {}, sort_keys=True), json.dumps(_plain(entry["values"])))
        for entry in value
        if isinstance(entry, dict) and isinstance(entry.get("values"), dict)
    )


def _plain(value: Any) -> Any:
    """YAML values in JSON: a timestamp as text Jekyll's date reading gives the same time."""
    if isinstance(value, datetime):
        return value.isoformat() if value.tzinfo else value.isoformat() + "+00:00"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --- jekyll-feed -----------------------------------------------------------------------------


def _feeds(
    data: Mapping[str, Any], source: Path, label: str, root: Path
) -> tuple[tuple[str, ...], str]:
    """The files jekyll-feed writes, as globs relative to the output folder, and how to turn
    it off. Paths from jekyll-feed's generator.rb (`feed_path`, `generate_feed_by_tag`,
    v0.17.0; https://github.com/jekyll/jekyll-feed#readme): `/feed.xml` (or `feed.path`),
    `/feed/<category>.xml`, `/feed/<collection>.xml` and `/feed/<collection>/<category>.xml`,
    `/feed/by_tag/<tag>.xml`; none where the site's source already has a file at that path."""
    loaded = _plugin_loaded(data, root, _FEED_PLUGIN)
    if loaded is None:
        return (), ""
    feed = data.get("feed") if isinstance(data.get("feed"), dict) else {}
    assert isinstance(feed, dict)
    paths: list[str] = []
    for name, meta in _feed_collections(feed).items():
        for category in [*meta.get("categories", []), None]:
            paths.append(_feed_path(feed, name, meta, category))
    tags = feed.get("tags")
    if tags:
        where = tags.get("path") if isinstance(tags, dict) else None
        paths.append(f"{where if isinstance(where, str) else '/feed/by_tag/'}*.xml")
    globs = tuple(
        dict.fromkeys(
            p.lstrip("/") for p in paths if "*" in p or not (source / p.lstrip("/")).exists()
        )
    )
    in_group = f'`gem "{_FEED_PLUGIN}"` from the jekyll_plugins group of Gemfile'
    if loaded == "Gemfile":
        return globs, f"remove {in_group}"
    # Bundler loads the group's gems whatever `plugins` says (plugins/installation docs).
    both = _gemfile_loads(root / "Gemfile", _FEED_PLUGIN)
    return globs, f'remove "{_FEED_PLUGIN}" from `plugins` in {label}' + (
        f" and {in_group}" if both else ""
    )


# jekyll-feed's entry `<id>` is `post.id | absolute_url`, Jekyll's `Document#id` being
# `File.join(File.dirname(url), slug)` (jekyll document.rb at 91e00b2; jekyll-feed feed.xml at
# v0.17.0): the folder of the post's URL and its slug as written.
ID_TEMPLATE = "{base_url}{dir}{slug}"
# generator.rb `generate_tag_feed`: "allow only tags with basic alphanumeric characters and
# underscore to keep feed path simple".
_TAG_NAME = re.compile(r"[a-zA-Z0-9_]+")


def _feed_addresses(
    data: Mapping[str, Any], source: Path, label: str
) -> tuple[tuple[tuple[str, str], ...], list[str]]:
    """The addresses of jekyll-feed's feeds that list posts, as `[feeds.addresses]` entries
    (generator.rb and feed.xml of jekyll/jekyll-feed v0.17.0, a58064c): the site feed at
    `/feed.xml` (or `feed.path`), `/feed/<category>.xml` for `feed.categories`, and with
    `feed.tags` `/feed/by_tag/<tag>.xml` (or `tags.path`), each Atom, newest first, cut at
    `feed.posts_limit` (`| default: 10`), none where the site's source has a file there.
    Also what `init` should tell about the feeds syndicate does not continue."""
    feed = data.get("feed") if isinstance(data.get("feed"), dict) else {}
    assert isinstance(feed, dict)
    limit = feed.get("posts_limit")
    limit = 10 if limit is None else limit
    if limit <= 0:  # Liquid's `for ... limit: 0` lists nothing; syndicate's 0 is every post
        return (), [f"{label}: feed.posts_limit: {limit}: jekyll-feed's feeds list no posts"]

    def free(path: str) -> bool:
        return not (source / path.lstrip("/")).exists()  # `next if file_exists?(path)`

    template = _id_template(data)

    def entry(kind: str, terms: list[str] | None = None) -> str:
        value: dict[str, object] = {"feed": kind, "format": "atom", "limit": limit}
        value["id_template"] = template
        if terms is not None:
            value["terms"] = terms
        return json.dumps(value)

    found: list[tuple[str, str]] = []
    notes: list[str] = []
    collections = _feed_collections(feed)
    posts = collections.pop("posts")
    path = _feed_path(feed, "posts", posts, None)
    if free(path):
        found.append((path.lstrip("/"), entry("site")))
    # `where: "categories", page.category`: the posts with that category, exactly as written.
    terms = [c for c in posts["categories"] if free(f"/feed/{c}.xml")]
    if terms:
        found.append(("feed/{term}.xml", entry("categories", terms)))
    tags = feed.get("tags")
    if tags:
        found.extend(_tag_address(tags, free, entry))
        notes.extend(_tag_notes(tags, label))
    for name in collections:
        notes.append(
            f"{label}: feed.collections: {name}: jekyll-feed's feed of the {name} collection "
            "lists no posts; syndicate does not write it"
        )
    return tuple(found), notes


def _id_template(data: Mapping[str, Any]) -> str:
    """jekyll-feed's ids: `absolute_url` is `url` + `baseurl` + the path as written, so a `url`
    ending in "/" puts "//" in every id (`https://nim-lang.org//blog/...`: Jekyll 4.3.1 and
    jekyll-feed 0.17.0); those are the ids its readers hold. Else `{base_url}`."""
    url = _text(data, "url", "").strip()
    if not url.endswith("/"):
        return ID_TEMPLATE
    path = _text(data, "baseurl", "").strip().strip("/")
    return url + (f"/{path}" if path else "") + "/{dir}{slug}"


def _tag_address(
    tags: object, free: Callable[[str], bool], entry: Callable[..., str]
) -> list[tuple[str, str]]:
    """`generate_feed_by_tag`: `only` (default: every tag) less `except`, names of letters,
    digits and `_` only, at `"#{tags_path}#{tag}.xml"` (no `/` added to `tags.path`)."""
    options = tags if isinstance(tags, dict) else {}
    where = options.get("path") if isinstance(options.get("path"), str) else "/feed/by_tag/"
    pattern = f"{where}{{term}}.xml".lstrip("/")
    only = options.get("only")
    if not isinstance(only, list):
        return [(pattern, entry("tags"))]
    left_out = {str(name) for name in options.get("except") or []}
    terms = [
        str(name)
        for name in only
        if str(name) not in left_out
        and _TAG_NAME.fullmatch(str(name))
        and free(f"{where}{name}.xml")
    ]
    return [(pattern, entry("tags", terms))] if terms else []


def _tag_notes(tags: object, label: str) -> list[str]:
    options = tags if isinstance(tags, dict) else {}
    if isinstance(options.get("only"), list):
        return []
    notes = [
        f"{label}: feed.tags: jekyll-feed writes a tag's feed only for tags named with "
        "letters, digits and `_`; syndicate writes one for every tag (list the tags in "
        "[feeds.addresses] `terms` to keep to those)"
    ]
    if options.get("except"):
        notes.append(
            f"{label}: feed.tags.except: syndicate writes a feed for these tags too; list the "
            "others in [feeds.addresses] `terms`"
        )
    return notes


def _feed_collections(feed: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    given = feed.get("collections")
    if isinstance(given, list):
        found: dict[str, dict[str, Any]] = {str(c): {} for c in given}
    elif isinstance(given, dict):
        found = {str(k): dict(v) if isinstance(v, dict) else {} for k, v in given.items()}
    else:
        found = {}
    posts = found.setdefault("posts", {})
    posts.setdefault("path", feed.get("path"))
    if posts.get("categories") is None:
        posts["categories"] = feed.get("categories") or []
    for meta in found.values():
        cats = meta.get("categories")
        meta["categories"] = [str(c) for c in cats] if isinstance(cats, list) else []
    return found


def _feed_path(
    feed: Mapping[str, Any], collection: str, meta: Mapping[str, Any], category: str | None
) -> str:
    prefix = "/feed" if collection == "posts" else f"/feed/{collection}"
    if category is not None:
        return f"{prefix}/{category}.xml"
    path = meta.get("path")
    return path if isinstance(path, str) and path else f"{prefix}.xml"


def _plugin_loaded(data: Mapping[str, Any], root: Path, name: str) -> str | None:
    """Where the site loads the plugin gem `name`: "config" (its `plugins`, or the older
    `gems`), "Gemfile" (its `jekyll_plugins` group), or None."""
    plugins = [*(data.get("plugins") or []), *(data.get("gems") or [])]
    if name in plugins:
        return "config"
    return "Gemfile" if _gemfile_loads(root / "Gemfile", name) else None


def _gemfile_loads(gemfile: Path, name: str) -> bool:
    """Bundler requires every gem of a Gemfile's `jekyll_plugins` group at start-up
    (https://jekyllrb.com/docs/plugins/installation/): one in its `group :jekyll_plugins do`
    block, or one given `group: :jekyll_plugins`."""
    try:
        text = gemfile.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    gem = rf"""^\s*gem\s*\(?\s*["']{re.escape(name)}["']"""
    group = re.search(r"group\s*\(?\s*:jekyll_plugins.*?\n\s*end\b", text, re.DOTALL)
    if group and re.search(gem, group.group(0), re.MULTILINE):
        return True
    given = rf"""{gem}[^\n]*(?:group:|:group\s*=>)\s*\[?[^\n]*:jekyll_plugins\b"""
    return re.search(given, text, re.MULTILINE) is not None


# --- jekyll-relative-links ---------------------------------------------------------------


def _relative_links(data: Mapping[str, Any], root: Path) -> dict[str, Any] | None:
    """What jekyll-relative-links needs to rewrite posts as it does, where it does: loaded
    (`plugins`, the Gemfile, or the github-pages gem), not `relative_links: {enabled: false}`,
    and with `collections: true`, without which it rewrites pages only
    (lib/jekyll-relative-links/generator.rb v0.8.0, lines 37-53, 161-171)."""
    if not _relative_links_loaded(data, root):
        return None
    option = data.get("relative_links")
    option = option if isinstance(option, dict) else {}
    if option.get("enabled") is False or option.get("collections") is not True:
        return None
    exclude = option.get("exclude")
    return {
        "markdown_ext": _markdown_ext(data),
        "exclude": [e for e in exclude if isinstance(e, str)] if isinstance(exclude, list) else [],
    }


def _relative_links_loaded(data: Mapping[str, Any], root: Path) -> bool:
    return any(_plugin_loaded(data, root, gem) for gem in (_RELATIVE_LINKS, _GITHUB_PAGES))


def _relative_links_note(data: Mapping[str, Any], root: Path, label: str) -> list[str]:
    """What `init` tells of jekyll-relative-links: whether posts' links to the site's files
    are read as it rewrites them."""
    if not _relative_links_loaded(data, root):
        return []
    if _relative_links(data, root) is not None:
        return [
            f"{label}: jekyll-relative-links (relative_links: collections: true): a post's "
            "links to files of the site by their paths (`[next](2024-01-02-next.md)`) are read "
            "as the plugin rewrites them, as the addresses of their pages"
        ]
    return [
        f"{label}: jekyll-relative-links rewrites links in pages only, not in posts (without "
        "`relative_links: {collections: true}`, or with `enabled: false`): posts' links are "
        "read as written, as Jekyll publishes them"
    ]


def _math_engine_note(data: Mapping[str, Any], label: str) -> list[str]:
    """kramdown writes `$$...$$` with its `math_engine`, MathJax's `\\(...\\)` and
    `\\[...\\]` by default (kramdown 2.4.0, options.rb); syndicate writes only those, so any
    other engine (`katex`, or `null`: `$...$` in a `kdmath` element) is noted."""
    table = data.get("kramdown")
    if not isinstance(table, dict) or "math_engine" not in table:
        return []
    engine = table["math_engine"]
    # kramdown reads the name as written (options.rb, `str_to_sym`): `MathJax` is no engine.
    if isinstance(engine, str) and engine.strip().removeprefix(":") == "mathjax":
        return []
    return [
        f"{label}: kramdown: math_engine: {engine if engine is not None else 'null'}: "
        "syndicate writes math ($$...$$) as kramdown's default MathJax engine does, "
        "\\(...\\) inline and \\[...\\] for a block"
    ]


def _own_plugins_note(data: Mapping[str, Any], source: Path) -> list[str]:
    """What `init` tells of the site's own Ruby plugins, which Jekyll loads from `_plugins`
    unless `safe` is set (https://jekyllrb.com/docs/plugins/installation/): a generator among
    them may add posts that jekyll-feed lists (al-folio's external-posts.rb adds its Medium
    posts), and a tag among them shows nothing in syndicate's feeds."""
    folder = data.get("plugins_dir", "_plugins")
    if data.get("safe") is True or not isinstance(folder, str):
        return []
    plugins = source / folder
    names = sorted(p.relative_to(plugins).as_posix() for p in plugins.rglob("*.rb"))
    if not names:
        return []
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return [
        f"{folder}/ holds the site's own plugins ({shown}), which syndicate does not run: a "
        "post one adds is not in syndicate's feeds, and a tag one defines is removed from "
        "posts, with a warning at its line"
    ]


def _notes(data: Mapping[str, Any], label: str, origins: Mapping[str, str]) -> tuple[str, ...]:
    notes: list[str] = []
    for key in ("theme", "remote_theme"):
        if data.get(key):
            notes.append(
                f"{label}: {key}: the theme's own _config.yml and _data are not read; set in "
                "syndicate.toml any [site] value the theme provides"
            )
    if "base_url" in origins and "CNAME" in origins["base_url"]:
        notes.append(
            f"{label} has no `url`: the base URL comes from CNAME; set [site] base_url in "
            "syndicate.toml if the site is served elsewhere"
        )
    if isinstance(data.get("limit_posts"), int) and data["limit_posts"] > 0:
        notes.append(
            f"{label}: limit_posts: Jekyll publishes only the newest {data['limit_posts']} "
            "posts; syndicate reads them all"
        )
    if "timezone" not in origins:
        notes.append(
            f"{label} has no `timezone`: Jekyll uses the building machine's; syndicate uses "
            "UTC unless [site] timezone says otherwise"
        )
    notes.extend(_math_engine_note(data, label))
    private = [name for name in (OWN_CONFIG, *_PRIVATE_FOLDERS) if not _excluded(name, data)]
    if private:
        notes.append(
            f"Jekyll copies every file it does not exclude into the site: add "
            f"{', '.join(private)} to `exclude` in {label}, or they are published once made "
            "(the config's webhook and mail settings, the digests with their recipients, the "
            "mails sent)"
        )
    return tuple(notes)


# The folders syndicate makes in the site's folder by default: the digests' outbox and the
# outbox transport's mails (`[digest] outbox_dir`, `[delivery.outbox] folder`).
_PRIVATE_FOLDERS = ("outbox", "sent")


# A page of a feed's name that loops over the posts with Liquid: a feed the site makes itself
# (elixir-lang.org's atom.xml, scala-lang.org's feed/index.xml), without jekyll-feed.
_FEED_NAMES = (".xml", ".atom", ".rss", ".json")
_LISTS_POSTS = re.compile(r"\b(?:site\.posts|paginator\.posts|site\.categories|site\.tags)\b")


def _feed_page_notes(source: Path, data: Mapping[str, Any]) -> list[str]:
    """What `init` tells of the site's own feed pages, at its top and up to two folders down
    (looked for at every build: a walk of the whole site would cost a big one's every build).
    One that has the name of a file syndicate writes stops the build until one of them is
    renamed."""
    from ...config import FeedFilenames  # the config module imports this package

    own = {FeedFilenames().for_format(fmt) for fmt in ("rss", "atom", "json")}
    notes: list[str] = []
    for rel, layout in _feed_pages(source, data):
        how = f"in its layout {layout}" if layout else "with Liquid"
        note = (
            f"{rel} is the site's own feed (a page listing posts {how}): Jekyll still "
            "writes it, with its own ids"
        )
        if rel in own:
            note += (
                f"; syndicate's {rel} has its name, and a build stops at it: give syndicate's "
                'another in [feeds.filenames] (`atom = "feed.atom"`), or hand it over in '
                f"[output] adopt (`adopt = [\"{rel}\"]`: its entries' ids become syndicate's)"
            )
        notes.append(note)
    return notes


# How deep the site's own feeds are looked for: `atom.xml`, `feed/index.xml`, and a
# multilingual site's `en/feeds/news.rss` (www.ruby-lang.org's, one per language).
_FEED_PAGE_DEPTH = 2


def _feed_pages(source: Path, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The site's own feed pages, each with the layout that lists the posts ("" when the page
    itself does)."""
    layouts = source / _text(data, "layouts_dir", "_layouts")
    found: list[tuple[str, str]] = []
    folders: list[tuple[str, str]] = [("", str(source))]
    for depth in range(_FEED_PAGE_DEPTH + 1):
        deeper: list[tuple[str, str]] = []
        for prefix, folder in folders:
            for entry in _published_entries(folder, data if not prefix else {}):
                if entry.is_dir(follow_symlinks=False):
                    if depth < _FEED_PAGE_DEPTH:
                        deeper.append((f"{prefix}{entry.name}/", entry.path))
                elif (layout := _feed_page_layout(entry, layouts)) is not None:
                    found.append((f"{prefix}{entry.name}", layout))
        folders = deeper
    return sorted(found)


def _published_entries(folder: str, data: Mapping[str, Any]) -> list[os.DirEntry[str]]:
    """The files and folders of `folder` that Jekyll may publish: not `_`- or `.`-named, nor
    excluded by `data`'s `exclude` (given for the site's top only)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    return [e for e in entries if not e.name.startswith(("_", ".")) and not _excluded(e.name, data)]


def _feed_page_layout(entry: os.DirEntry[str], layouts: Path) -> str | None:
    """Whether `entry` is a page of a feed's name that lists posts: None when not, else the
    name of the layout that lists them ("" when the page's own Liquid does). A layout is
    followed, as Jekyll renders a page into it (`Renderer#place_in_layouts`), up its chain."""
    if not entry.name.lower().endswith(_FEED_NAMES) or not entry.is_file(follow_symlinks=False):
        return None
    head = _head(Path(entry.path)).lstrip("\ufeff")
    if not head.startswith("---"):
        return None
    if _LISTS_POSTS.search(head):
        return ""
    seen: set[str] = set()
    while (name := _layout_of(head)) and name not in seen:
        seen.add(name)
        files = sorted(layouts.glob(f"{glob.escape(name)}.*")) if layouts.is_dir() else []
        if not files:
            return None
        head = _head(files[0])
        if _LISTS_POSTS.search(head):
            return name
    return None


_LAYOUT_KEY = re.compile(r"""^layout:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)


def _layout_of(text: str) -> str:
    """The `layout:` of a page's or layout's front matter, "" when it names none."""
    match = re.match(r"---[ \t]*\r?\n(.*?)^---", text, re.DOTALL | re.MULTILINE)
    found = _LAYOUT_KEY.search(match.group(1)) if match else None
    return found.group(1) if found and found.group(1) not in ("null", "none", "~") else ""


def _head(path: Path) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(65536)
    except OSError:
        return ""


def _excluded(name: str, data: Mapping[str, Any]) -> bool:
    """Whether Jekyll leaves the file `name` at the site's top out of the site: a name its
    `exclude` lists, with Jekyll's own (`node_modules`), by name or glob
    (`EntryFilter#excluded?`: `File.fnmatch?`)."""
    entries = _excludes(data) if data else []
    return any(isinstance(e, str) and fnmatch.fnmatchcase(name, e.strip("/")) for e in entries)


def _text(data: Mapping[str, Any], key: str, default: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else default
