"""Real local servers for delivery tests: a webhook receiver that behaves like a careful
production one (verifies signatures, de-duplicates on webhook-id), scriptable with faults, and
an SMTP server (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

# How often a test server checks for shutdown: at the default 0.5 s, stopping it is most of
# a test's time.
POLL = 0.02

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@dataclass
class Receiver:
    """Faults are taken in order, one per request: "ok", "500", "429:<seconds>", "slow:<s>",
    "drop" (read the request, then close without answering), "kill" (read it, then SIGKILL
    the client process `victim`, then answer), "401", "302"."""

    faults: list[str] = field(default_factory=list)
    secret: str = SECRET
    requests: list[dict[str, Any]] = field(default_factory=list)
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    victim: int | None = None
    times: list[float] = field(default_factory=list)
    url: str = ""

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length", "0"))
        body = handler.rfile.read(length)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        self.times.append(time.monotonic())
        self.requests.append({"headers": headers, "body": body, "path": handler.path})
        fault = self.faults.pop(0) if self.faults else "ok"
        if fault == "drop":
            self._accept(headers, body)  # it arrived; the answer is lost
            handler.connection.shutdown(socket.SHUT_RDWR)
            handler.close_connection = True
            return
        if fault == "kill":
            self._accept(headers, body)
            assert self.victim is not None
            os.kill(self.victim, signal.SIGKILL)
            time.sleep(0.2)
        if fault.startswith("slow:"):
            self._accept(headers, body)
            time.sleep(float(fault.split(":")[1]))
        status, extra = 200, {}
        if fault == "500":
            status = 500
        elif fault.startswith("429:"):
            status, extra = 429, {"Retry-After": fault.split(":")[1]}
        elif fault == "401":
            status = 401
        elif fault == "302":
            status, extra = 302, {"Location": self.url + "elsewhere"}
        elif fault not in ("drop",):
            self._accept(headers, body)
        reply = json.dumps(
            {"error": f"echo {self.secret}"} if status == 401 else {"ok": True}
        ).encode()
        handler.send_response(status)
        for name, value in extra.items():
            handler.send_header(name, value)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(reply)))
        handler.end_headers()
        handler.wfile.write(reply)

    def _accept(self, headers: dict[str, str], body: bytes) -> None:
        # As a production receiver does: verify the signature, then de-duplicate on the id.
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError as exc:
            raise AssertionError(f"bad signature: {exc}") from exc
        self.accepted.setdefault(headers["webhook-id"], payload)


@contextmanager
def webhook_receiver(faults: list[str] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(list(faults or []))

    class Handler(_Quiet):
        def do_POST(self) -> None:
            receiver.handle(self)

        def do_GET(self) -> None:
            self.send_response(404 if "missing" in self.path else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    with _serving(Handler) as url:
        receiver.url = url
        yield receiver


class _Quiet(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    """A client that hung up (a "slow:" reply past the sender's timeout, as the test means
    it to) is no error: socketserver printed its traceback in the test run's output. Anything
    else a handler raises (a bad signature) is still reported."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def _serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server on loopback, in a thread, for the length of the block; yields its URL."""
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(POLL,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class MailBox:
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    victim: int | None = None
    port: int = 0
    busy: set[str] = field(default_factory=set)  # a message to these is answered 451
    # A message to these is answered 421: the server closes the channel, every send waits.
    closing: set[str] = field(default_factory=set)
    greylisted: set[str] = field(default_factory=set)  # these are refused at RCPT with 450

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address.lower() in self.greylisted:
            return "450 4.2.0 greylisted, try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        to = {a.lower() for a in envelope.rcpt_tos}
        if self.busy & to:
            return "451 4.3.0 mailbox busy, try again later"
        if self.closing & to:
            return "421 4.3.2 service shutting down, closing channel"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))  # type: ignore[arg-type]
        if self.victim is not None:
            os.kill(self.victim, signal.SIGKILL)
            self.victim = None
        return "250 OK"


def free_port() -> int:
    # aiosmtpd's Controller(port=0) does not work: bind a free port first.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[MailBox]:
    box = MailBox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the openssl command."""
    import subprocess

    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextmanager
def tls_smtp_server(cert: Path, key: Path, implicit: bool, password: str) -> Iterator[MailBox]:
    """An SMTP server that requires TLS (STARTTLS, or TLS from the first byte) and a login."""
    import ssl

    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login == b"digest"
            and data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    box = MailBox()
    box.port = free_port()
    # One mechanism, so a refused login is one exchange (smtplib would try the next otherwise).
    options: dict[str, Any] = {
        "authenticator": authenticator,
        "auth_required": True,
        "auth_exclude_mechanism": ["LOGIN"],
    }
    if implicit:
        # aiosmtpd cannot see that a connection wrapped from the first byte is encrypted.
        options.update(ssl_context=context, auth_require_tls=False)
    else:
        options.update(tls_context=context, require_starttls=True)
    controller = Controller(box, hostname="127.0.0.1", port=box.port, **options)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


@dataclass
class Drip:
    """A server that answers at once with its headers, then sends the body one byte a second."""

    url: str = ""
    requests: int = 0
    stop: threading.Event = field(default_factory=threading.Event)


@contextmanager
def dripping_server(bound: float = 30.0) -> Iterator[Drip]:
    """On loopback only, and bounded: each answer drips for at most `bound` seconds, and stops
    as soon as the client hangs up or the test ends."""
    drip = Drip()

    class Handler(_Quiet):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            drip.requests += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(int(bound) + 10))
            self.end_headers()
            self.wfile.flush()
            started = time.monotonic()
            while time.monotonic() - started < bound and not drip.stop.is_set():
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:  # the client gave up: what a deadline is for
                    return
                drip.stop.wait(1.0)
            self.close_connection = True

    with _serving(Handler) as url:
        drip.url = url
        try:
            yield drip
        finally:
            drip.stop.set()  # before the server shuts down: it waits for the dripping answers
