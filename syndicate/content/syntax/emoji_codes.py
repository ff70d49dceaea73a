"""Hugo's `enableEmoji`: `:smile:` in a post's text -> 😄, as goldmark's emoji extension does.

Hugo (markup/goldmark/convert.go) adds yuin/goldmark-emoji when `enableEmoji` is true: an inline
rule, so a code in a code span or block stays as written, and a name it does not know stays
text. Its names are GitHub's (gemoji), which the `emoji` package has as its "alias" language.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_NAME = r":(?P<emoji_name>[a-zA-Z0-9_+\-]+):"


@functools.lru_cache(maxsize=4096)
def emoji_of(name: str) -> str | None:
    """The emoji GitHub calls `name` (`smile`, `+1`), or None."""
    import emoji  # ~40 ms: only for a site that turns emoji on

    code = f":{name}:"
    found: str = emoji.emojize(code, language="alias")
    return None if found == code else found


def emoji_codes(md: Any) -> None:
    """A mistune plugin: each `:name:` GitHub knows becomes its emoji."""

    def parse(inline: Any, m: re.Match[str], state: Any) -> int | None:
        found = emoji_of(m.group("emoji_name"))
        if found is None:
            return None  # not an emoji: mistune keeps the colon as text and reads on
        state.append_token({"type": "text", "raw": found})
        return m.end()

    md.inline.register("emoji_code", _NAME, parse, start_chars=":")
