"""Benchmark `syndicate build` against Hugo doing the same work, in one run, interleaved.

    python bench/run.py                      # 1,000 and 10,000 posts, 3 rounds each
    python bench/run.py --sizes 100000       # on request
    python bench/run.py --sizes 1000 --rounds 5

Each round runs, one after the other so machine noise hits both alike: Hugo (Debian's `hugo`
package, installed if missing) writing RSS, Atom and JSON Feed with full content and 20 items
for the home page, the section and every tag, category, series and author term (bench/hugo/);
`syndicate build` cold (no cache, no output), warm (nothing changed), and after one post is
edited. It prints medians of wall time, the peak resident memory of the largest process, the
number of feed files each wrote, and the ratio of each syndicate figure to Hugo's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


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
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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


def syndicate(site: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "syndicate",
        "build",
        "--config",
        str(site / "config.toml"),
        *extra,
    ]


def hugo_cmd(hugo: str, site: Path, out: Path) -> list[str]:
    return [
        hugo,
        "--quiet",
        "--source",
        str(site),
        "--config",
        str(HERE / "hugo" / "hugo.toml"),
        "--layoutDir",
        str(HERE / "hugo" / "layouts"),
        "--destination",
        str(out),
    ]


def edit_one_post(site: Path, round_no: int) -> None:
    # The newest post: it is in the site feed and in the feeds of all its terms.
    newest = max((site / "content" / "posts").glob("post-*.md"))
    text = newest.read_text(encoding="utf-8")
    newest.write_text(text + f"\nEdited in round {round_no}.\n", encoding="utf-8")


def bench_size(size: int, rounds: int, hugo: str | None) -> dict[str, Series]:
    site = HERE / "sites" / str(size)
    marker = site / ".generated"
    if not marker.exists():
        print(f"generating a {size}-post site in {site} ...", flush=True)
        generate(size, site)
        marker.write_text("ok")
    results = {name: Series() for name in ("hugo", "cold", "warm", "edit")}
    hugo_out = Path("/tmp") / f"syndicate-bench-hugo-{size}"
    for round_no in range(1, rounds + 1):
        if hugo:
            shutil.rmtree(hugo_out, ignore_errors=True)
            results["hugo"].runs.append(timed(hugo_cmd(hugo, site, hugo_out)))
            results["hugo"].feeds = feed_count(hugo_out)
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / ".syndicate", ignore_errors=True)
        results["cold"].runs.append(timed(syndicate(site)))
        results["cold"].feeds = feed_count(site / "public")
        warm = timed(syndicate(site))
        results["warm"].runs.append(warm)
        edit_one_post(site, round_no)
        edit = timed(syndicate(site))
        results["edit"].runs.append(edit)
        print(f"  {size} posts, round {round_no}/{rounds} done", flush=True)
    return results


def _files_line(output: str) -> str:
    for line in output.splitlines():
        if "written" in line:
            return line.strip()
    return ""


def digest_in_fresh_process(size: int) -> tuple[float, float]:
    """`digest_render_ms` in a new interpreter: a true first render, and this process stays
    small (a command started from a large process reports that process's size as its peak)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(digest_render_ms, (size,))


def digest_render_ms(size: int) -> tuple[float, float]:
    """Render the digest of a 20-post period in-process: the first render (premailer's start-up
    included) and the median of the next five."""
    sys.path.insert(0, str(REPO))
    from syndicate.build import load_site
    from syndicate.config import load_config
    from syndicate.digest.periods import between
    from syndicate.digest.render import DigestRenderer

    config = load_config(HERE / "sites" / str(size) / "config.toml")
    site = load_site(config, now=None, env={})
    posts = site.posts[:20]
    period = between(posts[-1].date, posts[0].date + timedelta(seconds=1), config.tz)
    times = []
    for _ in range(6):
        started = time.perf_counter()
        DigestRenderer(config, site.renderer).render(period, posts)
        times.append((time.perf_counter() - started) * 1000)
    return times[0], statistics.median(times[1:])


def report(size: int, results: dict[str, Series]) -> list[str]:
    hugo = results["hugo"]
    lines = [f"\n{size} posts"]
    lines.append(f"  {'run':<28}{'median s':>10}{'peak MB':>10}{'feeds':>7}{'x Hugo':>9}")
    labels = {
        "hugo": "Hugo 0.111 (Debian)",
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
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    hugo = ensure_hugo()
    if hugo:
        print(subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())
    print(f"{os.cpu_count()} cores; python {sys.version.split()[0]}")
    out: list[str] = []
    summary: dict[str, dict[str, float]] = {}
    for size in args.sizes:
        results = bench_size(size, args.rounds, hugo)
        out += report(size, results)
        summary[str(size)] = {k: s.median for k, s in results.items() if s.runs}
        first, steady = digest_in_fresh_process(size)
        out.append(f"  digest of 20 posts: {first:.0f} ms first render, {steady:.0f} ms after")
    print("\n".join(out))
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (results_dir / f"{stamp}.json").write_text(json.dumps(summary, indent=1) + "\n")


if __name__ == "__main__":
    main()
