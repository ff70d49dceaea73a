"""Measure every goal of issue 21, with Hugo doing the same work in the same run.

    python bench/run.py                           # 100, 1,000, 10,000 posts; 3 rounds (~3-5 min)
    python bench/run.py --corpus bench html       # also the corpus of raw HTML and shortcodes
    python bench/run.py --preview                 # also the live preview's latency (10,000 posts)
    python bench/run.py --sizes 10000 100000 --rounds 1   # the memory goal at 100,000

Each round runs, one after the other so machine noise hits both alike: Hugo (Debian's `hugo`
package, installed if missing) writing RSS, Atom and JSON Feed with full content and 20 items
for the home page, the section and every tag, category, series and author term (bench/hugo/);
`syndicate build` cold (no cache, no output), warm (nothing changed), and after one post is
edited. Then, apart from the timed rounds: the peak proportional set size (PSS) of one more
cold build, summed over the process and its workers (sampled from /proc/<pid>/smaps_rollup),
at 10,000 posts and more; start-up (`syndicate --version` and `--help` against `python -c
pass`); `syndicate digest` of 20 posts on the smallest site; and, with --preview, the time from
writing a post's file to `syndicate serve`'s build version (what the preview page polls)
changing, over 20 edits. It prints each figure beside its goal, PASS or FAIL, and the load
average before and after: a figure from a loaded machine says little about a goal. Beside the
cold, one-edit and digest goals it prints their floor (floor.py: what the project's libraries
alone take for that work on this machine); a goal missed whose floor is over its limit is
BLOCKED, not FAIL: no change to syndicate's own code can meet it.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import floor  # noqa: E402
from generate import generate, is_draft, post_date  # noqa: E402

# Every subprocess runs the syndicate installed in this Python (checked to be this tree's code,
# see `check_installed`), unbuffered (serve's lines are read live), from bytecode as an
# installed copy is: PYTHONDONTWRITEBYTECODE would compile every module at every start (0.5 s
# and more on 2 cores), which no user pays.
ENV = {
    **{k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")},
    "PYTHONUNBUFFERED": "1",
}


def check_installed() -> Path:
    """Stop unless this Python's syndicate is this tree's code (`pip install .`, or `-e .`): the
    bench times what people run, the console script of an installed copy, and a copy installed
    before the last change would time the code before it. Returns the package's folder."""
    code = (
        "import syndicate, syndicate.email_templates as t; print(syndicate.__file__, *t.__path__)"
    )
    probe = [sys.executable, "-c", code]
    found = subprocess.run(probe, env=ENV, capture_output=True, text=True, cwd=HERE)
    if found.returncode != 0:
        raise SystemExit(f"syndicate is not installed in {sys.executable}: `pip install .` first")
    package, templates = found.stdout.split()
    trees = [
        (REPO / "syndicate", Path(package).parent),
        (REPO / "email_templates", Path(templates)),
    ]
    differ = [
        str(source.relative_to(REPO))
        for tree, copy in trees
        for source in sorted(tree.rglob("*"))
        if source.is_file()
        and "__pycache__" not in source.parts
        and not _same_file(source, copy / source.relative_to(tree))
    ]
    if differ:
        raise SystemExit(
            f"the syndicate installed in {sys.executable} is not this tree's code ({len(differ)} "
            f"files differ, {differ[0]} first): run `pip install .` in this tree again"
        )
    return Path(package).parent


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def compile_package(package: Path) -> None:
    """Bytecode for the copy the bench runs (the tree itself, with an editable install)."""
    cmd = [sys.executable, "-m", "compileall", "-q", str(package)]
    subprocess.run(cmd, env=ENV, check=True, stdout=subprocess.DEVNULL)


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str = ""


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)
    feeds: int = 0

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak(self) -> float:
        return max(r.peak_mb for r in self.runs)

    @property
    def notes(self) -> list[str]:
        """What the runs said they did: once if they all agree, else each line with its count
        and the largest peak memory among its runs (a round that took another path shows)."""
        said = [(_files_line(r.output), r.peak_mb) for r in self.runs]
        lines = Counter(line for line, _ in said if line)
        if len(lines) <= 1:
            return list(lines)
        notes = []
        for line, n in lines.items():
            peak = max(mb for other, mb in said if other == line)
            notes.append(f"{n} of {len(self.runs)} runs, up to {peak:.0f} MB: {line}")
        return notes


def timed(cmd: list[str], cwd: Path | None = None) -> Run:
    """Wall time and the peak RSS of the largest process of the command (wait4's ru_maxrss)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV)
    assert proc.stdout is not None
    output = proc.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{output}")
    return Run(seconds, usage.ru_maxrss / 1024, output)


def ensure_hugo() -> str | None:
    found = shutil.which("hugo")
    if found:
        return found
    print("hugo is not installed: installing Debian's hugo package (apt-get install hugo)")
    try:
        subprocess.run(["apt-get", "install", "-y", "-qq", "hugo"], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"could not install hugo ({exc}); Hugo figures are left out")
        return None
    return shutil.which("hugo")


def feed_count(folder: Path) -> int:
    names = {"rss.xml", "atom.xml", "feed.json", "index.xml"}
    return sum(1 for p in folder.rglob("*") if p.name in names)


def syndicate_cli() -> list[str]:
    """`syndicate` as people start it: the console script next to this Python, if installed."""
    script = Path(sys.executable).parent / "syndicate"
    return [str(script)] if script.exists() else [sys.executable, "-m", "syndicate"]


def syndicate(site: Path, *extra: str) -> list[str]:
    return [*syndicate_cli(), "build", "--config", str(site / "config.toml"), *extra]


def hugo_cmd(hugo: str, site: Path, out: Path, corpus: str) -> list[str]:
    configs = [HERE / "hugo" / "hugo.toml"]
    if corpus == "html":
        configs.append(HERE / "hugo" / "html.toml")
    return [
        hugo,
        "--quiet",
        "--source",
        str(site),
        "--config",
        ",".join(str(c) for c in configs),
        "--layoutDir",
        str(HERE / "hugo" / "layouts"),
        "--destination",
        str(out),
    ]


def newest_post(site: Path) -> Path:
    # The newest post: it is in the site feed and in the feeds of all its terms.
    return max((site / "content" / "posts").glob("post-*.md"))


def edit_one_post(site: Path, label: str) -> None:
    newest = newest_post(site)
    text = newest.read_text(encoding="utf-8")
    newest.write_text(text + f"\nEdited in {label}.\n", encoding="utf-8")


def site_for(size: int, corpus: str) -> Path:
    site = HERE / "sites" / (str(size) if corpus == "bench" else f"{corpus}-{size}")
    marker = site / ".generated"
    if not marker.exists():
        print(f"generating a {size}-post {corpus} site in {site} ...", flush=True)
        generate(size, site, corpus)
        marker.write_text("ok")
    return site


def bench_size(size: int, corpus: str, rounds: int, hugo: str | None) -> dict[str, Series]:
    site = site_for(size, corpus)
    results = {name: Series() for name in ("hugo", "cold", "warm", "edit")}
    # Hugo writes beside syndicate, in the site's folder, as its own default `public/` would
    # be: both outputs deleted before each cold build, on one file system, in one folder. On a
    # file system without a journal (this workplace's VM's ext4), making a file skips every
    # inode of its folder's group freed in the last minutes, so where a folder sits changes
    # how fast files are made in it: Hugo's 100-post build took 0.198 s writing to /tmp and
    # 0.237 s writing here, its system time 0.075 -> 0.141 s (8 alternating runs, medians).
    hugo_out = site / "hugo-public"
    # The digest's measurement (`digest_wall`) leaves an outbox; one left by an earlier run
    # of an older bench would have every cold build publish its digests again, so that a
    # second run measured more work than the first.
    shutil.rmtree(site / "outbox", ignore_errors=True)
    for round_no in range(1, rounds + 1):
        if hugo:
            shutil.rmtree(hugo_out, ignore_errors=True)
            results["hugo"].runs.append(timed(hugo_cmd(hugo, site, hugo_out, corpus)))
            results["hugo"].feeds = feed_count(hugo_out)
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / ".syndicate", ignore_errors=True)
        results["cold"].runs.append(timed(syndicate(site)))
        results["cold"].feeds = feed_count(site / "public")
        results["warm"].runs.append(timed(syndicate(site)))
        edit_one_post(site, f"round {round_no}")
        results["edit"].runs.append(timed(syndicate(site)))
        print(f"  {corpus} {size} posts, round {round_no}/{rounds} done", flush=True)
    return results


def _files_line(output: str) -> str:
    for line in output.splitlines():
        if "written" in line:
            return line.strip()
    return ""


# --- memory: PSS summed over a process and its descendants, sampled while it runs


def _descendants(pid: int) -> list[int]:
    found, i = [pid], 0
    while i < len(found):
        tasks = Path(f"/proc/{found[i]}/task")
        i += 1
        try:
            for task in tasks.iterdir():
                found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue  # it ended between two reads
    return found


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass  # it ended, or is a zombie with no mappings
    return 0


def peak_pss_mb(cmd: list[str], every: float = 0.01) -> float:
    """The largest sum, over one sample, of the PSS of the command's process and its workers:
    shared pages (the workers fork from the parent) are counted once, split among them."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=ENV)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, sum(_pss_kb(pid) for pid in _descendants(proc.pid)))
            time.sleep(every)
        if proc.returncode != 0:
            out.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{out.read().decode(errors='replace')}")
    return peak / 1024


def cold_pss(size: int, corpus: str) -> float:
    site = site_for(size, corpus)
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".syndicate", ignore_errors=True)
    return peak_pss_mb(syndicate(site))


# --- start-up and digest


def startup(rounds: int) -> dict[str, float]:
    """Median wall times (s) of `python -c pass` (T), `syndicate --version` and `--help`,
    interleaved."""
    commands = {
        "T": [sys.executable, "-c", "pass"],
        "--version": [*syndicate_cli(), "--version"],
        "--help": [*syndicate_cli(), "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            times[name].append(timed(cmd).seconds)
    return {name: statistics.median(t) for name, t in times.items()}


# What `--version` and `--help` need is the version and the help text: none of these.
HEAVY = (
    "click",
    "pydantic",
    "rich",
    "yaml",
    "jinja2",
    "babel",
    "feedgen",
    "lxml",
    "mistune",
    "httpx",
)


def heavy_imports(option: str) -> list[str]:
    """The heavy packages `syndicate <option>` imports (python -X importtime)."""
    env = {**ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    cmd = [*syndicate_cli(), option]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    names = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()}
    return [name for name in HEAVY if name in names]


def digest_period(size: int, posts: int = 20) -> tuple[str, str]:
    """--since and --until around the newest `posts` published posts of a generated site."""
    published = [i for i in range(size - 1, -1, -1) if not is_draft(i)][:posts]
    since = post_date(published[-1], size)
    until = post_date(published[0], size) + timedelta(seconds=1)
    return since.isoformat(), until.isoformat()


def digest_cmd(site: Path, size: int) -> list[str]:
    since, until = digest_period(size)
    config = str(site / "config.toml")
    return [*syndicate_cli(), "digest", "--config", config, "--since", since, "--until", until]


def digest_wall(size: int, corpus: str, rounds: int) -> float:
    """Median wall time (s) of `syndicate digest` of 20 posts; the site was built before."""
    site = site_for(size, corpus)
    times = []
    try:
        for _ in range(rounds):
            _no_digests(site)
            times.append(timed(digest_cmd(site, size)).seconds)
    finally:
        _no_digests(site)  # the site as generated, for the measures that follow
    return statistics.median(times)


def _no_digests(site: Path) -> None:
    shutil.rmtree(site / "outbox", ignore_errors=True)
    shutil.rmtree(site / "public" / "digests", ignore_errors=True)


def digest_in_fresh_process(size: int, corpus: str) -> tuple[float, float]:
    """`digest_render_ms` in a new interpreter: a true first render, and this process stays
    small (a command started from a large process reports that process's size as its peak)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(digest_render_ms, (size, corpus))


def digest_render_ms(size: int, corpus: str) -> tuple[float, float]:
    """Render the digest of a 20-post period in-process: the first render (premailer's start-up
    included) and the median of the next five."""
    from syndicate.build import load_site
    from syndicate.config import load_config
    from syndicate.digest.periods import between
    from syndicate.digest.render import DigestRenderer

    config = load_config(site_for(size, corpus) / "config.toml")
    site = load_site(config, now=None, env={})
    posts = site.posts[:20]
    period = between(posts[-1].date, posts[0].date + timedelta(seconds=1), config.tz)
    times = []
    for _ in range(6):
        started = time.perf_counter()
        DigestRenderer(config, site.renderer).render(period, posts)
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:])


# --- the live preview


def _read_lines(stream: Any, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


def preview_latency(size: int, corpus: str, edits: int = 20) -> list[float]:
    """Start `syndicate serve` on the site, then `edits` times: write the newest post's file
    and poll /_preview/version (what the page polls) until it changes. Milliseconds each."""
    site = site_for(size, corpus)
    cmd = [*syndicate_cli(), "serve", "--config", str(site / "config.toml"), "--port", "0"]
    return serve_latencies(cmd, None, lambda n: edit_one_post(site, f"preview edit {n}"), edits)


def serve_latencies(
    cmd: list[str], cwd: Path | None, edit: Callable[[int], None], edits: int
) -> list[float]:
    """Start `cmd` (a `syndicate serve --port 0`), then `edits` times: `edit` (numbered from
    1) and poll /_preview/version until it changes. Milliseconds each."""
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_read_lines, args=(proc.stdout, lines), daemon=True).start()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # local, no proxy
    try:
        port = _served_port(proc, lines)
        url = f"http://127.0.0.1:{port}/_preview/version"

        def version() -> bytes:
            with opener.open(url, timeout=30) as response:
                return bytes(response.read())

        latencies = []
        for n in range(edits):
            before = _settled(version)
            edit(n + 1)
            written = time.perf_counter()
            while version() == before:
                if time.perf_counter() - written > 60:
                    raise SystemExit("the preview did not rebuild within 60 s of an edit")
                time.sleep(0.002)
            latencies.append((time.perf_counter() - written) * 1000)
        return latencies
    finally:
        proc.send_signal(signal.SIGINT)  # serve's own way to stop (Ctrl-C)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _served_port(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> int:
    said = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        said.append(line)
        found = re.search(r":(\d+)/_preview/", line)
        if found:
            return int(found.group(1))
    raise SystemExit("syndicate serve did not start:\n" + "".join(said))


def _settled(version: Callable[[], bytes], quiet: float = 0.5) -> bytes:
    """The version once it has not changed for `quiet` seconds (no rebuild still running)."""
    current, since = version(), time.perf_counter()
    while time.perf_counter() - since < quiet:
        time.sleep(0.05)
        now = version()
        if now != current:
            current, since = now, time.perf_counter()
    return current


# --- report


@dataclass
class Goal:
    name: str
    figure: float | None
    limit: float | None
    unit: str
    how: str
    floor: float | None = None  # the least the libraries allow (floor.py), in `unit`

    noisy: bool = False

    @property
    def verdict(self) -> str:
        if self.figure is None or self.limit is None:
            return "n/a"
        if self.figure <= self.limit:
            verdict = "PASS"
        elif self.floor is not None and self.floor > self.limit:
            verdict = "BLOCKED"  # the libraries alone take more than the limit
        else:
            verdict = "FAIL"
        # A figure from one round or a loaded machine is not evidence either way: starred.
        return verdict + ("*" if self.noisy else "")

    def line(self) -> str:
        def shown(value: float | None) -> str:
            if value is None:
                return "-"
            if self.unit == "x":
                return f"{value:.2f}x"
            return f"{value:.0f} {self.unit}".rstrip()

        how = self.how if self.floor is None else f"{self.how}; floor {shown(self.floor)}"
        return (
            f"  {self.name:<44}{shown(self.figure):>10}{'<= ' + shown(self.limit):>14}"
            f"  {self.verdict:<8} {how}"
        )


COLD_GOALS = {100: 1.0, 1000: 0.8, 10000: 0.75}


def size_goals(
    size: int, corpus: str, results: dict[str, Series], floors: dict[str, floor.Floor]
) -> list[Goal]:
    hugo = results["hugo"].median if results["hugo"].runs else None

    def ratio(seconds: float) -> float | None:
        return seconds / hugo if hugo else None

    where = f"{size:,} posts, {corpus} corpus"
    goals = []
    if size in COLD_GOALS:
        cold = ratio(results["cold"].median)
        least = ratio(floors["cold"].seconds)
        goals.append(Goal(f"{where}: cold", cold, COLD_GOALS[size], "x", "x Hugo", least))
    if size == 10000:
        warm = ratio(results["warm"].median)
        goals.append(Goal(f"{where}: nothing changed", warm, 0.10, "x", "x Hugo"))
        edit_ms, least_ms = results["edit"].median * 1000, floors["edit"].seconds * 1000
        goals.append(Goal(f"{where}: one post edited", edit_ms, 400, "ms", "wall", least_ms))
    return goals


def measure_floors(size: int, corpus: str) -> tuple[dict[str, floor.Floor], list[str]]:
    """The floors (floor.py) of this size's goals, from the output the last build left."""
    site = site_for(size, corpus)
    floors = {}
    if size in COLD_GOALS:
        floors["cold"] = floor.cold_floor(site, ENV)
    if size == 10000:
        floors["edit"] = floor.edit_floor(site, ENV, newest_post(site))
    lines = [f"  floor, {name}: {f.seconds:.2f} s ({f.describe()})" for name, f in floors.items()]
    return floors, lines


def report(size: int, corpus: str, results: dict[str, Series], pss: float | None) -> list[str]:
    hugo = results["hugo"]
    lines = [f"\n{size:,} posts, {corpus} corpus"]
    lines.append(f"  {'run':<28}{'median s':>10}{'peak MB':>10}{'feeds':>7}{'x Hugo':>9}")
    labels = {
        "hugo": "Hugo (Debian)",
        "cold": "syndicate cold (no cache)",
        "warm": "syndicate warm (no change)",
        "edit": "syndicate one post edited",
    }
    for name, series in results.items():
        if not series.runs:
            continue
        ratio = f"{series.median / hugo.median:.2f}" if hugo.runs and name != "hugo" else ""
        feeds = str(series.feeds) if series.feeds else ""
        lines.append(
            f"  {labels[name]:<28}{series.median:>10.2f}{series.peak:>10.0f}{feeds:>7}{ratio:>9}"
        )
        lines.extend(f"      {note}" for note in series.notes)
    lines.append("  (peak MB: the largest single process's RSS, from wait4)")
    if pss is not None:
        lines.append(f"  cold build's peak PSS, process and workers summed: {pss:.0f} MB")
    return lines


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_model(cpuinfo: str | None = None) -> str:
    """The processor's name as Linux lists it (`model name` in /proc/cpuinfo), or what Python
    knows of it elsewhere: runs on two machines of one kind are compared by it (a VM's cores
    of another model took a fifth longer for the same Python work)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "model name" and value.strip():
            return " ".join(value.split())
    import platform

    return platform.processor() or platform.machine() or "unknown processor"


@dataclass
class Measured:
    """What the run found: lines to print, goals, and the summary saved as JSON."""

    out: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def measure_startup(m: Measured, rounds: int) -> float:
    """Start-up against T (`python -c pass`); returns T in seconds."""
    times = startup(rounds)
    t = times["T"]
    m.out.append(
        f"\nstart-up, medians of {rounds}: python -c pass (T) {t * 1000:.0f} ms, "
        f"syndicate --version {times['--version'] * 1000:.0f} ms, "
        f"--help {times['--help'] * 1000:.0f} ms"
    )
    for name in ("--version", "--help"):
        limit = (1.5 * t + 0.05) * 1000
        m.goals.append(Goal(f"syndicate {name}", times[name] * 1000, limit, "ms", "1.5*T + 50 ms"))
        heavy = heavy_imports(name)
        m.out.append(f"  syndicate {name} imports: {', '.join(heavy) or f'none of {HEAVY}'}")
        how = "heavy packages imported (-X importtime)"
        m.goals.append(Goal(f"syndicate {name}: imports", len(heavy), 0, "", how))
    m.summary["startup"] = times
    return t


def measure_builds(m: Measured, args: argparse.Namespace, hugo: str | None) -> None:
    for corpus in args.corpus:
        pss: dict[int, float] = {}
        for size in args.sizes:
            results = bench_size(size, corpus, args.rounds, hugo)
            floors, floor_lines = measure_floors(size, corpus)
            if size >= 10000:
                pss[size] = cold_pss(size, corpus)
            m.out += report(size, corpus, results, pss.get(size)) + floor_lines
            m.goals += size_goals(size, corpus, results, floors)
            m.summary[f"{corpus}-{size}"] = {k: s.median for k, s in results.items() if s.runs}
            m.summary[f"{corpus}-{size}-floor"] = {k: f.parts for k, f in floors.items()}
        m.goals += memory_goals(corpus, pss)


def memory_goals(corpus: str, pss: dict[int, float]) -> list[Goal]:
    goals = []
    if 10000 in pss:
        name = f"10,000 posts, {corpus} corpus: peak memory"
        goals.append(Goal(name, pss[10000], 200, "MB", "PSS"))
    if 100000 in pss:
        name = f"100,000 posts, {corpus} corpus: peak memory"
        limit = 10 * pss[10000] if 10000 in pss else None
        how = "PSS, 10x the 10,000 figure" if limit else "PSS (add 10000 to --sizes)"
        goals.append(Goal(name, pss[100000], limit, "MB", how))
    return goals


def measure_digest(m: Measured, args: argparse.Namespace, t: float) -> None:
    smallest, corpus = min(args.sizes), args.corpus[0]
    wall = digest_wall(smallest, corpus, args.rounds)
    first, steady = digest_in_fresh_process(smallest, corpus)
    m.out.append(
        f"\ndigest of 20 posts on the {smallest:,}-post {corpus} site: `syndicate digest` "
        f"{wall * 1000:.0f} ms wall (median of {args.rounds}); in-process render "
        f"{first:.0f} ms first, {steady:.0f} ms after"
    )
    least = floor.digest_floor(ENV, t).seconds
    m.out.append(
        f"  floor: {least * 1000:.0f} ms, importing {', '.join(floor.DIGEST_LIBRARIES)} (less T)"
    )
    name, figure = "syndicate digest, 20 posts", (wall - t) * 1000
    m.goals.append(Goal(name, figure, 250, "ms", "wall - T", least * 1000))
    m.summary["digest"] = {"wall": wall, "first_ms": first, "steady_ms": steady, "floor": least}


def measure_preview(m: Measured, corpora: list[str]) -> None:
    for corpus in corpora:
        latencies = preview_latency(10000, corpus)
        median = statistics.median(latencies)
        m.out.append(
            f"\nlive preview, 10,000 posts, {corpus} corpus, {len(latencies)} edits: median "
            f"{median:.0f} ms, min {min(latencies):.0f}, max {max(latencies):.0f}"
        )
        name = f"live preview, {corpus} corpus"
        m.goals.append(Goal(name, median, 150, "ms", "write -> version"))
        m.summary[f"preview-{corpus}"] = latencies


def finish(m: Measured, rounds: int) -> None:
    print("\n".join(m.out))
    busiest = max(m.summary["load_before"][0], os.getloadavg()[0])
    noisy = rounds < 3 or busiest > (os.cpu_count() or 1) / 2
    print(f"\ngoals of issue 21 (load average now {load()}; one run on this machine):")
    for goal in m.goals:
        goal.noisy = noisy and goal.unit != ""  # an import count does not depend on load
        print(goal.line())
    if noisy:
        print(
            f"  * fewer than 3 rounds, or a load average of {busiest:.1f} on "
            f"{os.cpu_count()} cores: these figures are noise-bound, not a verdict"
        )
    m.summary["load_after"] = os.getloadavg()
    m.summary["goals"] = {g.name: [g.figure, g.limit, g.verdict] for g in m.goals}
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (results_dir / f"{stamp}.json").write_text(json.dumps(m.summary, indent=1) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--corpus", nargs="+", choices=["bench", "html"], default=["bench"], help="which corpora"
    )
    parser.add_argument(
        "--preview", action="store_true", help="also the live preview's latency (10,000 posts)"
    )
    parser.add_argument("--startup-rounds", type=int, default=10)
    args = parser.parse_args()
    compile_package(check_installed())
    hugo = ensure_hugo()
    if hugo:
        print(subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())
    cpu = cpu_model()
    print(f"{os.cpu_count()} cores ({cpu}); python {sys.version.split()[0]}; load average {load()}")
    m = Measured(summary={"load_before": os.getloadavg(), "cpu": cpu})
    t = measure_startup(m, args.startup_rounds)
    measure_builds(m, args, hugo)
    measure_digest(m, args, t)
    if args.preview:
        measure_preview(m, args.corpus)
    finish(m, args.rounds)


if __name__ == "__main__":
    main()
