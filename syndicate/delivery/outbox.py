"""The `outbox` transport (the default, so a fresh clone works with no account): the rendered
`.eml` is copied into a `sent/` folder, and recorded in the ledger like any other send."""

from __future__ import annotations

import re
from pathlib import Path

from ..output import atomic_write
from .base import Receipt, Request, Transport
from .unsubscribe import no_header


class OutboxTransport(Transport):
    name = "outbox"
    dedupes_on_key = True  # the file name is the key: writing it again changes nothing
    to_subscribers = False

    def _target(self, request: Request) -> Path:
        folder = self.config.path_of(self.config.delivery.outbox.folder)
        if request.test:
            name = re.sub(r"[^\w.@-]+", "_", request.key)
            return folder / "test" / f"{name}.eml"
        return folder / f"{request.email.digest_id}.eml"

    def send(self, request: Request) -> Receipt:
        target = self._target(request)
        atomic_write(target, request.email.message)
        return Receipt(provider_id=str(target))

    def lookup(self, request: Request) -> Receipt | None:
        target = self._target(request)
        if target.is_file() and target.read_bytes() == request.email.message:
            return Receipt(provider_id=str(target))
        return None

    def describe(self, request: Request) -> str:
        return f"outbox: copy message.eml to {self._target(request)}"

    # Mail copied here goes on to readers by another way, which adds nothing to it: what it
    # lacks to be unsubscribed from is said (a warning: `to_subscribers` is false).
    def needs_own_link(self) -> bool:
        return True

    def list_unsubscribe_gap(self) -> tuple[str, str] | None:
        if self.config.digest.list_unsubscribe:
            return None
        return no_header("Mail sent on from the outbox")
