"""The plan of a send: every chunk is in the ledger before the first message goes, so a run cut
short (killed, a full disk, a server that gives up), and a `--mark-sent` after it, never make
a digest look complete while readers are still waiting for it; and ledgers written before
plans existed are upgraded in place. Real SMTP servers, real SQLite, real processes."""

from __future__ import annotations

import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from syndicate.delivery.ledger import Ledger
from syndicate.errors import RetryLaterError

from .conftest import REPO, RunCli
from .servers import MailBox, smtp_server
from .test_delivery import (
    _env,
    readers_site,
    received,
    send,
    send_killed_at_the_first_message,
    smtp_site,
    write_lines,
)

LEDGER = ".syndicate/state.db"
# A week after 2024-W14: `--since-last-sent` starts where the last complete digest ended.
NEXT_WEEK = "2024-04-09T10:00:00+01:00"
FIVE = [f"r{i}@example.org" for i in range(5)]


def statuses(root: Path) -> dict[str, str]:
    """The broadcast rows of 2024-W14 via SMTP: chunk -> status."""
    with Ledger(root / LEDGER) as ledger:
        return {r.chunk: r.status for r in ledger.rows("2024-W14", "smtp") if r.kind == "broadcast"}


def complete(root: Path) -> bool:
    """Whether the ledger calls 2024-W14 complete, as `--since-last-sent` and `status` ask."""
    with Ledger(root / LEDGER) as ledger:
        return ledger.last_sent_end("smtp") is not None


def mailed(box: MailBox) -> Counter[str]:
    return Counter(str(m["To"]) for m in box.messages)


def program_env() -> dict[str, str]:
    """For `python -m syndicate` in a site's folder: this tree's syndicate, whichever is
    installed."""
    return {**_env(), "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}


def five_readers(tmp_path: Path, box: MailBox) -> Path:
    root = smtp_site(tmp_path, box.port, 'recipients_file = "subscribers.txt"')
    write_lines(root / "subscribers.txt", FIVE)
    return root


def killed_at_the_first_message(root: Path, box: MailBox) -> None:
    """`syndicate send`, SIGKILLed by the server while it accepts the first message (which
    arrives): the run never reaches the other readers."""
    assert send_killed_at_the_first_message(root, box, program_env()) == -9
    assert mailed(box) == {FIVE[0]: 1}


# --- a run cut short, then --mark-sent -------------------------------------------------------


def test_marking_a_killed_send_sent_leaves_the_readers_it_never_reached_to_the_next_run(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The person checks that r0's message arrived and records it; the four readers the run
    never reached are no part of that, and the next scheduled run sends them the digest."""
    with smtp_server() as box:
        root = five_readers(tmp_path, box)
        killed_at_the_first_message(root, box)
        assert statuses(root) == {
            f"rcpt:{FIVE[0]}": "pending",
            **{f"rcpt:{r}": "planned" for r in FIVE[1:]},
        }
        mark = run_cli("send", "--mark-sent", "2024-W14", cwd=root)
        assert mark.returncode == 4, mark.stdout + mark.stderr
        assert "recorded 2024-W14 as sent via smtp (1 send)" in mark.stdout
        said = " ".join(mark.stderr.split())
        assert "2024-W14 via smtp: 4 planned sends were never made and are left unsent" in said
        assert "syndicate send 2024-W14" in said
        assert not complete(root)
        scheduled = run_cli("digest", "--send", "--since-last-sent", "--now", NEXT_WEEK, cwd=root)
        assert scheduled.returncode == 0, scheduled.stderr
    assert "sent 2024-W14 via smtp: 4 sent" in scheduled.stdout
    assert mailed(box) == dict.fromkeys(FIVE, 1)
    assert complete(root)


def test_marking_exits_4_while_planned_sends_are_left_and_0_once_none_are(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Each failed message (the server answered 421 until the run gave up) was sent to its
    reader by hand, and marked: the first marking leaves c, which no run had tried yet."""
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        box.closing = {"b@example.org"}  # a is sent, b stops the run (421), c waits
        with pytest.raises(RetryLaterError):
            send(root)
        first = run_cli("send", "--mark-sent", "2024-W14", cwd=root)
        assert first.returncode == 4, first.stderr
        assert "recorded 2024-W14 as sent via smtp (1 send)" in first.stdout
        assert "1 planned send was never made" in " ".join(first.stderr.split())
        assert statuses(root)["rcpt:c@example.org"] == "planned" and not complete(root)
        box.closing = {"c@example.org"}
        with pytest.raises(RetryLaterError):
            send(root)  # c only: a went out, b was marked
        second = run_cli("send", "--mark-sent", "2024-W14", cwd=root)
    assert second.returncode == 0, second.stderr
    assert "recorded 2024-W14 as sent via smtp (1 send)" in second.stdout and second.stderr == ""
    assert mailed(box) == {"a@example.org": 1}
    assert complete(root)


def test_marking_a_digest_only_tested_so_far_records_it_sent_whole(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """A test send is no send of the digest: one sent to the list some other way after a test
    is recorded, and not sent again."""
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port)
        assert run_cli("send", "--test", "me@example.org", cwd=root).returncode == 0
        mark = run_cli("send", "--mark-sent", "2024-W14", cwd=root)
        again = run_cli("send", cwd=root)
    assert mark.returncode == 0, mark.stderr
    assert "recorded 2024-W14 as sent via smtp (1 send)" in mark.stdout
    assert "2024-W14 already went out via smtp; nothing sent" in again.stdout
    assert [m["To"] for m in box.messages] == ["me@example.org"]
    assert complete(root)


def test_a_digest_marked_sent_whole_is_never_sent_to_its_readers_one_by_one(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """Sent some other way and marked before any run: the digest is sent through the transport
    already, whichever chunks it would be cut into now, so a send plans and sends nothing."""
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        mark = run_cli("send", "--mark-sent", "2024-W14", cwd=root)
        dry = run_cli("send", "--dry-run", cwd=root)
        again = run_cli("send", cwd=root)
    assert mark.returncode == 0 and again.returncode == 0, mark.stderr + again.stderr
    assert "would send:" not in dry.stdout and "would skip 3 sends" in dry.stdout
    assert "2024-W14 already went out via smtp; nothing sent" in again.stdout
    assert received(box) == [] and statuses(root) == {"all": "sent"} and complete(root)


# --- a run cut short, without --mark-sent ----------------------------------------------------


def size_limit(limit: int) -> Callable[[], None]:
    """In the child, before exec: writes past `limit` bytes fail with EFBIG, as on a full disk
    (SIGXFSZ ignored, or it would kill the process instead)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


# SQLite's shared-memory index of the write-ahead log takes 32 KiB; past that, each frame of
# the log is a 4 KiB page and a 24-byte header. Each limit lets one more frame of the ledger
# through, so the disk fills at one point of the run after another: once a message went out
# and before the ledger says so, between two readers, before a message, and never.
FULL_DISK_AT = [32768 + 32 + frames * 4120 for frames in range(6)]


@pytest.mark.slow
def test_a_send_cut_short_by_a_full_disk_never_looks_complete(
    tmp_path: Path, run_cli: RunCli
) -> None:
    for number, limit in enumerate(FULL_DISK_AT):
        with smtp_server() as box:
            root = readers_site(tmp_path / str(number), box.port)
            cut = subprocess.run(
                [sys.executable, "-m", "syndicate", "send"],
                cwd=root,
                env=program_env(),
                capture_output=True,
                text=True,
                timeout=120,
                preexec_fn=size_limit(limit),
            )
            assert cut.returncode in (0, 6), cut.stderr
            got = received(box)
            if not (root / LEDGER).exists():
                assert cut.returncode == 6 and got == []
                continue
            rows = statuses(root)
            status = run_cli("status", cwd=root)
            if got != ["a@example.org", "b@example.org", "c@example.org"]:
                assert not complete(root), (limit, got, rows)
                assert "complete through" not in status.stdout, (limit, got, rows)
            # Resuming sends the rest, never a second message: a chunk left pending (SMTP
            # cannot tell whether it arrived) stops for a person instead.
            again = run_cli("send", cwd=root)
            pending = [chunk for chunk, state in rows.items() if state == "pending"]
            assert again.returncode == (4 if pending else 0), (limit, rows, again.stderr)
            assert all(count == 1 for count in mailed(box).values()), (limit, rows)
            if not pending:
                assert received(box) == ["a@example.org", "b@example.org", "c@example.org"]
                assert complete(root)
        shutil.rmtree(tmp_path / str(number))


# --- what the ledger shows -------------------------------------------------------------------


def test_status_shows_the_planned_sends_a_stopped_run_never_made(
    tmp_path: Path, run_cli: RunCli
) -> None:
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        box.closing = {"b@example.org"}
        with pytest.raises(RetryLaterError):
            send(root)
    status = run_cli("status", cwd=root)
    assert status.returncode == 0, status.stderr
    [row] = [line for line in status.stdout.splitlines() if "rcpt:c@example.org" in line]
    assert row.split()[:5] == ["2024-W14", "smtp", "broadcast", "rcpt:c@example.org", "planned"]
    said = " ".join(status.stdout.split())
    assert (
        "2024-W14 via smtp: 1 of 3 sends planned and not made yet (`syndicate send 2024-W14` "
        "makes them)" in said
    )
    assert "complete through" not in said


def test_status_names_the_send_a_killed_run_left_pending_and_how_to_resolve_it(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """After a run killed during its first message, `status` said only that 4 of 5 sends were
    planned and that `send` makes them; `send` then stopped at the pending one to ask about it
    (exit 4), which `status` never mentioned."""
    with smtp_server() as box:
        root = five_readers(tmp_path, box)
        killed_at_the_first_message(root, box)
    said = " ".join(run_cli("status", cwd=root).stdout.split())
    assert "2024-W14 via smtp: 4 of 5 sends planned and not made yet" in said
    assert (
        "2024-W14 via smtp: 1 send pending (an earlier run stopped during it): smtp cannot "
        "tell whether they arrived: check, then record them with `syndicate send --mark-sent "
        "2024-W14` (they arrived) or `--mark-failed` (they did not)" in said
    ), said


def test_a_planned_reader_who_unsubscribes_before_the_rest_goes_out_is_forgotten(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """c was planned, never mailed, then unsubscribed: the next run mails b only, and the
    digest is complete (a planned chunk no one will ever be sent would hold it open forever,
    and `--since-last-sent` would mail its posts again in a longer period)."""
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        box.closing = {"b@example.org"}
        with pytest.raises(RetryLaterError):
            send(root)
        assert statuses(root)["rcpt:c@example.org"] == "planned"
        write_lines(root / "suppressed.txt", ["c@example.org"])
        box.closing.clear()
        report = send(root)
    assert report.sent == ["rcpt:b@example.org"]
    assert statuses(root) == {"rcpt:a@example.org": "sent", "rcpt:b@example.org": "sent"}
    assert complete(root) and received(box) == ["a@example.org", "b@example.org"]


# --- ledgers written before plans existed ----------------------------------------------------

# Made by syndicate before this schema (ledger schema 1): the digest 2024-W13 skipped as
# empty, a test send of 2024-W14, then its send by SMTP to a, b and c in which the server
# answered 451 for b until the run gave up, which then stopped the run: a sent, b failed, c
# never reached (and, as
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


# --- a digest that reached some of its readers, then the next period -------------------------


def sent_to_all_but_b(tmp_path: Path, box: MailBox, run_cli: RunCli) -> Path:
    """READERS' site, whose 2024-W14 went to a and c: b's mailbox refused it for now (451)."""
    root = readers_site(tmp_path, box.port)
    box.busy = {"b@example.org"}
    assert run_cli("send", cwd=root).returncode == 3
    return root


def test_the_next_period_starts_after_a_digest_some_readers_got_and_the_rest_get_it_first(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """One reader refused 2024-W14 for now (451: over quota) while the others got it. Once the
    next week ended, `--since-last-sent` started where the last *complete* digest ended, before
    2024-W14: one digest of both weeks went to every reader, and those who had 2024-W14 got
    its posts twice. Now the next period starts where 2024-W14 ends, and the run first sends
    2024-W14 to the reader it has not reached."""
    with smtp_server() as box:
        root = sent_to_all_but_b(tmp_path, box, run_cli)
        (root / "content/posts/fifth.md").write_text(
            "---\ntitle: Fifth, a week later\ndate: 2024-04-10\n---\nA post of 2024-W15.\n"
        )
        box.busy = set()
        week_after = "2024-04-16T10:00:00+01:00"  # 2024-W15 has ended
        dry = run_cli(
            "digest", "--send", "--dry-run", "--since-last-sent", "--now", week_after, cwd=root
        )
        run = run_cli("digest", "--send", "--since-last-sent", "--now", week_after, cwd=root)
        again = run_cli("digest", "--send", "--since-last-sent", "--now", week_after, cwd=root)
    assert dry.returncode == 0, dry.stderr
    would = [line for line in dry.stdout.splitlines() if line.startswith("would send: ")]
    assert len(would) == 4, dry.stdout
    assert "” to b@example.org" in would[0] and "Fifth, a week later" not in would[0]
    assert run.returncode == 0, run.stderr
    assert "digest 2024-W15: 1 post" in run.stdout
    assert "sent 2024-W14 via smtp: 1 sent" in run.stdout
    assert "sent 2024-W15 via smtp: 3 sent" in run.stdout
    assert again.returncode == 0 and "nothing to do" in again.stdout, again.stdout
    assert mailed(box) == {"a@example.org": 2, "b@example.org": 2, "c@example.org": 2}
    subjects = Counter(str(m["Subject"]) for m in box.messages)
    assert sorted(subjects.values()) == [3, 3]  # each digest once to each reader


def test_an_unfinished_digest_is_named_where_only_the_period_is_asked_for(
    tmp_path: Path, run_cli: RunCli
) -> None:
    with smtp_server() as box:
        root = sent_to_all_but_b(tmp_path, box, run_cli)
        found = run_cli("digest", "--since-last-sent", "--now", NEXT_WEEK, cwd=root)
    assert found.returncode == 0, found.stderr
    said = " ".join(found.stdout.split())
    assert "the last to some of its readers so far" in said
    assert "2024-W14 has not reached every reader via smtp yet: `syndicate send 2024-W14`" in said
