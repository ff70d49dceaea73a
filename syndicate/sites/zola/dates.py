"""The dates Zola reads in front matter and in file names, as aware datetimes.

Followed: https://www.getzola.org/documentation/content/page/ ("Front matter": `date` and
`updated` are `YYYY-MM-DD` or RFC 3339; "a filename starting with a datetime (YYYY-mm-dd or an
RFC3339 datetime) will use that date as the page date, unless already set in the front matter"),
checked against Zola's source, getzola/zola@b2242262b1df3e238b0b70dce3ae3a5bf3a042e9:
- components/utils/src/de.rs `from_unknown_datetime`: a TOML datetime is taken as it is; a
  string goes through `toml::value::Datetime::from_str` (toml_datetime 0.7.5, Cargo.lock), else
  `parse_yaml_datetime` (a regex after YAML 1.1's timestamp); anything else is an error.
- components/content/src/front_matter/page.rs `parse_datetime`: RFC 3339, else RFC 3339 with
  `Z` added (no offset means UTC), else `YYYY-MM-DD` at midnight UTC; an unreadable `date` stops
  the build ("`date` could not be parsed"), an unreadable `updated` is dropped.
- components/content/src/page.rs `RFC3339_DATE`: the file-name (or bundle-folder) date.
Zola has no time zone setting: every date without an offset is UTC.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo

from ...dates import from_fields
from ...errors import kind_of

# The forms, as the README and every error message list them.
DATE_FORMS: tuple[str, ...] = (
    "a TOML date or date-time, unquoted: 2024-03-01, 2024-03-01T09:30:00, "
    "2024-03-01T09:30:00+01:00",
    "YYYY-MM-DD, also quoted or in YAML",
    "RFC 3339 / TOML in a string: 2024-03-01T09:30:00Z, 2024-03-01 09:30:00.5-05:00, "
    "2024-03-01t09:30z (seconds may be left out: 2024-03-01 09:30)",
    "YAML's timestamp: 2024-3-1, 2024-03-01 9:30:00, 2024-03-01 09:30:00 +1, "
    "2024-03-01T09:30:00.5 -05:30",
    "without an offset, a time is UTC; a date alone is midnight UTC",
    "from the file or bundle-folder name when the front matter has no date: "
    "2024-03-01-my-post.md, 2024-03-01_my-post.md, 2024-03-01T09:30:00Z-my-post.md",
)

# toml_datetime 0.7.5 `impl FromStr for Datetime` (toml-rs/toml@11f3d293, tag
# toml_datetime-v0.7.5, crates/toml_datetime/src/datetime.rs): `T`, `t` or a space between date
# and time, seconds optional (TOML 1.1), any number of fraction digits, `Z`, `z` or `+hh:mm`.
_TOML = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:[Tt ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]+))?)?"
    r"(?:(?P<utc>[Zz])|(?P<sign>[+-])(?P<oh>[0-9]{2}):(?P<om>[0-9]{2}))?)?"
)
# components/utils/src/de.rs `parse_yaml_datetime`, as written there (`$` is the end of the
# text in Rust's regex; `\Z` here).
_YAML = re.compile(
    r'^"?(?P<year>[0-9]{4})-(?P<month>[0-9][0-9]?)-(?P<day>[0-9][0-9]?)'
    r"(?:(?:[Tt]|[ \t]+)(?P<hour>[0-9][0-9]?):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
    r"(?P<fraction>\.[0-9]{0,9})?[ \t]*(?:(?P<utc>Z)|(?P<offset>(?P<oh>[-+][0-9][0-9]?)"
    r'(?::(?P<om>[0-9][0-9]))?))?)?"?\Z'
)
# components/content/src/page.rs `RFC3339_DATE`: a date or an RFC 3339 date-time at the start
# of the name, then optionally one white space, `_` or `-`, and the slug.
FILE_NAME_DATE = re.compile(
    r"^(?P<datetime>([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"(T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?"
    r"(Z|(\+|-)([01][0-9]|2[0-3]):([0-5][0-9])))?)(\s?(_|-)(?P<slug>.+\Z))?"
)


def read_date(value: object) -> datetime:
    """A front-matter `date` or `updated` as Zola reads it. Raises ValueError saying why not."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=UTC)
    if isinstance(value, time):
        # A TOML local time becomes the text "09:30:00", which no date form reads.
        raise ValueError(f"{value.isoformat()} is a time of day without a date")
    if isinstance(value, str):
        found = _from_toml(value)
        if found is None:
            found = _from_yaml(value)
        if found is None:
            raise ValueError(f"cannot read {value!r} as a date")
        return found
    raise ValueError(f"expected a date, got {kind_of(value)}")


def file_name_date(name: str) -> tuple[datetime | None, str | None] | None:
    """For a file (or bundle folder) name starting with a date: that date (None when it is no
    real day, such as 2024-02-30) and the slug after it (None without `_` or `-`)."""
    found = FILE_NAME_DATE.match(name)
    if found is None:
        return None
    text = found.group("datetime")
    try:
        # page.rs `parse_datetime`: RFC 3339, else a plain date (Date::parse checks the day).
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        when = None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when, found.group("slug")


def _from_toml(text: str) -> datetime | None:
    found = _TOML.fullmatch(text)
    if found is None:
        return None
    parts = found.groupdict()
    try:
        offset: tzinfo = UTC
        if parts["sign"]:
            hours, minutes = int(parts["oh"]), int(parts["om"])
            if hours > 23 or minutes > 59:
                return None
            sign = 1 if parts["sign"] == "+" else -1
            offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
        return from_fields(parts, offset)
    except ValueError:
        return None  # a day or time out of range: toml_datetime refuses it too


def _from_yaml(text: str) -> datetime | None:
    found = _YAML.match(text)
    if found is None:
        return None
    parts = found.groupdict()
    year, month, day = int(parts["year"]), int(parts["month"]), int(parts["day"])
    offset_hours = int(parts["oh"]) if parts["oh"] else 0
    offset_minutes = int(parts["om"]) if parts["om"] else 0
    if abs(offset_hours) > 23 or offset_minutes > 59:
        return None  # beyond what a Python time zone (and any real one) can be
    # `UtcOffset::from_hms(hours, minutes, 0)`: the minutes take the hours' sign ("-0:30" is
    # +00:30, as "-0" is the number 0).
    sign = -1 if offset_hours < 0 else 1
    offset = timedelta(hours=offset_hours, minutes=sign * offset_minutes)
    # de.rs starts from 1970-01-01T00:00Z moved to the offset, then replaces the year, the
    # month, the day... one at a time, each checked against the others: behind UTC that start
    # is 1969-12-31, and the 31st cannot take a month of fewer days, so `2024-02-10 10:00:00
    # -05:00` is refused (`time` 0.3 `replace_month`). Zola's rule, kept.
    start_day = 31 if offset < timedelta(0) else 1
    if not 1 <= month <= 12 or start_day > calendar.monthrange(year or 1, month)[1]:
        return None
    hour, minute = int(parts["hour"] or 0), int(parts["minute"] or 0)
    second = int(parts["second"] or 0)
    digits = (parts["fraction"] or "").lstrip(".")
    try:
        return datetime(
            year,
            month,
            day,
            hour,
            minute,
            second,
            int(digits[:6].ljust(6, "0")) if digits else 0,
            tzinfo=timezone(offset) if offset else UTC,
        )
    except ValueError:
        return None
