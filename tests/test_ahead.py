"""A first build's posts rendered ahead by a child (`incremental.ahead`): the same files as a
build without it, whatever the child renders, fails to render or never renders."""

from __future__ import annotations

import filecmp
from pathlib import Path
from typing import Any

from syndicate.incremental.ahead import MAX_FILES
from syndicate.output import TMP_PREFIX

from .conftest import BASE_CONFIG, NOW
from .fresh_process import in_a_fresh_process

POSTS = 120
FILES = POSTS + 3  # and a future post, one that looks a ref up, one whose address moves


def make_site(root: Path, posts: int = POSTS) -> None:
    """A Hugo-syntax site of `posts` posts: tags and categories, some posts with a
    description, some with an excerpt, shortcodes, a draft, a future post, one that looks a
    ref up (the child cannot render it) and two whose addresses clash (one moves)."""
    (root / "content/posts").mkdir(parents=True)
    (root / "content/notes").mkdir()
    (root / "static").mkdir()
    config = BASE_CONFIG.replace('"/{section}/{slug}/"', '"/{slug}/"')  # sections may clash
    (root / "config.toml").write_text(config + '[markdown]\ntemplate_syntax = "hugo"\n')
    for n in range(posts):
        tags = ", ".join(f"t{(n * 7 + k) % 13}" for k in range(3))
        head = f"title: Post {n}\ndate: 2024-0{1 + n % 9}-{10 + n % 18}T0{n % 10}:00:00Z\n"
        head += f"tags: [{tags}]\ncategories: [c{n % 4}]\n"
        head += f"description: About {n}\n" if n % 3 == 0 else ""
        head += "draft: true\n" if n == 5 else ""
        body = f"First *paragraph* of {n}.\n\n<!--more-->\n\n{{{{< highlight py >}}}}x = {n}\n"
        body += "{{< /highlight >}}\n\nMore **text**, [a link](/about/).\n"
        (root / f"content/posts/p{n:03}.md").write_text(f"---\n{head}---\n{body}")
    (root / "content/posts/future.md").write_text(
        "---\ntitle: Later\ndate: 2030-01-01\n---\nNot yet.\n"
    )
    (root / "content/posts/refs.md").write_text(
        '---\ntitle: Refs\ndate: 2024-09-30\n---\nSee {{< ref "p001.md" >}}.\n'
    )
    (root / "content/notes/p000.md").write_text(  # posts/p000's address: it moves
        "---\ntitle: Note\ndate: 2024-09-29\n---\nA note.\n"
    )


def child_and_build(root: Path, posts: int = POSTS) -> tuple[Any, list[Any], dict[str, Any], Any]:
    """A site of `posts` posts (`make_site`) in `root`: its config, its post files, what the
    child sends for each (by file), and the site as a build loads it, before it renders."""
    from syndicate.build import load_site
    from syndicate.config import load_config
    from syndicate.content.loader import discover
    from syndicate.errors import Report
    from syndicate.incremental.ahead import _posts, _rendered, first_build_renderer
    from syndicate.incremental.shortcut import BuildOptions

    make_site(root, posts)
    config = load_config(root / "config.toml")
    sources = discover(config, Report())
    child = {}
    renderer = first_build_renderer(config)
    for post in _posts(config, BuildOptions(NOW, {}), sources, renderer):
        if (entry := _rendered(post, renderer)) is not None:
            child[str(post.source)] = entry
    site = load_site(config, NOW, {}, to_render=True)
    site.findings = site.renderer.syntax_findings(site.posts)  # as a build has them, then renders
    return config, sources, child, site


def build_here(folder: str, workers: str, end_child: str = "", writes: str = "") -> dict[str, Any]:
    """A cold `syndicate build` of the site in `folder`, in this process, as the command line
    runs it; what the child sent, how many files this process parsed and posts it rendered,
    and how many files the child wrote. `end_child`: the child ends once it has sent that many
    files parsed (0: as it starts). `writes`: "fail", every file the child is handed fails to
    be written there; "end", the child ends as the build starts to hand files over;
    "slow", each file takes the child 20 ms more to write; "die", the child is killed as it
    puts its first file in place."""
    import os
    import signal

    from syndicate import build, cli, output
    from syndicate.content import markdown
    from syndicate.content.markdown import Renderer, post_body
    from syndicate.incremental import ahead

    counts = {"sent": 0, "here": 0, "parsed": 0, "read again": 0, "child": 0, "left": 0}
    log = _watch_writes(folder, writes)
    start, receive, render = ahead.start, ahead.Ahead.receive, Renderer.render_fragment
    parse_one, parent = build._parse_one, os.getpid()
    end = int(end_child) if end_child else None

    def started(*args: Any) -> ahead.Ahead | None:
        made = start(*args)
        counts["child"] = 0 if made is None else made.pid
        if made is not None and end == 0:
            os.kill(made.pid, signal.SIGKILL)
        return made

    def parsed_here(*args: Any) -> Any:
        counts["parsed"] += os.getpid() == parent  # not in a parse worker
        return parse_one(*args)

    def read_again(post: Any) -> str:
        counts["read again"] += os.getpid() == parent
        return post_body(post)

    def received(self: ahead.Ahead, keep: Any) -> bool:
        def counted(*entry: Any) -> None:
            counts["sent"] += 1
            keep(*entry)

        return receive(self, counted)

    def rendered(self: Renderer, markdown: str, post: Any) -> str:
        counts["here"] += 1
        return render(self, markdown, post)

    ahead.start = started  # type: ignore[assignment]
    if end:
        ahead.send_message = _ending_after(end)  # type: ignore[assignment]
    build._parse_one = parsed_here  # type: ignore[assignment]
    markdown.post_body = read_again
    ahead.Ahead.receive = received  # type: ignore[method-assign]
    Renderer.render_fragment = rendered  # type: ignore[method-assign]
    try:
        cli.main(["build", "--now", NOW, "--workers", workers, "--config", f"{folder}/config.toml"])
    except SystemExit as exc:
        assert not exc.code, exc.code
    if counts["child"]:
        try:
            os.kill(counts["child"], 0)  # stopped and reaped: no such process
            counts["left"] = 1
        except ProcessLookupError:
            pass
        counts["child"] = 1
    public = Path(folder, "public").resolve()
    lines = log.read_text().splitlines()
    by = [line.split(" ", 1) for line in lines if not line.endswith(output.MANIFEST)]
    counts["written by child"] = sum(
        pid != str(parent) and public in Path(t).parents for pid, t in by
    )
    counts["written here"] = sum(pid == str(parent) and public in Path(t).parents for pid, t in by)
    return counts


def _watch_writes(folder: str, writes: str) -> Path:
    """A log (returned) of each file put in place, by which process (`build_here`); with
    `writes`, the child's writes fail or the child ends, as `build_here` says."""
    import os
    import signal
    import time

    from syndicate import output
    from syndicate.incremental import ahead, ahead_writes

    log, parent = Path(folder, "renamed.log"), os.getpid()
    replace, write_one, lanes = os.replace, output.write_one, ahead.Ahead.lanes

    def replaced(source: Any, target: Any) -> None:
        if writes == "die" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # its temporary file written, not in place
        with log.open("a") as lines:
            lines.write(f"{os.getpid()} {target}\n")
        replace(source, target)

    def failing(*args: Any) -> bool:
        if os.getpid() != parent:
            raise OSError("the child's write fails")
        return write_one(*args)

    def slow(*args: Any) -> bool:
        if os.getpid() != parent:
            time.sleep(0.02)
        return write_one(*args)

    def ending(self: ahead.Ahead) -> Any:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return lanes(self)

    os.replace = replaced  # type: ignore[assignment]
    if writes in ("fail", "slow"):
        ahead_writes.write_one = failing if writes == "fail" else slow  # type: ignore[assignment]
    elif writes == "end":
        ahead.Ahead.lanes = ending  # type: ignore[method-assign]
    return log


def _ending_after(parsed: int) -> Any:
    """The child's `send_message`, ending the child once it has sent `parsed` files parsed."""
    import os

    from syndicate.incremental import ahead

    send, sent = ahead.send_message, [0]

    def sending(fd: int, message: tuple[int, Any]) -> None:
        if message[0] == ahead._PARSED:
            sent[0] += 1
            if sent[0] > parsed:
                os._exit(0)
        send(fd, message)

    return sending


def same_files(left: Path, right: Path) -> bool:
    compared = filecmp.dircmp(left, right)
    if compared.left_only or compared.right_only or compared.diff_files or compared.funny_files:
        return False
    return all(same_files(left / d, right / d) for d in compared.common_dirs)


def test_a_first_build_renders_ahead_and_writes_what_one_on_one_core_does(
    tmp_path: Path,
) -> None:
    for name in ("ahead", "alone"):
        make_site(tmp_path / name)
    ahead = in_a_fresh_process(build_here, str(tmp_path / "ahead"), "2")
    alone = in_a_fresh_process(build_here, str(tmp_path / "alone"), "1")
    assert ahead["child"] == 1 and alone["child"] == 0 and not ahead["left"]
    assert ahead["sent"] > 0  # the child rendered posts; this process the rest
    assert ahead["here"] < alone["here"]
    assert ahead["parsed"] == 0 and alone["parsed"] == FILES  # the child parsed every file
    assert ahead["here"] > 0 and ahead["read again"] == 0  # with the bodies it sent
    assert ahead["written by child"] > 0 and alone["written by child"] == 0
    assert ahead["written by child"] + ahead["written here"] == alone["written here"]
    assert same_files(tmp_path / "ahead/public", tmp_path / "alone/public")
    feed = (tmp_path / "ahead/public/rss.xml").read_text()
    assert "/p000-notes/" in feed and "https://blog.example.com/p001/" in feed  # moved; a ref


def test_a_child_that_ends_at_once_changes_nothing_but_speed(tmp_path: Path) -> None:
    for name in ("killed", "alone"):
        make_site(tmp_path / name)
    killed = in_a_fresh_process(build_here, str(tmp_path / "killed"), "2", "0")
    alone = in_a_fresh_process(build_here, str(tmp_path / "alone"), "1")
    assert killed["child"] == 1 and killed["sent"] == 0 and alone["child"] == 0
    assert killed["parsed"] == FILES
    assert same_files(tmp_path / "killed/public", tmp_path / "alone/public")


def test_the_files_the_child_fails_to_write_or_never_writes_the_build_writes(
    tmp_path: Path,
) -> None:
    """A file handed to the child (`ahead_writes`) that it could not write, or did not before
    it ended, is written by the build, which so reports any error as it always did."""
    make_site(tmp_path / "alone")
    alone = in_a_fresh_process(build_here, str(tmp_path / "alone"), "1")
    runs = {}
    for writes in ("fail", "end", "die"):
        make_site(tmp_path / writes)
        runs[writes] = in_a_fresh_process(build_here, str(tmp_path / writes), "2", "", writes)
        assert runs[writes]["child"] == 1 and not runs[writes]["left"]
        assert same_files(tmp_path / writes / "public", tmp_path / "alone/public")
    for writes, run in runs.items():
        assert run["written by child"] == 0 and run["written here"] == alone["written here"]
        left = [p for p in (tmp_path / writes).rglob("*") if p.name.startswith(TMP_PREFIX)]
        assert left == []  # the killed child's temporary file too


def test_the_build_takes_back_the_files_the_child_has_not_started_when_it_has_made_all(
    tmp_path: Path,
) -> None:
    """Once the build has made every file, it writes, from the last, those the child has not
    started (`ChildLanes._take_back`), while the child writes on from the first."""
    for name in ("slow", "alone"):
        make_site(tmp_path / name)
    slow = in_a_fresh_process(build_here, str(tmp_path / "slow"), "2", "", "slow")
    alone = in_a_fresh_process(build_here, str(tmp_path / "alone"), "1")
    assert slow["written by child"] > 0 and slow["written here"] > 0
    assert slow["written by child"] + slow["written here"] >= alone["written here"]
    assert same_files(tmp_path / "slow/public", tmp_path / "alone/public")


def test_a_child_that_ends_while_parsing_leaves_the_rest_to_the_build(tmp_path: Path) -> None:
    """The files the child parsed are the build's; those it never sent, the build parses."""
    for name in ("ended", "alone"):
        make_site(tmp_path / name)
    ended = in_a_fresh_process(build_here, str(tmp_path / "ended"), "2", "40")
    alone = in_a_fresh_process(build_here, str(tmp_path / "alone"), "1")
    assert ended["child"] == 1 and ended["sent"] == 0 and not ended["left"]
    assert alone["child"] == 0 and alone["parsed"] == FILES
    assert ended["parsed"] == FILES - 40
    assert same_files(tmp_path / "ended/public", tmp_path / "alone/public")


def test_only_a_first_build_of_fewer_than_max_files_renders_ahead(tmp_path: Path) -> None:
    make_site(tmp_path / "site")
    first = in_a_fresh_process(build_here, str(tmp_path / "site"), "2")
    (tmp_path / "site/content/posts/p010.md").write_text(
        "---\ntitle: Edited\ndate: 2024-03-03\n---\nNew.\n"
    )
    again = in_a_fresh_process(build_here, str(tmp_path / "site"), "2")  # the cache has it
    assert first["child"] == 1 and again["child"] == 0
    make_site(tmp_path / "small", 1)  # and three more files
    make_site(tmp_path / "large", MAX_FILES - 3)  # with the three more: MAX_FILES
    assert in_a_fresh_process(build_here, str(tmp_path / "small"), "2")["child"] == 1
    assert in_a_fresh_process(build_here, str(tmp_path / "large"), "2")["child"] == 0


def test_the_child_renders_under_the_keys_the_build_looks_up(tmp_path: Path) -> None:
    """Each post the child renders is kept under the keys the build asks for it (the same
    HTML and summary); a post whose address moved, or that looks a ref up, is not."""
    _, _, child, site = child_and_build(tmp_path)
    renderer = site.renderer
    kept = {str(p.source) for p in site.posts if str(p.source) in child}
    for post in site.posts:
        entry = child.get(str(post.source))
        if entry is None or post.permalink.endswith("-notes/"):
            continue
        html_key, html, summary_key, summary = entry
        assert html_key == renderer._html_key(post) and html == renderer.html(post)
        assert summary == (None if post.description else renderer.summary(post))
        assert summary_key == (None if post.description else renderer._summary_key(post))
    assert len(kept) == len(site.posts) - 1  # all but the one that looks a ref up
    moved = next(p for p in site.posts if p.permalink.endswith("/p000-notes/"))
    assert renderer._html_key(moved) != child[str(moved.source)][0]


def test_a_fork_refused_leaves_the_build_to_render_by_itself(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A process limit or a sandbox that forbids fork: no child, and nothing left open."""
    import errno
    import os

    from syndicate.config import load_config
    from syndicate.content.loader import discover
    from syndicate.errors import Report
    from syndicate.incremental import ahead, pool
    from syndicate.incremental.shortcut import BuildOptions

    def refused() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    make_site(tmp_path)
    config = load_config(tmp_path / "config.toml")
    sources = discover(config, Report(), with_stat=False)  # as a first build finds them
    monkeypatch.setattr(os, "fork", refused)
    monkeypatch.setattr(pool, "thread_count", lambda: 1)  # as in `syndicate build`
    monkeypatch.setattr(ahead, "thread_count", lambda: 1)
    before = set(os.listdir("/proc/self/fd"))
    options = BuildOptions(NOW, {}, workers=2)
    assert ahead.start(config, options, sources) is None
    assert set(os.listdir("/proc/self/fd")) <= before


def test_while_the_child_renders_the_next_post_the_build_renders_the_last_unclaimed(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The child renders the posts in the build's order (`Claims.want`); while the build waits
    for the next, it renders the last posts of that order nobody has claimed, so that the two
    meet between: here, before the child sends anything."""
    import os
    import subprocess
    import threading
    import time

    from syndicate.content.markdown import Renderer
    from syndicate.incremental.ahead import _RENDERED, Ahead, Claims, send_message

    _, sources, entries, site = child_and_build(tmp_path, posts=12)
    renderer = site.renderer
    todo = [p for p in site.posts if entries.get(str(p.source), ("",))[0] == renderer._html_key(p)]
    claims = Claims([s.file for s in sources])
    by_child, unclaimed = todo[:-2], todo[-2:]
    for post in by_child:
        assert claims.take(post)  # the child's, as if it were rendering them
    read_end, write_end = os.pipe()
    events: list[tuple[str, str]] = []

    def child() -> None:
        time.sleep(0.3)
        events.append(("sent", ""))
        for post in by_child:
            send_message(write_end, (_RENDERED, entries[str(post.source)]))
        os.close(write_end)

    render = Renderer.render_fragment

    def spy(self: Renderer, markdown: str, post: Any) -> str:
        events.append(("here", str(post.source)))
        return render(self, markdown, post)

    monkeypatch.setattr(Renderer, "render_fragment", spy)
    sleeper = subprocess.Popen(["sleep", "30"])  # the child's process, which close() ends
    renderer.use_ahead(Ahead(sleeper.pid, read_end, claims))
    thread = threading.Thread(target=child)
    thread.start()
    rendering = renderer.rendering(todo, 2)
    rendering.finish()
    thread.join()
    assert sleeper.poll() is not None  # killed and reaped
    assert events == [("here", str(p.source)) for p in reversed(unclaimed)] + [("sent", "")]
    assert all(renderer.rendered(p) is not None for p in todo)
    assert claims.wanted() == [claims.index(p) for p in todo]


def test_the_child_renders_newest_first_until_the_build_says_its_order() -> None:
    from pathlib import Path as P

    from syndicate.incremental.ahead import Claims, _in_order

    class Post:
        def __init__(self, name: str) -> None:
            self.source = P(name)

    posts = [Post(f"p{n}") for n in range(6)]  # newest first
    claims = Claims([f"p{n}" for n in range(6)])
    seen = []
    for post in _in_order(posts, claims):  # type: ignore[arg-type]
        seen.append(post)
        if len(seen) == 2:
            claims.want([posts[5], posts[0], posts[3]])  # type: ignore[list-item]
    # From there, the posts the build needs, in its order (those claimed are skipped when taken),
    # and no other: p1 was rendered before it said; p2 and p4 are in no feed.
    assert [str(p.source) for p in seen] == ["p0", "p1", "p5", "p0", "p3"]
