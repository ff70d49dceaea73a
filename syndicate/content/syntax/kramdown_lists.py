"""kramdown's paragraphs in list items, for Jekyll sites: the lists Jekyll's page has.

kramdown decides item by item whether the first paragraph of a list item is wrapped in `<p>`
(kramdown 2.4's parser/kramdown/list.rb, `parse_list`): it is, when a blank line follows it
in the item (the blank line before the next item is the item's own), except that the last
item's paragraph followed by that blank alone is not; and the last item's is wrapped when the
first paragraph of every item above it is. Any other paragraph of an item is wrapped.
CommonMark, which mistune follows, makes a whole list loose or tight instead: the release
notes of www.ruby-lang.org (`* RubyGems\\n  * ...\\n\\n* Bundler\\n  * ...`) had every item's
text in a paragraph of its own where Jekyll's page has none.

A definition (`: text` under a term) is read the same way (`parse_definition_list`): its first
paragraph is wrapped only when a blank line comes before its `:` line, whatever follows it,
and its lines are indented by the width of the `:` and the spaces after it, so that a code
block in it is indented four more (`:` + 1 space, then 6 spaces: code); mistune wrapped a
first paragraph that had more after it, and took up to four spaces off every line, which made
such code a paragraph.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

import mistune.list_parser as _list_parser
import mistune.plugins.def_list as _def_list
from mistune.block_parser import BlockParser
from mistune.core import BlockState
from mistune.util import strip_end

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


# The block parsers of kramdown's Markdown, whose definitions `_definition` reads as kramdown.
_KRAMDOWN: weakref.WeakSet[BlockParser] = weakref.WeakSet()
_definition_text = _def_list._process_text


def _definition(block: BlockParser, text: str, loose: bool) -> list[dict[str, Any]]:
    """A definition's blocks: mistune's, or, for kramdown's Markdown, kramdown's (`loose`: a
    blank line comes before its `:` line)."""
    if block not in _KRAMDOWN:
        return _definition_text(block, text, loose)
    width = len(text) - len(text.lstrip(" "))  # the `:` (as a space) and the spaces after it
    state = block.state_cls()
    state.process(strip_end(re.sub(rf"(?m)^ {{0,{width}}}", "", text)))
    block.parse(state, block.list_rules)
    tokens: list[dict[str, Any]] = state.tokens
    for index, token in enumerate(tokens):
        if token["type"] in ("paragraph", "block_text"):
            token["type"] = "block_text" if index == 0 and not loose else "paragraph"
    return tokens


_def_list._process_text = _definition


def kramdown_lists(md: Any) -> None:
    """A mistune plugin: lists and definitions read as mistune reads them, their paragraphs
    and a definition's indentation as kramdown's."""
    md.block.register("list", None, _parse_list)
    _KRAMDOWN.add(md.block)
    # In a list item or a quote too, where kramdown reads a definition list as well
    # (www.ruby-lang.org's 2010 release notes: `* [<URL:...>][1]\n  SIZE\n  :   84954 bytes`).
    for rules in (md.block.list_rules, md.block.block_quote_rules):
        if "def_list" in md.block.rules and "def_list" not in rules:
            md.block.insert_rule(rules, "def_list", before="paragraph")


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
