"""A first build's files written by the child that renders ahead, between two posts and after.

A small site's first build keeps both cores busy until the child has rendered its share of the
posts (`incremental.ahead`); from there this process alone made the last documents and wrote
every file, on threads that could not take the interpreter's lock while it made documents (of
a 100-post build's 224 files, ~180 were written after its last document). Here each file goes
to the child instead, which writes it between two posts and, once it has rendered, until the
build says it has handed over the last: the two processes share that work as they share the
rendering (a post the child is too busy to render, the build renders itself).

A document is its parts (a feed's header, then each entry's bytes, which a dozen documents
share): each part crosses the pipe once, and later documents name it by its number. The
child answers each file with whether it wrote it; a file it could not write (an error, or it
ended) the build writes itself, and so reports what went wrong as it always did.
"""

from __future__ import annotations

import marshal
import os
import select
import struct
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import Artifact
from ..output import Targets, remove_temporaries, write_one

if TYPE_CHECKING:
    from .ahead import Ahead, Claims

# Before each message to the child: the size of its header (marshal data: the output folder,
# the file's path, `flush_new`, its parts' numbers, the sizes of the parts new to the child,
# the file's number), and of the new parts that follow it.
_SIZES = struct.Struct(">II")
Report = Callable[[str, "bool | None"], None]  # a file's path, and whether it was written


class ChildLanes:
    """`output.Lanes` that hand each file to the child (`Ahead.send_work`). When the build
    first waits for one, it has nothing else to do: it takes back, from the last, the files the
    child has not started (`Claims.take_file`), and writes them meanwhile."""

    def __init__(self, ahead: Ahead, claims: Claims) -> None:
        self._ahead, self._claims = ahead, claims
        self._numbers: dict[int, int] = {}  # id of a part sent -> its number in the child
        self._sent: list[bytes] = []  # the parts sent, kept so that no other takes their id
        self._handed: list[ChildWrite] = []
        self._taken_back = False

    def submit(self, targets: Targets, artifact: Artifact, flush_new: bool) -> ChildWrite:
        parts = [artifact.data] if isinstance(artifact.data, bytes) else list(artifact.data)
        layout, new = [], []
        for part in parts:
            number = self._numbers.get(id(part))
            if number is None:
                number = self._numbers[id(part)] = len(self._sent)
                self._sent.append(part)
                new.append(part)
            layout.append(number)
        file = len(self._handed)
        root = str(targets.root)
        header = marshal.dumps(
            (root, artifact.path, flush_new, layout, [len(p) for p in new], file)
        )
        sizes = _SIZES.pack(len(header), sum(len(p) for p in new))
        self._ahead.send_work([sizes, header, *new])
        write = ChildWrite(self, targets, artifact, flush_new)
        self._handed.append(write)
        return write

    def wait_for(self, write: ChildWrite) -> bool:
        """`write`'s result: the child's, or this process's when it took the file back."""
        if not self._taken_back:
            self._taken_back = True
            self._take_back()
        if write.here is not None:
            return write.here
        wrote = self._ahead.written(write.artifact.path)
        if wrote is None:  # it failed to, or ended: its error, if any, is raised here
            return write.write_here()
        return wrote

    def _take_back(self) -> None:
        """Write here, from the last, the files the child has not started, until one it has."""
        for number in range(len(self._handed) - 1, -1, -1):
            if not self._claims.take_file(number, here=True):
                return
            write = self._handed[number]
            try:
                write.here = write.write_here()
            except Exception:  # raised again when its result is asked for
                return

    def shutdown(self) -> None:
        """Every file handed over: the child writes what it has, answers, and ends. One that
        ended before (killed) may have left a temporary file, which nothing would remove
        (the build's own mark is gone when it ends well): the build removes it."""
        self._ahead.end_work()
        if self._ahead.ended_writing and self._handed:
            self._ahead.close()  # reaped: its files are a dead writer's
            remove_temporaries(self._handed[0].root)


class ChildWrite:
    """A file handed to the child (`output.Written`); written here when the child did not."""

    def __init__(self, lanes: ChildLanes, targets: Targets, artifact: Artifact, flush_new: bool):
        self._lanes, self._targets = lanes, targets
        self.artifact, self._flush_new = artifact, flush_new
        self.here: bool | None = None  # written here (`ChildLanes._take_back`): the result

    @property
    def root(self) -> Path:
        return self._targets.root

    def result(self) -> bool:
        return self._lanes.wait_for(self)

    def write_here(self) -> bool:
        return write_one(self._targets, self.artifact, self._flush_new)


class ChildWriter:
    """In the child: the files the build hands over (`ChildLanes`), read from `fd` and written,
    each answered through `report`."""

    def __init__(self, fd: int, report: Report, claims: Claims) -> None:
        self._fd, self._report, self._claims = fd, report, claims
        self._buffer = bytearray()
        self._parts: list[bytes] = []
        self._targets: dict[str, Targets] = {}
        self.ended = False

    def drain(self, until_end: bool = False) -> None:
        """Write every file handed over so far; with `until_end`, until the build says it
        has handed over the last (or has ended)."""
        while not self.ended and (until_end or select.select([self._fd], [], [], 0)[0]):
            try:
                data = os.read(self._fd, 1 << 20)
            except InterruptedError:
                continue
            if not data:
                self.ended = True
            self._buffer += data
            self._write_whole()

    def _write_whole(self) -> None:
        at, buffer = 0, self._buffer
        while len(buffer) - at >= _SIZES.size:
            head_size, new_size = _SIZES.unpack_from(buffer, at)
            start = at + _SIZES.size
            end = start + head_size + new_size
            if end > len(buffer):
                break
            head = marshal.loads(buffer[start : start + head_size])
            self._write(head, buffer, start + head_size)
            at = end
        del buffer[:at]

    def _write(self, head: tuple[Any, ...], buffer: bytearray, at: int) -> None:
        root, path, flush_new, layout, sizes, file = head
        for size in sizes:
            self._parts.append(bytes(buffer[at : at + size]))
            at += size
        if not self._claims.take_file(file, here=False):
            self._report(path, None)  # the build took it back, and writes it
            return
        targets = self._targets.get(root)
        if targets is None:
            targets = self._targets[root] = Targets(Path(root))
        parts = tuple(self._parts[number] for number in layout)
        try:
            wrote: bool | None = write_one(targets, Artifact(path, parts), flush_new)
        except Exception:  # the build writes it, and says what went wrong
            wrote = None
        self._report(path, wrote)
