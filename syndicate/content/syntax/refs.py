"""`ref` and `relref` targets -> the absolute permalink of the post they name.

As Hugo's `ref` looks a page up: a path starting with "/" from the content folder, any other
first from the folder of the page that refers, then from the content folder; with or without
its extension, a bundle by its folder; case does not matter. A file of the content folder that
is not a post (a page) gets the address Hugo gives it by default (its path, as a folder). A
draft, a future post or a file that is not there is missing.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable
from pathlib import Path

from ...model import Post

_SUFFIXES = (".md", ".markdown", ".html", ".htm")
_INDEXES = ("index", "_index")


def _logical(rel: str) -> str:
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
    ) -> None:
        self.content_dir = content_dir
        self.base_url = base_url
        self._posts: dict[str, str] = {}
        self._hidden: set[str] = set()
        for post in posts:
            rel = self._rel(str(post.source))
            if rel is not None:
                self._posts[_logical(rel)] = post.permalink
        for post in unpublished:
            rel = self._rel(str(post.source))
            if rel is not None and _logical(rel) not in self._posts:
                self._hidden.add(_logical(rel))

    def _rel(self, path: str) -> str | None:
        rel = os.path.relpath(path, self.content_dir)
        if rel.startswith(".."):
            return None
        return rel.replace(os.sep, "/")

    def resolve(self, target: str, source: str) -> str | None:
        """The permalink `target` names, seen from the post file `source`; None if missing."""
        path, hashmark, fragment = target.partition("#")
        suffix = f"#{fragment}" if hashmark else ""
        if not path:
            return None
        here = self._rel(os.path.dirname(source)) or ""
        tries = [path.lstrip("/")] if path.startswith("/") else [posixpath.join(here, path), path]
        for rel in tries:
            key = _logical(posixpath.normpath(rel))
            if key in self._posts:
                return self._posts[key] + suffix
        for rel in tries:
            page = self._page(posixpath.normpath(rel))
            if page is not None:
                return page + suffix
        return None

    def _page(self, rel: str) -> str | None:
        """Hugo's default address of a content file that is not a post."""
        if rel.startswith("..") or _logical(rel) in self._hidden:
            return None
        base = self.content_dir / rel
        candidates = [base] if base.suffix.lower() in _SUFFIXES else []
        candidates += [base.with_name(base.name + s) for s in _SUFFIXES]
        candidates += [base / f"{i}{s}" for i in _INDEXES for s in _SUFFIXES]
        if not any(c.is_file() for c in candidates):
            return None
        logical = _logical(rel)
        return f"{self.base_url}{logical}/" if logical else self.base_url
