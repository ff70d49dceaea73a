"""Alternating cold builds of one site by several installs of syndicate: how a change's cost or
gain is measured here (bench/README.md gives each figure with its runs).

    python bench/ab.py bench/sites/100 16 /tmp/before/bin/syndicate .venv/bin/syndicate

Each round deletes the site's output and state folders (`public/`, `.syndicate/`) before each
build and runs `syndicate build` of every install once, starting with the next one each
round, so that a slow moment of the machine falls on all alike; it prints each install's
median, first quartile and fastest wall time, and the load average at the end (a figure from
a loaded machine says little). Copy the site to a tmpfs (/dev/shm) to leave the disk out, or
keep it in place to measure the disk too. Make each install a regular one (`pip install .`,
then `python -m compileall` of the installed package), as the bench times.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or not argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    site, rounds, programs = Path(argv[0]), int(argv[1]), argv[2:]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[float]] = {p: [] for p in programs}
    for number in range(rounds):
        start = number % len(programs)
        for program in programs[start:] + programs[:start]:
            times[program].append(_cold_build(program, site, env))
    for program, runs in times.items():
        runs.sort()
        print(
            f"{program}: median {statistics.median(runs):.3f} s, "
            f"q1 {runs[len(runs) // 4]:.3f}, min {runs[0]:.3f} ({len(runs)} runs)"
        )
    print("load average at the end:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


def _cold_build(program: str, site: Path, env: dict[str, str]) -> float:
    for folder in ("public", ".syndicate"):
        shutil.rmtree(site / folder, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [program, "build", "--config", str(site / "config.toml")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
