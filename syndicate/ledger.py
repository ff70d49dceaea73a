"""What was sent, where and when, in SQLite: the record that makes a digest go out exactly once.

One row per digest id, transport and chunk (a whole list, one recipient, or one batch of a
provider's recipients). A send is recorded `pending` in a committed transaction before the
request and `sent` (with the provider's id) after, so a run that dies in between leaves a
`pending` row that the next run must resolve before sending again.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from .errors import EXIT_LOCKED, DeliveryError

Status = Literal["pending", "sent", "failed", "skipped-empty"]
Kind = Literal["broadcast", "test"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sends (
    digest_id        TEXT NOT NULL,
    transport        TEXT NOT NULL,
    chunk            TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('broadcast', 'test')),
    status           TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped-empty')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    idempotency_key  TEXT NOT NULL,
    recipients       INTEGER NOT NULL DEFAULT 0,
    provider_id      TEXT,
    last_http_status INTEGER,
    last_error       TEXT,
    period_start     TEXT NOT NULL,
    period_end       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    sent_at          TEXT,
    PRIMARY KEY (digest_id, transport, chunk)
);
"""


@dataclass(frozen=True, slots=True)
class Row:
    digest_id: str
    transport: str
    chunk: str
    kind: Kind
    status: Status
    attempts: int
    idempotency_key: str
    recipients: int
    provider_id: str | None
    last_http_status: int | None
    last_error: str | None
    period_start: datetime
    period_end: datetime
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None


def _now() -> str:
    # The real clock, never --now: the ledger records when things actually happened.
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(values: sqlite3.Row) -> Row:
    data = dict(values)
    for key in ("period_start", "period_end", "created_at", "updated_at", "sent_at"):
        if data[key] is not None:
            data[key] = datetime.fromisoformat(data[key])
    return Row(**data)


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, digest_id: str, transport: str, chunk: str) -> Row | None:
        found = self._db.execute(
            "SELECT * FROM sends WHERE digest_id = ? AND transport = ? AND chunk = ?",
            (digest_id, transport, chunk),
        ).fetchone()
        return _row(found) if found else None

    def rows(self, digest_id: str, transport: str) -> list[Row]:
        found = self._db.execute(
            "SELECT * FROM sends WHERE digest_id = ? AND transport = ? ORDER BY chunk",
            (digest_id, transport),
        ).fetchall()
        return [_row(r) for r in found]

    def begin(
        self,
        *,
        digest_id: str,
        transport: str,
        chunk: str,
        kind: Kind,
        key: str,
        recipients: int,
        period: tuple[datetime, datetime],
    ) -> None:
        """Record `pending` and commit, before the request is made."""
        now = _now()
        with self._transaction():
            self._db.execute(
                """
                INSERT INTO sends (digest_id, transport, chunk, kind, status, attempts,
                    idempotency_key, recipients, period_start, period_end, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (digest_id, transport, chunk) DO UPDATE SET
                    status = 'pending', idempotency_key = excluded.idempotency_key,
                    recipients = excluded.recipients, updated_at = excluded.updated_at
                """,
                (
                    digest_id,
                    transport,
                    chunk,
                    kind,
                    key,
                    recipients,
                    period[0].isoformat(),
                    period[1].isoformat(),
                    now,
                    now,
                ),
            )

    def attempt(self, digest_id: str, transport: str, chunk: str) -> None:
        with self._transaction():
            self._db.execute(
                "UPDATE sends SET attempts = attempts + 1, updated_at = ? "
                "WHERE digest_id = ? AND transport = ? AND chunk = ?",
                (_now(), digest_id, transport, chunk),
            )

    def finish(
        self,
        digest_id: str,
        transport: str,
        chunk: str,
        status: Status,
        *,
        provider_id: str | None = None,
        http_status: int | None = None,
        error: str | None = None,
    ) -> None:
        now = _now()
        with self._transaction():
            self._db.execute(
                """
                UPDATE sends SET status = ?, provider_id = COALESCE(?, provider_id),
                    last_http_status = COALESCE(?, last_http_status), last_error = ?,
                    updated_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                WHERE digest_id = ? AND transport = ? AND chunk = ?
                """,
                (
                    status,
                    provider_id,
                    http_status,
                    error,
                    now,
                    status,
                    now,
                    digest_id,
                    transport,
                    chunk,
                ),
            )

    def _record_whole(
        self,
        digest_id: str,
        transport: str,
        period: tuple[datetime, datetime],
        status: Status,
        note: str | None = None,
    ) -> None:
        """One row for the whole digest, settled without a request."""
        self.begin(
            digest_id=digest_id,
            transport=transport,
            chunk="all",
            kind="broadcast",
            key="",
            recipients=0,
            period=period,
        )
        self.finish(digest_id, transport, "all", status, error=note)

    def skip_empty(self, digest_id: str, transport: str, period: tuple[datetime, datetime]) -> None:
        """A period with no new posts: recorded so `--since-last-sent` moves past it."""
        self._record_whole(digest_id, transport, period, "skipped-empty")

    def mark_sent_by_hand(
        self, digest_id: str, transport: str, period: tuple[datetime, datetime]
    ) -> int:
        """`send --mark-sent`: a person checked that the pending or failed sends arrived (or
        sent the digest some other way, when there is no row yet). Returns the rows marked."""
        if not self.rows(digest_id, transport):
            self._record_whole(digest_id, transport, period, "sent", "marked sent by hand")
            return 1
        with self._transaction():
            cursor = self._db.execute(
                "UPDATE sends SET status = 'sent', last_error = 'marked sent by hand', "
                "updated_at = ?, sent_at = ? WHERE digest_id = ? AND transport = ? "
                "AND kind = 'broadcast' AND status IN ('pending', 'failed')",
                (_now(), _now(), digest_id, transport),
            )
        return cursor.rowcount

    def last_sent_end(self, transport: str) -> datetime | None:
        """End of the newest period whose every broadcast chunk went out (or was empty)."""
        found = self._db.execute(
            """
            SELECT MAX(period_end) FROM (
                SELECT digest_id, MAX(period_end) AS period_end FROM sends
                WHERE transport = ? AND kind = 'broadcast'
                GROUP BY digest_id
                HAVING SUM(status NOT IN ('sent', 'skipped-empty')) = 0
            )
            """,
            (transport,),
        ).fetchone()[0]
        return datetime.fromisoformat(found) if found else None

    def recent(self, limit: int = 20) -> list[Row]:
        found = self._db.execute(
            "SELECT * FROM sends ORDER BY period_end DESC, transport, kind, chunk LIMIT ?",
            (limit,),
        ).fetchall()
        return [_row(r) for r in found]

    def next_test_number(self, digest_id: str, transport: str) -> int:
        found = self._db.execute(
            "SELECT COUNT(*) FROM sends WHERE digest_id = ? AND transport = ? AND kind = 'test'",
            (digest_id, transport),
        ).fetchone()[0]
        return int(found) + 1

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


@contextmanager
def exclusive_lock(path: Path, wait: float = 0.0) -> Iterator[None]:
    """One sending run at a time: a second one waits up to `wait` seconds, then exits 5."""
    lock_path = path.with_name(path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DeliveryError(
                        f"another syndicate run is sending (lock {lock_path} is held)",
                        EXIT_LOCKED,
                        "wait for it to finish; overlapping runs never send twice",
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)
