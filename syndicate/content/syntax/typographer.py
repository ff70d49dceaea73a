"""Hugo's typographer: straight quotes, dashes and dots in text made typographic, as Hugo's
goldmark does by default (`markup.goldmark.extensions.typographer`,
https://gohugo.io/configuration/markup/#typographer), so that a post reads the same in a feed
as on the site (`Don't` is `Don’t` there).

The rules, as Hugo 0.168.0 applies them (tests/fixtures/typographer: every case there was built
with it, and its HTML is the expected one); they follow goldmark's `extension/typographer.go`
(yuin/goldmark), except that the count of quotes left open runs through the whole post, not one
paragraph:

- `---` is an em dash, `--` an en dash, `...` an ellipsis, `<<` and `>>` angle quotes, read
  from left to right (`----` is an em dash and `-`); never in code or raw HTML;
- a `'` or `"` is read as CommonMark reads a run of `*`: it can open when what follows is not a
  space (nor punctuation, unless a space or punctuation comes before), close when what comes
  before is not a space (nor punctuation, unless a space or punctuation follows);
- `'` is an apostrophe in a decade (`'90s`), before `t`, `e`, `n` or `l` after a space or
  punctuation (`'twas`, `'em`), and between a letter or digit and a letter (`don't`); one that
  can open but not close opens a quote, except before `s`, `m`, `t`, `d`, `ve`, `ll` or `re`
  that end a word (`'s`, `'re`: an apostrophe); after that, one followed on its line by two
  characters or more, the first not a digit, is a closing quote (goldmark's test for `Smiths'`
  and `doin'`, which reads so; a paragraph's last line has no newline); else it closes an open
  quote;
- `"` opens when it can open and not close; it closes an open quote when it can close and not
  open, or can do both and punctuation follows (but not `""` after a digit: `21""`).
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping
from typing import Any

# Hugo's defaults (https://gohugo.io/configuration/markup/#typographer), by its config keys in
# lower case; a site may set any of them.
DEFAULTS: dict[str, str] = {
    "leftsinglequote": "&lsquo;",
    "rightsinglequote": "&rsquo;",
    "leftdoublequote": "&ldquo;",
    "rightdoublequote": "&rdquo;",
    "endash": "&ndash;",
    "emdash": "&mdash;",
    "ellipsis": "&hellip;",
    "leftanglequote": "&laquo;",
    "rightanglequote": "&raquo;",
    "apostrophe": "&rsquo;",
}
# The rule's pattern: where a substitution may be; and, for the quick scanner, each character
# that may start one with what must follow it (`linkify.scanners`).
PATTERN = r"---?|\.\.\.|<<|>>|['\"]"
STOPS = {"'": "", '"': "", "-": "-", ".": r"\.\.", "<": "<", ">": ">"}
_ASCII_PUNCT = frozenset(b"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ASCII_SPACE = frozenset(b" \t\n\x0b\x0c\r")
_COUNTS = "_typographer_open"  # in the document's env: quotes opened and not closed


def typographer(md: Any, substitutions: Mapping[str, str] | None = None) -> None:
    """A mistune plugin: the substitutions made in text (Hugo's defaults, or the site's)."""
    chosen = {**DEFAULTS, **(substitutions or {})}
    text = {key: html.unescape(value) for key, value in chosen.items()}

    def parse(inline: Any, m: Any, state: Any) -> int | None:
        found = substitution(state.src, m.start(), state.env.setdefault(_COUNTS, [0, 0]))
        if found is None:
            return None
        key, length = found
        state.append_token({"type": "typographer", "raw": text[key]})
        return int(m.start()) + length

    md.inline.register("typographer", PATTERN, parse, start_chars=list("'\"-.<>"))
    render_substitutions(md)


def render_substitutions(md: Any) -> None:
    """The tokens of a substitution (type "typographer", Hugo's or kramdown's), as text."""
    md.renderer.register("typographer", lambda renderer, raw: html.escape(raw, quote=False))


def substitution(src: str, pos: int, counts: list[int]) -> tuple[str, int] | None:
    """What stands at `pos` of `src` (a key of DEFAULTS) and how many characters it takes, or
    None; `counts` holds the single and double quotes left open so far, and is updated."""
    rest = src[pos : pos + 3]
    if rest == "---":
        return "emdash", 3
    if rest == "...":
        return "ellipsis", 3
    if rest[:2] == "--":
        return "endash", 2
    if rest[:2] == "<<":
        return "leftanglequote", 2
    if rest[:2] == ">>":
        return "rightanglequote", 2
    if rest[:1] in ("'", '"'):
        return _quote(_Line(src, pos), counts)
    return None


class _Line:
    """The rest of the line from a quote, as goldmark sees it: bytes of UTF-8, and the
    character before it in the paragraph."""

    def __init__(self, src: str, pos: int) -> None:
        end = src.find("\n", pos)  # a paragraph's last line has none, in goldmark too
        self.data = src[pos : len(src) if end < 0 else end + 1].encode("utf-8")
        self.before = src[pos - 1] if pos > 0 else "\n"

    def __len__(self) -> int:
        return len(self.data)

    def byte(self, i: int) -> int:
        return self.data[i] if i < len(self.data) else 0

    def rune(self, i: int) -> str:
        # A character is at most 4 bytes: decoding the rest of the line was a copy of it.
        return self.data[i : i + 4].decode("utf-8", "replace")[:1] if i < len(self.data) else ""

    def punct(self, i: int) -> bool:
        return self.byte(i) in _ASCII_PUNCT

    def space(self, i: int) -> bool:
        return self.byte(i) in _ASCII_SPACE


def punct_or_symbol(char: str) -> bool:
    """CommonMark's Unicode punctuation: the general categories P and S (pulldown-cmark's
    smart punctuation reads it too, `smart_punctuation`)."""
    return unicodedata.category(char)[0] in "PS"


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] == "P"


def _flanks(line: _Line) -> tuple[bool, bool]:
    """Whether the run of quotes at the line's start can open and close (CommonMark's rules
    for `*`)."""
    # The run's length by bytes.lstrip, at C's speed: a paragraph of 20,000 quotes made a
    # Python loop over the rest of the run at each of them (11 s).
    data = line.data
    run = len(data) - len(data.lstrip(data[:1]))
    after = line.rune(run) or " "
    before = line.before
    before_punct, before_space = punct_or_symbol(before), before.isspace()
    after_punct, after_space = punct_or_symbol(after), after.isspace()
    can_open = not after_space and (not after_punct or before_space or before_punct)
    can_close = not before_space and (not before_punct or after_space or after_punct)
    return can_open, can_close


def _quote(line: _Line, counts: list[int]) -> tuple[str, int] | None:
    can_open, can_close = _flanks(line)
    if line.byte(0) == ord("'"):
        return _single(line, counts, can_open, can_close)
    if can_open and not can_close:
        counts[1] += 1
        return "leftdoublequote", 1
    if counts[1] > 0 and ((can_close and not can_open) or _maybe_close(line, can_open, can_close)):
        if line.byte(1) == ord('"') and line.before.isdecimal():
            return None  # `Monitor 21""`
        counts[1] -= 1
        return "rightdoublequote", 1
    return None


def _maybe_close(line: _Line, can_open: bool, can_close: bool) -> bool:
    if not (can_close and can_open and len(line) > 1 and _punct(line.rune(1))):
        return False
    return len(line) == 2 or ((len(line) > 2 and line.punct(2)) or line.space(2))


def _single(
    line: _Line, counts: list[int], can_open: bool, can_close: bool
) -> tuple[str, int] | None:
    found = _apostrophe(line, can_open, can_close)
    if found is not None:
        return found
    if can_open and not can_close:
        if _contraction(line):
            return "rightsinglequote", 1
        counts[0] += 1
        return "leftsinglequote", 1
    # goldmark's test for `Smiths'` and `doin'` looks at this very `'` (never a space, always
    # punctuation): what it asks comes to two more characters on the line, the first no digit.
    if len(line) > 2 and not line.rune(1).isdecimal():
        return "rightsinglequote", 1
    if counts[0] > 0 and ((can_close and not can_open) or _maybe_close(line, can_open, can_close)):
        counts[0] -= 1
        return "rightsinglequote", 1
    return None


_DIGITS = frozenset(b"0123456789")


def _apostrophe(line: _Line, can_open: bool, can_close: bool) -> tuple[str, int] | None:
    if (
        can_open
        and not can_close
        and len(line) > 3
        and line.byte(1) in _DIGITS
        and line.byte(2) in _DIGITS
        and line.byte(3) == ord("s")
    ):
        after = line.rune(4) or " "  # the line's end reads as a space
        if after.isspace() or punct_or_symbol(after):
            return "apostrophe", 1  # a decade: '90s
    before = line.before
    if len(line) > 1 and (_punct(before) or before.isspace()) and line.byte(1) in b"tenl":
        return "apostrophe", 1  # 'twas, 'em, 'n'
    if len(line) > 1 and (before.isdecimal() or before.isalpha()) and line.rune(1).isalpha():
        return "apostrophe", 1  # don't
    return None


def _contraction(line: _Line) -> bool:
    """`'s`, `'m`, `'t`, `'d`, `'ve`, `'ll`, `'re` ending a word: an apostrophe."""
    if (
        len(line) > 1
        and line.byte(1) in b"smtd"
        and (len(line) < 3 or line.punct(2) or line.space(2))
    ):
        return True
    pair = bytes([line.byte(1), line.byte(2)])
    if len(line) > 2 and pair in (b"ve", b"ll", b"re"):
        return len(line) < 4 or line.punct(3) or line.space(3)
    return False
