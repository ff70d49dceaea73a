"""kramdown's span HTML, for Jekyll sites: what `<u>`, `<kbd>`, `<mark>`... hold stays as written.

kramdown reads Markdown (emphasis, links, smart quotes, typographic symbols) inside an HTML
element in a paragraph only when the element's content model is not raw
(lib/kramdown/parser/kramdown/html.rb:121-125, with `parse_span_html`, on by default). The
model is span for `a`, `em`, `span`, `sup`... and block for `div`, `details`...
(lib/kramdown/parser/html.rb:37-43); it is raw for `code`, `kbd`, `samp`, `var` (line 44) and
for every element those lists do not name (line 48: the default), such as `u`, `mark`, `s`,
`time` or a custom element. A raw element's content is kept as written, up to its end tag
(`</u >` too; one of the same name inside counted; the rest of the paragraph if there is none).
`markdown="span"` on the tag asks for Markdown inside, `markdown="0"` for none; `markdown="1"`
keeps the element's own model (html.rb:126-137). CommonMark reads Markdown between any inline
tags: crystal-lang.org's `<u>It's a lot faster</u>` became `It’s` in the feed, not `It's`.
"""

from __future__ import annotations

import re
from typing import Any

from .html_blocks import matching_end

# kramdown's tag (HTML_TAG_RE, parser/html.rb:33; REXML's name): a name, attributes with a
# word or a quoted value, and `/` before `>` for an element written closed. Each attribute is
# an atomic group, as there: a quoted value ends at its first closing quote, which keeps a
# long tag with no `>` from being tried in every way its quotes could pair (exponential).
_NAME = r"[\w:][\w:.-]*"
_ATTRIBUTE = rf"""(?>\s+{_NAME}(?:\s*=\s*(?:\w+|(?P<kd_span_q>["'])(?s:.*?)(?P=kd_span_q)))?)"""
_TAG = rf"<(?P<kd_span_tag>(?>{_NAME}))(?P<kd_span_attrs>{_ATTRIBUTE}*)\s*(?P<kd_span_closed>/)?>"
# The elements whose content kramdown reads as Markdown: its span and block content models
# (HTML_CONTENT_MODEL_SPAN and _BLOCK, parser/html.rb:37-43).
_MARKDOWN_MODEL = frozenset(
    [
        *("a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn"),
        *("dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend"),
        *("optgroup", "p", "q", "rb", "rbc", "rp", "rt", "rtc", "ruby", "select", "small"),
        *("span", "strong", "sub", "sup", "th", "tt", "address", "applet", "article", "aside"),
        *("blockquote", "body", "dd", "details", "div", "dl", "fieldset", "figure"),
        *("figcaption", "footer", "form", "header", "hgroup", "iframe", "li", "main", "map"),
        *("menu", "nav", "noscript", "object", "section", "summary", "td"),
    ]
)
# Elements kramdown writes out as text when they stand in a paragraph (HTML_BLOCK_ELEMENTS,
# parser/html.rb:59-62, read at parser/kramdown/html.rb:112), and those that have no content
# (HTML_ELEMENTS_WITHOUT_BODY, line 63): left to mistune's own reading.
_NOT_HERE = frozenset(
    [
        *("address", "article", "aside", "applet", "body", "blockquote", "caption", "col"),
        *("colgroup", "dd", "div", "dl", "dt", "fieldset", "figcaption", "footer", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "head"),
        *("iframe", "legend", "menu", "li", "main", "map", "nav", "ol", "optgroup", "p", "pre"),
        *("section", "summary", "table", "tbody", "td", "th", "thead", "tfoot", "tr", "ul"),
        *("area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen"),
        *("link", "meta", "param", "source", "track", "wbr"),
    ]
)
_MARKDOWN_ATTRIBUTE = re.compile(r"""\smarkdown\s*=\s*(?:(\w+)|(["'])(.*?)\2)""", re.DOTALL)


def kramdown_spans(md: Any) -> None:
    """A mistune plugin: an element of kramdown's raw content model, from its start tag to
    its end tag, is one piece of HTML, its content as written."""
    commonmark = re.compile(md.inline.specification["inline_html"])

    def parse(inline: Any, m: re.Match[str], state: Any) -> int | None:
        name = m.group("kd_span_tag").lower()
        if name in _NOT_HERE or _reads_markdown(m):
            # The rule that matched is this one: mistune's own is asked, and reads the tag
            # alone, the Markdown after it too.
            found = commonmark.match(state.src, m.start())
            return inline.parse_inline_html(found, state) if found else None
        return _raw_element(m, name, state)

    md.inline.register("kramdown_span_html", _TAG, parse, before="inline_html", start_chars="<")


def _raw_element(m: re.Match[str], name: str, state: Any) -> int:
    """The element whose start tag `m` found, as one piece of HTML; where it ends."""
    src: str = state.src
    if m.group("kd_span_closed"):
        # `<u/>` is an empty element: kramdown writes `<u></u>` (converter/html.rb:203), where
        # a browser would take `<u/>` for a start tag and underline the rest.
        html = f"{m.group(0)[:-2].rstrip()}></{name}>"
        state.append_token({"type": "inline_html", "raw": html})
        return m.end()
    end = matching_end(src, m.end(), name)
    if end is None:
        # No end tag: kramdown takes the rest as the content and closes the element
        # (parser/kramdown/html.rb:147-150).
        state.append_token({"type": "inline_html", "raw": f"{src[m.start() :]}</{name}>"})
        return len(src)
    state.append_token({"type": "inline_html", "raw": src[m.start() : end]})
    return end


def _reads_markdown(m: re.Match[str]) -> bool:
    """Whether kramdown reads Markdown inside this element: by its model, unless its
    `markdown` attribute says `span` (yes) or `0` (no) (parser/kramdown/html.rb:121-137)."""
    found = _MARKDOWN_ATTRIBUTE.search(m.group("kd_span_attrs"))
    asked = (found.group(1) or found.group(3)) if found is not None else None
    if asked == "span":
        return True
    if asked == "0":
        return False
    return m.group("kd_span_tag").lower() in _MARKDOWN_MODEL
