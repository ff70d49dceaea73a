"""A mistune plugin: heading attributes `## Setup {#setup}`, as Hugo's goldmark reads them
(`markup.goldmark.parser.attribute.title`, on by default): the braces at the end of a heading
are taken away, `#id` becomes its id; classes and other attributes are dropped (the sanitizer
would remove them). The list must start `{#` or `{.`; anything else stays text.

Block attributes (`{.class}` under a paragraph) are not read: Hugo reads them only when
`parser.attribute.block` is on, and the site's Hugo config does not say that to syndicate.
"""

from __future__ import annotations

import re
from typing import Any

import mistune

_TRAILING = re.compile(r"[ \t]*\{([#.][^{}\n]*)\}[ \t]*$")
_PART = re.compile(r"""#([\w:-]+)|\.([\w-]+)|[\w-]+=(?:"[^"]*"|'[^']*'|[^\s"']+)""")


def _attributes(text: str) -> tuple[str, str | None] | None:
    """The heading's text without its attribute list, and its id; None without a valid list."""
    found = _TRAILING.search(text)
    if found is None:
        return None
    inside = found.group(1).strip()
    ident: str | None = None
    pos = 0
    while pos < len(inside):
        part = _PART.match(inside, pos)
        if part is None:
            return None
        if part.group(1):
            ident = part.group(1)
        pos = part.end()
        while pos < len(inside) and inside[pos] in " \t":
            pos += 1
    return text[: found.start()].rstrip(), ident


def _headings(md: mistune.Markdown, state: Any) -> None:
    for token in _walk(state.tokens):
        if token.get("type") != "heading" or "text" not in token:
            continue
        read = _attributes(token["text"])
        if read is None:
            continue
        token["text"], ident = read
        if ident:
            token.setdefault("attrs", {})["id"] = ident


def _walk(tokens: list[dict[str, Any]]) -> Any:
    for token in tokens:
        yield token
        children = token.get("children")
        if isinstance(children, list):
            yield from _walk(children)


def heading_attributes(md: mistune.Markdown) -> None:
    """The plugin: `make_markdown` adds it for the syntaxes that read heading ids."""
    md.before_render_hooks.append(_headings)
