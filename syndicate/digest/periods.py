"""Digest periods: half-open spans of time [start, end) in the site's time zone, each with the id
that names its outbox folder, Message-ID, web version and ledger entry.

A period that is exactly one ISO week (Monday 00:00 to the next Monday 00:00, local time, so a
week with a daylight-saving change is 167 or 169 hours long) has the id `YYYY-Www` (ISO
week-year); any other period is `YYYY-MM-DD--YYYY-MM-DD`, its first and last local day.

Every period lies between FIRST_DAY and LAST_DAY: a day inside datetime's own limits on each
side, so that converting its ends to any time zone (offsets are under a day) cannot overflow.
A period asked for outside them is a UsageError, never an OverflowError.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..datatype import datatype
from ..errors import UsageError

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
FIRST_DAY = date(1, 1, 3)
LAST_DAY = date(9999, 12, 29)  # the last day a period may end on (exclusive end, at 00:00)
_RANGE_HINT = f"periods must lie between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"


@datatype
class Period:
    start: datetime
    end: datetime
    id: str

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def describe(self) -> str:
        return f"{self.start.isoformat()} and {self.end.isoformat()}"


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def iso_week(week_id: str, tz: ZoneInfo) -> Period:
    """The period of `2021-W44`. Raises UsageError for a week that does not exist or that lies
    outside the dates a period may cover."""
    match = _WEEK.match(week_id.strip())
    if not match:
        raise UsageError(f"{week_id!r} is not an ISO week; write it like 2021-W44")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise UsageError(f"{year} has no week {week}") from None
    if monday < FIRST_DAY or monday > LAST_DAY - timedelta(days=7):
        raise UsageError(f"week {week_id.strip()} is out of range", _RANGE_HINT)
    return Period(_midnight(monday, tz), _midnight(monday + timedelta(days=7), tz), week_id.strip())


def last_complete_week(now: datetime, tz: ZoneInfo) -> Period:
    """The latest ISO week that ended at or before `now`, in the site's time zone. Raises
    UsageError when `now` is too close to datetime's limits to have one."""
    today = _local(now, tz, "the current time").date()
    if today < FIRST_DAY + timedelta(days=14):
        raise UsageError(f"no complete week ends before {today.isoformat()}", _RANGE_HINT)
    this_monday = today - timedelta(days=today.weekday())
    year, week, _ = (this_monday - timedelta(days=7)).isocalendar()
    return iso_week(f"{year:04d}-W{week:02d}", tz)


def between(since: datetime, until: datetime, tz: ZoneInfo) -> Period:
    """The period [since, until); it gets a week id when it is exactly one ISO week. Raises
    UsageError when `until` is not after `since`, or either lies outside the range."""
    start, end = _local(since, tz, "--since"), _local(until, tz, "--until")
    if end <= start:
        raise UsageError(
            f"--until ({until.isoformat()}) must be after --since ({since.isoformat()})"
        )
    if start.date() < FIRST_DAY or end > _midnight(LAST_DAY, tz):
        raise UsageError(f"{since.isoformat()} to {until.isoformat()} is out of range", _RANGE_HINT)
    year, week, weekday = start.date().isocalendar()
    if weekday == 1 and start.time() == time(0):
        week_period = iso_week(f"{year:04d}-W{week:02d}", tz)
        if week_period.start == start and week_period.end == end:
            return week_period
    last_day = (end - timedelta(microseconds=1)).date()
    return Period(start, end, f"{start.date().isoformat()}--{last_day.isoformat()}")


def _local(moment: datetime, tz: ZoneInfo, what: str) -> datetime:
    """`moment` in the site's zone, checked to convert to UTC and back as periods need."""
    try:
        local = moment.astimezone(tz)
        local.astimezone(UTC)
    except (OverflowError, ValueError):
        raise UsageError(f"{what} ({moment.isoformat()}) is out of range", _RANGE_HINT) from None
    if not FIRST_DAY <= local.date() <= LAST_DAY:
        raise UsageError(f"{what} ({moment.isoformat()}) is out of range", _RANGE_HINT)
    return local
