from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.digest.periods import Period, between, iso_week, last_complete_week
from syndicate.digest.render import period_label
from syndicate.errors import UsageError

LISBON = ZoneInfo("Europe/Lisbon")


def test_iso_week_years_at_a_year_end() -> None:
    w53 = iso_week("2020-W53", LISBON)
    assert w53.start == datetime(2020, 12, 28, tzinfo=LISBON)
    assert w53.end == datetime(2021, 1, 4, tzinfo=LISBON)
    w01 = iso_week("2021-W01", LISBON)
    assert w01.start == w53.end
    assert iso_week("2021-W52", LISBON).end == datetime(2022, 1, 3, tzinfo=LISBON)


def test_weeks_across_daylight_saving_changes() -> None:
    autumn = iso_week("2024-W43", LISBON)  # clocks go back on Sunday 27 October
    # (same-zone subtraction is wall-clock time in Python: compare instants in UTC)
    assert autumn.end.astimezone(UTC) - autumn.start.astimezone(UTC) == timedelta(hours=169)
    assert autumn.start.utcoffset() == timedelta(hours=1) and autumn.end.utcoffset() == timedelta(0)
    spring = iso_week("2024-W13", LISBON)  # clocks go forward on Sunday 31 March
    assert spring.end.astimezone(UTC) - spring.start.astimezone(UTC) == timedelta(hours=167)
    late_saturday = datetime(2024, 10, 26, 23, 30, tzinfo=LISBON)
    sunday_after_change = datetime(2024, 10, 27, 23, 30, tzinfo=LISBON)
    assert autumn.contains(late_saturday) and autumn.contains(sunday_after_change)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2024, 11, 4, 0, 30, tzinfo=LISBON), "2024-W44"),
        (datetime(2024, 11, 3, 23, 59, tzinfo=LISBON), "2024-W43"),
        (datetime(2021, 1, 4, 8, 0, tzinfo=LISBON), "2020-W53"),
        # 23:30 UTC on Sunday is already Monday in Tokyo: the site's calendar decides.
        (datetime(2024, 11, 3, 23, 30, tzinfo=ZoneInfo("UTC")), "2024-W43"),
    ],
)
def test_last_complete_week(now: datetime, expected: str) -> None:
    assert last_complete_week(now, LISBON).id == expected


def test_last_complete_week_in_the_site_zone() -> None:
    now = datetime(2024, 11, 3, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert last_complete_week(now, ZoneInfo("Asia/Tokyo")).id == "2024-W44"


def test_a_period_that_is_one_iso_week_gets_its_id() -> None:
    period = between(
        datetime(2024, 10, 28, tzinfo=LISBON), datetime(2024, 11, 4, tzinfo=LISBON), LISBON
    )
    assert period.id == "2024-W44"


def test_other_periods_are_named_by_first_and_last_day() -> None:
    period = between(
        datetime(2024, 10, 1, tzinfo=LISBON), datetime(2024, 11, 1, tzinfo=LISBON), LISBON
    )
    assert period.id == "2024-10-01--2024-10-31"
    assert period.contains(datetime(2024, 10, 31, 23, 59, tzinfo=LISBON))
    assert not period.contains(datetime(2024, 11, 1, tzinfo=LISBON))
    odd = between(
        datetime(2024, 10, 1, 12, tzinfo=LISBON), datetime(2024, 10, 3, 12, tzinfo=LISBON), LISBON
    )
    assert odd.id == "2024-10-01--2024-10-03"


@pytest.mark.parametrize("bad", ["2021-W54", "2021W1", "last week", "2020-W00"])
def test_bad_weeks_are_refused(bad: str) -> None:
    with pytest.raises(UsageError):
        iso_week(bad, LISBON)


def test_until_must_follow_since() -> None:
    with pytest.raises(UsageError, match="must be after"):
        between(datetime(2024, 1, 2, tzinfo=LISBON), datetime(2024, 1, 1, tzinfo=LISBON), LISBON)


# --- datetime's limits: a clear error, never an OverflowError --------------------------------

ZONES = st.sampled_from(
    [ZoneInfo(z) for z in ("UTC", "Pacific/Kiritimati", "Pacific/Niue", "Europe/Lisbon")]
)
OFFSETS = st.integers(min_value=-23 * 60 - 59, max_value=23 * 60 + 59).map(
    lambda m: timezone(timedelta(minutes=m))
)


def usable(period: Period) -> None:
    """Everything a digest does with a period's ends works."""
    period.start.astimezone(UTC), period.end.astimezone(UTC)
    period.contains(datetime(2024, 1, 1, tzinfo=UTC))
    period_label(period)
    period.describe()


@pytest.mark.parametrize("week", ["9999-W52", "9999-W51", "0001-W01", "0001-W02"])
@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
def test_weeks_at_datetimes_limits_are_a_usage_error_not_an_overflow(week: str, zone: str) -> None:
    try:
        period = iso_week(week, ZoneInfo(zone))
    except UsageError as exc:
        assert "out of range" in exc.message and exc.hint
    else:
        usable(period)


def test_the_last_week_of_9999_names_the_range() -> None:
    with pytest.raises(UsageError, match="week 9999-W52 is out of range") as caught:
        iso_week("9999-W52", LISBON)
    assert caught.value.hint == "periods must lie between 0001-01-03 and 9999-12-29"


@given(
    year=st.integers(min_value=1, max_value=9999),
    week=st.integers(min_value=1, max_value=53),
    zone=ZONES,
)
def test_any_week_is_a_period_or_a_usage_error(year: int, week: int, zone: ZoneInfo) -> None:
    try:
        period = iso_week(f"{year:04d}-W{week:02d}", zone)
    except UsageError:
        return
    usable(period)


@given(
    since=st.datetimes(timezones=OFFSETS),
    until=st.datetimes(timezones=OFFSETS),
    zone=ZONES,
)
def test_any_since_until_is_a_period_or_a_usage_error(
    since: datetime, until: datetime, zone: ZoneInfo
) -> None:
    try:
        period = between(since, until, zone)
    except UsageError:
        return
    usable(period)


@given(now=st.datetimes(timezones=OFFSETS), zone=ZONES)
def test_last_complete_week_at_any_moment_is_a_period_or_a_usage_error(
    now: datetime, zone: ZoneInfo
) -> None:
    try:
        period = last_complete_week(now, zone)
    except UsageError:
        return
    usable(period)
