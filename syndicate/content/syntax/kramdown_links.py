"""kramdown's links, for Jekyll sites: `[label]: url` and `[text](url)` take the URL as written.

CommonMark takes a definition's URL only without spaces and with balanced parentheses; a
definition it refuses is text, and so is every definition on the lines after it (a definition
cannot interrupt a paragraph). kramdown takes the rest of the line, or what is between `<` and
`>`, and a title after it in quotes, on that line or the next (kramdown 2.4's
parser/kramdown/link.rb, `LINK_DEFINITION_START` and `parse_link_definition`). A later
definition of a label replaces an earlier one, as kramdown's does. crystal-lang.org's
`[patch]: https://github.com/.../commit/c948b31)` left that post's five definitions as text
and their links as brackets.

An inline link's or image's URL is read as kramdown reads it too (`parse_link`, same file,
lines 108-143): spaces are part of it, which CommonMark refuses (crystal-lang.org's
`![](/assets/blog/2024/2024-09-19 helvetic-ruby johannes müller.jpg)` was shown as text), and
parentheses are its own, balanced, not a title's. mistune still finds the brackets; only what
follows `](` is read kramdown's way. The URL is percent-encoded (`a%20b.jpg`), as browsers
request it and as a feed must hold it.
"""

from __future__ import annotations

import contextvars
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# A definition, `[label]: url "title"`, its title on its line or the next, read so that nothing
# is read twice: the lazy form before (`[^\n]*?\S[^\n]*?` for the URL, `[ \t]+?[ \t]*?` before a
# title's quote) tried every way of cutting a line, 10 s for 800 spaces and tabs. A run of
# spaces is taken whole: a URL ending inside one succeeds only where it would without it, and
# a title's quote is where the run ends. A title on the definition's line closes with the
# line's last character (`kd_end`): only a quote of its kind may open one, and the first that
# may does, so a line is read once. tests/test_syntax_jekyll.py holds it to the earlier form.
_DEFINITION = (
    r"^ {0,3}\[(?P<kd_label>[^\n\]]+)\]:[ \t]*+"
    r"(?=(?:[^\n]*(?P<kd_end>[\"'])[ \t]*+$)?)"
    r"(?:<(?P<kd_angle>[^\n]*?)>|(?P<kd_url>[^\S\n]*+\S(?:[ \t]*+[^ \t\n])*?))"
    r"(?:[ \t]++(?P<kd_quote>(?P=kd_end))(?P<kd_title>[^\n]+?)(?P=kd_quote)"
    r"|[ \t]*+\n[ \t]*+(?P<kd_next_quote>[\"'])(?P<kd_next_title>[^\n]+?)(?P=kd_next_quote))?"
    r"[ \t]*?(?:\n|$)"
)
# A space or tab before a quote: a run's last one (`[ \t]+` read each run again from each of its
# characters).
_QUOTE_AFTER_SPACE = re.compile(r"[ \t][\"']")


# Ruby's `\s`, which kramdown's patterns use: ASCII whitespace only.
_SPACE = " \t\n\v\f\r"
# link.rb:109, `\(<(.*?)>`: `.` is not a newline (no /m).
_ANGLE = re.compile(r"\(<(.*?)>")
# link.rb:54, LINK_PAREN_STOP_RE: a parenthesis, or a space before the title's quote.
_PAREN_STOP = re.compile(rf"""(\()|(\))|[{_SPACE}](?=['"])""")
# link.rb:56, LINK_INLINE_TITLE_RE (with /m: the title may span lines).
_TITLE = re.compile(rf"""[{_SPACE}]*?(["'])(.+?)\1[{_SPACE}]*?\)""", re.DOTALL)
# The WHATWG URL standard removes tabs and newlines from a URL before parsing it: what a
# browser requests for a URL written over two lines.
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
# Set while the Jekyll parser closes a link's brackets (`_reading_kramdowns_way`).
_KRAMDOWN_URLS = contextvars.ContextVar("kramdown_urls", default=False)


def kramdown_links(md: Any) -> None:
    """A mistune plugin: kramdown's link definitions and inline links' URLs in place of
    CommonMark's."""
    md.block.register("ref_link", _DEFINITION, _parse)
    if _read_urls_kramdowns_way():
        closing = md.inline.parse_link_close

        def close(inline: Any, m: re.Match[str], state: Any) -> int:
            with _reading_kramdowns_way():
                return int(closing(m, state))

        md.inline.register("link_close", None, close, start_chars="]")


def inline_link(src: str, start: int) -> tuple[str, str | None, int] | None:
    """kramdown's inline link at `src[start]`, its `(`: the URL and title as written, and
    where the link ends; None where kramdown leaves the text as it is (link.rb:108-143)."""
    angle = _ANGLE.match(src, start)
    if angle is not None:
        url, pos = angle.group(1), angle.end()
        if src.startswith(")", pos):
            return url, None, pos + 1
    else:
        url, pos, balanced = _up_to_balance(src, start)
        if balanced:
            return url, None, pos
    title = _TITLE.match(src, pos)
    return (url, title.group(2), title.end()) if title is not None else None


def _up_to_balance(src: str, start: int) -> tuple[str, int, bool]:
    """The URL from the `(` at `start` to the `)` that balances it, or to a space before a
    quote: the URL stripped, where the scan stopped, and whether the parentheses balanced."""
    global _stops
    if _stops is None or _stops.src is not src:
        _stops = _Stops(src)
    pos, balanced = _stops.scan(start)
    # kramdown drops the `(` and the last character read, a `)` or the space (`[1..-2]`).
    return src[start + 1 : pos - 1].strip(_SPACE + "\0"), pos, balanced


class _Stops:
    """Where kramdown's scan from each `(` of a text stops (link.rb:116-128: `)` by `)`, to
    the one that balances it, or to a space before a quote), found for all of them at once:
    scanning from each, a text of `[a](` repeated read the rest of the text at each one
    (3 s for 20 KB). One pass from the end keeps, for each depth, the nearest `)` that comes
    back to it, and the nearest space before a quote."""

    def __init__(self, src: str) -> None:
        self.src = src
        steps, self._ends = [], []
        for stop in _PAREN_STOP.finditer(src):  # one character each: the same from any start
            steps.append(1 if stop.group(1) else -1 if stop.group(2) else 0)
            self._ends.append(stop.end())
        self._index = {self._ends[i] - 1: i for i, step in enumerate(steps) if step == 1}
        self._stop: list[tuple[int, bool] | None] = [None] * len(steps)
        depth = list(itertools.accumulate(steps, initial=0))  # before each stop
        back: dict[int, int] = {}
        quote: int | None = None
        for i in range(len(steps) - 1, -1, -1):
            balancing = back.get(depth[i])
            found = [(j, j == balancing) for j in (balancing, quote) if j is not None]
            self._stop[i] = min(found) if found else None
            back[depth[i + 1]] = i
            if not steps[i]:
                quote = i

    def scan(self, start: int) -> tuple[int, bool]:
        """Where the scan from the `(` at `start` stops (the end of what it read last), and
        whether it stopped at the `)` that balances it."""
        i = self._index.get(start)
        if i is None:
            return _scan_from(self.src, start)
        stop = self._stop[i]
        if stop is None:
            return self._ends[-1], False  # read to the end, unbalanced
        return self._ends[stop[0]], stop[1]


def _scan_from(src: str, start: int) -> tuple[int, bool]:
    """`_Stops.scan` from a place that is no `(`, stop by stop."""
    depth, pos = 0, start
    for stop in _PAREN_STOP.finditer(src, start):
        pos = stop.end()
        if stop.group(2):
            depth -= 1
            if depth == 0:
                break
        elif stop.group(1):
            depth += 1
        else:
            break
    return pos, depth == 0


_stops: _Stops | None = None


def _kramdown_destination(src: str, pos: int) -> tuple[dict[str, str], int] | tuple[None, None]:
    """`inline_link` in the form of mistune's `parse_link`, which is given the position
    after the `(`."""
    from mistune.util import escape_url

    found = inline_link(src, pos - 1)
    if found is None:
        return None, None
    url, title, end = found
    attrs = {"url": escape_url(url.translate(_TAB_OR_NEWLINE))}
    if title:
        attrs["title"] = title
    return attrs, end


@contextmanager
def _reading_kramdowns_way() -> Iterator[None]:
    token = _KRAMDOWN_URLS.set(True)
    try:
        yield
    finally:
        _KRAMDOWN_URLS.reset(token)


def _read_urls_kramdowns_way() -> bool:
    """mistune (3.4) reads what follows a link's `](` with `parse_link`, which its link module
    imports. That name is given, once for the process, a reader that reads kramdown's way
    while a Jekyll parser closes a link (`_KRAMDOWN_URLS`) and asks mistune's own otherwise;
    False, and nothing changes, if mistune's internals differ."""
    try:
        from mistune._inline import links
    except ImportError:
        return False
    own = getattr(links, "parse_link", None)
    if not callable(own):
        return False
    if getattr(own, "kramdown", False):
        return True

    def parse_link(src: str, pos: int, **options: Any) -> Any:
        if _KRAMDOWN_URLS.get():
            return _kramdown_destination(src, pos)
        return own(src, pos, **options)

    parse_link.kramdown = True  # type: ignore[attr-defined]
    links.parse_link = parse_link  # type: ignore[attr-defined]
    return True


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
    if title := m.group("kd_title") or m.group("kd_next_title"):
        data["title"] = title
    state.env.setdefault("ref_links", {})[key] = data  # the last one wins, as in kramdown
    return m.end()
