"""The address of a Jekyll page (a file of the site that is not a post), for `{% link %}`: its
front matter's `permalink`, else the one Jekyll makes of its path (`urls.page_path`). A file
without front matter is a static file, published at its own path."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...content.frontmatter import Invalid
from ...content.split import load_front_matter, parts
from ...urls import is_inside
from .posts import settings_of
from .urls import BadUrl, escape_path, page_path, sanitize

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
    source, base_url = config.content_dir, config.base_url
    real_source = os.path.realpath(source)

    def address(rel: str) -> str | None:
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
