"""Alternating builds of one site by several installs of syndicate: how a change's cost or gain
is measured here (bench/README.md gives each figure with its runs).

    python bench/ab.py bench/sites/100 16 /tmp/old/bin/syndicate .venv/bin/syndicate
    python bench/ab.py ~/site 10 /tmp/old/bin/syndicate .venv/bin/syndicate --edit content/a.md

Cold builds: each round deletes the site's output and state folders (`public/`, `_site/`,
`.syndicate/`) before each build and runs `syndicate build` of every install once, starting
with the next one each round, so that a slow moment of the machine falls on all alike; it
prints each install's median, first quartile and fastest wall time, and the load average at
the end (a figure from a loaded machine says little). With `--edit FILE` (a path below the
site's folder): one post edited, as a writer saves it, on a copy of the site for each install
(beside the site, removed at the end), each built once by its install first; each round then
appends a line to FILE in every copy and times its build. Copy the site to a tmpfs
(/dev/shm) to leave the disk out, or keep it in place to measure the disk too. Make each
install a regular one (`pip install .`, then `python -m compileall` of the installed
package), as the bench times. The site's config is its `syndicate.toml`, else `config.toml`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

Timed = Callable[[str, int], float]  # one install's build in a round, timed
OUTPUTS = ("public", "_site", ".syndicate")  # what a build writes: never copied, deleted cold


def main(argv: list[str]) -> int:
    edit = None
    if "--edit" in argv[:-1]:
        at = argv.index("--edit")
        edit, argv = argv[at + 1], argv[:at] + argv[at + 2 :]
    if len(argv) < 3 or not argv[1].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    site, rounds, programs = Path(argv[0]), int(argv[1]), argv[2:]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if edit is None:
        times = _alternating(programs, rounds, lambda p, n: _cold_build(p, site, env))
    else:
        times = _edited(site, Path(edit), rounds, programs, env)
    for program, runs in times.items():
        runs.sort()
        print(
            f"{program}: median {statistics.median(runs):.3f} s, "
            f"q1 {runs[len(runs) // 4]:.3f}, min {runs[0]:.3f} ({len(runs)} runs)"
        )
    print("load average at the end:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


def _alternating(programs: list[str], rounds: int, timed: Timed) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {p: [] for p in programs}
    for number in range(rounds):
        start = number % len(programs)
        for program in programs[start:] + programs[:start]:
            times[program].append(timed(program, number))
    return times


def _edited(
    site: Path, edit: Path, rounds: int, programs: list[str], env: dict[str, str]
) -> dict[str, list[float]]:
    copies = {p: site.parent / f"{site.name}.ab{n}" for n, p in enumerate(programs)}
    try:
        for program, copy in copies.items():
            shutil.copytree(site, copy, ignore=shutil.ignore_patterns(*OUTPUTS), symlinks=True)
            _build(program, copy, env)  # its own cache and output, as its last build left them

        def edited(program: str, number: int) -> float:
            with (copies[program] / edit).open("a", encoding="utf-8") as text:
                text.write(f"\nA line of edit {number + 1}.\n")
            return _build(program, copies[program], env)

        return _alternating(programs, rounds, edited)
    finally:
        for copy in copies.values():
            shutil.rmtree(copy, ignore_errors=True)


def _cold_build(program: str, site: Path, env: dict[str, str]) -> float:
    for folder in OUTPUTS:
        shutil.rmtree(site / folder, ignore_errors=True)
    return _build(program, site, env)


def _build(program: str, site: Path, env: dict[str, str]) -> float:
    config = site / "syndicate.toml"
    config = config if config.exists() else site / "config.toml"
    started = time.perf_counter()
    subprocess.run(
        [program, "build", "--config", str(config)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
