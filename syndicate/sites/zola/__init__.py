"""Zola: its config file -> syndicate's settings (`config`); its pages with a date -> posts
(`posts`), with the dates (`dates`) and paths (`paths`) Zola gives them; its built-in feeds ->
syndicate's feed addresses (`feeds`).

Zola publishes no binary any registry here carries, so every rule is taken from its
documentation (https://www.getzola.org/documentation/) and checked against its source,
getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9 (v0.22.1+); each module cites both.
"""

from .config import NAME, detect, read
from .dates import DATE_FORMS
from .feeds import address_name, feed_order, pages_in_feeds
from .posts import adapt, find_posts

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
