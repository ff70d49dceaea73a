"""The `webhook` transport: a signed POST in the Standard Webhooks shape.

Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
Headers `webhook-id` (stable per digest and transport: receivers de-duplicate on it),
`webhook-timestamp` (the real clock at sending, integer seconds) and `webhook-signature`
(`v1,` + base64 HMAC-SHA256 of `id.timestamp.body` with the base64 key after `whsec_`). The
bytes signed are exactly the bytes sent.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any

from ..errors import ConfigError
from .api import shorten
from .base import Receipt, Request, Transport
from .http import make_client, request


def signing_key(secret: str) -> bytes:
    encoded = secret.removeprefix("whsec_")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(
            "the webhook secret must be a Standard Webhooks secret: whsec_ followed by base64"
        ) from None


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_id(key: str) -> str:
    # Ids must not contain "." (it separates the signed parts).
    return "msg_" + hashlib.sha256(key.encode()).hexdigest()[:32]


class WebhookTransport(Transport):
    name = "webhook"
    dedupes_on_key = True  # receivers de-duplicate on webhook-id
    to_subscribers = False  # the receiver decides what readers get

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        table = self.config.delivery.webhook
        assert table is not None
        self.url = table.url
        self.secret = self.secrets.read(self.env, table.secret_env, "webhook signing secret")
        signing_key(self.secret)
        self.client = make_client(self.config, self.url)

    def payload(self, req: Request) -> bytes:
        email = req.email
        data: dict[str, Any] = dict(email.summary)
        data.update(
            subject=email.subject,
            html=email.html,
            text=email.text,
            web_url=email.web_url,
            feed_url=f"{self.config.base_url}digests/atom.xml",
        )
        if req.test:
            data["test_recipient"] = req.chunk.recipients[0]
        event = {
            "type": "digest.test" if req.test else "digest.published",
            "timestamp": email.period_end.isoformat(),
            "data": data,
        }
        return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def headers(self, req: Request, body: bytes) -> dict[str, str]:
        msg_id = webhook_id(req.key)
        timestamp = int(time.time())  # the real clock: receivers reject stale timestamps
        return {
            "content-type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(self.secret, msg_id, timestamp, body),
        }

    def send(self, req: Request) -> Receipt:
        body = self.payload(req)
        response = request(
            self.client,
            self.secrets,
            "POST",
            self.url,
            content=body,
            headers=self.headers(req, body),
            deadline=self.config.delivery.deadline,
        )
        return Receipt(provider_id=webhook_id(req.key), http_status=response.status_code)

    def describe(self, req: Request) -> str:
        """The request as it would go now: every header (the timestamp from the clock, the
        signature masked) and the body, its long fields abbreviated."""
        body = self.payload(req)
        headers = {**self.headers(req, body), "webhook-signature": "v1,***"}
        lines = [f"POST {self.url}", *(f"{name}: {value}" for name, value in headers.items())]
        lines.append(json.dumps(shorten(json.loads(body)), ensure_ascii=False, indent=1))
        lines.append(f"({len(body)} bytes)")
        return self.secrets.redact("\n".join(lines))

    def where_to_check(self, req: Request) -> str:
        return f"check whether {self.url} received webhook-id {webhook_id(req.key)}"

    def close(self) -> None:
        self.client.close()
