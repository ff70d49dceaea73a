"""The transport interface, and the errors and secrets every transport shares.

A transport turns one chunk of a rendered digest (the whole list, one recipient, or one batch)
into one request. It does not retry, and it does not touch the ledger: `delivery.run` does both,
the same way for every transport, so an adapter for a new provider is one small module.

Errors: a transport raises `TransientError` (may succeed if tried again; `ambiguous` when the
request may have reached the server), `PermanentError` (will fail the same way again) or
`CannotVerify` (cannot look a send up): the `TransportError` branch of the one exception tree
in `syndicate.errors`, re-exported here for the transports.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from ..config import AUDIENCE, Config
from ..datatype import datatype
from ..errors import (
    CannotVerify,
    ConfigError,
    Location,
    PermanentError,
    Report,
    TransientError,
    TransportError,
)
from ..model import Email
from ..output import atomic_write


@datatype
class Chunk:
    """Who one request goes to: `recipients` empty means the list or audience itself."""

    name: str
    recipients: tuple[str, ...] = ()


@datatype
class Receipt:
    provider_id: str | None = None
    http_status: int | None = None


@datatype
class Request:
    """One send, as `--dry-run` shows it and as transports make it."""

    email: Email
    chunk: Chunk
    key: str
    test: bool = False
    pending_since: datetime | None = None  # set when resolving a send an earlier run left


@datatype(frozen=False)
class Secrets:
    """Secret values read from the environment, to be kept out of every message."""

    values: set[str] = field(default_factory=set)

    def read(self, env: Mapping[str, str], name: str, what: str) -> str:
        value = env.get(name, "")
        if not value:
            raise ConfigError(
                f"environment variable {name} is not set; it must hold the {what} "
                "(secrets are never read from the config file)"
            )
        self.values.add(value)
        return value

    def redact(self, text: str) -> str:
        for value in sorted(self.values, key=len, reverse=True):
            if len(value) >= 4:
                text = text.replace(value, "***")
        return text


class Transport(ABC):
    """One way of delivering a digest. Subclasses set `name` and implement `send`."""

    name: ClassVar[str]
    # Whether the receiving side de-duplicates on the idempotency key, and for how long: a
    # pending send may then simply be retried with the same key.
    dedupes_on_key: bool = False
    key_lifetime: timedelta | None = None
    persist_plan: bool = True  # off for --dry-run: planning must change nothing
    # Whether a broadcast lands in subscribers' inboxes. The outbox and webhooks hand the
    # digest on, so a broken unsubscribe link there is a warning, not a refusal.
    to_subscribers: ClassVar[bool] = True

    def __init__(self, config: Config, env: Mapping[str, str], secrets: Secrets) -> None:
        self.config = config
        self.env = env
        self.secrets = secrets
        # Lines of the recipients and suppression files that are no address, left out:
        # `delivery.run` warns of them before the first send.
        self.file_problems = Report()

    def chunks(self, email: Email, test_address: str | None = None) -> list[Chunk]:
        """The requests a send is made of; by default one, to the whole list."""
        if test_address:
            return [Chunk(f"test:{test_address}", (test_address,))]
        return [Chunk("all")]

    def recipient_batches(
        self, email: Email, recipients_file: str, suppression_file: str | None, size: int
    ) -> list[tuple[int, tuple[str, ...]]]:
        """The digest's audience from a recipients file, in numbered batches of `size`: the
        frozen list (`frozen_recipients`) is cut first, then each batch loses the addresses
        the suppression file holds by now. Cut in that order, a batch holds the same people on
        every run, so an unsubscribe never moves a reader into a batch already sent; a reader
        who unsubscribed after the freeze is not mailed. A batch left empty is dropped (an
        empty chunk would mean the whole list). Raises ConfigError when a file is unreadable."""
        key = f"delivery.{self.name}.suppression_file"
        suppressed = {
            a.lower()
            for a in read_addresses(self.config, suppression_file, key, self.file_problems)
        }
        recipients = self.frozen_recipients(email, recipients_file, suppressed)
        batches: list[tuple[int, tuple[str, ...]]] = []
        for number, start in enumerate(range(0, len(recipients), size), start=1):
            batch = tuple(
                a for a in recipients[start : start + size] if a.lower() not in suppressed
            )
            if batch:
                batches.append((number, batch))
        return batches

    def frozen_recipients(
        self, email: Email, recipients_file: str, suppressed: set[str]
    ) -> list[str]:
        """The audience of this digest: read from the recipients file at the first attempt,
        less the `suppressed` addresses (lower case), then kept in the outbox as
        `recipients-<transport>.json`, so a retry or a `--force` re-send goes to the same
        people and never widens the audience. Planning (`--dry-run`) reads it, writes nothing."""
        frozen = self.config.outbox_dir / email.digest_id / f"recipients-{self.name}.json"
        if frozen.is_file():
            return [str(a) for a in json.loads(frozen.read_text(encoding="utf-8"))]
        key = self.recipients_key(email)
        read = read_addresses(self.config, recipients_file, key, self.file_problems)
        recipients = [a for a in read if a.lower() not in suppressed]
        if self.persist_plan:
            atomic_write(frozen, (json.dumps(recipients, indent=0) + "\n").encode())
        return recipients

    def recipients_key(self, email: Email) -> str:
        """The config key that names the recipients file of `email`: a language's digest
        may have a file of its own (see `digest.editions`)."""
        code = email.summary.get("language")
        table = self.config.digest.language.get(code) if isinstance(code, str) else None
        own = "recipients_file" in AUDIENCE.get(self.name, ())
        if own and table is not None and table.recipients_file:
            return f"digest.language.{code}.recipients_file"
        return f"delivery.{self.name}.recipients_file"

    @abstractmethod
    def send(self, request: Request) -> Receipt:
        """Make one request. Raises TransientError or PermanentError."""

    def lookup(self, request: Request) -> Receipt | None:
        """Whether an earlier request with this key arrived (None: it did not).

        Raises CannotVerify where the provider offers no way to tell."""
        raise CannotVerify(f"{self.name} offers no way to look a send up")

    @classmethod
    def looks_up(cls) -> bool:
        """Whether the transport can ask its provider about a send (`lookup` is its own)."""
        return cls.lookup is not Transport.lookup

    def describe(self, request: Request) -> str:
        """What `send --dry-run` prints for this request (secrets masked)."""
        to = ", ".join(request.chunk.recipients) or (request.email.to or "the list")
        return f"{self.name}: “{request.email.subject}” to {to}"

    def where_to_check(self, request: Request) -> str:
        return f"check whether {request.chunk.recipients or 'the list'} received it"

    # --- unsubscribing (see delivery.unsubscribe) ----------------------------------------

    def fills_unsubscribe(self) -> frozenset[str]:
        """The unsubscribe placeholders the receiving end replaces with a working link."""
        return frozenset()

    def needs_own_link(self) -> bool:
        """Whether the digest must bring its own link (no provider adds one)."""
        return False

    def list_unsubscribe_gap(self) -> tuple[str, str] | None:
        """Why the mail as sent would lack a working List-Unsubscribe header, and the fix."""
        return None

    def unsubscribe_advice(self) -> str:
        """Another way to a working link with this transport, for the refusal's hint."""
        return ""

    def close(self) -> None:  # noqa: B027  (optional hook)
        """Release connections."""


def email_address(text: str) -> str | None:
    """The address `text` gives, alone or after a name (`Ana Lima <ana@example.org>`), as
    `email.headerregistry` parses an address header; None when it is not one whole address.
    Plus-addressing, subdomains and internationalised names are addresses (a domain is given
    in its ASCII form, `xn--…`); a domain without a dot is not: in a list of readers,
    `ana@example` is a typo, not a reader."""
    from email.errors import HeaderParseError, NonASCIILocalPartDefect
    from email.headerregistry import AddressHeader, HeaderRegistry

    if "\n" in text or "\r" in text:
        return None
    try:
        header = HeaderRegistry()("To", text)
    except (HeaderParseError, IndexError, ValueError):  # IndexError: Python's parser on `a@`
        return None
    if not isinstance(header, AddressHeader):  # "To" always parses as one: for the type
        return None
    # An address with a non-ASCII local part is one (RFC 6531); the parser marks it all the same.
    defects = [d for d in header.defects if not isinstance(d, NonASCIILocalPartDefect)]
    [group, *more] = header.groups or [None]
    if defects or more or group is None or group.display_name is not None:
        return None  # nothing usable, several addresses, or a group (`team: a@x.org;`)
    [address, *others] = group.addresses or [None]
    if address is None or others or not address.username:
        return None
    if "." not in address.domain.strip(".") or address.domain[:1] == "[":
        return None
    try:  # in its ASCII form, which every SMTP server and provider takes
        domain = address.domain.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return f"{address.addr_spec.rpartition('@')[0]}@{domain}"


ONE_PER_LINE = (
    "write one address per line, as ana@example.org or Ana Lima <ana@example.org>; "
    "text after # is a comment"
)


def recipients_from(lines: Iterable[str], path: Path, report: Report) -> list[str]:
    """Addresses from a recipients or suppression file: one per line, with or without a name
    (only the address is kept), `#` comments, any case. A line that is no address is a
    warning at its line in `report`, and left out: the others still go out."""
    out: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        address = email_address(text)
        if address is None:
            where = Location(path, number)
            report.warning(where, f"not an email address: {text!r}; left out", ONE_PER_LINE)
        elif address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


def read_addresses(config: Config, name: str | None, key: str, report: Report) -> list[str]:
    """The addresses of the recipients or suppression file that config key `key` names;
    lines that are no address are warnings in `report`."""
    if not name:
        return []
    path = config.path_of(name)
    try:
        return recipients_from(path.read_text(encoding="utf-8").splitlines(), path, report)
    except OSError as exc:
        raise ConfigError(
            f"{config.path}: {key}: cannot read {path}: {exc.strerror}",
            hint=f"create the file, one address per line, or set {key} to its path (relative "
            "to the config file's folder)",
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{config.path}: {key}: {path} is not UTF-8 text (byte {exc.start + 1})",
            hint="save it as UTF-8, one address per line",
        ) from None


__all__ = [
    "CannotVerify",
    "Chunk",
    "PermanentError",
    "Receipt",
    "Request",
    "Secrets",
    "TransientError",
    "Transport",
    "TransportError",
    "email_address",
    "read_addresses",
    "recipients_from",
]
