"""Independent work items (parsing files, rendering posts) spread over the machine's cores."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")
MIN_ITEMS = 64  # below this, starting processes costs more than it saves


def worker_count(configured: int) -> int:
    return configured if configured > 0 else (os.cpu_count() or 1)


def parallel_map(func: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """`map(func, items)` in order, on `workers` processes when there is enough to do."""
    if workers <= 1 or len(items) < MIN_ITEMS:
        yield from (func(item) for item in items)
        return
    # fork: workers start with every module already imported, which is most of the start-up.
    # gc.freeze: a collection in a worker would otherwise touch, and so copy, every object the
    # parent holds (all the posts), which costs more than the work itself.
    import multiprocessing  # with concurrent.futures, a tenth of a rebuild's start-up
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    chunk = max(1, len(items) // (workers * 8))
    # Workers end with the parent, even one killed by SIGKILL (a cron timeout, CI): each one
    # waits on a pipe whose only writer is the parent, and the kernel closes it when the
    # parent dies, on every platform (PR_SET_PDEATHSIG is Linux only, and follows a thread).
    lifeline = os.pipe()
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_watch_parent,
            initargs=lifeline,
        ) as pool:
            yield from pool.map(func, items, chunksize=chunk)
    finally:
        gc.unfreeze()
        for fd in lifeline:
            os.close(fd)


def _watch_parent(read_end: int, write_end: int) -> None:
    """In a worker: exit as soon as the parent's end of the lifeline closes."""
    import threading

    os.close(write_end)  # the worker's inherited copy would keep the pipe open forever

    def wait() -> None:
        while True:
            try:
                if not os.read(read_end, 1):  # nothing is ever written: this is the end
                    break
            except InterruptedError:
                continue
            except OSError:
                break
        os._exit(1)  # at once: nobody is left to read the results

    threading.Thread(target=wait, name="lifeline", daemon=True).start()


_shared: Any = None


def parallel_map_shared(
    func: Callable[[S, T], R], shared: S, items: Sequence[T], workers: int
) -> Iterator[R]:
    """`parallel_map` where each call also gets `shared`, which workers inherit when they are
    forked instead of receiving it pickled with every task (it may hold every post)."""
    global _shared
    _shared = (func, shared)
    try:
        yield from parallel_map(_call_shared, items, workers)
    finally:
        _shared = None


def _call_shared(item: Any) -> Any:
    func, shared = _shared
    return func(shared, item)
