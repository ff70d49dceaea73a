"""`syndicate serve` end to end, and the preview page in a real headless Chromium."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate import output, serve
from syndicate.build import Site, choose_period, load_site, make_digest, write_feeds
from syndicate.config import Config, load_config
from syndicate.dates import resolve_now
from syndicate.incremental import quick_rebuild
from syndicate.model import Artifact
from syndicate.serve import Preview, index_page, open_server

from .conftest import NOW, REPO, RunCli, SiteDir, examples, run_program
from .fresh_process import in_a_fresh_process
from .local_templates import this_trees_templates  # noqa: F401
from .servers import free_port
from .test_digest_languages import (
    LANGUAGES,
    WEEK,
    load_languages,
    multilingual,  # noqa: F401  (a fixture, found by its name)
    site_settings,
    titles,
    write_site,
)
from .test_existing_site_feeds import BUILT, _init
from .test_existing_site_feeds import FIXTURES as EXISTING
from .test_sites_hugo import (
    ELSEWHERE,
    ELSEWHERE_CONFIG,
    LINKED,
    OWN_CONFIG,
    SHARING,
    SHARING_CONFIG,
    TARGET,
    make_site,
    post,
)

MEDIA = {
    "rss.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
    "tags/python/rss.xml": "application/rss+xml",
    "series/scientific-studies/feed.json": "application/feed+json",
    "feeds.opml": "text/x-opml",
    "index.xml": "application/rss+xml",
    "feed.xml": "application/atom+xml",
}


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


class Server:
    def __init__(self, root: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "syndicate", "serve", "--port", str(self.port), *extra],
            cwd=root,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(self.url + "/_preview/version", timeout=2)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("the server did not start")

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30)

    def wait_for(self, path: str, text: str, seconds: float = 30) -> str:
        deadline = time.monotonic() + seconds
        body = ""
        while time.monotonic() < deadline:
            body = self.get(path).text
            if text in body:
                return body
            time.sleep(0.3)
        raise AssertionError(f"{text!r} never appeared in {path}")

    def version(self) -> str:
        return self.get("/_preview/version").text

    def rebuilt_after(self, change: Callable[[], object], seconds: float = 60) -> None:
        """Make `change`, then wait for the rebuilds it starts to end: the version moved,
        then stayed for a second (an editor's save may come in two batches)."""
        before = self.version()
        change()
        deadline = time.monotonic() + seconds
        while (current := self.version()) == before:
            assert time.monotonic() < deadline, "no rebuild after the change"
            time.sleep(0.05)
        quiet = time.monotonic()
        while time.monotonic() - quiet < 1.0:
            time.sleep(0.1)
            if (now := self.version()) != current:
                current, quiet = now, time.monotonic()

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        try:
            out, _ = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()  # a server that outlives its test keeps watching and serving
            self.proc.communicate()
            raise
        return self.proc.returncode, out


@pytest.fixture
def server(sample_site: Path) -> Iterator[Server]:
    srv = Server(sample_site)
    yield srv
    if srv.proc.poll() is None:
        srv.stop()


@pytest.mark.slow
def test_serves_every_feed_with_its_media_type(server: Server) -> None:
    for path, media in MEDIA.items():
        response = server.get("/" + path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].split(";")[0] == media, path
    assert "<script" not in server.get("/rss.xml").text  # built files are never touched
    root = httpx.get(server.url + "/", timeout=10)
    assert root.status_code == 302 and root.headers["location"] == "/_preview/"
    assert server.get("/nope.xml").status_code == 404
    assert server.get("/../config.toml").status_code == 404


@pytest.mark.slow
def test_a_folder_address_serves_its_index_page(run_cli: RunCli, sample_site: Path) -> None:
    """The digest's web copy is published at a folder address (`.../digests/2024-W44/`): the
    preview serves the folder's index.html, as the site's web server would."""
    assert run_cli("digest", "--week", "2024-W44", cwd=sample_site).returncode == 0
    srv = Server(sample_site)
    try:
        for path in ("/digests/", "/digests/2024-W44/", "/digests/2024-W44"):
            response = srv.get(path)
            assert response.status_code == 200, path
            assert response.headers["content-type"] == "text/html; charset=utf-8", path
        assert "<html" in srv.get("/digests/2024-W44/").text
        assert srv.get("/tags/python/").status_code == 404  # no index in that folder
    finally:
        srv.stop()


@pytest.mark.slow
def test_preview_pages(server: Server) -> None:
    page = server.get("/_preview/?week=2024-W44").text
    assert "Digest 2024-W44" in page and "Subject:" in page and "KB" in page
    assert page.count('class="digest"') == 4 and "/_preview/version" in page
    assert "Fibromyalgia might be an autoimmune disease" in page  # the text part
    feed = server.get("/_preview/feed?path=tags/python/atom.xml").text
    assert "Slow Data — Tag: python" in feed and "Python in practice" in feed
    opml = server.get("/_preview/opml").text
    assert (
        "Slow Data — all feeds" in opml
        and "https://slowdata.example.org/tags/python/atom.xml" in opml
    )
    dark = server.get("/_preview/digest.html?week=2024-W44&dark=1").text
    assert "prefers-color-scheme" not in dark and "#161616 !important" in dark


@pytest.mark.slow
def test_rebuilds_on_change_and_survives_a_broken_post(server: Server, sample_site: Path) -> None:
    post = sample_site / "content/posts/raw-html-and-embeds.md"
    post.write_text(
        post.read_text().replace("what survives the sanitizer", "what the sanitizer keeps")
    )
    server.wait_for("/rss.xml", "what the sanitizer keeps")
    (sample_site / "content/posts/broken.md").write_text("---\ntitle: [unclosed\n---\n")
    page = server.wait_for("/_preview/", 'id="error"')
    assert "broken.md" in page and "invalid YAML" in page
    assert "what the sanitizer keeps" in server.get("/rss.xml").text  # still serving
    code, out = server.stop()
    assert code == 0 and "stopped" in out


def test_port_in_use_is_a_clear_error(run_cli: RunCli, sample_site: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port), cwd=sample_site)
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use; choose another with --port" in result.stderr


CHROMEDRIVER = shutil.which("chromedriver")


@pytest.mark.slow
@pytest.mark.skipif(
    CHROMEDRIVER is None,
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)
def test_preview_in_a_real_browser(server: Server, sample_site: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(server.url + "/_preview/?week=2024-W44")

        def four_frames(d: webdriver.Chrome) -> list[Any] | bool:
            # The page reloads itself when the build's version moves: a machine under load may
            # still be finishing the first build's writes, and a page mid-reload has fewer.
            found = d.find_elements(By.CSS_SELECTOR, "iframe.digest")
            return found if len(found) == 4 else False

        frames = WebDriverWait(driver, 20).until(four_frames)
        assert [f.get_attribute("width") for f in frames] == ["600", "600", "375", "375"]
        assert [f.get_attribute("title") for f in frames] == [
            f"digest, {w} px, {colours}" for w in (600, 375) for colours in ("light", "dark")
        ]
        for frame in (frames[0], frames[2]):  # 600 px and 375 px both render the digest
            width = int(frame.get_attribute("width") or 0)
            driver.switch_to.frame(frame)
            titles = WebDriverWait(driver, 20).until(
                lambda d: d.find_elements(By.CLASS_NAME, "post-title")
            )
            assert "Python in practice: test against real servers, not mocks" in titles[0].text
            assert (
                driver.execute_script("return document.documentElement.scrollWidth") <= width + 20
            )
            driver.switch_to.default_content()
        driver.execute_script("window.__before_change = true")
        post = sample_site / "content/posts/testing-against-real-servers.md"
        post.write_text(
            post.read_text().replace(
                "test against real servers, not mocks", "real servers beat mocks"
            )
        )
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return window.__before_change") is None
        )
        assert "real servers beat mocks" in driver.page_source
    finally:
        driver.quit()


def test_the_terminal_shows_the_errors_the_page_shows(sample_site: Path) -> None:
    (sample_site / "content/posts/broken.md").write_text("---\ntitle: [unclosed\n---\n")
    config = load_config(sample_site / "config.toml")
    said: list[str] = []
    preview = Preview(config, lambda: load_site(config, NOW, {}, use_cache=False), say=said.append)
    printed = preview.rebuild()
    page = lxml.html.fromstring(index_page(preview, "2024-W99"))
    build_error = page.get_element_by_id("error").text_content()
    assert build_error.startswith("content/posts/broken.md:")  # relative to the site, as printed
    assert build_error in printed
    digest_error = page.find_class("error")[1].text_content()
    assert said == [f"digest 2024-W99: {digest_error}"]
    index_page(preview, "2024-W99")  # the page polled again: said once per build
    assert len(said) == 1


@contextlib.contextmanager
def _serving(preview: Preview) -> Iterator[int]:
    """`serve`'s HTTP server for the preview, on a free port, for the length of the block."""
    server = open_server(preview, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


def test_a_week_past_the_calendar_is_a_message_not_a_dropped_connection(
    sample_site: Path,
) -> None:
    config = load_config(sample_site / "config.toml")
    said: list[str] = []
    preview = Preview(config, lambda: load_site(config, NOW, {}, use_cache=False), say=said.append)
    preview.rebuild()
    page = lxml.html.fromstring(index_page(preview, "9999-W52"))
    assert page.find_class("error")[0].text_content() == said[0].removeprefix("digest 9999-W52: ")
    with _serving(preview) as port:
        url = f"http://127.0.0.1:{port}/_preview/digest.html?week=9999-W52"
        assert httpx.get(url, timeout=10).status_code == 400


def _not_built() -> Site:
    raise AssertionError("these pages need no build")


def _reset(port: int, sent: bytes) -> None:
    """A reader that sends `sent` and goes away with a reset, as a cancelled request does."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(sent)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_a_reader_that_goes_away_is_not_a_traceback_in_the_terminal(
    sample_site: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    said: list[str] = []
    preview = Preview(load_config(sample_site / "config.toml"), _not_built, say=said.append)
    with _serving(preview) as port:
        _reset(port, b"GET /_preview/ HT")  # in the middle of the request line
        _reset(port, b"GET /_preview/version HTTP/1.1\r\nHost: x\r\n\r\n")  # before reading
        time.sleep(0.5)  # the server's threads meet the resets
        url = f"http://127.0.0.1:{port}/_preview/version"
        assert httpx.get(url, timeout=10).text == "0"  # and it goes on serving
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err, err
    assert said == []


def test_a_bug_in_a_page_is_one_line_where_the_preview_tells_errors(
    sample_site: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(preview: Preview) -> bytes:
        raise RuntimeError("boom")

    monkeypatch.setattr(serve, "opml_page", broken)
    said: list[str] = []
    preview = Preview(load_config(sample_site / "config.toml"), _not_built, say=said.append)
    with _serving(preview) as port, contextlib.suppress(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}/_preview/opml", timeout=10)
    assert said == [
        "internal error answering a request: RuntimeError: boom "
        "(a bug in syndicate: please report it)"
    ]
    assert "Traceback" not in capfd.readouterr().err


def _preview_now(config: Config) -> Preview:
    """A preview of the site in this process, at NOW."""
    return Preview(
        config, lambda: load_site(config, NOW, {}), clock=lambda tz: resolve_now(NOW, {}, tz)
    )


def _with_hugo_syntax(site: Path) -> Path:
    """The site's config file, its posts now read with Hugo's template syntax."""
    config_file = site / "config.toml"
    config_file.write_text(
        config_file.read_text(encoding="utf-8") + '\n[markdown]\ntemplate_syntax = "hugo"\n',
        encoding="utf-8",
    )
    return config_file


def _published(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def record_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every `os.fork` from now on (it still forks)."""
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forks


def preview_of(config: Config) -> Preview:
    return Preview(config, lambda: load_site(config, NOW, {}, use_cache=False, workers=2))


def rebuild_at_start_up(root: str) -> dict[str, object]:
    """`serve`'s first build, before its threads start (in a process of its own)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        forks = record_forks(monkeypatch)
        said = preview_of(load_config(Path(root) / "config.toml")).rebuild()
    return {"said": said, "forks": forks}


@pytest.mark.slow  # two builds of 90-odd posts, one in a fresh process; test_pool.py has the rule
def test_rebuilds_beside_the_watcher_thread_do_not_fork_and_match_a_forked_build(
    sample_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild runs on the watcher's thread while the HTTP server runs: forking then could
    leave a worker stuck on a lock another thread held, so the pool works serially, to the
    same bytes as a build whose workers were forked."""
    for n in range(80):  # enough posts for the pool to use workers
        (sample_site / f"content/posts/generated-{n}.md").write_text(
            f"---\ntitle: Generated {n}\ndate: 2024-10-{1 + n % 28:02d}T08:00:00Z\n"
            f"tags: [t{n % 7}]\n---\nText of post {n}, with *emphasis*.\n"
        )
    first = in_a_fresh_process(rebuild_at_start_up, str(sample_site))
    assert first["said"].startswith("rebuilt:"), first["said"]
    assert first["forks"], "the first build did not use workers"
    config = load_config(sample_site / "config.toml")
    forked = _published(config.output_dir)
    shutil.rmtree(config.output_dir)
    shutil.rmtree(config.state_dir, ignore_errors=True)
    forks = record_forks(monkeypatch)
    preview = preview_of(config)
    said: list[str] = []
    with _serving(preview):
        watcher = threading.Thread(target=lambda: said.append(preview.rebuild()))
        watcher.start()
        watcher.join(timeout=120)
    assert said and said[0].startswith("rebuilt:"), said
    assert forks == []
    assert _published(config.output_dir) == forked


def test_an_unreadable_source_date_epoch_shows_as_a_message_not_an_internal_error(
    sample_site: Path,
) -> None:
    config = load_config(sample_site / "config.toml")
    preview = Preview(config, lambda: load_site(config, None, {"SOURCE_DATE_EPOCH": "soon"}))
    printed = preview.rebuild()
    assert "internal error" not in printed
    assert "SOURCE_DATE_EPOCH='soon' is not a number of seconds since 1970" in printed


def _edit(path: Path, old: str, new: str) -> Callable[[], None]:
    def change() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def _saved_as_an_editor_does(path: Path, old: str, new: str) -> Callable[[], None]:
    """A save through a temporary file renamed over the post, as many editors make it."""

    def change() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        temporary = path.with_name("4913")  # vim's probe file, then its write and rename
        temporary.write_text(text.replace(old, new, 1), encoding="utf-8")
        temporary.rename(path)

    return change


@pytest.mark.slow  # a dozen rebuilds under a real `serve`, and a fresh build to compare
def test_edits_under_serve_write_the_bytes_of_a_fresh_build(
    sample_site: Path, tmp_path: Path
) -> None:
    """Edits of a post's text and title are applied to the site serve keeps in memory; tags,
    dates, drafts, new and deleted posts take the full build; after each, the output folder is
    what a fresh `syndicate build` of the same files writes."""
    posts = sample_site / "content/posts"
    steps: list[tuple[str, Callable[[], object]]] = [
        ("text", _edit(posts / "raw-html-and-embeds.md", "Posts may contain", "Posts can hold")),
        ("title", _edit(posts / "sleep-and-memory.md", "Sleep spindles &", "Spindles &")),
        ("tag", _edit(posts / "raw-html-and-embeds.md", "tags: [python,", "tags: [pythonic,")),
        ("date", _edit(posts / "compost-in-a-small-yard.md", "2024-10-31T", "2024-11-14T")),
        ("draft", _edit(posts / "draft-winter-planting.md", "draft: true", "draft: false")),
        (
            "added",
            lambda: (posts / "a-new-post.md").write_text(
                "---\ntitle: A new post\ndate: 2024-11-15T10:00:00Z\ntags: [soil]\n---\n"
                "Fresh *text*.\n",
                encoding="utf-8",
            ),
        ),
        ("deleted", (posts / "reading-a-preprint.md").unlink),
        ("text after full builds", _edit(posts / "a-new-post.md", "Fresh", "Newer")),
        (
            "saved through a temporary file",
            _saved_as_an_editor_does(posts / "compost-in-a-small-yard.md", "pallets", "crates"),
        ),
    ]
    server = Server(sample_site, "--now", NOW)
    try:
        for name, change in steps:
            server.rebuilt_after(change)
            assert 'id="error"' not in server.get("/_preview/").text, name
    finally:
        code, said = server.stop()
    assert code == 0, said
    # Text, title, text, the editor's save. A change the watcher handed over in two batches
    # (under load, a file's creation and its write) adds a second pass that writes nothing.
    applied = [
        name
        for name, written in re.findall(
            r"^rebuilt in memory \(([^)]*)\):.*?(\d+) written", said, re.M
        )
        if written != "0"
    ]
    assert applied == [
        "raw-html-and-embeds.md",
        "sleep-and-memory.md",
        "a-new-post.md",
        "compost-in-a-small-yard.md",
    ], said
    fresh = tmp_path / "fresh"
    shutil.copytree(sample_site, fresh, ignore=shutil.ignore_patterns("public", ".syndicate"))
    built = run_program("build", "--now", NOW, "--no-cache", cwd=fresh)
    assert built.returncode == 0, built.stderr
    served = _published(sample_site / "public")
    assert served == _published(fresh / "public")
    assert "Posts can hold" in served["rss.xml"].decode()


def test_an_edit_in_memory_is_written_before_the_version_moves_and_files_beside_posts_are_not(
    sample_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = load_config(sample_site / "config.toml")
    preview = _preview_now(config)
    preview.rebuild()
    seen: list[tuple[str, int]] = []  # each file written, and the version a page saw then
    write_one = output.write_one

    def recorded(targets: output.Targets, artifact: Artifact, flush_new: bool) -> bool:
        written = write_one(targets, artifact, flush_new)
        seen.append((artifact.path, preview.version))
        return written

    monkeypatch.setattr(output, "write_one", recorded)
    post = sample_site / "content/posts/sleep-and-memory.md"
    _edit(post, "Sleep spindles &", "Spindles &")()
    version = preview.version
    assert preview.rebuild({str(post)}).startswith("rebuilt in memory (sleep-and-memory.md)")
    assert "rss.xml" in dict(seen) and {v for _, v in seen} == {version}  # written, then told
    assert preview.version == version + 1
    assert "Spindles &amp; memory" in index_page(preview, "2024-W45").decode()  # the digest too
    version = preview.version
    said = preview.rebuild({str(sample_site / "content/posts/.sleep-and-memory.md.swp")})
    assert "nothing rebuilt" in said and preview.version == version
    beside = sample_site / "content/posts/seed-library/seeds.jpg"  # in a page bundle
    beside.unlink()
    assert preview.rebuild({str(beside)}).startswith("rebuilt: ")
    (sample_site / "content/posts/notes.txt").write_text("not a post", encoding="utf-8")
    assert preview.rebuild({str(sample_site / "content/posts/notes.txt")}).startswith("rebuilt: ")


def test_repeated_edits_in_memory_keep_one_unsaved_version_of_a_posts_html(
    sample_site: Path,
) -> None:
    """The build cache's journal, written again at every edit, holds the post's HTML once,
    not once per save."""
    config = load_config(sample_site / "config.toml")
    preview = _preview_now(config)
    preview.rebuild()
    post = sample_site / "content/posts/raw-html-and-embeds.md"
    for n in range(3):
        _edit(post, "Posts may contain", f"Posts (take {n}) may contain")()
        assert preview.rebuild({str(post)}).startswith("rebuilt in memory")
        _edit(post, f"Posts (take {n}) may contain", "Posts may contain")()
    assert preview.site is not None and preview.site.cache is not None
    cache = preview.site.cache
    unsaved = [k for k in cache.html if k not in cache.base_html and "raw-html-and-embeds" in k]
    assert len(unsaved) == 1, unsaved


@pytest.mark.slow  # a fresh build in a process of its own to compare with
def test_edits_in_memory_on_a_site_with_shortcodes_write_the_bytes_of_a_fresh_build(
    sample_site: Path, tmp_path: Path
) -> None:
    """A `ref` gives the permalink of the post it names, which an edit applied in memory
    keeps; a shortcode error in the edit takes the full build, which reports it."""
    config_file = _with_hugo_syntax(sample_site)
    posts = sample_site / "content/posts"
    referring = posts / "compost-in-a-small-yard.md"
    _edit(referring, "We used two", 'See [sleep]({{< ref "sleep-and-memory.md" >}}). We used two')()
    config = load_config(config_file)
    preview = _preview_now(config)
    assert preview.rebuild().startswith("rebuilt: ")
    _edit(referring, "We used two", "We used a pair of")()
    assert preview.rebuild({str(referring)}).startswith("rebuilt in memory")
    named = posts / "sleep-and-memory.md"
    _edit(named, "Sleep spindles &", "Spindles &")()
    assert preview.rebuild({str(named)}).startswith("rebuilt in memory")
    fresh = tmp_path / "fresh"
    shutil.copytree(sample_site, fresh, ignore=shutil.ignore_patterns("public", ".syndicate"))
    built = run_program("build", "--now", NOW, "--no-cache", cwd=fresh)
    assert built.returncode == 0, built.stderr
    assert _published(sample_site / "public") == _published(fresh / "public")
    _edit(referring, "sleep-and-memory.md", "no-such-post.md")()
    said = preview.rebuild({str(referring)})
    assert said.startswith("content/posts/compost-in-a-small-yard.md:") and "rebuilt: " in said


@pytest.mark.usefixtures("multilingual")
def test_the_preview_digest_lists_what_the_digest_command_lists_on_a_multilingual_site(
    site: SiteDir,
) -> None:
    """The default language's posts only, a translated post once, in the default edition."""
    config = load_config(write_site(site, '[digest]\nfrom = "T <t@example.com>"\n'))
    preview = Preview(config, lambda: load_languages(config, now=NOW, env={}))
    preview.rebuild()
    assert preview.site is not None
    shown = preview.digest(WEEK)
    made = make_digest(preview.site, choose_period(config, preview.site.now, week=WEEK)).result
    assert shown is not None and made is not None
    assert titles(shown.email.summary) == ["Field Notes", "Our Trip"]
    assert shown.email.html == made.email.html and shown.email.text == made.email.text


def test_the_preview_lists_the_digests_feeds_once_a_digest_published_them(
    sample_site: Path, run_cli: RunCli
) -> None:
    config = load_config(sample_site / "config.toml")
    preview = _preview_now(config)
    preview.rebuild()
    assert "path=digests/" not in index_page(preview, "2024-W44").decode()
    published = run_cli("digest", "--week", "2024-W44", "--now", NOW, cwd=sample_site)
    assert published.returncode == 0, published.stderr
    page = lxml.html.fromstring(index_page(preview, "2024-W44"))
    [item] = [li for li in page.iter("li") if "path=digests/" in lxml.html.tostring(li).decode()]
    assert [a.get("href") for a in item.iter("a")] == [
        f"{prefix}digests/{name}"
        for name in ("rss.xml", "atom.xml", "feed.json")
        for prefix in ("/_preview/feed?path=", "/")
    ]


def test_a_full_rebuild_puts_back_the_digests_an_emptied_output_folder_lost(
    sample_site: Path, run_cli: RunCli
) -> None:
    """Jekyll and Zola empty the output folder at each build: `syndicate build` puts the
    digests' pages back from the outbox, and serve's full rebuild did not (its output lacked
    digests/ and the feeds page its Newsletter, unlike a fresh build's)."""
    published = run_cli("digest", "--week", "2024-W44", "--now", NOW, cwd=sample_site)
    assert published.returncode == 0, published.stderr
    config = load_config(sample_site / "config.toml")
    preview = _preview_now(config)
    shutil.rmtree(sample_site / "public")
    said = preview.rebuild()
    assert "digests: " in said and "published again from outbox" in said
    assert (sample_site / "public/digests/2024-W44/index.html").is_file()
    assert "digests/rss.xml" in (sample_site / "public/feeds.html").read_text()


@pytest.mark.slow
def test_a_config_saved_by_replacing_it_is_read_again_at_every_save(
    server: Server, sample_site: Path
) -> None:
    """Editors (and `sed -i`) save a file by writing a new one and renaming it over the old:
    the watch stayed on the old file, so only the first such save was seen, and every later
    one (in place too) was missed."""
    config = sample_site / "config.toml"
    for word in ("First", "Second", "Third"):
        text = re.sub(
            r'(?m)^description = "[^"]*"', f'description = "{word} notes"', config.read_text()
        )
        new = config.with_name("config.toml.new")
        new.write_text(text, encoding="utf-8")
        server.rebuilt_after(lambda new=new: os.replace(new, config))
        assert f"<description>{word} notes</description>" in server.get("/rss.xml").text
    config.write_text(config.read_text().replace("Third notes", "In place"), encoding="utf-8")
    server.wait_for("/rss.xml", "<description>In place</description>")


@pytest.mark.slow
def test_an_edit_that_breaks_a_post_keeps_the_last_good_output_served(
    server: Server, sample_site: Path
) -> None:
    """A typo in a post's front matter dropped the post from the preview's feeds and deleted
    the feeds of its terms (`tags/sleep/`): the README says the last good output stays."""
    post = sample_site / "content/posts/sleep-and-memory.md"
    good = post.read_text()
    assert server.get("/tags/sleep/rss.xml").status_code == 200
    server.rebuilt_after(lambda: post.write_text('---\ntitle: "broken\ndate: [\n---\nx\n'))
    page = server.get("/_preview/").text
    assert "sleep-and-memory.md" in page and "still serving the last good output" in page
    assert server.get("/tags/sleep/rss.xml").status_code == 200
    assert "Sleep spindles" in server.get("/rss.xml").text
    server.rebuilt_after(lambda: post.write_text(good.replace("Sleep spindles", "Spindles")))
    assert "<title>" in server.get("/tags/sleep/rss.xml").text
    assert 'id="error"' not in server.get("/_preview/").text


@pytest.mark.slow
def test_a_rebuild_starts_no_other_where_the_output_is_in_the_watched_folder(
    tmp_path: Path,
) -> None:
    """A Jekyll site's posts are in the site's folder, which holds its output (`_site/`) and
    the state folder: each rebuild's writes there started the next, forever, after the first
    edit (a rebuild every 40 ms on a 23-post site)."""
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: T\nurl: https://e.org\n", encoding="utf-8")
    (root / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n', encoding="utf-8")
    post = root / "_posts/2024-01-02-one.md"
    post.write_text("---\ntitle: One\n---\nFirst.\n", encoding="utf-8")
    server = Server(root)
    try:
        server.rebuilt_after(lambda: post.write_text("---\ntitle: Uno\n---\nFirst.\n"), 30)
        time.sleep(2)
        assert "<title>Uno</title>" in server.get("/rss.xml").text
    finally:
        _, out = server.stop()
    rebuilds = [line for line in out.splitlines() if line.startswith("rebuilt")]
    assert len(rebuilds) == 2, out  # the first build, and the edit's


@pytest.mark.slow
def test_a_site_at_a_path_is_served_at_that_path_too(tmp_path: Path) -> None:
    """A site published at https://e.org/blog/ links its feeds at /blog/...: the preview
    answered 404 there, serving the output folder at / only."""
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    config = "title: T\nurl: https://e.org\nbaseurl: /blog\n"
    (root / "_config.yml").write_text(config, encoding="utf-8")
    (root / "syndicate.toml").write_text('[site]\ngenerator = "jekyll"\n', encoding="utf-8")
    (root / "_posts/2024-01-02-one.md").write_text("---\ntitle: One\n---\nx\n")
    server = Server(root)
    try:
        assert "<title>One</title>" in server.get("/blog/rss.xml").text
        assert server.get("/rss.xml").text == server.get("/blog/rss.xml").text
        assert server.get("/blog/nothing.xml").status_code == 404
        (root / "_site/index.html").write_text("<p>the generator's home page</p>")
        home = server.get("/blog/")
        assert home.status_code == 200 and server.get("/blog").text == home.text
        assert server.get("/blogs").status_code == 404
    finally:
        server.stop()


def test_a_config_error_under_serve_is_worded_as_build_words_it(sample_site: Path) -> None:
    """`build` says `error: config.toml: feeds.limit: ...`; serve said the problem bare, with
    the config's absolute path."""
    config = load_config(sample_site / "config.toml")
    preview = Preview(config, lambda: load_site(load_config(sample_site / "config.toml"), NOW, {}))
    preview.rebuild()
    path = sample_site / "config.toml"
    path.write_text(re.sub(r"(?m)^limit = \d+$", 'limit = "twenty"', path.read_text(), count=1))
    said = preview.rebuild()
    assert 'error: config.toml: feeds.limit: expected an integer, got "twenty"' in said
    assert str(sample_site) not in said


def test_an_image_another_bundle_publishes_is_found_under_serve_as_a_fresh_build_finds_it(
    tmp_path: Path,
) -> None:
    """An edit applied in memory is settled among every post, as a full build settles it:
    an image that another page's bundle publishes (Hugo's `images`) is that file, and the
    warning that reading the post alone gave is taken back; an image found nowhere is told."""
    files = {k: v for k, v in ELSEWHERE.items() if "/0102-target/" in k}
    plain = tmp_path / "site/content/posts/plain.md"
    root = make_site(
        tmp_path / "site",
        {
            "hugo.toml": ELSEWHERE_CONFIG,
            "syndicate.toml": OWN_CONFIG,
            **files,
            "content/posts/plain.md": post("Plain", date="2024-02-03"),
        },
    )
    config = load_config(root / "syndicate.toml")
    preview = _preview_now(config)
    assert preview.rebuild().startswith("rebuilt: ")
    _edit(plain, "Body of", "The body of")()
    assert preview.rebuild({str(plain)}).startswith("rebuilt in memory")
    _edit(plain, "date: 2024-02-03\n", "date: 2024-02-03\nimages: [/nowhere.jpg]\n")()
    said = preview.rebuild({str(plain)})
    assert "warning: featured image not found: " in said and "rebuilt in memory" in said, said
    _edit(plain, "/nowhere.jpg", f"/{TARGET}")()
    assert preview.rebuild({str(plain)}).startswith("rebuilt in memory")
    assert preview.site is not None and not preview.site.report.problems
    _edit(plain, "The body of", "And the body of")()
    assert preview.rebuild({str(plain)}).startswith("rebuilt in memory")
    fresh = tmp_path / "fresh"
    shutil.copytree(root, fresh, ignore=shutil.ignore_patterns("public", ".syndicate"))
    fresh_config = load_config(fresh / "syndicate.toml")
    write_feeds(fresh_config, load_site(fresh_config, NOW, {}, use_cache=False, workers=1))
    served = _published(root / "public")
    assert served == _published(fresh / "public")
    assert f'"image": "https://example.org/{TARGET}"' in served["feed.json"].decode()


def test_a_rebuild_tells_the_warnings_an_edit_made_and_not_the_old_ones_again(
    sample_site: Path,
) -> None:
    """`serve` printed a rebuild's errors, never its warnings: a post whose shortcode is
    unknown lost it from the feeds without a word. Each rebuild now tells the warnings that
    are new since the one before, as `build` words them."""
    config_file = _with_hugo_syntax(sample_site)
    post = sample_site / "content/posts/sleep-and-memory.md"
    config = load_config(config_file)
    preview = _preview_now(config)
    assert "warning:" not in preview.rebuild()
    _edit(post, "Forty volunteers", "{{< aside >}}Forty volunteers")()
    said = preview.rebuild({str(post)})
    assert (
        "content/posts/sleep-and-memory.md:" in said
        and "warning: unknown shortcode 'aside' (1 use, the first here)" in said
        and "rebuilt in memory" in said
    ), said
    _edit(post, "volunteers learned", "volunteers studied")()
    said = preview.rebuild({str(post)})
    assert "warning:" not in said and "rebuilt in memory" in said  # said already
    assert "warning:" not in preview.rebuild()
    _edit(post, "{{< aside >}}", "")()
    preview.rebuild({str(post)})
    _edit(post, "Forty volunteers", "{{< aside >}}Forty volunteers")()
    assert "unknown shortcode 'aside'" in preview.rebuild()  # gone, then back: new again


def test_an_edit_in_memory_reports_the_warnings_a_full_build_reports_and_keeps_them_for_build(
    sample_site: Path, run_cli: RunCli
) -> None:
    """Each edit of a post with a warning took the full build. In memory now, its warnings
    replace those it had in the site's report: an unknown shortcode is one warning for the
    site, with its uses counted, and the next `syndicate build` (its quick rebuild, from what
    serve recorded) says what `check` says."""
    config_file = _with_hugo_syntax(sample_site)
    first = sample_site / "content/posts/sleep-and-memory.md"
    second = sample_site / "content/posts/compost-in-a-small-yard.md"
    _edit(first, "Forty volunteers", "{{< aside >}}Forty volunteers")()
    config = load_config(config_file)
    preview = _preview_now(config)
    assert "unknown shortcode 'aside' (1 use, the first here)" in preview.rebuild()
    _edit(second, "We used two", "{{< aside >}}We used two")()
    said = preview.rebuild({str(second)})
    assert "rebuilt in memory" in said and "'aside' (2 uses, the first here)" in said, said
    _edit(first, "{{< aside >}}", "")()
    said = preview.rebuild({str(first)})
    assert "rebuilt in memory" in said and "'aside' (1 use, the first here)" in said, said
    _edit(first, "Forty volunteers", "Forty\x07 volunteers")()  # a warning from reading it
    said = preview.rebuild({str(first)})
    assert "rebuilt in memory" in said and "control character U+0007" in said, said
    assert preview.site is not None
    fresh = load_site(config, NOW, {}, use_cache=False, workers=1)
    assert preview.site.report.problems == fresh.report.problems
    built = run_cli("build", "--now", NOW, cwd=sample_site)
    assert built.returncode == 0 and "'aside' (1 use, the first here)" in built.stderr
    assert "compost-in-a-small-yard.md" in built.stderr and "U+0007" in built.stderr
    _edit(first, "Forty\x07 volunteers", "Forty volunteers")()
    said = preview.rebuild({str(first)})
    assert "rebuilt in memory" in said and "warning" not in said, said
    assert not [p for p in preview.site.report.problems if "U+0007" in p.message]


def test_a_site_without_a_sender_previews_its_feeds_with_no_error_at_each_rebuild(
    sample_site: Path,
) -> None:
    """A site that wants feeds only (no [digest] from, as `init` leaves it) printed `error:
    digest 2020-W33: ... digest.from: missing required key` at every rebuild. The preview's
    digest pane says what to set; the terminal stays quiet."""
    config_file = sample_site / "config.toml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(re.sub(r'(?m)^from = ".*"\n', "", text), encoding="utf-8")
    config = load_config(config_file)
    said: list[str] = []
    preview = Preview(config, lambda: load_site(config, NOW, {}, use_cache=False), say=said.append)
    preview.rebuild()
    page = index_page(preview, "2024-W45").decode()
    assert "The digest needs a sender: set <code>from</code> under <code>[digest]</code>" in page
    assert said == []


def test_the_preview_lists_each_languages_feeds_apart(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each language's site feed had the site's one title (Congo's five languages): the
    preview ran their links together on one line (`Congo: rss · atom · json · rss · atom ·
    json...`), with nothing to say which was which."""
    same = tuple(dataclasses.replace(lang, title="Test Site") for lang in LANGUAGES)
    monkeypatch.setattr(
        "syndicate.config._generator_settings",
        lambda raw, root, env: site_settings(root, same),
    )
    config = load_config(write_site(site, '[digest]\nfrom = "T <t@example.com>"\n'))
    preview = Preview(config, lambda: load_languages(config, now=NOW, env={}))
    preview.rebuild()
    page = lxml.html.fromstring(index_page(preview, WEEK))
    items = [li.text_content() for li in page.get_element_by_id("feeds").iter("li")]
    for item in items:
        assert item.count("rss") <= 2, item  # one feed's formats: its page, then raw
    titled = [item.split(":")[0] for item in items]
    assert {"Test Site (/)", "Test Site (de/)", "Test Site (fr/)"} <= set(titled), titled
    assert len(titled) == len(set(titled)), titled


# Real sites in several languages (tests/fixtures/sites/*/*/NOTES.md), each built as `init` sets
# it up: an edit of a post in any language is applied in memory.
MULTILINGUAL_FIXTURES = ("hugo/ananke-example", "hugo/hextra-docs", "hugo/otel-blog", "zola/tabi")


def _preview_of(site: Path) -> Preview:
    config = load_config(site / "syndicate.toml")
    return Preview(
        config,
        lambda: load_site(config, BUILT, {}),
        clock=lambda tz: resolve_now(BUILT, {}, tz),
    )


def _fresh_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    fresh = tmp_path / "fresh" if tmp_path.exists() else tmp_path
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".syndicate"))
    config = load_config(fresh / "syndicate.toml")
    write_feeds(config, load_site(config, BUILT, {}, use_cache=False, workers=1))
    return _published(fresh / output_folder(fresh))


def output_folder(site: Path) -> str:
    return "public" if (site / "public").is_dir() else "_site"


@pytest.mark.slow  # a real site's builds, in memory and fresh
@pytest.mark.parametrize("name", MULTILINGUAL_FIXTURES)
def test_edits_in_memory_on_a_real_multilingual_site_write_the_bytes_of_a_fresh_build(
    name: str, tmp_path: Path, run_cli: RunCli
) -> None:
    """Every edit under serve on a multilingual site took the full build (ropensci.org, 761
    posts in 5 languages: ~1 s from the save to the preview's version moving). An edit that
    keeps a post's language, translation key and feeds is applied in memory now: its items
    still link its translations by their URLs, which it cannot change."""
    site = _init(EXISTING / name, tmp_path, run_cli)
    preview = _preview_of(site)
    assert preview.rebuild().splitlines()[-1].startswith("rebuilt: ")
    assert preview.site is not None and preview.site.loaded.posts
    posts = preview.site.loaded.posts
    edited = [posts[0], next(p for p in posts if p.language != posts[0].language)]
    for each in edited:
        path = Path(each.source)
        path.write_text(path.read_text(encoding="utf-8") + "\n\nA line added in the preview.\n")
        said = preview.rebuild({str(path)}).splitlines()[-1]
        assert said.startswith(f"rebuilt in memory ({path.name})"), said
        assert " 0 written" not in said, said
    served = _published(site / output_folder(site))
    assert served == _fresh_build(site, tmp_path)
    assert sum("A line added in the preview." in v.decode() for v in served.values()) >= 2


def test_edits_in_memory_of_translations_sharing_a_bundles_files_write_a_fresh_builds_bytes(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A translation's image and links to its bundle's files lead where Hugo publishes them,
    under another translation's address (`resources.settle`), which the edited post, read
    alone, does not know: it is settled among every post, as a full build settles it."""
    root = make_site(tmp_path / "site", {"hugo.toml": SHARING_CONFIG, **SHARING, **LINKED})
    assert run_cli("init", cwd=root).returncode == 0
    preview = _preview_of(root)
    assert preview.rebuild().startswith("rebuilt: ")
    for name in ("shared/index.zh-cn.md", "shared/index.fr.md", "french/index.zh-cn.md"):
        path = root / "content/posts" / name
        path.write_text(path.read_text(encoding="utf-8") + "\n\nAdded.\n", encoding="utf-8")
        said = preview.rebuild({str(path)})
        assert said.startswith("rebuilt in memory") and " 0 written" not in said, said
    served = _published(root / "public")
    assert served == _fresh_build(root, tmp_path)
    shown = json.loads(served["zh-cn/feed.json"])["items"]
    shared = next(i for i in shown if i["url"].endswith("/zh-cn/posts/shared/"))
    assert 'src="https://example.org/posts/shared/feature.jpg"' in shared["content_html"]
    french = next(i for i in shown if i["url"].endswith("/zh-cn/posts/french/"))
    assert french["image"] == "https://example.org/fr/posts/french/feature.fr.jpg"
    # Now the default language's file, not its own: the next `build` (its quick rebuild,
    # after an edit of another post) gives it that, from what serve recorded.
    translation = root / "content/posts/translated/index.zh-cn.md"
    _edit(translation, "images: [cover.jpg]", "featuredImage: cover.jpg")()
    assert preview.rebuild({str(translation)}).startswith("rebuilt in memory")
    _edit(root / "content/posts/french/index.zh-cn.md", "Added.", "Added again.")()  # its feeds
    quick: list[object] = []
    rebuild = quick_rebuild.rebuild
    monkeypatch.setattr(
        quick_rebuild, "rebuild", lambda *a, **k: quick.append(rebuild(*a, **k)) or quick[-1]
    )
    built = run_cli("build", "--now", BUILT, cwd=root)
    assert built.returncode == 0 and quick and quick[0] is not None
    assert _published(root / "public") == _fresh_build(root, tmp_path / "again")
    assert "/posts/translated/cover.jpg" in _published(root / "public")["zh-cn/feed.json"].decode()


def test_edits_in_memory_beside_posts_that_share_a_permalink_write_a_fresh_builds_bytes(
    site: SiteDir, tmp_path: Path
) -> None:
    """Which of two posts keeps a shared permalink or id depends on their dates and paths,
    which an edit applied in memory keeps: the one that kept it is edited in memory; the one
    given `-<section>`, read alone, has the permalink it lost, and takes the full build."""
    site.config(replace=site.config_text.replace("/{section}/{slug}/", "/{slug}/"))
    kept = site.post("posts/hello.md", "---\ntitle: Old\ndate: 2024-01-01\n---\nold\n")
    moved = site.post("notes/hello.md", "---\ntitle: New\ndate: 2024-02-01\n---\nnew\n")
    site.post("posts/given.md", "---\ntitle: Given\ndate: 2024-02-01\nid: fixed\n---\nx\n")
    site.post("notes/given.md", "---\ntitle: Given2\ndate: 2024-02-02\nid: fixed\n---\nx\n")
    config = site.load_config()
    preview = _preview_now(config)
    assert "same id as" in preview.rebuild()  # Given2 is skipped
    for path, text in ((kept, "old"), (moved, "new")):
        path.write_text(path.read_text(encoding="utf-8").replace(text, f"{text}, edited"))
    said = preview.rebuild({str(kept)}).splitlines()[-1]
    assert said.startswith("rebuilt in memory (hello.md)") and " 0 written" not in said, said
    assert preview.rebuild({str(moved)}).splitlines()[-1].startswith("rebuilt: ")
    fresh = tmp_path / "fresh"
    shutil.copytree(site.root, fresh, ignore=shutil.ignore_patterns("public", ".syndicate"))
    fresh_config = load_config(fresh / "config.toml")
    write_feeds(fresh_config, load_site(fresh_config, NOW, {}, use_cache=False, workers=1))
    served = _published(site.root / "public")
    assert served == _published(fresh / "public")
    assert "old, edited" in served["rss.xml"].decode()
    assert "hello-notes" in served["rss.xml"].decode()


def test_an_edit_in_memory_on_a_site_without_template_syntax_replaces_its_warnings(
    sample_site: Path,
) -> None:
    """The site's report holds each post's warnings once: an edit that keeps a warning says
    it once, and one that takes it away leaves none."""
    post = sample_site / "content/posts/sleep-and-memory.md"
    _edit(post, "Forty volunteers", "Forty\x07 volunteers")()
    config = load_config(sample_site / "config.toml")
    preview = _preview_now(config)
    assert "control character U+0007" in preview.rebuild()
    _edit(post, "volunteers learned", "volunteers studied")()
    said = preview.rebuild({str(post)})
    assert said.startswith("rebuilt in memory") and "warning" not in said, said
    assert preview.site is not None
    fresh = load_site(config, NOW, {}, use_cache=False, workers=1)
    assert preview.site.report.problems == fresh.report.problems
    _edit(post, "Forty\x07 volunteers", "Forty volunteers")()
    assert preview.rebuild({str(post)}).startswith("rebuilt in memory")
    assert not [p for p in preview.site.report.problems if "U+0007" in p.message]


# Edits a writer makes, each keeping the post in its feeds: text, a control character (a
# warning of reading it), an unknown shortcode (one warning for the site, its uses counted).
_EDITS = ("\n\nMore text.\n", "\n\nA bell \x07 rings.\n", "\n\n{{< aside >}}An aside.\n")
_EDITED = (
    "compost-in-a-small-yard.md",
    "sleep-and-memory.md",
    "raw-html-and-embeds.md",
    "parsing-dates-in-python.md",
)


@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.booleans(),
    st.lists(
        st.tuples(st.sampled_from(_EDITED), st.sampled_from(_EDITS), st.booleans()),
        min_size=1,
        max_size=5,
    ),
)
def test_after_any_edits_in_memory_the_sites_report_is_a_fresh_loads(
    tmp_path_factory: pytest.TempPathFactory, syntax: bool, edits: list[tuple[str, str, bool]]
) -> None:
    """Whatever edits of posts serve applies in memory, adding warnings or taking them away,
    on a site with template syntax or without, its report is what loading the files afresh
    reports, in the same order."""
    root = tmp_path_factory.mktemp("site")
    for name in ("content", "static"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "config.toml", root / "config.toml")
    config = load_config(_with_hugo_syntax(root) if syntax else root / "config.toml")
    preview = _preview_now(config)
    preview.rebuild()
    for name, text, taken_back in edits:
        post = root / "content/posts" / name
        before = post.read_text(encoding="utf-8")
        after = before.replace(text, "", 1) if taken_back and text in before else before + text
        post.write_text(after, encoding="utf-8")
        preview.rebuild({str(post)})
        assert preview.site is not None
        fresh = load_site(config, NOW, {}, use_cache=False, workers=1)
        assert preview.site.report.problems == fresh.report.problems
