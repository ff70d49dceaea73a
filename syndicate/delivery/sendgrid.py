"""SendGrid: the digest to each address of a recipients file through /v3/mail/send.

API: https://www.twilio.com/docs/sendgrid/api-reference/mail-send (Bearer key; 202 with an
empty body and `X-Message-Id`; EU subusers use api.eu.sendgrid.com), its limitations page (up
to 1,000 personalizations, each an envelope of its own, so recipients never see each other),
and the rule that `text/plain` content comes before `text/html` ("text/plain must be first").
SendGrid has no idempotency key and its activity search is a paid add-on, so a send left
pending by a crash cannot be verified: the run stops and says what to check. Unsubscribes go
through an ASM group (`asm_group_id`) and `<%asm_group_unsubscribe_raw_url%>`.
"""

from __future__ import annotations

from typing import Any

import httpx

from .api import ApiTransport, Call
from .base import Receipt, Request
from .unsubscribe import list_unsubscribe_headers, no_header

BASES = {"global": "https://api.sendgrid.com", "eu": "https://api.eu.sendgrid.com"}


class SendgridTransport(ApiTransport):
    name = "sendgrid"
    default_api_base = BASES["global"]
    version = "/v3"
    chunk_size = 1000  # personalizations per request

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.table.api_base:
            self.api_base = BASES[self.table.region]

    # https://twilio.com/docs/sendgrid/for-developers/sending-email/suppressions: an unsubscribe
    # group is given per send (`asm.group_id`, Web API v3), and SendGrid fills its
    # <%asm_group_unsubscribe_raw_url%> tag only then; without one the tag goes out as text.
    def fills_unsubscribe(self) -> frozenset[str]:
        if self.table.asm_group_id is None:
            return frozenset()
        return frozenset({"<%asm_group_unsubscribe_raw_url%>", "<%asm_preferences_raw_url%>"})

    def needs_own_link(self) -> bool:
        return self.table.asm_group_id is None

    def list_unsubscribe_gap(self) -> tuple[str, str] | None:
        if self.table.asm_group_id is not None or self.config.digest.list_unsubscribe:
            return None
        return no_header("SendGrid, without an unsubscribe group (asm_group_id),")

    def unsubscribe_advice(self) -> str:
        return "or set delivery.sendgrid.asm_group_id, the unsubscribe group SendGrid fills it from"

    def build(self, req: Request) -> Call:
        mail = req.email
        body: dict[str, Any] = {
            "personalizations": [{"to": [{"email": to}]} for to in req.chunk.recipients],
            "from": _address(mail.sender),
            "subject": mail.subject,
            "content": [
                {"type": "text/plain", "value": mail.text},
                {"type": "text/html", "value": mail.html},
            ],
            "headers": {"X-Syndicate-Digest": mail.digest_id},
            "custom_args": {"syndicate_key": req.key[:200]},
            "categories": ["digest"],
        }
        if self.table.asm_group_id is not None:
            body["asm"] = {"group_id": self.table.asm_group_id}
        else:  # the digest's own unsubscribe headers, since no group provides them
            body["headers"].update(list_unsubscribe_headers(mail))
        return Call("POST", "/v3/mail/send", json=body)

    def receipt(self, response: httpx.Response) -> Receipt:
        return Receipt(
            provider_id=response.headers.get("x-message-id"), http_status=response.status_code
        )

    def where_to_check(self, req: Request) -> str:
        return (
            f'check SendGrid\'s Activity Feed for category "digest" and custom argument '
            f"syndicate_key={req.key}"
        )


def _address(value: str) -> dict[str, str]:
    import email.utils

    name, addr = email.utils.parseaddr(value)
    return {"email": addr, "name": name} if name else {"email": addr}
