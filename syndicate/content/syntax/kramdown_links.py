"""kramdown's link definitions, for Jekyll sites: `[label]: url` takes the URL as written.

CommonMark takes a definition's URL only without spaces and with balanced parentheses; a
definition it refuses is text, and so is every definition on the lines after it (a definition
cannot interrupt a paragraph). kramdown takes the rest of the line, or what is between `<` and
`>`, and a title after it in quotes, on that line or the next (kramdown 2.4's
parser/kramdown/link.rb, `LINK_DEFINITION_START` and `parse_link_definition`). A later
definition of a label replaces an earlier one, as kramdown's does. crystal-lang.org's
`[patch]: https://github.com/.../commit/c948b31)` left that post's five definitions as text
and their links as brackets.
"""

from __future__ import annotations

import re
from typing import Any

_DEFINITION = (
    r"^ {0,3}\[(?P<kd_label>[^\n\]]+)\]:[ \t]*"
    r"(?:<(?P<kd_angle>[^\n]*?)>|(?P<kd_url>[^\n]*?\S[^\n]*?))"
    r"(?:(?:[ \t]*?\n|[ \t]+?)[ \t]*?(?P<kd_quote>[\"'])(?P<kd_title>[^\n]+?)(?P=kd_quote))?"
    r"[ \t]*?(?:\n|$)"
)
_QUOTE_AFTER_SPACE = re.compile(r"[ \t]+[\"']")


def kramdown_links(md: Any) -> None:
    """A mistune plugin: kramdown's link definitions in place of CommonMark's."""
    md.block.register("ref_link", _DEFINITION, _parse)


def _parse(block: Any, m: re.Match[str], state: Any) -> int | None:
    from mistune.util import escape_url, unikey

    end = state.append_paragraph()
    if end:
        return int(end)  # a definition does not interrupt a paragraph, in kramdown either
    url = m.group("kd_angle") if m.group("kd_angle") is not None else m.group("kd_url")
    if m.group("kd_url") is not None and _QUOTE_AFTER_SPACE.search(m.group("kd_url")):
        return None  # kramdown's own refusal: a title it could not read
    key = unikey(m.group("kd_label"))
    if not key:
        return None
    data = {"url": escape_url(url.strip()), "label": m.group("kd_label")}
    if m.group("kd_title"):
        data["title"] = m.group("kd_title")
    state.env.setdefault("ref_links", {})[key] = data  # the last one wins, as in kramdown
    return m.end()
