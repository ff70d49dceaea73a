"""jekyll-relative-links: a post's Markdown links to files of the site, by their paths
(`[next](2024-02-09-next.md)`, `[team](../_pages/team.md#join)`), as the addresses of those
files' pages, as the plugin rewrites them before Jekyll renders the post.

Followed: lib/jekyll-relative-links/generator.rb of benbalter/jekyll-relative-links v0.8.0
(lines cited below); the results checked against Jekyll 4.3.1 builds with the plugin. It runs
on the post's text before Liquid and kramdown, code included, with its own pattern: an inline
link or image `[text](path#fragment "title")` on one line, or a reference definition
`[label]: path` on a line of its own. A path that is not a fragment nor an absolute URL is
read from the post's folder (from the site's top when it starts with `/`), percent-decoded; the
file of the site at that path (a post, a page, a document of a written collection, a static
file) gives its page's address, the fragment and title kept. Any other link stays as written.
Posts are rewritten only with `relative_links: {collections: true}` (the plugin's `collections`
option: without it, it rewrites pages only, lines 43-44), unless `enabled: false` or the post
is in `exclude`.

The pattern is not run by a regular-expression engine: a backtracking one (Python's `re`) takes
exponential time on some texts, 25 s for a line of 25 `![a]`, and a post must never stop the
build. `links` finds the matches the engine finds, in O(n log n) (see `_Scan`).

Not followed: the plugin's hook on the rendered page (hooks.rb, new in v0.8.0), which gives
`<a href="x.md">` written as HTML, or made by kramdown of a link the pattern above does not
match (`[a](<x.md>)`), the page's address without `baseurl`: those stay as written.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote_plus

from ...datatype import datatype

# Where a link the plugin reads may be: what a body must hold to be read at all.
DELIMITERS = ("](", "]: ")

# The plugin's pattern (generator.rb:17-23), which `gsub` runs over the post:
#   TEXT       ((?:!\[[^\]]*\](?:\([^\)]*\))?|(?!\]\().)*?)
#   FRAGMENT   (#.+?|)?
#   TITLE      (\s+"(?:\\"|[^"])*(?<!\\)"|\s+"(?:\\'|[^'])*(?<!\\)')?
#   INLINE     \[TEXT\]\(([^)]+?)FRAGMENT TITLE\)
#   REFERENCE  ^\s*?\[TEXT\]: (.+?)FRAGMENT TITLE\s*?$
#   LINK       (INLINE|REFERENCE)
# Ruby's `\s` is ASCII whitespace, its `^` and `$` a line's, its `.` anything but a newline. Note
# TITLE's second branch: opened by `"`, closed by `'`.
_SPACE = " \t\n\r\f\v"
_SPACES = r"[ \t\n\r\f\v]+"
# Where a walk over TEXT stops, but at a line's end: its end (`](`, `]: `), an image (no two
# overlap: none starts with a character another has after its first).
_STOP = r"\]\(|\]: |!\["
_CLOSE_QUOTES = (r'(?<!\\)"', r"(?<!\\)'")  # TITLE's closing quote, in each of its branches

# Addressable's URI pattern takes what is before the first `:` as the scheme, and refuses one
# not of this form (addressable 2.8 uri.rb, `URIREGEX`, `scheme=`): an absolute URL has one.
_SCHEME = re.compile(r"([^:/?#]+):")
_VALID_SCHEME = re.compile(r"[a-z][a-z0-9.+-]*", re.IGNORECASE)

# A path below the site's folder -> the absolute address of its page, or None (no page).
Lookup = Callable[[str], "str | None"]


@datatype
class Rules:
    """The site's use of the plugin for its posts: the extensions of its Markdown files (the
    plugin reads only those, generator.rb:47) and `relative_links.exclude`."""

    markdown_ext: tuple[str, ...]
    exclude: tuple[str, ...] = ()

    def applies(self, rel: str) -> bool:
        """Whether the plugin rewrites the post at `rel` below the site's folder."""
        from ...sites.jekyll.posts import glob_include

        if posixpath.splitext(rel)[1].lower() not in self.markdown_ext:
            return False
        return not (self.exclude and glob_include(self.exclude, rel))


def rewrite(text: str, folder: str, lookup: Lookup) -> str:
    """`text` with each link the plugin rewrites as the address `lookup` gives its path;
    `folder` is the post's, below the site's (`File.dirname(relative_path)`, line 56)."""
    parts, kept = [], 0
    for link in links(text):
        written = _rewritten(link, folder, lookup)
        if written is not None:
            parts += [text[kept : link.start], written]
            kept = link.end
    return "".join([*parts, text[kept:]])


def _rewritten(link: Link, folder: str, lookup: Lookup) -> str | None:
    """The plugin's replacement of `link`; None where it keeps the link as written."""
    if not replaceable(link.path):
        return None
    target = path_from_root(unquote_plus(link.path), folder)
    url = lookup(target) if target is not None else None
    if url is None:
        return None
    url += link.fragment  # lines 134-143
    if link.inline:
        return f"[{link.text}]({url}{link.title})"
    return f"\n[{link.text}]: {url}{link.title}"


def replaceable(path: str) -> bool:
    """Neither a fragment nor an absolute URL (lines 145-159)."""
    if path.startswith("#"):
        return False
    scheme = _SCHEME.match(path)
    return scheme is None or _VALID_SCHEME.fullmatch(scheme.group(1)) is None


def path_from_root(path: str, folder: str) -> str | None:
    """The path below the site's folder a link's path names: from `folder`, or from the top
    for one starting with `/` (lines 125-132, `File.expand_path`); None out of the site."""
    if path.startswith("~"):
        return None  # `File.expand_path` reads it as a home folder: never the site's
    if path.startswith("/"):
        path, folder = path[1:], ""
    found = posixpath.normpath(posixpath.join(folder, path))
    if found == "." or found.startswith(("/", "../")) or found == "..":
        return None
    return found


@datatype
class Link:
    """A match of the plugin's pattern, `text[start:end]`: an inline link or image (`inline`,
    the plugin's test of line 83: an empty text is Ruby's true too) or a reference definition,
    with the groups the plugin reads (`fragment` and `title` empty where the match has none)."""

    start: int
    end: int
    inline: bool
    text: str
    path: str
    fragment: str
    title: str


def links(text: str) -> Iterator[Link]:
    """The matches of the plugin's pattern in `text`, each searched from the last one's end,
    as `gsub` finds them."""
    scan = _Scan(text)
    end = 0
    for bracket in scan.places(r"\["):  # each match opens its TEXT with one
        if bracket >= end and (link := scan.link_at(bracket, end)) is not None:
            yield link
            end = link.end


class _Scan:
    """The matches a backtracking engine finds, found without backtracking.

    The engine tries the pattern at each place of the text in turn and takes the first success
    in the order it tries: an alternation's branches in order, a lazy `*?` or `+?` what follows
    before one more item, a greedy `?` the item before none. Tried so, TEXT is exponential: an
    image `![a]` is one item or four characters, and a line of them is cut every way before the
    engine gives up. But what follows TEXT (`](`..., `]: `...) succeeds or fails by where TEXT
    ends alone: the engine's search is a walk over places, each place's next ones tried in
    order (after the image with its `(...)`, after the image without, after one character),
    and a place that led nowhere from one start leads nowhere from any (`_dead`): each place is
    walked from once in the whole text (for INLINE, and for REFERENCE). PATH, FRAGMENT and
    TITLE each end at the first place where what follows them succeeds, which is looked up.

    A lookup bisects the places of a character (or of a few) in the text, found once by `re` in
    linear time. Each place is looked up a bounded number of times (a fragment's `#` once, in
    its own match): O(n log n) in all."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self._places: dict[str, list[int]] = {}
        self._runs: list[int] | None = None
        # TEXT's places walked from, for INLINE (True) and REFERENCE (False): none led to an
        # end what follows accepted, but those a search that succeeded went through, all before
        # its match's end, where the next search starts.
        self._dead: dict[bool, set[int]] = {True: set(), False: set()}
        self._titles: dict[bool, list[tuple[int, int, int]]] = {}

    # --- the places of characters -----------------------------------------------------------

    def places(self, pattern: str) -> list[int]:
        """Where `pattern` (a few characters, no two matches overlapping) matches, in order."""
        found = self._places.get(pattern)
        if found is None:
            found = self._places[pattern] = [m.start() for m in re.finditer(pattern, self.text)]
        return found

    def next(self, pattern: str, at: int) -> int:
        """The first place `pattern` matches at or after `at`; the text's size if none."""
        found = self.places(pattern)
        i = bisect.bisect_left(found, at)
        return found[i] if i < len(found) else self.size

    def run(self, at: int) -> tuple[int, int] | None:
        """The run of whitespace holding `at`, as (start, end)."""
        if self._runs is None:  # each run's start and end, in order
            found = re.finditer(_SPACES, self.text)
            self._runs = [i for m in found for i in m.span()]
        i = bisect.bisect_right(self._runs, at)
        return (self._runs[i - 1], self._runs[i]) if i % 2 else None

    # --- where a match starts, and its TEXT -------------------------------------------------

    def link_at(self, bracket: int, end: int) -> Link | None:
        """The match opening its TEXT with the `[` at `bracket`, from the first place at or
        after `end` (INLINE at the bracket, REFERENCE where a line starts before it)."""
        line = self.line_start(bracket, end)
        if line is not None and line < bracket:
            return self.reference(line, bracket) or self.inline(bracket)
        found = self.inline(bracket)
        if found is None and line == bracket:
            found = self.reference(line, bracket)
        return found

    def line_start(self, bracket: int, end: int) -> int | None:
        r"""Where `^\s*?` reaching `bracket` first starts at or after `end`: a line's start
        with only whitespace (newlines too) between it and the bracket."""
        first = bracket
        while first > end and self.text[first - 1] in _SPACE:  # each run is before one bracket
            first -= 1
        if first == 0 or self.text[first - 1] == "\n":
            return first
        newline = self.next("\n", first)
        return newline + 1 if newline < bracket else None

    def inline(self, bracket: int) -> Link | None:
        """INLINE with its TEXT at `bracket + 1`."""
        text_end = self.text_end(bracket + 1, inline=True)
        if text_end is None:
            return None
        return self.link(bracket, bracket + 1, text_end, text_end + 2, inline=True)

    def reference(self, line: int, bracket: int) -> Link | None:
        """REFERENCE from `line`, its TEXT at `bracket + 1`."""
        text_end = self.text_end(bracket + 1, inline=False)
        if text_end is None:
            return None
        return self.link(line, bracket + 1, text_end, text_end + 3, inline=False)

    def text_end(self, start: int, *, inline: bool) -> int | None:
        """Where TEXT from `start` ends in the engine's first success: the first place, in the
        engine's order, where `](` (INLINE) or `]: ` (REFERENCE) starts what follows."""
        dead = self._dead[inline]
        todo = [start]  # the places to walk from, the next one last
        while todo:
            node = todo.pop()  # up to the next stop, a character is the only item
            at = min(self.next(_STOP, node), self.next("\n", node))
            if at in dead:  # walked from already: nothing before it is walked from after it
                continue
            dead.add(at)
            if self.text.startswith("](", at):  # where no character item goes
                if inline and self.path_closes(at + 2):
                    return at
            elif self.text.startswith("]: ", at):
                if not inline and self.text[at + 3 : at + 4] not in ("", "\n"):
                    return at  # `(.+?)` then succeeds at the latest at the line's end
                todo.append(at + 1)
            elif self.text.startswith("![", at):
                todo += [at + 1, *reversed(self.image_ends(at))]
        return None

    def image_ends(self, at: int) -> list[int]:
        r"""Where TEXT's image item `!\[[^\]]*\](?:\([^\)]*\))?` from `at` may end, in the
        engine's order: each class runs to the first character it excludes."""
        bracket = self.next(r"\]", at + 2)
        if bracket == self.size:
            return []
        if self.text.startswith("(", bracket + 1):
            paren = self.next(r"\)", bracket + 2)
            if paren < self.size:
                return [paren + 1, bracket + 1]
        return [bracket + 1]

    def path_closes(self, start: int) -> bool:
        r"""Whether INLINE's `([^)]+?)...\)` succeeds from `start`: a character, then a `)`
        (the first one closes it, with no fragment nor title)."""
        paren = self.next(r"\)", start)
        return start < paren < self.size

    # --- what follows TEXT ------------------------------------------------------------------

    def link(self, start: int, text: int, text_end: int, path: int, *, inline: bool) -> Link:
        """The match from `start`, its TEXT from `text` to `text_end`, its PATH from `path`."""
        path_end, fragment_end = self.path_end(path, inline=inline)
        after = self.after_path(fragment_end, inline=inline)
        assert after is not None  # where path_end found it
        title, end = after
        return Link(
            start=start,
            end=end,
            inline=inline,
            text=self.text[text:text_end],
            path=self.text[path:path_end],
            fragment=self.text[path_end:fragment_end],
            title=title,
        )

    def path_end(self, start: int, *, inline: bool) -> tuple[int, int]:
        """Where PATH from `start` ends, and FRAGMENT after it: the first place after PATH's
        first character where a fragment, or TITLE and what follows it, succeed."""
        plain = self.title_start(start + 1, inline=inline)
        assert plain is not None  # at the latest at the `)` or the line's end text_end saw
        hashes = self.places("#")
        for i in range(bisect.bisect_left(hashes, start + 1), len(hashes)):
            if (at := hashes[i]) >= plain:
                break
            if (fragment_end := self.fragment_end(at, inline=inline)) is not None:
                return at, fragment_end
        return plain, plain

    def fragment_end(self, at: int, *, inline: bool) -> int | None:
        """Where FRAGMENT's `#.+?` from `at` ends: after one character or more of its line,
        where TITLE and what follows it first succeed."""
        line_end = self.next("\n", at + 1)
        end = self.title_start(at + 2, inline=inline) if at + 2 <= line_end else None
        return end if end is not None and end <= line_end else None

    def title_start(self, at: int, *, inline: bool) -> int | None:
        """The first place at or after `at` where TITLE and what follows it succeed."""
        titles = self.titles(inline=inline)
        i = bisect.bisect_right(titles, at, key=_quote)
        found = [max(titles[i][0], at)] if i < len(titles) else []
        if inline:
            found += [paren] if (paren := self.next(r"\)", at)) < self.size else []
        else:  # no title: `\s*?$`, from the whitespace that ends the line
            line_end = self.next("\n", at)
            run = self.run(line_end - 1) if line_end > at else None
            found.append(max(at, run[0]) if run else line_end)
        return min(found, default=None)

    def after_path(self, at: int, *, inline: bool) -> tuple[str, int] | None:
        """TITLE (empty if none) and the match's end, read from `at`; None if what follows
        PATH and FRAGMENT fails there."""
        titles = self.titles(inline=inline)
        i = bisect.bisect_right(titles, at, key=_quote)
        if i < len(titles) and titles[i][0] <= at:
            close = titles[i][2]
            title, rest = self.text[at : close + 1], close + 1
        elif self.closes(at, inline=inline):
            title, rest = "", at
        else:
            return None
        return title, rest + 1 if inline else self.next("\n", rest)

    def closes(self, at: int, *, inline: bool) -> bool:
        r"""Whether what follows TITLE succeeds at `at`: `\)`, or `\s*?$`."""
        if inline:
            return self.text.startswith(")", at)
        run = self.run(at)
        return self.next("\n", at) <= (run[1] if run else at)

    def titles(self, *, inline: bool) -> list[tuple[int, int, int]]:
        r"""The runs of whitespace TITLE (`\s+"`) succeeds from, followed by what follows it:
        each run's start, its end (the opening `"`) and the closing quote of the first of
        TITLE's branches that succeeds."""
        found = self._titles.get(inline)
        if found is not None:
            return found
        found = self._titles[inline] = []
        for quote in self.places('"'):
            start = quote
            while start and self.text[start - 1] in _SPACE:  # each run is before one quote
                start -= 1
            if start == quote:
                continue
            # `(?:\\"|[^"])*(?<!\\)"`: up to the first quote with no `\` before it
            for close in (self.next(pattern, quote + 1) for pattern in _CLOSE_QUOTES):
                if close < self.size and self.closes(close + 1, inline=inline):
                    found.append((start, quote, close))
                    break
        return found


def _quote(title: tuple[int, int, int]) -> int:
    return title[1]


__all__ = [
    "DELIMITERS",
    "Link",
    "Lookup",
    "Rules",
    "links",
    "path_from_root",
    "replaceable",
    "rewrite",
]
