"""Hugo's dates: the forms its parser accepts, its date sources, file-name dates.

`@HUGO_COMMIT` in comments is the commit named in the package's docstring.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

# The `[frontmatter]` date sources (resources/page/pagemeta/page_frontmatter.go@HUGO_COMMIT,
# newDefaultFrontmatterConfig and dateFieldAliases): a key is followed by its aliases.
DATE_SOURCES = {
    "date": ("date", "publishdate", "lastmod"),
    "lastmod": (":git", "lastmod", "date", "publishdate"),
    "publishdate": ("publishdate", "date"),
    "expirydate": ("expirydate",),
}
DATE_ALIASES = {
    "lastmod": ("modified",),
    "publishdate": ("pubdate", "published"),
    "expirydate": ("unpublishdate",),
}


def with_aliases(sources: list[str] | tuple[str, ...]) -> list[str]:
    """Date sources, each key followed by its aliases (addDateFieldAliases), each once."""
    found: list[str] = []
    for key in sources:
        for item in (key, *DATE_ALIASES.get(key, ())):
            if item not in found:
                found.append(item)
    return found


# Syndicate's name for each of Hugo's four dates (KEYS in content/frontmatter.py).
DATE_KEYS = {
    "date": "date",
    "lastmod": "lastmod",
    "publishdate": "publishDate",
    "expirydate": "expiryDate",
}
# Hugo's zero time: what `.Date` is for a page without a date (time.Time{} in Go).
ZERO_DATE = datetime(1, 1, 1, tzinfo=UTC)


def zero_date(tz: ZoneInfo) -> datetime:
    """Hugo's zero date, where the site's time zone can show it: west of UTC, 0001-01-01 00:00
    UTC is in the year 0 there, which no feed or period can show, so it becomes midnight of
    0001-01-01 in that zone (a few hours later; the date of a page without a date means
    nothing, but must not stop it from being published)."""
    offset = tz.utcoffset(datetime(1, 1, 2))
    if offset is None or offset >= timedelta(0):
        return ZERO_DATE
    return datetime(1, 1, 1, tzinfo=tz)


# ---------------------------------------------------------------------------------------------
# Dates: the forms Hugo's parser accepts


def _go(pattern: str) -> re.Pattern[str]:
    # ASCII: Go's digits are 0-9 only, where Python's \d takes any script's digits.
    return re.compile(pattern.replace("SEC", r"(?P<sec>\d{2})(?P<frac>\.\d+)?"), re.ASCII)


# htime.ToTimeInDefaultLocationE hands strings to cast.StringToDateInDefaultLocation, which tries
# these Go layouts in order (spf13/cast internal/time.go, v1.10.0). Forms without an offset, or
# with only a zone name, are read in the site's time zone (`timeZone`, UTC by default); Go reads
# a fraction of a second after any seconds. The time-only layouts (Kitchen, Stamp...) give a
# date in the year 0, which no feed can show: they are refused.
_Y, _M, _D = r"(?P<year>\d{4})", r"(?P<month>\d{2})", r"(?P<day>\d{2})"
_HM = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})"
_MON = r"(?P<mon>[A-Za-z]{3})"
_WDAY = r"[A-Za-z]{3}"
_ZONE = r"(?P<zone>[A-Z]{3,5}|[A-Z]{3}[+-]\d{1,2})"
_NUM = r"(?P<offset>[+-]\d{2}:?\d{2})"
_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("2006-01-02", _go(rf"{_Y}-{_M}-{_D}")),
    ("2006-01-02T15:04:05Z07:00", _go(rf"{_Y}-{_M}-{_D}T{_HM}:SEC(?P<z>Z|[+-]\d{{2}}:\d{{2}})")),
    ("2006-01-02T15:04:05", _go(rf"{_Y}-{_M}-{_D}T{_HM}:SEC")),
    ("Mon, 02 Jan 2006 15:04:05 -0700", _go(rf"{_WDAY}, {_D} {_MON} {_Y} {_HM}:SEC {_NUM}")),
    ("Mon, 02 Jan 2006 15:04:05 MST", _go(rf"{_WDAY}, {_D} {_MON} {_Y} {_HM}:SEC {_ZONE}")),
    ("02 Jan 06 15:04 -0700", _go(rf"{_D} {_MON} (?P<yy>\d{{2}}) {_HM} {_NUM}")),
    ("02 Jan 06 15:04 MST", _go(rf"{_D} {_MON} (?P<yy>\d{{2}}) {_HM} {_ZONE}")),
    (
        "Monday, 02-Jan-06 15:04:05 MST",
        _go(rf"[A-Za-z]{{6,9}}, {_D}-{_MON}-(?P<yy>\d{{2}}) {_HM}:SEC {_ZONE}"),
    ),
    (
        "2006-01-02 15:04:05.999999999 -0700 MST",
        _go(rf"{_Y}-{_M}-{_D} {_HM}:SEC {_NUM} {_ZONE}"),
    ),
    ("2006-01-02T15:04:05-0700", _go(rf"{_Y}-{_M}-{_D}T{_HM}:SEC(?P<offset>[+-]\d{{4}})")),
    (
        "2006-01-02 15:04:05Z0700",
        _go(rf"{_Y}-{_M}-{_D} {_HM}:SEC(?P<z>Z|[+-]\d{{4}})"),
    ),
    ("2006-01-02 15:04:05", _go(rf"{_Y}-{_M}-{_D} {_HM}:SEC")),
    ("Mon Jan _2 15:04:05 2006", _go(rf"{_WDAY} {_MON} +(?P<day>\d{{1,2}}) {_HM}:SEC {_Y}")),
    (
        "Mon Jan _2 15:04:05 MST 2006",
        _go(rf"{_WDAY} {_MON} +(?P<day>\d{{1,2}}) {_HM}:SEC {_ZONE} {_Y}"),
    ),
    ("Mon Jan 02 15:04:05 -0700 2006", _go(rf"{_WDAY} {_MON} {_D} {_HM}:SEC {_NUM} {_Y}")),
    (
        "2006-01-02 15:04:05Z07:00",
        _go(rf"{_Y}-{_M}-{_D} {_HM}:SEC(?P<z>Z|[+-]\d{{2}}:\d{{2}})"),
    ),
    ("02 Jan 2006", _go(rf"{_D} {_MON} {_Y}")),
    ("2006-01-02 15:04:05 -07:00", _go(rf"{_Y}-{_M}-{_D} {_HM}:SEC (?P<z>[+-]\d{{2}}:\d{{2}})")),
    ("2006-01-02 15:04:05 -0700", _go(rf"{_Y}-{_M}-{_D} {_HM}:SEC (?P<z>[+-]\d{{4}})")),
)
DATE_FORMS: tuple[str, ...] = (
    "a TOML or YAML date or date-time (with or without an offset)",
    *(form for form, _ in _FORMS),
    "a whole number of seconds since 1970-01-01 UTC",
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def parse_date(value: object, tz: ZoneInfo) -> datetime | None:
    """A front-matter date as Hugo reads it (`htime.ToTimeInDefaultLocationE`); None for an
    empty value. A value without an offset is in `tz`. Raises ValueError."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=tz)
    if isinstance(value, int) and not isinstance(value, bool):
        # cast.ToTimeInDefaultLocationE: a number is Unix seconds (time.Unix, shown in UTC).
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{value} seconds since 1970 is not a date") from None
    if isinstance(value, str):
        for _, pattern in _FORMS:  # as written: Go's time.Parse does not trim spaces
            match = pattern.fullmatch(value)
            if match is not None:
                return _from_match(match, tz)
    raise ValueError(f"cannot read {value!r} as a date")


def _from_match(match: re.Match[str], tz: ZoneInfo) -> datetime:
    parts = match.groupdict()
    year = int(parts["year"]) if parts.get("year") else _two_digit_year(parts["yy"])
    month = int(parts["month"]) if parts.get("month") else _month(parts["mon"])
    frac = parts.get("frac") or ""
    micro = int((frac[1:] + "000000")[:6]) if frac else 0
    moment = datetime(
        year,
        month,
        int(parts["day"]),
        int(parts.get("hour") or 0),
        int(parts.get("minute") or 0),
        int(parts.get("sec") or 0),
        micro,
    )
    offset = parts.get("offset") or parts.get("z")
    if offset is not None:
        return moment.replace(tzinfo=_offset(offset))
    # ParseDateWith: a layout with a zone name but no offset keeps the wall clock and takes the
    # default location, whatever the name says.
    return moment.replace(tzinfo=tz)


def _two_digit_year(text: str) -> int:
    year = int(text)  # Go's rule for a two-digit year: 69-99 are 1969-1999
    return 1900 + year if year >= 69 else 2000 + year


def _month(name: str) -> int:
    try:
        return _MONTHS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown month {name!r}") from None


def _offset(text: str) -> timezone:
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {text} is out of range")
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if text[0] == "-" else delta)


def date_from_file_name(name: str, tz: ZoneInfo) -> tuple[datetime, str] | None:
    """The date and slug of a `:filename` date source: `2024-01-02-my-post`, or with a time,
    `2024-01-02-15-04-05-my-post` (dateAndSlugFromBaseFilename in
    resources/page/pagemeta/page_frontmatter.go@HUGO_COMMIT). `name` has no extension."""
    delimiters = " -_"
    if len(name) < 10:
        return None
    if len(name) >= 19:
        moment = _try_date(name[:10] + "T" + name[11:19].replace("-", ":"), tz)
        if moment is not None:
            return moment, name[19:].strip(delimiters)
    moment = _try_date(name[:10], tz)
    return (moment, name[10:].strip(delimiters)) if moment is not None else None


def _try_date(text: str, tz: ZoneInfo) -> datetime | None:
    try:
        return parse_date(text, tz)
    except ValueError:
        return None
