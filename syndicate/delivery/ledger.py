"""What was sent, where and when, in SQLite: the record that makes a digest go out exactly once.

One row per digest id, transport and chunk (a whole list, one recipient, or one batch of a
provider's recipients). Before its first request a send records every chunk it is made of as
`planned`, in one transaction, so a run cut short leaves the chunks it never reached in the
ledger too, and a digest is complete only when none is left. Each chunk is then recorded
`pending` in a committed transaction before its request and `sent` (with the provider's id)
after, so a run that dies in between leaves a `pending` row that the next run must resolve
before sending again.

The ledger never forgets a send: a row once `sent` stays `sent` (a forced re-send that fails
only notes its error), and a ledger file that exists but cannot be read as this schema (empty,
truncated, corrupt, a folder, another program's database) stops the run with `LedgerError`
instead of being taken for an empty ledger. A fresh ledger is created only where no file is.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from ..datatype import datatype
from ..errors import LedgerError, LockedError, OutputError

Status = Literal["planned", "pending", "sent", "failed", "skipped-empty"]
Kind = Literal["broadcast", "test"]


def _schema(table: str) -> str:
    """The ledger's table, under another name while an old ledger is upgraded."""
    return f"""
CREATE TABLE IF NOT EXISTS {table} (
    digest_id        TEXT NOT NULL,
    transport        TEXT NOT NULL,
    chunk            TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('broadcast', 'test')),
    status           TEXT NOT NULL
                     CHECK (status IN ('planned', 'pending', 'sent', 'failed', 'skipped-empty')),
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


# 0: ledgers written before the schema carried a version; 1: the same table, versioned; 2: a
# chunk may be `planned`. Schemas 0 and 1 are upgraded in place (`_migrate`) when opened.
_SCHEMA_VERSION = 2
_SQLITE_MAGIC = b"SQLite format 3\x00"
# sqlite's words for a ledger it may read but not write: a fault of the state folder (exit 6),
# not a ledger that cannot be trusted (exit 4).
_CANNOT_WRITE = ("readonly", "read-only", "disk is full", "disk I/O error")
_HOW_TO_FIX = (
    "nothing was sent. Restore the ledger from a backup (a CI cache, a copy of the state "
    "folder), or, if you are sure which digests went out, move the file away and record them "
    "with `syndicate send --mark-sent ID`; syndicate never replaces an existing ledger"
)


@datatype
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


@datatype
class Part:
    """One chunk of a broadcast, as the plan of its send records it."""

    chunk: str
    key: str
    recipients: int


@datatype
class Marked:
    """What `send --mark-sent` recorded: the attempted chunks it marked, and the planned ones,
    never attempted, that it left unsent."""

    marked: int
    unsent: int


@datatype
class Unsent:
    """A digest with chunks planned and not yet attempted, or left pending by a run that
    stopped during them, out of all its broadcast chunks."""

    digest_id: str
    transport: str
    planned: int
    chunks: int
    pending: int = 0


@datatype
class Reached:
    """A digest that went out to some of its readers: its period's end, and its broadcast
    chunks not sent yet (0: it is complete)."""

    digest_id: str
    end: datetime
    left: int


_ORDER = tuple(f.name for f in fields(Row))
_COLUMNS = frozenset(_ORDER)


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
    """The ledger at `path`: created there if no file exists, else checked before use, and
    upgraded in place when an older syndicate wrote it (`_migrate`).

    Raises LedgerError when an existing file is not a ledger this version can trust, and
    OutputError when the folder for a new one cannot be written, or an old one upgraded."""

    def __init__(self, path: Path, *, upgrade: bool = True) -> None:
        self.path = path
        if _exists(path):
            check_file(path)
        else:
            _create(path)
        self._db = _connect(path)
        with self._guard():
            _check_schema(self._db, path)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            if upgrade:
                _migrate(self._db)

    @classmethod
    def existing(cls, path: Path) -> Ledger | None:
        """The ledger at `path` for reading, or None when there is none yet (nothing is
        created or upgraded: `status`, `--since-last-sent` and `--dry-run` only look; an older
        schema reads the same, since it differs only in what may be written)."""
        return cls(path, upgrade=False) if _exists(path) else None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._guard():
            return self._db.execute(sql, params)

    def _execute_many(self, sql: str, params: Iterable[tuple[Any, ...]]) -> None:
        with self._guard():
            self._db.executemany(sql, params)

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """sqlite's own errors, in the middle of a run, as a LedgerError naming the file."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise LockedError(
                    f"{self.path}: the ledger is locked by another process ({exc})",
                    "wait for the other run to finish, then run the same command again",
                ) from None
            if any(sign in str(exc) for sign in _CANNOT_WRITE):
                raise OutputError(
                    f"{self.path}: cannot write the ledger: {exc}; nothing was sent",
                    "free some space or make the state folder and the ledger writable, then "
                    "run the same command again",
                ) from None
            raise LedgerError(f"{self.path}: cannot use the ledger: {exc}", _HOW_TO_FIX) from None
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path}: the ledger is damaged ({exc})", _HOW_TO_FIX) from None

    def get(self, digest_id: str, transport: str, chunk: str) -> Row | None:
        found = self._execute(
            "SELECT * FROM sends WHERE digest_id = ? AND transport = ? AND chunk = ?",
            (digest_id, transport, chunk),
        ).fetchone()
        return _row(found) if found else None

    def rows(self, digest_id: str, transport: str) -> list[Row]:
        found = self._execute(
            "SELECT * FROM sends WHERE digest_id = ? AND transport = ? ORDER BY chunk",
            (digest_id, transport),
        ).fetchall()
        return [_row(r) for r in found]

    def plan(
        self,
        digest_id: str,
        transport: str,
        parts: Sequence[Part],
        period: tuple[datetime, datetime],
    ) -> None:
        """Record every chunk of a broadcast as `planned`, in one transaction, before its
        first request; a chunk the ledger holds already keeps its row. A chunk an earlier run
        planned and never attempted that is no longer part of the send (its readers
        unsubscribed since) is forgotten: nothing went to it, and nothing will."""
        now, wanted = _now(), {part.chunk for part in parts}
        start, end = period[0].isoformat(), period[1].isoformat()
        with self._transaction():
            planned = self._execute(
                "SELECT chunk FROM sends WHERE digest_id = ? AND transport = ? "
                "AND kind = 'broadcast' AND status = 'planned'",
                (digest_id, transport),
            ).fetchall()
            self._execute_many(
                "DELETE FROM sends WHERE digest_id = ? AND transport = ? AND chunk = ?",
                [(digest_id, transport, row[0]) for row in planned if row[0] not in wanted],
            )
            self._execute_many(
                """
                INSERT INTO sends (digest_id, transport, chunk, kind, status, attempts,
                    idempotency_key, recipients, period_start, period_end, created_at, updated_at)
                VALUES (?, ?, ?, 'broadcast', 'planned', 0, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (digest_id, transport, chunk) DO NOTHING
                """,
                [
                    (digest_id, transport, p.chunk, p.key, p.recipients, start, end, now, now)
                    for p in parts
                ],
            )

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
        """Record `pending` (a `planned` chunk is now being attempted) and commit, before the
        request is made. A row already `sent` (a forced re-send) stays `sent`: if this send
        fails, the earlier one still went out."""
        now = _now()
        with self._transaction():
            self._execute(
                """
                INSERT INTO sends (digest_id, transport, chunk, kind, status, attempts,
                    idempotency_key, recipients, period_start, period_end, created_at, updated_at)
                VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (digest_id, transport, chunk) DO UPDATE SET
                    status = CASE WHEN status = 'sent' THEN 'sent' ELSE 'pending' END,
                    idempotency_key = excluded.idempotency_key,
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
            self._execute(
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
        """Record the outcome of a request. `sent` is final: a later failure (of a forced
        re-send) keeps the row `sent` and only notes the error."""
        now = _now()
        with self._transaction():
            self._execute(
                """
                UPDATE sends SET status = CASE WHEN status = 'sent' THEN 'sent' ELSE ? END,
                    provider_id = COALESCE(?, provider_id),
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
    ) -> Marked:
        """`send --mark-sent`: a person checked that the pending or failed sends arrived (or
        sent the digest some other way, when it has no broadcast row yet: test sends are no
        send of it). A chunk only `planned` was never attempted, so nobody could have checked
        it: it is left for a send, and counted."""
        if all(row.kind == "test" for row in self.rows(digest_id, transport)):
            self._record_whole(digest_id, transport, period, "sent", "marked sent by hand")
            return Marked(1, 0)
        where = "WHERE digest_id = ? AND transport = ? AND kind = 'broadcast'"
        with self._transaction():
            cursor = self._execute(
                "UPDATE sends SET status = 'sent', last_error = 'marked sent by hand', "
                f"updated_at = ?, sent_at = ? {where} AND status IN ('pending', 'failed')",
                (_now(), _now(), digest_id, transport),
            )
            unsent = self._execute(
                f"SELECT COUNT(*) FROM sends {where} AND status = 'planned'",
                (digest_id, transport),
            ).fetchone()[0]
        return Marked(cursor.rowcount, int(unsent))

    def planned_not_sent(self) -> list[Unsent]:
        """The digests, newest first, whose send planned chunks it never attempted or left
        some pending."""
        found = self._execute(
            """
            SELECT digest_id, transport, SUM(status = 'planned'), COUNT(*),
                SUM(status = 'pending') FROM sends
            WHERE kind = 'broadcast'
            GROUP BY digest_id, transport
            HAVING SUM(status IN ('planned', 'pending')) > 0
            ORDER BY MAX(period_end) DESC, digest_id, transport
            """
        ).fetchall()
        return [Unsent(*row) for row in found]

    def mark_failed_by_hand(self, digest_id: str, transport: str) -> int:
        """`send --mark-failed`: a person checked that the pending sends did not arrive; the
        next `send` makes them again, as it makes a failed one. Returns the rows marked."""
        with self._transaction():
            cursor = self._execute(
                "UPDATE sends SET status = 'failed', last_error = 'marked not arrived by hand', "
                "updated_at = ? WHERE digest_id = ? AND transport = ? AND kind = 'broadcast' "
                "AND status = 'pending'",
                (_now(), digest_id, transport),
            )
        return cursor.rowcount

    def last_reached(
        self, transport: str, belongs: Callable[[str], bool] = lambda _: True
    ) -> Reached | None:
        """The newest digest (by its period's end) that reached some of its readers (a chunk
        sent, or the period recorded empty), among those whose id `belongs`, and how many
        of its broadcast chunks have not gone out."""
        reached = [r for r, went in self._broadcasts(transport, belongs) if went]
        return max(reached, key=lambda r: (r.end, r.digest_id), default=None)

    def last_sent_end(
        self, transport: str, belongs: Callable[[str], bool] = lambda _: True
    ) -> datetime | None:
        """End of the newest period whose every broadcast chunk went out (or was empty),
        among the digests whose id `belongs` (one language's, on a site with several)."""
        ends = [r.end for r, _ in self._broadcasts(transport, belongs) if not r.left]
        return max(ends, default=None)

    def _broadcasts(
        self, transport: str, belongs: Callable[[str], bool]
    ) -> list[tuple[Reached, int]]:
        """Each digest broadcast through `transport` whose id `belongs`: its period's end and
        its chunks not gone out, with how many did (sent, or the period recorded empty)."""
        found = self._execute(
            """
            SELECT digest_id, MAX(period_end), SUM(status NOT IN ('sent', 'skipped-empty')),
                SUM(status IN ('sent', 'skipped-empty'))
            FROM sends WHERE transport = ? AND kind = 'broadcast'
            GROUP BY digest_id
            """,
            (transport,),
        ).fetchall()
        return [
            (Reached(digest_id, datetime.fromisoformat(end), left), went)
            for digest_id, end, left, went in found
            if belongs(digest_id)
        ]

    def recent(self, limit: int = 20) -> list[Row]:
        found = self._execute(
            "SELECT * FROM sends ORDER BY period_end DESC, transport, kind, chunk LIMIT ?",
            (limit,),
        ).fetchall()
        return [_row(r) for r in found]

    def next_test_number(self, digest_id: str, transport: str) -> int:
        found = self._execute(
            "SELECT COUNT(*) FROM sends WHERE digest_id = ? AND transport = ? AND kind = 'test'",
            (digest_id, transport),
        ).fetchone()[0]
        return int(found) + 1

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._execute("COMMIT")


def _exists(path: Path) -> bool:
    # lexists: a dangling symlink is something there too, never a place for a fresh ledger.
    return os.path.lexists(path)


def check_file(path: Path) -> None:
    """Refuse, before sqlite opens it, anything at `path` that is not a whole SQLite file: a
    folder, an empty file, a truncated one, another kind of file. Raises LedgerError."""
    if path.is_dir():
        raise LedgerError(f"{path}: the ledger is a folder, not a file", _HOW_TO_FIX)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise LedgerError(f"{path}: cannot read the ledger: {exc.strerror}", _HOW_TO_FIX) from None
    if size == 0:
        raise LedgerError(
            f"{path}: the ledger is empty (0 bytes); a failed cache restore or a full disk may "
            "have emptied it, and an empty ledger would send every digest again",
            _HOW_TO_FIX,
        )
    if not header.startswith(_SQLITE_MAGIC):
        raise LedgerError(f"{path}: not a ledger (not an SQLite database)", _HOW_TO_FIX)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    # The header's page count is valid only when its change counter matches (file format 1.3.7).
    valid = header[24:28] == header[92:96]
    pages = int.from_bytes(header[28:32], "big") if valid else 0
    if len(header) < 100 or page_size < 512 or size % page_size or size < pages * page_size:
        raise LedgerError(
            f"{path}: the ledger is truncated ({size} bytes, expected {pages * page_size})",
            _HOW_TO_FIX,
        )


def _link(temp: Path, path: Path) -> None:
    """`temp` becomes `path` unless something is there (FileExistsError): that one is kept."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
            raise
        if _exists(path):  # a file system without hard links: check, then rename
            raise FileExistsError(str(path)) from None
        os.replace(temp, path)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.Error as exc:
        raise LedgerError(f"{path}: cannot open the ledger: {exc}", _HOW_TO_FIX) from None
    db.row_factory = sqlite3.Row
    return db


def _check_schema(db: sqlite3.Connection, path: Path) -> None:
    """An intact database holding this program's table, of a version it knows."""
    problems = [row[0] for row in db.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        raise LedgerError(f"{path}: the ledger is damaged ({problems[0]})", _HOW_TO_FIX)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    columns = {row[1] for row in db.execute("PRAGMA table_info(sends)").fetchall()}
    if version > _SCHEMA_VERSION:
        raise LedgerError(
            f"{path}: the ledger was written by a newer syndicate (schema {version})",
            "upgrade syndicate; nothing was sent",
        )
    if columns != _COLUMNS:
        found = "no `sends` table" if not columns else "a `sends` table of another shape"
        raise LedgerError(
            f"{path}: not a syndicate ledger (an SQLite database with {found})", _HOW_TO_FIX
        )


def _migrate(db: sqlite3.Connection) -> None:
    """Upgrade a ledger of an older schema in place, in one transaction: every row is kept.
    SQLite cannot widen a CHECK constraint, so the table is made anew and the rows copied, as
    its documentation's procedure for other changes to a table goes. Two runs opening an old
    ledger at once are safe: the second finds the version raised once it has the lock."""
    if db.execute("PRAGMA user_version").fetchone()[0] >= _SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] < _SCHEMA_VERSION:
            columns = ", ".join(_ORDER)
            db.execute(_schema("sends_upgraded"))
            db.execute(f"INSERT INTO sends_upgraded ({columns}) SELECT {columns} FROM sends")
            db.execute("DROP TABLE sends")
            db.execute("ALTER TABLE sends_upgraded RENAME TO sends")
            db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise


def _create(path: Path) -> None:
    """A new, empty ledger at `path`, made beside it and linked into place only if nothing
    appeared there meanwhile, so a half-made ledger is never mistaken for an empty one."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"{path.parent}: cannot create the ledger's folder: {exc.strerror}",
            "check the folder's permissions, or set delivery.ledger to a writable place",
        ) from None
    temp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            db.executescript(_schema("sends") + f"PRAGMA user_version = {_SCHEMA_VERSION};")
        finally:
            db.close()
        _link(temp, path)
    except FileExistsError:
        pass
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise OutputError(
            f"{path}: cannot create the ledger: {reason}",
            "check the folder's permissions and free space, or set delivery.ledger",
        ) from None
    finally:
        temp.unlink(missing_ok=True)


@contextmanager
def writing(path: Path, wait: float = 0.0) -> Iterator[Ledger]:
    """The ledger at `path`, open under the lock that lets one run write at a time
    (`exclusive_lock`: a second waits up to `wait` seconds, then exits 5)."""
    with exclusive_lock(path, wait), Ledger(path) as ledger:
        yield ledger


@contextmanager
def exclusive_lock(path: Path, wait: float = 0.0) -> Iterator[None]:
    """One sending run at a time: a second one waits up to `wait` seconds, then exits 5."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(
            f"{lock_path}: cannot create the ledger's lock: {exc.strerror}",
            "check delivery.ledger and the permissions of its folder",
        ) from None
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockedError(
                        f"another syndicate run is sending (lock {lock_path} is held)",
                        "wait for it to finish; overlapping runs never send twice",
                    ) from None
                time.sleep(0.2)
        yield
    finally:
        os.close(fd)
