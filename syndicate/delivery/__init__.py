"""Delivery: a rendered `Email` -> a send through one transport, recorded in the ledger.

In: an `Email` from the digest stage and the `[delivery]` settings. Out: a `SendReport`, and rows
in the SQLite ledger (`ledger`, the only writer of delivery state) that make each send happen
exactly once. `run` schedules editions, retries and the lock; `records` answers what was sent;
each other module is one transport.

The package imports nothing itself: `syndicate status` reads the ledger without the transports'
HTTP client (httpx, ~55 ms to import), and `send` loads only the configured transport (`run`).
"""
