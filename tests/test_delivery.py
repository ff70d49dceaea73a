"""Delivery core: the ledger, the webhook and SMTP transports, and the fault matrix, against real
local servers. In every case, count what the receiver accepted."""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.build import choose_period, load_site, make_digest
from syndicate.config import load_config
from syndicate.delivery.ledger import Ledger
from syndicate.delivery.run import TRANSPORTS, deliver
from syndicate.delivery.webhook import sign
from syndicate.digest.outbox import read_outbox
from syndicate.errors import ConfigError, DeliveryError, LedgerError, RetryLaterError

from .conftest import NOW, RunCli, copy_fixture, examples, shared_copy
from .servers import SECRET, MailBox, smtp_server, webhook_receiver

ENV = {"SYNDICATE_WEBHOOK_SECRET": SECRET}
FAST_RETRY = (
    "[delivery.retry]\nattempts = 4\ntotal_seconds = 20\nwait_initial = 0.05\nwait_max = 0.2\n"
)


# A test server's address in a site shared by tests (see `site_with`), and a port for SMTP's.
SERVER = "http://server.invalid:9/"
SERVER_PORT = "port = 9\n"


def site_with(
    tmp_path: Path,
    delivery: str,
    link: str | None = None,
    swap: dict[str, str] | None = None,
) -> Path:
    """The fixture site with `delivery` added to its config and the digest of 2024-W14
    rendered (once per setup: see `shared_copy`); `link` replaces its unsubscribe placeholder."""

    def make(root: Path) -> None:
        copy_fixture("feedsite", root)
        config = root / "config.toml"
        text = config.read_text()
        if link is not None:
            text = text.replace("*|UNSUB|*", link)
        config.write_text(text + "\n" + delivery)
        loaded = load_site(load_config(config), now=NOW, env={})
        make_digest(loaded, choose_period(loaded.config, loaded.now, week="2024-W14"))

    return shared_copy(tmp_path / "site", repr(("delivery", delivery, link)), make, swap)


def webhook_site(tmp_path: Path, url: str, extra: str = "") -> Path:
    return site_with(
        tmp_path,
        f'[delivery]\ntransport = "webhook"\ntimeout = 1\nconnect_timeout = 1\n{extra}\n'
        f'[delivery.webhook]\nurl = "{SERVER}hook"\n{FAST_RETRY}',
        swap={SERVER: url},
    )


def send(root: Path, env: dict[str, str] | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    config = load_config(root / "config.toml")
    return deliver(
        config, read_outbox(config, "2024-W14"), env=ENV if env is None else env, **kwargs
    )  # type: ignore[arg-type]


def ledger_rows(root: Path) -> list[tuple[str, ...]]:
    with sqlite3.connect(root / ".syndicate/state.db") as db:
        return db.execute("SELECT * FROM sends").fetchall()


def test_every_transport_the_config_accepts_is_found_under_its_name() -> None:
    # The transports are imported when one is configured (`run.make_transport`): a name or
    # class misspelled in the table would only fail at the first send through it.
    from typing import get_args

    from syndicate.config import TransportName
    from syndicate.delivery.base import Transport

    assert set(TRANSPORTS) == set(get_args(TransportName))
    for name, class_name in TRANSPORTS.items():
        found = getattr(importlib.import_module(f"syndicate.delivery.{name}"), class_name)
        assert issubclass(found, Transport)
        assert found.name == name


# --- Standard Webhooks signing ---------------------------------------------------------------


def test_signature_matches_the_spec_test_vector() -> None:
    signature = sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signature_matches_an_independent_computation() -> None:
    body = '{"type":"digest.published","data":{"x":"é"}}'.encode()
    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, b"msg_1.1700000000." + body, hashlib.sha256).digest())
    assert sign(SECRET, "msg_1", 1700000000, body) == "v1," + expected.decode()


# --- the webhook transport -------------------------------------------------------------------


def test_webhook_sends_a_signed_standard_webhooks_payload(tmp_path: Path) -> None:
    with webhook_receiver() as receiver:
        root = webhook_site(tmp_path, receiver.url)
        before = int(time.time())
        report = send(root)
    assert report.sent == ["all"]
    [request] = receiver.requests
    headers = request["headers"]
    assert request["path"] == "/hook"
    assert headers["content-type"] == "application/json"
    assert before <= int(headers["webhook-timestamp"]) <= int(time.time())  # the real clock
    payload = json.loads(request["body"])
    assert payload["type"] == "digest.published"
    assert payload["timestamp"] == "2024-04-08T00:00:00+01:00"
    data = payload["data"]
    assert data["id"] == "2024-W14" and data["subject"].startswith("Fixture & Friends")
    assert data["html"].startswith("<!DOCTYPE html>") and "Second, with an excerpt" in data["text"]
    assert data["web_url"] == "https://fixture.example.net/blog/digests/2024-W14/"
    assert data["feed_url"] == "https://fixture.example.net/blog/digests/atom.xml"
    assert [p["title"] for p in data["posts"]] == ["Third, summary only", "Second, with an excerpt"]
    assert len(receiver.accepted) == 1


def test_webhook_id_is_stable_per_digest_and_transport(tmp_path: Path) -> None:
    with webhook_receiver(["500"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        send(root)
    ids = {r["headers"]["webhook-id"] for r in receiver.requests}
    assert len(receiver.requests) == 2 and len(ids) == 1
    [row] = ledger_rows(root)
    assert row[4] == "sent" and row[5] == 2  # status, attempts


# --- the fault matrix ------------------------------------------------------------------------


def test_500_then_200(tmp_path: Path) -> None:
    with webhook_receiver(["500"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        send(root)
        send(root)  # a re-run sends nothing more
    assert len(receiver.accepted) == 1 and len(receiver.requests) == 2


def test_429_waits_as_retry_after_asks(tmp_path: Path) -> None:
    with webhook_receiver(["429:1"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        send(root)
    assert len(receiver.requests) == 2 and len(receiver.accepted) == 1
    assert receiver.times[1] - receiver.times[0] >= 0.95


def test_reply_slower_than_the_timeout(tmp_path: Path) -> None:
    with webhook_receiver(["slow:2"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        send(root)
    assert len(receiver.requests) >= 2
    assert len(receiver.accepted) == 1  # the receiver de-duplicated the retry on webhook-id


def test_connection_dropped_after_the_server_received_it(tmp_path: Path) -> None:
    with webhook_receiver(["drop"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        report = send(root)
        assert report.sent == ["all"]
    assert len(receiver.requests) == 2 and len(receiver.accepted) == 1


def test_retries_are_bounded_and_a_rerun_later_sends_once(tmp_path: Path) -> None:
    with webhook_receiver(["500"] * 10) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        with pytest.raises(DeliveryError) as caught:
            send(root)
        assert caught.value.exit_code == 3
        assert len(receiver.requests) == 4  # delivery.retry.attempts
        assert ledger_rows(root)[0][4] == "failed"
        receiver.faults.clear()
        send(root)
        send(root)
    assert len(receiver.accepted) == 1


def test_permanent_error_fails_at_once_with_the_provider_message(tmp_path: Path) -> None:
    with webhook_receiver(["401"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        with pytest.raises(DeliveryError) as caught:
            send(root)
    assert caught.value.exit_code == 4
    assert "answered 401" in caught.value.message
    assert len(receiver.requests) == 1


def test_redirects_are_not_followed(tmp_path: Path) -> None:
    with webhook_receiver(["302"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        with pytest.raises(DeliveryError) as caught:
            send(root)
    assert caught.value.exit_code == 4 and "not followed" in caught.value.message
    assert len(receiver.requests) == 1


def test_secrets_never_appear_in_messages_or_the_ledger(tmp_path: Path, run_cli: RunCli) -> None:
    with webhook_receiver(["401"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        result = run_cli("send", "--verbose", cwd=root, env=ENV)
    assert result.returncode == 4
    assert "echo ***" in result.stderr  # the receiver echoed the secret back; it was masked
    secret_bits = SECRET.removeprefix("whsec_")
    assert secret_bits not in result.stdout + result.stderr
    assert secret_bits not in json.dumps(ledger_rows(root))
    assert secret_bits.encode() not in (root / ".syndicate/state.db").read_bytes()


def test_missing_secret_is_a_configuration_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = webhook_site(tmp_path, "http://127.0.0.1:9/")
    result = run_cli("send", cwd=root, env={"SYNDICATE_WEBHOOK_SECRET": ""})
    assert result.returncode == 2
    assert "environment variable SYNDICATE_WEBHOOK_SECRET is not set" in result.stderr
    with pytest.raises(ConfigError):
        send(root, env={})


def test_dry_run_uses_no_network(tmp_path: Path, run_cli: RunCli) -> None:
    with webhook_receiver() as receiver:
        root = webhook_site(tmp_path, receiver.url)
        result = run_cli("send", "--dry-run", cwd=root, env=ENV)
    assert result.returncode == 0, result.stderr
    assert f"would send: POST {receiver.url}hook" in result.stdout
    assert "webhook-signature: v1,***" in result.stdout
    assert receiver.requests == [] and not (root / ".syndicate/state.db").exists()


def test_a_dry_run_after_the_send_says_it_would_skip_what_went_out(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The dry run tells what the send would do: after the digest went out, nothing (the
    ledger says so; it is read, not changed), and with --force, send it again."""
    with webhook_receiver() as receiver:
        root = webhook_site(tmp_path, receiver.url)
        assert run_cli("send", cwd=root, env=ENV).returncode == 0
        ledger = root / ".syndicate/state.db"
        before = ledger.read_bytes()
        again = run_cli("send", "--dry-run", cwd=root, env=ENV)
        forced = run_cli("send", "--dry-run", "--force", cwd=root, env=ENV)
        assert len(receiver.requests) == 1
    assert again.returncode == 0 and forced.returncode == 0
    assert "would send:" not in again.stdout
    assert "would skip 1 send that already went out via webhook (--force sends again)" in (
        again.stdout
    )
    assert f"would send: POST {receiver.url}hook" in forced.stdout
    assert "would skip" not in forced.stdout and ledger.read_bytes() == before


def test_marking_a_digest_that_went_out_as_sent_records_nothing(
    tmp_path: Path, run_cli: RunCli
) -> None:
    with webhook_receiver() as receiver:
        root = webhook_site(tmp_path, receiver.url)
        assert run_cli("send", cwd=root, env=ENV).returncode == 0
        before = ledger_rows(root)
        mark = run_cli("send", "--mark-sent", "2024-W14", cwd=root, env=ENV)
    assert mark.returncode == 0, mark.stderr
    assert "nothing to record: the ledger has every send of" in mark.stdout
    assert "as sent already" in mark.stdout and ledger_rows(root) == before


def test_the_placeholder_warning_comes_only_with_something_to_send(
    run_cli: RunCli, sample_site: Path
) -> None:
    """The sample site's unsubscribe link is Postmark's placeholder, its delivery the outbox:
    sending warns; sending a digest that went out already sends nothing, and says nothing of
    the link (unless forced)."""
    warning = "unsubscribe link is the placeholder"
    assert run_cli("digest", "--week", "2024-W44", cwd=sample_site).returncode == 0
    first = run_cli("send", "2024-W44", cwd=sample_site)
    assert first.returncode == 0 and warning in first.stderr
    again = run_cli("send", "2024-W44", cwd=sample_site)
    assert "already went out via outbox" in again.stdout and warning not in again.stderr
    dry = run_cli("send", "--dry-run", "2024-W44", cwd=sample_site)
    assert "would skip 1 send" in dry.stdout and warning not in dry.stderr
    forced = run_cli("send", "--dry-run", "--force", "2024-W44", cwd=sample_site)
    assert "would send:" in forced.stdout and warning in forced.stderr


def test_web_version_is_checked_before_mailing(tmp_path: Path) -> None:
    with webhook_receiver() as receiver:
        root = webhook_site(tmp_path, receiver.url, "check_web_version = true")
        with pytest.raises(DeliveryError) as caught:
            send(root)  # the web version lives on fixture.example.net, which does not answer
    assert caught.value.exit_code == 3 and "does not answer" in caught.value.message
    assert receiver.requests == []


def test_killed_between_request_and_ledger_update(tmp_path: Path, run_cli: RunCli) -> None:
    with webhook_receiver(["kill"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        proc = subprocess.Popen(
            [sys.executable, "-m", "syndicate", "send"],
            cwd=root,
            env={**_env(), **ENV},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        receiver.victim = proc.pid
        proc.wait(timeout=60)
        assert proc.returncode == -9
        assert ledger_rows(root)[0][4] == "pending"
        dry = run_cli("send", "--dry-run", cwd=root, env=ENV)
        assert "which webhook de-duplicates" in " ".join(dry.stdout.split()), dry.stdout
        status = " ".join(run_cli("status", cwd=root, env=ENV).stdout.split())
        assert "1 send pending (an earlier run stopped during it): `syndicate send" in status
        for _ in range(3):
            result = run_cli("send", cwd=root, env=ENV)
            assert result.returncode == 0, result.stderr
    # The receiver de-duplicates on webhook-id: exactly one digest, however many re-runs.
    assert len(receiver.accepted) == 1 and len(receiver.requests) == 2


@pytest.mark.slow
def test_two_runs_at_once_cannot_both_send(tmp_path: Path) -> None:
    with webhook_receiver(["slow:3"]) as receiver:
        root = webhook_site(tmp_path, receiver.url)
        root.joinpath("config.toml").write_text(
            root.joinpath("config.toml").read_text().replace("timeout = 1\n", "timeout = 5\n")
        )
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "syndicate", "send"],
                cwd=root,
                env={**_env(), **ENV},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outcomes = sorted((p.wait(timeout=60), p.stderr.read()) for p in procs)  # type: ignore[union-attr]
    assert [code for code, _ in outcomes] == [0, 5]
    assert "another syndicate run is sending" in outcomes[1][1]
    assert len(receiver.requests) == 1 and len(receiver.accepted) == 1


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


def send_killed_at_the_first_message(root: Path, box: MailBox, env: dict[str, str]) -> int:
    """`syndicate send` in `root`, SIGKILLed by the server while it accepts the first message
    (which arrives); its exit status."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "syndicate", "send"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    box.victim = proc.pid
    return proc.wait(timeout=60)


# --- SMTP ------------------------------------------------------------------------------------


OWN_LINK = "https://fixture.example.net/unsubscribe"


def smtp_site(tmp_path: Path, port: int, extra: str = "", link: str = OWN_LINK) -> Path:
    """A site sending by SMTP; the fixture's placeholder becomes `link`, since no provider
    stands behind SMTP to fill one in."""
    return site_with(
        tmp_path,
        f'[delivery]\ntransport = "smtp"\ntimeout = 5\n[delivery.smtp]\nhost = "127.0.0.1"\n'
        f'{SERVER_PORT}security = "none"\n{extra}\n{FAST_RETRY}',
        link,
        {SERVER_PORT: f"port = {port}\n"},
    )


def test_smtp_delivers_one_message_with_text_and_html(tmp_path: Path) -> None:
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port)
        send(root)
        send(root)
    [message] = box.messages
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["To"] == "Readers <readers@fixture.example.net>"
    assert box.envelopes == [("news@fixture.example.net", ["readers@fixture.example.net"])]


def test_smtp_recipients_file_suppression_and_unsubscribe(tmp_path: Path) -> None:
    with smtp_server() as box:
        root = smtp_site(
            tmp_path,
            box.port,
            'recipients_file = "subscribers.txt"\nsuppression_file = "suppressed.txt"\n'
            'unsubscribe_mailto = "leave@fixture.example.net"',
        )
        (root / "subscribers.txt").write_text(
            "a@example.org\n# a comment\nB@example.org\nc@example.org\nA@example.org\n"
        )
        (root / "suppressed.txt").write_text("b@example.org\n")
        report = send(root)
        assert sorted(report.sent) == ["rcpt:a@example.org", "rcpt:c@example.org"]
        send(root)
    assert sorted(m["To"] for m in box.messages) == ["a@example.org", "c@example.org"]
    for message in box.messages:
        assert (
            message["List-Unsubscribe"]
            .strip()
            .startswith("<mailto:leave@fixture.example.net?subject=unsubscribe")
        )
        assert message["List-Unsubscribe-Post"] is None
    assert len({m["Message-ID"] for m in box.messages}) == 2


def test_smtp_resumes_where_a_killed_run_stopped(tmp_path: Path, run_cli: RunCli) -> None:
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port, 'recipients_file = "subscribers.txt"')
        (root / "subscribers.txt").write_text("".join(f"r{i}@example.org\n" for i in range(5)))
        send_killed_at_the_first_message(root, box, _env())
        first = run_cli("send", cwd=root)
        assert first.returncode == 4, first.stderr
        assert (
            "pending since" in first.stderr
            and "syndicate send --mark-sent 2024-W14" in first.stderr
        )
        assert "rcpt:r0@example.org" in first.stderr
        mark = run_cli("send", "--mark-sent", "2024-W14", cwd=root)
        assert mark.returncode == 0, mark.stderr
        again = run_cli("send", cwd=root)
        assert again.returncode == 0, again.stderr
    recipients = sorted(m["To"] for m in box.messages)
    assert recipients == [f"r{i}@example.org" for i in range(5)]  # nobody got two


def test_a_dry_run_tells_a_pending_smtp_send_from_those_it_would_make(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The dry run listed the send a killed run left pending among those it would make; the
    real run does not make it (SMTP cannot tell whether it arrived) and stops to ask. It now
    says so, and what it would send is what the run then sends."""
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port, 'recipients_file = "subscribers.txt"')
        (root / "subscribers.txt").write_text("".join(f"r{i}@example.org\n" for i in range(3)))
        send_killed_at_the_first_message(root, box, _env())
        before = len(box.messages)
        dry = run_cli("send", "--dry-run", cwd=root)
        assert dry.returncode == 0, dry.stderr
        said = " ".join(dry.stdout.split())
        would = [line for line in dry.stdout.splitlines() if line.startswith("would send:")]
        assert [line.rsplit(" to ", 1)[1] for line in would] == [
            "r1@example.org",
            "r2@example.org",
        ]
        assert "would not send: rcpt:r0@example.org: pending since" in said
        assert "syndicate send --mark-sent or --mark-failed 2024-W14" in said
        real = run_cli("send", cwd=root)
        assert real.returncode == 4, real.stderr
    assert sorted(m["To"] for m in box.messages[before:]) == ["r1@example.org", "r2@example.org"]


def test_a_pending_smtp_send_marked_failed_is_sent_again_alone(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """The hint for a pending send that did not arrive was `send --force`, which sends every
    reader the digest again; the run's message said "Nothing was sent" while it had just
    sent the readers after the pending one. Now: `--mark-failed`, then `send`, which makes
    the failed send again, and only it."""
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port, 'recipients_file = "subscribers.txt"')
        (root / "subscribers.txt").write_text("".join(f"r{i}@example.org\n" for i in range(3)))
        send_killed_at_the_first_message(root, box, _env())
        first = run_cli("send", cwd=root)
        assert first.returncode == 4, first.stderr
        said = " ".join(first.stderr.split())
        assert "It was not sent again" in said and "2 other sends of this run went out" in said
        assert "syndicate send --mark-failed 2024-W14, then syndicate send 2024-W14" in said
        assert "--force" not in said
        mark = run_cli("send", "--mark-failed", "2024-W14", cwd=root)
        assert mark.returncode == 0, mark.stderr
        assert "recorded 1 pending send of 2024-W14 via smtp as failed" in mark.stdout
        again = run_cli("send", cwd=root)
        assert again.returncode == 0, again.stderr
        assert run_cli("send", "--mark-failed", "2024-W14", cwd=root).returncode == 0
    recipients = sorted(m["To"] for m in box.messages)
    # r0's first message arrived before the kill (the server took it): sent again as marked
    assert recipients == ["r0@example.org", "r0@example.org", "r1@example.org", "r2@example.org"]


def test_test_send_is_recorded_apart(tmp_path: Path, run_cli: RunCli) -> None:
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port)
        result = run_cli("send", "--test", "me@example.org", cwd=root)
        assert result.returncode == 0, result.stderr
        assert run_cli("send", "--test", "me@example.org", cwd=root).returncode == 0
        assert run_cli("send", cwd=root).returncode == 0
    subjects = [m["Subject"] for m in box.messages]
    assert subjects[0].startswith("[TEST] ") and subjects[1].startswith("[TEST] ")
    assert not subjects[2].startswith("[TEST]")
    assert [m["To"] for m in box.messages[:2]] == ["me@example.org", "me@example.org"]
    with Ledger(root / ".syndicate/state.db") as ledger:
        kinds = sorted((r.kind, r.status) for r in ledger.rows("2024-W14", "smtp"))
    assert kinds == [("broadcast", "sent"), ("test", "sent"), ("test", "sent")]


# --- SMTP: a recipients file, frozen at the first send ---------------------------------------

READERS = ["a@example.org", "b@example.org", "c@example.org"]
FROZEN = "outbox/2024-W14/recipients-smtp.json"


def readers_site(tmp_path: Path, port: int) -> Path:
    """A site mailing each of READERS by SMTP, with an empty suppression file."""
    root = smtp_site(
        tmp_path,
        port,
        'recipients_file = "subscribers.txt"\nsuppression_file = "suppressed.txt"',
    )
    write_lines(root / "subscribers.txt", READERS)
    write_lines(root / "suppressed.txt", [])
    return root


def write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(f"{line}\n" for line in lines))


def received(box: MailBox) -> list[str]:
    return sorted(str(m["To"]) for m in box.messages)


def test_smtp_freezes_the_recipients_file_at_the_first_send(
    tmp_path: Path, run_cli: RunCli
) -> None:
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        first = run_cli("send", cwd=root)
        assert first.returncode == 0, first.stderr
        write_lines(root / "subscribers.txt", [*READERS, "d@example.org"])
        again = run_cli("send", cwd=root)
    assert again.returncode == 0, again.stderr
    assert "2024-W14 already went out via smtp; nothing sent" in again.stdout
    assert received(box) == READERS  # d gets next week's digest, not this one
    assert json.loads((root / FROZEN).read_text()) == READERS


def test_subscribers_addresses_keep_to_the_umask_while_the_feeds_are_readable_by_all(
    tmp_path: Path, run_cli: RunCli
) -> None:
    """With a umask of 077 the copy syndicate makes of the subscribers' addresses (the frozen
    recipients) is the user's alone, as the recipients file is; the files of the output
    folder are still readable by a web server's user."""
    old = os.umask(0o077)
    try:
        with smtp_server() as box:
            root = readers_site(tmp_path, box.port)
            built = run_cli("build", cwd=root)
            sent = run_cli("send", cwd=root)
    finally:
        os.umask(old)
    assert built.returncode == 0 and sent.returncode == 0, built.stderr + sent.stderr
    assert received(box) == READERS
    assert (root / FROZEN).stat().st_mode & 0o777 == 0o600
    published = [p for p in (root / "public").rglob("*") if p.is_file()]
    assert published and {p.stat().st_mode & 0o777 for p in published} == {0o644}


def test_smtp_retry_after_a_partial_failure_goes_to_the_frozen_audience(tmp_path: Path) -> None:
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        box.closing = {"b@example.org"}  # a is sent, b stops the run (421), c waits
        with pytest.raises(RetryLaterError):
            send(root)
        assert received(box) == ["a@example.org"]
        write_lines(root / "subscribers.txt", ["a@example.org", "b@example.org", "d@example.org"])
        box.closing.clear()
        report = send(root)
    assert report.already == ["rcpt:a@example.org"]
    assert report.sent == ["rcpt:b@example.org", "rcpt:c@example.org"]
    assert received(box) == READERS  # c, left out of the file, still gets it; d does not


@pytest.mark.parametrize("refusal", ["busy", "greylisted"])
def test_smtp_goes_on_past_a_reader_refused_for_now(
    tmp_path: Path, run_cli: RunCli, refusal: str
) -> None:
    """A 451 to one reader's message (over quota) stopped the run there, and every run after
    it, so the readers after that one never got the digest while it lasted; a 450 at RCPT
    (greylisting) was taken as a permanent refusal. The run goes on with the others, exits 3,
    and the next sends that one only. A 421 (the server closes the channel) still stops the
    run (the tests above)."""
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        setattr(box, refusal, {"b@example.org"})
        first = run_cli("send", cwd=root)
        assert first.returncode == 3, first.stderr
        said = " ".join(first.stderr.split())
        assert (
            "2024-W14 via smtp: 1 send(s) not delivered after retrying: rcpt:b@example.org:" in said
        )
        assert said.endswith(
            "; 2 other sends went out hint: nothing is lost: run the same command again later; it makes those, and sends nothing twice"
        ), said
        assert received(box) == ["a@example.org", "c@example.org"]
        setattr(box, refusal, set())
        report = send(root)
    assert report.sent == ["rcpt:b@example.org"]
    assert sorted(received(box)) == READERS


def test_smtp_never_mails_an_address_suppressed_after_the_freeze(tmp_path: Path) -> None:
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        box.closing = {"b@example.org"}
        with pytest.raises(RetryLaterError):
            send(root)
        write_lines(root / "suppressed.txt", ["C@example.org"])  # unsubscribed meanwhile
        box.closing.clear()
        report = send(root)
    assert report.sent == ["rcpt:b@example.org"]
    assert received(box) == ["a@example.org", "b@example.org"]
    assert json.loads((root / FROZEN).read_text()) == READERS  # the freeze itself is kept


def test_smtp_force_sends_again_to_the_frozen_audience(tmp_path: Path, run_cli: RunCli) -> None:
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        assert run_cli("send", cwd=root).returncode == 0
        write_lines(root / "subscribers.txt", [*READERS, "d@example.org"])
        forced = run_cli("send", "--force", "2024-W14", cwd=root)
    assert forced.returncode == 0, forced.stderr
    assert "3 sent, 0 confirmed from an earlier run, 0 already sent" in forced.stdout
    assert received(box) == sorted(READERS * 2)


def test_smtp_test_send_and_dry_run_freeze_nothing(tmp_path: Path, run_cli: RunCli) -> None:
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        assert run_cli("send", "--test", "me@example.org", cwd=root).returncode == 0
        dry = run_cli("send", "--dry-run", cwd=root)
        assert dry.returncode == 0, dry.stderr
        assert not (root / FROZEN).exists()
        # The audience is read at the first broadcast, so a reader added after the test or
        # the dry run is in it.
        write_lines(root / "subscribers.txt", [*READERS, "d@example.org"])
        assert run_cli("send", cwd=root).returncode == 0
        assert run_cli("send", "--test", "me@example.org", cwd=root).returncode == 0
        write_lines(root / "subscribers.txt", ["e@example.org"])
        after = run_cli("send", "--dry-run", "--force", cwd=root)
    assert after.returncode == 0, after.stderr
    assert "e@example.org" not in after.stdout and after.stdout.count("would send:") == 4
    assert received(box) == sorted([*READERS, "d@example.org", "me@example.org", "me@example.org"])
    assert json.loads((root / FROZEN).read_text()) == [*READERS, "d@example.org"]


def test_each_address_of_a_recipients_file_is_checked_as_it_is_read(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # `not-an-email` was dropped without a word and `BAD@@x` mailed; a line that is no
    # address is now a warning at its line, and left out, while the others still go out.
    with smtp_server() as box:
        root = readers_site(tmp_path, box.port)
        write_lines(
            root / "subscribers.txt",
            [
                "good@example.org",
                "not-an-email",
                "BAD@@x",
                "ana+digest@mail.example.co.uk  # plus-addressing, subdomains",
                "Jo Lima <jo@bücher.example>",
                '"Lima, Jo" <JO@xn--bcher-kva.example>',
            ],
        )
        write_lines(root / "suppressed.txt", ["also not one"])
        dry = run_cli("send", "--dry-run", cwd=root)
        assert dry.returncode == 0, dry.stderr
        for line, text in ((2, "not-an-email"), (3, "BAD@@x")):
            said = f"subscribers.txt:{line}: warning: not an email address: {text!r}; left out"
            assert said in dry.stderr
        assert "suppressed.txt:1: warning: not an email address: 'also not one'" in dry.stderr
        assert dry.stderr.count("hint: write one address per line") == 3
        sent = run_cli("send", cwd=root)
        assert sent.returncode == 0, sent.stderr
    envelopes = sorted(to for _, [to] in box.envelopes)
    assert envelopes == [
        "ana+digest@mail.example.co.uk",
        "good@example.org",
        "jo@xn--bcher-kva.example",  # the name's ASCII form; the second line is the same reader
    ]


def test_a_test_address_that_is_no_address_is_a_usage_error(
    tmp_path: Path, run_cli: RunCli
) -> None:
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port)
        for address in ("not an address", "BAD@@x", "me@example", "a@x.org, b@x.org"):
            result = run_cli("send", "--test", address, cwd=root)
            assert result.returncode == 2, result.stderr
            assert f"error: --test {address!r}: not an email address" in result.stderr
            assert "hint: give one address" in result.stderr
        named = run_cli("send", "--test", "Me <me+test@example.org>", cwd=root)
        assert named.returncode == 0, named.stderr
    assert box.envelopes == [("news@fixture.example.net", ["me+test@example.org"])]
    with Ledger(root / ".syndicate/state.db") as ledger:  # only the real address's test
        assert [(r.kind, r.status) for r in ledger.rows("2024-W14", "smtp")] == [("test", "sent")]


@pytest.mark.parametrize(
    ("where", "key"),
    [
        ('recipients_file = "nosuch.txt"', "delivery.smtp.recipients_file"),
        ('recipients_file = "subscribers.txt"\nsuppression_file = "nosuch.txt"', None),
    ],
)
def test_a_missing_recipients_file_names_its_key(
    tmp_path: Path, run_cli: RunCli, where: str, key: str | None
) -> None:
    key = key or "delivery.smtp.suppression_file"
    root = smtp_site(tmp_path, 9, where)
    write_lines(root / "subscribers.txt", READERS)
    result = run_cli("send", "--dry-run", cwd=root)
    assert result.returncode == 2, result.stderr
    assert f"error: config.toml: {key}: cannot read nosuch.txt: No such file" in result.stderr
    assert f"hint: create the file, one address per line, or set {key}" in result.stderr


# --- since-last-sent and scheduling ----------------------------------------------------------


def outbox_site(tmp_path: Path) -> Path:
    root = copy_fixture("feedsite", tmp_path / "site")
    return root


def test_since_last_sent_catches_up_and_never_sends_twice(tmp_path: Path, run_cli: RunCli) -> None:
    root = outbox_site(tmp_path)
    first = run_cli(
        "digest", "--send", "--since-last-sent", "--now", "2024-04-02T10:00:00+01:00", cwd=root
    )
    assert first.returncode == 0, first.stderr
    assert "digest 2024-W13" in first.stdout and "sent 2024-W13 via outbox" in first.stdout
    # A missed week: two weeks later, the next digest covers both.
    later = run_cli(
        "digest", "--send", "--since-last-sent", "--now", "2024-04-16T10:00:00+01:00", cwd=root
    )
    assert later.returncode == 0, later.stderr
    assert "digest 2024-04-01--2024-04-14" in later.stdout
    for _ in range(2):
        again = run_cli(
            "digest", "--send", "--since-last-sent", "--now", "2024-04-16T11:00:00+01:00", cwd=root
        )
        assert again.returncode == 0 and "nothing to do" in again.stdout
    sent = sorted(p.name for p in (root / "sent").glob("*.eml"))
    assert sent == ["2024-04-01--2024-04-14.eml", "2024-W13.eml"]


def test_empty_week_is_recorded_and_skipped(tmp_path: Path, run_cli: RunCli) -> None:
    root = outbox_site(tmp_path)
    assert (
        run_cli(
            "digest", "--send", "--since-last-sent", "--now", "2024-04-09T10:00:00+01:00", cwd=root
        ).returncode
        == 0
    )
    empty = run_cli(
        "digest", "--send", "--since-last-sent", "--now", "2024-04-16T10:00:00+01:00", cwd=root
    )
    assert empty.returncode == 0 and "no new posts between" in empty.stdout
    with Ledger(root / ".syndicate/state.db") as ledger:
        assert ledger.get("2024-W15", "outbox", "all").status == "skipped-empty"  # type: ignore[union-attr]
    status = run_cli("status", cwd=root)
    assert "skipped-empty" in status.stdout and "2024-W14" in status.stdout


def test_one_transport_says_nothing_about_another(tmp_path: Path, run_cli: RunCli) -> None:
    root = outbox_site(tmp_path)
    assert run_cli("digest", "--send", "--week", "2024-W14", "--now", NOW, cwd=root).returncode == 0
    with Ledger(root / ".syndicate/state.db") as ledger:
        assert ledger.last_sent_end("outbox") is not None
        assert ledger.last_sent_end("webhook") is None


@pytest.mark.parametrize("implicit", [False, True])
def test_smtp_over_verified_tls_with_a_login(
    tmp_path: Path, implicit: bool, run_cli: RunCli
) -> None:
    from .servers import self_signed, tls_smtp_server

    cert, key = self_signed(tmp_path)
    password = "s3cret-smtp-pass"
    with tls_smtp_server(cert, key, implicit, password) as box:
        security = "tls" if implicit else "starttls"
        root = smtp_site(
            tmp_path,
            box.port,
            f'username = "digest"\npassword_env = "SMTP_PASSWORD"\nca_file = "{cert}"',
        )
        config = root / "config.toml"
        config.write_text(
            config.read_text().replace('security = "none"', f'security = "{security}"')
        )
        result = run_cli("send", cwd=root, env={"SMTP_PASSWORD": password})
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        wrong = run_cli(
            "send", "--test", "me@example.org", cwd=root, env={"SMTP_PASSWORD": "nope-nope"}
        )
        assert wrong.returncode == 4 and "refused the login" in wrong.stderr
        assert "nope-nope" not in wrong.stderr + wrong.stdout
        # Without the private CA the certificate is not trusted, and nothing is sent.
        config.write_text(config.read_text().replace(f'ca_file = "{cert}"', ""))
        untrusted = run_cli(
            "send", "--test", "me@example.org", cwd=root, env={"SMTP_PASSWORD": password}
        )
        assert untrusted.returncode == 3 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    assert len(box.messages) == 1


# --- a ledger that cannot be trusted ---------------------------------------------------------


def _truncated(db: Path) -> None:
    with Ledger(db) as ledger:  # enough rows for several pages
        for i in range(200):
            ledger.skip_empty(f"2023-W{i:03d}", "outbox", (_T0, _T0))
    data = db.read_bytes()
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 2 * page
    db.write_bytes(data[:page])


def _other_schema(db: Path) -> None:
    with sqlite3.connect(db) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
        other.execute("INSERT INTO notes VALUES ('not a ledger')")
    other.close()


def _newer_schema(db: Path) -> None:
    Ledger(db).close()
    with sqlite3.connect(db) as newer:
        newer.execute("PRAGMA user_version = 99")
    newer.close()


_T0 = datetime(2023, 1, 2, tzinfo=UTC)
DAMAGE = {
    "empty": lambda db: db.write_bytes(b""),
    "truncated": _truncated,
    "garbage": lambda db: db.write_bytes(b"\x00garbage, not a database\n" * 300),
    "half a header": lambda db: db.write_bytes(b"SQLite format 3\x00\x10\x00"),
    "folder": lambda db: db.mkdir(),
    "other schema": _other_schema,
    "newer schema": _newer_schema,
}


def _fingerprint(path: Path) -> str:
    if path.is_dir():
        return "folder:" + ",".join(sorted(p.name for p in path.iterdir()))
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_an_untrustworthy_ledger_stops_every_command_that_reads_it(
    tmp_path: Path, damage: str, run_cli: RunCli
) -> None:
    root = site_with(tmp_path, "")
    db = root / ".syndicate/state.db"
    db.parent.mkdir(exist_ok=True)  # the digest's web copy already put the manifest's copy there
    DAMAGE[damage](db)
    before = _fingerprint(db)
    commands = [
        ("send",),
        ("status",),
        ("digest", "--send", "--since-last-sent", "--now", NOW),
        ("send", "--mark-sent", "2024-W14"),
    ]
    for command in commands:
        result = run_cli(*command, cwd=root)
        assert result.returncode == 4, (command, result.stdout, result.stderr)
        assert "state.db" in result.stderr and "nothing was sent" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert _fingerprint(db) == before  # never repaired, replaced or written to
    assert not (root / "sent").exists()


@given(data=st.binary(max_size=3000), magic=st.booleans(), page=st.sampled_from([512, 1024, 4096]))
@settings(max_examples=examples(80), deadline=None)
def test_no_bytes_but_a_ledger_are_taken_for_one_and_none_are_changed(
    data: bytes, magic: bool, page: int
) -> None:
    content = data
    if magic:  # past the first check: the header of an SQLite file, whole pages, random rest
        header = b"SQLite format 3\x00" + page.to_bytes(2, "big") + data[:82].ljust(82, b"\x00")
        content = (header + data[82:]).ljust(page * (1 + len(data) // page), b"\x00")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "state.db"
        db.write_bytes(content)
        with pytest.raises(LedgerError):
            Ledger(db)
        assert db.read_bytes() == content


def test_a_ledger_setting_that_names_another_file_is_refused_untouched(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = site_with(tmp_path, '[delivery]\nledger = "config.toml"')
    before = (root / "config.toml").read_bytes()
    for command in (("send",), ("status",)):
        result = run_cli(*command, cwd=root)
        assert result.returncode == 4, result.stderr
        assert "config.toml: not a ledger (not an SQLite database)" in result.stderr
    assert (root / "config.toml").read_bytes() == before
    assert not (root / "sent").exists()


def test_a_ledger_path_inside_a_file_is_an_output_error(tmp_path: Path, run_cli: RunCli) -> None:
    root = site_with(tmp_path, '[delivery]\nledger = "config.toml/state.db"')
    for command in (("send",), ("send", "--mark-sent", "2024-W14")):
        result = run_cli(*command, cwd=root)
        assert result.returncode == 6, result.stderr
        assert "config.toml/state.db" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("status", cwd=root).returncode == 0  # nothing there: nothing sent yet


def test_reading_the_ledger_never_creates_one(tmp_path: Path, run_cli: RunCli) -> None:
    root = site_with(tmp_path, "")
    result = run_cli("status", cwd=root)
    assert result.returncode == 0 and "nothing sent yet" in result.stdout
    assert not (root / ".syndicate/state.db").exists()


def test_a_failed_forced_send_keeps_the_earlier_sent_record(tmp_path: Path) -> None:
    with webhook_receiver() as receiver:
        root = webhook_site(tmp_path, receiver.url)
        send(root)
        receiver.faults = ["500"] * 10
        with pytest.raises(DeliveryError) as caught:
            send(root, force=True)
        assert caught.value.exit_code == 3
        receiver.faults.clear()
        again = send(root)  # a plain send: the digest went out the first time
    assert again.sent == [] and again.already == ["all"]
    assert len(receiver.accepted) == 1
    [row] = ledger_rows(root)
    assert row[4] == "sent"


def test_a_fresh_ledger_is_a_whole_database_of_this_schema(tmp_path: Path) -> None:
    db = tmp_path / "state" / "ledger.db"
    Ledger(db).close()
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == 2
        assert check.execute("SELECT COUNT(*) FROM sends").fetchone()[0] == 0
    check.close()
    assert [p.name for p in db.parent.iterdir() if p.name.startswith(".")] == []


# --- what send and status show ---------------------------------------------------------------


def test_repeated_test_sends_get_fresh_message_ids(tmp_path: Path) -> None:
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port)
        send(root, test_address="me@example.org")
        send(root, test_address="me@example.org")
        send(root)
    ids = [m["Message-ID"] for m in box.messages]
    assert len(set(ids)) == 3
    assert ids[2] == "<digest.2024-W14@fixture.example.net>"  # the broadcast's stays derived
    assert all(i.endswith("@fixture.example.net>") for i in ids)


def test_webhook_dry_run_shows_the_body_and_the_timestamp_header(
    tmp_path: Path, run_cli: RunCli
) -> None:
    with webhook_receiver() as receiver:
        root = webhook_site(tmp_path, receiver.url)
        before = int(time.time())
        result = run_cli("send", "--dry-run", cwd=root, env=ENV)
    assert result.returncode == 0, result.stderr
    stamp = re.search(r"^webhook-timestamp: (\d+)$", result.stdout, re.MULTILINE)
    assert stamp and before <= int(stamp.group(1)) <= int(time.time())
    assert '"type": "digest.published"' in result.stdout
    assert '"subject": "Fixture & Friends' in result.stdout
    assert re.search(r'"html": "<!DOCTYPE html>.*… \(\d+ characters\)"', result.stdout)
    assert SECRET.removeprefix("whsec_") not in result.stdout
    assert receiver.requests == []


def test_status_shows_times_to_the_second(tmp_path: Path, run_cli: RunCli) -> None:
    root = site_with(tmp_path, "")
    assert run_cli("send", cwd=root).returncode == 0
    result = run_cli("status", cwd=root)
    assert result.returncode == 0, result.stderr
    [row] = [line for line in result.stdout.splitlines() if line.startswith("2024-W14")]
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", row), row
    assert row.endswith(" sent/2024-W14.eml") and str(root) not in result.stdout  # site-relative


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.slow
def test_an_answer_dripping_a_byte_a_second_is_cut_at_the_deadline(
    tmp_path: Path, run_cli: RunCli
) -> None:
    from .servers import dripping_server

    with dripping_server(bound=90) as drip:  # longer than the run may take
        root = webhook_site(tmp_path, drip.url, "deadline = 2")
        config = root / "config.toml"
        # Each byte comes well within the 5-second read timeout: only the deadline can end it.
        text = config.read_text().replace("attempts = 4", "attempts = 2")
        config.write_text(text.replace("timeout = 1\n", "timeout = 5\n"))
        started = time.monotonic()
        try:
            first = subprocess.run(
                [sys.executable, "-m", "syndicate", "send"],
                cwd=root,
                env={**_env(), **ENV},
                capture_output=True,
                text=True,
                timeout=60,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("send was still waiting for the dripping answer after 60 seconds")
        elapsed = time.monotonic() - started
        assert elapsed < 30
        assert first.returncode == 3, first.stderr
        assert (
            "before the deadline" in first.stderr and "run the same command again" in first.stderr
        )
        assert drip.requests == 2  # both attempts made, each cut at the deadline
        # The lock went with the run: the next run takes it at once (exit 3 again, not 5).
        second = run_cli("send", cwd=root, env=ENV)
        assert second.returncode == 3, second.stderr
    assert ledger_rows(root)[0][4] == "pending"  # the answer never came: it may have arrived


# --- unsubscribe links that work -------------------------------------------------------------


@pytest.mark.parametrize("placeholder", ["*|UNSUB|*", "{{{ pm:unsubscribe }}}"])
def test_smtp_to_subscribers_refuses_a_placeholder_nobody_fills(
    tmp_path: Path, placeholder: str, run_cli: RunCli
) -> None:
    with smtp_server() as box:
        root = smtp_site(
            tmp_path, box.port, 'recipients_file = "subscribers.txt"', link=placeholder
        )
        (root / "subscribers.txt").write_text("a@example.org\nb@example.org\n")
        result = run_cli("send", cwd=root)
        test = run_cli("send", "--test", "me@example.org", cwd=root)
    assert result.returncode == 2, result.stderr
    assert f"placeholder {placeholder}, which smtp does not fill in" in result.stderr
    assert "set digest.unsubscribe_url to a working https:// or mailto: link" in result.stderr
    assert test.returncode == 0 and "warning:" in test.stderr and placeholder in test.stderr
    assert [m["To"] for m in box.messages] == ["me@example.org"]  # the test only


def test_smtp_to_subscribers_needs_a_list_unsubscribe_header(
    tmp_path: Path, run_cli: RunCli
) -> None:
    with smtp_server() as box:
        root = smtp_site(tmp_path, box.port, 'recipients_file = "subscribers.txt"')
        config = root / "config.toml"
        text = config.read_text()
        config.write_text(
            text[: text.index("list_unsubscribe = [")]
            + text[text.index("]\n", text.index("list_unsubscribe = [")) + 2 :]
        )
        (root / "subscribers.txt").write_text("a@example.org\n")
        result = run_cli("send", cwd=root)
    assert result.returncode == 2, result.stderr
    assert "no List-Unsubscribe header" in result.stderr and "unsubscribe_mailto" in result.stderr
    assert box.messages == []


def test_outbox_and_webhook_warn_about_an_unfilled_placeholder(
    tmp_path: Path, run_cli: RunCli
) -> None:
    root = site_with(tmp_path, "")  # the fixture's *|UNSUB|*, through the outbox
    result = run_cli("send", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "placeholder *|UNSUB|*, which outbox" in result.stderr
    assert (root / "sent/2024-W14.eml").exists()


def test_the_outbox_warns_of_a_digest_readers_could_not_unsubscribe_from(
    sample_site: Path, run_cli: RunCli
) -> None:
    """Mail copied to the outbox goes on to readers another way, which adds nothing: with no
    unsubscribe link and no List-Unsubscribe header it was sent without a word. It warns
    (the outbox is not a send to subscribers, which would be refused)."""
    config = sample_site / "config.toml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(unsubscribe_url|list_unsubscribe) = .*\n", "", text)
    config.write_text(text, encoding="utf-8")
    digest = run_cli("digest", "--week", "2024-W44", "-q", cwd=sample_site)
    assert digest.returncode == 0, digest.stderr
    sent = run_cli("send", cwd=sample_site)
    assert sent.returncode == 0, sent.stderr
    said = " ".join(sent.stderr.split())
    assert "warning: the digest has no unsubscribe link, and outbox adds none" in said
    assert "Mail sent on from the outbox adds no List-Unsubscribe header" in said
    assert (sample_site / "sent/2024-W44.eml").is_file()
