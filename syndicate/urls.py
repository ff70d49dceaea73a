"""Relative references in posts -> absolute URLs, keeping the local file behind each one.

Feed readers and mail clients have no page to resolve a relative link against (many ignore
`xml:base`), so every URL that leaves syndicate is absolute. A reference into the static folder
(`../static/x.jpg`, as Hugo posts write it) becomes the URL the static file is published at;
anything else resolves against the post's permalink, which is also where a page bundle's own
files are published.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

from .model import Asset

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class UrlResolver:
    def __init__(self, base_url: str, static_dir: Path) -> None:
        self.base_url = base_url
        self.static_dir = static_dir
        # Thousands of posts name the same few images from the same few folders.
        self._static_memo: dict[tuple[str, str], tuple[str, Path] | None] = {}

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
        parts = urlsplit(ref)
        suffix = ref[len(parts.path) :]
        if ref.startswith("/"):
            # Site-root-relative, as Hugo reads it: a site published under /blog/ means
            # /blog/x.jpg by /x.jpg.
            rel = ref.lstrip("/")
            return Asset(self.base_url + rel, self._static_file(parts.path.lstrip("/")))
        key = (parts.path, os.path.dirname(source))
        if key not in self._static_memo:
            found = self._local_static(parts.path, source)
            self._static_memo[key] = (self.static_url(found), found) if found else None
        static = self._static_memo[key]
        if static is not None:
            return Asset(static[0] + suffix, static[1])
        beside = Path(os.path.normpath(source.parent / parts.path))
        return Asset(urljoin(page_url, ref), beside if beside.is_file() else None)

    def _local_static(self, path: str, source: Path) -> Path | None:
        """The static file a relative path names, by the file system or by its `static/` prefix."""
        on_disk = Path(os.path.normpath(source.parent / path))
        if on_disk.is_relative_to(self.static_dir):
            return on_disk
        segments = [s for s in path.split("/") if s not in ("", ".", "..")]
        if len(segments) > 1 and segments[0] == self.static_dir.name:
            return self.static_dir.joinpath(*segments[1:])
        return None

    def _static_file(self, rel: str) -> Path | None:
        candidate = self.static_dir / rel
        return candidate if rel and candidate.is_file() else None


def absolute_srcset(value: str, resolve: Callable[[str], str]) -> str:
    """Resolve each candidate URL of a `srcset` value, keeping its width/density descriptor."""
    out = []
    for candidate in value.split(","):
        bits = candidate.strip().split(None, 1)
        if bits:
            out.append(" ".join([resolve(bits[0]), *bits[1:]]))
    return ", ".join(out)
