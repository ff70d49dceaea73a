"""WebSub: pings reach a real local HTTP server, once per changed feed."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from syndicate.config import load_config
from syndicate.feeds.websub import ping

from .conftest import NOW, RunCli, copy_fixture
from .test_feeds import build


def hub_site(tmp_path: Path, hub: str) -> Path:
    root = copy_fixture("feedsite", tmp_path / "feedsite")
    config = root / "config.toml"
    config.write_text(config.read_text().replace("https://hub.example.com/", hub))
    return root


def recording_hub(httpserver: HTTPServer, status: int = 204) -> list[dict[str, list[str]]]:
    received: list[dict[str, list[str]]] = []

    def handler(request: Request) -> Response:
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        received.append(parse_qs(request.get_data(as_text=True)))
        return Response(status=status)

    httpserver.expect_request("/hub", method="POST").respond_with_handler(handler)
    return received


def test_ping_sends_one_post_per_changed_feed(httpserver: HTTPServer, tmp_path: Path) -> None:
    received = recording_hub(httpserver)
    root = hub_site(tmp_path, httpserver.url_for("/hub"))
    build(root)
    config = load_config(root / "config.toml")
    first = ping(config)
    assert not first.failed
    urls = sorted(r["hub.url"][0] for r in received)
    assert all(r["hub.mode"] == ["publish"] for r in received)
    assert "https://fixture.example.net/blog/rss.xml" in urls
    assert "https://fixture.example.net/blog/tags/intro/feed.json" in urls
    assert len(urls) == len(set(urls)) == 3 * 4  # site, one series, two tags

    received.clear()
    assert ping(config).sent == [] and received == []  # nothing changed, nothing sent

    post = root / "content/posts/second.md"
    post.write_text(post.read_text().replace("Second, with", "Second, now with"))
    build(root)
    ping(config)
    changed = sorted(r["hub.url"][0] for r in received)
    assert changed == sorted(
        f"https://fixture.example.net/blog/{folder}{name}"
        for folder in ("", "series/basics/", "tags/python/")
        for name in ("rss.xml", "atom.xml", "feed.json")
    )


def test_failed_pings_are_reported_and_retried_next_time(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    received = recording_hub(httpserver, status=503)
    root = hub_site(tmp_path, httpserver.url_for("/hub"))
    build(root)
    config = load_config(root / "config.toml")
    result = ping(config)
    assert result.sent == [] and len(result.failed) == 12
    assert "HTTP 503" in result.failed[0][1]
    httpserver.clear()
    received = recording_hub(httpserver, status=202)
    assert len(ping(config).sent) == 12 and len(received) == 12


def test_ping_command_and_unreachable_hub_is_not_fatal(run_cli: RunCli, tmp_path: Path) -> None:
    root = hub_site(tmp_path, "http://127.0.0.1:9/hub")  # the discard port: nothing listens
    result = run_cli("build", "--ping", "--now", NOW, cwd=root)
    assert result.returncode == 0, result.stderr
    assert (
        "hub did not accept https://fixture.example.net/blog/rss.xml: ConnectError" in result.stderr
    )
    assert "websub: 0 pinged, 0 unchanged, 12 failed" in result.stdout
    # Five shown, the others counted in one line (they stopped at five, with no such line)
    assert result.stderr.count("warning: hub did not accept") == 5
    assert "…and 7 more: hub did not accept" in result.stderr
