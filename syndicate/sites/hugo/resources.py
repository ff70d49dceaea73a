"""A page bundle's files as Hugo gives them to each translation of its page, and the featured
images whose address is known only once every post is loaded.

Hugo's rules, each checked on sites built with Hugo 0.168 (tests/test_sites_hugo.py):
- A bundle file is in the language its name gives (`cover.zh-cn.jpg`), else in its content
  folder's, else in the default language.
- On a multilingual site at one host, a file is published once, under the address of its own
  language's page of the bundle: "Hugo places the shared resources in the page bundle for the
  default content language" (https://gohugo.io/content-management/page-resources/
  #multilingual). A Markdown page gets a copy of its own with `markup.goldmark.
  duplicateResourceFiles`, and every page of a multihost site does (`duplicateResourceFiles`
  in hugolib/content_map_page_assembler.go@HUGO_COMMIT); an HTML page shares them all the same.
- A page has, of each file name (its language code left out), the file in its own language,
  else the file of the nearest language in Hugo's order (a tie: the earlier) whose page of the
  bundle is built (`findContentNodeForSiteVector` in hugolib/content_map_page_contentnode.go@
  HUGO_COMMIT; with copies of its own: of any language). Its `.Permalink` is under the
  address of the page that publishes it: `/posts/a/cover.jpg` on `/zh-cn/posts/a/`.
- The embedded templates take each `images` entry as the page's resource it matches
  (`Resources.GetMatch`: a glob against the name, then against the name without its language
  code, resources/resource/resources.go@HUGO_COMMIT), else as a URL below the site's
  (`absURL`): a path that another page's bundle may publish
  (tpl/tplimpl/embedded/templates/_partials/_funcs/get-page-images.html@HUGO_COMMIT).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, unquote, urljoin, urlsplit

from ...model import Asset, Post
from .config import CONTENT_SUFFIXES, MARKDOWN_SUFFIXES, split_name
from .posts import _glob, _language, _reading_of

if TYPE_CHECKING:
    from .. import PostRules


# Image files Hugo's `Resources.ByType "image"` holds (media types image/*).
IMAGE_SUFFIXES = (
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
    ".bmp",
    ".tif",
    ".tiff",
    ".svg",
    ".avif",
)


def shares_files(page: Path, reading: Mapping[str, Any]) -> bool:
    """Whether the translations of the page at `page` (a bundle's index file) share its
    bundle's files, each published once, rather than each having copies of its own."""
    hosts = (reading.get("urls") or {}).get("hosts")
    if not reading.get("multilingual") or hosts:
        return False
    markdown = page.suffix.lower() in MARKDOWN_SUFFIXES
    return not (markdown and reading.get("duplicate_resources"))


def page_resources(bundle: Path, page: Path, rules: PostRules) -> list[str]:
    """The images the page at `page` has of its bundle, each as its path below the bundle's
    folder (its name, language code kept: "images/cover.zh-cn.jpg"), in Hugo's order."""
    reading = _reading_of(rules)
    own = _language(page, rules.root, reading)
    shared = shares_files(page, reading)
    built = _page_languages(bundle, rules, reading) | {own}
    images = _files_below(bundle, lambda p: p.suffix.lower() in IMAGE_SUFFIXES)
    order = [str(x) for x in reading.get("language_order", [])]
    found: list[str] = []
    for files in _variants(bundle, images, rules, reading).values():
        pick = _nearest(own, [lang for lang in files if not shared or lang in built], order)
        if pick is not None:
            found.append(files[pick])
    return sorted(found)


def _files_below(bundle: Path, keep: Callable[[Path], bool]) -> list[str]:
    """The files below the bundle's folder that `keep` takes, by path: its images
    (`Resources.ByType "image"`), or every file Hugo publishes as it is."""
    try:
        return sorted(
            p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if keep(p) and p.is_file()
        )
    except OSError:
        return []


def _variants(
    bundle: Path, files: Sequence[str], rules: PostRules, reading: Mapping[str, Any]
) -> dict[str, dict[str, str]]:
    """The bundle's `files` by their path without a language code ("sub/pic.jpg"), each with
    its file for each language ("sub/pic.zh-cn.jpg" for zh-cn)."""
    languages = frozenset(str(x) for x in reading.get("languages", []))
    variants: dict[str, dict[str, str]] = {}
    for file in files:
        head, _, name = file.rpartition("/")
        plain = split_name(name, languages)[0] + os.path.splitext(name)[1]
        lang = _language(bundle / file, rules.root, reading)
        variants.setdefault(f"{head}/{plain}" if head else plain, {})[lang] = file
    return variants


def _page_languages(bundle: Path, rules: PostRules, reading: Mapping[str, Any]) -> set[str]:
    """The languages of the bundle's pages (`index.md`, `index.fr.md`) that Hugo builds."""
    languages = frozenset(str(x) for x in reading.get("languages", []))
    disabled = set(reading.get("disabled_languages", ()))
    try:
        names = os.listdir(bundle)
    except OSError:
        return set()
    found = {
        _language(bundle / name, rules.root, reading)
        for name in names
        if name.lower().endswith(CONTENT_SUFFIXES) and split_name(name, languages)[0] == "index"
    }
    return found - disabled


def _nearest(own: str, candidates: Sequence[str], order: Sequence[str]) -> str | None:
    """`own` if it is a candidate, else the candidate nearest to it in Hugo's order of the
    languages, a tie going to the earlier one (`Distance` > 0 wins in
    `findContentNodeForSiteVector`)."""
    if own in candidates:
        return own
    if own not in order:
        return None
    at = order.index(own)
    ranked = [(abs(at - order.index(c)), order.index(c) > at, c) for c in candidates if c in order]
    return min(ranked)[2] if ranked else None


# ---------------------------------------------------------------------------------------------
# Which resource the embedded templates take


def resource_names(
    found: Sequence[str], meta: Mapping[str, Any], lowered: Mapping[str, Any]
) -> dict[str, str]:
    """Each resource's name: its path in the bundle, unless front matter `resources` renames
    it (`name`, `:counter` as the first); the first entry whose `src` matches wins."""
    names = {path: path for path in found}
    resources = meta.get(lowered["resources"]) if "resources" in lowered else None
    if not isinstance(resources, list):
        return names
    for entry in resources:
        if not isinstance(entry, dict):
            continue
        options = {str(k).lower(): v for k, v in entry.items()}
        src, name = options.get("src"), options.get("name")
        if isinstance(src, str) and isinstance(name, str):
            for path in names:
                if _glob(src.lower(), path.lower()) and names[path] == path:
                    names[path] = name.replace(":counter", "1")
    return names


def featured(found: Sequence[str], names: Mapping[str, str]) -> str | None:
    """The featured image when `images` is not set: the first image resource whose name
    matches `*feature*`, else `{*cover*,*thumbnail*}` (get-page-images.html@HUGO_COMMIT)."""
    for pattern in ("*feature*", "{*cover*,*thumbnail*}"):
        for path in found:
            if _glob(pattern, names[path].lower()):
                return path
    return None


def get_match(
    pattern: str, found: Sequence[str], names: Mapping[str, str], reading: Mapping[str, Any]
) -> str | None:
    """The first resource whose name, else whose name without its language code, matches
    `pattern`: both with a leading slash, without case (`Resources.GetMatch`)."""
    glob = "/" + pattern.lstrip("/").lower()
    languages = frozenset(str(x) for x in reading.get("languages", []))
    for plain in (False, True):
        for path in found:
            name = names[path]
            if plain:
                head, _, base = name.rpartition("/")
                base = split_name(base, languages)[0] + os.path.splitext(base)[1]
                name = f"{head}/{base}" if head else base
            if _glob(glob, "/" + name.lower()):
                return path
    return None


# ---------------------------------------------------------------------------------------------
# Once every post is loaded


def settle(posts: Sequence[Post], rules: PostRules, built: Callable[[Post], bool]) -> list[Post]:
    """The posts, each with the image Hugo's page gives it once every post is known: a file
    of its bundle under the address of the translation whose page publishes it (none if that
    page is not built: Hugo's page then has no such resource); for an image whose file was
    not found (`Post.image_unfound`), the file that a built page's bundle publishes at its URL.
    `built`: whether Hugo builds a post's page."""
    reading = _reading_of(rules)
    if not reading.get("multilingual") and not any(post.image_unfound for post in posts):
        return list(posts)
    pages = _Pages(bundle_pages(posts, built))
    return [pages.settled(post, rules, reading) for post in posts]


class BundlePage(NamedTuple):
    """A built page of a bundle, as `settle` needs it of every post: the files of its bundle
    it publishes are under its address."""

    source: Path
    bundle: Path
    language: str
    permalink: str

    def row(self) -> tuple[str, str, str, str]:
        """As plain values, which the build cache keeps (`of_row`)."""
        return (str(self.source), str(self.bundle), self.language, self.permalink)

    @classmethod
    def of_row(cls, row: Sequence[str]) -> BundlePage:
        source, bundle, language, permalink = row
        return cls(Path(source), Path(bundle), language, permalink)


def bundle_pages(posts: Iterable[Post], built: Callable[[Post], bool]) -> list[BundlePage]:
    """The built pages of bundles among `posts`."""
    return [
        BundlePage(post.source, post.bundle, post.language, post.permalink)
        for post in posts
        if post.bundle is not None and built(post)
    ]


def settle_one(post: Post, pages: Iterable[BundlePage], rules: PostRules) -> Post:
    """`post` as `settle` gives it among posts whose built bundle pages are `pages` (made of
    posts holding an earlier version of it at the same address, in the same bundle and
    language, built or not as it is: the pages that publish files are those they were, so
    no other post's image or files change)."""
    return _Pages(pages).settled(post, rules, _reading_of(rules))


class _Pages:
    """The built pages of bundles: by bundle and language, by the address their files are
    under, and each bundle's languages."""

    def __init__(self, pages: Iterable[BundlePage]) -> None:
        self.pages: dict[tuple[Path, str], BundlePage] = {}
        self.at: dict[str, BundlePage] = {}
        self.languages: dict[Path, set[str]] = {}
        for page in pages:
            self.pages[(page.bundle, page.language)] = page
            self.at[urljoin(page.permalink, ".")] = page
            self.languages.setdefault(page.bundle, set()).add(page.language)

    def settled(self, post: Post, rules: PostRules, reading: Mapping[str, Any]) -> Post:
        multilingual = bool(reading.get("multilingual"))
        if post.image is None and post.image_unfound:
            post = _published_at(post, post.image_unfound, self.at, rules, reading)
        elif multilingual and _published_elsewhere(post, rules):
            post = _under_owner(post, self.pages, rules, reading)
        if multilingual and post.bundle is not None and shares_files(post.source, reading):
            built = self.languages.get(post.bundle, set())
            shared = _shared_files(post, self.pages, built, rules, reading)
            post = dataclasses.replace(post, shared_files=shared) if shared else post
        return post


def _shared_files(
    post: Post,
    pages: Mapping[tuple[Path, str], BundlePage],
    built: Collection[str],
    rules: PostRules,
    reading: Mapping[str, Any],
) -> tuple[tuple[str, str], ...]:
    """Each file of the post's bundle, by its path without language code ("sub/pic.jpg"),
    whose resource of the post's page Hugo publishes under another translation's address, with
    its URL there: its link and image render hooks, on by default on a multilingual site at one
    host, write a destination naming a resource as its `.Permalink`
    (https://gohugo.io/render-hooks/images/#default; `render-link.html` and
    `render-image.html` in tpl/tplimpl/embedded/templates/_markup@HUGO_COMMIT). A file of the
    post's own language under another name (`pic.zh.jpg` for `pic.jpg`) is not followed: it
    alone needs no other post, and the quick rebuild reads an edited post alone. `built`: the
    languages the bundle has a built page in (each a key of `pages` with the bundle)."""
    assert post.bundle is not None
    order = [str(x) for x in reading.get("language_order", [])]
    published = _files_below(post.bundle, lambda p: not p.name.lower().endswith(CONTENT_SUFFIXES))
    variants = _variants(post.bundle, published, rules, reading)
    own = urljoin(post.permalink, ".")
    found: list[tuple[str, str]] = []
    for plain, files in sorted(variants.items()):
        pick = _nearest(post.language, [lang for lang in files if lang in built], order)
        if pick is None or pick == post.language:
            continue  # none is built (the hooks leave it as written), or its own
        url = urljoin(pages[(post.bundle, pick)].permalink, ".") + quote(files[pick])
        if url != own + quote(plain):
            found.append((plain, url))
    return tuple(found)


def _published_elsewhere(post: Post, rules: PostRules) -> bool:
    """Whether the post's image is a file of its bundle that another translation's page
    publishes: read alone, the post has it under its own address."""
    image, bundle = post.image, post.bundle
    if image is None or image.path is None or bundle is None:
        return False
    reading = _reading_of(rules)
    return (
        image.path.is_relative_to(bundle)
        and shares_files(post.source, reading)
        and _language(image.path, rules.root, reading) != post.language
    )


def _under_owner(
    post: Post,
    pages: Mapping[tuple[Path, str], BundlePage],
    rules: PostRules,
    reading: Mapping[str, Any],
) -> Post:
    """The post with its bundle's image at the address of the page that publishes it."""
    image = post.image
    assert image is not None and image.path is not None and post.bundle is not None
    page = pages.get((post.bundle, _language(image.path, rules.root, reading)))
    if page is None:
        return dataclasses.replace(post, image=None)
    mine, theirs = urljoin(post.permalink, "."), urljoin(page.permalink, ".")
    if not image.url.startswith(mine):
        return post
    return dataclasses.replace(post, image=Asset(theirs + image.url[len(mine) :], image.path))


def _published_at(
    post: Post, url: str, at: Mapping[str, BundlePage], rules: PostRules, reading: Mapping[str, Any]
) -> Post:
    """The post with the file that a built page's bundle publishes at `url`, if one does: the
    nearest page whose address the URL's path starts with."""
    parts = urlsplit(url)
    host, path = f"{parts.scheme}://{parts.netloc}", parts.path
    for end in range(len(path) - 1, -1, -1):
        page = at.get(host + path[: end + 1]) if path[end] == "/" else None
        if page is None:
            continue
        file = Path(os.path.normpath(page.bundle / unquote(path[end + 1 :])))
        if _publishes(page, file, rules, reading):
            return dataclasses.replace(post, image=Asset(url, file))
    return post


def _publishes(page: BundlePage, file: Path, rules: PostRules, reading: Mapping[str, Any]) -> bool:
    """Whether `file` is one of the page's bundle that Hugo publishes under its address."""
    if not file.is_relative_to(page.bundle) or not file.is_file():
        return False
    if file.name.lower().endswith(CONTENT_SUFFIXES):
        return False  # a page of the bundle, not a file published as it is
    if not shares_files(page.source, reading):
        return True
    return _language(file, rules.root, reading) == page.language
