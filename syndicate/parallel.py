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
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(func, items, chunksize=chunk)
    finally:
        gc.unfreeze()


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
