"""kramdown's smart quotes and typographic symbols, for Jekyll sites: Jekyll renders Markdown
with kramdown, which makes `Don't "go" -- now...` read `Don’t “go” – now…` by default
(https://kramdown.gettalong.org/syntax.html#typographic-symbols), so a feed shows a post as
the site does.

The rules are kramdown 2.4's (lib/kramdown/parser/kramdown/smart_quotes.rb, after RubyPants,
and typographic_symbol.rb), read, not copied, and checked against what Jekyll 4.3.1 built
(tests/fixtures/typographer, the Jekyll files):

- `---` is an em dash, `--` an en dash, `...` an ellipsis; `<<` and `>>` angle quotes, with a
  no-break space on the inner side when a space stands there (`<< a >>`); `\\<<` stays `<<`;
- a quote is decided by the first of these that fits, looking at the character before it when
  that one is plain text (kramdown's scanner starts one character early) and at what follows:
  before `*` or `_` and a non-space, it opens; before punctuation (not `..`) and no word
  character, it closes; `"'` or `'"` before a word character open both; `'` before two digits
  and `s` is an apostrophe (`'90s`); after a space and before a word character it opens;
  after anything but a space, `\\`, `[`, `{`, `(` or `-` it closes; before a space, an `s`
  ending a word, or the line's end, it closes; else it opens.

`smartify` does the same to a text outside Markdown, as Jekyll's `smartify` filter does
(jekyll-feed's titles): see its section below.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Mapping
from typing import Any

from .linkify import after_text
from .typographer import render_substitutions

_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
_CLOSE_AFTER = r"[^ \\\t\r\n\[{(-]"
# (pattern, what each part is: "text" for the character before, or a quote's side), in order.
_RULES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"""(["'])(?=[_*]{1,2}\S)""", re.ASCII), ("open",)),
    # Ruby's `\b` and `\B` know every letter as a word's (`é`), its `\w`, `\d` and `\s` ASCII's
    (re.compile(rf"""(["'])(?={_PUNCT}(?!\.\.)\B)"""), ("close",)),
    (re.compile(r"""(\s?)"'(?=\w)""", re.ASCII), ("text", "ldquo", "lsquo")),
    (re.compile(r"""(\s?)'"(?=\w)""", re.ASCII), ("text", "lsquo", "ldquo")),
    (re.compile(r"""(\s?)'(?=\d\ds)""", re.ASCII), ("text", "rsquo")),
    (re.compile(r"""(\s)(['"])(?=\w)""", re.ASCII), ("text", "open")),
    (re.compile(rf"""({_CLOSE_AFTER})(['"])""", re.ASCII), ("text", "close")),
    (re.compile(r"""(["'])(?=[ \t\r\n\f\v]|s\b|$)""", re.MULTILINE), ("close",)),
    (re.compile(r"""(.?)(')""", re.DOTALL), ("text", "lsquo")),
    (re.compile(r"""(.?)(")""", re.DOTALL), ("text", "ldquo")),
]
_SIDES = {
    ("open", "'"): "lsquo",
    ("open", '"'): "ldquo",
    ("close", "'"): "rsquo",
    ("close", '"'): "rdquo",
}
# Each symbol by kramdown's name (what its `typographic_symbols` option calls it): the text
# it replaces and what it writes, in the order they are tried.
SYMBOL_NAMES = {
    "mdash": ("---", "\u2014"),
    "ndash": ("--", "\u2013"),
    "hellip": ("...", "\u2026"),
    "laquo_space": ("<< ", "\u00ab\u00a0"),
    "raquo_space": (" >>", "\u00a0\u00bb"),
    "laquo": ("<<", "\u00ab"),
    "raquo": (">>", "\u00bb"),
}
_SYMBOLS = dict(SYMBOL_NAMES.values())
_QUOTES = {"lsquo": "\u2018", "rsquo": "\u2019", "ldquo": "\u201c", "rdquo": "\u201d"}
# The rule's pattern, and, for the quick scanner, each character that may start a match with
# what must follow it (`linkify.scanners`).
PATTERN = r"---|--|\.\.\.|<< |<<|>>| >>|['\"]"
STOPS = {"'": "", '"': "", "-": "-", ".": r"\.\.", "<": "<", ">": ">", " ": ">>"}


def kramdown_typography(md: Any, overrides: Mapping[str, str] | None = None) -> None:
    """A mistune plugin: kramdown's smart quotes and typographic symbols; `overrides`, by
    kramdown's names (`lsquo`..., `SYMBOL_NAMES`' keys), what the site's `smart_quotes` and
    `typographic_symbols` options write instead."""
    quotes, symbols = choices(overrides or {})

    def parse(inline: Any, m: re.Match[str], state: Any) -> int | None:
        found = substitution(state.src, m.start(), after_text(state), quotes, symbols)
        if found is None:
            return None
        text, end = found
        state.append_token({"type": "typographer", "raw": text})
        return end

    md.inline.register("kramdown_typography", PATTERN, parse, start_chars=list("'\"-.<> "))
    render_substitutions(md)


def choices(overrides: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """What each quote (by name) and each symbol (by its text) is written as, with a site's
    `overrides` (by kramdown's names)."""
    quotes = {name: overrides.get(name, char) for name, char in _QUOTES.items()}
    symbols = {text: overrides.get(name, out) for name, (text, out) in SYMBOL_NAMES.items()}
    return quotes, symbols


# kramdown's `smart_quotes`: four entity names or code points, in this order
# (https://kramdown.gettalong.org/options.html).
_SMART_QUOTES = ("lsquo", "rsquo", "ldquo", "rdquo")


def overrides(smart_quotes: object, typographic_symbols: object) -> tuple[tuple[str, str], ...]:
    """What a Jekyll site's `kramdown: smart_quotes` and `typographic_symbols` (as its config
    gives them) write instead of kramdown's own quotes and symbols (`apos,apos,quot,quot`
    keeps quotes straight). Where kramdown stops the build (not four values; an unknown
    entity, once a quote needs it), its own quote stands."""
    found: dict[str, str] = {}
    parts = smart_quotes.split(",") if isinstance(smart_quotes, str) else []
    if len(parts) == len(_SMART_QUOTES):
        for name, part in zip(_SMART_QUOTES, parts, strict=True):
            if (char := _entity(part.strip())) is not None:
                found[name] = char
    if isinstance(typographic_symbols, dict):
        symbols = typographic_symbols.items()
        found.update((str(k), str(v)) for k, v in symbols if k in SYMBOL_NAMES)
    return tuple(sorted(found.items()))


def _entity(name: str) -> str | None:
    """The character of an entity name (`rsquo`) or a code point (`8217`), as kramdown reads
    `smart_quotes`; None for neither."""
    if name.isdigit():
        return chr(int(name)) if int(name) < 0x110000 else None
    char = html.unescape(f"&{name};")
    return char if char != f"&{name};" else None


def substitution(
    src: str,
    pos: int,
    plain_before: bool,
    quotes: Mapping[str, str] = _QUOTES,
    symbols: Mapping[str, str] = _SYMBOLS,
    taken: str = "\\'\"*_",
) -> tuple[str, int] | None:
    """What replaces the text at `pos` of `src` and where it ends, or None; `plain_before`: the
    character before `pos` is plain text; `quotes` and `symbols`: what each is written as;
    `taken`: the characters something else reads before a quote (Markdown's emphasis reads
    `*` and `_`; `smartify`'s parser does not)."""
    for symbol, text in symbols.items():
        if src.startswith(symbol, pos):
            return text, pos + len(symbol)
    if src[pos] not in "'\"":
        return None
    # kramdown's match may start on the character before, unless something else read it (an
    # escape, another quote, emphasis's `*` or `_`) or it is a backslash.
    early = pos > 0 and plain_before and src[pos - 1] not in taken
    start = pos - 1 if early else pos
    for pattern, parts in _RULES:
        found = pattern.match(src, start)
        if found is None or found.end() <= pos:
            continue
        quote = found.group(found.lastindex or 0)[-1:]  # the last part read is a quote
        names = [_SIDES.get((part, quote), part) for part in parts if part != "text"]
        # The text part is the character before `pos`, written already, or one at `pos`,
        # which stays as it is: in `''90s` the first quote is text, the second closes.
        text = src[max(found.start(1), pos) : found.end(1)] if parts[0] == "text" else ""
        return text + "".join(quotes[name] for name in names), found.end()
    return None


# --- Jekyll's `smartify` -----------------------------------------------------------------------
#
# Jekyll's `smartify` filter (lib/jekyll/filters.rb, converters/smartypants.rb) converts text
# with kramdown's `SmartyPants` parser: a kramdown parser whose only span parsers are
# `smart_quotes`, `html_entity`, `typographic_syms` and `span_html`, in that order, and the
# HTML converter with the site's `kramdown` options (Jekyll's `entity_output: as_char`). So
# quotes, dashes and dots are made typographic as in a post, Markdown's own syntax (`*a*`,
# `\'`) is left as written, entities become characters, and HTML tags are elements, their
# content read so too (kramdown 2.4: parser/kramdown/html.rb `parse_span_html`,
# parser/html.rb's patterns, converter/html.rb `entity_to_str`).

# REXML's UNAME_STR, kramdown's name of an element (`[[:alpha:]_][-[:alnum:]._]*`, a prefix).
_NAME = r"(?:[^\W\d][-\w.]*:)?[^\W\d][-\w.]*"
_HTML_TAG = re.compile(
    rf"<((?>{_NAME}))\s*((?>\s+{_NAME}(?:\s*=\s*(?:\w+|(\"|').*?\3))?)*)\s*(/)?>", re.DOTALL
)
_HTML_CLOSE = re.compile(rf"</({_NAME})\s*>", re.DOTALL)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_ENTITY = re.compile(r"&([\w:][\-\w.:]*);|&#(\d+);|&#x([0-9a-fA-F]+);")
# kramdown's HTML_BLOCK_ELEMENTS: in a line of text, their tags are text.
_BLOCK_ELEMENTS = frozenset(
    [
        *("address", "article", "aside", "applet", "body", "blockquote", "caption", "col"),
        *("colgroup", "dd", "div", "dl", "dt", "fieldset", "figcaption", "footer", "form"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "head"),
        *("iframe", "legend", "menu", "li", "main", "map", "nav", "ol", "optgroup", "p", "pre"),
        *("section", "summary", "table", "tbody", "td", "th", "thead", "tfoot", "tr", "ul"),
    ]
)
# The elements whose content kramdown reads (`HTML_CONTENT_MODEL` :block or :span); any other's,
# an unknown element's too, is raw: only tags are read in it.
_READ_CONTENT = frozenset(
    [
        *("address", "applet", "article", "aside", "blockquote", "body", "dd", "details", "div"),
        *("dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup"),
        *("iframe", "li", "main", "map", "menu", "nav", "noscript", "object", "section"),
        *("summary", "td", "a", "abbr", "acronym", "b", "bdo", "big", "button", "caption"),
        *("cite", "del", "dfn", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins"),
        *("label", "legend", "optgroup", "p", "q", "rb", "rbc", "rp", "rt", "rtc", "ruby"),
        *("select", "small", "span", "strong", "sub", "sup", "th", "tt"),
    ]
)
_NO_BODY = frozenset(
    [
        *("area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen"),
        *("link", "meta", "param", "source", "track", "wbr"),
    ]
)
# kramdown's entity names: HTML 4's, and `apos` and `vellip` (kramdown/utils/entities.rb).
_ENTITY_NAMES = frozenset((*html.entities.name2codepoint, "apos", "vellip"))
_ESCAPED = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# Where a span parser may start (a quote's parser may also start one character before it).
_SPAN_START = re.compile(r"""['"&<]|---|--|\.\.\.|\\(?:<<|>>)|>>| >>""")


def smartify(
    text: str, quotes: Mapping[str, str] = _QUOTES, symbols: Mapping[str, str] = _SYMBOLS
) -> str:
    """`text` as Jekyll's `smartify` filter gives it: HTML, quotes, dashes and dots made
    typographic (`quotes` and `symbols`, what the site's `smart_quotes` and
    `typographic_symbols` write), entities as characters (`&lt;`, `&gt;` and `&amp;` kept),
    text escaped, tags kept as elements (without their attributes: `strip_html` removes them)."""
    # `adapt_source` ends the text with one line break; the converter's last is cut (`chomp`)
    src = text.replace("\r\n", "\n").replace("\r", "\n").removesuffix("\n") + "\n"
    return _Smartify(src, quotes, symbols).run().removesuffix("\n")


_BLOCK_TAG = re.compile(" {0,3}" + _HTML_TAG.pattern, re.DOTALL)
_LINE_END = re.compile(r"[ \t]*\n")
_TAG_START = re.compile("<")
# kramdown's HTML_SPAN_ELEMENTS: any other tag that opens a line opens a block of HTML.
_SPAN_ELEMENTS = frozenset(
    [
        *("a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del"),
        *("dfn", "em", "i", "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb"),
        *("rbc", "rp", "rt", "rtc", "ruby", "samp", "select", "small", "span", "strong", "sub"),
        *("sup", "tt", "u", "var"),
    ]
)
# `escape_html(text, :text)` (kramdown/utils/html.rb): `<`, `>` and `&`, not an entity's `&`.
_TEXT_ESCAPES = re.compile(r"&(?:[\w:][-\w.:]*;|#\d+;|#x[0-9a-fA-F]+;)|[<>&]")


def _escaped(text: str) -> str:
    return _TEXT_ESCAPES.sub(lambda m: _ESCAPED.get(m.group(), m.group()), text)


class _Smartify:
    """One text read as kramdown's `SmartyPants` parser reads it (`Kramdown::Parser::Kramdown`'s
    `parse_blocks` with `block_html` and `content`, then `parse_spans` over each stretch of
    text), written as its HTML converter writes it."""

    def __init__(self, src: str, quotes: Mapping[str, str], symbols: Mapping[str, str]) -> None:
        self.src = src
        self.quotes = quotes
        self.symbols = symbols
        self.out: list[str] = []
        self.pos = 0
        self.plain_to = -1  # the end of the last stretch of plain text

    def run(self) -> str:
        src, line = self.src, 0
        while line < len(src):
            # at a line's start, or where a block ended (the scanner's `^` is its position)
            block = self._block(line)
            if block is None:  # a line of text: the lines up to a block are read as one
                found = src.find("\n", line)
                line = len(src) if found < 0 else found + 1
                continue
            self._read(None, raw=False, block=False, end=line)
            self._block_html(block)
            line = self.pos
        self._read(None, raw=False, block=False, end=len(src))
        return "".join(self.out)

    def _block(self, at: int) -> re.Match[str] | None:
        """`parse_block_html` at `at`: a comment, or a tag of an element that is not one of
        HTML's span elements."""
        found = _HTML_COMMENT.match(self.src, at) or _BLOCK_TAG.match(self.src, at)
        if found is None or (found.lastindex and found.group(1).lower() in _SPAN_ELEMENTS):
            return None
        return found

    def _block_html(self, found: re.Match[str]) -> None:
        """A block of HTML: its content raw (Jekyll leaves kramdown's `parse_block_html`
        off), read to its end tag (`handle_kramdown_html_tag`), then the line's end."""
        self.pos = found.end()
        if not found.lastindex:
            self.out.append(found.group())  # a comment
        else:
            self._element(found, raw=True, block=True, end=len(self.src))
        self.out.append("\n")  # the converter ends a block's line
        after = _LINE_END.match(self.src, self.pos)
        self.pos = after.end() if after is not None else self.pos

    def _read(self, stop: re.Pattern[str] | None, raw: bool, block: bool, end: int) -> bool:
        """`parse_spans` up to `end`, or to `stop` (an element's end tag, then read): True
        when it was found. In a raw element only tags are read."""
        src = self.src
        starts = _TAG_START if raw else _SPAN_START
        while self.pos < end:
            found = starts.search(src, self.pos, end)
            ending = stop.search(src, self.pos, end) if stop is not None else None
            if ending is not None and (found is None or ending.start() <= found.start()):
                self._text(ending.start())
                self.out.append(f"</{ending.group(1)}>")
                self.pos = ending.end()
                return True
            if found is None:
                break
            self._text(found.start())
            self._span(raw, block, end)
        self._text(end)
        return False

    def _text(self, end: int) -> None:
        """The source up to `end` as plain text."""
        if end > self.pos:
            self.out.append(_escaped(self.src[self.pos : end]))
            self.pos = self.plain_to = end

    def _taken(self, end: int) -> None:
        """The source up to `end` as text that a parser read (a tag written as text): no
        quote after it starts a character early."""
        self.out.append(_escaped(self.src[self.pos : end]))
        self.pos = end

    def _span(self, raw: bool, block: bool, end: int) -> None:
        """What starts at the position, in kramdown's order of span parsers."""
        src, at = self.src, self.pos
        char = src[at]
        if raw:
            self._html(raw, block, end)
        elif char in "&<" and src[at + 1 : at + 2] in ("'", '"'):
            self._text(at + 1)  # the quote's parser reads this character as the one before it
        elif char == "&":
            self._entity()
        elif char in "'\"-.> \\" or src.startswith("<<", at):
            self._typographic()
        else:
            self._html(raw, block, end)

    def _typographic(self) -> None:
        src, at = self.src, self.pos
        if src.startswith(("\\<<", "\\>>"), at):
            self.out.append(_ESCAPED[src[at + 1]] * 2)  # written as they are
            self.pos = at + 3
            return
        plain = at > 0 and self.plain_to == at
        found = substitution(src, at, plain, self.quotes, self.symbols, taken="\\'\"")
        if found is None:
            self._taken(at + 1)
            return
        written, self.pos = found
        self.out.append(_escaped(written))

    def _entity(self) -> None:
        found = _HTML_ENTITY.match(self.src, self.pos)
        if found is None:
            self._taken(self.pos + 1)
            return
        name, decimal, hexadecimal = found.groups()
        if name is not None:
            point = html.entities.name2codepoint.get(name) if name in _ENTITY_NAMES else None
            point = {"apos": 39, "vellip": 0x22EE}.get(name, point)
        else:
            point = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if point is None:  # not an entity kramdown knows: `&amp;` and the rest as text
            self.out.append("&amp;")
            self.pos += 1
            self._taken(found.end())
            return
        char = chr(point) if point < 0x110000 and not 0xD800 <= point < 0xE000 else None
        # `entity_to_str` with `as_char`: the character, but `<`, `>` and `&` as written
        self.out.append(found.group() if char is None or char in _ESCAPED else char)
        self.pos = found.end()

    def _html(self, raw: bool, block: bool, end: int) -> None:
        """`parse_span_html`: a comment; a tag, its element's content read to its end tag
        (raw in a raw element); a stray end tag, or a block element's tag among text, as
        text; else the `<` as text."""
        src, at = self.src, self.pos
        comment = _HTML_COMMENT.match(src, at, end)
        if comment is not None:
            self.out.append(comment.group())
            self.pos = comment.end()
            return
        closing = _HTML_CLOSE.match(src, at, end)
        if closing is not None:  # no element of its name is open: its `stop` would have read it
            self._taken(closing.end())
            return
        tag = _HTML_TAG.match(src, at, end)
        if tag is None:
            self._taken(at + 1)
            return
        if tag.group(1).lower() in _BLOCK_ELEMENTS and not block:
            self._taken(tag.end())
            return
        self.pos = tag.end()
        self._element(tag, raw or tag.group(1).lower() not in _READ_CONTENT, block, end)

    def _element(self, tag: re.Match[str], raw: bool, block: bool, end: int) -> None:
        """An element and its content, read to its end tag (else to `end`, then closed)."""
        name = tag.group(1)
        self.out.append(f"<{name}>")
        if tag.group(4) is not None or name.lower() in _NO_BODY:
            return
        stop = re.compile(rf"</({re.escape(name)})\s*>", re.IGNORECASE)
        if block and name.lower() in ("script", "style"):  # `handle_raw_html_tag`: as it is
            found = stop.search(self.src, self.pos, end)
            self.out.append(self.src[self.pos : found.start() if found else end])
            self.out.append(f"</{name}>")
            self.pos = found.end() if found else end
            return
        if not self._read(stop, raw, block, end):
            self.out.append(f"</{name}>")  # closed at the end, as kramdown closes it
