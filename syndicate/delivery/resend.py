"""Resend: a broadcast to a segment (audience), or batch sending to a recipients file.

API: https://resend.com/docs/api-reference/broadcasts/create-broadcast (POST /broadcasts with
`segment_id`, `from`, `subject`, `html`, `text`, `name` and `send: true`; GET /broadcasts lists
them), https://resend.com/docs/dashboard/emails/batch-sending (POST /emails/batch, up to 100
emails), https://resend.com/docs/dashboard/emails/idempotency-keys (`Idempotency-Key`, kept
24 hours: a retry with the same key and body returns the first answer). Auth: Bearer key.
Broadcasts fill in `{{{RESEND_UNSUBSCRIBE_URL}}}` and add the List-Unsubscribe headers; emails
sent from a recipients file get neither: "Resend doesn't manage contact lists for transactional
emails. If you manage your own list, you can add the List-Unsubscribe header"
(https://resend.com/docs/dashboard/emails/add-unsubscribe-to-transactional-emails), so they
carry the digest's own link and its `digest.list_unsubscribe` headers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from .api import ApiTransport, Call
from .base import Receipt, Request
from .unsubscribe import list_unsubscribe_headers, no_header


class ResendTransport(ApiTransport):
    name = "resend"
    default_api_base = "https://api.resend.com"
    chunk_size = 100  # emails per /emails/batch call

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.broadcast = not self.table.recipients_file
        # Resend remembers batch and single-email keys for 24 hours; broadcasts are found by name.
        self.dedupes_on_key = not self.broadcast
        self.key_lifetime = timedelta(hours=23)

    def _name(self, req: Request) -> str:
        return f"digest {req.email.digest_id}"[:70]  # Resend's limit on broadcast names

    def _email(self, req: Request, to: str) -> dict[str, Any]:
        mail = req.email
        return {
            "from": mail.sender,
            "to": [to],
            "subject": mail.subject,
            "html": mail.html,
            "text": mail.text,
            "headers": {"X-Syndicate-Digest": mail.digest_id, **list_unsubscribe_headers(mail)},
        }

    def fills_unsubscribe(self) -> frozenset[str]:
        return frozenset({"{{{RESEND_UNSUBSCRIBE_URL}}}"}) if self.broadcast else frozenset()

    def needs_own_link(self) -> bool:
        return not self.broadcast

    def list_unsubscribe_gap(self) -> tuple[str, str] | None:
        if self.broadcast or self.config.digest.list_unsubscribe:
            return None
        return no_header("Resend, sending from a recipients file,")

    def unsubscribe_advice(self) -> str:
        return (
            "or send to a Resend segment (delivery.resend.segment_id), where Resend fills "
            "{{{RESEND_UNSUBSCRIBE_URL}}}"
        )

    def build(self, req: Request) -> Call:
        headers = {"Idempotency-Key": req.key[:256]}
        if req.test:
            return Call("POST", "/emails", headers, json=self._email(req, req.chunk.recipients[0]))
        if not self.broadcast:
            batch = [self._email(req, to) for to in req.chunk.recipients]
            return Call("POST", "/emails/batch", headers, json=batch)
        mail = req.email
        body = {
            "name": self._name(req),
            "segment_id": self.table.segment_id,
            "from": mail.sender,
            "subject": mail.subject,
            "html": mail.html,
            "text": mail.text,
            "send": True,
        }
        return Call("POST", "/broadcasts", headers, json=body)

    def receipt(self, response: httpx.Response) -> Receipt:
        body = response.json()
        data = body.get("data")
        if isinstance(data, list):  # a batch: one id per email
            return Receipt(provider_id=f"{len(data)} emails", http_status=response.status_code)
        return Receipt(provider_id=str(body.get("id")), http_status=response.status_code)

    def lookup(self, req: Request) -> Receipt | None:
        if not self.broadcast or req.test:
            return super().lookup(req)  # beyond the key's 24 hours: cannot tell
        listing = self.call(Call("GET", "/broadcasts")).json()
        for broadcast in listing.get("data", []):
            if broadcast.get("name") == self._name(req):
                return Receipt(provider_id=str(broadcast.get("id")))
        return None
