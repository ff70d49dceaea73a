"""`ref` and `relref` targets -> the absolute permalink of the page they name.

As Hugo's `ref` looks a page up (hugolib/pagecollections.go@HUGO_COMMIT
`getContentNodeForRef`, HUGO_COMMIT in `sites.hugo`): a path starting with "/" from the
content folder; any other first from the folder of the page that refers (a leaf bundle's:
the folder holding the bundle), and, unless it starts with ".", then from the content folder;
with or without its extension, a bundle by its folder; case does not matter. On a Hugo site,
where a language may have its own content folder (`content_folders`: its pages' paths are
below it, `content/ja/posts/b.md` is `posts/b`), in the language of the page that refers, or
the one the ref's `lang` names, only, whatever language code the path writes
(`translations`): a page with no translation in that language
is missing, as in Hugo; a path naming no content file may name a list page Hugo makes without
one (its home page, a top-level section, a taxonomy or a term), and a path without "/" a page
by its name alone, if no other page of that language has it (`site_tree`). A file of the
content folder that is not a post (a page) gets the address its generator gives it
(`page_addresses`), or without one Hugo's default (its path, as a folder). A draft, a future
post or a file that is not there is missing. Zola's internal links name a file exactly
(`resolve_file`).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ...datatype import datatype
from ...model import Post

if TYPE_CHECKING:
    from ...config import Config

# A page's URL from its path below the content folder, extension included; None: no page.
PageAddress = Callable[[str], "str | None"]
# A content file's language and its path without the language code, from its path below its
# content folder and that folder's language ("" for none): (`about/index.fr.md`, "") -> ("fr",
# "about/index.md"), (`posts/b.md`, "ja") -> ("ja", "posts/b.md").
Translation = Callable[[str, str], tuple[str, str]]
# The folders a site's content is read from, each with the language it holds ("" for none).
Folders = Sequence[tuple[Path, str]]
# A generator's own index of its posts by name, made of (the published posts, every post) as
# plain values, which the index's state keeps: Jekyll's `post_url` (`sites.jekyll.post_url`).
Names = Callable[[Sequence[Post], Sequence[Post]], Any]


class SiteTree(Protocol):
    """What a site's generator publishes besides its content files' pages, as its refs find
    them (`sites.hugo.tree.HugoTree`)."""

    # The language codes a ref's `lang` may name.
    languages: frozenset[str]

    def list_page(self, logical: str, lang: str) -> str | None:
        """The permalink of the page at `logical` made with no content file."""
        ...

    def named(self, name: str, lang: str) -> list[str]:
        """The logical paths of the pages that `name` alone names."""
        ...


@datatype
class Miss:
    """Why a ref names no page, and what to write instead."""

    reason: str
    hint: str


# How a ref with `lang` is kept among the refs a body looked up (`ref_key`): NUL cannot be
# in a path a post writes.
_LANG = "\0lang\0"

_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_INDEXES = ("index", "_index")
# A language code before the extension (`about.fa.md`, `_index.zh-cn.md`): Hugo's translations.
_LANGUAGE = re.compile(r"\.[a-z]{2}(?:-[a-z]{2,4})?$")


def logical_path(rel: str) -> str:
    """A content path as looked up: lower case, no extension, a bundle by its folder."""
    rel = rel.lower()
    stem, ext = posixpath.splitext(rel)
    if ext in _SUFFIXES:
        rel = stem
    head, _, name = rel.rpartition("/")
    return head if name in _INDEXES else rel


class RefIndex:
    """Every post by its path below the content folder."""

    def __init__(
        self,
        content_dir: Path,
        base_url: str,
        posts: Iterable[Post],
        unpublished: Iterable[Post] = (),
        pages: PageAddress | None = None,
        translation: Translation | None = None,
        tree: SiteTree | None = None,
        names: Names | None = None,
        folders: Folders = (),
    ) -> None:
        self.content_dir = content_dir
        self.base_url = base_url
        self.pages = pages
        # Set on a Hugo site: every post is known by its language and its path without the
        # language code, and a ref looks up the referring page's language only.
        self.translation = translation
        # Set on a Hugo site too: the list pages and the names a ref may also give.
        self.tree = tree
        # Each content folder (`folders`, else `content_dir`) as a path prefix, the deepest
        # first, and its language: a Hugo site whose languages each have their own folder
        # reads a page's path below its own folder, in that folder's language.
        roots = [
            (str(f).rstrip(os.sep) + os.sep, lang) for f, lang in folders or [(content_dir, "")]
        ]
        self._roots = sorted(roots, key=lambda root: -len(root[0]))
        self._posts: dict[str, str] = {}
        self._hidden: set[str] = set()
        # The same by their paths as written (`resolve_file`).
        self._files: dict[str, str] = {}
        self._hidden_files: set[str] = set()
        posts = list(posts)
        self._names: Any = names(posts, list(unpublished)) if names is not None else None
        found = [(at, p.permalink) for p in posts if (at := self._place(str(p.source)))]
        self._files.update((rel, permalink) for (_, rel), permalink in found)
        self._posts.update((self._key(rel, None, own), link) for (own, rel), link in found)
        if translation is None:
            for (_, rel), permalink in found:  # a translation answers for its name without
                self._posts.setdefault(_without_language(logical_path(rel)), permalink)  # code
        # `unpublished` may hold the published posts too (a build passes every post): theirs
        # are in already, and reading each path twice was a third of making the index.
        published = {id(p) for p in posts}
        for post in unpublished:
            if id(post) in published:
                continue
            at = self._place(str(post.source))
            if at is None:
                continue
            self._hidden_files.add(at[1])
            if (key := self._key(at[1], None, at[0])) not in self._posts:
                self._hidden.add(key)

    def state(self) -> tuple[dict[str, str], list[str], dict[str, str], list[str], Any]:
        """What the index knows, as plain values (kept in the build cache's plan): a quick
        rebuild, in which no post moved, looks refs up without loading every post."""
        files, hidden_files = dict(self._files), sorted(self._hidden_files)
        return dict(self._posts), sorted(self._hidden), files, hidden_files, self._names

    @classmethod
    def from_state(
        cls,
        content_dir: Path,
        base_url: str,
        state: Any,
        pages: PageAddress | None = None,
        translation: Translation | None = None,
        tree: SiteTree | None = None,
        folders: Folders = (),
    ) -> RefIndex:
        """The index `state()` described (made with the same `translation` and `folders`)."""
        posts, hidden, files, hidden_files, names = state
        index = cls(
            content_dir,
            base_url,
            (),
            pages=pages,
            translation=translation,
            tree=tree,
            folders=folders,
        )
        index._names = names
        index._posts.update(posts)
        index._hidden.update(hidden)
        index._files.update(files)
        index._hidden_files.update(hidden_files)
        return index

    def _place(self, path: str) -> tuple[str, str] | None:
        """The language of the content folder holding `path` ("" for none) and the path below
        it, `/`-separated; None outside every content folder."""
        # A prefix test, not os.path.relpath: this runs for every post of every build.
        for prefix, lang in self._roots:
            if path.startswith(prefix):
                return lang, path[len(prefix) :].replace(os.sep, "/")
        for prefix, lang in self._roots:
            rel = os.path.relpath(path, prefix)
            if not rel.startswith(".."):
                return lang, rel.replace(os.sep, "/")
        return None

    def _rel(self, path: str) -> str | None:
        at = self._place(path)
        return None if at is None else at[1]

    def _key(self, rel: str, lang: str | None = None, folder: str = "") -> str:
        """How the content file at `rel` below a content folder of language `folder` is known:
        its logical path (`logical_path`); on a Hugo site, in its language (`lang`, else the
        file's own) and without the language code."""
        if self.translation is None:
            return logical_path(rel)
        own, bare = self.translation(rel, folder)
        return f"{lang or own}:{logical_path(bare)}"

    def _language_of(self, source: str) -> str | None:
        """The language of the post file `source` (on a site with translations)."""
        if self.translation is None:
            return None
        own, rel = self._place(source) or ("", os.path.basename(source))
        return self.translation(rel, own)[0]

    def below(self, path: str) -> str | None:
        """`path` (a file's) below the content folder, `/`-separated; None outside it."""
        return self._rel(path)

    def names(self) -> Any:
        """The generator's own index of its posts by name (`Names`), None without one."""
        return self._names

    def resolve(self, target: str, source: str, lang: str | None = None) -> str | None:
        """The permalink `target` names, seen from the post file `source`, in the language
        `lang` (on a Hugo site; the post's own when None); None if missing (`miss` says
        why)."""
        path, hashmark, fragment = target.partition("#")
        if not path or not self._knows(lang):
            return None
        found = self._found(path, source, self._language(source, lang))
        if found is None:
            return None
        return found + (f"#{fragment}" if hashmark else "")

    def page(self, path: str, source: str) -> str | None:
        """The permalink of the page Hugo's `.Page.GetPage` finds at `path` (no fragment) from
        the post file `source`, in its language: where a ref's lookup finds one, but never by
        a name alone (hugolib/pagecollections.go@HUGO_COMMIT `getContentNodeForRef`: only a
        ref or a lookup without a page does that), the trailing "/" dropped and "" the home
        page (`getContentNode`); None if none."""
        return self._found(path.rstrip("/") or "/", source, self._language(source, None), False)

    def miss(self, target: str, source: str, lang: str | None = None) -> Miss:
        """Why `resolve` finds nothing at `target` (Hugo's reasons: an unknown language, a
        name that two pages have, no page)."""
        if self.tree is not None and not self._knows(lang):
            codes = ", ".join(sorted(self.tree.languages))
            return Miss(
                f"no site found with lang {lang!r} (the site's: {codes})",
                "give `lang` one of the site's language codes, as its config writes them",
            )
        path = target.partition("#")[0]
        named = self._named(path, self._language(source, lang))
        if len(named) > 1:
            return Miss(
                f"page reference {path!r} is ambiguous: {', '.join(named)} have that name",
                "give the path of the one meant below the content folder (e.g. /"
                + named[0]
                + "): Hugo finds a page by its name alone only when no other page has it",
            )
        return not_found(path, on_hugo=self.tree is not None)

    def _language(self, source: str, lang: str | None) -> str | None:
        """The language a ref of the post file `source` is looked up in: `lang` if given,
        else the post's own; None on a site without translations, where `lang` names none."""
        own = self._language_of(source)
        return own if own is None or lang is None else lang

    def _knows(self, lang: str | None) -> bool:
        """Whether `lang` (None: none given) is a language the site's refs may name: Hugo
        compares the code as written with its sites' (lower case)."""
        return lang is None or self.tree is None or lang in self.tree.languages

    def _found(self, path: str, source: str, lang: str | None, by_name: bool = True) -> str | None:
        """The permalink of the page at `path` (no fragment) in `lang`: a post or a page's
        content file at each path Hugo tries in turn, then a list page with no file, then
        (`by_name`) the one page of that name."""
        tries = [_normal(rel) for rel in self._tries(path, source)]
        for rel in tries:
            found = self._posts.get(self._key(rel, lang)) or self._page(rel, lang)
            if found is not None:
                return found
        # Only once no file answers, as knowing the list pages takes reading every file,
        # which a ref to a file never needs. Hugo tries each path for either in turn, but a
        # list page is a top-level folder, a taxonomy or a term: a path tried from the
        # referring page's folder names one only if that folder is a taxonomy's.
        for rel in tries:
            found = self._list_page(rel, lang)
            if found is not None:
                return found
        named = self._named(path, lang) if by_name else []
        return self._found("/" + named[0], source, lang) if len(named) == 1 else None

    def _tries(self, path: str, source: str) -> list[str]:
        """Where Hugo looks the path of a ref up, in order (getContentNodeForRef), each below
        the top of the page's language tree: from there when it starts with "/"; else from
        the referring page's folder (a leaf bundle's parent, but for a path with an extension
        going up, `../x.md`), never above the top (Hugo joins it to the folder's rooted path:
        `../../about.md` from posts/a.md is /about); then, for a path with an extension, the
        file it names from the file's own folder, below whichever content folder holds it
        (hugolib/pagecollections.go@HUGO_COMMIT `getContentNodeFromRefReverseLookup`: the
        file `../../en/posts/b.md` from content/ja/posts/a.md is posts/b, looked up in the
        page's own language); then, unless it starts with ".", from the top. Checked with
        Hugo 0.168."""
        if path.startswith("/"):
            return [path.lstrip("/")]
        here = self._rel(os.path.dirname(source)) or ""
        extension = "." in path.rpartition("/")[2]  # paths.HasExt
        base = here
        if _bundled(source) and not (extension and path.startswith("../")):
            base = posixpath.dirname(here)
        tries = [posixpath.join(base, path)]
        if extension:
            named = self._place(os.path.normpath(os.path.join(os.path.dirname(source), path)))
            tries += [named[1]] if named is not None else []
        if not path.startswith("."):
            tries.append(path)
        return tries

    def _list_page(self, rel: str, lang: str | None) -> str | None:
        """A page Hugo makes with no content file, at `rel` in `lang` (Hugo sites only)."""
        if self.tree is None or lang is None or rel.startswith(".."):
            return None
        return self.tree.list_page(self._key(rel, lang).partition(":")[2], lang)

    def _named(self, path: str, lang: str | None) -> list[str]:
        """The pages of `lang` a path without "/" names by their name alone (Hugo sites)."""
        if self.tree is None or lang is None or "/" in path.rstrip("/"):
            return []
        name = self._key(path.rstrip("/"), lang).partition(":")[2]
        return self.tree.named(name, lang) if name else []

    def resolve_file(self, rel: str) -> str | None:
        """The permalink of the file at `rel` below the content folder, named exactly: case,
        extension and language code as written, `x/index.md` never `x/_index.md` nor
        `x/index.ar.md` (Zola's `@/` links: components/utils/src/site.rs
        `resolve_internal_link` looks the path up as it is among the files' `relative` paths,
        components/site/src/lib.rs `add_page`, `add_section`). None if missing."""
        found = self._files.get(rel)
        if found is not None or rel in self._hidden_files or rel.startswith(".."):
            return found
        if self.pages is not None:
            return self.pages(rel)
        return self._page(rel)

    def _page(self, rel: str, lang: str | None = None) -> str | None:
        """The address of a content file that is not a post: the generator's (`pages`), else
        Hugo's default; on a Hugo site, of the file of that path in the language `lang`."""
        if rel.startswith("..") or self._key(rel, lang) in self._hidden:
            return None
        if lang is not None:
            return self._translated_page(rel, lang)
        if self.pages is not None:
            return self.pages(rel)
        logical = logical_path(rel)
        base = self.content_dir / logical
        if not (_names_in(base, _INDEXES) or _names_in(base.parent, (base.name,))):
            return None
        return f"{self.base_url}{logical}/" if logical else self.base_url

    def _translated_page(self, rel: str, lang: str) -> str | None:
        """The address of the content file that has the path `rel` in the language `lang`:
        `about/index.fr.md` or `about.fr.md` for ("about", "fr"), or a file without a code
        in its folder's or the default language: in a content folder of that language or of
        none, never another language's (Hugo looks in the page's own site only)."""
        key = self._key(rel, lang)
        logical = key.partition(":")[2]
        for prefix, own in self._roots:
            if own and own != lang:
                continue
            for path in _candidates(Path(prefix), logical):
                at = self._place(path)  # not a deeper folder's file, of another language
                if at is None or at[0] != own or self._key(at[1], None, own) != key:
                    continue
                if self.pages is not None:
                    below = os.path.relpath(path, self.content_dir)  # `../ja/` from another
                    return self.pages(below.replace(os.sep, "/"))
                return f"{self.base_url}{logical}/" if logical else self.base_url
        return None


def not_found(path: str, on_hugo: bool = False) -> Miss:
    """No page at `path`, and what a ref names (on a Hugo site, what Hugo publishes)."""
    if not on_hugo:
        hint = (
            "give the path below the content folder (e.g. posts/intro.md) of a post or page "
            "that is published (not a draft)"
        )
    else:
        hint = (
            "give the path below the content folder (e.g. posts/intro.md, /docs, tags/news) "
            "of a page, section, taxonomy or term Hugo publishes in the post's language (or "
            "the one `lang` names), or a page's name alone; a draft, future or expired page "
            "is not published"
        )
    return Miss(f"page not found at {path!r}", hint)


def _normal(rel: str) -> str:
    """A path tried, below the top of the content tree, without `.` and `..` elements ("" for
    the top itself): a `..` at the top stays there, as Go's `path.Join("/posts", "../../x")`
    is "/x"."""
    return posixpath.normpath("/" + rel.lstrip("/")).lstrip("/")


def _bundled(source: str) -> bool:
    """Whether the post file `source` is a leaf bundle's (`index.md`, `index.fr.md`)."""
    stem = os.path.splitext(os.path.basename(source).lower())[0]
    return _LANGUAGE.sub("", stem) == "index"


def ref_key(target: str, lang: str | None) -> str:
    """How a ref is kept among those a body looked up (`Context.looked_up`): its target, and
    the language it names, if any (`split_ref_key` reads it back)."""
    return f"{_LANG}{lang}{_LANG}{target}" if lang else target


def split_ref_key(key: str) -> tuple[str, str | None]:
    """The target and language `ref_key` made `key` of."""
    if not key.startswith(_LANG):
        return key, None
    lang, _, target = key[len(_LANG) :].partition(_LANG)
    return target, lang


class NeedsIndex(BaseException):
    """A body looked a ref up before every post was loaded (`UNRESOLVED`). A BaseException:
    no handler of a template's errors may take it for a problem of the post's."""


class _Unresolved(RefIndex):
    """Stands for the index while posts are being read: a post whose body looks a ref up is
    expanded again once the index is made."""

    def __init__(self) -> None:  # no posts: nothing is looked up
        pass

    def resolve(self, target: str, source: str, lang: str | None = None) -> str | None:
        raise NeedsIndex

    def page(self, path: str, source: str) -> str | None:
        raise NeedsIndex

    def resolve_file(self, rel: str) -> str | None:
        raise NeedsIndex

    def below(self, path: str) -> str | None:
        raise NeedsIndex

    def names(self) -> Any:
        raise NeedsIndex


UNRESOLVED: RefIndex = _Unresolved()


def page_addresses(config: Config) -> PageAddress | None:
    """How the site's generator addresses a page: Jekyll by its `permalink` or its path
    (`sites.jekyll.pages`), Zola by its `path`, slug, sections and language, Hugo by its
    language, `url`, slug and `permalinks`, each as it addresses its posts
    (`sites.zola.posts`, `sites.hugo.posts`); None (no generator) for Hugo's default
    address."""
    name = config.generator.generator if config.generator is not None else None
    if name == "hugo":
        from ...sites.hugo.posts import page_address as hugo_page_address

        return hugo_page_address(config)
    if name == "jekyll":
        from ...sites.jekyll.pages import page_address

        return page_address(config)
    if name == "zola":
        from ...sites.zola.posts import page_address as zola_page_address

        return zola_page_address(config)
    return None


def post_names(config: Config) -> Names | None:
    """A Jekyll site's index of its posts for `{% post_url %}` (`sites.jekyll.post_url`);
    None elsewhere."""
    if config.generator is None or config.generator.generator != "jekyll":
        return None
    from ...sites.jekyll.post_url import index

    return index(config)


def translations(config: Config) -> Translation | None:
    """On a Hugo site, each content file's language and its path without the language code
    (`sites.hugo.posts.translation`): a ref is looked up in the referring page's language;
    None elsewhere."""
    if config.generator is None or config.generator.generator != "hugo":
        return None
    from ...sites.hugo.posts import translation

    return translation(config)


def content_folders(config: Config) -> Folders:
    """On a Hugo site, each folder its content is read from with the language it holds
    (`sites.hugo.posts.content_folders`): a language's own folder is the top of its page
    tree; elsewhere, none but the content folder."""
    if config.generator is None or config.generator.generator != "hugo":
        return ()
    from ...sites.hugo.posts import content_folders as hugo_content_folders

    return hugo_content_folders(config)


def site_tree(config: Config, now: datetime) -> SiteTree | None:
    """On a Hugo site, the list pages and page names its refs may give
    (`sites.hugo.tree`), its pages published as at `now`; None elsewhere."""
    if config.generator is None or config.generator.generator != "hugo":
        return None
    from ...sites.hugo.tree import HugoTree

    return HugoTree(config, now)


def _without_language(logical: str) -> str:
    head, _, name = logical.rpartition("/")
    bare = _LANGUAGE.sub("", name)
    if bare in _INDEXES:
        return head
    return f"{head}/{bare}" if head else bare


def _candidates(root: Path, logical: str) -> list[str]:
    """The content files below `root` that may be the page at `logical`, sorted: the files of
    its folder (a bundle's index, a section's), and those of its parent folder."""
    folder = root / logical if logical else root
    head = folder.parent if logical else None
    found = [str(folder / n) for n in _content_files(folder)]
    found += [str(head / n) for n in _content_files(head)] if head is not None else []
    return sorted(found)


def _content_files(folder: Path) -> list[str]:
    """The names of the content files in `folder` (none if it is not one)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [n for n in names if os.path.splitext(n.lower())[1] in _SUFFIXES]


def _names_in(folder: Path, stems: tuple[str, ...]) -> bool:
    """Whether `folder` holds a content file named one of `stems`, in any language."""
    for name in _content_files(folder):
        stem = os.path.splitext(name.lower())[0]
        if _LANGUAGE.sub("", stem) in stems and (folder / name).is_file():
            return True
    return False
