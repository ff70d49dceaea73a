"""Hugo: its config merged as `hugo` merges it, the pages it publishes as posts, and its front
matter in syndicate's terms.

Documentation followed (each rule below cites the page or the source file it comes from):
- https://gohugo.io/configuration/introduction/ (config file names and the config directory),
- https://gohugo.io/content-management/front-matter/ and
  https://gohugo.io/configuration/front-matter/ (date sources, `:filename`),
- https://gohugo.io/methods/site/mainsections/ (main sections and their fallback),
- https://gohugo.io/content-management/page-bundles/ (leaf and branch bundles),
- https://gohugo.io/content-management/build-options/ (`build.list`, headless bundles),
- https://gohugo.io/content-management/front-matter/#cascade (cascade and its target),
- https://gohugo.io/templates/rss/ (feed files, `disableKinds`, the RSS output format),
and gohugoio/hugo@7b5199fdeff7d7682e9f979f468d55bc7b67b934 (written HUGO_COMMIT below), with
spf13/cast@fc73346bfc4e6597bc520fb6eea04360299e77d2 (v1.10.0, the version Hugo's go.mod uses)
for the date forms.
"""

from __future__ import annotations

from .addresses import address_name, feed_order, pages_in_feeds
from .config import detect, read
from .dates import DATE_FORMS
from .posts import adapt, find_posts

NAME = "hugo"
# The commit of Hugo's source that comments cite as `file@HUGO_COMMIT`.
HUGO_COMMIT = "gohugoio/hugo@7b5199fdeff7d7682e9f979f468d55bc7b67b934"

__all__ = [
    "DATE_FORMS",
    "HUGO_COMMIT",
    "NAME",
    "adapt",
    "address_name",
    "detect",
    "feed_order",
    "find_posts",
    "pages_in_feeds",
    "read",
]
