"""Environment faults end in a message and exit 6 (or a warning, for the optional cache), and
the feeds already published stay whole. These really fail under CI, which runs as root: the
disk fills through RLIMIT_FSIZE, and read-only folders are tested from a child that gives up
root's power over file modes first (root ignores them). It drops the capabilities that
override file modes (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) from its bounding set,
so the program it runs never has them; it stays uid 0, because the interpreter may live in a
folder only root can enter (/root/.pyenv). Where that is not allowed it becomes uid 65534."""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree

from syndicate.build import load_site, write_feeds
from syndicate.config import load_config
from syndicate.errors import OutputError
from syndicate.output import TMP_PREFIX

from .conftest import NOW, REPO, RunCli

NOBODY = 65534


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "site"
    shutil.copytree(REPO / "tests/fixtures/feedsite", root)
    yield root
    for path in [root, *root.rglob("*")]:  # the tests leave folders read-only
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)


OVERRIDE_FILE_MODES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
PR_CAPBSET_DROP = 24


def unprivileged() -> None:
    """In the child, before exec: give up root's power over file modes, so they apply."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if all(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0 for cap in OVERRIDE_FILE_MODES):
        return
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def file_size_limit(limit: int) -> Callable[[], None]:
    """In the child, before exec: writes past `limit` bytes fail with EFBIG, as on a full disk
    (SIGXFSZ ignored, or it would kill the process instead)."""

    def apply() -> None:
        unprivileged()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def build(
    root: Path, *args: str, preexec: Callable[[], None] = unprivileged
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(HOME=str(root), PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, "-m", "syndicate", "build", "--now", NOW, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec,
    )


def edit(root: Path, extra: str = "\nMore words.\n") -> None:
    post = root / "content/posts/first.md"
    post.write_text(post.read_text() + extra)


def published(public: Path) -> dict[str, bytes]:
    """Every feed file, each checked whole by a real parser; no temporary file among them."""
    files: dict[str, bytes] = {}
    for path in sorted(public.rglob("*")):
        if not path.is_file():
            continue
        assert not path.name.startswith(TMP_PREFIX), path
        data = path.read_bytes()
        if path.suffix in (".xml", ".xsl", ".opml"):
            etree.fromstring(data)
        elif path.suffix == ".json":
            json.loads(data)
        files[str(path.relative_to(public))] = data
    return files


def read_only(folder: Path) -> None:
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH)


@pytest.mark.slow
def test_a_full_disk_is_exit_6_naming_the_file_and_the_feeds_stay_whole(site: Path) -> None:
    assert build(site).returncode == 0
    before = published(site / "public")
    edit(site, "\n" + "A long paragraph that makes every feed grow. " * 200 + "\n")
    full = build(site, preexec=file_size_limit(8192))
    assert full.returncode == 6, full.stderr
    # The file is named from the site's folder, where the command's messages start.
    assert "error: public/" in full.stderr and "the disk is full" in full.stderr
    assert "Traceback" not in full.stderr
    after = published(site / "public")
    assert set(after) == set(before)  # every file whole: the old bytes, or complete new ones
    assert build(site).returncode == 0  # with room again, the next build completes
    assert "A long paragraph" in (site / "public/rss.xml").read_text()


def test_no_space_left_and_file_too_large_are_both_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = shutil.copytree(REPO / "tests/fixtures/feedsite", tmp_path / "site")
    config = load_config(root / "config.toml")
    for code in (errno.ENOSPC, errno.EFBIG):

        def no_room(src: str, dst: str, code: int = code) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "replace", no_room)
        with pytest.raises(OutputError) as caught:
            write_feeds(config, load_site(config, now=NOW, env={}, use_cache=False))
        assert caught.value.exit_code == 6
        assert "the disk is full" in caught.value.message and str(root) in caught.value.message


@pytest.mark.slow
def test_a_read_only_output_folder_is_exit_6_and_nothing_is_damaged(site: Path) -> None:
    assert build(site).returncode == 0
    before = published(site / "public")
    edit(site)
    read_only(site / "public")
    denied = build(site)
    assert denied.returncode == 6, denied.stderr
    assert "error: public" in denied.stderr and "cannot write" in denied.stderr
    assert "Traceback" not in denied.stderr
    assert published(site / "public").keys() == before.keys()
    assert published(site / "public")["rss.xml"] == before["rss.xml"]


@pytest.mark.slow
def test_a_read_only_state_folder_is_exit_6_after_consistent_feeds(site: Path) -> None:
    assert build(site).returncode == 0
    post = site / "content/posts/fifth.md"
    post.write_text("---\ntitle: Fifth\ndate: 2024-11-01\ntags: [new]\n---\nNew tag, new feeds.\n")
    for folder in (site / ".syndicate/cache", site / ".syndicate"):
        read_only(folder)
    denied = build(site)
    assert denied.returncode == 6, denied.stderr
    assert "error: .syndicate/manifest.json: cannot write" in denied.stderr
    assert "Traceback" not in denied.stderr
    files = published(site / "public")
    assert b"New tag, new feeds." in files["rss.xml"]
    assert "tags/new/rss.xml" in files
    owned = json.loads(files[".syndicate-manifest.json"])["files"]
    assert set(owned) == set(files) - {".syndicate-manifest.json"}


@pytest.mark.slow
def test_a_cache_that_cannot_be_read_or_written_is_a_warning_and_the_build_goes_on(
    site: Path,
) -> None:
    assert build(site).returncode == 0
    cache = site / ".syndicate/cache"
    (cache / "build.bin").chmod(0)
    edit(site, "\nFirst edit.\n")
    unreadable = build(site)
    assert unreadable.returncode == 0, unreadable.stderr
    assert "build cache: cannot read" in unreadable.stderr
    assert "First edit." in (site / "public/rss.xml").read_text()
    read_only(cache)
    edit(site, "\nSecond edit.\n")
    stuck = build(site)
    assert stuck.returncode == 0, stuck.stderr
    assert "build cache: cannot write" in stuck.stderr and "Traceback" not in stuck.stderr
    assert "Second edit." in (site / "public/rss.xml").read_text()


def test_a_ledger_in_a_read_only_state_folder_is_exit_6_and_nothing_is_sent(
    site: Path, run_cli: RunCli
) -> None:
    from syndicate.delivery.ledger import Ledger

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(HOME=str(site), PYTHONDONTWRITEBYTECODE="1")
    assert run_cli("digest", "--week", "2024-W14", "--now", NOW, cwd=site).returncode == 0
    Ledger(site / ".syndicate/state.db").close()
    (site / ".syndicate/state.db.lock").touch()  # a lock left by an earlier run: still usable
    for path in (site / ".syndicate/state.db", site / ".syndicate"):
        path.chmod(0o444 if path.is_file() else 0o555)
    denied = subprocess.run(
        [sys.executable, "-m", "syndicate", "send", "2024-W14"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=unprivileged,
    )
    assert denied.returncode == 6, denied.stderr
    assert "state.db" in denied.stderr and "Traceback" not in denied.stderr
    assert not list((site / "outbox").rglob("sent/*")), "nothing was handed over"


def test_files_written_before_the_manifest_failed_are_ours_next_time(site: Path) -> None:
    # The output's disk full once the documents are written: the manifest there cannot be
    # written, its copy in the state folder can, and the next build owns the files it names.
    (site / "public").mkdir()
    (site / "public" / ".syndicate-manifest.json").mkdir()  # where the manifest cannot go
    first = build(site)
    assert first.returncode == 6, first.stderr
    assert "error: public/.syndicate-manifest.json: cannot write" in first.stderr
    assert (site / "public/rss.xml").is_file()
    (site / "public" / ".syndicate-manifest.json").rmdir()  # space again
    again = build(site)
    assert again.returncode == 0, again.stderr
    assert "rss.xml" in json.loads((site / "public/.syndicate-manifest.json").read_text())["files"]
