"""Bare URLs, `www.` addresses and email addresses made links, as Hugo makes them.

Hugo's goldmark turns text that looks like an address into a link (its `linkify` extension, on
by default: https://gohugo.io/configuration/markup/#extensions), and syndicate's own sites do
the same. mistune's `url` plugin, which stood in for it, linked `http(s)://` only and ended a
URL at its first `)`: Wikipedia's `https://en.wikipedia.org/wiki/Interval_(mathematics)`
became a link to `...Interval_(mathematics`, and `www.example.com` and `jo@example.org`
stayed text where the site links them.

The rules, as Hugo 0.168.0 applies them (tests/fixtures/linkify: every case there was built
with it, and its HTML is the expected one):

- an address starts a line, follows an inline element (a code span, a link, emphasis), or
  follows a space, `(`, `*`, `_` or `~` (not a tab); never inside a link's text;
- `http://`, `https://` or `ftp://` (lower case), then a host of ASCII letters, digits and
  `-@:%._+~#=` ending in `.` and lower-case letters, an optional `:port`, and a path after
  `/`, `#` or `?` of ASCII letters, digits and ``-@:%_+.~#$!?&/=();,'">^{}[]` ``: a space,
  `<`, `|`, a backslash, `*` or any other character ends it;
- `www.` and the same host and path (no port, no `$`): the link gets `https://`, or Hugo's
  `markup.goldmark.extensions.linkifyProtocol`;
- an email address: RFC 5322's characters before the `@` (the first of them not
  punctuation), a domain of letters, digits and inner hyphens with at least one `.`, not
  followed by `-` or `_`; the link is `mailto:` and the address;
- then, of a URL: the punctuation `?!.,:*_~` at its end is left out; after that, a `)` at its
  end takes away as many characters as there are unmatched `)` in it, and an entity-like
  ending (`&copy;`) is left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

_HOST = r"[-a-zA-Z0-9@:%._+~#=]{1,256}\.[a-z]+"
_PATH = r"-a-zA-Z0-9@:%_+.~#!?&/=();,'\">^{}\[\]`"
_URL = re.compile(rf"(?:https?|ftp)://{_HOST}(?::[0-9]+)?(?:[/#?][{_PATH}$]*)?")
_WWW = re.compile(rf"www\.{_HOST}(?:[/#?][{_PATH}]*)?")
_ATEXT = r"[-A-Za-z0-9!#$%&'*+/=?^_`{|}~.]"
_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
_EMAIL = re.compile(rf"{_ATEXT}+@({_LABEL}(?:\.{_LABEL})*)")
_TRAILING = "?!.,:*_~"
_ENTITY_END = re.compile(r"&[A-Za-z0-9]+;\Z")
# Where an address may start (goldmark's triggers): at the start of a line, right after an
# inline element (goldmark reads each stretch between two as a line of its own), or after a
# space, `(`, `*`, `_` or `~` (not a tab: goldmark tries there and finds no address).
_AFTER = frozenset(" \n(*_~")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# Where an address may begin, wherever it stands: the rule's pattern.
START = rf"(?:https?://|ftp://|www\.|{_ATEXT}++@)"
# Where an email address may begin as a word starts (trying it at every position cost each
# word its length squared): what may come right before one is a space, `(`, `*`, `_`, `~`, or
# the end of an inline element (`` ` ``, `)`, `]`, `>`), never one of its own characters.
_EMAIL_START = rf"(?<![-A-Za-z0-9!#$%&'+/=?^{{|}}.]){_ATEXT}++@"
_START_CHARS = [chr(c) for c in range(33, 127) if re.fullmatch(_ATEXT, chr(c))]


def linkify(md: Any, protocol: str = "https") -> None:
    """A mistune plugin: the addresses in text made links, `www.` ones with `protocol`."""

    def parse(inline: Any, m: re.Match[str], state: Any) -> int | None:
        if state.brackets or state.in_link or state.depth >= inline.max_nested_level:
            return None  # in a link's text it stays text, as in goldmark
        start = m.start()
        if start and state.src[start - 1] not in _AFTER and after_text(state):
            return None
        found = address(state.src, start, protocol)
        if found is None:
            return None
        end, href = found
        text = state.src[start:end]
        state.append_token(
            {
                "type": "link",
                "children": [{"type": "text", "raw": text}],
                "attrs": {"url": _escaped(href)},
                "_autolink": text,
            }
        )
        return end

    # Every character an address may start with, for mistune's own scanner (the quick one
    # searches with `scanners` instead: `markdown._quick_scanner`).
    md.inline.register("linkify", START, parse, start_chars=_START_CHARS)


def scanners(
    chars: str, stops: Mapping[str, str] | None = None, addresses: bool = True
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What mistune's quick scanner searches text with (see `markdown._quick_scanner`): the
    characters other rules start with (`chars`, escaped for a character class), each of
    `stops`' characters where what follows matches its pattern (a typographer's: `-` only
    before another), and, with `addresses`, where a URL or `www.` begins; the second also where
    an email address may, for a text with an `@`. One class first, then a look at what
    follows: Python's regex engine tries each position against it at a time, which is quicker
    than against alternatives."""
    stops = stops or {}
    looks = [rf"(?<=[{chars}])"]
    if addresses:
        looks += [r"(?<=h)(?=ttps?://)", r"(?<=f)(?=tp://)", r"(?<=w)(?=ww\.)"]
    looks += [
        rf"(?<={re.escape(c)})" + (f"(?={follow})" if follow else "") for c, follow in stops.items()
    ]
    lead = chars + ("hfw" if addresses else "") + re.escape("".join(stops))
    plain = re.compile(rf"[{lead}](?:{'|'.join(looks)})")
    if not addresses:
        return plain, plain  # the same pattern: nothing to look for in a text with an `@`
    return plain, re.compile(rf"{plain.pattern}|{_EMAIL_START}")


def after_text(state: Any) -> bool:
    """Whether what stands before the scanner's position is text (every stretch of text before
    it is in the tokens by then), not an inline element such as a code span or a link: where
    goldmark starts a line anew, and where kramdown's scanner may start a match one character
    early (`kramdown_typography`)."""
    return not state.tokens or state.tokens[-1].get("type") == "text"


def linkify_http(md: Any) -> None:
    """`linkify`, with `http://` for `www.` addresses (`linkifyProtocol = "http"`)."""
    linkify(md, "http")


def address(src: str, pos: int, protocol: str = "https") -> tuple[int, str] | None:
    """The end of the address that starts at `pos` of `src`, and its link; None if none does."""
    www = False
    m = _URL.match(src, pos) if src.startswith(("http:", "https:", "ftp:"), pos) else None
    if m is None and src.startswith("www.", pos):
        m, www = _WWW.match(src, pos), True
    if m is not None:
        end = _url_end(src, pos, m.end())
        text = src[pos:end]
        return end, f"{protocol}://{text}" if www else text
    return _email(src, pos)


def _url_end(src: str, start: int, end: int) -> int:
    while end - 1 > start and src[end - 1] in _TRAILING:
        end -= 1
    if src[end - 1] == ")":
        text = src[start:end]
        unmatched = text.count(")") - text.count("(")
        if unmatched > 0:
            end -= unmatched  # characters, not only parentheses, as goldmark counts them
    elif src[end - 1] == ";":
        entity = _ENTITY_END.search(src, start, end)
        if entity is not None:
            end = entity.start()
    return end


def _email(src: str, pos: int) -> tuple[int, str] | None:
    if src[pos] in _ASCII_PUNCT:
        return None
    m = _EMAIL.match(src, pos)
    if m is None or "." not in src[m.start(1) : m.end() - 1]:
        return None
    if src.startswith(("-", "_"), m.end()):
        return None
    return m.end(), f"mailto:{m.group()}"


_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _escaped(url: str) -> str:
    """The link as goldmark writes it: what a URL may hold as it is stays (its `'`, `(`, `)`,
    `%XX`), anything else is percent-encoded (`"` is `%22`, `{` is `%7B`); an entity stays
    as written, not read (`&amp;` in the text is `&amp;` in the address)."""
    return quote(_LONE_PERCENT.sub("%25", url), safe="!#$%&'()*+,/:;=?@")
