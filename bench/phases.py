"""Where a cold build's time goes: the timeline of `syndicate build` on one site, phase by
phase, in the main process, the child that renders ahead (or the children that parse) and
the workers, with the CPU each used and the posts each rendered.

    python bench/phases.py bench/sites/100 --runs 5
    python bench/phases.py bench/sites/1000 --runs 5

Each run deletes the site's output and state folders (`public/`, `.syndicate/`: a cold build,
as the bench times it), then runs `syndicate build` in a fresh interpreter that imports this
file (`--inside`) to wrap a few of the build's functions as their modules are imported, in
the order the build imports them: each wrapper notes when its phase ends, and every process
notes its CPU time (user and system, `os.times`: the system counts it in ticks of 10 ms) and
the posts it rendered when it exits. Times are milliseconds from the moment the harness
started that interpreter (one clock, `time.monotonic`, for every process). It prints each
mark's median over the runs (and in how many runs it was seen, when not in all), and the
processes' CPU: with the wall time, how many cores the build kept busy, which is what bounds
a build on a machine with few.

It times the `syndicate` installed in the Python that runs it, as bench/run.py does; make it
a regular install (`pip install .`), and copy the site to a tmpfs (/dev/shm) to leave the
disk out. A hook whose function is gone (renamed or moved) stops the run with its name:
tests/test_bench_phases.py runs this on a small site, so such a change fails the tests.
"""

from __future__ import annotations

# Only what the build's own interpreter needs (`inside`) is imported at the top: anything more
# would be work the build does not do, and would import for it what it imports later.
import _thread  # built in: `threading` is the build's to import, when it does
import importlib.machinery
import os
import sys
import time

TYPE_CHECKING = False  # typing itself is imported by the build, later
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from pathlib import Path
    from types import ModuleType
    from typing import Any

# What each mark means, in the order a build reaches them; the hooks below make them.
MARKS = {
    "forked": "main: the child that renders ahead forked (start-up, config, files found)",
    "parsers": "main: the children that parse forked (start-up, config, files found)",
    "parsed": "child: every file parsed and sent to the main process",
    "loaded": "main: every post loaded (parsed by the child, the children that parse, or here)",
    "workers": "main: the workers that render forked (the posts the feeds show)",
    "first document": "main: the first feed document made",
    "child rendered": "child: rendered what nobody else had (then it writes files)",
    "child ended": "child: wrote the files the main process handed over, and ended",
    "last document": "main: the last feed document made",
    "written": "main: the writer's threads done (Writer.finish)",
    "cache saved": "main: the build cache and the record of the build written",
    "ended": "main: the command done, the process ending",
}


# --- inside the build's interpreter -------------------------------------------------------


class _Notes:
    """Lines appended to the notes file: `role pid ms mark` and `role pid cpu ms posts`."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND)
        self.started = float(os.environ["SYNDICATE_PHASES_T0"])
        self.role = "main"
        self.rendered = 0

    def mark(self, name: str) -> None:
        ms = (time.monotonic() - self.started) * 1000
        self._write(f"{self.role} {os.getpid()} {ms:.2f} {name}")

    def ending(self) -> None:
        times = os.times()
        cpu = (times.user + times.system) * 1000
        self._write(f"{self.role} {os.getpid()} cpu {cpu:.1f} {self.rendered}")

    def _write(self, line: str) -> None:
        os.write(self.fd, (line + "\n").encode())  # one write: lines of processes never mix


def _after(
    notes: _Notes, name: str, func: Callable[..., Any], unless: object = ...
) -> Callable[..., Any]:
    """`func`, noting `name` when it returns, unless it returns `unless` (`ahead.start`
    returns None when it forks no child)."""

    def marked(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        if result is not unless:
            notes.mark(name)
        return result

    return marked


def _as(notes: _Notes, role: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def in_role(*args: Any, **kwargs: Any) -> Any:
        notes.role, notes.rendered = role, 0
        return func(*args, **kwargs)

    return in_role


def _counted(notes: _Notes, func: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        notes.rendered += 1
        return func(*args, **kwargs)

    return counted


def _before_writing_to_the_end(notes: _Notes, drain: Callable[..., Any]) -> Callable[..., Any]:
    """`ChildWriter.drain`, noting when the child starts to write until the end: it has
    rendered every post it could."""

    def marked(self: Any, until_end: bool = False) -> Any:
        if until_end:
            notes.mark("child rendered")
        return drain(self, until_end)

    return marked


def _documents(notes: _Notes, generate: Callable[..., Any]) -> Callable[..., Any]:
    """`build.generate`, noting its first and last document."""

    def noted(documents: Iterable[Any]) -> Iterator[Any]:
        last = None
        for count, document in enumerate(documents):
            if count == 0:
                notes.mark("first document")
            last = document
            yield document
        if last is not None:
            notes.mark("last document")

    def marked(documents: Iterable[Any], *args: Any, **kwargs: Any) -> Any:
        return generate(noted(documents), *args, **kwargs)

    return marked


def _hooks(notes: _Notes) -> dict[str, list[tuple[str, Callable[[Any], Any]]]]:
    """For each module, its attributes to wrap (`Class.method` for a method) and how."""
    return {
        "syndicate.incremental.ahead": [
            ("start", lambda f: _after(notes, "forked", f, unless=None)),
            ("_child", lambda f: _as(notes, "child", f)),
            ("_posts", lambda f: _after(notes, "parsed", f)),
        ],
        "syndicate.incremental.parse_ahead": [
            ("start", lambda f: _after(notes, "parsers", f, unless=None)),
            ("_child", lambda f: _as(notes, "parser", f)),
        ],
        "syndicate.incremental.ahead_writes": [
            ("ChildWriter.drain", lambda f: _before_writing_to_the_end(notes, f)),
        ],
        "syndicate.incremental.pool": [
            ("_start_worker", lambda f: _as(notes, "worker", f)),
            ("Forked.__init__", lambda f: _after(notes, "workers", f)),
        ],
        "syndicate.build": [
            ("load_site", lambda f: _after(notes, "loaded", f)),
            ("generate", lambda f: _documents(notes, f)),
            ("remember_build", lambda f: _after(notes, "cache saved", f)),
        ],
        "syndicate.output": [("Writer.finish", lambda f: _after(notes, "written", f))],
        "syndicate.content.markdown": [("Renderer.render_fragment", lambda f: _counted(notes, f))],
    }


def _wrap(module: ModuleType, hooks: Sequence[tuple[str, Callable[[Any], Any]]]) -> None:
    gone = object()
    for dotted, make in hooks:
        *owners, name = dotted.split(".")
        owner: Any = module
        for part in owners:
            owner = getattr(owner, part, gone)
        found = gone if owner is gone else getattr(owner, name, gone)
        if found is gone:
            raise SystemExit(f"bench/phases.py: {module.__name__}.{dotted} is gone; update _hooks")
        setattr(owner, name, make(found))


class _Finder:  # a meta path finder (importlib.abc's base class would import importlib.resources)
    """Wraps the hooked modules' functions as soon as each module has run, so that nothing
    is imported earlier, or in another order, than the build imports it."""

    def __init__(self, hooks: dict[str, list[tuple[str, Callable[[Any], Any]]]]) -> None:
        self.hooks = hooks

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in self.hooks:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run, hooks = spec.loader.exec_module, self.hooks[name]

        def exec_module(module: ModuleType) -> None:
            run(module)
            _wrap(module, hooks)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def inside(notes_path: str, argv: list[str]) -> None:
    """Run `syndicate *argv` with the hooks: the build's own interpreter."""
    notes = _Notes(notes_path)
    if sys.path[:1] == [""]:
        del sys.path[0]  # `-c` puts the site's folder first; `syndicate` itself does not
    sys.meta_path.insert(0, _Finder(_hooks(notes)))
    real_exit = os._exit
    # A worker may be ended by two threads at once (its loop, and its lifeline when the build
    # ended first): one notes the end, and its CPU and posts once; the other waits for the exit.
    ending = _thread.allocate_lock()

    def exit_noted(code: int) -> None:  # build ends with os._exit, and so does every worker
        if ending.acquire(blocking=False):
            if notes.role not in ("worker", "parser"):
                notes.mark("ended")
            notes.ending()
            real_exit(code)
        ending.acquire()  # the thread noting the end ends the process
        real_exit(code)

    os._exit = exit_noted  # type: ignore[assignment]
    sys.argv = ["syndicate", *argv]
    from syndicate.entry import run

    run()


# --- the harness ----------------------------------------------------------------------------


class Run:
    """One build's notes: each mark's time (ms) and each process's CPU and posts rendered."""

    def __init__(self, lines: Iterable[str], wall: float, output: str = "") -> None:
        self.wall = wall
        self.output = output  # what the build printed
        self.marks: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.rendered: dict[str, int] = {}
        self.processes: dict[str, int] = {}
        for line in lines:
            self._read(line.split())

    def _read(self, fields: list[str]) -> None:
        role = fields[0]
        if fields[2] == "cpu":
            self.cpu[role] = self.cpu.get(role, 0.0) + float(fields[3])
            self.rendered[role] = self.rendered.get(role, 0) + int(fields[4])
            self.processes[role] = self.processes.get(role, 0) + 1
            return
        name = " ".join(fields[3:])
        if role == "child" and name == "ended":
            name = "child ended"
        self.marks.setdefault(name, float(fields[2]))


def cold_build(site: Path) -> Run:
    """One cold `syndicate build` of `site`, noted."""
    import shutil
    import subprocess
    import tempfile

    for folder in ("public", ".syndicate"):
        shutil.rmtree(site / folder, ignore_errors=True)
    with tempfile.NamedTemporaryFile("r", prefix="phases-", suffix=".txt") as notes:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed copy runs: from bytecode
        started = time.monotonic()
        env["SYNDICATE_PHASES_T0"] = repr(started)
        # This file imported, not run: a script is compiled at every start, a module once.
        here = os.path.dirname(os.path.abspath(__file__))
        code = f"import sys; sys.path.append({here!r}); import phases; phases.main(sys.argv[1:])"
        command = [sys.executable, "-c", code, "--inside", notes.name, "build"]
        done = subprocess.run(command, cwd=site, env=env, capture_output=True, text=True)
        wall = (time.monotonic() - started) * 1000
        if done.returncode != 0:
            raise SystemExit(f"syndicate build failed in {site}:\n{done.stdout}{done.stderr}")
        return Run(notes.read().splitlines(), wall, done.stdout + done.stderr)


def report(site: Path, runs: Sequence[Run]) -> list[str]:
    import statistics

    lines = [f"{site}: {len(runs)} cold builds, medians; ms from the command's start"]
    for name, meaning in MARKS.items():
        seen = [run.marks[name] for run in runs if name in run.marks]
        if seen:
            partly = "" if len(seen) == len(runs) else f" (in {len(seen)} of {len(runs)} runs)"
            lines.append(f"  {statistics.median(seen):7.1f}  {meaning}{partly}")
    wall = statistics.median(run.wall for run in runs)
    lines.append(f"  {wall:7.1f}  the command's wall time, as the harness saw it")
    lines.extend(_cpu_lines(runs, wall))
    return lines


def _cpu_lines(runs: Sequence[Run], wall: float) -> list[str]:
    import statistics

    roles = ("main", "child", "parser", "worker")
    roles = tuple(role for role in roles if any(role in r.cpu for r in runs))
    parts, total = [], 0.0
    for role in roles:
        cpu = statistics.median(run.cpu.get(role, 0.0) for run in runs)
        posts = statistics.median(run.rendered.get(role, 0) for run in runs)
        count = max(run.processes.get(role, 0) for run in runs)
        who = f"{count} {role}s" if role in ("worker", "parser") else role
        parts.append(f"{who} {cpu:.0f} ms ({posts:.0f} posts rendered)")
        total += cpu
    return [
        "  CPU (user + system), medians: " + "; ".join(parts),
        f"  {total:.0f} ms of CPU in {wall:.0f} ms: {total / wall:.2f} cores busy on average",
    ]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--inside"]:
        inside(argv[1], argv[2:])
        return 0
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site folder (bench/generate.py makes them)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    runs = [cold_build(args.site.resolve()) for _ in range(args.runs)]
    print("\n".join(report(args.site, runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
