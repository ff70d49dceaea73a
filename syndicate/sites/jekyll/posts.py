"""Which files of a Jekyll site are posts, and each post's front matter in syndicate's terms.

Posts are the `posts` collection (https://jekyllrb.com/docs/posts/): the files of every `_posts`
folder of the site (`category/_posts/` too; only inside `collections_dir` when it is set,
https://jekyllrb.com/docs/collections/#setup) named `YYYY-MM-DD-title.EXT`, and with
`show_drafts` the files of every `_drafts` folder (https://jekyllrb.com/docs/posts/#drafts).
Rules checked in jekyll/jekyll at 91e00b2 (v4.3.1): lib/jekyll/reader.rb (`read_directories`,
`retrieve_posts`, `get_entries`, `outside_configured_directory?`), entry_filter.rb (what is
skipped), readers/post_reader.rb, document.rb (dates, title, categories, tags), publisher.rb,
frontmatter_defaults.rb.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from fnmatch import fnmatchcase, translate
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ...content.frontmatter import Invalid
from ...text import html_as_text
from .. import EXCERPT_SEPARATOR, URL_PATH, WARNINGS, WRITTEN_IN, NotAPost, PostRules
from . import dates, urls

if TYPE_CHECKING:
    from ...config import Config
    from ...content.loader import SourceFile
    from ...errors import Report

POSTS, DRAFTS = "_posts", "_drafts"
SECTION = "posts"  # every post is in Jekyll's `posts` collection
# Jekyll reads every file of `_posts` with a dated name as a post, whatever its extension
# (`PostReader#read_content` matches the name only; a `.txt` post is published as it is), and
# skips one whose content is not UTF-8 (`processable?`): media files, known by their extension.
_MEDIA = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".avif",
        ".ico",
        ".bmp",
        ".tif",
        ".tiff",
        ".heic",
        ".pdf",
        ".zip",
        ".gz",
        ".tgz",
        ".mp3",
        ".m4a",
        ".ogg",
        ".wav",
        ".flac",
        ".mp4",
        ".m4v",
        ".mov",
        ".webm",
        ".avi",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
    ]
)
# `Document::DATE_FILENAME_MATCHER` and `DATELESS_FILENAME_MATCHER`, on the file's name.
_DATED = re.compile(r"([0-9]{2,4}-[0-9]{1,2}-[0-9]{1,2})-(.*)(\.[^.]+)")
_DATELESS = re.compile(r"(.*)(\.[^.]+)")
_SPECIAL = (".", "_", "#", "~")  # `EntryFilter::SPECIAL_LEADING_CHAR_REGEX`


@functools.lru_cache(maxsize=8)
def settings_of(settings: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {key: json.loads(value) for key, value in settings}


# --- finding the posts -----------------------------------------------------------------------


class _Filter:
    """Jekyll's `EntryFilter`: what reading the source folder skips."""

    def __init__(self, settings: Mapping[str, Any], destination: Path) -> None:
        include = list(settings.get("include", []))
        self.include = include
        self.exclude = [p for p in settings.get("exclude", []) if p not in include]
        self.destination = os.path.realpath(destination)
        self._excluded = _Patterns(self.exclude)
        self._included = _Patterns(include)

    def excluded(self, rel: str, is_dir: bool) -> bool:
        """`excluded?`: `rel` from the source folder matches a pattern, starts with it, or is
        the folder it names with a trailing slash (`glob_include?`)."""
        return self._excluded.match(rel, is_dir)

    def included(self, entry: str) -> bool:
        name = entry.rsplit("/", 1)[-1]
        return self._included.match(entry, False) or self._included.match(name, False)

    def skipped(self, entry: str, rel: str, is_dir: bool) -> bool:
        """`filter`: an entry (relative to the folder being read) is left out when it is
        excluded and not included, or starts with `.`, `_`, `#`, `~` or ends with `~`."""
        included = self.included(entry)
        if self.excluded(rel, is_dir) and not included:
            return True
        if included:
            return False
        name = entry.rsplit("/", 1)[-1]
        return entry.startswith(_SPECIAL) or name.startswith(_SPECIAL) or entry.endswith("~")


class _Patterns:
    """Patterns each read as `_matches` reads one, tried all at once: a site's folder is
    filtered entry by entry against every pattern, Jekyll's own excludes among them (16 on
    www.ruby-lang.org: 96,081 calls of `_matches` to find its 4,723 posts)."""

    def __init__(self, patterns: Sequence[str]) -> None:
        stripped = [p.lstrip("/") for p in patterns]
        self._any = bool(stripped)
        self._globs = re.compile("|".join(f"(?:{translate(p)})" for p in stripped))
        self._prefixes = tuple(stripped)
        self._folders = frozenset(stripped)

    def match(self, rel: str, is_dir: bool) -> bool:
        if not self._any:
            return False
        return (
            self._globs.match(rel) is not None
            or rel.startswith(self._prefixes)
            or (is_dir and rel + "/" in self._folders)
        )


def glob_include(patterns: Iterable[object], rel: str, is_dir: bool = False) -> bool:
    """Jekyll's `EntryFilter#glob_include?`: whether `rel`, below the site's folder, matches one
    of `patterns` (those that are not text match nothing)."""
    return any(isinstance(p, str) and _matches(p, rel, is_dir) for p in patterns)


def _matches(pattern: str, rel: str, is_dir: bool) -> bool:
    # File.fnmatch? without flags (`*` crosses `/`), a plain prefix, or `dir/` for a folder.
    pattern = pattern.lstrip("/")
    return fnmatchcase(rel, pattern) or rel.startswith(pattern) or (is_dir and pattern == rel + "/")


def find_posts(config: Config, report: Report, with_stat: bool = True) -> list[SourceFile]:
    """Every file Jekyll reads into its `posts` collection, drafts included (they are marked
    drafts by `adapt`; the loader leaves them out unless `show_drafts`), sorted by path."""
    from ...content.loader import SourceFile, site_folders, walk
    from ...errors import Location

    assert config.generator is not None
    settings = settings_of(config.generator.rules.settings)
    source = config.content_dir
    if not source.is_dir():
        report.error(
            Location(source),
            "the site's source folder is not found",
            "set `source` in the site's Jekyll config, or [site] content_dir",
        )
        return []
    keep = _Filter(settings, config.output_dir)
    collections = str(settings.get("collections_dir", ""))
    inside = None if config.site.follow_links_outside else site_folders(config)
    found: list[SourceFile] = []
    goes_into = functools.partial(_goes_into, keep, source)
    walked = walk(source, report, inside, ("",), goes_into, with_stat=with_stat)
    for prefix, files in walked:
        magic = _magic_index(prefix)
        if magic is None or _outside_collections(prefix[:magic], collections):
            continue
        for name, path, mtime_ns, size in files:
            entry = "/".join((*prefix[magic + 1 :], name))
            if keep.skipped(entry, "/".join((*prefix, name)), False):
                continue
            matcher = _DATED if prefix[magic] == POSTS else _DATELESS
            named = matcher.fullmatch(name)
            if named is None or named.group(named.lastindex or 0).lower() in _MEDIA:
                continue
            found.append(SourceFile(path, SECTION, None, mtime_ns, size))
    found.sort(key=lambda s: s.file)
    return found


def _goes_into(keep: _Filter, source: Path, parts: tuple[str, ...]) -> bool:
    """Whether Jekyll reads folder `parts` of the source folder for posts: a folder it walks
    (`read_directories`), a `_posts` or `_drafts` folder in one, or a folder in those
    (`get_entries` reads `**/*` in them, each entry filtered as a whole)."""
    magic = _magic_index(parts)
    if magic is not None and magic < len(parts) - 1:
        first = parts[magic + 1]
        return keep.included(first) or not first.startswith(_SPECIAL)
    if magic is not None:
        return True
    if os.path.realpath(source.joinpath(*parts)) == keep.destination:
        return False
    return not keep.skipped(parts[-1], "/".join(parts), True)


def _magic_index(parts: Sequence[str]) -> int | None:
    for index, part in enumerate(parts):
        if part in (POSTS, DRAFTS):
            return index
    return None


def _outside_collections(parent: Sequence[str], collections: str) -> bool:
    """`outside_configured_directory?`: with `collections_dir`, only `_posts` folders whose
    path ("/a/b") starts with "/<collections_dir>" are read (a string prefix, as in Jekyll)."""
    if not collections:
        return False
    return not "".join(f"/{part}" for part in parent).startswith(f"/{collections}")


# --- one post's front matter -----------------------------------------------------------------


def adapt(
    meta: dict[str, Any], source: SourceFile, rules: PostRules, tz: ZoneInfo
) -> dict[str, Any]:
    """`meta` as Jekyll's `Document#read` completes it, in syndicate's keys: the folders'
    categories, `defaults:`, then the front matter; `published`, the date (front matter, else
    file name, else a draft's modification time), the title from the file name, `category`
    and `tag`, `last_modified_at`, `excerpt`, authors of `_data/authors.yml` and
    jekyll-seo-tag's `image: {path, alt}`."""
    settings = settings_of(rules.settings)
    rel = _relative_path(source.file, rules, settings)
    data, draft = _document_data(meta, source, rel, rules, settings)
    name = rel.rsplit("/", 1)[-1]
    named = _DATED.fullmatch(name)
    out = {k: v for k, v in data.items() if k not in _MAPPED}
    out["date"] = _date(data, named, draft, source, tz)
    if draft:
        out["draft"] = True
    file_slug = _file_slug(name, named)
    if data.get("title") in (None, False):
        out["title"] = feed_title(_titleize(file_slug), rules.settings)
    elif isinstance(out.get("title"), str):
        out["title"] = feed_title(out["title"], rules.settings)
    out["categories"] = _categories(data)
    out["tags"] = _tags(data)
    if data.get("last_modified_at") is not None:
        out["lastmod"] = _parsed(data["last_modified_at"], "last_modified_at", tz)
    for key in ("lastmod", "updated"):
        if isinstance(out.get(key), str):
            out[key] = _parsed(out[key], key, tz)
    _plugins_keys(out, data, settings)
    # `populate_title`: `data["slug"] ||= slug`; Jekyll's document id is made of it as written.
    slug = data["slug"] if data.get("slug") not in (None, False) else file_slug
    out["slug"] = slug if isinstance(slug, str) else _ruby_text(slug)
    out[URL_PATH] = _url_path(data, rel, slug, out, settings, tz)
    out[EXCERPT_SEPARATOR] = _excerpt_separator(data, rules)
    _written_in(data, out)
    _warn_if_not_markdown(out, name, settings)
    return out


def _written_in(data: Mapping[str, Any], out: dict[str, Any]) -> None:
    """The post's `lang` (its front matter's or `defaults:`'), which jekyll-feed 0.17 writes
    on its entry (feed.xml: `<entry xml:lang="{{ post.lang }}">`), as a BCP 47 tag: a
    locale's `zh_TW` is `zh-TW`, as xml:lang and JSON Feed's `language` need."""
    from ...config import language_tag  # the config module imports this package

    lang = data.get("lang")
    if not isinstance(lang, str) or not lang.strip():
        return
    try:
        out[WRITTEN_IN] = language_tag(lang)
    except ValueError as exc:
        hint = "its entry is then in the feed's language"
        out.setdefault(WARNINGS, []).append(("lang", f"lang: {exc}", hint))


def _excerpt_separator(data: Mapping[str, Any], rules: PostRules) -> str:
    """`Document#excerpt_separator` (document.rb): `(data["excerpt_separator"] ||
    site.config["excerpt_separator"]).to_s`, the post's own (front matter, `defaults:`
    included) before the site's; "" makes no excerpt (`generate_excerpt?`)."""
    own = data.get("excerpt_separator")
    return rules.summary_separator if own is None or own is False else _ruby_text(own)


# Markups a Jekyll plugin converts (jekyll-asciidoc, jekyll-textile-converter, jekyll-org,
# jekyll-rst): syndicate reads only Markdown, and a text in them read so shows their syntax.
_OTHER_MARKUPS = (".adoc", ".asciidoc", ".asc", ".textile", ".org", ".rst")


def _warn_if_not_markdown(out: dict[str, Any], name: str, settings: Mapping[str, Any]) -> None:
    """A post in another markup (nim-lang.org's `.adoc`) is published read as Markdown: its
    author should know."""
    ext = f".{name.rsplit('.', 1)[-1].lower()}" if "." in name else ""
    if ext not in _OTHER_MARKUPS or ext in settings.get("markdown_ext", []):
        return
    message = f"a {ext} post is read as Markdown, the only markup syndicate reads"
    hint = "Jekyll converts it with a plugin, which syndicate does not run; write it in Markdown"
    out.setdefault(WARNINGS, []).append(("", message, hint))


def _url_path(
    data: Mapping[str, Any],
    rel: str,
    slug: object,
    out: Mapping[str, Any],
    settings: Mapping[str, Any],
    tz: ZoneInfo,
) -> str:
    """The post's path below the site's URL (`urls`). Raises Invalid naming what Jekyll would
    not turn into this URL."""
    own = data.get("permalink")
    pattern = ""
    try:
        pattern = urls.template(own, settings.get("posts_permalink"), settings.get("permalink"))
        document = urls.Document(
            relative_path=rel,
            slug=slug,
            categories=out["categories"],
            date=out["date"].astimezone(tz),
            output_ext=_output_ext(own, rel, settings),
        )
        return urls.post_path(pattern, document)
    except urls.BadUrl as exc:
        mine = own not in (None, False)
        where = "its `permalink`" if mine else f"the site's permalink {pattern!r}"
        raise Invalid(
            f"the post's URL from {where}: {exc}",
            hint="write a `permalink:` (in the post, or the site's Jekyll config) that Jekyll "
            "turns into the URL it serves: https://jekyllrb.com/docs/permalinks/",
            key=exc.key or ("permalink" if mine else None),
        ) from None


def _output_ext(permalink: object, rel: str, settings: Mapping[str, Any]) -> str:
    """`Renderer#output_ext`: the extension of the post's own `permalink` when it has one
    (and does not end with `/`), else its converter's: `.html` for Markdown (`markdown_ext`),
    the file's own for any other (the identity converter, `.html` stays `.html`)."""
    if isinstance(permalink, str) and permalink and not permalink.endswith("/"):
        ext = urls.extname(permalink)
        if ext:
            return ext
    ext = urls.extname(rel)
    return ".html" if ext.lower() in settings.get("markdown_ext", []) else ext


def _document_data(
    meta: Mapping[str, Any],
    source: SourceFile,
    rel: str,
    rules: PostRules,
    settings: Mapping[str, Any],
) -> tuple[dict[str, Any], bool]:
    """The post's data as Jekyll merges it, and whether it is a draft. Raises NotAPost for
    `published: false` where drafts are published."""
    draft = POSTS not in rel  # `Document#draft?`: "_posts" is nowhere in its relative path
    data: dict[str, Any] = {}
    _merge(data, {"categories": _categories_from_path(rel, DRAFTS if draft else POSTS)})
    defaults = _defaults_for(rel, rules.defaults)
    if defaults:
        _merge(data, defaults)
    _merge(data, meta if _opens_with_front_matter(source.file) else {})
    published = data.get("published", True)
    if (published is False or published is None) and not settings.get("unpublished"):
        if rules.drafts:
            # `show_drafts` publishes drafts, never `published: false`
            raise NotAPost("published: false")
        draft = True  # left out, as Jekyll does; `--drafts` shows it
    return data, draft


def _plugins_keys(
    out: dict[str, Any], data: Mapping[str, Any], settings: Mapping[str, Any]
) -> None:
    """What jekyll-feed and jekyll-seo-tag read: `excerpt`, authors, `image`."""
    excerpt = data.get("excerpt")
    if isinstance(excerpt, str) and excerpt.strip() and not out.get("description"):
        out["description"] = excerpt  # jekyll-feed: `post.description | default: post.excerpt`
    for key in ("description", "summary"):  # crystal-lang.org's `summary: "<b>...</b>, ..."`
        if isinstance(out.get(key), str):
            out[key] = _html_text(out[key])
    people = settings.get("authors") or {}
    for key in ("author", "authors"):
        if people and key in out:
            out[key] = _people(out[key], people)
    image = _seo_image(data.get("image"))
    if image is not None:
        out["image"] = image


def _html_text(text: str) -> str:
    """A summary as a Jekyll site's readers see it: Liquid puts it into the pages unescaped,
    and jekyll-feed writes it as HTML (`<summary type="html">{{ post_summary | strip_html |
    normalize_whitespace }}`, feed.xml), so `&amp;` and `&ldquo;` are characters and tags are
    dropped; syndicate's summaries are text."""
    return html_as_text(text)


def feed_title(title: str, settings: tuple[tuple[str, str], ...]) -> str:
    """A title as jekyll-feed 0.17 writes it, `post.title | smartify | strip_html |
    normalize_whitespace` (lib/jekyll-feed/feed.xml), in a `type="html"` title its readers
    read as HTML: quotes, dashes and dots typographic as the site's kramdown makes them
    (`smart_quotes`, `typographic_symbols`), `&nbsp;` a no-break space, tags dropped.
    syndicate's titles are text, so every feed and the digest show it so."""
    if not _TYPOGRAPHIC.search(title):
        # Nothing for kramdown's typography to change: its module is not imported (a site's
        # title is made at every config read, the "nothing changed" build's included).
        return _normalize_whitespace(title)
    return smart_title(title, settings)


# What `smartify`, `strip_html` and the entities can change: quotes, `--`, `...`, `<<` and
# `>>`, tags, entities, escapes (a property test holds `feed_title` to `smart_title`).
_TYPOGRAPHIC = re.compile(r"""['"&<>\\]|--|\.\.\.""")


def smart_title(title: str, settings: tuple[tuple[str, str], ...]) -> str:
    """`feed_title` through kramdown's typography, whatever the title holds."""
    from ...content.syntax.kramdown_typography import smartify

    quotes, symbols = _typography(settings)
    return html.unescape(_normalize_whitespace(_strip_html(smartify(title, quotes, symbols))))


@functools.lru_cache(maxsize=8)
def _typography(settings: tuple[tuple[str, str], ...]) -> tuple[dict[str, str], dict[str, str]]:
    """The site's quotes and symbols (`kramdown_typography.choices`), from its settings."""
    from ...content.syntax.kramdown_typography import choices, overrides

    found = settings_of(settings)
    given = overrides(found.get("kramdown_smart_quotes"), found.get("kramdown_typographic_symbols"))
    return choices(dict(given))


# Liquid 5.4's `strip_html` (liquid/standardfilters.rb `STRIP_HTML_BLOCKS`, `STRIP_HTML_TAGS`)
_HTML_BLOCKS = re.compile(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", re.DOTALL)
_HTML_TAGS = re.compile(r"<.*?>", re.DOTALL)
# Jekyll's `normalize_whitespace` (filters.rb): Ruby's `\s+` (ASCII) as one space, `strip!`
_RUBY_SPACES = re.compile(r"[ \t\n\v\f\r]+")


def _strip_html(text: str) -> str:
    return _HTML_TAGS.sub("", _HTML_BLOCKS.sub("", text))


def _normalize_whitespace(text: str) -> str:
    return _RUBY_SPACES.sub(" ", text).strip(" \t\n\v\f\r\0")


def _people(value: object, people: Mapping[str, Any]) -> object:
    """Author names that `_data/authors.yml` knows, as their `{name, email, url}`."""
    if isinstance(value, str):
        return people.get(value.strip(), value)
    if isinstance(value, list):
        return [people.get(v.strip(), v) if isinstance(v, str) else v for v in value]
    return value


# `Document::YAML_FRONT_MATTER_REGEXP` opens with `\A(---\s*\n`: YAML front matter at the very
# start (after a BOM, which Jekyll's reading drops: `Utils.merged_file_read_opts`).
_OPENING = re.compile(rb"(?:\xef\xbb\xbf)?---\s*\n")


def _opens_with_front_matter(file: str) -> bool:
    """Whether Jekyll reads the file's front matter: not after a blank line, and not `+++`
    TOML or JSON (the loader reads those for Hugo and Zola; Jekyll publishes them as text)."""
    try:
        with open(file, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return True  # the loader has just read it; let it report what changed
    return _OPENING.match(head) is not None


def _seo_image(image: object) -> object:
    """jekyll-seo-tag's `image`: a path or URL, or `{path, alt}`; a path is under the site's
    root, never the post's (its `absolute_url` filter; docs/advanced-usage.md of
    https://github.com/jekyll/jekyll-seo-tag). None: leave it as written."""
    alt: object = None
    if isinstance(image, dict):
        alt = image.get("alt")
        image = image.get("path")
    if not isinstance(image, str) or not image.strip():
        return None
    ref = image.strip()
    if not re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/)", ref):
        ref = "/" + ref
    return {"src": ref, "alt": alt} if isinstance(alt, str) else ref


# Keys read into others (or into nothing syndicate keeps): not also kept as `params`.
_MAPPED = frozenset(
    {
        *("category", "tag", "published", "last_modified_at", "excerpt", "date"),
        *("categories", "tags", "permalink"),
    }
)


def _relative_path(file: str, rules: PostRules, settings: Mapping[str, Any]) -> str:
    """`Document#relative_path`: from the collections folder (the source folder, or
    `collections_dir` in it), with `/`."""
    base = _collections_folder(
        rules.root, str(settings.get("source", ".")), str(settings.get("collections_dir", ""))
    )
    if file.startswith(base) and os.path.isabs(file) and os.path.normpath(file) == file:
        rel = file[len(base) :]  # what relpath gives a normalised path below it
    else:
        rel = os.path.relpath(file, base)
        if rel.startswith(".."):
            rel = os.path.relpath(file, rules.root)
    return rel.replace(os.sep, "/")


@functools.lru_cache(maxsize=8)
def _collections_folder(root: str, source: str, collections_dir: str) -> str:
    """The folder `_relative_path` starts from, absolute and normalised, with a final
    separator."""
    return os.path.join(os.path.abspath(os.path.normpath(Path(root, source, collections_dir))), "")


def _categories_from_path(rel: str, special: str) -> list[str]:
    """`Document#categories_from_path`: the folders above `_posts` (or `_drafts`); its regex
    `special.*` cuts the path at the first place the name appears."""
    if rel.startswith(special):
        return []
    above = rel[: rel.index(special)] if special in rel else rel
    name = rel.rsplit("/", 1)[-1]
    return [c for c in above.split("/") if c and c != special and c != name]


def _merge(data: dict[str, Any], other: Mapping[str, Any]) -> None:
    """`Document#merge_data!`: `categories` (a string split on spaces) joins the ones already
    there; then `Utils.deep_merge_hashes!`, in which nothing (null) never replaces a value."""
    other = dict(other)
    given = other.get("categories")
    if given is not None:
        if isinstance(given, str):
            given = given.split()
        if isinstance(data.get("categories"), list) and isinstance(given, list):
            given = list(dict.fromkeys([*data["categories"], *given]))
        other["categories"] = given
    _deep_merge(data, other)


def _deep_merge(target: dict[str, Any], other: Mapping[str, Any]) -> None:
    for key, value in other.items():
        old = target.get(key)
        if value is None and key in target:
            continue
        if isinstance(old, dict) and isinstance(value, dict):
            merged = dict(old)
            _deep_merge(merged, value)
            target[key] = merged
        else:
            target[key] = value


def _defaults_for(rel: str, sets: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    """`FrontmatterDefaults#all(relative_path, :posts)`: the sets whose scope matches, each
    merged over or under the others by `has_precedence?` (the longer scope path wins; at equal
    length one with a `type`)."""
    result: dict[str, Any] = {}
    old: dict[str, Any] | None = None
    for scope_text, values_text in sets:
        scope = json.loads(scope_text)
        if not _applies(scope, rel):
            continue
        values = json.loads(values_text)
        if _has_precedence(old, scope):
            _merge(result, values)
            old = scope
        else:
            under = dict(values)
            _merge(under, result)
            result = under
    return result


def _applies(scope: Mapping[str, Any], rel: str) -> bool:
    kind = scope.get("type")
    # `applies_type?` after `update_deprecated_types` ("post" is "posts"); a draft's type is
    # its collection's, :posts.
    if "type" in scope and {"post": "posts"}.get(str(kind), str(kind)) != "posts":
        return False
    path = scope.get("path")
    if not isinstance(path, str) or not path:
        return True
    path = _sanitize(path)
    if "*" in path:
        return _glob_scope(path, rel)
    return rel.startswith(path)


def _sanitize(path: str | None) -> str:
    if not path:
        return ""
    return path.lstrip("/") if path.startswith("/") else path


def _glob_scope(pattern: str, rel: str) -> bool:
    """A scope path with `*`: Jekyll globs it in the source folder and the post matches when
    its path starts with a path found; so some leading part of the post's path matches."""
    parts = rel.split("/")
    regex = _glob_regex(pattern)
    return any(regex.fullmatch("/".join(parts[:n])) for n in range(1, len(parts) + 1))


@functools.lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def _has_precedence(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> bool:
    if old is None:
        return True
    new_path = _sanitize(new.get("path") if isinstance(new.get("path"), str) else "")
    old_path = _sanitize(old.get("path") if isinstance(old.get("path"), str) else "")
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    if "type" in new:
        return True
    return "type" not in old


def _date(
    data: Mapping[str, Any],
    named: re.Match[str] | None,
    draft: bool,
    source: SourceFile,
    tz: ZoneInfo,
) -> datetime:
    """The front matter's `date`; else the file name's (`Document#modify_date`); else, for a
    draft, the file's modification time (`Document#date`). Raises Invalid."""
    if data.get("date") is not None:
        return _parsed(data["date"], "date", tz)
    if named is not None:
        try:
            return dates.file_name_date(named.group(1), tz)
        except dates.NotADate as exc:
            raise Invalid(
                f"the file name's date: {exc}",
                hint="Jekyll stops the build on it: rename the file, or add `date:`",
            ) from None
    if draft:
        try:
            mtime_ns = (source.stated and source.mtime_ns) or os.stat(source.file).st_mtime_ns
        except OSError:
            mtime_ns = 0
        return datetime.fromtimestamp(mtime_ns / 1e9, tz)
    raise Invalid(
        "missing date", hint="add `date: 2024-03-01 09:00:00 +0100` to the front matter", key="date"
    )


def _parsed(value: object, key: str, tz: ZoneInfo) -> datetime:
    try:
        return dates.parse(value, tz)
    except dates.NotADate as exc:
        raise Invalid(
            f"{key}: {exc}",
            hint=(  # every form, as the README lists them, made each such error 900 characters
                "write it as `2024-01-02`, `2024-01-02 13:14:15 -0800` or "
                "`2024-01-02T13:14:15+01:00`; the README lists every form Jekyll reads"
            ),
            key=key,
        ) from None


def _file_slug(name: str, named: re.Match[str] | None) -> str:
    """`populate_title`'s slug: the file name after the date, without the extension or
    trailing dots."""
    if named is not None:
        slug = named.group(2)
    else:
        plain = _DATELESS.fullmatch(name)
        slug = plain.group(1) if plain else name
    return slug.rstrip(".")


def _titleize(slug: str) -> str:
    """`Utils.titleize_slug`: each `-`-separated word capitalized (`my-first-post` -> `My First
    Post`)."""
    return " ".join(word.capitalize() for word in slug.split("-"))


def _categories(data: Mapping[str, Any]) -> list[str]:
    """`populate_categories`: `categories` plus `category` (or `categories` again), as text,
    each once."""
    found = _as_list(data.get("categories")) + _pluralized(data, "category", "categories")
    return list(dict.fromkeys(_ruby_text(v) for v in _flatten(found)))


def _tags(data: Mapping[str, Any]) -> list[str]:
    """`populate_tags`: `tag` when given, else `tags` (a string split on spaces)."""
    return list(dict.fromkeys(_ruby_text(v) for v in _flatten(_pluralized(data, "tag", "tags"))))


def _pluralized(data: Mapping[str, Any], singular: str, plural: str) -> list[Any]:
    """`Utils.pluralized_array_from_hash`."""
    if singular in data:
        value = data[singular]
    elif plural in data:
        value = data[plural]
        if isinstance(value, str):
            value = value.split()
        elif isinstance(value, list):
            value = [v for v in value if v is not None]
        else:
            value = None
    else:
        value = None
    return [v for v in _flatten([value]) if v is not None]


def _as_list(value: object) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _flatten(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if isinstance(value, list):
            out.extend(_flatten(value))
        else:
            out.append(value)
    return out


def _ruby_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
