"""A first build of many post files parsed by children forked as soon as the files are found
(`incremental.parse_ahead`): the same files as a build on one core, whichever child ends, and
when."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from syndicate.incremental.ahead import MAX_FILES
from syndicate.incremental.parse_ahead import BLOCK

from .conftest import NOW
from .fresh_process import in_a_fresh_process
from .test_ahead import make_site, same_files

POSTS = MAX_FILES + 40
FILES = POSTS + 3  # make_site's future post, the one that looks a ref up, the one that moves


def build_parsing(folder: str, workers: str, end: str = "") -> dict[str, Any]:
    """A cold `syndicate build` of the site in `folder`, in this process, as the command line
    runs it: how many children parsed, how many files this process parsed itself, and how
    many of the children were left running or unreaped. `end`: "now", the children are killed
    as they start; a number, each child ends as it would send that many blocks more."""
    import os
    import signal

    from syndicate import build, cli
    from syndicate.incremental import parse_ahead

    counts = {"children": 0, "parsed": 0, "left": 0}
    start, parse_one, parent, pids = parse_ahead.start, build._parse_one, os.getpid(), []

    def started(*args: Any) -> parse_ahead.Parsers | None:
        made = start(*args)
        pids.extend([] if made is None else made._pids.values())
        if end == "now":
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
        return made

    def parsed_here(*args: Any) -> Any:
        counts["parsed"] += os.getpid() == parent
        return parse_one(*args)

    parse_ahead.start = started  # type: ignore[assignment]
    build._parse_one = parsed_here  # type: ignore[assignment]
    if end.isdigit():
        parse_ahead.send_message = _ending_after(int(end))  # type: ignore[assignment]
    try:
        cli.main(["build", "--now", NOW, "--workers", workers, "--config", f"{folder}/config.toml"])
    except SystemExit as exc:
        assert not exc.code, exc.code
    counts["children"] = len(pids)
    for pid in pids:
        try:
            os.kill(pid, 0)
            counts["left"] += 1
        except ProcessLookupError:  # ended and reaped
            pass
    return counts


def _ending_after(blocks: int) -> Any:
    """`send_message` for the children: each ends (as if killed) instead of sending its block
    after the first `blocks`."""
    import os

    from syndicate.incremental.ahead import send_message

    sent = [0]

    def sending(fd: int, message: Any) -> None:
        sent[0] += 1
        if sent[0] > blocks:
            os._exit(1)
        send_message(fd, message)

    return sending


def test_a_first_build_of_many_files_parses_them_in_children(tmp_path: Path) -> None:
    for name in ("children", "alone"):
        make_site(tmp_path / name, POSTS)
    children = in_a_fresh_process(build_parsing, str(tmp_path / "children"), "2")
    alone = in_a_fresh_process(build_parsing, str(tmp_path / "alone"), "1")
    assert children == {"children": 2, "parsed": 0, "left": 0}
    assert alone == {"children": 0, "parsed": FILES, "left": 0}
    assert same_files(tmp_path / "children/public", tmp_path / "alone/public")
    feed = (tmp_path / "children/public/rss.xml").read_text()
    assert "/p000-notes/" in feed and "https://blog.example.com/p001/" in feed  # moved; a ref


def test_children_killed_at_once_leave_every_file_to_the_build(tmp_path: Path) -> None:
    for name in ("killed", "alone"):
        make_site(tmp_path / name, POSTS)
    killed = in_a_fresh_process(build_parsing, str(tmp_path / "killed"), "2", "now")
    in_a_fresh_process(build_parsing, str(tmp_path / "alone"), "1")
    assert killed == {"children": 2, "parsed": FILES, "left": 0}
    assert same_files(tmp_path / "killed/public", tmp_path / "alone/public")


def test_the_block_a_child_never_sent_the_build_parses(tmp_path: Path) -> None:
    """Each child ends as it would send its second block: the build has their first blocks,
    and parses the two they claimed and never sent, not waiting for the other child (nor for
    the blocks nobody claimed, once both have ended)."""
    for name in ("ended", "alone"):
        make_site(tmp_path / name, POSTS)
    ended = in_a_fresh_process(build_parsing, str(tmp_path / "ended"), "2", "1")
    in_a_fresh_process(build_parsing, str(tmp_path / "alone"), "1")
    assert ended["children"] == 2 and ended["left"] == 0
    assert ended["parsed"] == FILES - 2 * BLOCK  # two blocks came, the rest is the build's
    assert same_files(tmp_path / "ended/public", tmp_path / "alone/public")


def test_only_a_first_build_of_max_files_or_more_on_several_cores_parses_ahead(
    tmp_path: Path,
) -> None:
    make_site(tmp_path / "site", POSTS)
    first = in_a_fresh_process(build_parsing, str(tmp_path / "site"), "2")
    (tmp_path / "site/content/posts/p010.md").write_text(
        "---\ntitle: Edited\ndate: 2024-03-03\n---\nNew.\n"
    )
    again = in_a_fresh_process(build_parsing, str(tmp_path / "site"), "2")  # the cache has it
    assert first["children"] == 2 and again["children"] == 0
    make_site(tmp_path / "small", MAX_FILES - 4)  # and three more files: ahead's child instead
    assert in_a_fresh_process(build_parsing, str(tmp_path / "small"), "2")["children"] == 0
    make_site(tmp_path / "large", MAX_FILES - 3)  # with the three more: MAX_FILES
    assert in_a_fresh_process(build_parsing, str(tmp_path / "large"), "2")["children"] == 2


def test_no_more_children_than_the_blocks_keep_busy(tmp_path: Path) -> None:
    """A child imports what parsing needs, ~25 ms of CPU and ~10 MB of its own: one core each,
    but one per BLOCKS_EACH blocks at most (`FILES` are 10 blocks: two children, not eight)."""
    from syndicate.incremental.parse_ahead import BLOCKS_EACH

    assert -(-FILES // BLOCK) // BLOCKS_EACH == 2
    for name in ("eight", "alone"):
        make_site(tmp_path / name, POSTS)
    eight = in_a_fresh_process(build_parsing, str(tmp_path / "eight"), "8")
    in_a_fresh_process(build_parsing, str(tmp_path / "alone"), "1")
    assert eight == {"children": 2, "parsed": 0, "left": 0}
    assert same_files(tmp_path / "eight/public", tmp_path / "alone/public")
