"""kramdown's math, for Jekyll sites: `$$...$$` is LaTeX, kept as written for MathJax.

kramdown reads `$$...$$` as math (kramdown 2.4.0, parser/kramdown/math.rb): a block when it
starts right after a block boundary and a blank line, the end or an attribute list follows it
(BLOCK_MATH_START, `after_block_boundary?`, `before_block_boundary?` in block_boundary.rb),
inline anywhere else (INLINE_MATH_START). Its default math engine, MathJax
(converter/math_engine/mathjax.rb), writes the stripped LaTeX with only `<`, `>` and `&`
escaped, as `\\[...\\]` for a block and `\\(...\\)` inline. Read as CommonMark, the LaTeX was
Markdown: `\\|x\\|` lost its backslashes (a norm became an absolute value) and `_a_` became
emphasis, as in al-folio's math sample post.
"""

from __future__ import annotations

import re
from typing import Any

from mistune.block_parser import BlockParser

_BLOCK = "kramdown_block_math"
# After the closing `$$`: the end, or the rest of the line blank and then a blank line, an
# end-of-block marker or an attribute list (BLOCK_BOUNDARY).
_BLOCK_PATTERN = (
    r"^ {0,3}\$\$(?P<kd_math>(?:(?!\$\$)[\s\S])*)\$\$"
    r"(?=[ \t]*\Z|[ \t]*\n(?:[ \t]*(?:\n|\Z)|\^[ \t]*(?:\n|\Z)|\{:|\Z))"
)
# `\$$x$$` alone on a paragraph's first line is inline math (kramdown's way to start a
# paragraph with it: math.rb takes the backslash off); anywhere else `\$` is a dollar.
_INLINE_PATTERN = r"(?P<kd_escaped>\\)?\$\$(?P<kd_inline_math>[\s\S]*?)\$\$"
_LINE_END = re.compile(r"[ \t]*(?:\n|\Z)")


def kramdown_math(md: Any) -> None:
    """A mistune plugin: `$$...$$` is math, its LaTeX escaped and not read as Markdown."""
    md.block.register(_BLOCK, _BLOCK_PATTERN, _parse_block, before="paragraph")
    md.block.insert_rule(md.block.list_rules, _BLOCK, before="paragraph")
    md.block.insert_rule(md.block.block_quote_rules, _BLOCK, before="paragraph")
    md.inline.register(
        "kramdown_inline_math",
        _INLINE_PATTERN,
        _parse_inline,
        before="escape",
        start_chars=("$", "\\"),
    )


def _parse_block(block: BlockParser, m: re.Match[str], state: Any) -> int | None:
    previous = state.tokens[-1]["type"] if state.tokens else None
    if previous not in (None, "blank_line"):
        return None  # after a paragraph's or heading's line: inline math in a paragraph
    state.append_token({"type": "block_html", "raw": f"\\[{_escaped(m.group('kd_math'))}\\]\n"})
    end = m.end()
    # The rest of the closing line, as kramdown's `(\s*?\n)?` takes it.
    newline = state.src.find("\n", end)
    return len(state.src) if newline == -1 else newline + 1


def _parse_inline(inline: Any, m: re.Match[str], state: Any) -> int:
    if m.group("kd_escaped") and (m.start() != 0 or not _LINE_END.match(state.src, m.end())):
        inline.process_text("$", state)  # an escaped dollar, as mistune's escape rule writes it
        return m.start() + 2
    state.append_token(
        {"type": "inline_html", "raw": f"\\({_escaped(m.group('kd_inline_math'))}\\)"}
    )
    return m.end()


def _escaped(latex: str) -> str:
    # kramdown's `escape_html` of type :all (utils/html.rb, ESCAPE_ALL_RE): quotes stay.
    return latex.strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
