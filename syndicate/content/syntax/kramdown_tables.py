"""kramdown's tables, for Jekyll sites: the table Jekyll's page has.

kramdown reads tables its own way, not as GFM does (kramdown 2.4's
parser/kramdown/table.rb, `parse_table`): a `|` inside a code span does not split a cell;
a table needs no header (rows without a `|---|` line are a body); a further `|---|` line starts
another body and a `|===|` line a footer; a row may have any number of cells (every row gets
as many as the longest); and the lines are a table only with a blank line (or the start of
its container) before them and one (or the end) after, else they are a paragraph. mistune's
GFM reading split `` `a|b` `` into two cells, losing the row's last one, and showed a footer's
`|===|` as a row.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

# A line holding a `|` (at its start, or after a character other than a backslash).
_START = r"^ {0,3}(?=\S)(?:\||[^\n]*?[^\\\n]\|)[^\n]*(?:\n|$)"
_PIPE_CHECK = re.compile(r"(?:\||.*?[^\\\n]\|)")
# A separator line (`|---|:-:|`) and a footer line (`|===|`): these characters only, a `-` (an
# `=`) among them; a separator's group is the line without its trailing spaces. Each run of
# spaces is taken whole (the lazy form before cut a line of `- |` every way: quadratic).
_SEPARATOR = re.compile(r"([+|: \t]*+-(?:[ \t]*+[+|:-])*+)[ \t]*+")
_ALIGN = re.compile(r"[ \t]?(:?)-+(:?)[ \t]?")
_FOOTER = re.compile(r"[+|: \t]*+=[+|: \t=]*+")
# After the table: a blank line, kramdown's end-of-block `^`, an attribute list, or the end.
_BOUNDARY = re.compile(r"[ \t]*(?:\n|$)|\^[ \t]*(?:\n|$)| {0,3}\{:")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_CELL_PIPE = re.compile(r"(?<!\\)\|")
_ALIGNMENTS = {(False, False): None, (True, False): "left", (False, True): "right"}


def kramdown_tables(md: Any) -> None:
    """A mistune plugin (after its `table`, whose rules it takes the place of): kramdown's
    tables."""
    for rules in (md.block.rules, md.block.list_rules, md.block.block_quote_rules):
        for name in ("table", "nptable"):
            if name in rules:
                rules.remove(name)
    md.block.register("kramdown_table", _START, _parse, before="paragraph")
    # In a list item or a quote too, where a line with a `|` starts a table as well
    # (jruby.org's `- [... {Kernel|Thread|Fiber}#raise][#9236]` is a table on its page).
    md.block.insert_rule(md.block.list_rules, "kramdown_table", before="paragraph")
    md.block.insert_rule(md.block.block_quote_rules, "kramdown_table", before="paragraph")
    md.renderer.register("kramdown_table", lambda _, text: f"<table>\n{text}</table>\n")
    md.renderer.register("kramdown_table_part", _render_part)
    md.renderer.register("kramdown_table_row", lambda _, text: f"<tr>\n{text}</tr>\n")
    md.renderer.register("kramdown_table_cell", _render_cell)


def _parse(block: Any, m: re.Match[str], state: Any) -> int | None:
    last = state.tokens[-1]["type"] if state.tokens else None
    if last not in (None, "blank_line"):
        return None  # right under a paragraph, a heading, a list: kramdown reads no table
    lines, end = _table_lines(state.src, m.start())
    if not _BOUNDARY.match(state.src, end) or not all(map(_has_cell_pipe, lines)):
        return None
    parts, aligns = _parts(lines)
    if not any(tag == "tbody" for tag, _ in parts):
        return None  # kramdown: "Found table without body"
    width = max(len(row) for _, rows in parts for row in rows)
    aligns = (aligns + [None] * width)[:width]
    state.append_token({"type": "kramdown_table", "children": _tokens(parts, aligns, width)})
    return end


def _table_lines(src: str, pos: int) -> tuple[list[str], int]:
    """The lines from `pos` that hold a `|`, and where they end."""
    lines: list[str] = []
    while pos < len(src):
        end = src.find("\n", pos)
        end = len(src) if end < 0 else end + 1
        line = src[pos:end].rstrip("\n")
        if not _PIPE_CHECK.match(line):
            break
        lines.append(line)
        pos = end
    return lines, pos


def _has_cell_pipe(line: str) -> bool:
    """Whether the line has a `|` outside its code spans and `<code>` elements."""
    bare = _CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), "x".join(_code_elements(line)[::2]))
    return bool(_PIPE_CHECK.match(bare))


def _code_elements(line: str) -> list[str]:
    """The line cut at its `<code>` elements, as `re.split` cuts it at `(<code.*?>.*?</code>)`:
    text, element, text... An element runs from `<code` to the first `</code>` after its first
    `>`; once one is not closed, no later one is. Found with `str.find`: the pattern read the
    rest of the line from each `<code` and each `>` after it (cubic in a line of `<code>`)."""
    parts, pos = [], 0
    while (start := line.find("<code", pos)) >= 0:
        opened = line.find(">", start + 5)
        end = line.find("</code>", opened + 1) if opened >= 0 else -1
        if end < 0:
            break
        parts += [line[pos:start], line[start : end + 7]]
        pos = end + 7
    return [*parts, line[pos:]]


Part = tuple[str, list[list[str]]]


def _parts(lines: list[str]) -> tuple[list[Part], list[str | None]]:
    """The table's head, bodies and foot (each a tag and its rows of cells), and the columns'
    alignment, as kramdown's `parse_table` reads its lines."""
    parts: list[Part] = []
    rows: list[list[str]] = []
    aligns: list[str | None] | None = None
    footer = False
    leading = lines[0].lstrip().startswith("|")
    for line in lines:
        separator = _SEPARATOR.fullmatch(line)
        if separator is not None:
            if rows and aligns is None and not footer:
                parts.append(("thead", rows))
                rows, aligns = [], _alignments(separator.group(1))
            elif rows and not footer:
                parts.append(("tbody", rows))
                rows = []
        elif _FOOTER.fullmatch(line):
            if rows:
                parts.append(("tbody", rows))
                rows = []
            footer = True
        else:
            rows.append(_cells(line.rstrip(" \t"), leading))
    if rows:
        parts.append(("tfoot" if footer else "tbody", rows))
    return parts, aligns or []


def _alignments(line: str) -> list[str | None]:
    return [
        _ALIGNMENTS.get((bool(left), bool(right)), "center") for left, right in _ALIGN.findall(line)
    ]


def _cells(line: str, leading: bool) -> list[str]:
    """The row's cells: split at each `|` not escaped and outside code (kept as written)."""
    cells: list[str] = []

    def extend(text: str) -> None:
        if cells:
            cells[-1] += text
        else:
            cells.append(text)

    for i, part in enumerate(_code_elements(line)):
        if i % 2:
            extend(part)
            continue
        pos = 0
        for code in _CODE_SPAN.finditer(part):
            _split_text(part[pos : code.start()], cells, extend)
            extend(code.group(0))
            pos = code.end()
        _split_text(part[pos:], cells, extend)
    if leading and cells and not cells[0].strip():
        cells.pop(0)
    if cells and not cells[-1].strip():
        cells.pop()
    return [cell.strip() for cell in cells]


def _split_text(text: str, cells: list[str], extend: Any) -> None:
    first, *rest = (piece.replace("\\|", "|") for piece in _CELL_PIPE.split(text))
    extend(first)
    cells.extend(rest)


def _tokens(parts: list[Part], aligns: list[str | None], width: int) -> list[dict[str, Any]]:
    return [
        {
            "type": "kramdown_table_part",
            "attrs": {"tag": tag},
            "children": [
                {
                    "type": "kramdown_table_row",
                    "children": [
                        {
                            "type": "kramdown_table_cell",
                            "text": text,
                            "attrs": {"align": aligns[i], "head": tag == "thead"},
                        }
                        for i, text in enumerate(row + [""] * (width - len(row)))
                    ],
                }
                for row in rows
            ],
        }
        for tag, rows in parts
    ]


def _render_part(renderer: Any, text: str, tag: str) -> str:
    return f"<{tag}>\n{text}</{tag}>\n"


def _render_cell(renderer: Any, text: str, align: str | None = None, head: bool = False) -> str:
    tag = "th" if head else "td"
    style = f' style="text-align: {escape(align)}"' if align else ""
    return f"  <{tag}{style}>{text or '&nbsp;'}</{tag}>\n"
