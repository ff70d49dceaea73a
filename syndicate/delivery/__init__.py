"""Delivery: a rendered `Email` -> a send through one transport, recorded in the ledger."""

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
