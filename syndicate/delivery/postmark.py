"""Postmark: the digest to each address of a recipients file, in batches on the broadcast
message stream.

API: https://postmarkapp.com/developer/user-guide/send-email-with-api/batch-emails (POST
/email/batch, up to 500 messages and 50 MB per call; answers 200 with an ErrorCode per
message), https://postmarkapp.com/developer/api/overview (`X-Postmark-Server-Token`, 401 on a
bad token, 422 with an ErrorCode, 429), and the Messages API for finding a batch again
(GET /messages/outbound filtered by metadata). Postmark has no idempotency key, so each message
carries the chunk's key as metadata and a pending chunk is looked up before sending again. Its
broadcast stream fills in `{{{ pm:unsubscribe }}}`.
"""

from __future__ import annotations

from typing import Any

import httpx

from .api import ApiTransport, Call
from .base import PermanentError, Receipt, Request


class PostmarkTransport(ApiTransport):
    name = "postmark"
    default_api_base = "https://api.postmarkapp.com"
    key_field = "server_token_env"
    key_name = "server token"
    chunk_size = 500  # messages per /email/batch call

    def auth(self) -> dict[str, str]:
        return {"X-Postmark-Server-Token": self.key, "Accept": "application/json"}

    # https://postmarkapp.com/support/article/1208-how-to-add-an-unsubscribe-link: Broadcast
    # streams replace {{{ pm:unsubscribe }}} (and append a link to a message without one);
    # https://postmarkapp.com/support/article/1299-how-to-include-a-list-unsubscribe-header:
    # they also add the one-click List-Unsubscribe headers. `outbound`, every server's default
    # stream, is transactional: it does neither for messages sent without a Postmark template.
    def _transactional(self) -> bool:
        return bool(self.table.message_stream == "outbound")

    def fills_unsubscribe(self) -> frozenset[str]:
        return frozenset() if self._transactional() else frozenset({"{{{ pm:unsubscribe }}}"})

    def list_unsubscribe_gap(self) -> tuple[str, str] | None:
        if not self._transactional():
            return None
        return (
            "Postmark adds List-Unsubscribe only on Broadcast streams, and "
            "delivery.postmark.message_stream is `outbound`, the transactional stream",
            "set delivery.postmark.message_stream to a Broadcast stream (`broadcast`)",
        )

    def unsubscribe_advice(self) -> str:
        return "or send through a Broadcast stream, where Postmark fills {{{ pm:unsubscribe }}}"

    def _message(self, req: Request, to: str) -> dict[str, Any]:
        mail = req.email
        return {
            "From": mail.sender,
            "To": to,
            "Subject": mail.subject,
            "HtmlBody": mail.html,
            "TextBody": mail.text,
            "MessageStream": self.table.message_stream,
            "Tag": "digest",
            "Metadata": {"syndicate_key": req.key},
            "Headers": [{"Name": "X-Syndicate-Digest", "Value": mail.digest_id}],
        }

    def build(self, req: Request) -> Call:
        return Call(
            "POST", "/email/batch", json=[self._message(req, to) for to in req.chunk.recipients]
        )

    def receipt(self, response: httpx.Response) -> Receipt:
        results = response.json()
        rejected = [r for r in results if r.get("ErrorCode")]
        if rejected and len(rejected) == len(results):
            first = rejected[0]
            raise PermanentError(
                f"Postmark rejected every message: {first.get('ErrorCode')} {first.get('Message')}",
                response.status_code,
            )
        ids = [r.get("MessageID") for r in results if not r.get("ErrorCode")]
        detail = f"{len(ids)} accepted" + (f", {len(rejected)} rejected" if rejected else "")
        return Receipt(provider_id=detail, http_status=response.status_code)

    def lookup(self, req: Request) -> Receipt | None:
        params = {"count": 1, "offset": 0, "metadata_syndicate_key": req.key}
        found = self.call(Call("GET", "/messages/outbound", params=params)).json()
        if found.get("TotalCount", 0) > 0:
            return Receipt(provider_id=f"found {found['TotalCount']} messages")
        return None

    def describe(self, req: Request) -> str:
        return self.show(self.build(req))


__all__ = ["PostmarkTransport"]
