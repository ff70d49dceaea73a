"""The output folder holds only what syndicate wrote or was handed, a wrong path or an emptied
site never replaces published feeds, and temporary files never outlive the run that made them.
Every build here is the real command in a subprocess, as cron runs it."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.errors import RefusedError
from syndicate.model import Artifact
from syndicate.output import (
    MANIFEST,
    TMP_PREFIX,
    Place,
    atomic_write,
    write_artifacts,
    write_parts,
)

from .conftest import NOW, RunCli, SiteDir, copy_fixture

FOREIGN = {
    "rss.xml": b"<rss>the user's own feed</rss>\n",
    "feeds.html": b"<html>the user's page</html>\n",
    "tags/alpha/rss.xml": b"<rss>alpha, by hand</rss>\n",
}
BYSTANDERS = {
    "index.html": b"<html>home</html>\n",
    "css/site.css": b"body { color: black }\n",
    "tags/alpha/notes.txt": b"notes\n",
    ".htaccess": b"Options -Indexes\n",
    "tags/index.html": b"<html>all tags</html>\n",
}


def fill(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def hashes(folder: Path) -> dict[str, str]:
    """Every file below `folder` (hidden ones included) and a hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def site_with_home(tmp_path: Path, extra: str = "") -> tuple[Path, Path]:
    """The issue's repro: output_dir = "../home", a folder that already holds the user's files."""
    root = copy_fixture("feedsite", tmp_path / "site")
    config = (root / "config.toml").read_text()
    config = config.replace("[site]\n", '[site]\noutput_dir = "../home"\n', 1)
    (root / "config.toml").write_text(config + extra)
    fourth = root / "content/posts/fourth.md"
    fourth.write_text(fourth.read_text().replace("---\n", "---\ntags: [alpha]\n", 1))
    home = tmp_path / "home"
    home.mkdir()
    return root, home


def build(run_cli: RunCli, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--now", NOW, *args, cwd=root)


def test_a_file_not_ours_in_the_way_stops_the_build_before_anything_is_written(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root, home = site_with_home(tmp_path)
    fill(home, FOREIGN | BYSTANDERS)
    before = hashes(home)
    done = build(run_cli, root)
    assert done.returncode == 1, done.stderr
    for rel in FOREIGN:
        assert rel in done.stderr
    assert "[output] adopt in config.toml" in done.stderr and "--adopt" in done.stderr
    assert "Traceback" not in done.stderr
    assert hashes(home) == before  # not one file written, replaced or deleted
    # The hint names the site's own config file: it said config.toml to a syndicate.toml site.
    (root / "config.toml").rename(root / "syndicate.toml")
    assert "[output] adopt in syndicate.toml" in build(run_cli, root).stderr


def test_a_build_into_a_folder_full_of_foreign_files_changes_none_of_them(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root, home = site_with_home(tmp_path)
    fill(home, BYSTANDERS)
    before = hashes(home)
    assert build(run_cli, root).returncode == 0
    assert (home / "rss.xml").exists()
    after = hashes(home)
    assert {rel: after[rel] for rel in before} == before
    # A later build that drops a whole tag removes its feeds, and nothing of the user's.
    assert (home / "tags/alpha/rss.xml").exists()
    untag(root)
    assert build(run_cli, root).returncode == 0
    final = hashes(home)
    assert {rel: final[rel] for rel in before} == before
    assert not (home / "tags/alpha/rss.xml").exists()


def untag(root: Path) -> None:
    fourth = root / "content/posts/fourth.md"
    fourth.write_text(fourth.read_text().replace("tags: [alpha]\n", ""))


def test_adopted_files_are_replaced_and_become_ours(run_cli: RunCli, tmp_path: Path) -> None:
    root, home = site_with_home(tmp_path, '\n[output]\nadopt = ["rss.xml", "**/rss.xml"]\n')
    fill(home, FOREIGN | BYSTANDERS)
    refused = build(run_cli, root)
    assert refused.returncode == 1 and "feeds.html" in refused.stderr
    assert "rss.xml" not in refused.stderr.replace("tags/alpha/rss.xml", "")  # those are adopted
    handed = build(run_cli, root, "--adopt")
    assert handed.returncode == 0, handed.stderr
    owned = json.loads((home / MANIFEST).read_text())["files"]
    assert {"rss.xml", "feeds.html", "tags/alpha/rss.xml"} <= set(owned)
    assert b"Fixture" in (home / "rss.xml").read_bytes()
    assert b"Fixture" in (home / "tags/alpha/rss.xml").read_bytes()
    untag(root)  # adopted, and no longer written: it is ours to delete
    assert build(run_cli, root).returncode == 0
    assert not (home / "tags/alpha/rss.xml").exists()
    assert (home / "tags/alpha/notes.txt").read_bytes() == BYSTANDERS["tags/alpha/notes.txt"]


def test_adopt_globs_match_whole_paths() -> None:
    place = Place(Path("/x"), adopt=("index.xml", "**/index.xml", "tags/*/feed.json"))
    assert place.adoptable("index.xml") and place.adoptable("a/b/index.xml")
    assert place.adoptable("tags/x/feed.json")
    assert not place.adoptable("tags/x/y/feed.json") and not place.adoptable("rss.xml")
    assert not place.adoptable("a/index.xml.bak")


def test_ownership_and_the_post_count_survive_an_emptied_output_folder(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    assert build(run_cli, root).returncode == 0
    public = root / "public"
    shutil.rmtree(public)  # a generator or a fresh CI runner that starts from nothing
    fill(public, {"rss.xml": b"<rss>written by the generator</rss>\n"})
    # The state folder's copy says rss.xml was ours: taken back, not refused.
    assert build(run_cli, root).returncode == 0
    assert b"Fixture" in (public / "rss.xml").read_bytes()
    shutil.rmtree(public)
    posts = root / "content/posts"
    for name in ("first.md", "second.md", "third.md"):
        (posts / name).rename(root / "content" / name)
    shrunk = build(run_cli, root)
    assert shrunk.returncode == 1
    assert not public.exists()


def test_a_site_under_half_its_last_size_replaces_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    assert build(run_cli, root).returncode == 0
    before = hashes(root / "public")
    posts = root / "content/posts"
    for name in ("first.md", "second.md", "third.md"):  # moved to the top: pages, not posts
        (posts / name).rename(root / "content" / name)
    refused = build(run_cli, root)
    assert refused.returncode == 1
    assert "found 1 posts" in refused.stderr and "the 4 the last build" in refused.stderr
    assert "--allow-shrink" in refused.stderr and "top of it" in refused.stderr
    assert hashes(root / "public") == before
    allowed = build(run_cli, root, "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr
    assert hashes(root / "public") != before


def test_a_missing_content_folder_is_a_configuration_error(run_cli: RunCli, tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    assert build(run_cli, root).returncode == 0
    before = hashes(root / "public")
    config = (root / "config.toml").read_text()
    (root / "config.toml").write_text(
        config.replace("[site]\n", '[site]\ncontent_dir = "contnet"\n')
    )
    for command in (["build"], ["build", "--no-cache"], ["check"]):
        done = run_cli(*command, "--now", NOW, cwd=root)
        assert done.returncode == 2, command
        assert "site.content_dir" in done.stderr and "contnet" in done.stderr
    assert hashes(root / "public") == before


def test_a_first_build_with_no_posts_says_which_files_were_left_out(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    content = root / "content"
    for path in (content / "posts").iterdir():
        path.rename(content / path.name)  # pages
    (content / "posts/_index.md").write_text("---\ntitle: Posts\n---\n")
    (content / "posts/notes.txt").write_text("a post in the wrong format\n")
    done = build(run_cli, root)
    assert done.returncode == 0
    assert "no posts found: 6 files left out by where it is" in done.stderr
    assert "first.md: warning: left out: a page" in done.stderr
    assert "_index.md: warning: left out: a section page (_index)" in done.stderr
    assert "notes.txt: warning: left out: unsupported extension .txt" in done.stderr
    assert "0 posts, 0 drafts skipped, 0 future; 7 warnings" in done.stdout  # not "no problems"
    again = build(run_cli, root)  # nothing changed: the same lines, the same warnings
    assert "nothing changed since the last build" in again.stdout
    assert again.stderr == done.stderr
    assert again.stdout.splitlines()[0] == done.stdout.splitlines()[0]
    quiet = run_cli("build", "--now", NOW, "--quiet", "--no-cache", cwd=root)
    assert quiet.returncode == 0 and quiet.stdout == ""
    assert quiet.stderr == "warning: 6 files skipped; run without --quiet to see why\n"


def test_quiet_still_counts_broken_posts_on_every_path(run_cli: RunCli, tmp_path: Path) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    (root / "content/posts/broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    old = 1_700_000_000
    for path in root.rglob("*.md"):
        os.utime(path, (old, old))  # older than the cache: the shortcut may trust their times
    line = "warning: 1 file skipped; run without --quiet to see why\n"
    for _ in range(3):  # cold, then recording the times, then "nothing changed"
        quiet = run_cli("build", "--now", NOW, "--quiet", cwd=root)
        assert quiet.returncode == 0 and quiet.stderr == line


def test_temporary_files_of_dead_runs_are_removed_and_nothing_else(
    run_cli: RunCli, run_real_cli: RunCli, tmp_path: Path
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    assert build(run_cli, root).returncode == 0
    dead = f"{TMP_PREFIX}999999999-rss.xml.tmp"  # pids never go that high on Linux
    alive = f"{TMP_PREFIX}{os.getpid()}-feed.json.tmp"  # this test's process: still running
    others = [".rss.xml.abc.tmp", "draft.tmp", "syndicate-tmp-1-x"]
    for folder in (root / "public", root / "public/tags/python", root / ".syndicate/cache"):
        for name in (dead, alive, *others):
            (folder / name).write_bytes(b"partial")
    posts = root / "content/posts/first.md"
    posts.write_text(posts.read_text() + "\nMore.\n")
    # A real process: the build must tell its own pid from this test's, which is alive.
    assert build(run_real_cli, root).returncode == 0
    assert not [p for p in (root / "public").iterdir() if p.name.endswith("-writing")]
    for folder in (root / "public", root / "public/tags/python", root / ".syndicate/cache"):
        assert not (folder / dead).exists()
        for name in (alive, *others):
            assert (folder / name).read_bytes() == b"partial"


def test_temporary_files_carry_syndicates_prefix(tmp_path: Path, monkeypatch: object) -> None:
    seen: list[str] = []
    real = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(os.path.basename(src))
        real(src, dst)

    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(os, "replace", spy)
    atomic_write(tmp_path / "rss.xml", b"x")
    assert seen and seen[0].startswith(f"{TMP_PREFIX}{os.getpid()}-")


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names open files by /proc")
def test_a_build_flushes_to_disk_the_files_it_replaces_not_those_it_makes_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that replaces another is flushed to disk before it does, so a power cut leaves
    the old one or the new; one made where there was none replaces nothing, and the next build
    checks its size (test_cache's power-cut test). The manifest, which says which files are
    syndicate's, always is."""
    from syndicate.build import load_site, write_feeds
    from syndicate.config import load_config

    root = copy_fixture("feedsite", tmp_path / "site")
    public = (root / "public").resolve()
    flushed: set[str] = set()
    renamed: dict[str, Path] = {}
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        flushed.add(os.path.realpath(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    def replace(src: str, dst: str | Path) -> None:
        renamed[os.path.realpath(src)] = Path(os.path.realpath(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)

    def build() -> tuple[set[str], set[str]]:
        """The files of the output folder written, and those of them flushed first."""
        flushed.clear()
        renamed.clear()
        config = load_config(root / "config.toml")
        write_feeds(config, load_site(config, now=NOW, env={}, workers=1))
        ours = {
            tmp: dst.relative_to(public).as_posix()
            for tmp, dst in renamed.items()
            if dst.is_relative_to(public)
        }
        return set(ours.values()), {rel for tmp, rel in ours.items() if tmp in flushed}

    written, on_disk = build()
    assert len(written) > 10 and on_disk == {MANIFEST}
    text = root / "content/posts/second.md"
    text.write_text(text.read_text().replace("And this is the rest", "And this is the edit"))
    written, on_disk = build()
    assert "rss.xml" in written and MANIFEST not in written  # the same files: not rewritten
    assert on_disk == written


def test_each_folders_files_are_written_by_one_thread_in_the_order_they_came(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two threads creating files in one folder wait for each other on its lock in the kernel
    (output._Lanes): a folder's files go to one thread, and the folders are shared out among
    a few (from 2 to 8)."""
    import threading

    renamed: list[tuple[int, Path]] = []
    real_replace = os.replace

    def replace(src: str, dst: str | Path) -> None:
        renamed.append((threading.get_ident(), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    names = ["rss.xml", "atom.xml", "feed.json", "extra.xml"]
    artifacts = [
        Artifact(f"tags/t{i}/{name}", f"{i} {name}".encode()) for i in range(40) for name in names
    ]
    write_artifacts(tmp_path, artifacts, "build")
    out = tmp_path.resolve()
    writers: dict[str, set[int]] = {}
    order: dict[str, list[str]] = {}
    for thread, dst in renamed:
        if dst.name != MANIFEST:
            rel = dst.relative_to(out).as_posix()
            writers.setdefault(dst.parent.name, set()).add(thread)
            order.setdefault(dst.parent.name, []).append(rel.rpartition("/")[2])
    assert len(writers) == 40
    assert all(len(threads) == 1 for threads in writers.values())
    assert all(names == order[folder] for folder in order)
    assert 2 <= len(set().union(*writers.values())) <= 8
    for artifact in artifacts:
        assert (tmp_path / artifact.path).read_bytes() == artifact.data


def test_a_file_written_in_parts_is_the_parts_one_after_the_other(tmp_path: Path) -> None:
    target = tmp_path / "cache.bin"
    atomic_write(target, [b"HEAD", b"", bytearray(b"-body-"), memoryview(b"end")])
    assert target.read_bytes() == b"HEAD-body-end"
    atomic_write(target, bytearray(b"whole"))  # one bytes-like object is one part
    assert target.read_bytes() == b"whole"
    assert [p.name for p in tmp_path.iterdir()] == ["cache.bin"]  # no temporary file left


@given(
    parts=st.lists(st.binary(max_size=40), max_size=30),
    most=st.integers(min_value=1, max_value=50),
)
def test_parts_reach_the_file_whole_however_few_bytes_each_gathered_write_takes(
    parts: list[bytes], most: int
) -> None:
    """The system may write fewer bytes than a gathered write (`os.writev`) was given: the rest
    follow, from the part where it stopped."""
    real = os.writev

    def short(fd: int, buffers: list[memoryview]) -> int:
        return real(fd, [b"".join(bytes(b) for b in buffers)[:most]])

    read_end, write_end = os.pipe()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "writev", short)
            write_parts(write_end, parts)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as pipe:
            assert pipe.read() == b"".join(parts)
    finally:
        for fd in (read_end, write_end):
            with contextlib.suppress(OSError):
                os.close(fd)


def test_a_document_of_more_parts_than_one_gathered_write_takes_is_written_whole(
    tmp_path: Path,
) -> None:
    parts = [f"<entry>{i}</entry>\n".encode() for i in range(3 * os.sysconf("SC_IOV_MAX"))]
    target = tmp_path / "atom.xml"
    atomic_write(target, parts)
    assert target.read_bytes() == b"".join(parts)


def test_a_write_takes_a_temporary_name_nobody_holds_and_publishes_it_readable_by_all(
    tmp_path: Path,
) -> None:
    """Files a killed run of the same process id left under the next temporary names stay as
    they were; the file is made where its folders were missing, and readable by a web server
    whatever the umask; a file that is not published keeps to the umask."""
    from syndicate import output

    upcoming = next(output._NAMES) + 1
    folder = tmp_path / "tags/new"
    folder.mkdir(parents=True)
    left = [folder / f"{TMP_PREFIX}{os.getpid()}-{upcoming + i}.tmp" for i in range(5)]
    for file in left:
        file.write_bytes(b"left by a killed run")
    old = os.umask(0o077)
    try:
        atomic_write(folder / "rss.xml", b"<rss/>", public=True)
        atomic_write(tmp_path / "not/yet/there/feed.json", [b"{", b"}"], public=True)
        atomic_write(tmp_path / "state/cache.bin", b"private")
    finally:
        os.umask(old)
    assert (folder / "rss.xml").read_bytes() == b"<rss/>"
    assert (tmp_path / "not/yet/there/feed.json").read_bytes() == b"{}"
    assert all(file.read_bytes() == b"left by a killed run" for file in left)
    assert sorted(p.name for p in folder.iterdir()) == sorted([*(f.name for f in left), "rss.xml"])
    for made in (folder / "rss.xml", tmp_path / "not/yet/there/feed.json"):
        assert made.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "state/cache.bin").stat().st_mode & 0o777 == 0o600


KILLED_AT_FIRST_RENAME = """
import os, signal, sys
from syndicate import cli
real = os.replace
def replace(src, dst):  # the first rename into the output folder: the state folder's go on
    if os.sep + "public" + os.sep in str(dst):
        os.kill(os.getpid(), signal.SIGKILL)
    real(src, dst)
os.replace = replace
sys.argv = ["syndicate", "build", "--now", sys.argv[1]]
cli.main(sys.argv[1:])
"""


def test_a_killed_builds_temporary_files_are_removed_by_the_next_build(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_AT_FIRST_RENAME, NOW], cwd=root, env=env, timeout=120
    )
    assert killed.returncode == -9
    left = [p for p in (root / "public").rglob("*") if p.name.startswith(TMP_PREFIX)]
    assert left  # a temporary file, written and never renamed, and the writer's mark
    done = build(run_cli, root)
    assert done.returncode == 0, done.stderr
    assert not [p for p in (root / "public").rglob("*") if p.name.startswith(TMP_PREFIX)]
    assert (root / "public/rss.xml").exists()


NAMES = st.text(st.sampled_from("ab.-_x"), min_size=1, max_size=4).filter(
    lambda n: n not in (".", "..")
)


@given(st.lists(NAMES, min_size=1, max_size=5), st.lists(NAMES, max_size=3))
def test_adopt_globs_match_the_path_named_and_nothing_beside_it(
    parts: list[str], other: list[str]
) -> None:
    rel = "/".join(parts)
    assert Place(Path("/x"), adopt=(rel,)).adoptable(rel)
    assert Place(Path("/x"), adopt=("**/" + parts[-1],)).adoptable(rel)
    deeper = "/".join([*other, *parts]) if other else rel
    assert Place(Path("/x"), adopt=("**/" + rel,)).adoptable(deeper)
    assert not Place(Path("/x"), adopt=(rel,)).adoptable(rel + "/more")
    if other:
        assert not Place(Path("/x"), adopt=(rel,)).adoptable(deeper)


def test_the_state_folders_copy_grants_nothing_in_another_output_folder(
    run_cli: RunCli, tmp_path: Path
) -> None:
    root = copy_fixture("feedsite", tmp_path / "site")
    assert build(run_cli, root).returncode == 0
    config = (root / "config.toml").read_text()
    (root / "config.toml").write_text(config.replace("[site]\n", '[site]\noutput_dir = "www"\n'))
    fill(root / "www", {"rss.xml": b"<rss>someone else's</rss>\n"})
    refused = build(run_cli, root)
    assert refused.returncode == 1 and "rss.xml" in refused.stderr
    assert (root / "www/rss.xml").read_bytes() == b"<rss>someone else's</rss>\n"


def _written(root: Path, *paths: str) -> None:
    write_artifacts(root, [Artifact(p, p.encode()) for p in paths], owner="build")


def test_no_file_is_written_through_a_link_that_leaves_the_output_folder(tmp_path: Path) -> None:
    root, outside = tmp_path / "public", tmp_path / "outside"
    (root / "tags").mkdir(parents=True)
    outside.mkdir()
    (outside / "rss.xml").write_text("theirs")
    (root / "away").symlink_to(outside)  # a folder that leads out
    (root / "tags" / "rss.xml").symlink_to(outside / "rss.xml")  # a file that does
    for paths in (["ok.xml", "away/atom.xml"], ["tags/rss.xml"], ["tags/../../outside/x.xml"]):
        with pytest.raises(RefusedError, match="outside the output folder"):
            _written(root, *paths)
    assert sorted(p.name for p in outside.iterdir()) == ["rss.xml"]
    assert (outside / "rss.xml").read_text() == "theirs"
    assert not (root / "ok.xml").exists()  # refused before the first file was written


def test_a_link_to_a_folder_inside_the_output_folder_is_written_through(tmp_path: Path) -> None:
    root = tmp_path / "public"
    (root / "real").mkdir(parents=True)
    (root / "alias").symlink_to(root / "real")
    _written(root, "alias/rss.xml", "alias/atom.xml", "real/feed.json")
    assert sorted(p.name for p in (root / "real").iterdir()) == ["atom.xml", "feed.json", "rss.xml"]
    assert (root / "alias").is_symlink()


def test_an_empty_site_because_its_only_post_is_broken_says_so(
    site: SiteDir, run_cli: RunCli
) -> None:
    # "no posts found: 0 files were left out" pointed at where posts go, not at the error.
    site.config()
    site.post("posts/a.md", "---\ntitle: A\n---\nno date\n")
    done = run_cli("build", "--now", NOW, cwd=site.root)
    assert "a.md:1: warning: missing date (skipped)" in done.stderr
    hint = "warning: no posts found\n  hint: a post with a problem is skipped (see above)"
    assert hint in done.stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="no /proc to tell a zombie by")
def test_a_temporary_file_of_a_process_that_ended_unreaped_is_left_by_no_live_writer() -> None:
    """A child killed with the build that forked it may stay a zombie (a container's init
    may never reap it): it writes no more, so its temporary files are a dead run's."""
    from syndicate.output import _writer_alive

    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        while Path(f"/proc/{ended.pid}/stat").read_bytes().rpartition(b")")[2].split()[0] != b"Z":
            time.sleep(0.01)  # not reaped yet: a zombie
        assert not _writer_alive(f"{TMP_PREFIX}{ended.pid}-0.tmp")
        assert _writer_alive(f"{TMP_PREFIX}{running.pid}-0.tmp")
    finally:
        running.kill()
        running.wait()
        ended.wait()


def test_a_document_written_on_a_writers_thread_is_let_go_once_written(tmp_path: Path) -> None:
    """The documents were the largest thing a build held while it kept them (`FeedOutput.add`):
    a lane keeps none once it has written it."""
    import gc
    import weakref

    from syndicate.output import Targets, _Lanes

    class Part(bytearray):  # a part that can be watched; bytes cannot
        pass

    lanes = _Lanes()
    part = Part(b"<rss/>")
    gone = weakref.ref(part)
    write = lanes.submit(Targets(tmp_path), Artifact("a/rss.xml", (part,)), flush_new=False)  # type: ignore[arg-type]
    assert write.result() is True
    del part
    gc.collect()
    try:
        assert gone() is None
    finally:
        lanes.shutdown()
    assert (tmp_path / "a/rss.xml").read_bytes() == b"<rss/>"
