"""The address of a Jekyll page (a file of the site that is not a post), for `{% link %}`: its
front matter's `permalink`, else the one Jekyll makes of its path (`urls.page_path`); a
document of a collection Jekyll writes (`_docs/intro.md`) by the collection's permalink
(`urls.document_path`). A file without front matter is a static file, at its own path."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from ...content.split import read_front_matter
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
        collection = head[1:] if head.startswith("_") and head[1:] in collections else None
        if collection is None and any(part.startswith(("_", ".")) for part in rel.split("/")):
            return None
        path = source / rel
        if not path.is_file() or not is_inside(os.path.realpath(path), [real_source]):
            return None  # a link out of the site's folder is not followed
        meta = read_front_matter(path, yaml12=False)
        try:
            if collection is not None:
                own = collections[collection]
                found = document_path(inside, collection, own, meta or {}, style, markdown_ext)
            elif meta is None:  # a static file
                found = sanitize(escape_path(rel))
            else:
                found = page_path(rel, meta.get("permalink"), style, markdown_ext)
        except BadUrl:
            return None
        return base_url + found.lstrip("/")

    return address


__all__ = ["page_address"]
