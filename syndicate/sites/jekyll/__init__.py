"""Jekyll (https://jekyllrb.com): its `_config.yml` in syndicate's terms, the files it publishes
as posts, and their front matter read as Jekyll reads it.

- `config`: `_config.yml` (or `.yaml`, `.toml`) -> `SiteSettings`, jekyll-feed's feed files.
- `posts`: the `posts` collection (`_posts`, `_drafts`) and `adapt`.
- `dates`: the date forms Jekyll's `Time.parse` reads that posts are written in.
"""

from __future__ import annotations

from pathlib import Path

from .. import GeneratorName, SiteSettings
from . import config, dates
from .posts import adapt, find_posts

NAME: GeneratorName = "jekyll"
DATE_FORMS: tuple[str, ...] = dates.FORMS


def detect(root: Path) -> Path | None:
    """`_config.yml` (else `_config.yaml`, else `_config.toml`) in `root`: the file Jekyll
    reads. No other generator and no syndicate config uses these names."""
    return config.config_file(root)


def read(root: Path, environment: str) -> SiteSettings:
    """The site's config in syndicate's terms; raises ConfigError (`file: key: message`)."""
    return config.read(root, environment)


__all__ = ["DATE_FORMS", "NAME", "adapt", "detect", "find_posts", "read"]
