"""Text + HTML -> a complete, reproducible MIME message (the `.eml` every transport sends).

multipart/alternative with the plain text first and the HTML last (RFC 2046: parts in order of
preference), a Date equal to the end of the period and a Message-ID and boundary derived from
the digest id, so the same digest always gives the same bytes.
"""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
from datetime import datetime
from email.header import Header
from email.message import EmailMessage

from ..config import Config

POLICY = email.policy.SMTP  # CRLF line endings: the bytes an SMTP server receives


def message_id(digest_id: str, sender: str) -> str:
    domain = email.utils.parseaddr(sender)[1].rsplit("@", 1)[-1] or "localhost"
    return f"<digest.{digest_id}@{domain}>"


def build_message(
    *,
    config: Config,
    digest_id: str,
    subject: str,
    date: datetime,
    text: str,
    html: str,
    to: str | None = None,
    extra_headers: dict[str, str] | None = None,
) -> bytes:
    digest = config.digest
    assert digest.sender is not None
    msg = EmailMessage(policy=POLICY)
    _set_subject(msg, subject)
    msg["From"] = digest.sender
    msg["To"] = to or digest.to or "undisclosed-recipients:;"
    if digest.reply_to:
        msg["Reply-To"] = digest.reply_to
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = message_id(digest_id, digest.sender)
    if digest.list_unsubscribe:
        msg["List-Unsubscribe"] = ", ".join(f"<{uri}>" for uri in digest.list_unsubscribe)
        if digest.list_unsubscribe_post and any(
            u.startswith("https://") for u in digest.list_unsubscribe
        ):
            # RFC 8058 one-click: only meaningful with an https URI to POST to.
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Syndicate-Digest"] = digest_id
    for name, value in (extra_headers or {}).items():
        msg[name] = value
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    msg.set_boundary("=_syndicate_" + hashlib.sha256(digest_id.encode()).hexdigest()[:24])
    return msg.as_bytes(policy=POLICY)


def _set_subject(msg: EmailMessage, subject: str) -> None:
    """The subject, exactly as readers should see it. Python's header folding splits non-ASCII
    text into adjacent encoded words and drops the space between them (RFC 2047 6.2 says
    whitespace between encoded words is not displayed): "¡ Hola" arrived as "¡Hola". So a
    non-ASCII subject is encoded whole, spaces inside the encoded words, and set as it is."""
    if subject.isascii():
        msg["Subject"] = subject
        return
    encoded = Header(subject, "utf-8", header_name="Subject").encode(linesep="\r\n")
    msg.set_raw("Subject", encoded)
