"""Whether a send would reach readers with an unsubscribe link and a `List-Unsubscribe` header
that work: a placeholder only the configured provider fills in, a link of the reader's own
(`digest.unsubscribe_url`), or the provider's own footer and header.

A send to subscribers (SMTP and the providers) with a gap is refused (exit 2) before anything
is sent; the outbox, the webhook and `send --test` hand the digest to a person or a program,
and get warnings instead.
"""

from __future__ import annotations

import email
import re

from ..config import Config
from ..datatype import datatype
from ..digest.merge_tags import DIALECTS, dialect_for
from ..digest.mime import POLICY
from ..model import Email
from .base import Transport

# Every provider's unsubscribe placeholder, and a few common ones from elsewhere (Mailchimp's
# *|UNSUB|*, Mailgun's per-tag link): any of them left in a mail is shown to readers as text.
PLACEHOLDERS = frozenset(
    {d.unsubscribe for d in DIALECTS.values() if d.unsubscribe}
    | {"%unsubscribe_url%", "%tag_unsubscribe_url%", "*|UNSUB|*"}
)
_TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|%[A-Za-z_][\w.]*%|<%|\*\|")
_WORKING_LINK = re.compile(r"^(https://|mailto:)\S+$")


@datatype
class Gap:
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.problem}; {self.fix}"


def gaps(transport: Transport, config: Config, mail: Email) -> list[Gap]:
    """What would not work in the unsubscribe link or header of `mail` sent by `transport`."""
    found: list[Gap] = []
    link = dialect_for(config).unsubscribe or ""
    shown = {p for p in PLACEHOLDERS if p in mail.text or p in mail.html}
    if _TEMPLATE_SYNTAX.search(link):
        shown.add(link)
    fills = transport.fills_unsubscribe()
    for placeholder in sorted(shown - fills):
        found.append(
            Gap(
                f"the digest's unsubscribe link is the placeholder {placeholder}, which "
                f"{transport.name} does not fill in: readers would see it as text",
                _fix(transport, config),
            )
        )
    if not shown and not _WORKING_LINK.match(link) and transport.needs_own_link():
        found.append(
            Gap(
                f"the digest has no unsubscribe link, and {transport.name} adds none",
                _fix(transport, config),
            )
        )
    header = transport.list_unsubscribe_gap()
    if header:
        found.append(Gap(*header))
    return found


def no_header(who: str) -> tuple[str, str]:
    """The usual header gap: `who` adds no List-Unsubscribe, and the digest brings none."""
    return (
        f"{who} adds no List-Unsubscribe header, and digest.list_unsubscribe is empty",
        "set digest.list_unsubscribe (an https:// URI, with list_unsubscribe_post = true for "
        "one-click, and a mailto: URI), then render the digest again",
    )


def _fix(transport: Transport, config: Config) -> str:
    other = transport.unsubscribe_advice()
    return (
        "set digest.unsubscribe_url to a working https:// or mailto: link"
        + (f" ({other})" if other else "")
        + f", then render the digest again with `syndicate digest` ({config.path.name})"
    )


def list_unsubscribe_headers(mail: Email) -> dict[str, str]:
    """The List-Unsubscribe headers of the rendered message (from `digest.list_unsubscribe`),
    for providers whose API takes headers apart from the body."""
    msg = email.message_from_bytes(mail.message, policy=POLICY)
    return {
        name: " ".join(str(msg[name]).split())
        for name in ("List-Unsubscribe", "List-Unsubscribe-Post")
        if msg[name] is not None
    }
