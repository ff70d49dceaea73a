"""Feed files -> WebSub pings: tell the hub which feeds changed since the last successful ping.

One form-encoded POST (`hub.mode=publish`, `hub.url=<feed URL>`) per changed feed, as hubs in
common use expect. The last pinged content of each feed is remembered in the state folder, so a
ping after an unchanged build sends nothing, and a failed ping is tried again next time.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import field
from pathlib import Path

import httpx

from .. import __version__
from ..config import PLACEHOLDER, Config, FeedFormat, legacy_path
from ..datatype import datatype
from ..output import atomic_write, read_manifest
from .channels import feed_languages, published_url

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


@datatype(frozen=False)
class PingResult:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0


def published_feeds(config: Config) -> dict[str, Path]:
    """URL -> file of every feed the last build wrote (archives excluded: they are not topics)."""
    root = config.output_dir
    names = {config.feeds.filenames.for_format(f) for f in config.feeds.formats}
    legacy = {legacy_path(name, fmt): name for name, fmt in config.feeds.legacy.items()}
    addresses = [_address_match(pattern, e.format) for pattern, e in config.feeds.addresses.items()]
    languages = feed_languages(config)
    feeds: dict[str, Path] = {}
    for rel, owner in sorted(read_manifest(root).items()):
        if owner != "build" or "archive/" in rel:
            continue
        address = next((m for m in addresses if m[0].fullmatch(rel)), None)
        if rel in legacy:
            feeds[config.base_url + legacy[rel]] = root / rel
        elif address is not None:  # served at its folder when its pattern ends in "/"
            url = rel.removesuffix(address[1])
            feeds[published_url(languages, config.base_url, url, escape=True)] = root / rel
        elif rel.rsplit("/", 1)[-1] in names:
            feeds[published_url(languages, config.base_url, rel)] = root / rel
    return feeds


def _address_match(pattern: str, fmt: FeedFormat) -> tuple[re.Pattern[str], str]:
    """The files an address pattern names (a term or section is one path segment), and the
    index file name its URL leaves out."""
    rel = legacy_path(pattern, fmt)
    parts = PLACEHOLDER.split(rel)  # literal, name, literal, ...
    regex = "".join(re.escape(p) if i % 2 == 0 else "[^/]+" for i, p in enumerate(parts))
    return re.compile(regex), rel.removeprefix(pattern) if pattern.endswith("/") else ""


def _state_path(config: Config) -> Path:
    return config.state_dir / "websub.json"


def _load_state(config: Config) -> dict[str, str]:
    try:
        data = json.loads(_state_path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("hub") != config.feeds.hub:
        return {}  # a new hub knows nothing yet
    feeds = data.get("feeds", {})
    return {str(k): str(v) for k, v in feeds.items()} if isinstance(feeds, dict) else {}


def ping(config: Config, transport: httpx.BaseTransport | None = None) -> PingResult:
    """Notify the configured hub of every feed whose bytes changed since the last ping."""
    hub = config.feeds.hub
    assert hub is not None, "ping needs feeds.hub"
    state = _load_state(config)
    result = PingResult()
    headers = {"User-Agent": f"syndicate/{__version__}"}
    with httpx.Client(
        timeout=TIMEOUT, follow_redirects=False, headers=headers, transport=transport
    ) as client:
        for url, path in published_feeds(config).items():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if state.get(url) == digest:
                result.unchanged += 1
                continue
            error = _post(client, hub, url)
            if error is None:
                state[url] = digest
                result.sent.append(url)
            else:
                result.failed.append((url, error))
    document = {"hub": hub, "feeds": dict(sorted(state.items()))}
    atomic_write(_state_path(config), (json.dumps(document, indent=1) + "\n").encode())
    return result


def _post(client: httpx.Client, hub: str, url: str) -> str | None:
    try:
        response = client.post(hub, data={"hub.mode": "publish", "hub.url": url})
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"
    if response.is_success:
        return None
    return f"HTTP {response.status_code}: {response.text[:200].strip()}"
