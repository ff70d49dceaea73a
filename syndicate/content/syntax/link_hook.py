"""Hugo's embedded link render hook: a Markdown link's destination that names a page is written
as that page's address in the post's language.

On by default on a multilingual Hugo site at one host (`sites.hugo.config`, setting
`link_hook`), the hook "resolves internal Markdown destinations by looking for a matching
page, falling back to a matching page resource, then falling back to a matching global
resource" (https://gohugo.io/render-hooks/links/#default). Its template
(tpl/tplimpl/embedded/templates/_markup/render-link.html@HUGO_COMMIT) parses the destination
with `urls.Parse`; one with a scheme (`https:`, `mailto:`) or empty stays as written, a
fragment alone (`#x`) is the page's own address with it; any other has its path, without a
leading `./`, looked up with `.PageInner.GetPage` (a ref's lookup, but never by a name alone:
`RefIndex.page`), and a page found is written as its `.RelPermalink` with the destination's
query and fragment. A page resource it finds instead is `Post.shared_files`'s; a global
resource (`assets/`) is not looked for, and a destination naming nothing stays as written.
Checked with Hugo 0.168 builds.

Every destination a body may hold is looked up as its shortcodes are expanded, and kept among
its refs (`LINK_HOOK`): the HTML's cache key, and what a quick rebuild checks still holds,
name each. The rendered link is then written from those alone (`written`), so a link that the
scan here does not see (one whose destination runs over two lines) stays as written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from . import LINK_HOOK

if TYPE_CHECKING:
    from . import Context

# Where a link the hook reads may be: a body with neither is not read for links.
DELIMITERS = ("](", "]:")

# An inline link's destination (`](dest "title")`, `](<dest>)`), with one level of balanced
# parentheses; a reference definition's (`[label]: dest`), at a line's start.
_INLINE = re.compile(r"\]\([ \t]*\n?[ \t]*(?:<([^<>\n]*)>|((?:[^\s()]|\([^\s()]*\))+))")
_DEFINITION = re.compile(
    r"^[ ]{0,3}\[(?:[^\]\\\n]|\\.)+\]:[ \t]*\n?[ \t]*(?:<([^<>\n]*)>|(\S+))", re.MULTILINE
)
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark's backslash escapes


def look_up(text: str, context: Context) -> None:
    """Look up, in `context.looked_up`, each page the hook may find for a link in `text`."""
    refs, source = context.refs, context.page.source
    for path in destinations(text):
        key = LINK_HOOK + path
        if key not in context.looked_up:
            context.looked_up[key] = refs.page(path, source) if refs is not None else None


def destinations(text: str) -> set[str]:
    """The paths the hook would look up of each link destination `text` may hold, as Markdown
    reads them (backslash escapes and entities undone), images' too."""
    found: set[str] = set()
    for pattern in (_INLINE, _DEFINITION):
        for match in pattern.finditer(text):
            raw = match.group(1) if match.group(1) is not None else match.group(2)
            path = hook_path(html.unescape(_ESCAPED.sub(r"\1", raw)))
            if path is not None:
                found.add(path)
    return found


def hook_path(destination: str) -> str | None:
    """The path the hook looks a destination up at (`$u.Path`, decoded, without `./`); None
    for one it leaves alone: empty, with a scheme, a fragment alone."""
    if not destination or destination.startswith("#") or "{{" in destination:
        return None
    try:
        parts = urlsplit(destination)
    except ValueError:
        return None
    if parts.scheme:
        return None
    return unquote(parts.path).removeprefix("./")


def written(url: str, looked_up: Mapping[str, str | None]) -> str | None:
    """The address the hook writes for a link to `url` (as mistune gives it: percent-encoded),
    from what the body's expansion looked up; None where it leaves the link as written."""
    path = hook_path(url)
    if path is None:
        return None
    found = looked_up.get(LINK_HOOK + path)
    if not found:
        return None
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    return found + query + (f"#{parts.fragment}" if parts.fragment else "")
