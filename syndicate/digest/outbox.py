"""A rendered digest <-> its outbox folder, outbox/<id>/, which a transport sends from.

Apart from the web version (`webcopy`), which imports the feed writers: `send` reads a digest
back from here and needs none of them."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import datetime
from pathlib import Path

from ..config import Config
from ..errors import UsageError
from ..model import Email
from ..output import atomic_write
from .archive import WEB_VERSION


def summary_json(mail: Email) -> bytes:
    return (json.dumps(dict(mail.summary), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_outbox(config: Config, mail: Email, web_html: str) -> Path:
    """Write outbox/<id>/ (each file atomically), with the web version `web_html`; returns the
    folder."""
    folder = config.outbox_dir / mail.digest_id
    contents = {
        "email.html": mail.html.encode("utf-8"),
        "email.txt": mail.text.encode("utf-8"),
        "message.eml": mail.message,
        "digest.json": summary_json(mail),
        WEB_VERSION: web_html.encode("utf-8"),
    }
    for name, data in contents.items():
        target = folder / name
        if not (target.is_file() and target.read_bytes() == data):
            atomic_write(target, data)
    return folder


def read_outbox(config: Config, digest_id: str | None) -> Email:
    """The rendered digest in outbox/<id>/ (the newest one when `digest_id` is None)."""
    folder = _outbox_folder(config, digest_id)
    try:
        summary = json.loads((folder / "digest.json").read_text(encoding="utf-8"))
        message = (folder / "message.eml").read_bytes()
        html_text = (folder / "email.html").read_text(encoding="utf-8")
        text = (folder / "email.txt").read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise UsageError(
            f"{folder}: the rendered digest is incomplete ({exc})",
            "render it again with `syndicate digest`",
        ) from None
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    return Email(
        digest_id=summary["id"],
        period_start=datetime.fromisoformat(summary["period"]["start"]),
        period_end=datetime.fromisoformat(summary["period"]["end"]),
        subject=summary["subject"],
        preheader=summary.get("preheader", ""),
        sender=str(parsed["From"]),
        to=str(parsed["To"]) if parsed["To"] else None,
        html=html_text,
        text=text,
        message=message,
        web_url=summary["web_url"],
        posts=(),
        summary=summary,
    )


def _outbox_folder(config: Config, digest_id: str | None) -> Path:
    root = config.outbox_dir
    if digest_id:
        folder = root / digest_id
        if not (folder / "digest.json").is_file():
            raise UsageError(
                f"no rendered digest {digest_id} in {root}",
                f"render it first: syndicate digest --week {digest_id}"
                if "-W" in digest_id
                else "render it first with `syndicate digest`",
            )
        return folder
    found = sorted(
        (p.parent for p in root.glob("*/digest.json")),
        key=lambda p: json.loads((p / "digest.json").read_text(encoding="utf-8"))["period"]["end"],
    )
    if not found:
        raise UsageError(
            f"no rendered digest in {root}", "render one first with `syndicate digest`"
        )
    return found[-1]
