"""Digest periods: half-open spans of time [start, end) in the site's time zone, each with the id
that names its outbox folder, Message-ID, web version and ledger entry.

A period that is exactly one ISO week (Monday 00:00 to the next Monday 00:00, local time, so a
week with a daylight-saving change is 167 or 169 hours long) has the id `YYYY-Www` (ISO
week-year); any other period is `YYYY-MM-DD--YYYY-MM-DD`, its first and last local day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, slots=True)
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
    """The period of `2021-W44`. Raises ValueError for a week that does not exist."""
    match = _WEEK.match(week_id.strip())
    if not match:
        raise ValueError(f"{week_id!r} is not an ISO week; write it like 2021-W44")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no week {week}") from None
    return Period(_midnight(monday, tz), _midnight(monday + timedelta(days=7), tz), week_id.strip())


def last_complete_week(now: datetime, tz: ZoneInfo) -> Period:
    """The latest ISO week that ended at or before `now`, in the site's time zone."""
    today = now.astimezone(tz).date()
    this_monday = today - timedelta(days=today.weekday())
    year, week, _ = (this_monday - timedelta(days=7)).isocalendar()
    return iso_week(f"{year:04d}-W{week:02d}", tz)


def between(since: datetime, until: datetime, tz: ZoneInfo) -> Period:
    """The period [since, until); it gets a week id when it is exactly one ISO week."""
    if until <= since:
        raise ValueError(
            f"--until ({until.isoformat()}) must be after --since ({since.isoformat()})"
        )
    start, end = since.astimezone(tz), until.astimezone(tz)
    year, week, weekday = start.date().isocalendar()
    if weekday == 1 and start.time() == time(0):
        week_period = iso_week(f"{year:04d}-W{week:02d}", tz)
        if week_period.start == start and week_period.end == end:
            return week_period
    last_day = (end - timedelta(microseconds=1)).date()
    return Period(start, end, f"{start.date().isoformat()}--{last_day.isoformat()}")
