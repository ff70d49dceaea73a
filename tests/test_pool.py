"""The worker pool: forks only a single-threaded process, and gives the same results either way."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from syndicate.incremental import pool
from syndicate.incremental.pool import MIN_ITEMS, parallel_map, parallel_map_shared

from .fresh_process import in_a_fresh_process

ITEMS = list(range(MIN_ITEMS * 2))


def square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def offset(shared: dict[str, int], n: int) -> tuple[int, int]:
    return n + shared["by"], os.getpid()


def record_forks() -> list[int]:
    """Every `os.fork` from now on (it still forks)."""
    made: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    os.fork = fork
    return made


@pytest.fixture
def forks() -> Iterator[list[int]]:
    """Every `os.fork` the code under test makes (it still forks)."""
    real_fork = os.fork
    try:
        yield record_forks()
    finally:
        os.fork = real_fork


@pytest.fixture
def another_thread() -> Iterator[threading.Thread]:
    """A thread running alongside, as `serve`'s watcher and HTTP server do."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, name="watcher", daemon=True)
    thread.start()
    yield thread
    stop.set()
    thread.join()


def forked_squares() -> dict[str, list[Any]]:
    forks = record_forks()
    return {"results": list(parallel_map(square, ITEMS, workers=2)), "forks": forks}


def test_a_single_threaded_process_forks_its_workers() -> None:
    run = in_a_fresh_process(forked_squares)
    results, forks = run["results"], run["forks"]
    assert [value for value, _ in results] == [n * n for n in ITEMS]
    assert forks, "no worker was forked"
    assert {pid for _, pid in results} <= set(forks)  # the work ran in the workers


def test_with_another_thread_running_the_pool_does_not_fork(
    forks: list[int], another_thread: threading.Thread
) -> None:
    results = list(parallel_map(square, ITEMS, workers=2))
    assert forks == []
    assert results == [(n * n, os.getpid()) for n in ITEMS]  # the same values, made here
    assert pool.choose(2, len(ITEMS)) == "serial"


def test_shared_state_with_another_thread_running_is_not_forked(
    forks: list[int], another_thread: threading.Thread
) -> None:
    results = list(parallel_map_shared(offset, {"by": 3}, ITEMS, workers=2))
    assert forks == []
    assert results == [(n + 3, os.getpid()) for n in ITEMS]


def forked_offsets() -> dict[str, list[Any]]:
    forks = record_forks()
    state = {"by": 3}
    running = parallel_map_shared(offset, state, ITEMS, workers=2)
    results = [next(running)]  # the pool is up and its workers are at work
    held = [v for v in vars(pool).values() if v is state or (isinstance(v, tuple) and state in v)]
    results += list(running)
    again = list(parallel_map_shared(offset, {"by": 1000}, ITEMS, workers=2))
    return {"results": results, "forks": forks, "held": [repr(v) for v in held], "again": again}


def test_shared_state_reaches_forked_workers_without_a_global_in_the_parent() -> None:
    run = in_a_fresh_process(forked_offsets)
    results, forks = run["results"], run["forks"]
    assert run["held"] == [], "the parent keeps the workers' state in a module global"
    assert [value for value, _ in results] == [n + 3 for n in ITEMS]
    assert forks and {pid for _, pid in results} <= set(forks)
    assert [value for value, _ in run["again"]] == [n + 1000 for n in ITEMS]  # each pool its own


def test_native_threads_count_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread Python does not know of (watchfiles' Rust watcher) makes a fork unsafe too."""
    real_listdir = os.listdir

    def listdir(path: str) -> list[str]:
        return ["1", "2"] if path == "/proc/self/task" else real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    assert pool.choose(2, len(ITEMS)) == "serial"


def test_small_jobs_and_one_worker_run_here() -> None:
    assert pool.choose(1, len(ITEMS)) == "serial"
    assert pool.choose(4, MIN_ITEMS - 1) == "serial"


def pools_in_a_row() -> list[bool]:
    """For each of five pools started one right after the other: did its work run in workers?"""
    forked = []
    for by in range(5):
        results = list(parallel_map_shared(offset, {"by": by}, ITEMS, workers=2))
        forked.append(all(pid != os.getpid() for _, pid in results))
    return forked


def a_pool_after_a_lingering_thread() -> list[bool]:
    """Two pools, where the system still lists a thread of the first for three looks after it
    shut down, as Linux does for a moment after a thread is joined."""
    real = pool._native_threads
    looks = [0]

    def listed() -> set[str]:
        looks[0] += 1  # 1: choose, 2: the pool's start; 3 to 5: after its shutdown
        return real() | {"999999999"} if 3 <= looks[0] <= 5 else real()

    pool._native_threads = listed  # type: ignore[assignment]
    return pools_in_a_row()[:2]


def test_a_pool_started_right_after_another_forks_too() -> None:
    """A pool that just shut down may leave a thread listed for a moment: the next pool waits
    for it to go rather than take it for a thread of the program and run serially."""
    assert in_a_fresh_process(pools_in_a_row) == [True] * 5
    assert in_a_fresh_process(a_pool_after_a_lingering_thread) == [True, True]


def forks_while_loading(folder: str, count: str) -> int:
    """Forks made while loading a site of `count` posts on two workers."""
    from pathlib import Path

    from syndicate.build import load_site
    from syndicate.config import load_config

    root = Path(folder)
    (root / "content/posts").mkdir(parents=True)
    (root / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://t.example/"\n')
    for n in range(int(count)):
        (root / f"content/posts/p{n}.md").write_text(f"---\ntitle: P{n}\ndate: 2024-01-01\n---\n")
    config = load_config(root / "config.toml")
    forks = record_forks()
    loaded = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False, workers=2)
    assert len(loaded.posts) == int(count)
    return len(forks)


def test_a_few_hundred_posts_are_parsed_here_more_on_workers(tmp_path: Any) -> None:
    """Parsing a post takes well under a millisecond: starting workers for fewer than
    MIN_PARSED costs more than it saves."""
    from syndicate.build import MIN_PARSED

    assert in_a_fresh_process(forks_while_loading, str(tmp_path / "a"), "100") == 0
    assert in_a_fresh_process(forks_while_loading, str(tmp_path / "b"), str(MIN_PARSED)) == 2


def parser_made_while_parsing(folder: str, to_render: str) -> dict[str, bool]:
    """Whether loading a site of MIN_PARSED posts on two workers made the Markdown parser, and
    imported mistune, as a build (`to_render`) does while its workers parse, and `check` not."""
    import sys
    from pathlib import Path

    from syndicate.build import MIN_PARSED, load_site
    from syndicate.config import load_config

    root = Path(folder)
    (root / "content/posts").mkdir(parents=True)
    (root / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://t.example/"\n')
    for n in range(MIN_PARSED):
        (root / f"content/posts/p{n}.md").write_text(
            f"---\ntitle: P{n}\ndate: 2024-01-01\n---\nHi\n"
        )
    config = load_config(root / "config.toml")
    site = load_site(
        config, "2025-01-01T00:00:00Z", {}, use_cache=False, workers=2, to_render=to_render == "y"
    )
    assert len(site.posts) == MIN_PARSED
    return {"parser": site.renderer._parser is not None, "mistune": "mistune" in sys.modules}


def test_a_build_makes_the_markdown_parser_while_its_workers_parse(tmp_path: Any) -> None:
    """Made after loading, the parser (mistune's import, mostly) was one more step of the
    stretch between loading and rendering that runs on one core."""
    built = in_a_fresh_process(parser_made_while_parsing, str(tmp_path / "a"), "y")
    checked = in_a_fresh_process(parser_made_while_parsing, str(tmp_path / "b"), "n")
    assert built == {"parser": True, "mistune": True}
    assert checked == {"parser": False, "mistune": False}


def started_pool(*_: str) -> dict[str, Any]:
    """Forks made by `start_map_shared` before its first result is asked for, and its results;
    then a pool closed after one result, and one started after it."""
    forks = record_forks()
    running = pool.start_map_shared(offset, {"by": 3}, ITEMS, workers=2)
    forked_at_start = len(forks)
    results = list(running)
    early = pool.start_map_shared(offset, {"by": 5}, ITEMS, workers=2)
    first = next(iter(early))
    early.close()
    after = list(pool.parallel_map_shared(offset, {"by": 7}, ITEMS, workers=2))
    return {
        "forked_at_start": forked_at_start,
        "results": [value for value, _ in results],
        "first": first[0],
        "after": [value for value, pid in after if pid != os.getpid()],
        "forks": len(forks),
    }


def test_a_started_pool_is_at_work_before_its_first_result_is_asked_for() -> None:
    """The renderer's pool renders the posts of the next documents while the first are made:
    its workers must be forked when it starts, not when the first result is wanted."""
    run = in_a_fresh_process(started_pool)
    assert run["forked_at_start"] == 2
    assert run["results"] == [n + 3 for n in ITEMS]
    assert run["first"] == ITEMS[0] + 5
    assert run["after"] == [n + 7 for n in ITEMS]  # a pool closed early leaves nothing behind
    assert run["forks"] == 6


def a_pool_left_to_end(*_: str) -> dict[str, Any]:
    """A pool closed without waiting for its workers (`close(wait=False)`, a build's last pool
    in a process that ends at once): its results, and whether each worker ended on its own."""
    import time

    forks = record_forks()
    running = pool.start_map_shared(offset, {"by": 2}, ITEMS, workers=2)
    results = [value for value, _ in running_results(running)]
    running.close(wait=False)
    deadline = time.monotonic() + 10
    alive = set(forks)
    while alive and time.monotonic() < deadline:
        for pid in list(alive):
            try:
                os.kill(pid, 0)  # a zombie still answers: the pool's thread reaps it
            except ProcessLookupError:
                alive.discard(pid)
        time.sleep(0.01)
    return {"results": results, "forks": len(forks), "left": len(alive)}


def running_results(running: pool.Running[tuple[int, int]]) -> list[tuple[int, int]]:
    results = iter(running)
    return [next(results) for _ in ITEMS]  # each one, without ending the iteration (and pool)


def test_a_pool_left_to_end_on_its_own_leaves_no_worker_behind() -> None:
    run = in_a_fresh_process(a_pool_left_to_end)
    assert run["results"] == [n + 2 for n in ITEMS]
    assert run["forks"] == 2 and run["left"] == 0


def test_a_started_pool_beside_another_thread_makes_each_result_when_asked(
    forks: list[int], another_thread: threading.Thread
) -> None:
    made: list[int] = []

    def note(shared: list[int], n: int) -> int:
        shared.append(n)
        return n

    running = pool.start_map_shared(note, made, ITEMS, workers=2)
    results = iter(running)
    assert made == []
    assert [next(results), next(results)] == ITEMS[:2]
    assert made == ITEMS[:2]
    running.close()
    assert forks == []


def rendered_while_asked(folder: str) -> dict[str, Any]:
    """A site of 100 posts rendered on two workers, its results taken as documents ask for
    them; and the same posts rendered here, one by one."""
    from pathlib import Path

    from syndicate.build import load_site
    from syndicate.config import load_config

    root = Path(folder)
    (root / "content/posts").mkdir(parents=True)
    (root / "config.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://t.example/"\n')
    for n in range(100):
        (root / f"content/posts/p{n:03d}.md").write_text(
            f"---\ntitle: P{n}\ndate: 2024-01-01\n---\nPost *{n}*, [a link](../p000/).\n"
        )
    config = load_config(root / "config.toml")
    site = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False, workers=2)
    posts = sorted(site.posts, key=lambda p: p.source)
    forks = record_forks()
    rendering = site.renderer.rendering(posts, 2)
    forked = len(forks)
    rendering.until(posts[:3])
    stored = [not site.renderer.missing([p]) for p in (posts[2], posts[3], posts[-1])]
    count = rendering.finish()
    parallel = [site.renderer.html(p) for p in posts]
    here = load_site(config, "2025-01-01T00:00:00Z", {}, use_cache=False, workers=1)
    serial = [here.renderer.html(p) for p in sorted(here.posts, key=lambda p: p.source)]
    return {"forked": forked, "stored": stored, "count": count, "same": parallel == serial}


def test_documents_take_each_rendered_post_as_it_comes(tmp_path: Any) -> None:
    run = in_a_fresh_process(rendered_while_asked, str(tmp_path / "site"))
    assert run["forked"] == 2
    assert run["stored"] == [True, False, False]  # only what was asked for, so far
    assert run["count"] == 100
    assert run["same"]


def sigint_in_worker(shared: None, n: int) -> bool:
    import signal

    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    return ignored and signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())


def workers_ignore_ctrl_c(*_: str) -> dict[str, Any]:
    import signal

    results = list(pool.parallel_map_shared(sigint_in_worker, None, ITEMS, workers=2))
    held = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    return {"workers": results, "held here": held}


def test_workers_leave_ctrl_c_to_the_process_that_started_them() -> None:
    """Ctrl-C reaches the whole process group: the parent stops and ends its workers, which
    would each have printed a traceback from wherever it struck them (one that came while a
    worker was forked, before it could ignore it, is held back until it does)."""
    run = in_a_fresh_process(workers_ignore_ctrl_c)
    assert run["workers"] == [True] * len(ITEMS)
    assert run["held here"] is False  # Ctrl-C still stops the process that forked them
