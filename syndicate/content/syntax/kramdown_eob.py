"""kramdown's end-of-block marker, for Jekyll sites: a line holding only `^`.

kramdown ends the block before such a line and writes nothing of it (kramdown 2.4's
parser/kramdown/eob.rb, `EOB_MARKER = /^\\^\\s*?\\n/`; syntax.page, "End-Of-Block Marker"): it
parts two lists that would otherwise be one, or a list item from a paragraph that follows.
Read as CommonMark, the `^` stayed in the feed as text, a lazy line of the paragraph above it
(www.ruby-lang.org's 2008-2009 release notes, each download's list item ended by one).
"""

from __future__ import annotations

import re
from typing import Any

import mistune.list_parser as _list_parser
from mistune.block_parser import BlockParser

_NAME = "kramdown_eob"
_MARKER = r"^\^[ \t]*(?:\n|$)"
_list_breaks = _list_parser._get_list_break_rules


def _list_breaks_with_marker(block: BlockParser) -> list[str]:
    """The rules that end a list item: mistune's, and the marker where kramdown's is read."""
    rules = _list_breaks(block)
    return [*rules, _NAME] if _NAME in block.specification else rules


_list_parser._get_list_break_rules = _list_breaks_with_marker


def kramdown_eob(md: Any) -> None:
    """A mistune plugin: a `^` line ends the block above it, and is not written."""
    md.block.register(_NAME, _MARKER, _parse, before="paragraph")
    md.block.insert_rule(md.block.list_rules, _NAME, before="paragraph")
    md.block.insert_rule(md.block.block_quote_rules, _NAME, before="paragraph")


def _parse(block: BlockParser, m: re.Match[str], state: Any) -> int:
    # A blank line's token, which writes nothing, so that the text after the marker starts a
    # paragraph of its own instead of running on in the one above (`add_paragraph`).
    state.append_token({"type": "blank_line"})
    return m.end()
