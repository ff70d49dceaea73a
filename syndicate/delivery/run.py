"""A rendered digest -> delivered, exactly once: the lock, the ledger's two phases, retries.

For each chunk of a send: a chunk already `sent` is skipped (unless forced); a `pending` one
(the last run died mid-request) is retried with the same idempotency key where the receiver
de-duplicates on it, else looked up where the provider allows it, else the run stops and says
what to check. Then `pending` is committed, the request made (retrying only what can be
transient, honouring Retry-After, bounded in attempts and time), and the outcome recorded.
"""

from __future__ import annotations

import email
import email.utils
import importlib
import time
from collections.abc import Callable, Mapping
from dataclasses import field, replace
from datetime import UTC, datetime

import stamina

from ..config import Config
from ..datatype import datatype
from ..digest.mime import POLICY
from ..errors import ConfigError, DeliveryError, Problem, RetryLaterError, counted
from ..model import Email
from .base import (
    CannotVerify,
    Chunk,
    PermanentError,
    Receipt,
    Request,
    Secrets,
    TransientError,
    Transport,
    TransportError,
)
from .ledger import Ledger, Part, Row, Status, writing
from .unsubscribe import gaps

# stamina logs each retry through `logging`, which, unconfigured, prints bare lines to stderr;
# the outcome is reported once, by the command.
stamina.instrumentation.set_on_retry_hooks([])

# Each transport's class, in the module of its name, imported when it is the one configured: a
# send through SMTP or the outbox loads httpx (~55 ms to import), which the webhook and the
# providers use, only to check the web version first (`delivery.check_web_version`).
TRANSPORTS: dict[str, str] = {
    "outbox": "OutboxTransport",
    "webhook": "WebhookTransport",
    "smtp": "SmtpTransport",
    "buttondown": "ButtondownTransport",
    "postmark": "PostmarkTransport",
    "resend": "ResendTransport",
    "mailgun": "MailgunTransport",
    "sendgrid": "SendgridTransport",
    "listmonk": "ListmonkTransport",
}


def make_transport(config: Config, env: Mapping[str, str], secrets: Secrets) -> Transport:
    return transport_class(config.delivery.transport)(config, env, secrets)


def transport_class(name: str) -> type[Transport]:
    try:
        class_name = TRANSPORTS[name]
    except KeyError:
        raise ConfigError(f"delivery.transport: {name!r} is not available") from None
    cls: type[Transport] = getattr(importlib.import_module(f".{name}", __package__), class_name)
    return cls


def tells_arrival(name: str) -> bool:
    """Whether a send left pending through the transport `name` is settled by `send` itself:
    the receiver de-duplicates a second request, or the provider can be asked."""
    cls = transport_class(name)
    return cls.dedupes_on_key or cls.looks_up()


@datatype(frozen=False)
class SendReport:
    digest_id: str
    transport: str
    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    verified: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)
    # What a dry run found pending that the real run would not send (see `_pending_plan`).
    held: list[str] = field(default_factory=list)
    # Refused for now by the receiver (`TransientError.this_message`), for a later run.
    later: list[tuple[str, str]] = field(default_factory=list)


def test_email(mail: Email, address: str) -> Email:
    """The digest for one test address, its subject prefixed `[TEST]`, with a Message-ID of its
    own: mail clients hide a message whose id they have seen, so a repeated test would seem
    lost. (The broadcast keeps its id derived from the digest.)"""
    msg = email.message_from_bytes(mail.message, policy=POLICY)
    subject = f"[TEST] {mail.subject}"
    msg.replace_header("Subject", subject)
    msg.replace_header("To", address)
    domain = email.utils.parseaddr(mail.sender)[1].rpartition("@")[2] or "localhost"
    msg.replace_header(
        "Message-ID", email.utils.make_msgid(f"test.{mail.digest_id}", domain=domain)
    )
    return replace(mail, subject=subject, to=address, message=msg.as_bytes(policy=POLICY))


def deliver(
    config: Config,
    mail: Email,
    *,
    env: Mapping[str, str],
    force: bool = False,
    test_address: str | None = None,
    dry_run: bool = False,
    transport: Transport | None = None,
    warn: Callable[[Problem], None] = lambda _: None,
) -> SendReport:
    """Send `mail` through the configured transport. Raises DeliveryError or one of its kinds
    (RetryLaterError, LedgerError, LockedError), and ConfigError when subscribers would get an
    unsubscribe link or header that does not work.
    `warn` is told, before anything is sent, what would not work where it is only a warning
    (not when nothing is to be sent: the digest went out already), and which lines of the
    recipients and suppression files are no address."""
    secrets = Secrets()
    transport = transport or make_transport(config, env, secrets)
    secrets = transport.secrets
    report = SendReport(mail.digest_id, transport.name)
    try:
        found = _check_unsubscribe(transport, config, mail, test_address)
        pending = _Warnings([Problem("warning", None, line) for line in found], warn, transport)
        if dry_run:
            _plan(config, mail, transport, report, test_address, force)
            if report.planned:
                pending.say()
            return report
        if config.delivery.check_web_version and not test_address:
            _check_web_version(config, mail)
        with writing(config.ledger_path, config.delivery.lock_wait) as ledger:
            sender = _Sender(config, ledger, transport, secrets, report, pending)
            sender.run(mail, force, test_address)
    finally:
        transport.close()
    return report


def _check_unsubscribe(
    transport: Transport, config: Config, mail: Email, test_address: str | None
) -> list[str]:
    """Raises ConfigError when a broadcast to subscribers could not be unsubscribed from;
    elsewhere (a test, the outbox, a webhook) the same findings are warnings."""
    found = gaps(transport, config, mail)
    if found and transport.to_subscribers and not test_address:
        raise ConfigError(
            f"not sending {mail.digest_id} via {transport.name}: readers could not unsubscribe",
            [f"not sending {mail.digest_id} via {transport.name}: {gap}" for gap in found],
        )
    return [str(gap) for gap in found]


def _plan(
    config: Config,
    mail: Email,
    transport: Transport,
    report: SendReport,
    test: str | None,
    force: bool,
) -> SendReport:
    """What `deliver` would send, as requests (`planned`), what it would skip as sent
    already (`already`), and what it would hold back as pending (`held`), from the ledger,
    which is read, never made."""
    if test:
        mail = test_email(mail, test)
    transport.persist_plan = False
    rows = {} if test or force else _ledger_rows(config, mail.digest_id, transport.name)
    whole = rows.get(_WHOLE)
    for chunk in transport.chunks(mail, test):
        row = rows.get(chunk.name)
        if any(r is not None and r.status in _DONE for r in (row, whole)):
            report.already.append(chunk.name)
            continue
        key = _chunk_key(row, mail.digest_id, transport.name, chunk, bool(test))
        line = transport.describe(Request(mail, chunk, key, bool(test)))
        if row is None or row.status != "pending":
            report.planned.append(line)
            continue
        note, sends = _pending_plan(transport, row)
        if sends:
            report.planned.append(f"{line} ({note})")
        else:
            report.held.append(f"{chunk.name}: {note}")
    return report


def _pending_plan(transport: Transport, row: Row) -> tuple[str, bool]:
    """What a run does with a send an earlier run left pending (`_Sender._resolve_pending`),
    in words, and whether it may send it: a dry run makes no request, so it cannot look the
    send up itself."""
    since = f"pending since {row.updated_at.isoformat(timespec='seconds')}"
    if _key_holds(transport, row):
        return f"{since}: made again with its key, which {transport.name} de-duplicates", True
    if transport.looks_up():
        return f"{since}: {transport.name} is asked first whether it arrived", True
    return (
        f"{since}; {transport.name} cannot tell whether it arrived, so it is not sent "
        f"again until you record it (syndicate send --mark-sent or --mark-failed "
        f"{row.digest_id})",
        False,
    )


def _key_holds(transport: Transport, row: Row) -> bool:
    """Whether the receiver still de-duplicates on the pending send's key: it may simply be
    made again with it."""
    age = datetime.now(UTC) - row.updated_at
    return transport.dedupes_on_key and (
        transport.key_lifetime is None or age < transport.key_lifetime
    )


def _ledger_rows(config: Config, digest_id: str, transport: str) -> dict[str, Row]:
    """The ledger's rows of the digest's sends through `transport`, by chunk; none without a
    ledger (planning never makes one)."""
    ledger = Ledger.existing(config.ledger_path)
    if ledger is None:
        return {}
    with ledger:
        return {row.chunk: row for row in ledger.rows(digest_id, transport)}


# The chunk that is the whole digest (a list, an audience, or a send recorded by hand), and the
# states in which a chunk has gone out for good.
_WHOLE = "all"
_DONE = ("sent", "skipped-empty")


def _chunk_key(row: Row | None, digest_id: str, transport: str, chunk: Chunk, test: bool) -> str:
    """The key a send of `chunk` is made with: the one the ledger recorded for it, if any (a
    retry keeps it, for the receiver to de-duplicate on), else a new one."""
    if row is not None and row.idempotency_key:
        return row.idempotency_key
    return _key(digest_id, transport, chunk, test)


def _key(digest_id: str, transport: str, chunk: Chunk, test: bool, suffix: str = "") -> str:
    kind = "test" if test else "digest"
    return f"{kind}/{digest_id}/{transport}/{chunk.name}{suffix}"


def _check_web_version(config: Config, mail: Email) -> None:
    import httpx

    from .http import request, tls_context

    delivery = config.delivery
    timeout = httpx.Timeout(delivery.timeout, connect=delivery.connect_timeout)
    # A page, not a send: redirects (to https, to a trailing slash) are followed, so TLS is
    # always verified, with the process's one CA bundle that the transports' clients share
    # (httpx's default loads it again for every client).
    verify = tls_context(None)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, verify=verify) as client:
            request(client, Secrets(), "GET", mail.web_url, deadline=delivery.deadline)
    except TransportError as exc:
        raise RetryLaterError(
            f"the web version {mail.web_url} does not answer ({exc.message}); nothing was sent",
            "publish the site (build, deploy) before sending, "
            "or set delivery.check_web_version = false",
        ) from None


class _Warnings:
    """What would not work, said once, right before the first send (never, if none is made),
    with the lines of the recipients files that are no address (read by then: the chunks
    are made from them before any send)."""

    def __init__(
        self,
        problems: list[Problem],
        warn: Callable[[Problem], None],
        transport: Transport | None = None,
    ) -> None:
        self.problems, self.warn, self.transport = problems, warn, transport

    def say(self) -> None:
        found = self.transport.file_problems.problems if self.transport else []
        problems, self.problems = [*self.problems, *found], []
        found.clear()
        for problem in problems:
            self.warn(problem)


class _Sender:
    def __init__(
        self,
        config: Config,
        ledger: Ledger,
        transport: Transport,
        secrets: Secrets,
        report: SendReport,
        warnings: _Warnings | None = None,
    ) -> None:
        self.config = config
        self.ledger = ledger
        self.transport = transport
        self.secrets = secrets
        self.report = report
        self.warnings = warnings or _Warnings([], lambda _: None)

    def run(self, mail: Email, force: bool, test_address: str | None) -> None:
        test = test_address is not None
        if test_address:
            mail = test_email(mail, test_address)
        number = self.ledger.next_test_number(mail.digest_id, self.transport.name) if test else 0
        needs_person: list[str] = []
        chunks = self.transport.chunks(mail, test_address)
        if not test and not force and self._went_out_whole(mail.digest_id):
            self.report.already.extend(c.name for c in chunks)
            return
        if not test:
            self._record_plan(mail, chunks)
        for chunk in chunks:
            if test:
                chunk = Chunk(f"test-{number}:{chunk.name.removeprefix('test:')}", chunk.recipients)
            try:
                self._chunk(mail, chunk, force, test)
            except _NeedsPerson as exc:
                needs_person.append(exc.args[0])
            except PermanentError as exc:
                self.report.failed.append((chunk.name, exc.message))
            except _Later as exc:
                self.report.later.append((chunk.name, exc.args[0]))
        self._raise_for_the_rest(mail.digest_id, needs_person)

    def _raise_for_the_rest(self, digest_id: str, needs_person: list[str]) -> None:
        """What the run could not send, as its error: a person's decision first (exit 4),
        then permanent failures (4), then what the receiver refused for now (3)."""
        if needs_person:
            made = self.report.sent
            also = [f"{counted(len(made), 'other send')} of this run went out."] if made else []
            raise DeliveryError(
                "\n".join([*needs_person, *also]), _HOW_TO_RESOLVE.format(id=digest_id)
            )
        later = "; ".join(f"{name}: {why}" for name, why in self.report.later)
        # Named, and with what did go out: a run may send several digests (languages, one
        # finished before the next period's), and each one's error is told apart.
        which = f"{digest_id} via {self.transport.name}: "
        made = self.report.sent
        went = f"; {counted(len(made), 'other send')} went out" if made else ""
        if self.report.failed:
            details = "; ".join(f"{name}: {why}" for name, why in self.report.failed)
            for_now = f"; {len(self.report.later)} refused for now: {later}" if later else ""
            raise DeliveryError(
                f"{which}{len(self.report.failed)} send(s) failed permanently: "
                f"{details}{for_now}{went}",
                "fix the cause (key, sender address, recipient) and run the same command again",
            )
        if later:
            raise RetryLaterError(
                f"{which}{len(self.report.later)} send(s) not delivered after retrying: "
                f"{later}{went}",
                "nothing is lost: run the same command again later; it makes those, and "
                "sends nothing twice",
            )

    def _went_out_whole(self, digest_id: str) -> bool:
        """Whether the ledger has the digest as sent whole (to the list, or some other way and
        marked so): none of its chunks goes out again, however the transport cuts it now."""
        row = self.ledger.get(digest_id, self.transport.name, _WHOLE)
        return row is not None and row.kind == "broadcast" and row.status in _DONE

    def _record_plan(self, mail: Email, chunks: list[Chunk]) -> None:
        """Every chunk of the broadcast into the ledger before the first request: one the run
        never reaches (it was cut short) is then `planned`, not missing, and a digest with a
        chunk missing would look complete to `status` and `--since-last-sent`."""
        name = self.transport.name
        parts = [
            Part(c.name, _key(mail.digest_id, name, c, False), len(c.recipients)) for c in chunks
        ]
        self.ledger.plan(mail.digest_id, name, parts, (mail.period_start, mail.period_end))

    def _chunk(self, mail: Email, chunk: Chunk, force: bool, test: bool) -> None:
        name = self.transport.name
        row = self.ledger.get(mail.digest_id, name, chunk.name)
        request = Request(mail, chunk, _chunk_key(row, mail.digest_id, name, chunk, test), test)
        if row is not None and row.status in _DONE and not force:
            self.report.already.append(chunk.name)
            return
        if row is not None and row.status == "sent" and force:
            request = replace(
                request, key=_key(mail.digest_id, name, chunk, test, f"/again-{int(time.time())}")
            )
        elif row is not None and row.status == "pending" and not force:
            verified = self._resolve_pending(request, row)
            if verified is not None:
                self.ledger.finish(
                    mail.digest_id, name, chunk.name, "sent", provider_id=verified.provider_id
                )
                self.report.verified.append(chunk.name)
                return
        self.warnings.say()
        self.ledger.begin(
            digest_id=mail.digest_id,
            transport=name,
            chunk=chunk.name,
            kind="test" if test else "broadcast",
            key=request.key,
            recipients=len(chunk.recipients),
            period=(mail.period_start, mail.period_end),
        )
        receipt = self._send(request)
        self.ledger.finish(
            mail.digest_id,
            name,
            chunk.name,
            "sent",
            provider_id=receipt.provider_id,
            http_status=receipt.http_status,
        )
        self.report.sent.append(chunk.name)

    def _resolve_pending(self, request: Request, row: Row) -> Receipt | None:
        """None: safe to send (again) with the same key; a Receipt: it already arrived."""
        transport = self.transport
        if _key_holds(transport, row):
            return None
        try:
            return transport.lookup(replace(request, pending_since=row.updated_at))
        except CannotVerify as exc:
            since = row.updated_at.isoformat(timespec="seconds")
            raise _NeedsPerson(
                f"{request.email.digest_id} via {transport.name} ({request.chunk.name}) has been "
                f"pending since {since}: an earlier run stopped during the request, and "
                f"{transport.name} cannot tell whether it arrived ({exc.message}). "
                f"It was not sent again. {_where_to_check(transport, request)}"
            ) from None
        except TransientError as exc:
            raise RetryLaterError(
                f"cannot look up the earlier send: {exc.message}",
                "run the same command again later",
            ) from None

    def _send(self, request: Request) -> Receipt:
        """Send with retries. Where the receiver does not de-duplicate, a failure that may have
        reached it is looked up before anything is sent again."""
        for _ in range(self.config.delivery.retry.attempts):
            try:
                return self._send_with_retries(request)
            except _Ambiguous as exc:
                receipt = self._verify(request, exc.error)
                if receipt is not None:
                    return receipt
        raise RetryLaterError(
            "not delivered: every attempt ended without an answer",
            "nothing is lost: run the same command again later; it will not send twice",
        )

    def _verify(self, request: Request, error: TransientError) -> Receipt | None:
        ids = (request.email.digest_id, self.transport.name, request.chunk.name)
        message = self.secrets.redact(error.message)
        try:
            return self.transport.lookup(replace(request, pending_since=datetime.now(UTC)))
        except CannotVerify as exc:
            self.ledger.finish(*ids, "pending", http_status=error.http_status, error=message)
            raise _NeedsPerson(
                f"{request.email.digest_id} via {self.transport.name} ({request.chunk.name}): "
                f"the request may have arrived ({message}), and {self.transport.name} cannot "
                f"tell ({exc.message}). It was not sent again. "
                f"{_where_to_check(self.transport, request)}"
            ) from None
        except TransientError as exc:
            self.ledger.finish(*ids, "pending", http_status=error.http_status, error=message)
            raise RetryLaterError(
                f"cannot check whether the send arrived: {self.secrets.redact(exc.message)}",
                "run the same command again later; it checks before sending again",
            ) from None

    def _send_with_retries(self, request: Request) -> Receipt:
        retry = self.config.delivery.retry
        ids = (request.email.digest_id, self.transport.name, request.chunk.name)
        dedupes = self.transport.dedupes_on_key

        def backoff(exc: Exception) -> bool | float:
            if not isinstance(exc, TransientError) or (exc.ambiguous and not dedupes):
                return False
            if exc.retry_after is not None:
                return exc.retry_after if exc.retry_after <= retry.total_seconds else False
            return True

        try:
            for attempt in stamina.retry_context(
                on=backoff,
                attempts=retry.attempts,
                timeout=retry.total_seconds,
                wait_initial=retry.wait_initial,
                wait_max=retry.wait_max,
                wait_jitter=retry.wait_initial,
            ):
                with attempt:
                    self.ledger.attempt(*ids)
                    return self.transport.send(request)
        except TransientError as exc:
            if exc.ambiguous and not dedupes:
                raise _Ambiguous(exc) from None
            # An ambiguous failure may have been delivered: it stays pending, to be resolved.
            status: Status = "pending" if exc.ambiguous else "failed"
            self.ledger.finish(
                *ids, status, http_status=exc.http_status, error=self.secrets.redact(exc.message)
            )
            if exc.this_message and not exc.ambiguous:
                raise _Later(self.secrets.redact(exc.message)) from None
            raise RetryLaterError(
                f"not delivered after retrying: {self.secrets.redact(exc.message)}",
                "nothing is lost: run the same command again later; it will not send twice",
            ) from None
        except PermanentError as exc:
            exc.message = self.secrets.redact(exc.message)
            self.ledger.finish(*ids, "failed", http_status=exc.http_status, error=exc.message)
            raise
        raise AssertionError("unreachable")  # pragma: no cover


class _Ambiguous(Exception):
    def __init__(self, error: TransientError) -> None:
        super().__init__(error.message)
        self.error = error


class _NeedsPerson(Exception):
    pass


class _Later(Exception):
    """A chunk the receiver refused for now, after the retries: the run goes on."""


def _where_to_check(transport: Transport, request: Request) -> str:
    """The transport's advice on where to look, as a sentence of its own."""
    check = transport.where_to_check(request)
    return f"{check[:1].upper()}{check[1:]}."


# `--force` would send every chunk again, to the readers who got theirs too.
_HOW_TO_RESOLVE = (
    "if it arrived, record it: syndicate send --mark-sent {id}\n"
    "  if it did not, record that, and send it again: syndicate send --mark-failed {id}, "
    "then syndicate send {id}"
)

__all__ = ["TRANSPORTS", "SendReport", "TransportError", "deliver", "make_transport", "test_email"]
