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
"""

from __future__ import annotations

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
    given = overrides or {}
    quotes = {name: given.get(name, char) for name, char in _QUOTES.items()}
    symbols = {text: given.get(name, out) for name, (text, out) in SYMBOL_NAMES.items()}

    def parse(inline: Any, m: re.Match[str], state: Any) -> int | None:
        found = substitution(state.src, m.start(), after_text(state), quotes, symbols)
        if found is None:
            return None
        text, end = found
        state.append_token({"type": "typographer", "raw": text})
        return end

    md.inline.register("kramdown_typography", PATTERN, parse, start_chars=list("'\"-.<> "))
    render_substitutions(md)


def substitution(
    src: str,
    pos: int,
    plain_before: bool,
    quotes: Mapping[str, str] = _QUOTES,
    symbols: Mapping[str, str] = _SYMBOLS,
) -> tuple[str, int] | None:
    """What replaces the text at `pos` of `src` and where it ends, or None; `plain_before`: the
    character before `pos` is plain text; `quotes` and `symbols`: what each is written as."""
    for symbol, text in symbols.items():
        if src.startswith(symbol, pos):
            return text, pos + len(symbol)
    if src[pos] not in "'\"":
        return None
    # kramdown's match may start on the character before, unless something else read it (an
    # escape, another quote, emphasis's `*` or `_`) or it is a backslash.
    early = pos > 0 and plain_before and src[pos - 1] not in "\\'\"*_"
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
