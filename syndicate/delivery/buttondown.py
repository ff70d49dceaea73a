"""Buttondown: the email is the broadcast, sent to the newsletter's own subscribers.

API: https://docs.buttondown.com/api-emails-create (POST /v1/emails; `Authorization: Token
<key>`; `status` defaults to `about_to_send`, which sends, so it is always given: `draft` for
review, `about_to_send` to send; on API version 2026-04-01 a live send also needs
`X-Buttondown-Live-Dangerously: true`; a body starting with front matter is refused with
`body_contains_frontmatter`), https://docs.buttondown.com/api-idempotency-keys
(`X-Idempotency-Key`, replayed like Stripe's), https://docs.buttondown.com/api-rate-limits
(429 with Retry-After). A test goes out as a draft sent to one address
(POST /v1/emails/{id}/send-draft). Buttondown fills in `{{ unsubscribe_url }}`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .api import ApiTransport, Call
from .base import Receipt, Request


class ButtondownTransport(ApiTransport):
    name = "buttondown"
    default_api_base = "https://api.buttondown.com"
    version = "/v1"
    dedupes_on_key = True
    key_lifetime = timedelta(hours=23)

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.key}", "X-API-Version": self.table.api_version}

    def fills_unsubscribe(self) -> frozenset[str]:
        return frozenset({"{{ unsubscribe_url }}"})

    def build(self, req: Request) -> Call:
        mail = req.email
        draft = self.table.draft or req.test
        body = mail.html
        if body.lstrip().startswith("---"):
            body = "<!-- digest -->\n" + body  # Buttondown would read a leading --- as front matter
        payload: dict[str, Any] = {
            "subject": mail.subject,
            "body": body,
            "status": "draft" if draft else "about_to_send",
            "description": mail.preheader,
            "canonical_url": mail.web_url,
        }
        headers = {"X-Idempotency-Key": req.key[:200]}
        if not draft:
            headers["X-Buttondown-Live-Dangerously"] = "true"
        return Call("POST", "/v1/emails", headers, json=payload)

    def send(self, req: Request) -> Receipt:
        receipt = self.receipt(self.call(self.build(req)))
        if req.test and receipt.provider_id:
            recipients = {"recipients": list(req.chunk.recipients)}
            self.call(Call("POST", f"/v1/emails/{receipt.provider_id}/send-draft", json=recipients))
        return receipt
