"""Hugo's pages as a `ref` finds them beyond content files: the list pages Hugo makes without
one (the home page, top-level sections, taxonomies, terms), and each page of a language by its
name alone.

Hugo looks a ref up in the referring page's site, or the one its `lang` names, and nowhere
else (hugolib/page__ref.go@HUGO_COMMIT `decodeRefArgs`: "no site found with lang %q" for a
code that is no site's). A path is looked up in that site's page tree, which holds, besides
a page for every published content file of the language, below the top of its content
folder, its own if it has one (`posts.content_folders`)
(hugolib/content_map_page_assembler.go@HUGO_COMMIT):
- the home page and each top-level section that has a page of that language below it, made
  when no `_index` file gives them (`transformPagesAndCreateMissingHome`; a section holding
  drafts only is made too: the drafts are left out after);
- a page for each taxonomy of the language (`createMissingTaxonomies`), whether or not any
  page uses it;
- a page for each term a published page gives (`seenTerms`, a page that is not rendered
  gives none), at `/<plural>/<term>` with the term lower-cased and its spaces `-`
  (NormalizePathStringBasic in common/paths/pathparser.go@HUGO_COMMIT).
A path with no `/` that names no page is then looked up by name among every page of that
tree (`pageReverseIndex` in hugolib/content_map_page.go@HUGO_COMMIT: each page's
`BaseNameNoIdentifier`, a bundle's folder, a section's, a term's own name): one page so named
is the one; two or more is Hugo's error "page reference %q is ambiguous"
(hugolib/pagecollections.go@HUGO_COMMIT `getContentNodeForRef`). Documented at
https://gohugo.io/functions/urls/ref/ and https://gohugo.io/content-management/cross-references/.
Every content file's front matter is read once, on the first ref that needs it.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import urls
from .config import CONTENT_SUFFIXES, _front_matter, _ignored_name, split_name
from .posts import (
    _normal,
    _on_host,
    _prefix,
    _reading_of,
    content_folders,
    rendered,
    translation,
)

if TYPE_CHECKING:
    from ...config import Config


class _Language:
    """One language's pages: the paths each name is at, and the list pages made without a
    content file by their path (its parts as written, for the link)."""

    __slots__ = ("lists", "names", "sections", "terms")

    def __init__(self) -> None:
        self.names: dict[str, set[str]] = {}
        self.lists: dict[str, tuple[str, ...]] = {}
        self.sections: dict[str, str] = {}  # top-level folder, by its key
        self.terms: dict[str, tuple[str, str]] = {}  # (plural, term as written), by key

    def name(self, key: str) -> None:
        """Count the page at path `key` under its name (a bundle's or section's folder)."""
        if key:
            self.names.setdefault(key.rpartition("/")[2], set()).add(key)


class HugoTree:
    """The list pages and names of a Hugo site's pages, per language (see the module's
    docstring); `now` decides which pages are published, as the build's posts."""

    def __init__(self, config: Config, now: datetime) -> None:
        assert config.generator is not None
        self._config = config
        self._now = now
        self._reading = _reading_of(config.generator.rules)
        pages: Mapping[str, Any] = self._reading.get("list_pages") or {}
        self._taxonomies: dict[str, list[str]] = dict(pages.get("taxonomies") or {})
        self._off = frozenset(pages.get("disabled_kinds") or ())
        default = str(self._reading.get("default_language", "en"))
        # The languages Hugo builds, each a site a `lang` may name (the config lists each
        # one's taxonomies); a site of one language has its default language only.
        self.languages = frozenset(self._taxonomies) or frozenset({default})
        self._built: dict[str, _Language] | None = None

    def list_page(self, logical: str, lang: str) -> str | None:
        """The permalink of the page Hugo makes with no content file at `logical` (a path
        below the content folder, lower case, as `refs` keys it) in `lang`: the home page
        (""), a top-level section, a taxonomy, a term; None for any other path."""
        if logical == "":
            return None if "home" in self._off else self._link((), lang)
        parts = self._tree(lang).lists.get(path_key(logical))
        return None if parts is None else self._link(parts, lang)

    def named(self, name: str, lang: str) -> list[str]:
        """The paths (keys, sorted) of the pages of `lang` that `name` alone names."""
        return sorted(self._tree(lang).names.get(path_key(name), ()))

    def _tree(self, lang: str) -> _Language:
        if self._built is None:
            self._built = self._build()
        return self._built.get(lang) or _Language()

    def _build(self) -> dict[str, _Language]:
        languages = frozenset(str(x) for x in self._reading.get("languages", []))
        split = translation(self._config)
        folders = content_folders(self._config)
        found: dict[str, _Language] = {}
        for folder, own in folders:
            # A language's own folder is the top of its tree, as the site's folder is; one
            # inside another is read as its own only, as `find_posts` reads its posts.
            others = [f for f, _ in folders if f != folder]
            for file in _content_files(folder, languages, others):
                lang, bare = split(file.relative_to(folder).as_posix(), own)
                self._add(found.setdefault(lang, _Language()), file, bare, lang)
        for lang in self.languages | set(found):  # a language with no page has taxonomies
            self._add_lists(found.setdefault(lang, _Language()), lang)
        return found

    def _add(self, pages: _Language, file: Path, bare: str, lang: str) -> None:
        """One content file's page (`bare`: its path without language code): the top-level
        section it is in, and if published its name and its terms."""
        from ...content.syntax.refs import logical_path

        key = path_key(logical_path(bare))
        top = _top_section(bare, key)
        if top:
            pages.sections.setdefault(path_key(top), top)  # drafts make it too
        meta = _front_matter(file)
        lowered = {str(k).lower(): k for k in meta}
        if not self._published(meta, lowered):
            return
        pages.name(key)
        if not rendered(meta, lowered):
            return
        for plural in self._taxonomies.get(lang, ()):
            for term in _terms(meta.get(lowered.get(plural, ""))):
                pages.terms.setdefault(f"{plural}/{path_key(term)}", (plural, term))

    def _add_lists(self, pages: _Language, lang: str) -> None:
        """The language's list pages made without a content file, each counted by name."""
        if "section" not in self._off:
            pages.lists.update((key, (top,)) for key, top in pages.sections.items())
        if "term" not in self._off:
            pages.lists.update(pages.terms)
        if "taxonomy" not in self._off:
            # A top-level folder named as a taxonomy is that taxonomy's page.
            pages.lists.update((plural, (plural,)) for plural in self._taxonomies.get(lang, ()))
        for key in pages.lists:
            pages.name(key)

    def _published(self, meta: Mapping[str, Any], lowered: Mapping[str, Any]) -> bool:
        """Not a draft, future or expired page, unless the build flags keep it."""
        from .addresses import _date_of, _hidden
        from .dates import parse_date

        config = self._config
        assert config.generator is not None
        date = _date_of(meta, lowered, self._reading, "date", parse_date, config)
        return not _hidden(meta, lowered, config.generator, self._now, date, self._reading, config)

    def _link(self, parts: tuple[str, ...], lang: str) -> str:
        """A list page's permalink: its folders under its language's prefix, at its
        language's host, as `posts._section_link` gives a section page with a file."""
        from ...content.loader import given_permalink

        settings: Mapping[str, Any] = self._reading.get("urls") or {}
        case = urls.Case(settings.get("lower", True), settings.get("accents", True))
        place = urls.Place(
            container="/".join(_normal(p, case) for p in parts),
            base_name="",
            url=None,
            expanded=None,
            ugly=False,
            prefix=_prefix(lang, self._reading),
        )
        hosts: Mapping[str, str] = settings.get("hosts") or {}
        default = str(self._reading.get("default_language", "en"))
        link = _on_host(urls.link(place, case), hosts.get(lang), hosts.get(default))
        return given_permalink(self._config.base_url, link)


def path_key(path: str) -> str:
    """A path as Hugo's page tree keys it (NormalizePathStringBasic: lower case, spaces as
    `-`), so that `tags/Tag Zwei` is the term `tag zwei`'s page."""
    return path.lower().replace(" ", "-")


def _content_files(
    folder: Path, languages: Collection[str], others: Collection[Path]
) -> Iterator[Path]:
    """Every content file of a page under `folder`, `_index` files too, but for those of the
    `others` content folders it holds; in a leaf bundle only its `index` (the rest are its
    resources)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and Path(dirpath, d) not in others
        )
        names = sorted(
            n for n in filenames if n.lower().endswith(CONTENT_SUFFIXES) and not _ignored_name(n)
        )
        index = [n for n in names if split_name(n, languages)[0] == "index"]
        if index and Path(dirpath) != folder:
            dirnames[:] = []
            names = index
        yield from (Path(dirpath, n) for n in names)


def _top_section(bare: str, key: str) -> str | None:
    """The top-level folder (as written) whose section holds the page of the content file at
    `bare`, keyed `key`: a page's below it, a section page's (`_index`) of it or below it;
    none for a page at the top, a leaf bundle there too."""
    index = os.path.splitext(os.path.basename(bare))[0].lower() == "_index"
    depth = len([p for p in key.split("/") if p])
    return bare.split("/")[0] if depth > 1 or (index and depth) else None


def _terms(value: Any) -> list[str]:
    """A taxonomy's values in front matter, as text (Hugo's ToStringSlicePreserveString)."""
    values = value if isinstance(value, list) else [value] if value is not None else []
    return [str(v) for v in values if str(v) != ""]
