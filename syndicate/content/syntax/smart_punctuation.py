"""Zola's `[markdown] smart_punctuation`: quotes, dashes and dots in text made typographic as
pulldown-cmark's `ENABLE_SMART_PUNCTUATION` makes them, so that a post reads the same in a feed
as on the site (https://www.getzola.org/documentation/getting-started/configuration/).

The rules, as pulldown-cmark applies them (src/firstpass.rs, the `-`, `.` and quote cases of
`parse_line`, `delim_run_can_open` and `delim_run_can_close`; src/parse.rs,
`handle_emphasis_and_hard_break`); tests/test_smart_punctuation.py compares this with
pulldown-cmark itself (through pyromark):

- `...` is an ellipsis; a run of two `-` or more is dashes: `--` an en dash, `---` an em dash,
  a longer run as many em dashes as fit, then en dashes (`----` two en dashes);
- a `'` or `"` can open when what follows is not a space and what comes before is a space or
  punctuation (for `'`, not `]` or `)`) or nothing; it can close when what comes before is not
  a space and what follows is a space, punctuation or nothing;
- in each paragraph, from left to right: a `'` that can close while one is open makes the open
  one `‘`; every `'` is `’` otherwise (an apostrophe, or a quote that was never closed); a `"`
  that can close while one is open is `”`, any other `“`, and opens a quote if it can.
"""

from __future__ import annotations

from typing import Any

from .typographer import punct_or_symbol, render_substitutions

PATTERN = r"-{2,}|\.\.\.|['\"]"
# For the quick scanner (`linkify.scanners`): each character that may start one, and what must
# follow it.
STOPS = {"'": "", '"': "", "-": "-", ".": r"\.\."}
_QUOTE = "_smart_quote"  # a quote's token: whether it can open and close, until settled


def smart_punctuation(md: Any) -> None:
    """A mistune plugin: pulldown-cmark's smart punctuation, in text (not in code, HTML or a
    link's address, which other rules take first)."""

    def parse(inline: Any, m: Any, state: Any) -> int:
        found = m.group(0)
        if found in ("'", '"'):
            # Which quote it is depends on those after it: settled once the block is read.
            sides = flanks(state.src, m.start(), nested=state.depth > 0)
            state.append_token({"type": "typographer", "raw": found, _QUOTE: sides})
        else:
            text = "…" if found == "..." else dashes(len(found))
            state.append_token({"type": "typographer", "raw": text})
        return int(m.end())

    md.inline.register("smart_punctuation", PATTERN, parse, start_chars=list("'\"-."))
    render_substitutions(md)
    render = md.inline.render

    def each_block(state: Any) -> Any:
        tokens = render(state)
        if state.depth == 0:  # a block's text, not a part of it read on its own (`~~...~~`)
            _settle(tokens, _Open())
        return tokens

    md.inline.render = each_block


def dashes(count: int) -> str:
    """A run of `count` hyphens (two or more), as pulldown-cmark writes it."""
    if count == 2:
        return "–"
    if count == 3:
        return "—"
    ems, ens = {0: (count // 3, 0), 3: (count // 3, 0), 2: (0, count // 2), 4: (0, count // 2),
                1: (count // 3 - 1, 2)}.get(count % 6, (count // 3, 1))  # fmt: skip
    return "—" * ems + "–" * ens


class _Open:
    """The quotes open so far in a block: the token of a `'` that may yet open, and whether a
    `"` is open."""

    def __init__(self) -> None:
        self.single: dict[str, Any] | None = None
        self.double = False


def _settle(tokens: list[dict[str, Any]], found: _Open) -> None:
    """Each quote of a block's tokens made typographic, in the order of the text. A link's
    text pairs its quotes apart (pulldown-cmark settles them when it closes the link, as it
    does emphasis); an emphasis's are the block's, in their place."""
    for token in tokens:
        children = token.get("children")
        if isinstance(children, list):
            _settle(children, _Open() if token.get("type") in ("link", "image") else found)
        elif _QUOTE in token:
            can_open, can_close = token.pop(_QUOTE)
            _settle_quote(token, can_open, can_close, found)


def _settle_quote(token: dict[str, Any], can_open: bool, can_close: bool, found: _Open) -> None:
    if token["raw"] == "'":
        token["raw"] = "’"  # an apostrophe, unless a later one closes it
        if found.single is not None and can_close:
            found.single["raw"] = "‘"
            found.single = None
        elif can_open:
            found.single = token
    elif can_close and found.double:
        found.double = False
        token["raw"] = "”"
    else:
        found.double = found.double or can_open
        token["raw"] = "“"


def flanks(src: str, pos: int, nested: bool = False) -> tuple[bool, bool]:
    """Whether the quote at `pos` can open and can close a quote (pulldown-cmark's
    `delim_run_can_open` and `delim_run_can_close` for a run of one). A `nested` text (of a
    `~~` run, read on its own) has its delimiters, punctuation, around it in the block."""
    edge = "~" if nested else ""
    after = src[pos + 1] if pos + 1 < len(src) else edge
    before = src[pos - 1] if pos > 0 else edge
    if not after or after.isspace():
        can_open = False
    elif not before:
        can_open = True
    else:
        can_open = before.isspace() or (
            punct_or_symbol(before) and (src[pos] != "'" or before not in "])")
        )
    if not before or before.isspace():
        can_close = False
    else:
        can_close = not after or after.isspace() or punct_or_symbol(after)
    return can_open, can_close
