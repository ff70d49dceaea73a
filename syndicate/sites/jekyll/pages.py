"""The address of a Jekyll page (a file of the site that is not a post), for `{% link %}`: its
front matter's `permalink`, else the one Jekyll makes of its path (`urls.page_path`); a
document of a collection Jekyll writes (`_docs/intro.md`) by the collection's permalink
(`urls.document_path`). A file without front matter is a static file, at its own path."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...content.frontmatter import Invalid
from ...content.split import load_front_matter, parts
from ...urls import is_inside
from .posts import settings_of
from .urls import BadUrl, document_path, escape_path, page_path, sanitize

if TYPE_CHECKING:
    from ...config import Config


def page_address(config: Config) -> Callable[[str], str | None]:
    """The URL of the page at a path below the site's source (as `{% link %}` names it, the
    extension included), or None where Jekyll publishes no page: no such file, or one in a
    folder Jekyll does not read (`_drafts`, `_includes`, `.git`...)."""
    assert config.generator is not None
    settings = settings_of(config.generator.rules.settings)
    style = str(settings["permalink"])
    markdown_ext = tuple(settings["markdown_ext"])
    collections: dict[str, str | None] = settings.get("collections", {})
    folder = str(settings.get("collections_dir", ""))
    source, base_url = config.content_dir, config.base_url
    real_source = os.path.realpath(source)

    def address(rel: str) -> str | None:
        inside = rel.removeprefix(f"{folder}/") if folder else rel
        head = inside.split("/", 1)[0]
        if head[1:] in collections and head.startswith("_"):
            return _document(rel, inside, head[1:])
        if any(part.startswith(("_", ".")) for part in rel.split("/")):
            return None
        path = source / rel
        if not path.is_file() or not is_inside(os.path.realpath(path), [real_source]):
            return None  # a link out of the site's folder is not followed
        meta = _front_matter(path)
        try:
            found = (
                page_path(rel, meta.get("permalink"), style, markdown_ext)
                if meta is not None
                else sanitize(escape_path(rel))
            )
        except BadUrl:
            return None
        return base_url + found.lstrip("/")

    def _document(rel: str, inside: str, collection: str) -> str | None:
        path = source / rel
        if not path.is_file() or not is_inside(os.path.realpath(path), [real_source]):
            return None
        meta = _front_matter(path) or {}
        try:
            found = document_path(
                inside, collection, collections[collection], meta, style, markdown_ext
            )
        except BadUrl:
            return None
        return base_url + found.lstrip("/")

    return address


def _front_matter(path: Path) -> dict[str, object] | None:
    """The page's front matter; None for a file without (a static file to Jekyll)."""
    try:
        handler, fm, _ = parts(path.read_text(encoding="utf-8-sig"))
        if handler is None:
            return None
        meta = load_front_matter(handler, fm, yaml12=False)
    except (Invalid, OSError, UnicodeDecodeError):
        return {}
    return meta if isinstance(meta, dict) else {}


__all__ = ["page_address"]
