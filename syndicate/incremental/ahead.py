"""A first build's posts rendered ahead, on the core the build leaves idle while it starts.

A cold build of a small site runs on one core for its first ~0.15 s: importing, loading and
grouping the posts, before the renderer's workers start (`Renderer.rendering`). Rendering, most
of the rest of its work, needs only each post and the config: a child forked as the build begins
reads the posts itself and renders them, newest first (the feeds' first items), and sends each
post's HTML and summary under the renderer's cache keys, which name everything a rendering
depends on (`Renderer.ahead_entry`). The build takes them as it makes the documents; a post the
child did not render the same (one whose address a clash moved, one that looks a `ref` up, which
needs every post loaded) the build renders itself.

Only a first build (no build cache, no record of a last build: with them, the HTML is there
already) of fewer than 256 post files: with more, the build parses them on workers and renders
only the posts its feeds show, then a fraction of them (the child would render the others for
nothing).
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import signal
import struct
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from ..output import write_all
from .pool import thread_count, worker_count

if TYPE_CHECKING:
    from ..config import Config
    from ..content.loader import SourceFile
    from ..content.markdown import Renderer
    from ..model import Post
    from .shortcut import BuildOptions

MAX_FILES = 256  # build.MIN_PARSED: from there, the feeds show a fraction of the posts
_LENGTH = struct.Struct(">I")
_PIPE_SIZE = 1 << 20  # Linux's default ceiling: the child seldom waits for the build to read
Keep = Callable[[str, str, "str | None", "str | None"], None]


class Claims:
    """What each side claims before it renders a post, so that neither renders one the other
    has started: a byte per post file, in memory the fork shares (two claims at once, which
    nothing prevents, only make one post twice)."""

    def __init__(self, files: Sequence[str]) -> None:
        self._bytes = mmap.mmap(-1, len(files))
        self._at = {file: i for i, file in enumerate(files)}

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
    """The parent's end: the child's process, the pipe it writes rendered posts to, and the
    claims both share."""

    def __init__(self, pid: int, fd: int, claims: Claims) -> None:
        self.pid, self.fd, self.claims = pid, fd, claims
        self._buffer = bytearray()
        self._done = False

    def claim(self, post: Post) -> bool:
        """Whether this process is to render `post` (`Claims.take`)."""
        return self.claims.take(post)

    def receive(self, keep: Keep) -> bool:
        """Wait for the next rendered posts and `keep` each; False once the child has ended
        (it had no more, or failed: the build renders what is left)."""
        if self._done:
            return False
        try:
            data = os.read(self.fd, 1 << 20)
        except OSError:
            data = b""
        if not data:
            self.close()
            return False
        self._buffer += data
        for entry in self._entries():
            keep(*entry)
        return True

    def _entries(self) -> list[tuple[str, str, str | None, str | None]]:
        """The whole entries in the buffer, taken out of it."""
        entries, at, buffer = [], 0, self._buffer
        while len(buffer) - at >= _LENGTH.size:
            (size,) = _LENGTH.unpack_from(buffer, at)
            end = at + _LENGTH.size + size
            if end > len(buffer):
                break
            entries.append(marshal.loads(buffer[at + _LENGTH.size : end]))
            at = end
        del buffer[:at]
        return entries

    def close(self, wait: bool = True) -> None:
        """Stop the child (it may still be rendering posts no feed shows) and reap it;
        `wait=False` when the process ends at once, which takes it away."""
        if self._done:
            return
        self._done = True
        os.close(self.fd)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
            if wait:
                os.waitpid(self.pid, 0)


def start(config: Config, options: BuildOptions, sources: Sequence[SourceFile]) -> Ahead | None:
    """The child rendering the post files `sources` ahead, for a first build: discovery left
    their times and sizes UNSTATED, having no build cache or record of a last build to compare
    them with. None when it would not help: a cache to take the HTML from, no post files or
    MAX_FILES or more, one core or `workers = 1`, no `fork`, threads (a fork copies one)."""
    workers = worker_count(config.build.workers if options.workers is None else options.workers)
    if not hasattr(os, "fork") or workers < 2 or thread_count() > 1:
        return None
    if not 0 < len(sources) < MAX_FILES or sources[0].stated:
        return None
    try:
        claims = Claims([s.file for s in sources])  # shared with the child
        read_end, write_end = os.pipe()
    except OSError:
        return None  # out of memory or descriptors: the build renders by itself
    try:
        pid = os.fork()
    except OSError:  # a process limit, a sandbox that forbids it
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:
        os.close(read_end)
        _child(config, options, sources, claims, write_end)
    os.close(write_end)
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or over the user's limit
        import fcntl

        fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    return Ahead(pid, read_end, claims)


def _child(
    config: Config,
    options: BuildOptions,
    sources: Sequence[SourceFile],
    claims: Claims,
    fd: int,
) -> NoReturn:
    """In the child: render each post nobody has claimed, then end at once, whatever happens
    (the build renders what it needs without)."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends it without a traceback
        posts = _posts(config, options, sources)
        renderer = _renderer(config)
        for post in posts:
            if not claims.take(post):
                continue
            entry = _rendered(post, renderer)
            if entry is None:
                claims.give_back(post)  # the build's to render
            else:
                _send(fd, entry)
    except BaseException:  # nothing here may reach the user: the build renders without it
        pass
    os._exit(0)


def _rendered(post: Post, renderer: Renderer) -> tuple[str, str, str | None, str | None] | None:
    from ..content.syntax.refs import NeedsIndex

    try:
        return renderer.ahead_entry(post)
    except (Exception, NeedsIndex):  # the build renders this one (or reports why it cannot)
        return None


def _renderer(config: Config) -> Renderer:
    """The renderer a first build makes (no cache); a post that looks a ref up raises
    NeedsIndex in it, and is not sent."""
    from ..content.markdown import renderer_for
    from ..content.syntax.refs import UNRESOLVED

    renderer = renderer_for(config)
    renderer.use_refs(UNRESOLVED)
    return renderer


def _posts(config: Config, options: BuildOptions, sources: Sequence[SourceFile]) -> list[Post]:
    """The posts of `sources` a build would list, newest first."""
    from ..content.loader import LoadOptions, ParseContext, held_back, parse_file, sort_posts
    from ..dates import resolve_now
    from .cache import read_and_digest

    ctx = ParseContext.from_config(config)
    now = resolve_now(options.now, options.env, config.tz)
    shown = LoadOptions(now, options.drafts, options.future).with_rules(ctx.rules)
    posts = []
    for source in sources:
        # Read as the build reads it: the file's hash names its body (`Post.body_digest`).
        read, data, hashed, _ = read_and_digest(source)
        post = parse_file(read, ctx, data, hashed)[0]
        if post is not None and post.in_feeds and held_back(post, shown) is None:
            posts.append(post)
    return sort_posts(posts)


def _send(fd: int, entry: tuple[str, str, str | None, str | None]) -> None:
    data = marshal.dumps(entry)
    write_all(fd, _LENGTH.pack(len(data)) + data)
