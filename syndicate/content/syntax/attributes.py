"""A mistune plugin: heading attributes `## Setup {#setup}`, as Hugo's goldmark reads them
(`markup.goldmark.parser.attribute.title`, on by default): the braces at the end of a heading
are taken away, `#id` becomes its id; classes and other attributes are dropped (the sanitizer
would remove them). The list must start `{#` or `{.`; anything else stays text.

Block attributes (a line `{.class}` under a paragraph, a list, a quote...) are read only where
the site's Hugo config turns `parser.attribute.block` on (`block_attributes`): the line is taken
away (its classes and ids are not published); elsewhere it stays text, as Hugo shows it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    if "{" not in getattr(state, "src", "{"):
        return  # no attribute list anywhere: most posts, at the cost of one scan
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


_ALONE = re.compile(r"\{([#.][^{}\n]*)\}[ \t]*")


def _blocks(md: mistune.Markdown, state: Any) -> None:
    """An attribute list on the line under a block is taken away (classes and ids are not
    published: the sanitizer would drop them), as Hugo takes it into the block's attributes."""
    if "{" not in getattr(state, "src", "{"):
        return
    _blocks_of(state.tokens)


def _blocks_of(tokens: list[dict[str, Any]]) -> None:
    kept: list[dict[str, Any]] = []
    for token in tokens:
        children = token.get("children")
        if isinstance(children, list):
            _blocks_of(children)
        text = token.get("text") if token.get("type") in ("paragraph", "block_text") else None
        if isinstance(text, str):
            head, _, last = text.rstrip("\n").rpartition("\n")
            alone = _ALONE.fullmatch(last.strip()) is not None
            if alone and head.strip():  # the paragraph's own last line
                token["text"] = head + "\n"
            elif alone and kept and kept[-1].get("type") != "blank_line":
                continue  # a block's attributes, on the line under it (mistune parsed it apart)
        kept.append(token)
    tokens[:] = kept


def heading_attributes(md: mistune.Markdown, blocks: bool = False) -> None:
    """The plugin: `make_markdown` adds it for the syntaxes that read heading ids, and with
    `blocks` reads block attributes too."""
    md.before_render_hooks.append(_headings)
    if blocks:
        md.before_render_hooks.insert(0, _blocks)
