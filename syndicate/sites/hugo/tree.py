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
A content file's front matter is read once, when a lookup first needs it: a name's pages, and
a term's (any page may give one) in the files whose front matter holds its words.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

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
    """One language's content files (in the order Hugo's tree walks them), each page's path by
    its name (published or not: `HugoTree.named` asks), and its top-level sections."""

    __slots__ = ("files", "names", "sections")

    def __init__(self) -> None:
        self.files: list[str] = []
        self.names: dict[str, list[tuple[str, str]]] = {}  # (key, file), by name
        self.sections: dict[str, str] = {}  # top-level folder, by its key


class _Page(NamedTuple):
    """What a content file's front matter makes of its page: whether it is published (not a
    draft, future or expired page, as the build's flags decide), and its terms by taxonomy
    (none for a page Hugo does not render)."""

    published: bool
    terms: dict[str, list[str]]


class HugoTree:
    """The list pages and names of a Hugo site's pages, per language (see the module's
    docstring); `now` decides which pages are published, as the build's posts. A file's
    front matter is read only when a lookup needs it: the pages of a name, and for the
    terms (which any page may give) only the files whose front matter holds the words of
    the name or term looked up (`_may_hold`)."""

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
        self._walked: dict[str, _Language] | None = None
        self._pages: dict[tuple[str, str], _Page] = {}
        self._heads: dict[str, str] = {}  # each file's front matter as written, lower case
        self._named: dict[tuple[str, str], set[str]] = {}  # the terms by name, by language

    def list_page(self, logical: str, lang: str) -> str | None:
        """The permalink of the page Hugo makes with no content file at `logical` (a path
        below the content folder, lower case, as `refs` keys it) in `lang`: the home page
        (""), a top-level section, a taxonomy, a term; None for any other path."""
        if logical == "":
            return None if "home" in self._off else self._link((), lang)
        parts = self._list_parts(path_key(logical), lang)
        return None if parts is None else self._link(parts, lang)

    def named(self, name: str, lang: str) -> list[str]:
        """The paths (keys, sorted) of the pages of `lang` that `name` alone names: a content
        file's published page, a list page (a section's, a taxonomy's, a term's)."""
        key = path_key(name)
        tree = self._tree(lang)
        found = {path for path, file in tree.names.get(key, ()) if self._page(file, lang).published}
        if "section" not in self._off and key in tree.sections:
            found.add(key)
        if "taxonomy" not in self._off and key in self._taxonomies.get(lang, ()):
            found.add(key)
        if "term" not in self._off:
            named = self._named.get((key, lang))
            if named is None:
                named = self._named[(key, lang)] = self._terms_named(key, lang)
            found.update(named)
        return sorted(found)

    def _list_parts(self, key: str, lang: str) -> tuple[str, ...] | None:
        """The parts (as written) of the list page keyed `key` in `lang`, if Hugo makes it: a
        taxonomy before a section of its name; a term as the first page giving it writes it."""
        taxonomies = self._taxonomies.get(lang, ())
        if "taxonomy" not in self._off and key in taxonomies:
            return (key,)
        plural, slash, term = key.partition("/")
        if slash and "term" not in self._off and plural in taxonomies:
            words = _words(term)
            for file in self._tree(lang).files:
                if words is not None and not self._may_hold(file, words):
                    continue
                written = next(
                    (
                        t
                        for t in self._page(file, lang).terms.get(plural, ())
                        if path_key(t) == term
                    ),
                    None,
                )
                if written is not None:
                    return (plural, written)
        top = self._tree(lang).sections.get(key) if "section" not in self._off else None
        return None if top is None else (top,)

    def _terms_named(self, key: str, lang: str) -> set[str]:
        """The keys of the terms of `lang` whose name (a term's last path segment) is `key`."""
        words = _words(key)
        found: set[str] = set()
        for file in self._tree(lang).files:
            if words is not None and not self._may_hold(file, words):
                continue
            for plural, terms in self._page(file, lang).terms.items():
                found.update(
                    f"{plural}/{path_key(t)}"
                    for t in terms
                    if path_key(t).rpartition("/")[2] == key
                )
        return found

    def _tree(self, lang: str) -> _Language:
        if self._walked is None:
            self._walked = self._walk()
        return self._walked.get(lang) or _Language()

    def _walk(self) -> dict[str, _Language]:
        """Every content file by language, its page's name, the top-level sections: the
        file names tell them all."""
        from ...content.syntax.refs import logical_path

        languages = frozenset(str(x) for x in self._reading.get("languages", []))
        split = translation(self._config)
        folders = content_folders(self._config)
        found: dict[str, _Language] = {}
        for folder, own in folders:
            # A language's own folder is the top of its tree, as the site's folder is; one
            # inside another is read as its own only, as `find_posts` reads its posts.
            others = {str(f) for f, _ in folders if f != folder}
            for file, rel in _content_files(str(folder), languages, others):
                lang, bare = split(rel, own)
                pages = found.setdefault(lang, _Language())
                pages.files.append(file)
                key = path_key(logical_path(bare))
                top = _top_section(bare, key)
                if top:
                    pages.sections.setdefault(path_key(top), top)  # drafts make it too
                if key:
                    pages.names.setdefault(key.rpartition("/")[2], []).append((key, file))
        return found

    def _page(self, file: str, lang: str) -> _Page:
        """The page of a content file of `lang`, from its front matter (read once)."""
        page = self._pages.get((file, lang))
        if page is None:
            page = self._pages[(file, lang)] = self._read(file, lang)
        return page

    def _read(self, file: str, lang: str) -> _Page:
        meta = _front_matter(Path(file))
        lowered = {str(k).lower(): k for k in meta}
        if not self._published(meta, lowered):
            return _Page(False, {})
        if not rendered(meta, lowered):
            return _Page(True, {})
        terms = {
            plural: _terms(meta.get(lowered.get(plural, "")))
            for plural in self._taxonomies.get(lang, ())
        }
        return _Page(True, {plural: found for plural, found in terms.items() if found})

    def _may_hold(self, file: str, words: tuple[str, ...]) -> bool:
        """Whether the file's front matter may give a term of `words` (`_words`): each is in
        its text, in lower case, or an escape (a backslash) may write one otherwise."""
        head = self._heads.get(file)
        if head is None:
            head = self._heads[file] = _head(file)
        return "\\" in head or all(word in head for word in words)

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
    folder: str, languages: Collection[str], others: Collection[str]
) -> Iterator[tuple[str, str]]:
    """Every content file of a page under `folder` (and its path below it, with "/"),
    `_index` files too, but for those of the `others` content folders it holds; in a leaf
    bundle only its `index` (the rest are its resources)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and os.path.join(dirpath, d) not in others
        )
        names = sorted(
            n for n in filenames if n.lower().endswith(CONTENT_SUFFIXES) and not _ignored_name(n)
        )
        index = [n for n in names if split_name(n, languages)[0] == "index"]
        if index and dirpath != folder:
            dirnames[:] = []
            names = index
        below = dirpath[len(folder) + 1 :].replace(os.sep, "/")
        for name in names:
            yield os.path.join(dirpath, name), f"{below}/{name}" if below else name


# A term's key whose words are as its front matter writes them: a term that is a number, a
# date, a boolean (`0x1A` is 26, `yes` true) has digits, `e`, and these words only.
_WORDS = re.compile(r"[a-z0-9_]+(?:[-/][a-z0-9_]+)*")
_WORDY = re.compile(r"[a-df-z_]")
_NOT_TEXT = frozenset({"true", "false", "none", "inf", "nan"})


def _words(key: str) -> tuple[str, ...] | None:
    """The words of a term's key (`path_key`), each of which the front matter that gives the
    term writes as it is (a space of it is the key's `-`); None when a term so keyed may be
    written otherwise, a value that is not text: then every page's front matter is read."""
    if not _WORDS.fullmatch(key) or not _WORDY.search(key) or key in _NOT_TEXT:
        return None
    return tuple(sorted(re.split("[-/]", key), key=len, reverse=True))  # the rarer first


def _head(file: str) -> str:
    """A content file's front matter as written, in lower case ("" when it has none or
    cannot be read: `_front_matter` gives it no terms then). Read from the file's start, the
    whole file only when its front matter runs on (digital.gov's 4,044 content files: 86 ->
    71 ms)."""
    from ...content.frontmatter import Invalid
    from ...content.split import parts

    try:
        with open(file, encoding="utf-8-sig") as text:
            start = text.read(_HEAD)
            try:
                handler, head, _ = parts(start)
            except Invalid:
                handler, head, _ = parts(start + text.read())
    except (Invalid, OSError, UnicodeDecodeError):
        return ""
    return head.lower() if handler is not None else ""


_HEAD = 4096  # characters: the front matter of nearly every page


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
