"""Relative references in posts -> absolute URLs, keeping the local file behind each one.

Feed readers and mail clients have no page to resolve a relative link against (many ignore
`xml:base`), so every URL that leaves syndicate is absolute. A reference into the static folder
(`../static/x.jpg`, as Hugo posts write it) becomes the URL the static file is published at;
anything else resolves against the post's permalink, which is also where a page bundle's own
files are published. A root-relative reference (`/about/`) resolves as a browser on the post's
page resolves it (RFC 3986, section 5.2): against the host, whatever path the site is under.

A local file stands behind a URL only when it lies inside the content or static folder (by its
path and, unless links outside are allowed, by where its symbolic links lead): the size of
`../../../outside.jpg` is never published.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from .model import Asset

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_inside(real: str, folders: Sequence[str]) -> bool:
    """Whether the path `real` is one of `folders` or lies below one of them."""
    return any(real == f or real.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def is_file(path: Path) -> bool:
    """`Path.is_file` that answers False for a name the system refuses (a segment over 255
    bytes, a NUL byte) instead of raising from inside the sanitizer's callback."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _realpath(path: Path) -> str:
    """`os.path.realpath`, with each folder's resolved once: a site's images share a few
    folders, and resolving a path costs a system call per folder in it."""
    if os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_folder(os.path.dirname(path)), os.path.basename(path))


class UrlResolver:
    def __init__(
        self,
        base_url: str,
        static_dir: Path,
        folders: Sequence[Path] = (),
        follow_links_outside: bool = False,
        root_links_from_base: bool = False,
        content_dir: Path | None = None,
    ) -> None:
        self.base_url = base_url
        self._source_is_static = content_dir is not None and content_dir == static_dir
        # `[site] root_links = "base_url"`: `/about/` is under the base URL, path included.
        self._root_from_base = root_links_from_base
        self.static_dir = static_dir
        # The folders whose files may stand behind a URL (their sizes are published).
        self._folders = tuple(os.path.normpath(f) for f in (folders or (static_dir,)))
        self._real_folders = tuple(os.path.realpath(f) for f in self._folders)
        self._follow = follow_links_outside
        # Thousands of posts name the same few images from the same few folders.
        self._static_memo: dict[tuple[str, str], tuple[str, Path | None] | None] = {}

    def usable(self, path: Path) -> bool:
        """Whether `path` is a file inside the site's content or static folder."""
        if not is_inside(os.path.normpath(path), self._folders) or not is_file(path):
            return False
        return self._follow or is_inside(_realpath(path), self._real_folders)

    def static_url(self, path: Path) -> str:
        rel = path.relative_to(self.static_dir).as_posix()
        return self.base_url + quote(rel)

    def resolve(self, ref: str, source: Path, page_url: str) -> Asset:
        """Resolve `ref`, written in the file `source` whose page is published at `page_url`."""
        ref = ref.strip()
        if not ref or _SCHEME.match(ref):
            return Asset(ref)
        if ref.startswith("//"):
            return Asset("https:" + ref)
        if ref.startswith("#"):
            return Asset(page_url + ref)
        try:
            parts = urlsplit(ref)
        except ValueError:  # `[` where a host would be: not a URL a reader could follow
            return Asset(ref)
        suffix = ref[len(parts.path) :]
        if ref.startswith("/"):
            # What a browser on the post's page fetches: under a site at /blog/, `/about/` is
            # the host's /about/, not /blog/about/; unless the generator rewrote it.
            ref = _encoded(ref)
            url = self.base_url + ref[1:] if self._root_from_base else urljoin(page_url, ref)
            return Asset(url, self._published_file(url))
        # The file's name: Markdown's renderer percent-encodes a link (`a%20b.jpg`).
        name = unquote(parts.path)
        key = (name, os.path.dirname(source))
        if key not in self._static_memo:
            found = self._local_static(name, source)
            self._static_memo[key] = (
                (self.static_url(found), found if self.usable(found) else None) if found else None
            )
        static = self._static_memo[key]
        if static is not None:
            return Asset(static[0] + suffix, static[1])
        beside = Path(os.path.normpath(source.parent / name))
        return Asset(urljoin(page_url, _encoded(ref)), beside if self.usable(beside) else None)

    def site_root(self, ref: str) -> Asset:
        """A front-matter path such as `/images/x.jpg` or `images/x.jpg`: a file of the static
        folder, published under the site's URL (`{base_url}images/x.jpg`), as themes read it."""
        rel = ref.strip().lstrip("/")
        path = urlsplit(rel).path if "?" in rel or "#" in rel else rel
        return Asset(self.base_url + _encoded(rel), self._static_file(path))

    def _published_file(self, url: str) -> Path | None:
        """The static file published at `url`, if the URL lies under the site's."""
        if not url.startswith(self.base_url):
            return None
        return self._static_file(unquote(urlsplit(url[len(self.base_url) :]).path))

    def _local_static(self, path: str, source: Path) -> Path | None:
        """The static file a relative path names, by the file system or by its `static/` prefix."""
        on_disk = Path(os.path.normpath(source.parent / path))
        # Only a file that is there: a Jekyll post's `../tables/` is a page's address, read
        # against the post's URL as the site's page reads it, not a folder of the source.
        there = not self._source_is_static or on_disk.is_file()
        if there and on_disk.is_relative_to(self.static_dir) and self._published(on_disk):
            return on_disk
        segments = [s for s in path.split("/") if s not in ("", ".", "..")]
        if len(segments) > 1 and segments[0] == self.static_dir.name:
            return self.static_dir.joinpath(*segments[1:])
        return None

    def _published(self, path: Path) -> bool:
        """Whether a file of the static folder is published. Where that folder is also the
        content folder (Jekyll's source), folders named `_x` or `.x` are not: Jekyll reads
        them (`_posts`, `_drafts`) and publishes none of their files as they are."""
        if not self._source_is_static:
            return True
        parts = path.relative_to(self.static_dir).parts[:-1]
        return not any(part.startswith(("_", ".")) for part in parts)

    def _static_file(self, rel: str) -> Path | None:
        if not rel:
            return None
        candidate = Path(os.path.normpath(self.static_dir / rel))
        return candidate if self.usable(candidate) else None


def absolute_srcset(value: str, resolve: Callable[[str], str]) -> str:
    """Resolve each candidate URL of a `srcset` value, keeping its width/density descriptor."""
    out = []
    for candidate in value.split(","):
        bits = candidate.strip().split(None, 1)
        if bits:
            out.append(" ".join([resolve(bits[0]), *bits[1:]]))
    return ", ".join(out)


def _encoded(ref: str) -> str:
    """A path as written (`/assets/a b.jpg`, `/über.png`) as a URL's: what a browser requests,
    and what a feed must hold (the W3C validator refuses a space). What is already encoded, and
    the characters a URL may hold, are kept."""
    return quote(ref, safe="/%:@!$&'()*+,;=~?#[]")
