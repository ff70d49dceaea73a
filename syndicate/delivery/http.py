"""HTTP for transports: timeouts on every request, TLS always verified, no redirects followed,
and each answer classified as success, transient or permanent failure."""

from __future__ import annotations

import email.utils
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from .. import __version__
from ..config import Config
from .base import PermanentError, Secrets, TransientError

TRANSIENT_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


def make_client(config: Config) -> httpx.Client:
    delivery = config.delivery
    return httpx.Client(
        timeout=httpx.Timeout(delivery.timeout, connect=delivery.connect_timeout),
        follow_redirects=False,  # a redirected POST is a failure, never a silent re-send
        verify=True,
        headers={"User-Agent": f"syndicate/{__version__}"},
    )


def request(
    client: httpx.Client,
    secrets: Secrets,
    method: str,
    url: str,
    **kwargs: Any,
) -> httpx.Response:
    """One request; returns a 2xx response or raises TransientError/PermanentError."""
    try:
        response = client.request(method, url, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
        # Nothing reached the server: safe to try again.
        raise TransientError(secrets.redact(f"cannot connect to {url}: {exc}")) from None
    except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise TransientError(
            secrets.redact(f"no answer from {url}: {type(exc).__name__}: {exc}"), ambiguous=True
        ) from None
    except httpx.HTTPError as exc:
        raise TransientError(
            secrets.redact(f"{url}: {type(exc).__name__}: {exc}"), ambiguous=True
        ) from None
    if response.is_success:
        return response
    body = secrets.redact(response.text[:500].strip())
    message = f"{method} {url} answered {response.status_code}: {body or response.reason_phrase}"
    if response.status_code in TRANSIENT_STATUS:
        raise TransientError(message, response.status_code, retry_after(response))
    if response.is_redirect:
        message += f" (redirect to {response.headers.get('location', '?')} not followed)"
    raise PermanentError(message, response.status_code)


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
