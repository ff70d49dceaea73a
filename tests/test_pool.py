"""The worker pool: forks only a single-threaded process, and gives the same results either way."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from syndicate.incremental import pool
from syndicate.incremental.pool import MIN_ITEMS, parallel_map, parallel_map_shared, parallel_runs

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


def forked_runs() -> dict[str, Any]:
    runs = [ITEMS[:MIN_ITEMS], ITEMS[MIN_ITEMS:], ITEMS[:3]]
    results = list(parallel_runs(offset, {"by": 7}, runs, workers=2))
    return {"runs": runs, "results": results, "parent": os.getpid()}


def test_each_run_is_made_whole_by_one_worker_in_order() -> None:
    run = in_a_fresh_process(forked_runs)
    results = iter(run["results"])
    pids = []
    for items in run["runs"]:
        made = [next(results) for _ in items]
        assert [value for value, _ in made] == [n + 7 for n in items]
        pids.append({pid for _, pid in made})
    assert next(results, None) is None
    assert all(len(p) == 1 for p in pids), "a run was split between workers"
    assert run["parent"] not in set().union(*pids)


def test_runs_with_another_thread_running_are_made_here(
    forks: list[int], another_thread: threading.Thread
) -> None:
    runs = [ITEMS[:MIN_ITEMS], ITEMS[MIN_ITEMS:]]
    results = list(parallel_runs(offset, {"by": 1}, runs, workers=2))
    assert forks == []
    assert results == [(n + 1, os.getpid()) for n in ITEMS]


def runs_with_work_meanwhile() -> dict[str, Any]:
    forks = record_forks()
    seen: list[dict[str, Any]] = []

    def meanwhile() -> None:
        seen.append({"pid": os.getpid(), "forked": len(forks)})

    runs = [ITEMS[:MIN_ITEMS], ITEMS[MIN_ITEMS:]]
    results = list(parallel_runs(offset, {"by": 2}, runs, 2, meanwhile))
    return {"seen": seen, "results": results, "parent": os.getpid()}


def test_the_parents_own_work_is_done_once_while_the_workers_run() -> None:
    run = in_a_fresh_process(runs_with_work_meanwhile)
    assert run["seen"] == [{"pid": run["parent"], "forked": 2}]  # after both workers started
    assert [value for value, _ in run["results"]] == [n + 2 for n in ITEMS]


def test_without_workers_the_parents_own_work_is_done_too(
    forks: list[int], another_thread: threading.Thread
) -> None:
    calls: list[int] = []
    results = list(parallel_runs(offset, {"by": 2}, [ITEMS], 2, lambda: calls.append(1)))
    assert calls == [1] and forks == []
    assert [value for value, _ in results] == [n + 2 for n in ITEMS]


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
