"""The `smtp` transport: the `.eml` through an SMTP server (STARTTLS or implicit TLS, always
verified), to a list address, or to each address of a recipients file, one message each.

A recipients file is frozen at the first send, as a provider's is (see
`Transport.recipient_batches`). There is no provider to manage unsubscribes: addresses in the
suppression file are skipped, and each message carries a `List-Unsubscribe` mailto address.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import email.utils
import hashlib
import smtplib
import ssl
from typing import Any

from ..digest.mime import POLICY
from ..errors import ConfigError
from ..model import Email
from .base import (
    Chunk,
    PermanentError,
    Receipt,
    Request,
    TransientError,
    Transport,
)


class SmtpTransport(Transport):
    name = "smtp"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        table = self.config.delivery.smtp
        assert table is not None
        self.table = table
        self.password = (
            self.secrets.read(self.env, table.password_env, "SMTP password")
            if table.password_env
            else None
        )
        self._connection: smtplib.SMTP | None = None

    # --- who gets it --------------------------------------------------------------------

    def chunks(self, mail: Email, test_address: str | None = None) -> list[Chunk]:
        if test_address:
            return [Chunk(f"test:{test_address}", (test_address,))]
        if self.table.recipients_file:
            # One message per address, each a chunk of its own in the ledger: a batch of one.
            batches = self.recipient_batches(
                mail, self.table.recipients_file, self.table.suppression_file, size=1
            )
            return [Chunk(f"rcpt:{address.lower()}", (address,)) for _, (address,) in batches]
        to = self.table.to or mail.to
        if not to:
            raise ConfigError("delivery.smtp: set `to` (a list address) or `recipients_file`")
        return [Chunk("all", (email.utils.parseaddr(to)[1],))]

    # --- the message --------------------------------------------------------------------

    def message(self, req: Request) -> bytes:
        if req.chunk.name == "all":
            return req.email.message
        msg = email.message_from_bytes(req.email.message, policy=POLICY)
        recipient = req.chunk.recipients[0]
        msg.replace_header("To", recipient)
        digest = hashlib.sha256(recipient.lower().encode()).hexdigest()[:12]
        msg.replace_header("Message-ID", msg["Message-ID"].replace("@", f".{digest}@", 1))
        if self.table.unsubscribe_mailto and not req.test:
            mailto = f"<mailto:{self.table.unsubscribe_mailto}?subject=unsubscribe%20{recipient}>"
            del msg["List-Unsubscribe"]
            del msg["List-Unsubscribe-Post"]  # one-click needs an https URI
            msg["List-Unsubscribe"] = mailto
        return msg.as_bytes(policy=POLICY)

    # --- unsubscribing ------------------------------------------------------------------
    # No provider stands behind SMTP: with a recipients file, the link and the header are the
    # digest's own. A list address (`to`) is the list manager's to handle.

    def needs_own_link(self) -> bool:
        return bool(self.table.recipients_file)

    def list_unsubscribe_gap(self) -> tuple[str, str] | None:
        if not self.table.recipients_file:
            return None
        if self.table.unsubscribe_mailto or self.config.digest.list_unsubscribe:
            return None
        return (
            "mail to each address of delivery.smtp.recipients_file would carry no "
            "List-Unsubscribe header",
            "set delivery.smtp.unsubscribe_mailto or digest.list_unsubscribe",
        )

    # --- sending ------------------------------------------------------------------------

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        table = self.table
        context = ssl.create_default_context(
            cafile=self.config.path_of(table.ca_file) if table.ca_file else None
        )
        timeout = self.config.delivery.timeout
        try:
            if table.security == "tls":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    table.host, table.port, timeout=timeout, context=context
                )
            else:
                conn = smtplib.SMTP(table.host, table.port, timeout=timeout)
                if table.security == "starttls":
                    conn.starttls(context=context)
            if table.username:
                conn.login(table.username, self.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentError(
                f"{table.host} refused the login ({exc.smtp_code})",
                hint=f"check delivery.smtp.username and the {table.password_env} variable",
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise PermanentError(
                f"{table.host} offers no login on this connection",
                hint="check delivery.smtp.security (most servers log in only over TLS)",
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientError(
                self.secrets.redact(f"cannot connect to {table.host}:{table.port}: {exc}")
            ) from None
        self._connection = conn
        return conn

    def send(self, req: Request) -> Receipt:
        sender = email.utils.parseaddr(req.email.sender)[1]
        data = self.message(req)
        conn = self._connect()
        try:
            conn.sendmail(sender, list(req.chunk.recipients), data)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = ", ".join(
                f"{a}: {c} {m.decode(errors='replace')}" for a, (c, m) in exc.recipients.items()
            )
            if all(400 <= c < 500 for c, _ in exc.recipients.values()):
                # For now (greylisting, a full mailbox): tried again later, as RFC 5321 4.2.1
                # says of a 4yz reply.
                raise TransientError(
                    f"recipient refused for now: {codes}", this_message=True
                ) from None
            raise PermanentError(f"recipient refused: {codes}") from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            reply = exc.smtp_error
            reply_text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
            text = f"{self.table.host} answered {exc.smtp_code} {reply_text}"
            if 400 <= exc.smtp_code < 500:
                # 421 closes the channel: the server, not this message (RFC 5321 4.2.3).
                raise TransientError(text, this_message=exc.smtp_code != 421) from None
            raise PermanentError(text) from None
        except (smtplib.SMTPServerDisconnected, TimeoutError, OSError) as exc:
            self.close()
            # The server may have taken the message before the connection dropped.
            raise TransientError(f"{self.table.host}: {exc}", ambiguous=True) from None
        message_id = email.message_from_bytes(data, policy=POLICY)["Message-ID"]
        return Receipt(provider_id=str(message_id))

    def describe(self, req: Request) -> str:
        how = {"starttls": "STARTTLS", "tls": "implicit TLS", "none": "no TLS"}[self.table.security]
        to = ", ".join(req.chunk.recipients)
        return f"smtp {self.table.host}:{self.table.port} ({how}): “{req.email.subject}” to {to}"

    def where_to_check(self, req: Request) -> str:
        who = ", ".join(req.chunk.recipients)
        return f"check the mail log of {self.table.host}, or ask {who}, whether it arrived"

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._connection.quit()
            self._connection = None
