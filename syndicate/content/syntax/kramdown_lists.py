"""kramdown's paragraphs in list items, for Jekyll sites: the lists Jekyll's page has.

kramdown decides item by item whether the first paragraph of a list item is wrapped in `<p>`
(kramdown 2.4's parser/kramdown/list.rb, `parse_list`): it is, when a blank line follows it
in the item (the blank line before the next item is the item's own), except that the last
item's paragraph followed by that blank alone is not; and the last item's is wrapped when the
first paragraph of every item above it is. Any other paragraph of an item is wrapped.
CommonMark, which mistune follows, makes a whole list loose or tight instead: the release
notes of www.ruby-lang.org (`* RubyGems\\n  * ...\\n\\n* Bundler\\n  * ...`) had every item's
text in a paragraph of its own where Jekyll's page has none.
"""

from __future__ import annotations

import re
from typing import Any

import mistune.list_parser as _list_parser
from mistune.block_parser import BlockParser
from mistune.core import BlockState

# The blank lines that end each item of the lists being read, innermost list last, kept in
# the parse's env (shared by its child states): True where a blank line comes before the
# next item.
_BLANKS = "kramdown_list_blanks"
_collect_lines = _list_parser._collect_list_item_lines


def _recording_lines(
    block: BlockParser,
    list_item_re: re.Pattern[str],
    break_sc: re.Pattern[str],
    state: BlockState,
    text: str,
    continue_width: int,
) -> _list_parser._ListItemLines:
    """mistune's own reading of an item's lines, noting, for a kramdown list, whether a blank
    line separates the item from the next (mistune says it of the list only: `loose`)."""
    lines = _collect_lines(block, list_item_re, break_sc, state, text, continue_width)
    stack = state.env.get(_BLANKS)
    if stack:
        stack[-1].append(lines.next_item is not None and lines.loose)
    return lines


_list_parser._collect_list_item_lines = _recording_lines


def kramdown_lists(md: Any) -> None:
    """A mistune plugin: lists read as mistune reads them, their paragraphs as kramdown's."""
    md.block.register("list", None, _parse_list)


def _parse_list(block: Any, m: re.Match[str], state: Any) -> int | None:
    before = {id(t) for t in state.tokens}
    stack = state.env.setdefault(_BLANKS, [])
    stack.append([])
    try:
        end: int | None = _list_parser.parse_list(block, m, state)
    finally:
        blanks = stack.pop()
    for token in state.tokens:
        if token["type"] == "list" and id(token) not in before:
            _kramdown_paragraphs(token["children"], blanks)
    return end


def _kramdown_paragraphs(items: list[dict[str, Any]], blanks: list[bool]) -> None:
    """Each item's first paragraph wrapped or not as kramdown's `parse_list` decides, every
    other paragraph wrapped."""
    earlier_unwrapped = False  # an item above does not start with a wrapped paragraph
    for index, item in enumerate(items):
        children = item["children"]
        if not children:
            earlier_unwrapped = True
            continue
        blank = [{"type": "blank_line"}] if index < len(blanks) and blanks[index] else []
        kramdown_children = [*children, *blank]
        first, last = children[0], index == len(items) - 1
        is_paragraph = first["type"] in ("paragraph", "block_text")
        transparent = (
            is_paragraph
            and (
                len(kramdown_children) < 2
                or kramdown_children[1]["type"] != "blank_line"
                or (last and len(kramdown_children) == 2)
            )
            and (not last or len(items) == 1 or earlier_unwrapped)
        )
        if is_paragraph:
            first["type"] = "block_text" if transparent else "paragraph"
        for child in children[1:]:
            if child["type"] == "block_text":
                child["type"] = "paragraph"
        earlier_unwrapped = earlier_unwrapped or not is_paragraph or transparent
