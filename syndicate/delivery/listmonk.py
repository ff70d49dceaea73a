"""listmonk (self-hosted): a campaign for the chosen lists, created as a draft, then started.

API: https://listmonk.app/docs/apis/campaigns/ (POST /api/campaigns with `name`, `subject`,
`lists`, `type`, `content_type`, `body`, `altbody`, `template_id`; PUT
/api/campaigns/{id}/status with `running`; GET /api/campaigns?query= to search; POST
/api/campaigns/{id}/test to send to given subscribers) and
https://listmonk.app/docs/apis/apis/ (`Authorization: token api_user:token`). listmonk has no
idempotency key: a campaign of the same digest is always looked for by name before another is
created. Campaign bodies are Go templates, so `{{` in post text is escaped (see dialects), and
listmonk fills in `{{ UnsubscribeURL }}`. Use a campaign template that is only
`{{ template "content" . }}`, since the digest is a complete HTML document.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConfigError
from .api import ApiTransport, Call
from .base import Receipt, Request

SENT_STATES = frozenset({"running", "scheduled", "paused", "finished"})


class ListmonkTransport(ApiTransport):
    name = "listmonk"
    key_field = "token_env"
    key_name = "API token"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not getattr(args[0].delivery.listmonk, "api_base", None):
            raise ConfigError("delivery.listmonk.api_base: listmonk is self-hosted; give its URL")
        super().__init__(*args, **kwargs)
        # Both the instance's root and its API root are accepted: listmonk's own docs give
        # request URLs as `http://localhost:9000/api/...`, so `api_base` often ends in /api.
        self.api_base = self.api_base.removesuffix("/api")

    def fills_unsubscribe(self) -> frozenset[str]:
        return frozenset({"{{ UnsubscribeURL }}"})

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"token {self.table.username}:{self.key}"}

    def _name(self, req: Request) -> str:
        return f"digest {req.email.digest_id}" + (" [TEST]" if req.test else "")

    def build(self, req: Request) -> Call:
        mail = req.email
        body: dict[str, Any] = {
            "name": self._name(req),
            "subject": mail.subject,
            "lists": self.table.lists,
            "type": "regular",
            "content_type": "html",
            "body": mail.html,
            "altbody": mail.text,
            "tags": ["digest"],
        }
        if self.table.template_id is not None:
            body["template_id"] = self.table.template_id
        return Call("POST", "/api/campaigns", json=body)

    def find(self, req: Request) -> dict[str, Any] | None:
        params = {"query": self._name(req), "per_page": "all"}
        results = self.call(Call("GET", "/api/campaigns", params=params)).json()["data"]["results"]
        matches = [c for c in results or [] if c.get("name") == self._name(req)]
        return matches[0] if matches else None

    def send(self, req: Request) -> Receipt:
        campaign = self.find(req)
        if campaign is None:
            campaign = self.call(self.build(req)).json()["data"]
        elif campaign.get("status") in SENT_STATES and not req.test:
            return Receipt(provider_id=str(campaign["id"]))
        ident = campaign["id"]
        if req.test:
            test = {**self.build(req).json, "subscribers": list(req.chunk.recipients)}
            response = self.call(Call("POST", f"/api/campaigns/{ident}/test", json=test))
        else:
            status = {"status": "running"}
            response = self.call(Call("PUT", f"/api/campaigns/{ident}/status", json=status))
        return Receipt(provider_id=str(ident), http_status=response.status_code)

    def lookup(self, req: Request) -> Receipt | None:
        campaign = self.find(req)
        if campaign is not None and campaign.get("status") in SENT_STATES:
            return Receipt(provider_id=str(campaign["id"]))
        return None  # absent, or a draft that `send` will start

    def describe(self, req: Request) -> str:
        return (
            f"GET {self.api_base}/api/campaigns?query={self._name(req)} (reuse a campaign of this "
            f"digest if there is one)\n{self.show(self.build(req))}\n"
            f'PUT {self.api_base}/api/campaigns/<id>/status {{"status": "running"}}'
        )
