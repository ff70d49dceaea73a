"""Ledgers of an older schema are upgraded in place, keeping every row, and the sends
they record go on: a ledger file the earlier syndicate made, real SQLite, a real SMTP
server."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from syndicate.delivery.ledger import Ledger

from .conftest import REPO, RunCli
from .servers import smtp_server
from .test_delivery import readers_site, received

LEDGER = ".syndicate/state.db"


def complete(root: Path) -> bool:
    """Whether the ledger calls 2024-W14 complete, as `--since-last-sent` and `status` ask."""
    with Ledger(root / LEDGER) as ledger:
        return ledger.last_sent_end("smtp") is not None


# --- ledgers written before plans existed ----------------------------------------------------

# Made by syndicate before this schema (ledger schema 1): the digest 2024-W13 skipped as
# empty, a test send of 2024-W14, then its send by SMTP to a, b and c in which the server
# answered 451 for b until the run gave up: a sent, b failed, c never reached (and, as
# ledgers then were, not in the ledger at all).
SCHEMA_1 = REPO / "tests/fixtures/ledgers/schema-1.db"


def _dump(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT * FROM sends ORDER BY digest_id, chunk").fetchall()
    con.close()
    return rows


@pytest.mark.parametrize("version", [0, 1])
def test_a_ledger_of_an_older_schema_is_upgraded_in_place_and_its_send_resumed(
    tmp_path: Path, version: int, run_cli: RunCli
) -> None:
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        db = root / LEDGER
        shutil.copy(SCHEMA_1, db)
        with sqlite3.connect(db) as con:  # version 0: the same table, before it was versioned
            con.execute(f"PRAGMA user_version = {version}")
        con.close()
        rows, before = _dump(db), db.read_bytes()
        for look in (("status",), ("send", "--dry-run")):  # reading changes nothing
            assert run_cli(*look, cwd=root).returncode == 0
        assert db.read_bytes() == before
        Ledger(db).close()
        assert _dump(db) == rows  # every row kept, as it was
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA user_version").fetchone()[0] == 2
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            assert tables == [("sends",)]
        con.close()
        resumed = run_cli("send", cwd=root)
        assert resumed.returncode == 0, resumed.stderr
    assert received(box) == ["b@example.org", "c@example.org"]  # a had it already
    assert complete(root)
    with Ledger(db) as ledger:
        assert ledger.get("2024-W13", "smtp", "all").status == "skipped-empty"  # type: ignore[union-attr]
