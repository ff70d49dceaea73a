"""Time-zone-aware parsing of the dates people write in front matter and on the command line.

Every value that leaves this module is an aware `datetime`: naive times and bare dates take the
site's time zone, because a feed with a time and no zone is misread by readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo

from .errors import UsageError, kind_of


def localize(value: datetime, tz: ZoneInfo) -> datetime:
    """Attach `tz` to a naive datetime; aware values are returned as they are."""
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def parse_datetime(value: object, tz: ZoneInfo) -> datetime | None:
    """A front-matter or CLI date as an aware datetime; None for an empty value.

    Accepts YAML/TOML timestamps (aware or naive), bare dates, ISO 8601 strings (quoted in
    YAML), and RFC 822 strings. Raises ValueError naming what was wrong.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return localize(value, tz)
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=tz)
    if isinstance(value, str):
        return _parse_string(value.strip(), tz)
    raise ValueError(f"expected a date, got {kind_of(value)}")


def _parse_string(text: str, tz: ZoneInfo) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if len(text) == 10 and "T" not in text:  # a bare "2024-03-01"
            return datetime.combine(parsed.date(), time(0), tzinfo=tz)
        return localize(parsed, tz)
    import email.utils  # 10 ms, for the rare date that is not ISO 8601

    try:
        return localize(email.utils.parsedate_to_datetime(text), tz)
    except (TypeError, ValueError, IndexError):
        pass
    raise ValueError(
        f"cannot read {text!r} as a date; write it as ISO 8601, e.g. '2021-11-05T00:48:00+01:00'"
    )


def from_fields(fields: Mapping[str, str | None], tz: tzinfo | None = None) -> datetime:
    """The moment a date pattern's named groups give (`year`, `month`, `day`, and optional
    `hour`, `minute`, `second`, `fraction`, the fraction cut to microseconds), in `tz`. Raises
    ValueError for a day or time that does not exist."""
    fraction = (fields.get("fraction") or "0")[:6].ljust(6, "0")
    return datetime(
        int(fields["year"] or 0),
        int(fields["month"] or 0),
        int(fields["day"] or 0),
        int(fields.get("hour") or 0),
        int(fields.get("minute") or 0),
        int(fields.get("second") or 0),
        int(fraction),
        tzinfo=tz,
    )


def resolve_now(option: str | None, env: Mapping[str, str], tz: ZoneInfo) -> datetime:
    """ "Now" for a run: `--now`, else SOURCE_DATE_EPOCH (reproducible builds), else the clock.
    Raises UsageError naming the option or the variable that cannot be read."""
    if option:
        try:
            parsed = parse_datetime(option, tz)
        except ValueError as exc:
            raise UsageError(f"--now: {exc}") from None
        assert parsed is not None
        return parsed
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970",
                "unset SOURCE_DATE_EPOCH, or set it to whole seconds since 1970",
            ) from None
    return datetime.now(UTC)


Window = tuple[str | None, str | None]  # ISO times: since (inclusive), until (exclusive)


def within(window: Window, now: datetime) -> bool:
    """Whether `now` lies in the window: after the last post that had appeared or expired (an
    earlier `--now` shows fewer posts) and before the next one is due or expires."""
    since, until = window
    if since is not None and now < datetime.fromisoformat(since):
        return False
    return until is None or now < datetime.fromisoformat(until)


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(moment: datetime) -> str:
    """`moment` as RFC 5322 writes a date (`Mon, 01 Jan 0001 00:00:00 +0000`), exactly as
    `email.utils.format_datetime` writes it (a property test holds them equal): importing the
    email package (with socket and its charsets) took ~5 ms of every build, which needs only
    this of it."""
    zone = "-0000" if moment.tzinfo is None else moment.strftime("%z")
    return "%s, %02d %s %04d %02d:%02d:%02d %s" % (  # noqa: UP031 (email.utils's own form)
        _DAYS[moment.weekday()],
        moment.day,
        _MONTHS[moment.month - 1],
        moment.year,
        moment.hour,
        moment.minute,
        moment.second,
        zone,
    )
