"""Delivery: a rendered `Email` -> a send through one transport, recorded in the ledger.

In: an `Email` from the digest stage and the `[delivery]` settings. Out: a `SendReport`, and rows
in the SQLite ledger (`ledger`, the only writer of delivery state) that make each send happen
exactly once. `run` schedules editions, retries and the lock; `records` answers what was sent;
each other module is one transport.
"""

from .base import Chunk, Receipt, Request, Secrets, Transport
from .run import TRANSPORTS, SendReport, deliver, make_transport, test_email

__all__ = [
    "TRANSPORTS",
    "Chunk",
    "Receipt",
    "Request",
    "Secrets",
    "SendReport",
    "Transport",
    "deliver",
    "make_transport",
    "test_email",
]
