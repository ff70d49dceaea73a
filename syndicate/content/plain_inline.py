"""A block's text of words, emphasis, code, links and line ends -> its HTML, at once.

Most paragraphs, list items and headings hold little else, and mistune reads each of them as
it reads any text: a scan to each character some rule may start with, a token for each part,
CommonMark's emphasis algorithm over the text tokens (a third of all rendering on the bench's
posts), then a call of the renderer for each token. For such a text this writes the same HTML
from one pass of a pattern over it, with the renderer's own methods; anything else, or any
doubt, is left to mistune.

Why it is the same (tests/test_plain_inline.py holds it to mistune's own for generated texts
and every setup of a generator's Markdown, and for the real sites' fixtures):
- between the shapes below, where the parser's inline scanner (`markdown._quick_scanner`'s,
  or mistune's own) stops, no rule of the parser matches: mistune then takes the character
  as text and goes on, so the part is text; a line end or a character after `&` (where
  mistune keeps an entity's parts apart) is left to mistune;
- `*x*` and `**x**`, the opening run after a space, `(` or the text's start and before a
  letter or digit, the closing one after a letter, digit or `.` and before a space, `.,;:)`
  or the end, with no `*` or line end between: the opening run can only open and the
  closing one close (CommonMark 0.31, "left-flanking" and "right-flanking" delimiter runs),
  and no other `*` or `_` is in the text (each would be a rule's start), so each pair is an
  emphasis or strong emphasis of the text between;
- `` `x` `` with no backtick or line end in it, no backtick before or after: a code span
  (its text as `parse_codespan` takes it);
- `[x](https://…)` whose text has no bracket or line end and does not start with `^` (a
  footnote), and whose address is letters, digits and `._~/:?#=+-`: an inline link, its
  address as `mistune.helpers.parse_link` gives it;
- a line end between a character that is neither a space nor a backslash and one that is
  not blank, after spaces or tabs: a soft break, which takes those.
It stands aside (mistune reads every text) where the parser differs from the one this was
shown on: hard-wrapped line ends, a rule read before mistune's own at a character a shape
starts or ends with, mistune's rules for those replaced, its inline reader wrapped
(`syntax.smart_punctuation`), or mistune's internals changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import mistune

Scanner = Callable[[str], "re.Pattern[str] | None"]  # a text -> the pattern that finds rules in it

# The rule that reads each character the shapes start or end with, and those that may come
# before it in the parser's order (none of which takes the shape); a rule after it never gets
# the character.
_FIRST_AT = {
    "*": ("emphasis", ()),
    "`": ("codespan", ()),
    "[": ("link", ("footnote",)),
    "]": ("link_close", ()),
    "\n": ("softbreak", ("linebreak",)),
}
_OWN_METHODS = ("emphasis", "codespan", "link", "link_close", "linebreak", "softbreak")
_KINDS = frozenset({"paragraph", "block_text", "heading"})  # blocks whose text is read inline
_WORDS = r"[A-Za-z0-9](?:[^*\n]*[A-Za-z0-9.])?"  # emphasis's text: see the module's docstring
_SHAPES = re.compile(  # each starts with its character, for the regex engine to skip to it
    rf"\*\*(?<![^\s(]\*\*)(?P<strong>{_WORDS})\*\*(?![^\s.,;:)])"
    rf"|\*(?<![^\s(]\*)(?P<em>{_WORDS})\*(?![^\s.,;:)])"
    r"|`(?<!``)(?P<code>[^`\n]+)`(?!`)"
    r"|\[(?P<label>[^\[\]\n^][^\[\]\n]*)\]\((?P<url>https?://[A-Za-z0-9._~/:?#=+-]+)\)"
    r"|\n(?<=[^\s\\]\n)[ \t]*(?=\S)"
)


def use_plain_inline(md: mistune.Markdown, scanner: Scanner) -> None:
    """Write `md`'s plain block texts at once (see the module's docstring), if its parser is
    one this was shown on; `scanner` gives the pattern that finds where a rule may start."""
    inline, renderer = md.inline, md.renderer
    if renderer is None or not _stock(inline) or not _renders_raw(renderer):
        return
    write = _Writer(inline.compile_sc(), renderer._get_method, scanner)

    def each_token(tokens: Iterable[dict[str, Any]], state: Any) -> Iterator[dict[str, Any]]:
        # mistune's `Markdown._iter_render`, with the plain texts written here.
        for token in tokens:
            if "children" in token:
                token["children"] = list(each_token(token["children"], state))
            elif "text" in token:
                src = token.pop("text").strip(" \r\n\t\f")
                html = write(src) if token["type"] in _KINDS else None
                if html is None:
                    token["children"] = md.inline(src, state.env)
                else:
                    token["raw"] = html  # the renderer's method takes it as its text
            yield token

    md._iter_render = each_token  # type: ignore[method-assign]


class _Writer:
    """A plain text -> its HTML, by the renderer's methods; None for any other text."""

    def __init__(
        self, rules: re.Pattern[str], method: Callable[[str], Callable[..., str]], scanner: Scanner
    ) -> None:
        self.rules, self.scanner = rules, scanner
        self.text, self.emphasis, self.strong, self.codespan, self.link, self.softbreak = (
            method(name) for name in ("text", "emphasis", "strong", "codespan", "link", "softbreak")
        )
        self.stops: dict[re.Pattern[str], re.Pattern[str]] = {}

    def __call__(self, src: str) -> str | None:
        finds = self.scanner(src)
        if finds is None:
            return None
        stop = self.stops.get(finds)
        if stop is None:
            stop = self.stops[finds] = self._stops(finds)
        if stop.search(src):  # most texts that are not plain, found at once
            return None
        out: list[str] = []
        pos = 0
        for m in _SHAPES.finditer(src):
            start = m.start()
            if start > pos:
                if not self._plain(finds, src, pos, start):
                    return None
                out.append(self.text(src[pos:start]))
            html = self._shape(finds, m)
            if html is None:
                return None
            out.append(html)
            pos = m.end()
        if pos < len(src):
            if not self._plain(finds, src, pos, len(src)):
                return None
            out.append(self.text(src[pos:]))
        return "".join(out)

    def _shape(self, finds: re.Pattern[str], m: re.Match[str]) -> str | None:
        """A shape's HTML; None if the text in it is not plain."""
        shape = m.lastgroup
        if shape is None:
            return str(self.softbreak())
        if shape == "code":
            return str(self.codespan(_code(m["code"])))
        words = "label" if shape == "url" else shape
        if not self._plain(finds, m.string, m.start(words), m.end(words)):
            return None
        text = self.text(m[words])
        if shape == "url":
            return str(self.link(text, url=_address(m["url"])))
        return str((self.strong if shape == "strong" else self.emphasis)(text))

    def _plain(self, finds: re.Pattern[str], src: str, start: int, end: int) -> bool:
        """Whether mistune reads `src[start:end]`, between shapes, as text: where its scanner
        stops, no rule matches (it then takes the character as text and goes on), and the
        character is neither a line end nor after a `&` (where mistune keeps an entity's
        parts apart)."""
        for found in finds.finditer(src, start):
            at = found.start()
            if at >= end:
                return True
            if src[at] == "\n" or src[at - 1 : at] == "&" or self.rules.match(src, at):
                return False
        return True

    def _stops(self, finds: re.Pattern[str]) -> re.Pattern[str]:
        """The characters outside the shapes at which a rule starts whatever follows them (a
        quote, `_`): a text holding one is not plain, found by one search."""
        ascii = (chr(code) for code in range(32, 127))
        chars = {c for c in ascii if finds.match(c + "  ") and self.rules.match(c + "  ")}
        return re.compile("[" + re.escape("".join(sorted(chars - set("*`[]")))) + "]")


def _address(url: str) -> str:
    """A link's address as `mistune.helpers.parse_link` gives it to the renderer."""
    from mistune.helpers import unescape_char
    from mistune.util import escape_url

    return escape_url(unescape_char(url))


def _code(text: str) -> str:
    """A code span's text, as mistune's `parse_codespan` takes it (CommonMark 0.31, "Code
    spans": one space each side is dropped when both are there and it is not all spaces)."""
    if text.strip(" ") and text.startswith(" ") and text.endswith(" "):
        return text[1:-1]
    return text


def _renders_raw(renderer: object) -> bool:
    """Whether `renderer` renders a block token with a "raw" text by its method of that raw
    text, as mistune's HTMLRenderer does (`render_token`), and finds its methods as mistune
    3.4's does."""
    try:
        from mistune.renderers.html import HTMLRenderer
    except ImportError:
        return False
    own = getattr(type(renderer), "render_token", None) is HTMLRenderer.render_token
    return own and "render_token" not in vars(renderer) and hasattr(renderer, "_get_method")


def _stock(inline: mistune.InlineParser) -> bool:
    """Whether `inline` reads the shapes as mistune 3.4 does, on its own rules."""
    try:
        from mistune.inline_parser import _KNOWN_RULE_START_CHARS, InlineParser
    except ImportError:
        return False
    if getattr(inline, "hard_wrap", True) or "render" in vars(inline):
        return False
    methods = getattr(inline, "_methods", {})
    for name in _OWN_METHODS:
        own = getattr(InlineParser, f"parse_{name}", None)
        if name in methods and getattr(methods[name], "__func__", None) is not own:
            return False
    if "emphasis" not in inline.rules or "link" not in inline.rules:
        return False
    if "footnote" in inline.rules and not inline.specification["footnote"].startswith(r"\[\^"):
        return False
    starts: dict[str, set[str]] = {**_KNOWN_RULE_START_CHARS, **inline._rule_start_chars}
    for char, (rule, before) in _FIRST_AT.items():
        claims = [name for name in inline.rules if char in starts.get(name, {char})]
        if rule not in claims or any(name not in before for name in claims[: claims.index(rule)]):
            return False
    return inline.max_nested_level > 2
