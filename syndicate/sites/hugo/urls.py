"""Where Hugo publishes a page, and how it writes a name in a URL.

Followed: https://gohugo.io/content-management/urls/ (the default path, `slug`, `url`,
`permalinks` and their tokens, `uglyURLs`), https://gohugo.io/configuration/permalinks/,
https://gohugo.io/configuration/all/#disablepathtolower and #removepathaccents,
https://gohugo.io/functions/urls/urlize/. Checked against Hugo's source at HUGO_COMMIT (see
the package's docstring): resources/page/page_paths.go (`CreateTargetPaths`),
hugolib/page__paths.go (`createTargetPathDescriptor`), resources/page/permalinks.go (the
tokens, `sectionToPathGlob`, `toSliceFunc`), helpers/path.go (`MakePathSanitized`),
helpers/url.go (`URLize`), common/paths/path.go (`Sanitize`, `PathEscape`),
common/paths/pathparser.go (`NormalizePathStringBasic`), helpers/pathspec.go
(`PermalinkForBaseURL`: the link below the base URL, whose own path is kept).
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import unquote_to_bytes

from ...datatype import datatype

# ---------------------------------------------------------------------------------------------
# Hugo's text -> path rules


_MARKS = ("Mn", "Mc", "Me")
_ALLOWED_PUNCTUATION = frozenset("./\\_#+~-@")


def _allowed(text: str, i: int, char: str) -> bool:
    """isAllowedPathCharacter (common/paths/path.go): letters, digits, marks, `./\\_#+~-@`, and
    `%` when two hex digits follow."""
    if char == " ":
        return False
    if char.isalpha() or unicodedata.category(char) == "Nd" or char in _ALLOWED_PUNCTUATION:
        return True
    if unicodedata.category(char) in _MARKS:
        return True
    return (
        char == "%"
        and i + 2 < len(text)
        and all(c in "0123456789abcdefABCDEF" for c in text[i + 1 : i + 3])
    )


def sanitize(text: str) -> str:
    """paths.Sanitize: every character outside the allowed set dropped, a run of white space
    between kept characters one `-` (none at the start; a `-` written next to it is kept as
    the only one)."""
    out: list[str] = []
    hyphen_next = was_hyphen = False
    for i, char in enumerate(text):
        if _allowed(text, i, char):
            was_hyphen = char == "-"
            if hyphen_next and not was_hyphen:
                out.append("-")
            hyphen_next = False
            out.append(char)
        elif out and not was_hyphen and char.isspace():
            hyphen_next = True
    return "".join(out)


def remove_accents(text: str) -> str:
    """text.RemoveAccentsString: decomposed, nonspacing marks dropped, composed again."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", kept)


@datatype
class Case:
    """The two settings that change how Hugo writes a path."""

    lower: bool = True  # not `disablePathToLower`
    accents: bool = True  # not `removePathAccents`

    def path(self, text: str) -> str:
        """MakePathSanitized."""
        text = sanitize(text)
        if not self.accents:
            text = remove_accents(text)
        return text.lower() if self.lower else text

    def urlize(self, text: str) -> str:
        """URLize: the sanitized path, escaped as net/url writes it (non-ASCII as UTF-8
        percent escapes, upper-case hex)."""
        return url_string(self.path(text))


# net/url's shouldEscape for a path (encodePath): ASCII letters and digits, `-_.~`, and
# `$&+,/:;=@` are written as they are.
_PATH_KEEPS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~$&+,/:;=@"
)
# validEncoded also accepts these in a path as written.
_VALID_IN_PATH = _PATH_KEEPS | frozenset("!$&'()*+,;=:@[]%")


def _escape(text: str, keeps: frozenset[str]) -> str:
    return "".join(
        c if c in keeps else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogateescape"))
        for c in text
    )


def _unescape(text: str) -> str | None:
    """The path's percent escapes decoded, or None where one is malformed (url.Parse fails)."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", text):
        return None
    return unquote_to_bytes(text).decode("utf-8", errors="surrogateescape")


def escaped_path(path: str) -> str:
    """url.URL.EscapedPath of `path` as url.Parse reads it: the path as written when it is a
    valid encoding of itself, else every byte net/url escapes in a path escaped."""
    decoded = _unescape(path)
    if decoded is None:
        raise ValueError(f"{path!r} holds a % that starts no escape")
    if all(c in _VALID_IN_PATH for c in path) and path != _escape(decoded, _PATH_KEEPS):
        return path
    return _escape(decoded, _PATH_KEEPS)


def url_string(link: str) -> str:
    """url.Parse(link).String() for a link without scheme or host: its path escaped, then
    `?query` and `#fragment` as written (a `#` with nothing after it goes)."""
    link, hash_, fragment = link.partition("#")
    link, question, query = link.partition("?")
    text = escaped_path(link) + question + query
    return text + "#" + fragment if hash_ and fragment else text


# ---------------------------------------------------------------------------------------------
# Permalink patterns


class Unsupported(Exception):
    """A token or setting Hugo knows and syndicate does not compute (the message names it)."""


ATTRIBUTE = re.compile(r":\w+(\[.+?\])?", re.ASCII)
_ESCAPED_COLON = "\x00"

KNOWN_TOKENS = frozenset(
    {
        "year",
        "month",
        "monthname",
        "day",
        "weekday",
        "weekdayname",
        "yearday",
        "section",
        "sectionslug",
        "sections",
        "sectionslugs",
        "title",
        "slug",
        "slugorfilename",
        "filename",
        "contentbasename",
        "slugorcontentbasename",
    }
)

# Go's time layout elements a `:\w+` token can hold (time/format.go nextStdChunk), longest
# first where one starts another. A zone (`MST`, `Z07`) is not computed: syndicate does not
# know the abbreviation Go would print.
_GO_LAYOUT = re.compile(
    r"January|Jan|Monday|Mon|MST|2006|_2006|__2|_2|002|01|02|03|04|05|06|15|1|2|3|4|5|PM|pm|Z07"
)


def go_layout(layout: str) -> bool:
    """Whether Hugo reads a token as a Go time layout (`referenceTime.Format(attr) != attr`)."""
    return _GO_LAYOUT.search(layout) is not None


_MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def go_format(layout: str, when: datetime) -> str:
    """time.Time.Format for the layout elements a permalink token can hold."""
    hour12 = when.hour % 12 or 12
    values: dict[str, str] = {
        "January": _MONTHS[when.month - 1],
        "Jan": _MONTHS[when.month - 1][:3],
        "Monday": _DAYS[(when.weekday() + 1) % 7],
        "Mon": _DAYS[(when.weekday() + 1) % 7][:3],
        "2006": f"{when.year:04d}",
        "_2006": f"_{when.year:04d}",  # Go: "_" then the year
        "__2": f"{when.timetuple().tm_yday:3d}",
        "_2": f"{when.day:2d}",
        "002": f"{when.timetuple().tm_yday:03d}",
        "01": f"{when.month:02d}",
        "02": f"{when.day:02d}",
        "03": f"{hour12:02d}",
        "04": f"{when.minute:02d}",
        "05": f"{when.second:02d}",
        "06": f"{when.year % 100:02d}",
        "15": f"{when.hour:02d}",
        "1": str(when.month),
        "2": str(when.day),
        "3": str(hour12),
        "4": str(when.minute),
        "5": str(when.second),
        "PM": "PM" if when.hour >= 12 else "AM",
        "pm": "pm" if when.hour >= 12 else "am",
    }

    def one(match: re.Match[str]) -> str:
        if match.group() not in values:
            raise Unsupported(f"the time zone in :{layout}")
        return values[match.group()]

    return _GO_LAYOUT.sub(one, layout)


def date_token(name: str, when: datetime) -> str:
    """pageToPermalinkDate."""
    weekday = (when.weekday() + 1) % 7  # Go counts from Sunday
    named = {
        "year": str(when.year),
        "month": f"{when.month:02d}",
        "monthname": _MONTHS[when.month - 1],
        "day": f"{when.day:02d}",
        "weekday": str(weekday),
        "weekdayname": _DAYS[weekday],
        "yearday": str(when.timetuple().tm_yday),
    }
    return named[name] if name in named else go_format(name, when)


def unknown_tokens(pattern: str) -> list[str]:
    """The tokens of `pattern` Hugo does not know (it refuses to build with them)."""
    pattern = pattern.replace("\\:", _ESCAPED_COLON)
    unknown: list[str] = []
    for match in ATTRIBUTE.finditer(pattern):
        name = match.group()[1:]
        if name in KNOWN_TOKENS or go_layout(name):
            continue
        if name.startswith(("sections[", "sectionslugs[")):
            continue
        unknown.append(match.group())
    return unknown


def slice_of(cut: str, entries: Sequence[str]) -> list[str]:
    """toSliceFunc: `[1:]`, `[:2]`, `[last]`, `[0]`, lenient when out of range."""
    cut = cut.strip().lower()
    if not cut:
        return list(entries)
    if len(cut) < 3 or cut[0] != "[" or cut[-1] != "]":
        return []
    inner = cut[1:-1]

    def index(text: str, low: bool) -> int:
        if text == "":
            return 0 if low else len(entries)
        if text == "last":
            return len(entries) - 1
        try:
            n = max(int(text), 0)
        except ValueError:
            n = 0  # strconv.Atoi's error gives 0
        if n >= len(entries):
            return -1 if low else len(entries)
        return n

    if not entries:
        return []
    if ":" not in inner:
        n = index(inner, True)
        return [] if n < 0 or not entries[n] else [entries[n]]
    first, _, second = inner.partition(":")
    n1, n2 = index(first, True), index(second.split(":")[0], False)
    if n1 < 0 or n2 < 0:
        return []
    return list(entries[n1:n2])


class PageFacts:
    """What the tokens of a permalink pattern read of one regular page. The sections are
    looked up only when a token asks for them (they read the section pages' files)."""

    def __init__(
        self,
        title: str,
        slug: str,
        base_name: str,
        section: str,
        date: datetime,
        sections: Callable[[], tuple[str, ...]] = tuple,
        section_slugs: Callable[[], tuple[str | None, ...]] = tuple,
    ) -> None:
        self.title = title
        self.slug = slug  # Hugo's own (front matter, or a `:filename` date's), "" when none
        self.base_name = base_name  # the name without language and extension; a bundle's folder
        self.section = section  # the top-level section, as Hugo writes it in the path
        self.date = date
        self._sections = sections
        self._section_slugs = section_slugs

    @functools.cached_property
    def sections(self) -> tuple[str, ...]:
        """The page's current section's path, top first."""
        return self._sections()

    @functools.cached_property
    def section_slugs(self) -> tuple[str | None, ...]:
        """Each section's slug, else its title, urlized: None where syndicate cannot tell."""
        return self._section_slugs()


def expand(pattern: str, page: PageFacts, case: Case) -> str:
    """The pattern with each token replaced as getOrParsePattern does: one after the other,
    each at its first occurrence; `\\:` is a colon."""
    pattern = pattern.replace("\\:", _ESCAPED_COLON)
    result = pattern
    for match in ATTRIBUTE.finditer(pattern):
        result = result.replace(match.group(), _token(match.group()[1:], page, case), 1)
    return result.replace(_ESCAPED_COLON, ":")


def _token(name: str, page: PageFacts, case: Case) -> str:
    slug_else: Callable[[Callable[[], str]], str] = lambda other: (  # noqa: E731
        case.urlize(page.slug) if page.slug else other()
    )
    if name in ("year", "month", "monthname", "day", "weekday", "weekdayname", "yearday"):
        return date_token(name, page.date)
    if name == "section":
        return page.section
    if name == "sections":
        return "/" + "/".join(page.sections)
    if name.startswith("sections["):
        return posixpath.join(*slice_of(name[len("sections") :], page.sections) or [""])
    if name in ("sectionslug", "sectionslugs") or name.startswith("sectionslugs["):
        return _section_slugs(name, page)
    if name == "title":
        return case.urlize(page.title)
    if name == "slug":
        return slug_else(lambda: case.urlize(page.title))
    if name in ("filename", "contentbasename"):
        return case.urlize(page.base_name)
    if name in ("slugorfilename", "slugorcontentbasename"):
        return slug_else(lambda: case.urlize(page.base_name))
    if go_layout(name):
        return go_format(name, page.date)
    raise Unsupported(f":{name}")  # refused when the config is read: not reached


def _section_slugs(name: str, page: PageFacts) -> str:
    if name == "sectionslug":
        wanted = list(page.section_slugs[:1])
    elif name == "sectionslugs":
        wanted = list(page.section_slugs)
    else:
        indices = list(range(len(page.section_slugs)))
        chosen = slice_of(name[len("sectionslugs") :], [str(i) for i in indices])
        wanted = [page.section_slugs[int(i)] for i in chosen]
    if any(slug is None for slug in wanted):
        raise Unsupported(f":{name} (a section's title Hugo makes up from its folder name)")
    return posixpath.join(*(s for s in wanted if s is not None)) if wanted else ""


# ---------------------------------------------------------------------------------------------
# A page's path


@datatype
class Place:
    """Where a regular page is, as CreateTargetPaths reads it."""

    container: str  # its folder below the content folder ("posts/guides"; a bundle's parent)
    base_name: str  # Hugo's slug, else the file's or bundle's name
    url: str | None  # front matter `url`, patterns already expanded
    expanded: str | None  # the matching `permalinks` pattern, expanded
    ugly: bool
    prefix: str  # the language's path prefix ("fr"), "" for none


def link(place: Place, case: Case) -> str:
    """The page's link below the base URL ("/posts/guides/setup/"), escaped as Hugo writes it
    in pages and feeds."""
    if place.url:
        return _url_link(place)
    parts: list[str] = []
    if place.expanded:
        parts.append(place.expanded)
    else:
        parts += [place.container, place.base_name]
    parts = [p for p in parts if p not in ("", "/")]
    parts = [case.path(p) for p in parts]
    text = _joined(parts)
    # uglyURLs: `.html` on the last element (ConcatLast), else its index.html's folder.
    text = text.rstrip("/") + (".html" if place.ugly else "/")
    if place.prefix:
        text = "/" + place.prefix + text
    return escaped_path(text.replace("#", "%23")) or "/"


def _joined(parts: Sequence[str]) -> str:
    """pagePathBuilder.Path: a `/` before each element, unless one ends or starts it."""
    out = ""
    trailing = False
    for part in parts:
        if not trailing and not part.startswith("/"):
            out += "/"
        trailing = part.endswith("/")
        out += part
    return out


def _url_link(place: Place) -> str:
    """Front matter `url`, kept as written (not lower-cased): a folder URL gets its
    index.html (the link ends in `/`), a file URL stays; one not starting with `/` is below
    the language's prefix."""
    url = place.url or ""
    if ".." in url:
        url = posixpath.normpath(posixpath.join("/", url))
    parts = [p for p in url.split("/") if p]
    folder = url.endswith("/") or "." not in url
    text = _joined(parts) or ""
    text = text + "/" if folder else text
    if place.prefix and not url.startswith("/"):
        text = "/" + place.prefix + text
    return url_string(text.replace("#", "%23")) or "/"


def permalink_path(expanded: str) -> str:
    """An expanded pattern as createTargetPathDescriptor keeps it: url.QueryUnescape (`+` is
    a space), then path.Clean."""
    decoded = _unescape(expanded.replace("+", " "))
    if decoded is None:
        raise Unsupported(f"a % in the expanded permalink {expanded!r} that starts no escape")
    return posixpath.normpath(decoded) if decoded else "."


# ---------------------------------------------------------------------------------------------
# The rules, as read from the config


@datatype
class Rule:
    kind: str  # "page", "term", ...
    path: str  # a glob over the page's logical path ("/{posts,posts/**}")
    pattern: str
    environment: str = ""


def section_glob(section: str) -> str:
    """sectionToPathGlob: a section and everything below it; "/" is the root's pages."""
    section = section.strip(" /")
    return "/*" if not section else "/{" + section + "," + section + "/**}"


def rules_from(value: Any, problem: Callable[[Sequence[str], str], None]) -> list[Rule]:
    """`permalinks`: the map forms (`posts = ...` for pages and terms of a section or
    taxonomy; `[permalinks.page]`, `.section`, `.term`, `.taxonomy`, `.home`) and the list of
    `{target, pattern}` (DecodePermalinksConfig). A pattern with a token Hugo does not know
    is a problem, as it stops Hugo."""
    rules: list[Rule] = []
    if isinstance(value, Mapping):
        # Go's map order is random: a page two keys match is made deterministic here by the
        # longer (more specific) key first.
        for key in sorted(value, key=lambda k: (-len(str(k)), str(k))):
            given = value[key]
            if isinstance(given, str):
                rules += [
                    Rule("page", section_glob(str(key)), given),
                    Rule("term", section_glob(str(key)), given),
                ]
            elif isinstance(given, Mapping) and key in KINDS:
                for sub in sorted(given, key=lambda k: (-len(str(k)), str(k))):
                    if isinstance(given[sub], str):
                        rules.append(Rule(str(key), section_glob(str(sub)), given[sub]))
                    else:
                        problem((str(key), str(sub)), "expected a pattern such as /:year/:slug/")
            else:
                problem((str(key),), f"expected a pattern, or a table for one of {list(KINDS)}")
    elif isinstance(value, list):
        for i, entry in enumerate(value):
            rule = _list_rule(entry, (str(i),), problem)
            if rule is not None:
                rules.append(rule)
    else:
        problem((), "expected a table of patterns or a list of {target, pattern}")
    for rule in rules:
        for token in unknown_tokens(rule.pattern):
            problem(
                (),
                f"{rule.pattern!r}: {token} is not a permalink token Hugo knows "
                "(https://gohugo.io/configuration/permalinks/#tokens)",
            )
    return rules


KINDS = ("page", "home", "section", "taxonomy", "term")


def _list_rule(
    entry: Any, where: tuple[str, ...], problem: Callable[[Sequence[str], str], None]
) -> Rule | None:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("pattern"), str):
        problem(where, "expected a table with a pattern (and a target)")
        return None
    target = entry.get("target") or {}
    if not isinstance(target, Mapping):
        problem((*where, "target"), "expected a table")
        return None
    other = sorted(set(target) - {"kind", "path", "environment"})
    if other:
        problem(
            (*where, "target"),
            f"{', '.join(other)}: syndicate matches permalink targets by kind, path and "
            "environment only",
        )
        return None
    return Rule(
        str(target.get("kind") or "").lower(),
        str(target.get("path") or "").lower(),
        entry["pattern"],
        str(target.get("environment") or "").lower(),
    )


def ugly_for(setting: Any, section: str) -> bool:
    """uglyURLs: one flag, or a flag per section (isUglyURL in config/allconfig/
    allconfig.go)."""
    if isinstance(setting, bool):
        return setting
    if isinstance(setting, Mapping):
        return setting.get(section) is True
    return False
