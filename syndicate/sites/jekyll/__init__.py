"""Jekyll (https://jekyllrb.com): its `_config.yml` in syndicate's terms, the files it publishes
as posts, and their front matter read as Jekyll reads it.

- `config`: `_config.yml` (or `.yaml`, `.toml`) -> `SiteSettings`, jekyll-feed's feed files.
- `posts`: the `posts` collection (`_posts`, `_drafts`) and `adapt`.
- `dates`: the date forms Jekyll's `Time.parse` reads that posts are written in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .. import GeneratorName, SiteSettings
from . import config, dates
from .posts import adapt, find_posts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...config import Config
    from ...errors import Report
    from ...model import Post

NAME: GeneratorName = "jekyll"
DATE_FORMS: tuple[str, ...] = dates.FORMS


def detect(root: Path) -> Path | None:
    """`_config.yml` (else `_config.yaml`, else `_config.toml`) in `root`: the file Jekyll
    reads. No other generator and no syndicate config uses these names."""
    return config.config_file(root)


def read(root: Path, environment: str) -> SiteSettings:
    """The site's config in syndicate's terms; raises ConfigError (`file: key: message`)."""
    return config.read(root, environment)


def address_name(name: str, kind: str, settings: SiteSettings) -> str:
    """A category or tag as jekyll-feed writes it in a feed's path: as written in
    `feed.categories` or `feed.tags.only` (generator.rb at v0.17.0: `"/feed/#{category}.xml"`,
    `"#{tags_path}#{tag}.xml"`; the page's URL is escaped, its file is not). Jekyll has no
    section feeds: a section's name is kept as it is too."""
    return name


def feed_order(posts: Sequence[Post]) -> list[Post]:
    """jekyll-feed lists `site.posts` newest first, as syndicate orders them."""
    return list(posts)


def pages_in_feeds(config: Config, report: Report) -> int:
    """jekyll-feed's feeds that syndicate continues list the posts collection only
    (`site[page.collection]` with collection "posts", or `site.tags[tag]`, which holds posts):
    no page is left out. Its feeds of other collections are named in `SiteSettings.notes`."""
    return 0


__all__ = [
    "DATE_FORMS",
    "NAME",
    "adapt",
    "address_name",
    "detect",
    "feed_order",
    "find_posts",
    "pages_in_feeds",
    "read",
]
