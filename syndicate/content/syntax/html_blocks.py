"""kramdown's HTML blocks, for Jekyll sites: a block element runs to its own end tag.

CommonMark (and so mistune, Hugo's goldmark and Zola's pulldown-cmark) ends an HTML block such as
`<table>` at the first blank line: what follows is Markdown again, and an indented `<td>` after
a blank line becomes a code block that shows the tag. kramdown, Jekyll's Markdown, keeps the
element as it is up to its matching end tag, blank lines included (kramdown's HTML parser,
"parse_block_html" off by default). `markdown="1"` asks kramdown to read the inside as Markdown
blocks: the element's tags stay HTML and what is between them is read as Markdown. A line that
starts with a span element's tag (`<br>`, `<span>`, `<img>`) is text of a paragraph.
"""

from __future__ import annotations

import re
from typing import Any

from mistune.helpers import BLOCK_TAGS

_OPEN = r"^ {0,3}<(?P<kd_html_tag>" + "|".join(BLOCK_TAGS) + r")(?=[\s/>])"
# kramdown's span elements (`HTML_SPAN_ELEMENTS`, parser/html.rb:56-58): a line that starts
# with one is text of a paragraph, Markdown and all, where CommonMark makes the lines up to a
# blank one raw HTML (its HTML block of type 7): `<br>` over a line with a link kept the link's
# brackets. A line that starts with another tag (`<s>`, `<textarea>`) is an HTML block
# (parser/kramdown/html.rb:78).
SPAN_ELEMENTS = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "b",
        "big",
        "bdo",
        "br",
        "button",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "mark",
        "option",
        "q",
        "rb",
        "rbc",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "samp",
        "select",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "tt",
        "u",
        "var",
    ]
)
_MARKDOWN_INSIDE = re.compile(r"""\smarkdown\s*=\s*["']?(?:1|block|span)\b""", re.IGNORECASE)


def matching_end(text: str, start: int, tag: str) -> int | None:
    """Where the element whose start tag ends at or after `start` ends: past the `>` of its
    own end tag (`</u >` too), elements of the same name inside it counted (not `<u-x>`, a
    name of its own). None if it is not closed."""
    name = re.escape(tag)
    # A start tag's attributes stop at the next `<`: each try reads to the next tag at most,
    # not to the text's next `>` (a line of many `<u ` without one was quadratic).
    tags = re.compile(rf"(</{name}\s*>)|<{name}(?:\s[^<>]*?)?(/?)>", re.IGNORECASE)
    depth = 1
    for found in tags.finditer(text, start):
        if found.group(1):
            depth -= 1
        elif not found.group(2):
            depth += 1
        if depth == 0:
            return found.end()
    return None


def _markdown_inside(block: Any, state: Any, start: int, inner: int, end: int, stop: int) -> int:
    """An element with `markdown="1"`: its tags as HTML, what is between them read as Markdown
    blocks, as kramdown reads it."""
    src: str = state.src
    closing = src.rfind("<", inner, end)
    state.append_token({"type": "block_html", "raw": src[start:inner] + "\n"})
    child = state.child_state(src[inner:closing].strip("\n") + "\n")
    block.parse(child)
    for token in child.tokens:
        state.append_token(token)
    state.append_token({"type": "block_html", "raw": src[closing:stop]})
    return stop


def html_blocks(md: Any) -> None:
    """A mistune plugin: a block element is one HTML block up to the line of its end tag,
    blank lines inside and all, as kramdown reads it; one not closed is read as CommonMark
    reads it."""

    commonmark = re.compile(md.block.specification["raw_html"], md.block.sc_flag)

    def parse(block: Any, m: re.Match[str], state: Any) -> int | None:
        src: str = state.src
        tag = m.group("kd_html_tag").lower()
        opening = src[m.start() : src.find(">", m.end()) + 1]
        closed = opening.endswith("/>")  # `<p/>`: the whole element
        end = m.start() + len(opening) if closed else matching_end(src, m.end(), tag)
        line_end = -1 if end is None else src.find("\n", end)
        stop = len(src) if line_end == -1 else line_end + 1
        text = src[m.start() : stop]
        if end is not None and _MARKDOWN_INSIDE.search(opening):
            return _markdown_inside(block, state, m.start(), m.start() + len(opening), end, stop)
        if end is None:
            # Not closed: read as CommonMark reads it, up to a blank line. The rule that
            # matched first is this one, so mistune's own is asked here.
            found = commonmark.match(src, m.start())
            return block.parse_raw_html(found, state) if found else None
        # Up to the line of its end tag: the next line is Markdown again, where CommonMark
        # ran on to a blank line (nim-lang.org's `</p>` over a line with a link).
        state.append_token({"type": "block_html", "raw": text})
        return stop

    md.block.register("kramdown_html", _OPEN, parse, before="raw_html")
    md.block.register("raw_html", None, _span_lines_are_text)


def _span_lines_are_text(block: Any, m: re.Match[str], state: Any) -> int | None:
    """mistune's HTML blocks, but for a span element's tag: None, and the line is read as
    the start or part of a paragraph (kramdown's reading)."""
    tag = m.group(0).strip().lstrip("</").lower()
    if tag in SPAN_ELEMENTS:
        return None
    found: int | None = block.parse_raw_html(m, state)
    return found
