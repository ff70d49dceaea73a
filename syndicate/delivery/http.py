"""HTTP for transports: timeouts on every request, TLS always verified, no redirects followed,
and each answer classified as success, transient or permanent failure.

Every request also has an overall deadline (`delivery.deadline`). httpx's timeouts bound each
read, not the whole exchange: a server that sends its headers and then one byte a second would
hold the run, and the ledger's lock, for as long as it likes. Past the deadline the request is a
transient failure that may have arrived (`ambiguous`), handled like a timeout."""

from __future__ import annotations

import email.utils
import functools
import ssl
import threading
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from .. import __version__
from ..config import Config
from .base import PermanentError, Secrets, TransientError

TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def make_client(config: Config, url: str | None = None) -> httpx.Client:
    """A client for requests to `url` (a base every request's URL starts with; None: any)."""
    delivery = config.delivery
    return httpx.Client(
        timeout=httpx.Timeout(delivery.timeout, connect=delivery.connect_timeout),
        follow_redirects=False,  # a redirected POST is a failure, never a silent re-send
        verify=tls_context(url),
        headers={"User-Agent": f"syndicate/{__version__}"},
    )


def tls_context(url: str | None) -> ssl.SSLContext:
    """The TLS settings of a client for `url`. Loading the CA bundle costs more than the rest
    of making a client, so the verifying context is made once per process, and only for a
    client that may speak https. A plain-http client gets one that trusts no certificate at
    all: an https URL it is somehow sent to fails verification, never goes unverified."""
    if url is not None and urlsplit(url).scheme.lower() == "http":
        return _trusting_nothing()
    return _verifying()


@functools.cache
def _verifying() -> ssl.SSLContext:
    # httpx's own default (certifi's bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set).
    return httpx.create_ssl_context()


@functools.cache
def _trusting_nothing() -> ssl.SSLContext:
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies names and chains; no CA loaded


def request(
    client: httpx.Client,
    secrets: Secrets,
    method: str,
    url: str,
    *,
    deadline: float,
    **kwargs: Any,
) -> httpx.Response:
    """One request, answered in full within `deadline` seconds; returns a 2xx response or
    raises TransientError/PermanentError."""
    response = _classify(secrets, url, _within(deadline, url, client, method, **kwargs))
    if response.is_success:
        return response
    body = secrets.redact(response.text[:500].strip())
    message = f"{method} {url} answered {response.status_code}: {body or response.reason_phrase}"
    if response.status_code in TRANSIENT_STATUS:
        raise TransientError(message, response.status_code, retry_after(response))
    if response.is_redirect:
        message += f" (redirect to {response.headers.get('location', '?')} not followed)"
    raise PermanentError(message, response.status_code)


class _DeadlinePassed(Exception):
    pass


def _within(
    deadline: float, url: str, client: httpx.Client, method: str, **kwargs: Any
) -> httpx.Response | BaseException:
    """The exchange, run in a worker thread so that no read, however slow, holds the caller
    past the deadline. The worker gives up on its own between reads of the body; one stuck
    before the headers is left behind (a daemon thread: it never keeps the process alive)."""
    outcome: list[httpx.Response | BaseException] = []
    stop_at = time.monotonic() + deadline

    def exchange() -> None:
        try:
            outcome.append(_exchange(client, method, url, stop_at, **kwargs))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=exchange, name="syndicate-request", daemon=True)
    worker.start()
    worker.join(deadline + 0.5)
    return outcome[0] if outcome else _DeadlinePassed()


def _exchange(
    client: httpx.Client, method: str, url: str, stop_at: float, **kwargs: Any
) -> httpx.Response:
    with client.stream(method, url, **kwargs) as streamed:
        raw: list[bytes] = []
        for chunk in streamed.iter_raw():
            if time.monotonic() > stop_at:
                raise _DeadlinePassed()
            raw.append(chunk)
    # A response holding the raw bytes it was sent: decoded once, when read.
    return httpx.Response(
        streamed.status_code,
        headers=streamed.headers,
        content=b"".join(raw),
        request=streamed.request,
        extensions={"reason_phrase": streamed.extensions.get("reason_phrase", b"")},
    )


def _classify(
    secrets: Secrets, url: str, outcome: httpx.Response | BaseException
) -> httpx.Response:
    if isinstance(outcome, httpx.Response):
        return outcome
    if isinstance(outcome, _DeadlinePassed):
        raise TransientError(
            secrets.redact(f"no complete answer from {url} before the deadline"),
            ambiguous=True,
        )
    if isinstance(outcome, httpx.ConnectError | httpx.ConnectTimeout):
        # Nothing reached the server: safe to try again.
        raise TransientError(secrets.redact(f"cannot connect to {url}: {outcome}"))
    if isinstance(outcome, httpx.TimeoutException | httpx.RemoteProtocolError | httpx.ReadError):
        raise TransientError(
            secrets.redact(f"no answer from {url}: {type(outcome).__name__}: {outcome}"),
            ambiguous=True,
        )
    if isinstance(outcome, httpx.HTTPError):
        raise TransientError(
            secrets.redact(f"{url}: {type(outcome).__name__}: {outcome}"), ambiguous=True
        )
    raise outcome


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait from Retry-After (seconds or an HTTP date) or X-RateLimit-Reset."""
    value = response.headers.get("retry-after")
    if value:
        if value.strip().isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    reset = response.headers.get("x-ratelimit-reset")
    if reset and reset.strip().isdigit():
        seconds = float(reset)
        # SendGrid sends an epoch time, others a number of seconds.
        return max(0.0, seconds - time.time()) if seconds > 1e9 else seconds
    return None
