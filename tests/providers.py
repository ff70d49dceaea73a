"""Local servers that speak each email provider's documented API closely enough to catch a
wrong request: they check method, path, auth, content type, fields, part order and chunk
limits, answer with the provider's own success, error and rate-limit bodies, de-duplicate
where the provider does, and record every message they accept, per recipient."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# How often a test server checks for shutdown: at the default 0.5 s, stopping it is most of
# a test's time.
POLL = 0.02

KEY = "sk-test-0123456789abcdef"
Reply = tuple[int, dict[str, str], bytes]


def js(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    return (
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(body).encode(),
    )


class Rejected(Exception):
    def __init__(self, reply: Reply) -> None:
        self.reply = reply


@dataclass
class Fake:
    """Base: fault injection and bookkeeping; subclasses implement `route`."""

    faults: list[str] = field(default_factory=list)
    delivered: Counter[str] = field(default_factory=Counter)  # recipient -> messages accepted
    broadcasts: int = 0  # sends to a provider-owned list
    requests: list[dict[str, Any]] = field(default_factory=list)
    victim: int | None = None

    def sending(self, method: str, path: str) -> bool:
        raise NotImplementedError

    def route(self, req: dict[str, Any]) -> Reply:
        raise NotImplementedError

    def error_500(self) -> Reply:
        return js(500, {"message": "Internal Server Error"})

    def error_429(self) -> Reply:
        return js(429, {"message": "Too many requests"}, {"Retry-After": "1"})

    def serve(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        body = handler.rfile.read(int(handler.headers.get("content-length") or 0))
        req = {
            "method": method,
            "path": parts.path,
            "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
            "headers": {k.lower(): v for k, v in handler.headers.items()},
            "body": body,
        }
        self.requests.append(req)
        fault = self.faults.pop(0) if self.faults and self.sending(method, parts.path) else "ok"
        if fault == "500":
            return _answer(handler, self.error_500())
        if fault == "429":
            return _answer(handler, self.error_429())
        try:
            reply = self.route(req)
        except Rejected as rejected:
            reply = rejected.reply
        if fault == "drop":  # processed; the answer is lost
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
            return None
        if fault == "slow":
            time.sleep(2.5)
        if fault == "kill":
            assert self.victim is not None
            os.kill(self.victim, signal.SIGKILL)
            time.sleep(0.2)
        return _answer(handler, reply)

    # helpers for subclasses
    def require(self, condition: bool, reply: Reply) -> None:
        if not condition:
            raise Rejected(reply)

    def json_body(self, req: dict[str, Any]) -> Any:
        self.require(
            req["headers"].get("content-type", "").startswith("application/json"),
            js(415, {"message": "Content-Type must be application/json"}),
        )
        return json.loads(req["body"])


def _answer(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    status, headers, body = reply
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


# --- Postmark --------------------------------------------------------------------------------


class Postmark(Fake):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[dict[str, Any]] = []

    def sending(self, method: str, path: str) -> bool:
        return path.startswith("/email")

    def error_429(self) -> Reply:
        return js(429, {"ErrorCode": 429, "Message": "Rate limit exceeded"})

    def route(self, req: dict[str, Any]) -> Reply:
        headers = req["headers"]
        self.require(
            headers.get("x-postmark-server-token") == KEY,
            js(
                401,
                {
                    "ErrorCode": 10,
                    "Message": f"Bad or missing Server API token: {headers.get('x-postmark-server-token')}",
                },
            ),
        )
        self.require(
            headers.get("accept") == "application/json",
            js(406, {"Message": "Accept must be application/json"}),
        )
        if req["method"] == "GET" and req["path"] == "/messages/outbound":
            key = req["query"].get("metadata_syndicate_key")
            found = [m for m in self.messages if m["Metadata"].get("syndicate_key") == key]
            return js(200, {"TotalCount": len(found), "Messages": found[:1]})
        self.require(
            req["method"] == "POST" and req["path"] == "/email/batch",
            js(404, {"Message": "Not found"}),
        )
        batch = self.json_body(req)
        self.require(
            isinstance(batch, list) and len(batch) <= 500,
            js(422, {"ErrorCode": 300, "Message": "Batch may hold at most 500 messages"}),
        )
        results = []
        for message in batch:
            for name in ("From", "To", "Subject", "HtmlBody", "TextBody", "MessageStream"):
                self.require(
                    bool(message.get(name)),
                    js(422, {"ErrorCode": 300, "Message": f"Missing {name}"}),
                )
            self.require(
                message["MessageStream"] == "broadcast",
                js(422, {"ErrorCode": 1235, "Message": "Wrong stream"}),
            )
            self.require(
                "," not in message["To"],
                js(422, {"ErrorCode": 300, "Message": "one recipient per message"}),
            )
            self.messages.append(message)
            self.delivered[message["To"].lower()] += 1
            results.append(
                {
                    "ErrorCode": 0,
                    "Message": "OK",
                    "MessageID": str(uuid.uuid4()),
                    "To": message["To"],
                }
            )
        return js(200, results)


# --- SendGrid --------------------------------------------------------------------------------


class Sendgrid(Fake):
    def sending(self, method: str, path: str) -> bool:
        return path == "/v3/mail/send"

    def error_429(self) -> Reply:
        return js(
            429,
            {"errors": [{"field": None, "message": "too many requests"}]},
            {"X-RateLimit-Reset": "1"},
        )

    def route(self, req: dict[str, Any]) -> Reply:
        self.require(
            req["headers"].get("authorization") == f"Bearer {KEY}",
            js(
                401,
                {
                    "errors": [
                        {
                            "message": "The provided authorization grant is invalid, expired, or revoked",
                            "field": None,
                        }
                    ]
                },
            ),
        )
        self.require(
            req["method"] == "POST" and req["path"] == "/v3/mail/send",
            js(404, {"errors": [{"message": "not found"}]}),
        )
        body = self.json_body(req)
        personalizations = body.get("personalizations", [])
        self.require(
            0 < len(personalizations) <= 1000,
            js(
                400,
                {
                    "errors": [
                        {
                            "message": "The personalizations field must have between 1 and 1000 items.",
                            "field": "personalizations",
                        }
                    ]
                },
            ),
        )
        types = [c["type"] for c in body.get("content", [])]
        self.require(
            types == ["text/plain", "text/html"],
            js(
                400,
                {
                    "errors": [
                        {
                            "message": "The text/plain content type must be first, followed by text/html",
                            "field": "content",
                        }
                    ]
                },
            ),
        )
        self.require(
            "email" in body.get("from", {}) and body.get("subject"),
            js(400, {"errors": [{"message": "from and subject are required"}]}),
        )
        for personalization in personalizations:
            self.require(
                len(personalization["to"]) == 1,
                js(400, {"errors": [{"message": "one recipient per personalization"}]}),
            )
            self.delivered[personalization["to"][0]["email"].lower()] += 1
        return 202, {"X-Message-Id": uuid.uuid4().hex}, b""


# --- Mailgun ---------------------------------------------------------------------------------


class Mailgun(Fake):
    domain = "mg.example.org"

    def __init__(self, list_address: str = "readers@mg.example.org") -> None:
        super().__init__()
        self.list_address = list_address
        self.events: list[dict[str, Any]] = []

    def sending(self, method: str, path: str) -> bool:
        return path.endswith("/messages")

    def error_429(self) -> Reply:
        return js(429, {"message": "Too many requests"}, {"Retry-After": "1"})

    def route(self, req: dict[str, Any]) -> Reply:
        expected = "Basic " + base64.b64encode(f"api:{KEY}".encode()).decode()
        self.require(
            req["headers"].get("authorization") == expected,
            (401, {"Content-Type": "text/plain"}, b"Forbidden"),
        )
        if req["method"] == "GET" and req["path"] == f"/v3/{self.domain}/events":
            wanted = req["query"].get("message-id")
            return js(
                200,
                {
                    "items": [
                        e for e in self.events if e["message"]["headers"]["message-id"] == wanted
                    ],
                    "paging": {},
                },
            )
        self.require(
            req["path"] == f"/v3/{self.domain}/messages", js(404, {"message": "Domain not found"})
        )
        self.require(
            req["headers"]["content-type"].startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ),
            js(400, {"message": "form data expected"}),
        )
        form = parse_qs(req["body"].decode())
        for name in ("from", "to", "subject", "text", "html"):
            self.require(name in form, js(400, {"message": f"'{name}' parameter is missing"}))
        recipients = form["to"]
        self.require(
            len(recipients) <= 1000, js(400, {"message": "Too many recipients: 1000 maximum"})
        )
        if len(recipients) > 1 or recipients != [self.list_address]:
            self.require(
                "recipient-variables" in form,
                js(400, {"message": "batch sending needs recipient-variables"}),
            )
        message_id = form["h:Message-Id"][0].strip("<>")
        self.events.append(
            {"event": "accepted", "message": {"headers": {"message-id": message_id}}}
        )
        for to in recipients:
            if to == self.list_address:
                self.broadcasts += 1
            else:
                self.delivered[to.lower()] += 1
        return js(200, {"id": f"<{message_id}>", "message": "Queued. Thank you."})


# --- Resend ----------------------------------------------------------------------------------


class Resend(Fake):
    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, tuple[bytes, Reply]] = {}
        self.broadcast_list: list[dict[str, Any]] = []

    def sending(self, method: str, path: str) -> bool:
        return method == "POST"

    def error_429(self) -> Reply:
        return js(
            429,
            {
                "statusCode": 429,
                "name": "rate_limit_exceeded",
                "message": "Too many requests. You can only make 2 requests per second.",
            },
            {"Retry-After": "1"},
        )

    def route(self, req: dict[str, Any]) -> Reply:
        self.require(
            req["headers"].get("authorization") == f"Bearer {KEY}",
            js(
                401,
                {
                    "statusCode": 401,
                    "name": "missing_api_key",
                    "message": "Missing API key in the authorization header",
                },
            ),
        )
        if req["method"] == "GET" and req["path"] == "/broadcasts":
            return js(200, {"object": "list", "data": self.broadcast_list})
        key = req["headers"].get("idempotency-key")
        if key in self.keys:  # replay within 24 hours; a different body is a conflict
            body, reply = self.keys[key]
            self.require(
                body == req["body"],
                js(
                    409,
                    {
                        "name": "invalid_idempotent_request",
                        "message": "Same idempotency key used with a different request payload",
                    },
                ),
            )
            return reply
        reply = self._route(req)
        if key:
            self.keys[key] = (req["body"], reply)
        return reply

    def _route(self, req: dict[str, Any]) -> Reply:
        body = self.json_body(req)
        if req["path"] == "/broadcasts":
            for name in ("segment_id", "from", "subject", "html", "name"):
                self.require(
                    bool(body.get(name)),
                    js(422, {"name": "validation_error", "message": f"Missing `{name}` field."}),
                )
            self.require(
                len(body["name"]) <= 70,
                js(422, {"name": "validation_error", "message": "name is too long"}),
            )
            ident = str(uuid.uuid4())
            self.broadcast_list.append(
                {
                    "id": ident,
                    "name": body["name"],
                    "status": "queued" if body.get("send") else "draft",
                }
            )
            if body.get("send"):
                self.broadcasts += 1
            return js(201, {"id": ident})
        emails = body if req["path"] == "/emails/batch" else [body]
        self.require(
            len(emails) <= 100,
            js(422, {"name": "validation_error", "message": "Batch may hold at most 100 emails"}),
        )
        ids = []
        for email_ in emails:
            self.require(
                len(email_["to"]) <= 50 and email_.get("html") and email_.get("text"),
                js(422, {"name": "validation_error", "message": "bad email"}),
            )
            for to in email_["to"]:
                self.delivered[to.lower()] += 1
            ids.append({"id": str(uuid.uuid4())})
        return js(200, {"data": ids} if req["path"] == "/emails/batch" else ids[0])


# --- Buttondown ------------------------------------------------------------------------------


class Buttondown(Fake):
    def __init__(self) -> None:
        super().__init__()
        self.keys: dict[str, Reply] = {}
        self.emails: list[dict[str, Any]] = []
        self.test_sends: list[str] = []

    def sending(self, method: str, path: str) -> bool:
        return method == "POST"

    def error_429(self) -> Reply:
        return js(
            429,
            {"detail": "Request was throttled. Expected available in 1 second."},
            {"Retry-After": "1"},
        )

    def route(self, req: dict[str, Any]) -> Reply:
        headers = req["headers"]
        self.require(
            headers.get("authorization") == f"Token {KEY}", js(401, {"detail": "Invalid token."})
        )
        self.require(
            headers.get("x-api-version") == "2026-04-01", js(400, {"detail": "unknown API version"})
        )
        key = headers.get("x-idempotency-key")
        if key in self.keys:
            return self.keys[key]
        reply = self._route(req)
        if key:
            self.keys[key] = reply
        return reply

    def _route(self, req: dict[str, Any]) -> Reply:
        body = self.json_body(req)
        if req["path"].endswith("/send-draft"):
            self.test_sends += body["recipients"]
            return 200, {}, b""
        self.require(req["path"] == "/v1/emails", js(404, {"detail": "Not found."}))
        self.require(
            "status" in body,
            js(
                400,
                {
                    "code": "status_missing",
                    "detail": "tests must never rely on the sending default",
                },
            ),
        )
        self.require(
            not body["body"].lstrip().startswith("---"),
            js(
                400,
                {
                    "code": "body_contains_frontmatter",
                    "detail": "Body looks like it contains front matter.",
                },
            ),
        )
        if body["status"] != "draft":
            self.require(
                req["headers"].get("x-buttondown-live-dangerously") == "true",
                js(
                    400,
                    {
                        "code": "sending_requires_confirmation",
                        "detail": "Pass X-Buttondown-Live-Dangerously: true",
                    },
                ),
            )
            self.broadcasts += 1
        ident = str(uuid.uuid4())
        self.emails.append({"id": ident, **body})
        return js(201, {"id": ident, "status": body["status"], "subject": body["subject"]})


# --- listmonk --------------------------------------------------------------------------------


class Listmonk(Fake):
    def __init__(self) -> None:
        super().__init__()
        self.campaigns: list[dict[str, Any]] = []
        self.test_sends: list[str] = []

    def sending(self, method: str, path: str) -> bool:
        return method in ("POST", "PUT")

    def route(self, req: dict[str, Any]) -> Reply:
        self.require(
            req["headers"].get("authorization") == f"token api:{KEY}",
            js(403, {"message": "invalid API credentials"}),
        )
        path, method = req["path"], req["method"]
        if method == "GET" and path == "/api/campaigns":
            query = req["query"].get("query", "")
            found = [c for c in self.campaigns if query.lower() in c["name"].lower()]
            return js(
                200, {"data": {"results": found, "total": len(found), "per_page": 20, "page": 1}}
            )
        if method == "POST" and path == "/api/campaigns":
            body = self.json_body(req)
            for name in ("name", "subject", "lists", "body", "content_type"):
                self.require(bool(body.get(name)), js(400, {"message": f"invalid {name}"}))
            self.require(
                "{{" not in body["body"].replace("{{ UnsubscribeURL }}", ""),
                js(400, {"message": 'template: unexpected "{" in command'}),
            )
            campaign = {"id": len(self.campaigns) + 1, "status": "draft", **body}
            self.campaigns.append(campaign)
            return js(200, {"data": campaign})
        parts = path.strip("/").split("/")
        campaign = next(
            (c for c in self.campaigns if len(parts) > 2 and str(c["id"]) == parts[2]), None
        )
        self.require(campaign is not None, js(404, {"message": "campaign not found"}))
        assert campaign is not None
        if method == "PUT" and parts[-1] == "status":
            self.require(
                campaign["status"] == "draft",
                js(400, {"message": "Only draft campaigns can be started"}),
            )
            self.require(
                self.json_body(req) == {"status": "running"}, js(400, {"message": "invalid status"})
            )
            campaign["status"] = "running"
            self.broadcasts += 1
            return js(200, {"data": campaign})
        if method == "POST" and parts[-1] == "test":
            self.test_sends += self.json_body(req)["subscribers"]
            return js(200, {"data": True})
        raise Rejected(js(404, {"message": "not found"}))


@contextmanager
def serve(fake: Fake) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            fake.serve(self, "GET")

        def do_POST(self) -> None:
            fake.serve(self, "POST")

        def do_PUT(self) -> None:
            fake.serve(self, "PUT")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
