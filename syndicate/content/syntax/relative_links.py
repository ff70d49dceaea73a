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

Not followed: the plugin's hook on the rendered page (hooks.rb, new in v0.8.0), which gives
`<a href="x.md">` written as HTML, or made by kramdown of a link the pattern above does not
match (`[a](<x.md>)`), the page's address without `baseurl`: those stay as written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import unquote_plus

from ...datatype import datatype

# Where a link the plugin reads may be: what a body must hold to be read at all.
DELIMITERS = ("](", "]: ")

# generator.rb:17-23, as written (Ruby's `\s` is ASCII whitespace: `re.ASCII`; its `^` and `$`
# are a line's: `re.MULTILINE`; its `.` is not a newline, as Python's).
_LINK_TEXT = r"((?:!\[[^\]]*\](?:\([^\)]*\))?|(?!\]\().)*?)"
_FRAGMENT = r"(#.+?|)?"
_TITLE = r"""(\s+"(?:\\"|[^"])*(?<!\\)"|\s+"(?:\\'|[^'])*(?<!\\)')?"""
_INLINE = rf"\[{_LINK_TEXT}\]\(([^)]+?){_FRAGMENT}{_TITLE}\)"
_REFERENCE = rf"^\s*?\[{_LINK_TEXT}\]: (.+?){_FRAGMENT}{_TITLE}\s*?$"
LINK = re.compile(rf"({_INLINE}|{_REFERENCE})", re.MULTILINE | re.ASCII)
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

    def replace(found: re.Match[str]) -> str:
        inline = found.group(2) is not None  # line 83; an empty text is Ruby's true too
        text, path, fragment, title = found.group(*((2, 3, 4, 5) if inline else (6, 7, 8, 9)))
        if not replaceable(path):
            return found.group()
        target = path_from_root(unquote_plus(path), folder)
        url = lookup(target) if target is not None else None
        if url is None:
            return found.group()
        url += fragment or ""  # lines 134-143
        return f"[{text}]({url}{title or ''})" if inline else f"\n[{text}]: {url}{title or ''}"

    return LINK.sub(replace, text)


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


__all__ = [
    "DELIMITERS",
    "LINK",
    "Lookup",
    "Rules",
    "path_from_root",
    "replaceable",
    "rewrite",
]
