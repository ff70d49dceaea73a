"""A first build's post files parsed on every core from the moment the build has found them.

A cold build of MAX_FILES post files or more parses them on workers forked where it loads the
posts: ~40 ms after it had found them, on one core, having imported its own modules, PyYAML and
multiprocessing first. These children are forked as soon as the files are found (where a small
site's child that renders ahead is, `ahead`) and import what parsing needs themselves; each
takes the next block of BLOCK files (a pipe of their numbers), claims it (a byte per block, in
memory the fork shares: the number of the child that took it), parses its files as a parse
worker would and sends them (`cache.Parsed`) at once, while the build imports and compiles
what its documents need. A file whose child ended without sending it (it failed, or was
killed) the build parses itself. Blocks, not files, so that the build wakes for each few
dozen files: woken for every two or three, it took 240 ms of CPU to receive 10,000.

Only a first build (no build cache, no record of a last build: with them, discovery stats the
files so that the build parses only those that changed), as for `ahead`.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import select
import signal
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn

from .ahead import MAX_FILES, fork_workers, send_message, take_messages, widen_pipe

if TYPE_CHECKING:
    from ..config import Config
    from ..content.loader import SourceFile
    from .cache import Parsed
    from .shortcut import BuildOptions

BLOCK = 32  # files taken and sent at once, at least: ~4 ms of parsing
# Each child imports what parsing needs (~25 ms of CPU, ~10 MB of memory of its own): one per
# core, but one per BLOCKS_EACH blocks at most, and never more than MOST (a claim is the
# claimer's number, in a byte, which this keeps far below).
MOST, BLOCKS_EACH = 16, 4
_TICKET = struct.Struct("<I")
_MOST_BLOCKS = 1024  # their numbers fill a page (`_tickets`); more files, larger blocks


class Parsers:
    """The build's end: the children, the pipe each writes to, and the claims all share."""

    def __init__(
        self, claims: mmap.mmap, size: int, files: Sequence[str], children: dict[int, int]
    ) -> None:
        self._claims, self._size = claims, size
        self._at = {file: i for i, file in enumerate(files)}
        self._pids = children  # each child's pipe -> its process
        self._live = {number: fd for number, fd in enumerate(children, 1)}
        self._buffers = {fd: bytearray() for fd in children}
        self._got: dict[int, Parsed] = {}

    def parsed_all(
        self, sources: Sequence[SourceFile], parse: Callable[[SourceFile], Parsed]
    ) -> ParsedEarly:
        """Each of `sources` as a child parsed it, in order (`pool.Running`)."""
        return ParsedEarly(self, sources, parse)

    def parsed(self, file: str) -> Parsed | None:
        """The file as a child parsed it; None when no child will send it (the one that
        claimed it ended first, or all have: the build parses it itself)."""
        at = self._at.get(file)
        if at is None:
            return None
        while (found := self._got.pop(at, None)) is None:
            if not self._may_come(at // self._size):
                return None
            self._read()
        return found

    def _may_come(self, block: int) -> bool:
        """Whether a child may still send the files of `block`: the one that claimed it lives,
        or, unclaimed, some child does (the blocks are taken in order)."""
        owner = self._claims[block]
        return owner in self._live if owner else bool(self._live)

    def _read(self) -> None:
        """Wait for what a child sends, and keep each file parsed."""
        ready, _, _ = select.select(list(self._live.values()), [], [])
        for fd in ready:
            try:
                data = os.read(fd, 1 << 20)
            except OSError:
                data = b""
            if not data:  # it ended: what it took and did not send, the build parses
                self._live = {n: live for n, live in self._live.items() if live != fd}
                continue
            buffer = self._buffers[fd]
            buffer += data
            for block, parsed in take_messages(buffer):
                for at, one in enumerate(parsed, block * self._size):
                    self._got[at] = one

    def close(self, wait: bool = True, done: bool = False) -> None:
        """Reap the children, stopping them first unless the build has every file (`done`:
        then each has sent its last block and is ending, as every block has been taken);
        `wait=False` when the process ends at once, which takes them away."""
        pids, self._pids, self._live = self._pids, {}, {}
        for fd, pid in pids.items():
            os.close(fd)
            with contextlib.suppress(OSError):
                if not done:
                    os.kill(pid, signal.SIGKILL)  # the build stopped early (an error)
                if wait:
                    os.waitpid(pid, 0)


class ParsedEarly:
    """Files as the children parsed them, in order, or as `parse` does when none will."""

    def __init__(
        self, parsers: Parsers, sources: Sequence[SourceFile], parse: Callable[[SourceFile], Parsed]
    ) -> None:
        self._parsers, self._sources, self._parse = parsers, sources, parse
        self._done = False  # every file given: the children are ending by themselves

    def __iter__(self) -> Iterator[Parsed]:
        for source in self._sources:
            found = self._parsers.parsed(source.file)
            yield found if found is not None else self._parse(source)
        self._done = True

    def close(self, wait: bool = True) -> None:
        self._parsers.close(wait, self._done)


def start(config: Config, options: BuildOptions, sources: Sequence[SourceFile]) -> Parsers | None:
    """The children parsing the post files `sources` for a first build: discovery left their
    times and sizes UNSTATED, having no build cache or record of a last build. None when they
    would not help: fewer than MAX_FILES files (`ahead` starts then), one core or `workers =
    1`, no `fork`, threads (a fork copies one)."""
    workers = fork_workers(config, options, sources)
    if len(sources) < MAX_FILES or workers < 2:
        return None
    size = max(BLOCK, -(-len(sources) // _MOST_BLOCKS))
    blocks = -(-len(sources) // size)
    tickets = _tickets(blocks)
    if tickets is None:
        return None
    claims = mmap.mmap(-1, blocks)
    children: dict[int, int] = {}
    try:
        for number in range(1, min(workers, MOST, max(2, blocks // BLOCKS_EACH)) + 1):
            child = _fork(number, config, sources, (size, tickets, claims), children)
            if child is None:
                break  # out of memory, descriptors or processes: those forked parse all
            children[child[0]] = child[1]
    finally:
        os.close(tickets)
    return Parsers(claims, size, [s.file for s in sources], children) if children else None


def _tickets(blocks: int) -> int | None:
    """A pipe holding each block's number, the read end returned: a child takes a block by
    reading its number, which no other can then read (a read of a whole number written at
    once is atomic). All are written before any child is forked: the pipe's least capacity,
    a page, holds _MOST_BLOCKS of them. None if the system refuses."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        os.set_blocking(write_end, False)
        data = struct.pack(f"<{blocks}I", *range(blocks))
        if os.write(write_end, data) == len(data):
            return read_end
    except OSError:
        pass
    finally:
        os.close(write_end)  # every number read, a child reads the end
    os.close(read_end)
    return None


def _fork(
    number: int,
    config: Config,
    sources: Sequence[SourceFile],
    shared: tuple[int, int, mmap.mmap],
    others: dict[int, int],
) -> tuple[int, int] | None:
    """The `number`th child forked: the read end of its pipe and its process; None when the
    system refuses. `others`: the pipes of the children forked before (their ends, which
    this one must not hold)."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:
        os.close(read_end)
        for fd in others:
            os.close(fd)
        _child(number, config, sources, shared, write_end)
    os.close(write_end)
    widen_pipe(read_end)
    return read_end, pid


def _child(
    number: int,
    config: Config,
    sources: Sequence[SourceFile],
    shared: tuple[int, int, mmap.mmap],
    fd: int,
) -> NoReturn:
    """In a child: take each block of files left (`_tickets`), claim it, parse its files and
    send them, as a parse worker would; end at once, whatever happens (the build parses what
    it was not sent)."""
    size, tickets, claims = shared
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it without a traceback
        from ..content.loader import ParseContext
        from .ahead import first_build_records
        from .cache import parse_and_record

        ctx = ParseContext.from_config(config)
        early = first_build_records(config)
        while ticket := os.read(tickets, _TICKET.size):
            (block,) = _TICKET.unpack(ticket)
            claims[block] = number
            files = sources[block * size : (block + 1) * size]
            parsed = [parse_and_record(source, ctx, early)[1] for source in files]
            send_message(fd, (block, parsed))
    except BaseException:  # nothing here may reach the user: the build goes on without it
        pass
    os._exit(0)
