"""Mailgun: the digest to a mailing-list address, or batch sending to a recipients file.

API: https://documentation.mailgun.com/docs/mailgun/api-reference (POST
/v3/{domain}/messages, form fields `from`, `to`, `subject`, `text`, `html`, `h:` headers, `v:`
variables; HTTP Basic auth `api:<key>`; US `api.mailgun.net` and EU `api.eu.mailgun.net`),
https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/batch-sending (up
to 1,000 `to` per call with `recipient-variables`, without which every recipient sees every
address). Mailgun has no idempotency key: each call sets its own Message-Id, and a pending
send is looked up in the events log (GET /v3/{domain}/events?message-id=...). Mailgun fills in
`%mailing_list_unsubscribe_url%` (lists) and `%unsubscribe_url%` (batches).
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from .api import ApiTransport, Call
from .base import CannotVerify, Receipt, Request

BASES = {"us": "https://api.mailgun.net", "eu": "https://api.eu.mailgun.net"}
EVENTS_LAG = timedelta(minutes=30)  # Mailgun's events log is not instant


class MailgunTransport(ApiTransport):
    name = "mailgun"
    default_api_base = BASES["us"]
    version = "/v3"
    chunk_size = 1000  # recipients per call

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.table.api_base:
            self.api_base = BASES[self.table.region]

    # https://documentation.mailgun.com/docs/mailgun/user-manual/tracking-messages: with the
    # domain's Unsubscribe feature on, Mailgun fills these (the mailing-list one only for mail
    # to a list) and suppresses addresses that used them.
    def fills_unsubscribe(self) -> frozenset[str]:
        found = {"%unsubscribe_url%", "%tag_unsubscribe_url%"}
        if self.table.list_address:
            found.add("%mailing_list_unsubscribe_url%")
        return frozenset(found)

    def auth(self) -> dict[str, str]:
        token = base64.b64encode(f"api:{self.key}".encode()).decode()
        self.secrets.values.add(token)  # the encoded form is as secret as the key
        return {"Authorization": f"Basic {token}"}

    def message_id(self, req: Request) -> str:
        digest = hashlib.sha256(req.key.encode()).hexdigest()[:24]
        return f"{digest}@{self.table.domain}"

    def build(self, req: Request) -> Call:
        mail = req.email
        recipients = list(req.chunk.recipients) or [self.table.list_address]
        data: dict[str, Any] = {
            "from": mail.sender,
            "to": recipients,
            "subject": mail.subject,
            "text": mail.text,
            "html": mail.html,
            "h:Message-Id": f"<{self.message_id(req)}>",
            "h:X-Syndicate-Digest": mail.digest_id,
            "v:syndicate-key": req.key,
            "o:tag": "digest",
        }
        if req.chunk.recipients:
            # Without recipient variables every recipient would see the whole batch.
            data["recipient-variables"] = json.dumps(
                {to: {"n": i} for i, to in enumerate(recipients)}
            )
        return Call("POST", f"/v3/{self.table.domain}/messages", data=data)

    def lookup(self, req: Request) -> Receipt | None:
        params = {"message-id": self.message_id(req), "event": "accepted", "limit": 1}
        events = self.call(Call("GET", f"/v3/{self.table.domain}/events", params=params)).json()
        if events.get("items"):
            return Receipt(provider_id=self.message_id(req))
        since = req.pending_since
        if since is not None and datetime.now(UTC) - since < EVENTS_LAG:
            raise CannotVerify("its events log can lag behind by minutes; run again in 30 minutes")
        return None
