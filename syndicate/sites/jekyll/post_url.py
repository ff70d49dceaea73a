"""`{% post_url NAME %}` -> the post Jekyll 4.3.1 finds for NAME, and how it found it.

Jekyll 4.3.1's tag (lib/jekyll/tags/post_url.rb) reads NAME with `PostComparer::MATCHER`
(`^(.+/)*(\\d+-\\d+-\\d+)-(.*)$`, after one leading "/" is dropped) into a folder, a date and
a slug, then looks through `site.posts.docs` (the published posts, oldest first, a tie by
path: `Document#<=>`) twice:

1. `PostComparer#==`: the first post whose `relative_path` (below `collections_dir`) matches
   `^_posts/FOLDERDATE-SLUG\\.[^.]+|^FOLDER_posts/?DATE-SLUG\\.[^.]+` (the folder put into the
   pattern as written, the slug escaped): a post in `news/_posts/` is
   `{% post_url news/2024-03-01-name %}`;
2. else `deprecated_equality`, with a deprecation message: the first post whose `slug`
   (the front matter's, else the file name's) is SLUG and whose date (the front matter's,
   else the file name's, in the site's time zone) has NAME's year, month and day, whatever
   its folder. Several may match: the first is taken, as Jekyll takes it.

A NAME without a date, or one matched by no post, stops Jekyll's build (`PostURLError`), as
does a date `Time.parse` refuses once a post of that slug is compared with it.
"""

from __future__ import annotations

import calendar
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ...datatype import datatype
from .posts import _relative_path, settings_of

if TYPE_CHECKING:
    from ...config import Config
    from ...model import Post

# A post as the tag compares it: `relative_path`, slug, date (YYYY-MM-DD in the site's time
# zone) and permalink.
Row = tuple[str, str, str, str]
# The index's state: the published posts in `site.posts.docs` order, and the others (a name
# that matches one of those is not missing but unpublished: the hint says so).
State = tuple[list[Row], list[Row]]

# `PostComparer::MATCHER`; Ruby's `\d` is ASCII.
_MATCHER = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$", re.ASCII)
_DATE = re.compile(r"(\d+)-(\d+)-(\d+)", re.ASCII)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # Ruby's Time takes years past 9999


@datatype
class Found:
    """What the tag gives for a name: the post's permalink (None: Jekyll stops the build),
    `how` it was found, and how many posts the deprecated match found (the first is taken)."""

    url: str | None
    how: Literal["name", "date-and-slug", "missing", "unpublished", "unreadable"]
    matches: int = 0
    problem: str = ""  # why the name or its date cannot be read
    name: str = ""  # the name that finds it by its file, where the date and slug did

    def key(self) -> str | None:
        """The outcome as a post's record keeps it (its HTML and problems depend on it)."""
        if self.how == "missing":
            return None
        return f"{self.how}\0{self.url or ''}\0{self.matches}\0{self.problem}\0{self.name}"


def index(config: Config) -> Callable[[Sequence[Post], Sequence[Post]], State]:
    """How the site's posts are indexed for the tag: (published, every post) -> `State`."""
    assert config.generator is not None
    rules = config.generator.rules
    settings = settings_of(rules.settings)
    tz = config.tz
    # The collections folder, for a prefix test: the index is made at every build, and
    # `os.path.relpath` costs 5 to 15 µs a post.
    folder = Path(
        rules.root, str(settings.get("source", ".")), str(settings.get("collections_dir", ""))
    )
    prefix = os.path.normpath(folder) + os.sep

    def row(post: Post) -> Row:
        path = str(post.source)
        if path.startswith(prefix):
            rel = path[len(prefix) :].replace(os.sep, "/")
        else:
            rel = _relative_path(path, rules, settings)
        return rel, post.slug, post.date.astimezone(tz).date().isoformat(), post.permalink

    def make(published: Sequence[Post], every: Sequence[Post]) -> State:
        # `Document#<=>`: by date, a tie by path (bytes, as Ruby compares strings)
        ordered = sorted(published, key=lambda p: (p.date, str(p.source).encode()))
        shown = {id(p) for p in published}
        return [row(p) for p in ordered], [row(p) for p in every if id(p) not in shown]

    return make


def find(state: Any, name: str) -> Found:
    """The post `{% post_url name %}` names (`name` as the tag's argument, stripped)."""
    published, hidden = state
    named = _MATCHER.match(name.removeprefix("/"))
    if named is None:
        return Found(None, "unreadable", problem="it holds no date and title")
    folder, date, slug = named.group(1) or "", named.group(2), named.group(3)
    try:
        # The folder goes into the pattern as written, as in `PostComparer#initialize`.
        pattern = re.compile(
            f"_posts/{folder}{date}-{re.escape(slug)}\\.[^.]+|{folder}_posts/?{date}-"
            f"{re.escape(slug)}\\.[^.]+"
        )
    except re.error:
        return Found(None, "unreadable", problem="its folder is not a valid pattern")
    for rel, _, _, url in published:
        if pattern.match(rel):
            return Found(url, "name")
    alike = [r for r in published if r[1] == slug]
    if not alike:
        return _hidden(hidden, pattern, slug, date)
    day = _post_date(date)  # parsed only now, as Jekyll parses it lazily
    if day is None:
        return Found(None, "unreadable", problem=f"its date {date!r} is not a date")
    matches = [(rel, url) for rel, _, on, url in alike if on == day]
    if not matches:
        return _hidden(hidden, pattern, slug, date)
    rel, url = matches[0]
    return Found(url, "date-and-slug", len(matches), name=_own_name(rel))


def _own_name(rel: str) -> str:
    """The name `post_url` finds a post by without the deprecated match: its folder below the
    collections folder and its file name, `news/_posts/2024-03-01-item.md` ->
    `news/2024-03-01-item` (`PostComparer`'s pattern, `{folder}_posts/{date}-{slug}`)."""
    folder, _, file = rel.rpartition("_posts/")
    return folder + file.rsplit(".", 1)[0]


def _hidden(hidden: Sequence[Row], pattern: re.Pattern[str], slug: str, date: str) -> Found:
    """`missing`, or `unpublished` when a post that is not published has that name."""
    day = _post_date(date)
    for rel, own, on, _ in hidden:
        if pattern.match(rel) or (own == slug and on == day):
            return Found(None, "unpublished")
    return Found(None, "missing")


def _post_date(text: str) -> str | None:
    """`PostComparer#post_date`: `Time.parse(date).localtime`'s day, as Ruby reads
    `YEAR-MONTH-DAY`: a year of one or two digits in 1969..2068; a month 1..12; a day 1..31,
    past the month's end counted on into the next (2023-02-29 is March 1st); None where
    Ruby raises ArgumentError."""
    found = _DATE.fullmatch(text)
    if found is None:
        return None
    digits, month, day = found.group(1), int(found.group(2)), int(found.group(3))
    year = int(digits)
    if len(digits) <= 2:
        year += 1900 if year >= 69 else 2000
    if not 1 <= month <= 12 or not 1 <= day <= 31 or len(found.group(3)) > 2:
        return None
    last = _DAYS[month - 1] + (month == 2 and calendar.isleap(year))
    if day > last:
        day -= last
        month += 1
    return f"{year:04d}-{month:02d}-{day:02d}"


__all__ = ["Found", "State", "find", "index"]
