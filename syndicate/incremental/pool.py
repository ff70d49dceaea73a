"""Independent work items (parsing files, rendering posts) spread over the machine's cores."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")
MIN_ITEMS = 64  # below this, starting processes costs more than it saves

Choice = Literal["serial", "fork"]


def worker_count(configured: int) -> int:
    return configured if configured > 0 else (os.cpu_count() or 1)


def thread_count() -> int:
    """The threads of this process, native ones included (watchfiles' Rust watcher is one,
    and Python's `threading` does not see it): what makes a fork unsafe. Linux lists them
    under /proc; elsewhere only Python's own threads can be counted."""
    return max(len(_native_threads()), threading.active_count())


def choose(workers: int, items: int, least: int | None = None) -> Choice:
    """How `parallel_map` runs `items` work items on `workers` processes.

    A fork copies only the thread that calls it: a lock another thread holds at that moment
    (the allocator's, logging's, an HTTP server's) stays locked forever in the child, and
    Python 3.12 deprecates forking a process with threads. So workers are forked only while
    this process has a single thread; otherwise (`serve`: its watcher and HTTP server) the
    work runs here, serially, rather than in workers started by `forkserver`: those would
    receive every task and the shared state (a renderer or feed set holding every post)
    pickled, which costs about what the workers save and needs all of it to pickle; they
    would not be this process's children, so the lifeline below would not reach them; and
    in `serve` the cache leaves few items to each rebuild, mostly under MIN_ITEMS anyway."""
    if workers <= 1 or items < (MIN_ITEMS if least is None else least) or thread_count() > 1:
        return "serial"
    return "fork"


def parallel_map(
    func: Callable[[T], R], items: Sequence[T], workers: int, least: int | None = None
) -> Iterator[R]:
    """`map(func, items)` in order, on `workers` processes when there are at least `least`
    items (MIN_ITEMS unless given) and the process can fork safely (see `choose`)."""
    if choose(workers, len(items), least) == "serial":
        yield from (func(item) for item in items)
        return
    yield from _drained(Forked(func, items, workers, None))


def _drained(running: Running[R]) -> Iterator[R]:
    """`running`'s results, its workers stopped however the caller stops asking for them."""
    try:
        yield from running
    finally:
        running.close()


def ready_to_fork() -> None:
    """Import what forking workers needs (`Forked`), here, while other processes keep the
    cores busy (`parse_ahead`'s children): at the fork, it took ~13 ms on one core."""
    import multiprocessing  # noqa: F401
    from concurrent.futures import ProcessPoolExecutor  # noqa: F401


class Forked(Generic[R]):
    """Work items on forked workers, at work from the moment this is made: iterating gives
    the results in order as they come, so the caller can use the first ones while the workers
    make the rest. `close` (reached by the end of the results too) stops the workers."""

    def __init__(
        self,
        func: Callable[[T], R],
        items: Sequence[T],
        workers: int,
        shared: _Shared[object] | None,
    ) -> None:
        # fork: workers start with every module already imported, which is most of the
        # start-up. gc.freeze: a collection in a worker would otherwise touch, and so copy,
        # every object the parent holds (all the posts), which costs more than the work itself.
        import multiprocessing  # with concurrent.futures, a tenth of a rebuild's start-up
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("fork")
        chunk = max(1, len(items) // (workers * 8))
        # Workers end with the parent, even one killed by SIGKILL (a cron timeout, CI): each
        # waits on a pipe whose only writer is the parent, and the kernel closes it when the
        # parent dies, on every platform (PR_SET_PDEATHSIG is Linux only, and follows a thread).
        self._lifeline = os.pipe()
        self._before = _native_threads()
        gc.freeze()
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(*self._lifeline, shared),
        )
        # Ctrl-C held back while the workers are forked: one that came before a worker ignored
        # it (`_start_worker`) printed that worker's traceback. It reaches this process after.
        try:
            held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:  # map submits every task now, and a fork pool forks all its workers at once
                self._results = self._pool.map(func, items, chunksize=chunk)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)  # a held Ctrl-C strikes here
        except BaseException:
            self.close()
            raise

    def __iter__(self) -> Iterator[R]:
        try:
            yield from self._results
        finally:
            self.close()

    def close(self, wait: bool = True) -> None:
        """Stop the workers; `wait=False` leaves them to end on their own (the lifeline closes),
        for a pool no fork follows: its threads may still be there when this returns."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        try:
            pool.shutdown(wait=wait, cancel_futures=True)
        finally:
            gc.unfreeze()
            for fd in self._lifeline:
                os.close(fd)
            if wait:
                _wait_for_pool_threads(self._before)


def _native_threads() -> set[str]:
    """The ids of this process's threads, native ones included (Linux); elsewhere none."""
    try:
        return set(os.listdir("/proc/self/task"))
    except OSError:
        return set()


def _wait_for_pool_threads(before: set[str], limit: float = 0.2) -> None:
    """Wait (at most `limit` seconds) until the threads the pool started are gone. Its shutdown
    joins them, but a joined thread stays listed by the system for a moment (its Python part
    is over, its native one is not): a pool started right after, as a build does, would count
    it, judge a fork unsafe (`choose`) and run serially, as the feed documents' pool did in
    every build traced when it followed the renderer's. A thread that was there before the
    pool, or that Python still runs (one started meanwhile), is not waited for."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        running = {str(t.native_id) for t in threading.enumerate()}
        if _native_threads() <= before | running:
            return
        time.sleep(0.0005)


def _start_worker(read_end: int, write_end: int, shared: _Shared[object] | None) -> None:
    """In a worker: watch the lifeline, and keep the state every task of this pool shares.
    Ctrl-C reaches the whole process group: the parent stops, and stops its workers; in a
    worker it printed a traceback from wherever it struck (inside nh3's callback, as
    "Exception ignored")."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # discards one held back while forking
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _watch_parent(read_end, write_end)
    _Shared.current = shared


def _watch_parent(read_end: int, write_end: int) -> None:
    """In a worker: exit as soon as the parent's end of the lifeline closes."""
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


class _Shared(Generic[S]):
    """What every task of one pool shares: a function and the state it takes first.

    It reaches the workers as the pool's initializer argument, inherited by the fork rather
    than pickled with every task (it may hold every post). The parent never sets `current`:
    only a worker does, for its own pool, so two pools (two threads) cannot see each other's.
    """

    current: _Shared[object] | None = None

    def __init__(self, func: Callable[[S, T], R], state: S) -> None:
        self.func: Callable[[S, object], object] = func  # type: ignore[assignment]
        self.state = state


def parallel_map_shared(
    func: Callable[[S, T], R],
    shared: S,
    items: Sequence[T],
    workers: int,
    least: int | None = None,
) -> Iterator[R]:
    """`parallel_map` where each call also gets `shared`, which workers inherit when they are
    forked instead of receiving it pickled with every task (it may hold every post)."""
    yield from _drained(start_map_shared(func, shared, items, workers, least))


R_co = TypeVar("R_co", covariant=True)


class Running(Protocol[R_co]):
    """Results on their way (`start_map_shared`), in order; `close` stops what is left."""

    def __iter__(self) -> Iterator[R_co]: ...

    def close(self, wait: bool = True) -> None: ...


def start_map_shared(
    func: Callable[[S, T], R],
    shared: S,
    items: Sequence[T],
    workers: int,
    least: int | None = None,
) -> Running[R]:
    """`parallel_map_shared` started now: forked workers are at work before the first result
    is asked for (run serially, each result is made when it is asked for)."""
    if choose(workers, len(items), least) == "serial":
        return _Serial(func, shared, items)
    state: _Shared[object] = _Shared(func, shared)  # type: ignore[arg-type]
    return Forked(_call_shared, items, workers, state)  # type: ignore[arg-type]


class _Serial(Generic[S, T, R]):
    def __init__(self, func: Callable[[S, T], R], shared: S, items: Sequence[T]) -> None:
        self._func, self._shared, self._items = func, shared, items

    def __iter__(self) -> Iterator[R]:
        return (self._func(self._shared, item) for item in self._items)

    def close(self, wait: bool = True) -> None:
        pass


def _call_shared(item: object) -> object:
    """In a worker: one task of `parallel_map_shared`."""
    shared = _Shared.current
    if shared is None:
        raise RuntimeError("a shared task ran outside a worker of parallel_map_shared")
    return shared.func(shared.state, item)
