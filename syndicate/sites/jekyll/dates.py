"""The dates a Jekyll post's front matter and file name give, read as Jekyll reads them.

Jekyll turns every date into text and reads it with Ruby's `Time.parse(...).localtime`
(`Utils.parse_date`, called by `Document#merge_date!`; jekyll/jekyll lib/jekyll/utils.rb and
lib/jekyll/document.rb at 91e00b2, v4.3.1), in the site's `timezone`
(https://jekyllrb.com/docs/configuration/options/: "Set the time zone for site generation").
So a quoted time without an offset is in the site's zone, while an unquoted YAML timestamp
without one is UTC: Ruby's YAML reader (Psych's ScalarScanner#parse_time) makes it a UTC time
before Jekyll sees it. `Time.parse` reads almost anything; `FORMS` is the tested part of it
that posts are written in (https://jekyllrb.com/docs/front-matter/: "YYYY-MM-DD HH:MM:SS
+/-TTTT; hours, minutes, seconds, and timezone offset are optional").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from ...dates import from_fields

FORMS: tuple[str, ...] = (
    "`2024-01-02`: a YAML date or a quoted one (month and day may have one digit): midnight "
    "in the site's time zone",
    "`2024-01-02 13:14:15` unquoted, a YAML timestamp without an offset: UTC, as Jekyll's "
    "YAML reader takes it",
    "`'2024-01-02 13:14:15'` or `'2024-01-02 13:14'` quoted: the site's time zone",
    "`2024-01-02 13:14:15 -0800`: an offset written `Z`, `UTC`, `GMT`, `-08`, `-0800` or "
    "`-08:00`, with or without a space before it",
    "`2024-01-02T13:14:15.5+01:00`: ISO 8601 (`T` for the space, a fraction of a second)",
    "`2023-01-29 18:30:22 2023 -0800`: a year written again after the time is ignored, as "
    "Ruby's `Time.parse` ignores it",
    "`Tue, 02 Jan 2024 13:14:15 -0800`: RFC 2822",
    "`11-9-2017`, `11/9/2017` or `11.9.2017` (day, month, year), `2017/9/11`, each with a time "
    "or not: as Ruby's `Time.parse` reads them",
    "no `date`: the date of the file name (`2024-01-02-title.md`, or `2024-1-2-title.md`) at "
    "midnight in the site's time zone; a draft in `_drafts/` without one: the file's "
    "modification time",
)

_TEXT = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?)?"
    r"(?:[ \t]+[0-9]{4})?"  # `2023-01-29 18:30:22 2023 -0800`: Time.parse skips the year
    r"(?:[ \t]*(?P<zone>[Zz]|(?i:utc|gmt)|[-+][0-9]{2}(?::?[0-9]{2})?))?)?"
)
# Ruby's Date._parse takes `11-9-2017` (also with `/` or `.`) as day, month, year: a first
# number of two digits or fewer and a last of more are swapped (date_parse.c `s3e`); and
# `2017/9/11` as year, month, day (`parse_sla`). Either is read as the ISO form.
_DAY_FIRST = re.compile(r"^([0-9]{1,2})([-/.])([0-9]{1,2})\2([0-9]{4})(?=$|[ \tTt])")
_SLASHED = re.compile(r"^([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})(?=$|[ \tTt])")
# `Document::DATE_FILENAME_MATCHER`: `(\d{2,4}-\d{1,2}-\d{1,2})-` opens a post's file name.
FILE_NAME_DATE = re.compile(r"([0-9]{2,4})-([0-9]{1,2})-([0-9]{1,2})")


class NotADate(ValueError):
    """A value Jekyll's reading of dates does not give a time for (in the forms syndicate
    reads)."""


def parse(value: object, tz: ZoneInfo) -> datetime:
    """A front-matter date value as Jekyll reads it, aware. Raises NotADate."""
    if isinstance(value, datetime):
        # An unquoted YAML timestamp: Psych gives one without an offset as UTC.
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=tz)
    if isinstance(value, str) and value.strip():
        return parse_text(value.strip(), tz)
    raise NotADate(f"not a date: {_shown(value)}")


def parse_text(text: str, tz: ZoneInfo) -> datetime:
    """A date written as text (quoted in YAML, or any text Jekyll's YAML reader left as one).
    Raises NotADate."""
    iso = _SLASHED.sub(r"\1-\2-\3", _DAY_FIRST.sub(r"\4-\3-\1", text, count=1), count=1)
    found = _TEXT.fullmatch(iso)
    if found is not None:
        return _from_parts(found, tz)
    if re.match(r"(?:[A-Za-z]{3},\s*)?[0-9]{1,2}\s+[A-Za-z]{3}\s+[0-9]{4}\s", text):
        import email.utils  # ~5 ms, for a date in this form only

        try:
            moment = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            pass
        else:
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
    raise NotADate(f"not a date in a form Jekyll reads: {text!r}")


def file_name_date(prefix: str, tz: ZoneInfo) -> datetime:
    """The date opening a post's file name (`2024-01-02`, `2024-1-2`, `24-01-02`), at midnight
    in the site's time zone. Raises NotADate (`2024-13-45`: Jekyll stops the build)."""
    found = FILE_NAME_DATE.fullmatch(prefix)
    if found is None:
        raise NotADate(f"not a date: {prefix!r}")
    year, month, day = (int(part) for part in found.groups())
    if len(found.group(1)) == 2:  # Ruby's Date._parse: 69-99 -> 19xx, 00-68 -> 20xx
        year += 1900 if year >= 69 else 2000
    try:
        return datetime(year, month, day, tzinfo=tz)
    except ValueError as exc:
        raise NotADate(f"{prefix!r} is not a date: {exc}") from None


def _from_parts(found: re.Match[str], tz: ZoneInfo) -> datetime:
    parts = found.groupdict()
    try:
        return from_fields(parts, _zone(parts["zone"], tz))
    except ValueError as exc:
        raise NotADate(f"{found.group(0)!r} is not a date: {exc}") from None


def _zone(written: str | None, tz: ZoneInfo) -> timezone | ZoneInfo:
    if written is None:
        return tz
    if written.lower() in ("z", "utc", "gmt"):
        return UTC
    digits = written[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {written} out of range")
    offset = timedelta(hours=hours, minutes=minutes)
    return timezone(-offset if written[0] == "-" else offset)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, dict | list):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None or value == "":
        return "nothing"
    return repr(value)
