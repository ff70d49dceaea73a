"""What every email provider's adapter shares: its `api_base`, its key from the environment,
recipients from a file (frozen at the first attempt so a retry never changes or widens the
audience, cut into chunks within the provider's limits, suppressions removed: see
`Transport.recipient_batches`), and
`--dry-run` output that shows the exact request with secrets masked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import field
from typing import Any, ClassVar

import httpx

from ..datatype import datatype
from ..model import Email
from .base import Chunk, Receipt, Request, Transport
from .http import make_client, request


@datatype
class Call:
    """One HTTP request, as sent and as `--dry-run` prints it."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Any = None
    data: Mapping[str, Any] | None = None
    params: Mapping[str, Any] | None = None


class ApiTransport(Transport):
    default_api_base: ClassVar[str]
    # The version every request's path starts with ("/v1"): an `api_base` given with it (as
    # providers' docs write their URLs) has it removed, where it made `/v1/v1/emails`.
    version: ClassVar[str] = ""
    key_field: ClassVar[str] = "api_key_env"
    key_name: ClassVar[str] = "API key"
    chunk_size: ClassVar[int] = 1000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        table = getattr(self.config.delivery, self.name)
        assert table is not None
        self.table = table
        self.api_base = (table.api_base or self.default_api_base).rstrip("/")
        if self.version:
            self.api_base = self.api_base.removesuffix(self.version)
        env_name = getattr(table, self.key_field)
        self.key = self.secrets.read(self.env, env_name, f"{self.name} {self.key_name}")
        self.client = make_client(self.config, self.api_base)

    # --- requests -----------------------------------------------------------------------

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def call(self, call: Call) -> httpx.Response:
        return request(
            self.client,
            self.secrets,
            call.method,
            self.api_base + call.path,
            headers={**self.auth(), **call.headers},
            json=call.json,
            data=call.data,
            params=call.params,
            deadline=self.config.delivery.deadline,
        )

    def build(self, req: Request) -> Call:
        """The request that sends `req`; adapters with a single request implement this."""
        raise NotImplementedError

    def receipt(self, response: httpx.Response) -> Receipt:
        try:
            body = response.json()
        except ValueError:
            body = {}
        ident = (
            body.get("id") or body.get("ID") or body.get("MessageID")
            if isinstance(body, dict)
            else None
        )
        return Receipt(provider_id=str(ident) if ident else None, http_status=response.status_code)

    def send(self, req: Request) -> Receipt:
        return self.receipt(self.call(self.build(req)))

    def describe(self, req: Request) -> str:
        return self.show(self.build(req))

    def show(self, call: Call) -> str:
        secret = {name: _mask(value) for name, value in self.auth().items() if _is_secret(name)}
        headers = {**self.auth(), **secret, **call.headers}
        lines = [f"{call.method} {self.api_base}{call.path}"]
        if call.params:
            lines[0] += "?" + str(httpx.QueryParams(call.params))
        lines += [f"{name}: {self.secrets.redact(value)}" for name, value in headers.items()]
        if call.json is not None:
            lines.append(json.dumps(shorten(call.json), ensure_ascii=False, indent=1))
        if call.data is not None:
            lines += [f"{k}={shorten(v)}" for k, v in call.data.items()]
        return self.secrets.redact("\n".join(lines))

    def close(self) -> None:
        self.client.close()

    # --- who gets it --------------------------------------------------------------------

    def chunks(self, email: Email, test_address: str | None = None) -> list[Chunk]:
        if test_address:
            return [Chunk(f"test:{test_address}", (test_address,))]
        if not getattr(self.table, "recipients_file", None):
            return [Chunk("all")]
        suppression = getattr(self.table, "suppression_file", None)
        batches = self.recipient_batches(
            email, self.table.recipients_file, suppression, self.chunk_size
        )
        return [Chunk(f"batch-{number:04d}", batch) for number, batch in batches]


def _is_secret(header: str) -> bool:
    return header.lower() in ("authorization", "x-postmark-server-token")


def _mask(value: str) -> str:
    scheme, _, rest = value.partition(" ")
    return f"{scheme} ***" if rest else "***"


def shorten(value: Any) -> Any:
    """Long bodies (the HTML) are abbreviated in dry-run output; everything else is exact."""
    if isinstance(value, str) and len(value) > 160:
        return f"{value[:80]}… ({len(value)} characters)"
    if isinstance(value, list):
        return [shorten(v) for v in value]
    if isinstance(value, dict):
        return {k: shorten(v) for k, v in value.items()}
    return value
