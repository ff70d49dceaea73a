"""A first build's posts parsed and rendered ahead, on the core the build leaves idle.

A cold build of a small site runs on one core for its first ~0.1 s: importing and reading the
config, before any work can be shared. Parsing and rendering, most of the rest of its work, need
only each post and the config: a child forked once the build has found the files parses each,
sending it as a parse worker would (`cache.Parsed`: the build parses none itself, and meanwhile
compiles what the documents need, `build.ready_to_build`), then renders the posts, newest first
(the feeds' first items) until the build says in which order its documents need them
(`Claims.want`), and sends each post's HTML and summary under the renderer's cache keys, which
name everything a rendering depends on (`Renderer.ahead_entry`). The build takes them as it
makes the documents, rendering meanwhile the last posts of its order nobody has claimed; a post
the child did not render the same (one whose address a clash moved, one that looks a `ref` up,
which needs every post loaded) the build renders itself, and so the files the child never sent
(it failed). The child also writes the build's files, between two posts and once it has
rendered (`ahead_writes`).

Only a first build (no build cache, no record of a last build: with them, the HTML is there
already) of fewer than 256 post files: with more, the build parses them on workers and renders
only the posts its feeds show, then a fraction of them (the child would render the others for
nothing).
"""

from __future__ import annotations

import contextlib
import itertools
import marshal
import mmap
import os
import select
import signal
import struct
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, NoReturn

from ..output import IOV_MAX, write_all
from .pool import thread_count, worker_count

if TYPE_CHECKING:
    from ..config import Config
    from ..content.loader import SourceFile
    from ..content.markdown import Renderer
    from ..model import Post
    from .ahead_writes import ChildLanes
    from .cache import Parsed
    from .shortcut import BuildOptions

MAX_FILES = 256  # build.MIN_PARSED: from there, the feeds show a fraction of the posts
_LENGTH = struct.Struct(">I")
_COUNT = struct.Struct("<I")
# What the child sends, each message tagged: a file parsed, as a parse worker hands it back
# (its path, `cache.Parsed` and the post's body), a post rendered (`Renderer.ahead_entry`), or
# whether it wrote a file the build handed over (`ahead_writes`), or that it has rendered every
# post it could (it lives on to write files: the build renders the rest).
_PARSED, _RENDERED, _WROTE, _RENDERED_ALL = 0, 1, 2, 3
_PIPE_SIZE = 1 << 20  # Linux's default ceiling for a user (`widen_pipe`)
_HANDED = 1 << 16  # the files the build may take back from the child (`Claims.take_file`)
Keep = Callable[[str, str, "str | None", "str | None"], None]
Entry = tuple[str, str, "str | None", "str | None"]


class Claims:
    """What each side claims before it renders a post, so that neither renders one the other
    has started: a byte per post file, in memory the fork shares (two claims at once, which
    nothing prevents, only make one post twice). Also the order in which the build wants the
    posts, once it knows it (`want`), so that the child renders them in that order."""

    def __init__(self, files: Sequence[str]) -> None:
        self._bytes = mmap.mmap(-1, len(files))
        self._order = mmap.mmap(-1, _COUNT.size * (len(files) + 1))  # a count, then indexes
        self._at = {file: i for i, file in enumerate(files)}
        # The files the build hands over to write (`ahead_writes`), by their number: the build
        # takes back, from the last, those the child has not started once it has no more to
        # make. Untouched pages of an anonymous mapping take no memory.
        self._handed = mmap.mmap(-1, _HANDED)

    def take_file(self, number: int, here: bool) -> bool:
        """Whether this process is to write the `number`th file handed over: nobody had
        claimed it (now this process has); past the claims' size, the child writes it. Two
        claims at once only write the file twice, the same bytes (the second finds them there
        and counts the file unchanged)."""
        if number >= len(self._handed):
            return not here
        if self._handed[number]:
            return False
        self._handed[number] = 1
        return True

    def want(self, posts: Sequence[Post]) -> None:
        """Say, in the build, that it needs `posts` in this order."""
        found = (self._at.get(str(post.source)) for post in posts)
        indexes = [at for at in found if at is not None]
        struct.pack_into(f"<{len(indexes)}I", self._order, _COUNT.size, *indexes)
        _COUNT.pack_into(self._order, 0, len(indexes))  # last: the child reads the count first

    def wanted(self) -> list[int]:
        """In the child: the files the build needs, in order, as indexes (`index`); empty
        until it has said."""
        (count,) = _COUNT.unpack_from(self._order, 0)
        return list(struct.unpack_from(f"<{count}I", self._order, _COUNT.size))

    def index(self, post: Post) -> int | None:
        return self._at.get(str(post.source))

    def take(self, post: Post) -> bool:
        """Whether this process is to render `post`: nobody had claimed it (now this process
        has), or it is not one of the files."""
        at = self._at.get(str(post.source))
        if at is None:
            return True
        if self._bytes[at]:
            return False
        self._bytes[at] = 1
        return True

    def give_back(self, post: Post) -> None:
        self._bytes[self._at[str(post.source)]] = 0


class Ahead:
    """The parent's end: the child's process, the pipe it writes to, the claims both share, and
    the pipe of the files it is handed to write. The child sends each file parsed first, then
    the posts rendered and the files written as they come, then that it has rendered all."""

    def __init__(self, pid: int, fd: int, claims: Claims, work_fd: int | None = None) -> None:
        self.pid, self.fd, self.claims = pid, fd, claims
        self._buffer = bytearray()
        self._done = False
        self._parsed: dict[str, Parsed] = {}
        self._rendered: list[Entry] = []  # arrived while a parsed file was awaited
        # Each post's body, which a parsed file's row leaves out (`cache.pack`): for the posts
        # the build renders itself, which would read their files again.
        self.bodies: dict[str, str] = {}
        # The files handed to the child to write (`ahead_writes`): what is not sent yet (the
        # pipe was full), and the child's answers.
        self._work_fd = work_fd
        self._backlog: deque[bytes | memoryview] = deque()
        self._written: dict[str, bool | None] = {}
        self.writing = False
        self.ended_writing = False  # it ended before the build had handed over every file
        self._rendered_all = False

    def claim(self, post: Post) -> bool:
        """Whether this process is to render `post` (`Claims.take`)."""
        return self.claims.take(post)

    def parsed(self, file: str) -> Parsed | None:
        """The file as the child parsed it; None when the child ended first (it failed: the
        build parses the file itself)."""
        while (found := self._parsed.pop(file, None)) is None:
            if not self._read():
                return None
        return found

    def parsed_all(
        self, sources: Sequence[SourceFile], parse: Callable[[SourceFile], Parsed]
    ) -> ParsedAhead:
        """Each of `sources` as the child parsed it, in order (`pool.Running`)."""
        return ParsedAhead(self, sources, parse)

    def pending(self) -> bool:
        """Whether the child has sent what `receive` would take without waiting."""
        if self._rendered or self._done or self._rendered_all:
            return True
        return bool(select.select([self.fd], [], [], 0)[0])

    def receive(self, keep: Keep) -> bool:
        """Wait for the next rendered posts and `keep` each; False once the child has rendered
        all it could, or ended (it failed): the build renders what is left."""
        if not self._rendered and (self._rendered_all or not self._read()):
            return False
        entries, self._rendered = self._rendered, []
        for entry in entries:
            keep(*entry)
        return True

    def _read(self) -> bool:
        """Wait for more of what the child sends, and sort it; False once it has ended."""
        if self._done:
            return False
        try:
            data = os.read(self.fd, 1 << 20)
        except OSError:
            data = b""
        if not data:
            # Handed files it had still to write: it ended in the middle of one, perhaps.
            self.ended_writing = self.writing and self._work_fd is not None
            self.close()
            return False
        self._buffer += data
        for kind, content in take_messages(self._buffer):
            if kind == _PARSED:
                file, parsed, text = content
                self._parsed[file] = parsed
                if text is not None:
                    self.bodies[file] = text
            elif kind == _WROTE:
                self._written[content[0]] = content[1]
            elif kind == _RENDERED_ALL:
                self._rendered_all = True
            else:
                self._rendered.append(content)
        return True

    # --- the files it writes (`ahead_writes`) -----------------------------------------------

    def lanes(self) -> ChildLanes | None:
        """The child as the lanes of the build's writer, or None when it has ended."""
        if self._done or self._work_fd is None:
            return None
        from .ahead_writes import ChildLanes

        self.writing = True  # from now on, it lives until every file is written
        return ChildLanes(self, self.claims)

    def send_work(self, chunks: list[bytes]) -> None:
        """Hand over a file's message (`ChildLanes`), as much of it as the pipe takes now."""
        self._backlog.extend(chunks)
        self._flush(block=False)

    def written(self, path: str) -> bool | None:
        """Whether the child wrote the file `path`, once it has said; None when it could not
        (the build writes it)."""
        while path not in self._written:
            self._flush(block=True)
            if not self._read():
                return None
        return self._written.pop(path)

    def end_work(self) -> None:
        """Every file handed over: the child writes what it has and ends."""
        self._flush(block=True)
        if self._work_fd is not None:
            os.close(self._work_fd)
            self._work_fd = None

    def _flush(self, block: bool) -> None:
        """Send what the pipe to the child takes (all of it, with `block`: meanwhile what the
        child sends is read, so that neither waits for the other)."""
        while self._backlog and self._work_fd is not None:
            try:
                sent = os.writev(self._work_fd, list(itertools.islice(self._backlog, IOV_MAX)))
            except BlockingIOError:
                if not block:
                    return
                readable, _, _ = select.select([self.fd], [self._work_fd], [])
                if readable and not self._read():
                    self._backlog.clear()  # it ended: the build writes those files
                continue
            except OSError:  # it ended (a broken pipe)
                self._backlog.clear()
                return
            self._sent(sent)

    def _sent(self, count: int) -> None:
        backlog = self._backlog
        while count:
            first = backlog[0]
            if len(first) > count:
                backlog[0] = memoryview(first)[count:]
                return
            count -= len(first)
            backlog.popleft()

    def rendered_all(self, wait: bool = True) -> None:
        """The build needs no more posts: the child ends, unless it writes the build's files."""
        if not self.writing:
            self.close(wait)

    def close(self, wait: bool = True) -> None:
        """Stop the child (it may still be rendering a post the build rendered too) and reap
        it; `wait=False` when the process ends at once, which takes it away."""
        if self._done:
            return
        self._done = True
        os.close(self.fd)
        if self._work_fd is not None:
            os.close(self._work_fd)
            self._work_fd = None
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
            if wait:
                os.waitpid(self.pid, 0)


class ParsedAhead:
    """Files as the child parsed them, in order, or as `parse` does when it cannot (it ended)."""

    def __init__(
        self, ahead: Ahead, sources: Sequence[SourceFile], parse: Callable[[SourceFile], Parsed]
    ) -> None:
        self._ahead, self._sources, self._parse = ahead, sources, parse

    def __iter__(self) -> Iterator[Parsed]:
        for source in self._sources:
            found = self._ahead.parsed(source.file)
            yield found if found is not None else self._parse(source)

    def close(self, wait: bool = True) -> None:
        pass  # the child goes on to render


def start(config: Config, options: BuildOptions, sources: Sequence[SourceFile]) -> Ahead | None:
    """The child rendering the post files `sources` ahead, for a first build: discovery left
    their times and sizes UNSTATED, having no build cache or record of a last build to compare
    them with. None when it would not help: a cache to take the HTML from, no post files or
    MAX_FILES or more, one core or `workers = 1`, no `fork`, threads (a fork copies one)."""
    if not 0 < len(sources) < MAX_FILES or fork_workers(config, options, sources) < 2:
        return None
    pipes: list[int] = []
    try:
        claims = Claims([s.file for s in sources])  # shared with the child
        pipes += os.pipe()  # the child's to the build
        pipes += os.pipe()  # the build's to the child: files to write (`ahead_writes`)
        pid = os.fork()
    except OSError:  # out of memory or descriptors, a process limit, a sandbox's rule
        for fd in pipes:
            os.close(fd)
        return None  # the build renders by itself
    read_end, write_end, work_read, work_write = pipes
    if pid == 0:
        os.close(read_end)
        os.close(work_write)
        _child(config, options, sources, claims, write_end, work_read)
    os.close(write_end)
    os.close(work_read)
    os.set_blocking(work_write, False)  # a full pipe never holds the build up (`_flush`)
    widen_pipe(read_end)
    widen_pipe(work_write)
    return Ahead(pid, read_end, claims, work_write)


def fork_workers(config: Config, options: BuildOptions, sources: Sequence[SourceFile]) -> int:
    """How many processes a first build may fork to work on the post files `sources` ahead
    (here, or `parse_ahead`): none, unless discovery left their times and sizes UNSTATED (no
    build cache or record of a last build to compare them with), the system forks, and this
    process has no other thread (a fork copies one); else one per worker (`workers`)."""
    if not sources or sources[0].stated or not hasattr(os, "fork") or thread_count() > 1:
        return 0
    return worker_count(config.build.workers if options.workers is None else options.workers)


def widen_pipe(fd: int) -> None:
    """The pipe `fd` as large as Linux lets a user make it without privileges, so that a
    writer seldom waits for its reader; elsewhere, or over the user's limit, as it is."""
    with contextlib.suppress(AttributeError, OSError):
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


def _child(
    config: Config,
    options: BuildOptions,
    sources: Sequence[SourceFile],
    claims: Claims,
    fd: int,
    work_fd: int,
) -> NoReturn:
    """In the child: parse every file, sending each as a parse worker would, then render each
    post nobody has claimed, writing between two posts the files the build hands over
    (`ahead_writes`), and the rest once it has rendered; end at once, whatever happens (the
    build parses, renders and writes what it needs without)."""
    from .ahead_writes import ChildWriter

    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it without a traceback
        renderer = first_build_renderer(config)
        posts = _posts(config, options, sources, renderer, fd)
        files = ChildWriter(work_fd, partial(_answer, fd), claims)
        for post in _in_order(posts, claims):
            files.drain()
            if not claims.take(post):
                continue
            entry = _rendered(post, renderer)
            if entry is None:
                claims.give_back(post)  # the build's to render
            else:
                send_message(fd, (_RENDERED, entry))
        send_message(fd, (_RENDERED_ALL, None))
        files.drain(until_end=True)
    except BaseException:  # nothing here may reach the user: the build goes on without it
        pass
    os._exit(0)


def _in_order(posts: Sequence[Post], claims: Claims) -> Iterator[Post]:
    """`posts`, newest first (the feeds' first items), until the build says in which order it
    needs them (`Claims.want`): from there, those it needs, in that order. The others are in
    no feed: rendered, they took the core the build's writer's threads need."""
    by_index = {claims.index(post): post for post in posts}
    for post in posts:
        wanted = claims.wanted()
        if wanted:
            yield from (by_index[at] for at in wanted if at in by_index)
            return
        yield post


def _rendered(post: Post, renderer: Renderer) -> tuple[str, str, str | None, str | None] | None:
    from ..content.syntax.refs import NeedsIndex

    try:
        return renderer.ahead_entry(post)
    except (Exception, NeedsIndex):  # the build renders this one (or reports why it cannot)
        return None


def first_build_records(config: Config) -> Callable[[Post], str | None] | None:
    """What a first build's parsers record of each post as they parse it (`Renderer.
    early_record`): None on a site without a template syntax, which has nothing to record,
    and whose children that only parse (`parse_ahead`) then need not import the renderer
    (~7 ms of each one's CPU)."""
    from ..content.syntax import PARSED, syntax_of

    if syntax_of(config) not in PARSED:
        return None
    return first_build_renderer(config).early_record


def first_build_renderer(config: Config) -> Renderer:
    """The renderer a first build makes (no cache); a post that looks a ref up raises
    NeedsIndex in it, and is not sent."""
    from ..content.markdown import renderer_for
    from ..content.syntax.refs import UNRESOLVED

    renderer = renderer_for(config)
    renderer.use_refs(UNRESOLVED)
    return renderer


def _posts(
    config: Config,
    options: BuildOptions,
    sources: Sequence[SourceFile],
    renderer: Renderer,
    fd: int | None = None,
) -> list[Post]:
    """The posts of `sources` a build would list, newest first; each file parsed is sent to
    `fd` as the build's parser takes it (`build.cached_parser`)."""
    from ..content.loader import LoadOptions, ParseContext, held_back, sort_posts
    from ..dates import resolve_now
    from .cache import parse_and_record

    ctx = ParseContext.from_config(config)
    now = resolve_now(options.now, options.env, config.tz)
    shown = LoadOptions(now, options.drafts, options.future).with_rules(ctx.rules)
    early = renderer.early_record if renderer.expands_syntax else None
    posts = []
    for source in sources:
        post, parsed = parse_and_record(source, ctx, early)
        if fd is not None:
            body = post.body if post is not None else None
            send_message(fd, (_PARSED, (source.file, parsed, body)))
        if post is None:
            continue
        if parsed[2] is not None:
            renderer.remember_early(post, parsed[2])
        if post.in_feeds and held_back(post, shown) is None:
            posts.append(post)
    return sort_posts(posts)


def _answer(fd: int, path: str, wrote: bool | None) -> None:
    """Tell the build whether the child wrote the file `path` (None: the build is to)."""
    send_message(fd, (_WROTE, (path, wrote)))


def send_message(fd: int, message: tuple[int, Any]) -> None:
    """`message` (marshal data) to the pipe `fd`, as one whole that `take_messages` reads."""
    data = marshal.dumps(message)
    write_all(fd, _LENGTH.pack(len(data)) + data)


def take_messages(buffer: bytearray) -> list[Any]:
    """The whole messages (`send_message`) at the start of `buffer`, taken out of it."""
    messages, at = [], 0
    while len(buffer) - at >= _LENGTH.size:
        (size,) = _LENGTH.unpack_from(buffer, at)
        end = at + _LENGTH.size + size
        if end > len(buffer):
            break
        messages.append(marshal.loads(buffer[at + _LENGTH.size : end]))
        at = end
    del buffer[:at]
    return messages
