"""The ledger as the commands read and amend it: what went out, a digest sent by hand, a week
with nothing to send, and where `--since-last-sent` starts. Reading never creates a ledger."""

from __future__ import annotations

from datetime import datetime

from ..config import Config
from ..datatype import datatype
from ..digest.editions import Edition, belongs
from ..digest.periods import Period, between, last_complete_week
from ..model import Email
from .ledger import Ledger, Marked, Reached, Row, Unsent, writing


@datatype
class Status:
    """`syndicate status`: the newest rows, how far the configured transport is complete, and
    every digest with chunks planned and not yet attempted (however old: a send cut short)."""

    rows: list[Row]
    complete_through: datetime | None
    unsent: list[Unsent]


def status(config: Config, limit: int) -> Status:
    """Raises LedgerError when the ledger exists but cannot be trusted."""
    ledger = Ledger.existing(config.ledger_path)
    if ledger is None:
        return Status([], None, [])
    with ledger:
        complete = ledger.last_sent_end(config.delivery.transport)
        return Status(ledger.recent(limit), complete, ledger.planned_not_sent())


@datatype
class SinceLastSent:
    """The period `digest --since-last-sent` covers (None when digests already went out
    through `last_end`, the end of the newest period that reached readers), and the digest of
    that period when some of its readers have not got it yet (`unfinished`), to be sent first:
    the next period starts where it ends, so a reader it reached never gets its posts again
    in a longer one."""

    period: Period | None
    last_end: datetime | None
    unfinished: str | None = None


def since_last_sent(config: Config, now: datetime, edition: Edition | None = None) -> SinceLastSent:
    """From the end of the last period that reached readers (in `edition`, when given) to the
    end of the last complete week (with nothing sent yet: that week)."""
    week = last_complete_week(now, config.tz)
    last = _last_reached(config, edition)
    if last is None:
        return SinceLastSent(week, None)
    unfinished = last.digest_id if last.left else None
    if last.end >= week.end:
        return SinceLastSent(None, last.end, unfinished)
    return SinceLastSent(between(last.end, week.end, config.tz), last.end, unfinished)


def _last_reached(config: Config, edition: Edition | None) -> Reached | None:
    ledger = Ledger.existing(config.ledger_path)
    if ledger is None:
        return None
    with ledger:
        if edition is None:
            return ledger.last_reached(config.delivery.transport)
        return ledger.last_reached(config.delivery.transport, belongs(config, edition))


def record_empty(config: Config, period: Period) -> None:
    """A period with no new posts, recorded so `--since-last-sent` moves past it."""
    transport = config.delivery.transport
    with writing(config.ledger_path, config.delivery.lock_wait) as ledger:
        if ledger.get(period.id, transport, "all") is None:
            ledger.skip_empty(period.id, transport, (period.start, period.end))


def mark_failed(config: Config, mail: Email) -> int:
    """`send --mark-failed`: record the pending sends of `mail` through the configured
    transport as failed, for the next `send` to make again; returns how many."""
    with writing(config.ledger_path, config.delivery.lock_wait) as ledger:
        return ledger.mark_failed_by_hand(mail.digest_id, config.delivery.transport)


def mark_sent(config: Config, mail: Email) -> Marked:
    """`send --mark-sent`: record the attempted sends of `mail` through the configured
    transport as sent; the planned ones never attempted are left, and counted."""
    with writing(config.ledger_path, config.delivery.lock_wait) as ledger:
        period = (mail.period_start, mail.period_end)
        return ledger.mark_sent_by_hand(mail.digest_id, config.delivery.transport, period)
