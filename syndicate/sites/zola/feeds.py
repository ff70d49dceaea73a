"""Zola's built-in feeds in syndicate's terms: the files it writes (`[output] adopt` globs), and
where each is, in which format, with how many items and which entry ids (`[feeds.addresses]`,
which `init` writes), so that syndicate's feeds continue Zola's at the same addresses.

Followed: https://www.getzola.org/documentation/templates/feeds/ (`generate_feeds`;
`feed_filenames`, default `["atom.xml"]`, built-in templates for `atom.xml`, Atom 1.0, and
`rss.xml`, RSS 2.0, any other name needing the site's own template; "Only pages with a date will
be available"; `feed_limit`), https://www.getzola.org/documentation/content/taxonomies/
(`feed = true`: a feed for each term, at `/{taxonomy}/{term}/atom.xml`; "terms that have the
same slug will get merged"; it says the taxonomy's name "is never slugified", but the code
slugifies it as its terms), https://www.getzola.org/documentation/content/section/
(`generate_feeds` in a section's front matter: "The section feed will only include posts from
that respective feed, and not from any other sections, including sub-sections under that
section"; `transparent`: "the section will pass its pages on to the parent section") and
https://www.getzola.org/documentation/content/multilingual/.
Checked against getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9:
- components/site/src/lib.rs: `render` (the site's feed at the root: the default language's
  pages only when the site has several languages; each other language's under `{code}/`; the
  sections' feeds are written first, so the site's feed replaces the root section's),
  `render_taxonomy` (`[{code}/][{taxonomy_root}/]{taxonomy slug}/{term slug}/`, only for a
  taxonomy with `render` and `feed`), `render_section` (`{section path}` = its folders as
  written, under `{code}/` for other languages);
- components/site/src/feeds.rs `render_feeds`: the pages with a date, newest first, ties by
  permalink, at most `feed_limit` (one setting for every feed), each of `feed_filenames`;
- components/templates/src/builtins/atom.xml and rss.xml: an entry's `<id>` and an item's
  `<guid>` are the page's permalink; a feed's `<id>` is its own URL;
- components/content/src/library.rs `populate_sections`: a section's pages are its own and those
  of its transparent sub-sections, up the chain while each is transparent (a page in a folder
  without `_index.md` is an orphan, in no section's pages);
- components/site/src/lib.rs `render_section`: a section with `generate_feeds` lists its
  `pages` at `{section path}{feed file}`, at any depth;
- components/content/src/taxonomies.rs `TaxonomyTerm::new`: a term's slug is
  `slugify_paths(name, slugify.taxonomies)`; terms of one slug are merged.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .dates import file_name_date
from .paths import SlugifyMode, slugify_paths
from .split import front_matter

if TYPE_CHECKING:
    from ...config import Config
    from ...errors import Report
    from ...model import Post
    from .. import SiteSettings

# The feed files Zola has a built-in template for, and their formats.
FORMATS: Mapping[str, str] = {"atom.xml": "atom", "rss.xml": "rss"}
# Zola's Atom entry `<id>` and RSS `<guid>`: the page's permalink.
ID_TEMPLATE = "{permalink}"


class Language(NamedTuple):
    """One language's feeds."""

    feeds: bool  # the site's own feed (`generate_feeds`)
    feed_filenames: tuple[str, ...]
    taxonomies: tuple[tuple[str, bool], ...]  # name, whether each of its terms has a feed


class Feeds(NamedTuple):
    """What a Zola config says of its feeds."""

    default: str  # `default_language`
    languages: Mapping[str, Language]
    taxonomy_mode: SlugifyMode  # `slugify.taxonomies`
    taxonomy_root: str
    limit: int | None  # `feed_limit`; None: every page
    groupings: Mapping[str, str]  # taxonomy name -> syndicate's grouping
    theme: str

    def other(self, code: str) -> bool:
        return code != self.default

    def taxonomy_path(self, name: str) -> str:
        """`[{taxonomy_root}/]{taxonomy slug}/`; the slug is made as a term's is
        (components/config/src/config/mod.rs `slugify_taxonomies`)."""
        root = f"{self.taxonomy_root.strip('/')}/" if self.taxonomy_root.strip("/") else ""
        return f"{root}{slugify_paths(name, self.taxonomy_mode)}/"


# ---------------------------------------------------------------------------------------------
# The files Zola writes


def feed_globs(root: Path, feeds: Feeds, tree: Tree) -> tuple[str, ...]:
    """Zola's feed files, relative to its output folder: the site's, each language's under
    `{code}/`, each term's of a taxonomy with a feed, and each section's with `generate_feeds`."""
    globs: list[str] = []
    for code, lang in feeds.languages.items():
        prefix = f"{code}/" if feeds.other(code) else ""
        if lang.feeds:
            globs.extend(f"{prefix}{name}" for name in _built_in(lang.feed_filenames))
        for name, feed in lang.taxonomies:
            if feed:
                where = f"{prefix}{feeds.taxonomy_path(name)}"
                globs.extend(f"{where}*/{file}" for file in _built_in(lang.feed_filenames))
    for section, code in tree.with_feeds:
        files = _built_in(feeds.languages[code].feed_filenames)
        globs.extend(f"{section}{file}" for file in files)
    return tuple(dict.fromkeys(globs))


def _built_in(names: Sequence[str]) -> list[str]:
    """The feed files Zola renders with a template of its own: one the site's own template
    renders (blog.rust-lang.org's `feed.xml`) stays the site's, for syndicate writes no feed
    there unless an address says so (`adopt_globs` then adds it)."""
    return [name for name in names if name in FORMATS]


# ---------------------------------------------------------------------------------------------
# The content's sections, as far as their feeds need


class Tree(NamedTuple):
    """The sections of `content/` (drafted ones left out, as Zola leaves them out without
    `--drafts`), and the folders of each language's dated pages."""

    # (section path relative to the output folder, language) of each section with a feed.
    with_feeds: list[tuple[str, str]]
    # (language, each section's folder: parts below content/) -> `transparent`.
    transparent: dict[tuple[str, tuple[str, ...]], bool]
    # (language, the folder) of each page with a date: a bundle's `x/index.md` is the page `x`
    # of the folder above (file_info.rs `FileInfo::new_page`).
    page_folders: list[tuple[str, tuple[str, ...]]]
    # Every section's `_index` file read: which folders are sections, and which transparent,
    # decides the sections whose feeds list each post (posts.py `_feed_sections`).
    index_files: list[Path]
    # The `_index` files whose `generate_feeds = true` gives their section a feed.
    feed_files: list[Path]
    # (language, "" for the default; section path; its `title`): Zola titles the section's
    # feed "<site> - <title>" (templates/src/builtins/atom.xml).
    titles: list[tuple[str, str, str]]

    @classmethod
    def read(
        cls, content: Path, feeds: Feeds, pages_under: tuple[tuple[str, ...], ...] = ()
    ) -> Tree:
        """Every section; the pages only below the folders in `pages_under` (reading every
        page would cost a big site's every build)."""
        names = {"_index.md": feeds.default}
        names |= {f"_index.{c}.md": c for c in feeds.languages if feeds.other(c)}
        tree = cls([], {}, [], [], [], [])
        for folder, dirs, files in os.walk(content):
            dirs.sort()
            parts = Path(folder).relative_to(content).parts
            found = {names[n]: Path(folder, n) for n in sorted(files) if n in names}
            sections = {code: front_matter(path) for code, path in found.items()}
            tree.index_files.extend(Path(folder, n) for n in sorted(files) if n in names)
            if any(meta.get("draft") is True for meta in sections.values()):
                dirs.clear()  # posts.py `find_posts` skips it the same way
                continue
            for code, meta in sections.items():
                tree.transparent[code, parts] = meta.get("transparent") is True
                title = meta.get("title")
                if parts and isinstance(title, str) and title.strip():
                    own = "" if code == feeds.default else code
                    tree.titles.append((own, "/".join(parts), title.strip()))
                # `generate_feed` before Zola 0.19
                if meta.get("generate_feeds") is True or meta.get("generate_feed") is True:
                    path = "/".join(([code] if feeds.other(code) else []) + list(parts))
                    tree.with_feeds.append((f"{path}/" if path else "", code))
                    tree.feed_files.append(found[code])
            if any(parts[: len(under)] == under for under in pages_under):
                for name in sorted(files):
                    lang = _dated_page(Path(folder, name), feeds)
                    if lang is not None:
                        bundle = name.split(".")[0] == "index" and parts
                        tree.page_folders.append((lang, parts[:-1] if bundle else parts))
        return tree

    def unreached(self, section: tuple[str, ...], code: str) -> tuple[str, ...] | None:
        """The first folder under `section` whose dated pages in language `code` Zola's feed
        of `section` does not list (no section there in that language, or one that is not
        transparent), if any."""
        for lang, folder in self.page_folders:
            if lang != code or folder[: len(section)] != section:
                continue
            while folder != section:
                if not self.transparent.get((code, folder), False):
                    return folder
                folder = folder[:-1]
        return None


def _dated_page(path: Path, feeds: Feeds) -> str | None:
    """The language of a page with a date (in its front matter or its name) that is no
    draft: what Zola's feeds list. None for any other file."""
    name = path.name
    if not name.endswith(".md") or name.startswith("_index."):
        return None
    stem = name[: -len(".md")]
    code = stem.split(".", 1)[1] if "." in stem else ""
    if len(feeds.languages) < 2 or code not in feeds.languages:
        code = feeds.default  # (the default language's code stays in the name: posts.py)
    meta = front_matter(path)
    if meta.get("draft") is True:
        return None
    named = path.parent.name if stem.split(".")[0] == "index" else stem
    dated = meta.get("date") is not None or file_name_date(named) is not None
    return code if dated else None


# ---------------------------------------------------------------------------------------------
# The addresses, as `init` writes them into `[feeds.addresses]`


class _Found(NamedTuple):
    addresses: dict[str, dict[str, object]]
    notes: list[str]


def addresses(
    root: Path, feeds: Feeds, tree: Tree
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """Every language's feed addresses (pattern, JSON entry), and notes on every feed Zola
    writes that they leave out, and why. `tree`: the sections, read without pages. On a
    multilingual site each entry names its language (`"language": "fr"`): Zola's feeds of a
    language list that language's pages only (site/src/lib.rs `render`: the root feed the
    default language's, `{code}/` each other's; a section's or a term's feed its own
    language's), at `{code}/` for any language but the default."""
    found = _Found({}, [])
    multilingual = len(feeds.languages) > 1
    lists: list[tuple[str, ...]] = []  # the sections whose feeds' pages must be read
    for path, code in tree.with_feeds:
        parts = _section_parts(path, code, feeds)
        if not parts and not feeds.languages[code].feeds:  # the root's, at the site's address
            lists.append(parts)
    if lists:  # what those sections' feeds list
        tree = Tree.read(root / "content", feeds, tuple(lists))
    termed = False
    for code in sorted(feeds.languages, key=lambda c: (feeds.other(c), c)):
        lang = feeds.languages[code]
        at = _Where(code, f"{code}/" if feeds.other(code) else "", multilingual)
        if lang.feeds:
            for file in lang.feed_filenames:
                _add(found, feeds, f"{at.prefix}{file}", file, at.entry("site"))
        termed = _taxonomy_addresses(found, feeds, lang, at) or termed
        _section_addresses(found, feeds, lang, tree, at)
    notes = found.notes
    notes.extend(_template_notes(root, feeds, feeds.languages[feeds.default]))
    if termed:
        notes.append(
            "a term that only pages without a date carry gets an empty feed from Zola, and "
            "none from syndicate"
        )
        if feeds.taxonomy_mode != "on":
            notes.append(
                f'slugify.taxonomies = "{feeds.taxonomy_mode}": Zola gives terms that differ '
                "only in case feeds of their own; syndicate merges them into one, at the "
                "spelling most posts use"
            )
    if feeds.limit == 0 and found.addresses:
        notes.append(
            "feed_limit = 0: Zola's feeds list no page; syndicate's limit 0 lists every post"
        )
    pairs = tuple((k, json.dumps(v, ensure_ascii=False)) for k, v in found.addresses.items())
    return pairs, tuple(notes)


class _Where(NamedTuple):
    """One language's feeds: its code, its folder in the output, and whether entries name it."""

    code: str
    prefix: str  # "" for the default language, else "fr/"
    named: bool  # a multilingual site: every entry says its language

    def entry(self, feed: str, **more: object) -> dict[str, object]:
        return {"feed": feed, **more, **({"language": self.code} if self.named else {})}


def _section_parts(path: str, code: str, feeds: Feeds) -> tuple[str, ...]:
    """A section's folders below content/, from its feed's path (`{code}/` taken off)."""
    if feeds.other(code):
        path = path.removeprefix(f"{code}/")
    path = path.strip("/")
    return tuple(path.split("/")) if path else ()


def _add(found: _Found, feeds: Feeds, pattern: str, file: str, entry: dict[str, object]) -> None:
    fmt = FORMATS.get(file)
    if fmt is None:
        found.notes.append(
            f"{pattern}: Zola renders it with the site's own template {file}, whose format "
            "syndicate does not know: not configured: Zola goes on writing it, so keep its "
            "generate_feeds on; an entry of [feeds.addresses], with the file in [output] "
            "adopt, puts one of syndicate's feeds there instead"
        )
        return
    terms = entry.pop("terms", None)
    nested = entry.pop("nested", None)
    language = entry.pop("language", None)
    entry |= {"format": fmt, "limit": feeds.limit or 0, "id_template": ID_TEMPLATE}
    if terms is not None:
        entry["terms"] = terms
    if nested is not None:
        entry["nested"] = nested
    if language is not None:
        entry["language"] = language
    found.addresses[pattern] = entry


def _taxonomy_addresses(found: _Found, feeds: Feeds, lang: Language, at: _Where) -> bool:
    """One language's term feeds of each taxonomy, under the syndicate grouping it maps to
    (`tags`, `categories`, `series`, `authors`); True when any was configured."""
    shared = Counter(feeds.groupings.values())
    termed = False
    for name, feed in lang.taxonomies:
        if not feed:
            continue
        where = f"{at.prefix}{feeds.taxonomy_path(name)}{{term}}/"
        files = ", ".join(f"{where}{file}" for file in lang.feed_filenames)
        grouping = feeds.groupings.get(name)
        if grouping is None:
            found.notes.append(
                f"{files}: the taxonomy {name!r} is none of syndicate's groupings (tags, "
                "categories, series, authors): not configured"
            )
        elif shared[grouping] > 1:
            names = sorted(n for n, g in feeds.groupings.items() if g == grouping)
            found.notes.append(
                f"{files}: the taxonomies {', '.join(names)} are all syndicate's {grouping}, "
                "whose feeds would list the terms of each: not configured"
            )
        else:
            termed = True
            for file in lang.feed_filenames:
                _add(found, feeds, f"{where}{file}", file, at.entry(grouping))
    return termed


def _section_addresses(found: _Found, feeds: Feeds, lang: Language, tree: Tree, at: _Where) -> None:
    """Each of one language's section feeds, at any depth, as a `nested` sections feed naming
    the sections by path: each lists the posts filed in it, its own pages and those of its
    transparent sub-sections (posts.py `_feed_sections`); the root section's as the site
    feed when that lists the same posts (every dated page reaches the root), else a note."""
    listed: list[str] = []
    for path, code in tree.with_feeds:
        if code != at.code:
            continue
        parts = _section_parts(path, code, feeds)
        if parts:
            listed.append("/".join(parts))
            continue
        if lang.feeds:
            continue  # the language's site feed is written over it
        missed = tree.unreached(parts, code)
        if missed is None:
            for file in lang.feed_filenames:
                _add(found, feeds, f"{at.prefix}{file}", file, at.entry("site"))
            continue
        files = ", ".join(f"{path}{file}" for file in lang.feed_filenames)
        shown = f"{at.prefix}{'/'.join(missed)}/"
        found.notes.append(
            f"{files}: Zola's feed of the section / leaves out the pages of {shown} (not a "
            "transparent section), which syndicate's site feed would list: not configured"
        )
    if listed:
        for file in lang.feed_filenames:
            pattern = f"{at.prefix}{{section}}/{file}"
            entry = at.entry("sections", terms=listed, nested=True)
            _add(found, feeds, pattern, file, entry)


def _template_notes(root: Path, feeds: Feeds, lang: Language) -> list[str]:
    """A feed template of the site's or its theme's own replaces Zola's built-in one: what it
    lists is the site's business (out of scope: syndicate lists what the built-in one does)."""
    notes: list[str] = []
    for file in (name for name in lang.feed_filenames if name in FORMATS):
        for folder in ("templates", f"themes/{feeds.theme}/templates" if feeds.theme else ""):
            if folder and (root / folder / file).is_file():
                notes.append(
                    f"{folder}/{file} replaces Zola's built-in feed template: syndicate's "
                    f"feeds list what the built-in {file} would"
                )
                break
    return notes


# ---------------------------------------------------------------------------------------------
# Names in addresses; pages that are not posts


def address_name(name: str, kind: str, settings: SiteSettings) -> str:
    """A term's slug as Zola writes it in a path (`slugify.taxonomies`: the `slug` crate when
    "on", sanitised when "safe", as written when "off"); a section's folder as written (Zola
    does not slugify section paths: components/content/src/section.rs `Section::parse`)."""
    if kind == "sections":
        return name
    raw = dict(settings.rules.settings).get("slugify_taxonomies", '"on"')
    mode: SlugifyMode = json.loads(raw)
    return slugify_paths(name, mode)


def feed_order(posts: Sequence[Post]) -> list[Post]:
    """Zola's feeds: newest first, equal dates by permalink (feeds.rs sorts the pages by
    date, and `sort_pages` breaks ties by permalink)."""
    return sorted(sorted(posts, key=lambda p: p.permalink), key=lambda p: p.date, reverse=True)


def pages_in_feeds(config: Config, report: Report) -> int:
    """None: Zola's feeds list only pages with a date (feeds.rs `render_feeds`), and every
    page with a date that is not a draft is a post (posts.py)."""
    return 0
